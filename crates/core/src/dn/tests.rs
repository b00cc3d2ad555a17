//! Names against the openssl CLI: certificates built with awkward names, printed by
//! `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` and by [`rfc2253`].

use super::*;
use crate::test_certificates::der::{self, ava, name, rdn, tlv, utf8};
use crate::test_certificates::Workdir;

const CN: &str = "2.5.4.3";
const O: &str = "2.5.4.10";
const OU: &str = "2.5.4.11";

/// openssl's subject line for a certificate with this subject, or `None` when openssl refuses it.
fn openssl_subject(dir: &Workdir, subject: &[u8]) -> Option<String> {
    dir.write("name.der", der::certificate(subject, subject));
    let (ok, stdout, _) = dir.openssl_status(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        "name.der",
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253,-esc_msb",
    ]);
    if !ok {
        return None;
    }
    let line = stdout.strip_suffix('\n').unwrap_or(&stdout);
    Some(
        line.strip_prefix("subject=")
            .expect("subject= prefix")
            .to_owned(),
    )
}

fn single(oid: &str, value: Vec<u8>) -> Vec<u8> {
    name(&[rdn(&[ava(oid, &value)])])
}

/// Names openssl prints; each must come out byte for byte the same.
fn awkward_names() -> Vec<(&'static str, Vec<u8>)> {
    let long_oid = format!("1.3.6.1.4.1.{}", ["123456789"; 9].join("."));
    let long_oid: &'static str = Box::leak(long_oid.into_boxed_str());
    vec![
        (
            "every RFC 2253 special",
            single(CN, utf8("a,b+c\"d\\e<f>g;h=i#j")),
        ),
        ("leading hash", single(CN, utf8("#abc"))),
        ("only a hash", single(CN, utf8("#"))),
        ("two hashes", single(CN, utf8("##"))),
        ("trailing hash", single(CN, utf8("abc#"))),
        ("leading and trailing spaces", single(CN, utf8("  a  b  "))),
        ("only a space", single(CN, utf8(" "))),
        (
            "control characters and DEL",
            single(CN, utf8("\u{0}\u{1}\t\n\u{1f}\u{7f}x")),
        ),
        ("UTF-8", single(CN, utf8("Zoë Ångström 日本語 😀 ,"))),
        (
            "UTF-8 with a space after a multibyte start",
            single(CN, utf8("é ")),
        ),
        (
            "BMPString",
            single(
                CN,
                tlv(
                    0x1E,
                    &"Zoë+日本 "
                        .encode_utf16()
                        .flat_map(u16::to_be_bytes)
                        .collect::<Vec<_>>(),
                ),
            ),
        ),
        (
            "BMPString leading hash",
            single(
                CN,
                tlv(
                    0x1E,
                    &"#x"
                        .encode_utf16()
                        .flat_map(u16::to_be_bytes)
                        .collect::<Vec<_>>(),
                ),
            ),
        ),
        (
            "UniversalString",
            single(
                CN,
                tlv(
                    0x1C,
                    &"a😀,"
                        .chars()
                        .flat_map(|c| (c as u32).to_be_bytes())
                        .collect::<Vec<_>>(),
                ),
            ),
        ),
        (
            "T61String as Latin-1",
            single(CN, tlv(0x14, b"Z\xF6e \xE9t\xE9")),
        ),
        (
            "PrintableString with an 8-bit byte",
            single(CN, tlv(0x13, b"caf\xE9\x01")),
        ),
        (
            "IA5String",
            single("1.2.840.113549.1.9.1", tlv(0x16, b"ops@example.com")),
        ),
        ("NumericString", single("2.5.4.5", tlv(0x12, b"0123 456"))),
        ("empty value", single(CN, utf8(""))),
        (
            "BIT STRING value",
            single("2.5.4.45", tlv(0x03, b"\x03\xFF")),
        ),
        (
            "empty BIT STRING data",
            single("2.5.4.45", tlv(0x03, b"\x05")),
        ),
        ("SEQUENCE value", single(CN, tlv(0x30, &utf8("x")))),
        ("ObjectDescriptor value", single(CN, tlv(0x07, b"AB"))),
        ("REAL value", single(CN, tlv(0x09, b"AB"))),
        ("tag 29 value", single(CN, tlv(0x1D, b"AB"))),
        (
            "unknown attribute, UTF8String",
            single("1.2.3.4", utf8("value")),
        ),
        (
            "unknown attribute, PrintableString",
            single("1.2.3.4.5.6.7", tlv(0x13, b"v")),
        ),
        (
            "unknown attribute, BMPString",
            single("2.999.1", tlv(0x1E, b"\x00v")),
        ),
        (
            "unknown attribute with a huge arc",
            single("1.2.340282366920938463463374607431768211455", utf8("v")),
        ),
        (
            "unknown attribute longer than 79 characters",
            single(long_oid, utf8("v")),
        ),
        (
            "EV jurisdictionC",
            single("1.3.6.1.4.1.311.60.2.1.3", tlv(0x13, b"US")),
        ),
        (
            "multi-valued RDN in sorted order",
            name(&[
                rdn(&[ava(O, &utf8("org"))]),
                rdn(&[
                    ava(CN, &utf8("a")),
                    ava(OU, &utf8("b")),
                    ava(CN, &utf8("zz")),
                ]),
            ]),
        ),
        (
            "multi-valued RDN out of order",
            name(&[rdn(&[ava(CN, &utf8("zz")), ava(CN, &utf8("a"))])]),
        ),
        (
            "multi-valued RDN with a repeated value",
            name(&[rdn(&[ava(CN, &utf8("a")), ava(CN, &utf8("a"))])]),
        ),
        ("empty name", name(&[])),
        (
            "empty RDN between two",
            name(&[
                rdn(&[ava(O, &utf8("o"))]),
                rdn(&[]),
                rdn(&[ava(CN, &utf8("c"))]),
            ]),
        ),
        (
            "street, DC, UID, emailAddress, title, GN, SN, serialNumber",
            name(&[
                rdn(&[ava("0.9.2342.19200300.100.1.25", &tlv(0x16, b"com"))]),
                rdn(&[ava("0.9.2342.19200300.100.1.25", &tlv(0x16, b"example"))]),
                rdn(&[ava("2.5.4.9", &utf8("1 Main St"))]),
                rdn(&[ava("0.9.2342.19200300.100.1.1", &utf8("jdoe"))]),
                rdn(&[ava("1.2.840.113549.1.9.1", &tlv(0x16, b"j@example.com"))]),
                rdn(&[ava("2.5.4.12", &utf8("Dr"))]),
                rdn(&[ava("2.5.4.42", &utf8("Jane")), ava("2.5.4.4", &utf8("Doe"))]),
                rdn(&[ava("2.5.4.5", &tlv(0x13, b"42"))]),
            ]),
        ),
    ]
}

