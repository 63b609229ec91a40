//! Payments on postgres (not yet implemented: see `crate::payments` for the contract).
#![allow(unused_variables)]

use super::PostgresStore;
use crate::StoreError;
use crate::payments::*;
use async_trait::async_trait;
use izin_domain::officer::Authority;
use izin_domain::payment::PaymentNotice;
use izin_domain::records::ApplicationRecord;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[async_trait]
impl PaymentStore for PostgresStore {
    async fn payment_notice(&self, application: Uuid) -> Result<Option<PaymentNotice>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn record_receipt(&self, receipt: NewReceipt) -> Result<ReceiptOutcome, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn receipt(&self, id: Uuid) -> Result<Option<ReceiptRecord>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn receipts_for(&self, application: Uuid) -> Result<Vec<ReceiptRecord>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn unmatched_receipts(
        &self,
        authority: Authority,
        after: Option<ReceiptCursor>,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn open_notices(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<NoticeListing>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn overdue_notices(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn expire_notice(&self, expiry: Expiry) -> Result<ExpiryOutcome, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn reminders_due(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn send_reminder(
        &self,
        application: Uuid,
        now: OffsetDateTime,
        mail: PaymentMail,
    ) -> Result<bool, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn notices_priced_before(
        &self,
        year: i32,
        limit: u32,
    ) -> Result<Vec<(ApplicationRecord, PaymentNotice)>, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn reprice_notice(&self, repricing: Repricing) -> Result<bool, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn mark_rates_missing(&self, application: Uuid, year: i32) -> Result<bool, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn notices_missing_rates(&self) -> Result<u64, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn reinstate(
        &self,
        reinstatement: Reinstatement,
    ) -> Result<ReinstateOutcome, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn draw_foreigner_id_serial(&self) -> Result<u64, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }

    async fn foreigner_id_in_use(&self, foreigner_id: &str) -> Result<bool, StoreError> {
        Err(StoreError::Backend(
            "payments are not implemented yet".into(),
        ))
    }
}
