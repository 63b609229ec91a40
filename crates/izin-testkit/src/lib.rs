//! Test support shared by every crate's tests: a throw-away PostgreSQL (or the one named by
//! `IZIN_TEST_DATABASE_URL`), one fresh schema per test, and the rule that a missing tool is
//! reported loudly — and is fatal when `IZIN_REQUIRE_ALL=1`, as in CI.

pub mod pg_cluster;

use std::sync::OnceLock;

/// Whether every test must run (CI): missing tools then fail instead of skipping.
pub fn require_all() -> bool {
    std::env::var("IZIN_REQUIRE_ALL").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Reports that a test cannot run here. Panics under `IZIN_REQUIRE_ALL=1`.
pub fn missing(test_needs: &str, why: &str) {
    let message = format!("{test_needs} is not available: {why}");
    if require_all() {
        panic!("IZIN_REQUIRE_ALL=1 and {message}");
    }
    eprintln!("\n*** SKIPPED: {message}\n*** (set IZIN_REQUIRE_ALL=1 to make this an error)\n");
}

/// A PostgreSQL schema of its own for one test; dropped when this is dropped.
pub struct PgDatabase {
    /// Connects to the test's schema (its `search_path`).
    pub url: String,
    admin_url: String,
    schema: String,
}

/// The server every test's schema lives on, started once per machine if needed.
fn admin_url() -> Result<String, String> {
    static ADMIN: OnceLock<Result<String, String>> = OnceLock::new();
    ADMIN
        .get_or_init(|| match std::env::var("IZIN_TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Ok(url),
            _ => pg_cluster::ensure_running().map(|cluster| cluster.url()),
        })
        .clone()
}

/// A fresh schema on the test PostgreSQL, or `None` (reported) when there is none.
pub async fn postgres() -> Option<PgDatabase> {
    let admin_url = match tokio::task::spawn_blocking(admin_url).await {
        Ok(Ok(url)) => url,
        Ok(Err(why)) => {
            missing("PostgreSQL", &why);
            return None;
        }
        Err(e) => panic!("starting PostgreSQL panicked: {e}"),
    };
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let (client, connection) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL at {admin_url}: {e}"));
    let task = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap_or_else(|e| panic!("cannot create a test schema: {e}"));
    drop(client);
    let _ = task.await;
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
    Some(PgDatabase {
        url,
        admin_url,
        schema,
    })
}

impl PgDatabase {
    /// Runs SQL on the test's schema (for tests that must look under the storage layer).
    pub async fn execute(&self, sql: &str) -> Result<u64, tokio_postgres::Error> {
        let (client, connection) =
            tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await?;
        let task = tokio::spawn(connection);
        let result = client.execute(sql, &[]).await;
        drop(client);
        let _ = task.await;
        result
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if std::env::var_os("IZIN_TEST_KEEP_DB").is_some() {
            eprintln!("keeping test schema {} ({})", self.schema, self.url);
            return;
        }
        let admin_url = self.admin_url.clone();
        let schema = self.schema.clone();
        // Drop may run inside a runtime, which cannot block on another; use a thread of its own.
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let (client, connection) =
                    tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
                        .await
                        .ok()?;
                let task = tokio::spawn(connection);
                let _ = client
                    .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .await;
                drop(client);
                let _ = task.await;
                Some(())
            })
        });
        let _ = dropper.join();
    }
}
