"""Writing the validation JSON fast and still readable: the summary indented, one finding per line.

``json.dump(..., indent=2)`` falls back to the pure-Python encoder, which took seconds for the tens
of thousands of findings of a large partnership; each finding encoded by the C encoder does not.
"""

from __future__ import annotations

import json
from typing import Any, TextIO


def dump_report_json(data: dict[str, Any], stream: TextIO) -> None:
    """Write the ``validate --format json`` object; same JSON as ``json.dump``, laid out for people too."""
    findings = data.get("findings", [])
    head = {k: v for k, v in data.items() if k != "findings"}
    text = json.dumps(head, indent=2, ensure_ascii=False)
    stream.write(text[:-2] + (",\n" if head else "\n") + '  "findings": [')
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for i, finding in enumerate(findings):
        stream.write(("\n    " if i == 0 else ",\n    ") + encode(finding))
    stream.write("\n  ]\n}\n" if findings else "]\n}\n")
