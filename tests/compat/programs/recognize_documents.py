import ocrprep.compat as ocr

api = ocr.AsposeOcr()

''' an ID card, a receipt and an invoice, each with its own settings '''
card = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
card.add("Data\\OCR\\id_card.png")
print('------------------ id_card')
print(api.recognize_id_card(card, ocr.IDCardRecognitionSettings())[0].recognition_text)

receipt = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
receipt.add("Data\\OCR\\receipt.png")
print('------------------ receipt')
print(api.recognize_receipt(receipt, ocr.ReceiptRecognitionSettings())[0].recognition_text)

invoice = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
invoice.add("Data\\OCR\\invoice.png")
print('------------------ invoice')
print(api.recognize_invoice(invoice, ocr.InvoiceRecognitionSettings())[0].recognition_text)
