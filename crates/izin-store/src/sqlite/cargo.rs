//! Cards and cargo on SQLite.

use super::outbox::enqueue_tx;
use super::payments::user_of;
use super::{SqliteStore, append_audit_tx, from_micros, micros, opt_from_micros};
use crate::StoreError;
use crate::cargo::*;
use crate::proof_documents::number_of;
use async_trait::async_trait;
use izin_domain::officer::Authority;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use time::OffsetDateTime;
use uuid::Uuid;

const CARD_COLUMNS: &str = "d.id, d.application_id, d.number,
    COALESCE(json_extract(d.shown, '$.holder'), ''), d.delivery_address, COALESCE(d.card, 'null'),
    d.produced_at, d.printed_at";

fn card_from_row(row: &Row<'_>) -> Result<CardToPrint, StoreError> {
    let number: String = row.get(2)?;
    let card: String = row.get(5)?;
    Ok(CardToPrint {
        document_id: row.get(0)?,
        application_id: row.get(1)?,
        number: number_of(&number)?,
        holder: row.get(3)?,
        delivery_address: row.get(4)?,
        card: serde_json::from_str(&card)?,
        produced_at: from_micros(row.get(6)?)?,
        printed_at: opt_from_micros(row.get(7)?)?,
    })
}

const SHIPMENT_COLUMNS: &str = "s.id, s.document_id, d.application_id, d.number, s.tracking_number,
    s.address, s.status, s.status_at, s.created_at, s.reshipped_as";

fn shipment_from_row(row: &Row<'_>) -> Result<ShipmentRecord, StoreError> {
    let number: String = row.get(3)?;
    let tracking: String = row.get(4)?;
    let status: String = row.get(6)?;
    Ok(ShipmentRecord {
        id: row.get(0)?,
        document_id: row.get(1)?,
        application_id: row.get(2)?,
        number: number_of(&number)?,
        tracking_number: tracking_of(&tracking)?,
        address: row.get(5)?,
        status: shipment_status_of(&status)?,
        status_at: from_micros(row.get(7)?)?,
        created_at: from_micros(row.get(8)?)?,
        reshipped_as: row.get(9)?,
    })
}

fn shipments_where(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<ShipmentRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SHIPMENT_COLUMNS} FROM shipments s
           JOIN proof_documents d ON d.id = s.document_id
           JOIN applications a ON a.id = d.application_id
          WHERE {condition}"
    ))?;
    let mut rows = stmt.query(params)?;
    let mut shipments = Vec::new();
    while let Some(row) = rows.next()? {
        shipments.push(shipment_from_row(row)?);
    }
    Ok(shipments)
}

fn cards_where(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<CardToPrint>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CARD_COLUMNS} FROM proof_documents d
           JOIN applications a ON a.id = d.application_id
          WHERE {condition}"
    ))?;
    let mut rows = stmt.query(params)?;
    let mut cards = Vec::new();
    while let Some(row) = rows.next()? {
        cards.push(card_from_row(row)?);
    }
    Ok(cards)
}

/// `?2, ?3, …` for `count` ids after the first parameter.
fn id_list(count: usize) -> String {
    (0..count)
        .map(|i| format!("?{}", i + 2))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait]
impl CargoStore for SqliteStore {
    async fn cards_to_print(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<CardToPrint>, StoreError> {
        self.read(move |conn| {
            cards_where(
                conn,
                "d.with_card = 1 AND d.produced_at IS NOT NULL AND a.authority = ?1
                   AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.document_id = d.id)
                 ORDER BY d.printed_at IS NOT NULL, d.printed_at, d.produced_at, d.id LIMIT ?2",
                params![authority.code(), limit],
            )
        })
        .await
    }

    async fn cards(
        &self,
        authority: Authority,
        documents: &[Uuid],
    ) -> Result<Vec<CardToPrint>, StoreError> {
        if documents.is_empty() {
            return Ok(Vec::new());
        }
        let documents = documents.to_vec();
        self.read(move |conn| {
            let condition = format!(
                "d.id IN ({}) AND d.with_card = 1 AND d.produced_at IS NOT NULL
                   AND a.authority = ?1 ORDER BY d.produced_at, d.id",
                id_list(documents.len())
            );
            let mut values: Vec<rusqlite::types::Value> = vec![authority.code().to_owned().into()];
            values.extend(documents.iter().map(|id| id.as_bytes().to_vec().into()));
            cards_where(conn, &condition, params_from_iter(values))
        })
        .await
    }

