//! Helpers for building odd PDFs in tests: objects are given as raw bytes, the xref table and
//! trailer are computed.

#![allow(dead_code)] // each test file uses its own subset

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use izin_documents::{PdfInspector, PdfProblem, PdfSummary};

/// Object bodies (what goes between `N 0 obj` and `endobj`), numbered from 1. Object 1 should
/// be the catalog.
pub fn pdf(bodies: &[Vec<u8>]) -> Vec<u8> {
    pdf_with_trailer(bodies, "/Root 1 0 R")
}

pub fn pdf_with_trailer(bodies: &[Vec<u8>], trailer_entries: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in bodies.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer_entries} >>\nstartxref\n{xref}\n%%EOF\n",
            bodies.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A catalog and an empty page tree, then `extra` objects (numbered from 3).
pub fn pdf_with_objects(extra: &[Vec<u8>]) -> Vec<u8> {
    let mut bodies = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
    ];
    bodies.extend_from_slice(extra);
    pdf(&bodies)
}

/// A stream object body: `<< entries /Length n >> stream … endstream`.
pub fn stream(entries: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {entries} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

/// An object stream body holding `objects` (numbered from 100), deflated.
pub fn object_stream(objects: &[&str]) -> Vec<u8> {
    let (index, content) = object_stream_content(objects);
    stream(
        &format!(
            "/Type /ObjStm /N {} /First {} /Filter /FlateDecode",
            objects.len(),
            index
        ),
        &deflate(content.as_bytes()),
    )
}

/// The decompressed content of an object stream and its `/First`.
pub fn object_stream_content(objects: &[&str]) -> (usize, String) {
    let mut pairs = Vec::new();
    let mut bodies = String::new();
    for (index, object) in objects.iter().enumerate() {
        pairs.push(format!("{} {}", 100 + index, bodies.len()));
        bodies.push_str(object);
        bodies.push('\n');
    }
    let index = pairs.join(" ") + "\n";
    (index.len(), index + &bodies)
}

pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

pub fn inspect_in_chunks(bytes: &[u8], chunk: usize) -> Result<PdfSummary, PdfProblem> {
    let mut inspector = PdfInspector::new();
    for piece in bytes.chunks(chunk.max(1)) {
        inspector.feed(piece)?;
    }
    inspector.finish()
}

/// Feeds `bytes` cut at the given lengths (each taken modulo what remains, plus one).
pub fn inspect_with_cuts(bytes: &[u8], cuts: &[usize]) -> Result<PdfSummary, PdfProblem> {
    let mut inspector = PdfInspector::new();
    let mut rest = bytes;
    let mut cuts = cuts.iter().cycle();
    while !rest.is_empty() {
        let cut = cuts.next().map_or(rest.len(), |cut| cut % rest.len() + 1);
        let (piece, after) = rest.split_at(cut);
        inspector.feed(piece)?;
        rest = after;
    }
    inspector.finish()
}

/// Replaces the first occurrence of `from` with `to` (same length keeps offsets right).
pub fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|window| window == from)
        .unwrap_or_else(|| panic!("{:?} not found", String::from_utf8_lossy(from)));
    [&bytes[..at], to, &bytes[at + from.len()..]].concat()
}

/// End of the last `%%EOF` marker.
pub fn end_of_last_marker(bytes: &[u8]) -> usize {
    bytes
        .windows(5)
        .rposition(|window| window == b"%%EOF")
        .unwrap()
        + 5
}
