import ocrprep.compat as ocr

api = ocr.AsposeOcr()

''' every page of a multi-page TIFF '''
input = ocr.OcrInput(ocr.InputType.TIFF)
input.add("Data\\OCR\\multipage.tif")
res = api.recognize(input)
print(len(res))

''' pages 2 and 3 only (the first page is number 0) '''
part = ocr.OcrInput(ocr.InputType.TIFF)
part.add("Data\\OCR\\multipage.tif", 1, 2)
for r in api.recognize(part):
    print('------------------ page ' + str(r.page))
    print(r.recognition_text)
