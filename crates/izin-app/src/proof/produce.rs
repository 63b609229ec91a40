//! Producing the Proof Documents approvals issued: the worker every instance runs claims due
//! documents (leased, so one worker makes each), writes what the document states from the
//! approved application, signs it, typesets the PDF, stores it and records it — after which the
//! approval mail goes out with the PDF attached. A failure is retried with back-off; a worker
//! that loses a race to record its copy deletes it, so a document is recorded once.

use super::card::{CardContent, CardField};
use super::{ProofError, holder_name, verify_link};
use crate::App;
use izin_domain::Language;
use izin_domain::application::{ProofFacts, Snapshot};
use izin_domain::calendar::display_date;
use izin_domain::proof::payload::{PhotoHash, ProofPayload, canonical_name};
use izin_domain::records::ApplicationRecord;
use izin_domain::reference::Labels;
use izin_i18n::Value;
use izin_print::{Bilingual, Field, Metadata, Photo, PhotoFormat, ProofDocument};
use izin_store::{CompletionOutcome, DocumentJob, ProducedDocument, StoreError};
use sha2::{Digest, Sha256};
use time::Duration;

const BATCH: u32 = 8;
/// What the back of a card shows beside the QR code.
const BACK_FIELDS: [&str; 4] = [
    "proof-field-number",
    "proof-field-category",
    "proof-field-valid-from",
    "proof-field-verification-code",
];
/// What the front of a card shows.
const FRONT_FIELDS: [&str; 6] = [
    "proof-field-first-name",
    "proof-field-last-name",
    "proof-field-nationality",
    "proof-field-birth-date",
    "proof-field-foreigner-id",
    "proof-field-valid-until",
];
/// Longer than producing one document takes, even on a loaded machine.
const LEASE: Duration = Duration::minutes(5);

/// Produces what is due now; answers how many documents it handled.
pub async fn produce_due_documents(app: &App) -> Result<usize, StoreError> {
    let now = app.clock.now();
    let jobs = app.store.claim_document_jobs(now, LEASE, BATCH).await?;
    let handled = jobs.len();
    for job in jobs {
        match produce(app, &job).await {
            Ok(()) => {
                metrics::counter!("izin_proof_documents_produced_total").increment(1);
            }
            Err(error) => {
                tracing::warn!(document = %job.id, attempts = job.attempts, %error,
                    "a proof document could not be produced; it will be tried again");
                metrics::counter!("izin_proof_document_failures_total").increment(1);
                let retry_at = app.clock.now() + crate::workers::retry_delay(job.attempts);
                app.store
                    .fail_document_job(job.id, &error.to_string(), retry_at)
                    .await?;
            }
        }
    }
    Ok(handled)
}

