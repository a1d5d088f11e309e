"""Aspose.OCR's special recognisers as methods of :class:`~ocrprep.OcrEngine` (a mixin).

Each method takes what Aspose's takes -- an :class:`~ocrprep.OcrInput`
(or a bare path, array, ...) and the matching settings object -- and
returns one :class:`DocumentResult` per page, in order, like
:meth:`~ocrprep.OcrEngine.recognize`.  A page that fails does not stop the
others: its result carries the ``error`` and an
:class:`~ocrprep.OcrprepWarning` names it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ParameterTypeError, TesseractNotFoundError
from .settings import (
    CarPlateRecognitionSettings,
    DocumentRecognitionSettings,
    IDCardRecognitionSettings,
    InvoiceRecognitionSettings,
    PassportRecognitionSettings,
    ReceiptRecognitionSettings,
)

if TYPE_CHECKING:  # pragma: no cover
    from .result import DocumentResult

__all__ = ["DocumentRecognitionMixin"]


def _check_settings(settings, cls):
    if settings is None:
        return cls()
    if not isinstance(settings, DocumentRecognitionSettings):
        raise ParameterTypeError(
            f"settings must be a {cls.__name__}, got {type(settings).__name__}; e.g. {cls.__name__}()"
        )
    return settings


class DocumentRecognitionMixin:
    """The document recognisers of :class:`~ocrprep.OcrEngine` (Aspose's ``AsposeOcr`` methods)."""

    # ------------------------------------------------------------------ shared loop
    def _recognize_documents(self, input, settings: DocumentRecognitionSettings, kind: str, page_fn):
        # imported here: ocr.py imports this module to build OcrEngine
        from .. import ocr as _ocr
        from ..filters import PreprocessingFilter
        from ..inputs import bounded_map, warn_page_error
        from ..io import PageError
        from .result import DocumentResult

        _version, installed = _ocr._check_tesseract(self.tesseract_cmd)
        _ocr._check_languages(settings.resolved_language(), installed)
        extra = PreprocessingFilter.from_spec(settings.preprocessing_filters)
        doc = self._as_input(input)
        _ocr._limit_tesseract_threads()

        def job(item):
            if isinstance(item, PageError):
                return DocumentResult(source=item.source, page=item.page or 1, warnings=[str(item.error)],
                                      error=item.error, document_kind=kind)
            try:
                page = doc.process(item)
                img = extra.apply(page.image) if len(extra) else page.image
                result = page_fn(self, img, settings)
            except TesseractNotFoundError:
                raise
            except Exception as exc:  # reported in this page's result; the other pages go on
                return DocumentResult(source=item.source, page=item.page, page_count=item.pages,
                                      warnings=[str(exc)], error=exc, document_kind=kind)
            result.document_kind = kind
            result.source, result.page, result.page_count = page.source, page.page, page.pages
            if getattr(result, "page_image", None) is None:
                # built from the page itself (plates, street photos): the boxes refer to it
                from ..export._pageimage import PageImage

                result.page_image = PageImage(page.image)
                result.image_size = (page.image.shape[1], page.image.shape[0])
            return result

        results = list(bounded_map(job, doc.raw_pages("yield"), settings.threads()))
        for r in results:
            if r.error is not None:
                pg = r.page if (r.page_count or 1) > 1 or r.page > 1 else None
                warn_page_error(r.source, pg, r.error, "page not recognised", stacklevel=3)
        return results

    # ------------------------------------------------------------------ Aspose's methods
    def recognize_passport(self, input, settings: PassportRecognitionSettings | None = None) -> list["DocumentResult"]:
        """Read passports: the machine-readable zone parsed and verified, and the page's text.

        Parameters
        ----------
        input : OcrInput, or a path / bytes / ndarray / PIL image / URL
        settings : PassportRecognitionSettings, optional

        Returns
        -------
        list of DocumentResult
            One per page.  ``mrz`` holds the zone's fields and check digits
            (``mrz.valid``: all verify) and ``fields`` the same as a dict;
            ``recognition_text`` is the page's text with the repaired MRZ
            lines last.

        Notes
        -----
        Aspose uses a dedicated neural model.  ocrprep finds the MRZ by its
        shape (ocrprep's morphology and components), straightens and reads
        it with Tesseract restricted to the MRZ alphabet on a fixed-pitch
        grid, and repairs OCR confusions with the ICAO 9303 field types and
        check digits.  Pages in any quarter-turn orientation and skewed up
        to about 15 degrees are handled.  Measured on generated TD3 pages
        (``benchmarks/mrz_accuracy.py``): see BENCHMARKS.md.  Names carry
        no check digit: a misread letter in a name cannot be detected.
        """
        from .passport import read_passport_page

        settings = _check_settings(settings, PassportRecognitionSettings)
        return self._recognize_documents(input, settings, "passport", read_passport_page)

    def recognize_id_card(self, input, settings: IDCardRecognitionSettings | None = None) -> list["DocumentResult"]:
        """Read ID cards: the text of the card and, when it has one, its machine-readable zone
        (TD1, three lines of 30, or TD2) parsed and verified.

        Notes
        -----
        Aspose uses a dedicated model.  ocrprep reads the card's text with
        Tesseract's sparse-text segmentation (card fields are scattered
        labels and values) after straightening, and the MRZ as
        :meth:`recognize_passport` does.  Field names other than the MRZ's
        are not extracted: the card layout varies by country.
        """
        from .passport import read_id_card_page

        settings = _check_settings(settings, IDCardRecognitionSettings)
        return self._recognize_documents(input, settings, "id_card", read_id_card_page)

    def recognize_car_plate(self, input, settings: CarPlateRecognitionSettings | None = None) -> list["DocumentResult"]:
        """Read vehicle licence plates in photos.

        Returns
        -------
        list of DocumentResult
            ``recognition_text``: one plate per line; ``fields["plates"]``
            the same list; ``recognition_areas_rectangles`` the plate boxes.

        Notes
        -----
        Aspose uses a dedicated model.  ocrprep looks for plate-like
        regions: light (or dark) rectangles of plate proportions holding a
        row of 4-10 dark characters of one height, found with ocrprep's
        binarization and components in both polarities, and reads each with
        Tesseract in single-line mode and a plate alphabet.  Expect good
        results on frontal plates whose characters are at least ~20 pixels
        high; oblique views, dirt and stylised plates are beyond it.
        """
        from .car_plate import read_car_plate_page

        settings = _check_settings(settings, CarPlateRecognitionSettings)
        return self._recognize_documents(input, settings, "car_plate", read_car_plate_page)

    def recognize_receipt(self, input, settings: ReceiptRecognitionSettings | None = None) -> list["DocumentResult"]:
        """Read receipts: one column of short lines, often small, faint thermal print.

        Notes
        -----
        Aspose uses a dedicated model.  ocrprep straightens the receipt,
        normalises its uneven background and binarizes it with ocrprep's
        automatic binarizer, scales small print up, and reads it with
        Tesseract's uniform-block segmentation, which keeps each item on
        one line with its price.
        """
        from .receipt import read_receipt_page

        settings = _check_settings(settings, ReceiptRecognitionSettings)
        return self._recognize_documents(input, settings, "receipt", read_receipt_page)

    def recognize_invoice(self, input, settings: InvoiceRecognitionSettings | None = None) -> list["DocumentResult"]:
        """Read invoices: a page of blocks (addresses, item table, totals).

        Notes
        -----
        Aspose uses a dedicated model.  ocrprep straightens and binarizes
        the page and reads it with Tesseract's automatic page
        segmentation, which keeps blocks apart; no field extraction.
        """
        from .receipt import read_invoice_page

        settings = _check_settings(settings, InvoiceRecognitionSettings)
        return self._recognize_documents(input, settings, "invoice", read_invoice_page)

    def recognize_handwritten_text(self, input, settings=None) -> list["DocumentResult"]:
        """Read handwriting (upper-cased, as Aspose returns it).

        Notes
        -----
        Aspose uses a dedicated handwriting model.  Tesseract's English
        model is trained on print: ocrprep gives it the best chance
        (background normalisation, automatic binarization, joined strokes
        kept, uniform-block segmentation) but expect only neat, well-spaced
        block capitals to come out right; cursive is mostly misread.
        """
        from .handwritten import read_handwritten_page

        settings = _check_settings(settings, DocumentRecognitionSettings)
        return self._recognize_documents(input, settings, "handwritten", read_handwritten_page)

    def recognize_street_photo(self, input, settings=None) -> list["DocumentResult"]:
        """Read the sparse text of street photos: signs, shop fronts, price tags.

        Notes
        -----
        Aspose uses a dedicated scene-text model.  ocrprep finds text-like
        regions (rows of similar-height components) in the grey image and
        in each colour channel, both polarities, and reads the photo with
        Tesseract's sparse-text segmentation on the light-on-dark and
        dark-on-light versions, keeping confident words.  Expect large,
        high-contrast, roughly horizontal text; small or curved text in
        clutter is often missed.
        """
        from .street_photo import read_street_photo_page

        settings = _check_settings(settings, DocumentRecognitionSettings)
        return self._recognize_documents(input, settings, "street_photo", read_street_photo_page)
