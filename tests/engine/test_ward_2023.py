"""The May 2023 wards against an independent recomputation in plain pandas.

Every 2023 ward and half-year of a proportion, a rate and a mean, from the
raw demo extracts and the shipped ONS lookups only (LSOA 2011 → 2021 →
ward May 2024, best fit), sharing no code with the engine or the load. The
figures are compared before disclosure control, so every ward and period is
checked, not only those the publication shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DemoLoad
from scipy import stats
from test_compute import assert_wilson_percent, clean_extract, half_year

from indicators.config import spec
from indicators.engine.compute import compute_all
from indicators.paths import CONFIG_PATH, REFERENCE_DIR

STRATEGY = spec.load_strategy(CONFIG_PATH)
ESTIMATE_YEARS = np.array([2017, 2019, 2020])


@pytest.fixture(scope="module")
def unprotected(demo_warehouse: Path) -> pd.DataFrame:
    return compute_all(demo_warehouse, STRATEGY, protect=False)


def lookup(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE_DIR / "lookups" / name, dtype=str)


def ward_2023_of_lsoa() -> dict[str, str]:
    """LSOA (2011 or 2021 code) → May 2023 ward; a 2011 LSOA whose 2021 parts lie in two
    wards has none."""
    ward24 = lookup("lsoa21_to_ward24_lad24_stoke.csv")
    of_21 = dict(zip(ward24["lsoa21_code"], ward24["ward24_code"], strict=True))
    bridge = lookup("lsoa11_to_lsoa21_lad22_stoke.csv")
    bridge["ward"] = bridge["lsoa21_code"].map(of_21)
    wards_of_11 = bridge.groupby("lsoa11_code")["ward"].nunique()
    single = bridge[bridge["lsoa11_code"].map(wards_of_11) == 1]
    return {**dict(zip(single["lsoa11_code"], single["ward"], strict=False)), **of_21}


def ward_2023_containing_2011_ward() -> dict[str, str]:
    """2011–2023 ward → the May 2023 ward holding every one of its LSOAs, where just one does
    (a 2011 LSOA with no May 2023 ward makes its ward's answer none)."""
    wards_2011 = lookup("lsoa11_to_ward19_lad19_stoke.csv")
    wards_2011["ward"] = wards_2011["LSOA11CD"].map(ward_2023_of_lsoa())
    found = wards_2011.groupby("WD19CD")["ward"].agg(
        lambda w: w.iloc[0] if w.notna().all() and w.nunique() == 1 else None
    )
    return found.dropna().to_dict()


def place(frame: pd.DataFrame) -> pd.Series:
    """A row's May 2023 ward: through its LSOA, else its own ward code if a 2023 one, else
    the 2023 ward that wholly contains its own 2011–2023 ward."""
    own = frame["ward_code"].where(frame["ward_code"].isin(set(ward_2023_of_lsoa().values())))
    whole = frame["ward_code"].map(ward_2023_containing_2011_ward())
    return frame["lsoa_code"].map(ward_2023_of_lsoa()).fillna(own).fillna(whole)


def engine_rows(results: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    rows = results[
        (results["indicator_id"] == indicator_id)
        & (results["area_type"] == "ward_2023")
        & (results["period_type"] == "half_year")
        & (results["area_code"] != "unknown")
    ]
    return rows.set_index(["period", "area_code"]).sort_index()


def test_split_lsoas_without_one_2023_ward_are_not_assigned() -> None:
    """Two 2011 LSOAs split into 2021 LSOAs of different 2023 wards: no ward is invented."""
    assigned = ward_2023_of_lsoa()
    assert "E01014251" not in assigned and "E01014236" not in assigned
    assert len(set(assigned.values())) == 34


def test_proportion_for_every_2023_ward(demo_load: DemoLoad, unprotected: pd.DataFrame) -> None:
    """Requests from families or the community (Wilson limits), every ward and half-year."""
    requests = clean_extract(demo_load.extracts, "requests")
    requests["ward"] = place(requests)
    requests["period"] = half_year(pd.to_datetime(requests["received_date"]))
    requests["own"] = requests["source"].isin(["self_or_family", "voluntary_community_faith"])
    expected = (
        requests.dropna(subset=["ward"])
        .groupby(["period", "ward"])
        .agg(x=("own", "sum"), n=("request_id", "nunique"))
        .rename_axis(["period", "area_code"])
    )
    engine = engine_rows(unprotected, "requests_from_families_or_community")
    assert engine.index.equals(expected.index)
    assert engine.index.get_level_values("area_code").nunique() == 34
    assert (engine["numerator"] == expected["x"]).all()
    assert (engine["denominator"] == expected["n"]).all()
    assert_wilson_percent(engine, expected["x"], expected["n"])


def children_by_2023_ward() -> pd.DataFrame:
    """Children 0-17 per 2023 ward and estimate year: the sum of its LSOAs' estimates."""
    frames = []
    for year in ESTIMATE_YEARS:
        raw = pd.read_csv(
            REFERENCE_DIR / f"population/ons_sape_mid{year}_persons_syoa_stoke_lsoa11.csv"
        )
        frame = pd.DataFrame(
            {
                "ward": raw["lsoa11_code"].map(ward_2023_of_lsoa()),
                "children": raw[[str(a) for a in range(18)]].sum(axis=1),
                "year": year,
            }
        )
        frames.append(frame.groupby(["ward", "year"], as_index=False)["children"].sum())
    return pd.concat(frames).set_index(["ward", "year"])["children"]


def test_rate_for_every_2023_ward(demo_load: DemoLoad, unprotected: pd.DataFrame) -> None:
    """Requests per 10,000 children (Byar / exact Poisson), nearest small-area estimate."""
    requests = clean_extract(demo_load.extracts, "requests")
    requests["ward"] = place(requests)
    requests["period"] = half_year(pd.to_datetime(requests["received_date"]))
    counted = (
        requests.dropna(subset=["ward"])
        .groupby(["period", "ward"])["request_id"]
        .nunique()
        .rename_axis(["period", "area_code"])
    )
    engine = engine_rows(unprotected, "requests_per_10k")
    assert engine.index.equals(counted.index)
    children = children_by_2023_ward()
    period_year = engine.index.get_level_values("period").str[:4].astype(int).to_numpy()
    nearest = ESTIMATE_YEARS[
        np.argmin(
            np.abs(ESTIMATE_YEARS[None, :] - period_year[:, None]) * 2
            + (ESTIMATE_YEARS[None, :] > period_year[:, None]),
            axis=1,
        )
    ]
    wards = engine.index.get_level_values("area_code")
    population = children.loc[list(zip(wards, nearest, strict=True))].to_numpy(dtype=float)
    x = counted.to_numpy(dtype=float)
    assert (engine["numerator"].to_numpy() == x).all()
    np.testing.assert_array_equal(engine["denominator"].to_numpy(), population)
    z = stats.norm.ppf(0.975)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact_lower = np.where(x > 0, stats.chi2.ppf(0.025, 2 * x) / 2, 0.0)
        exact_upper = stats.chi2.ppf(0.975, 2 * x + 2) / 2
        byar_lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        byar_upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    lower = np.where(x < 10, exact_lower, byar_lower)
    upper = np.where(x < 10, exact_upper, byar_upper)
    scale = 10_000 / population
    np.testing.assert_allclose(engine["value"], x * scale, rtol=1e-12)
    np.testing.assert_allclose(engine["lower_ci"], lower * scale, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(engine["upper_ci"], upper * scale, rtol=1e-9)


def test_mean_for_every_2023_ward(demo_load: DemoLoad, unprotected: pd.DataFrame) -> None:
    """Mean change in outcome score (Student t), placed through the episode's LSOA."""
    outcomes = clean_extract(demo_load.extracts, "outcomes")
    episodes = clean_extract(demo_load.extracts, "episodes")
    ward_of_episode = dict(zip(episodes["episode_id"], place(episodes), strict=True))
    outcomes["ward"] = outcomes["episode_id"].map(ward_of_episode)
    outcomes = outcomes[outcomes["score_end"].notna()].dropna(subset=["ward"])
    outcomes["change"] = outcomes["score_end"].astype(int) - outcomes["score_start"].astype(int)
    outcomes["period"] = half_year(pd.to_datetime(outcomes["recorded_date"]))
    grouped = outcomes.rename(columns={"ward": "area_code"}).groupby(["period", "area_code"])
    expected = pd.DataFrame(
        {"mean": grouped["change"].mean(), "n": grouped["change"].count(),
         "sd": grouped["change"].std()}
    )  # fmt: skip
    engine = engine_rows(unprotected, "mean_outcome_change")
    assert engine.index.equals(expected.index)
    assert (engine["numerator"] == expected["n"]).all()
    np.testing.assert_allclose(engine["value"], expected["mean"], rtol=1e-12)
    lower, upper = stats.t.interval(
        0.95, expected["n"] - 1, loc=expected["mean"], scale=expected["sd"] / np.sqrt(expected["n"])
    )
    np.testing.assert_allclose(engine["lower_ci"], lower, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(engine["upper_ci"], upper, rtol=1e-9, atol=1e-9)
