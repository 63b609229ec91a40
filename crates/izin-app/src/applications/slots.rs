//! Documents in an application's slots, for every kind: one of the user's documents put into a
//! slot, a new file uploaded into one, a document taken out again. The kind says which slots it
//! has and what each takes; the rules of a slot (its file types, how many files) are checked
//! here, the same way for every kind.

use super::{ApplicationError, ApplicationService};
use bytes::Bytes;
use futures_util::Stream;
use izin_domain::audit::ClientInfo;
use izin_domain::documents::DocumentKind;
use izin_domain::profile::Violation;
use izin_domain::records::{ApplicationRecord, Document, User};
use uuid::Uuid;

fn invalid(violation: Violation) -> ApplicationError {
    ApplicationError::Invalid(vec![violation])
}

impl ApplicationService<'_> {
    /// Puts one of the user's documents into a slot (again is nothing new).
    pub async fn attach_document(
        &self,
        user: &User,
        id: Uuid,
        slot: &str,
        document: Uuid,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let slot = slot.trim().to_owned();
        let record = self.get(user, id).await?;
        let kind = self.kind(record.kind);
        if !kind.slot_editable(&slot, &record) {
            return Err(ApplicationError::NotEditable(record.lifecycle.status));
        }
        let step = kind.documents_step();
        self.edit(user, id, step, client, |data, documents| {
            let mut current = kind.read(data)?;
            let rules = current.slot(&slot).map_err(invalid)?;
            let Some(found) = documents.get(&document) else {
                return Err(invalid(Violation::new("document_id", "document-not-found")));
            };
            if !rules.accepts.contains(&found.content_type) {
                return Err(invalid(Violation::new("file", "upload-wrong-type")));
            }
            let files = current.slot_documents(&rules.slot);
            if files.contains(&document) {
                return Ok(());
            }
            if files.len() >= usize::from(rules.max_files) {
                return Err(invalid(
                    Violation::new("file", "slot-full").arg("max", rules.max_files.to_string()),
                ));
            }
            current.put_in_slot(&rules.slot, document);
            *data = current.to_stored()?;
            Ok(())
        })
        .await
    }

    /// Takes a document out of the application (it stays in Documents).
    pub async fn detach_document(
        &self,
        user: &User,
        id: Uuid,
        document: Uuid,
        client: &ClientInfo,
    ) -> Result<ApplicationRecord, ApplicationError> {
        let record = self.get(user, id).await?;
        let kind = self.kind(record.kind);
        let data = kind.read(&record.data)?;
        let held_in = data
            .slot_codes()
            .into_iter()
            .find(|slot| data.slot_documents(slot).contains(&document));
        if let Some(slot) = held_in
            && !kind.slot_editable(&slot, &record)
        {
            return Err(ApplicationError::NotEditable(record.lifecycle.status));
        }
        self.edit(user, id, kind.documents_step(), client, |data, _| {
            let mut current = kind.read(data)?;
            if !current.take_out(document) {
                return Err(ApplicationError::DocumentNotAttached);
            }
            *data = current.to_stored()?;
            Ok(())
        })
        .await
    }

    /// A new file into a slot: checked like any document, then put into the slot. The slot's
    /// room is checked before the upload is read.
    pub async fn upload_to_slot<S, E>(
        &self,
        user: &User,
        id: Uuid,
        slot: &str,
        file_name: &str,
        source: S,
        client: &ClientInfo,
    ) -> Result<(ApplicationRecord, Document), ApplicationError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let record = self.get(user, id).await?;
        let kind = self.kind(record.kind);
        if !kind.slot_editable(slot.trim(), &record) {
            return Err(ApplicationError::NotEditable(record.lifecycle.status));
        }
        let current = kind.read(&record.data)?;
        let rules = current.slot(slot.trim()).map_err(invalid)?;
        if current.slot_documents(&rules.slot).len() >= usize::from(rules.max_files) {
            return Err(invalid(
                Violation::new("file", "slot-full").arg("max", rules.max_files.to_string()),
            ));
        }
        let document = self
            .app
            .documents()
            .upload(user, DocumentKind::Other, file_name, source, client)
            .await?;
        match self
            .attach_document(user, id, &rules.slot, document.id, client)
            .await
        {
            Ok(record) => Ok((record, document)),
            Err(e) => {
                // The slot filled up meanwhile: the new file is not wanted.
                let _ = self.app.documents().delete(user, document.id, client).await;
                Err(e)
            }
        }
    }
}
