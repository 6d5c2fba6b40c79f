"""The two sets of wards every ward figure is computed for, as codes every stage consults.

The city's 37 wards of 2011–2023 and its 34 wards of May 2023 overlap: each
extract row is placed in both through its LSOA, with the ONS best-fit
lookups shipped in `data/reference/lookups` (a whole LSOA goes to one ward;
2011 LSOAs reach the 2023 wards through the LSOA 2011 → 2021 lookup). The
tidy frame marks a ward row of each set with that set's `area_type`, so one
frame holds both and a reader can never mix them up. Words for a person
(which wards, that assignment is best fit) live in `indicators.present.ward_words`.

>>> BY_AREA_TYPE["ward_2023"].column
'analysis_ward_2023_code'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WardVintage:
    """One set of wards: its tidy `area_type` (also its breakdown name in the compiled
    query), the warehouse column rows are cut by, and its `wards.vintage` value."""

    area_type: str
    column: str
    vintage: str


WARDS_2011 = WardVintage("ward", "analysis_ward_code", "2011-2023")
WARDS_2023 = WardVintage("ward_2023", "analysis_ward_2023_code", "2023-")
VINTAGES = (WARDS_2011, WARDS_2023)
BY_AREA_TYPE = {v.area_type: v for v in VINTAGES}
# What a viewer sees first: the wards councillors sit for today.
CURRENT = WARDS_2023
# The breakdown a definition names (`breakdowns: [ward]`) stands for every vintage.
WARD_BREAKDOWN = WARDS_2011.area_type
WARD_AREA_TYPES = tuple(BY_AREA_TYPE)


def is_ward(area_type: str) -> bool:
    """A ward of either vintage (not the city, not a comparator)."""
    return area_type in BY_AREA_TYPE
