"""Code lists of the canonical extract, each code with a label a person can read.

These are the product's own readable codes, modelled on the national data set's names;
they are not the official national codes and must never be presented as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

SEX: Mapping[str, str] = MappingProxyType({"M": "Male", "F": "Female", "U": "Not known"})

ETHNICITY: Mapping[str, str] = MappingProxyType(
    {
        "A": "White: British",
        "B": "White: Irish",
        "C": "White: any other White background",
        "D": "Mixed: White and Black Caribbean",
        "E": "Mixed: White and Black African",
        "F": "Mixed: White and Asian",
        "G": "Mixed: any other mixed background",
        "H": "Asian or Asian British: Indian",
        "J": "Asian or Asian British: Pakistani",
        "K": "Asian or Asian British: Bangladeshi",
        "L": "Asian or Asian British: any other Asian background",
        "M": "Black or Black British: Caribbean",
        "N": "Black or Black British: African",
        "P": "Black or Black British: any other Black background",
        "R": "Other ethnic groups: Chinese",
        "S": "Other ethnic groups: any other ethnic group",
        "Z": "Not stated",
        "99": "Not known",
    }
)

#: Ethnicity codes grouped the way committee reports break them down.
ETHNICITY_GROUP: Mapping[str, str] = MappingProxyType(
    {
        **{c: "White" for c in "ABC"},
        **{c: "Mixed" for c in "DEFG"},
        **{c: "Asian" for c in "HJKL"},
        **{c: "Black" for c in "MNP"},
        **{c: "Other" for c in "RS"},
        "Z": "Not stated",
        "99": "Not stated",
    }
)

CONSENT: Mapping[str, str] = MappingProxyType({"Y": "Consent given", "N": "Consent not given"})

REFERRAL_SOURCE: Mapping[str, str] = MappingProxyType(
    {
        "SELF": "Self",
        "GP": "GP",
        "CJIT": "Criminal justice (CJIT / DIP)",
        "PROB": "Probation",
        "PRISON": "Prison",
        "HOSP": "Hospital",
        "MH": "Mental health service",
        "SOCSERV": "Social services",
        "DRUGSVC": "Drug or alcohol service",
        "FAMILY": "Family or friends",
        "OTHER": "Other",
    }
)

SUBSTANCE: Mapping[str, str] = MappingProxyType(
    {
        "HER": "Heroin",
        "MTH": "Methadone (illicit)",
        "BUP": "Buprenorphine (illicit)",
        "OOP": "Other opiates",
        "CRK": "Crack cocaine",
        "COC": "Cocaine powder",
        "AMP": "Amphetamines",
        "ECS": "Ecstasy",
        "CAN": "Cannabis",
        "BZD": "Benzodiazepines",
        "SOL": "Solvents",
        "OTH": "Other drug",
        "ALC": "Alcohol",
    }
)

#: Substance -> group. PDU = any of drug1-3 in OPIATE or CRACK.
SUBSTANCE_GROUP: Mapping[str, str] = MappingProxyType(
    {
        "HER": "OPIATE",
        "MTH": "OPIATE",
        "BUP": "OPIATE",
        "OOP": "OPIATE",
        "CRK": "CRACK",
        "COC": "NON_OPIATE",
        "AMP": "NON_OPIATE",
        "ECS": "NON_OPIATE",
        "CAN": "NON_OPIATE",
        "BZD": "NON_OPIATE",
        "SOL": "NON_OPIATE",
        "OTH": "NON_OPIATE",
        "ALC": "ALCOHOL",
    }
)

INJECTING_STATUS: Mapping[str, str] = MappingProxyType(
    {"P": "Previously injected", "C": "Currently injecting", "N": "Never injected", "Z": "Declined to answer"}
)

DISCHARGE_REASON: Mapping[str, str] = MappingProxyType(
    {
        "TCDF": "Treatment completed - drug free",
        "TCOU": "Treatment completed - occasional user (not heroin or crack)",
        "TRNC": "Transferred - not in custody",
        "TRIC": "Transferred - in custody",
        "INDO": "Incomplete - dropped out",
        "INTW": "Incomplete - treatment withdrawn by provider",
        "INRC": "Incomplete - retained in custody",
        "INDC": "Incomplete - treatment commencement declined by client",
        "INDI": "Incomplete - client died",
        "OTHR": "Other / not known",
    }
)

MODALITY_TYPE: Mapping[str, str] = MappingProxyType(
    {
        "INPT": "Inpatient",
        "RESI": "Residential rehabilitation",
        "SPRX": "Specialist prescribing",
        "GPRX": "GP prescribing",
        "PSY": "Structured psychosocial intervention",
        "SDP": "Structured day programme",
        "OSI": "Other structured intervention",
        "ALC": "Structured alcohol intervention",
    }
)

MODALITY_EXIT_STATUS: Mapping[str, str] = MappingProxyType(
    {"A": "Planned", "B": "Unplanned by client", "C": "Withdrawn"}
)

TOP_STAGE: Mapping[str, str] = MappingProxyType(
    {"S": "Start", "R": "Review", "E": "Exit", "P": "Post-exit"}
)

#: Every code list by the name the column definitions use.
CODE_LISTS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "sex": SEX,
        "ethnicity": ETHNICITY,
        "consent": CONSENT,
        "referral_source": REFERRAL_SOURCE,
        "substance": SUBSTANCE,
        "injecting_status": INJECTING_STATUS,
        "discharge_reason": DISCHARGE_REASON,
        "modality_type": MODALITY_TYPE,
        "modality_exit_status": MODALITY_EXIT_STATUS,
        "top_stage": TOP_STAGE,
    }
)

DEFAULT_PLANNED_REASONS: tuple[str, ...] = ("TCDF", "TCOU")
LEGACY_PLANNED_REASONS: tuple[str, ...] = ("TCDF", "TCOU", "TRNC", "TRIC")


def label(code_list: str, code: str) -> str:
    """The readable label of one code, or the code itself when it is not in the list."""
    return CODE_LISTS[code_list].get(code, code)
