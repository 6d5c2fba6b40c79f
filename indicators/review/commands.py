"""`python -m indicators review import|export`: the store's operator commands.

Registered by `indicators.cli`; a refused import or an unreachable store ends
with one plain message (the CLI's `CommandError`), never a traceback.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from indicators.paths import PROJECT_ROOT, config_path

COMMENTARY = PROJECT_ROOT / "config" / "commentary.yaml"


def add_commands(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="the review store: import config/commentary.yaml once, export to CSV"
    )
    actions = review.add_subparsers(dest="review_command", required=True)
    imported = actions.add_parser("import", help="import config/commentary.yaml (once)")
    imported.add_argument("path", nargs="?", default=str(COMMENTARY))
    imported.add_argument("--config", default=str(config_path()))
    imported.set_defaults(run=_import)
    exported = actions.add_parser("export", help="every narrative, action and revision as CSV")
    exported.add_argument("--out", required=True, help="folder to write the CSV files to")
    exported.set_defaults(run=_export)


def _store():
    from indicators.review.settings import store_settings
    from indicators.review.store import ReviewStore

    return ReviewStore(store_settings())


def _import(args: argparse.Namespace) -> int:
    from indicators.cli import CommandError, _strategy
    from indicators.review.importing import import_commentary
    from indicators.review.rules import ReviewRefused

    path = Path(args.path)
    if not path.is_file():
        raise CommandError(f"{path}: no such commentary file")
    store = _store()
    try:
        done = import_commentary(store, _strategy(Path(args.config)), path)
    except ReviewRefused as err:
        raise CommandError(str(err)) from None
    if done.already:
        print(f"{path} was imported into {store.settings.where} on {done.already}: nothing to do")
    else:
        print(
            f"{done.narratives} narrative(s) and {done.actions} action(s) imported from {path} "
            f"into {store.settings.where}; write them in the dashboard from now on"
        )
    return 0


def _export(args: argparse.Namespace) -> int:
    from indicators.review.export import export_store

    store = _store()
    written = export_store(store, Path(args.out))
    files = ", ".join(f"{name} ({rows})" for name, rows in written.items())
    print(f"review store {store.settings.where} exported to {args.out}: {files}")
    return 0
