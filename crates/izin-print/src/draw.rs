//! Laid-out pages as plain data (positions in points, y downwards from the top-left corner),
//! and painting them with krilla. Layout only produces `Page`s, so whether content fits is
//! decided before any PDF is written.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;

use crate::RenderError;
use crate::fonts;
use crate::text::{Block, Rgb};

/// 1 mm in PDF points.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// A rectangle as (x, y, width, height).
pub(crate) type Area = (f32, f32, f32, f32);

pub(crate) enum Op {
    /// A text block, each line starting at `x` (left) or centred on `x + width / 2`.
    Text {
        block: Block,
        x: f32,
        top: f32,
        width: f32,
        centred: bool,
    },
    FillRects {
        rects: Vec<Area>,
        color: Rgb,
    },
    StrokeRect {
        rect: Area,
        color: Rgb,
        width: f32,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        color: Rgb,
        width: f32,
    },
    Image {
        rect: Area,
        image: Image,
    },
}

pub(crate) struct Page {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

impl Page {
    pub(crate) fn new(width: f32, height: f32) -> Page {
        Page {
            width,
            height,
            ops: Vec::new(),
        }
    }

    /// Every box drawn on the page (text lines as their advance boxes), for checking that
    /// nothing leaves the page.
    #[cfg(test)]
    pub(crate) fn boxes(&self) -> Vec<Area> {
        let mut out = Vec::new();
        for op in &self.ops {
            match op {
                Op::Text {
                    block,
                    x,
                    top,
                    width,
                    centred,
                } => {
                    for (i, line) in block.lines.iter().enumerate() {
                        let left = if *centred {
                            x + (width - line.width) / 2.0
                        } else {
                            *x
                        };
                        let line_top = top + i as f32 * block.style.line_height();
                        out.push((left, line_top, line.width, block.style.line_height()));
                    }
                }
                Op::FillRects { rects, .. } => out.extend(rects.iter().copied()),
                Op::StrokeRect { rect, .. } | Op::Image { rect, .. } => out.push(*rect),
                Op::Line { from, to, .. } => {
                    out.push((from.0, from.1, to.0 - from.0, to.1 - from.1))
                }
            }
        }
        out
    }
}

fn paint(color: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn rect((x, y, w, h): Area) -> Option<Rect> {
    Rect::from_xywh(x, y, w, h)
}

pub(crate) fn paint_pages(document: &mut Document, pages: &[Page]) -> Result<(), RenderError> {
    for page in pages {
        let settings = PageSettings::from_wh(page.width, page.height)
            .ok_or(RenderError::Layout("a page has no area"))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        for op in &page.ops {
            paint_op(&mut surface, op)?;
        }
        surface.finish();
        pdf_page.finish();
    }
    Ok(())
}

fn paint_op(surface: &mut Surface<'_>, op: &Op) -> Result<(), RenderError> {
    match op {
        Op::Text {
            block,
            x,
            top,
            width,
            centred,
        } => {
            let face = fonts::face(block.style.weight)?;
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(block.style.color),
                opacity: NormalizedF32::ONE,
                rule: FillRule::NonZero,
            }));
            for (i, line) in block.lines.iter().enumerate() {
                if line.glyphs.is_empty() {
                    continue;
                }
                let left = if *centred {
                    x + (width - line.width) / 2.0
                } else {
                    *x
                };
                let baseline = block.baseline(*top, i)?;
                surface.draw_glyphs(
                    Point::from_xy(left, baseline),
                    &line.glyphs,
                    face.pdf.clone(),
                    &line.text,
                    block.style.size,
                    false,
                );
            }
        }
        Op::FillRects { rects, color } => {
            let mut builder = PathBuilder::new();
            for r in rects {
                if let Some(r) = rect(*r) {
                    builder.push_rect(r);
                }
            }
            // One path for all rectangles: a rasteriser then leaves no seams between
            // touching QR modules.
            if let Some(path) = builder.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(*color),
                    opacity: NormalizedF32::ONE,
                    rule: FillRule::NonZero,
                }));
                surface.draw_path(&path);
            }
        }
        Op::StrokeRect {
            rect: r,
            color,
            width,
        } => {
            let mut builder = PathBuilder::new();
            if let Some(r) = rect(*r) {
                builder.push_rect(r);
            }
            if let Some(path) = builder.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            from,
            to,
            color,
            width,
        } => {
            let mut builder = PathBuilder::new();
            builder.move_to(from.0, from.1);
            builder.line_to(to.0, to.1);
            if let Some(path) = builder.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
        }
        Op::Image { rect: r, image } => {
            let size =
                Size::from_wh(r.2, r.3).ok_or(RenderError::Layout("the photo has no area"))?;
            surface.push_transform(&krilla::geom::Transform::from_translate(r.0, r.1));
            surface.draw_image(image.clone(), size);
            surface.pop();
        }
    }
    Ok(())
}

fn stroke(color: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: paint(color),
        width,
        ..Stroke::default()
    }
}
