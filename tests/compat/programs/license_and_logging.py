import ocrprep.compat as ocr

''' logs into a file '''
ocr.Logging.log_file_path = "ocr.log"
ocr.Logging.file_system = True
ocr.Logging.logging_level = ocr.LoggingLevel.DEBUG

''' licences are accepted (ocrprep needs none) '''
lic = ocr.License()
lic.set_license("Aspose.Total.lic")
print(lic.is_licensed)
ocr.Metered().set_metered_key("public", "private")

''' resources: the installed languages '''
print('eng' in ocr.Resources.list_local())

api = ocr.AsposeOcr()
api.set_debug_mode = True
input = ocr.OcrInput(ocr.InputType.SINGLE_IMAGE)
input.add("Data\\OCR\\sample_line.png")
print(api.recognize(input)[0].recognition_text)
