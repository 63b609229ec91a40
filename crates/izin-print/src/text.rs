//! Text: what the caller's strings may contain, shaping them with the embedded faces, and
//! breaking them into lines that fit a width.

use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};
use rustybuzz::ttf_parser::Tag;

use crate::RenderError;
use crate::fonts::{self, Face, Weight};

/// A colour as 8-bit sRGB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

pub(crate) const BLACK: Rgb = Rgb(0, 0, 0);

#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub weight: Weight,
    pub size: f32,
    pub color: Rgb,
}

impl Style {
    pub(crate) fn new(weight: Weight, size: f32, color: Rgb) -> Style {
        Style {
            weight,
            size,
            color,
        }
    }

    /// Distance between two baselines.
    pub(crate) fn line_height(&self) -> f32 {
        self.size * 1.2
    }
}

/// One laid-out line: its own text and the glyphs drawing it (ranges into that text).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    pub width: f32,
}

/// A paragraph broken into lines of one style.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub style: Style,
    pub lines: Vec<Line>,
}

impl Block {
    pub(crate) fn height(&self) -> f32 {
        self.lines.len() as f32 * self.style.line_height()
    }

    pub(crate) fn max_width(&self) -> f32 {
        self.lines.iter().map(|l| l.width).fold(0.0, f32::max)
    }

    /// Where line `index`'s baseline lies when the block's top is at `top`.
    pub(crate) fn baseline(&self, top: f32, index: usize) -> Result<f32, RenderError> {
        let face = fonts::face(self.style.weight)?;
        let size = self.style.size;
        let half_leading = (self.style.line_height() - (face.ascent + face.descent) * size) / 2.0;
        Ok(top + index as f32 * self.style.line_height() + half_leading + face.ascent * size)
    }
}

/// Characters that print as nothing or could confuse a reader of an official document
/// (bidirectional overrides, zero-width characters, the soft hyphen) are dropped; line and
/// paragraph separators become line breaks; other control characters become spaces.
/// A character the face has no glyph for is an error: a wrong or missing letter in a name
/// is worse than no document.
pub(crate) fn clean(text: &str, face: &Face) -> Result<String, RenderError> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}' => {}
            c if c.is_control() || c.is_whitespace() => out.push(' '),
            c if face.has_char(c) => out.push(c),
            c => {
                return Err(RenderError::UnsupportedCharacter {
                    character: c,
                    text: text.to_owned(),
                });
            }
        }
    }
    Ok(out)
}

/// A run of glyphs standing for one piece of text (a letter with its accents, say).
struct Cluster {
    text: Range<usize>,
    glyphs: Range<usize>,
    width: f32,
    is_space: bool,
    /// A line may end right after this cluster (after a hyphen, a slash …).
    break_after: bool,
}

/// Breaks `text` into lines no wider than `max_width` (except a single glyph wider than
/// that, which no break can help); `\n` forces a break. Words break at spaces, then after
/// punctuation such as `-` or `/`, and only when a word alone is too wide, between letters.
pub(crate) fn wrap(text: &str, style: Style, max_width: f32) -> Result<Block, RenderError> {
    let face = fonts::face(style.weight)?;
    let text = clean(text, face)?;
    let mut lines = Vec::new();
    if !text.trim().is_empty() {
        for paragraph in text.split('\n') {
            wrap_paragraph(paragraph, face, style.size, max_width, &mut lines);
        }
    }
    Ok(Block { style, lines })
}

/// One line however wide: for text whose box is sized to it.
pub(crate) fn single_line(text: &str, style: Style) -> Result<Block, RenderError> {
    wrap(&text.replace('\n', " "), style, f32::INFINITY)
}

