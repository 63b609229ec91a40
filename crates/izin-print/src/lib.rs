//! Izin's printed documents, typeset as PDF/A-2b with krilla: the one-page A4 proof
//! document and ID-1 cards (front and back) for print batches.
//!
//! The crate owns layout only. The caller gives it content already worded in both of the
//! portal's languages (Turkish above English) and values already formatted; nothing here
//! knows what a permit is. Text is set in the embedded DejaVu Sans (regular and bold), so
//! Turkish letters print and the text can be selected and extracted. Long values wrap within
//! their column; when a page's content does not fit, the type is made smaller step by step,
//! and [`RenderError::DoesNotFit`] is returned only when even the smallest readable size
//! does not fit.
//!
//! The signed payload of [`Metadata`] is written into the PDF's XMP metadata (as the
//! document's description) and read back from the raw bytes by [`signed_payload_from_pdf`].
//! Output is deterministic: the same input gives the same bytes.

mod card;
mod draw;
mod fonts;
mod layout;
mod metadata;
mod photo;
mod proof;
mod qr;
mod text;

use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::error::KrillaError;
use krilla::{Document, SerializeSettings};

use crate::draw::Page;

/// Text in both languages of the portal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    pub tr: String,
    pub en: String,
}

/// One labelled line: the label in both languages, the value as printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Field {
    pub label: Bilingual,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
}

/// The holder's photo as uploaded (and checked) elsewhere. A JPEG is embedded as it is, less
/// its metadata segments (Exif, XMP, IPTC, comments); a PNG is decoded and re-encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    pub bytes: Vec<u8>,
    pub format: PhotoFormat,
}

/// The one-page A4 "Proof Document of Work Permit Exemption" (and later residence permits).
#[derive(Clone, Debug)]
pub struct ProofDocument {
    /// Centred at the top, e.g. the ministry.
    pub authority: Bilingual,
    /// Centred below the authority, in large type.
    pub title: Bilingual,
    /// The table's rows, in this order.
    pub fields: Vec<Field>,
    /// The holder's photo (passport-photo aspect), top right; a placeholder box without it.
    pub photo: Option<Photo>,
    /// What the QR code encodes (a URL of ~150–300 ASCII characters).
    pub qr_text: String,
    /// A short paragraph in each language, beside the QR code.
    pub how_to_verify: Bilingual,
    /// The signed payload as printed at the foot, small, wrapped, so that it can be typed.
    pub signature_line: String,
    pub metadata: Metadata,
}

#[derive(Clone, Debug)]
pub struct Metadata {
    pub title: String,
    /// The document's main language (RFC 3066), e.g. "tr".
    pub language: String,
    /// Written as the creation and modification date.
    pub created: time::OffsetDateTime,
    /// The signed payload, stored in the PDF's XMP metadata so that
    /// [`signed_payload_from_pdf`] reads it back. Empty means none is stored. Must not contain
    /// control characters other than tab and line feed ([`RenderError::InvalidPayload`]).
    pub signed_payload: String,
}

