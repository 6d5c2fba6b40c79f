"""What happens around an early help episode: assessment, outcome scores, feedback, programmes.

Each table is derived from the episodes in one vectorised pass, so its
dates always fall inside the episode they belong to and never after the
extract date. Quality improves with ``strategy_progress``: assessments are
completed sooner, the child's voice is recorded more often, outcome scores
improve more, and more programme places are on evidence-rated programmes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from indicators.demo.case_tables import EpisodeFacts, family_ids
from indicators.demo.cases import DISENGAGED, MOVED_AWAY, NEEDS_MET, STEPPED_UP, Families
from indicators.demo.extract import (
    Extract,
    category_column,
    copies_with_new_ids,
    date_column,
    id_column,
    optional_column,
    spare_size,
)
from indicators.demo.setting import (
    EXTRACT_END,
    Geography,
    blend,
    draw_category,
    draw_subset,
    period_days,
    strategy_progress,
    weekday,
)

ASSESSED = 0.98  # a few episodes close or transfer before an assessment is opened
COMPLETED_WITHIN_45_DAYS = (0.65, 0.88)  # 2019/20 -> 2024/25
CHILD_VOICE_RECORDED = (0.55, 0.85)

MEASURE = "family_star_plus"
DOMAINS = (
    "wellbeing",
    "keeping_safe",
    "boundaries_behaviour",
    "family_routine",
    "home_money",
    "education_learning",
)
DOMAINS_SCORED = 4  # the family and worker choose the areas that matter to them
START_SCORE_BY_THRIVE = np.array([5.5, 5.0, 4.2, 3.5])  # mean first score, 1-10 scale
# Mean change in score at close by closure reason (needs_met improves with practice).
SCORE_CHANGE = np.array([1.6, -0.4, 0.2, 0.5, 0.8, 0.6])
SCORE_CHANGE_GAIN = 0.9  # extra change for needs_met once the strategy is embedded
END_SCORE_MISSING = 0.5  # disengaged or moved-away families are often not re-scored

FEEDBACK_RATE = (0.30, 0.45)  # share of families answering at close, 2019/20 -> 2024/25
SATISFACTION_MIX = (
    np.array([0.02, 0.03, 0.08, 0.32, 0.55]),
    np.array([0.01, 0.02, 0.05, 0.30, 0.62]),
)
UNHAPPY_CLOSE_SATISFACTION = np.array([0.10, 0.12, 0.25, 0.30, 0.23])
RECOMMEND_BY_SATISFACTION = np.array([0.05, 0.15, 0.45, 0.85, 0.96])

# Generic programme names only: the evidence levels are illustrative, not EIF's ratings.
PROGRAMMES = (
    ("Group parenting 0-5", "3", 10),
    ("Parenting teenagers", "2", 8),
    ("Reducing parental conflict", "3", 8),
    ("Healthy relationships", "2", 6),
    ("Family resilience", "not_rated", 6),
    ("Peer support group", "not_rated", 12),
    ("Home visiting early years", "4", 14),
)
PROGRAMME_MIX = (
    np.array([0.16, 0.14, 0.08, 0.10, 0.22, 0.24, 0.06]),
    np.array([0.20, 0.14, 0.14, 0.10, 0.14, 0.14, 0.14]),
)
PROGRAMME_PLACE = (0.28, 0.38)  # share of episodes with a programme place
COMMUNITY_PLACES_PER_YEAR = 250  # places for families not in an episode, before growth
COMMUNITY_GROWTH = 1.5  # communities first: these grow most
PROGRAMME_COMPLETED = (0.68, 0.80)
IMPROVED_IF_COMPLETED = 0.78
IMPROVED_IF_NOT_COMPLETED = 0.25


def _progress_share(days: np.ndarray, shares: tuple[float, float]) -> np.ndarray:
    return np.interp(strategy_progress(days), [0, 1], shares)


# -- assessments ---------------------------------------------------------------


@dataclass(frozen=True)
class Assessed:
    """Episodes whose assessment was completed (positions in file order) and when."""

    episode: np.ndarray
    completed: np.ndarray


def simulate_assessments(
    episodes: EpisodeFacts, rng: np.random.Generator
) -> tuple[Extract, Assessed]:
    """One family assessment per episode, started within ten days of the start."""
    count = episodes.start.size
    started = episodes.start + rng.integers(0, 11, count)
    fast = rng.random(count) < _progress_share(started, COMPLETED_WITHIN_45_DAYS)
    completed = started + np.where(fast, rng.integers(10, 46, count), rng.integers(46, 121, count))
    not_done = (completed > EXTRACT_END) | ((episodes.end >= 0) & (completed > episodes.end))
    completed[not_done] = -1
    voice = rng.random(count) < _progress_share(started, CHILD_VOICE_RECORDED)
    kept = np.flatnonzero((started <= EXTRACT_END) & (rng.random(count) < ASSESSED))
    kept = kept[np.argsort(started[kept], kind="stable")]
    table = pa.table(
        {
            "assessment_id": id_column("ASM-", np.arange(1, kept.size + 1)),
            "episode_id": episodes.ids.take(pa.array(kept)),
            "started_date": date_column(started[kept]),
            "completed_date": date_column(completed[kept]),
            "child_voice_recorded": optional_column(voice[kept], completed[kept] >= 0, pa.bool_()),
        }
    )
    spare = copies_with_new_ids(table, "assessment_id", "ASM-", rng)
    done = np.sort(kept[completed[kept] >= 0])
    return Extract("assessments.csv", table, spare), Assessed(done, completed[done])


# -- outcomes ------------------------------------------------------------------


def simulate_outcomes(
    episodes: EpisodeFacts, assessed: Assessed, rng: np.random.Generator
) -> Extract:
    """Family Star style scores (1-10) per chosen domain: at assessment, and again at close."""
    position, completed = assessed.episode, assessed.completed
    count = position.size
    closure = episodes.closure[position]
    closed = closure >= 0
    start_score = rng.normal(
        START_SCORE_BY_THRIVE[episodes.thrive[position]], 1.5, (len(DOMAINS), count)
    ).T
    needs_met = closure == NEEDS_MET
    practice = SCORE_CHANGE_GAIN * needs_met * strategy_progress(episodes.start[position])
    gain = SCORE_CHANGE[np.maximum(closure, 0)] + practice
    end_score = start_score + rng.normal(gain[:, None], 1.3, start_score.shape)
    start_score = np.clip(np.round(start_score), 1, 10).astype(np.int64)
    end_score = np.clip(np.round(end_score), 1, 10).astype(np.int64)
    rescored = closed & ~(
        np.isin(closure, [DISENGAGED, MOVED_AWAY]) & (rng.random(count) < END_SCORE_MISSING)
    )
    recorded = np.where(closed, episodes.end[position], completed)
    scored = draw_subset(rng, np.ones(len(DOMAINS)), np.full(count, DOMAINS_SCORED))

    def rows(chosen: np.ndarray) -> pa.Table:
        episode, domain = np.nonzero(chosen)
        return pa.table(
            {
                "episode_id": episodes.ids.take(pa.array(position[episode])),
                "measure": category_column(np.zeros(episode.size, np.int32), [MEASURE]),
                "domain": category_column(domain, DOMAINS),
                "score_start": pa.array(start_score[episode, domain], pa.int64()),
                "score_end": optional_column(
                    end_score[episode, domain], rescored[episode], pa.int64()
                ),
                "recorded_date": date_column(recorded[episode]),
            }
        )

    unscored = ~scored & (np.cumsum(~scored, axis=1) == 1)  # one spare domain per episode
    unscored &= (rng.random(count) < spare_size(count * DOMAINS_SCORED) / max(count, 1))[:, None]
    return Extract("outcomes.csv", rows(scored), rows(unscored))


# -- feedback ------------------------------------------------------------------


def simulate_feedback(episodes: EpisodeFacts, rng: np.random.Generator) -> Extract:
    """Families' answers at close; families who did not answer become the spare pool."""
    closed = np.flatnonzero(episodes.closure >= 0)
    closure = episodes.closure[closed]
    response = episodes.end[closed] + np.minimum(rng.geometric(0.15, closed.size) - 1, 28)
    rate = _progress_share(episodes.end[closed], FEEDBACK_RATE)
    rate = np.where(closure == DISENGAGED, 0.10, np.where(closure == MOVED_AWAY, 0.05, rate))
    answered = rng.random(closed.size) < rate
    unhappy = np.isin(closure, [STEPPED_UP, DISENGAGED, MOVED_AWAY])
    mix = blend(*SATISFACTION_MIX, strategy_progress(episodes.end[closed]))
    mix[unhappy] = UNHAPPY_CLOSE_SATISFACTION
    satisfaction = draw_category(rng, mix) + 1
    recommend = rng.random(closed.size) < RECOMMEND_BY_SATISFACTION[satisfaction - 1]
    in_time = response <= EXTRACT_END

    def rows(chosen: np.ndarray) -> pa.Table:
        chosen = chosen[np.lexsort((chosen, response[chosen]))]
        return pa.table(
            {
                "episode_id": episodes.ids.take(pa.array(closed[chosen])),
                "response_date": date_column(response[chosen]),
                "satisfaction": pa.array(satisfaction[chosen], pa.int64()),
                "would_recommend": pa.array(recommend[chosen], pa.bool_()),
            }
        )

    clean = np.flatnonzero(answered & in_time)
    silent = np.flatnonzero(~answered & in_time)
    spare = rng.choice(silent, size=min(silent.size, spare_size(clean.size)), replace=False)
    return Extract("feedback.csv", rows(clean), rows(np.sort(spare)))


