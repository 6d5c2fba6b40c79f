"""The words a person reads about wards: which set of wards a view shows, and how rows
were placed in them. Codes live in `indicators.ward_vintages`; only words live here.

>>> WARD_SET_NAMES["ward_2023"]
'May 2023 wards (34, current)'
"""

from __future__ import annotations

import pandas as pd

from indicators.ward_vintages import WARDS_2011, WARDS_2023

WARD_SET_NAMES = {
    WARDS_2023.area_type: "May 2023 wards (34, current)",
    WARDS_2011.area_type: "2011–2023 wards (37)",
}

# Short names, for chart titles.
WARD_SET_SHORT = {
    WARDS_2023.area_type: "May 2023 wards",
    WARDS_2011.area_type: "2011–2023 wards",
}

# Where a ward map's outlines come from, printed on every map of that set of wards.
MAP_SOURCES = {
    WARDS_2023.area_type: "council early help extracts; May 2023 wards: approximate outline "
    "from LSOA boundaries (LSOA 2011, ONS, OS; ONS best-fit lookups)",
    WARDS_2011.area_type: "council early help extracts; ward boundaries December 2013 (ONS, OS)",
}

# One ward of the set, after its name wherever a page names the ward it shows.
WARD_OF_SET = {
    WARDS_2023.area_type: "May 2023 ward",
    WARDS_2011.area_type: "2011–2023 ward",
}

# Said under any view of one ward: how its records were placed in it.
BEST_FIT = (
    "Ward figures place each record in a ward through its LSOA by the ONS best-fit lookups "
    "(a whole LSOA to one ward), so they are approximate where a ward boundary cuts an LSOA."
)

# Column labels of the ward table, in the order it is shown.
WARD_TABLE_LABELS = {
    "rank": "Rank",
    "area_name": "Ward",
    "area_code": "Ward code",
    "numerator": "Count",
    "denominator": "Denominator",
    "value": "Value",
    "lower_ci": "95% lower limit",
    "upper_ci": "95% upper limit",
    "compared_with_city": "Compared with the city",
    "suppressed": "Suppressed (fewer than 5)",
}
# Kept in view while the wide ward table scrolls sideways, so every row still names its ward.
WARD_TABLE_PINNED = ("Rank", "Ward")
# The ward set's own words for its records placed in no ward of it, in `left_out_note`.
UNPLACED = {
    WARDS_2023.area_type: "records with no LSOA whose 2011–2023 ward spans more than one May "
    "2023 ward, or in an LSOA split between two",
    WARDS_2011.area_type: "records with neither an LSOA nor a 2011–2023 ward code",
}


def ward_label(area_name: str, area_type: str) -> str:
    """'Hanley Park, Joiner's Square & Shelton' → '… (May 2023 ward)': which set it is from."""
    return f"{area_name} ({WARD_OF_SET[area_type]})"


def labelled_ward_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """A ward table (`indicators.publish.wards`) with the columns a reader sees, labelled."""
    return ranked[list(WARD_TABLE_LABELS)].rename(columns=WARD_TABLE_LABELS)


def comparison_with_city(words: str) -> str:
    """'Higher than' → 'Higher than the city'; empty stays empty."""
    return f"{words} the city" if words else ""


def ward_set_note(area_type: str, area_name: str) -> str:
    """Which wards a view shows and that every row is placed by best fit, for `area_type`."""
    if area_type == WARDS_2023.area_type:
        return (
            f"Showing {area_name}'s 34 wards of May 2023, for every period back to 2019. Each "
            "record is placed in a ward through its LSOA by the ONS best-fit lookups (LSOA 2011 "
            "to 2021 to ward), a whole LSOA to one ward, so figures are approximate where a "
            "ward boundary cuts an LSOA. A record with no LSOA goes to the May 2023 ward that "
            "wholly contains its 2011–2023 ward, where one does; otherwise, like records in "
            "the two 2011 LSOAs split between two new wards, it counts for the city but for "
            "no ward. Ward populations are sums of their LSOAs' estimates."
        )
    return (
        f"Showing {area_name}'s 37 wards of 2011–2023 (December 2013 boundaries), which IMD "
        "2019 describes. Each record is placed in a ward through its LSOA by the ONS best-fit "
        "lookup (a whole LSOA to one ward), or by the ward code in the extract when it has no "
        "LSOA. The wards changed in May 2023: choose the May 2023 wards under Wards in the "
        "sidebar for the wards councillors sit for today."
    )


def left_out_note(area_type: str, numerator: float, suppressed: bool) -> str:
    """How many records of the city's figure are in no ward of the set (protected like any
    count: a small one is not shown)."""
    if suppressed or numerator != numerator:
        count = "a number not shown (fewer than 5, or protected against differencing)"
    else:
        count = f"{int(numerator):,}"
    return (
        f"Left out of every ward of this set: {count} records "
        f"({UNPLACED[area_type]}); they count for the city."
    )