#[test]
fn names_match_openssl_byte_for_byte() {
    let dir = Workdir::new("dn-awkward");
    for (what, subject) in awkward_names() {
        let expected = openssl_subject(&dir, &subject)
            .unwrap_or_else(|| panic!("openssl refused the name: {what}"));
        assert_eq!(
            rfc2253(&subject).as_deref(),
            Ok(expected.as_str()),
            "{what}"
        );
    }
}

#[test]
fn every_attribute_name_matches_openssl() {
    let dir = Workdir::new("dn-attributes");
    let rdns: Vec<Vec<u8>> = attribute_types::ATTRIBUTE_TYPES
        .iter()
        .map(|(oid, _)| rdn(&[tlv(0x30, &[tlv(0x06, oid), utf8("v")].concat())]))
        .collect();
    let subject = name(&rdns);
    let expected = openssl_subject(&dir, &subject).expect("openssl prints the name");
    assert_eq!(rfc2253(&subject).unwrap(), expected);
    assert_eq!(
        expected.matches("=v").count(),
        attribute_types::ATTRIBUTE_TYPES.len()
    );
    assert!(
        !expected.contains("=#"),
        "every attribute has a short name: {expected}"
    );
}

#[test]
fn refuses_the_names_openssl_refuses() {
    let dir = Workdir::new("dn-refused");
    let refused = [
        ("INTEGER value", single(CN, tlv(0x02, b"\x01"))),
        ("OCTET STRING value", single(CN, tlv(0x04, b"ab"))),
        ("BOOLEAN value", single(CN, tlv(0x01, b"\xFF"))),
        ("NULL value", single(CN, tlv(0x05, b""))),
        ("SET value", single(CN, tlv(0x31, &utf8("x")))),
        ("VisibleString value", single(CN, tlv(0x1A, b"ab"))),
        (
            "GeneralizedTime value",
            single(CN, tlv(0x18, b"20200101000000Z")),
        ),
        ("context-specific value", single(CN, tlv(0x80, b"x"))),
        ("invalid UTF-8", single(CN, tlv(0x0C, b"\xC3\x28"))),
        ("odd-length BMPString", single(CN, tlv(0x1E, b"\x00A\x00"))),
        (
            "BMPString surrogate",
            single(CN, tlv(0x1E, b"\xD8\x00\x00A")),
        ),
        (
            "UniversalString beyond Unicode",
            single(CN, tlv(0x1C, b"\x00\x11\x00\x00")),
        ),
        (
            "UniversalString of 3 bytes",
            single(CN, tlv(0x1C, b"\x00\x00A")),
        ),
        (
            "BIT STRING with 8 unused bits",
            single(CN, tlv(0x03, b"\x08\xFF")),
        ),
        ("empty BIT STRING", single(CN, tlv(0x03, b""))),
        (
            "attribute type that is not an OID",
            name(&[rdn(&[tlv(0x30, &[tlv(0x13, b"x"), utf8("v")].concat())])]),
        ),
        (
            "attribute with a third element",
            name(&[rdn(&[tlv(
                0x30,
                &[der::oid(CN), utf8("v"), utf8("w")].concat(),
            )])]),
        ),
        (
            "RDN that is not a SET",
            name(&[tlv(0x30, &ava(CN, &utf8("v")))]),
        ),
    ];
    for (what, subject) in refused {
        assert_eq!(
            openssl_subject(&dir, &subject),
            None,
            "openssl accepts the name with {what}"
        );
        assert!(rfc2253(&subject).is_err(), "we accept the name with {what}");
    }
}

