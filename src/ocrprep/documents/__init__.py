"""Recognisers for special documents: passports and ID cards (MRZ), car plates, receipts, invoices,
handwriting and street photos (Aspose.OCR's ``recognize_passport``, ``recognize_car_plate``, ...)."""
from .mrz import FORMATS, MRZ_CHARS, MrzCheck, MrzData, check_digit, find_mrz_lines, parse_mrz

__all__ = ["FORMATS", "MRZ_CHARS", "MrzCheck", "MrzData", "check_digit", "find_mrz_lines", "parse_mrz"]
