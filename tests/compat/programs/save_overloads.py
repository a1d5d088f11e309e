import io

import ocrprep.compat as ocr


api = ocr.AsposeOcr()
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\letter.png")
input.add("Data\\OCR\\prices.png")
result = api.recognize(input)

''' RecognitionResult.save: the optimisation mode third, or a font path then the mode '''
result[0].save("page_aggressive.pdf", ocr.SaveFormat.PDF, ocr.PdfOptimizationMode.AGGRESSIVE)
result[0].save("page_font.pdf", ocr.SaveFormat.PDF, "", ocr.PdfOptimizationMode.MAXIMUM_QUALITY)
stream = io.BytesIO()
result[0].save(stream, ocr.SaveFormat.DOCX)
print(stream.getvalue()[:2])

''' OcrOutput: save and save_pdf to files and streams '''
result.save("all.txt", ocr.SaveFormat.TEXT)
result.save("all.pdf", ocr.SaveFormat.PDF, "", ocr.PdfOptimizationMode.BALANCED)
result.save("all_mode.pdf", ocr.SaveFormat.PDF, ocr.PdfOptimizationMode.BALANCED)
result.save_pdf("searchable.pdf")
pdf = io.BytesIO()
result.save_pdf(pdf)
print(pdf.getvalue()[:5])
api.save_multipage_document("multi.pdf", ocr.SaveFormat.PDF, result, "", ocr.PdfOptimizationMode.AGGRESSIVE)

''' the tables of every page '''
for page in result.get_table_data():
    print(page.page, len(page.tables))
    for table in page.tables:
        for row in table.rows:
            print("|".join(cell.text for cell in row.cells))
