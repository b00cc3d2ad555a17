//! Typed names: every error kind, every normalisation, and the canonical form against the openssl CLI.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;
use crate::test_certificates::{der, exists, Workdir, OPENSSL};

fn canonical(input: &str) -> String {
    match parse_dn(input) {
        Ok(dn) => dn.canonical().to_owned(),
        Err(e) => panic!("{input:?}: {e}"),
    }
}

fn err(input: &str) -> DnParseError {
    match parse_dn(input) {
        Ok(dn) => panic!("{input:?} parsed as {:?}", dn.canonical()),
        Err(e) => e,
    }
}

fn changes(input: &str) -> Vec<Normalisation> {
    parse_dn(input).unwrap().changes().to_vec()
}

/// Asserts the error's position, code and full message.
fn assert_error(input: &str, position: usize, code: &str, message: &str) {
    let e = err(input);
    assert_eq!(
        (e.position, e.error_code(), e.to_string().as_str()),
        (position, code, message),
        "{input:?}"
    );
}

// ---- Canonical form ---------------------------------------------------------------------------

#[test]
fn typical_names() {
    assert_eq!(
        canonical("CN=Jane Doe, O=MongoDB, C=US"),
        "CN=Jane Doe,O=MongoDB,C=US"
    );
    assert_eq!(canonical("cn=jane,o=acme"), "CN=jane,O=acme");
    assert_eq!(canonical("E=a@b.c,CN=x"), "emailAddress=a@b.c,CN=x");
    assert_eq!(canonical("email=a@b.c"), "emailAddress=a@b.c");
    assert_eq!(canonical("2.5.4.3=foo"), "CN=foo");
    assert_eq!(canonical("OID.2.5.4.3=foo"), "CN=foo");
    assert_eq!(canonical("oid.2.5.4.10=foo"), "O=foo");
    assert_eq!(canonical("Oid.2.5.4.11=foo"), "OU=foo");
    assert_eq!(
        canonical("commonName=x,organizationalUnitName=y"),
        "CN=x,OU=y"
    );
    assert_eq!(
        canonical("STREET=1 Main St,dc=example,DC=com"),
        "street=1 Main St,DC=example,DC=com"
    );
    assert_eq!(canonical("userId=jd"), "UID=jd");
    assert_eq!(canonical("UID=jd"), "UID=jd");
    // openssl's own short name for 0.9.2342.19200300.100.1.44.
    assert_eq!(canonical("uid=jd"), "uid=jd");
    assert_eq!(canonical("uniqueIdentifier=jd"), "uid=jd");
    assert_eq!(canonical("  CN = a  ,  O = b  "), "CN=a,O=b");
}

