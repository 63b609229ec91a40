//! Cards and cargo on PostgreSQL.

use super::PostgresStore;
use super::outbox::enqueue_tx;
use super::payments::user_of;
use crate::StoreError;
use crate::cargo::*;
use crate::model::NewAuditEntry;
use crate::proof_documents::number_of;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::officer::Authority;
use time::OffsetDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

const CARD_COLUMNS: &str = "d.id, d.application_id, d.number, COALESCE(d.shown->>'holder', ''),
    d.delivery_address, COALESCE(d.card, 'null'::jsonb), d.produced_at, d.printed_at";

fn card_from_row(row: &Row) -> Result<CardToPrint, StoreError> {
    Ok(CardToPrint {
        document_id: row.try_get(0)?,
        application_id: row.try_get(1)?,
        number: number_of(row.try_get(2)?)?,
        holder: row.try_get(3)?,
        delivery_address: row.try_get(4)?,
        card: row.try_get(5)?,
        produced_at: row.try_get(6)?,
        printed_at: row.try_get(7)?,
    })
}

const SHIPMENT_COLUMNS: &str = "s.id, s.document_id, d.application_id, d.number, s.tracking_number,
    s.address, s.status, s.status_at, s.created_at, s.reshipped_as";

fn shipment_from_row(row: &Row) -> Result<ShipmentRecord, StoreError> {
    Ok(ShipmentRecord {
        id: row.try_get(0)?,
        document_id: row.try_get(1)?,
        application_id: row.try_get(2)?,
        number: number_of(row.try_get(3)?)?,
        tracking_number: tracking_of(row.try_get(4)?)?,
        address: row.try_get(5)?,
        status: shipment_status_of(row.try_get(6)?)?,
        status_at: row.try_get(7)?,
        created_at: row.try_get(8)?,
        reshipped_as: row.try_get(9)?,
    })
}

async fn shipments_where(
    client: &impl GenericClient,
    condition: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<ShipmentRecord>, StoreError> {
    let stmt = client
        .prepare_cached(&format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments s
               JOIN proof_documents d ON d.id = s.document_id
               JOIN applications a ON a.id = d.application_id
              WHERE {condition}"
        ))
        .await?;
    client
        .query(&stmt, params)
        .await?
        .iter()
        .map(shipment_from_row)
        .collect()
}

async fn append_audit(
    client: &impl GenericClient,
    entry: &NewAuditEntry,
) -> Result<(), StoreError> {
    super::append_audit_tx(client, entry).await?;
    Ok(())
}