/// An ID-1 card (85.6 × 54 mm), two pages: front (authority, title, photo, name, main
/// fields) and back (remaining fields, QR code, how to verify short text).
#[derive(Clone, Debug)]
pub struct Card {
    pub authority: Bilingual,
    pub title: Bilingual,
    /// Printed beside the photo, in this order (the name first, as a rule).
    pub front: Vec<Field>,
    pub back: Vec<Field>,
    pub photo: Option<Photo>,
    pub qr_text: String,
    pub how_to_verify: Bilingual,
    /// See [`render_cards`] for which card's metadata a batch carries.
    pub metadata: Metadata,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the photo cannot be used: {0}")]
    Photo(String),
    #[error(
        "the QR text ({bytes} bytes) needs a symbol wider than {max_modules} modules, too fine to scan in print"
    )]
    QrTooLong { bytes: usize, max_modules: usize },
    #[error("the embedded font has no glyph for {character:?} (U+{:04X}) in {text:?}", u32::from(*.character))]
    UnsupportedCharacter { character: char, text: String },
    #[error("the content does not fit even in the smallest type: {0}")]
    DoesNotFit(&'static str),
    #[error("the signed payload contains control characters that XMP metadata cannot carry")]
    InvalidPayload,
    #[error("a card batch needs at least one card")]
    NoCards,
    #[error("the embedded fonts cannot be read")]
    Font,
    #[error("layout error: {0}")]
    Layout(&'static str),
    #[error("the PDF would not be valid PDF/A-2b: {0}")]
    PdfA(String),
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}

/// Typesets the proof document as a one-page A4 PDF/A-2b.
pub fn render_proof_document(doc: &ProofDocument) -> Result<Vec<u8>, RenderError> {
    let photo = doc.photo.as_ref().map(photo::prepare).transpose()?;
    let qr = qr::Qr::encode(&doc.qr_text, max_modules(proof::QR_SIDE))?;
    let page = layout::fit(&proof::SCALES, |scale| {
        proof::layout(doc, photo.as_ref(), &qr, scale)
    })?;
    write_pdf(&[page], &doc.metadata, true)
}

/// Many cards in one PDF for a print batch (2 pages each, front then back). The PDF's
/// metadata (title, language, date) is the first card's; its signed payload is stored only
/// when the batch is a single card, since one PDF has one description.
pub fn render_cards(cards: &[Card]) -> Result<Vec<u8>, RenderError> {
    let first = cards.first().ok_or(RenderError::NoCards)?;
    let mut pages = Vec::with_capacity(cards.len() * 2);
    for card in cards {
        let photo = card.photo.as_ref().map(photo::prepare).transpose()?;
        let qr = qr::Qr::encode(&card.qr_text, max_modules(card::QR_SIDE))?;
        pages.push(layout::fit(&card::SCALES, |scale| {
            card::front(card, photo.as_ref(), scale)
        })?);
        pages.push(layout::fit(&card::SCALES, |scale| {
            card::back(card, &qr, scale)
        })?);
    }
    write_pdf(&pages, &first.metadata, cards.len() == 1)
}

/// Reads back the signed payload written by `Metadata::signed_payload` (for offline
/// verification of a downloaded PDF), from the raw bytes, without a PDF library: krilla
/// writes the XMP packet uncompressed, and the payload is its `dc:description`
/// (`x-default`). With several packets (an incrementally updated PDF), the last one with a
/// description is read. Returns `None` when there is none; never panics, whatever the bytes.
pub fn signed_payload_from_pdf(pdf: &[u8]) -> Option<String> {
    metadata::signed_payload_from_pdf(pdf)
}

/// The widest symbol whose modules, printed in a box of `side` points with its quiet zone,
/// are still 0.3 mm: what a phone camera reads reliably off paper.
fn max_modules(side: f32) -> usize {
    ((side / (0.3 * draw::MM)) as usize).saturating_sub(8)
}

fn write_pdf(
    pages: &[Page],
    metadata: &Metadata,
    with_payload: bool,
) -> Result<Vec<u8>, RenderError> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        // Untagged: PDF/A-2b does not ask for a structure tree, and a partial one is worse
        // than none.
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let stored = if with_payload {
        metadata.clone()
    } else {
        Metadata {
            signed_payload: String::new(),
            ..metadata.clone()
        }
    };
    document.set_metadata(metadata::krilla_metadata(&stored)?);
    draw::paint_pages(&mut document, pages)?;
    document.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => RenderError::PdfA(
            errors
                .iter()
                .map(|(error, _)| validation_summary(error))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        KrillaError::Image(_, _, message) => RenderError::Photo(message),
        other => RenderError::Pdf(other.to_string()),
    })
}

