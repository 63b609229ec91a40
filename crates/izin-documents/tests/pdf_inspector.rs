//! The PDF inspector's verdicts on hand-made files: what real writers do is accepted, what
//! hides active content or is broken is refused.

mod support;

use izin_documents::fixtures;
use izin_documents::{MAX_DEPTH, MAX_TOKEN_LEN, PdfInspector, PdfProblem, inspect_pdf};
use support::*;

fn is_malformed(result: Result<impl std::fmt::Debug, PdfProblem>) -> bool {
    matches!(result, Err(PdfProblem::Malformed(_)))
}

// --- Active content -------------------------------------------------------------------------

#[test]
fn escaped_names_are_caught() {
    for action in [
        "<< /S /J#61vaScript /J#53 (x) >>",
        "<< /S /#4A#61#76#61#53#63#72#69#70#74 >>",
        "<< /J#53 (app.alert\\(1\\)) >>",
    ] {
        assert_eq!(
            inspect_pdf(&fixtures::pdf_with_open_action(action)),
            Err(PdfProblem::JavaScript),
            "{action}"
        );
    }
    assert_eq!(
        inspect_pdf(&fixtures::pdf_with_open_action("<< /S /L#61unch /F (x) >>")),
        Err(PdfProblem::LaunchAction)
    );
    let escaped_encrypt = pdf_with_trailer(
        &[
            b"<< /Type /Catalog >>".to_vec(),
            b"<< /Filter /Standard >>".to_vec(),
        ],
        "/Root 1 0 R /#45ncrypt 2 0 R",
    );
    assert_eq!(inspect_pdf(&escaped_encrypt), Err(PdfProblem::Encrypted));
}

#[test]
fn javascript_name_tree_is_caught() {
    let pdf = pdf(&[
        b"<< /Type /Catalog /Names << /JavaScript 2 0 R >> >>".to_vec(),
        b"<< /Names [(a) 3 0 R] >>".to_vec(),
        b"<< /S /Unknown >>".to_vec(),
    ]);
    assert_eq!(inspect_pdf(&pdf), Err(PdfProblem::JavaScript));
}

#[test]
fn encrypt_is_refused_as_a_key_only() {
    let as_value = pdf_with_objects(&[b"<< /Note /Encrypt >>".to_vec()]);
    assert!(inspect_pdf(&as_value).is_ok());
    let in_xref_stream_dictionary = pdf_with_objects(&[stream(
        "/Type /XRef /W [1 2 1] /Size 3 /Encrypt 9 0 R",
        b"\x01\x00\x0f\x00",
    )]);
    assert_eq!(
        inspect_pdf(&in_xref_stream_dictionary),
        Err(PdfProblem::Encrypted)
    );
}

#[test]
fn active_names_hidden_in_strings_comments_or_streams_are_caught() {
    // A viewer following an xref offset into these bytes would read them as objects.
    let in_string = pdf_with_objects(&[b"(9 0 obj << /S /JavaScript /JS (x) >> endobj)".to_vec()]);
    assert_eq!(inspect_pdf(&in_string), Err(PdfProblem::JavaScript));
    let in_comment = pdf_with_objects(&[b"null % << /S /Launch >>".to_vec()]);
    assert_eq!(inspect_pdf(&in_comment), Err(PdfProblem::LaunchAction));
    let in_stream = pdf_with_objects(&[stream("", b"9 0 obj << /S /J#61vaScript >> endobj")]);
    assert_eq!(inspect_pdf(&in_stream), Err(PdfProblem::JavaScript));
    let hidden_object_stream = pdf_with_objects(&[stream("", b"9 0 obj << /Type /ObjStm >>")]);
    assert!(is_malformed(inspect_pdf(&hidden_object_stream)));
}

#[test]
fn short_names_inside_strings_are_not_false_alarms() {
    let pdf = pdf_with_objects(&[b"<< /Title (see /JS and /Encrypt) >>".to_vec()]);
    assert!(inspect_pdf(&pdf).is_ok());
}

// --- Object streams -------------------------------------------------------------------------

