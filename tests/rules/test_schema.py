"""The schema layer: each finding kind, on the right row, with the raw value; pandera does the checks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
import pytest

from rules.findings import FINDING_COLUMNS
from rules.schema import SCHEMAS, check
from rules.tables import Tables


def _episodes(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"provider_code": ["N9001"] * n, "episode_id": [f"E{i}" for i in range(1, n + 1)],
            "client_ref": [f"C{i}" for i in range(1, n + 1)], "dob": ["1980-01-01"] * n, "consent": ["N"] * n,
            "referral_date": ["2025-04-01"] * n, "drug1": ["HER"] * n}
    base.update(columns)
    frame = pd.DataFrame(base)
    frame["_file"] = "a.xlsx"
    frame["_sheet"] = "episodes"
    frame["_row"] = range(5, 5 + n)
    return frame


def _check(episodes: pd.DataFrame, **tables: pd.DataFrame) -> tuple[Tables, pd.DataFrame]:
    return check(Tables(episodes=episodes, as_at=dt.date(2025, 7, 1), files=["a.xlsx"], **tables))


def test_clean_tables_give_no_findings_and_canonical_dtypes() -> None:
    typed, findings = _check(_episodes(sex=["M", "f"]))
    assert findings.empty and list(findings.columns) == list(FINDING_COLUMNS)
    frame = typed.episodes
    assert str(frame["referral_date"].dtype) == "datetime64[ns]"
    assert str(frame["sex"].dtype) == "string" and frame["sex"].tolist() == ["M", "F"]
    assert typed.as_at == dt.date(2025, 7, 1) and typed.files == ["a.xlsx"]
    assert typed.modalities is None
    SCHEMAS["episodes"].validate(frame)  # the typed table passes its own pandera schema


def test_invalid_date() -> None:
    typed, findings = _check(_episodes(referral_date=["2025-04-01", "31/02/2025", " "]))
    assert len(findings) == 1
    f = findings.iloc[0]
    assert (f["rule"], f["severity"], f["category"]) == ("invalid-date", "error", "data-quality")
    assert (f["provider"], f["file"], f["table"], f["row"], f["record"]) == ("N9001", "a.xlsx", "episodes", 6,
                                                                             "N9001/E2")
    assert f["fields"] == ("referral_date",) and f["values"] == ("31/02/2025",)
    assert f["message"] == "Referral date '31/02/2025' is not a date (expected dd/mm/yyyy)"
    assert typed.episodes["referral_date"].isna().tolist() == [False, True, True]


def test_invalid_code_keeps_the_raw_value_and_blanks_the_cell() -> None:
    typed, findings = _check(_episodes(sex=["M", " x ", None], drug1=["HER", "HER", "heroin!"]))
    assert findings[["rule", "row", "record", "fields", "values"]].values.tolist() == [
        ["invalid-code", 6, "N9001/E2", ("sex",), (" x ",)],
        ["invalid-code", 7, "N9001/E3", ("drug1",), ("heroin!",)],
    ]
    assert "is not a valid code (expected one of M, F, U)" in findings["message"].iloc[0]
    assert typed.episodes["sex"].isna().tolist() == [False, True, True]


def _tops(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({"provider_code": ["N9001"] * n, "episode_id": ["E1"] * n,
                          "top_id": [f"T{i}" for i in range(1, n + 1)], "top_date": ["2025-04-02"] * n,
                          "top_stage": ["S"] * n, **columns})
    frame["_file"] = "a.xlsx"
    frame["_sheet"] = "tops"
    frame["_row"] = range(2, 2 + n)
    return frame


def test_invalid_number_and_out_of_range() -> None:
    typed, findings = _check(_episodes(sex=["M"]),
                             tops=_tops(opiate_days=["3", "3.0", "2.5", "29", "-1", "x"],
                                        psych_health=["20", "21", None, "", "0", "10"]))
    got = findings[["rule", "table", "row", "fields", "values"]].values.tolist()
    assert sorted(got) == sorted([
        ["invalid-number", "tops", 4, ("opiate_days",), ("2.5",)],
        ["invalid-number", "tops", 7, ("opiate_days",), ("x",)],
        ["out-of-range", "tops", 5, ("opiate_days",), ("29",)],
        ["out-of-range", "tops", 6, ("opiate_days",), ("-1",)],
        ["out-of-range", "tops", 3, ("psych_health",), ("21",)],
    ])
    assert typed.tops["opiate_days"].tolist()[:2] == [3, 3]
    assert typed.tops["opiate_days"].isna().tolist() == [False, False, True, True, True, True]
    message = findings.loc[findings["values"] == ("29",), "message"].iloc[0]
    assert message == "Opiate days '29' is outside the range 0 to 28"


def test_month_first_column_is_reported_once_per_file_and_not_swapped() -> None:
    us = _episodes(referral_date=["04/25/2025", "01/02/2025", "12/31/2025"])
    uk = _episodes(referral_date=["25/04/2025", "01/02/2025", "31/12/2025"])
    uk["_file"] = "b.xlsx"
    typed, findings = _check(pd.concat([us, uk], ignore_index=True))
    warn = findings[findings["rule"] == "month-first-dates"]
    assert len(warn) == 1
    w = warn.iloc[0]
    assert (w["severity"], w["file"], w["fields"], w["values"]) == ("warning", "a.xlsx", ("referral_date",),
                                                                    ("04/25/2025",))
    assert pd.isna(w["row"]) and "NOT swapped" in w["message"] and "a.xlsx" in w["message"]
    bad = findings[findings["rule"] == "invalid-date"]
    assert bad["row"].tolist() == [5, 7] and bad["file"].tolist() == ["a.xlsx", "a.xlsx"]
    # 01/02/2025 stays 1 February (day-first), never swapped to 2 January
    assert typed.episodes["referral_date"].iloc[1] == pd.Timestamp("2025-02-01")


def test_rows_of_several_files_are_told_apart() -> None:
    a = _episodes(sex=["Q"])
    b = _episodes(sex=["Q"])
    b["_file"] = "b.xlsx"
    _, findings = _check(pd.concat([a, b], ignore_index=True))
    assert findings[["file", "row"]].values.tolist() == [["a.xlsx", 5], ["b.xlsx", 5]]


def test_pandera_schema_really_checks_code_lists() -> None:
    typed, _ = _check(_episodes(sex=["M"]))
    frame = typed.episodes.copy()
    frame["sex"] = pd.array(["Z"], dtype="string")
    with pytest.raises(pa.errors.SchemaError):
        SCHEMAS["episodes"].validate(frame)


@pytest.mark.parametrize("fields", [{"episodes": {"sex"}}, {"episodes": {"referral_date", "drug1"}},
                                    {"tops": {"opiate_days", "top_stage"}}, {"episodes": {"sex"}, "tops": {"alcohol_days"}}])
def test_checking_a_few_columns_finds_what_checking_everything_finds_in_them(fields) -> None:
    episodes = _episodes(sex=["M", "Q", None, "f"], referral_date=["2025-04-01", "31/02/2025", None, "x"],
                         drug1=["HER", "NOPE", "ALC", None])
    tops = _tops(opiate_days=["0", "29", "3.5", None], top_stage=["S", "Z", None, "R"], alcohol_days=["28", "-1", "x", "7"])
    raw = Tables(episodes=episodes, tops=tops, as_at=dt.date(2025, 7, 1), files=["a.xlsx"])
    full_typed, everything = check(raw)
    typed, some = check(raw, fields=fields)
    wanted = {(t, c) for t, names in fields.items() for c in names}
    expected = everything[[(t, f[0]) in wanted for t, f in zip(everything["table"], everything["fields"], strict=True)]]
    assert len(expected) >= len(fields)  # the example has something wrong in every column picked

    def rows(frame: pd.DataFrame) -> list[tuple]:
        return sorted(frame[list(FINDING_COLUMNS)].astype(str).itertuples(index=False, name=None))
    assert rows(some) == rows(expected)
    for table, names in fields.items():
        assert set(typed.get(table).columns) == {*names, "provider_code", "episode_id", "_file", "_sheet", "_row"}
        for name in names:
            assert typed.get(table)[name].equals(full_typed.get(table)[name])
