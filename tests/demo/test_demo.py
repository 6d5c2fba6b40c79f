"""Tests for the synthetic demo extracts (``indicators.demo.generate``).

The contract rules are restated here from data contract section 3 rather than
imported, so a drift in the generator's lists is caught. One vectorised
validator serves twice: clean rows must break no rule, and each row the
manifest lists must break exactly the one rule it names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.demo.generate import generate_demo
from indicators.paths import REFERENCE_DIR

EXTRACT_END = pd.Timestamp("2025-03-31")
EARLIEST = pd.Timestamp("2019-01-01")
SYSTEM_START = pd.Timestamp("2019-04-01")

COLUMNS = {
    "requests.csv": "request_id,family_id,child_id,received_date,source,ward_code,lsoa_code,"
    "decision,decision_date,thrive_level",
    "episodes.csv": "episode_id,family_id,request_id,start_date,end_date,ward_code,lsoa_code,"
    "lead_agency,thrive_level,stepped_down_from_social_care,closure_reason,needs,"
    "children_in_family",
    "assessments.csv": "assessment_id,episode_id,started_date,completed_date,child_voice_recorded",
    "outcomes.csv": "episode_id,measure,domain,score_start,score_end,recorded_date",
    "programmes.csv": "enrolment_id,family_id,episode_id,programme,evidence_level,start_date,"
    "end_date,completed,outcome_improved,ward_code",
    "hub_contacts.csv": "contact_date,site,ward_code,service,children,adults",
    "feedback.csv": "episode_id,response_date,satisfaction,would_recommend",
}
FILES = tuple(COLUMNS)

THRIVE = {"getting_advice", "getting_help", "getting_more_help", "getting_risk_support"}
NEEDS = {
    "education",
    "early_years",
    "health",
    "substance_use",
    "family_relationships",
    "child_safety",
    "crime",
    "domestic_abuse",
    "housing",
    "financial_stability",
}
ENUMS = {
    "source": {
        "school",
        "early_years",
        "health",
        "police",
        "self_or_family",
        "la_service",
        "voluntary_community_faith",
        "housing",
        "other",
    },
    "decision": {"early_help", "advice_signposting", "social_care", "no_further_action"},
    "thrive_level": THRIVE,
    "lead_agency": {"council", "school", "health", "voluntary_community_faith", "police", "other"},
    "closure_reason": {
        "needs_met",
        "stepped_up_to_social_care",
        "disengaged",
        "moved_away",
        "transferred",
        "other",
    },
    "evidence_level": {"2", "3", "4", "not_rated"},
    "service": {"advice", "drop_in", "group", "programme_session"},
}
KINDS = {
    "missing_value",
    "not_a_date",
    "not_an_integer",
    "not_a_boolean",
    "not_in_enumeration",
    "out_of_range",
    "malformed_code",
    "unknown_code",
    "date_out_of_order",
    "date_in_future",
    "duplicate_key",
    "unknown_reference",
    "inconsistent",
}

# Per file: key, required columns, dates, integer ranges, booleans, enumerations,
# GSS codes, references (column -> file) and ordered date pairs (later, earlier).
SPEC: dict[str, dict] = {
    "requests.csv": {
        "key": ["request_id"],
        "required": ["request_id", "family_id", "child_id", "received_date", "ward_code"],
        "dates": ["received_date", "decision_date"],
        "integers": {},
        "booleans": [],
        "enums": ["source", "decision", "thrive_level"],
        "codes": ["ward_code", "lsoa_code"],
        "references": {},
        "order": [("decision_date", "received_date")],
    },
    "episodes.csv": {
        "key": ["episode_id"],
        "required": ["episode_id", "family_id", "request_id", "start_date", "ward_code"],
        "dates": ["start_date", "end_date"],
        "integers": {"children_in_family": (1, 20)},  # the contract: 1-20
        "booleans": ["stepped_down_from_social_care"],
        "enums": ["lead_agency", "thrive_level", "closure_reason"],
        "codes": ["ward_code", "lsoa_code"],
        "references": {"request_id": "requests.csv"},
        "order": [("end_date", "start_date")],
    },
    "assessments.csv": {
        "key": ["assessment_id"],
        "required": ["assessment_id", "episode_id", "started_date"],
        "dates": ["started_date", "completed_date"],
        "integers": {},
        "booleans": ["child_voice_recorded"],
        "enums": [],
        "codes": [],
        "references": {"episode_id": "episodes.csv"},
        "order": [("completed_date", "started_date")],
    },
    "outcomes.csv": {
        "key": ["episode_id", "measure", "domain"],
        "required": ["episode_id", "measure", "domain", "score_start", "recorded_date"],
        "dates": ["recorded_date"],
        "integers": {"score_start": (1, 10), "score_end": (1, 10)},
        "booleans": [],
        "enums": [],
        "codes": [],
        "references": {"episode_id": "episodes.csv"},
        "order": [],
    },
    "programmes.csv": {
        "key": ["enrolment_id"],
        "required": [
            "enrolment_id",
            "family_id",
            "programme",
            "evidence_level",
            "start_date",
            "ward_code",
        ],
        "dates": ["start_date", "end_date"],
        "integers": {},
        "booleans": ["completed", "outcome_improved"],
        "enums": ["evidence_level"],
        "codes": ["ward_code"],
        "references": {"episode_id": "episodes.csv"},
        "order": [("end_date", "start_date")],
    },
    "hub_contacts.csv": {
        "key": ["contact_date", "site", "service"],
        "required": ["contact_date", "site", "ward_code", "service", "children", "adults"],
        "dates": ["contact_date"],
        "integers": {"children": (0, 10_000), "adults": (0, 10_000)},
        "booleans": [],
        "enums": ["service"],
        "codes": ["ward_code"],
        "references": {},
        "order": [],
    },
    "feedback.csv": {
        "key": ["episode_id"],
        "required": ["episode_id", "response_date", "satisfaction", "would_recommend"],
        "dates": ["response_date"],
        "integers": {"satisfaction": (1, 5)},
        "booleans": ["would_recommend"],
        "enums": [],
        "codes": [],
        "references": {"episode_id": "episodes.csv"},
        "order": [],
    },
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
GSS_SHAPE = re.compile(r"E\d{8}")


# -- fixtures --------------------------------------------------------------------


def read_extracts(folder: Path) -> tuple[dict[str, pd.DataFrame], dict]:
    frames = {
        name: pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_filter=False)
        for name in FILES
    }
    manifest = json.loads((folder / "demo_manifest.json").read_text(encoding="utf-8"))
    return frames, manifest


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate_demo(folder, seed=2020, scale=1)
    return folder


@pytest.fixture(scope="module")
def demo(demo_dir: Path) -> tuple[dict[str, pd.DataFrame], dict]:
    return read_extracts(demo_dir)


@pytest.fixture(scope="module")
def frames(demo: tuple[dict[str, pd.DataFrame], dict]) -> dict[str, pd.DataFrame]:
    return demo[0]


@pytest.fixture(scope="module")
def manifest(demo: tuple[dict[str, pd.DataFrame], dict]) -> dict:
    return demo[1]


@pytest.fixture(scope="module")
def clean(frames: dict[str, pd.DataFrame], manifest: dict) -> dict[str, pd.DataFrame]:
    """Every file without the rows the manifest lists as broken."""
    broken = pd.DataFrame(manifest["broken_rows"])
    result = {}
    for name, frame in frames.items():
        lines = broken.loc[broken["file"] == name, "line"].to_numpy()
        result[name] = frame.drop(index=lines - 2)
    return result


@pytest.fixture(scope="module")
def geography() -> pd.DataFrame:
    lookup = pd.read_csv(REFERENCE_DIR / "lookups/lsoa11_to_ward19_lad19_stoke.csv", dtype=str)
    imd = pd.read_csv(REFERENCE_DIR / "deprivation/iod2019_file3_imd_idaci_idaopi_stoke_lsoa11.csv")
    population = pd.read_csv(
        REFERENCE_DIR / "population/ons_sape_mid2019_persons_syoa_stoke_lsoa11.csv"
    )
    children = population[[str(age) for age in range(18)]].sum(axis=1)
    return (
        lookup[["LSOA11CD", "WD19CD"]]
        .rename(columns={"LSOA11CD": "lsoa_code", "WD19CD": "ward_code"})
        .merge(imd.iloc[:, [0, 5]].set_axis(["lsoa_code", "imd_decile"], axis=1), on="lsoa_code")
        .merge(
            pd.DataFrame({"lsoa_code": population["lsoa11_code"], "children": children}),
            on="lsoa_code",
        )
    )


# -- the validator -----------------------------------------------------------------


def as_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(
        values.where(values.str.fullmatch(ISO_DATE)), format="%Y-%m-%d", errors="coerce"
    )


def as_integers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.where(values.str.fullmatch(r"-?\d+")), errors="coerce")


def violations(
    name: str, frame: pd.DataFrame, clean: dict[str, pd.DataFrame], geography: pd.DataFrame
) -> pd.DataFrame:
    """One boolean column per (column, kind) rule, one row per data row of ``frame``."""
    spec = SPEC[name]
    rules: dict[tuple[str, str], pd.Series] = {}

    def rule(column: str, kind: str, broken: pd.Series) -> None:
        rules[(column, kind)] = rules.get((column, kind), False) | broken.fillna(False)

    present = frame != ""
    for column in spec["required"]:
        rule(column, "missing_value", ~present[column])
    for column in spec["dates"]:
        parsed = as_dates(frame[column])
        rule(column, "not_a_date", present[column] & parsed.isna())
        rule(column, "date_in_future", parsed > EXTRACT_END)
        rule(column, "out_of_range", parsed < EARLIEST)
    for column, (low, high) in spec["integers"].items():
        number = as_integers(frame[column])
        rule(column, "not_an_integer", present[column] & number.isna())
        rule(column, "out_of_range", (number < low) | (number > high))
    for column in spec["booleans"]:
        rule(column, "not_a_boolean", present[column] & ~frame[column].isin(["true", "false"]))
    for column in spec["enums"]:
        rule(column, "not_in_enumeration", present[column] & ~frame[column].isin(ENUMS[column]))
    for column in spec["codes"]:
        known = set(geography[column])
        well_formed = frame[column].str.fullmatch(GSS_SHAPE)
        rule(column, "malformed_code", present[column] & ~well_formed)
        rule(column, "unknown_code", well_formed & ~frame[column].isin(known))
    rule(spec["key"][0], "duplicate_key", frame.duplicated(spec["key"], keep="first"))
    for column, target in spec["references"].items():
        known = clean[target][column if target != "episodes.csv" else "episode_id"]
        rule(column, "unknown_reference", present[column] & ~frame[column].isin(known))
    for later, earlier in spec["order"]:
        rule(later, "date_out_of_order", as_dates(frame[later]) < as_dates(frame[earlier]))
    if name == "requests.csv":
        rule("decision_date", "inconsistent", present["decision"] != present["decision_date"])
    if name == "episodes.csv":
        rule("closure_reason", "inconsistent", present["end_date"] != present["closure_reason"])
        needs = frame["needs"].str.split(";")
        rule("needs", "not_in_enumeration", needs.map(lambda items: not set(items) <= NEEDS))
        rule("needs", "out_of_range", needs.map(lambda items: not 1 <= len(set(items)) <= 4))
    return pd.DataFrame(rules, index=frame.index)


# -- tests ---------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_another_seed_differs(
    demo_dir: Path, tmp_path: Path
) -> None:
    generate_demo(tmp_path / "again", seed=2020, scale=1)
    generate_demo(tmp_path / "other", seed=7, scale=1)
    for name in [*FILES, "demo_manifest.json"]:
        assert (tmp_path / "again" / name).read_bytes() == (demo_dir / name).read_bytes(), name
    assert (tmp_path / "other" / "requests.csv").read_bytes() != (
        demo_dir / "requests.csv"
    ).read_bytes()


def test_files_have_exactly_the_contract_columns(demo_dir: Path) -> None:
    for name, header in COLUMNS.items():
        with (demo_dir / name).open(encoding="utf-8") as handle:
            assert handle.readline().rstrip("\n") == header


def test_manifest_describes_a_synthetic_demo(demo_dir: Path, manifest: dict) -> None:
    assert manifest["synthetic"] is True
    assert (manifest["seed"], manifest["scale"]) == (2020, 1)
    assert manifest["generated_by"] == "indicators.demo.generate"
    assert "synthetic" in manifest["description"]
    assert "not real children" in manifest["description"]
    for name in FILES:
        lines = (demo_dir / name).read_text(encoding="utf-8").count("\n")
        assert manifest["files"][name] == lines - 1


def test_clean_rows_satisfy_every_contract_rule(
    clean: dict[str, pd.DataFrame], geography: pd.DataFrame
) -> None:
    for name, frame in clean.items():
        broken = violations(name, frame, clean, geography)
        failing = broken.any()
        assert not failing.any(), f"{name}: {list(failing[failing].index)}"


def test_each_manifest_line_has_exactly_its_named_defect(
    frames: dict[str, pd.DataFrame],
    clean: dict[str, pd.DataFrame],
    manifest: dict,
    geography: pd.DataFrame,
) -> None:
    entries = pd.DataFrame(manifest["broken_rows"])
    for name, listed in entries.groupby("file"):
        found = violations(name, frames[name], clean, geography)
        for line, column, kind in listed[["line", "column", "kind"]].itertuples(index=False):
            row = found.loc[line - 2]
            assert list(row[row].index) == [(column, kind)], (name, line, column, kind)


def test_broken_rows_are_extra_rows_nothing_refers_to(
    frames: dict[str, pd.DataFrame], manifest: dict
) -> None:
    entries = pd.DataFrame(manifest["broken_rows"])
    for name, key in (("requests.csv", "request_id"), ("episodes.csv", "episode_id")):
        listed = entries[(entries["file"] == name) & (entries["kind"] != "duplicate_key")]
        broken_ids = set(frames[name].loc[listed["line"] - 2, key])
        referring = {"requests.csv": ["episodes.csv"], "episodes.csv": list(FILES[2:])}[name]
        for other in referring:
            if key in frames[other]:
                assert not broken_ids & set(frames[other][key]), (name, other)


def test_every_kind_is_present_and_each_file_is_about_half_a_percent_broken(
    manifest: dict,
) -> None:
    entries = pd.DataFrame(manifest["broken_rows"])
    assert set(entries["kind"]) == KINDS
    for name in FILES:
        share = (entries["file"] == name).sum() / manifest["files"][name]
        assert 0.003 <= share <= 0.008, (name, share)
    assert not entries.duplicated(["file", "line"]).any()


def financial_year(dates: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(dates)
    return parsed.dt.year - (parsed.dt.month < 4)


def test_yearly_volumes_are_in_range(clean: dict[str, pd.DataFrame]) -> None:
    requests = financial_year(clean["requests.csv"]["received_date"]).value_counts()
    episodes = financial_year(clean["episodes.csv"]["start_date"]).value_counts()
    assert sorted(requests.index) == list(range(2019, 2025))
    assert requests.between(4000, 8000).all(), requests
    assert episodes.between(2500, 4500).all(), episodes


def test_deprived_areas_ask_for_help_more_often(
    clean: dict[str, pd.DataFrame], geography: pd.DataFrame
) -> None:
    counts = clean["requests.csv"]["lsoa_code"].value_counts().rename("requests")
    areas = geography.merge(counts, left_on="lsoa_code", right_index=True, how="left")
    most = areas[areas["imd_decile"] <= 2]
    least = areas[areas["imd_decile"] >= 9]
    rate_most = most["requests"].sum() / most["children"].sum()
    rate_least = least["requests"].sum() / least["children"].sum()
    assert rate_most > 1.5 * rate_least


def test_fewer_requests_in_august(clean: dict[str, pd.DataFrame]) -> None:
    month = pd.to_datetime(clean["requests.csv"]["received_date"]).dt.month
    per_month = month.value_counts()
    assert per_month[8] < 0.85 * per_month.mean()
    assert per_month[[9, 10, 11]].mean() > per_month.mean()


def test_strategy_shifts_practice_between_2019_20_and_2023_24(
    clean: dict[str, pd.DataFrame],
) -> None:
    requests = clean["requests.csv"]
    decided = requests[requests["decision"] != ""]
    working_days = np.busday_count(
        pd.to_datetime(decided["received_date"]).to_numpy().astype("datetime64[D]"),
        pd.to_datetime(decided["decision_date"]).to_numpy().astype("datetime64[D]"),
    )
    year = financial_year(decided["received_date"]).to_numpy()
    within_3 = pd.Series(working_days <= 3).groupby(year).mean()
    advice = (decided["decision"] == "advice_signposting").groupby(year).mean()
    assert within_3[2019] < 0.7 < 0.8 < within_3[2023]
    assert advice[2023] > advice[2019] + 0.05
    episodes = clean["episodes.csv"]
    partner_led = (
        (episodes["lead_agency"] != "council")
        .groupby(financial_year(episodes["start_date"]))
        .mean()
    )
    assert partner_led[2023] > partner_led[2019] + 0.1


def test_families_return_step_up_and_step_down_at_plausible_rates(
    clean: dict[str, pd.DataFrame],
) -> None:
    episodes = clean["episodes.csv"]
    closed = episodes[episodes["end_date"] != ""]
    stepped_up = (closed["closure_reason"] == "stepped_up_to_social_care").mean()
    assert 0.05 <= stepped_up <= 0.09
    assert 0.05 <= (episodes["stepped_down_from_social_care"] == "true").mean() <= 0.11
    requests = clean["requests.csv"][["family_id", "received_date"]]
    pairs = closed[["episode_id", "family_id", "end_date"]].merge(requests, on="family_id")
    gap = pd.to_datetime(pairs["received_date"]) - pd.to_datetime(pairs["end_date"])
    came_back = pairs.loc[(gap > pd.Timedelta(0)) & (gap <= pd.Timedelta(days=365)), "episode_id"]
    early = closed[pd.to_datetime(closed["end_date"]) < pd.Timestamp("2024-04-01")]
    assert 0.12 <= early["episode_id"].isin(came_back).mean() <= 0.22
    satisfaction = pd.to_numeric(clean["feedback.csv"]["satisfaction"])
    assert (satisfaction >= 4).mean() > 0.75


def test_case_dates_and_links_are_consistent(clean: dict[str, pd.DataFrame]) -> None:
    requests = clean["requests.csv"].set_index("request_id")
    episodes = clean["episodes.csv"]
    linked = requests.loc[episodes["request_id"]]
    assert (linked["decision"] == "early_help").all()
    assert (
        pd.to_datetime(episodes["start_date"]).to_numpy()
        >= pd.to_datetime(linked["decision_date"]).to_numpy()
    ).all()
    for name, column in (("requests.csv", "received_date"), ("episodes.csv", "start_date")):
        assert (pd.to_datetime(clean[name][column]) >= SYSTEM_START).all()
    pending = requests[requests["decision"] == ""]
    assert (pd.to_datetime(pending["received_date"]) > EXTRACT_END - pd.Timedelta(days=42)).all()
    closed = episodes[episodes["end_date"] != ""].set_index("episode_id")
    feedback = clean["feedback.csv"]
    assert feedback["episode_id"].isin(closed.index).all()
    assert (
        pd.to_datetime(feedback["response_date"]).to_numpy()
        >= pd.to_datetime(closed.loc[feedback["episode_id"], "end_date"]).to_numpy()
    ).all()
    outcomes = clean["outcomes.csv"]
    at_close = outcomes[outcomes["episode_id"].isin(closed.index)]
    assert (
        at_close["recorded_date"].to_numpy()
        == closed.loc[at_close["episode_id"], "end_date"].to_numpy()
    ).all()
    assert (outcomes["measure"] == "family_star_plus").all()


def test_rows_sit_in_the_ward_of_their_lsoa(
    clean: dict[str, pd.DataFrame], geography: pd.DataFrame
) -> None:
    ward_of = geography.set_index("lsoa_code")["ward_code"]
    for name in ("requests.csv", "episodes.csv"):
        frame = clean[name]
        located = frame[frame["lsoa_code"] != ""]
        assert (
            located["ward_code"].to_numpy() == ward_of.loc[located["lsoa_code"]].to_numpy()
        ).all()
        assert 0.95 <= len(located) / len(frame) <= 0.99


def test_optional_fields_are_empty_only_while_running(clean: dict[str, pd.DataFrame]) -> None:
    assessments = clean["assessments.csv"]
    assert (
        (assessments["completed_date"] == "") == (assessments["child_voice_recorded"] == "")
    ).all()
    programmes = clean["programmes.csv"]
    running = programmes["end_date"] == ""
    assert (running == (programmes["completed"] == "")).all()
    assert (running == (programmes["outcome_improved"] == "")).all()


def test_hub_contacts_are_on_weekdays_with_fewer_in_the_summer_holiday(
    clean: dict[str, pd.DataFrame],
) -> None:
    dates = pd.to_datetime(clean["hub_contacts.csv"]["contact_date"])
    assert (dates.dt.day_of_week < 5).all()
    per_month = dates.dt.month.value_counts()
    assert per_month[8] < per_month.mean()
    sites = clean["hub_contacts.csv"]["site"].unique()
    assert 3 <= len(sites) <= 8
    assert all(site.startswith("Family hub ") for site in sites)


def test_scale_two_doubles_every_table(tmp_path: Path, manifest: dict) -> None:
    summary = generate_demo(tmp_path, seed=2020, scale=2)
    for name in FILES:
        ratio = summary.files[name] / manifest["files"][name]
        assert 1.85 <= ratio <= 2.15, (name, ratio)
    hub = pd.read_csv(tmp_path / "hub_contacts.csv", dtype=str, keep_default_na=False)
    assert "Family hub North 2" in set(hub["site"])
    assert summary.broken_rows == len(
        json.loads((tmp_path / "demo_manifest.json").read_text())["broken_rows"]
    )


def test_scale_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_demo(tmp_path, scale=0)