#[async_trait]
impl CargoStore for PostgresStore {
    async fn cards_to_print(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<CardToPrint>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {CARD_COLUMNS} FROM proof_documents d
                   JOIN applications a ON a.id = d.application_id
                  WHERE d.with_card AND d.produced_at IS NOT NULL AND a.authority = $1
                    AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.document_id = d.id)
                  ORDER BY d.printed_at NULLS FIRST, d.produced_at, d.id
                  LIMIT $2"
            ))
            .await?;
        client
            .query(&stmt, &[&authority.code(), &i64::from(limit)])
            .await?
            .iter()
            .map(card_from_row)
            .collect()
    }

    async fn cards(
        &self,
        authority: Authority,
        documents: &[Uuid],
    ) -> Result<Vec<CardToPrint>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {CARD_COLUMNS} FROM proof_documents d
                   JOIN applications a ON a.id = d.application_id
                  WHERE d.id = ANY($2) AND d.with_card AND d.produced_at IS NOT NULL
                    AND a.authority = $1
                  ORDER BY d.produced_at, d.id"
            ))
            .await?;
        client
            .query(&stmt, &[&authority.code(), &documents])
            .await?
            .iter()
            .map(card_from_row)
            .collect()
    }

    async fn mark_printed(
        &self,
        authority: Authority,
        documents: &[Uuid],
        officer: Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE proof_documents d SET printed_at = $3, printed_by = $4
                   FROM applications a
                  WHERE a.id = d.application_id AND a.authority = $1 AND d.id = ANY($2)
                    AND d.with_card AND d.produced_at IS NOT NULL AND d.printed_at IS NULL
                  RETURNING d.id",
            )
            .await?;
        client
            .query(&stmt, &[&authority.code(), &documents, &now, &officer])
            .await?
            .iter()
            .map(|row| Ok(row.try_get(0)?))
            .collect()
    }

    async fn create_shipment(
        &self,
        authority: Authority,
        s: NewShipment,
    ) -> Result<ShipmentOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let card = tx
            .query_opt(
                "SELECT 1 FROM proof_documents d JOIN applications a ON a.id = d.application_id
                  WHERE d.id = $1 AND a.authority = $2 AND d.with_card AND d.printed_at IS NOT NULL
                  FOR UPDATE OF d",
                &[&s.document_id, &authority.code()],
            )
            .await?;
        if card.is_none() {
            return Ok(ShipmentOutcome::Refused);
        }
        tx.execute(
            "INSERT INTO shipments (id, document_id, tracking_number, address, status, status_at,
                                    created_at, created_by)
             VALUES ($1, $2, $3, $4, 'created', $5, $5, $6)",
            &[
                &s.id,
                &s.document_id,
                &s.tracking_number.as_str(),
                &s.address,
                &s.now,
                &s.officer,
            ],
        )
        .await?;
        if let Some(returned) = s.reships {
            let linked = tx
                .execute(
                    "UPDATE shipments SET reshipped_as = $2
                      WHERE id = $1 AND document_id = $3 AND status = 'returned_to_sender'
                        AND reshipped_as IS NULL",
                    &[&returned, &s.id, &s.document_id],
                )
                .await?;
            if linked != 1 {
                return Ok(ShipmentOutcome::Refused);
            }
        }
        append_audit(&tx, &s.audit).await?;
        tx.commit().await?;
        Ok(ShipmentOutcome::Created)
    }

    async fn record_cargo_report(
        &self,
        report: CargoReport,
        mail: &ShipmentMail,
    ) -> Result<ReportOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let shipment = shipments_where(
            &tx,
            "s.tracking_number = $1 FOR UPDATE OF s",
            &[&report.tracking_number.as_str()],
        )
        .await?
        .into_iter()
        .next();
        let Some(mut shipment) = shipment else {
            return Ok(ReportOutcome::UnknownTracking);
        };
        let applies = report.status.follows(shipment.status);
        let inserted = tx
            .execute(
                "INSERT INTO shipment_events (notification_id, shipment_id, status, at,
                                              received_at, applied)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &report.notification_id,
                    &shipment.id,
                    &report.status.code(),
                    &report.at,
                    &report.received_at,
                    &applies,
                ],
            )
            .await?;
        if inserted == 0 {
            return Ok(ReportOutcome::Duplicate);
        }
        if !applies {
            tx.commit().await?;
            return Ok(ReportOutcome::Stale(shipment));
        }
        tx.execute(
            "UPDATE shipments SET status = $2, status_at = $3 WHERE id = $1",
            &[&shipment.id, &report.status.code(), &report.at],
        )
        .await?;
        shipment.status = report.status;
        shipment.status_at = report.at;
        if report.status.is_announced() {
            let owner: Uuid = tx
                .query_one(
                    "SELECT user_id FROM applications WHERE id = $1",
                    &[&shipment.application_id],
                )
                .await?
                .try_get(0)?;
            let user = user_of(&tx, owner).await?;
            if let Some(mail) = mail.write(&ShipmentMailContext {
                user: &user,
                shipment: &shipment,
            }) {
                enqueue_tx(&tx, &mail, report.received_at).await?;
            }
        }
        tx.commit().await?;
        Ok(ReportOutcome::Applied(shipment))
    }

    async fn shipments_of_application(
        &self,
        application: Uuid,
    ) -> Result<Vec<ShipmentRecord>, StoreError> {
        let client = self.client().await?;
        shipments_where(
            &client,
            "d.application_id = $1 ORDER BY s.created_at DESC, s.id",
            &[&application],
        )
        .await
    }

    async fn returned_shipments(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<ShipmentRecord>, StoreError> {
        let client = self.client().await?;
        shipments_where(
            &client,
            "s.status = 'returned_to_sender' AND s.reshipped_as IS NULL AND a.authority = $1
             ORDER BY s.status_at, s.id LIMIT $2",
            &[&authority.code(), &i64::from(limit)],
        )
        .await
    }

    async fn open_shipments(&self, limit: u32) -> Result<Vec<ShipmentRecord>, StoreError> {
        let client = self.client().await?;
        shipments_where(
            &client,
            "s.status NOT IN ('delivered', 'returned_to_sender') ORDER BY s.created_at, s.id LIMIT $1",
            &[&i64::from(limit)],
        )
        .await
    }

    async fn shipment(&self, id: Uuid) -> Result<Option<ShipmentRecord>, StoreError> {
        let client = self.client().await?;
        Ok(shipments_where(&client, "s.id = $1", &[&id])
            .await?
            .into_iter()
            .next())
    }

    async fn draw_cargo_serial(&self) -> Result<u32, StoreError> {
        let client = self.client().await?;
        let serial: i64 = client
            .query_one("SELECT nextval('cargo_serial')", &[])
            .await?
            .try_get(0)?;
        u32::try_from(serial).map_err(|_| StoreError::Corrupt(format!("cargo serial {serial}")))
    }
}
