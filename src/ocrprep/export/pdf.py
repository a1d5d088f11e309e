"""PDF through pikepdf: searchable (the page image under an invisible text layer) or text only.

Searchable PDF (``SaveFormat.PDF``)
    Each page is the recognised image at its resolution (``result.dpi``,
    300 when unknown), drawn full page: a binary page as a 1-bit CCITT G4
    image (lossless; an A4 300-dpi text page is 80-140 KB), a grey or colour
    page as :class:`PdfOptimizationMode` says (default ``MAXIMUM_QUALITY``:
    JPEG quality 90 at full resolution).  Over it, every recognised word is placed at
    its box in text rendering mode 3 (invisible), as Tesseract's PDF
    renderer does: font size = box height, horizontal scaling (``Tz``) so
    the word is exactly as wide as its box, and a space after each word but
    the last of its line so text extraction keeps the words apart.  The
    font is a glyphless TrueType (:mod:`._glyphless`) used as a CID font
    whose ``ToUnicode`` map gives back the recognised characters, so any
    script can be searched, selected and copied.

Text-only PDF (``SaveFormat.PDF_NO_IMG``)
    No image; the words are drawn visibly at their boxes in Courier (one of
    the 14 fonts every PDF reader has, so nothing is embedded), sized to
    the line's height and stretched to each word's width.  A word with a
    character Courier's WinAnsi encoding lacks (outside Western European
    scripts) is written with the invisible font instead: searchable and
    copyable, but not drawn.
"""
from __future__ import annotations

import io
from enum import IntEnum

from ..errors import InvalidParameterError
from . import _glyphless
from ._layout import dpi as page_dpi
from ._layout import page_size

#: Size of a page whose result has no image size (a failed page): A4 in points.
A4_POINTS = (595.28, 841.89)
MAX_PAGE_POINTS = 14400
# Courier's metrics (Adobe's AFM, per 1000 em): every glyph 600 wide, ascender 629, descender -157
_COURIER_ADVANCE = 0.6
_COURIER_ASCENT = 0.629
_COURIER_DESCENT = 0.157
_MAX_CID = 0xFFFE


class _Glyphs:
    """Character -> 2-byte CID code of the invisible font, shared by all pages of a document."""

    def __init__(self):
        self.cids: dict[str, int] = {}

    def encode(self, text: str) -> str:
        out = []
        for ch in text:
            cid = self.cids.get(ch)
            if cid is None:
                if len(self.cids) >= _MAX_CID:
                    ch = "\ufffd"  # 65534 distinct characters in one document: the rest read as U+FFFD
                    cid = self.cids.setdefault(ch, len(self.cids) + 1)
                else:
                    cid = self.cids[ch] = len(self.cids) + 1
            out.append(f"{cid:04X}")
        return "".join(out)

    def to_unicode(self) -> bytes:
        """The ``ToUnicode`` CMap: each CID back to its character (UTF-16BE, surrogates included)."""
        entries = sorted((cid, ch) for ch, cid in self.cids.items())
        lines = [
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
        ]
        for start in range(0, len(entries), 100):  # at most 100 mappings per block
            block = entries[start:start + 100]
            lines.append(f"{len(block)} beginbfchar")
            lines.extend(f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for cid, ch in block)
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")

    def cid_to_gid(self) -> bytes:
        """Every CID in use -> glyph 1 (the empty glyph); CID 0 -> .notdef."""
        return b"\0\0" + b"\0\1" * len(self.cids)