#[test]
fn object_stream_content_is_inspected() {
    let clean = pdf_with_objects(&[object_stream(&["<< /A 1 >>", "[1 2 (x)]", "42"])]);
    assert_eq!(inspect_pdf(&clean).unwrap().objects, 3 + 3);
    for (object, problem) in [
        ("<< /S /JavaScript /JS (x) >>", PdfProblem::JavaScript),
        ("<< /S /Launch /F (x) >>", PdfProblem::LaunchAction),
        ("<< /S /J#61vaScript >>", PdfProblem::JavaScript),
    ] {
        let pdf = pdf_with_objects(&[object_stream(&["<< /A 1 >>", object])]);
        assert_eq!(inspect_pdf(&pdf), Err(problem), "{object}");
    }
}

#[test]
fn object_stream_variants_are_read() {
    let (first, content) = object_stream_content(&["<< /S /JavaScript >>"]);
    let deflated = deflate(content.as_bytes());
    let variants = [
        // Filter as an array, abbreviated name, stored content, indirect length.
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter [/FlateDecode]"),
            &deflated,
        ),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter /Fl"),
            &deflated,
        ),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first}"),
            content.as_bytes(),
        ),
    ];
    for variant in variants {
        assert_eq!(
            inspect_pdf(&pdf_with_objects(&[variant])),
            Err(PdfProblem::JavaScript)
        );
    }
    let mut indirect_length = format!(
        "<< /Type /ObjStm /N 1 /First {first} /Filter /FlateDecode /Length 4 0 R >>\nstream\n"
    )
    .into_bytes();
    indirect_length.extend_from_slice(&deflated);
    indirect_length.extend_from_slice(b"\nendstream");
    let pdf = pdf_with_objects(&[indirect_length, deflated.len().to_string().into_bytes()]);
    assert_eq!(inspect_pdf(&pdf), Err(PdfProblem::JavaScript));
}

#[test]
fn object_streams_are_recognised_without_their_type() {
    // Viewers read a stream as an object stream when the xref says so; `/First` gives it away.
    let (first, content) = object_stream_content(&["<< /S /JavaScript >>"]);
    let untyped = stream(
        &format!("/N 1 /First {first} /Filter /FlateDecode"),
        &deflate(content.as_bytes()),
    );
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[untyped])),
        Err(PdfProblem::JavaScript)
    );
    let hidden_untyped = pdf_with_objects(&[stream("", b"9 0 obj << /N 1 /First 4 >>")]);
    assert!(is_malformed(inspect_pdf(&hidden_untyped)));
    // An ICC profile has /N but no /First, and is not an object stream.
    let icc = stream("/N 3 /Alternate /DeviceRGB", &[0x80; 64]);
    assert!(inspect_pdf(&pdf_with_objects(&[icc])).is_ok());
}

#[test]
fn uninspectable_object_streams_are_refused() {
    let (first, content) = object_stream_content(&["<< /A 1 >>"]);
    let deflated = deflate(content.as_bytes());
    let cases = [
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter /LZWDecode"),
            &deflated,
        ),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter [/ASCIIHexDecode /FlateDecode]"),
            &deflated,
        ),
        stream(
            &format!(
                "/Type /ObjStm /N 1 /First {first} /Filter /FlateDecode \
                 /DecodeParms << /Predictor 12 /Columns 4 >>"
            ),
            &deflated,
        ),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter /FlateDecode"),
            b"this is not zlib data",
        ),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter /FlateDecode"),
            &deflated[..deflated.len() - 6],
        ),
        stream(
            "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            &deflate(b"100 0\n<< /A (unclosed >>"),
        ),
        stream("/Type /ObjStm /N 1 /First 4", b"100 0 1 0 obj << >> endobj"),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter 9 0 R"),
            &deflated,
        ),
        stream(
            &format!("/Type /ObjStm /N 1 /First {first} /Filter /FlateDecode /DecodeParms [9 0 R]"),
            &deflated,
        ),
        stream(
            &format!(
                "/Type /ObjStm /N 1 /First {first} /Filter /FlateDecode \
                 /DecodeParms << /Predictor 9 0 R >>"
            ),
            &deflated,
        ),
    ];
    for (index, case) in cases.into_iter().enumerate() {
        let verdict = inspect_pdf(&pdf_with_objects(&[case]));
        assert!(is_malformed(verdict.clone()), "case {index}: {verdict:?}");
    }
}