# -- programmes ----------------------------------------------------------------


def simulate_programmes(
    episodes: EpisodeFacts,
    families: Families,
    geography: Geography,
    rng: np.random.Generator,
    scale: int,
) -> Extract:
    """Places on structured programmes, for families in an episode and from the community."""
    in_episode = np.flatnonzero(
        rng.random(episodes.start.size) < _progress_share(episodes.start, PROGRAMME_PLACE)
    )
    start = episodes.start[in_episode] + rng.integers(14, 91, in_episode.size)
    keep = (start <= EXTRACT_END) & (start <= episodes.planned_end[in_episode])
    in_episode, start = in_episode[keep], start[keep]

    community_start = community_place_days(rng, scale)
    community_lsoa = rng.choice(
        geography.lsoa_codes.size, community_start.size, p=geography.need_weight()
    )
    community_family = families.lsoa.size + np.arange(community_start.size)

    start = np.concatenate([start, community_start])
    family = np.concatenate([episodes.family[in_episode], community_family])
    lsoa = np.concatenate([episodes.lsoa[in_episode], community_lsoa])
    episode = np.concatenate([in_episode, np.full(community_start.size, -1)])
    order = np.lexsort((episode, start))
    start, family, lsoa, episode = start[order], family[order], lsoa[order], episode[order]

    count = start.size
    progress = strategy_progress(start)
    programme = draw_category(rng, blend(*PROGRAMME_MIX, progress))
    weeks = np.array([weeks for _, _, weeks in PROGRAMMES])[programme]
    completed = rng.random(count) < np.interp(progress, [0, 1], PROGRAMME_COMPLETED)
    end = np.where(completed, start + 7 * weeks, start + rng.integers(7, 7 * weeks))
    finished = end <= EXTRACT_END
    improved = rng.random(count) < np.where(
        completed, IMPROVED_IF_COMPLETED, IMPROVED_IF_NOT_COMPLETED
    )
    table = pa.table(
        {
            "enrolment_id": id_column("ENR-", np.arange(1, count + 1)),
            "family_id": family_ids(family),
            "episode_id": episodes.ids.take(pa.array(episode, mask=episode < 0)),
            "programme": category_column(programme, [name for name, _, _ in PROGRAMMES]),
            "evidence_level": category_column(programme, [level for _, level, _ in PROGRAMMES]),
            "start_date": date_column(start),
            "end_date": date_column(np.where(finished, end, -1)),
            "completed": optional_column(completed, finished, pa.bool_()),
            "outcome_improved": optional_column(improved, finished, pa.bool_()),
            "ward_code": category_column(geography.ward_of_lsoa[lsoa], geography.ward_codes),
        }
    )
    return Extract("programmes.csv", table, copies_with_new_ids(table, "enrolment_id", "ENR-", rng))


def community_place_days(rng: np.random.Generator, scale: int) -> np.ndarray:
    """Start days of community places (weekdays), growing as the strategy takes hold."""
    days = period_days()
    rate = (weekday(days) < 5) * (1.0 + COMMUNITY_GROWTH * strategy_progress(days))
    per_day = COMMUNITY_PLACES_PER_YEAR * days.size / 365.25 * rate / rate.sum()
    return np.repeat(days, rng.poisson(per_day * scale))
