//! Profiles and documents on PostgreSQL.

use super::{PostgresStore, append_audit_tx};
use crate::StoreError;
use crate::model::*;
use crate::traits::{DocumentStore, ProfileStore};
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::documents::{ContentType, DocumentKind};
use izin_domain::profile::{Profile, Section};
use std::collections::{BTreeSet, HashMap, HashSet};
use time::OffsetDateTime;
use uuid::Uuid;

const DOCUMENT_COLUMNS: &str =
    "id, user_id, kind, file_name, content_type, size, sha256, storage_key, created_at, replaces";

fn document_from_row(row: &tokio_postgres::Row) -> Result<Document, StoreError> {
    let kind: &str = row.try_get(2)?;
    let content_type: &str = row.try_get(4)?;
    let sha: &[u8] = row.try_get(6)?;
    Ok(Document {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        kind: DocumentKind::parse(kind)
            .ok_or_else(|| StoreError::Corrupt(format!("document kind {kind:?}")))?,
        file_name: row.try_get(3)?,
        content_type: ContentType::from_mime(content_type)
            .ok_or_else(|| StoreError::Corrupt(format!("content type {content_type:?}")))?,
        size: row.try_get(5)?,
        sha256: sha
            .try_into()
            .map_err(|_| StoreError::Corrupt("sha256 length".into()))?,
        storage_key: row.try_get(7)?,
        created_at: row.try_get(8)?,
        replaces: row.try_get(9)?,
    })
}

async fn insert_document_tx(client: &impl GenericClient, d: &Document) -> Result<(), StoreError> {
    let stmt = client
        .prepare_cached(&format!("INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
        .await?;
    client
        .execute(
            &stmt,
            &[
                &d.id,
                &d.user_id,
                &d.kind.code(),
                &d.file_name,
                &d.content_type.mime(),
                &d.size,
                &&d.sha256[..],
                &d.storage_key,
                &d.created_at,
                &d.replaces,
            ],
        )
        .await?;
    Ok(())
}

/// Reads (and, inside a transaction, locks) one of `owner`'s documents.
async fn owned_document(
    client: &impl GenericClient,
    owner: Uuid,
    id: Uuid,
    lock: bool,
) -> Result<Option<Document>, StoreError> {
    let suffix = if lock { " FOR UPDATE" } else { "" };
    let stmt = client
        .prepare_cached(&format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1 AND user_id = $2{suffix}"
        ))
        .await?;
    client
        .query_opt(&stmt, &[&id, &owner])
        .await?
        .map(|row| document_from_row(&row))
        .transpose()
}

async fn is_frozen(client: &impl GenericClient, id: Uuid) -> Result<bool, StoreError> {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM document_citations WHERE document_id = $1 AND frozen)",
            &[&id],
        )
        .await?;
    Ok(row.try_get(0)?)
}

#[async_trait]
impl ProfileStore for PostgresStore {
    async fn profile(&self, user_id: Uuid) -> Result<Profile, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT personal, contact, passport, education, verified FROM profiles WHERE user_id = $1")
            .await?;
        let Some(row) = client.query_opt(&stmt, &[&user_id]).await? else {
            return Ok(Profile::default());
        };
        Ok(profile_from_json(
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
        )?)
    }

    async fn save_profile_section(
        &self,
        user_id: Uuid,
        data: SectionData,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let json = data.to_json()?;
        let (foreigner_id, passport_number) = data.lookup_columns();
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "INSERT INTO profiles (user_id, updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
            &[&user_id, &now],
        )
        .await?;
        match data.section() {
            Section::Personal => {
                tx.execute(
                    "UPDATE profiles SET personal = $2, foreigner_id = $3, updated_at = $4 WHERE user_id = $1",
                    &[&user_id, &json, &foreigner_id, &now],
                )
                .await?
            }
            Section::Passport => {
                tx.execute(
                    "UPDATE profiles SET passport = $2, passport_number = $3, updated_at = $4 WHERE user_id = $1",
                    &[&user_id, &json, &passport_number, &now],
                )
                .await?
            }
            Section::Contact => {
                tx.execute("UPDATE profiles SET contact = $2, updated_at = $3 WHERE user_id = $1", &[&user_id, &json, &now])
                    .await?
            }
            Section::Education => {
                tx.execute("UPDATE profiles SET education = $2, updated_at = $3 WHERE user_id = $1", &[&user_id, &json, &now])
                    .await?
            }
        };
        append_audit_tx(&tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_verified_fields(
        &self,
        user_id: Uuid,
        fields: BTreeSet<String>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_value(&fields)?;
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO profiles (user_id, verified, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id) DO UPDATE SET verified = EXCLUDED.verified, updated_at = EXCLUDED.updated_at",
                &[&user_id, &json, &now],
            )
            .await?;
        Ok(())
    }
}

