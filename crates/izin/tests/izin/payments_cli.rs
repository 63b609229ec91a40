//! `izin payments import FILE`: a bank's collection file imported into an application waiting
//! for payment, twice (the second time everything is a duplicate), and a file with a bad line
//! refused whole.

use crate::support::izin;
use izin_domain::application::{Blocking, Event, ExemptionStatus, Kind, Status};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::identifiers::ForeignerId;
use izin_domain::money::{Amount, FeeKind, Money};
use izin_domain::officer::Authority;
use izin_domain::otp::OtpPolicy;
use izin_domain::{EmailAddress, Language};
use izin_store::*;
use std::ffi::OsStr;
use std::path::Path;
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

fn audit(now: OffsetDateTime, actor: Actor) -> NewAuditEntry {
    NewAuditEntry::new(
        now,
        actor,
        AuditAction::ApplicationMoved,
        &ClientInfo::default(),
    )
}

fn amount(account: &str, kind: FeeKind, kurus: i64, year: i32) -> Amount {
    Amount {
        account_code: account.into(),
        kind,
        amount: Money(kurus),
        currency: "TRY".into(),
        year,
        published: true,
    }
}

/// A user signed up the way the portal does it (a code, then its sign-in).
async fn user(store: &Arc<dyn Store>, email: &str, now: OffsetDateTime) -> User {
    let address = EmailAddress::parse(email).unwrap();
    let code_hash = [1u8; 32];
    let challenge_hash = [2u8; 32];
    store
        .issue_login_code(IssueLoginCode {
            email: address.clone(),
            code_hash,
            challenge_hash,
            policy: OtpPolicy::default(),
            now,
            mail: NewMail {
                kind: "login-code".into(),
                recipient: email.into(),
                language: Language::En,
                subject: "code".into(),
                body_text: "code".into(),
                body_html: None,
                not_after: Some(now),
            },
            client: ClientInfo::default(),
            declared: None,
        })
        .await
        .unwrap();
    match store
        .sign_in_with_code(CodeAttempt {
            challenge_hash,
            email: Some(address),
            submitted_hash: code_hash,
            policy: OtpPolicy::default(),
            now,
            new_user_id: Uuid::now_v7(),
            language: Language::En,
            session_token_hash: [3u8; 32],
            client: ClientInfo::default(),
        })
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn { user, .. } => user,
        other => panic!("{other:?}"),
    }
}

/// A work-permit exemption submitted, taken and approved with the exemption fee and the card
/// due: PAYMENT_PENDING with its notice for `foreigner`.
async fn pending(store: &Arc<dyn Store>, foreigner: &ForeignerId, items: Vec<Amount>) -> Uuid {
    let now = OffsetDateTime::now_utc();
    let user = user(store, "payer@example.com", now).await;
    let id = Uuid::now_v7();
    let columns = ApplicationColumns {
        category: Some("compulsory-internship".into()),
        ..Default::default()
    };
    store
        .create_application(NewApplication {
            id,
            user_id: user.id,
            kind: Kind::WorkPermitExemption,
            parent: None,
            data: serde_json::json!({"category": "compulsory-internship"}),
            columns: columns.clone(),
            now,
            audit: audit(now, Actor::User(user.id)),
        })
        .await
        .unwrap();
    let submitted = store
        .submit_application(Submission {
            owner: user.id,
            id,
            idempotency_key: None,
            expected_edits: 0,
            snapshot: serde_json::json!({"data": {"category": "compulsory-internship"}}),
            columns,
            documents: Vec::new(),
            queue: None,
            year: now.year(),
            blocking: Blocking::default(),
            now,
            mail: None,
            payment: None,
            audit: audit(now, Actor::User(user.id)),
        })
        .await
        .unwrap();
    assert!(matches!(submitted, SubmitOutcome::Submitted { .. }));
    let officer = Actor::Officer(Uuid::now_v7());
    for (event, payment) in [
        (Event::StartEvaluation, None),
        (
            Event::ApproveWithFees,
            Some(NewNotice {
                authority: Authority::Labour,
                foreigner_id: foreigner.as_str().to_owned(),
                foreigner_id_assigned: false,
                items: items.clone(),
                deadline: izin_domain::payment::deadline(now, 30),
                on_approval: Some(ExemptionStatus::Active),
                basis: None,
                mail: PaymentMail::none(),
            }),
        ),
    ] {
        let moved = store
            .transition_application(Transition {
                id,
                owner: None,
                event,
                actor: officer,
                reason: None,
                fees_due: payment.is_some(),
                approval_outcome: Some(ExemptionStatus::Active),
                resubmission: None,
                officer: None,
                payment,
                now,
                mail: None,
                audit: audit(now, officer),
            })
            .await
            .unwrap();
        assert!(
            matches!(moved, TransitionOutcome::Moved { .. }),
            "{moved:?}"
        );
    }
    id
}