#[test]
fn decompression_limits_are_enforced() {
    // Whitespace is valid object-stream content and compresses about a thousandfold.
    let spaces = vec![b' '; 9 * 1024 * 1024];
    let big = stream(
        "/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
        &deflate(&spaces),
    );
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[big])),
        Err(PdfProblem::TooComplex)
    );

    let seven_megabytes = deflate(&spaces[..7 * 1024 * 1024]);
    let many: Vec<Vec<u8>> = (0..5)
        .map(|_| {
            stream(
                "/Type /ObjStm /N 0 /First 0 /Filter /FlateDecode",
                &seven_megabytes,
            )
        })
        .collect();
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&many[..4])),
        Ok(izin_documents::PdfSummary {
            version: "1.7".into(),
            objects: 6
        })
    );
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&many)),
        Err(PdfProblem::TooComplex)
    );
}

// --- Resource limits ------------------------------------------------------------------------

#[test]
fn nesting_and_token_limits_are_enforced() {
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[deep.into_bytes()])),
        Err(PdfProblem::TooComplex)
    );
    let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(inspect_pdf(&pdf_with_objects(&[fine.into_bytes()])).is_ok());

    let long_string = format!("({})", "a".repeat(MAX_TOKEN_LEN + 1));
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[long_string.into_bytes()])),
        Err(PdfProblem::TooComplex)
    );
    let long_name = format!("/{}", "N".repeat(MAX_TOKEN_LEN + 1));
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[long_name.into_bytes()])),
        Err(PdfProblem::TooComplex)
    );
}

#[test]
fn object_count_is_limited() {
    let huge_count = stream(
        "/Type /ObjStm /N 2000000 /First 0 /Filter /FlateDecode",
        &deflate(b""),
    );
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[huge_count])),
        Err(PdfProblem::TooComplex)
    );
}

// --- What real writers do -------------------------------------------------------------------

#[test]
fn line_end_conventions_are_accepted() {
    let pdf = fixtures::minimal_pdf();
    let crlf: Vec<u8> = pdf
        .iter()
        .flat_map(|&byte| {
            if byte == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![byte]
            }
        })
        .collect();
    let cr: Vec<u8> = pdf
        .iter()
        .map(|&byte| if byte == b'\n' { b'\r' } else { byte })
        .collect();
    for variant in [pdf, crlf, cr] {
        assert!(inspect_pdf(&variant).is_ok());
        assert!(inspect_in_chunks(&variant, 1).is_ok());
    }
}

#[test]
fn stream_data_may_follow_a_lone_carriage_return() {
    let body = b"<< /Length 5 >>\nstream\r\nabcd\nendstream".to_vec();
    assert!(inspect_pdf(&pdf_with_objects(&[body])).is_ok());
    // Data starting with LF after a lone CR is ambiguous; the wrong guess is recovered.
    let body = b"<< /Length 4 >>\nstream\r\nabc\nendstream".to_vec();
    assert!(inspect_pdf(&pdf_with_objects(&[body])).is_ok());
    let body = b"<< /Length 4 >>\nstream\rabcd\r\nendstream".to_vec();
    assert!(inspect_pdf(&pdf_with_objects(&[body])).is_ok());
}

#[test]
fn stream_keyword_needs_an_end_of_line() {
    let body = b"<< /Length 4 >>\nstream abcd\nendstream".to_vec();
    assert!(is_malformed(inspect_pdf(&pdf_with_objects(&[body]))));
}

#[test]
fn binary_stream_data_is_skipped() {
    let mut data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    data.extend_from_slice(b")>>]endobj %%EOF /JS (");
    assert!(inspect_pdf(&pdf_with_objects(&[stream("/Filter /DCTDecode", &data)])).is_ok());
}

