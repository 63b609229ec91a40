//! The simulated registries on PostgreSQL.

use super::PostgresStore;
use crate::StoreError;
use crate::registry::*;
use async_trait::async_trait;
use tokio_postgres::types::ToSql;

/// Counts `inserted` of `total` records of a table whose rows are all key.
fn counted(inserted: u64, total: usize) -> TableImport {
    TableImport {
        new: inserted,
        updated: 0,
        known: total as u64 - inserted,
    }
}

/// Inserts keyed rows, or replaces the row under a key when any value differs.
///
/// `insert` and `update` take the key as `$1` and the values after it.
async fn upsert(
    tx: &deadpool_postgres::Transaction<'_>,
    insert: &str,
    update: &str,
    rows: &[Vec<&(dyn ToSql + Sync)>],
) -> Result<TableImport, StoreError> {
    let mut report = TableImport::default();
    if rows.is_empty() {
        return Ok(report);
    }
    let insert = tx.prepare_cached(insert).await?;
    let update = tx.prepare_cached(update).await?;
    for values in rows {
        if tx.execute(&insert, values).await? > 0 {
            report.new += 1;
        } else if tx.execute(&update, values).await? > 0 {
            report.updated += 1;
        } else {
            report.known += 1;
        }
    }
    Ok(report)
}

#[async_trait]
impl RegistryStore for PostgresStore {
    async fn import_registry(
        &self,
        records: RegistryRecords,
        mode: ImportMode,
    ) -> Result<ImportReport, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let mut report = ImportReport::default();
        if mode == ImportMode::Replace {
            tx.execute(
                "DELETE FROM registry_residence_rights WHERE foreigner_id = ANY($1)",
                &[&records.foreigner_ids()],
            )
            .await?;
            let (numbers, countries): (Vec<String>, Vec<String>) =
                records.passports().into_iter().unzip();
            tx.execute(
                "DELETE FROM registry_border_crossings c
                  USING unnest($1::text[], $2::text[]) AS p(number, country)
                  WHERE c.passport_number = p.number AND c.passport_country = p.country",
                &[&numbers, &countries],
            )
            .await?;
        }

