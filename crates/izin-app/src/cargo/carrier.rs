//! The cargo port: handing a printed card to the carrier, which answers a tracking number and
//! later reports statuses to `POST /api/v1/cargo/notifications`. [`SimulatedPtt`] plays PTT
//! Cargo: it draws tracking numbers from a database counter, so every instance draws distinct
//! ones; its reports come from `/dev/cargo` (development and demo mode only).

use async_trait::async_trait;
use izin_domain::cargo::TrackingNumber;
use izin_store::Store;
use std::sync::Arc;
use uuid::Uuid;

/// A card to carry.
#[derive(Debug, Clone)]
pub struct ShipmentRequest {
    pub shipment: Uuid,
    pub recipient: String,
    pub address: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CarrierError {
    #[error("the carrier cannot be reached: {0}")]
    Unavailable(String),
    #[error("the carrier refused the shipment: {0}")]
    Refused(String),
}

#[async_trait]
pub trait Carrier: Send + Sync + 'static {
    /// Hands the card over; the tracking number the carrier gives it.
    async fn ship(&self, request: &ShipmentRequest) -> Result<TrackingNumber, CarrierError>;
    fn describe(&self) -> &'static str;
}

/// PTT Cargo, simulated.
pub struct SimulatedPtt {
    store: Arc<dyn Store>,
}

impl SimulatedPtt {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

#[async_trait]
impl Carrier for SimulatedPtt {
    async fn ship(&self, request: &ShipmentRequest) -> Result<TrackingNumber, CarrierError> {
        if request.address.trim().is_empty() {
            return Err(CarrierError::Refused("no delivery address".into()));
        }
        let serial = self
            .store
            .draw_cargo_serial()
            .await
            .map_err(|e| CarrierError::Unavailable(e.to_string()))?;
        // "KP" is PTT's domestic parcel service; the serial wraps within S10's eight digits.
        TrackingNumber::new("KP", serial % 100_000_000)
            .map_err(|e| CarrierError::Refused(e.to_string()))
    }

    fn describe(&self) -> &'static str {
        "PTT Cargo (simulated)"
    }
}