#[test]
fn wrong_stream_lengths() {
    // Too short: the data goes on to `endstream`, as viewers also find.
    let short = b"<< /Length 2 >>\nstream\nabcdef\nendstream".to_vec();
    assert!(inspect_pdf(&pdf_with_objects(&[short])).is_ok());
    // Indirect: found by scanning.
    let indirect = b"<< /Length 4 0 R >>\nstream\nabcdef\nendstream".to_vec();
    assert!(inspect_pdf(&pdf_with_objects(&[indirect, b"6".to_vec()])).is_ok());
    // Too long: would swallow what follows unseen.
    let long = b"<< /Length 30 >>\nstream\nabcdef\nendstream".to_vec();
    let after = b"<< /JS (hidden) >>".to_vec();
    assert!(is_malformed(inspect_pdf(&pdf_with_objects(&[long, after]))));
    // A few bytes too long: the real `endstream` straddles the end of the counted data and is
    // still found where it is.
    let slightly_long = b"<< /Length 9 >>\nstream\nabcdef\nendstream".to_vec();
    let after = b"<< /JS (not hidden) >>".to_vec();
    assert_eq!(
        inspect_pdf(&pdf_with_objects(&[slightly_long, after])),
        Err(PdfProblem::JavaScript)
    );
}

#[test]
fn header_may_follow_a_bom_and_whitespace() {
    let mut pdf = b"\xEF\xBB\xBF\r\n".to_vec();
    pdf.extend_from_slice(&fixtures::minimal_pdf());
    assert_eq!(inspect_pdf(&pdf).unwrap().version, "1.7");
}

#[test]
fn end_marker_without_final_newline_is_accepted() {
    let mut pdf = fixtures::minimal_pdf();
    assert_eq!(pdf.pop(), Some(b'\n'));
    assert!(inspect_pdf(&pdf).is_ok());
}

// What may follow the last `%%EOF` (white space only) is tested in `pdf_hostile.rs`.

#[test]
fn too_much_junk_hides_the_end_marker() {
    let mut pdf = fixtures::minimal_pdf();
    pdf.extend(std::iter::repeat_n(b' ', 2100));
    assert_eq!(inspect_pdf(&pdf), Err(PdfProblem::Truncated));
}

#[test]
fn junk_may_not_hide_a_later_revision() {
    let base = fixtures::minimal_pdf();
    let mut hidden = base.clone();
    hidden.extend_from_slice(b"(\n9 0 obj << /Type /Catalog >> endobj\nstartxref\n0\n%%EOF\n");
    assert!(is_malformed(inspect_pdf(&hidden)));
    let mut javascript = base;
    javascript.extend_from_slice(b") << /S /JavaScript >>");
    assert_eq!(inspect_pdf(&javascript), Err(PdfProblem::JavaScript));
}

#[test]
fn incremental_updates_are_read() {
    let base = fixtures::minimal_pdf();
    let update_at = base.len();
    let object = "6 0 obj\n<< /Type /Catalog /Pages 2 0 R /Lang (tr) >>\nendobj\n";
    let update = format!(
        "{object}xref\n0 1\n0000000000 65535 f \n6 1\n{update_at:010} 00000 n \n\
         trailer\n<< /Size 7 /Root 6 0 R /Prev {} >>\nstartxref\n{}\n%%EOF\n",
        base.windows(4)
            .position(|window| window == b"xref")
            .unwrap(),
        update_at + object.len()
    );
    let updated = [base.as_slice(), update.as_bytes()].concat();
    assert_eq!(inspect_pdf(&updated).unwrap().objects, 6);

    let malicious_update = replace(
        update.as_bytes(),
        b"/Lang (tr)",
        b"/AA << /O << /S /JavaScript >> >>",
    );
    let malicious = [base.as_slice(), &malicious_update].concat();
    assert_eq!(inspect_pdf(&malicious), Err(PdfProblem::JavaScript));
}

#[test]
fn missing_endobj_is_tolerated() {
    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\n2 0 obj\n<< >>\nendobj\n\
                xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\n\
                startxref\n60\n%%EOF\n";
    assert_eq!(inspect_pdf(pdf).unwrap().objects, 2);
}

// --- Broken or incomplete files ---------------------------------------------------------------

