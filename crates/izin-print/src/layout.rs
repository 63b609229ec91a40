//! Layout pieces both documents use: centred headings, labelled fields flowing around a box
//! in the top corner, and trying smaller type when content does not fit.

use crate::RenderError;
use crate::draw::{Op, Page};
use crate::fonts::Weight;
use crate::text::{self, Block, Rgb, Style};
use crate::{Bilingual, Field};

pub(crate) const GREY_TEXT: Rgb = Rgb(90, 90, 90);
pub(crate) const LIGHT_TEXT: Rgb = Rgb(115, 115, 115);
pub(crate) const LABEL_TEXT: Rgb = Rgb(55, 55, 55);
pub(crate) const RULE: Rgb = Rgb(200, 200, 200);
/// The red of the Turkish flag, darkened for print: the one accent of both documents.
pub(crate) const ACCENT: Rgb = Rgb(170, 20, 35);

/// Lays out with type scaled by each of `scales` in turn and keeps the first that fits.
pub(crate) fn fit<T>(
    scales: &[f32],
    layout: impl Fn(f32) -> Result<T, RenderError>,
) -> Result<T, RenderError> {
    let mut last = RenderError::DoesNotFit("nothing to lay out");
    for &scale in scales {
        match layout(scale) {
            Err(e @ RenderError::DoesNotFit(_)) => last = e,
            other => return other,
        }
    }
    Err(last)
}

/// A text block at (`x`, `top`); returns its bottom.
pub(crate) fn put(page: &mut Page, block: Block, x: f32, top: f32, width: f32) -> f32 {
    put_aligned(page, block, x, top, width, false)
}

pub(crate) fn put_aligned(
    page: &mut Page,
    block: Block,
    x: f32,
    top: f32,
    width: f32,
    centred: bool,
) -> f32 {
    let bottom = top + block.height();
    if !block.lines.is_empty() {
        page.ops.push(Op::Text {
            block,
            x,
            top,
            width,
            centred,
        });
    }
    bottom
}

/// Turkish above English, each centred in the width; returns the bottom.
pub(crate) fn centred_pair(
    page: &mut Page,
    pair: &Bilingual,
    (tr, en): (Style, Style),
    x: f32,
    top: f32,
    width: f32,
) -> Result<f32, RenderError> {
    let y = put_aligned(page, text::wrap(&pair.tr, tr, width)?, x, top, width, true);
    Ok(put_aligned(
        page,
        text::wrap(&pair.en, en, width)?,
        x,
        y,
        width,
        true,
    ))
}

pub(crate) fn rule(page: &mut Page, x1: f32, x2: f32, y: f32, color: Rgb, width: f32) {
    page.ops.push(Op::Line {
        from: (x1, y),
        to: (x2, y),
        color,
        width,
    });
}

/// Where fields may go: from `left` to `right`, except that rows starting above `box_bottom`
/// must end before `box_left` (a photo or QR code sits in the top-right corner).
pub(crate) struct Region {
    pub left: f32,
    pub right: f32,
    pub box_left: f32,
    pub box_bottom: f32,
}

impl Region {
    pub(crate) fn right_at(&self, top: f32) -> f32 {
        if top < self.box_bottom {
            self.box_left
        } else {
            self.right
        }
    }
}

/// The two-column table of the A4 document: labels (Turkish, English below in smaller grey
/// type) on the left, values on the right, a rule under each row. Returns the bottom.
pub(crate) struct Table {
    pub label_width: f32,
    pub gap: f32,
    pub padding: f32,
    pub label_tr: Style,
    pub label_en: Style,
    pub value: Style,
}

impl Table {
    pub(crate) fn put(
        &self,
        page: &mut Page,
        fields: &[Field],
        region: &Region,
        mut top: f32,
    ) -> Result<f32, RenderError> {
        rule(page, region.left, region.right_at(top), top, RULE, 0.5);
        for field in fields {
            let right = region.right_at(top);
            let value_x = region.left + self.label_width + self.gap;
            let value_width = right - value_x;
            if value_width <= 0.0 {
                return Err(RenderError::DoesNotFit("no room for the values"));
            }
            let tr = text::wrap(&field.label.tr, self.label_tr, self.label_width)?;
            let en = text::wrap(&field.label.en, self.label_en, self.label_width)?;
            let value = text::wrap(&field.value, self.value, value_width)?;
            let inner = top + self.padding;
            let labels_bottom = put(page, tr, region.left, inner, self.label_width);
            let labels_bottom = put(page, en, region.left, labels_bottom, self.label_width);
            let value_bottom = put(page, value, value_x, inner, value_width);
            top = labels_bottom.max(value_bottom) + self.padding;
            rule(page, region.left, right, top, RULE, 0.5);
        }
        Ok(top)
    }
}

/// The card's stacked fields: a label line (Turkish, then English in grey after a slash, or
/// below it when both do not fit on one line) above the value. Returns the bottom.
pub(crate) struct Stack {
    pub label_tr: Style,
    pub label_en: Style,
    pub value: Style,
    pub gap: f32,
}

impl Stack {
    pub(crate) fn put(
        &self,
        page: &mut Page,
        fields: &[Field],
        region: &Region,
        mut top: f32,
    ) -> Result<f32, RenderError> {
        for field in fields {
            let right = region.right_at(top);
            let width = right - region.left;
            if width <= 0.0 {
                return Err(RenderError::DoesNotFit("no room for the fields"));
            }
            let en_text = if field.label.tr.trim().is_empty() || field.label.en.trim().is_empty() {
                field.label.en.clone()
            } else {
                format!("/ {}", field.label.en)
            };
            let tr = text::single_line(&field.label.tr, self.label_tr)?;
            let en = text::single_line(&en_text, self.label_en)?;
            let space = self.label_tr.size * 0.3;
            let labels_bottom = if tr.max_width() + space + en.max_width() <= width {
                let tr_width = tr.max_width();
                let tr_height = tr.height();
                let en_height = en.height();
                // Both on one line, sharing a baseline: the smaller type is lowered.
                let en_top = top + tr.baseline(0.0, 0)? - en.baseline(0.0, 0)?;
                put(page, tr, region.left, top, width);
                put(page, en, region.left + tr_width + space, en_top, width);
                (top + tr_height).max(en_top + en_height)
            } else {
                let tr = text::wrap(&field.label.tr, self.label_tr, width)?;
                let en = text::wrap(&field.label.en, self.label_en, width)?;
                let y = put(page, tr, region.left, top, width);
                put(page, en, region.left, y, width)
            };
            let value = text::wrap(&field.value, self.value, width)?;
            top = put(page, value, region.left, labels_bottom, width) + self.gap;
        }
        Ok(top)
    }
}

pub(crate) fn style(weight: Weight, size: f32, color: Rgb) -> Style {
    Style::new(weight, size, color)
}
