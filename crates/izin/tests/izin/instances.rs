//! Several `izin serve` processes on one PostgreSQL share sessions, codes and the mail queue.

use crate::support::{Server, code_in, wait_for_mail};
use serde_json::json;

#[tokio::test]
async fn a_code_requested_through_one_instance_is_accepted_by_another() {
    let Some(db) = izin_testkit::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (data_a, data_b) = (dir.path().join("a"), dir.path().join("b"));
    // Instances on one database share the key that seals the document-signing keys.
    let key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let shared = ["--database-url", &db.url, "--document-key", key];
    let a = Server::start(&data_a, &shared).await;
    let b = Server::start(&data_b, &shared).await;

    let accepted = a
        .request(
            "POST",
            "/api/v1/auth/email-code",
            &[],
            Some(&json!({"email": "shared@example.com"})),
        )
        .await
        .unwrap();
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    // Whichever instance's worker claims the message delivers it, exactly once.
    let mails = wait_for_mail(&[data_a.join("outbox"), data_b.join("outbox")], 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mails_after = wait_for_mail(&[data_a.join("outbox"), data_b.join("outbox")], 1).await;
    assert_eq!(mails_after.len(), 1, "delivered once: {mails_after:?}");
    let code = code_in(&mails[0]);

    let verified = b
        .request(
            "POST",
            "/api/v1/auth/email-code/verify",
            &[],
            Some(&json!({"challenge": accepted.json()["challenge"], "code": code})),
        )
        .await
        .unwrap();
    assert_eq!(verified.status, 200, "{}", verified.body);
    let token = verified.json()["token"].as_str().unwrap().to_owned();
    let bearer = format!("Bearer {token}");
    let me = a
        .request("GET", "/api/v1/me", &[("Authorization", &bearer)], None)
        .await
        .unwrap();
    assert_eq!(
        me.status, 200,
        "the session made by B is valid on A: {}",
        me.body
    );
    assert_eq!(me.json()["email"], "shared@example.com");
    // Signing out on A ends the session for B too.
    assert_eq!(
        a.request(
            "POST",
            "/api/v1/auth/logout",
            &[("Authorization", &bearer)],
            None
        )
        .await
        .unwrap()
        .status,
        204
    );
    assert_eq!(
        b.request("GET", "/api/v1/me", &[("Authorization", &bearer)], None)
            .await
            .unwrap()
            .status,
        401
    );
}

/// An instance given another document key than the one the database's signing key was sealed
/// with refuses to start, saying which setting is wrong, instead of signing with a key of its own.
#[tokio::test]
async fn an_instance_with_another_document_key_refuses_to_start() {
    let Some(db) = izin_testkit::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(&dir.path().join("a"), &["--database-url", &db.url]).await;
    drop(first);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_izin"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
        ])
        .env("IZIN_DATA_DIR", dir.path().join("b"))
        .env("IZIN_LOG", "warn")
        .output()
        .expect("run izin");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--document-key"), "{stderr}");
}
