//! Stored files (uploaded documents, later generated PDFs) in an object store: a local directory
//! by default, any S3-compatible service when configured. Writes stream in chunks, count and
//! hash as they go and stop at a size limit, so a large upload never sits whole in memory and
//! an oversized one leaves nothing behind.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

/// Where files are kept, as configured by `--files-url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesUrl {
    Local(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl FilesUrl {
    /// Accepts a directory path, `file:///dir`, or `s3://bucket/optional/prefix`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let bucket_ok = (3..=63).contains(&bucket.len())
                && bucket
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
            if !bucket_ok {
                return Err(format!("{bucket:?} is not an S3 bucket name"));
            }
            return Ok(FilesUrl::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
            });
        }
        if let Some(path) = raw.strip_prefix("file://") {
            return Ok(FilesUrl::Local(path.into()));
        }
        if raw.is_empty() || raw.contains("://") {
            return Err("expected a directory, file:///DIR or s3://BUCKET/PREFIX".into());
        }
        Ok(FilesUrl::Local(raw.into()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// Reading the upload failed (the client went away).
    #[error("reading the upload failed: {0}")]
    Source(String),
    #[error("no such file")]
    NotFound,
    #[error("file storage failed: {0}")]
    Storage(String),
}

impl From<object_store::Error> for FileError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => FileError::NotFound,
            other => FileError::Storage(other.to_string()),
        }
    }
}

/// What was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub size: u64,
    /// The content's SHA-256, unless the writer was asked not to hash (its caller does).
    pub sha256: Option<[u8; 32]>,
}

#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    described: String,
    /// Bytes buffered per part of a streaming write: S3 needs at least 5 MiB a part, a local
    /// directory is happy with small parts, which keeps uploads' memory low.
    part_size: usize,
    /// For a local directory: the root, so finished files can be flushed to disk (object_store
    /// does not), making a stored file survive power loss like the database row that names it.
    local_root: Option<PathBuf>,
}

/// Parts of a streaming write being stored while the next arrives: enough to keep the disk (or
/// S3) busy, few enough to bound an upload's memory.
const PARTS_IN_FLIGHT: usize = 4;

/// A streaming write in progress: counts, hashes and forwards chunks; `abort` leaves nothing.
pub struct Upload {
    writer: Writer,
    hasher: Option<Sha256>,
    size: u64,
}

enum Writer {
    /// Through object_store (S3 and other remote stores).
    Object(WriteMultipart),
    /// Straight to a local directory, on a thread of its own.
    Local(LocalWriter),
}

/// Writes a local file on a blocking thread fed through a small queue, so receiving the next
/// chunk and writing the last overlap. The file is flushed to disk as it grows (so the final
/// flush is short), completed under a temporary name and renamed only when whole and durable:
/// a half-written or abandoned upload never appears under its key.
struct LocalWriter {
    chunks: tokio::sync::mpsc::Sender<Bytes>,
    cancelled: Arc<std::sync::atomic::AtomicBool>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Unflushed bytes after which the local writer flushes what it has.
const LOCAL_FLUSH_EVERY: u64 = 2 * 1024 * 1024;

impl LocalWriter {
    fn start(path: PathBuf) -> Self {
        use std::io::Write;
        let (chunks, mut received) = tokio::sync::mpsc::channel::<Bytes>(16);
        let cancelled = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = cancelled.clone();
        let done = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            let dir = path
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            std::fs::create_dir_all(&dir)?;
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let staging = dir.join(format!(".{file_name}.part"));
            let result = (|| {
                let mut file = std::fs::File::create(&staging)?;
                let mut unflushed = 0u64;
                while let Some(chunk) = received.blocking_recv() {
                    file.write_all(&chunk)?;
                    unflushed += chunk.len() as u64;
                    if unflushed >= LOCAL_FLUSH_EVERY {
                        file.sync_data()?;
                        unflushed = 0;
                    }
                }
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    return Err(std::io::Error::other("upload aborted"));
                }
                file.sync_all()?;
                drop(file);
                std::fs::rename(&staging, &path)?;
                std::fs::File::open(&dir)?.sync_all()
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&staging);
            }
            result
        });
        Self {
            chunks,
            cancelled,
            done,
        }
    }
}

