"""Each manifest row really holds its defect in the written file, looked at with openpyxl / csv."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.synth.conftest import AS_AT
from tests.synth.readback import Rows, read_back

from app.synth import Defect, generate, read_manifest, write
from rules.codes import CODE_LISTS
from rules.columns import column


def _is_date(v: str | None) -> bool:
    try:
        dt.date.fromisoformat(v or "")
        return True
    except ValueError:
        return False


def _ok(rule: str, table: str, field: str, r: dict, rows: Rows, as_at: str) -> bool:
    key = (r["provider_code"], r["episode_id"])
    eps = {(e["provider_code"], e["episode_id"]): e for e in rows["episodes"]}
    ep = eps.get(key, {})
    mine = {t: [x for x in rows[t] if (x["provider_code"], x["episode_id"]) == key] for t in ("modalities", "tops")}
    v = r.get(field)
    if rule == "required-fields":
        return v is None
    if rule == "dob-plausible":
        return v < "1903-01-01" or v > r["referral_date"]
    if rule == "adult-at-referral":
        dob = dt.date.fromisoformat(v)
        return dob.replace(year=dob.year + 18) > dt.date.fromisoformat(r["referral_date"])
    if rule == "triage-not-before-referral":
        return v < r["referral_date"]
    if rule == "discharge-not-before-start":
        return v < (r["triage_date"] or r["referral_date"])
    if rule == "discharge-date-and-reason":
        return (r["discharge_date"] is None) != (r["discharge_reason"] is None)
    if rule == "modality-dates-in-order":
        chain = [r.get(c) for c in ("modality_referral_date", "first_appt_offered_date", "modality_start_date",
                                    "modality_end_date") if r.get(c)]
        return chain != sorted(chain)
    if rule == "modality-within-episode":
        return (r["modality_referral_date"] < ep["referral_date"]) or bool(
            ep["discharge_date"] and (v is None or v > ep["discharge_date"]))
    if rule == "modality-exit-with-end":
        return (r["modality_end_date"] is None) != (r["modality_exit_status"] is None)
    if rule == "unique-ids":
        return sum(1 for x in rows[table] if (x["provider_code"], x["episode_id"], x.get(field)) == (*key, v)) >= 2
    if rule == "orphan-rows":
        return key not in eps
    if rule == "no-future-dates":
        return v > as_at
    if rule == "invalid-date":
        return v is not None and not _is_date(v)
    if rule == "invalid-code":
        return v not in CODE_LISTS[column(table, field).code_list]
    if rule in ("invalid-number", "out-of-range"):
        c = column(table, field)
        return (not v.lstrip("-").isdigit()) if rule == "invalid-number" else not c.minimum <= int(v) <= c.maximum
    if rule == "substances-consistent":
        return r["drug2"] == r["drug1"] or (r["drug3"] is not None and r["drug2"] is None)
    if rule == "care-plan-within-episode":
        return v < r["triage_date"] or bool(r["discharge_date"] and v > r["discharge_date"])
    if rule == "top-within-episode":
        return (v < ep["triage_date"]) if field == "top_date" else sum(t["top_stage"] == "S" for t in mine["tops"]) > 1
    if rule == "completion-consistent-with-top":
        return v in ("TCDF", "TCOU") and any(int(t["crack_days"] or 0) + int(t["opiate_days"] or 0) > 0
                                             for t in mine["tops"])
    if rule == "triage-recorded":
        return v is None and bool(mine["modalities"])
    if rule == "no-overlapping-open-episodes":
        return sum(1 for e in rows["episodes"] if e["provider_code"] == r["provider_code"]
                   and e["client_ref"] == r["client_ref"] and e["discharge_date"] is None) >= 2
    raise AssertionError(f"no check for {rule}")


def _holds(d: Defect, rows: Rows, as_at: str) -> bool:
    here = [r for r in rows[d.table] if r["_file"] == d.file and r["_row"] == d.row]
    assert here, f"no row {d.row} in {d.file} ({d.table})"
    assert all(f"{r['provider_code']}/{r['episode_id']}" == d.record for r in here)
    return any(_ok(d.rule, d.table, d.field, r, rows, as_at) for r in here)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "flat-xlsx"])
def test_each_manifest_row_holds_its_defect(tmp_path: Path, fmt: str) -> None:
    synthetic = generate(providers=4, episodes=400, seed=8, defects=0.08, as_at=AS_AT, fmt=fmt)
    paths = write(synthetic, tmp_path)
    rows = read_back(synthetic, paths)
    manifest = read_manifest(tmp_path / "manifest.json")
    assert manifest == synthetic.manifest and len(manifest) > 50
    failed = [d for d in manifest if not _holds(d, rows, AS_AT.isoformat())]
    assert failed == []


def test_clean_files_hold_the_raw_values(tmp_path: Path) -> None:
    """What the files say is what ``raw`` says, cell for cell (plain style)."""
    synthetic = generate(providers=2, episodes=150, seed=4, as_at=AS_AT, fmt="xlsx")
    rows = read_back(synthetic, write(synthetic, tmp_path))
    for table in ("episodes", "modalities", "tops"):
        want = synthetic.raw.get(table).to_dict("records")
        assert [{k: r.get(k) for k in w if k != "_sheet"} for r, w in zip(rows[table], want, strict=True)] == [
            {k: v for k, v in w.items() if k != "_sheet"} for w in want]


def test_messy_styles_are_used(tmp_path: Path) -> None:
    synthetic = generate(providers=4, episodes=120, seed=2, defects=0.02, as_at=AS_AT, fmt="csv")
    paths = write(synthetic, tmp_path)
    assert sorted(synthetic.styles.values()) == ["friendly", "national", "plain", "upper"]
    heads = {p.name: (p / f"{p.name.split('_')[0]}_episodes.csv").read_text(encoding="utf-8-sig").splitlines()[:3]
             for p in paths}
    assert heads["N9001_extract"][0].startswith("AGNCY,EPISODID,CLIENTID")
    assert heads["N9002_extract"][2].startswith("Provider Code,Episode Id") and "Date of Referral" in heads[
        "N9002_extract"][2]
    text = (paths[1] / "N9002_episodes.csv").read_text(encoding="utf-8-sig")
    assert "Treatment completed - drug free" in text
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["format"] == "csv" and manifest["providers"] == 4 and manifest["episodes"] == 120
