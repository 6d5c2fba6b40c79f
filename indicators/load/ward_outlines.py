"""Approximate outlines of the May 2023 wards: the union of their best-fit LSOA polygons.

No official boundary file for the 34 wards of May 2023 is shipped (see
data/reference/PROVENANCE.md). What is shipped are the 2011 LSOA polygons and
the best-fit lookups that place each LSOA in a ward (`ward_assignment`), so
each ward's outline is the union of its LSOAs' polygons, worked out once at
load with shapely and stored beside the official December 2013 outlines in
`ward_boundaries`. It is the area the ward's figures describe, which can
differ from the legal boundary where that cuts an LSOA; every map and the
provenance say "approximate outline from LSOA boundaries". The two 2011 LSOAs
with no 2023 ward are in no outline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import mapping, shape

LSOA_BOUNDARIES = "boundaries/stoke_lsoa_2011_martinjc.geojson"
OUTLINE_VINTAGE = "approximate outline from LSOA boundaries"


def ward_2023_outlines(reference_dir: Path, lsoas: pd.DataFrame) -> pd.DataFrame:
    """One GeoJSON feature per May 2023 ward (ward_code, boundary_vintage, geojson).

    `lsoas` is `reference.lsoa_ward` (2011 LSOAs carry `ward_2023_code`).
    """
    features = json.loads((reference_dir / LSOA_BOUNDARIES).read_text(encoding="utf-8"))
    polygons = {f["properties"]["LSOA11CD"]: shape(f["geometry"]) for f in features["features"]}
    ward_of = lsoas.dropna(subset=["ward_2023_code"]).set_index("lsoa_code")["ward_2023_code"]
    by_ward: dict[str, list] = {}
    for code, polygon in polygons.items():
        if code in ward_of.index:
            by_ward.setdefault(ward_of[code], []).append(polygon)
    rows = []
    for ward_code in sorted(by_ward):
        outline = shapely.union_all(by_ward[ward_code])
        feature = {
            "type": "Feature",
            "properties": {"ward_code": ward_code, "outline": OUTLINE_VINTAGE},
            "geometry": mapping(outline),
        }
        rows.append((ward_code, OUTLINE_VINTAGE, json.dumps(feature, separators=(",", ":"))))
    return pd.DataFrame(rows, columns=["ward_code", "boundary_vintage", "geojson"])