impl Upload {
    pub async fn write(&mut self, chunk: Bytes) -> Result<(), FileError> {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&chunk);
        }
        self.size += chunk.len() as u64;
        match &mut self.writer {
            Writer::Object(writer) => {
                writer
                    .wait_for_capacity(PARTS_IN_FLIGHT)
                    .await
                    .map_err(|e| FileError::Storage(e.to_string()))?;
                writer.write(&chunk);
                Ok(())
            }
            Writer::Local(local) => local
                .chunks
                .send(chunk)
                .await
                .map_err(|_| FileError::Storage("the file writer stopped".into())),
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub async fn finish(self) -> Result<StoredFile, FileError> {
        match self.writer {
            Writer::Object(writer) => {
                writer.finish().await?;
            }
            Writer::Local(local) => {
                drop(local.chunks);
                local
                    .done
                    .await
                    .map_err(|e| FileError::Storage(e.to_string()))?
                    .map_err(|e| FileError::Storage(format!("writing the file: {e}")))?;
            }
        }
        Ok(StoredFile {
            size: self.size,
            sha256: self.hasher.map(|h| h.finalize().into()),
        })
    }

    pub async fn abort(self) {
        match self.writer {
            Writer::Object(writer) => {
                if let Err(e) = writer.abort().await {
                    tracing::warn!(error = %e, "could not abort an upload; the orphan sweep will remove it");
                }
            }
            Writer::Local(local) => {
                local
                    .cancelled
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                drop(local.chunks);
                let _ = local.done.await;
            }
        }
    }
}

/// Flushes a file and its directory entry to disk.
async fn flush_to_disk(path: PathBuf) -> Result<(), FileError> {
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::File::open(&path)?.sync_all()?;
        if let Some(dir) = path.parent() {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })
    .await
    .map_err(|e| FileError::Storage(e.to_string()))?
    .map_err(|e| FileError::Storage(format!("flushing to disk: {e}")))
}

/// One stored object, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    pub key: String,
    pub last_modified: time::OffsetDateTime,
}

