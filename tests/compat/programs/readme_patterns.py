import ocrprep.compat as ocr


api = ocr.AsposeOcr()

''' a path handed straight to recognize, with settings '''
settings = ocr.RecognitionSettings()
settings.language = ocr.Language.ENG
settings.threads_count = 2
settings.detect_areas_mode = ocr.DetectAreasMode.DOCUMENT
result = api.recognize("Data/OCR/letter.png", settings)

for line in result[0].lines:
    print(f"Line: {line.text}")
    print(f"Confidence: {line.confidence}")
    print(f"Bounding box: {line.rect}")

for region in result[0].recognition_regions_result:
    print("Region: " + " ".join(region.text_in_line.split()))

''' no language chosen, and the automatic one '''
for language in (ocr.Language.NONE, ocr.Language.MULTILANGUAGE):
    s = ocr.RecognitionSettings()
    s.language = language
    batch = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
    batch.add("Data/OCR/line.png")
    for i, r in enumerate(api.recognize(batch, s)):
        print(f"Image {i + 1}:")
        print(f"Text: {r.recognition_text}")
        print(f"Language: {r.language}")
