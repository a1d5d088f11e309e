"""The same flow with the SDK's 23.x generation (aspose_ocr_cloud.apis.tags, as in the SDK's README):
POST with ``body=``, the task id in ``.body``, GET with ``query_params``, the envelope as a dict."""
import base64
import os
import sys

import aspose_ocr_cloud
from aspose_ocr_cloud.apis.tags import binarize_image_api, recognize_image_api, utilities_api
from aspose_ocr_cloud.configuration import Configuration
from aspose_ocr_cloud.model.dsr_confidence import DsrConfidence
from aspose_ocr_cloud.model.dsr_mode import DsrMode
from aspose_ocr_cloud.model.language import Language
from aspose_ocr_cloud.model.ocr_binarize_image_body import OCRBinarizeImageBody
from aspose_ocr_cloud.model.ocr_recognize_image_body import OCRRecognizeImageBody
from aspose_ocr_cloud.model.ocr_settings_recognize_image import OCRSettingsRecognizeImage
from aspose_ocr_cloud.model.result_type import ResultType

import helpers

SAMPLES = os.environ.get("OCR_SAMPLES", "samples")


def configuration():
    # 23.x fetches its token in Configuration.__init__ from a fixed address: set the fields, then fetch
    host = os.environ["OCR_HOST"]
    config = Configuration(host=host)
    config.auth_host = host + "/connect/token"
    config.client_id, config.client_secret = os.environ["OCR_CLIENT_ID"], os.environ["OCR_CLIENT_SECRET"]
    config.access_token = config.get_token()
    return config


def run_legacy_demo(config):
    with aspose_ocr_cloud.ApiClient(config) as api_client:
        recognizer = recognize_image_api.RecognizeImageApi(api_client)
        body = OCRRecognizeImageBody(
            image=helpers.encode_file(os.path.join(SAMPLES, "latin.png")),
            settings=OCRSettingsRecognizeImage(
                language=Language("English"), makeSkewCorrect=False, makeBinarization=False,
                makeSpellCheck=False, makeContrastCorrection=False, makeUpsampling=False,
                dsrMode=DsrMode("NoDsrNoFilter"), dsrConfidence=DsrConfidence("Default"),
                resultType=ResultType("Text")))
        try:
            task_id = recognizer.post_recognize_image(body=body).body
            print(f"Your task ID is {task_id}")
            task_response = recognizer.get_recognize_image(query_params={"id": task_id})
            assert task_response.response.status == 200
            assert task_response.body["taskStatus"] == "Completed"
            text = bytearray(base64.b64decode(str(task_response.body["results"][0]["data"]))).decode("utf-8")
            print(f"Recognized text:\n{text}")

            binarizer = binarize_image_api.BinarizeImageApi(api_client)
            task_id = binarizer.post_binarize_image(body=OCRBinarizeImageBody(
                image=helpers.encode_file(os.path.join(SAMPLES, "binarization_latin.png")))).body
            task_response = binarizer.get_binarize_image(query_params={"id": task_id})
            assert task_response.body["taskStatus"] == "Completed"
            with open(f"results/binarize-{task_id}.png", "wb") as file:
                file.write(helpers.decode_data(task_response.body["results"][0]["data"]))
            status = utilities_api.UtilitiesApi(api_client).get_task_status(query_params={"id": task_id})
            assert status.body["taskStatus"] == "Completed"
            print("Task completed. Press Enter to continue")
            input()
        except aspose_ocr_cloud.ApiException as e:
            print(f"Exception when calling the API: {e}\n")


if __name__ == "__main__":
    helpers.make_results_folder()
    run_legacy_demo(configuration())
    sys.exit(0)
