//! What a card prints, fixed when its document is produced and kept with it, so that printing
//! a batch later (on any instance, after any catalogue change) prints what the document says.

use izin_domain::reference::Labels;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardField {
    pub label: Labels,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardContent {
    pub authority: Labels,
    pub title: Labels,
    pub front: Vec<CardField>,
    pub back: Vec<CardField>,
    pub qr_text: String,
    pub how_to_verify: Labels,
    /// The holder's photo in the file store.
    pub photo_key: Option<String>,
    pub signed_payload: String,
    pub number: String,
}

fn bilingual(labels: &Labels) -> izin_print::Bilingual {
    izin_print::Bilingual {
        tr: labels.tr.clone(),
        en: labels.en.clone(),
    }
}

fn fields(fields: &[CardField]) -> Vec<izin_print::Field> {
    fields
        .iter()
        .map(|f| izin_print::Field {
            label: bilingual(&f.label),
            value: f.value.clone(),
        })
        .collect()
}

impl CardContent {
    /// The card to typeset, with the photo's bytes read from the file store.
    pub fn to_print(
        &self,
        photo: Option<Vec<u8>>,
        created: time::OffsetDateTime,
    ) -> izin_print::Card {
        izin_print::Card {
            authority: bilingual(&self.authority),
            title: bilingual(&self.title),
            front: fields(&self.front),
            back: fields(&self.back),
            photo: photo.map(|bytes| izin_print::Photo {
                format: if bytes.starts_with(b"\x89PNG") {
                    izin_print::PhotoFormat::Png
                } else {
                    izin_print::PhotoFormat::Jpeg
                },
                bytes,
            }),
            qr_text: self.qr_text.clone(),
            how_to_verify: bilingual(&self.how_to_verify),
            metadata: izin_print::Metadata {
                title: format!("Card {}", self.number),
                language: "tr".into(),
                created,
                signed_payload: self.signed_payload.clone(),
            },
        }
    }
}
