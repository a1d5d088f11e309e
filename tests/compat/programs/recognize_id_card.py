from ocrprep.compat import *

# Instantiate Aspose.OCR API
api = AsposeOcr()
# Add images to the recognition batch
input = OcrInput(InputType.SINGLE_IMAGE)
input.add("ID1.png")
input.add("ID2.png")
# Customize recognition settings
recognitionSettings = IDCardRecognitionSettings()
recognitionSettings.language = Language.ENG
# Recognize ID cards
results = api.recognize_id_card(input, recognitionSettings)
# Print recognition result
for result in results:
    print(result.recognition_text)
    print("------------------")
