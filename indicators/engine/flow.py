"""The front door as a flow: requests → decision → episode → closure → re-referral.

Counted in SQL for one review period (requests received in it, followed
wherever they went, up to the end of the data). The links are protected with
the rest of the publication (`indicators.disclosure.publication`): each link is a cell
of `indicators.disclosure.cells`, so a step's links add up to the step and
a decision's link is the same count as a definition that counts it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.disclosure.cells import CellKey, Cells, Count
from indicators.store.readers import connect

# What the flow counts, in the terms of `indicators.disclosure.cells`: requests by the
# date they were received (the same count as a definition's `count_distinct: request_id`),
# and the episodes of those requests.
REQUESTS: Count = ("requests", "received_date", "rows")
EPISODES_OF_REQUESTS: Count = ("episodes", "requests.received_date", "rows")

FLOW_SQL = """
WITH r AS (
  SELECT request_id, family_id, coalesce(decision, 'pending') AS decision
  FROM requests WHERE review_period(received_date) = $period
), e AS (
  SELECT e.episode_id, e.request_id, e.family_id, e.end_date, e.stepped_down_from_social_care,
    coalesce(e.closure_reason, 'still_open') AS closure
  FROM episodes e JOIN r USING (request_id)
), again AS (
  SELECT DISTINCT e.episode_id FROM e JOIN requests later ON later.family_id = e.family_id
  WHERE later.received_date > e.end_date AND later.received_date <= e.end_date + INTERVAL 12 MONTH
)
SELECT 'Requests received' AS source, 'Decision: ' || decision AS target, count(*) AS families
FROM r GROUP BY ALL
UNION ALL
SELECT 'Decision: early_help', CASE WHEN count(e.episode_id) > 0 THEN 'Episode started'
  ELSE 'No episode yet' END, 1
FROM r LEFT JOIN e USING (request_id) WHERE r.decision = 'early_help' GROUP BY r.request_id
UNION ALL
SELECT 'Episode started', 'Closed: ' || closure, count(*) FROM e GROUP BY ALL
UNION ALL
SELECT 'Closed: ' || closure, CASE WHEN a.episode_id IS NULL THEN 'Not re-referred'
  ELSE 'Re-referred in 12 months' END, count(*)
FROM e LEFT JOIN again a USING (episode_id) WHERE closure <> 'still_open' GROUP BY ALL
"""


def front_door_links(warehouse: Path, period: str) -> pd.DataFrame:
    """Links (source, target, families) for requests received in `period`, unprotected.

    Published only through `indicators.disclosure.publication`, which protects the links
    together with every other figure (a step's links add up to the step).
    """
    with connect(warehouse) as con:
        links = con.execute(FLOW_SQL, {"period": period}).df()
    links = links.groupby(["source", "target"], as_index=False)["families"].sum()
    links = links[links["families"] > 0].reset_index(drop=True)
    links["families"] = links["families"].astype(float)
    links["suppressed"] = False
    return links


def link_cells(
    cells: Cells, links: pd.DataFrame, period: str, min_count: int
) -> list[tuple[list[int], tuple]]:
    """Each link as the cell it counts, and the flow's balance at "Episode started".

    Returns (variables, cost) per link, for `indicators.disclosure.publication`, and
    records the one relation that is not a split: the requests an episode
    started for are as many as the episodes that then close or stay open
    (a reader of the diagram assumes so, so it is protected as if exact).
    """
    found = []
    for order, link in enumerate(links.itertuples(index=False)):
        count, cuts = _link_cell(link.source, link.target)
        variable = cells.cell(count, period, cuts, (), link.families, min_count)
        found.append(([variable], (0, not link.families > 0, link.families, order)))
    started = cells.cell(REQUESTS, period, {"decision": "early_help", "episode": "started"}, ())
    episodes = cells.variable(CellKey(EPISODES_OF_REQUESTS, period, frozenset()))
    cells.table.add_relation([started, episodes], [1.0, -1.0])
    return found


def _link_cell(source: str, target: str) -> tuple[Count, dict[str, str]]:
    """The count and cuts behind one link of `FLOW_SQL`.

    Requests are cut by decision (the same cells as a definition's
    ``decision = '...'``; a pending request has no decision, which the
    compiler calls ``unknown``), then by whether an episode started; episodes
    of those requests by closure reason, then by re-referral.
    """
    _, _, source_value = source.partition(": ")
    _, _, target_value = target.partition(": ")
    if source == "Requests received":
        return REQUESTS, {"decision": "unknown" if target_value == "pending" else target_value}
    if source.startswith("Decision: "):
        episode = "started" if target == "Episode started" else "none yet"
        return REQUESTS, {"decision": source_value, "episode": episode}
    if source == "Episode started":
        return EPISODES_OF_REQUESTS, {"closure": target_value}
    again = "yes" if target.startswith("Re-referred") else "no"
    return EPISODES_OF_REQUESTS, {"closure": source_value, "re-referred": again}
