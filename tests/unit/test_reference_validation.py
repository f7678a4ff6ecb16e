"""Reference-data rules: texts, countries, e-mails, duplicate keys and RF reference bodies."""

from __future__ import annotations

import pytest

from wsis_funding.errors import WsisFundingError
from wsis_funding.ledger.iso3166 import COUNTRY_CODES, OFFICIAL, USER_ASSIGNED, is_country
from wsis_funding.ledger.validation import (
    InvalidField,
    check_country,
    check_email,
    clean_text,
    identity_key,
    reference_body,
)

# --- clean_text ---------------------------------------------------------------------------

GOOD_TEXTS = [
    ("  ACME  ", "ACME"),
    ("ACME\n", "ACME"),
    ("\tACME\r\n", "ACME"),
    ("\u00a0ITU\u3000", "ITU"),  # no-break space and ideographic space are trimmed
    ("Cafe\u0301", "Caf\u00e9"),  # NFC composes e + combining acute
    ("e\u0301" * 100, "\u00e9" * 100),  # 200 code points, 100 characters after NFC
    ("ＡＣＭＥ", "ＡＣＭＥ"),  # NFC leaves full-width letters alone (identity_key folds them)
    ("الاتحاد الدولي للاتصالات", "الاتحاد الدولي للاتصالات"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian needs the zero-width non-joiner
    ("Ministère \u200fشريك", "Ministère \u200fشريك"),  # a right-to-left mark is allowed
    ("国际电信联盟", "国际电信联盟"),
]


@pytest.mark.parametrize(("value", "expected"), GOOD_TEXTS)
def test_clean_text_normalises_to_nfc_and_trims(value: str, expected: str) -> None:
    assert clean_text(value, "legal_name", max_length=100) == expected


BAD_TEXTS = [
    ("", 100, "is empty; expected a non-empty text"),
    (" \t\n\u3000", 100, "is empty; expected a non-empty text"),
    ("A\x00B", 100, "contains U+0000 control; expected a single line of printable text"),
    ("AC\nME", 100, "contains U+000A control"),
    ("AC\tME", 100, "contains U+0009 control"),
    ("A\x7fB", 100, "contains U+007F control"),
    ("A\x85B", 100, "contains U+0085 control"),  # NEL is trimmed at the ends, refused inside
    ("ACME\x1f", 100, "contains U+001F control"),  # str.isspace() says yes; not White_Space
    ("A\x1b[31mB", 100, "contains U+001B control"),
    ("a\ud800", 100, "contains U+D800 surrogate"),
    ("\udfffz", 100, "contains U+DFFF surrogate"),
    ("x\ufdd0", 100, "contains U+FDD0 non-character"),
    ("x\uffff", 100, "contains U+FFFF non-character"),
    ("x\U0010fffe", 100, "contains U+10FFFE non-character"),
    ("a\u2028b", 100, "contains U+2028 LINE SEPARATOR"),
    ("a\u2029b", 100, "contains U+2029 PARAGRAPH SEPARATOR"),
    ("\u202eEMCA", 100, "contains U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("x\u2066y\u2069", 100, "contains U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL"),
    ("x" * 101, 100, "is 101 characters long; expected at most 100"),
    ("  " + "x" * 21 + "  ", 20, "is 21 characters long; expected at most 20"),
    ("\u00e9" * 41, 40, "is 41 characters long; expected at most 40"),
]


@pytest.mark.parametrize(("value", "max_length", "fragment"), BAD_TEXTS)
def test_clean_text_refuses_with_the_field_and_what_is_expected(
    value: str, max_length: int, fragment: str
) -> None:
    with pytest.raises(InvalidField) as info:
        clean_text(value, "short_name", max_length=max_length)
    assert info.value.field == "short_name"
    assert info.value.value == value
    assert fragment in info.value.reason
    assert str(info.value).startswith("invalid short_name ")
    assert fragment in str(info.value)


def test_several_refused_characters_are_listed_once_each_in_code_point_order() -> None:
    with pytest.raises(InvalidField) as info:
        clean_text("\x01a\x00b\x01c\x02d\x03e\x04f\x05", "town", max_length=100)
    assert info.value.reason.startswith(
        "contains U+0000 control, U+0001 control, U+0002 control, U+0003 control, "
        "U+0004 control and 1 more;"
    )


def test_an_optional_text_that_is_none_or_blank_is_none() -> None:
    assert clean_text(None, "tax_id", max_length=60, required=False) is None
    assert clean_text("  \t", "tax_id", max_length=60, required=False) is None
    assert clean_text(" CHE-123 ", "tax_id", max_length=60, required=False) == "CHE-123"


def test_an_optional_text_is_still_checked() -> None:
    with pytest.raises(InvalidField, match=r"invalid tax_id 'A\\x00': contains U\+0000"):
        clean_text("A\x00", "tax_id", max_length=60, required=False)


@pytest.mark.parametrize("value", [5, b"ACME", None, ["ACME"], 1.5])
def test_clean_text_refuses_a_non_str_with_a_type_error_naming_the_field(value: object) -> None:
    with pytest.raises(TypeError, match=f"^legal_name must be a str, not {type(value).__name__}"):
        clean_text(value, "legal_name", max_length=100)


def test_invalid_field_is_a_value_error_and_a_wsis_funding_error() -> None:
    with pytest.raises(InvalidField) as info:
        clean_text("", "town", max_length=10)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, WsisFundingError)
    assert str(info.value) == "invalid town '': is empty; expected a non-empty text"


def test_a_long_value_is_shortened_in_the_message_but_kept_whole_on_the_error() -> None:
    value = "A" * 5000
    with pytest.raises(InvalidField) as info:
        clean_text(value, "legal_name", max_length=400)
    assert info.value.value == value
    assert str(info.value) == (
        "invalid legal_name '" + "A" * 54 + "...A': is 5000 characters long; expected at most 400"
    )


def test_characters_the_fonts_cannot_draw_are_reported_through_the_seam() -> None:
    seen: list[str] = []

    def no_astral(text: str) -> set[str]:
        seen.append(text)
        return {c for c in text if ord(c) > 0xFFFF}

    with pytest.raises(InvalidField) as info:
        clean_text(
            " \U0001d538CME\U0001f600 ", "legal_name", max_length=100, missing_glyphs=no_astral
        )
    assert info.value.reason == (
        "the document fonts cannot draw U+1D538 MATHEMATICAL DOUBLE-STRUCK CAPITAL A, "
        "U+1F600 GRINNING FACE; expected text the invoices and letters can print"
    )
    assert seen == ["\U0001d538CME\U0001f600"]  # the cleaned text, not the raw one
    assert clean_text("ACME", "legal_name", max_length=9, missing_glyphs=no_astral) == "ACME"


# --- countries ----------------------------------------------------------------------------


def test_the_table_holds_the_249_official_codes_and_xk() -> None:
    assert len(OFFICIAL) == 249
    assert frozenset({"XK"}) == USER_ASSIGNED
    assert OFFICIAL | {"XK"} == COUNTRY_CODES
    for code in ("CH", "FR", "GB", "SS", "BQ", "CW", "SX", "AX", "PS", "TW", "AQ", "UM"):
        assert code in OFFICIAL
    for code in ("UK", "EU", "EZ", "UN", "AN", "CS", "YU", "SU", "FX", "AC", "ZZ", "XX", "QO"):
        assert code not in COUNTRY_CODES


@pytest.mark.parametrize(
    ("code", "expected"),
    [("CH", True), ("XK", True), ("ch", False), ("CHE", False), ("", False), (None, False)],
)
def test_is_country_accepts_upper_case_alpha_2_codes_only(code: object, expected: bool) -> None:
    assert is_country(code) is expected


@pytest.mark.parametrize(("value", "expected"), [("CH", "CH"), ("XK", "XK"), (" GB\n", "GB")])
def test_check_country_returns_the_code(value: str, expected: str) -> None:
    assert check_country(value, "country") == expected


BAD_COUNTRIES = [
    ("XX", "is not an assigned country code; expected an ISO 3166-1 alpha-2 country code"),
    ("ZZ", "is not an assigned country code"),
    ("AN", "is not an assigned country code"),  # Netherlands Antilles, deleted in 2010
    ("ch", "ISO 3166-1 alpha-2 codes are upper case; expected 'CH'"),
    ("Ch", "expected 'CH'"),
    ("Switzerland", "expected an ISO 3166-1 alpha-2 country code, two upper-case letters"),
    ("CHE", "looks like an alpha-3 code; expected an ISO 3166-1 alpha-2 country code"),
    ("UK", "UK is reserved, not assigned to a country in ISO 3166-1 alpha-2; expected 'GB'"),
    ("EL", "expected 'GR'"),
    ("ＣＨ", "expected an ISO 3166-1 alpha-2 country code"),  # full-width letters
    ("C", "expected an ISO 3166-1 alpha-2 country code"),
    ("", "expected an ISO 3166-1 alpha-2 country code"),
    ("756", "expected an ISO 3166-1 alpha-2 country code"),  # numeric code of Switzerland
]


@pytest.mark.parametrize(("value", "fragment"), BAD_COUNTRIES)
def test_check_country_refuses_saying_what_is_expected(value: str, fragment: str) -> None:
    with pytest.raises(InvalidField) as info:
        check_country(value, "billing_address.country")
    assert info.value.field == "billing_address.country"
    assert info.value.value == value
    assert fragment in str(info.value)
    assert str(info.value).startswith(f"invalid billing_address.country {value!r}: ")


def test_check_country_refuses_a_non_str_with_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^country must be a str, not NoneType"):
        check_country(None, "country")


# --- e-mail -------------------------------------------------------------------------------

GOOD_EMAILS = [
    ("finance@itu.int", "finance@itu.int"),
    ("First.Last+wsis@Example.ORG", "First.Last+wsis@Example.ORG"),  # case is kept
    ("o'brien@example.ie", "o'brien@example.ie"),
    (" wsis@itu.int\n", "wsis@itu.int"),
    ("jürgen@bücher.de", "jürgen@bücher.de"),
    ("jurgen@xn--bcher-kva.de", "jurgen@xn--bcher-kva.de"),
    ("info@例え.テスト", "info@例え.テスト"),
    ("info@وزارة.مصر", "info@وزارة.مصر"),
    ("a@b-c.d1", "a@b-c.d1"),
    ("x" * 64 + "@example.org", "x" * 64 + "@example.org"),
    ("jo\u0308rg@example.de", "j\u00f6rg@example.de"),  # NFC
]


@pytest.mark.parametrize(("value", "expected"), GOOD_EMAILS)
def test_check_email_accepts_pragmatic_addresses(value: str, expected: str) -> None:
    assert check_email(value, "contact_email") == expected


def test_an_address_of_254_characters_is_accepted_and_255_refused() -> None:
    domain = ".".join(["d" * 63, "d" * 63, "d" * 63, "org"])  # 195 characters
    assert len("x" * 58 + "@" + domain) == 254
    assert check_email("x" * 58 + "@" + domain, "contact_email") == "x" * 58 + "@" + domain
    with pytest.raises(InvalidField, match="is 255 characters long; expected at most 254"):
        check_email("x" * 59 + "@" + domain, "contact_email")


BAD_EMAILS = [
    ("", "is empty"),
    ("finance", "has 0 '@' characters, not exactly one"),
    ("a@@itu.int", "has 2 '@' characters, not exactly one"),
    ("a@b@itu.int", "has 2 '@' characters"),
    ("@itu.int", "has nothing before the '@'"),
    ("x" * 65 + "@itu.int", "the part before '@' is 65 characters, at most 64"),
    ("a b@itu.int", "contains whitespace or invisible characters (U+0020 SPACE)"),
    ("a@itu .int", "U+0020 SPACE"),
    ("a\u00a0b@itu.int", "U+00A0 NO-BREAK SPACE"),
    ("a\u200b@itu.int", "U+200B ZERO WIDTH SPACE"),
    ("a\u00ad@itu.int", "U+00AD SOFT HYPHEN"),
    ("a\x00@itu.int", "contains U+0000 control"),
    ("a\n@itu.int", "contains U+000A control"),
    ('"a"@itu.int', "the part before '@' contains \""),
    ("a,b@itu.int", "the part before '@' contains ,"),
    ("a<b>@itu.int", "contains < >"),
    (".a@itu.int", "starts or ends with a dot or has two dots in a row"),
    ("a.@itu.int", "starts or ends with a dot"),
    ("a..b@itu.int", "has two dots in a row"),
    ("a@localhost", "the domain after '@' has no dot"),
    ("a@", "the domain after '@' has no dot"),
    ("a@itu..int", "the domain label '' is empty"),
    ("a@itu.int.", "the domain label '' is empty"),
    ("a@.itu.int", "the domain label '' is empty"),
    ("a@-itu.int", "the domain label '-itu' starts or ends with a hyphen"),
    ("a@itu-.int", "starts or ends with a hyphen"),
    ("a@it_u.int", "the domain label 'it_u' contains U+005F LOW LINE"),
    ("a@[10.0.0.1]", "contains U+005B LEFT SQUARE BRACKET"),
    ("a@10.0.0.1", "the domain ends with a numeric label"),
    ("a@ex\u3002com.ch", "contains U+3002 IDEOGRAPHIC FULL STOP"),
    ("a@" + "d" * 64 + ".org", "is 64 characters, at most 63"),
]


@pytest.mark.parametrize(("value", "fragment"), BAD_EMAILS)
def test_check_email_refuses_naming_the_rule(value: str, fragment: str) -> None:
    with pytest.raises(InvalidField) as info:
        check_email(value, "contact_email")
    assert info.value.field == "contact_email"
    assert info.value.value == value
    assert fragment in str(info.value)
    assert str(info.value).startswith("invalid contact_email ")


def test_an_e_mail_problem_says_what_an_address_looks_like() -> None:
    with pytest.raises(InvalidField) as info:
        check_email("finance", "contact_email")
    assert str(info.value) == (
        "invalid contact_email 'finance': has 0 '@' characters, not exactly one; "
        "expected an address such as name@example.org"
    )


# --- identity keys ------------------------------------------------------------------------

SAME_AS_ACME = [
    "ACME",
    "acme",
    "Acme",
    "ACME ",
    " ACME",
    "ＡＣＭＥ",
    "Ａｃｍｅ",
    "AC ME",
    "A\u200bCME",
]


@pytest.mark.parametrize("name", SAME_AS_ACME)
def test_short_names_differing_in_case_width_or_spaces_share_one_key(name: str) -> None:
    assert identity_key(name) == "acme"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("ＷＳＩＳ２０２４", "wsis2024"),
        ("WSIS 2024", "wsis2024"),
        ("ﬁnance", "finance"),  # the ligature is NFKC-folded
        ("Ⅻ", "xii"),
        ("UN\u3000DESA", "undesa"),
        ("Caf\u00e9", "caf\u00e9"),
        ("Cafe\u0301", "caf\u00e9"),
    ],
)
def test_identity_key_folds_compatibility_forms_and_case(name: str, expected: str) -> None:
    assert identity_key(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ACME", "ACNE"),
        ("ACME-1", "ACME1"),  # punctuation is part of the name
        ("ACME", "АСМЕ"),  # Cyrillic look-alikes are not folded
        ("Cafe", "Café"),
    ],
)
def test_different_short_names_keep_different_keys(a: str, b: str) -> None:
    assert identity_key(a) != identity_key(b)


# --- RF reference bodies ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "body"),
    [
        ("WSIS", "WSIS"),
        ("WS-IS", "WSIS"),
        ("ws is", "WSIS"),
        ("W.S.I.S.", "WSIS"),
        ("WSIS-2024", "WSIS2024"),
        ("wsis_cn", "WSISCN"),
        ("ÉCOLE", "COLE"),  # É is not ASCII: dropped
        ("straße", "STRASSE"),  # upper-cased first, as creditor references are: ß -> SS
        ("ＷＳＩＳ", ""),  # full-width letters are not ASCII
        ("---", ""),
    ],
)
def test_reference_body_keeps_ascii_letters_and_digits_upper_cased(prefix: str, body: str) -> None:
    assert reference_body(prefix) == body


def test_prefixes_wsis_and_ws_is_are_detectable_as_colliding() -> None:
    assert reference_body("WSIS") == reference_body("WS-IS")
    assert reference_body("WSIS") != reference_body("WSIS2")


@pytest.mark.parametrize("func", [identity_key, reference_body])
def test_keys_refuse_a_non_str(func: object) -> None:
    assert callable(func)
    with pytest.raises(TypeError, match="must be a str, not bytes"):
        func(b"ACME")
