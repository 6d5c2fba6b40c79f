"""What makes a column identify a person, as data: names and patterns of headers and values.

The one home of this list. It follows the identifiers the NHS and DfE
data-sharing guidance treat as direct identifiers of a child or family
(ICO anonymisation code of practice; NHS Digital's "identifiable data"
list; DfE's guidance on the NPD and on sharing UPNs): names, addresses and
postcodes, dates of birth, NHS numbers, unique pupil and learner numbers,
national insurance numbers, e-mail addresses and telephone numbers. The
dashboard needs none of them: extracts carry pseudonymised ids
(`child_id`, `family_id`) and LSOA and ward codes.

A header is matched by meaning, not by spelling: it is normalised (Unicode
compatibility forms, case, and every space, punctuation mark and underscore
removed, so `ｃｈｉｌｄ＿ｎａｍｅ`, `Child Name` and `ChildName` are all
`childname`) and compared with `IDENTIFYING_NAMES` (anywhere in the
normalised header) and `IDENTIFYING_WORDS` (a whole word of the header, so
`tel` is refused and `hotel_nights` is not). A bare `name` is a person's
unless another word says it is a place's or a thing's (`ward_name`,
`la_name`, `site_name`).

Values are matched too, on a sample, because a column can be misnamed:
`VALUE_PATTERNS` says what a UK postcode, an NHS number (with its modulus 11
check digit) and an e-mail address look like, and what share of a column's
sampled non-empty values must look like one before the column is refused.
Values are only tested, never kept or shown.

Changing what is refused is an edit of the data below; `tests/load/test_identifying.py`
holds the headers that must be refused and the contract and public columns
that must pass.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Normalised header fragments that identify a person wherever they occur.
IDENTIFYING_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "firstname",
            "lastname",
            "surname",
            "forename",
            "givenname",
            "fullname",
            "middlename",
            "maidenname",
            "familyname",
            "preferredname",
            "childname",
            "childsname",
            "parentname",
            "parentsname",
            "carername",
            "carersname",
            "guardianname",
            "mothername",
            "mothersname",
            "fathername",
            "fathersname",
            "personname",
            "clientname",
            "pupilname",
            "knownas",
        ),
        "a name",
    ),
    **dict.fromkeys(
        ("address", "homeaddr", "streetname", "housenumber", "housename"), "an address"
    ),
    **dict.fromkeys(("postcode", "postalcode", "zipcode"), "a postcode"),
    **dict.fromkeys(("ofbirth", "birthdate", "birthday", "dob"), "a date of birth"),
    **dict.fromkeys(("nhsnumber", "nhsno", "nhsnum", "chinumber"), "an NHS number"),
    **dict.fromkeys(("uniquepupilnumber", "pupilnumber"), "a unique pupil number"),
    **dict.fromkeys(("uniquelearnernumber", "learnernumber"), "a unique learner number"),
    **dict.fromkeys(("nationalinsurance", "ninumber", "nino"), "a national insurance number"),
    **dict.fromkeys(("email", "emailaddr"), "an e-mail address"),
    **dict.fromkeys(("telephone", "phonenumber", "phoneno", "mobile"), "a telephone number"),
}
# Whole words (after splitting on punctuation, spaces and camelCase) that identify a person.
IDENTIFYING_WORDS: dict[str, str] = {
    **dict.fromkeys(("name", "names", "forenames", "surnames", "alias"), "a name"),
    **dict.fromkeys(("addr", "street", "house", "addressline"), "an address"),
    **dict.fromkeys(("postcode", "zip"), "a postcode"),
    "dob": "a date of birth",
    "nhs": "an NHS number",
    "upn": "a unique pupil number",
    "uln": "a unique learner number",
    "ni": "a national insurance number",
    **dict.fromkeys(("tel", "phone", "mob", "fax"), "a telephone number"),
}
# With a bare `name`, these words make the column about a place or thing, not a person.
NOT_A_PERSON_WORDS = frozenset(
    {
        "ward",
        "lsoa",
        "msoa",
        "lad",
        "ltla",
        "utla",
        "la",
        "area",
        "country",
        "region",
        "site",
        "hub",
        "programme",
        "program",
        "service",
        "indicator",
        "measure",
        "domain",
        "category",
        "school",
        "setting",
        "team",
        "organisation",
        "provider",
        "file",
        "sheet",
    }
)
_LONGEST_FIRST = sorted(IDENTIFYING_NAMES, key=len, reverse=True)
# Word boundaries inside a run of letters: camelCase (`ChildName`, `NHSNo` is `NHS No`)
# and letters against digits (`ward24_name` is about a ward).
_INNER_BOUNDARY = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])"
)


def normalised(header: str) -> str:
    """`header` in compatibility form, case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", header).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def header_words(header: str) -> list[str]:
    """The words of a header: split at camelCase, spaces, punctuation and underscores."""
    text = _INNER_BOUNDARY.sub(" ", unicodedata.normalize("NFKC", header))
    return [w for w in re.split(r"[\W_]+", text.casefold()) if w]


