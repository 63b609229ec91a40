//! Properties of the PDF inspector over generated inputs: chunking never changes the verdict,
//! and no input makes it panic.

mod support;

use izin_documents::fixtures;
use izin_documents::{PdfInspector, inspect_pdf};
use proptest::prelude::*;
use support::*;

fn valid_documents() -> Vec<Vec<u8>> {
    vec![
        fixtures::minimal_pdf(),
        fixtures::two_page_pdf(),
        fixtures::pdf_with_object_stream(),
        fixtures::pdf_with_javascript(),
        fixtures::pdf_with_js_in_object_stream(),
        fixtures::encrypted_pdf(),
        fixtures::truncated_pdf(),
        fixtures::pdf_with_launch_action(),
        fixtures::large_pdf(30_000),
    ]
}

#[test]
fn fixed_chunk_sizes_give_the_same_verdict() {
    for pdf in valid_documents() {
        let whole = inspect_pdf(&pdf);
        for chunk in [1, 2, 3, 7, 64, 4096] {
            assert_eq!(inspect_in_chunks(&pdf, chunk), whole, "chunks of {chunk}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_chunking_gives_the_same_verdict(
        which in 0usize..9,
        cuts in prop::collection::vec(0usize..5000, 1..40),
    ) {
        let pdf = &valid_documents()[which];
        prop_assert_eq!(inspect_with_cuts(pdf, &cuts), inspect_pdf(pdf));
    }

    #[test]
    fn mutated_documents_never_panic_and_ignore_chunking(
        which in 0usize..9,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cuts in prop::collection::vec(0usize..300, 1..20),
    ) {
        let mut pdf = valid_documents()[which].clone();
        for (index, byte) in edits {
            let at = index.index(pdf.len());
            pdf[at] = byte;
        }
        prop_assert_eq!(inspect_with_cuts(&pdf, &cuts), inspect_pdf(&pdf));
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = inspect_pdf(&bytes);
    }

    #[test]
    fn random_bytes_after_a_header_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..4096),
        cuts in prop::collection::vec(0usize..100, 1..10),
    ) {
        let pdf = [&b"%PDF-1.7\n"[..], &body].concat();
        prop_assert_eq!(inspect_with_cuts(&pdf, &cuts), inspect_pdf(&pdf));
    }

    #[test]
    fn random_pdf_tokens_never_panic(
        tokens in prop::collection::vec(
            prop::sample::select(vec![
                "1", "0", "-3.5", "obj", "endobj", "stream\n", "\nendstream", "R", "<<", ">>",
                "[", "]", "/Type", "/ObjStm", "/Length", "/Filter", "/FlateDecode", "/N", "(",
                ")", "(s)", "<41>", "%%EOF\n", "% c\n", "xref", "trailer", "startxref", "\n",
                " ", "\r", "true", "null", "/#4A", "/Encrypt", "<", ">", "\\",
            ]),
            0..200,
        ),
    ) {
        let pdf = format!("%PDF-1.7\n{}", tokens.concat());
        let whole = inspect_pdf(pdf.as_bytes());
        prop_assert_eq!(inspect_in_chunks(pdf.as_bytes(), 1), whole);
    }
}

#[test]
fn inspector_buffers_stay_small_on_a_ten_megabyte_pdf() {
    let pdf = fixtures::large_pdf(10 * 1024 * 1024);
    assert_eq!(pdf.len(), 10 * 1024 * 1024);
    let mut inspector = PdfInspector::new();
    let mut most_buffered = 0;
    for chunk in pdf.chunks(64 * 1024) {
        inspector.feed(chunk).unwrap();
        most_buffered = most_buffered.max(inspector.buffered_bytes());
    }
    assert!(most_buffered < 16 * 1024, "{most_buffered} bytes buffered");
    assert!(inspector.finish().is_ok());
}

#[test]
fn inspector_buffers_stay_small_while_inflating_object_streams() {
    let spaces = vec![b' '; 6 * 1024 * 1024];
    let pdf = pdf_with_objects(&[stream(
        "/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
        &deflate(&spaces),
    )]);
    let mut inspector = PdfInspector::new();
    let mut most_buffered = 0;
    for chunk in pdf.chunks(1024) {
        inspector.feed(chunk).unwrap();
        most_buffered = most_buffered.max(inspector.buffered_bytes());
    }
    assert!(most_buffered > 0);
    assert!(most_buffered < 256 * 1024, "{most_buffered} bytes buffered");
    assert!(inspector.finish().is_ok());
}