/// Produces one claimed document: what the worker does for each.
pub async fn produce(app: &App, job: &DocumentJob) -> Result<(), ProofError> {
    let record = application(app, job.application_id).await?;
    let subject = if job.subject_id == job.application_id {
        record.clone()
    } else {
        application(app, job.subject_id).await?
    };
    let snapshot = latest_snapshot(app, &record).await?;
    let subject_snapshot = if subject.id == record.id {
        snapshot.clone()
    } else {
        latest_snapshot(app, &subject).await?
    };
    let kind = app.applications().kind(subject.kind);
    let data = kind
        .read(&subject_snapshot.data)
        .map_err(|e| ProofError::Unreadable(e.to_string()))?;
    let mut facts = data.proof_facts().ok_or_else(|| {
        ProofError::Unreadable("the approved application states no period".into())
    })?;
    // A new card is a card, whatever the exemption it is about asked for, and goes where the
    // new card application says.
    facts.with_card |= subject.id != record.id;
    let delivery_address = if subject.id == record.id {
        data.delivery_address()
    } else {
        app.applications()
            .kind(record.kind)
            .read(&snapshot.data)
            .map_err(|e| ProofError::Unreadable(e.to_string()))?
            .delivery_address()
            .or_else(|| data.delivery_address())
    };

    let now = app.clock.now();
    let mut profile = snapshot.profile.clone();
    // A foreigner ID the authority assigned at approval is printed, though the submission lacked it.
    if profile.personal.foreigner_id.is_none() {
        profile.personal.foreigner_id = app
            .store
            .profile(record.user_id)
            .await?
            .personal
            .foreigner_id;
    }
    let photo = match profile.personal.photo_document_id {
        Some(id) => match app.store.document(record.user_id, id).await? {
            Some(document) => Some((
                app.files.get_bytes(&document.storage_key).await?,
                document.storage_key,
                document.content_type,
            )),
            None => None,
        },
        None => None,
    };
    let name = canonical_name(&holder_name(&profile));
    let key = app.proof_keys.current(app.store.as_ref(), now).await?;
    let payload = ProofPayload {
        number: job.number,
        valid_from: facts.valid_from,
        valid_until: facts.valid_until,
        holder_name: name.clone(),
        photo_hash: PhotoHash::of(photo.as_ref().map_or(&[][..], |(bytes, _, _)| bytes)),
        key_id: key.key_id(),
    };
    let signed = key.sign(&payload).encode();
    let qr_text = verify_link(
        &app.proof.base_url,
        &job.number,
        &job.verification_code,
        Some(&signed),
    );

    let texts = Texts { app };
    let mut fields = vec![
        texts.field("proof-field-number", job.number.to_string()),
        texts.field(
            "proof-field-first-name",
            profile
                .personal
                .first_name
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
        ),
        texts.field(
            "proof-field-last-name",
            profile
                .personal
                .last_name
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
        ),
    ];
    if let Some(country) = profile.personal.nationality.as_ref() {
        let names = app.reference.country(country.as_str()).map(|c| &c.names);
        fields.push(Field {
            label: texts.both("proof-field-nationality"),
            value: names.map_or_else(
                || country.as_str().to_owned(),
                |n| format!("{} / {}", n.tr, n.en),
            ),
        });
    }
    if let Some(born) = profile.personal.date_of_birth {
        fields.push(texts.field("proof-field-birth-date", display_date(born)));
    }
    match (
        &profile.personal.foreigner_id,
        &profile.passport.passport_number,
    ) {
        (Some(id), _) => {
            fields.push(texts.field("proof-field-foreigner-id", id.as_str().to_owned()))
        }
        (None, Some(passport)) => {
            fields.push(texts.field("proof-field-passport-number", passport.as_str().to_owned()))
        }
        (None, None) => {}
    }
    let grants = grants(app, &facts);
    // The holder's own document names the category and its sector in full.
    if let Some((sector, category)) = facts
        .category
        .as_deref()
        .and_then(|code| app.catalog.category(code))
    {
        fields.push(Field {
            label: texts.both("proof-field-category"),
            value: format!("{} / {}", category.name.tr, category.name.en),
        });
        fields.push(Field {
            label: texts.both("proof-field-sector"),
            value: format!("{} / {}", sector.name.tr, sector.name.en),
        });
    }
    if let Some(occupation) = facts
        .occupation
        .as_deref()
        .and_then(|code| app.catalog.occupation(code))
    {
        fields.push(Field {
            label: texts.both("proof-field-occupation"),
            value: format!("{} / {}", occupation.names.tr, occupation.names.en),
        });
    }
    if let Some(workplace) = &facts.workplace {
        fields.push(texts.field("proof-field-workplace", workplace.clone()));
    }
    fields.push(texts.field("proof-field-valid-from", display_date(facts.valid_from)));
    fields.push(texts.field("proof-field-valid-until", display_date(facts.valid_until)));
    fields.push(texts.field(
        "proof-field-issued-on",
        display_date(izin_domain::calendar::today_in_turkiye(job.issued_at)),
    ));
    fields.push(texts.field(
        "proof-field-verification-code",
        job.verification_code.to_string(),
    ));
    let verify_url = format!("{}/verify", app.proof.base_url);
    let keys_url = format!("{}/.well-known/izin-keys.json", app.proof.base_url);
    let how_to_verify = Bilingual {
        tr: app.texts.format(
            Language::Tr,
            "proof-how-to-verify",
            &[
                ("url", Value::from(verify_url.as_str())),
                ("keys", Value::from(keys_url.as_str())),
            ],
        ),
        en: app.texts.format(
            Language::En,
            "proof-how-to-verify",
            &[
                ("url", Value::from(verify_url.as_str())),
                ("keys", Value::from(keys_url.as_str())),
            ],
        ),
    };
    let title_id = format!("proof-title-{}", kind.kind().code());
    let card = facts.with_card.then(|| {
        // An ID-1 card has room for less than the page: the front names the holder, the back
        // what is granted, the number and the code beside the QR code.
        let pick = |ids: &[&str]| -> Vec<&Field> {
            ids.iter()
                .filter_map(|id| {
                    let label = app.texts.get(Language::En, id);
                    fields.iter().find(|f| f.label.en == label)
                })
                .collect()
        };
        let (front, back) = (pick(&FRONT_FIELDS), pick(&BACK_FIELDS));
        let to_card = |fields: Vec<&Field>| {
            fields
                .into_iter()
                .map(|f| CardField {
                    label: Labels {
                        tr: f.label.tr.clone(),
                        en: f.label.en.clone(),
                    },
                    value: f.value.clone(),
                })
                .collect()
        };
        CardContent {
            authority: texts.labels(&format!("proof-authority-{}", kind.authority().code())),
            title: texts.labels(&title_id),
            front: to_card(front),
            back: to_card(back),
            qr_text: qr_text.clone(),
            how_to_verify: texts.labels("card-how-to-verify"),
            photo_key: photo.as_ref().map(|(_, key, _)| key.clone()),
            signed_payload: signed.clone(),
            number: job.number.to_string(),
        }
    });
    let document = ProofDocument {
        authority: texts.both(&format!("proof-authority-{}", kind.authority().code())),
        title: texts.both(&title_id),
        fields,
        photo: photo.as_ref().map(|(bytes, _, content_type)| Photo {
            bytes: bytes.to_vec(),
            format: if content_type.mime() == "image/png" {
                PhotoFormat::Png
            } else {
                PhotoFormat::Jpeg
            },
        }),
        qr_text,
        how_to_verify,
        signature_line: signed.clone(),
        metadata: Metadata {
            title: format!("{} {}", app.texts.get(Language::En, &title_id), job.number),
            language: "tr".into(),
            created: job.issued_at,
            signed_payload: signed.clone(),
        },
    };
    let pdf = tokio::task::spawn_blocking(move || izin_print::render_proof_document(&document))
        .await
        .map_err(|e| ProofError::Render(e.to_string()))?
        .map_err(|e| ProofError::Render(e.to_string()))?;
    let sha256 = hex(&Sha256::digest(&pdf));
    // One object per attempt: a worker that lost its lease never overwrites the recorded file.
    let storage_key = format!("proof-documents/{}/{}.pdf", job.id, job.attempts);
    app.files
        .put_bytes(&storage_key, bytes::Bytes::from(pdf))
        .await?;
    let shown = serde_json::json!({
        "holder": name,
        "grants": { "tr": grants.tr, "en": grants.en },
    });
    let outcome = app
        .store
        .complete_document(ProducedDocument {
            id: job.id,
            storage_key: storage_key.clone(),
            sha256,
            key_id: key.key_id().to_string(),
            signed_payload: signed,
            valid_from: facts.valid_from,
            valid_until: facts.valid_until,
            shown,
            photo_key: photo.map(|(_, key, _)| key),
            with_card: facts.with_card,
            card: card
                .map(serde_json::to_value)
                .transpose()
                .map_err(|e| ProofError::Unreadable(format!("the card's content: {e}")))?,
            delivery_address,
            file_name: format!("proof-document-{}.pdf", job.number),
            now: app.clock.now(),
        })
        .await;
    match outcome {
        Ok(CompletionOutcome::Recorded) => {
            // A new card's document replaces the older one at once.
            app.recent_verifications.forget_all();
            app.mail_queued.notify_one();
            Ok(())
        }
        Ok(CompletionOutcome::AlreadyProduced) => {
            let _ = app.files.delete(&storage_key).await;
            Ok(())
        }
        Err(e) => {
            let _ = app.files.delete(&storage_key).await;
            Err(e.into())
        }
    }
}

