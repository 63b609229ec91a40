//! The one-page A4 proof document: heading, field table beside the photo, QR code with the
//! verification instructions, and the signed payload in small type at the foot.

use crate::draw::{MM, Page};
use crate::fonts::Weight::{Bold, Regular};
use crate::layout::{
    self, ACCENT, GREY_TEXT, LABEL_TEXT, LIGHT_TEXT, Region, Table, centred_pair, put, rule, style,
};
use crate::photo::{self, Prepared};
use crate::qr::Qr;
use crate::text::{self, BLACK};
use crate::{ProofDocument, RenderError};

pub(crate) const WIDTH: f32 = 210.0 * MM;
pub(crate) const HEIGHT: f32 = 297.0 * MM;
const SIDE: f32 = 18.0 * MM;
const TOP: f32 = 15.0 * MM;
const BOTTOM: f32 = 14.0 * MM;
const PHOTO_WIDTH: f32 = 35.0 * MM;
const PHOTO_HEIGHT: f32 = 45.0 * MM;
pub(crate) const QR_SIDE: f32 = 38.0 * MM;

/// Type sizes tried in turn until everything fits; below 0.7 the values would be under 7 pt.
pub(crate) const SCALES: [f32; 6] = [1.0, 0.94, 0.88, 0.82, 0.76, 0.7];

pub(crate) fn layout(
    doc: &ProofDocument,
    photo: Option<&Prepared>,
    qr: &Qr,
    s: f32,
) -> Result<Page, RenderError> {
    let mut page = Page::new(WIDTH, HEIGHT);
    let left = SIDE;
    let right = WIDTH - SIDE;
    let width = right - left;

    let mut y = centred_pair(
        &mut page,
        &doc.authority,
        (
            style(Bold, 11.0 * s, BLACK),
            style(Regular, 8.5 * s, GREY_TEXT),
        ),
        left,
        TOP,
        width,
    )?;
    y = centred_pair(
        &mut page,
        &doc.title,
        (
            style(Bold, 17.0 * s, BLACK),
            style(Regular, 12.0 * s, GREY_TEXT),
        ),
        left,
        y + 8.0 * s,
        width,
    )?;
    y += 7.0 * s;
    rule(&mut page, left, right, y, ACCENT, 1.2);
    let body_top = y + 14.0 * s;

    let photo_left = right - PHOTO_WIDTH;
    page.ops.extend(photo::ops(
        photo,
        (photo_left, body_top, PHOTO_WIDTH, PHOTO_HEIGHT),
        8.0,
    )?);
    let region = Region {
        left,
        right,
        box_left: photo_left - 12.0,
        box_bottom: body_top + PHOTO_HEIGHT + 4.0,
    };
    let table = Table {
        label_width: 44.0 * MM,
        gap: 8.0,
        padding: 4.5 * s,
        label_tr: style(Bold, 8.0 * s, LABEL_TEXT),
        label_en: style(Regular, 7.0 * s, LIGHT_TEXT),
        value: style(Regular, 10.5 * s, BLACK),
    };
    let table_bottom = table.put(&mut page, &doc.fields, &region, body_top)?;
    let body_bottom = table_bottom.max(body_top + PHOTO_HEIGHT);

    // The foot is laid out from the bottom edge up.
    let signature = text::wrap(
        &doc.signature_line,
        style(Regular, 6.5 * s, GREY_TEXT),
        width,
    )?;
    let signature_top = HEIGHT - BOTTOM - signature.height();
    put(&mut page, signature, left, signature_top, width);

    let text_left = left + QR_SIDE + 10.0;
    let text_width = right - text_left;
    let tr = text::wrap(
        &doc.how_to_verify.tr,
        style(Regular, 8.5 * s, BLACK),
        text_width,
    )?;
    let en = text::wrap(
        &doc.how_to_verify.en,
        style(Regular, 8.0 * s, GREY_TEXT),
        text_width,
    )?;
    let gap = 5.0 * s;
    let text_height = tr.height() + gap + en.height();
    let block_height = QR_SIDE.max(text_height);
    let block_top = signature_top - 10.0 * s - block_height;
    rule(
        &mut page,
        left,
        right,
        block_top - 8.0 * s,
        layout::RULE,
        0.5,
    );
    page.ops.push(qr.op(left, block_top, QR_SIDE));
    let text_top = block_top + (block_height - text_height) / 2.0;
    let y = put(&mut page, tr, text_left, text_top, text_width);
    put(&mut page, en, text_left, y + gap, text_width);

    if body_bottom + 12.0 * s > block_top - 8.0 * s {
        return Err(RenderError::DoesNotFit(
            "the fields and the verification block overlap on the A4 page",
        ));
    }
    Ok(page)
}
