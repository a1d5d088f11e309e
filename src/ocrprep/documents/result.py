"""The result of the document recognisers: a :class:`~ocrprep.RecognitionResult` plus the
document's structure (the parsed MRZ, named fields)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..ocr import RecognitionResult
from .mrz import MrzData

__all__ = ["DocumentResult"]


@dataclass
class DocumentResult(RecognitionResult):
    """A page read by a document recogniser: everything a :class:`~ocrprep.RecognitionResult`
    has, plus what the document's structure gave.

    Attributes
    ----------
    document_kind : str
        ``passport``, ``id_card``, ``car_plate``, ``receipt``, ``invoice``,
        ``handwritten`` or ``street_photo``.
    mrz : MrzData or None
        Passports and ID cards: the machine-readable zone, parsed, with
        every check digit verified (``mrz.valid``).  None when no zone was read.
    fields : dict
        Named values: for an MRZ its fields (``surname``, ``given_names``,
        ``document_number``, ``nationality``, ``date_of_birth``, ``sex``,
        ``date_of_expiry``, ...); for car plates ``plates`` (list of str).
    """

    document_kind: str = ""
    mrz: MrzData | None = None
    fields: dict = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: RecognitionResult, **extra) -> "DocumentResult":
        values = {f.name: getattr(result, f.name) for f in fields(RecognitionResult) if hasattr(result, f.name)}
        values.update(extra)
        return cls(**values)

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["document_kind"] = self.document_kind
        out["mrz"] = None if self.mrz is None else self.mrz.to_dict()
        out["fields"] = dict(self.fields)
        return out