        let stmt = tx
            .prepare_cached(
                "INSERT INTO registry_residence_rights (foreigner_id, kind, valid_from, valid_until)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .await?;
        let mut inserted = 0;
        for r in &records.residence_rights {
            inserted += tx
                .execute(
                    &stmt,
                    &[&r.foreigner_id, &r.kind, &r.valid_from, &r.valid_until],
                )
                .await?;
        }
        report.residence_rights = counted(inserted, records.residence_rights.len());

        let stmt = tx
            .prepare_cached(
                "INSERT INTO registry_border_crossings
                        (passport_number, passport_country, birth_year, direction, date)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .await?;
        let mut inserted = 0;
        for c in &records.border_crossings {
            inserted += tx
                .execute(
                    &stmt,
                    &[
                        &c.passport_number,
                        &c.passport_country,
                        &c.birth_year,
                        &c.direction,
                        &c.date,
                    ],
                )
                .await?;
        }
        report.border_crossings = counted(inserted, records.border_crossings.len());

        report.consulate_references = upsert(
            &tx,
            "INSERT INTO registry_consulate_references (reference_number, passport_number, birth_year)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            "UPDATE registry_consulate_references SET passport_number = $2, birth_year = $3
              WHERE reference_number = $1 AND (passport_number, birth_year) <> ($2, $3)",
            &records
                .consulate_references
                .iter()
                .map(|c| vec![&c.reference_number as _, &c.passport_number as _, &c.birth_year as _])
                .collect::<Vec<_>>(),
        )
        .await?;
        report.addresses = upsert(
            &tx,
            "INSERT INTO registry_addresses (code, address, province, district)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            "UPDATE registry_addresses SET address = $2, province = $3, district = $4
              WHERE code = $1 AND (address, province, district) <> ($2, $3, $4)",
            &records
                .addresses
                .iter()
                .map(|a| {
                    vec![
                        &a.code as _,
                        &a.address as _,
                        &a.province as _,
                        &a.district as _,
                    ]
                })
                .collect::<Vec<_>>(),
        )
        .await?;
        report.workplaces = upsert(
            &tx,
            "INSERT INTO registry_workplaces (sgk_number, name, province, district)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            "UPDATE registry_workplaces SET name = $2, province = $3, district = $4
              WHERE sgk_number = $1 AND (name, province, district) <> ($2, $3, $4)",
            &records
                .workplaces
                .iter()
                .map(|w| {
                    vec![
                        &w.sgk_number as _,
                        &w.name as _,
                        &w.province as _,
                        &w.district as _,
                    ]
                })
                .collect::<Vec<_>>(),
        )
        .await?;
        for (registry, entries) in &records.keyed {
            let table = upsert(
                &tx,
                "INSERT INTO registry_records (key, registry, record)
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                "UPDATE registry_records SET record = $3
                  WHERE key = $1 AND registry = $2 AND record <> $3",
                &entries
                    .iter()
                    .map(|e| vec![&e.key as _, registry as _, &e.record as _])
                    .collect::<Vec<_>>(),
            )
            .await?;
            report.keyed.push((registry.clone(), table));
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn residence_rights(
        &self,
        foreigner_id: &str,
    ) -> Result<Vec<ResidenceRightRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT foreigner_id, kind, valid_from, valid_until
                   FROM registry_residence_rights
                  WHERE foreigner_id = $1
                  ORDER BY valid_from, valid_until, kind",
            )
            .await?;
        client
            .query(&stmt, &[&foreigner_id])
            .await?
            .iter()
            .map(|row| {
                Ok(ResidenceRightRecord {
                    foreigner_id: row.try_get(0)?,
                    kind: row.try_get(1)?,
                    valid_from: row.try_get(2)?,
                    valid_until: row.try_get(3)?,
                })
            })
            .collect()
    }

    async fn border_crossings(
        &self,
        passport_number: &str,
        passport_country: &str,
    ) -> Result<Vec<BorderCrossingRecord>, StoreError> {
        let client = self.client().await?;
        // `COLLATE "C"` so that entries sort before exits on one day whatever the database's
        // locale, exactly as on SQLite.
        let stmt = client
            .prepare_cached(
                "SELECT passport_number, passport_country, birth_year, direction, date
                   FROM registry_border_crossings
                  WHERE passport_number = $1 AND passport_country = $2
                  ORDER BY date, direction COLLATE \"C\", birth_year",
            )
            .await?;
        client
            .query(&stmt, &[&passport_number, &passport_country])
            .await?
            .iter()
            .map(|row| {
                Ok(BorderCrossingRecord {
                    passport_number: row.try_get(0)?,
                    passport_country: row.try_get(1)?,
                    birth_year: row.try_get(2)?,
                    direction: row.try_get(3)?,
                    date: row.try_get(4)?,
                })
            })
            .collect()
    }

    async fn consulate_reference(
        &self,
        reference_number: &str,
    ) -> Result<Option<ConsulateReferenceRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT reference_number, passport_number, birth_year
                   FROM registry_consulate_references WHERE reference_number = $1",
            )
            .await?;
        client
            .query_opt(&stmt, &[&reference_number])
            .await?
            .map(|row| {
                Ok(ConsulateReferenceRecord {
                    reference_number: row.try_get(0)?,
                    passport_number: row.try_get(1)?,
                    birth_year: row.try_get(2)?,
                })
            })
            .transpose()
    }

    async fn address(&self, code: &str) -> Result<Option<AddressRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT code, address, province, district FROM registry_addresses WHERE code = $1",
            )
            .await?;
        client
            .query_opt(&stmt, &[&code])
            .await?
            .map(|row| {
                Ok(AddressRecord {
                    code: row.try_get(0)?,
                    address: row.try_get(1)?,
                    province: row.try_get(2)?,
                    district: row.try_get(3)?,
                })
            })
            .transpose()
    }

    async fn workplace(&self, sgk_number: &str) -> Result<Option<WorkplaceRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT sgk_number, name, province, district
                   FROM registry_workplaces WHERE sgk_number = $1",
            )
            .await?;
        client
            .query_opt(&stmt, &[&sgk_number])
            .await?
            .map(|row| {
                Ok(WorkplaceRecord {
                    sgk_number: row.try_get(0)?,
                    name: row.try_get(1)?,
                    province: row.try_get(2)?,
                    district: row.try_get(3)?,
                })
            })
            .transpose()
    }

    async fn keyed_record(
        &self,
        registry: &str,
        key: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT record FROM registry_records WHERE registry = $1 AND key = $2")
            .await?;
        Ok(client
            .query_opt(&stmt, &[&registry, &key])
            .await?
            .map(|row| row.try_get(0))
            .transpose()?)
    }
}
