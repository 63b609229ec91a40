//! Uploading, listing, serving, replacing and deleting a user's documents.
//!
//! The type is decided by content, never by the file name or the client's content type. PDFs
//! stream to the file store while they are inspected, so a 10 MB upload never sits in memory;
//! images are decoded (within the memory their headers announce, a bounded amount at once) and
//! re-encoded, which drops metadata such as GPS.
//! A failed upload leaves neither a row nor an object; `sweep_orphans` removes objects a crash
//! may have left behind.

use crate::App;
use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use izin_adapters::files::FileError;
use izin_documents::{
    FileType, ImageProblem, ImageRules, PdfInspector, PdfProblem, inspect_image, plan_image_decode,
    sanitize_file_name, sniff,
};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::documents::{ContentType, DocumentKind};
use izin_store::{DeleteOutcome, Document, DocumentListing, NewAuditEntry, ReplaceOutcome, User};
use time::Duration;
use uuid::Uuid;

/// Bytes read before deciding what a file is.
const SNIFF_BYTES: usize = 1024;
/// Memory all image decodes of the process may plan at once, in MiB: one image may plan up to
/// `izin_documents::MAX_DECODE_BYTES` (48 MiB, a 12-megapixel photo fits), so the largest
/// images decode one at a time while small ones share the budget. Decoded pixels of every
/// upload together then stay under 48 MiB, whatever arrives at once; the benchmark's 16
/// concurrent hostile images must raise the server's memory by less than 64 MiB.
const IMAGE_DECODE_BUDGET_MIB: u32 = 48;
static IMAGE_DECODE_BUDGET: tokio::sync::Semaphore =
    tokio::sync::Semaphore::const_new(IMAGE_DECODE_BUDGET_MIB as usize);

/// Objects without a row younger than this may be uploads still in flight.
const ORPHAN_GRACE: Duration = Duration::hours(1);

/// Why an upload was refused. Each has a stable code and a message saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("this kind of document does not accept this type of file")]
    WrongType {
        found: Option<ContentType>,
        kind: DocumentKind,
    },
    #[error("PDF refused: {0:?}")]
    Pdf(PdfProblem),
    #[error("image refused: {0:?}")]
    Image(ImageProblem),
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("file storage failed: {0}")]
    Storage(String),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(UploadError);

impl UploadError {
    pub fn code(&self) -> &'static str {
        match self {
            UploadError::Empty => "upload-empty",
            UploadError::TooLarge { .. } => "upload-too-large",
            UploadError::WrongType { .. } => "upload-wrong-type",
            UploadError::Pdf(problem) => problem.code(),
            UploadError::Image(problem) => problem.code(),
            UploadError::Interrupted(_) => "upload-interrupted",
            UploadError::Storage(_) | UploadError::Store(_) => "upload-failed",
        }
    }

    /// Whether the fault is the file's (a 4xx) rather than the server's.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, UploadError::Storage(_) | UploadError::Store(_))
    }
}

impl From<FileError> for UploadError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::TooLarge { limit } => UploadError::TooLarge { limit },
            FileError::Source(reason) => UploadError::Interrupted(reason),
            other => UploadError::Storage(other.to_string()),
        }
    }
}

fn content_type(file_type: FileType) -> ContentType {
    match file_type {
        FileType::Pdf => ContentType::Pdf,
        FileType::Jpeg => ContentType::Jpeg,
        FileType::Png => ContentType::Png,
    }
}

/// What was read and checked, before it is recorded.
struct Checked {
    content_type: ContentType,
    file_type: FileType,
    size: u64,
    sha256: [u8; 32],
}

pub struct DocumentService<'a> {
    pub(crate) app: &'a App,
}