fn shape(paragraph: &str, face: &Face) -> Vec<KrillaGlyph> {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(paragraph);
    // The portal's texts are Turkish and English; everything is laid out left to right.
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    // No ligatures: an "fi" ligature hides the dot that tells Turkish i from ı, and separate
    // glyphs keep text extraction exact.
    let features = [
        rustybuzz::Feature::new(Tag::from_bytes(b"liga"), 0, ..),
        rustybuzz::Feature::new(Tag::from_bytes(b"clig"), 0, ..),
    ];
    let output = rustybuzz::shape(&face.shaper, &features, buffer);
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();
    let upem = face.units_per_em;
    let mut glyphs = Vec::with_capacity(infos.len());
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        let end = infos[i..]
            .iter()
            .map(|next| next.cluster as usize)
            .find(|&c| c != start)
            .unwrap_or(paragraph.len());
        glyphs.push(KrillaGlyph {
            glyph_id: GlyphId::new(info.glyph_id),
            text_range: start..end,
            x_advance: pos.x_advance as f32 / upem,
            x_offset: pos.x_offset as f32 / upem,
            y_offset: pos.y_offset as f32 / upem,
            y_advance: pos.y_advance as f32 / upem,
            location: None,
        });
    }
    glyphs
}

fn clusters(paragraph: &str, glyphs: &[KrillaGlyph], size: f32) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for (i, glyph) in glyphs.iter().enumerate() {
        let advance = glyph.x_advance * size;
        match clusters.last_mut() {
            Some(last) if last.text == glyph.text_range => {
                last.glyphs.end = i + 1;
                last.width += advance;
            }
            _ => {
                let piece = paragraph.get(glyph.text_range.clone()).unwrap_or("");
                clusters.push(Cluster {
                    text: glyph.text_range.clone(),
                    glyphs: i..i + 1,
                    width: advance,
                    is_space: !piece.is_empty() && piece.chars().all(char::is_whitespace),
                    break_after: piece
                        .chars()
                        .last()
                        .is_some_and(|c| matches!(c, '-' | '/' | '\\' | ',' | ';' | '_' | '|')),
                });
            }
        }
    }
    clusters
}

fn wrap_paragraph(paragraph: &str, face: &Face, size: f32, max_width: f32, lines: &mut Vec<Line>) {
    let glyphs = shape(paragraph, face);
    let clusters = clusters(paragraph, &glyphs, size);
    if clusters.iter().all(|c| c.is_space) {
        // An empty paragraph keeps its place, as an empty line does in the caller's text.
        lines.push(Line {
            text: String::new(),
            glyphs: Vec::new(),
            width: 0.0,
        });
        return;
    }
    let mut start = 0;
    while start < clusters.len() {
        while start < clusters.len() && clusters[start].is_space {
            start += 1;
        }
        if start == clusters.len() {
            break;
        }
        let mut width = 0.0;
        let mut end = start;
        // (end of this line, start of the next) at the last space, and at the last
        // punctuation, where a line may end.
        let mut space_break: Option<(usize, usize)> = None;
        let mut punctuation_break: Option<(usize, usize)> = None;
        while end < clusters.len() {
            let cluster = &clusters[end];
            if !cluster.is_space && end > start && width + cluster.width > max_width {
                break;
            }
            width += cluster.width;
            end += 1;
            if cluster.is_space {
                space_break = Some((end - 1, end));
            } else if cluster.break_after && end < clusters.len() {
                punctuation_break = Some((end, end));
            }
        }
        // A word is kept whole when a space allows it: a URL or a hyphenated name is broken
        // only when it alone is too wide for what is left of the line.
        let (line_end, next) = if end == clusters.len() {
            (end, end)
        } else {
            space_break.or(punctuation_break).unwrap_or((end, end))
        };
        lines.push(make_line(paragraph, &glyphs, &clusters[start..line_end]));
        start = next;
    }
}

