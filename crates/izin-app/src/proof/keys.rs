//! The keys that sign Proof Documents. They live in the database, sealed with the key-encryption
//! key from the settings (or a key file), so every instance signs with the same key and a copy
//! of the database alone cannot forge a document. The first instance to need a key makes it;
//! `izin keys rotate` retires it for a new one, and retired keys keep verifying what they signed.

use izin_domain::proof::keys::{
    DocumentSigningKey, KeyEncryptionKey, KeyId, PublicKey, PublishedKey, PublishedKeys, SealedKey,
};
use izin_store::{Store, StoreError, StoredSigningKey};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// How long an instance signs with the key it last read: a rotation made elsewhere is picked up
/// within this time (documents signed meanwhile with the retired key still verify).
const CURRENT_KEY_TTL: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored key cannot be opened with the configured key-encryption key.
    #[error(
        "signing key {key_id} cannot be unsealed: the document key (--document-key or \
         --document-key-file) is not the one it was sealed with"
    )]
    Unseal { key_id: String },
    #[error("stored signing key {0} is corrupt")]
    Corrupt(String),
}

pub struct DocumentKeys {
    kek: KeyEncryptionKey,
    current: Mutex<Option<(Instant, Arc<DocumentSigningKey>)>>,
}

impl DocumentKeys {
    pub fn new(kek: KeyEncryptionKey) -> Self {
        Self {
            kek,
            current: Mutex::new(None),
        }
    }

    /// The key documents are signed with now; made (and stored sealed) on first use.
    pub async fn current(
        &self,
        store: &dyn Store,
        now: OffsetDateTime,
    ) -> Result<Arc<DocumentSigningKey>, KeyError> {
        if let Ok(cached) = self.current.lock()
            && let Some((read_at, key)) = cached.as_ref()
            && read_at.elapsed() < CURRENT_KEY_TTL
        {
            return Ok(key.clone());
        }
        // Two rounds at most: a first start that loses the race reads the winner's key.
        for _ in 0..2 {
            let stored = store.signing_keys().await?;
            if let Some(current) = stored.iter().find(|k| k.retired_at.is_none()) {
                let key = Arc::new(self.unseal(current)?);
                if let Ok(mut cached) = self.current.lock() {
                    *cached = Some((Instant::now(), key.clone()));
                }
                return Ok(key);
            }
            store.add_signing_key(self.new_key(now)?, false).await?;
        }
        Err(KeyError::Corrupt(
            "no current key after creating one".into(),
        ))
    }

    /// Retires the current key for a new one; answers the new key's id.
    pub async fn rotate(&self, store: &dyn Store, now: OffsetDateTime) -> Result<KeyId, KeyError> {
        let key = self.new_key(now)?;
        let id = key.key_id.clone();
        store.add_signing_key(key, true).await?;
        if let Ok(mut cached) = self.current.lock() {
            *cached = None;
        }
        KeyId::parse(&id).map_err(|_| KeyError::Corrupt(id))
    }

    fn new_key(&self, now: OffsetDateTime) -> Result<StoredSigningKey, KeyError> {
        let mut rng = rand::rng();
        let key = DocumentSigningKey::generate(&mut rng);
        let sealed = SealedKey::seal(&key, &self.kek, &mut rng)
            .map_err(|e| KeyError::Corrupt(format!("sealing a new key: {e}")))?;
        Ok(StoredSigningKey {
            key_id: key.key_id().to_string(),
            public_key: key.public_key().to_bytes().to_vec(),
            sealed_key: sealed.as_bytes().to_vec(),
            created_at: now,
            retired_at: None,
        })
    }

    fn unseal(&self, stored: &StoredSigningKey) -> Result<DocumentSigningKey, KeyError> {
        let id =
            KeyId::parse(&stored.key_id).map_err(|_| KeyError::Corrupt(stored.key_id.clone()))?;
        SealedKey::from_bytes(&stored.sealed_key)
            .map_err(|_| KeyError::Corrupt(stored.key_id.clone()))?
            .unseal(&self.kek, &id)
            .map_err(|_| KeyError::Unseal {
                key_id: stored.key_id.clone(),
            })
    }
}

/// Every key that ever signed a document, as published at `/.well-known/izin-keys.json`.
pub async fn published_keys(store: &dyn Store) -> Result<PublishedKeys, KeyError> {
    let keys = store
        .signing_keys()
        .await?
        .into_iter()
        .map(|stored| {
            let bytes: [u8; 32] = stored
                .public_key
                .as_slice()
                .try_into()
                .map_err(|_| KeyError::Corrupt(stored.key_id.clone()))?;
            let public_key = PublicKey::from_bytes(&bytes)
                .map_err(|_| KeyError::Corrupt(stored.key_id.clone()))?;
            Ok(PublishedKey {
                public_key,
                created: stored.created_at,
                retired: stored.retired_at,
            })
        })
        .collect::<Result<Vec<_>, KeyError>>()?;
    Ok(PublishedKeys { keys })
}