#[test]
fn values_escape_as_openssl_prints_them() {
    assert_eq!(canonical(r#"CN="Doe, Jane""#), r"CN=Doe\, Jane");
    assert_eq!(canonical(r#"CN=" a+b;<c> ""#), r"CN=\ a\+b\;\<c\>\ ");
    assert_eq!(canonical(r"CN=\C3\A9t\c3\a9"), "CN=été");
    assert_eq!(canonical(r"CN=\2C\2b"), r"CN=\,\+");
    assert_eq!(canonical(r"CN=\#x"), r"CN=\#x");
    assert_eq!(canonical("CN=#"), "CN=#");
    assert_eq!(canonical("CN=a#b=c"), "CN=a#b=c");
    assert_eq!(canonical(r"CN=\ a\ "), r"CN=\ a\ ");
    assert_eq!(canonical(r"CN=a\=b"), "CN=a=b");
    assert_eq!(canonical("CN=a\tb"), r"CN=a\09b");
    assert_eq!(canonical(r"CN=a\0ab"), r"CN=a\0Ab");
    assert_eq!(canonical("CN=日本語 😀"), "CN=日本語 😀");
}

#[test]
fn hex_values_are_inserted_as_given() {
    // A UTF8String is shown as its text.
    assert_eq!(canonical("CN=#0C03666F6F"), "CN=foo");
    assert_eq!(canonical("CN=#0c03666f6f"), "CN=foo");
    // A BIT STRING stays a dump.
    assert_eq!(canonical("CN=#03020780"), "CN=#03020780");
    // Types openssl does not know print as #hex.
    assert_eq!(canonical("1.2.3.4=foo"), "1.2.3.4=#0C03666F6F");
    assert_eq!(canonical("1.2.3.4=#0C03666F6F"), "1.2.3.4=#0C03666F6F");
    let dn = parse_dn("CN=#0C03666F6F").unwrap();
    assert_eq!(dn.common_name(), Some("foo"));
}

#[test]
fn multi_valued_rdns_follow_the_der_set_order() {
    // CN (2.5.4.3) sorts before O (2.5.4.10) in the SET; openssl prints the set backwards.
    assert_eq!(canonical("CN=a+O=b"), "O=b+CN=a");
    assert_eq!(canonical("O=b+CN=a"), "O=b+CN=a");
    // Same type: the shorter encoding sorts first.
    assert_eq!(canonical("OU=zz+OU=a"), "OU=zz+OU=a");
    assert_eq!(canonical("OU=a+OU=zz"), "OU=zz+OU=a");
    assert_eq!(canonical("CN=x,OU=a+OU=b,O=y"), "CN=x,OU=b+OU=a,O=y");
}

#[test]
fn der_reverses_the_rdns_and_uses_req_string_types() {
    let dn = parse_dn("CN=Jane,emailAddress=j@x.org,C=US,DC=org,serialNumber=42").unwrap();
    let expected = der::name(&[
        der::rdn(&[der::ava("2.5.4.5", &der::tlv(0x13, b"42"))]),
        der::rdn(&[der::ava(
            "0.9.2342.19200300.100.1.25",
            &der::tlv(0x16, b"org"),
        )]),
        der::rdn(&[der::ava("2.5.4.6", &der::tlv(0x13, b"US"))]),
        der::rdn(&[der::ava(
            "1.2.840.113549.1.9.1",
            &der::tlv(0x16, b"j@x.org"),
        )]),
        der::rdn(&[der::ava("2.5.4.3", &der::utf8("Jane"))]),
    ]);
    assert_eq!(dn.der(), expected.as_slice());
    assert_eq!(rfc2253(dn.der()).unwrap(), dn.canonical());
}

#[test]
fn common_name_and_attributes() {
    let dn = parse_dn(r"O=Acme, CN=Doe\, Jane+UID=jd, CN=second").unwrap();
    assert_eq!(dn.canonical(), r"O=Acme,UID=jd+CN=Doe\, Jane,CN=second");
    assert_eq!(dn.common_name(), Some("Doe, Jane"));
    assert_eq!(
        dn.attributes().collect::<Vec<_>>(),
        [
            ("O", "Acme"),
            ("UID", "jd"),
            ("CN", "Doe, Jane"),
            ("CN", "second")
        ]
    );
    assert_eq!(parse_dn("O=x").unwrap().common_name(), None);
    assert_eq!(
        parse_dn("1.2.3.4=a")
            .unwrap()
            .attributes()
            .collect::<Vec<_>>(),
        [("1.2.3.4", "#0C0161")]
    );
    assert_eq!(parse_dn("CN=x").unwrap().to_string(), "CN=x");
}

// ---- Errors -----------------------------------------------------------------------------------

#[test]
fn error_empty_and_too_long() {
    assert_error(
        "",
        0,
        "INVALID_DN_EMPTY",
        "character 1: the name is empty: write it as type=value pairs, e.g. CN=Jane Doe,O=Example,C=US",
    );
    assert_eq!(err("   ").error_code(), "INVALID_DN_EMPTY");
    let long = format!("CN={}", "é".repeat(MAX_DN_INPUT_BYTES));
    let e = err(&long);
    assert_eq!(e.error_code(), "INVALID_DN_TOO_LONG");
    assert_eq!(e.position, 3 + (MAX_DN_INPUT_BYTES - 3) / 2);
    assert!(e
        .to_string()
        .ends_with("the name is longer than 65536 bytes"));
}

#[test]
fn error_empty_rdn() {
    let message = |n: usize, c: char| {
        format!("character {n}: expected type=value here, found '{c}': there is nothing between two separators, or a separator at the start or end")
    };
    assert_error("CN=a,,O=b", 5, "INVALID_DN_EMPTY_RDN", &message(6, ','));
    assert_error(",CN=a", 0, "INVALID_DN_EMPTY_RDN", &message(1, ','));
    assert_error("CN=a, ", 4, "INVALID_DN_EMPTY_RDN", &message(5, ','));
    assert_error("CN=a++O=b", 5, "INVALID_DN_EMPTY_RDN", &message(6, '+'));
    assert_error("CN=a+", 4, "INVALID_DN_EMPTY_RDN", &message(5, '+'));
}

#[test]
fn error_missing_equals_and_empty_type() {
    assert_error(
        "CN",
        2,
        "INVALID_DN_MISSING_EQUALS",
        "character 3: expected '=' after the attribute type \"CN\"",
    );
    assert_error(
        "CN=a,O",
        6,
        "INVALID_DN_MISSING_EQUALS",
        "character 7: expected '=' after the attribute type \"O\"",
    );
    assert_error(
        "CN=a, =b",
        6,
        "INVALID_DN_EMPTY_TYPE",
        "character 7: the attribute type before '=' is missing",
    );
}

#[test]
fn error_type_character() {
    assert_error(
        "C N=x",
        1,
        "INVALID_DN_TYPE_CHARACTER",
        "character 2: ' ' cannot appear in an attribute type: use a name such as CN or a dotted identifier such as 2.5.4.3",
    );
    assert_eq!(err("C_N=x").position, 1);
    assert_eq!(err("C.N=x").error_code(), "INVALID_DN_TYPE_CHARACTER");
    assert_eq!(err("\"CN\"=x").position, 0);
}

#[test]
fn error_unknown_type_with_suggestions() {
    assert_error(
        "CM=x",
        0,
        "INVALID_DN_UNKNOWN_TYPE",
        "character 1: unknown attribute type \"CM\": did you mean CN?",
    );
    assert_error(
        "CN=a,S=x",
        5,
        "INVALID_DN_UNKNOWN_TYPE",
        "character 6: unknown attribute type \"S\"",
    );
    assert_eq!(
        err("comonName=x").kind,
        DnParseErrorKind::UnknownType {
            attribute: "comonName".into(),
            suggestion: Some("CN")
        }
    );
    assert_eq!(
        err("emailAdress=x").kind,
        DnParseErrorKind::UnknownType {
            attribute: "emailAdress".into(),
            suggestion: Some("emailAddress")
        }
    );
    assert_eq!(
        err("bogus=x").kind,
        DnParseErrorKind::UnknownType {
            attribute: "bogus".into(),
            suggestion: None
        }
    );
    // Case alone is never an error.
    assert_eq!(canonical("Cn=x,eMaIlAdDrEsS=a@b"), "CN=x,emailAddress=a@b");
}

#[test]
fn error_ambiguous_type() {
    assert_error(
        "Uid=x",
        0,
        "INVALID_DN_AMBIGUOUS_TYPE",
        "character 1: the attribute type \"Uid\" is ambiguous: write UID or uid",
    );
}

#[test]
fn error_bad_oid() {
    for (input, reason) in [
        ("2.5.4.=x", "an arc between dots is empty"),
        ("2=x", "an identifier has at least two arcs"),
        ("3.1=x", "the first arc must be 0, 1 or 2"),
        (
            "1.40=x",
            "the second arc must be below 40 when the first is 0 or 1",
        ),
        ("2.05.4=x", "an arc has a leading zero"),
        (
            "1.2.99999999999999999999999999999999999999999=x",
            "an arc is too large",
        ),
        ("OID.2.5..4=x", "an arc between dots is empty"),
    ] {
        let e = err(input);
        assert_eq!(
            (e.position, e.error_code()),
            (0, "INVALID_DN_BAD_OID"),
            "{input}"
        );
        assert!(e.to_string().ends_with(reason), "{input}: {e}");
    }
    let long = format!("1.2.{}=x", ["1234567"; 10].join("."));
    assert!(err(&long).to_string().contains("at most 79 characters"));
    assert_error(
        "2.5.4.=x",
        0,
        "INVALID_DN_BAD_OID",
        "character 1: \"2.5.4.\" is not a valid object identifier: an arc between dots is empty",
    );
}

#[test]
fn error_empty_value() {
    assert_error(
        "CN=,O=b",
        3,
        "INVALID_DN_EMPTY_VALUE",
        "character 4: CN has an empty value: openssl does not put empty attributes in a certificate",
    );
    assert_eq!(
        err("CN=a,organizationName=  ").kind,
        DnParseErrorKind::EmptyValue {
            attribute: "O".into()
        }
    );
    assert_eq!(err("CN=\"\"").error_code(), "INVALID_DN_EMPTY_VALUE");
}

#[test]
fn error_escapes() {
    assert_error(
        "CN=a\\",
        4,
        "INVALID_DN_TRAILING_BACKSLASH",
        "character 5: the value ends with a lone backslash: write \\\\ for a backslash",
    );
    assert_error(
        "CN=a\\q",
        4,
        "INVALID_DN_BAD_ESCAPE",
        "character 5: '\\q' is not an escape: after a backslash write one of , + \" \\ < > ; # = space, or two hex digits",
    );
    assert_error(
        "CN=a\\4x",
        4,
        "INVALID_DN_BAD_HEX_ESCAPE",
        "character 5: a hex escape needs two hex digits (e.g. \\2C)",
    );
    assert_eq!(err("CN=a\\4").error_code(), "INVALID_DN_BAD_HEX_ESCAPE");
    assert_error(
        r"CN=ab\C3\28",
        5,
        "INVALID_DN_INVALID_UTF8",
        "character 6: the hex escapes do not form valid UTF-8",
    );
    assert_eq!(err(r"CN=x\FF").position, 4);
    assert_eq!(err(r"CN=x\E6\97").position, 4);
}

#[test]
fn error_quotes() {
    assert_error(
        "CN=\"abc,O=x",
        3,
        "INVALID_DN_UNTERMINATED_QUOTE",
        "character 4: the quoted value is not closed: add a '\"'",
    );
    assert_error(
        "CN=\"abc\" d",
        9,
        "INVALID_DN_TEXT_AFTER_QUOTE",
        "character 10: 'd' after the closing quote: a quoted value must be followed by ',', '+' or the end",
    );
    assert_error(
        "CN=ab\"c\"",
        5,
        "INVALID_DN_UNESCAPED_CHARACTER",
        "character 6: '\"' must be escaped as \\\" (or the whole value quoted)",
    );
}

#[test]
fn error_unescaped_characters_and_semicolon() {
    assert_error(
        "CN=a<b",
        4,
        "INVALID_DN_UNESCAPED_CHARACTER",
        "character 5: '<' must be escaped as \\< (or the whole value quoted)",
    );
    assert_eq!(err("CN=a>b").position, 4);
    assert_error(
        "CN=a;O=b",
        4,
        "INVALID_DN_SEMICOLON",
        "character 5: ';' is not a separator here: use ',' between RDNs, or write \\; for a semicolon in a value",
    );
    assert_eq!(canonical(r"CN=a\;O=b"), r"CN=a\;O=b");
}

#[test]
fn error_hex_values() {
    assert_error(
        "CN=#1 team",
        6,
        "INVALID_DN_HEX_VALUE_CHARACTER",
        "character 7: 't' is not a hex digit: a value starting with # is the hex of its DER encoding (write \\# for a literal #)",
    );
    assert_eq!(err("CN=#0C0g").position, 7);
    assert_error(
        "CN=#0C016",
        3,
        "INVALID_DN_HEX_VALUE_ODD_LENGTH",
        "character 4: the #hex value has an odd number of hex digits",
    );
    for (input, problem) in [
        (
            "CN=#0C05616263",
            BerProblem::Encoding(crate::asn1::TlvError::CutShort {
                offset: 0,
                declared: 5,
                available: 3,
            }),
        ),
        ("CN=#0C0161FF", BerProblem::TrailingBytes),
        ("CN=#020101", BerProblem::ValueType { tag: 0x02 }),
        (
            "CN=#0C01FF",
            BerProblem::Content("the UTF8String is not valid UTF-8"),
        ),
        ("CN=#0C00", BerProblem::EmptyString),
    ] {
        let e = err(input);
        assert_eq!(
            (e.position, e.kind),
            (3, DnParseErrorKind::BerValue { problem }),
            "{input}"
        );
    }
    assert_eq!(
        err("CN=#020101").to_string(),
        "character 4: the #hex value is not a DER value a name can hold: a name cannot hold a value of type INTEGER"
    );
}

#[test]
fn error_values_openssl_refuses() {
    assert_error(
        "CN=x,C=USA",
        7,
        "INVALID_DN_VALUE_LENGTH",
        "character 8: C must be exactly 2 characters long (found 3): openssl refuses it",
    );
    assert_error(
        &format!("CN={}", "a".repeat(65)),
        3,
        "INVALID_DN_VALUE_LENGTH",
        "character 4: CN can be at most 64 characters long (found 65): openssl refuses it",
    );
    assert_eq!(
        canonical(&format!("CN={}", "é".repeat(64))),
        format!("CN={}", "é".repeat(64))
    );
    assert_error(
        "C=U_",
        3,
        "INVALID_DN_VALUE_CHARACTER",
        "character 4: C cannot contain '_': openssl allows only letters, digits, space and ' ( ) + , - . / : = ? there",
    );
    assert_error(
        r"CN=x,E=j\C3\A9@x.org",
        8,
        "INVALID_DN_VALUE_CHARACTER",
        "character 9: emailAddress cannot contain 'é': openssl allows only ASCII characters there",
    );
    assert_eq!(
        err("serialNumber=a*b").error_code(),
        "INVALID_DN_VALUE_CHARACTER"
    );
}

#[test]
fn every_error_code_is_distinct_upper_snake() {
    let inputs = [
        "",
        "CN=a,,O=b",
        "CN",
        "=x",
        "C N=x",
        "CM=x",
        "Uid=x",
        "3.1=x",
        "CN=",
        "CN=a\\",
        "CN=a\\q",
        "CN=a\\4x",
        "CN=\\FF",
        "CN=\"a",
        "CN=\"a\"b",
        "CN=<",
        "CN=;",
        "CN=#zz",
        "CN=#0",
        "CN=#0500",
        "C=é",
        "C=ABC",
    ];
    let mut codes: Vec<&str> = inputs.iter().map(|i| err(i).error_code()).collect();
    codes.push(err(&"a".repeat(MAX_DN_INPUT_BYTES + 1)).error_code());
    for code in &codes {
        assert!(
            code.starts_with("INVALID_DN_")
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        );
    }
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n, "{codes:?}");
}

// ---- Normalisations ---------------------------------------------------------------------------

#[test]
fn identical_input_has_no_changes() {
    assert!(changes("CN=Jane Doe,O=MongoDB,C=US").is_empty());
    assert!(changes(r"UID=jd+CN=Doe\, Jane").is_empty());
}

#[test]
fn normalisation_spaces() {
    assert_eq!(changes("CN=a, O=b"), [Normalisation::SpacesRemoved]);
    assert_eq!(changes(" CN = a "), [Normalisation::SpacesRemoved]);
    assert_eq!(
        changes("CN=a +O=b").first(),
        Some(&Normalisation::SpacesRemoved)
    );
}

#[test]
fn normalisation_type_names() {
    let renamed = |from: &str, to: &str| Normalisation::TypeRenamed {
        from: from.into(),
        to: to.into(),
    };
    assert_eq!(changes("cn=a,cn=b"), [renamed("cn", "CN")]);
    assert_eq!(changes("E=a@b"), [renamed("E", "emailAddress")]);
    assert_eq!(changes("2.5.4.3=a"), [renamed("2.5.4.3", "CN")]);
    assert_eq!(
        changes("OID.1.2.3.4=#0C0161"),
        [renamed("OID.1.2.3.4", "1.2.3.4")]
    );
    assert_eq!(
        renamed("cn", "CN").to_string(),
        "\"cn\" is written \"CN\", the name openssl prints for that attribute."
    );
}

#[test]
fn normalisation_quotes_and_escapes() {
    assert_eq!(changes("CN=\"a, b\""), [Normalisation::QuotesReplaced]);
    assert_eq!(changes(r"CN=\C3\A9"), [Normalisation::EscapesSimplified]);
    assert_eq!(changes(r"CN=a\=b"), [Normalisation::EscapesSimplified]);
    assert_eq!(changes(r"CN=a\0a"), [Normalisation::EscapesSimplified]);
    assert_eq!(changes(r"CN=\2C"), [Normalisation::EscapesSimplified]);
    assert_eq!(changes("CN=a\u{7}b"), [Normalisation::EscapesAdded]);
}

#[test]
fn normalisation_reordering_and_hex() {
    assert_eq!(changes("CN=a+O=b"), [Normalisation::RdnReordered]);
    assert_eq!(changes("CN=#0C0161"), [Normalisation::HexValueShownAsText]);
    assert_eq!(
        changes("1.2.3.4=a"),
        [Normalisation::ValueHexEncoded {
            attribute: "1.2.3.4".into()
        }]
    );
    assert_eq!(
        changes("1.2.3.4=#0c0161"),
        [Normalisation::HexValueRewritten]
    );
}

#[test]
fn normalisations_are_deduplicated_and_combined() {
    assert_eq!(
        changes(" cn = \"x,y\" + o = b , cn=c "),
        [
            Normalisation::SpacesRemoved,
            Normalisation::TypeRenamed {
                from: "cn".into(),
                to: "CN".into()
            },
            Normalisation::TypeRenamed {
                from: "o".into(),
                to: "O".into()
            },
            Normalisation::QuotesReplaced,
        ]
    );
}

#[test]
fn every_normalisation_explains_itself_in_one_sentence() {
    let all = [
        Normalisation::SpacesRemoved,
        Normalisation::TypeRenamed {
            from: "cn".into(),
            to: "CN".into(),
        },
        Normalisation::QuotesReplaced,
        Normalisation::EscapesSimplified,
        Normalisation::EscapesAdded,
        Normalisation::RdnReordered,
        Normalisation::HexValueShownAsText,
        Normalisation::ValueHexEncoded {
            attribute: "1.2.3.4".into(),
        },
        Normalisation::HexValueRewritten,
    ];
    for n in all {
        let text = n.to_string();
        assert!(text.ends_with('.') && text.len() < 140, "{text}");
    }
}

// ---- Keyword table ----------------------------------------------------------------------------

#[test]
fn keywords_have_no_unexpected_case_insensitive_collisions() {
    let mut collisions = Vec::new();
    let all: Vec<_> = keywords().collect();
    for (i, (oid_a, a)) in all.iter().enumerate() {
        for (oid_b, b) in all.iter().skip(i + 1) {
            if a.eq_ignore_ascii_case(b) && oid_a != oid_b {
                collisions.push((*a, *b));
            }
        }
    }
    // openssl itself names userId "UID" and uniqueIdentifier "uid": exact case decides, any other
    // case is refused as ambiguous (see `error_ambiguous_type`).
    assert_eq!(collisions, [("UID", "uid")]);
    // Every long name and alias points at a type the formatter names.
    for (oid, name) in LONG_NAMES.iter().chain(ALIASES) {
        assert!(attribute_short_name(oid).is_some(), "{name}");
    }
    // Every keyword resolves to itself (no keyword is shadowed).
    for (oid, name) in &all {
        let (resolved, _) = resolve_type(name).unwrap();
        assert_eq!(&*resolved, *oid, "{name}");
    }
}

// ---- Round trips and robustness --------------------------------------------------------------

/// Varied names; the openssl comparison and the round-trip test use them all.
const SAMPLES: &[&str] = &[
    "CN=Jane Doe, O=MongoDB, C=US",
    "cn=jane,o=acme",
    "E=a@b.c,CN=x",
    "EMAIL=ops@example.com, CN=ops, OU=Ops, O=Example",
    "2.5.4.3=foo",
    "OID.2.5.4.10=Org, oid.2.5.4.3=name",
    "CN=\"Doe, Jane\", O=\"A+B; <C>\"",
    r#"CN="with \"quotes\" and \\ backslash""#,
    r"CN=\C3\A9l\C3\A8ve,O=\E6\97\A5\E6\9C\AC",
    "CN=Zoë Ångström,O=Société Générale,C=FR",
    "CN=日本語の名前,O=株式会社,C=JP",
    "CN=Иван Петров,O=Рога и копыта,C=RU",
    "CN=محمد,O=مثال",
    "CN=😀 emoji",
    r"CN=a\,b\+c\;d\<e\>f\\g\#h\=i",
    r"CN=\ leading and trailing\ ",
    r"CN=\  two leading",
    r"CN=\#hash",
    "CN=#",
    "CN=a # not a hash,O=x=y",
    "CN=a+O=b",
    "OU=zzzz+OU=a+CN=mid, O=Org",
    "CN=x+UID=jd+emailAddress=j@x.org, DC=example, DC=com",
    "UID=jdoe, OU=People, DC=example, DC=com",
    "street=1 Main Street, L=Springfield, ST=Illinois, postalCode=62701, C=US",
    "serialNumber=1234-5678, CN=Device, O=Maker",
    "title=Dr, GN=Jane, SN=Doe, initials=JD, CN=Jane Doe",
    "userId=jd, domainComponent=org",
    "commonName=Long Names, organizationName=Org, organizationalUnitName=Unit, countryName=DE, localityName=Berlin, stateOrProvinceName=Berlin",
    "CN=tab\tinside",
    r"CN=ctl\01\1F\7F",
    "CN=x,description=Some description, businessCategory=Private Organization",
    "jurisdictionC=US, jurisdictionST=Delaware, businessCategory=Private Organization, serialNumber=123, CN=ev.example.com",
    "CN=server.example.com,OU=IT+OU=Security,O=Example Corp,L=New York,ST=NY,C=US",
    "  CN  =  spaced  out  ,  O  =  x  ",
    "pseudonym=anon, dnQualifier=q1, generationQualifier=III, CN=x",
    "CN=#0C03666F6F",
    "CN=#1E04004100E9",
    "1.2.3.4=value, CN=x",
    "1.3.6.1.4.1.99999.1=#130161, CN=y",
    "CN=x,2.5.4.5=42",
    "organizationIdentifier=VATDE-123456789, CN=x",
];

#[test]
fn canonical_round_trips_and_explains_every_difference() {
    for input in SAMPLES {
        let dn = parse_dn(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        let again = parse_dn(dn.canonical())
            .unwrap_or_else(|e| panic!("{input:?} -> {:?}: {e}", dn.canonical()));
        assert_eq!(again.canonical(), dn.canonical(), "{input:?}");
        assert!(
            again.changes().is_empty(),
            "{input:?}: {:?}",
            again.changes()
        );
        assert_eq!(rfc2253(dn.der()).unwrap(), dn.canonical());
        assert_eq!(
            dn.changes().is_empty(),
            dn.canonical() == *input,
            "{input:?} -> {:?}: {:?}",
            dn.canonical(),
            dn.changes()
        );
    }
}

#[test]
fn parse_never_panics() {
    let alphabet: Vec<char> = " ,+=\\\"#;<>CNOoid.0123456789abcfFé日\t\u{0}E"
        .chars()
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed = 0;
    for _ in 0..30_000 {
        let len = (next() % 24) as usize;
        let mut s = String::new();
        if next() % 2 == 0 {
            s.push_str("CN=");
        }
        for _ in 0..len {
            s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
        }
        if let Ok(dn) = parse_dn(&s) {
            parsed += 1;
            let again = parse_dn(dn.canonical())
                .unwrap_or_else(|e| panic!("{s:?} -> {:?}: {e}", dn.canonical()));
            assert_eq!(again.canonical(), dn.canonical(), "{s:?}");
        } else if let Err(e) = parse_dn(&s) {
            assert!(e.position <= s.chars().count(), "{s:?}: {e}");
        }
    }
    assert!(parsed > 100, "only {parsed} parsed");
}

// ---- Against the openssl CLI ------------------------------------------------------------------

/// openssl `req -subj` form of a parsed name: attributes in DER order, `/` between RDNs and `+`
/// inside one, each type as its dotted identifier, `\` before `/`, `+` and `\`.
fn slash_form(dn: &DistinguishedName) -> Option<String> {
    let mut out = String::new();
    let mut names = Reader::new(dn.der());
    let name = names.read().ok()?;
    let mut rdns = Reader::inside(&name);
    while !rdns.is_empty() {
        let set = rdns.read().ok()?;
        let mut attributes = Reader::inside(&set);
        let mut first = true;
        while !attributes.is_empty() {
            let attribute = attributes.read().ok()?;
            let mut parts = Reader::inside(&attribute);
            let oid = parts.read().ok()?;
            let value = parts.read().ok()?;
            // req cannot write unknown types nor raw DER; BMPStrings come only from #hex.
            attribute_short_name(oid.value)?;
            if value.tag == tag::BMP_STRING {
                return None;
            }
            let text = std::str::from_utf8(value.value).ok()?;
            if text.contains('\0') {
                return None;
            }
            out.push(if first { '/' } else { '+' });
            first = false;
            out.push_str(&crate::oid::dotted(oid.value));
            out.push('=');
            for c in text.chars() {
                if matches!(c, '/' | '+' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    Some(out)
}

fn printed_subject(dir: &Workdir, cert: &str, inform: &str) -> String {
    let stdout = dir.openssl(&[
        "x509",
        "-inform",
        inform,
        "-in",
        cert,
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253,-esc_msb",
    ]);
    let line = stdout.strip_suffix('\n').unwrap_or(&stdout);
    line.strip_prefix("subject=")
        .expect("subject= prefix")
        .to_owned()
}

/// A work folder for `openssl req`: `req.cnf` (UTF-8 strings, names given with `-subj`) and an EC P-256
/// key `k.pem`.
fn req_workdir(name: &str) -> Workdir {
    let dir = Workdir::new(name);
    dir.write(
        "req.cnf",
        "[req]\ndistinguished_name = dn\nstring_mask = utf8only\nutf8 = yes\nprompt = no\n[dn]\n",
    );
    dir.openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        "k.pem",
    ]);
    dir
}

#[test]
fn canonical_matches_openssl_for_certificates_made_by_req() {
    if !exists(OPENSSL) {
        eprintln!("skipped: {OPENSSL} is missing");
        return;
    }
    let dir = req_workdir("dn-parse");
    let mut by_req = 0;
    for (i, input) in SAMPLES.iter().enumerate() {
        let dn = parse_dn(input).unwrap();
        let out = format!("c{i}.pem");
        match slash_form(&dn) {
            Some(subject) => {
                by_req += 1;
                dir.openssl(&[
                    "req",
                    "-config",
                    "req.cnf",
                    "-new",
                    "-x509",
                    "-key",
                    "k.pem",
                    "-subj",
                    &subject,
                    "-multivalue-rdn",
                    "-utf8",
                    "-days",
                    "1",
                    "-out",
                    &out,
                ]);
                assert_eq!(
                    printed_subject(&dir, &out, "PEM"),
                    dn.canonical(),
                    "{input:?} via {subject:?}"
                );
                // The subject openssl wrote is byte for byte our DER.
                let der_out = format!("c{i}.der");
                dir.openssl(&["x509", "-in", &out, "-outform", "DER", "-out", &der_out]);
                let cert_der = dir.read(&der_out);
                let cert = crate::certificate::Certificate::from_der(&cert_der).unwrap();
                assert_eq!(cert.subject, dn.der(), "{input:?}");
                assert_eq!(cert.subject_name, dn.canonical(), "{input:?}");
            }
            None => {
                // Types or values req cannot write: the DER goes into a certificate directly.
                dir.write(&format!("c{i}.der"), der::certificate(dn.der(), dn.der()));
                assert_eq!(
                    printed_subject(&dir, &format!("c{i}.der"), "DER"),
                    dn.canonical(),
                    "{input:?}"
                );
            }
        }
    }
    assert!(by_req >= 35, "only {by_req} names went through openssl req");
}

#[test]
fn openssl_req_refuses_what_parse_refuses() {
    if !exists(OPENSSL) {
        eprintln!("skipped: {OPENSSL} is missing");
        return;
    }
    let dir = req_workdir("dn-parse-refused");
    for (input, subject) in [
        ("C=USA", "/C=USA".to_owned()),
        ("C=U_", "/C=U_".to_owned()),
        ("E=é@x", "/emailAddress=é@x".to_owned()),
        ("serialNumber=a*b", "/serialNumber=a*b".to_owned()),
        ("CN=long", format!("/CN={}", "a".repeat(65))),
        ("O=long", format!("/O={}", "a".repeat(65))),
    ] {
        if input.ends_with("long") {
            assert!(parse_dn(&subject.replace('/', "")).is_err(), "{subject}");
        } else {
            assert!(parse_dn(input).is_err(), "{input}");
        }
        let (ok, _, _) = dir.openssl_status(&[
            "req", "-config", "req.cnf", "-new", "-x509", "-key", "k.pem", "-subj", &subject,
            "-utf8", "-days", "1", "-out", "c.pem",
        ]);
        assert!(!ok, "openssl accepted {subject}");
    }
}

/// Every subject and issuer of the system's CA bundle (real names: UTF-8, escapes, multi-valued RDNs,
/// e-mail addresses), as openssl prints them, parses back to itself with nothing to explain.
#[test]
fn system_ca_names_parse_back_to_themselves() {
    let Ok(text) = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt") else {
        eprintln!("skipped: no /etc/ssl/certs/ca-certificates.crt");
        return;
    };
    let report = crate::pem_bundle::inspect_bundle(&text, 0);
    assert!(
        report.certificates.len() > 100,
        "{}",
        report.certificates.len()
    );
    for name in report
        .certificates
        .iter()
        .flat_map(|c| [&c.subject, &c.issuer])
    {
        let dn = parse_dn(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(dn.canonical(), name);
        assert!(dn.changes().is_empty(), "{name}: {:?}", dn.changes());
    }
}

/// Property tests: no input makes the parser or the formatter panic, and what parses round-trips.
/// `PROPTEST_CASES` sets the number of cases (256 by default; `make fuzz` runs many more).
mod never_panics {
    use super::*;
    use crate::dn::{rfc2253, same_name};
    use proptest::prelude::*;

    /// Pieces of typed names: separators, escapes, quotes, hex, spaces, types, and UTF-8.
    fn dn_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "=",
                ",",
                "+",
                "\\",
                "#",
                "\"",
                " ",
                ";",
                "<",
                ">",
                "\\,",
                "\\+",
                "\\\\",
                "\\#",
                "\\ ",
                "\\\"",
                "\\=",
                "\\C3\\A9",
                "\\e9",
                "CN",
                "O",
                "OU",
                "C",
                "L",
                "ST",
                "DC",
                "UID",
                "E",
                "emailAddress",
                "serialNumber",
                "street",
                "2.5.4.3",
                "OID.2.5.4.10",
                "1.2.3.4",
                "0.9.2342.19200300.100.1.25",
                "é",
                "Zoë",
                "日本",
                "\u{0}",
                "\u{7f}",
                "\u{feff}",
                "\u{10ffff}",
                "\t",
                "\n",
            ])
            .prop_map(str::to_owned),
            "[0-9A-Fa-f]{2}",
            "#[0-9A-Fa-f]{0,12}",
            "[a-zA-Z0-9 .@-]{1,8}",
            any::<char>().prop_map(String::from),
        ]
    }

    /// `type=value` pairs joined by `,` and `+`, values drawn from the pieces: mostly valid names.
    fn dn_like() -> impl Strategy<Value = String> {
        let attribute = (
            prop::sample::select(vec![
                "CN",
                "cn",
                "O",
                "OU",
                "C",
                "L",
                "ST",
                "DC",
                "UID",
                "E",
                "2.5.4.3",
                "OID.2.5.4.11",
                "1.2.3.4",
                "street",
            ]),
            prop::collection::vec(dn_piece(), 1..4),
        )
            .prop_map(|(name, value)| format!("{name}={}", value.concat()));
        prop::collection::vec(
            (attribute, prop::sample::select(vec![",", ", ", "+", " + "])),
            1..5,
        )
        .prop_map(|pairs| {
            let mut out = String::new();
            for (i, (attribute, separator)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                out.push_str(attribute);
            }
            out
        })
    }

    /// Parses `input`; when it parses, its canonical form parses to the same canonical form, the
    /// same name for openssl and, unless a `#hex` string value was shown as text (then the string
    /// type may differ), the same DER.
    fn round_trips(input: &str) -> Result<(), TestCaseError> {
        let Ok(dn) = parse_dn(input) else {
            return Ok(());
        };
        let again = parse_dn(dn.canonical()).map_err(|e| {
            TestCaseError::fail(format!("{:?} -> {:?}: {e}", input, dn.canonical()))
        })?;
        prop_assert_eq!(again.canonical(), dn.canonical(), "{:?}", input);
        prop_assert_eq!(
            again.changes(),
            &[] as &[Normalisation],
            "{:?}",
            dn.canonical()
        );
        prop_assert_eq!(same_name(dn.der(), again.der()), Ok(true), "{:?}", input);
        if !dn.changes().contains(&Normalisation::HexValueShownAsText) {
            prop_assert_eq!(again.der(), dn.der(), "{:?}", input);
        }
        let printed = rfc2253(dn.der());
        prop_assert_eq!(printed.as_deref(), Ok(dn.canonical()));
        let common_name = crate::dn::common_name_of_printed(dn.canonical());
        prop_assert_eq!(
            common_name.as_deref(),
            dn.common_name(),
            "{:?}",
            dn.canonical()
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn parse_dn_on_any_string(input in any::<String>()) {
            round_trips(&input)?;
        }

        #[test]
        fn parse_dn_on_dn_pieces(pieces in prop::collection::vec(dn_piece(), 0..16)) {
            round_trips(&pieces.concat())?;
        }

        #[test]
        fn parse_dn_on_dn_like_names(input in dn_like()) {
            round_trips(&input)?;
        }

        #[test]
        fn rfc2253_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = rfc2253(&bytes);
            let _ = same_name(&bytes, &bytes);
        }

        #[test]
        fn rfc2253_on_damaged_names(input in dn_like(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4), cut in any::<prop::sample::Index>()) {
            let Ok(dn) = parse_dn(&input) else {
                return Ok(());
            };
            let mut der = dn.der().to_vec();
            for (index, value) in flips {
                let i = index.index(der.len());
                der[i] = value;
            }
            let _ = rfc2253(&der);
            let _ = same_name(&der, dn.der());
            let _ = rfc2253(&der[..cut.index(der.len() + 1)]);
        }
    }
}

/// openssl's subject line for a DER certificate with `-nameopt`'s `options` (none: openssl's default).
fn subject_line(dir: &Workdir, options: Option<&str>) -> String {
    let mut args = vec![
        "x509", "-inform", "DER", "-in", "name.der", "-noout", "-subject",
    ];
    if let Some(options) = options {
        args.extend(["-nameopt", options]);
    }
    let stdout = dir.openssl(&args);
    stdout.trim_end_matches('\n').to_owned()
}

#[test]
fn openssls_other_forms_are_read_and_reversed_into_rfc2253_order() {
    use der::{ava, name, rdn, tlv, utf8};
    let printable = |s: &str| tlv(0x13, s.as_bytes());
    let dir = Workdir::new("openssl_forms");
    let names = [
        (
            "plain",
            name(&[
                rdn(&[ava("2.5.4.6", &printable("US"))]),
                rdn(&[ava("2.5.4.10", &utf8("Acme"))]),
                rdn(&[ava("2.5.4.3", &utf8("Jane Doe"))]),
            ]),
        ),
        (
            "a comma, a slash and a multi-valued RDN",
            name(&[
                rdn(&[ava("0.9.2342.19200300.100.1.25", &tlv(0x16, b"com"))]),
                rdn(&[ava("2.5.4.10", &utf8("Acme, Inc."))]),
                rdn(&[ava("2.5.4.11", &utf8("R/D"))]),
                rdn(&[
                    ava("2.5.4.3", &utf8("batch")),
                    ava("0.9.2342.19200300.100.1.1", &utf8("u42")),
                ]),
            ]),
        ),
        (
            "non-ASCII",
            name(&[
                rdn(&[ava("2.5.4.6", &printable("FR"))]),
                rdn(&[ava("2.5.4.3", &utf8("Zoé Martin"))]),
            ]),
        ),
    ];
    for (what, subject) in names {
        dir.write("name.der", der::certificate(&subject, &subject));
        let expected = subject_line(&dir, Some("RFC2253,-esc_msb"));
        let expected = expected.strip_prefix("subject=").expect("subject=");
        for (options, form) in [
            (None, OpensslForm::Default),
            (Some("compat"), OpensslForm::Slashes),
        ] {
            let line = subject_line(&dir, options);
            let dn = parse_dn(&line).unwrap_or_else(|e| panic!("{what}: {line:?}: {e}"));
            assert_eq!(dn.canonical(), expected, "{what}: {line:?}");
            assert_eq!(dn.reversed_from(), Some(form), "{what}: {line:?}");
            assert_eq!(
                dn.changes().get(..2),
                Some(
                    &[
                        Normalisation::PrefixRemoved {
                            prefix: "subject=".into()
                        },
                        Normalisation::OrderReversed { form },
                    ][..]
                ),
                "{what}: {line:?}"
            );
            // Without the prefix too.
            let bare = line.strip_prefix("subject=").expect("subject=");
            assert_eq!(canonical(bare), expected, "{what}: {bare:?}");
        }
    }
}

#[test]
fn openssls_default_form_is_told_from_rfc2253_typed_with_spaces() {
    // The issue's example, and the order MongoDB compares.
    assert_eq!(
        canonical("C = US, O = Acme, CN = Jane Doe"),
        "CN=Jane Doe,O=Acme,C=US"
    );
    let dn = parse_dn("C = US, O = Acme, CN = Jane Doe").unwrap();
    assert_eq!(dn.reversed_from(), Some(OpensslForm::Default));
    // RFC 2253 order typed with spaces around '=' stays as typed (least significant first already).
    let dn = parse_dn("CN = Jane Doe , OU = Billing , O = Acme").unwrap();
    assert_eq!(dn.canonical(), "CN=Jane Doe,OU=Billing,O=Acme");
    assert_eq!(dn.reversed_from(), None);
    assert_eq!(dn.changes(), [Normalisation::SpacesRemoved]);
    // Spaces on one side of '=' only, or some attributes without: not openssl's form, not reversed.
    assert_eq!(canonical("C= US, O= Acme, CN= Jane"), "C=US,O=Acme,CN=Jane");
    assert_eq!(
        canonical("C = US, O=Acme, CN = Jane"),
        "C=US,O=Acme,CN=Jane"
    );
    // One RDN: nothing to reverse.
    assert_eq!(parse_dn("CN = Jane").unwrap().reversed_from(), None);
    // openssl's -nameopt RFC2253 output keeps its order; only the prefix goes.
    let dn = parse_dn("subject=CN=Jane Doe,O=Acme,C=US").unwrap();
    assert_eq!(dn.canonical(), "CN=Jane Doe,O=Acme,C=US");
    assert_eq!(
        dn.changes(),
        [Normalisation::PrefixRemoved {
            prefix: "subject=".into()
        }]
    );
    assert_eq!(canonical("issuer= C = US, CN = Acme CA"), "CN=Acme CA,C=US");
    // OpenSSL 1.0's default: "subject= /C=US/...".
    assert_eq!(
        canonical("subject= /C=US/O=Acme/CN=Jane Doe"),
        "CN=Jane Doe,O=Acme,C=US"
    );
}

#[test]
fn the_slash_form_says_what_and_where() {
    // '/' and '+' inside a value stay in the value when no type and '=' follow.
    assert_eq!(canonical("/O=R+D/CN=a/b"), "CN=a/b,O=R\\+D");
    assert_eq!(canonical("/C=US/CN=Jos\\xC3\\xA9"), "CN=José,C=US");
    // Errors point into what was typed.
    assert_eq!(canonical("/OU=R\\/D\\+E/CN=x"), "CN=x,OU=R/D\\+E");
    assert_error(
        "//CN=x",
        0,
        "INVALID_DN_EMPTY_RDN",
        "character 1: expected type=value here, found '/': there is nothing between two separators, or a separator at the start or end",
    );
    assert_error(
        "subject=/C=US/CN=",
        14,
        "INVALID_DN_EMPTY_VALUE",
        "character 15: CN has an empty value: openssl does not put empty attributes in a certificate",
    );
    assert_error(
        "/C=USA/CN=x",
        1,
        "INVALID_DN_VALUE_LENGTH",
        "character 2: C must be exactly 2 characters long (found 3): openssl refuses it",
    );
}

#[test]
fn common_name_of_printed_names() {
    use crate::dn::common_name_of_printed as cn;
    assert_eq!(cn("CN=Jane Doe,O=Acme,C=US").as_deref(), Some("Jane Doe"));
    assert_eq!(cn("O=Acme,CN=Second").as_deref(), Some("Second"));
    assert_eq!(cn("CN=a\\,b\\+c,O=x").as_deref(), Some("a,b+c"));
    assert_eq!(cn("UID=7+CN=multi,O=x").as_deref(), Some("multi"));
    assert_eq!(cn("CN=#0c0141,CN=text").as_deref(), Some("text"));
    assert_eq!(cn("CN=\\#hash").as_deref(), Some("#hash"));
    assert_eq!(cn("CN=#").as_deref(), Some("#"));
    assert_eq!(cn("CN=tab\\09here").as_deref(), Some("tab\there"));
    assert_eq!(cn("CN=Zoë").as_deref(), Some("Zoë"));
    assert_eq!(cn("O=Acme,C=US"), None);
    assert_eq!(cn(""), None);
}
