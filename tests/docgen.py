"""Generated identity documents and scenes with known content, for the document recogniser tests.

Passport data pages (TD3), ID cards (TD1) and car plates are drawn with the
DejaVu fonts (the MRZ in DejaVu Sans Mono, standing in for OCR-B).  The
check digits are computed here by an implementation independent of
``ocrprep.documents.mrz`` (a lookup string, written from ICAO 9303's rule),
so a test never checks the package against itself.
"""
from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
MONO = FONT_DIR + "DejaVuSansMono.ttf"
SANS = FONT_DIR + "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR + "DejaVuSans-Bold.ttf"
MONO_BOLD = FONT_DIR + "DejaVuSansMono-Bold.ttf"

_ORDER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def icao_check(s: str) -> str:
    """ICAO 9303 check digit (the oracle): '<' is 0, 0-9 and A-Z their index in _ORDER."""
    total = 0
    weights = [7, 3, 1]
    for i, c in enumerate(s):
        total += (0 if c == "<" else _ORDER.index(c)) * weights[i % 3]
    return str(total % 10)


def font(path: str, size: int):
    return ImageFont.truetype(path, size)


SYLLABLES = ["AN", "BER", "CA", "DO", "EL", "FI", "GAR", "HO", "IN", "JO", "KA", "LU", "MAR", "NE", "OS",
             "PE", "QUI", "RO", "SA", "TE", "UL", "VI", "WEN", "XA", "YO", "ZE", "LIN", "SON", "TRA", "MI"]
COUNTRIES = ["UTO", "D<<", "FRA", "GBR", "USA", "ITA", "ESP", "NLD", "POL", "SWE", "CAN", "AUS", "JPN", "BRA"]


def random_name(rng, parts=(2, 4)) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(int(rng.integers(*parts))))


def random_date(rng, start: int, end: int) -> str:
    d = dt.date(start, 1, 1) + dt.timedelta(days=int(rng.integers(0, (end - start) * 365)))
    return d.strftime("%y%m%d")


@dataclass
class Identity:
    doc_type: str
    country: str
    surname: str
    given: list
    number: str
    nationality: str
    birth: str
    sex: str
    expiry: str
    optional: str = ""
    optional2: str = field(default="")

    @property
    def given_names(self) -> str:
        return " ".join(self.given)


def random_identity(rng, doc_type="P") -> Identity:
    alnum = string.ascii_uppercase + string.digits
    n = int(rng.integers(7, 10))
    number = "".join(rng.choice(list(alnum)) for _ in range(n))
    optional = "".join(rng.choice(list(string.digits)) for _ in range(int(rng.integers(0, 12))))
    return Identity(
        doc_type=doc_type,
        country=str(rng.choice(COUNTRIES)),
        surname=random_name(rng),
        given=[random_name(rng) for _ in range(int(rng.integers(1, 3)))],
        number=number,
        nationality=str(rng.choice(COUNTRIES)),
        birth=random_date(rng, 1940, 2005),
        sex=str(rng.choice(["M", "F"])),
        expiry=random_date(rng, 2025, 2035),
        optional=optional,
    )


def pad(s: str, n: int) -> str:
    assert len(s) <= n, (s, n)
    return s + "<" * (n - len(s))


def names_field(ident: Identity, n: int) -> str:
    return pad(ident.surname + "<<" + "<".join(ident.given), n)


def td3_lines(ident: Identity) -> list:
    l1 = pad(ident.doc_type, 2) + ident.country + names_field(ident, 39)
    number = pad(ident.number, 9)
    opt = pad(ident.optional, 14)
    opt_check = icao_check(opt) if ident.optional else "<"
    head = number + icao_check(number) + ident.nationality + ident.birth + icao_check(ident.birth) + ident.sex
    tail = ident.expiry + icao_check(ident.expiry) + opt + opt_check
    composite = icao_check(number + icao_check(number) + ident.birth + icao_check(ident.birth) + tail)
    l2 = head + tail + composite
    assert len(l1) == len(l2) == 44
    return [l1, l2]


