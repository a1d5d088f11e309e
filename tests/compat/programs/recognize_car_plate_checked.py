import ocrprep.compat as ocr

api = ocr.AsposeOcr()

filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())

''' a photo of a car (a JPEG named .jfif, given as a TIFF-type input as Aspose's example does) '''
input = ocr.OcrInput(ocr.InputType.TIFF, filters)
input.add("Data\\OCR\\car.jfif")

settings = ocr.CarPlateRecognitionSettings()

res = api.recognize_car_plate(input, settings)
print(res[0].recognition_text)