async fn application(app: &App, id: uuid::Uuid) -> Result<ApplicationRecord, ProofError> {
    app.store
        .application(None, id)
        .await?
        .ok_or_else(|| ProofError::Unreadable(format!("application {id} is gone")))
}

async fn latest_snapshot(app: &App, record: &ApplicationRecord) -> Result<Snapshot, ProofError> {
    let versions = app.store.application_versions(record.id).await?;
    let last = versions.last().ok_or_else(|| {
        ProofError::Unreadable(format!("application {} has no version", record.id))
    })?;
    Snapshot::read(&last.snapshot).map_err(|e| ProofError::Unreadable(e.to_string()))
}

/// What the document grants, named in both languages: the category, or what the catalogue shows
/// instead where the category's name is sensitive.
pub(super) fn grants(app: &App, facts: &ProofFacts) -> izin_domain::reference::Labels {
    let category = facts
        .category
        .as_deref()
        .and_then(|code| app.catalog.category(code))
        .map(|(_, category)| category);
    let named = |language: Language| {
        let name = category.map_or("", |c| {
            c.shown_at_verify.as_ref().unwrap_or(&c.name).get(language)
        });
        app.texts.format(
            language,
            "verify-grants-work-permit-exemption",
            &[("category", Value::from(name))],
        )
    };
    izin_domain::reference::Labels {
        tr: named(Language::Tr),
        en: named(Language::En),
    }
}

struct Texts<'a> {
    app: &'a App,
}

impl Texts<'_> {
    fn labels(&self, id: &str) -> Labels {
        Labels {
            tr: self.app.texts.get(Language::Tr, id).to_owned(),
            en: self.app.texts.get(Language::En, id).to_owned(),
        }
    }

    fn both(&self, id: &str) -> Bilingual {
        Bilingual {
            tr: self.app.texts.get(Language::Tr, id).to_owned(),
            en: self.app.texts.get(Language::En, id).to_owned(),
        }
    }

    fn field(&self, id: &str, value: String) -> Field {
        Field {
            label: self.both(id),
            value,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
