//! Cards and their cargo as storage keeps them (seed §4.8): the print queue (produced documents
//! with a card, not yet printed), the shipments handed to the carrier, and every status report
//! the carrier sent — each stored once, applied only when it moves the shipment on, with the
//! holder's mail queued in the same transaction.

use crate::StoreError;
use crate::model::{NewAuditEntry, NewMail, User};
use async_trait::async_trait;
use izin_domain::cargo::{ShipmentStatus, TrackingNumber};
use izin_domain::officer::Authority;
use izin_domain::proof::number::DocumentNumber;
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

/// A produced document whose card waits to be printed (or, printed, to be handed over).
#[derive(Debug, Clone, PartialEq)]
pub struct CardToPrint {
    pub document_id: Uuid,
    pub application_id: Uuid,
    pub number: DocumentNumber,
    pub holder: String,
    /// Where the card goes, as the application gave it.
    pub delivery_address: Option<String>,
    /// What the card prints, as production fixed it.
    pub card: serde_json::Value,
    pub produced_at: OffsetDateTime,
    pub printed_at: Option<OffsetDateTime>,
}

/// A card handed to the carrier.
#[derive(Debug, Clone)]
pub struct NewShipment {
    pub id: Uuid,
    pub document_id: Uuid,
    pub tracking_number: TrackingNumber,
    pub address: String,
    pub now: OffsetDateTime,
    pub officer: Uuid,
    /// The returned shipment this one sends again.
    pub reships: Option<Uuid>,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentRecord {
    pub id: Uuid,
    pub document_id: Uuid,
    pub application_id: Uuid,
    pub number: DocumentNumber,
    pub tracking_number: TrackingNumber,
    pub address: String,
    pub status: ShipmentStatus,
    pub status_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub reshipped_as: Option<Uuid>,
}

/// A status the carrier reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoReport {
    /// The carrier's id of the report: a replay is recognised by it.
    pub notification_id: String,
    pub tracking_number: TrackingNumber,
    pub status: ShipmentStatus,
    /// When it happened, as the carrier says.
    pub at: OffsetDateTime,
    pub received_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportOutcome {
    /// The shipment moved on (and the holder's mail, if the status is announced, is queued).
    Applied(ShipmentRecord),
    /// Kept as history; the shipment already stood further on (a report out of order).
    Stale(ShipmentRecord),
    /// This report was stored before.
    Duplicate,
    /// No shipment has this tracking number.
    UnknownTracking,
}

/// What the holder is told when their card is out for delivery or returned.
pub struct ShipmentMailContext<'a> {
    pub user: &'a User,
    pub shipment: &'a ShipmentRecord,
}

type WriteShipmentMail = dyn Fn(&ShipmentMailContext<'_>) -> Option<NewMail> + Send + Sync;

/// Writes the holder's mail about a shipment, inside the transaction that moves it.
#[derive(Clone)]
pub struct ShipmentMail(Arc<WriteShipmentMail>);

impl ShipmentMail {
    pub fn new(
        write: impl Fn(&ShipmentMailContext<'_>) -> Option<NewMail> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(write))
    }

    pub fn write(&self, context: &ShipmentMailContext<'_>) -> Option<NewMail> {
        (self.0)(context)
    }
}

impl std::fmt::Debug for ShipmentMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShipmentMail(..)")
    }
}

/// Whether the shipment could be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentOutcome {
    Created,
    /// The document is not of the officer's authority, has no card, or the returned shipment
    /// was re-shipped already.
    Refused,
}

#[async_trait]
pub trait CargoStore: Send + Sync + 'static {
    /// The authority's produced cards not yet handed to the carrier, oldest first: those not
    /// printed, then those printed whose hand-over failed.
    async fn cards_to_print(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<CardToPrint>, StoreError>;

    /// These documents' cards, those of the authority only.
    async fn cards(
        &self,
        authority: Authority,
        documents: &[Uuid],
    ) -> Result<Vec<CardToPrint>, StoreError>;

    /// Marks the cards printed (those of the authority, not printed before); answers those it
    /// marked.
    async fn mark_printed(
        &self,
        authority: Authority,
        documents: &[Uuid],
        officer: Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>, StoreError>;

    /// Records a card handed to the carrier (and, for a re-shipment, links the returned one).
    async fn create_shipment(
        &self,
        authority: Authority,
        shipment: NewShipment,
    ) -> Result<ShipmentOutcome, StoreError>;

    /// Stores a carrier's report once and applies it if it moves the shipment on.
    async fn record_cargo_report(
        &self,
        report: CargoReport,
        mail: &ShipmentMail,
    ) -> Result<ReportOutcome, StoreError>;

    /// The shipments of the cards `application`'s approval issued, newest first.
    async fn shipments_of_application(
        &self,
        application: Uuid,
    ) -> Result<Vec<ShipmentRecord>, StoreError>;

    /// The authority's shipments the carrier returned and nobody re-shipped yet.
    async fn returned_shipments(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<ShipmentRecord>, StoreError>;

    /// Shipments still on their way (for the demo carrier's page).
    async fn open_shipments(&self, limit: u32) -> Result<Vec<ShipmentRecord>, StoreError>;

    /// One shipment by id.
    async fn shipment(&self, id: Uuid) -> Result<Option<ShipmentRecord>, StoreError>;

    /// The simulated carrier's next serial for tracking numbers.
    async fn draw_cargo_serial(&self) -> Result<u32, StoreError>;
}

pub(crate) fn tracking_of(stored: &str) -> Result<TrackingNumber, StoreError> {
    TrackingNumber::parse(stored)
        .map_err(|_| StoreError::Corrupt(format!("tracking number {stored:?}")))
}

pub(crate) fn shipment_status_of(stored: &str) -> Result<ShipmentStatus, StoreError> {
    ShipmentStatus::parse(stored)
        .ok_or_else(|| StoreError::Corrupt(format!("shipment status {stored:?}")))
}
