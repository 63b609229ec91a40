//! `signed_payload_from_pdf` on arbitrary and damaged bytes, and payloads that need escaping.

mod support;

use izin_print::{render_proof_document, signed_payload_from_pdf};
use proptest::prelude::*;
use std::sync::LazyLock;

static PDF: LazyLock<Vec<u8>> =
    LazyLock::new(|| render_proof_document(&support::proof_document()).unwrap());

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = signed_payload_from_pdf(&bytes);
    }

    #[test]
    fn xmp_like_fragments_never_panic(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<x:xmpmeta>".to_owned()),
                Just("</x:xmpmeta>".to_owned()),
                Just("<dc:description>".to_owned()),
                Just("</dc:description>".to_owned()),
                Just("<rdf:li xml:lang=\"x-default\">".to_owned()),
                Just("</rdf:li>".to_owned()),
                Just("&#x".to_owned()),
                Just("&amp;".to_owned()),
                Just(";".to_owned()),
                "\\PC{0,8}",
            ],
            0..40,
        )
    ) {
        let _ = signed_payload_from_pdf(parts.concat().as_bytes());
    }

    #[test]
    fn a_damaged_pdf_never_panics(cut in 0usize..100_000, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..20)) {
        let mut pdf = PDF.clone();
        for (at, byte) in flips {
            let len = pdf.len();
            pdf[at % len] = byte;
        }
        pdf.truncate(cut.min(pdf.len()));
        let _ = signed_payload_from_pdf(&pdf);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn any_printable_payload_reads_back_as_written(payload in "[^\\p{Cc}]{1,300}") {
        let mut doc = support::proof_document();
        doc.metadata.signed_payload = payload.clone();
        let pdf = render_proof_document(&doc).unwrap();
        prop_assert_eq!(signed_payload_from_pdf(&pdf), Some(payload));
    }
}

#[test]
fn payloads_with_markup_characters_read_back() {
    for payload in [
        "a<b>&c\"d'e",
        "&amp; literally",
        "çğıöşü ÇĞİÖŞÜ",
        "line\nbreak\ttab",
    ] {
        let mut doc = support::proof_document();
        doc.metadata.signed_payload = payload.to_owned();
        let pdf = render_proof_document(&doc).unwrap();
        assert_eq!(signed_payload_from_pdf(&pdf).as_deref(), Some(payload));
    }
}

#[test]
fn an_empty_payload_or_a_pdf_without_metadata_gives_none() {
    let mut doc = support::proof_document();
    doc.metadata.signed_payload = String::new();
    assert_eq!(
        signed_payload_from_pdf(&render_proof_document(&doc).unwrap()),
        None
    );
    assert_eq!(signed_payload_from_pdf(b"%PDF-1.4\n%%EOF"), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the caller's strings hold, rendering gives a PDF or an error, never a panic.
    #[test]
    fn arbitrary_field_text_renders_or_is_refused(
        value in prop_oneof!["\\PC{0,300}", "[a-zA-ZçğıöşüÇĞİÖŞÜ0-9 ,./:;\\-\\n\\t]{0,400}", "\\PC{0,40}"],
        label in "\\PC{0,60}",
    ) {
        let mut doc = support::proof_document();
        doc.photo = None;
        doc.fields[4].value = value.clone();
        doc.fields[5].label.tr = label.clone();
        let _ = render_proof_document(&doc);
        let mut card = support::card(1);
        card.photo = None;
        card.front[0].value = value;
        card.back[0].label.en = label;
        let _ = izin_print::render_cards(&[card]);
    }
}
