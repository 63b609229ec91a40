//! Cards and cargo (seed §4.8): the officers' print queue, the batch PDF of ID-1 cards, the
//! hand-over to the carrier (a shipment with a tracking number), the carrier's signed status
//! reports, the holder's mail when the card is out for delivery or returned, and the re-shipment
//! of a returned card to a corrected address.

pub mod carrier;

use crate::App;
use crate::payments::notifications::{NotificationSecret, SignatureError};
use crate::proof::card::CardContent;
use carrier::{CarrierError, ShipmentRequest};
use izin_domain::Language;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::cargo::{ShipmentStatus, TrackingNumber};
use izin_domain::records::Officer;
use izin_i18n::Value;
pub use izin_store::{CardToPrint, ReportOutcome, ShipmentRecord};
use izin_store::{
    CargoReport, NewAuditEntry, NewMail, NewShipment, ShipmentMail, ShipmentOutcome, StoreError,
};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// The most cards one batch prints.
pub const BATCH_LIMIT: usize = 50;
/// The demo carrier's secret in development and demo mode (never on a deployment).
pub const DEMO_SECRET: &str = "izin-demo-cargo-secret-do-not-use-in-production";

#[derive(Debug, thiserror::Error)]
pub enum CargoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Files(#[from] izin_adapters::files::FileError),
    #[error("the cards could not be typeset: {0}")]
    Render(String),
    #[error("no card of yours among those chosen")]
    NothingChosen,
    #[error("this shipment cannot be sent again (not returned, already re-shipped, or not yours)")]
    NotReshippable,
    #[error("write the corrected address")]
    AddressRequired,
    #[error(transparent)]
    Carrier(#[from] CarrierError),
}

/// What handing over a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandOver {
    pub shipped: Vec<(Uuid, TrackingNumber)>,
    /// Cards printed whose hand-over failed (they stay in the queue, to hand over again).
    pub failed: Vec<(Uuid, String)>,
}

/// A carrier's report as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CargoNotification {
    pub notification_id: String,
    pub tracking_number: String,
    pub status: String,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CargoNotificationError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the body is not a cargo notification: {0}")]
    Body(String),
    #[error("{field}: {problem}")]
    Field {
        field: &'static str,
        problem: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CargoNotification {
    fn read(&self, received_at: OffsetDateTime) -> Result<CargoReport, CargoNotificationError> {
        let field = |field, problem| CargoNotificationError::Field { field, problem };
        let notification_id = self.notification_id.trim();
        if notification_id.is_empty() || notification_id.len() > 100 {
            return Err(field("notification_id", "1 to 100 characters"));
        }
        Ok(CargoReport {
            notification_id: notification_id.to_owned(),
            tracking_number: TrackingNumber::parse(&self.tracking_number)
                .map_err(|_| field("tracking_number", "not an S10 tracking number"))?,
            status: ShipmentStatus::parse(&self.status)
                .filter(|s| *s != ShipmentStatus::Created)
                .ok_or_else(|| {
                    field(
                        "status",
                        "one of accepted, in_transit, out_for_delivery, delivered, returned_to_sender",
                    )
                })?,
            at: OffsetDateTime::parse(&self.at, &Rfc3339)
                .map_err(|_| field("at", "an RFC 3339 time"))?,
            received_at,
        })
    }
}

pub struct CargoService<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Cards and their cargo.
    pub fn cargo(&self) -> CargoService<'_> {
        CargoService { app: self }
    }
}

