"""Who the clients are: substance group, sex, ethnicity, age, initials, postcode (all fictitious)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: substance groups used while generating (drug1 is drawn within the group)
OPIATE, CRACK, NON_OPIATE, ALCOHOL = 0, 1, 2, 3
GROUP_P = (0.55, 0.13, 0.14, 0.18)

DRUG1 = {
    OPIATE: (("HER", "MTH", "BUP", "OOP"), (0.86, 0.05, 0.03, 0.06)),
    CRACK: (("CRK",), (1.0,)),
    NON_OPIATE: (("COC", "CAN", "AMP", "BZD", "ECS", "SOL", "OTH"), (0.40, 0.32, 0.10, 0.08, 0.04, 0.01, 0.05)),
    ALCOHOL: (("ALC",), (1.0,)),
}
#: possible second/third substances by group (None = none)
OTHER_DRUGS = {
    OPIATE: (("CRK", "BZD", "ALC", "CAN", "COC", None), (0.45, 0.08, 0.08, 0.07, 0.04, 0.28)),
    CRACK: (("ALC", "CAN", "COC", "HER", None), (0.15, 0.15, 0.10, 0.05, 0.55)),
    NON_OPIATE: (("ALC", "CAN", "COC", "CRK", None), (0.18, 0.12, 0.08, 0.05, 0.57)),
    ALCOHOL: (("COC", "CAN", "CRK", "BZD", None), (0.10, 0.06, 0.03, 0.02, 0.79)),
}
ETHNICITY = (("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"),
             (0.78, 0.01, 0.04, 0.015, 0.005, 0.005, 0.005, 0.01, 0.01, 0.005, 0.005, 0.015, 0.015, 0.005,
              0.002, 0.008, 0.03, 0.025))
REFERRAL_SOURCE = (("SELF", "GP", "CJIT", "PROB", "PRISON", "HOSP", "MH", "SOCSERV", "DRUGSVC", "FAMILY",
                    "OTHER"),
                   (0.40, 0.12, 0.14, 0.07, 0.05, 0.05, 0.04, 0.03, 0.04, 0.03, 0.03))
INJECTING = (("P", "C", "N", "Z"), {OPIATE: (0.40, 0.25, 0.30, 0.05), CRACK: (0.15, 0.05, 0.75, 0.05),
                                    NON_OPIATE: (0.06, 0.02, 0.89, 0.03), ALCOHOL: (0.04, 0.01, 0.92, 0.03)})
#: mean and spread of age at referral by group (opiate users skew older)
AGE = {OPIATE: (43.0, 8.0), CRACK: (37.0, 9.0), NON_OPIATE: (30.0, 9.0), ALCOHOL: (46.0, 10.0)}
LETTERS = np.array(list("ABCDEFGHIJKLMNOPRSTW"))
LETTER_P = np.array([9, 8, 8, 6, 4, 5, 6, 7, 3, 8, 4, 7, 5, 5, 3, 9, 10, 6, 8, 9], dtype=float)


def choice(rng: np.random.Generator, values: tuple, p: tuple, n: int) -> np.ndarray:
    """n draws from values with probabilities p, as an object array."""
    p_arr = np.asarray(p, dtype=float)
    idx = rng.choice(len(values), size=n, p=p_arr / p_arr.sum())
    return np.array(values, dtype=object)[idx]


def by_group(rng: np.random.Generator, group: np.ndarray, table: dict) -> np.ndarray:
    """Draw one value per row from the group's (values, p) distribution."""
    out = np.full(len(group), None, dtype=object)
    for g, (values, p) in table.items():
        mask = group == g
        if mask.any():
            out[mask] = choice(rng, values, p, int(mask.sum()))
    return out


def substances(rng: np.random.Generator, group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """drug1-3: drug2 and drug3 differ from drug1 and each other; drug3 only with drug2."""
    drug1 = by_group(rng, group, DRUG1)
    drug2 = by_group(rng, group, OTHER_DRUGS)
    drug2[drug2 == drug1] = None
    drug3 = by_group(rng, group, OTHER_DRUGS)
    keep3 = (rng.random(len(group)) < 0.35) & pd.notna(drug2)
    drug3[~keep3 | (drug3 == drug1) | (drug3 == drug2)] = None
    return drug1, drug2, drug3


def age_days(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Age at referral in days: 18 to 64 years, by group (opiate and alcohol users older)."""
    mean = np.array([AGE[g][0] for g in range(4)])[group]
    sd = np.array([AGE[g][1] for g in range(4)])[group]
    years = np.clip(rng.normal(mean, sd), 18.05, 64.9)
    return np.floor(years * 365.25).astype(float)


def sexes(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    male = np.where(group == OPIATE, 0.72, 0.64)
    u = rng.random(len(group))
    return np.where(u < 0.01, "U", np.where(u < 0.01 + male * 0.99, "M", "F")).astype(object)


def initials(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(LETTERS, size=n, p=LETTER_P / LETTER_P.sum()).astype(object)


def postcodes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fictitious postcodes in the ZZ9x pseudo area (never real); about 4% blank."""
    district = rng.integers(90, 100, n)
    sector = rng.integers(1, 10, n)
    unit = rng.choice(np.array(list("ABDEFGHJLNPQRSTUWXYZ")), size=(n, 2))
    out = np.array([f"ZZ{d} {s}{u[0]}{u[1]}" for d, s, u in zip(district, sector, unit, strict=True)],
                   dtype=object)
    out[rng.random(n) < 0.04] = None
    return out
