import ocrprep.compat as ocr

api = ocr.AsposeOcr()
sett = ocr.RecognitionSettings()

''' search for text (ignore case, straighten the page first) '''
print(api.image_has_text("Data\\OCR\\sample.png", 'WOODEN mill', sett, True, True))
print(api.image_has_text("Data\\OCR\\sample.png", 'WOODEN mill', sett, False))
print(api.image_has_text("Data\\OCR\\sample.png", 'purple elephant', sett, True))

''' compare texts '''
print(api.compare_image_texts("Data\\OCR\\sample.png", "Data\\OCR\\skew_image.png", sett, True))
print(api.compare_image_texts("Data\\OCR\\sample.png", "Data\\OCR\\sample_line.png", sett, True))
print(api.image_text_diff("Data\\OCR\\sample.png", "Data\\OCR\\skew_image.png", sett, True))
print(api.image_text_diff("Data\\OCR\\sample.png", "Data\\OCR\\sample_line.png", sett, True))
