//! `izin keys rotate` and `izin keys export`: the keys that sign Proof Documents, with the same
//! storage settings as `serve`; and `izin verify-document`, which checks a document offline
//! against a published key file and needs no database at all.

use crate::config::Config;
use crate::serve::{document_key, open_store, prepare_data_dir};
use anyhow::{Context, bail};
use izin_app::proof::DocumentKeys;
use izin_app::proof::keys::published_keys;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::calendar::display_date;
use izin_domain::proof::keys::PublishedKeys;
use izin_domain::proof::payload::{SignedProof, VerifyError, verify};
use izin_store::NewAuditEntry;
use std::path::Path;

/// Retires the current signing key for a new one; documents signed before keep verifying.
pub async fn rotate(config: Config) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    let keys = DocumentKeys::new(document_key(&config)?);
    let now = time::OffsetDateTime::now_utc();
    // Opening the current key first proves the document key is the right one before retiring.
    keys.current(store.as_ref(), now)
        .await
        .context("cannot open the current signing key")?;
    let id = keys
        .rotate(store.as_ref(), now)
        .await
        .context("cannot rotate the signing key")?;
    store
        .append_audit(
            NewAuditEntry::new(
                now,
                Actor::System,
                AuditAction::SigningKeyRotated,
                &ClientInfo::default(),
            )
            .subject(format!("signing_key:{id}")),
        )
        .await?;
    println!(
        "Documents are now signed with key {id}. Running instances switch to it within 30 \
         seconds; documents signed with the retired key still verify."
    );
    Ok(())
}

/// Prints the public keys, as `/.well-known/izin-keys.json` publishes them.
pub async fn export(config: Config) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let store = open_store(&config).await?;
    // As at a first start: a portal that never signed anything gets its key now.
    DocumentKeys::new(document_key(&config)?)
        .current(store.as_ref(), time::OffsetDateTime::now_utc())
        .await
        .context("cannot open the current signing key")?;
    let keys = published_keys(store.as_ref()).await?;
    println!("{}", serde_json::to_string_pretty(&keys)?);
    Ok(())
}

/// What offline verification concluded, as printed.
pub fn verify_text(keys: &PublishedKeys, input: &str) -> Result<String, String> {
    let signed =
        SignedProof::from_qr_text(input).map_err(|e| format!("not a document signature: {e}"))?;
    match verify(&signed, keys) {
        Ok(payload) => Ok(format!(
            "signature valid, valid from {} until {}; cancellation not checked — see /verify\n\
             document {} of {} (key {})",
            display_date(payload.valid_from),
            display_date(payload.valid_until),
            payload.number,
            payload.holder_name,
            payload.key_id,
        )),
        Err(VerifyError::UnknownKey(id)) => Err(format!(
            "unknown key {id}: it is not in the key file (download /.well-known/izin-keys.json again)"
        )),
        Err(VerifyError::BadSignature) => {
            Err("bad signature: the document was altered or is not genuine".into())
        }
    }
}

/// `izin verify-document --keys FILE DOCUMENT`: DOCUMENT is a PDF file, or the text of its QR
/// code (the /verify link or the bare signature).
pub fn verify_document(keys_file: &Path, document: &str) -> anyhow::Result<()> {
    let keys_json = std::fs::read_to_string(keys_file)
        .with_context(|| format!("{}: cannot read the key file", keys_file.display()))?;
    let keys: PublishedKeys = serde_json::from_str(&keys_json)
        .with_context(|| format!("{}: not a key file", keys_file.display()))?;
    let path = Path::new(document);
    let input = if path.is_file() {
        let bytes = std::fs::read(path)
            .with_context(|| format!("{}: cannot read the document", path.display()))?;
        match izin_print::signed_payload_from_pdf(&bytes) {
            Some(payload) => payload,
            None => bail!(
                "{}: no document signature found (not a Proof Document of this portal?)",
                path.display()
            ),
        }
    } else {
        document.to_owned()
    };
    match verify_text(&keys, &input) {
        Ok(text) => {
            println!("{text}");
            Ok(())
        }
        Err(text) => bail!("{text}"),
    }
}