def _num(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def _invisible_words(result, scale: float, height_pt: float, glyphs: _Glyphs) -> list[str]:
    ops = []
    for line in result.recognition_lines_result:
        words = [w for w in line.words if w.text and w.box[2] > 0 and w.box[3] > 0]
        for i, word in enumerate(words):
            x, y, w, h = word.box
            size = h * scale
            text = word.text + (" " if i < len(words) - 1 else "")
            natural = len(word.text) * (_glyphless.ADVANCE / _glyphless.UNITS_PER_EM) * size
            stretch = 100.0 * (w * scale) / natural
            baseline = height_pt - (y + h) * scale - _glyphless.DESCENT / _glyphless.UNITS_PER_EM * size
            ops.append(
                f"/F1 {_num(size)} Tf {_num(stretch)} Tz 1 0 0 1 {_num(x * scale)} {_num(baseline)} Tm "
                f"<{glyphs.encode(text)}> Tj"
            )
    return ops


def _visible_words(result, scale: float, height_pt: float, glyphs: _Glyphs) -> list[str]:
    ops = []
    for line in result.recognition_lines_result:
        words = [w for w in line.words if w.text and w.box[2] > 0 and w.box[3] > 0]
        if not words:
            continue
        lx, ly, lw, lh = line.line
        if lh <= 0:
            ly = min(w.box[1] for w in words)
            lh = max(w.box[1] + w.box[3] for w in words) - ly
        size = lh * scale / (_COURIER_ASCENT + _COURIER_DESCENT)
        baseline = height_pt - (ly + lh) * scale + _COURIER_DESCENT * size
        for i, word in enumerate(words):
            x, _y, w, _h = word.box
            text = word.text + (" " if i < len(words) - 1 else "")
            try:
                code = text.encode("cp1252").hex().upper()
                font, mode, advance = "/F2", 0, _COURIER_ADVANCE
            except UnicodeEncodeError:
                code = glyphs.encode(text)
                font, mode, advance = "/F1", 3, _glyphless.ADVANCE / _glyphless.UNITS_PER_EM
            stretch = 100.0 * (w * scale) / (len(word.text) * advance * size)
            ops.append(
                f"{mode} Tr {font} {_num(size)} Tf {_num(stretch)} Tz 1 0 0 1 {_num(x * scale)} {_num(baseline)} Tm "
                f"<{code}> Tj"
            )
    return ops


def _g4(pil_bilevel) -> bytes:
    """CCITT Group 4 data of a mode-"1" image: Pillow's TIFF encoder, one strip, the strip cut out."""
    from PIL import Image

    w, h = pil_bilevel.size
    buf = io.BytesIO()
    pil_bilevel.save(buf, "TIFF", compression="group4", tiffinfo={278: h})  # RowsPerStrip = all rows
    tiff = Image.open(io.BytesIO(buf.getvalue()))
    offsets, counts = tiff.tag_v2[273], tiff.tag_v2[279]
    if len(offsets) != 1:
        raise RuntimeError("Pillow wrote a multi-strip G4 TIFF")  # would need one CCITT stream per strip
    return buf.getvalue()[offsets[0]:offsets[0] + counts[0]]


def _png_idat(pil) -> tuple[bytes, object]:
    """Lossless image data for a PDF: the zlib stream inside Pillow's PNG (its rows carry PNG
    predictors, which FlateDecode undoes with ``Predictor 15``) - smaller than plain Flate."""
    import pikepdf

    buf = io.BytesIO()
    pil.save(buf, "PNG", compress_level=6)
    png, pos, idat = buf.getvalue(), 8, []
    while pos < len(png):
        length = int.from_bytes(png[pos:pos + 4], "big")
        if png[pos + 4:pos + 8] == b"IDAT":
            idat.append(png[pos + 8:pos + 8 + length])
        pos += 12 + length
    colours = 3 if pil.mode == "RGB" else 1
    return b"".join(idat), pikepdf.Dictionary(Predictor=15, Colors=colours, BitsPerComponent=8, Columns=pil.size[0])


def _lossless_estimate(pil) -> float:
    """The lossless size of ``pil``, guessed from one band of 16 rows in eight."""
    from PIL import Image

    width, height = pil.size
    if height < 256:
        return float(len(_png_idat(pil)[0]))
    bands = [pil.crop((0, y, width, y + 16)) for y in range(0, height - 15, 128)]
    sample = Image.new(pil.mode, (width, 16 * len(bands)))
    for k, band in enumerate(bands):
        sample.paste(band, (0, 16 * k))
    return len(_png_idat(sample)[0]) * height / (16 * len(bands))


def _image_xobject(pdf, page_image, dpi: float, mode):
    import pikepdf

    width, height = page_image.size
    if page_image.binary:
        # Pillow's mode "1" is saved as BlackIsZero, and libtiff codes 0 bits (black here) as
        # CCITT "white" runs: BlackIs1 tells the decoder that the 1 bits are the black pixels
        stream = pikepdf.Stream(pdf, _g4(page_image.pil()))
        stream.Type = pikepdf.Name.XObject
        stream.Subtype = pikepdf.Name.Image
        stream.Width, stream.Height = width, height
        stream.ColorSpace = pikepdf.Name.DeviceGray
        stream.BitsPerComponent = 1
        stream.Filter = pikepdf.Name.CCITTFaxDecode
        stream.DecodeParms = pikepdf.Dictionary(K=-1, Columns=width, Rows=height, BlackIs1=True)
        return stream
    pil = page_image.pil()
    quality, max_dpi = mode.jpeg
    if max_dpi and dpi > max_dpi:
        from PIL import Image

        factor = max_dpi / dpi
        pil = pil.resize((max(1, round(width * factor)), max(1, round(height * factor))), Image.LANCZOS)
    jpeg = None
    if quality:
        buf = io.BytesIO()
        # at the highest quality the colour is kept at full resolution too (no 4:2:0 chroma subsampling)
        pil.save(buf, "JPEG", quality=quality, optimize=True, subsampling=0 if quality >= 90 else -1)
        jpeg = buf.getvalue()
    # a clean grey page (flat paper, few grey levels) is smaller lossless than as JPEG: at the
    # highest quality, take the lossless encoding when a sample of its rows says it is smaller
    if jpeg is None or (mode is PdfOptimizationMode.MAXIMUM_QUALITY and _lossless_estimate(pil) < 0.8 * len(jpeg)):
        data, parms = _png_idat(pil)
        if jpeg is None or len(data) < len(jpeg):
            stream = pikepdf.Stream(pdf, data)
            stream.Filter = pikepdf.Name.FlateDecode
            stream.DecodeParms = parms
            jpeg = None
    if jpeg is not None:
        stream = pikepdf.Stream(pdf, jpeg)
        stream.Filter = pikepdf.Name.DCTDecode
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = pil.size
    stream.ColorSpace = pikepdf.Name.DeviceRGB if pil.mode == "RGB" else pikepdf.Name.DeviceGray
    stream.BitsPerComponent = 8
    return stream


def _invisible_font(pdf, glyphs: _Glyphs):
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    data = _glyphless.font_bytes()
    font_file = pikepdf.Stream(pdf, data)
    font_file.Length1 = len(data)
    units = _glyphless.UNITS_PER_EM
    descriptor = pdf.make_indirect(Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/" + _glyphless.FONT_NAME), Flags=5,
        FontBBox=Array([0, _glyphless.DESCENT * 1000 // units, _glyphless.ADVANCE * 1000 // units,
                        _glyphless.ASCENT * 1000 // units]),
        ItalicAngle=0, Ascent=_glyphless.ASCENT * 1000 // units, Descent=_glyphless.DESCENT * 1000 // units,
        CapHeight=_glyphless.ASCENT * 1000 // units, StemV=80, FontFile2=font_file,
    ))
    cid_font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/" + _glyphless.FONT_NAME),
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                 Supplement=0),
        FontDescriptor=descriptor, DW=_glyphless.ADVANCE * 1000 // units,
        CIDToGIDMap=pikepdf.Stream(pdf, glyphs.cid_to_gid()),
    ))
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/" + _glyphless.FONT_NAME),
        Encoding=Name("/Identity-H"), DescendantFonts=Array([cid_font]),
        ToUnicode=pikepdf.Stream(pdf, glyphs.to_unicode()),
    ))


