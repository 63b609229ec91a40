//! The hostile corpus: every trick in every encoding and spelling is refused with its own
//! code, and the honest features that resemble them are accepted.

mod support;

use izin_documents::fixtures::{
    self, Encoding, Honest, Placement, Spelling, StreamCompression, Trick,
};
use izin_documents::{PdfProblem, PdfSummary, inspect_pdf};
use support::*;

/// The verdict, checked to be the same however the file is chunked.
fn verdict(bytes: &[u8]) -> Result<PdfSummary, PdfProblem> {
    let whole = inspect_pdf(bytes);
    for chunk in [1, 7, 4096] {
        assert_eq!(inspect_in_chunks(bytes, chunk), whole, "chunks of {chunk}");
    }
    whole
}

fn expected(trick: Trick) -> PdfProblem {
    match trick {
        Trick::JavaScript => PdfProblem::JavaScript,
        Trick::Launch => PdfProblem::LaunchAction,
        Trick::SubmitForm => PdfProblem::SubmitForm,
        Trick::ImportData => PdfProblem::ImportData,
        Trick::RemoteGoTo => PdfProblem::RemoteGoTo,
        Trick::EmbeddedGoTo => PdfProblem::EmbeddedGoTo,
        Trick::RichMedia => PdfProblem::RichMedia,
        Trick::EmbeddedFile | Trick::EmbeddedFiles | Trick::FileAttachment => {
            PdfProblem::EmbeddedFile
        }
        Trick::Xfa => PdfProblem::Xfa,
        Trick::DataAfterEnd => PdfProblem::DataAfterEnd,
    }
}

// --- The outside probe's findings --------------------------------------------------------------

#[test]
fn probe_xfa_form_with_script_is_refused() {
    assert_eq!(
        verdict(&fixtures::pdf_with_xfa_script()),
        Err(PdfProblem::Xfa)
    );
}

#[test]
fn probe_compressed_embedded_file_opened_by_gotoe_is_refused() {
    // The open action comes first in the file, so it is what is reported.
    assert_eq!(
        verdict(&fixtures::pdf_with_embedded_javascript_file()),
        Err(PdfProblem::EmbeddedGoTo)
    );
}

// --- The corpus ----------------------------------------------------------------------------------

#[test]
fn every_hostile_pdf_is_refused_with_its_code() {
    let corpus = fixtures::hostile_pdfs();
    let mut seen = std::collections::HashSet::new();
    for pdf in &corpus {
        let label = format!("{:?} {:?} {:?}", pdf.trick, pdf.encoding, pdf.spelling);
        assert_eq!(verdict(&pdf.bytes), Err(expected(pdf.trick)), "{label}");
        seen.insert((pdf.trick, pdf.encoding, pdf.spelling));
    }
    // Exhaustive: every trick in every encoding and spelling.
    for trick in Trick::ALL {
        for encoding in Encoding::ALL {
            for spelling in Spelling::ALL {
                assert!(
                    seen.contains(&(trick, encoding, spelling)),
                    "missing {trick:?} {encoding:?} {spelling:?}"
                );
            }
        }
    }
}

