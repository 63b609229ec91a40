//! The embedded DejaVu Sans faces (regular and bold): parsed once per process and shared by
//! every render, both as krilla fonts (for embedding) and as shaping faces (for measuring).

use std::sync::LazyLock;

use crate::RenderError;

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One face, in the two forms the renderer needs.
pub(crate) struct Face {
    /// What krilla subsets and embeds.
    pub(crate) pdf: krilla::text::Font,
    /// What lines are shaped and measured with; the glyphs it returns are drawn as they are,
    /// so a measured width is exactly the drawn width.
    pub(crate) shaper: rustybuzz::Face<'static>,
    pub(crate) units_per_em: f32,
    /// Above the baseline, in em.
    pub(crate) ascent: f32,
    /// Below the baseline, in em (positive).
    pub(crate) descent: f32,
}

impl Face {
    fn parse(data: &'static [u8]) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, 0)?;
        let pdf = krilla::text::Font::new(data.into(), 0)?;
        let units_per_em = shaper.units_per_em() as f32;
        if units_per_em <= 0.0 {
            return None;
        }
        let ascent = f32::from(shaper.ascender()) / units_per_em;
        let descent = -f32::from(shaper.descender()) / units_per_em;
        Some(Face {
            pdf,
            shaper,
            units_per_em,
            ascent,
            descent,
        })
    }

    pub(crate) fn has_char(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

// `None` only if the bundled files were corrupt; reported as an error rather than a panic.
static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    Some(Faces {
        regular: Face::parse(REGULAR_TTF)?,
        bold: Face::parse(BOLD_TTF)?,
    })
});

pub(crate) fn face(weight: Weight) -> Result<&'static Face, RenderError> {
    let faces = FACES.as_ref().ok_or(RenderError::Font)?;
    Ok(match weight {
        Weight::Regular => &faces.regular,
        Weight::Bold => &faces.bold,
    })
}
