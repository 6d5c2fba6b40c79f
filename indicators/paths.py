"""Where the product keeps its files, relative to the project root.

Everything the product reads at run time lives inside the project (never in
``../shared``), so a clone is self-contained.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEMO_DIR = DATA_DIR / "demo"
EXTRACTS_DIR = DATA_DIR / "extracts"
DEFAULT_WAREHOUSE = DATA_DIR / "warehouse.duckdb"
CONFIG_PATH = PROJECT_ROOT / "config" / "indicators.yaml"


def config_path() -> Path:
    """The strategy file the product reads: `EARLY_HELP_CONFIG` if set, else the shipped one.

    Lets a deployment (or a test) run another strategy, another council's or one
    with an aim more, without touching the project's file.
    """
    return Path(os.environ.get("EARLY_HELP_CONFIG", CONFIG_PATH))


def warehouse_path() -> Path:
    """The warehouse the dashboard serves: `EARLY_HELP_WAREHOUSE` if set, else the default."""
    return Path(os.environ.get("EARLY_HELP_WAREHOUSE", DEFAULT_WAREHOUSE))
