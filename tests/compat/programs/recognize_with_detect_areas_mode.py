import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sample.png")

for mode in (ocr.DetectAreasMode.NONE, ocr.DetectAreasMode.DOCUMENT, ocr.DetectAreasMode.PHOTO,
             ocr.DetectAreasMode.COMBINE, ocr.DetectAreasMode.CURVED_TEXT, ocr.DetectAreasMode.TEXT_IN_WILD,
             ocr.DetectAreasMode.LEAN, ocr.DetectAreasMode.MULTICOLUMN, ocr.DetectAreasMode.UNIVERSAL,
             ocr.DetectAreasMode.TABLE):
    settings = ocr.RecognitionSettings()
    settings.detect_areas_mode = mode
    res = api.recognize(input, settings)
    print('------------------ ' + mode.name)
    print(res[0].recognition_text)
