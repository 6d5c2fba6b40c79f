"""The front door as a flow: requests → decision → episode → closure → re-referral.

Counted in SQL for one review period (requests received in it, followed
wherever they went, up to the end of the data), then small links are
withheld as everywhere else: a link of 1 to min_count-1 is suppressed, and
so is the next smallest link out of the same step, so that no suppressed
link can be worked out from its step's total.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators.disclosure import is_small
from indicators.store import reading

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


def front_door_flow(warehouse: Path, period: str, min_count: int) -> pd.DataFrame:
    """Links (source, target, families) for requests received in `period`, disclosure-safe."""
    with reading(warehouse) as con:
        links = con.execute(FLOW_SQL, {"period": period}).df()
    links = links.groupby(["source", "target"], as_index=False)["families"].sum()
    links = links[links["families"] > 0]
    return withhold_small_links(links, min_count)


def withhold_small_links(links: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """Suppress small links, then one more link per step where only one would be hidden."""
    out = links.copy()
    out["suppressed"] = is_small(out["families"].to_numpy(), min_count)
    changed = True
    while changed:
        changed = False
        for _, step in out.groupby("source"):
            hidden = step["suppressed"]
            if hidden.sum() == 1 and len(step) > 1:
                partner = step.loc[~hidden, "families"].idxmin()
                out.loc[partner, "suppressed"] = True
                changed = True
    out["families"] = np.where(out["suppressed"], np.nan, out["families"])
    return out.reset_index(drop=True)
