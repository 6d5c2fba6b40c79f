"""Each LSOA an extract may hold → its May 2023 ward, by the shipped ONS best-fit lookups.

ONS publishes LSOA 2021 → ward (May 2024, the same 34 wards the city has had
since May 2023) best fit: a whole LSOA goes to one ward. An extract row may
carry a 2011 LSOA, which reaches a 2023 ward through the LSOA 2011 → 2021
lookup: an unchanged LSOA keeps its code; a 2011 LSOA that split goes to
its 2021 parts' ward when they all share one. When they do not, nothing is
invented: the 2011 LSOA has no 2023 ward and `ward_2023_note` says why, so
its rows (and its population) are counted for the city but for no 2023 ward.
"""

from __future__ import annotations

import pandas as pd

SPLIT_ACROSS_WARDS = "2011 LSOA split into 2021 LSOAs of different May 2023 wards"
NOT_IN_LOOKUP = "not in the LSOA 2021 to May 2023 ward lookup"


def ward_2023_of(lsoas: pd.DataFrame, bridge: pd.DataFrame, ward24: pd.DataFrame) -> pd.DataFrame:
    """`lsoas` (lsoa_code, lsoa_vintage) with `ward_2023_code` and `ward_2023_note` added.

    `bridge` is the LSOA 2011 → 2021 lookup (lsoa11_code, lsoa21_code) and
    `ward24` the LSOA 2021 → ward lookup (lsoa21_code, ward24_code), as shipped.
    """
    ward_of_21 = ward24.set_index("lsoa21_code")["ward24_code"]
    parts = bridge.assign(ward=bridge["lsoa21_code"].map(ward_of_21))
    wards_of_11 = parts.groupby("lsoa11_code")["ward"].agg(lambda w: sorted(set(w.dropna())))
    out = lsoas.copy()
    is_2021 = out["lsoa_vintage"] == "2021"
    found = out["lsoa_code"].map(wards_of_11)
    out["ward_2023_code"] = [
        (ward_of_21.get(code) if new else (w[0] if isinstance(w, list) and len(w) == 1 else None))
        for code, new, w in zip(out["lsoa_code"], is_2021, found, strict=True)
    ]
    split = ~is_2021 & found.map(lambda w: isinstance(w, list) and len(w) > 1)
    out["ward_2023_note"] = None
    out.loc[out["ward_2023_code"].isna(), "ward_2023_note"] = NOT_IN_LOOKUP
    out.loc[split, "ward_2023_note"] = SPLIT_ACROSS_WARDS
    return out


def ward_2023_containing(lsoas: pd.DataFrame) -> pd.Series:
    """Each 2011–2023 ward → the one May 2023 ward that wholly contains its LSOAs, or None.

    A record with no LSOA only names its 2011–2023 ward. When every LSOA of
    that ward has the same May 2023 ward (and none lacks one), the record is
    in that ward whatever LSOA it came from, so it is placed there (best fit,
    like every other assignment); otherwise it stays without a May 2023 ward.
    `lsoas` is `ward_2023_of`'s output (ward_code, ward_2023_code per LSOA).
    """
    by_ward = lsoas.groupby("ward_code")["ward_2023_code"]
    whole = by_ward.agg(lambda w: w.notna().all() and w.nunique() == 1)
    first = by_ward.first()
    return first.where(whole).rename("within_ward_2023")
