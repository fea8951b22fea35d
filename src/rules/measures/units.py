"""Turning boolean masks over episodes, modalities or journeys into results with their records.

A unit in scope (denominator or pending) with an error finding on one of the measure's fields is
*excluded* (for a journey or client: on any of its episodes); otherwise it is pending, numerator,
provisional or denominator-only, in that order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.measures.attribution import credit
from rules.measures.base import CountResult, MeasureResult
from rules.measures.context import Context
from rules.measures.definitions import DEFINITIONS


def _bool(values, n: int) -> np.ndarray:
    if values is None:
        return np.zeros(n, dtype=bool)
    return pd.Series(values).fillna(False).to_numpy(dtype=bool) if not isinstance(values, np.ndarray) \
        else values.astype(bool)


def _groups(excl: np.ndarray, num: np.ndarray, pending: np.ndarray, provisional: np.ndarray) -> np.ndarray:
    return np.where(excl != "", "excluded", np.where(pending, "pending", np.where(
        num, "numerator", np.where(provisional, "provisional", "denominator_only"))))


def unavailable(ctx: Context, mid: str) -> MeasureResult | CountResult:
    d = DEFINITIONS[mid]
    cls = CountResult if d.kind == "count" else MeasureResult
    if cls is CountResult:
        return CountResult(mid, d.title, d.unit, available=False)
    return MeasureResult(mid, d.title, d.unit, available=False, target=ctx.settings.target(mid))


def _result(ctx: Context, mid: str, units: pd.DataFrame, members: pd.DataFrame,
            links: pd.DataFrame) -> MeasureResult | CountResult:
    """The result, with the episodes each unit counts under (``attribution.credit`` of ``links``)."""
    d = DEFINITIONS[mid]
    units = units.reset_index(drop=True)
    members = members.reset_index(drop=True)
    credits = credit(ctx, mid, links)
    if d.kind == "count":
        units["group"] = np.where(units["group"] == "excluded", "excluded", "counted")
        return CountResult(mid, d.title, d.unit, True, units, members, credits)
    return MeasureResult(mid, d.title, d.unit, True, ctx.settings.target(mid), units, members, credits)


def per_episode(ctx: Context, mid: str, scope, num=None, pending=None, provisional=None):
    """A measure or count whose unit is the episode (masks aligned to ``ctx.ep``)."""
    n = len(ctx.ep)
    scope, pending = _bool(scope, n), _bool(pending, n)
    keep = scope | pending
    excl = ctx.excluded(mid).to_numpy()[keep]
    groups = _groups(excl, _bool(num, n)[keep], pending[keep], _bool(provisional, n)[keep])
    pos = np.flatnonzero(keep)
    units = pd.DataFrame({"unit": pos, "group": groups, "record": ctx.ep["record"].to_numpy()[pos],
                          "excluded_by": excl})
    members = pd.DataFrame({"unit": pos, "ep": pos})
    return _result(ctx, mid, units, members, members)


def per_modality(ctx: Context, mid: str, rows: np.ndarray, num=None):
    """A unit per modality row (``rows``: positions in ``ctx.mods``); its record is its episode."""
    eps = ctx.mods["ep"].to_numpy()[rows]
    excl = ctx.excluded(mid).to_numpy()[eps]
    n = len(rows)
    groups = _groups(excl, _bool(num, n), np.zeros(n, bool), np.zeros(n, bool))
    units = pd.DataFrame({"unit": rows, "group": groups, "record": ctx.ep["record"].to_numpy()[eps],
                          "excluded_by": excl})
    members = pd.DataFrame({"unit": rows, "ep": eps})
    return _result(ctx, mid, units, members, members)


def journey_exclusions(ctx: Context, mid: str) -> pd.Series:
    """Per journey: the union of its episodes' exclusion rules ("" = clean)."""
    excl = ctx.excluded(mid)
    bad = excl != ""
    if not bad.any():
        return pd.Series("", index=ctx.jn.index, dtype=object)
    rules = excl[bad].str.split(",").explode()
    by_journey = pd.DataFrame({"journey": ctx.ep.loc[rules.index, "journey"], "rule": rules.to_numpy()})
    by_journey = by_journey.dropna().drop_duplicates().sort_values("rule")
    joined = by_journey.groupby("journey")["rule"].agg(",".join)
    joined.index = joined.index.astype("int64")
    return joined.reindex(ctx.jn.index).fillna("").astype(object)