impl CargoService<'_> {
    /// The authority's cards waiting to be printed or handed over, and returned shipments.
    pub async fn queue(
        &self,
        officer: &Officer,
    ) -> Result<(Vec<CardToPrint>, Vec<ShipmentRecord>), StoreError> {
        let (cards, returned) = tokio::try_join!(
            self.app.store.cards_to_print(officer.authority, 200),
            self.app.store.returned_shipments(officer.authority, 200),
        )?;
        Ok((cards, returned))
    }

    /// One PDF with the chosen cards of the officer's authority (front and back each).
    pub async fn batch_pdf(
        &self,
        officer: &Officer,
        documents: &[Uuid],
    ) -> Result<Vec<u8>, CargoError> {
        let chosen: Vec<Uuid> = documents.iter().copied().take(BATCH_LIMIT).collect();
        let cards = self.app.store.cards(officer.authority, &chosen).await?;
        if cards.is_empty() {
            return Err(CargoError::NothingChosen);
        }
        let now = self.app.clock.now();
        let mut to_print = Vec::with_capacity(cards.len());
        for card in &cards {
            let content: CardContent = serde_json::from_value(card.card.clone())
                .map_err(|e| CargoError::Render(format!("card {}: {e}", card.number)))?;
            let photo = match &content.photo_key {
                Some(key) => Some(self.app.files.get_bytes(key).await?.to_vec()),
                None => None,
            };
            to_print.push(content.to_print(photo, now));
        }
        tokio::task::spawn_blocking(move || izin_print::render_cards(&to_print))
            .await
            .map_err(|e| CargoError::Render(e.to_string()))?
            .map_err(|e| CargoError::Render(e.to_string()))
    }

    /// Marks the chosen cards printed and hands each printed one to the carrier. A failure to
    /// hand one over leaves it printed in the queue, to hand over again.
    pub async fn print_and_ship(
        &self,
        officer: &Officer,
        documents: &[Uuid],
        client: &ClientInfo,
    ) -> Result<HandOver, CargoError> {
        let now = self.app.clock.now();
        let marked = self
            .app
            .store
            .mark_printed(officer.authority, documents, officer.id, now)
            .await?;
        if !marked.is_empty() {
            self.app
                .store
                .append_audit(
                    NewAuditEntry::new(
                        now,
                        Actor::Officer(officer.id),
                        AuditAction::CardsPrinted,
                        client,
                    )
                    .subject(format!("officer:{}", officer.id))
                    .detail("cards", marked.len().to_string()),
                )
                .await?;
        }
        let cards = self.app.store.cards(officer.authority, documents).await?;
        let mut hand_over = HandOver::default();
        for card in cards
            .iter()
            .filter(|c| c.printed_at.is_some() || marked.contains(&c.document_id))
        {
            let already = self
                .app
                .store
                .shipments_of_application(card.application_id)
                .await?;
            if already.iter().any(|s| s.document_id == card.document_id) {
                continue;
            }
            let Some(address) = card
                .delivery_address
                .clone()
                .filter(|a| !a.trim().is_empty())
            else {
                hand_over
                    .failed
                    .push((card.document_id, "no delivery address".into()));
                continue;
            };
            match self.ship(officer, card, address, None, client).await {
                Ok(tracking) => hand_over.shipped.push((card.document_id, tracking)),
                Err(e) => hand_over.failed.push((card.document_id, e.to_string())),
            }
        }
        Ok(hand_over)
    }

    /// Sends a returned card again, to `address`.
    pub async fn reship(
        &self,
        officer: &Officer,
        shipment: Uuid,
        address: &str,
        client: &ClientInfo,
    ) -> Result<TrackingNumber, CargoError> {
        let address = address.trim();
        if address.is_empty() {
            return Err(CargoError::AddressRequired);
        }
        let Some(returned) = self.app.store.shipment(shipment).await? else {
            return Err(CargoError::NotReshippable);
        };
        if returned.status != ShipmentStatus::Returned || returned.reshipped_as.is_some() {
            return Err(CargoError::NotReshippable);
        }
        let card = self
            .app
            .store
            .cards(officer.authority, &[returned.document_id])
            .await?
            .into_iter()
            .next()
            .ok_or(CargoError::NotReshippable)?;
        self.ship(officer, &card, address.to_owned(), Some(shipment), client)
            .await
    }

    async fn ship(
        &self,
        officer: &Officer,
        card: &CardToPrint,
        address: String,
        reships: Option<Uuid>,
        client: &ClientInfo,
    ) -> Result<TrackingNumber, CargoError> {
        let id = Uuid::now_v7();
        let tracking = self
            .app
            .carrier
            .ship(&ShipmentRequest {
                shipment: id,
                recipient: card.holder.clone(),
                address: address.clone(),
            })
            .await?;
        let now = self.app.clock.now();
        let outcome = self
            .app
            .store
            .create_shipment(
                officer.authority,
                NewShipment {
                    id,
                    document_id: card.document_id,
                    tracking_number: tracking.clone(),
                    address,
                    now,
                    officer: officer.id,
                    reships,
                    audit: NewAuditEntry::new(
                        now,
                        Actor::Officer(officer.id),
                        AuditAction::CardShipped,
                        client,
                    )
                    .subject(format!("application:{}", card.application_id))
                    .detail("tracking_number", tracking.as_str())
                    .detail("reshipment", reships.is_some().to_string()),
                },
            )
            .await?;
        match outcome {
            ShipmentOutcome::Created => Ok(tracking),
            ShipmentOutcome::Refused => Err(CargoError::NotReshippable),
        }
    }

    /// A carrier's signed status report (`POST /api/v1/cargo/notifications`).
    pub async fn notification(
        &self,
        secret: &NotificationSecret,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        client: &ClientInfo,
    ) -> Result<ReportOutcome, CargoNotificationError> {
        let now = self.app.clock.now();
        if let Err(refusal) = secret.verify(timestamp, signature, body, now) {
            metrics::counter!("izin_cargo_notifications_refused_total", "reason" => refusal.code())
                .increment(1);
            tracing::warn!(reason = refusal.code(), ip = ?client.ip, "cargo notification refused");
            self.app
                .store
                .append_audit(
                    NewAuditEntry::new(
                        now,
                        Actor::Anonymous,
                        AuditAction::CargoNotificationRefused,
                        client,
                    )
                    .detail("reason", refusal.code()),
                )
                .await?;
            return Err(refusal.into());
        }
        let notification: CargoNotification = serde_json::from_slice(body)
            .map_err(|e| CargoNotificationError::Body(e.to_string()))?;
        let report = notification.read(now)?;
        let outcome = self
            .app
            .store
            .record_cargo_report(report, &self.mail())
            .await?;
        if matches!(outcome, ReportOutcome::Applied(ref s) if s.status.is_announced()) {
            self.app.mail_queued.notify_one();
        }
        Ok(outcome)
    }

    /// The holder's shipments of `application` (another's: none), newest first.
    pub async fn shipments_of(
        &self,
        owner: Uuid,
        application: Uuid,
    ) -> Result<Vec<ShipmentRecord>, StoreError> {
        if self
            .app
            .store
            .application(Some(owner), application)
            .await?
            .is_none()
        {
            return Ok(Vec::new());
        }
        self.app.store.shipments_of_application(application).await
    }

    fn mail(&self) -> ShipmentMail {
        let texts = self.app.texts.clone();
        let base_url = self.app.proof.base_url.clone();
        ShipmentMail::new(move |context| {
            let shipment = context.shipment;
            let key = match shipment.status {
                ShipmentStatus::OutForDelivery => "out-for-delivery",
                ShipmentStatus::Returned => "returned",
                _ => return None,
            };
            let language: Language = context.user.language;
            let args = [
                (
                    "tracking",
                    Value::from(shipment.tracking_number.to_string()),
                ),
                ("number", Value::from(shipment.number.to_string())),
                ("address", Value::from(shipment.address.clone())),
                (
                    "link",
                    Value::from(format!(
                        "{base_url}/applications/{}",
                        shipment.application_id
                    )),
                ),
            ];
            Some(NewMail {
                kind: format!("card-{key}"),
                recipient: context.user.email.clone(),
                language,
                subject: texts.format(language, &format!("card-mail-{key}-subject"), &args),
                body_text: texts.format(language, &format!("card-mail-{key}-body"), &args),
                body_html: None,
                not_after: None,
            })
        })
    }
}