fn import(storage: &[&OsStr], file: &Path) -> std::process::Output {
    izin()
        .args(["payments", "import"])
        .arg(file)
        .args(storage)
        .env("IZIN_LOG", "warn")
        .output()
        .unwrap()
}

fn printed(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn collection_file(dir: &Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let mut text = String::from("receipt_no,bank,paid_at,account_code,foreigner_id,amount\n");
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn a_collection_file_imports_once_and_a_bad_one_not_at_all(
    url: DatabaseUrl,
    storage: &[&OsStr],
    dir: &Path,
) {
    let payer = ForeignerId::assigned(4_242_001);
    let stranger = ForeignerId::assigned(4_242_002);
    let year = OffsetDateTime::now_utc()
        .to_offset(izin_domain::calendar::TURKIYE)
        .year();
    let id = {
        let store = izin_store::open(&url).await.unwrap();
        pending(
            &store,
            &payer,
            vec![
                amount("9280", FeeKind::ExemptionFee, 1_257_492, year),
                amount("9268", FeeKind::ValuablePaperFee, 96_400, year),
            ],
        )
        .await
    };
    let paid_at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap();
    let (payer, stranger) = (payer.as_str(), stranger.as_str());
    let good = collection_file(
        dir,
        "ziraat-2026-12-01.csv",
        &[
            format!("000121,ZIRAAT,{paid_at},9268,{payer},1.00"),
            format!("000122,ZIRAAT,{paid_at},9280,{payer},12574.92"),
            format!("000123,ZIRAAT,{paid_at},9268,{payer},964.00"),
            format!("000124,ZIRAAT,{paid_at},9268,{stranger},964.00"),
        ],
    );
    assert_eq!(
        printed(&import(storage, &good)),
        "receipts: 4\nmatched: 2\nunmatched: 2\n  000121: wrong_amount\n  000124: unknown_reference\n\
         duplicates skipped: 0\napplications approved: 1\n\
         The approval mails are queued; a running `izin serve` sends them.\n"
    );
    assert_eq!(
        printed(&import(storage, &good)),
        "receipts: 4\nmatched: 0\nunmatched: 0\nduplicates skipped: 4\napplications approved: 0\n"
    );
    // One bad line refuses the whole file, naming it: its good receipt is not stored.
    let bad = collection_file(
        dir,
        "halkbank.csv",
        &[
            format!("777001,HALKBANK,{paid_at},9268,{payer},964.00"),
            format!("777002,HALKBANK,{paid_at},9268,{payer},964"),
        ],
    );
    let refused = import(storage, &bad);
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim_end(),
        format!(
            "izin: {}: line 3: amount \"964\" must have a dot and two decimals, such as 964.00",
            bad.display()
        )
    );
    let store = izin_store::open(&url).await.unwrap();
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle.status, Status::Approval);
    assert_eq!(
        record.lifecycle.exemption,
        Some(ExemptionStatus::Active),
        "the approval starts the exemption"
    );
    let receipts = store.receipts_for(id).await.unwrap();
    let numbers: Vec<_> = receipts
        .iter()
        .map(|r| (r.receipt_no.clone().unwrap_or_default(), r.matched))
        .collect();
    assert_eq!(
        numbers,
        [
            ("000121".to_owned(), false),
            ("000122".to_owned(), true),
            ("000123".to_owned(), true)
        ],
        "the refused file stored nothing"
    );
    let missing = import(storage, &dir.join("missing.csv"));
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing.csv: cannot read"));
}

#[tokio::test]
async fn a_collection_file_imports_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    a_collection_file_imports_once_and_a_bad_one_not_at_all(
        DatabaseUrl::Sqlite {
            path: data.join("izin.db"),
        },
        &["--data-dir".as_ref(), data.as_os_str()],
        dir.path(),
    )
    .await;
}

#[tokio::test]
async fn a_collection_file_imports_once_on_postgres() {
    let Some(db) = izin_testkit::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    a_collection_file_imports_once_and_a_bad_one_not_at_all(
        DatabaseUrl::Postgres {
            url: db.url.clone(),
        },
        &[
            "--data-dir".as_ref(),
            dir.path().as_os_str(),
            "--database-url".as_ref(),
            db.url.as_ref(),
        ],
        dir.path(),
    )
    .await;
}
