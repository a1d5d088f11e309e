import ocrprep.compat as ocr


''' the engine '''
api = ocr.AsposeOcr()


''' an empty filter collection, as the published examples make it '''
filters = ocr.models.preprocessingfilters.PreprocessingFilter()


''' tables in several states, and a page of plain text '''
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\prices.png")
input.add("Data\\OCR\\prices_large.png")
input.add("Data\\OCR\\prices_turned.png")
input.add("Data\\OCR\\prices_photo.jpg")
input.add("Data\\OCR\\prices_header.png")
input.add("Data\\OCR\\letter.png")


''' settings made and never passed: recognize must find the tables by itself '''
settings = ocr.RecognitionSettings()
settings.detect_areas_mode = ocr.DetectAreasMode.TABLE


''' run recognition '''
res = api.recognize(input)
for r in res:
    print('------------------')
    print(r.recognition_text)


''' the same with the page analysis asked for explicitly '''
document = ocr.RecognitionSettings()
document.detect_areas_mode = ocr.DetectAreasMode.DOCUMENT
res = api.recognize(input, document)
for r in res:
    print('------------------')
    print(r.recognition_text)
