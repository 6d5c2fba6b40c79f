"""Identifying headers and values are recognised by meaning, and no legitimate column is refused."""

from __future__ import annotations

import pytest

from indicators.load.contract import TABLES
from indicators.load.identifying import (
    VALUE_PATTERNS,
    holds_email,
    holds_postcode,
    identifying_header,
    identifying_values,
    is_nhs_number,
)
from indicators.load.jsna import DFE_REQUIRED

REFUSED_HEADERS = {
    "ChildName": "a name",
    "Parent Name": "a name",
    "ｃｈｉｌｄ＿ｎａｍｅ": "a name",  # fullwidth letters and low line
    "D.O.B.": "a date of birth",
    "NHSNo": "an NHS number",
    "e-mail": "an e-mail address",
    "home_addr": "an address",
    "unique_pupil_number": "a unique pupil number",
    "tel": "a telephone number",
    "name": "a name",
    "child_name": "a name",
    "First Name": "a name",
    "surname": "a name",
    "Name of child": "a name",
    "Carer's name": "a name",
    "KnownAs": "a name",
    "address_line_1": "an address",
    "Street": "an address",
    "postcode": "a postcode",
    "Post Code": "a postcode",
    "ZIP": "a postcode",
    "date_of_birth": "a date of birth",
    "DOB": "a date of birth",
    "BirthDate": "a date of birth",
    "year_of_birth": "a date of birth",
    "nhs_number": "an NHS number",
    "NHS No": "an NHS number",
    "upn": "a unique pupil number",
    "ULN": "a unique learner number",
    "NI Number": "a national insurance number",
    "N.I.": "a national insurance number",
    "NINO": "a national insurance number",
    "email": "an e-mail address",
    "Email_Address": "an e-mail address",
    "phone_number": "a telephone number",
    "Mobile": "a telephone number",
    "TELEPHONE": "a telephone number",
    "Ｄ．Ｏ．Ｂ．": "a date of birth",  # fullwidth dots too
}


@pytest.mark.parametrize("header", REFUSED_HEADERS, ids=list(REFUSED_HEADERS))
def test_identifying_headers_are_refused_whatever_the_spelling(header: str) -> None:
    assert identifying_header(header) == REFUSED_HEADERS[header]


CONTRACT_COLUMNS = sorted({c for t in TABLES for c in t.column_names})
PUBLIC_COLUMNS = [*DFE_REQUIRED, "country_name", "region_name", "la_name", "Area Name"]
PLACE_AND_THING_COLUMNS = [
    "ward_name",
    "site",
    "site_name",
    "school_name",
    "ward24_name",
    "ltla21_name",
    "Indicator Name",
    "programme_name",
    "hotel_nights",
    "telemetry",
    "mobility_score",
    "household_size",
]


@pytest.mark.parametrize("column", CONTRACT_COLUMNS + PUBLIC_COLUMNS + PLACE_AND_THING_COLUMNS)
def test_contract_public_and_place_columns_pass(column: str) -> None:
    assert identifying_header(column) is None


def test_a_count_of_addresses_is_still_refused() -> None:
    """Erring on the side of refusal: any header about addresses is one an extract can lose."""
    assert identifying_header("address_count_la") == "an address"


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "4010232137"])
def test_nhs_numbers_with_a_valid_check_digit(value: str) -> None:
    assert is_nhs_number(value)


@pytest.mark.parametrize(
    "value", ["9434765918", "0000000000", "943476591", "94347659190", "CH-00000002", "１２３"]
)
def test_not_nhs_numbers(value: str) -> None:
    """Wrong check digit, a placeholder, wrong length, a pseudonym, non-ASCII digits."""
    assert not is_nhs_number(value)


def test_postcodes_and_emails_in_values() -> None:
    assert holds_postcode("ST4 1AA") and holds_postcode("st41aa")
    assert holds_postcode("12 High St, Stoke ST4 1AA")
    assert not holds_postcode("E05008728") and not holds_postcode("REQ-00000001")
    assert not holds_postcode("Family hub North")
    assert holds_email("mum: jo.bloggs+x@example.co.uk") and not holds_email("a @ b")


def test_a_column_is_refused_by_the_share_of_its_values() -> None:
    emails = ["x@example.org", "", None, "REQ-1"] + ["REQ-2"] * 5
    assert identifying_values(emails) == ("e-mail addresses", 1, 7)
    assert identifying_values(["REQ-1"] * 11 + ["x@example.org"]) is None
    # A random ten-digit id passes the check digit about one time in eleven: not refused.
    ids = [f"{n:010d}" for n in range(1_000_000_000, 1_000_000_000 + 50 * 7919, 7919)]
    assert identifying_values(ids) is None
    assert identifying_values(["943 476 5919", "4010232137"]) == ("NHS numbers", 2, 2)


def test_value_patterns_are_data_with_a_share_each() -> None:
    assert {p.kind for p in VALUE_PATTERNS} == {"UK postcodes", "e-mail addresses", "NHS numbers"}
    assert all(0 < p.min_share <= 1 for p in VALUE_PATTERNS)
