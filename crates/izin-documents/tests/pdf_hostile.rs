//! The hostile corpus: every trick in every encoding is refused with its own code, and the
//! honest features that resemble them are accepted.

mod support;

use izin_documents::fixtures;
use izin_documents::inspect_pdf;
use support::inspect_in_chunks;

// --- The outside probe's findings --------------------------------------------------------------

#[test]
fn probe_xfa_form_with_script_is_refused() {
    let pdf = fixtures::pdf_with_xfa_script();
    let verdict = inspect_pdf(&pdf);
    assert!(verdict.is_err(), "accepted: {verdict:?}");
    assert_eq!(inspect_in_chunks(&pdf, 1), verdict);
}

#[test]
fn probe_compressed_embedded_file_opened_by_gotoe_is_refused() {
    let pdf = fixtures::pdf_with_embedded_javascript_file();
    let verdict = inspect_pdf(&pdf);
    assert!(verdict.is_err(), "accepted: {verdict:?}");
    assert_eq!(inspect_in_chunks(&pdf, 1), verdict);
}
