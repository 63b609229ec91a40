//! The ID-1 card (85.6 × 54 mm): the front with heading, photo and the main fields, the back
//! with the remaining fields, the QR code and the verification instructions.

use crate::draw::{MM, Page};
use crate::fonts::Weight::{Bold, Regular};
use crate::layout::{
    ACCENT, GREY_TEXT, LABEL_TEXT, LIGHT_TEXT, RULE, Region, Stack, centred_pair, put, rule, style,
};
use crate::photo::{self, Prepared};
use crate::qr::Qr;
use crate::text::{self, BLACK};
use crate::{Card, RenderError};

pub(crate) const WIDTH: f32 = 85.6 * MM;
pub(crate) const HEIGHT: f32 = 54.0 * MM;
const MARGIN: f32 = 3.0 * MM;
const PHOTO_WIDTH: f32 = 21.0 * MM;
const PHOTO_HEIGHT: f32 = 27.0 * MM;
pub(crate) const QR_SIDE: f32 = 30.0 * MM;

/// At 1.0 values are 7 pt; at the smallest scale 6 pt, still readable on a card.
pub(crate) const SCALES: [f32; 4] = [1.0, 0.95, 0.9, 0.86];

fn stack(s: f32) -> Stack {
    Stack {
        label_tr: style(Regular, 5.3 * s, LABEL_TEXT),
        label_en: style(Regular, 4.8 * s, LIGHT_TEXT),
        value: style(Bold, 7.0 * s, BLACK),
        gap: 2.2 * s,
    }
}

pub(crate) fn front(card: &Card, photo: Option<&Prepared>, s: f32) -> Result<Page, RenderError> {
    let mut page = Page::new(WIDTH, HEIGHT);
    let left = MARGIN;
    let right = WIDTH - MARGIN;
    let width = right - left;

    let y = centred_pair(
        &mut page,
        &card.authority,
        (
            style(Bold, 6.0 * s, BLACK),
            style(Regular, 5.0 * s, GREY_TEXT),
        ),
        left,
        MARGIN,
        width,
    )?;
    let y = centred_pair(
        &mut page,
        &card.title,
        (
            style(Bold, 7.5 * s, ACCENT),
            style(Regular, 6.0 * s, GREY_TEXT),
        ),
        left,
        y + 1.5 * s,
        width,
    )?;
    let y = y + 2.0 * s;
    rule(&mut page, left, right, y, ACCENT, 0.8);
    let body_top = y + 3.5 * s;

    page.ops.extend(photo::ops(
        photo,
        (left, body_top, PHOTO_WIDTH, PHOTO_HEIGHT),
        5.0,
    )?);
    let beside = left + PHOTO_WIDTH + 3.0 * MM;
    // Fields sit beside the photo; once below it they may use the whole width.
    let bottom = put_fields(
        &card.front,
        s,
        beside,
        right,
        body_top,
        |top| top < body_top + PHOTO_HEIGHT + 2.0,
        &mut page,
    )?;
    if bottom > HEIGHT - MARGIN || body_top + PHOTO_HEIGHT > HEIGHT - MARGIN {
        return Err(RenderError::DoesNotFit("the card's front overflows"));
    }
    Ok(page)
}

pub(crate) fn back(card: &Card, qr: &Qr, s: f32) -> Result<Page, RenderError> {
    let mut page = Page::new(WIDTH, HEIGHT);
    let left = MARGIN;
    let right = WIDTH - MARGIN;
    let width = right - left;

    let tr = text::wrap(
        &card.how_to_verify.tr,
        style(Regular, 5.5 * s, BLACK),
        width,
    )?;
    let en = text::wrap(
        &card.how_to_verify.en,
        style(Regular, 5.0 * s, GREY_TEXT),
        width,
    )?;
    let gap = 1.5 * s;
    let verify_top = HEIGHT - MARGIN - (tr.height() + gap + en.height());
    let y = put(&mut page, tr, left, verify_top, width);
    put(&mut page, en, left, y + gap, width);
    let rule_y = verify_top - 2.5 * s;
    rule(&mut page, left, right, rule_y, RULE, 0.4);

    let qr_left = right - QR_SIDE;
    page.ops.push(qr.op(qr_left, MARGIN, QR_SIDE));
    // The QR code's quiet zone already separates it from the fields.
    let region = Region {
        left,
        right,
        box_left: qr_left,
        box_bottom: MARGIN + QR_SIDE,
    };
    let bottom = stack(s).put(&mut page, &card.back, &region, MARGIN)?;
    if bottom > rule_y - 1.0 || MARGIN + QR_SIDE > rule_y {
        return Err(RenderError::DoesNotFit("the card's back overflows"));
    }
    Ok(page)
}

/// The front's fields: right of the photo (from `beside`) while `beside_photo(top)`, then
/// from the left margin.
fn put_fields(
    fields: &[crate::Field],
    s: f32,
    beside: f32,
    right: f32,
    top: f32,
    beside_photo: impl Fn(f32) -> bool,
    page: &mut Page,
) -> Result<f32, RenderError> {
    let stack = stack(s);
    let mut top = top;
    for field in fields {
        let left = if beside_photo(top) { beside } else { MARGIN };
        let region = Region {
            left,
            right,
            box_left: right,
            box_bottom: 0.0,
        };
        top = stack.put(page, std::slice::from_ref(field), &region, top)?;
    }
    Ok(top)
}