def per_journey(ctx: Context, mid: str, journeys: pd.Index, num=None, pending=None, provisional=None,
                record: str = "first_pos"):
    """A unit per journey (also used for client measures: one chosen journey per client)."""
    n = len(journeys)
    excl = journey_exclusions(ctx, mid).reindex(journeys).to_numpy()
    groups = _groups(excl, _bool(num, n), _bool(pending, n), _bool(provisional, n))
    pos = ctx.jn.loc[journeys, record].to_numpy(dtype="int64")
    ids = np.asarray(journeys, dtype="int64")
    units = pd.DataFrame({"unit": ids, "group": groups, "record": ctx.ep["record"].to_numpy()[pos],
                          "excluded_by": excl})
    jcol = ctx.ep["journey"]
    member_mask = jcol.isin(ids).fillna(False).to_numpy(dtype=bool)
    members = pd.DataFrame({"unit": jcol[member_mask].to_numpy(dtype="int64"), "ep": np.flatnonzero(member_mask)})
    links = pd.DataFrame({"unit": ids, "journey": ids, "person_id": ctx.jn.loc[journeys, "person_id"].to_numpy()})
    return _result(ctx, mid, units, members, links)


def per_client(ctx: Context, mid: str, qualifying) -> CountResult:
    """A client count: a client counts when one of their clean episodes qualifies; a client whose
    qualifying episodes are all excluded is listed as excluded."""
    q = _bool(qualifying, len(ctx.ep))
    excl = ctx.excluded(mid).to_numpy()
    frame = pd.DataFrame({"unit": ctx.ep["person_id"].to_numpy()[q], "ep": np.flatnonzero(q),
                          "excluded_by": excl[q], "record": ctx.ep["record"].to_numpy()[q]})
    frame["clean"] = frame["excluded_by"] == ""
    frame = frame.sort_values(["unit", "clean", "record"], ascending=[True, False, True], kind="stable")
    clean_units = frame.loc[frame["clean"], "unit"].unique()
    first = frame.drop_duplicates("unit")
    units = pd.DataFrame({"unit": first["unit"].to_numpy(),
                          "group": np.where(first["clean"], "counted", "excluded"),
                          "record": first["record"].to_numpy(),
                          "excluded_by": np.where(first["clean"], "", first["excluded_by"])})
    counted_members = frame["clean"] | ~frame["unit"].isin(clean_units)
    links = pd.DataFrame({"unit": units["unit"].to_numpy(), "person_id": units["unit"].to_numpy()})
    return _result(ctx, mid, units, frame.loc[counted_members, ["unit", "ep"]], links)


def per_client_journeys(ctx: Context, mid: str, journeys: pd.Index, num=None) -> MeasureResult:
    """A client measure judged by every one of a client's journeys in scope (e.g. each completion in
    P): a unit per client, in the numerator when any of its clean journeys is; excluded only when all
    its journeys are. Its record is the last episode of its latest (clean) journey."""
    ids = np.asarray(journeys, dtype="int64")
    jn = ctx.jn.loc[ids]
    excl = journey_exclusions(ctx, mid).reindex(ids).to_numpy()
    frame = pd.DataFrame({"journey": ids, "unit": jn["person_id"].to_numpy(dtype="int64"),
                          "num": _bool(num, len(ids)), "excl": excl, "clean": excl == "",
                          "end": jn["j_end"].to_numpy(), "record": ctx.ep["record"].to_numpy()[jn["last_pos"].to_numpy()]})
    frame = frame.sort_values(["unit", "end", "journey"], kind="stable")
    used = frame[frame["clean"] | ~frame.groupby("unit")["clean"].transform("any")]
    by_unit = used.groupby("unit", sort=True)
    clean = by_unit["clean"].any().to_numpy()
    rules = by_unit["excl"].agg(lambda x: ",".join(sorted(set(",".join(x).split(",")) - {""})))
    unit_excl = np.where(clean, "", rules.to_numpy()).astype(object)
    n = len(unit_excl)
    groups = _groups(unit_excl, by_unit["num"].any().to_numpy(), np.zeros(n, bool), np.zeros(n, bool))
    units = pd.DataFrame({"unit": rules.index.to_numpy(dtype="int64"), "group": groups,
                          "record": by_unit["record"].last().to_numpy(), "excluded_by": unit_excl})
    jcol = ctx.ep["journey"].astype("float64").to_numpy()
    member_mask = np.isin(jcol, used["journey"].to_numpy())
    unit_of = pd.Series(used["unit"].to_numpy(), index=used["journey"].to_numpy())
    members = pd.DataFrame({"unit": unit_of.reindex(jcol[member_mask].astype("int64")).to_numpy(dtype="int64"),
                            "ep": np.flatnonzero(member_mask)})
    links = used[["unit", "journey"]].assign(person_id=used["unit"])
    return _result(ctx, mid, units, members, links)
