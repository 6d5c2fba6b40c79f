"""Synthetic families, their requests for help and their early help episodes.

Requests and episodes are simulated in generations: new families ask for
help, the front door decides, some families are supported in an episode,
and some come back (a re-referral after closure, a step-down after social
care, a second request after advice). Each generation is one set of numpy
operations over all its rows, and the loop ends when no family comes back
before the extract date, so millions of rows need only a handful of passes.
`case_tables` runs the generations and lays them out as the extracts.

The mixes below are the story the board will read: the 2019/20 baseline
moves towards the "embedded" mix as ``strategy_progress`` goes from 0
(before October 2020) to 1 (end of 2023/24).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indicators.demo.setting import (
    EXTRACT_END,
    SYSTEM_START,
    Geography,
    blend,
    draw_category,
    draw_subset,
    period_days,
    request_seasonality,
    strategy_progress,
    working_day_offset,
)
from indicators.load.contract import LEAD_AGENCIES, NEEDS, SOURCES

SOURCE_MIX = (
    np.array([0.28, 0.06, 0.18, 0.12, 0.06, 0.14, 0.03, 0.05, 0.08]),
    np.array([0.25, 0.07, 0.16, 0.09, 0.15, 0.10, 0.08, 0.05, 0.05]),
)
LA_SERVICE = SOURCES.index("la_service")

DECISION_MIX = (np.array([0.55, 0.18, 0.14, 0.13]), np.array([0.50, 0.32, 0.10, 0.08]))
EARLY_HELP, ADVICE, SOCIAL_CARE, NO_FURTHER_ACTION = range(4)

THRIVE_BY_DECISION = np.array(
    [
        [0.00, 0.65, 0.35, 0.00],  # early_help
        [0.90, 0.10, 0.00, 0.00],  # advice_signposting
        [0.00, 0.00, 0.15, 0.85],  # social_care
        [0.85, 0.15, 0.00, 0.00],  # no_further_action
    ]
)
STEP_DOWN_THRIVE = np.array([0.0, 0.2, 0.8, 0.0])

DECIDED_WITHIN_3_DAYS = (0.60, 0.85)  # share of decisions within 3 working days, 2019/20 -> 2024/25
FAST_DECISION_DAYS = np.array([0.25, 0.35, 0.25, 0.15])  # 0, 1, 2, 3 working days
MAX_DECISION_DAYS = 20

LEAD_MIX = (
    np.array([0.70, 0.15, 0.08, 0.04, 0.01, 0.02]),
    np.array([0.46, 0.24, 0.13, 0.12, 0.02, 0.03]),
)
COUNCIL = LEAD_AGENCIES.index("council")
STEP_DOWN_LED_BY_COUNCIL = 0.85

CLOSURE_MIX = (
    np.array([0.685, 0.070, 0.120, 0.045, 0.045, 0.035]),
    np.array([0.760, 0.060, 0.080, 0.040, 0.040, 0.020]),
)
NEEDS_MET, STEPPED_UP, DISENGAGED, MOVED_AWAY, TRANSFERRED, OTHER_CLOSURE = range(6)
# Typical episode length by how it ended (days; log-normal around these medians).
MEDIAN_EPISODE_DAYS = np.array([190.0, 150.0, 130.0, 150.0, 170.0, 160.0])
EPISODE_DAYS_RANGE = (42, 540)
MEAN_DAYS_TO_START = (14.0, 7.0)  # from decision to first contact, 2019/20 -> 2024/25

NEED_WEIGHT = np.array([0.14, 0.07, 0.12, 0.05, 0.16, 0.10, 0.05, 0.11, 0.08, 0.12])
NEEDS_PER_FAMILY = np.array([0.25, 0.35, 0.25, 0.15])  # 1, 2, 3 or 4 headline needs
CHILDREN_IN_FAMILY = np.array([0.28, 0.32, 0.20, 0.10, 0.05, 0.03, 0.015, 0.005])  # 1..8

NEW_FAMILIES_PER_YEAR = 5400  # at scale 1, before seasonality; returns come on top
FIRST_YEAR_TOP_UP = 0.20  # families already known before April 2019 are new to the system
FIRST_YEAR_STEP_DOWNS = 0.07  # social care cases from before April 2019 stepping down
REQUEST_GROWTH = 0.15  # more requests once access is easier

RE_REFERRAL = (0.22, 0.19)  # families coming back after a closed episode, 2019/20 -> 2024/25
RE_REFERRAL_WITHIN_YEAR = 0.85
SECOND_REQUEST_AFTER_ADVICE = 0.10
STEP_DOWN_AFTER_SOCIAL_CARE = 0.30
STEP_DOWN_AFTER_STEP_UP = 0.30
SAME_CHILD_AGAIN = 0.6

# -- the simulation ------------------------------------------------------------


@dataclass(frozen=True)
class Families:
    """Families known to early help: where they live and how many children they have."""

    lsoa: np.ndarray
    children: np.ndarray


@dataclass(frozen=True)
class Arrivals:
    """Requests arriving at the front door, before the decision."""

    family: np.ndarray
    child: np.ndarray
    received: np.ndarray
    step_down: np.ndarray


@dataclass(frozen=True)
class Decided:
    """Requests after the front-door decision (decision -1 while pending)."""

    arrivals: Arrivals
    source: np.ndarray
    decision: np.ndarray
    decision_date: np.ndarray
    thrive: np.ndarray


@dataclass(frozen=True)
class Episodes:
    """Early help episodes; ``request`` indexes the generation's decided requests."""

    request: np.ndarray
    family: np.ndarray
    start: np.ndarray
    planned_end: np.ndarray
    end: np.ndarray
    closure: np.ndarray
    lead: np.ndarray
    thrive: np.ndarray
    step_down: np.ndarray
    needs: np.ndarray


