import ocrprep.compat as ocr

api = ocr.AsposeOcr()

''' a noisy, dim scan: clean it up, look at it, recognize it '''
filters = ocr.models.preprocessingfilters.PreprocessingFilter()
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.contrast_correction_filter())
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.median())
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.scale(1.5, ocr.filters.InterpolationFilterType.LANCZOS3))
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.auto_skew())
filters.add(ocr.models.preprocessingfilters.PreprocessingFilter.binarize())

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\noisy.png")
saved = ocr.ImageProcessing.save(input, "processed")
print(saved.count())
result = api.recognize(saved)
print(result[0].recognition_text)

''' the default and empty filter lists '''
print(len(ocr.models.preprocessingfilters.PreprocessingFilter.default))
print(len(ocr.models.preprocessingfilters.PreprocessingFilter.empty))
