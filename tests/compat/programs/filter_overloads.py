import os

import ocrprep.compat as ocr


api = ocr.AsposeOcr()
F = ocr.models.preprocessingfilters.PreprocessingFilter

''' filters with an area as their last argument: only the white-on-black band is inverted '''
band = ocr.Rectangle(0, 0, 1500, 160)
filters = F()
filters.add(F.invert(band))
filters.add(F.median(band))
filters.add(F.threshold(160, band))
filters.add(F.binarize(ocr.Rectangle(0, 160, 1500, 300)))
filters.add(F.rotate(0.0, band))
filters.add(F.resize(1500, 460, ocr.filters.InterpolationFilterType.LANCZOS3))
filters.add(F.scale(1.0, ocr.InterpolationFilterType.BOX))

input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE, filters)
input.add("Data\\OCR\\banner.png")

''' preview the filtered page in a folder, then recognise what was saved '''
os.makedirs("preview", exist_ok=True)
saved = ocr.ImageProcessing.save(input, "preview")
print(sorted(os.listdir("preview")))
print(api.recognize(saved)[0].recognition_text)

''' the same pages filtered in memory '''
rendered = ocr.ImageProcessing.render(input)
print(type(rendered).__name__, len(rendered))
print(api.recognize(rendered)[0].recognition_text)
