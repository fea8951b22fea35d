"""Provider rows (spec/measures.md "Provider rows"): the episodes each unit of a figure counts under.

A unit counts under the provider of every episode ``credit`` names for it, so a provider row only ever
holds that provider's own records in scope for the period. ``RULES`` is the spec's list, one entry
per figure; ``credit`` is the one function that applies it. Every result keeps its credits, and the
breakdown by provider reads nothing else: the provider rows of ``measures``, the dashboard and the
returns' provider tables all come from it.

- episode and modality units: the episode itself (``OWN``);
- client units: the client's episodes meeting the denominator's condition in P (in structured
  treatment during P, in contact during P, a modality open at P.end, or holding the earliest modality
  start of a journey starting in P); of those, the ones with no error finding on the figure's fields
  when there are any, so a provider whose only qualifying record is excluded does not claim the client;
- journey units: the one episode holding the date that places the journey in P (J_start, the latest
  discharge, the earliest modality start; ties: the earlier referral).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from rules.measures.context import Context

OWN = "own"
#: Client rules: a mask over episodes (which of the client's episodes qualify).
IN_TREATMENT, IN_CONTACT, OPEN_AT_END, STARTS_JOURNEY = "in_treatment", "in_contact", "open_at_end", "starts_journey"
#: Journey rules: a column of ``ctx.jn`` naming one episode per journey.
JOURNEY_START, LAST_DISCHARGE, FIRST_MODALITY = "start_pos", "last_pos", "first_modality_pos"

RULES: dict[str, str] = {
    "referrals": OWN, "discharges": OWN, "waiting_over_3_weeks_at_end": OWN,
    "triage_within_6_weeks": OWN, "dip_triage_within_6_weeks": OWN, "waiting_within_3_weeks": OWN,
    "care_plan_present": OWN, "planned_exits": OWN, "retention_and_care_planned_discharges": OWN, "top_exit": OWN,
    "in_contact": IN_CONTACT,
    "in_treatment": IN_TREATMENT, "effective_treatment": IN_TREATMENT, "successful_completions": IN_TREATMENT,
    "new_presentations": STARTS_JOURNEY,
    "top_review": OPEN_AT_END,
    "representations": LAST_DISCHARGE,  # the episode with the planned discharge that ended the journey
    "retention_12_weeks": JOURNEY_START,
    "treatment_system_exits": LAST_DISCHARGE,
    "top_start": FIRST_MODALITY,
}


def starts_journey(ctx: Context) -> np.ndarray:
    """Per episode: it holds the earliest modality start of a journey whose earliest modality start is in P."""
    jn = ctx.jn
    first = jn["first_modality_start"]
    starting = ((first >= ctx.p_start) & (first <= ctx.p_end)).fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(ctx.ep), dtype=bool)
    out[jn["first_modality_pos"].to_numpy(dtype="int64")[starting]] = True
    return out


MASKS: dict[str, Callable[[Context], np.ndarray]] = {
    IN_TREATMENT: lambda ctx: ctx.in_treatment(ctx.p_start, ctx.p_end).to_numpy(dtype=bool),
    IN_CONTACT: lambda ctx: ctx.in_contact().to_numpy(dtype=bool),
    OPEN_AT_END: lambda ctx: ctx.in_treatment(ctx.p_end, ctx.p_end).to_numpy(dtype=bool),
    STARTS_JOURNEY: starts_journey,
}


def mask(ctx: Context, mid: str) -> np.ndarray:
    """The episodes that qualify a client for figure ``mid`` (a client rule's mask)."""
    return MASKS[RULES[mid]](ctx)


def prefer_clean(ctx: Context, mid: str, pairs: pd.DataFrame) -> pd.DataFrame:
    """(unit, ep) pairs, keeping a unit's clean episodes when it has any (else all of them)."""
    clean = ctx.excluded(mid).to_numpy()[pairs["ep"].to_numpy()] == ""
    units_with_clean = pairs["unit"].to_numpy()[clean]
    keep = clean | ~pairs["unit"].isin(units_with_clean).to_numpy()
    return pairs[keep].reset_index(drop=True)


def credit(ctx: Context, mid: str, links: pd.DataFrame) -> pd.DataFrame:
    """(unit, ep): the episodes whose provider each unit of figure ``mid`` counts under.

    ``links`` has one row per unit (several for a client judged by several journeys) with the columns
    the rule needs: ``ep`` for episode and modality units, ``person_id`` for client rules, ``journey``
    for journey rules.
    """
    rule = RULES[mid]
    if rule == OWN:
        pairs = links[["unit", "ep"]]
    elif rule in MASKS:
        qualifying = np.flatnonzero(MASKS[rule](ctx))
        episodes = pd.DataFrame({"person_id": ctx.ep["person_id"].to_numpy()[qualifying], "ep": qualifying})
        pairs = links[["unit", "person_id"]].drop_duplicates().merge(episodes, on="person_id")[["unit", "ep"]]
        pairs = prefer_clean(ctx, mid, pairs)
    else:
        pos = ctx.jn[rule].reindex(links["journey"].to_numpy()).to_numpy(dtype="int64")
        pairs = pd.DataFrame({"unit": links["unit"].to_numpy(), "ep": pos})
    pairs = pairs.drop_duplicates().sort_values(["unit", "ep"], kind="stable")
    return pd.DataFrame({"unit": pairs["unit"].to_numpy(dtype="int64"), "ep": pairs["ep"].to_numpy(dtype="int64")})
