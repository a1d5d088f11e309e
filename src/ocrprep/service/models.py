"""Pydantic models of the request and response bodies, for the OpenAPI schema only.

The routes read bodies themselves (to enforce the size cap while reading,
match keys without regard to case and word errors precisely); these models
describe the same shapes for ``/openapi.json`` and the docs page.
Field names are Aspose OCR Cloud v5's.
"""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, Field

TaskStatus = Literal["Pending", "Processing", "Completed", "Error", "NotExist"]
ResultType = Literal["Text", "Pdf", "TextAndPdf", "Hocr", "TextAndHocr", "PdfAndHocr", "TextAndPdfAndHocr",
                     "ImagePNG", "JSON"]
ResponseStatus = Literal["Ok", "NotReady", "Error", "TaskNotFound"]


class OCRResult(BaseModel):
    """One result: ``type`` (``ImagePNG``, ``Text``, ``JSON``, ``Hocr``) and its base64 ``data``."""

    type: str = Field(description="ImagePNG, Text, JSON or Hocr", examples=["ImagePNG"])
    data: str = Field(description="the result, base64-encoded (text results are UTF-8)")


class OCRError(BaseModel):
    """Error messages (the task failed) and warnings (it completed with remarks)."""

    messages: Optional[list[str]] = None
    warnings: Optional[list[str]] = None


class OCRResponse(BaseModel):
    """The envelope every GET returns (GetTaskStatus leaves ``results`` null)."""

    id: str = Field(description="the task id (a GUID)", examples=["c4b60313-4f78-45f8-b708-069eb98dc22e"])
    taskStatus: TaskStatus
    responseStatusCode: ResponseStatus
    results: Optional[list[OCRResult]] = Field(None, description="present once the task is Completed")
    error: Optional[OCRError] = None


class BinarizeImageBody(BaseModel):
    image: str = Field(description="the image file (PNG, JPEG, TIFF, BMP, GIF, WebP, PNM), base64-encoded")


FilterSpec = Union[str, list[Union[str, dict[str, Any]]]]


class OCRSettingsRecognizeImage(BaseModel):
    language: str = Field("English", description="English name (English, German, ...) or Tesseract code (eng, deu+eng)")
    makeSkewCorrect: bool = Field(True, description="detect and correct the page skew")
    makeBinarization: bool = Field(False, description="binarize automatically (ocrprep.binarize) before recognition")
    makeContrastCorrection: bool = Field(True, description="stretch the contrast (1st..99th percentile) first")
    makeUpsampling: bool = Field(False, description="enlarge the page 2x first (ocrprep.upscale: bicubic + halo-free sharpening)")
    makeSpellCheck: bool = Field(False, description="correct misspelled words (ocrprep.spellcheck; "
                                 "the first language's dictionary)")
    rotate: int = Field(0, description="rotate the page by this many degrees, counter-clockwise")
    dsrMode: Optional[str] = Field(None, description="accepted and ignored (Tesseract does its own layout analysis)")
    dsrConfidence: Optional[str] = Field(None, description="accepted and ignored")
    resultType: ResultType = "Text"


class RecognizeImageBody(BaseModel):
    image: str = Field(description="the image file, base64-encoded")
    settings: Optional[OCRSettingsRecognizeImage] = None
    filters: Optional[FilterSpec] = Field(
        None,
        description="ocrprep extension: preprocessing filters run first, as in Preprocess "
        '(e.g. "threshold(150)" or [{"name": "median", "params": {"size": 3}}])',
    )


class PreprocessBody(BaseModel):
    image: str = Field(description="the image file, base64-encoded")
    filters: FilterSpec = Field(
        description='the filter list of ocrprep.PreprocessingFilter: its to_json() list, or the short form "median(3),binarize"',
        examples=["median(3),binarize", [{"name": "threshold", "params": {"value": 150}}]],
    )


class OCRRect(BaseModel):
    """A rectangle in pixels: top-left corner included, bottom-right excluded."""

    topLeftX: int
    topLeftY: int
    bottomRightX: int
    bottomRightY: int


class OCRRegion(BaseModel):
    rect: OCRRect
    order: Optional[int] = Field(None, description="position of the region's text in the result")


class OCRSettings(BaseModel):
    """The settings of RecognizePdf, RecognizeRegions, DetectRegions and RecognizeTable
    (``OCRSettingsRecognizePdf`` ... in the SDK: the same fields, these defaults)."""

    language: str = "English"
    makeSkewCorrect: bool = True
    makeBinarization: bool = True
    makeContrastCorrection: bool = False
    makeUpsampling: bool = False
    makeSpellCheck: bool = False
    Rotate: int = Field(0, description="degrees, counter-clockwise")
    dsrMode: Optional[str] = None
    dsrConfidence: Optional[str] = None
    resultType: ResultType = "Text"
    resultTypeTable: Optional[Literal["Text", "Excel", "Csv", "CsvAndExcel"]] = Field(
        None, description="RecognizeTable: Text (tab-separated), Csv, Excel (needs ocrprep's XLSX export)")
    regions: Optional[list[OCRRegion]] = Field(None, description="RecognizeRegions: the rectangles to read")


class OCRRecognizePdfBody(BaseModel):
    image: str = Field(description="the PDF document, base64-encoded")
    settings: OCRSettings


class OCRRecognizeRegionsBody(BaseModel):
    image: str = Field(description="the image file, base64-encoded")
    settings: OCRSettings


OCRDetectRegionsBody = OCRRecognizeRegionsBody
OCRRecognizeTableBody = OCRRecognizeRegionsBody


class TokenRequest(BaseModel):
    grant_type: Literal["client_credentials"] = "client_credentials"
    client_id: str
    client_secret: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="seconds until the token expires")


class ErrorBody(BaseModel):
    """Every refused request: HTTP status and its reason phrase (RFC 7807's status and title, read by
    the SDK's ProblemDetails), a short code, the explanation (also in error.messages)."""

    status: int
    title: str = Field(examples=["Bad Request"])
    code: str = Field(examples=["InvalidBase64"])
    detail: str
    error: OCRError


class OAuthError(BaseModel):
    error: str = Field(examples=["invalid_client"])
    error_description: str


class Health(BaseModel):
    """``/health``: only ``status`` and ``auth`` for a caller without a valid token when auth is on."""

    status: Literal["ok"]
    auth: bool
    version: Optional[str] = None
    uptime: Optional[float] = None
    queue: Optional[dict[str, Any]] = None
    workers: Optional[dict[str, Any]] = None
    tesseract: Optional[dict[str, Any]] = None


SCHEMAS = [
    OCRResult,
    OCRError,
    OCRResponse,
    BinarizeImageBody,
    OCRSettingsRecognizeImage,
    RecognizeImageBody,
    PreprocessBody,
    OCRRect,
    OCRRegion,
    OCRSettings,
    OCRRecognizePdfBody,
    OCRRecognizeRegionsBody,
    TokenRequest,
    TokenResponse,
    ErrorBody,
    OAuthError,
    Health,
]