impl FileStore {
    pub fn open(url: &FilesUrl) -> Result<Self, String> {
        match url {
            FilesUrl::Local(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                let store = LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| format!("cannot use {}: {e}", dir.display()))?;
                Ok(Self {
                    store: Arc::new(store),
                    prefix: ObjectPath::default(),
                    described: format!("directory {}", dir.display()),
                    part_size: 1024 * 1024,
                    local_root: Some(dir.clone()),
                })
            }
            FilesUrl::S3 { bucket, prefix } => {
                // Credentials, region and endpoint come from the usual AWS_* variables.
                let store = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .build()
                    .map_err(|e| format!("S3 configuration: {e}"))?;
                Ok(Self {
                    store: Arc::new(store),
                    prefix: ObjectPath::from(prefix.as_str()),
                    described: format!("s3://{bucket}/{prefix}"),
                    part_size: 5 * 1024 * 1024,
                    local_root: None,
                })
            }
        }
    }

    /// A store over any object store (tests use the in-memory one).
    pub fn from_object_store(store: Arc<dyn ObjectStore>, described: &str) -> Self {
        Self {
            store,
            prefix: ObjectPath::default(),
            described: described.to_owned(),
            part_size: 256 * 1024,
            local_root: None,
        }
    }

    pub fn describe(&self) -> &str {
        &self.described
    }

    fn path(&self, key: &str) -> ObjectPath {
        ObjectPath::from_iter(self.prefix.parts().chain(ObjectPath::from(key).parts()))
    }

    /// Starts a streaming write to `key` that hashes what it writes.
    pub async fn begin_upload(&self, key: &str) -> Result<Upload, FileError> {
        self.start_upload(key, true).await
    }

    /// Starts a streaming write whose caller hashes the content itself (elsewhere, in parallel).
    pub async fn begin_unhashed_upload(&self, key: &str) -> Result<Upload, FileError> {
        self.start_upload(key, false).await
    }

    async fn start_upload(&self, key: &str, hash: bool) -> Result<Upload, FileError> {
        let writer = match self.local_path(key) {
            Some(path) => Writer::Local(LocalWriter::start(path)),
            None => {
                let upload = self.store.put_multipart(&self.path(key)).await?;
                Writer::Object(WriteMultipart::new_with_chunk_size(upload, self.part_size))
            }
        };
        Ok(Upload {
            writer,
            hasher: hash.then(Sha256::new),
            size: 0,
        })
    }

    /// Streams `source` into `key`, refusing (and removing) it past `limit` bytes.
    pub async fn put_stream<S, E>(
        &self,
        key: &str,
        mut source: S,
        limit: u64,
    ) -> Result<StoredFile, FileError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        let mut upload = self.begin_upload(key).await?;
        while let Some(chunk) = source.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    upload.abort().await;
                    return Err(FileError::Source(e.to_string()));
                }
            };
            if upload.size() + chunk.len() as u64 > limit {
                upload.abort().await;
                return Err(FileError::TooLarge { limit });
            }
            if let Err(e) = upload.write(chunk).await {
                upload.abort().await;
                return Err(e);
            }
        }
        upload.finish().await
    }

    pub async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<(), FileError> {
        self.store.put(&self.path(key), bytes.into()).await?;
        if let Some(path) = self.local_path(key) {
            flush_to_disk(path).await?;
        }
        Ok(())
    }

    /// Where a key's file lies in a local directory store.
    fn local_path(&self, key: &str) -> Option<PathBuf> {
        let root = self.local_root.as_ref()?;
        Some(
            self.path(key)
                .parts()
                .fold(root.clone(), |path, part| path.join(part.as_ref())),
        )
    }

    /// The file's content as a stream of chunks.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> Result<impl Stream<Item = Result<Bytes, FileError>> + Send + use<>, FileError> {
        let result = self.store.get(&self.path(key)).await?;
        Ok(result
            .into_stream()
            .map(|chunk| chunk.map_err(FileError::from)))
    }

    pub async fn get_bytes(&self, key: &str) -> Result<Bytes, FileError> {
        Ok(self.store.get(&self.path(key)).await?.bytes().await?)
    }

    /// Removes a file; removing a missing one is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Every key under `prefix`, for the orphan sweep.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, FileError> {
        Ok(self
            .list_with_times(prefix)
            .await?
            .into_iter()
            .map(|f| f.key)
            .collect())
    }

    /// Every object under `prefix` with its modification time.
    pub async fn list_with_times(&self, prefix: &str) -> Result<Vec<ListedFile>, FileError> {
        let base = self.path(prefix);
        let mut files = Vec::new();
        let mut listing = self.store.list(Some(&base));
        let strip = self.prefix.parts().count();
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            let parts: Vec<String> = meta
                .location
                .parts()
                .skip(strip)
                .map(|p| p.as_ref().to_owned())
                .collect();
            let last_modified =
                time::OffsetDateTime::from_unix_timestamp(meta.last_modified.timestamp())
                    .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            files.push(ListedFile {
                key: parts.join("/"),
                last_modified,
            });
        }
        Ok(files)
    }

    /// Writes, reads back and removes a probe object: proves the store is usable at start-up.
    pub async fn check(&self) -> Result<(), FileError> {
        let key = format!("probe/{}", uuid::Uuid::new_v4());
        self.put_bytes(&key, Bytes::from_static(b"izin")).await?;
        let back = self.get_bytes(&key).await?;
        self.delete(&key).await?;
        if back.as_ref() == b"izin" {
            Ok(())
        } else {
            Err(FileError::Storage(
                "the probe object read back differently".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    #[test]
    fn urls_select_the_store() {
        assert_eq!(
            FilesUrl::parse("./data/files").unwrap(),
            FilesUrl::Local("./data/files".into())
        );
        assert_eq!(
            FilesUrl::parse("file:///srv/izin").unwrap(),
            FilesUrl::Local("/srv/izin".into())
        );
        assert_eq!(
            FilesUrl::parse("s3://izin-docs/prod/").unwrap(),
            FilesUrl::S3 {
                bucket: "izin-docs".into(),
                prefix: "prod".into()
            }
        );
        assert!(FilesUrl::parse("s3://UPPER").is_err());
        assert!(FilesUrl::parse("ftp://x").is_err());
        assert!(FilesUrl::parse("").is_err());
    }

    fn chunks(total: usize) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin + Send {
        let chunk = Bytes::from(vec![7u8; 64 * 1024]);
        let count = total / chunk.len();
        stream::iter((0..count).map(move |_| Ok(chunk.clone())))
    }

    #[tokio::test]
    async fn streams_hash_and_enforce_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::open(&FilesUrl::Local(dir.path().to_owned())).unwrap();
        files.check().await.unwrap();
        let stored = files
            .put_stream("docs/a", chunks(1024 * 1024), 2 * 1024 * 1024)
            .await
            .unwrap();
        assert_eq!(stored.size, 1024 * 1024);
        let expected: [u8; 32] = Sha256::digest(vec![7u8; 1024 * 1024]).into();
        assert_eq!(stored.sha256, Some(expected));
        assert_eq!(files.get_bytes("docs/a").await.unwrap().len(), 1024 * 1024);

        let refused = files
            .put_stream("docs/b", chunks(3 * 1024 * 1024), 2 * 1024 * 1024)
            .await;
        assert!(matches!(refused, Err(FileError::TooLarge { .. })));
        assert!(matches!(
            files.get_bytes("docs/b").await,
            Err(FileError::NotFound)
        ));
        assert_eq!(files.list("docs").await.unwrap(), ["docs/a"]);
        // Nothing half-written is left in the directory either.
        let leftovers: Vec<_> = walk(dir.path());
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");

        files.delete("docs/a").await.unwrap();
        files.delete("docs/a").await.unwrap();
        assert!(files.list("docs").await.unwrap().is_empty());
    }

    fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }
}