def td1_lines(ident: Identity) -> list:
    number = pad(ident.number, 9)
    l1 = pad(ident.doc_type, 2) + ident.country + number + icao_check(number) + pad(ident.optional[:15], 15)
    upper = l1[5:30]
    mid = ident.birth + icao_check(ident.birth) + ident.sex + ident.expiry + icao_check(ident.expiry)
    opt2 = pad(ident.optional2, 11)
    composite = icao_check(upper + ident.birth + icao_check(ident.birth) + ident.expiry
                           + icao_check(ident.expiry) + opt2)
    l2 = mid + ident.nationality + opt2 + composite
    l3 = names_field(ident, 30)
    assert len(l1) == len(l2) == len(l3) == 30
    return [l1, l2, l3]


def _background(rng, w, h, tint):
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.empty((h, w, 3), np.float64)
    for c in range(3):
        base[..., c] = tint[c]
    # light guilloche-like security pattern
    pattern = 10 * np.sin(xx / 23.0 + 3 * np.sin(yy / 41.0)) * np.cos(yy / 17.0)
    return np.clip(base + pattern[..., None], 0, 255).astype(np.uint8)


def _date_text(yymmdd: str) -> str:
    yy = int(yymmdd[:2])
    year = 2000 + yy if yy < 30 else 1900 + yy
    return f"{yymmdd[4:]}.{yymmdd[2:4]}.{year}"