#[test]
fn same_name_follows_openssls_comparison() {
    let a = name(&[
        rdn(&[ava(O, &tlv(0x13, b"Example  Org"))]),
        rdn(&[ava(CN, &utf8(" My CA "))]),
    ]);
    let b = name(&[
        rdn(&[ava(O, &utf8("example org"))]),
        rdn(&[ava(
            CN,
            &tlv(
                0x1E,
                &"MY  ca"
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes)
                    .collect::<Vec<_>>(),
            ),
        )]),
    ]);
    assert_eq!(same_name(&a, &b), Ok(true));
    let set1 = name(&[rdn(&[ava(CN, &utf8("a")), ava(OU, &utf8("b"))])]);
    let set2 = name(&[rdn(&[ava(OU, &utf8("B")), ava(CN, &utf8("A"))])]);
    assert_eq!(same_name(&set1, &set2), Ok(true));
    let split = name(&[rdn(&[ava(CN, &utf8("a"))]), rdn(&[ava(OU, &utf8("b"))])]);
    assert_eq!(same_name(&set1, &split), Ok(false));
    let numeric = single("2.5.4.5", tlv(0x12, b"12"));
    let printable = single("2.5.4.5", tlv(0x13, b"12"));
    assert_eq!(
        same_name(&numeric, &printable),
        Ok(false),
        "NumericString is not folded by openssl"
    );
    assert_eq!(same_name(&name(&[]), &name(&[rdn(&[])])), Ok(true));
    assert!(same_name(&single(CN, tlv(0x02, b"\x01")), &a).is_err());
}