#[async_trait]
impl DocumentStore for PostgresStore {
    async fn insert_document(
        &self,
        document: Document,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        insert_document_tx(&tx, &document).await?;
        append_audit_tx(&tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn document(&self, owner: Uuid, id: Uuid) -> Result<Option<Document>, StoreError> {
        let client = self.client().await?;
        owned_document(&client, owner, id, false).await
    }

    async fn documents(&self, owner: Uuid) -> Result<Vec<DocumentListing>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
            ))
            .await?;
        let documents = client
            .query(&stmt, &[&owner])
            .await?
            .iter()
            .map(document_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let stmt = client
            .prepare_cached(
                "SELECT c.document_id, c.application_id, c.application_number, c.frozen
                   FROM document_citations c JOIN documents d ON d.id = c.document_id
                  WHERE d.user_id = $1 ORDER BY c.application_number",
            )
            .await?;
        let mut by_document: HashMap<Uuid, Vec<Citation>> = HashMap::new();
        for row in client.query(&stmt, &[&owner]).await? {
            by_document
                .entry(row.try_get(0)?)
                .or_default()
                .push(Citation {
                    application_id: row.try_get(1)?,
                    application_number: row.try_get(2)?,
                    frozen: row.try_get(3)?,
                });
        }
        Ok(documents
            .into_iter()
            .map(|document| {
                let citations = by_document.remove(&document.id).unwrap_or_default();
                DocumentListing {
                    document,
                    citations,
                }
            })
            .collect())
    }

    async fn delete_document(
        &self,
        owner: Uuid,
        id: Uuid,
        audit: NewAuditEntry,
    ) -> Result<DeleteOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(document) = owned_document(&tx, owner, id, true).await? else {
            return Ok(DeleteOutcome::NotFound);
        };
        if is_frozen(&tx, id).await? {
            return Ok(DeleteOutcome::Cited);
        }
        tx.execute(
            "DELETE FROM document_citations WHERE document_id = $1",
            &[&id],
        )
        .await?;
        tx.execute("DELETE FROM documents WHERE id = $1", &[&id])
            .await?;
        append_audit_tx(&tx, &audit).await?;
        tx.commit().await?;
        Ok(DeleteOutcome::Deleted {
            storage_key: document.storage_key,
        })
    }

    async fn replace_document(
        &self,
        owner: Uuid,
        old: Uuid,
        new: Document,
        audit: NewAuditEntry,
    ) -> Result<ReplaceOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(previous) = owned_document(&tx, owner, old, true).await? else {
            return Ok(ReplaceOutcome::NotFound);
        };
        insert_document_tx(&tx, &new).await?;
        tx.execute(
            "UPDATE document_citations SET document_id = $2 WHERE document_id = $1 AND NOT frozen",
            &[&old, &new.id],
        )
        .await?;
        // The drafts' data names the document too; a quoted UUID occurs nowhere else.
        tx.execute(
            "UPDATE applications SET data = replace(data::text, $2, $3)::jsonb, edits = edits + 1
              WHERE status IN ('DRAFT', 'REVISION') AND id IN (
                    SELECT application_id FROM document_citations WHERE document_id = $1)",
            &[&new.id, &format!("\"{old}\""), &format!("\"{}\"", new.id)],
        )
        .await?;
        let removed_storage_key = if is_frozen(&tx, old).await? {
            None
        } else {
            tx.execute("DELETE FROM documents WHERE id = $1", &[&old])
                .await?;
            Some(previous.storage_key)
        };
        append_audit_tx(&tx, &audit).await?;
        tx.commit().await?;
        Ok(ReplaceOutcome::Replaced {
            removed_storage_key,
        })
    }

    async fn cite_document(
        &self,
        document_id: Uuid,
        application_id: Uuid,
        application_number: Option<&str>,
        frozen: bool,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO document_citations (document_id, application_id, application_number, frozen)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (document_id, application_id)
                 DO UPDATE SET application_number = EXCLUDED.application_number, frozen = EXCLUDED.frozen",
                &[&document_id, &application_id, &application_number, &frozen],
            )
            .await?;
        Ok(())
    }

    async fn known_storage_keys(&self, keys: &[String]) -> Result<HashSet<String>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT storage_key FROM documents WHERE storage_key = ANY($1)",
                &[&keys],
            )
            .await?;
        rows.iter()
            .map(|row| Ok(row.try_get::<_, String>(0)?))
            .collect()
    }
}
