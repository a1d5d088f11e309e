"""RTF 1.x, written directly (it is text): a paragraph per area with ``\\line`` between its
lines, ``\\page`` between pages; characters outside ASCII as ``\\uN?`` (UTF-16 units)."""
from __future__ import annotations

from ._layout import text_paragraphs


def escape(text: str) -> str:
    """RTF-escape a string: ``\\ { }``, tabs, and every non-ASCII character as ``\\uN?``.

    >>> escape("{é}")
    '\\\\{\\\\u233?\\\\}'
    """
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\tab ")
        elif 32 <= code < 127:
            out.append(ch)
        elif code < 32:
            continue  # control characters have no place in a paragraph
        else:
            units = ch.encode("utf-16-be")
            for i in range(0, len(units), 2):
                unit = int.from_bytes(units[i:i + 2], "big")
                out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
    return "".join(out)


def write(results) -> bytes:
    """An ASCII RTF document.

    >>> from ocrprep import RecognitionResult
    >>> b"a\\\\line b\\\\par" in write([RecognitionResult(recognition_text="a\\nb")])
    True
    """
    parts = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1",
        "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}}",
        "{\\info{\\title Recognised text}{\\comment ocrprep}}",
        "\\viewkind4\\pard\\plain\\f0\\fs24",
    ]
    for k, result in enumerate(results):
        if k:
            parts.append("\\page")
        for para in text_paragraphs(result):
            parts.append("\\line ".join(escape(line) for line in para) + "\\par")
    parts.append("}")
    return ("\n".join(parts) + "\n").encode("ascii")
