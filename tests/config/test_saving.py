"""Saving a workbench definition: atomic, checked whole, the old file kept with who and when."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from indicators.config import spec
from indicators.config.history import HISTORY_DIR, HISTORY_LOG, changes_since
from indicators.config.saving import DefinitionRefused, as_entry, save_definition
from indicators.paths import CONFIG_PATH

NEW = """id: requests_from_police
aim: access
title: Requests for help from the police
description: Share of requests received in the period that came from the police.
source: requests
date: received_date
measure:
  type: proportion
  numerator: {count_distinct: request_id, where: "source = 'police'"}
  denominator: {count_distinct: request_id}
  multiplier: 100
unit: "%"   # a comment the analyst wrote
polarity: no_judgement
ci: wilson
owner: Early Help and Prevention Board
"""
WHEN = dt.datetime(2026, 11, 30, 9, 30)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "indicators.yaml"
    path.parent.mkdir()
    shutil.copy(CONFIG_PATH, path)
    return path


def leftovers(config: Path) -> list[str]:
    return [p.name for p in config.parent.iterdir() if ".workbench-" in p.name]


def test_a_new_definition_is_appended_and_the_old_file_kept(config: Path) -> None:
    original = config.read_text(encoding="utf-8")
    saved = save_definition(NEW, "requests_from_police", config, None, "ana@example.org", WHEN)
    assert not saved.replaced
    text = config.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n")) and "# a comment the analyst wrote" in text
    assert spec.load_strategy(config).indicator("requests_from_police").ci == "wilson"
    assert saved.history.read_text(encoding="utf-8") == original
    assert saved.history.parent == config.parent / HISTORY_DIR
    (entry,) = [json.loads(line) for line in (saved.history.parent / HISTORY_LOG).open()]
    assert entry == {
        "when": "2026-11-30T09:30:00",
        "who": "ana@example.org",
        "indicator_id": "requests_from_police",
        "file": "indicators.yaml",
        "previous": saved.history.name,
    }
    assert leftovers(config) == []
    changes = changes_since(config, WHEN.date())
    assert changes.to_dict("records") == [
        {
            "when": "2026-11-30T09:30:00",
            "who": "ana@example.org",
            "indicator_id": "requests_from_police",
        }
    ]
    assert changes_since(config, dt.date(2026, 12, 1)).empty


def test_an_existing_id_is_replaced_in_place_and_nothing_else_moves(config: Path) -> None:
    original = spec.load_strategy(config)
    first = original.indicators[0]
    edited = "\n".join(
        line.replace(first.title, "Requests per 10,000 children (edited)")
        for line in _entry_text(config, first.id)
    )
    saved = save_definition(edited, first.id, config, None, "ana@example.org", WHEN)
    assert saved.replaced
    after = spec.load_strategy(config)
    assert after.indicators[0].title == "Requests per 10,000 children (edited)"
    assert [i.id for i in after.indicators] == [i.id for i in original.indicators]
    assert after.indicators[1:] == original.indicators[1:]
    before_lines = saved.history.read_text(encoding="utf-8").splitlines()
    after_lines = config.read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before_lines, after_lines, strict=True)) if a != b]
    assert len(changed) == 1


def test_a_definition_that_fails_check_is_refused_and_nothing_written(config: Path) -> None:
    original = config.read_text(encoding="utf-8")
    with pytest.raises(DefinitionRefused, match="unit") as refused:
        save_definition(
            NEW.replace('unit: "%"', "unit: 7"), "requests_from_police", config, None, "a"
        )
    assert refused.value.issues
    assert config.read_text(encoding="utf-8") == original
    assert not (config.parent / HISTORY_DIR).exists()
    assert leftovers(config) == []


def test_a_pasted_list_item_becomes_one_entry() -> None:
    assert as_entry("- id: x\n  aim: access\n") == ["  - id: x", "    aim: access"]
    assert as_entry("id: x\naim: access") == ["  - id: x", "    aim: access"]


def _entry_text(config: Path, indicator_id: str) -> list[str]:
    """The lines of one entry as an analyst would paste them (dedented, without `- `)."""
    strategy = spec.load_strategy(config)
    lines = config.read_text(encoding="utf-8").splitlines()
    start = strategy.indicator(indicator_id).raw.line - 1
    end = strategy.indicators[1].raw.line - 1
    body = [
        line[4:] for line in lines[start:end] if line.strip() and not line.strip().startswith("#")
    ]
    return body
