"""JPEG scan bombs: a progressive JPEG with thousands of scans is refused from its markers.

The files are made by Pillow (progressive=True) and then rewritten: the last
scan (an AC refinement scan: its header and entropy-coded data) repeated many
times, as in the 836 KB, 64-megapixel, 5000-scan file of issue 10 that took
libjpeg 38 s to decode.
"""
import io
import struct

import numpy as np
import pytest
from PIL import Image

import ocrprep
import ocrprep.io as oio
from ocrprep._jpeg import scan_count
from ocrprep.errors import DecompressionBombError


def progressive_jpeg(img: np.ndarray, **kw) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", progressive=True, quality=90, **kw)
    return buf.getvalue()


def segments(data: bytes) -> list[tuple[int, int]]:
    """(offset, end) of every marker segment of a JPEG written by Pillow; a scan's entropy-coded
    data belongs to its SOS segment (independent of ocrprep._jpeg: a plain byte walk)."""
    out, pos = [], 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        if marker == 0xD9:
            out.append((pos, pos + 2))
            break
        end = pos + 2 + struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if marker == 0xDA:  # entropy data: up to the next 0xFF not followed by 0x00 or RSTn
            while not (data[end] == 0xFF and data[end + 1] not in (0x00, *range(0xD0, 0xD8))):
                end += 1
        out.append((pos, end))
        pos = end
    return out


def with_scans(data: bytes, total: int) -> bytes:
    """``data`` with its last scan repeated until the file has ``total`` scans."""
    segs = segments(data)
    scans = [(a, b) for a, b in segs if data[a + 1] == 0xDA]
    a, b = scans[-1]
    extra = data[a:b] * (total - len(scans))
    return data[:b] + extra + data[b:]


@pytest.fixture
def page(rng):
    img = np.full((96, 128), 230, np.uint8)
    img[20:70:6, 10:118] = rng.integers(0, 80, (9, 108), dtype=np.uint8)
    return img


def test_scan_count_matches_a_plain_byte_walk(page, rng):
    grey = progressive_jpeg(page)
    colour = progressive_jpeg(np.dstack([page, page[::-1], 255 - page]))
    baseline = io.BytesIO()
    Image.fromarray(page).save(baseline, "JPEG", quality=90)
    for data in (grey, colour, baseline.getvalue(), with_scans(grey, 300)):
        want = sum(1 for a, _b in segments(data) if data[a + 1] == 0xDA)
        assert scan_count(data) == want
    assert scan_count(grey) == 6 and scan_count(colour) == 10  # libjpeg's standard progressive scripts
    assert scan_count(baseline.getvalue()) == 1
    assert scan_count(with_scans(grey, 5000), limit=256) == 257  # stops at the first scan over the limit


def test_thumbnail_scans_are_not_counted(page):
    thumb = io.BytesIO()
    Image.fromarray(page[::4, ::4]).save(thumb, "JPEG", progressive=True)
    exif = Image.Exif()
    exif[0x010E] = "scan"  # ImageDescription
    raw = exif.tobytes()
    # an APP1 segment whose payload holds a whole progressive JPEG: skipped by its length
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + len(raw) + len(thumb.getvalue())) + raw + thumb.getvalue()
    data = progressive_jpeg(page)
    data = data[:2] + app1 + data[2:]
    assert scan_count(data) == 6
    assert ocrprep.imread(data).shape == page.shape


def test_scan_bomb_is_refused_before_decoding(page, tmp_path):
    bomb = with_scans(progressive_jpeg(page), 5000)
    for source in (bomb, io.BytesIO(bomb)):
        with pytest.raises(DecompressionBombError, match="more than 256 scans"):
            ocrprep.imread(source)
    path = tmp_path / "bomb.jpg"
    path.write_bytes(bomb)
    with pytest.raises(DecompressionBombError, match="bomb.jpg"):
        ocrprep.imread(path)
    items = list(oio.iter_pages(tmp_path, on_error="yield"))
    assert len(items) == 1 and isinstance(items[0].error, DecompressionBombError)


def test_files_within_the_limit_decode_as_before(page, monkeypatch):
    data = progressive_jpeg(page)
    ref = np.asarray(Image.open(io.BytesIO(data)))  # the oracle: Pillow decoding directly
    np.testing.assert_array_equal(ocrprep.imread(data), ref)
    many = with_scans(data, 300)
    with pytest.raises(DecompressionBombError):
        ocrprep.imread(many)
    monkeypatch.setattr(oio, "JPEG_MAX_SCANS", 300)
    assert ocrprep.imread(many).shape == page.shape  # the limit is configurable
    monkeypatch.setattr(oio, "JPEG_MAX_SCANS", 5)
    with pytest.raises(DecompressionBombError, match="more than 5 scans"):
        ocrprep.imread(data)


def test_damaged_markers_leave_the_verdict_to_the_decoder(page):
    data = progressive_jpeg(page)
    assert scan_count(data[: len(data) // 2]) <= 6  # truncated: counts what is there
    assert scan_count(b"\xff\xd8\xff\xe0\x00") == 0
    assert scan_count(b"not a jpeg") == 0
    with pytest.raises(ocrprep.OcrprepError):
        ocrprep.imread(data[:40])
