"""The whole publication, attacked as a reader would: nothing of 1-4 shown or derivable.

A reader has every published figure at once: the tidy results of every
indicator, the monthly SPC series and the front-door flows. These tests
attack them from the published figures only (plus the definitions, which the
catalogue publishes), with an integer programme over every relation
(`disclosure_attack`) and with the specific subtractions an adversarial
review used against the first version.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from disclosure_attack import recover

from indicators.config import spec
from indicators.demo.generate import generate_demo
from indicators.disclosure.publication import Publication, protect_publication
from indicators.engine import compute, flow
from indicators.load.warehouse import build_warehouse
from indicators.paths import CONFIG_PATH

STRATEGY = spec.load_strategy(CONFIG_PATH)
SMALL = (1, STRATEGY.min_count - 1)


def unprotected(warehouse: Path) -> Publication:
    """Every figure of a load before disclosure control."""
    results = compute.compute_all(warehouse, STRATEGY, protect=False)
    monthly = {i.id: compute.monthly(warehouse, i) for i in STRATEGY.indicators if i.monthly}
    periods = sorted(results.loc[results["period_type"] == "half_year", "period"].unique())
    flows = {p: flow.front_door_links(warehouse, p) for p in periods}
    return Publication(results, monthly, flows)


@pytest.fixture(scope="module")
def raw(demo_warehouse: Path) -> Publication:
    """Every figure before disclosure control, from the shared demo load."""
    return unprotected(demo_warehouse)


@pytest.fixture(scope="module")
def overlaps(demo_warehouse: Path) -> pd.DataFrame:
    """What a 2011 ward and a 2023 ward share, never published (`compute.ward_overlaps`)."""
    return compute.ward_overlaps(demo_warehouse, STRATEGY)


@pytest.fixture(scope="module")
def published(raw: Publication, overlaps: pd.DataFrame) -> Publication:
    return protect_publication(raw.results, raw.monthly, raw.flows, STRATEGY, overlaps)


def test_nothing_small_is_shown_anywhere(published: Publication) -> None:
    shown = published.results[~published.results["suppressed"]]
    people = shown["measure"].isin(["proportion", "mean", "median", "share_by_category"])
    assert not shown["numerator"].between(*SMALL).any()
    assert not shown.loc[people, "denominator"].between(*SMALL).any()
    proportion = shown[shown["measure"] == "proportion"]
    assert not (proportion["denominator"] - proportion["numerator"]).between(*SMALL).any()
    for series in published.monthly.values():
        visible = series[~series["suppressed"]]
        assert not visible["numerator"].between(*SMALL).any()
    for links in published.flows.values():
        assert not links["families"].between(*SMALL).any()


@pytest.mark.slow
def test_solving_every_relation_recovers_no_suppressed_small_count(
    raw: Publication, published: Publication, overlaps: pd.DataFrame
) -> None:
    """Across both ward vintages: wards of 2011–2023 and of May 2023, and their overlaps."""
    assert set(raw.results["area_type"]) == {"la", "ward", "ward_2023"}
    assert recover(published, raw, STRATEGY, overlaps) == []


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "share"), [(11, 0.03), (12, 0.15)])
def test_a_sparse_load_where_most_cells_are_small_leaks_nothing(
    tmp_path: Path, seed: int, share: float
) -> None:
    """Few requests (the rest of the extracts then quarantined as orphans): small cells
    everywhere, so secondary suppression is stretched across every relation at once."""
    extracts = generate_demo(tmp_path / "demo", seed=seed).out_dir
    requests = pd.read_csv(extracts / "requests.csv", dtype=str, keep_default_na=False)
    requests.sample(frac=share, random_state=seed).to_csv(extracts / "requests.csv", index=False)
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(extracts, warehouse, progress=lambda _m: None)
    sparse = unprotected(warehouse)
    overlaps = compute.ward_overlaps(warehouse, STRATEGY)
    published = protect_publication(
        sparse.results, sparse.monthly, sparse.flows, STRATEGY, overlaps
    )
    assert published.results["suppressed"].mean() > 0.3
    assert recover(published, sparse, STRATEGY, overlaps) == []


@pytest.mark.slow
def test_the_attack_does_recover_counts_from_per_indicator_protection(raw: Publication) -> None:
    """The attack bites: protecting one indicator at a time (the first version) leaks."""
    from indicators.disclosure.small_numbers import apply_disclosure

    limits = {i.id: STRATEGY.min_count_for(i) for i in STRATEGY.indicators}
    per_indicator = Publication(
        apply_disclosure(raw.results, min_count_by_indicator=limits),
        {i: s.assign(suppressed=False) for i, s in raw.monthly.items()},
        {p: f.assign(suppressed=False) for p, f in raw.flows.items()},
    )
    leaked = recover(per_indicator, raw, STRATEGY)
    assert len(leaked) > 10
    assert all(SMALL[0] <= r.truth <= SMALL[1] and r.low == r.high == r.truth for r in leaked)


def test_the_thrive_mix_total_minus_the_other_categories_is_never_small(
    published: Publication,
) -> None:
    """The review recovered 63 counts of 1-4 this way from the first version."""
    mix = published.results[published.results["indicator_id"] == "thrive_mix_of_requests"]
    for key, group in mix.groupby(["period", "area_code"]):
        hidden = group["suppressed"]
        totals = group.loc[~hidden, "denominator"].dropna()
        if hidden.sum() == 1 and len(totals):
            worked_out = totals.iloc[0] - group.loc[~hidden, "numerator"].sum()
            assert not SMALL[0] <= worked_out <= SMALL[1], key


def test_a_half_year_minus_its_other_months_is_never_small(published: Publication) -> None:
    """The review found 229 of 230 months published: one month = half-year - the others."""
    results = published.results
    city = results[(results["area_type"] == "la") & (results["breakdown"] == "all")]
    for indicator_id, series in published.monthly.items():
        months = pd.to_datetime(series["period"] + "-01")
        start = months.dt.year.where(months.dt.month >= 4, months.dt.year - 1)
        half = start.astype(str) + months.dt.month.between(4, 9).map({True: " H1", False: " H2"})
        totals = city[city["indicator_id"] == indicator_id].set_index("period")["numerator"]
        for period, months_of in series.groupby(half):
            hidden = months_of["suppressed"]
            if hidden.sum() == 1 and pd.notna(totals.get(period)):
                worked_out = totals[period] - months_of.loc[~hidden, "numerator"].sum()
                assert not SMALL[0] <= worked_out <= SMALL[1], (indicator_id, period)


def test_a_count_shared_by_definition_is_hidden_wherever_it_is_small(
    raw: Publication, published: Publication
) -> None:
    """Requests received: the numerator of one indicator, the denominator of two others."""
    keys = ["period", "area_code", "breakdown", "category"]
    rate = raw.results[raw.results["indicator_id"] == "requests_per_10k"]
    small = rate[rate["numerator"].between(*SMALL)][keys]
    shown = published.results[~published.results["suppressed"]]
    for indicator_id in ("re_referrals_12_months", "requests_from_families_or_community"):
        other = shown[shown["indicator_id"] == indicator_id]
        assert small.merge(other, on=keys).empty, indicator_id
