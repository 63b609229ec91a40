//! Each PDF fixture gets the verdict it was made for, however it is chunked.

use izin_documents::fixtures;
use izin_documents::{PdfInspector, PdfProblem, PdfSummary, inspect_pdf};

fn inspect_in_chunks(bytes: &[u8], chunk: usize) -> Result<PdfSummary, PdfProblem> {
    let mut inspector = PdfInspector::new();
    for piece in bytes.chunks(chunk) {
        inspector.feed(piece)?;
    }
    inspector.finish()
}

fn verdict(bytes: &[u8]) -> Result<PdfSummary, PdfProblem> {
    let whole = inspect_pdf(bytes);
    for chunk in [1, 7, 4096] {
        assert_eq!(inspect_in_chunks(bytes, chunk), whole, "chunks of {chunk}");
    }
    whole
}

#[test]
fn minimal_pdf_is_accepted() {
    let summary = verdict(&fixtures::minimal_pdf()).unwrap();
    assert_eq!(summary.version, "1.7");
    assert_eq!(summary.objects, 5);
}

#[test]
fn two_page_pdf_is_accepted() {
    assert_eq!(verdict(&fixtures::two_page_pdf()).unwrap().objects, 7);
}

#[test]
fn object_stream_pdf_is_accepted() {
    let summary = verdict(&fixtures::pdf_with_object_stream()).unwrap();
    assert_eq!(summary.version, "1.5");
    // Content stream, object stream and xref stream in the body; four objects compressed.
    assert_eq!(summary.objects, 3 + 4);
}

#[test]
fn javascript_is_refused() {
    assert_eq!(
        verdict(&fixtures::pdf_with_javascript()),
        Err(PdfProblem::JavaScript)
    );
}

#[test]
fn javascript_in_an_object_stream_is_refused() {
    assert_eq!(
        verdict(&fixtures::pdf_with_js_in_object_stream()),
        Err(PdfProblem::JavaScript)
    );
}

#[test]
fn launch_action_is_refused() {
    assert_eq!(
        verdict(&fixtures::pdf_with_launch_action()),
        Err(PdfProblem::LaunchAction)
    );
}

#[test]
fn encrypted_pdf_is_refused() {
    assert_eq!(
        verdict(&fixtures::encrypted_pdf()),
        Err(PdfProblem::Encrypted)
    );
}

#[test]
fn truncated_pdf_is_refused() {
    assert_eq!(
        verdict(&fixtures::truncated_pdf()),
        Err(PdfProblem::Truncated)
    );
}

#[test]
fn harmless_open_action_is_accepted() {
    let pdf = fixtures::pdf_with_open_action("<< /S /URI /URI (https://izin.example) >>");
    assert!(verdict(&pdf).is_ok());
}

#[test]
fn large_pdf_has_the_requested_size_and_is_accepted() {
    assert!(fixtures::large_pdf(1).len() < 5_000);
    for size in [1, 5_000, 100_000, 1_000_003] {
        let pdf = fixtures::large_pdf(size);
        if size >= 5_000 {
            assert_eq!(pdf.len(), size);
        }
        assert!(inspect_pdf(&pdf).is_ok(), "large_pdf({size})");
    }
}
