//! A storage failure as the layers above storage see it: its detail goes to the log, and the
//! person is told only whether to try again shortly (the database is unavailable) or that
//! something went wrong on our side.

use izin_store::StoreError;

/// The database failed a service call; nothing was changed.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct StorageFailure(#[from] StoreError);

impl StorageFailure {
    /// The database could not be reached: trying again later may work (503, not 500).
    pub fn is_unavailable(&self) -> bool {
        matches!(self.0, StoreError::Unavailable(_))
    }
}

/// `From<StoreError>` for service errors that hold a [`StorageFailure`] in their `Store`
/// variant, so that `?` works on storage calls inside the services.
macro_rules! storage_failure_converts {
    ($($error:ty),* $(,)?) => {
        $(
            impl From<izin_store::StoreError> for $error {
                fn from(error: izin_store::StoreError) -> Self {
                    Self::Store($crate::StorageFailure::from(error))
                }
            }
        )*
    };
}
pub(crate) use storage_failure_converts;
