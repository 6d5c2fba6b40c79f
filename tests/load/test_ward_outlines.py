"""The May 2023 wards' approximate outlines: the union of their best-fit LSOA polygons."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from indicators.load import reference, ward_outlines
from indicators.paths import REFERENCE_DIR


def test_every_2023_ward_has_a_valid_outline_labelled_approximate() -> None:
    lsoas = reference.lsoa_ward(REFERENCE_DIR)
    outlines = ward_outlines.ward_2023_outlines(REFERENCE_DIR, lsoas)
    assert len(outlines) == 34
    assert set(outlines["boundary_vintage"]) == {"approximate outline from LSOA boundaries"}
    polygons = json.loads((REFERENCE_DIR / ward_outlines.LSOA_BOUNDARIES).read_text())
    area = {f["properties"]["LSOA11CD"]: shape(f["geometry"]).area for f in polygons["features"]}
    ward_of = lsoas.dropna(subset=["ward_2023_code"]).set_index("lsoa_code")["ward_2023_code"]
    for row in outlines.itertuples():
        feature = json.loads(row.geojson)
        outline = shape(feature["geometry"])
        assert outline.is_valid and feature["properties"]["ward_code"] == row.ward_code
        own = [code for code, ward in ward_of.items() if ward == row.ward_code and code in area]
        assert outline.area == pytest.approx(sum(area[c] for c in own), rel=1e-6)
