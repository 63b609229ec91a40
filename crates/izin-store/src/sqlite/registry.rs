//! The simulated registries on SQLite. Dates are stored as `YYYY-MM-DD` text.

use super::SqliteStore;
use crate::StoreError;
use crate::registry::*;
use async_trait::async_trait;
use izin_domain::calendar::{format_date, parse_iso_date};
use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

fn date(text: &str) -> Result<Date, StoreError> {
    parse_iso_date(text).ok_or_else(|| StoreError::Corrupt(format!("registry date {text:?}")))
}

/// Counts `inserted` of `total` records of a table whose rows are all key.
fn counted(inserted: u64, total: usize) -> TableImport {
    TableImport {
        new: inserted,
        updated: 0,
        known: total as u64 - inserted,
    }
}

/// Inserts a keyed row, or replaces the row under its key when any value differs.
///
/// `insert` and `update` take the key as `?1` and the values after it.
fn upsert(
    tx: &Connection,
    insert: &str,
    update: &str,
    values: &[&dyn rusqlite::ToSql],
    report: &mut TableImport,
) -> Result<(), StoreError> {
    if tx.prepare_cached(insert)?.execute(values)? > 0 {
        report.new += 1;
    } else if tx.prepare_cached(update)?.execute(values)? > 0 {
        report.updated += 1;
    } else {
        report.known += 1;
    }
    Ok(())
}

fn import_tx(
    tx: &Connection,
    records: &RegistryRecords,
    mode: ImportMode,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    if mode == ImportMode::Replace {
        let mut stmt =
            tx.prepare_cached("DELETE FROM registry_residence_rights WHERE foreigner_id = ?1")?;
        for id in records.foreigner_ids() {
            stmt.execute(params![id])?;
        }
        let mut stmt = tx.prepare_cached(
            "DELETE FROM registry_border_crossings
              WHERE passport_number = ?1 AND passport_country = ?2",
        )?;
        for (number, country) in records.passports() {
            stmt.execute(params![number, country])?;
        }
    }

    let mut inserted = 0;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO registry_residence_rights (foreigner_id, kind, valid_from, valid_until)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    )?;
    for r in &records.residence_rights {
        inserted += stmt.execute(params![
            r.foreigner_id,
            r.kind,
            format_date(r.valid_from),
            format_date(r.valid_until)
        ])? as u64;
    }
    report.residence_rights = counted(inserted, records.residence_rights.len());

    let mut inserted = 0;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO registry_border_crossings
                (passport_number, passport_country, birth_year, direction, date)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    )?;
    for c in &records.border_crossings {
        inserted += stmt.execute(params![
            c.passport_number,
            c.passport_country,
            c.birth_year,
            c.direction,
            format_date(c.date)
        ])? as u64;
    }
    report.border_crossings = counted(inserted, records.border_crossings.len());

    for c in &records.consulate_references {
        upsert(
            tx,
            "INSERT INTO registry_consulate_references (reference_number, passport_number, birth_year)
             VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            "UPDATE registry_consulate_references SET passport_number = ?2, birth_year = ?3
              WHERE reference_number = ?1 AND (passport_number, birth_year) <> (?2, ?3)",
            params![c.reference_number, c.passport_number, c.birth_year],
            &mut report.consulate_references,
        )?;
    }
    for a in &records.addresses {
        upsert(
            tx,
            "INSERT INTO registry_addresses (code, address, province, district)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            "UPDATE registry_addresses SET address = ?2, province = ?3, district = ?4
              WHERE code = ?1 AND (address, province, district) <> (?2, ?3, ?4)",
            params![a.code, a.address, a.province, a.district],
            &mut report.addresses,
        )?;
    }
    for w in &records.workplaces {
        upsert(
            tx,
            "INSERT INTO registry_workplaces (sgk_number, name, province, district)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            "UPDATE registry_workplaces SET name = ?2, province = ?3, district = ?4
              WHERE sgk_number = ?1 AND (name, province, district) <> (?2, ?3, ?4)",
            params![w.sgk_number, w.name, w.province, w.district],
            &mut report.workplaces,
        )?;
    }
    for (registry, entries) in &records.keyed {
        let mut table = TableImport::default();
        for entry in entries {
            let record = serde_json::to_string(&entry.record)?;
            upsert(
                tx,
                "INSERT INTO registry_records (key, registry, record)
                 VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                "UPDATE registry_records SET record = ?3
                  WHERE key = ?1 AND registry = ?2 AND record <> ?3",
                params![entry.key, registry, record],
                &mut table,
            )?;
        }
        report.keyed.push((registry.clone(), table));
    }
    Ok(report)
}

