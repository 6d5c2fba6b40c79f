"""Every review period's judgements, in one frame: what the board reads beside each figure.

`summarise` judges one period (change since baseline, progress, trend,
comparison with the city); the publication holds all of them, so a page that
switches period reads rows instead of judging again. Each area's figure also
carries its generated sentence (`present.commentary.sentence`), the words the
board pack and the ward report print.
"""

from __future__ import annotations

import pandas as pd

from indicators.config.spec import Strategy
from indicators.engine.summary import summarise
from indicators.present import commentary
from indicators.present.views import half_years


def summaries(results: pd.DataFrame, strategy: Strategy) -> pd.DataFrame:
    """`summarise` at every half-year, one row per series and period, with `sentence` on the
    rows of whole areas (breakdown `all`) and None on breakdown rows."""
    frames = [summarise(results, strategy, period) for period in half_years(results)]
    if not frames:
        return pd.DataFrame(columns=[*results.columns, "sentence"])
    out = pd.concat(frames, ignore_index=True)
    by_id = {i.id: i for i in strategy.indicators}
    whole = out["breakdown"] == "all"
    out["sentence"] = None
    out.loc[whole, "sentence"] = [
        commentary.sentence(by_id[row["indicator_id"]], row)
        for row in out[whole].to_dict("records")
    ]
    return out