def passport_page(ident: Identity, rng=None, width: int = 1500) -> np.ndarray:
    """An RGB passport data page (TD3, 125 x 88 mm scale) with its MRZ at the bottom."""
    rng = rng or np.random.default_rng(0)
    h = int(width * 88 / 125)
    img = Image.fromarray(_background(rng, width, h, (236, 226, 240)))
    d = ImageDraw.Draw(img)
    s = width / 1500
    d.text((int(40 * s), int(30 * s)), "PASSPORT  PASSEPORT  UTOPIA", font=font(SANS_BOLD, int(40 * s)), fill=(60, 40, 90))
    # photo box
    px0, py0, px1, py1 = int(60 * s), int(110 * s), int(420 * s), int(580 * s)
    d.rectangle((px0, py0, px1, py1), fill=(190, 190, 200), outline=(80, 80, 90), width=3)
    d.ellipse((px0 + 90 * s, py0 + 60 * s, px1 - 90 * s, py1 - 150 * s), fill=(150, 130, 120))
    d.rectangle((px0 + 40 * s, py1 - 140 * s, px1 - 40 * s, py1), fill=(90, 90, 110))
    label, value = font(SANS, int(22 * s)), font(SANS_BOLD, int(32 * s))
    rows = [("Type / Type", ident.doc_type), ("Surname / Nom", ident.surname), ("Given names / Prenoms", ident.given_names),
            ("Nationality / Nationalite", ident.nationality.replace("<", "")),
            ("Date of birth / Date de naissance", _date_text(ident.birth)), ("Sex / Sexe", ident.sex),
            ("Date of expiry / Date d'expiration", _date_text(ident.expiry)),
            ("Passport No. / No. du passeport", ident.number)]
    x, y = int(470 * s), int(110 * s)
    for i, (lab, val) in enumerate(rows):
        col = x + (i % 2) * int(480 * s)
        row = y + (i // 2) * int(115 * s)
        d.text((col, row), lab, font=label, fill=(70, 60, 90))
        d.text((col, row + int(30 * s)), val, font=value, fill=(20, 20, 30))
    mono = font(MONO, int(50 * s))
    lines = td3_lines(ident)
    for i, line in enumerate(lines):
        d.text((int(55 * s), h - int(190 * s) + i * int(75 * s)), line, font=mono, fill=(15, 15, 20))
    return np.asarray(img)


def id_card(ident: Identity, rng=None, width: int = 1200) -> np.ndarray:
    """An RGB ID card back (TD1, 85.6 x 54 mm scale) with a three-line MRZ."""
    rng = rng or np.random.default_rng(0)
    h = int(width * 54 / 85.6)
    img = Image.fromarray(_background(rng, width, h, (225, 236, 230)))
    d = ImageDraw.Draw(img)
    s = width / 1200
    d.text((int(40 * s), int(30 * s)), "IDENTITY CARD  UTOPIA", font=font(SANS_BOLD, int(36 * s)), fill=(30, 70, 60))
    d.text((int(40 * s), int(90 * s)), f"Address: {random_name(rng)} street {int(rng.integers(1, 99))}",
           font=font(SANS, int(26 * s)), fill=(40, 50, 50))
    d.text((int(40 * s), int(130 * s)), f"Height: 1{int(rng.integers(50, 99))} cm", font=font(SANS, int(26 * s)), fill=(40, 50, 50))
    mono = font(MONO, int(58 * s))
    for i, line in enumerate(td1_lines(ident)):
        d.text((int(50 * s), h - int(300 * s) + i * int(88 * s)), line, font=mono, fill=(15, 15, 20))
    return np.asarray(img)


def photograph(img: np.ndarray, rng, angle: float = 3.0, noise: float = 12.0, blur: float = 0.8,
               margin: float = 0.08) -> np.ndarray:
    """The document lying on a darker table, photographed: rotated, blurred, unevenly lit, noisy."""
    h, w = img.shape[:2]
    mh, mw = int(h * margin), int(w * margin)
    canvas = Image.new("RGB", (w + 2 * mw, h + 2 * mh), (70, 62, 55))
    canvas.paste(Image.fromarray(img), (mw, mh))
    canvas = canvas.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(70, 62, 55))
    if blur:
        canvas = canvas.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(canvas).astype(np.float64)
    hh, ww = a.shape[:2]
    yy, xx = np.mgrid[0:hh, 0:ww]
    light = 0.85 + 0.15 * (xx / ww) * (1 - 0.5 * yy / hh)
    a = a * light[..., None] + rng.normal(0, noise, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


PLATE_CHARS = string.ascii_uppercase.replace("I", "").replace("O", "").replace("Q", "")


def random_plate(rng) -> str:
    letters = lambda n: "".join(rng.choice(list(PLATE_CHARS)) for _ in range(n))  # noqa: E731
    digits = "".join(rng.choice(list(string.digits)) for _ in range(3))
    return f"{letters(2)}-{digits}-{letters(2)}"


def car_scene(plate: str, rng, size=(1280, 720), noise: float = 6.0) -> np.ndarray:
    """A car's rear in a street: sky, road, a coloured body, lights, and a white plate with ``plate``."""
    w, h = size
    img = Image.new("RGB", size, (150, 170, 200))
    d = ImageDraw.Draw(img)
    d.rectangle((0, int(h * 0.6), w, h), fill=(80, 80, 85))                      # road
    for i in range(0, w, 160):                                                      # lane marks
        d.rectangle((i, int(h * 0.9), i + 80, int(h * 0.92)), fill=(220, 220, 220))
    d.rectangle((int(w * 0.05), int(h * 0.1), int(w * 0.2), int(h * 0.55)), fill=(120, 110, 100))  # a building
    d.text((int(w * 0.06), int(h * 0.12)), "CAFE", font=font(SANS_BOLD, 40), fill=(240, 230, 200))
    color = tuple(int(c) for c in rng.integers(20, 200, 3))
    bx0, by0, bx1, by1 = int(w * 0.25), int(h * 0.25), int(w * 0.75), int(h * 0.85)
    d.rounded_rectangle((bx0, by0, bx1, by1), radius=40, fill=color)               # the car's rear
    d.rectangle((bx0 + 40, by0 + 40, bx1 - 40, by0 + 170), fill=(40, 50, 60))      # rear window
    d.rectangle((bx0 + 20, by0 + 220, bx0 + 130, by0 + 270), fill=(200, 30, 30))   # lights
    d.rectangle((bx1 - 130, by0 + 220, bx1 - 20, by0 + 270), fill=(200, 30, 30))
    pf = font(SANS_BOLD, 56)
    tw = d.textlength(plate, font=pf)
    pw, ph = int(tw + 60), 86
    px0 = (bx0 + bx1) // 2 - pw // 2
    py0 = by0 + 300
    d.rectangle((px0, py0, px0 + pw, py0 + ph), fill=(245, 245, 240), outline=(10, 10, 10), width=4)
    d.rectangle((px0 + 4, py0 + 4, px0 + 24, py0 + ph - 4), fill=(20, 50, 160))     # EU band
    d.text((px0 + 36, py0 + 12), plate, font=pf, fill=(15, 15, 15))
    a = np.asarray(img.filter(ImageFilter.GaussianBlur(0.7))).astype(np.float64)
    a += rng.normal(0, noise, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- #
# receipts, invoices, block-capital "handwriting", street scenes
# --------------------------------------------------------------------------- #
GROCERIES = ["MILK", "BREAD", "BUTTER", "CHEESE", "APPLES", "COFFEE", "SUGAR", "RICE", "PASTA", "TOMATOES",
             "ORANGES", "YOGURT", "HONEY", "SALT", "FLOUR", "EGGS", "TEA", "JUICE", "SOAP", "CEREAL"]


def receipt(rng, n_items: int = 8, width: int = 640, size: int = 26):
    """A till receipt (thermal-paper grey, fading to one side): returns (RGB image, lines of text)."""
    items = [str(x) for x in rng.choice(GROCERIES, n_items, replace=False)]
    prices = [f"{rng.integers(1, 30)}.{rng.integers(0, 100):02d}" for _ in items]
    total = sum(float(p) for p in prices)
    lines = ["SUPERMART STORE 42", "12 HIGH STREET", ""]
    cols = (width - 80) // int(size * 0.6)
    for item, price in zip(items, prices):
        lines.append(item + " " * (cols - len(item) - len(price)) + price)
    lines += ["", "TOTAL" + " " * (cols - 5 - len(f"{total:.2f}")) + f"{total:.2f}", "THANK YOU"]
    h = 80 + len(lines) * int(size * 1.5)
    img = Image.new("L", (width, h), 240)
    d = ImageDraw.Draw(img)
    f = font(MONO, size)
    for i, line in enumerate(lines):
        d.text((40, 40 + i * int(size * 1.5)), line, font=f, fill=40)
    a = np.asarray(img).astype(np.float64)
    fade = np.linspace(0, 70, width)[None, :]           # thermal print fading towards the right
    a = np.where(a < 128, a + fade, a - fade * 0.2)
    a += rng.normal(0, 5, a.shape)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).rotate(1.5, resample=Image.BICUBIC, expand=True, fillcolor=235)
    return np.asarray(out.convert("RGB")), [ln for ln in lines if ln.strip()]


def invoice(rng, width: int = 1650):
    """An invoice page: sender block, client block, item table, totals.  Returns (image, words)."""
    h = int(width * 1.3)
    img = Image.new("L", (width, h), 255)
    d = ImageDraw.Draw(img)
    big, reg, bold = font(SANS_BOLD, 56), font(SANS, 30), font(SANS_BOLD, 30)
    number = int(rng.integers(10000, 99999))
    d.text((100, 80), "INVOICE", font=big, fill=0)
    d.text((100, 170), f"Invoice number {number}", font=reg, fill=0)
    d.text((100, 215), "Date 14 March 2025", font=reg, fill=0)
    d.text((1000, 80), "Acme Widgets Limited", font=bold, fill=0)
    d.text((1000, 125), "7 Harbour Road", font=reg, fill=0)
    d.text((1000, 170), "Bristol", font=reg, fill=0)
    d.text((100, 330), "Bill to", font=bold, fill=0)
    d.text((100, 375), "Northwind Traders", font=reg, fill=0)
    d.text((100, 420), "21 Market Square", font=reg, fill=0)
    y = 560
    d.text((100, y), "Description", font=bold, fill=0)
    d.text((1000, y), "Quantity", font=bold, fill=0)
    d.text((1300, y), "Amount", font=bold, fill=0)
    d.line((100, y + 50, width - 100, y + 50), fill=0, width=3)
    total = 0.0
    goods = ["Copper wire", "Steel bolts", "Rubber seals", "Brass hinges", "Plastic tubes"]
    for i, item in enumerate(goods):
        qty = int(rng.integers(1, 20))
        amount = qty * float(rng.integers(2, 90))
        total += amount
        yy = y + 80 + i * 60
        d.text((100, yy), item, font=reg, fill=0)
        d.text((1000, yy), str(qty), font=reg, fill=0)
        d.text((1300, yy), f"{amount:.2f}", font=reg, fill=0)
    yy = y + 80 + len(goods) * 60 + 40
    d.line((1000, yy, width - 100, yy), fill=0, width=3)
    d.text((1000, yy + 30), "Total", font=bold, fill=0)
    d.text((1300, yy + 30), f"{total:.2f}", font=bold, fill=0)
    d.text((100, h - 200), "Payment within thirty days", font=reg, fill=0)
    words = ["INVOICE", str(number), "Acme", "Widgets", "Limited", "Harbour", "Road", "Bristol", "Northwind", "Traders",
             "Market", "Square", "Description", "Quantity", "Amount", "Total", "Payment", "within", "thirty", "days"]
    words += [w for g in goods for w in g.split()]
    return np.asarray(img), words


def block_capitals(text_lines, rng, size: int = 64):
    """Neat hand-printed capitals, imitated: every letter drawn on its own with its own slant,
    size, stroke weight and baseline.  Returns a grey page."""
    w = 160 + max(len(t) for t in text_lines) * int(size * 0.85)
    h = 120 + len(text_lines) * int(size * 1.8)
    img = Image.new("L", (w, h), 250)
    for li, line in enumerate(text_lines):
        x = 80
        for ch in line:
            if ch == " ":
                x += int(size * 0.55)
                continue
            s = int(size * rng.uniform(0.9, 1.1))
            f = font(SANS_BOLD if rng.random() < 0.5 else SANS, s)
            glyph = Image.new("L", (s * 2, s * 2), 0)
            ImageDraw.Draw(glyph).text((s // 2, s // 3), ch, font=f, fill=255)
            glyph = glyph.rotate(float(rng.uniform(-7, 7)), resample=Image.BICUBIC)
            y = 60 + li * int(size * 1.8) + int(rng.normal(0, size * 0.05))
            img.paste(Image.new("L", glyph.size, int(rng.integers(20, 70))), (x - s // 2, y - s // 3), glyph)
            x += int(f.getlength(ch) + size * rng.uniform(0.08, 0.2))
    return np.asarray(img.filter(ImageFilter.GaussianBlur(0.6)))


def street_scene(rng, size=(1400, 900)):
    """A street: sky, a facade with a red shop sign, a green street sign and a yellow poster.
    Returns (RGB image, the words on the signs)."""
    w, h = size
    img = Image.new("RGB", size, (170, 190, 215))
    d = ImageDraw.Draw(img)
    d.rectangle((0, int(h * 0.25), w, h), fill=(150, 120, 100))             # facade
    d.rectangle((0, int(h * 0.85), w, h), fill=(90, 90, 95))               # pavement
    for i in range(6):                                                      # windows
        x = 80 + i * 220
        d.rectangle((x, int(h * 0.55), x + 140, int(h * 0.8)), fill=(60, 70, 90))
    d.rectangle((120, int(h * 0.3), 820, int(h * 0.45)), fill=(170, 30, 30))
    d.text((160, int(h * 0.3) + 22), "BAKERY", font=font(SANS_BOLD, 90), fill=(250, 245, 235))
    d.rectangle((880, int(h * 0.08), 1380, int(h * 0.2)), fill=(20, 110, 60), outline=(240, 240, 240), width=5)
    d.text((915, int(h * 0.08) + 22), "MAIN STREET", font=font(SANS_BOLD, 52), fill=(245, 245, 245))
    d.rectangle((960, int(h * 0.3), 1300, int(h * 0.47)), fill=(240, 210, 40))
    d.text((990, int(h * 0.3) + 12), "OPEN", font=font(SANS_BOLD, 64), fill=(20, 20, 20))
    d.text((990, int(h * 0.3) + 88), "DAILY", font=font(SANS_BOLD, 44), fill=(20, 20, 20))
    a = np.asarray(img.filter(ImageFilter.GaussianBlur(0.8))).astype(np.float64)
    a += rng.normal(0, 6, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8), ["BAKERY", "MAIN", "STREET", "OPEN", "DAILY"]


# --------------------------------------------------------------------------- #
# running the Aspose-style programs of tests/compat/programs
# --------------------------------------------------------------------------- #
def compat_ready() -> bool:
    """True when ``ocrprep.compat`` has Aspose's module tree and the document settings (the
    compat package re-exports ``ocrprep.documents``' classes)."""
    import ocrprep.compat as ocr

    try:
        return all(hasattr(ocr, n) for n in ("models", "PassportRecognitionSettings", "CarPlateRecognitionSettings"))
    except Exception:  # a compat layer without the names may raise its own error  # noqa: BLE001
        return False


def run_program(name: str, cwd, timeout: float = 600) -> str:
    """Run ``tests/compat/programs/<name>.py`` in ``cwd`` as its own process; return what it printed."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import ocrprep

    program = Path(__file__).parent / "compat" / "programs" / f"{name}.py"
    env = dict(os.environ)
    src = str(Path(ocrprep.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, str(program)], cwd=str(cwd), env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def data_dir(root):
    """``Data/OCR`` under ``root`` (where Aspose's examples read their images)."""
    d = root / "Data" / "OCR"
    d.mkdir(parents=True, exist_ok=True)
    return d
