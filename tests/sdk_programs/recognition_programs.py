"""RecognizeImage (and its trial path), RecognizePdf, RecognizeRegions, DetectRegions, RecognizeTable:
POST the request model with its settings, GET the result at once, print the decoded text."""
import base64
import json
import os

import aspose_ocr_cloud
from aspose_ocr_cloud.api import (
    detect_regions_api,
    recognize_image_api,
    recognize_image_trial_api,
    recognize_pdf_api,
    recognize_regions_api,
    recognize_table_api,
)
from aspose_ocr_cloud.models.dsr_confidence import DsrConfidence
from aspose_ocr_cloud.models.dsr_mode import DsrMode
from aspose_ocr_cloud.models.language import Language
from aspose_ocr_cloud.models.ocr_detect_regions_body import OCRDetectRegionsBody
from aspose_ocr_cloud.models.ocr_rect import OCRRect
from aspose_ocr_cloud.models.ocr_recognize_image_body import OCRRecognizeImageBody
from aspose_ocr_cloud.models.ocr_recognize_pdf_body import OCRRecognizePdfBody
from aspose_ocr_cloud.models.ocr_recognize_regions_body import OCRRecognizeRegionsBody
from aspose_ocr_cloud.models.ocr_recognize_table_body import OCRRecognizeTableBody
from aspose_ocr_cloud.models.ocr_region import OCRRegion
from aspose_ocr_cloud.models.ocr_response import OCRResponse
from aspose_ocr_cloud.models.ocr_settings_detect_regions import OCRSettingsDetectRegions
from aspose_ocr_cloud.models.ocr_settings_recognize_image import OCRSettingsRecognizeImage
from aspose_ocr_cloud.models.ocr_settings_recognize_pdf import OCRSettingsRecognizePdf
from aspose_ocr_cloud.models.ocr_settings_recognize_regions import OCRSettingsRecognizeRegions
from aspose_ocr_cloud.models.ocr_settings_recognize_table import OCRSettingsRecognizeTable
from aspose_ocr_cloud.models.result_type import ResultType
from aspose_ocr_cloud.models.result_type_table import ResultTypeTable

import helpers

SAMPLES = os.environ.get("OCR_SAMPLES", "samples")


def image_settings(result_type="Text", spell_check=False, upsampling=False):
    return OCRSettingsRecognizeImage(
        language=Language("English"),
        makeSkewCorrect=False,
        makeBinarization=False,
        makeSpellCheck=spell_check,
        makeContrastCorrection=False,
        makeUpsampling=upsampling,
        dsrMode=DsrMode("NoDsrNoFilter"),
        dsrConfidence=DsrConfidence("Default"),
        resultType=ResultType(result_type),
    )


def _requests(operation):
    """operation -> (API class, post method, get method, request body)"""
    sample = lambda name: helpers.encode_file(os.path.join(SAMPLES, name))  # noqa: E731
    if operation in ("recognize", "recognize_trial", "recognize_spellcheck", "recognize_upsampling",
                     "recognize_pdf_result"):
        api = recognize_image_trial_api.RecognizeImageTrialApi if operation == "recognize_trial" \
            else recognize_image_api.RecognizeImageApi
        suffix = "_trial" if operation == "recognize_trial" else ""
        image = "misspelled_latin.png" if operation == "recognize_spellcheck" else (
            "small_latin.png" if operation == "recognize_upsampling" else "latin.png")
        settings = image_settings(result_type="TextAndPdf" if operation == "recognize_pdf_result" else "Text",
                                  spell_check=operation == "recognize_spellcheck",
                                  upsampling=operation == "recognize_upsampling")
        return (api, f"post_recognize_image{suffix}", f"get_recognize_image{suffix}",
                OCRRecognizeImageBody(image=sample(image), settings=settings))
    if operation == "recognize_pdf":
        return (recognize_pdf_api.RecognizePdfApi, "post_recognize_pdf", "get_recognize_pdf",
                OCRRecognizePdfBody(image=sample("three_pages.pdf"), settings=OCRSettingsRecognizePdf(
                    language=Language("English"), resultType=ResultType("Text"))))
    if operation == "recognize_regions":
        region = OCRRegion(rect=OCRRect(topLeftX=0, topLeftY=75, bottomRightX=760, bottomRightY=200), order=0)
        return (recognize_regions_api.RecognizeRegionsApi, "post_recognize_regions", "get_recognize_regions",
                OCRRecognizeRegionsBody(image=sample("latin.png"), settings=OCRSettingsRecognizeRegions(
                    language=Language("English"), regions=[region], resultType=ResultType("Text"))))
    if operation == "detect_regions":
        return (detect_regions_api.DetectRegionsApi, "post_detect_regions", "get_detect_regions",
                OCRDetectRegionsBody(image=sample("latin.png"), settings=OCRSettingsDetectRegions()))
    if operation == "recognize_table":
        return (recognize_table_api.RecognizeTableApi, "post_recognize_table", "get_recognize_table",
                OCRRecognizeTableBody(image=sample("latin.png"), settings=OCRSettingsRecognizeTable(
                    language=Language("English"), resultTypeTable=ResultTypeTable("Csv"))))
    raise KeyError(operation)


def run_recognition_demo(config, operation):
    api_class, post, get, body = _requests(operation)
    with aspose_ocr_cloud.ApiClient(config) as api_client:
        api_instance = api_class(api_client)
        try:
            task_id = getattr(api_instance, post)(body)
            print(f"Your task ID is {task_id}")

            task_response: OCRResponse = getattr(api_instance, get)(id=task_id)
            assert task_response.response_status_code == "Ok"
            assert task_response.task_status == "Completed"
            for result in task_response.results:
                data = bytes(base64.b64decode(str(result.data)))
                if result.type == "Pdf":
                    with open(f"results/{task_id}.pdf", "wb") as file:
                        file.write(data)
                    print(f"PDF saved to results/{task_id}.pdf ({len(data)} bytes)")
                elif result.type == "JSON":
                    print("Regions:", json.dumps(json.loads(data)))
                else:
                    print(f"{result.type}:\n{data.decode('utf-8')}")
            if task_response.error and task_response.error.warnings:
                print("Warnings:", "; ".join(task_response.error.warnings))
            print("Task completed. Press Enter to continue")
            input()
        except aspose_ocr_cloud.ApiException as e:
            print(f"Exception when calling {api_class.__name__}: {e}\n")