#[async_trait]
impl RegistryStore for SqliteStore {
    async fn import_registry(
        &self,
        records: RegistryRecords,
        mode: ImportMode,
    ) -> Result<ImportReport, StoreError> {
        self.write(move |tx| import_tx(tx, &records, mode)).await
    }

    async fn residence_rights(
        &self,
        foreigner_id: &str,
    ) -> Result<Vec<ResidenceRightRecord>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT foreigner_id, kind, valid_from, valid_until
                   FROM registry_residence_rights
                  WHERE foreigner_id = ?1
                  ORDER BY valid_from, valid_until, kind",
            )?;
            let rows = stmt.query_map(params![foreigner_id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })?;
            let mut rights = Vec::new();
            for row in rows {
                let (foreigner_id, kind, valid_from, valid_until) = row?;
                rights.push(ResidenceRightRecord {
                    foreigner_id,
                    kind,
                    valid_from: date(&valid_from)?,
                    valid_until: date(&valid_until)?,
                });
            }
            Ok(rights)
        })
        .await
    }

    async fn border_crossings(
        &self,
        passport_number: &str,
        passport_country: &str,
    ) -> Result<Vec<BorderCrossingRecord>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT passport_number, passport_country, birth_year, direction, date
                   FROM registry_border_crossings
                  WHERE passport_number = ?1 AND passport_country = ?2
                  ORDER BY date, direction, birth_year",
            )?;
            let rows = stmt.query_map(params![passport_number, passport_country], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i32>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })?;
            let mut crossings = Vec::new();
            for row in rows {
                let (passport_number, passport_country, birth_year, direction, day) = row?;
                crossings.push(BorderCrossingRecord {
                    passport_number,
                    passport_country,
                    birth_year,
                    direction,
                    date: date(&day)?,
                });
            }
            Ok(crossings)
        })
        .await
    }

    async fn consulate_reference(
        &self,
        reference_number: &str,
    ) -> Result<Option<ConsulateReferenceRecord>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT reference_number, passport_number, birth_year
                       FROM registry_consulate_references WHERE reference_number = ?1",
                )?
                .query_row(params![reference_number], |row| {
                    Ok(ConsulateReferenceRecord {
                        reference_number: row.get(0)?,
                        passport_number: row.get(1)?,
                        birth_year: row.get(2)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn address(&self, code: &str) -> Result<Option<AddressRecord>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT code, address, province, district FROM registry_addresses WHERE code = ?1",
                )?
                .query_row(params![code], |row| {
                    Ok(AddressRecord {
                        code: row.get(0)?,
                        address: row.get(1)?,
                        province: row.get(2)?,
                        district: row.get(3)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn workplace(&self, sgk_number: &str) -> Result<Option<WorkplaceRecord>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT sgk_number, name, province, district
                       FROM registry_workplaces WHERE sgk_number = ?1",
                )?
                .query_row(params![sgk_number], |row| {
                    Ok(WorkplaceRecord {
                        sgk_number: row.get(0)?,
                        name: row.get(1)?,
                        province: row.get(2)?,
                        district: row.get(3)?,
                    })
                })
                .optional()?)
        })
        .await
    }

    async fn keyed_record(
        &self,
        registry: &str,
        key: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let (registry, key) = (registry.to_owned(), key.to_owned());
        self.read(move |conn| {
            let record: Option<String> = conn
                .prepare_cached(
                    "SELECT record FROM registry_records WHERE registry = ?1 AND key = ?2",
                )?
                .query_row(params![registry, key], |row| row.get(0))
                .optional()?;
            Ok(record.map(|r| serde_json::from_str(&r)).transpose()?)
        })
        .await
    }
}