class PdfOptimizationMode(IntEnum):
    """How grey and colour page images are stored in a searchable PDF (Aspose.OCR's names and values).

    Binary pages are always 1-bit CCITT G4 (lossless and small).

    ===============  ==============================================
    NONE             lossless (PNG-predicted Flate), full resolution
    MAXIMUM_QUALITY  JPEG quality 90, full resolution (the default);
                     lossless instead when that is smaller (clean pages)
    HIGH_QUALITY     JPEG quality 85, at most 200 dpi
    BALANCED         JPEG quality 75, at most 150 dpi
    AGGRESSIVE       JPEG quality 60, at most 100 dpi
    ===============  ==============================================
    """

    NONE = 0
    MAXIMUM_QUALITY = 1
    HIGH_QUALITY = 2
    BALANCED = 3
    AGGRESSIVE = 4

    @classmethod
    def parse(cls, value) -> "PdfOptimizationMode":
        """A member from itself, its name (any case) or its value; ``None`` is ``MAXIMUM_QUALITY``."""
        if value is None:
            return cls.MAXIMUM_QUALITY
        if isinstance(value, cls):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return cls(value)
            except ValueError:
                raise InvalidParameterError(f"no PdfOptimizationMode has the value {value}") from None
        if isinstance(value, str) and value.strip().upper() in cls.__members__:
            return cls[value.strip().upper()]
        raise InvalidParameterError(
            f"optimize_pdf must be a PdfOptimizationMode ({', '.join(m.name for m in cls)}), got {value!r}"
        )

    @property
    def jpeg(self) -> tuple[int, int]:
        """(JPEG quality or 0 for lossless, highest resolution kept or 0 for any)."""
        return {0: (0, 0), 1: (90, 0), 2: (85, 200), 3: (75, 150), 4: (60, 100)}[int(self)]


