//! `izin keys export`, `izin keys rotate` and `izin verify-document`: a document signed with the
//! portal's key verifies offline against the exported key file — by its PDF or its QR text —
//! and still does after a rotation; a tampered payload or a key file without its key is refused.

use crate::support::izin;
use izin_app::proof::DocumentKeys;
use izin_domain::proof::keys::KeyEncryptionKey;
use izin_domain::proof::number::DocumentNumber;
use izin_domain::proof::payload::{PhotoHash, ProofPayload};
use izin_store::DatabaseUrl;
use std::path::Path;
use std::process::Output;
use time::macros::{date, datetime};

fn run(data: &Path, args: &[&str]) -> Output {
    izin()
        .args(args)
        .env("IZIN_DATA_DIR", data)
        .env("IZIN_LOG", "warn")
        .output()
        .expect("run izin")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A Proof Document PDF signed with the installation's current key, as the worker would sign it.
async fn signed_pdf(data: &Path, serial: u64) -> (Vec<u8>, String) {
    let kek = KeyEncryptionKey::parse(
        std::fs::read_to_string(data.join("document-key"))
            .expect("the key file serve made")
            .trim(),
    )
    .unwrap();
    let store = izin_app::storage::open(&DatabaseUrl::Sqlite {
        path: data.join("izin.db"),
    })
    .await
    .unwrap();
    let key = DocumentKeys::new(kek)
        .current(store.as_ref(), datetime!(2026-11-28 10:00 UTC))
        .await
        .unwrap();
    let signed = key
        .sign(&ProofPayload {
            number: DocumentNumber::new(2026, serial).unwrap(),
            valid_from: date!(2026 - 12 - 01),
            valid_until: date!(2027 - 02 - 26),
            holder_name: "Ayşe Nur Yılmaz".into(),
            photo_hash: PhotoHash::of(b""),
            key_id: key.key_id(),
        })
        .encode();
    let field = |label: &str, value: &str| izin_print::Field {
        label: izin_print::Bilingual {
            tr: label.into(),
            en: label.into(),
        },
        value: value.into(),
    };
    let pdf = izin_print::render_proof_document(&izin_print::ProofDocument {
        authority: izin_print::Bilingual {
            tr: "T.C. Çalışma ve Sosyal Güvenlik Bakanlığı".into(),
            en: "Ministry of Labour and Social Security".into(),
        },
        title: izin_print::Bilingual {
            tr: "Çalışma İzni Muafiyeti Belgesi".into(),
            en: "Proof Document of Work Permit Exemption".into(),
        },
        fields: vec![field("Name", "Ayşe Nur Yılmaz")],
        photo: None,
        qr_text: format!("http://127.0.0.1:8080/verify?p={signed}"),
        how_to_verify: izin_print::Bilingual {
            tr: "Doğrulayın.".into(),
            en: "Verify.".into(),
        },
        signature_line: signed.clone(),
        metadata: izin_print::Metadata {
            title: "Proof".into(),
            language: "tr".into(),
            created: datetime!(2026-11-28 10:00 UTC),
            signed_payload: signed.clone(),
        },
    })
    .unwrap();
    (pdf, signed)
}

#[tokio::test]
async fn documents_verify_offline_before_and_after_a_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The first use makes the document key file and the signing key.
    let exported = run(&data, &["keys", "export"]);
    assert!(exported.status.success(), "{}", text(&exported));
    assert!(data.join("document-key").exists());
    let (pdf, signed) = signed_pdf(&data, 42).await;
    let pdf_path = dir.path().join("proof.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let exported = run(&data, &["keys", "export"]);
    let keys_path = dir.path().join("izin-keys.json");
    std::fs::write(&keys_path, &exported.stdout).unwrap();
    let keys: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 1);
    assert_eq!(keys["keys"][0]["crv"], "Ed25519");
    assert!(
        !String::from_utf8_lossy(&exported.stdout).contains(
            std::fs::read_to_string(data.join("document-key"))
                .unwrap()
                .trim()
        ),
        "the document key is never exported"
    );

    let keys_arg = keys_path.to_str().unwrap();
    let valid = run(
        &data,
        &[
            "verify-document",
            "--keys",
            keys_arg,
            pdf_path.to_str().unwrap(),
        ],
    );
    assert!(valid.status.success(), "{}", text(&valid));
    assert!(
        text(&valid).contains(
            "signature valid, valid from 01/12/2026 until 26/02/2027; cancellation not checked — see /verify"
        ),
        "{}",
        text(&valid)
    );
    // The QR code's text verifies the same way.
    let qr = format!("http://127.0.0.1:8080/verify?p={signed}");
    assert!(
        run(&data, &["verify-document", "--keys", keys_arg, &qr])
            .status
            .success()
    );

    // A changed byte of the payload is a bad signature.
    let (prefix, rest) = signed.split_at(10);
    let flipped = if rest.starts_with('A') { 'B' } else { 'A' };
    let tampered = format!("{prefix}{flipped}{}", &rest[1..]);
    let bad = run(&data, &["verify-document", "--keys", keys_arg, &tampered]);
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("bad signature") || text(&bad).contains("not a document signature"),
        "{}",
        text(&bad)
    );

    // After a rotation, new documents use the new key and the old one still verifies.
    let rotated = run(&data, &["keys", "rotate"]);
    assert!(rotated.status.success(), "{}", text(&rotated));
    let (_, new_signed) = signed_pdf(&data, 43).await;
    let unknown = run(&data, &["verify-document", "--keys", keys_arg, &new_signed]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("unknown key"), "{}", text(&unknown));
    let exported = run(&data, &["keys", "export"]);
    std::fs::write(&keys_path, &exported.stdout).unwrap();
    let keys: serde_json::Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(keys["keys"].as_array().unwrap().len(), 2);
    for document in [pdf_path.to_str().unwrap(), new_signed.as_str()] {
        let answer = run(&data, &["verify-document", "--keys", keys_arg, document]);
        assert!(answer.status.success(), "{}", text(&answer));
    }
}
