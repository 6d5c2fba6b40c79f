"""What people recorded beside the figures: narratives and agreed actions (config/commentary.yaml).

A light reader of its own, so a page that annotates a chart with them does
not import the board pack's PDF machinery (reportlab, matplotlib).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from indicators.paths import PROJECT_ROOT

COMMENTARY_PATH = PROJECT_ROOT / "config" / "commentary.yaml"


def recorded_commentary(path: Path = COMMENTARY_PATH) -> pd.DataFrame:
    """Narratives and agreed actions people wrote, per indicator and review period."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    columns = ["indicator", "period", "narrative", "actions", "author"]
    return pd.DataFrame(entries or [], columns=columns)