impl DocumentService<'_> {
    /// Stores a new document of `kind` for `user` from `source`.
    pub async fn upload<S, E>(
        &self,
        user: &User,
        kind: DocumentKind,
        file_name: &str,
        source: S,
        client: &ClientInfo,
    ) -> Result<Document, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let document = self
            .store_checked(user, kind, file_name, source, None)
            .await?;
        let audit = self.audit(user, AuditAction::DocumentUploaded, &document, client);
        if let Err(e) = self
            .app
            .store
            .insert_document(document.clone(), audit)
            .await
        {
            self.remove_object(&document.storage_key).await;
            return Err(e.into());
        }
        metrics::counter!("izin_documents_uploaded_total", "kind" => kind.code()).increment(1);
        Ok(document)
    }

    /// Stores a new version of `old`. The old document goes unless a submitted application cites
    /// it; either way, the profile now points at the new one.
    pub async fn replace<S, E>(
        &self,
        user: &User,
        old: Uuid,
        file_name: &str,
        source: S,
        client: &ClientInfo,
    ) -> Result<Option<Document>, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let Some(previous) = self.app.store.document(user.id, old).await? else {
            return Ok(None);
        };
        let document = self
            .store_checked(user, previous.kind, file_name, source, Some(old))
            .await?;
        let audit = self
            .audit(user, AuditAction::DocumentReplaced, &document, client)
            .detail("replaces", old.to_string());
        match self
            .app
            .store
            .replace_document(user.id, old, document.clone(), audit)
            .await
        {
            Ok(ReplaceOutcome::Replaced {
                removed_storage_key,
            }) => {
                if let Some(key) = removed_storage_key {
                    self.remove_object(&key).await;
                }
                self.app
                    .profiles()
                    .repoint_document(user, old, Some(document.id), client)
                    .await?;
                Ok(Some(document))
            }
            Ok(ReplaceOutcome::NotFound) => {
                self.remove_object(&document.storage_key).await;
                Ok(None)
            }
            Err(e) => {
                self.remove_object(&document.storage_key).await;
                Err(e.into())
            }
        }
    }

    /// Deletes a document no submitted application cites; the profile stops using it.
    pub async fn delete(
        &self,
        user: &User,
        id: Uuid,
        client: &ClientInfo,
    ) -> Result<DeleteOutcome, crate::StorageFailure> {
        let audit = NewAuditEntry::new(
            self.app.clock.now(),
            Actor::User(user.id),
            AuditAction::DocumentDeleted,
            client,
        )
        .subject(format!("document:{id}"))
        .detail("user", user.id.to_string());
        let outcome = self.app.store.delete_document(user.id, id, audit).await?;
        if let DeleteOutcome::Deleted { storage_key } = &outcome {
            self.remove_object(storage_key).await;
            self.app
                .profiles()
                .repoint_document(user, id, None, client)
                .await?;
        }
        Ok(outcome)
    }

    pub async fn list(&self, user: &User) -> Result<Vec<DocumentListing>, crate::StorageFailure> {
        Ok(self.app.store.documents(user.id).await?)
    }

    /// One of the user's documents (`None`: not theirs, or gone).
    pub async fn get(
        &self,
        user: &User,
        id: Uuid,
    ) -> Result<Option<Document>, crate::StorageFailure> {
        Ok(self.app.store.document(user.id, id).await?)
    }

    /// The document and a stream of its bytes, if it is the user's.
    pub async fn content(
        &self,
        user: &User,
        id: Uuid,
    ) -> Result<
        Option<(
            Document,
            impl Stream<Item = Result<Bytes, FileError>> + Send + use<>,
        )>,
        UploadError,
    > {
        let Some(document) = self.app.store.document(user.id, id).await? else {
            return Ok(None);
        };
        let stream = self.app.files.get_stream(&document.storage_key).await?;
        Ok(Some((document, stream)))
    }

    /// Removes stored objects that no document row knows and that are older than an hour.
    pub async fn sweep_orphans(&self) -> Result<usize, UploadError> {
        let cutoff = self.app.clock.now() - ORPHAN_GRACE;
        let listed = self.app.files.list_with_times("documents").await?;
        let candidates: Vec<String> = listed
            .into_iter()
            .filter(|f| f.last_modified < cutoff)
            .map(|f| f.key)
            .collect();
        let known = self.app.store.known_storage_keys(&candidates).await?;
        let mut removed = 0;
        for key in candidates.iter().filter(|k| !known.contains(*k)) {
            self.remove_object(key).await;
            removed += 1;
        }
        if removed > 0 {
            tracing::info!(removed, "removed orphaned document objects");
        }
        Ok(removed)
    }

    fn audit(
        &self,
        user: &User,
        action: AuditAction,
        document: &Document,
        client: &ClientInfo,
    ) -> NewAuditEntry {
        NewAuditEntry::new(self.app.clock.now(), Actor::User(user.id), action, client)
            .subject(format!("document:{}", document.id))
            .detail("user", user.id.to_string())
            .detail("kind", document.kind.code())
            .detail("size", document.size)
            .detail("sha256", hex(&document.sha256))
    }

    async fn remove_object(&self, key: &str) {
        if let Err(e) = self.app.files.delete(key).await {
            tracing::warn!(error = %e, key, "could not remove a stored object; the orphan sweep will");
        }
    }

    /// Reads, checks and stores the bytes; returns the document to record (not yet recorded).
    async fn store_checked<S, E>(
        &self,
        user: &User,
        kind: DocumentKind,
        file_name: &str,
        source: S,
        replaces: Option<Uuid>,
    ) -> Result<Document, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let id = Uuid::now_v7();
        let storage_key = format!("documents/{}", Uuid::new_v4());
        let checked = self.check_and_store(kind, &storage_key, source).await?;
        Ok(Document {
            id,
            user_id: user.id,
            kind,
            file_name: sanitize_file_name(file_name, checked.file_type),
            content_type: checked.content_type,
            size: i64::try_from(checked.size).unwrap_or(i64::MAX),
            sha256: checked.sha256,
            storage_key,
            created_at: self.app.clock.now(),
            replaces,
        })
    }

    async fn check_and_store<S, E>(
        &self,
        kind: DocumentKind,
        key: &str,
        source: S,
    ) -> Result<Checked, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let limit = kind.max_bytes();
        // Fused: the sniffing loop may already have seen the end of a short upload.
        let mut source = std::pin::pin!(source.fuse());
        let mut head = BytesMut::new();
        while head.len() < SNIFF_BYTES {
            match source.next().await {
                Some(Ok(chunk)) => head.extend_from_slice(&chunk),
                Some(Err(e)) => return Err(UploadError::Interrupted(e.to_string())),
                None => break,
            }
            if head.len() as u64 > limit {
                return Err(UploadError::TooLarge { limit });
            }
        }
        if head.is_empty() {
            return Err(UploadError::Empty);
        }
        let file_type = sniff(&head);
        let found = file_type.map(content_type);
        let (Some(file_type), Some(found_type)) = (file_type, found) else {
            return Err(UploadError::WrongType { found: None, kind });
        };
        if !kind.accepts().contains(&found_type) {
            return Err(UploadError::WrongType {
                found: Some(found_type),
                kind,
            });
        }
        let head = head.freeze();
        if found_type == ContentType::Pdf {
            self.stream_pdf(key, head, source, limit).await
        } else {
            self.store_image(kind, key, head, source, limit, file_type)
                .await
        }
    }

    async fn stream_pdf<S, E>(
        &self,
        key: &str,
        head: Bytes,
        mut source: S,
        limit: u64,
    ) -> Result<Checked, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        let check = PdfCheck::start();
        let mut upload = self.app.files.begin_unhashed_upload(key).await?;
        let mut next = Some(Ok(head));
        loop {
            let chunk = match next.take() {
                Some(chunk) => chunk,
                None => match source.next().await {
                    Some(chunk) => chunk.map_err(|e| e.to_string()),
                    None => break,
                },
            };
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(reason) => {
                    upload.abort().await;
                    return Err(UploadError::Interrupted(reason));
                }
            };
            if upload.size() + chunk.len() as u64 > limit {
                upload.abort().await;
                return Err(UploadError::TooLarge { limit });
            }
            if let Err(problem) = check.feed(chunk.clone()).await {
                upload.abort().await;
                return Err(UploadError::Pdf(problem));
            }
            if let Err(e) = upload.write(chunk).await {
                upload.abort().await;
                return Err(e.into());
            }
        }
        let sha256 = match check.finish().await {
            Ok(sha256) => sha256,
            Err(problem) => {
                upload.abort().await;
                return Err(UploadError::Pdf(problem));
            }
        };
        let stored = upload.finish().await?;
        Ok(Checked {
            content_type: ContentType::Pdf,
            file_type: FileType::Pdf,
            size: stored.size,
            sha256,
        })
    }

    async fn store_image<S, E>(
        &self,
        kind: DocumentKind,
        key: &str,
        head: Bytes,
        mut source: S,
        limit: u64,
        file_type: FileType,
    ) -> Result<Checked, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        // Images must be decoded whole anyway; the limit bounds what is held.
        let mut bytes = BytesMut::from(&head[..]);
        while let Some(chunk) = source.next().await {
            let chunk = chunk.map_err(|e| UploadError::Interrupted(e.to_string()))?;
            if (bytes.len() + chunk.len()) as u64 > limit {
                return Err(UploadError::TooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        let rules = if kind == DocumentKind::Photo {
            ImageRules::photo()
        } else {
            ImageRules::document_scan()
        };
        let bytes = bytes.freeze();
        // The headers say what decoding will take; a bomb is refused here, before any pixel
        // buffer exists and without waiting for the budget.
        let plan = {
            let (bytes, rules) = (bytes.clone(), rules.clone());
            tokio::task::spawn_blocking(move || plan_image_decode(&bytes, &rules))
                .await
                .map_err(|e| UploadError::Storage(format!("image check failed: {e}")))?
                .map_err(UploadError::Image)?
        };
        // An image planning more than the whole budget (a large file's encoder buffers) waits
        // for all of it and so decodes alone.
        let permits = u32::try_from(plan.memory_bytes().div_ceil(1024 * 1024))
            .unwrap_or(u32::MAX)
            .clamp(1, IMAGE_DECODE_BUDGET_MIB);
        let _permit = IMAGE_DECODE_BUDGET
            .acquire_many(permits)
            .await
            .map_err(|e| UploadError::Storage(e.to_string()))?;
        let clean = tokio::task::spawn_blocking(move || inspect_image(&bytes, &rules))
            .await
            .map_err(|e| UploadError::Storage(format!("image check failed: {e}")))?
            .map_err(UploadError::Image)?;
        let sha256: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&clean.bytes).into();
        let size = clean.bytes.len() as u64;
        let clean_type = clean.file_type;
        self.app
            .files
            .put_bytes(key, Bytes::from(clean.bytes))
            .await?;
        Ok(Checked {
            content_type: content_type(clean_type),
            file_type: if clean_type == file_type {
                file_type
            } else {
                clean_type
            },
            size,
            sha256,
        })
    }
}

