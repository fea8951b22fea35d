"""Keep client identifiers out of reports people send: values of identifying fields are withheld.

A validation report may be emailed to a provider, so it names records only by provider and
episode id. Where a finding's fields include ``client_ref``, the initials, ``dob`` or ``postcode``,
their values are shown as ``(withheld)``, in the values column and wherever the message quotes them.
"""

from __future__ import annotations

import re

import pandas as pd

IDENTIFYING_FIELDS: frozenset[str] = frozenset({"client_ref", "first_initial", "surname_initial", "dob", "postcode"})
WITHHELD = "(withheld)"


def _redact_one(fields: tuple[str, ...], values: tuple[str, ...], message: str) -> tuple[tuple[str, ...], str]:
    secret = [v for f, v in zip(fields, values, strict=False) if f in IDENTIFYING_FIELDS and v]
    out_values = tuple(WITHHELD if f in IDENTIFYING_FIELDS and v else v
                       for f, v in zip(fields, values, strict=False))
    for value in sorted(set(secret), key=len, reverse=True):
        message = re.sub(r"(?<!\w)" + re.escape(value) + r"(?!\w)", WITHHELD, message)
    return out_values, message


def redact(findings: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``findings`` with identifying values withheld (only rows that name such fields change)."""
    out = findings.copy()
    touched = [i for i, fields in enumerate(out["fields"]) if IDENTIFYING_FIELDS.intersection(fields)]
    if not touched:
        return out
    values = list(out["values"])
    messages = list(out["message"])
    for i in touched:
        values[i], messages[i] = _redact_one(tuple(out["fields"].iat[i]), tuple(values[i]), messages[i])
    out["values"] = pd.Series(values, index=out.index, dtype=object)
    out["message"] = messages
    return out


def redact_json(findings: list[dict]) -> list[dict]:
    """The same withholding on findings already in their JSON form (``rules.findings.findings_to_json``)."""
    out = []
    for finding in findings:
        fields = tuple(finding["fields"])
        if IDENTIFYING_FIELDS.intersection(fields):
            values, message = _redact_one(fields, tuple(finding["values"]), finding["message"])
            finding = {**finding, "values": list(values), "message": message}
        out.append(finding)
    return out
