import ocrprep.compat as ocr

api = ocr.AsposeOcr()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\sample_line.png")

''' characters with their boxes '''
chars = api.recognize_characters(input)
print(''.join(c.value for c in chars[0].characters))
print(len(chars[0].characters))

''' fast recognition '''
print(api.recognize_fast(input)[0])

''' the languages that read the page best '''
print(api.detect_languages(input)[0].languages[0].name)

''' the layout of a page with a table '''
table = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
table.add("Data\\OCR\\table.png")
layout = api.detect_document_layout(table)[0]
print(len(layout.tables), len(layout.paragraphs))

''' methods ocrprep cannot provide say why '''
try:
    api.recognize_formula(input, True)
except ocr.NotSupportedError as error:
    print('not supported: ' + str(error).split(' ')[0])

''' image defects '''
noisy = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
noisy.add("Data\\OCR\\specks.png")
for area in api.detect_defects(noisy, ocr.DefectType.ALL)[0].defect_areas:
    print(area.defect_type.name, len(area.rectangles))
