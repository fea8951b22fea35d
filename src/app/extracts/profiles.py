"""Saved mapping profiles: a provider's headers and code values, reused next quarter.

A profile is a small named JSON file::

    {"name": "Acme", "version": 1,
     "headers": {"Ref Date": "referral_date", "Notes": ""},
     "codes": {"discharge_reason": {"80": "TCDF"}, "substance": {"1": "HER"}}}

``headers`` maps a provider header (matched case-, space- and underscore-insensitively) to a
canonical column; an empty target means "ignore this column". ``codes`` is keyed by canonical
column (``drug2``) or by code-list name (``substance``, covering drug1-3); values are matched
after stripping and case-folding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import InputError

PROFILE_VERSION = 1


def norm_key(text: str) -> str:
    """The form headers and values are compared in: case-, space-, underscore-insensitive."""
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def norm_value(text: str) -> str:
    """The form provider code values are compared in: stripped, case-folded, inner spaces squeezed."""
    return " ".join(str(text).split()).casefold()


@dataclass
class MappingProfile:
    """A named set of header and code-value mappings for one provider's files."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def header_for(self, header: str) -> str | None:
        """The canonical column this profile maps ``header`` to ('' = ignore), or None if it does not know it."""
        wanted = norm_key(header)
        for key, target in self.headers.items():
            if norm_key(key) == wanted:
                return target
        return None

    def code_map(self, column: str, code_list: str | None) -> dict[str, str]:
        """Provider value (normalised) -> canonical code for one column; column entries win."""
        out: dict[str, str] = {}
        for key in (code_list, column):
            if key and key in self.codes:
                out.update({norm_value(k): v for k, v in self.codes[key].items()})
        return out

    def to_json(self) -> dict:
        return {"name": self.name, "version": PROFILE_VERSION, "headers": dict(self.headers),
                "codes": {k: dict(v) for k, v in self.codes.items()}}

    def save(self, path: Path) -> None:
        """Write the profile as JSON (atomically: a half-written profile would lose a mapping)."""
        path = Path(path)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> MappingProfile:
        """Read a profile written by ``save``; a damaged file is an InputError naming it."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read mapping profile: {exc}", file=path.name) from None
        return cls.from_json(data, default_name=path.stem, file=path.name)

    @classmethod
    def from_json(cls, data: object, *, default_name: str = "profile", file: str | None = None) -> MappingProfile:
        """A profile from its JSON object (``to_json``), e.g. as a workspace stored it."""
        if not isinstance(data, dict) or not isinstance(data.get("headers", {}), dict) \
                or not isinstance(data.get("codes", {}), dict):
            raise InputError("not a mapping profile (expected name, headers and codes)", file=file)
        codes = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.get("codes", {}).items()
                 if isinstance(v, dict)}
        return cls(name=str(data.get("name") or default_name),
                   headers={str(k): str(v) for k, v in data.get("headers", {}).items()},
                   codes=codes)

    @classmethod
    def from_mappings(cls, name: str, mappings: list, *, base: MappingProfile | None = None) -> MappingProfile:
        """A profile remembering what a person confirmed: every non-obvious header mapping and the
        code values that were mapped, on top of ``base`` (e.g. the profile used to open the files).

        ``mappings`` are ``MappingResult``s (after the person corrected ``columns`` and ``codes``).
        """
        headers: dict[str, str] = {}
        codes: dict[str, dict[str, str]] = {}
        for m in mappings:
            for header, target in m.columns.items():
                if m.how.get(header) not in ("canonical", "national"):
                    headers[header] = target
            for header in m.unmapped:
                headers.setdefault(header, "")
            for column, values in m.codes.items():
                codes.setdefault(column, {}).update(values)
        made = cls(name, headers, codes)
        return base.merged(made) if base else made

    def merged(self, other: MappingProfile) -> MappingProfile:
        """This profile with ``other``'s entries added (other wins on conflicts)."""
        codes = {k: dict(v) for k, v in self.codes.items()}
        for k, v in other.codes.items():
            codes.setdefault(k, {}).update(v)
        return MappingProfile(self.name, {**self.headers, **other.headers}, codes)
