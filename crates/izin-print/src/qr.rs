//! QR codes: encoding the caller's text and turning the module matrix into filled rectangles.

use qrcode::{Color, EcLevel, QrCode};

use crate::RenderError;
use crate::draw::Op;
use crate::text::BLACK;

/// The light margin a reader needs around the symbol, in modules.
const QUIET_ZONE: usize = 4;

/// An encoded symbol, not yet placed.
pub(crate) struct Qr {
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// Encodes `text` with error correction level M (15 % of the symbol may be damaged).
    /// `max_modules` bounds the symbol's side so that, printed in its box, a module stays
    /// large enough to scan.
    pub(crate) fn encode(text: &str, max_modules: usize) -> Result<Qr, RenderError> {
        let too_long = || RenderError::QrTooLong {
            bytes: text.len(),
            max_modules,
        };
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|_| too_long())?;
        let width = code.width();
        if width > max_modules {
            return Err(too_long());
        }
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Qr { width, dark })
    }

    /// Draws the symbol with its quiet zone inside the square at (`x`, `y`) of side `side`.
    pub(crate) fn op(&self, x: f32, y: f32, side: f32) -> Op {
        let module = side / (self.width + 2 * QUIET_ZONE) as f32;
        let origin_x = x + QUIET_ZONE as f32 * module;
        let origin_y = y + QUIET_ZONE as f32 * module;
        let mut rects = Vec::new();
        for row in 0..self.width {
            let mut col = 0;
            while col < self.width {
                if !self.dark[row * self.width + col] {
                    col += 1;
                    continue;
                }
                // A run of dark modules in a row becomes one rectangle.
                let start = col;
                while col < self.width && self.dark[row * self.width + col] {
                    col += 1;
                }
                rects.push((
                    origin_x + start as f32 * module,
                    origin_y + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            }
        }
        Op::FillRects {
            rects,
            color: BLACK,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_of_300_characters_encodes_within_a_version_20_symbol() {
        let url = format!("https://izin.example.gov.tr/verify/{}", "A".repeat(265));
        let qr = Qr::encode(&url, 97).unwrap();
        assert!(qr.width <= 97);
    }

    #[test]
    fn too_much_text_is_an_error_not_a_tiny_symbol() {
        let err = Qr::encode(&"x".repeat(2000), 97).err().unwrap();
        assert!(matches!(err, RenderError::QrTooLong { bytes: 2000, .. }));
        let err = Qr::encode(&"x".repeat(5000), 177).err().unwrap();
        assert!(matches!(err, RenderError::QrTooLong { .. }));
    }

    #[test]
    fn modules_stay_inside_the_box_and_leave_the_quiet_zone_light() {
        let qr = Qr::encode("https://example.org/v/1", 97).unwrap();
        let Op::FillRects { rects, .. } = qr.op(10.0, 20.0, 100.0) else {
            panic!("not rectangles")
        };
        let module = 100.0 / (qr.width + 8) as f32;
        for (x, y, w, h) in rects {
            assert!(x >= 10.0 + 4.0 * module - 0.01 && x + w <= 110.0 - 4.0 * module + 0.01);
            assert!(y >= 20.0 + 4.0 * module - 0.01 && y + h <= 120.0 - 4.0 * module + 0.01);
        }
    }
}
