"""BinarizeImage, DeskewImage, UpscaleImage, DewarpImage: POST the page, GET the processed PNG at once."""
import os

import aspose_ocr_cloud
from aspose_ocr_cloud.api import binarize_image_api, deskew_image_api, dewarp_image_api, upscale_image_api
from aspose_ocr_cloud.models.ocr_binarize_image_body import OCRBinarizeImageBody
from aspose_ocr_cloud.models.ocr_deskew_image_body import OCRDeskewImageBody
from aspose_ocr_cloud.models.ocr_dewarp_image_body import OCRDewarpImageBody
from aspose_ocr_cloud.models.ocr_response import OCRResponse
from aspose_ocr_cloud.models.ocr_upscale_image_body import OCRUpscaleImageBody

import helpers

SAMPLES = os.environ.get("OCR_SAMPLES", "samples")

# operation -> (API class, request model, post method, get method, sample file)
OPERATIONS = {
    "binarize": (binarize_image_api.BinarizeImageApi, OCRBinarizeImageBody, "post_binarize_image",
                 "get_binarize_image", "binarization_latin.png"),
    "deskew": (deskew_image_api.DeskewImageApi, OCRDeskewImageBody, "post_deskew_image", "get_deskew_image",
               "skew_latin.png"),
    "upscale": (upscale_image_api.UpscaleImageApi, OCRUpscaleImageBody, "post_upscale_image",
                "get_upscale_image", "small_latin.png"),
    "dewarp": (dewarp_image_api.DewarpImageApi, OCRDewarpImageBody, "post_dewarp_image", "get_dewarp_image",
               "curved_latin.png"),
}


def run_image_demo(config, operation):
    api_class, body_class, post, get, sample = OPERATIONS[operation]
    with aspose_ocr_cloud.ApiClient(config) as api_client:
        api_instance = api_class(api_client)
        body = body_class(image=helpers.encode_file(os.path.join(SAMPLES, sample)))
        try:
            task_id = getattr(api_instance, post)(body)
            print(f"Your task ID is {task_id}")

            task_response: OCRResponse = getattr(api_instance, get)(id=task_id)
            assert task_response.response_status_code == "Ok"
            assert task_response.task_status == "Completed"
            with open(f"results/{operation}-{task_id}.png", "wb") as file:
                file.write(helpers.decode_data(task_response.results[0].data))
            if task_response.error and task_response.error.warnings:
                print("Warnings:", "; ".join(task_response.error.warnings))
            print(f"Result saved to results/{operation}-{task_id}.png\nTask completed. Press Enter to continue")
            input()
        except aspose_ocr_cloud.ApiException as e:
            print(f"Exception when calling {api_class.__name__}: {e}\n")
