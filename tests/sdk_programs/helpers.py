"""Small helpers of the programs: files to base64 and back, the results folder, the configuration."""
import base64
import json
import os

import aspose_ocr_cloud
import urllib3
from aspose_ocr_cloud.configuration import Configuration


def encode_file(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode("ascii")


def decode_data(data):
    return bytearray(base64.b64decode(str(data)))


def make_results_folder():
    os.makedirs("results", exist_ok=True)


def configuration():
    """The host and credentials: the only lines a user changes to point a program at ocrprep."""
    host = os.environ["OCR_HOST"]
    client_id, secret = os.environ.get("OCR_CLIENT_ID"), os.environ.get("OCR_CLIENT_SECRET")
    if not client_id:
        return Configuration(host=host)
    if hasattr(Configuration(host=host), "get_token"):
        # SDK 24.8: Configuration fetches the token itself (a multipart POST) from auth_host
        config = Configuration(host=host)
        config.auth_host = host + "/connect/token"
        config.client_id, config.client_secret = client_id, secret
        config.access_token = config.get_token()
        return config
    # SDK 24.11 takes a token: get one with a form POST, as any OAuth2 client does
    reply = urllib3.PoolManager().request_encode_body(
        "POST", host + "/connect/token", encode_multipart=False,
        fields={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    return Configuration(host=host, access_token=json.loads(reply.data)["access_token"])


def sdk_version():
    return aspose_ocr_cloud.__version__
