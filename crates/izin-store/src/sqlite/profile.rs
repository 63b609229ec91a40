//! Profiles and documents on SQLite.

use super::{SqliteStore, append_audit_tx, from_micros, micros};
use crate::StoreError;
use crate::model::*;
use crate::traits::{DocumentStore, ProfileStore};
use async_trait::async_trait;
use izin_domain::documents::{ContentType, DocumentKind};
use izin_domain::profile::{Profile, Section};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use std::collections::{BTreeSet, HashSet};
use time::OffsetDateTime;
use uuid::Uuid;

const DOCUMENT_COLUMNS: &str =
    "id, user_id, kind, file_name, content_type, size, sha256, storage_key, created_at, replaces";

fn document_from_row(row: &rusqlite::Row<'_>) -> Result<Document, StoreError> {
    let kind: String = row.get(2)?;
    let content_type: String = row.get(4)?;
    let sha: Vec<u8> = row.get(6)?;
    Ok(Document {
        id: row.get(0)?,
        user_id: row.get(1)?,
        kind: DocumentKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("document kind {kind:?}")))?,
        file_name: row.get(3)?,
        content_type: ContentType::from_mime(&content_type)
            .ok_or_else(|| StoreError::Corrupt(format!("content type {content_type:?}")))?,
        size: row.get(5)?,
        sha256: sha
            .try_into()
            .map_err(|_| StoreError::Corrupt("sha256 length".into()))?,
        storage_key: row.get(7)?,
        created_at: from_micros(row.get(8)?)?,
        replaces: row.get(9)?,
    })
}

fn insert_document_tx(conn: &Connection, d: &Document) -> Result<(), StoreError> {
    conn.prepare_cached(&format!("INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"))?
        .execute(params![
            d.id,
            d.user_id,
            d.kind.code(),
            d.file_name,
            d.content_type.mime(),
            d.size,
            &d.sha256[..],
            d.storage_key,
            micros(d.created_at),
            d.replaces
        ])?;
    Ok(())
}

fn owned_document(
    conn: &Connection,
    owner: Uuid,
    id: Uuid,
) -> Result<Option<Document>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?1 AND user_id = ?2"
    ))?
    .query_row(params![id, owner], |row| Ok(document_from_row(row)))
    .optional()?
    .transpose()
}

fn is_frozen(conn: &Connection, id: Uuid) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM document_citations WHERE document_id = ?1 AND frozen = 1)")?
        .query_row(params![id], |row| row.get(0))?)
}

