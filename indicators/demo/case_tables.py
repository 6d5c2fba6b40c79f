"""The simulated generations laid out as the contract's requests and episodes extracts.

`cases` simulates families, requests and episodes as numpy arrays, one
generation at a time; this module runs that simulation to its end, numbers
requests and episodes in date order and writes them as Arrow tables, with
the facts the other demo tables (assessments, outcomes, programmes) derive
from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from indicators.demo.cases import (
    Arrivals,
    Decided,
    Episodes,
    Families,
    comebacks,
    decide,
    family_profiles,
    first_requests,
    pick_child,
    start_episodes,
)
from indicators.demo.extract import category_column, code_column, date_column, id_column
from indicators.demo.setting import Geography
from indicators.load.contract import (
    CLOSURE_REASONS,
    DECISIONS,
    LEAD_AGENCIES,
    NEEDS,
    SOURCES,
    THRIVE_LEVELS,
)

LSOA_RECORDED = 0.97


@dataclass(frozen=True)
class EpisodeFacts:
    """What assessments, outcomes, feedback and programmes need to know, in file order."""

    ids: pa.Array
    family: np.ndarray
    lsoa: np.ndarray
    start: np.ndarray
    planned_end: np.ndarray
    end: np.ndarray
    closure: np.ndarray
    thrive: np.ndarray


@dataclass(frozen=True)
class CaseTables:
    """The requests and episodes extracts, and what the other tables derive from them."""

    requests: pa.Table
    episodes: pa.Table
    episode_facts: EpisodeFacts
    families: Families


def simulate_cases(geography: Geography, rng: np.random.Generator, scale: int) -> CaseTables:
    """All requests and episodes from April 2019 to the extract date."""
    received, step_down = first_requests(rng, scale)
    families = family_profiles(geography, rng, received.size)
    family = np.arange(received.size)
    arrivals = Arrivals(family, pick_child(family, families, rng), received, step_down)
    generations: list[tuple[Decided, Episodes]] = []
    while arrivals.received.size:
        decided = decide(arrivals, rng)
        episodes = start_episodes(decided, rng)
        generations.append((decided, episodes))
        arrivals = comebacks(decided, episodes, families, rng)
    return assemble(generations, families, geography, rng)


def _concat(parts: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def assemble(
    generations: list[tuple[Decided, Episodes]],
    families: Families,
    geography: Geography,
    rng: np.random.Generator,
) -> CaseTables:
    """Number requests and episodes in date order and lay them out as the contract's tables."""
    requests = {
        name: _concat([getattr(d.arrivals, name) for d, _ in generations])
        for name in ("family", "child", "received", "step_down")
    }
    for name in ("source", "decision", "decision_date", "thrive"):
        requests[name] = _concat([getattr(d, name) for d, _ in generations])
    offsets = np.cumsum([0] + [d.decision.size for d, _ in generations])
    episodes = {
        name: _concat([getattr(e, name) for _, e in generations])
        for name in Episodes.__dataclass_fields__
    }
    episodes["request"] = _concat([e.request + offsets[g] for g, (_, e) in enumerate(generations)])

    request_order = np.argsort(requests["received"], kind="stable")
    requests = {name: values[request_order] for name, values in requests.items()}
    request_number = np.empty(request_order.size, dtype=np.int64)
    request_number[request_order] = np.arange(1, request_order.size + 1)
    episodes["request"] = request_number[episodes["request"]]
    episode_order = np.lexsort((episodes["request"], episodes["start"]))
    episodes = {name: values[episode_order] for name, values in episodes.items()}

    request_table = requests_table(requests, families, geography, rng)
    episode_table = episodes_table(episodes, families, geography, rng)
    facts = EpisodeFacts(
        ids=episode_table.column("episode_id").combine_chunks(),
        family=episodes["family"],
        lsoa=families.lsoa[episodes["family"]],
        start=episodes["start"],
        planned_end=episodes["planned_end"],
        end=episodes["end"],
        closure=episodes["closure"],
        thrive=episodes["thrive"],
    )
    return CaseTables(request_table, episode_table, facts, families)


def family_ids(family: np.ndarray) -> pa.Array:
    return id_column("FAM-", family + 1)


def place_columns(
    lsoa: np.ndarray, geography: Geography, rng: np.random.Generator
) -> dict[str, pa.Array]:
    """Ward always; LSOA for ~97% of rows, as a case worker does not always record it."""
    recorded = rng.random(lsoa.size) < LSOA_RECORDED
    return {
        "ward_code": code_column(geography.ward_codes[geography.ward_of_lsoa[lsoa]]),
        "lsoa_code": code_column(geography.lsoa_codes[lsoa], recorded),
    }


def requests_table(
    requests: dict[str, np.ndarray],
    families: Families,
    geography: Geography,
    rng: np.random.Generator,
) -> pa.Table:
    count = requests["received"].size
    family = requests["family"]
    places = place_columns(families.lsoa[family], geography, rng)
    return pa.table(
        {
            "request_id": id_column("REQ-", np.arange(1, count + 1)),
            "family_id": family_ids(family),
            "child_id": id_column("CH-", family * 10 + requests["child"] + 1),
            "received_date": date_column(requests["received"]),
            "source": category_column(requests["source"], SOURCES),
            "ward_code": places["ward_code"],
            "lsoa_code": places["lsoa_code"],
            "decision": category_column(requests["decision"], DECISIONS),
            "decision_date": date_column(requests["decision_date"]),
            "thrive_level": category_column(requests["thrive"], THRIVE_LEVELS),
        }
    )


def needs_column(masks: np.ndarray) -> pa.Array:
    """``;``-separated needs from bit masks, via a dictionary of every possible combination."""
    combinations = [
        ";".join(need for bit, need in enumerate(NEEDS) if mask >> bit & 1)
        for mask in range(1 << len(NEEDS))
    ]
    return category_column(masks, combinations)


def episodes_table(
    episodes: dict[str, np.ndarray],
    families: Families,
    geography: Geography,
    rng: np.random.Generator,
) -> pa.Table:
    count = episodes["start"].size
    family = episodes["family"]
    places = place_columns(families.lsoa[family], geography, rng)
    return pa.table(
        {
            "episode_id": id_column("EP-", np.arange(1, count + 1)),
            "family_id": family_ids(family),
            "request_id": id_column("REQ-", episodes["request"]),
            "start_date": date_column(episodes["start"]),
            "end_date": date_column(episodes["end"]),
            "ward_code": places["ward_code"],
            "lsoa_code": places["lsoa_code"],
            "lead_agency": category_column(episodes["lead"], LEAD_AGENCIES),
            "thrive_level": category_column(episodes["thrive"], THRIVE_LEVELS),
            "stepped_down_from_social_care": pa.array(episodes["step_down"], pa.bool_()),
            "closure_reason": category_column(episodes["closure"], CLOSURE_REASONS),
            "needs": needs_column(episodes["needs"]),
            "children_in_family": pa.array(families.children[family], pa.int64()),
        }
    )