/// Inspects and hashes a PDF on a thread of its own while its bytes are being received and
/// written, so the CPU work overlaps the network and the disk instead of adding to them.
struct PdfCheck {
    chunks: tokio::sync::mpsc::Sender<Bytes>,
    /// Set as soon as a problem is certain, so the upload stops early.
    failure: std::sync::Arc<std::sync::OnceLock<PdfProblem>>,
    done: tokio::task::JoinHandle<(Result<(), PdfProblem>, [u8; 32])>,
}

impl PdfCheck {
    fn start() -> Self {
        let (chunks, mut received) = tokio::sync::mpsc::channel::<Bytes>(16);
        let failure = std::sync::Arc::new(std::sync::OnceLock::new());
        let seen = failure.clone();
        let done = tokio::task::spawn_blocking(move || {
            let mut inspector = PdfInspector::new();
            let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
            let mut verdict = Ok(());
            while let Some(chunk) = received.blocking_recv() {
                if verdict.is_ok()
                    && let Err(problem) = inspector.feed(&chunk)
                {
                    let _ = seen.set(problem);
                    verdict = Err(problem);
                }
                sha2::Digest::update(&mut hasher, &chunk);
            }
            let verdict = verdict.and_then(|()| inspector.finish().map(|_| ()));
            (verdict, sha2::Digest::finalize(hasher).into())
        });
        Self {
            chunks,
            failure,
            done,
        }
    }

    async fn feed(&self, chunk: Bytes) -> Result<(), PdfProblem> {
        if let Some(problem) = self.failure.get() {
            return Err(*problem);
        }
        // The checker ends early only after a failure, which `finish` then reports.
        let _ = self.chunks.send(chunk).await;
        Ok(())
    }

    async fn finish(self) -> Result<[u8; 32], PdfProblem> {
        drop(self.chunks);
        match self.done.await {
            Ok((verdict, sha256)) => verdict.map(|()| sha256),
            Err(_) => Err(PdfProblem::TooComplex),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