fn make_line(paragraph: &str, glyphs: &[KrillaGlyph], clusters: &[Cluster]) -> Line {
    let trimmed = match clusters.iter().rposition(|c| !c.is_space) {
        Some(last) => &clusters[..=last],
        None => &[],
    };
    let (Some(first), Some(last)) = (trimmed.first(), trimmed.last()) else {
        return Line {
            text: String::new(),
            glyphs: Vec::new(),
            width: 0.0,
        };
    };
    let text_start = trimmed
        .iter()
        .map(|c| c.text.start)
        .min()
        .unwrap_or(first.text.start);
    let text_end = trimmed
        .iter()
        .map(|c| c.text.end)
        .max()
        .unwrap_or(last.text.end);
    let text = paragraph
        .get(text_start..text_end)
        .unwrap_or_default()
        .to_owned();
    let glyphs: Vec<KrillaGlyph> = glyphs[first.glyphs.start..last.glyphs.end]
        .iter()
        .map(|g| KrillaGlyph {
            text_range: g.text_range.start.saturating_sub(text_start)
                ..g.text_range.end.saturating_sub(text_start),
            ..g.clone()
        })
        .collect();
    let width = trimmed.iter().map(|c| c.width).sum();
    Line {
        text,
        glyphs,
        width,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(size: f32) -> Style {
        Style::new(Weight::Regular, size, BLACK)
    }

    fn texts(block: &Block) -> Vec<&str> {
        block.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn short_text_is_one_line_with_its_turkish_letters() {
        let block = wrap("Ayşe Gül Çağlayan-İşçi", style(10.0), 500.0).unwrap();
        assert_eq!(texts(&block), ["Ayşe Gül Çağlayan-İşçi"]);
        assert!(block.lines[0].width > 50.0 && block.lines[0].width < 200.0);
    }

    #[test]
    fn long_text_wraps_at_spaces_within_the_width() {
        let text = "Atatürk Bulvarı No: 123 Kat: 4 Daire: 12 Çankaya Ankara ".repeat(4);
        let block = wrap(&text, style(10.0), 150.0).unwrap();
        assert!(block.lines.len() > 4, "{:?}", texts(&block));
        for line in &block.lines {
            assert!(line.width <= 150.0, "{} is {} wide", line.text, line.width);
            assert!(!line.text.starts_with(' ') && !line.text.ends_with(' '));
        }
        let rejoined: Vec<&str> = block.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(rejoined.join(" "), text.trim_end());
    }

    #[test]
    fn a_word_wider_than_the_line_breaks_between_letters() {
        let text = "A".repeat(300);
        let block = wrap(&text, style(8.0), 100.0).unwrap();
        assert!(block.lines.len() > 3);
        assert!(block.lines.iter().all(|l| l.width <= 100.0));
        assert_eq!(block.lines.concat_text(), text);
    }

    #[test]
    fn breaks_after_a_hyphen_or_slash_before_breaking_a_word() {
        let block = wrap("https://example.org/verify/ABCDEFGH", style(10.0), 120.0).unwrap();
        assert!(block.lines.len() >= 2);
        assert!(block.lines[0].text.ends_with('/'), "{:?}", texts(&block));
    }

    #[test]
    fn a_space_is_preferred_to_punctuation() {
        let text = "visit izin.example.gov.tr/dogrula";
        let full = wrap(text, style(10.0), 1000.0).unwrap().lines[0].width;
        let block = wrap(text, style(10.0), full - 10.0).unwrap();
        assert_eq!(
            texts(&block),
            ["visit", "izin.example.gov.tr/dogrula"],
            "the URL moves down whole rather than being broken after its slash"
        );
    }

    #[test]
    fn newlines_force_breaks_and_controls_are_cleaned() {
        let block = wrap("bir\niki\r\nüç\tdört\u{200B}", style(10.0), 500.0).unwrap();
        assert_eq!(texts(&block), ["bir", "iki", "üç dört"]);
    }

    #[test]
    fn a_letter_the_font_lacks_is_an_error() {
        let err = wrap("名前", style(10.0), 500.0).unwrap_err();
        assert!(matches!(
            err,
            RenderError::UnsupportedCharacter {
                character: '名',
                ..
            }
        ));
    }

    #[test]
    fn glyph_ranges_point_into_the_line_text() {
        let block = wrap("Ömer Şükrü Ünlü Ömer Şükrü Ünlü", style(10.0), 80.0).unwrap();
        for line in &block.lines {
            for glyph in &line.glyphs {
                assert!(line.text.get(glyph.text_range.clone()).is_some());
            }
        }
    }

    trait ConcatText {
        fn concat_text(&self) -> String;
    }
    impl ConcatText for Vec<Line> {
        fn concat_text(&self) -> String {
            self.iter().map(|l| l.text.as_str()).collect()
        }
    }
}
