import ocrprep.compat as ocr

api = ocr.AsposeOcr()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\sample.png")

for kind in (ocr.AreasType.PARAGRAPHS, ocr.AreasType.LINES, ocr.AreasType.WORDS):
    res = api.detect_rectangles(input, kind, True)
    print(kind.name, len(res[0].rectangles))
    for rect in res[0].rectangles[:2]:
        print(rect.x, rect.y, rect.width, rect.height)
