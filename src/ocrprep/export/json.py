"""JSON: one page is ``result.to_dict()``; several pages are ``{"pages": [...]}``."""
from __future__ import annotations

import json


def write(results) -> bytes:
    """Indented UTF-8 JSON (the same document as ``result.get_json(True)`` for one page).

    >>> from ocrprep import RecognitionResult
    >>> import json as j
    >>> j.loads(write([RecognitionResult(recognition_text="a")]))["text"]
    'a'
    """
    data = results[0].to_dict() if len(results) == 1 else {"pages": [r.to_dict() for r in results]}
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