    async fn mark_printed(
        &self,
        authority: Authority,
        documents: &[Uuid],
        officer: Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>, StoreError> {
        let documents = documents.to_vec();
        self.write(move |tx| {
            let mut marked = Vec::new();
            let mut stmt = tx.prepare_cached(
                "UPDATE proof_documents SET printed_at = ?3, printed_by = ?4
                  WHERE id = ?2 AND with_card = 1 AND produced_at IS NOT NULL
                    AND printed_at IS NULL
                    AND (SELECT authority FROM applications a
                          WHERE a.id = proof_documents.application_id) = ?1",
            )?;
            for id in documents {
                if stmt.execute(params![authority.code(), id, micros(now), officer])? == 1 {
                    marked.push(id);
                }
            }
            Ok(marked)
        })
        .await
    }

    async fn create_shipment(
        &self,
        authority: Authority,
        s: NewShipment,
    ) -> Result<ShipmentOutcome, StoreError> {
        self.write(move |tx| {
            let card: Option<i64> = tx
                .prepare_cached(
                    "SELECT 1 FROM proof_documents d JOIN applications a ON a.id = d.application_id
                      WHERE d.id = ?1 AND a.authority = ?2 AND d.with_card = 1
                        AND d.printed_at IS NOT NULL",
                )?
                .query_row(params![s.document_id, authority.code()], |row| row.get(0))
                .optional()?;
            if card.is_none() {
                return Ok(ShipmentOutcome::Refused);
            }
            if let Some(returned) = s.reships {
                let open: Option<i64> = tx
                    .prepare_cached(
                        "SELECT 1 FROM shipments WHERE id = ?1 AND document_id = ?2
                            AND status = 'returned_to_sender' AND reshipped_as IS NULL",
                    )?
                    .query_row(params![returned, s.document_id], |row| row.get(0))
                    .optional()?;
                if open.is_none() {
                    return Ok(ShipmentOutcome::Refused);
                }
            }
            tx.prepare_cached(
                "INSERT INTO shipments (id, document_id, tracking_number, address, status,
                                        status_at, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, 'created', ?5, ?5, ?6)",
            )?
            .execute(params![
                s.id,
                s.document_id,
                s.tracking_number.as_str(),
                s.address,
                micros(s.now),
                s.officer
            ])?;
            if let Some(returned) = s.reships {
                tx.prepare_cached("UPDATE shipments SET reshipped_as = ?2 WHERE id = ?1")?
                    .execute(params![returned, s.id])?;
            }
            append_audit_tx(tx, &s.audit)?;
            Ok(ShipmentOutcome::Created)
        })
        .await
    }

    async fn record_cargo_report(
        &self,
        report: CargoReport,
        mail: &ShipmentMail,
    ) -> Result<ReportOutcome, StoreError> {
        let mail = mail.clone();
        self.write(move |tx| {
            let Some(mut shipment) = shipments_where(
                tx,
                "s.tracking_number = ?1",
                params![report.tracking_number.as_str()],
            )?
            .into_iter()
            .next() else {
                return Ok(ReportOutcome::UnknownTracking);
            };
            let applies = report.status.follows(shipment.status);
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO shipment_events (notification_id, shipment_id, status, at,
                                                  received_at, applied)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    report.notification_id,
                    shipment.id,
                    report.status.code(),
                    micros(report.at),
                    micros(report.received_at),
                    applies
                ])?;
            if inserted == 0 {
                return Ok(ReportOutcome::Duplicate);
            }
            if !applies {
                return Ok(ReportOutcome::Stale(shipment));
            }
            tx.prepare_cached("UPDATE shipments SET status = ?2, status_at = ?3 WHERE id = ?1")?
                .execute(params![
                    shipment.id,
                    report.status.code(),
                    micros(report.at)
                ])?;
            shipment.status = report.status;
            shipment.status_at = report.at;
            if report.status.is_announced() {
                let owner: Uuid = tx
                    .prepare_cached("SELECT user_id FROM applications WHERE id = ?1")?
                    .query_row(params![shipment.application_id], |row| row.get(0))?;
                let user = user_of(tx, owner)?;
                if let Some(mail) = mail.write(&ShipmentMailContext {
                    user: &user,
                    shipment: &shipment,
                }) {
                    enqueue_tx(tx, &mail, report.received_at)?;
                }
            }
            Ok(ReportOutcome::Applied(shipment))
        })
        .await
    }

    async fn shipments_of_application(
        &self,
        application: Uuid,
    ) -> Result<Vec<ShipmentRecord>, StoreError> {
        self.read(move |conn| {
            shipments_where(
                conn,
                "d.application_id = ?1 ORDER BY s.created_at DESC, s.id",
                params![application],
            )
        })
        .await
    }

    async fn returned_shipments(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<ShipmentRecord>, StoreError> {
        self.read(move |conn| {
            shipments_where(
                conn,
                "s.status = 'returned_to_sender' AND s.reshipped_as IS NULL AND a.authority = ?1
                 ORDER BY s.status_at, s.id LIMIT ?2",
                params![authority.code(), limit],
            )
        })
        .await
    }

    async fn open_shipments(&self, limit: u32) -> Result<Vec<ShipmentRecord>, StoreError> {
        self.read(move |conn| {
            shipments_where(
                conn,
                "s.status NOT IN ('delivered', 'returned_to_sender')
                 ORDER BY s.created_at, s.id LIMIT ?1",
                params![limit],
            )
        })
        .await
    }

    async fn shipment(&self, id: Uuid) -> Result<Option<ShipmentRecord>, StoreError> {
        self.read(move |conn| {
            Ok(shipments_where(conn, "s.id = ?1", params![id])?
                .into_iter()
                .next())
        })
        .await
    }

    async fn draw_cargo_serial(&self) -> Result<u32, StoreError> {
        self.write(|tx| {
            let serial: i64 = tx
                .prepare_cached(
                    "UPDATE counters SET value = value + 1 WHERE name = 'cargo_serial'
                     RETURNING value",
                )?
                .query_row([], |row| row.get(0))?;
            u32::try_from(serial).map_err(|_| StoreError::Corrupt(format!("cargo serial {serial}")))
        })
        .await
    }
}
