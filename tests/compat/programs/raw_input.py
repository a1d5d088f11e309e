import base64

import numpy as np
from PIL import Image

import ocrprep.compat as ocr

api = ocr.AsposeOcr()

''' decoded pixels: an RGB buffer with its size '''
rgb = Image.open("Data/OCR/sample_line.png").convert("RGB")
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add(rgb.tobytes(), rgb.width, rgb.height, ocr.PixelType.RGB)

''' base64 text '''
with open("Data/OCR/sample_line.png", "rb") as f:
    input.add_base64(base64.b64encode(f.read()).decode("ascii"))

for r in api.recognize(input):
    print('------------------')
    print(r.recognition_text)

''' a BASE64 input: a .txt file holding the image '''
with open("line.txt", "w") as f:
    with open("Data/OCR/sample_line.png", "rb") as image:
        f.write(base64.b64encode(image.read()).decode("ascii"))
b64 = ocr.OcrInput(ocr.InputType.BASE64)
b64.add("line.txt")
for r in api.recognize(b64):
    print('------------------')
    print(r.recognition_text)
