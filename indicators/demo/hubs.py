"""Family hub activity: daily counts of children and adults per site and service.

Hubs publish aggregates, not cases, so this table is simulated on a grid of
weekday x site x service slots. A timetable decides which services run on a
slot (advice daily, drop-ins and groups on alternate days, programme sessions
in term time only), so there are fewer rows in school holidays as well as
fewer people. Two sites open after the strategy starts and attendance grows
with it. Slots the timetable leaves empty are the spare pool: their keys are
absent from the clean rows by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from indicators.demo.extract import Extract, category_column, date_column, spare_size
from indicators.demo.setting import (
    COVID_EASING,
    COVID_LOCKDOWN,
    SCHOOLS_CLOSED_2021,
    Geography,
    day,
    month_and_day,
    period_days,
    school_holiday,
    strategy_progress,
    weekday,
    within,
)

# (area, ward the hub is in, opening day, relative size). Generic names, not real buildings.
SITES = (
    ("North", "Tunstall", "2019-04-01", 1.0),
    ("Central", "Etruria and Hanley", "2019-04-01", 1.3),
    ("South", "Broadway and Longton East", "2019-04-01", 1.0),
    ("East", "Bentilee and Ubberley", "2021-01-04", 0.9),
    ("West", "Penkhull and Stoke", "2022-04-04", 0.8),
)
SERVICES = ("advice", "drop_in", "group", "programme_session")
CHILDREN_PER_SLOT = np.array([5.0, 14.0, 10.0, 8.0])
ADULTS_PER_CHILD = np.array([1.0, 0.8, 0.7, 0.9])
HOLIDAY_ATTENDANCE = 0.7
SCHOOLS_CLOSED_ATTENDANCE = 0.6  # January-March 2021
LOCKDOWN_ADVICE = 0.6  # advice carried on by phone while buildings were closed
ATTENDANCE_GROWTH = 0.8


@dataclass(frozen=True)
class Sites:
    """Every hub site at this scale: copy k of "Family hub North" is "Family hub North k"."""

    names: np.ndarray
    ward_codes: np.ndarray
    opened: np.ndarray
    size: np.ndarray
    rota: np.ndarray  # shifts which weekdays the site runs drop-ins and groups


def hub_sites(geography: Geography, scale: int) -> Sites:
    names, wards, opened, size = [], [], [], []
    for copy in range(1, scale + 1):
        suffix = f" {copy}" if copy > 1 else ""
        for area, ward, opening, relative_size in SITES:
            names.append(f"Family hub {area}{suffix}")
            wards.append(geography.ward_code(ward))
            opened.append(day(opening))
            size.append(relative_size)
    return Sites(
        names=np.array(names),
        ward_codes=np.array(wards),
        opened=np.array(opened),
        size=np.array(size),
        rota=np.arange(len(names)) % 2,
    )


def open_days() -> np.ndarray:
    """Weekdays, except Christmas Day, Boxing Day and New Year's Day."""
    days = period_days()
    month, dom = month_and_day(days)
    closed = ((month == 12) & np.isin(dom, [25, 26])) | ((month == 1) & (dom == 1))
    return days[(weekday(days) < 5) & ~closed]


def buildings_closed(days: np.ndarray) -> np.ndarray:
    """Spring 2020 lockdown and easing: hubs gave advice by phone and ran nothing else."""
    return within(days, (COVID_LOCKDOWN[0], COVID_EASING[1]))


def timetable(days: np.ndarray, sites: Sites) -> np.ndarray:
    """Which services run: a boolean array days x sites x services."""
    weekdays = weekday(days)[:, None]
    lockdown = buildings_closed(days)[:, None]
    open_site = days[:, None] >= sites.opened[None, :]
    alternate = (weekdays + sites.rota[None, :]) % 2 == 0
    term_time = ~school_holiday(days)[:, None] & np.isin(weekdays, [1, 2, 3])
    every_day = np.ones_like(alternate)
    runs = np.stack(
        [
            every_day,
            alternate & ~lockdown,
            ~alternate & ~lockdown,
            every_day & term_time & ~lockdown,
        ],
        axis=2,
    )
    return runs & open_site[:, :, None]


def expected_children(days: np.ndarray, sites: Sites) -> np.ndarray:
    """Mean children per slot (days x sites x services)."""
    growth = 1.0 + ATTENDANCE_GROWTH * strategy_progress(days)
    season = np.where(school_holiday(days), HOLIDAY_ATTENDANCE, 1.0)
    season *= np.where(within(days, SCHOOLS_CLOSED_2021), SCHOOLS_CLOSED_ATTENDANCE, 1.0)
    lockdown = np.where(buildings_closed(days), LOCKDOWN_ADVICE, 1.0)
    per_day = (growth * season * lockdown)[:, None, None]
    return per_day * sites.size[None, :, None] * CHILDREN_PER_SLOT[None, None, :]


def simulate_hub_contacts(geography: Geography, rng: np.random.Generator, scale: int) -> Extract:
    """Daily counts for every slot the timetable runs, in date, site, service order."""
    days = open_days()
    sites = hub_sites(geography, scale)
    runs = timetable(days, sites)
    children = rng.poisson(expected_children(days, sites))
    adults = rng.poisson(children * ADULTS_PER_CHILD[None, None, :] + 0.5)

    def rows(slots: tuple[np.ndarray, ...]) -> pa.Table:
        day_index, site, service = slots
        return pa.table(
            {
                "contact_date": date_column(days[day_index]),
                "site": category_column(site, sites.names),
                "ward_code": category_column(site, sites.ward_codes),
                "service": category_column(service, SERVICES),
                "children": pa.array(children[slots], pa.int64()),
                "adults": pa.array(adults[slots], pa.int64()),
            }
        )

    open_site = days[:, None, None] >= sites.opened[None, :, None]
    idle = np.flatnonzero(open_site & ~runs)
    spare = np.sort(
        rng.choice(idle, size=min(idle.size, spare_size(int(runs.sum()))), replace=False)
    )
    return Extract(
        "hub_contacts.csv", rows(np.nonzero(runs)), rows(np.unravel_index(spare, runs.shape))
    )