def first_requests(rng: np.random.Generator, scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Days on which families new to early help first ask, and whether it is a step-down.

    In the first year some families already known before April 2019 arrive as
    new, so 2019/20 is not short of the returns a running service has.
    """
    days = period_days()
    first_year = np.clip(1.0 - (days - SYSTEM_START) / 365.0, 0.0, 1.0)
    shape = request_seasonality(days) * (1.0 + REQUEST_GROWTH * strategy_progress(days))
    shape *= 1.0 + FIRST_YEAR_TOP_UP * first_year
    per_day = NEW_FAMILIES_PER_YEAR / 365.25 * shape / shape.mean()
    received = np.repeat(days, rng.poisson(per_day * scale))
    already_known = FIRST_YEAR_STEP_DOWNS * first_year[received - SYSTEM_START]
    return received, rng.random(received.size) < already_known


def family_profiles(geography: Geography, rng: np.random.Generator, count: int) -> Families:
    """Home LSOA (weighted by children and deprivation) and family size, fixed per family."""
    return Families(
        lsoa=rng.choice(geography.lsoa_codes.size, size=count, p=geography.need_weight()),
        children=draw_category(rng, np.broadcast_to(CHILDREN_IN_FAMILY, (count, 8))) + 1,
    )


def decide(arrivals: Arrivals, rng: np.random.Generator) -> Decided:
    """The front door: source, decision, THRIVE level and how quickly it was decided."""
    count = arrivals.received.size
    progress = strategy_progress(arrivals.received)
    step_down = arrivals.step_down
    source = draw_category(rng, blend(*SOURCE_MIX, progress))
    source[step_down] = LA_SERVICE
    decision = draw_category(rng, blend(*DECISION_MIX, progress))
    decision[step_down] = EARLY_HELP
    thrive = draw_category(rng, THRIVE_BY_DECISION[decision])
    thrive[step_down] = draw_category(rng, np.tile(STEP_DOWN_THRIVE, (step_down.sum(), 1)))
    fast = rng.random(count) < np.interp(progress, [0, 1], DECIDED_WITHIN_3_DAYS)
    fast |= step_down
    fast_days = draw_category(rng, np.broadcast_to(FAST_DECISION_DAYS, (count, 4)))
    slow_days = np.minimum(3 + rng.geometric(0.25, count), MAX_DECISION_DAYS)
    decision_date = working_day_offset(arrivals.received, np.where(fast, fast_days, slow_days))
    pending = decision_date > EXTRACT_END
    decision[pending] = -1
    decision_date[pending] = -1
    return Decided(arrivals, source, decision, decision_date, thrive)


def start_episodes(decided: Decided, rng: np.random.Generator) -> Episodes:
    """Support for early help decisions; episodes running on 31 March 2025 stay open."""
    request = np.flatnonzero(decided.decision == EARLY_HELP)
    mean_wait = np.interp(
        strategy_progress(decided.decision_date[request]), [0, 1], MEAN_DAYS_TO_START
    )
    start = decided.decision_date[request] + np.round(rng.exponential(mean_wait)).astype(np.int64)
    request = request[start <= EXTRACT_END]
    start = start[start <= EXTRACT_END]
    count = request.size
    progress = strategy_progress(start)
    step_down = decided.arrivals.step_down[request]
    closure = draw_category(rng, blend(*CLOSURE_MIX, progress))
    length = MEDIAN_EPISODE_DAYS[closure] * rng.lognormal(0.0, 0.35, count)
    planned_end = start + np.clip(np.round(length), *EPISODE_DAYS_RANGE).astype(np.int64)
    closed = planned_end <= EXTRACT_END
    lead = draw_category(rng, blend(*LEAD_MIX, progress))
    lead[step_down & (rng.random(count) < STEP_DOWN_LED_BY_COUNCIL)] = COUNCIL
    need_count = draw_category(rng, np.broadcast_to(NEEDS_PER_FAMILY, (count, 4))) + 1
    chosen = draw_subset(rng, NEED_WEIGHT, need_count)
    return Episodes(
        request=request,
        family=decided.arrivals.family[request],
        start=start,
        planned_end=planned_end,
        end=np.where(closed, planned_end, -1),
        closure=np.where(closed, closure, -1),
        lead=lead,
        thrive=decided.thrive[request],
        step_down=step_down,
        needs=(chosen * (1 << np.arange(len(NEEDS)))).sum(axis=1),
    )


def comebacks(
    decided: Decided, episodes: Episodes, families: Families, rng: np.random.Generator
) -> Arrivals:
    """Families who come back: re-referrals, step-downs and second requests after advice."""
    decision = decided.decision
    closure = episodes.closure
    progress = strategy_progress(episodes.end)
    rereferral = np.isin(closure, [NEEDS_MET, DISENGAGED, TRANSFERRED, OTHER_CLOSURE])
    rereferral &= rng.random(closure.size) < np.interp(progress, [0, 1], RE_REFERRAL)
    within_year = rng.random(closure.size) < RE_REFERRAL_WITHIN_YEAR
    rereferral_gap = np.where(
        within_year, rng.integers(14, 366, closure.size), rng.integers(366, 900, closure.size)
    )
    stepped_back = (closure == STEPPED_UP) & (rng.random(closure.size) < STEP_DOWN_AFTER_STEP_UP)
    after_advice = np.isin(decision, [ADVICE, NO_FURTHER_ACTION])
    after_advice &= rng.random(decision.size) < SECOND_REQUEST_AFTER_ADVICE
    after_social_care = (decision == SOCIAL_CARE) & (
        rng.random(decision.size) < STEP_DOWN_AFTER_SOCIAL_CARE
    )
    parts = [
        (episodes.family[rereferral], episodes.end[rereferral] + rereferral_gap[rereferral], False),
        (
            episodes.family[stepped_back],
            episodes.end[stepped_back] + rng.integers(60, 300, stepped_back.sum()),
            True,
        ),
        (
            decided.arrivals.family[after_advice],
            decided.decision_date[after_advice] + rng.integers(30, 540, after_advice.sum()),
            False,
        ),
        (
            decided.arrivals.family[after_social_care],
            decided.decision_date[after_social_care]
            + rng.integers(60, 300, after_social_care.sum()),
            True,
        ),
    ]
    family = np.concatenate([part[0] for part in parts])
    received = np.concatenate([part[1] for part in parts])
    step_down = np.concatenate([np.full(part[0].size, part[2]) for part in parts])
    keep = received <= EXTRACT_END
    family, received, step_down = family[keep], received[keep], step_down[keep]
    return Arrivals(family, pick_child(family, families, rng), received, step_down)


def pick_child(family: np.ndarray, families: Families, rng: np.random.Generator) -> np.ndarray:
    """The child a request is about: a returning family often asks about the same child."""
    sibling = np.floor(rng.random(family.size) * families.children[family]).astype(np.int64)
    return np.where(rng.random(family.size) < SAME_CHILD_AGAIN, 0, sibling)