#[test]
fn the_corpus_places_tricks_where_it_says() {
    let objstm = Encoding {
        compression: StreamCompression::Flate,
        placement: Placement::ObjectStream,
    };
    let in_object_stream = fixtures::hostile_pdf(Trick::Launch, objstm, Spelling::Plain);
    // The action is compressed: only inflating the object stream finds it.
    assert!(!contains(&in_object_stream, b"/Launch"));
    assert!(contains(&in_object_stream, b"/Type /ObjStm"));
    let stored = Encoding {
        compression: StreamCompression::Stored,
        placement: Placement::ObjectStream,
    };
    let in_stored_object_stream = fixtures::hostile_pdf(Trick::Launch, stored, Spelling::Plain);
    assert!(contains(&in_stored_object_stream, b"/Launch"));
    let escaped = fixtures::hostile_pdf(Trick::Xfa, Encoding::ALL[0], Spelling::HexEscaped);
    assert!(!contains(&escaped, b"/XFA"));
    assert!(contains(&escaped, b"/#58F#41"));
    let flate_payload = Encoding {
        compression: StreamCompression::Flate,
        placement: Placement::Body,
    };
    let xfa = fixtures::hostile_pdf(Trick::Xfa, flate_payload, Spelling::Plain);
    assert!(!contains(&xfa, b"<script"));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn honest_look_alikes_are_accepted_in_every_encoding() {
    for kind in Honest::ALL {
        for encoding in Encoding::ALL {
            let pdf = fixtures::honest_pdf(kind, encoding);
            assert!(
                verdict(&pdf).is_ok(),
                "{kind:?} {encoding:?}: {:?}",
                verdict(&pdf)
            );
        }
    }
}

// --- Each name on its own ------------------------------------------------------------------------

/// Every name that gets a file refused, with its problem and whether it is also found in
/// bytes the tokenizer does not read (strings, stream data).
const NAMES: &[(&str, PdfProblem, bool)] = &[
    ("JavaScript", PdfProblem::JavaScript, true),
    ("JS", PdfProblem::JavaScript, false),
    ("Launch", PdfProblem::LaunchAction, true),
    ("SubmitForm", PdfProblem::SubmitForm, true),
    ("ImportData", PdfProblem::ImportData, true),
    ("GoToR", PdfProblem::RemoteGoTo, true),
    ("GoToE", PdfProblem::EmbeddedGoTo, true),
    ("RichMedia", PdfProblem::RichMedia, true),
    ("EmbeddedFile", PdfProblem::EmbeddedFile, true),
    ("EmbeddedFiles", PdfProblem::EmbeddedFile, true),
    ("FileAttachment", PdfProblem::EmbeddedFile, true),
    ("XFA", PdfProblem::Xfa, true),
];

/// The ways to write a name: plain, every other letter escaped, every letter escaped (upper
/// and lower case hex).
fn spellings(name: &str) -> Vec<String> {
    let all_escaped_upper: String = name.bytes().map(|b| format!("#{b:02X}")).collect();
    let all_escaped_lower: String = name.bytes().map(|b| format!("#{b:02x}")).collect();
    vec![
        format!("/{name}"),
        Spelling::HexEscaped.name(name),
        format!("/{all_escaped_upper}"),
        format!("/{all_escaped_lower}"),
    ]
}

#[test]
fn each_name_is_refused_as_a_value_and_as_a_key_in_any_spelling() {
    for (name, problem, _) in NAMES {
        for spelled in spellings(name) {
            for object in [format!("<< /S {spelled} >>"), format!("<< {spelled} 1 >>")] {
                let body = pdf_with_objects(&[object.clone().into_bytes()]);
                assert_eq!(verdict(&body), Err(*problem), "{object}");
                let in_object_stream = pdf_with_objects(&[object_stream(&[&object])]);
                assert_eq!(
                    verdict(&in_object_stream),
                    Err(*problem),
                    "{object} in ObjStm"
                );
                let (first, content) = object_stream_content(&[&object]);
                let stored = stream(
                    &format!("/Type /ObjStm /N 1 /First {first}"),
                    content.as_bytes(),
                );
                assert_eq!(
                    verdict(&pdf_with_objects(&[stored])),
                    Err(*problem),
                    "{object} in a stored ObjStm"
                );
            }
        }
    }
}

#[test]
fn long_names_are_refused_in_strings_and_stream_data_too() {
    for (name, problem, anywhere) in NAMES {
        for spelled in spellings(name) {
            let in_string =
                pdf_with_objects(&[format!("(9 0 obj << /S {spelled} >> endobj)").into_bytes()]);
            let in_stream =
                pdf_with_objects(&[stream("", format!("9 0 obj << /S {spelled} >>").as_bytes())]);
            for pdf in [in_string, in_stream] {
                if *anywhere {
                    assert_eq!(verdict(&pdf), Err(*problem), "{spelled}");
                } else {
                    assert!(
                        verdict(&pdf).is_ok(),
                        "{spelled}: short names in data are noise"
                    );
                }
            }
        }
    }
}

#[test]
fn look_alike_names_are_accepted() {
    for object in [
        "<< /S /GoTo /D [3 0 R /Fit] >>",
        "<< /S /URI /URI (https://www.izin.example/javascript/launch) >>",
        "<< /S /Named /N /NextPage >>",
        "<< /GoToRemote 1 /JavaScripts 2 /XFAForm 3 /EFF 4 /EmbeddedFileX 5 >>",
        "<< /Note /EF /Other /Encrypt >>",
        // Short names in strings are noise; long ones there are refused (see above).
        "<< /Title (GoToR, /EF and /JS in a title) >>",
    ] {
        let pdf = pdf_with_objects(&[object.as_bytes().to_vec()]);
        assert!(verdict(&pdf).is_ok(), "{object}: {:?}", verdict(&pdf));
    }
}

// --- Data after the end ------------------------------------------------------------------------

#[test]
fn only_white_space_may_follow_the_last_end_marker() {
    for after in [
        &b""[..],
        b"\n",
        b"\r\n",
        b"\r",
        b"\n\n\r\n \t\x0c",
        b"\0\0\0\0",
        b"\r\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    ] {
        let mut pdf = fixtures::minimal_pdf();
        pdf.pop();
        pdf.extend_from_slice(after);
        assert!(verdict(&pdf).is_ok(), "{after:?}");
    }
    for after in [
        &b"\nPK\x03\x04"[..],
        b"x",
        b"\n% a comment\n",
        b"\n\0\0\0\x1a",
        b"garbage that is not PDF )) >> ]",
        b"<html><body>proxy footer</body></html>",
        b"(an unclosed string",
        b"7 0 obj << /Unfinished",
        b"\n7 0 obj << >> endobj\n",
        &[0xFF, 0xD8, 0x00, 0x80, 0x7F],
    ] {
        let mut pdf = fixtures::minimal_pdf();
        pdf.extend_from_slice(after);
        assert_eq!(verdict(&pdf), Err(PdfProblem::DataAfterEnd), "{after:?}");
    }
}

#[test]
fn long_data_after_the_end_is_refused() {
    // An appended archive of binary data: unreadable as PDF, so read as junk to the end.
    let mut state: u32 = 0x1234_5678;
    let binary: Vec<u8> = (0..1_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let mut pdf = fixtures::minimal_pdf();
    pdf.extend_from_slice(b"PK\x03\x04");
    pdf.extend_from_slice(&binary);
    assert_eq!(verdict(&pdf), Err(PdfProblem::DataAfterEnd));
    // Data after the end followed by more white space than the end window allows.
    let mut pdf = fixtures::minimal_pdf();
    pdf.extend_from_slice(b"\n\0\0PK");
    pdf.extend(std::iter::repeat_n(b' ', 3000));
    assert_eq!(verdict(&pdf), Err(PdfProblem::DataAfterEnd));
    // A token longer than any PDF allows is refused as such before the end is known.
    let mut pdf = fixtures::minimal_pdf();
    pdf.extend(std::iter::repeat_n(b'A', 100_000));
    assert_eq!(verdict(&pdf), Err(PdfProblem::TooComplex));
}
