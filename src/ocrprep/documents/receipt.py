"""Receipts and invoices: document-mode recognition with the preparation each needs."""
from __future__ import annotations

from .pagetext import prepare, read_text
from .result import DocumentResult

__all__ = ["read_receipt_page", "read_invoice_page"]

#: Receipt print is small: below this character height (pixels) the page is scaled up.
RECEIPT_MIN_CHAR = 22


def read_receipt_page(engine, img, settings) -> DocumentResult:
    """One receipt: straightened, background normalised (thermal paper fades unevenly),
    binarized, small print scaled up, read as one uniform block (``--psm 6``) so each
    item stays on one line with its price (the single-column mode, ``--psm 4``, splits
    the prices off into a column of their own: 25% of lines right vs 100% on generated
    receipts)."""
    page, skew = prepare(img, settings, normalize=True, min_char=RECEIPT_MIN_CHAR)
    result = DocumentResult.from_result(read_text(engine, page, settings, 6))
    result.skew = skew
    return result


def read_invoice_page(engine, img, settings) -> DocumentResult:
    """One invoice page: straightened and binarized, read with automatic page segmentation
    (``--psm 3``), which keeps the address blocks, the item table and the totals apart."""
    page, skew = prepare(img, settings, min_char=14)
    result = DocumentResult.from_result(read_text(engine, page, settings, 3))
    result.skew = skew
    return result
