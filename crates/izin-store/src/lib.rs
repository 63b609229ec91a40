//! Storage for Izin: the traits the services use, and one implementation per database.
//!
//! Each trait method is one unit of work that commits or changes nothing. Rules that decide
//! (may a code be sent? is this code right?) live in `izin-domain`; both implementations call
//! them inside their transactions, so SQLite and PostgreSQL behave identically. The shared
//! contract tests in `tests/contract.rs` hold both to that.
//!
//! Times are passed in, never read from a clock here, so tests can move time.

pub mod applications;
pub mod back_office;
pub mod cargo;
mod error;
mod migrate;
pub mod model;
pub mod officers;
pub mod payments;
pub mod postgres;
pub mod proof_documents;
pub mod registry;
pub mod sqlite;
mod traits;

pub use applications::*;
pub use back_office::*;
pub use cargo::*;
pub use error::StoreError;
pub use model::*;
pub use officers::*;
pub use payments::*;
pub use proof_documents::*;
pub use registry::*;
pub use traits::*;

use std::sync::Arc;

/// Which database a URL selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite { path: std::path::PathBuf },
    Postgres { url: String },
}

impl DatabaseUrl {
    /// Accepts `sqlite://PATH`, `sqlite:PATH`, `postgres://…` and `postgresql://…`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            raw.parse::<tokio_postgres::Config>()
                .map_err(|e| format!("not a valid PostgreSQL URL: {e}"))?;
            return Ok(DatabaseUrl::Postgres {
                url: raw.to_owned(),
            });
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("an SQLite URL needs a file path, like sqlite://data/izin.db".into());
            }
            return Ok(DatabaseUrl::Sqlite { path: path.into() });
        }
        Err("expected sqlite://PATH or postgres://USER@HOST/DATABASE".into())
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite { .. } => "sqlite",
            DatabaseUrl::Postgres { .. } => "postgres",
        }
    }
}

/// Opens the database, creating it if needed, and brings its schema up to date.
pub async fn open(url: &DatabaseUrl) -> Result<Arc<dyn Store>, StoreError> {
    match url {
        DatabaseUrl::Sqlite { path } => Ok(Arc::new(sqlite::SqliteStore::open(path).await?)),
        DatabaseUrl::Postgres { url } => Ok(Arc::new(postgres::PostgresStore::connect(url).await?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/izin.db").unwrap(),
            DatabaseUrl::Sqlite {
                path: "data/izin.db".into()
            }
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:/tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite {
                path: "/tmp/x.db".into()
            }
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432/izin").unwrap(),
            DatabaseUrl::Postgres { .. }
        ));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert!(DatabaseUrl::parse("postgres://a:b:c@@/x?sslmode=nonsense").is_err());
    }
}