def identifying_header(header: str) -> str | None:
    """What a header would identify a person by (`"a name"`), or None for a safe header.

    Example: `identifying_header("D.O.B.")` is `"a date of birth"`;
    `identifying_header("ward_name")` is None.
    """
    joined = normalised(header)
    for fragment in _LONGEST_FIRST:  # `emailaddress` is an e-mail, not an address
        if fragment in joined:
            return IDENTIFYING_NAMES[fragment]
    words = header_words(header)
    hits = [IDENTIFYING_WORDS[w] for w in words if w in IDENTIFYING_WORDS]
    if not hits and joined in IDENTIFYING_WORDS:
        hits = [IDENTIFYING_WORDS[joined]]  # `D.O.B.`, `N.I.`: letters split by dots
    specific = [kind for kind in hits if kind != "a name"]
    if specific:
        return specific[0]
    if hits and not NOT_A_PERSON_WORDS & set(words):
        return hits[0]
    return None


@dataclass(frozen=True)
class ValuePattern:
    """One kind of identifying value and the share of a column that condemns it."""

    kind: str
    looks_like: Callable[[str], bool]
    min_share: float


_POSTCODE = re.compile(
    r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[a-z]{2,}", re.IGNORECASE)
_NHS_SEPARATORS = re.compile(r"[\s-]")


def holds_postcode(value: str) -> bool:
    """True when a full UK postcode (`ST4 1AA`, `st41aa`) appears in `value`."""
    return _POSTCODE.search(value) is not None


def holds_email(value: str) -> bool:
    return _EMAIL.search(value) is not None


def is_nhs_number(value: str) -> bool:
    """Ten digits (spaces or hyphens allowed) whose tenth is the modulus 11 check digit.

    The NHS Data Dictionary's algorithm: weights 10..2 on the first nine
    digits, check = 11 - (sum mod 11), 11 means 0 and 10 is never issued.
    """
    digits = _NHS_SEPARATORS.sub("", value)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    if len(set(digits)) == 1:
        return False  # 0000000000 passes the arithmetic but is a placeholder
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return check != 10 and (0 if check == 11 else check) == int(digits[9])


# Shares: nothing but an e-mail looks like an e-mail, and few ids look like a full
# postcode, so a tenth is enough; a random ten-digit id passes the NHS check digit
# one time in eleven, so half the column must.
VALUE_PATTERNS: tuple[ValuePattern, ...] = (
    ValuePattern("UK postcodes", holds_postcode, 0.1),
    ValuePattern("e-mail addresses", holds_email, 0.1),
    ValuePattern("NHS numbers", is_nhs_number, 0.5),
)
# How many values of each column are tested (a reservoir sample of the rows).
VALUE_SAMPLE_ROWS = 1000


def identifying_values(values: Iterable[str | None]) -> tuple[str, int, int] | None:
    """(kind, matches, non-empty values) when a sample of a column looks identifying.

    Each distinct value is tested once (codes, dates and flags repeat a lot).
    """
    filled = Counter(v.strip() for v in values if v is not None and v.strip())
    total = filled.total()
    for pattern in VALUE_PATTERNS:
        matches = sum(n for value, n in filled.items() if pattern.looks_like(value))
        if matches and matches >= pattern.min_share * total:
            return pattern.kind, matches, total
    return None
