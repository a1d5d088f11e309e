from ocrprep.compat import *

# Instantiate Aspose.OCR API
api = AsposeOcr()
# Add images to the recognition batch
input = OcrInput(InputType.SINGLE_IMAGE)
input.add("invoice1.png")
# Customize recognition settings
recognitionSettings = InvoiceRecognitionSettings()
recognitionSettings.language = Language.ENG
recognitionSettings.threads_count = 1
# Recognize invoices
results = api.recognize_invoice(input, recognitionSettings)
# Print recognition result
for result in results:
    print(result.recognition_text)