#[test]
fn not_a_pdf() {
    for bytes in [
        &b""[..],
        b"%PD",
        b"%PDF-",
        b"%PDF-x.y\n",
        b"hello %PDF-1.4\n",
        b"\x89PNG\r\n\x1a\n",
        b"%!PS-Adobe-3.0\n",
    ] {
        assert_eq!(inspect_pdf(bytes), Err(PdfProblem::NotPdf), "{bytes:?}");
    }
}

#[test]
fn missing_end_parts_are_truncation() {
    let pdf = fixtures::minimal_pdf();
    let without_marker = replace(&pdf, b"%%EOF", b"%%EOX");
    assert_eq!(inspect_pdf(&without_marker), Err(PdfProblem::Truncated));
    let without_startxref = replace(&pdf, b"startxref", b"% artxref");
    assert_eq!(inspect_pdf(&without_startxref), Err(PdfProblem::Truncated));
    let inside_stream = b"%PDF-1.4\n1 0 obj\n<< /Length 100 >>\nstream\nabc";
    assert_eq!(inspect_pdf(inside_stream), Err(PdfProblem::Truncated));
    let inside_dictionary = b"%PDF-1.4\n1 0 obj\n<< /A << /B 1";
    assert_eq!(inspect_pdf(inside_dictionary), Err(PdfProblem::Truncated));
    let inside_string = b"%PDF-1.4\n1 0 obj\n(abc";
    assert_eq!(inspect_pdf(inside_string), Err(PdfProblem::Truncated));
}

#[test]
fn structural_nonsense_is_malformed() {
    let no_objects = b"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\n\
                       startxref\n9\n%%EOF\n";
    assert_eq!(
        inspect_pdf(no_objects),
        Err(PdfProblem::Malformed("no indirect object"))
    );
    for body in [
        &b"<< /A 1 >> >>"[..],
        b"[1 2]]",
        b"<< /A 1 ]",
        b"[ << /A 1 ]",
        b"<< 1 2 >>",
        b"<< /A 1 0 >>",
        b"hello world",
        b"<< /A (x) ) >>",
        b"<< /A <4G> >>",
        b"{ }",
        b"endstream",
        b"[ obj ]",
    ] {
        let pdf = pdf_with_objects(&[body.to_vec()]);
        assert!(
            is_malformed(inspect_pdf(&pdf)),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let garbage_between = replace(
        &fixtures::minimal_pdf(),
        b"endobj\n2 0 obj",
        b"endobj\n? 0 obj",
    );
    assert!(is_malformed(inspect_pdf(&garbage_between)));
}

#[test]
fn every_prefix_of_a_valid_pdf_is_refused() {
    for pdf in [
        fixtures::minimal_pdf(),
        fixtures::two_page_pdf(),
        fixtures::pdf_with_object_stream(),
        fixtures::large_pdf(20_000),
    ] {
        let complete_from = end_of_last_marker(&pdf);
        for length in (0..complete_from).step_by(37).chain([complete_from - 1]) {
            let verdict = inspect_pdf(&pdf[..length]);
            assert!(verdict.is_err(), "prefix of {length} bytes accepted");
        }
        assert!(inspect_pdf(&pdf[..complete_from]).is_ok());
    }
}

#[test]
fn a_failed_inspector_keeps_failing() {
    let mut inspector = PdfInspector::new();
    assert_eq!(inspector.feed(b"GIF89a"), Err(PdfProblem::NotPdf));
    assert_eq!(inspector.feed(b"%PDF-1.4\n"), Err(PdfProblem::NotPdf));
    assert_eq!(inspector.finish(), Err(PdfProblem::NotPdf));

    let mut inspector = PdfInspector::new();
    let javascript = fixtures::pdf_with_javascript();
    let (head, tail) = javascript.split_at(javascript.len() - 80);
    assert_eq!(inspector.feed(head), Err(PdfProblem::JavaScript));
    assert_eq!(inspector.feed(tail), Err(PdfProblem::JavaScript));
}

#[test]
fn javascript_is_reported_before_the_end() {
    let pdf = fixtures::pdf_with_javascript();
    let position = pdf.windows(3).position(|window| window == b"/JS").unwrap();
    let mut inspector = PdfInspector::new();
    assert_eq!(
        inspector.feed(&pdf[..position + 20]),
        Err(PdfProblem::JavaScript)
    );
}
