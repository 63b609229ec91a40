//! Document metadata: writing the caller's `Metadata` through krilla, and reading the signed
//! payload back from a PDF's raw bytes.
//!
//! The payload is the document's description: XMP `dc:description` (an `rdf:Alt` with one
//! `x-default` entry) and, mirrored by krilla, the info dictionary's `/Subject`. Of what
//! krilla lets a caller set, it is the one single free-text string that is stored verbatim:
//! keywords are a list that krilla joins with ", " (a payload containing ", " would not read
//! back as one value), and title, author and creator are shown by viewers as what they are.
//! krilla writes the XMP packet as an uncompressed stream, so the payload can be found by
//! scanning the file; the only other raw streams in our PDFs are JPEG photos, and those are
//! embedded without their metadata segments (see `photo`).

use krilla::metadata::DateTime;
use time::OffsetDateTime;

use crate::{Metadata, RenderError};

pub(crate) fn krilla_metadata(
    metadata: &Metadata,
) -> Result<krilla::metadata::Metadata, RenderError> {
    if metadata.signed_payload.chars().any(not_xml_char) {
        return Err(RenderError::InvalidPayload);
    }
    let mut out = krilla::metadata::Metadata::new()
        .title(metadata.title.clone())
        .description(metadata.signed_payload.clone())
        .creator("izin-print".to_owned())
        .creation_date(date_time(metadata.created));
    // krilla would write an empty language as given; no language is the honest alternative.
    if !metadata.language.trim().is_empty() {
        out = out.language(metadata.language.trim().to_owned());
    }
    Ok(out)
}

/// XML 1.0 cannot carry most control characters, and a carriage return would be read back
/// as a line feed; neither belongs in a signed payload.
fn not_xml_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

fn date_time(t: OffsetDateTime) -> DateTime {
    let (offset_hours, offset_minutes, _) = t.offset().as_hms();
    DateTime::new(u16::try_from(t.year().clamp(0, 9999)).unwrap_or(0))
        .month(u8::from(t.month()))
        .day(t.day())
        .hour(t.hour())
        .minute(t.minute())
        .second(t.second())
        .utc_offset_hour(offset_hours)
        .utc_offset_minute(offset_minutes.unsigned_abs())
}

const PACKET_START: &[u8] = b"<x:xmpmeta";
const PACKET_END: &[u8] = b"</x:xmpmeta>";
const DESCRIPTION_START: &[u8] = b"<dc:description>";
const DESCRIPTION_END: &[u8] = b"</dc:description>";

/// See [`crate::signed_payload_from_pdf`]. Takes the description of the last XMP packet that
/// has one: a PDF updated incrementally appends its newer metadata after the old.
pub(crate) fn signed_payload_from_pdf(pdf: &[u8]) -> Option<String> {
    let mut found = None;
    let mut rest = pdf;
    while let Some(start) = find(rest, PACKET_START) {
        let packet = &rest[start..];
        let end = find(packet, PACKET_END).map_or(packet.len(), |e| e + PACKET_END.len());
        if let Some(value) = description(&packet[..end]) {
            found = Some(value);
        }
        rest = &packet[end..];
    }
    found
}

/// The `x-default` entry of the packet's `dc:description`.
fn description(packet: &[u8]) -> Option<String> {
    let start = find(packet, DESCRIPTION_START)? + DESCRIPTION_START.len();
    let len = find(&packet[start..], DESCRIPTION_END)?;
    let mut rest = &packet[start..start + len];
    while let Some(li) = find(rest, b"<rdf:li") {
        let tag_len = find(&rest[li..], b">")?;
        let tag = &rest[li..li + tag_len];
        let content_start = li + tag_len + 1;
        let content_len = find(&rest[content_start..], b"</rdf:li>")?;
        let content = &rest[content_start..content_start + content_len];
        if find(tag, b"xml:lang=\"x-default\"").is_some()
            || find(tag, b"xml:lang='x-default'").is_some()
        {
            return unescape(std::str::from_utf8(content).ok()?);
        }
        rest = &rest[content_start + content_len..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let last_start = haystack.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        match haystack[i..=last_start].iter().position(|&b| b == first) {
            Some(offset) => i += offset,
            None => return None,
        }
        if haystack[i..].starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Resolves XML's character references; anything else that is not plain text (markup,
/// an unknown entity) means this is not a value we wrote.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find(['&', '<']) {
        out.push_str(&rest[..amp]);
        if rest[amp..].starts_with('<') {
            return None;
        }
        let semicolon = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..semicolon];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()?
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()?
                } else {
                    return None;
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &rest[semicolon + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(description: &str) -> String {
        format!(
            "<?xpacket begin=\"\u{feff}\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF>\
             <rdf:Description><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{description}\
             </rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
        )
    }

    #[test]
    fn reads_the_escaped_description() {
        let pdf = format!(
            "%PDF-1.7\n1 0 obj\nstream\n{}\nendstream",
            packet("a&amp;b&lt;c&#x41;&#66;")
        );
        assert_eq!(
            signed_payload_from_pdf(pdf.as_bytes()).as_deref(),
            Some("a&b<cAB")
        );
    }

    #[test]
    fn the_last_packet_wins_and_packets_without_a_description_are_skipped() {
        let pdf = format!(
            "{} junk {} {}",
            packet("old"),
            packet("new"),
            "<x:xmpmeta><rdf:RDF></rdf:RDF></x:xmpmeta>"
        );
        assert_eq!(
            signed_payload_from_pdf(pdf.as_bytes()).as_deref(),
            Some("new")
        );
    }

    #[test]
    fn absent_truncated_or_odd_values_are_none() {
        for pdf in [
            String::new(),
            "%PDF-1.7 no metadata".to_owned(),
            packet("x")[..80].to_owned(),
            packet("&bogus;"),
            packet("&#xZZ;"),
            packet("&#xD800;"),
            packet("a <b>markup</b>"),
            packet("&amp"),
        ] {
            assert_eq!(signed_payload_from_pdf(pdf.as_bytes()), None, "{pdf}");
        }
    }

    #[test]
    fn find_matches_at_the_edges() {
        assert_eq!(find(b"abc", b"abc"), Some(0));
        assert_eq!(find(b"xxabc", b"abc"), Some(2));
        assert_eq!(find(b"ab", b"abc"), None);
        assert_eq!(find(b"aab", b"ab"), Some(1));
        assert_eq!(find(b"abc", b""), None);
    }
}
