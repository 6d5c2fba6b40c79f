"""Where the review store lives, and whether open access may write to it.

The deployment says so in `.streamlit/secrets.toml` (beside the sign-in
settings, since it holds a password when the store is PostgreSQL):

```toml
[review]
store = "/srv/early-help/review.sqlite"   # default: review.sqlite beside the warehouse
dsn = "host=db dbname=early_help user=review password=..."   # PostgreSQL instead
open_writing = false   # with no sign-in configured, may anyone write? (default no)
```

`EARLY_HELP_REVIEW_STORE` and `EARLY_HELP_REVIEW_DSN` override the file
(tests, one-off commands).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indicators.paths import PROJECT_ROOT, warehouse_path

STORE_FILE = "review.sqlite"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class StoreSettings:
    """A SQLite file (`path`) unless `dsn` names a PostgreSQL database."""

    path: Path
    dsn: str = ""
    open_writing: bool = False

    @property
    def where(self) -> str:
        """The store in words, without the DSN's password."""
        if not self.dsn:
            return str(self.path)
        kept = [p for p in self.dsn.split() if not p.lower().startswith("password")]
        return "PostgreSQL " + " ".join(kept)


def store_settings(secrets: Mapping[str, Any] | None = None) -> StoreSettings:
    """The settings from the secrets' `[review]` section and the environment.

    `secrets` is Streamlit's (the pages pass theirs); commands read the
    project's `.streamlit/secrets.toml` when there is one.
    """
    if secrets is None:
        secrets = _secrets_file()
    review = secrets.get("review") if hasattr(secrets, "get") else None
    review = review if hasattr(review, "get") else {}
    default = warehouse_path().parent / STORE_FILE
    path = os.environ.get("EARLY_HELP_REVIEW_STORE") or review.get("store") or default
    dsn = os.environ.get("EARLY_HELP_REVIEW_DSN") or review.get("dsn") or ""
    return StoreSettings(Path(path), str(dsn), review.get("open_writing") is True)


def _secrets_file() -> Mapping[str, Any]:
    if not SECRETS_PATH.is_file():
        return {}
    with SECRETS_PATH.open("rb") as handle:
        return tomllib.load(handle)