def write(results, with_image: bool = True, optimize=None) -> bytes:
    """The pages as one PDF: searchable (``with_image``) or text only.

    ``optimize`` is a :class:`PdfOptimizationMode` for the grey and colour
    page images (default ``MAXIMUM_QUALITY``).  A page of a searchable PDF
    whose result has no ``page_image`` is written with its text drawn, as
    in the text-only PDF.

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep import RecognitionResult
    >>> from ocrprep.export._pageimage import PageImage
    >>> page = np.full((100, 200), 255, np.uint8)
    >>> r = RecognitionResult(recognition_text="", image_size=(200, 100))
    >>> r.page_image = PageImage(page)
    >>> write([r])[:5]                                        # doctest: +SKIP
    b'%PDF-'
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    mode = PdfOptimizationMode.parse(optimize)
    pdf = pikepdf.Pdf.new()
    glyphs = _Glyphs()
    pages = []
    for result in results:
        (width, height) = page_size(result)
        # PDF readers refuse pages over 200 inches (14400 points): a tiny dpi gets raised to stay within
        scale = min(72.0 / page_dpi(result), MAX_PAGE_POINTS / max(width, height, 1))
        if width > 0 and height > 0:
            size = (width * scale, height * scale)
        else:
            size = A4_POINTS
        image = getattr(result, "page_image", None) if with_image else None
        # a page whose image is not at hand (a result built by hand, or whose page_image was
        # dropped) gets its text drawn, as in PDF_NO_IMG, rather than an empty-looking page
        invisible = image is not None
        words = (_invisible_words if invisible else _visible_words)(result, scale, size[1], glyphs)
        pages.append((size, image, words, 72.0 / scale, invisible))
    fonts = Dictionary(F1=_invisible_font(pdf, glyphs))
    if not all(p[4] for p in pages):
        fonts.F2 = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Courier,
                                                Encoding=Name.WinAnsiEncoding))
    for (w_pt, h_pt), image, words, dpi, invisible in pages:
        resources = Dictionary(Font=fonts)
        content = []
        if image is not None:
            resources.XObject = Dictionary(Im0=pdf.make_indirect(_image_xobject(pdf, image, dpi, mode)))
            content.append(f"q {_num(w_pt)} 0 0 {_num(h_pt)} 0 0 cm /Im0 Do Q")
        if words:
            content.append("BT" + ("\n3 Tr" if invisible else ""))
            content.extend(words)
            content.append("ET")
        page = pikepdf.Page(pdf.make_indirect(Dictionary(
            Type=Name.Page, MediaBox=Array([0, 0, round(w_pt, 3), round(h_pt, 3)]),
            Resources=resources, Contents=pdf.make_indirect(pikepdf.Stream(pdf, "\n".join(content).encode("ascii"))),
        )))
        pdf.pages.append(page)
    pdf.docinfo[Name.Producer] = "ocrprep"
    pdf.docinfo[Name.Title] = "Recognised text"
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()