#[async_trait]
impl ProfileStore for SqliteStore {
    async fn profile(&self, user_id: Uuid) -> Result<Profile, StoreError> {
        self.read(move |conn| {
            let row = conn
                .prepare_cached("SELECT personal, contact, passport, education, verified FROM profiles WHERE user_id = ?1")?
                .query_row(params![user_id], |row| {
                    Ok([row.get::<_, String>(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?])
                })
                .optional()?;
            let Some([personal, contact, passport, education, verified]) = row else {
                return Ok(Profile::default());
            };
            Ok(profile_from_json(
                serde_json::from_str(&personal)?,
                serde_json::from_str(&contact)?,
                serde_json::from_str(&passport)?,
                serde_json::from_str(&education)?,
                serde_json::from_str(&verified)?,
            )?)
        })
        .await
    }

    async fn save_profile_section(
        &self,
        user_id: Uuid,
        data: SectionData,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(&data.to_json()?)?;
        let (foreigner_id, passport_number) = data.lookup_columns();
        let section = data.section();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO profiles (user_id, updated_at) VALUES (?1, ?2) ON CONFLICT (user_id) DO NOTHING",
                params![user_id, micros(now)],
            )?;
            let mut update = match section {
                Section::Personal => tx.prepare_cached(
                    "UPDATE profiles SET personal = ?2, foreigner_id = ?3, updated_at = ?4 WHERE user_id = ?1",
                )?,
                Section::Passport => tx.prepare_cached(
                    "UPDATE profiles SET passport = ?2, passport_number = ?3, updated_at = ?4 WHERE user_id = ?1",
                )?,
                Section::Contact => tx.prepare_cached(
                    "UPDATE profiles SET contact = ?2, updated_at = ?4 WHERE user_id = ?1 AND ?3 IS NULL",
                )?,
                Section::Education => tx.prepare_cached(
                    "UPDATE profiles SET education = ?2, updated_at = ?4 WHERE user_id = ?1 AND ?3 IS NULL",
                )?,
            };
            // Only the personal and passport sections carry a lookup column (the third value).
            update.execute(params![user_id, json, foreigner_id.or(passport_number), micros(now)])?;
            drop(update);
            append_audit_tx(tx, &audit)?;
            Ok(())
        })
        .await
    }

    async fn set_verified_fields(
        &self,
        user_id: Uuid,
        fields: BTreeSet<String>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(&fields)?;
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO profiles (user_id, verified, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET verified = excluded.verified, updated_at = excluded.updated_at",
                params![user_id, json, micros(now)],
            )?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl DocumentStore for SqliteStore {
    async fn insert_document(
        &self,
        document: Document,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            insert_document_tx(tx, &document)?;
            append_audit_tx(tx, &audit)?;
            Ok(())
        })
        .await
    }

    async fn document(&self, owner: Uuid, id: Uuid) -> Result<Option<Document>, StoreError> {
        self.read(move |conn| owned_document(conn, owner, id)).await
    }

    async fn documents(&self, owner: Uuid) -> Result<Vec<DocumentListing>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE user_id = ?1 ORDER BY created_at DESC, id DESC"
            ))?;
            let documents = stmt
                .query_map(params![owner], |row| Ok(document_from_row(row)))?
                .collect::<Result<Result<Vec<Document>, StoreError>, rusqlite::Error>>()??;
            let mut citations = conn.prepare_cached(
                "SELECT c.document_id, c.application_id, c.application_number, c.frozen
                   FROM document_citations c JOIN documents d ON d.id = c.document_id
                  WHERE d.user_id = ?1 ORDER BY c.application_number",
            )?;
            let mut by_document: std::collections::HashMap<Uuid, Vec<Citation>> = Default::default();
            for row in citations.query_map(params![owner], |row| {
                Ok((row.get::<_, Uuid>(0)?, Citation { application_id: row.get(1)?, application_number: row.get(2)?, frozen: row.get(3)? }))
            })? {
                let (document_id, citation) = row?;
                by_document.entry(document_id).or_default().push(citation);
            }
            Ok(documents
                .into_iter()
                .map(|document| {
                    let citations = by_document.remove(&document.id).unwrap_or_default();
                    DocumentListing { document, citations }
                })
                .collect())
        })
        .await
    }

    async fn delete_document(
        &self,
        owner: Uuid,
        id: Uuid,
        audit: NewAuditEntry,
    ) -> Result<DeleteOutcome, StoreError> {
        self.write(move |tx| {
            let Some(document) = owned_document(tx, owner, id)? else {
                return Ok(DeleteOutcome::NotFound);
            };
            if is_frozen(tx, id)? {
                return Ok(DeleteOutcome::Cited);
            }
            tx.execute(
                "DELETE FROM document_citations WHERE document_id = ?1",
                params![id],
            )?;
            tx.execute("DELETE FROM documents WHERE id = ?1", params![id])?;
            append_audit_tx(tx, &audit)?;
            Ok(DeleteOutcome::Deleted {
                storage_key: document.storage_key,
            })
        })
        .await
    }

    async fn replace_document(
        &self,
        owner: Uuid,
        old: Uuid,
        new: Document,
        audit: NewAuditEntry,
    ) -> Result<ReplaceOutcome, StoreError> {
        self.write(move |tx| {
            let Some(previous) = owned_document(tx, owner, old)? else {
                return Ok(ReplaceOutcome::NotFound);
            };
            insert_document_tx(tx, &new)?;
            tx.execute(
                "UPDATE document_citations SET document_id = ?2 WHERE document_id = ?1 AND frozen = 0",
                params![old, new.id],
            )?;
            // The drafts' data names the document too; a quoted UUID occurs nowhere else.
            tx.execute(
                "UPDATE applications SET data = replace(data, ?2, ?3), edits = edits + 1
                  WHERE status IN ('DRAFT', 'REVISION') AND id IN (
                        SELECT application_id FROM document_citations WHERE document_id = ?1)",
                params![new.id, format!("\"{old}\""), format!("\"{}\"", new.id)],
            )?;
            let removed_storage_key = if is_frozen(tx, old)? {
                None
            } else {
                tx.execute("DELETE FROM documents WHERE id = ?1", params![old])?;
                Some(previous.storage_key)
            };
            append_audit_tx(tx, &audit)?;
            Ok(ReplaceOutcome::Replaced { removed_storage_key })
        })
        .await
    }

    async fn cite_document(
        &self,
        document_id: Uuid,
        application_id: Uuid,
        application_number: Option<&str>,
        frozen: bool,
    ) -> Result<(), StoreError> {
        let number = application_number.map(str::to_owned);
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO document_citations (document_id, application_id, application_number, frozen)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (document_id, application_id)
                 DO UPDATE SET application_number = excluded.application_number, frozen = excluded.frozen",
                params![document_id, application_id, number, frozen],
            )?;
            Ok(())
        })
        .await
    }

    async fn known_storage_keys(&self, keys: &[String]) -> Result<HashSet<String>, StoreError> {
        let keys = keys.to_vec();
        self.read(move |conn| {
            let mut known = HashSet::new();
            for chunk in keys.chunks(500) {
                let placeholders = vec!["?"; chunk.len()].join(", ");
                let mut stmt = conn.prepare(&format!(
                    "SELECT storage_key FROM documents WHERE storage_key IN ({placeholders})"
                ))?;
                for key in stmt.query_map(params_from_iter(chunk.iter()), |row| {
                    row.get::<_, String>(0)
                })? {
                    known.insert(key?);
                }
            }
            Ok(known)
        })
        .await
    }
}
