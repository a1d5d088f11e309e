import ocrprep.compat as ocr

api = ocr.AsposeOcr()


def read(path, settings):
    input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    input.add(path)
    return api.recognize(input, settings)[0].recognition_text


''' digits only '''
settings = ocr.RecognitionSettings()
settings.allowed_characters = ocr.CharactersAllowedType.DIGITS
print('------------------ digits')
print(read("Data\\OCR\\digits.png", settings))

''' a blacklist '''
settings = ocr.RecognitionSettings()
settings.ignored_characters = "0123456789"
print('------------------ ignored')
print(read("Data\\OCR\\digits.png", settings))

''' white text on black '''
settings = ocr.RecognitionSettings()
settings.automatic_color_inversion = True
print('------------------ inverted')
print(read("Data\\OCR\\negative.png", settings))

''' tiny print '''
settings = ocr.RecognitionSettings()
settings.upscale_small_font = True
print('------------------ small')
print(read("Data\\OCR\\small.png", settings))

''' a ruled form '''
settings = ocr.RecognitionSettings()
settings.lines_filtration = True
print('------------------ form')
print(read("Data\\OCR\\table.png", settings))

''' only the first line of the page, as an area '''
settings = ocr.RecognitionSettings(ocr.Language.ENG, [ocr.Rectangle(0, 0, 1500, 132)], False)
print('------------------ area')
print(read("Data\\OCR\\sample.png", settings))

''' a misspelt attribute is refused, naming the right one '''
settings = ocr.RecognitionSettings()
try:
    settings.detect_area_mode = ocr.DetectAreasMode.TABLE
except AttributeError as error:
    print('------------------ typo')
    print(error)
