"""Provider headers -> canonical column names.

Known names map with no questions asked: the canonical names (any case, spaces or underscores),
the national data set's names (spec/extract.md), common aliases and the columns' own labels.
Anything else similar enough to a known name (difflib) is *proposed* and flagged for a person to
confirm. A saved profile is consulted first.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from app.extracts.model import MappingResult
from app.extracts.profiles import MappingProfile, norm_key
from rules.columns import COLUMNS

#: The flat one-sheet form carries a modality and three TOP dates on each episode row.
FLAT_MODALITY = ("modality_id", "modality_type", "modality_referral_date", "first_appt_offered_date",
                 "modality_start_date", "modality_end_date", "modality_exit_status")
FLAT_TOPS = ("top_start_date", "top_review_date", "top_exit_date")
FLAT_ONLY = FLAT_MODALITY + FLAT_TOPS

NATIONAL: dict[str, str] = {
    "AGNCY": "provider_code", "EPISODID": "episode_id", "CLIENTID": "client_ref", "CLIENT": "client_ref",
    "FINITIAL": "first_initial", "SINITIAL": "surname_initial", "DOB": "dob", "SEX": "sex",
    "ETHNIC": "ethnicity", "PC": "postcode", "CONSENT": "consent", "REFLD": "referral_date",
    "RFLS": "referral_source", "TRIAGED": "triage_date", "CPLANDT": "care_plan_date",
    "DRUG1": "drug1", "DRUG2": "drug2", "DRUG3": "drug3", "INJSTAT": "injecting_status",
    "DISD": "discharge_date", "DISRSN": "discharge_reason", "MODID": "modality_id",
    "MODAL": "modality_type", "REFMODDT": "modality_referral_date", "FAOMODDT": "first_appt_offered_date",
    "MODST": "modality_start_date", "MODEND": "modality_end_date", "MODEXIT": "modality_exit_status",
    "TOPID": "top_id", "TOPDATE": "top_date", "TRSTAGE": "top_stage",
}

ALIASES: dict[str, tuple[str, ...]] = {
    "provider_code": ("provider", "agency", "agency code", "provider id", "service provider"),
    "episode_id": ("episode", "episode no", "episode number", "episode ref"),
    "client_ref": ("client id", "client reference", "client no", "client number", "client code"),
    "first_initial": ("forename initial", "first name initial", "initial 1"),
    "surname_initial": ("last name initial", "family name initial", "initial 2"),
    "dob": ("date of birth", "birth date", "birthdate", "dob date"),
    "sex": ("gender",),
    "ethnicity": ("ethnic group", "ethnic origin", "ethnic code"),
    "postcode": ("post code", "postcode sector", "postal code"),
    "consent": ("consent given", "consent to share", "nata consent"),
    "referral_date": ("date of referral", "referral dt", "ref date", "referred date", "date referred"),
    "referral_source": ("source of referral", "ref source", "referral source code"),
    "triage_date": ("date of triage", "triage dt", "triaged date", "date triaged"),
    "care_plan_date": ("care plan", "care plan dt", "date of care plan", "care plan start date"),
    "drug1": ("drug 1", "substance 1", "main drug", "primary drug", "primary substance", "problem substance 1"),
    "drug2": ("drug 2", "substance 2", "secondary drug", "problem substance 2"),
    "drug3": ("drug 3", "substance 3", "problem substance 3"),
    "injecting_status": ("injecting", "injection status", "inj status"),
    "discharge_date": ("date of discharge", "discharge dt", "date discharged", "episode end date"),
    "discharge_reason": ("reason for discharge", "discharge code", "exit reason", "reason for leaving"),
    "modality_id": ("modality", "modality ref", "intervention id"),
    "modality_type": ("modality", "intervention", "intervention type", "modality code"),
    "modality_referral_date": ("modality referral", "date referred to modality", "modality ref date"),
    "first_appt_offered_date": ("first appointment offered", "first appt offered", "date first appointment offered"),
    "modality_start_date": ("modality start", "modality started", "intervention start date"),
    "modality_end_date": ("modality end", "modality ended", "intervention end date"),
    "modality_exit_status": ("modality exit", "modality exit reason", "exit status"),
    "top_id": ("top ref", "top form id"),
    "top_date": ("date of top", "top dt", "top completed date", "top interview date"),
    "top_stage": ("stage", "treatment stage", "top type"),
    "top_start_date": ("top start", "start top date", "top start dt"),
    "top_review_date": ("top review", "review top date", "top review dt"),
    "top_exit_date": ("top exit", "exit top date", "top exit dt"),
}

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {t: tuple(c.name for c in cols) for t, cols in COLUMNS.items()}
ALL_TARGETS: tuple[str, ...] = tuple(dict.fromkeys(
    [n for cols in TABLE_COLUMNS.values() for n in cols] + list(FLAT_TOPS)))
REQUIRED: dict[str, tuple[str, ...]] = {t: tuple(c.name for c in cols if c.required) for t, cols in COLUMNS.items()}
REQUIRED["flat"] = REQUIRED["episodes"]

#: Columns only an episodes row has: they tell an episodes (or flat) sheet from the others.
EPISODE_ONLY = frozenset(TABLE_COLUMNS["episodes"]) - {"provider_code", "episode_id"}


def _known() -> dict[str, tuple[str, str]]:
    """normalised name -> (canonical, how), earlier kinds winning over later ones."""
    known: dict[str, tuple[str, str]] = {}
    labels = {c.name: c.label for cols in COLUMNS.values() for c in cols}
    for name in ALL_TARGETS:
        known.setdefault(norm_key(name), (name, "canonical"))
    for national, name in NATIONAL.items():
        known.setdefault(norm_key(national), (name, "national"))
    for name, aliases in ALIASES.items():
        for alias in aliases:
            known.setdefault(norm_key(alias), (name, "alias"))
    for name, text in labels.items():
        known.setdefault(norm_key(text), (name, "label"))
    return known


KNOWN = _known()
# "modality" is ambiguous on its own: a modalities sheet's id column or a flat sheet's type.
KNOWN[norm_key("modality")] = ("modality_type", "alias")


def known_header(header: str, profile: MappingProfile | None = None) -> tuple[str, str] | None:
    """(canonical, how) for a header known without guessing; ('', 'profile') = ignore by profile."""
    if profile is not None:
        target = profile.header_for(header)
        if target is not None:
            return target, "profile"
    return KNOWN.get(norm_key(header))


def score_row(cells: Sequence[object], profile: MappingProfile | None = None) -> int:
    """How many cells of a row are known header names (the header row scores highest)."""
    seen = set()
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            hit = known_header(cell, profile)
            if hit and hit[0]:
                seen.add(hit[0])
    return len(seen)


def score_row_fuzzy(cells: Sequence[object]) -> int:
    """How many cells of a row look like known header names (a fallback when none match exactly)."""
    keys = list(KNOWN)
    seen = set()
    for cell in cells:
        if isinstance(cell, str) and 2 < len(cell.strip()) < 60:
            close = difflib.get_close_matches(norm_key(cell), keys, n=1, cutoff=0.8)
            if close:
                seen.add(KNOWN[close[0]][0])
    return len(seen)


def table_from_name(name: str | None) -> str | None:
    """The table a sheet or file name says it holds (``episodes``, ``modalities``, ``tops``), ``about``, or None."""
    key = norm_key(name or "")
    if key == "about":
        return "about"
    for table, word in (("episodes", "episode"), ("modalities", "modalit"), ("tops", "tops")):
        if word in key:
            return table
    return "tops" if key == "top" else None


def known_targets(cells: Sequence[object], profile: MappingProfile | None = None) -> set[str]:
    """The canonical columns a header row names without guessing."""
    hits = (known_header(c, profile) for c in cells if isinstance(c, str) and c.strip())
    return {h[0] for h in hits if h and h[0]}


def table_of(targets: set[str], name: str | None) -> str | None:
    """Which table a sheet holds: by its (sheet or file) name, else by the columns its header names.

    An episodes sheet that also carries modality or TOP-date columns is the flat form.
    """
    has_episode = bool(targets & EPISODE_ONLY)
    flat = has_episode and bool(targets & set(FLAT_ONLY) - {"modality_id"})
    named = table_from_name(name)
    if named in ("modalities", "tops"):
        return named
    if flat:
        return "flat"
    if named == "episodes" or has_episode:
        return "episodes"
    if targets & {"top_id", "top_date", "top_stage"}:
        return "tops"
    if targets & {"modality_id", "modality_type", "modality_referral_date", "modality_start_date"}:
        return "modalities"
    return None


def targets_for(table: str) -> tuple[str, ...]:
    if table == "flat":
        return TABLE_COLUMNS["episodes"] + FLAT_ONLY
    return TABLE_COLUMNS[table]


def map_headers(headers: Sequence[object], *, file: str, sheet: str | None, header_row: int,
                table: str | None = None, profile: MappingProfile | None = None
                ) -> tuple[MappingResult, dict[int, str]]:
    """Map one sheet's header cells to ``table`` (default: ``table_of`` the sheet, else episodes).

    Returns the result and {column position -> canonical}. A canonical column is fed by the first
    header that maps to it; later ones are unmapped.
    """
    texts = ["" if not isinstance(h, str) else " ".join(h.split()) for h in headers]
    found: dict[int, tuple[str, str]] = {}
    for pos, text in enumerate(texts):
        if text:
            hit = known_header(text, profile)
            if hit:
                found[pos] = hit
    if table is None:
        table = table_of({t for t, _ in found.values() if t}, sheet or file) or "episodes"
    allowed = set(targets_for(table))
    result = MappingResult(file=file, sheet=sheet, table=table, header_row=header_row)
    positions: dict[int, str] = {}
    taken: set[str] = set()
    for pos, (target, how) in sorted(found.items(), key=lambda kv: (kv[1][1] != "profile", kv[0])):
        if target in allowed and target not in taken:
            positions[pos] = target
            taken.add(target)
            result.columns[texts[pos]] = target
            result.how[texts[pos]] = how
    # Propose similar names for what is left, among this table's columns not yet fed.
    free = {k: v for k, (v, _) in KNOWN.items() if v in allowed and v not in taken}
    for pos, text in enumerate(texts):
        if not text or pos in positions or (pos in found and found[pos][0] == ""):
            continue
        close = difflib.get_close_matches(norm_key(text), list(free), n=1, cutoff=0.8)
        if close and free[close[0]] not in taken:
            target = free[close[0]]
            positions[pos] = target
            taken.add(target)
            result.columns[text] = target
            result.how[text] = "guess"
            result.guessed[text] = target
        else:
            result.unmapped.append(text)
    wanted = targets_for(table)
    result.missing = [c for c in wanted if c not in taken]
    required = REQUIRED[table]
    result.missing_required = [c for c in required if c not in taken]
    return result, positions


def drop_guesses(result: MappingResult, positions: dict[int, str]) -> dict[int, str]:
    """Do not apply the unconfirmed guesses: those columns become unmapped (``guessed`` keeps the proposals)."""
    guessed = set(result.guessed.values())
    for header in result.guessed:
        result.columns.pop(header, None)
        result.how.pop(header, None)
        result.unmapped.append(header)
    result.missing += [c for c in targets_for(result.table) if c in guessed]
    result.missing_required += [c for c in REQUIRED[result.table] if c in guessed]
    return {p: t for p, t in positions.items() if t not in guessed}
