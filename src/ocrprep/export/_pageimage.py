"""The page a result was read from, kept compactly for the writers that embed it (PDF)."""
from __future__ import annotations

import numpy as np

from ..io import is_binary


class PageImage:
    """The recognised page: 1 bit per pixel when it is binary, else a JPEG of it.

    A binarized A4 page at 300 dpi costs 1.1 MB here instead of 8.7 MB.  A
    grey or colour page is kept as a quality-95 JPEG without chroma
    subsampling (about 1-2 MB for an A4 colour page instead of 26 MB), so
    that ``recognize`` on a long colour document returns results whose
    memory stays small; the searchable PDF embeds that picture (visually
    the same page; not bit-exact, even with ``PdfOptimizationMode.NONE``).
    The word boxes of the result are in this image's pixel coordinates
    (after deskew and scaling), so a searchable PDF built from it lines up.

    Parameters
    ----------
    image : ndarray
        uint8, (H, W) or (H, W, 3).

    Examples
    --------
    >>> import numpy as np
    >>> page = np.full((4, 10), 255, np.uint8); page[1, 2] = 0
    >>> kept = PageImage(page)
    >>> kept.binary, kept.size, bool((kept.array() == page).all())
    (True, (10, 4), True)
    """

    __slots__ = ("binary", "shape", "_data")

    #: JPEG quality of the grey and colour pages kept (4:4:4, so colour ink keeps its edges)
    JPEG_QUALITY = 95

    def __init__(self, image: np.ndarray):
        self.shape = tuple(image.shape)
        self.binary = is_binary(image)
        if self.binary:
            # bit 1 = white, Pillow's mode "1" layout (rows padded to whole bytes)
            self._data = np.packbits(image > 127, axis=1)
        else:
            import io

            from PIL import Image

            buf = io.BytesIO()
            Image.fromarray(np.ascontiguousarray(image)).save(buf, "JPEG", quality=self.JPEG_QUALITY, subsampling=0)
            self._data = buf.getvalue()

    @property
    def nbytes(self) -> int:
        """The memory the kept page takes."""
        return len(self._data) if isinstance(self._data, bytes) else self._data.nbytes

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.shape[1], self.shape[0]

    def array(self) -> np.ndarray:
        """The page as a uint8 array (0/255 for a binary page)."""
        if not self.binary:
            return np.asarray(self.pil())
        bits = np.unpackbits(self._data, axis=1, count=self.shape[1])
        return (bits * np.uint8(255)).astype(np.uint8, copy=False)

    def pil(self):
        """A Pillow image: mode ``"1"`` for a binary page, ``"L"`` or ``"RGB"`` otherwise."""
        from PIL import Image

        if self.binary:
            return Image.frombytes("1", self.size, self._data.tobytes())
        import io

        pil = Image.open(io.BytesIO(self._data))
        pil.load()
        return pil

    def __repr__(self):
        kind = "binary" if self.binary else ("colour" if len(self.shape) == 3 else "grey")
        return f"PageImage({self.size[0]}x{self.size[1]}, {kind})"
