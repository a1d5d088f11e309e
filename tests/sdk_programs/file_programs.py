"""ImageProcessing: upload a file (multipart), fetch the envelope with GetResultTask at once, and the
task's state with Utilities/GetTaskStatus."""
import os
import warnings

import aspose_ocr_cloud
from aspose_ocr_cloud.api import image_processing_api, utilities_api
from aspose_ocr_cloud.models.ocr_response import OCRResponse

import helpers

SAMPLES = os.environ.get("OCR_SAMPLES", "samples")
UPLOADS = {"binarization_file": "post_binarization_file", "skew_correction_file": "post_skew_correction_file",
           "upsampling_file": "post_upsampling_file", "dewarping_file": "post_dewarping_file"}


def run_file_demo(config, operation):
    with aspose_ocr_cloud.ApiClient(config) as api_client:
        api_instance = image_processing_api.ImageProcessingApi(api_client)
        with open(os.path.join(SAMPLES, "binarization_latin.png"), "rb") as f:
            data = f.read()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # the SDK marks these deprecated
                task_id = getattr(api_instance, UPLOADS[operation])(file=data)
                print(f"Your task ID is {task_id}")
                task_response: OCRResponse = api_instance.get_result_task(id=task_id)
            assert task_response.response_status_code == "Ok"
            assert task_response.task_status == "Completed"
            with open(f"results/{operation}-{task_id}.png", "wb") as file:
                file.write(helpers.decode_data(task_response.results[0].data))

            status: OCRResponse = utilities_api.UtilitiesApi(api_client).get_task_status(id=task_id)
            assert status.task_status == "Completed" and status.id == task_id
            print(f"Result saved to results/{operation}-{task_id}.png\nTask completed. Press Enter to continue")
            input()
        except aspose_ocr_cloud.ApiException as e:
            print(f"Exception when calling ImageProcessingApi: {e}\n")
