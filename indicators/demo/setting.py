"""Where and when the synthetic city lives: real places, calendar and the story's curves.

The demo extracts are synthetic, but they sit on Stoke-on-Trent's real
geography (159 LSOAs of 2011, 37 wards of 2019, IMD 2019 deciles, mid-2019
children 0-17), so that maps, ward tables and deprivation breakdowns look like
the city the board knows. Time-varying behaviour is written as a handful of
curves over days, so the story (COVID dip, school-term seasonality, the
strategy's gradual effect from October 2020) is stated once and reused by
every table.

Days are integers counted from 1970-01-01 (numpy's ``datetime64[D]`` epoch),
which keeps every calculation a plain vectorised array operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.paths import REFERENCE_DIR

WARD_LOOKUP = Path("lookups/lsoa11_to_ward19_lad19_stoke.csv")
DEPRIVATION = Path("deprivation/iod2019_file3_imd_idaci_idaopi_stoke_lsoa11.csv")
POPULATION = Path("population/ons_sape_mid2019_persons_syoa_stoke_lsoa11.csv")
CHILD_AGES = [str(age) for age in range(18)]


def day(iso: str) -> int:
    """Day number of an ISO date, e.g. ``day("1970-01-02") == 1``."""
    return int(np.datetime64(iso, "D").astype(np.int64))


SYSTEM_START = day("2019-04-01")  # first day of the case management system's records
EXTRACT_END = day("2025-03-31")  # the extract is taken at close of 2024/25
STRATEGY_START = day("2020-10-01")  # Cabinet approved the strategy in October 2020
STRATEGY_EMBEDDED = day("2024-03-31")  # by the end of 2023/24 the new way of working is normal
COVID_LOCKDOWN = (day("2020-03-23"), day("2020-05-31"))
COVID_EASING = (day("2020-06-01"), day("2020-07-31"))
SCHOOLS_CLOSED_2021 = (day("2021-01-05"), day("2021-03-07"))

# Easter Sunday each year: the Easter school holiday moves with it.
EASTER_SUNDAYS = tuple(
    day(iso)
    for iso in (
        "2019-04-21",
        "2020-04-12",
        "2021-04-04",
        "2022-04-17",
        "2023-04-09",
        "2024-03-31",
        "2025-04-20",
    )
)

# Requests by calendar month (Jan..Dec): schools refer most in the autumn and
# spring terms, least in August.
MONTHLY_REQUEST_FACTOR = np.array(
    [1.10, 1.08, 1.10, 0.95, 1.02, 1.02, 0.95, 0.62, 1.10, 1.15, 1.15, 0.95]
)
CHRISTMAS_FORTNIGHT_FACTOR = 0.45
WEEKEND_FACTOR = 0.12  # families can ask online at the weekend; agencies rarely do


@dataclass(frozen=True)
class Geography:
    """Stoke-on-Trent's LSOAs, aligned arrays indexed by LSOA position.

    ``ward_of_lsoa[i]`` indexes ``ward_codes``; ``imd_decile`` is national
    (1 = most deprived 10%); ``children`` is the mid-2019 estimate aged 0-17.
    """

    lsoa_codes: np.ndarray
    ward_of_lsoa: np.ndarray
    ward_codes: np.ndarray
    ward_names: np.ndarray
    imd_decile: np.ndarray
    children: np.ndarray

    def ward_code(self, name: str) -> str:
        """GSS code of a ward by its 2019 name, e.g. ``"Tunstall" -> "E05008749"``."""
        matches = np.flatnonzero(self.ward_names == name)
        if matches.size != 1:
            raise KeyError(f"no single Stoke-on-Trent ward named {name!r}")
        return str(self.ward_codes[matches[0]])

    def need_weight(self) -> np.ndarray:
        """Relative requests per LSOA: children x a need factor rising with deprivation.

        The factor is 2.5 in IMD decile 1 and 1.0 in decile 10, linear between,
        so the most deprived areas ask for help about 2.5 times as often per child.
        """
        need = 1.0 + 1.5 * (10 - self.imd_decile) / 9.0
        weight = self.children * need
        return weight / weight.sum()


def load_geography(reference_dir: Path = REFERENCE_DIR) -> Geography:
    """Read the shipped lookup, IMD 2019 and population files into one aligned table."""
    lookup = pd.read_csv(reference_dir / WARD_LOOKUP, dtype=str)
    deprivation = pd.read_csv(reference_dir / DEPRIVATION)
    population = pd.read_csv(reference_dir / POPULATION)
    deciles = pd.DataFrame(
        {"LSOA11CD": deprivation.iloc[:, 0], "imd_decile": deprivation.iloc[:, 5]}
    )
    children = pd.DataFrame(
        {"LSOA11CD": population["lsoa11_code"], "children": population[CHILD_AGES].sum(axis=1)}
    )
    lsoas = (
        lookup[["LSOA11CD", "WD19CD", "WD19NM"]]
        .merge(deciles, on="LSOA11CD", validate="one_to_one")
        .merge(children, on="LSOA11CD", validate="one_to_one")
        .sort_values("LSOA11CD", ignore_index=True)
    )
    wards = lsoas[["WD19CD", "WD19NM"]].drop_duplicates().sort_values("WD19CD")
    ward_position = {code: i for i, code in enumerate(wards["WD19CD"])}
    return Geography(
        lsoa_codes=lsoas["LSOA11CD"].to_numpy(dtype=object),
        ward_of_lsoa=lsoas["WD19CD"].map(ward_position).to_numpy(dtype=np.int64),
        ward_codes=wards["WD19CD"].to_numpy(dtype=object),
        ward_names=wards["WD19NM"].to_numpy(dtype=object),
        imd_decile=lsoas["imd_decile"].to_numpy(dtype=np.int64),
        children=lsoas["children"].to_numpy(dtype=np.int64),
    )


# -- calendar -----------------------------------------------------------------


def period_days() -> np.ndarray:
    """Every day the extract covers, 2019-04-01 to 2025-03-31."""
    return np.arange(SYSTEM_START, EXTRACT_END + 1, dtype=np.int64)


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def month_and_day(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar month (1-12) and day of month (1-31)."""
    as_dates = days.astype("datetime64[D]")
    month_start = as_dates.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12 + 1
    day_of_month = (as_dates - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    return month, day_of_month


def within(days: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    """Whether each day falls in a window of (first, last) day, both included."""
    return (days >= window[0]) & (days <= window[1])


def christmas_fortnight(days: np.ndarray) -> np.ndarray:
    """20 December to 3 January, when schools and most services are closed."""
    month, dom = month_and_day(days)
    return ((month == 12) & (dom >= 20)) | ((month == 1) & (dom <= 3))


def school_holiday(days: np.ndarray) -> np.ndarray:
    """A typical Stoke-on-Trent school year's holidays (approximate, not the LA's calendar).

    Summer 22 July-2 September, Christmas fortnight, Easter fortnight around
    Easter Sunday, and half terms in late October, mid February and late May.
    """
    month, dom = month_and_day(days)
    month_day = month * 100 + dom
    holiday = (month_day >= 722) & (month_day <= 902)
    holiday |= christmas_fortnight(days)
    holiday |= (month_day >= 1024) & (month_day <= 1031)
    holiday |= (month_day >= 213) & (month_day <= 219)
    holiday |= (month_day >= 527) & (month_day <= 602)
    for easter in EASTER_SUNDAYS:
        holiday |= (days >= easter - 9) & (days <= easter + 7)
    return holiday


def working_day_offset(days: np.ndarray, working_days: np.ndarray) -> np.ndarray:
    """Add Monday-Friday working days; a weekend date first rolls forward to Monday."""
    moved = np.busday_offset(days.astype("datetime64[D]"), working_days, roll="forward")
    return moved.astype(np.int64)


# -- the story's curves ----------------------------------------------------------


def strategy_progress(days: np.ndarray) -> np.ndarray:
    """How far the strategy's new way of working has taken hold: 0 before October 2020,
    rising linearly to 1 at the end of 2023/24 and staying there."""
    span = STRATEGY_EMBEDDED - STRATEGY_START
    return np.clip((np.asarray(days, dtype=np.float64) - STRATEGY_START) / span, 0.0, 1.0)


def covid_factor(days: np.ndarray) -> np.ndarray:
    """Fewer requests while schools and services were closed (spring 2020, early 2021)."""
    factor = np.ones(days.shape)
    factor[within(days, COVID_LOCKDOWN)] = 0.50
    factor[within(days, COVID_EASING)] = 0.80
    factor[within(days, SCHOOLS_CLOSED_2021)] = 0.85
    return factor


def request_seasonality(days: np.ndarray) -> np.ndarray:
    """Relative requests per day: school terms, Christmas, weekends and COVID."""
    month, _ = month_and_day(days)
    factor = MONTHLY_REQUEST_FACTOR[month - 1].copy()
    factor[christmas_fortnight(days)] *= CHRISTMAS_FORTNIGHT_FACTOR
    factor[weekday(days) >= 5] *= WEEKEND_FACTOR
    return factor * covid_factor(days)


def blend(baseline: np.ndarray, embedded: np.ndarray, progress: np.ndarray) -> np.ndarray:
    """Per-row mix moving from the 2019/20 baseline to the embedded mix as progress goes 0 -> 1.

    ``baseline`` and ``embedded`` are probability vectors of one length; the
    result has one row per progress value.
    """
    progress = np.asarray(progress, dtype=np.float64)[:, None]
    return (1.0 - progress) * np.asarray(baseline) + progress * np.asarray(embedded)


def draw_category(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category index per row from per-row probabilities (rows need not sum exactly to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    chosen = (rng.random(len(cumulative))[:, None] > cumulative).sum(axis=1)
    return np.minimum(chosen, probabilities.shape[1] - 1)


def draw_subset(rng: np.random.Generator, weights: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per row, a random subset of ``sizes[i]`` distinct items drawn with ``weights``.

    Returns a boolean matrix (rows x items). Uses the Gumbel top-k trick so
    millions of rows need no loop.
    """
    keys = np.log(weights)[None, :] + rng.gumbel(size=(len(sizes), len(weights)))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return rank < np.asarray(sizes)[:, None]
