import ocrprep.compat as ocr

api = ocr.AsposeOcr()

''' case 1: the skew of a scanned page '''
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\skew_image.png")
result = api.calculate_skew(input)
print(result[0].angle)

''' case 2: turn a straight page, save it, measure the saved page '''
filter = ocr.models.preprocessingfilters.PreprocessingFilter()
filter.add(filter.rotate(3.0))
images = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filter)
images.add("Data\\OCR\\sample.png", 0, 1)
output = ocr.ImageProcessing.save(images, "./")
images.clear()
result = api.calculate_skew(output)
print(result[0].angle)
print(result[0].source)
print(result[0].page)
output.clear()
print(output.count())
