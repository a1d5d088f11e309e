from ocrprep.compat import *

# Instantiate Aspose.OCR API
api = AsposeOcr()
# Add images to the recognition batch
input = OcrInput(InputType.SINGLE_IMAGE)
input.add("receipt1.png")
# Customize recognition settings
recognitionSettings = ReceiptRecognitionSettings()
recognitionSettings.language = Language.ENG
recognitionSettings.upscale_small_font = True
# Recognize receipts
results = api.recognize_receipt(input, recognitionSettings)
# Print recognition result
for result in results:
    print(result.recognition_text)