/// krilla's validation errors carry whole fonts; a message needs only what went wrong.
fn validation_summary(error: &krilla::configure::ValidationError) -> String {
    use krilla::configure::ValidationError as V;
    match error {
        V::ContainsNotDefGlyph(_, _, text) => format!("no glyph for {text:?}"),
        V::NoCodepointMapping(_, glyph, _) => format!("glyph {} maps to no text", glyph.to_u32()),
        V::InvalidCodepointMapping(_, _, c, _) | V::UnicodePrivateArea(_, _, c, _) => {
            format!("a glyph maps to {c:?}")
        }
        V::RestrictedLicense(_) => "a font's licence forbids embedding".to_owned(),
        other => format!("{other:?}").chars().take(200).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::Op;

    fn bi(tr: &str, en: &str) -> Bilingual {
        Bilingual {
            tr: tr.into(),
            en: en.into(),
        }
    }

    fn long(n: usize) -> String {
        let text: String = "Çağlayan İşçi Ölçü Şükrü Ünlü Güneşli "
            .repeat(n / 30 + 1)
            .chars()
            .take(n)
            .collect();
        text.trim().to_owned()
    }

    fn fields(n: usize, len: usize) -> Vec<Field> {
        (0..n)
            .map(|i| Field {
                label: bi(&format!("Etiket {i} {}", long(len / 4)), "Label"),
                value: format!("{i} {}", long(len)),
            })
            .collect()
    }

    fn metadata() -> Metadata {
        Metadata {
            title: "t".into(),
            language: "tr".into(),
            created: time::OffsetDateTime::UNIX_EPOCH,
            signed_payload: "p".into(),
        }
    }

    /// Text boxes of a page, and the boxes of everything else.
    fn split(page: &Page) -> (Vec<draw::Area>, Vec<draw::Area>) {
        let mut text = Vec::new();
        let mut other = Vec::new();
        for op in &page.ops {
            let boxes = Page {
                width: page.width,
                height: page.height,
                ops: vec![match op {
                    Op::Text {
                        block,
                        x,
                        top,
                        width,
                        centred,
                    } => Op::Text {
                        block: block.clone(),
                        x: *x,
                        top: *top,
                        width: *width,
                        centred: *centred,
                    },
                    Op::StrokeRect { rect, color, width } => Op::StrokeRect {
                        rect: *rect,
                        color: *color,
                        width: *width,
                    },
                    Op::FillRects { rects, color } => Op::FillRects {
                        rects: vec![bounds(rects)],
                        color: *color,
                    },
                    Op::Line { .. } | Op::Image { .. } => continue,
                }],
            }
            .boxes();
            if matches!(op, Op::Text { .. }) {
                text.extend(boxes);
            } else {
                other.extend(boxes);
            }
        }
        (text, other)
    }

    fn bounds(rects: &[draw::Area]) -> draw::Area {
        let x0 = rects.iter().map(|r| r.0).fold(f32::INFINITY, f32::min);
        let y0 = rects.iter().map(|r| r.1).fold(f32::INFINITY, f32::min);
        let x1 = rects.iter().map(|r| r.0 + r.2).fold(0.0, f32::max);
        let y1 = rects.iter().map(|r| r.1 + r.3).fold(0.0, f32::max);
        (x0, y0, x1 - x0, y1 - y0)
    }

    fn overlap(a: draw::Area, b: draw::Area) -> bool {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    }

    fn assert_clean(page: &Page, margin: f32) {
        let (text, other) = split(page);
        assert!(!text.is_empty());
        for t in &text {
            assert!(
                t.0 >= margin - 0.01
                    && t.1 >= margin - 0.01
                    && t.0 + t.2 <= page.width - margin + 0.01
                    && t.1 + t.3 <= page.height - margin + 0.01,
                "text box {t:?} leaves the {}×{} page's margins",
                page.width,
                page.height
            );
            for o in &other {
                // The photo placeholder's own label sits inside its box.
                let inside = t.0 >= o.0 && t.0 + t.2 <= o.0 + o.2 && t.1 >= o.1;
                assert!(inside || !overlap(*t, *o), "text {t:?} runs into {o:?}");
            }
        }
    }

    #[test]
    fn long_proof_content_stays_in_its_columns_and_off_the_photo_and_qr_code() {
        for (n, len) in [(12, 60), (14, 200), (4, 600)] {
            let doc = ProofDocument {
                authority: bi(&long(120), &long(150)),
                title: bi(&long(90), &long(90)),
                fields: fields(n, len),
                photo: None,
                qr_text: "https://example.org/".repeat(14),
                how_to_verify: bi(&long(400), &long(400)),
                signature_line: "x".repeat(700),
                metadata: metadata(),
            };
            let qr = qr::Qr::encode(&doc.qr_text, max_modules(proof::QR_SIDE)).unwrap();
            let page = layout::fit(&proof::SCALES, |s| proof::layout(&doc, None, &qr, s)).unwrap();
            assert_clean(&page, 14.0 * draw::MM);
            render_proof_document(&doc).unwrap();
        }
    }

    #[test]
    fn long_card_content_stays_on_the_card_and_off_the_qr_code() {
        let card = Card {
            authority: bi(&long(60), &long(70)),
            title: bi(&long(40), &long(50)),
            front: fields(4, 60),
            back: fields(3, 120),
            photo: None,
            qr_text: "https://example.org/".repeat(14),
            how_to_verify: bi(&long(120), &long(120)),
            metadata: metadata(),
        };
        let qr = qr::Qr::encode(&card.qr_text, max_modules(card::QR_SIDE)).unwrap();
        let front = layout::fit(&card::SCALES, |s| card::front(&card, None, s)).unwrap();
        let back = layout::fit(&card::SCALES, |s| card::back(&card, &qr, s)).unwrap();
        assert_clean(&front, 3.0 * draw::MM);
        assert_clean(&back, 3.0 * draw::MM);
        render_cards(&[card]).unwrap();
    }

    #[test]
    fn content_that_cannot_fit_is_refused_rather_than_overflowing() {
        let card = Card {
            authority: bi("A", "A"),
            title: bi("T", "T"),
            front: fields(12, 60),
            back: vec![],
            photo: None,
            qr_text: "q".into(),
            how_to_verify: bi("", ""),
            metadata: metadata(),
        };
        assert!(matches!(
            render_cards(&[card]),
            Err(RenderError::DoesNotFit(_))
        ));
    }

    #[test]
    fn qr_limits_leave_modules_of_at_least_0_3_mm() {
        for side in [proof::QR_SIDE, card::QR_SIDE] {
            let modules = max_modules(side) + 8;
            assert!(side / modules as f32 >= 0.3 * draw::MM);
        }
        // A 300-character URL fits both.
        let url = format!("https://izin.example.gov.tr/{}", "a".repeat(272));
        qr::Qr::encode(&url, max_modules(card::QR_SIDE)).unwrap();
    }
}
