"""Differencing across the two ward vintages: a 2011 ward minus its 2023 successor.

Boothen and Oak Hill (2011–2023, three LSOAs) holds the whole of Boothen
(May 2023, two of those LSOAs); its third LSOA went to another 2023 ward.
So the 2011 ward's count minus the 2023 ward's is the count in that one
LSOA. The test plants exactly 2 requests there in one half-year and attacks
the protected publication with every relation, the overlaps of the two ward
sets among them (`disclosure_attack`): nothing small is recovered. Without
the overlaps, the same publication gives the 2 away.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from disclosure_attack import recover

from indicators.config import spec
from indicators.demo.generate import generate_demo
from indicators.disclosure.publication import Publication, protect_publication
from indicators.engine import compute
from indicators.load.warehouse import build_warehouse
from indicators.paths import CONFIG_PATH
from indicators.ward_vintages import WARDS_2011, WARDS_2023

OLD_WARD, NEW_WARD = "E05008720", "E05014561"  # Boothen and Oak Hill; Boothen
SHARED_LSOA, SLIVER_LSOA = "E01014339", "E01014338"  # in both; only in the 2011 ward
PERIOD = "2021 H1"
PLANTED = 2
# A publication of the indicators that count requests by ward (what the planted count is in).
STRATEGY = spec.load_strategy(CONFIG_PATH)
STRATEGY = replace(
    STRATEGY,
    indicators=tuple(
        i for i in STRATEGY.indicators
        if i.id in {"requests_per_10k", "requests_from_families_or_community"}
    ),
)  # fmt: skip


def plant(requests: pd.DataFrame) -> pd.DataFrame:
    """Exactly PLANTED requests in the sliver LSOA in PERIOD: the rest move to a shared LSOA
    of the same 2011 ward (or, if too few, some move in from it); the ward's requests
    without an LSOA (placed by their ward code, so in no 2023 ward) get the shared one."""
    received = pd.to_datetime(requests["received_date"], errors="coerce")
    in_period = received.between("2021-04-01", "2021-09-30")
    out = requests.copy()
    no_lsoa = in_period & (out["lsoa_code"] == "") & (out["ward_code"] == OLD_WARD)
    out.loc[no_lsoa, "lsoa_code"] = SHARED_LSOA
    sliver = out.index[in_period & (out["lsoa_code"] == SLIVER_LSOA)]
    shared = out.index[in_period & (out["lsoa_code"] == SHARED_LSOA)]
    if len(sliver) > PLANTED:
        out.loc[sliver[PLANTED:], "lsoa_code"] = SHARED_LSOA
    else:
        out.loc[shared[: PLANTED - len(sliver)], "lsoa_code"] = SLIVER_LSOA
    return out


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Publication, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("planted")
    extracts = generate_demo(folder / "demo", seed=5).out_dir
    requests = pd.read_csv(extracts / "requests.csv", dtype=str, keep_default_na=False)
    plant(requests).to_csv(extracts / "requests.csv", index=False)
    warehouse = folder / "warehouse.duckdb"
    build_warehouse(extracts, warehouse, progress=lambda _m: None)
    results = compute.compute_all(warehouse, STRATEGY, protect=False)
    return Publication(results, {}, {}), compute.ward_overlaps(warehouse, STRATEGY)


def test_the_planted_difference_is_there(planted: tuple[Publication, pd.DataFrame]) -> None:
    raw, overlaps = planted
    rate = raw.results[
        (raw.results["indicator_id"] == "requests_per_10k") & (raw.results["period"] == PERIOD)
    ].set_index("area_code")["numerator"]
    assert rate[OLD_WARD] - rate[NEW_WARD] == PLANTED
    sliver = overlaps[
        (overlaps["indicator_id"] == "requests_per_10k")
        & (overlaps["period"] == PERIOD)
        & (overlaps[WARDS_2011.area_type] == OLD_WARD)
        & (overlaps[WARDS_2023.area_type] != NEW_WARD)
    ]
    assert sliver["numerator"].tolist() == [PLANTED]


def _sliver_recovered(leaked: list) -> list:
    return [
        r
        for r in leaked
        if (WARDS_2011.column, OLD_WARD) in r.key.dims
        and (WARDS_2023.column, NEW_WARD) not in r.key.dims
        and any(name == WARDS_2023.column for name, _ in r.key.dims)
        and r.key.period == PERIOD
    ]


def test_no_published_figure_gives_the_difference_away(
    planted: tuple[Publication, pd.DataFrame],
) -> None:
    raw, overlaps = planted
    published = protect_publication(raw.results, {}, {}, STRATEGY, overlaps)
    assert recover(published, raw, STRATEGY, overlaps) == []


def test_protecting_each_vintage_alone_would_give_it_away(
    planted: tuple[Publication, pd.DataFrame],
) -> None:
    """The attack bites: protection that ignores the overlaps leaves the 2 recoverable."""
    raw, overlaps = planted
    published = protect_publication(raw.results, {}, {}, STRATEGY)
    leaked = _sliver_recovered(recover(published, raw, STRATEGY, overlaps))
    assert leaked and {r.truth for r in leaked} == {PLANTED}
