from ocrprep.compat import *

api = AsposeOcr()

filters = PreprocessingFilter()
filters.add(PreprocessingFilter.to_grayscale())
filters.add(PreprocessingFilter.threshold(160))

input = OcrInput(InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\sample.png")

settings = RecognitionSettings()
settings.language = Language.ENG
settings.detect_areas_mode = DetectAreasMode.DOCUMENT

result = api.recognize(input, settings)
print(result[0].recognition_text)
for line in result[0].recognition_lines_result[:1]:
    print(line.line.left, line.line.top, line.line.right, line.line.bottom)
