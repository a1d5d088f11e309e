import ocrprep.compat as ocr

api = ocr.AsposeOcr()

''' a scanned PDF: every page '''
input = ocr.OcrInput(ocr.InputType.PDF)
input.add("Data\\OCR\\scan.pdf")
for r in api.recognize(input):
    print('------------------ page ' + str(r.page))
    print(r.recognition_text)

''' only the last page, as DocumentRecognitionSettings asks '''
settings = ocr.DocumentRecognitionSettings(2, 1)
settings.language = ocr.Language.ENG
last = api.recognize(input, settings)
print('------------------ last ' + str(last[0].page) + ' of ' + str(len(last)))
print(last[0].recognition_text)
