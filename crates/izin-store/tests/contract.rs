//! The storage contract: every test runs against SQLite and against PostgreSQL, and both must
//! behave identically.

use izin_domain::application::{Blocking, ExemptionStatus, Kind};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::otp::{CodeRejection, OtpPolicy};
use izin_domain::{EmailAddress, Language};
use izin_store::*;
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const T0: OffsetDateTime = datetime!(2026-11-22 09:00 UTC);

/// Keeps a test's database alive while its store is in use.
#[allow(dead_code)]
enum Guard {
    Sqlite(tempfile::TempDir),
    Postgres(izin_testkit::PgDatabase),
}

async fn sqlite_store() -> (Arc<dyn Store>, Guard) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::Sqlite {
        path: dir.path().join("izin.db"),
    };
    (open(&url).await.expect("open sqlite"), Guard::Sqlite(dir))
}

async fn postgres_store() -> Option<(Arc<dyn Store>, Guard)> {
    let db = izin_testkit::postgres().await?;
    let store = open(&DatabaseUrl::Postgres {
        url: db.url.clone(),
    })
    .await
    .expect("open postgres");
    Some((store, Guard::Postgres(db)))
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (store, guard) = super::sqlite_store().await;
                    super::$name(store, &guard).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some((store, guard)) = super::postgres_store().await else { return };
                    super::$name(store, &guard).await;
                }
            )*
        }
    };
}

contract!(
    secrets_are_created_once,
    a_right_code_signs_in_and_creates_the_account_once,
    a_declared_passport_signs_in_only_when_it_matched_and_is_kept_as_declared,
    wrong_codes_are_counted_and_the_sixth_entry_is_refused,
    a_newer_code_supersedes_older_ones,
    codes_are_single_use_and_expire,
    codes_are_bound_to_their_address,
    a_second_code_within_a_minute_is_refused,
    a_stranger_without_the_challenge_cannot_wear_out_a_code,
    another_clients_requests_do_not_hold_back_an_address,
    one_client_may_enter_only_so_many_codes_an_hour,
    an_address_gets_at_most_ten_codes_an_hour,
    one_client_address_is_limited,
    concurrent_code_requests_issue_one_code,
    concurrent_sign_ins_with_one_code_make_one_session,
    sessions_are_found_touched_and_ended,
    the_outbox_leases_retries_and_forgets_bodies,
    the_audit_log_is_append_only,
    purge_removes_only_what_has_expired,
    user_language_changes_are_audited,
    profile_sections_are_saved_alone,
    verified_fields_are_remembered,
    documents_belong_to_their_owner,
    cited_documents_cannot_be_deleted_and_are_replaced_by_new_ones,
    uncited_documents_are_replaced_in_place_and_drafts_follow,
    storage_keys_tell_orphans_apart,
    drafts_are_owned_saved_and_deleted,
    submission_freezes_the_application_and_queues_its_mail,
    one_pending_application_at_a_time,
    an_application_about_another_is_blocked_only_by_its_siblings,
    concurrent_submissions_make_one_application,
    application_numbers_count_on_past_six_digits,
    the_lifecycle_is_recorded_move_by_move,
    concurrent_writes_commit_or_fail_independently,
    registry_records_are_imported_and_found,
    importing_registry_records_twice_changes_nothing,
    a_keyed_registry_record_is_corrected_by_a_later_import,
    unknown_registry_keys_find_nothing,
    a_replacing_import_leaves_only_the_new_story_of_each_person,
    officers_are_added_once_per_address_and_disabled_with_an_audit_entry,
    a_totp_step_and_a_recovery_code_are_used_once_even_concurrently,
    the_queue_shows_an_authority_its_submissions_filtered_and_searched,
    queue_pages_follow_their_cursor_while_applications_arrive,
    queue_counts_follow_submissions_and_moves,
    one_officer_takes_an_application_even_when_two_try_at_once,
    applications_are_released_and_given_while_open,
    officers_move_only_what_they_hold_and_a_refused_move_leaves_nothing,
    proposals_are_recorded_by_the_holder_under_evaluation,
    notes_are_kept_per_application_with_their_author,
    officer_sessions_use_their_code_once_and_end_with_the_officer,
    an_approval_with_fees_leaves_a_notice_and_its_mail,
    a_submission_with_a_fixed_price_waits_for_payment_at_once,
    an_exact_payment_of_every_amount_approves,
    payments_that_do_not_fit_are_kept_unmatched_with_their_reason,
    a_replayed_payment_is_a_duplicate_and_changes_nothing,
    two_pending_applications_owing_the_same_amount_make_a_payment_ambiguous,
    a_payment_arriving_after_the_deadline_rejection_is_told_apart,
    twenty_concurrent_replays_store_one_receipt_and_approve_once,
    the_deadline_job_rejects_once_and_leaves_what_is_not_due,
    a_crash_between_listing_and_expiring_loses_nothing,
    the_reminder_is_sent_once,
    a_new_years_rates_apply_once_and_keep_the_earlier_amount,
    missing_rates_are_marked_once,
    a_payment_made_in_time_reinstates_a_rejected_application,
    unmatched_receipts_are_listed_per_authority_newest_first_page_by_page,
    foreigner_ids_in_use_are_recognised,
    foreigner_id_serials_are_drawn_once_each,
    a_payment_and_the_deadline_job_at_once_never_both_win,
    an_approval_issues_one_document_whose_mail_waits_for_it,
    a_failed_production_is_retried_and_a_lapsed_lease_is_claimed_again,
    a_new_cards_document_replaces_the_one_before_it,
    cancellation_and_expiry_show_through_the_exemption,
    one_signing_key_is_current_and_rotation_retires_it,
    a_verify_lookup_answers_the_document_and_the_guesses_at_once,
    cards_are_printed_shipped_and_tracked_once_per_report,
    a_returned_card_is_reshipped_once,
);

fn client() -> ClientInfo {
    ClientInfo::new(Some("192.0.2.7".into()), Some("contract-test"))
}

fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).expect("valid address")
}

fn hash(text: &str) -> Hash32 {
    let mut h = [0u8; 32];
    for (i, b) in text.bytes().enumerate() {
        h[i % 32] ^= b.wrapping_add(i as u8);
    }
    h[31] ^= text.len() as u8;
    h
}

fn code_mail(to: &EmailAddress, now: OffsetDateTime) -> NewMail {
    NewMail {
        kind: "login-code".into(),
        recipient: to.as_str().into(),
        language: Language::En,
        subject: "Your code".into(),
        body_text: "123456".into(),
        body_html: None,
        not_after: Some(now + Duration::minutes(10)),
    }
}

/// The challenge a client asking for codes for `to` holds (the same for every request of that
/// client, as a page's resend keeps it).
fn challenge_of(to: &EmailAddress) -> Hash32 {
    hash(&format!("challenge:{}", to.key()))
}

fn issue_request(to: &EmailAddress, code: &str, now: OffsetDateTime) -> IssueLoginCode {
    let challenge_hash = challenge_of(to);
    IssueLoginCode {
        email: to.clone(),
        code_hash: hash(&format!("{challenge_hash:?}:{code}")),
        challenge_hash,
        policy: OtpPolicy::default(),
        now,
        mail: code_mail(to, now),
        client: client(),
        declared: None,
    }
}

fn attempt(to: &EmailAddress, code: &str, now: OffsetDateTime) -> CodeAttempt {
    let challenge_hash = challenge_of(to);
    CodeAttempt {
        challenge_hash,
        email: Some(to.clone()),
        submitted_hash: hash(&format!("{challenge_hash:?}:{code}")),
        policy: OtpPolicy::default(),
        now,
        new_user_id: Uuid::new_v4(),
        language: Language::Tr,
        session_token_hash: hash(&Uuid::new_v4().to_string()),
        client: client(),
    }
}

async fn issue(store: &Arc<dyn Store>, to: &EmailAddress, code: &str, now: OffsetDateTime) {
    let outcome = store
        .issue_login_code(issue_request(to, code, now))
        .await
        .unwrap();
    assert!(
        matches!(outcome, IssueOutcome::Issued { .. }),
        "{outcome:?}"
    );
}

async fn rejection(store: &Arc<dyn Store>, a: CodeAttempt) -> CodeRejection {
    match store.sign_in_with_code(a).await.unwrap() {
        SignInOutcome::Rejected(r) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

async fn secrets_are_created_once(store: Arc<dyn Store>, _: &Guard) {
    let first = store.secret("session-key", &[1; 32]).await.unwrap();
    let second = store.secret("session-key", &[2; 32]).await.unwrap();
    assert_eq!(first, vec![1; 32]);
    assert_eq!(second, first);
    assert_eq!(store.secret("other", &[3; 32]).await.unwrap(), vec![3; 32]);
}

async fn a_right_code_signs_in_and_creates_the_account_once(store: Arc<dyn Store>, _: &Guard) {
    let address = email("Ayse.Yilmaz@Example.com");
    issue(&store, &address, "111111", T0).await;
    let first = attempt(&address, "111111", T0 + Duration::minutes(1));
    let token = first.session_token_hash;
    let SignInOutcome::SignedIn { user, created } = store.sign_in_with_code(first).await.unwrap()
    else {
        panic!("the right code must sign in");
    };
    assert!(created);
    assert_eq!(user.email, "Ayse.Yilmaz@Example.com");
    assert_eq!(user.language, Language::Tr);
    let session = store
        .session(&token)
        .await
        .unwrap()
        .expect("session stored");
    assert_eq!(session.user, user);

    // The same person returns, typing the address in another case.
    let again = email("ayse.yilmaz@example.com");
    issue(&store, &again, "222222", T0 + Duration::minutes(5)).await;
    let SignInOutcome::SignedIn {
        user: returning,
        created,
    } = store
        .sign_in_with_code(attempt(&again, "222222", T0 + Duration::minutes(6)))
        .await
        .unwrap()
    else {
        panic!("returning user signs in");
    };
    assert!(!created);
    assert_eq!(returning.id, user.id);
    assert_eq!(
        returning.email, "Ayse.Yilmaz@Example.com",
        "the first spelling is kept"
    );
    assert_eq!(
        store
            .user_by_email_key(again.key())
            .await
            .unwrap()
            .unwrap()
            .id,
        user.id
    );

    let audit = store
        .audit_entries(Some(&format!("user:{}", user.id)), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["auth.signed_in", "auth.signed_in", "account.created"]
    );
    assert_eq!(audit[0].ip.as_deref(), Some("192.0.2.7"));
    assert_eq!(audit[0].actor_id, Some(user.id));
}

async fn a_declared_passport_signs_in_only_when_it_matched_and_is_kept_as_declared(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::identifiers::PassportNumber;
    use izin_domain::profile::CountryCode;
    use izin_domain::ways_in::{Declaration, Declared, PassportDeclaration};
    let address = email("passport.holder@example.com");
    let declaration = Declaration::Passport(PassportDeclaration {
        passport_number: PassportNumber::parse("U12345678").unwrap(),
        passport_country: CountryCode::parse("DEU").unwrap(),
        birth_year: 1990,
    });
    let declared = |matched| {
        Some(Declared {
            declaration: declaration.clone(),
            matched,
        })
    };
    // No record matched: the right code is used up, yet nobody signs in and no account is made.
    let mut request = issue_request(&address, "111111", T0);
    request.declared = declared(false);
    store.issue_login_code(request).await.unwrap();
    assert_eq!(
        store
            .sign_in_with_code(attempt(&address, "111111", T0 + Duration::minutes(1)))
            .await
            .unwrap(),
        SignInOutcome::DeclarationNotMatched
    );
    assert_eq!(
        rejection(
            &store,
            attempt(&address, "111111", T0 + Duration::minutes(1))
        )
        .await,
        CodeRejection::AlreadyUsed
    );
    // A match signs into the address's account (new here) and keeps what was declared.
    let mut request = issue_request(&address, "222222", T0 + Duration::minutes(3));
    request.declared = declared(true);
    store.issue_login_code(request).await.unwrap();
    let SignInOutcome::SignedIn { user, created } = store
        .sign_in_with_code(attempt(&address, "222222", T0 + Duration::minutes(4)))
        .await
        .unwrap()
    else {
        panic!("a matched declaration signs in");
    };
    assert!(created, "the unmatched attempt made no account");
    assert_eq!(
        store.declared_identity(user.id).await.unwrap(),
        Some((declaration.clone(), T0 + Duration::minutes(4)))
    );
    // A plain e-mail sign-in reaches the same account and leaves the declaration as it was.
    issue(&store, &address, "333333", T0 + Duration::minutes(6)).await;
    let SignInOutcome::SignedIn {
        user: returning,
        created,
    } = store
        .sign_in_with_code(attempt(&address, "333333", T0 + Duration::minutes(7)))
        .await
        .unwrap()
    else {
        panic!("the e-mail way in still works");
    };
    assert!(!created);
    assert_eq!(returning.id, user.id);
    assert_eq!(
        store.declared_identity(user.id).await.unwrap(),
        Some((declaration, T0 + Duration::minutes(4)))
    );
    assert_eq!(store.declared_identity(Uuid::new_v4()).await.unwrap(), None);
}

async fn wrong_codes_are_counted_and_the_sixth_entry_is_refused(store: Arc<dyn Store>, _: &Guard) {
    let address = email("guess@example.com");
    issue(&store, &address, "123456", T0).await;
    for left in (1..5).rev() {
        assert_eq!(
            rejection(&store, attempt(&address, "000000", T0)).await,
            CodeRejection::Wrong {
                attempts_left: left
            }
        );
    }
    assert_eq!(
        rejection(&store, attempt(&address, "000000", T0)).await,
        CodeRejection::Voided
    );
    // The right code no longer works after five wrong entries.
    assert_eq!(
        rejection(&store, attempt(&address, "123456", T0)).await,
        CodeRejection::Voided
    );
    // A new code starts afresh.
    issue(&store, &address, "654321", T0 + Duration::minutes(2)).await;
    assert!(matches!(
        store
            .sign_in_with_code(attempt(&address, "654321", T0 + Duration::minutes(2)))
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
}

async fn a_newer_code_supersedes_older_ones(store: Arc<dyn Store>, _: &Guard) {
    let address = email("twice@example.com");
    issue(&store, &address, "111111", T0).await;
    issue(&store, &address, "222222", T0 + Duration::minutes(1)).await;
    let now = T0 + Duration::minutes(2);
    assert_eq!(
        rejection(&store, attempt(&address, "111111", now)).await,
        CodeRejection::Superseded
    );
    assert!(matches!(
        store
            .sign_in_with_code(attempt(&address, "222222", now))
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
}

async fn codes_are_single_use_and_expire(store: Arc<dyn Store>, _: &Guard) {
    let address = email("once@example.com");
    issue(&store, &address, "111111", T0).await;
    assert!(matches!(
        store
            .sign_in_with_code(attempt(&address, "111111", T0))
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
    assert_eq!(
        rejection(&store, attempt(&address, "111111", T0)).await,
        CodeRejection::AlreadyUsed
    );

    let late = email("late@example.com");
    issue(&store, &late, "333333", T0).await;
    assert_eq!(
        rejection(&store, attempt(&late, "333333", T0 + Duration::minutes(10))).await,
        CodeRejection::Expired
    );
    let never = email("never@example.com");
    assert_eq!(
        rejection(&store, attempt(&never, "333333", T0)).await,
        CodeRejection::NoCode
    );
}

async fn codes_are_bound_to_their_address(store: Arc<dyn Store>, _: &Guard) {
    let owner = email("owner@example.com");
    let other = email("other@example.com");
    issue(&store, &owner, "444444", T0).await;
    issue(&store, &other, "555555", T0).await;
    // The owner's code entered for another address is just a wrong code there.
    assert_eq!(
        rejection(&store, attempt(&other, "444444", T0)).await,
        CodeRejection::Wrong { attempts_left: 4 }
    );
}

async fn a_stranger_without_the_challenge_cannot_wear_out_a_code(store: Arc<dyn Store>, _: &Guard) {
    let victim = email("victim@example.com");
    issue(&store, &victim, "123456", T0).await;
    // Someone who knows only the address: under their own challenge there is no code, however
    // often they try, and nothing is counted against the victim's.
    for _ in 0..10 {
        let stranger = CodeAttempt {
            challenge_hash: hash("the stranger's own challenge"),
            ..attempt(&victim, "000000", T0)
        };
        assert_eq!(rejection(&store, stranger).await, CodeRejection::NoCode);
    }
    // The victim's challenge named with another address finds nothing either.
    let other = email("someone-else@example.com");
    let mismatched = CodeAttempt {
        email: Some(other),
        ..attempt(&victim, "123456", T0)
    };
    assert_eq!(rejection(&store, mismatched).await, CodeRejection::NoCode);
    // The owner signs in; the address may be left out when the challenge is given.
    let owner = CodeAttempt {
        email: None,
        ..attempt(&victim, "123456", T0 + Duration::minutes(1))
    };
    let SignInOutcome::SignedIn { user, .. } = store.sign_in_with_code(owner).await.unwrap() else {
        panic!("the owner's code still works");
    };
    assert_eq!(user.email, "victim@example.com");
}

async fn another_clients_requests_do_not_hold_back_an_address(store: Arc<dyn Store>, _: &Guard) {
    let address = email("popular@example.com");
    let from = |ip: &str, minute: i64| IssueLoginCode {
        client: ClientInfo::new(Some(ip.into()), Some("contract-test")),
        challenge_hash: hash(&format!("challenge from {ip}")),
        ..issue_request(&address, "111111", T0 + Duration::minutes(minute))
    };
    // A stranger asks ten times in an hour: their own limit is reached…
    for minute in 0..10 {
        let outcome = store
            .issue_login_code(from("198.51.100.9", minute * 2))
            .await
            .unwrap();
        assert!(
            matches!(outcome, IssueOutcome::Issued { .. }),
            "{outcome:?}"
        );
    }
    assert!(matches!(
        store
            .issue_login_code(from("198.51.100.9", 21))
            .await
            .unwrap(),
        IssueOutcome::Refused(CodeRefusal::AddressHourlyLimit { .. })
    ));
    // …but the owner, from their own connection, still gets a code at once.
    assert!(matches!(
        store
            .issue_login_code(from("203.0.113.4", 21))
            .await
            .unwrap(),
        IssueOutcome::Issued { .. }
    ));
}

async fn one_client_may_enter_only_so_many_codes_an_hour(store: Arc<dyn Store>, _: &Guard) {
    let limit = OtpPolicy::default().verify_per_ip_per_hour;
    for n in 0..limit {
        let probe = attempt(&email(&format!("probe{n}@example.com")), "000000", T0);
        assert_eq!(rejection(&store, probe).await, CodeRejection::NoCode);
    }
    let over = attempt(&email("one-more@example.com"), "000000", T0);
    assert!(matches!(
        rejection(&store, over).await,
        CodeRejection::TooManyAttempts { retry_after_seconds } if retry_after_seconds > 0
    ));
    // Another client is not held back.
    let elsewhere = CodeAttempt {
        client: ClientInfo::new(Some("203.0.113.99".into()), Some("contract-test")),
        ..attempt(&email("one-more@example.com"), "000000", T0)
    };
    assert_eq!(rejection(&store, elsewhere).await, CodeRejection::NoCode);
}

async fn a_second_code_within_a_minute_is_refused(store: Arc<dyn Store>, _: &Guard) {
    let address = email("quick@example.com");
    issue(&store, &address, "111111", T0).await;
    let outcome = store
        .issue_login_code(issue_request(
            &address,
            "222222",
            T0 + Duration::seconds(45),
        ))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        IssueOutcome::Refused(CodeRefusal::TooSoon {
            retry_after_seconds: 15
        })
    );
    // The refused request changed nothing: the first code still works.
    assert!(matches!(
        store
            .sign_in_with_code(attempt(&address, "111111", T0 + Duration::seconds(50)))
            .await
            .unwrap(),
        SignInOutcome::SignedIn { .. }
    ));
    let refusals = store
        .audit_entries(Some("email:quick@example.com"), 10)
        .await
        .unwrap();
    assert!(
        refusals
            .iter()
            .any(|e| e.action == "auth.code_refused" && e.details["reason"] == "too_soon")
    );
}

async fn an_address_gets_at_most_ten_codes_an_hour(store: Arc<dyn Store>, _: &Guard) {
    let address = email("many@example.com");
    for i in 0..10 {
        issue(
            &store,
            &address,
            &format!("{i:06}"),
            T0 + Duration::minutes(i * 2),
        )
        .await;
    }
    let outcome = store
        .issue_login_code(issue_request(
            &address,
            "999999",
            T0 + Duration::minutes(21),
        ))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        IssueOutcome::Refused(CodeRefusal::AddressHourlyLimit {
            retry_after_seconds: 39 * 60
        })
    );
    issue(&store, &address, "999999", T0 + Duration::minutes(61)).await;
}

async fn one_client_address_is_limited(store: Arc<dyn Store>, _: &Guard) {
    let policy = OtpPolicy {
        per_ip_per_hour: 3,
        ..OtpPolicy::default()
    };
    let now = datetime!(2026-11-22 09:10 UTC);
    for i in 0..3 {
        let mut request = issue_request(&email(&format!("u{i}@example.com")), "111111", now);
        request.policy = policy;
        assert!(matches!(
            store.issue_login_code(request).await.unwrap(),
            IssueOutcome::Issued { .. }
        ));
    }
    let mut request = issue_request(&email("u9@example.com"), "111111", now);
    request.policy = policy;
    assert_eq!(
        store.issue_login_code(request).await.unwrap(),
        IssueOutcome::Refused(CodeRefusal::ClientHourlyLimit {
            retry_after_seconds: 50 * 60
        })
    );
    // Another client address is not affected.
    let mut request = issue_request(&email("u9@example.com"), "111111", now);
    request.policy = policy;
    request.client = ClientInfo::new(Some("198.51.100.1".into()), None);
    assert!(matches!(
        store.issue_login_code(request).await.unwrap(),
        IssueOutcome::Issued { .. }
    ));
}

async fn concurrent_code_requests_issue_one_code(store: Arc<dyn Store>, _: &Guard) {
    let address = email("race@example.com");
    let mut tasks = Vec::new();
    for i in 0..10 {
        let store = store.clone();
        let address = address.clone();
        tasks.push(tokio::spawn(async move {
            store
                .issue_login_code(issue_request(&address, &format!("{i:06}"), T0))
                .await
                .unwrap()
        }));
    }
    let mut issued = 0;
    for task in tasks {
        if matches!(task.await.unwrap(), IssueOutcome::Issued { .. }) {
            issued += 1;
        }
    }
    assert_eq!(issued, 1);
    assert_eq!(store.outbox_stats().await.unwrap().pending, 1);
}

async fn concurrent_sign_ins_with_one_code_make_one_session(store: Arc<dyn Store>, _: &Guard) {
    let address = email("double@example.com");
    issue(&store, &address, "777777", T0).await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let store = store.clone();
        let a = attempt(&address, "777777", T0);
        tasks.push(tokio::spawn(async move {
            store.sign_in_with_code(a).await.unwrap()
        }));
    }
    let mut signed_in = 0;
    for task in tasks {
        match task.await.unwrap() {
            SignInOutcome::SignedIn { .. } => signed_in += 1,
            SignInOutcome::Rejected(r) => assert_eq!(r, CodeRejection::AlreadyUsed),
            SignInOutcome::DeclarationNotMatched => panic!("nothing was declared"),
        }
    }
    assert_eq!(signed_in, 1);
}

async fn sessions_are_found_touched_and_ended(store: Arc<dyn Store>, _: &Guard) {
    let address = email("session@example.com");
    issue(&store, &address, "121212", T0).await;
    let a = attempt(&address, "121212", T0);
    let token = a.session_token_hash;
    let SignInOutcome::SignedIn { user, .. } = store.sign_in_with_code(a).await.unwrap() else {
        panic!()
    };
    assert!(store.session(&hash("unknown")).await.unwrap().is_none());
    let later = T0 + Duration::minutes(20);
    store.touch_session(&token, later).await.unwrap();
    // A late write with an older time does not move activity backwards.
    store
        .touch_session(&token, T0 + Duration::minutes(5))
        .await
        .unwrap();
    let session = store.session(&token).await.unwrap().unwrap();
    assert_eq!(session.last_seen_at, later);
    assert_eq!(session.created_at, T0);
    let bye = NewAuditEntry::new(
        later,
        Actor::User(user.id),
        AuditAction::SignedOut,
        &client(),
    )
    .subject(format!("user:{}", user.id));
    assert!(store.end_session(&token, bye.clone()).await.unwrap());
    assert!(store.session(&token).await.unwrap().is_none());
    assert!(
        !store.end_session(&token, bye).await.unwrap(),
        "ending twice is a no-op"
    );
    let audit = store
        .audit_entries(Some(&format!("user:{}", user.id)), 10)
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "auth.signed_out")
            .count(),
        1
    );
}

async fn the_outbox_leases_retries_and_forgets_bodies(store: Arc<dyn Store>, _: &Guard) {
    let to = email("mail@example.com");
    let first = store.enqueue_mail(code_mail(&to, T0), T0).await.unwrap();
    let second = store
        .enqueue_mail(code_mail(&to, T0), T0 + Duration::seconds(1))
        .await
        .unwrap();
    let now = T0 + Duration::seconds(2);
    let claimed = store
        .claim_due_mail(now, Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(
        claimed.iter().map(|m| m.id).collect::<Vec<_>>(),
        [first, second]
    );
    assert_eq!(claimed[0].attempts, 1);
    assert_eq!(claimed[0].body_text, "123456");
    // Leased messages are not handed to a second worker.
    assert!(
        store
            .claim_due_mail(now, Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty()
    );

    store.mark_mail_delivered(first, now).await.unwrap();
    store
        .mark_mail_failed(second, "connection refused", now + Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(
        store.outbox_stats().await.unwrap(),
        OutboxStats {
            pending: 1,
            retrying: 1
        }
    );
    assert!(
        store
            .claim_due_mail(now + Duration::seconds(29), Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let retried = store
        .claim_due_mail(now + Duration::seconds(30), Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].attempts, 2);
    assert_eq!(
        retried[0].body_text, "123456",
        "the body is kept until delivered"
    );
    store
        .mark_mail_expired(second, now + Duration::minutes(11))
        .await
        .unwrap();
    assert_eq!(store.outbox_stats().await.unwrap().pending, 0);
    let bounced = store.enqueue_mail(code_mail(&to, T0), now).await.unwrap();
    store
        .mark_mail_undeliverable(bounced, "550 no such user", now)
        .await
        .unwrap();
    assert_eq!(store.outbox_stats().await.unwrap().pending, 0);
    assert!(
        store
            .claim_due_mail(now + Duration::hours(1), Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // An expired lease makes a message claimable again (a worker died mid-delivery).
    let third = store.enqueue_mail(code_mail(&to, T0), now).await.unwrap();
    assert_eq!(
        store
            .claim_due_mail(now, Duration::seconds(10), 10)
            .await
            .unwrap()[0]
            .id,
        third
    );
    let reclaimed = store
        .claim_due_mail(now + Duration::seconds(10), Duration::seconds(10), 10)
        .await
        .unwrap();
    assert_eq!(reclaimed[0].id, third);
    assert_eq!(reclaimed[0].attempts, 2);
}

async fn the_audit_log_is_append_only(store: Arc<dyn Store>, guard: &Guard) {
    let id = store
        .append_audit(
            NewAuditEntry::new(T0, Actor::System, AuditAction::CodeRequested, &client())
                .subject("test:1")
                .detail("k", "v"),
        )
        .await
        .unwrap();
    let entries = store.audit_entries(Some("test:1"), 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, id);
    assert_eq!(entries[0].at, T0);
    assert_eq!(entries[0].details["k"], "v");
    assert_eq!(entries[0].actor_kind, "system");
    match guard {
        Guard::Sqlite(dir) => {
            let conn = rusqlite::Connection::open(dir.path().join("izin.db")).unwrap();
            assert!(
                conn.execute("UPDATE audit_log SET action = 'x'", [])
                    .is_err()
            );
            assert!(conn.execute("DELETE FROM audit_log", []).is_err());
        }
        Guard::Postgres(db) => {
            assert!(
                db.execute("UPDATE audit_log SET action = 'x'")
                    .await
                    .is_err()
            );
            assert!(db.execute("DELETE FROM audit_log").await.is_err());
            assert!(db.execute("TRUNCATE audit_log").await.is_err());
        }
    }
    assert_eq!(
        store.audit_entries(Some("test:1"), 10).await.unwrap(),
        entries
    );
}

async fn purge_removes_only_what_has_expired(store: Arc<dyn Store>, _: &Guard) {
    let old = email("old@example.com");
    issue(&store, &old, "111111", T0).await;
    let a = attempt(&old, "111111", T0);
    let old_token = a.session_token_hash;
    store.sign_in_with_code(a).await.unwrap();
    let fresh = email("fresh@example.com");
    let later = T0 + Duration::hours(2);
    issue(&store, &fresh, "222222", later).await;
    let b = attempt(&fresh, "222222", later);
    let fresh_token = b.session_token_hash;
    store.sign_in_with_code(b).await.unwrap();
    for item in store
        .claim_due_mail(later, Duration::minutes(1), 10)
        .await
        .unwrap()
    {
        store.mark_mail_delivered(item.id, later).await.unwrap();
    }
    let cutoff = T0 + Duration::hours(1);
    let report = store
        .purge(Retention {
            sessions_seen_before: cutoff,
            sessions_created_before: cutoff,
            codes_issued_before: cutoff,
            rate_windows_before: cutoff,
            outbox_finished_before: cutoff,
        })
        .await
        .unwrap();
    assert_eq!(report.sessions, 1);
    assert_eq!(report.login_codes, 1);
    assert_eq!(report.outbox_messages, 0, "delivered after the cutoff");
    assert!(store.session(&old_token).await.unwrap().is_none());
    assert!(store.session(&fresh_token).await.unwrap().is_some());
}

async fn user_language_changes_are_audited(store: Arc<dyn Store>, _: &Guard) {
    let address = email("lang@example.com");
    issue(&store, &address, "111111", T0).await;
    let SignInOutcome::SignedIn { user, .. } = store
        .sign_in_with_code(attempt(&address, "111111", T0))
        .await
        .unwrap()
    else {
        panic!()
    };
    let entry = |l: &str| {
        NewAuditEntry::new(
            T0,
            Actor::User(user.id),
            AuditAction::LanguageChanged,
            &client(),
        )
        .subject(format!("user:{}", user.id))
        .detail("language", l)
    };
    store
        .set_user_language(user.id, Language::En, entry("en"))
        .await
        .unwrap();
    store
        .set_user_language(user.id, Language::En, entry("en"))
        .await
        .unwrap();
    assert_eq!(
        store.user(user.id).await.unwrap().unwrap().language,
        Language::En
    );
    let audit = store
        .audit_entries(Some(&format!("user:{}", user.id)), 10)
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "account.language_changed")
            .count(),
        1
    );
    assert!(store.user(Uuid::new_v4()).await.unwrap().is_none());
}

async fn signed_up(store: &Arc<dyn Store>, address: &str) -> User {
    let address = email(address);
    issue(store, &address, "111111", T0).await;
    match store
        .sign_in_with_code(attempt(&address, "111111", T0))
        .await
        .unwrap()
    {
        SignInOutcome::SignedIn { user, .. } => user,
        other => panic!("{other:?}"),
    }
}

fn user_audit(user: &User, action: AuditAction) -> NewAuditEntry {
    NewAuditEntry::new(T0, Actor::User(user.id), action, &client())
        .subject(format!("user:{}", user.id))
}

async fn profile_sections_are_saved_alone(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::profile::*;
    let user = signed_up(&store, "profile@example.com").await;
    assert_eq!(store.profile(user.id).await.unwrap(), Profile::default());
    let reference = izin_domain::reference::Reference::embedded().unwrap();
    let ctx = RuleContext {
        today: time::macros::date!(2026 - 11 - 22),
        reference: &reference,
    };
    let personal = PersonalSection::from_input(
        &PersonalInput {
            first_name: Some("Ayşe".into()),
            nationality: Some("AZE".into()),
            date_of_birth: Some("1990-05-17".into()),
            foreigner_id: Some("99123456740".into()),
            ..Default::default()
        },
        &ctx,
    )
    .unwrap();
    let contact = ContactSection::from_input(
        &ContactInput {
            phone: Some("+90 532 123 45 67".into()),
            address: Some("Kızılay Mh. 1. Sokak No: 5, Çankaya / Ankara".into()),
            ..Default::default()
        },
        &ctx,
    )
    .unwrap();
    store
        .save_profile_section(
            user.id,
            SectionData::Personal(personal.clone()),
            T0,
            user_audit(&user, AuditAction::SignedIn),
        )
        .await
        .unwrap();
    store
        .save_profile_section(
            user.id,
            SectionData::Contact(contact.clone()),
            T0,
            user_audit(&user, AuditAction::SignedIn),
        )
        .await
        .unwrap();
    let profile = store.profile(user.id).await.unwrap();
    assert_eq!(profile.personal, personal);
    assert_eq!(profile.contact, contact);
    assert_eq!(profile.passport, PassportSection::default());
    // Saving the contact section again leaves the personal one as it was.
    let contact2 = ContactSection {
        second_email: Some("iki@example.com".into()),
        ..contact
    };
    store
        .save_profile_section(
            user.id,
            SectionData::Contact(contact2.clone()),
            T0,
            user_audit(&user, AuditAction::SignedIn),
        )
        .await
        .unwrap();
    let profile = store.profile(user.id).await.unwrap();
    assert_eq!(profile.personal, personal);
    assert_eq!(profile.contact, contact2);
    let other = signed_up(&store, "other@example.com").await;
    assert_eq!(store.profile(other.id).await.unwrap(), Profile::default());
}

async fn verified_fields_are_remembered(store: Arc<dyn Store>, _: &Guard) {
    let user = signed_up(&store, "verified@example.com").await;
    let fields: std::collections::BTreeSet<String> = ["personal.first_name".to_owned()].into();
    store
        .set_verified_fields(user.id, fields.clone(), T0)
        .await
        .unwrap();
    assert_eq!(store.profile(user.id).await.unwrap().verified, fields);
}

fn document(user: &User, kind: izin_domain::documents::DocumentKind, name: &str) -> Document {
    let id = Uuid::new_v4();
    Document {
        id,
        user_id: user.id,
        kind,
        file_name: name.into(),
        content_type: izin_domain::documents::ContentType::Pdf,
        size: 1234,
        sha256: hash(name),
        storage_key: format!("documents/{id}"),
        created_at: T0,
        replaces: None,
    }
}

async fn documents_belong_to_their_owner(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::documents::DocumentKind;
    let owner = signed_up(&store, "owner@example.com").await;
    let stranger = signed_up(&store, "stranger@example.com").await;
    let passport = document(&owner, DocumentKind::Passport, "pasaport.pdf");
    store
        .insert_document(passport.clone(), user_audit(&owner, AuditAction::SignedIn))
        .await
        .unwrap();
    assert_eq!(
        store.document(owner.id, passport.id).await.unwrap(),
        Some(passport.clone())
    );
    assert_eq!(
        store.document(stranger.id, passport.id).await.unwrap(),
        None
    );
    assert!(store.documents(stranger.id).await.unwrap().is_empty());
    assert_eq!(
        store
            .delete_document(
                stranger.id,
                passport.id,
                user_audit(&stranger, AuditAction::SignedIn)
            )
            .await
            .unwrap(),
        DeleteOutcome::NotFound
    );
    let replacement = document(&stranger, DocumentKind::Passport, "x.pdf");
    assert_eq!(
        store
            .replace_document(
                stranger.id,
                passport.id,
                replacement,
                user_audit(&stranger, AuditAction::SignedIn)
            )
            .await
            .unwrap(),
        ReplaceOutcome::NotFound
    );
    let listed = store.documents(owner.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].document, passport);
    assert_eq!(
        store
            .delete_document(
                owner.id,
                passport.id,
                user_audit(&owner, AuditAction::SignedIn)
            )
            .await
            .unwrap(),
        DeleteOutcome::Deleted {
            storage_key: passport.storage_key.clone()
        }
    );
    assert!(store.documents(owner.id).await.unwrap().is_empty());
}

async fn cited_documents_cannot_be_deleted_and_are_replaced_by_new_ones(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::documents::DocumentKind;
    let user = signed_up(&store, "cited@example.com").await;
    let diploma = document(&user, DocumentKind::Diploma, "diploma.pdf");
    store
        .insert_document(diploma.clone(), user_audit(&user, AuditAction::SignedIn))
        .await
        .unwrap();
    let application = Uuid::new_v4();
    store
        .cite_document(diploma.id, application, Some("2026-000001"), true)
        .await
        .unwrap();
    assert_eq!(
        store
            .delete_document(
                user.id,
                diploma.id,
                user_audit(&user, AuditAction::SignedIn)
            )
            .await
            .unwrap(),
        DeleteOutcome::Cited
    );
    let newer = Document {
        replaces: Some(diploma.id),
        ..document(&user, DocumentKind::Diploma, "diploma-2.pdf")
    };
    assert_eq!(
        store
            .replace_document(
                user.id,
                diploma.id,
                newer.clone(),
                user_audit(&user, AuditAction::SignedIn)
            )
            .await
            .unwrap(),
        ReplaceOutcome::Replaced {
            removed_storage_key: None
        }
    );
    let listed = store.documents(user.id).await.unwrap();
    assert_eq!(listed.len(), 2, "the cited original stays");
    let original = listed.iter().find(|l| l.document.id == diploma.id).unwrap();
    assert_eq!(
        original.citations,
        [Citation {
            application_id: application,
            application_number: Some("2026-000001".into()),
            frozen: true
        }]
    );
    assert!(
        listed
            .iter()
            .find(|l| l.document.id == newer.id)
            .unwrap()
            .citations
            .is_empty()
    );
}

async fn uncited_documents_are_replaced_in_place_and_drafts_follow(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::documents::DocumentKind;
    let user = signed_up(&store, "draft@example.com").await;
    let contract = document(&user, DocumentKind::Other, "contract.pdf");
    store
        .insert_document(contract.clone(), user_audit(&user, AuditAction::SignedIn))
        .await
        .unwrap();
    let draft = Uuid::new_v4();
    store
        .cite_document(contract.id, draft, None, false)
        .await
        .unwrap();
    let newer = Document {
        replaces: Some(contract.id),
        ..document(&user, DocumentKind::Other, "contract-signed.pdf")
    };
    assert_eq!(
        store
            .replace_document(
                user.id,
                contract.id,
                newer.clone(),
                user_audit(&user, AuditAction::SignedIn)
            )
            .await
            .unwrap(),
        ReplaceOutcome::Replaced {
            removed_storage_key: Some(contract.storage_key.clone())
        }
    );
    let listed = store.documents(user.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].document.id, newer.id);
    assert_eq!(
        listed[0].citations[0].application_id, draft,
        "the draft now uses the new document"
    );
    // A draft's citation does not block deletion; it goes with the document.
    assert!(matches!(
        store
            .delete_document(user.id, newer.id, user_audit(&user, AuditAction::SignedIn))
            .await
            .unwrap(),
        DeleteOutcome::Deleted { .. }
    ));
}

async fn storage_keys_tell_orphans_apart(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::documents::DocumentKind;
    let user = signed_up(&store, "keys@example.com").await;
    let kept = document(&user, DocumentKind::Other, "a.pdf");
    store
        .insert_document(kept.clone(), user_audit(&user, AuditAction::SignedIn))
        .await
        .unwrap();
    let keys = vec![kept.storage_key.clone(), "documents/orphan".to_owned()];
    let known = store.known_storage_keys(&keys).await.unwrap();
    assert_eq!(known, [kept.storage_key].into_iter().collect());
    assert!(store.known_storage_keys(&[]).await.unwrap().is_empty());
}

// ----- Applications -----

mod applications_contract {
    use super::*;
    use izin_domain::application::{Event, Kind};
    use time::macros::date;

    pub fn columns() -> ApplicationColumns {
        ApplicationColumns {
            category: Some("n".into()),
            start_date: Some(date!(2027 - 01 - 04)),
            end_date: Some(date!(2027 - 03 - 31)),
        }
    }

    pub async fn draft(store: &Arc<dyn Store>, user: &User) -> Uuid {
        let id = Uuid::new_v4();
        store
            .create_application(NewApplication {
                id,
                user_id: user.id,
                kind: Kind::WorkPermitExemption,
                parent: None,
                data: serde_json::json!({"category": "n"}),
                columns: ApplicationColumns {
                    category: Some("n".into()),
                    ..Default::default()
                },
                now: T0,
                audit: audit(user, AuditAction::ApplicationCreated, id),
            })
            .await
            .unwrap();
        id
    }

    pub fn audit(user: &User, action: AuditAction, id: Uuid) -> NewAuditEntry {
        NewAuditEntry::new(T0, Actor::User(user.id), action, &client())
            .subject(format!("application:{id}"))
    }

    pub fn edit(
        user: &User,
        id: Uuid,
        expected_edits: i64,
        documents: Vec<Uuid>,
    ) -> ApplicationEdit {
        ApplicationEdit {
            owner: user.id,
            id,
            expected_edits,
            data: serde_json::json!({"category": "n", "documents": documents}),
            columns: columns(),
            documents,
            now: T0 + Duration::minutes(1),
            audit: audit(user, AuditAction::ApplicationSaved, id),
        }
    }

    pub fn submission(user: &User, id: Uuid, key: Option<&str>, edits: i64) -> Submission {
        Submission {
            payment: None,
            owner: user.id,
            id,
            idempotency_key: key.map(str::to_owned),
            expected_edits: edits,
            snapshot: serde_json::json!({"data": {"category": "n"}, "profile": {"first_name": "Ayşe"}}),
            columns: columns(),
            documents: Vec::new(),
            queue: None,
            year: 2026,
            blocking: Blocking {
                kinds: vec![Kind::WorkPermitExemption],
                same_parent: false,
            },
            now: T0 + Duration::minutes(5),
            mail: Some({
                let recipient = user.email.clone();
                MailForNumber::new(move |number| NewMail {
                    kind: "application-submitted".into(),
                    recipient: recipient.clone(),
                    language: Language::Tr,
                    subject: format!("Başvurunuz alındı: {number}"),
                    body_text: format!("Başvuru numaranız {number}."),
                    body_html: None,
                    not_after: None,
                })
            }),
            audit: audit(user, AuditAction::ApplicationMoved, id).detail("event", "submit"),
        }
    }

    pub fn officer_move(
        id: Uuid,
        event: Event,
        reason: Option<&str>,
        fees_due: bool,
    ) -> Transition {
        let officer = Uuid::new_v4();
        Transition {
            payment: None,
            id,
            owner: None,
            event,
            actor: Actor::Officer(officer),
            reason: reason.map(str::to_owned),
            fees_due,
            approval_outcome: Some(ExemptionStatus::Active),
            resubmission: None,
            officer: None,
            now: T0 + Duration::hours(1),
            mail: None,
            audit: NewAuditEntry::new(
                T0,
                Actor::Officer(officer),
                AuditAction::ApplicationMoved,
                &client(),
            )
            .subject(format!("application:{id}")),
        }
    }

    pub fn applicant_move(user: &User, id: Uuid, event: Event) -> Transition {
        Transition {
            payment: None,
            id,
            owner: Some(user.id),
            event,
            actor: Actor::User(user.id),
            reason: None,
            fees_due: false,
            approval_outcome: Some(ExemptionStatus::Active),
            resubmission: None,
            officer: None,
            now: T0 + Duration::hours(2),
            mail: None,
            audit: audit(user, AuditAction::ApplicationMoved, id),
        }
    }

    pub fn is_number(number: &str) -> bool {
        let (year, serial) = number.split_once('-').unwrap_or_default();
        year == "2026" && serial.len() >= 6 && serial.bytes().all(|b| b.is_ascii_digit())
    }
}

use applications_contract as ac;

async fn drafts_are_owned_saved_and_deleted(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Lifecycle, Status};
    use izin_domain::documents::DocumentKind;
    let user = signed_up(&store, "drafter@example.com").await;
    let stranger = signed_up(&store, "nosy@example.com").await;
    let id = ac::draft(&store, &user).await;
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle, Lifecycle::NEW);
    assert_eq!(record.number, None);
    assert_eq!(record.edits, 0);
    assert_eq!(record.data["category"], "n");
    assert!(
        store
            .application(Some(stranger.id), id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store.application(None, id).await.unwrap().is_some(),
        "officers see every application"
    );
    assert!(store.applications(stranger.id).await.unwrap().is_empty());

    let contract = document(&user, DocumentKind::Other, "contract.pdf");
    store
        .insert_document(
            contract.clone(),
            user_audit(&user, AuditAction::DocumentUploaded),
        )
        .await
        .unwrap();
    let foreign = document(&stranger, DocumentKind::Other, "theirs.pdf");
    store
        .insert_document(
            foreign.clone(),
            user_audit(&stranger, AuditAction::DocumentUploaded),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .save_application(ac::edit(&user, id, 0, vec![foreign.id]))
            .await
            .unwrap(),
        EditOutcome::MissingDocuments(vec![foreign.id]),
        "another user's document cannot be cited"
    );
    assert_eq!(
        store
            .save_application(ac::edit(&user, id, 0, vec![contract.id]))
            .await
            .unwrap(),
        EditOutcome::Saved { edits: 1 }
    );
    assert_eq!(
        store
            .save_application(ac::edit(&user, id, 0, vec![]))
            .await
            .unwrap(),
        EditOutcome::Stale,
        "a save based on an older edit is refused, not applied over the newer one"
    );
    assert_eq!(
        store
            .save_application(ac::edit(&stranger, id, 1, vec![]))
            .await
            .unwrap(),
        EditOutcome::NotFound
    );
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(record.edits, 1);
    assert_eq!(record.columns, ac::columns());
    assert_eq!(record.data["documents"][0], contract.id.to_string());
    let listed = store.documents(user.id).await.unwrap();
    assert_eq!(
        listed[0].citations,
        [Citation {
            application_id: id,
            application_number: None,
            frozen: false
        }]
    );

    // Replacing a cited document makes the draft's data name the new one.
    let newer = Document {
        replaces: Some(contract.id),
        ..document(&user, DocumentKind::Other, "contract-2.pdf")
    };
    store
        .replace_document(
            user.id,
            contract.id,
            newer.clone(),
            user_audit(&user, AuditAction::DocumentReplaced),
        )
        .await
        .unwrap();
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(record.data["documents"][0], newer.id.to_string());
    assert_eq!(
        record.edits, 2,
        "an open wizard page must reload before saving"
    );

    let summaries = store.applications(user.id).await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].id, id);
    assert_eq!(summaries[0].lifecycle.status, Status::Draft);
    assert_eq!(summaries[0].columns, ac::columns());

    assert_eq!(
        store
            .delete_draft(
                stranger.id,
                id,
                ac::audit(&stranger, AuditAction::ApplicationDeleted, id)
            )
            .await
            .unwrap(),
        DeleteDraftOutcome::NotFound
    );
    assert_eq!(
        store
            .delete_draft(
                user.id,
                id,
                ac::audit(&user, AuditAction::ApplicationDeleted, id)
            )
            .await
            .unwrap(),
        DeleteDraftOutcome::Deleted
    );
    assert!(
        store
            .application(Some(user.id), id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store.documents(user.id).await.unwrap()[0]
            .citations
            .is_empty()
    );
    let audit = store
        .audit_entries(Some(&format!("application:{id}")), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "application.created",
            "application.saved",
            "application.deleted"
        ]
    );
}

async fn submission_freezes_the_application_and_queues_its_mail(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Status};
    use izin_domain::documents::DocumentKind;
    let user = signed_up(&store, "submitter@example.com").await;
    let diploma = document(&user, DocumentKind::Diploma, "diploma.pdf");
    store
        .insert_document(
            diploma.clone(),
            user_audit(&user, AuditAction::DocumentUploaded),
        )
        .await
        .unwrap();
    let id = ac::draft(&store, &user).await;
    store
        .save_application(ac::edit(&user, id, 0, vec![diploma.id]))
        .await
        .unwrap();
    assert_eq!(
        store
            .submit_application(ac::submission(&user, id, Some("k1"), 0))
            .await
            .unwrap(),
        SubmitOutcome::Stale,
        "the rules were checked on an older edit"
    );
    let mut submission = ac::submission(&user, id, Some("k1"), 1);
    submission.documents = vec![diploma.id];
    let SubmitOutcome::Submitted { number } =
        store.submit_application(submission.clone()).await.unwrap()
    else {
        panic!("not submitted")
    };
    assert!(ac::is_number(&number), "{number}");
    // The same request again gets the same answer; another request finds it submitted.
    assert_eq!(
        store.submit_application(submission.clone()).await.unwrap(),
        SubmitOutcome::AlreadySubmitted {
            number: number.clone()
        }
    );
    assert!(matches!(
        store
            .submit_application(ac::submission(&user, id, Some("k2"), 1))
            .await
            .unwrap(),
        SubmitOutcome::NotDraft(_)
    ));
    let other = ac::draft(&store, &user).await;
    assert_eq!(
        store
            .submit_application(ac::submission(&user, other, Some("k1"), 0))
            .await
            .unwrap(),
        SubmitOutcome::KeyReused
    );

    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle.status, Status::Submitted);
    assert_eq!(record.number.as_deref(), Some(number.as_str()));
    assert_eq!(record.version, 1);
    assert_eq!(record.submitted_at, Some(T0 + Duration::minutes(5)));
    let versions = store.application_versions(id).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].snapshot["profile"]["first_name"], "Ayşe");
    let history = store.application_history(id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event, Event::Submit);
    assert_eq!(history[0].actor_id, Some(user.id));
    assert_eq!(history[0].from.status, Status::Draft);
    assert_eq!(history[0].to.status, Status::Submitted);

    // Frozen: no edits, no deletion of the application or its documents.
    assert_eq!(
        store
            .save_application(ac::edit(&user, id, 1, vec![]))
            .await
            .unwrap(),
        EditOutcome::NotEditable
    );
    assert_eq!(
        store
            .delete_draft(
                user.id,
                id,
                ac::audit(&user, AuditAction::ApplicationDeleted, id)
            )
            .await
            .unwrap(),
        DeleteDraftOutcome::NotDraft
    );
    assert_eq!(
        store
            .delete_document(
                user.id,
                diploma.id,
                user_audit(&user, AuditAction::DocumentDeleted)
            )
            .await
            .unwrap(),
        DeleteOutcome::Cited
    );
    let cited = store.documents(user.id).await.unwrap();
    assert_eq!(
        cited[0].citations,
        [Citation {
            application_id: id,
            application_number: Some(number.clone()),
            frozen: true
        }]
    );

    let mail = store
        .claim_due_mail(T0 + Duration::hours(1), Duration::minutes(5), 10)
        .await
        .unwrap();
    let confirmation: Vec<_> = mail
        .iter()
        .filter(|m| m.kind == "application-submitted")
        .collect();
    assert_eq!(confirmation.len(), 1);
    assert_eq!(
        confirmation[0].subject,
        format!("Başvurunuz alındı: {number}")
    );
    assert_eq!(
        confirmation[0].body_text,
        format!("Başvuru numaranız {number}.")
    );
    let audit = store
        .audit_entries(Some(&format!("application:{id}")), 10)
        .await
        .unwrap();
    assert_eq!(audit[0].action, "application.moved");
    assert_eq!(audit[0].details["number"], number);
}

async fn an_application_about_another_is_blocked_only_by_its_siblings(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Status};
    let user = signed_up(&store, "sibling@example.com").await;
    // Two approved parents; approval starts what the kind declares.
    let mut parents = Vec::new();
    for _ in 0..2 {
        let parent = ac::draft(&store, &user).await;
        store
            .submit_application(ac::submission(&user, parent, None, 0))
            .await
            .unwrap();
        for (event, fees_due) in [
            (Event::StartEvaluation, false),
            (Event::ApproveDirectly, false),
        ] {
            let moved = store
                .transition_application(ac::officer_move(parent, event, None, fees_due))
                .await
                .unwrap();
            assert!(
                matches!(moved, TransitionOutcome::Moved { .. }),
                "{moved:?}"
            );
        }
        parents.push(parent);
    }
    let child = |parent: Uuid| {
        let store = store.clone();
        let user = user.clone();
        async move {
            let id = Uuid::new_v4();
            store
                .create_application(NewApplication {
                    id,
                    user_id: user.id,
                    kind: Kind::WorkPermitExemption,
                    parent: Some(parent),
                    data: serde_json::json!({}),
                    columns: ApplicationColumns::default(),
                    now: T0,
                    audit: ac::audit(&user, AuditAction::ApplicationCreated, id),
                })
                .await
                .unwrap();
            id
        }
    };
    let first = child(parents[0]).await;
    let record = store
        .application(Some(user.id), first)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.parent, Some(parents[0]));
    let listed = store.applications(user.id).await.unwrap();
    let listed = listed.iter().find(|a| a.id == first).expect("listed");
    assert_eq!(listed.parent, Some(parents[0]));
    let siblings = Blocking {
        kinds: vec![Kind::WorkPermitExemption],
        same_parent: true,
    };
    let mut submit = ac::submission(&user, first, None, 0);
    submit.blocking = siblings.clone();
    assert!(matches!(
        store.submit_application(submit).await.unwrap(),
        SubmitOutcome::Submitted { .. }
    ));
    // A second child of the same parent waits; a child of the other parent does not.
    let same = child(parents[0]).await;
    let mut submit = ac::submission(&user, same, None, 0);
    submit.blocking = siblings.clone();
    assert!(matches!(
        store.submit_application(submit).await.unwrap(),
        SubmitOutcome::OtherPending { .. }
    ));
    let other = child(parents[1]).await;
    let mut submit = ac::submission(&user, other, None, 0);
    submit.blocking = siblings;
    assert!(matches!(
        store.submit_application(submit).await.unwrap(),
        SubmitOutcome::Submitted { .. }
    ));
    let facts = store.submission_facts(user.id, Uuid::nil()).await.unwrap();
    assert!(facts.pending.iter().any(|p| p.parent == Some(parents[1])));
    // A kind whose approval ends the matter starts no outcome.
    let mut approve = ac::officer_move(other, Event::StartEvaluation, None, false);
    store.transition_application(approve.clone()).await.unwrap();
    approve.event = Event::ApproveDirectly;
    approve.approval_outcome = None;
    let TransitionOutcome::Moved { lifecycle, .. } =
        store.transition_application(approve).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(lifecycle.status, Status::Approval);
    assert_eq!(lifecycle.exemption, None);
}

async fn one_pending_application_at_a_time(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Status};
    let user = signed_up(&store, "pending@example.com").await;
    let first = ac::draft(&store, &user).await;
    let second = ac::draft(&store, &user).await;
    let SubmitOutcome::Submitted { number } = store
        .submit_application(ac::submission(&user, first, None, 0))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        store
            .submit_application(ac::submission(&user, second, None, 0))
            .await
            .unwrap(),
        SubmitOutcome::OtherPending {
            number: Some(number.clone())
        }
    );
    let facts = store.submission_facts(user.id, second).await.unwrap();
    assert_eq!(
        facts.pending,
        [PendingApplication {
            kind: izin_domain::application::Kind::WorkPermitExemption,
            number: Some(number.clone()),
            parent: None,
        }]
    );
    assert!(
        store
            .submission_facts(user.id, first)
            .await
            .unwrap()
            .pending
            .is_empty()
    );
    let TransitionOutcome::Moved { lifecycle, .. } = store
        .transition_application(ac::applicant_move(&user, first, Event::Withdraw))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(lifecycle.status, Status::Withdrawn);
    assert!(matches!(
        store
            .submit_application(ac::submission(&user, second, None, 0))
            .await
            .unwrap(),
        SubmitOutcome::Submitted { .. }
    ));
    // Only the kinds the submitted kind names block it: with `second` pending, a kind that is
    // not blocked by it goes through.
    let third = ac::draft(&store, &user).await;
    let mut unblocked = ac::submission(&user, third, None, 0);
    unblocked.blocking = Blocking::default();
    assert!(matches!(
        store.submit_application(unblocked).await.unwrap(),
        SubmitOutcome::Submitted { .. }
    ));
}

async fn concurrent_submissions_make_one_application(store: Arc<dyn Store>, _: &Guard) {
    let user = signed_up(&store, "clicker@example.com").await;
    let id = ac::draft(&store, &user).await;
    // Ten requests at once: the same key (a retried call) and different keys (ten clicks).
    let mut tasks = Vec::new();
    for i in 0..10 {
        let store = store.clone();
        let user = user.clone();
        let key = if i % 2 == 0 {
            "same".to_owned()
        } else {
            format!("click-{i}")
        };
        tasks.push(tokio::spawn(async move {
            store
                .submit_application(ac::submission(&user, id, Some(&key), 0))
                .await
                .unwrap()
        }));
    }
    let mut numbers = std::collections::BTreeSet::new();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            SubmitOutcome::Submitted { number } => {
                created += 1;
                numbers.insert(number);
            }
            SubmitOutcome::AlreadySubmitted { number } => {
                numbers.insert(number);
            }
            SubmitOutcome::NotDraft(_) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(numbers.len(), 1);
    assert_eq!(store.application_history(id).await.unwrap().len(), 1);

    // Two drafts of one person at once: one is created, the other waits for it to conclude.
    let person = signed_up(&store, "twodrafts@example.com").await;
    let a = ac::draft(&store, &person).await;
    let b = ac::draft(&store, &person).await;
    let (ra, rb) = tokio::join!(
        store.submit_application(ac::submission(&person, a, None, 0)),
        store.submit_application(ac::submission(&person, b, None, 0)),
    );
    let outcomes = [ra.unwrap(), rb.unwrap()];
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, SubmitOutcome::Submitted { .. }))
            .count(),
        1
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, SubmitOutcome::OtherPending { .. }))
            .count(),
        1
    );

    // Numbers are unique under load.
    let mut tasks = Vec::new();
    for i in 0..12 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let user = signed_up(&store, &format!("many{i}@example.com")).await;
            let id = ac::draft(&store, &user).await;
            match store
                .submit_application(ac::submission(&user, id, None, 0))
                .await
                .unwrap()
            {
                SubmitOutcome::Submitted { number } => number,
                other => panic!("{other:?}"),
            }
        }));
    }
    let mut all = std::collections::BTreeSet::new();
    for task in tasks {
        assert!(all.insert(task.await.unwrap()));
    }
}

async fn the_lifecycle_is_recorded_move_by_move(store: Arc<dyn Store>, guard: &Guard) {
    use ac::*;
    use izin_domain::application::{Event, ExemptionStatus, Lifecycle, Status, TransitionError};
    let user = signed_up(&store, "lifecycle@example.com").await;
    let stranger = signed_up(&store, "intruder@example.com").await;
    let id = draft(&store, &user).await;
    // Nothing but "Create My Application" submits.
    assert!(matches!(
        store
            .transition_application(applicant_move(&user, id, Event::Submit))
            .await
            .unwrap(),
        TransitionOutcome::Refused(TransitionError::NotAllowed { .. })
    ));
    store
        .submit_application(submission(&user, id, None, 0))
        .await
        .unwrap();
    assert_eq!(
        store
            .transition_application(applicant_move(&user, id, Event::StartEvaluation))
            .await
            .unwrap(),
        TransitionOutcome::Refused(TransitionError::NotPermitted {
            event: Event::StartEvaluation,
            role: izin_domain::application::Role::Applicant
        })
    );
    assert_eq!(
        store
            .transition_application(applicant_move(&stranger, id, Event::Withdraw))
            .await
            .unwrap(),
        TransitionOutcome::NotFound
    );
    let moved = |status| TransitionOutcome::Moved {
        lifecycle: Lifecycle {
            status,
            exemption: None,
        },
        version: 1,
    };
    assert_eq!(
        store
            .transition_application(officer_move(id, Event::StartEvaluation, None, false))
            .await
            .unwrap(),
        moved(Status::UnderEvaluation)
    );
    assert_eq!(
        store
            .transition_application(officer_move(id, Event::RequestRevision, None, false))
            .await
            .unwrap(),
        TransitionOutcome::Refused(TransitionError::ReasonRequired {
            event: Event::RequestRevision
        })
    );
    assert_eq!(
        store
            .transition_application(officer_move(
                id,
                Event::RequestRevision,
                Some("Upload the signed contract."),
                false
            ))
            .await
            .unwrap(),
        moved(Status::Revision)
    );
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(
        record.revision_message.as_deref(),
        Some("Upload the signed contract.")
    );
    // In revision the applicant edits again and resubmits a new version.
    assert!(matches!(
        store
            .save_application(edit(&user, id, 0, vec![]))
            .await
            .unwrap(),
        EditOutcome::Saved { edits: 1 }
    ));
    let mut resubmit = applicant_move(&user, id, Event::Resubmit);
    resubmit.resubmission = Some(Resubmission {
        expected_edits: 0,
        snapshot: serde_json::json!({"data": {"revised": true}}),
        columns: columns(),
        documents: vec![],
        queue: None,
    });
    assert_eq!(
        store
            .transition_application(resubmit.clone())
            .await
            .unwrap(),
        TransitionOutcome::Stale
    );
    resubmit.resubmission.as_mut().unwrap().expected_edits = 1;
    assert_eq!(
        store.transition_application(resubmit).await.unwrap(),
        TransitionOutcome::Moved {
            lifecycle: Lifecycle {
                status: Status::UnderEvaluation,
                exemption: None
            },
            version: 2
        }
    );
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(record.version, 2);
    assert_eq!(record.revision_message, None);
    let versions = store.application_versions(id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(versions[1].snapshot["data"]["revised"], true);
    // A page of applications is read at once, the owner's only.
    let a_draft = draft(&store, &user).await;
    let mut among = store
        .applications_among(user.id, vec![id, a_draft, Uuid::new_v4()])
        .await
        .unwrap();
    among.sort_by_key(|record| record.id != id);
    assert_eq!(
        among
            .iter()
            .map(|record| (record.id, record.version))
            .collect::<Vec<_>>(),
        [(id, 2), (a_draft, 0)]
    );
    assert!(
        store
            .applications_among(stranger.id, vec![id, a_draft])
            .await
            .unwrap()
            .is_empty(),
        "another owner's applications are left out"
    );
    assert_eq!(
        store
            .transition_application(officer_move(id, Event::ApproveDirectly, None, true))
            .await
            .unwrap(),
        TransitionOutcome::Refused(TransitionError::FeesDue)
    );
    assert!(matches!(
        store
            .transition_application(officer_move(id, Event::ApproveWithFees, None, true))
            .await
            .unwrap(),
        TransitionOutcome::Moved {
            lifecycle: Lifecycle {
                status: Status::PaymentPending,
                ..
            },
            ..
        }
    ));
    let approved = Lifecycle {
        status: Status::Approval,
        exemption: Some(ExemptionStatus::Active),
    };
    assert_eq!(
        store
            .transition_application(officer_move(id, Event::ConfirmPayment, None, true))
            .await
            .unwrap(),
        TransitionOutcome::Moved {
            lifecycle: approved,
            version: 2
        }
    );
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(record.concluded_at, Some(T0 + Duration::hours(1)));
    let facts = store
        .submission_facts(user.id, Uuid::new_v4())
        .await
        .unwrap();
    assert!(facts.pending.is_empty());
    assert_eq!(
        facts.previous_exemptions,
        [izin_domain::application::PreviousExemption {
            category: "n".into(),
            ended_on: time::macros::date!(2027 - 03 - 31)
        }]
    );
    // The holder asks for cancellation; an officer cancels.
    assert_eq!(
        store
            .transition_application(applicant_move(&user, id, Event::RequestCancellation))
            .await
            .unwrap(),
        TransitionOutcome::Moved {
            lifecycle: approved,
            version: 2
        }
    );
    let record = store.application(Some(user.id), id).await.unwrap().unwrap();
    assert_eq!(
        record.cancellation_requested_at,
        Some(T0 + Duration::hours(2))
    );
    assert!(matches!(
        store
            .transition_application(officer_move(
                id,
                Event::CancelExemption,
                Some("At the holder's request."),
                false
            ))
            .await
            .unwrap(),
        TransitionOutcome::Moved {
            lifecycle: Lifecycle {
                exemption: Some(ExemptionStatus::Cancelled),
                ..
            },
            ..
        }
    ));
    assert!(matches!(
        store
            .transition_application(officer_move(id, Event::ExpireExemption, None, false))
            .await
            .unwrap(),
        TransitionOutcome::Refused(TransitionError::NotAllowed { .. })
    ));
    let history = store.application_history(id).await.unwrap();
    let events: Vec<Event> = history.iter().map(|h| h.event).collect();
    assert_eq!(
        events,
        [
            Event::Submit,
            Event::StartEvaluation,
            Event::RequestRevision,
            Event::Resubmit,
            Event::ApproveWithFees,
            Event::ConfirmPayment,
            Event::RequestCancellation,
            Event::CancelExemption
        ]
    );
    assert_eq!(
        history[2].reason.as_deref(),
        Some("Upload the signed contract.")
    );
    assert_eq!(history[2].actor_kind, "officer");
    assert_eq!(history[3].version, 2);
    for pair in history.windows(2) {
        assert_eq!(
            pair[0].to, pair[1].from,
            "each move starts where the last ended"
        );
    }
    // The history cannot be rewritten.
    match guard {
        Guard::Sqlite(dir) => {
            let conn = rusqlite::Connection::open(dir.path().join("izin.db")).unwrap();
            assert!(
                conn.execute("UPDATE application_events SET reason = 'x'", [])
                    .is_err()
            );
            assert!(conn.execute("DELETE FROM application_events", []).is_err());
        }
        Guard::Postgres(db) => {
            assert!(
                db.execute("UPDATE application_events SET reason = 'x'")
                    .await
                    .is_err()
            );
            assert!(db.execute("DELETE FROM application_events").await.is_err());
            assert!(db.execute("TRUNCATE application_events").await.is_err());
        }
    }
    assert_eq!(store.application_history(id).await.unwrap(), history);
}

fn registry_records() -> RegistryRecords {
    use time::macros::date;
    RegistryRecords {
        residence_rights: vec![
            ResidenceRightRecord {
                foreigner_id: "99123456740".into(),
                kind: "work_permit".into(),
                valid_from: date!(2026 - 01 - 01),
                valid_until: date!(2027 - 01 - 01),
            },
            ResidenceRightRecord {
                foreigner_id: "99123456740".into(),
                kind: "residence_permit".into(),
                valid_from: date!(2024 - 03 - 01),
                valid_until: date!(2025 - 02 - 28),
            },
        ],
        border_crossings: vec![
            BorderCrossingRecord {
                passport_number: "U1234567".into(),
                passport_country: "DEU".into(),
                birth_year: 1990,
                direction: "exit".into(),
                date: date!(2026 - 10 - 01),
            },
            BorderCrossingRecord {
                passport_number: "U1234567".into(),
                passport_country: "DEU".into(),
                birth_year: 1990,
                direction: "entry".into(),
                date: date!(2026 - 06 - 12),
            },
            // Entry and exit on one day: the exit is listed last.
            BorderCrossingRecord {
                passport_number: "U1234567".into(),
                passport_country: "DEU".into(),
                birth_year: 1990,
                direction: "exit".into(),
                date: date!(2026 - 11 - 02),
            },
            BorderCrossingRecord {
                passport_number: "U1234567".into(),
                passport_country: "DEU".into(),
                birth_year: 1990,
                direction: "entry".into(),
                date: date!(2026 - 11 - 02),
            },
            // The same number issued by another country is another passport.
            BorderCrossingRecord {
                passport_number: "U1234567".into(),
                passport_country: "AUT".into(),
                birth_year: 1985,
                direction: "entry".into(),
                date: date!(2026 - 07 - 01),
            },
        ],
        consulate_references: vec![ConsulateReferenceRecord {
            reference_number: "2026ABCD12340101".into(),
            passport_number: "U1234567".into(),
            birth_year: 1990,
        }],
        addresses: vec![AddressRecord {
            code: "1234567890".into(),
            address: "Halaskargazi Cad. No: 120 D: 5".into(),
            province: "İstanbul".into(),
            district: "Şişli".into(),
        }],
        workplaces: vec![WorkplaceRecord {
            sgk_number: "52064080866666660146574000".into(),
            name: "Örnek Orman Ürünleri A.Ş.".into(),
            province: "Bolu".into(),
            district: "Merkez".into(),
        }],
        keyed: vec![(
            "people".into(),
            vec![KeyedRecord {
                key: "99123456740".into(),
                record: serde_json::json!({"first_name": "Ayşe", "last_name": "Kaya"}),
            }],
        )],
    }
}

fn all_new(records: &RegistryRecords) -> ImportReport {
    let new = |n: usize| TableImport {
        new: n as u64,
        ..TableImport::default()
    };
    ImportReport {
        residence_rights: new(records.residence_rights.len()),
        border_crossings: new(records.border_crossings.len()),
        consulate_references: new(records.consulate_references.len()),
        addresses: new(records.addresses.len()),
        workplaces: new(records.workplaces.len()),
        keyed: records
            .keyed
            .iter()
            .map(|(name, entries)| (name.clone(), new(entries.len())))
            .collect(),
    }
}

async fn registry_records_are_imported_and_found(store: Arc<dyn Store>, _: &Guard) {
    let records = registry_records();
    assert_eq!(
        store
            .import_registry(records.clone(), ImportMode::Merge)
            .await
            .unwrap(),
        all_new(&records)
    );
    let rights = store.residence_rights("99123456740").await.unwrap();
    assert_eq!(
        rights,
        [
            records.residence_rights[1].clone(),
            records.residence_rights[0].clone()
        ],
        "oldest first"
    );
    let crossings = store.border_crossings("U1234567", "DEU").await.unwrap();
    let days: Vec<_> = crossings
        .iter()
        .map(|c| (c.date.to_string(), c.direction.as_str()))
        .collect();
    assert_eq!(
        days,
        [
            ("2026-06-12".to_owned(), "entry"),
            ("2026-10-01".to_owned(), "exit"),
            ("2026-11-02".to_owned(), "entry"),
            ("2026-11-02".to_owned(), "exit"),
        ],
        "by date, entries before exits on one day"
    );
    assert_eq!(crossings[0], records.border_crossings[1]);
    assert_eq!(
        store.border_crossings("U1234567", "AUT").await.unwrap(),
        [records.border_crossings[4].clone()]
    );
    assert_eq!(
        store.consulate_reference("2026ABCD12340101").await.unwrap(),
        Some(records.consulate_references[0].clone())
    );
    assert_eq!(
        store.address("1234567890").await.unwrap(),
        Some(records.addresses[0].clone())
    );
    assert_eq!(
        store.workplace("52064080866666660146574000").await.unwrap(),
        Some(records.workplaces[0].clone())
    );
    assert_eq!(
        store.keyed_record("people", "99123456740").await.unwrap(),
        Some(records.keyed[0].1[0].record.clone())
    );
    assert_eq!(
        store.keyed_record("people", "99000000000").await.unwrap(),
        None
    );
    assert_eq!(
        store.keyed_record("other", "99123456740").await.unwrap(),
        None
    );
}

async fn importing_registry_records_twice_changes_nothing(store: Arc<dyn Store>, _: &Guard) {
    let records = registry_records();
    store
        .import_registry(records.clone(), ImportMode::Merge)
        .await
        .unwrap();
    let rights = store.residence_rights("99123456740").await.unwrap();
    let crossings = store.border_crossings("U1234567", "DEU").await.unwrap();
    let second = store
        .import_registry(records.clone(), ImportMode::Merge)
        .await
        .unwrap();
    for (table, counts) in second.tables() {
        assert_eq!(counts.new, 0, "{table}");
        assert_eq!(counts.updated, 0, "{table}");
    }
    assert_eq!(second.residence_rights.known, 2);
    assert_eq!(second.border_crossings.known, 5);
    assert_eq!(second.addresses.known, 1);
    assert_eq!(store.residence_rights("99123456740").await.unwrap(), rights);
    assert_eq!(
        store.border_crossings("U1234567", "DEU").await.unwrap(),
        crossings
    );
    assert_eq!(
        store.address("1234567890").await.unwrap(),
        Some(records.addresses[0].clone())
    );
    // Part of a file imported again: only what is new counts.
    let mut more = registry_records();
    more.residence_rights.push(ResidenceRightRecord {
        kind: "work_permit_exemption".into(),
        ..records.residence_rights[0].clone()
    });
    let report = store
        .import_registry(more, ImportMode::Merge)
        .await
        .unwrap();
    assert_eq!(
        report.residence_rights,
        TableImport {
            new: 1,
            updated: 0,
            known: 2
        }
    );
    assert_eq!(
        store.residence_rights("99123456740").await.unwrap().len(),
        3
    );
}

async fn a_keyed_registry_record_is_corrected_by_a_later_import(store: Arc<dyn Store>, _: &Guard) {
    store
        .import_registry(registry_records(), ImportMode::Merge)
        .await
        .unwrap();
    let corrected = AddressRecord {
        address: "Halaskargazi Cad. No: 122 D: 5".into(),
        ..registry_records().addresses[0].clone()
    };
    let report = store
        .import_registry(
            RegistryRecords {
                addresses: vec![corrected.clone()],
                ..RegistryRecords::default()
            },
            ImportMode::Merge,
        )
        .await
        .unwrap();
    assert_eq!(
        report.addresses,
        TableImport {
            new: 0,
            updated: 1,
            known: 0
        }
    );
    assert_eq!(store.address("1234567890").await.unwrap(), Some(corrected));
    // A keyed registry's record is corrected the same way.
    let changed = serde_json::json!({"first_name": "Ayşe", "last_name": "Demir"});
    let report = store
        .import_registry(
            RegistryRecords {
                keyed: vec![(
                    "people".into(),
                    vec![KeyedRecord {
                        key: "99123456740".into(),
                        record: changed.clone(),
                    }],
                )],
                ..RegistryRecords::default()
            },
            ImportMode::Merge,
        )
        .await
        .unwrap();
    assert_eq!(
        report.keyed,
        [(
            "people".to_owned(),
            TableImport {
                new: 0,
                updated: 1,
                known: 0
            }
        )]
    );
    assert_eq!(
        store.keyed_record("people", "99123456740").await.unwrap(),
        Some(changed)
    );
}

async fn a_replacing_import_leaves_only_the_new_story_of_each_person(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    let records = registry_records();
    store
        .import_registry(records.clone(), ImportMode::Merge)
        .await
        .unwrap();
    let someone_else = ResidenceRightRecord {
        foreigner_id: "99587021348".into(),
        ..records.residence_rights[0].clone()
    };
    store
        .import_registry(
            RegistryRecords {
                residence_rights: vec![someone_else.clone()],
                ..RegistryRecords::default()
            },
            ImportMode::Merge,
        )
        .await
        .unwrap();
    // The same people, every date a year later: nothing of the old story stays.
    let later = |day: time::Date| day.replace_year(day.year() + 1).unwrap();
    let mut moved = records.clone();
    for r in &mut moved.residence_rights {
        r.valid_from = later(r.valid_from);
        r.valid_until = later(r.valid_until);
    }
    for c in &mut moved.border_crossings {
        c.date = later(c.date);
    }
    store
        .import_registry(moved.clone(), ImportMode::Replace)
        .await
        .unwrap();
    let mut rights = store.residence_rights("99123456740").await.unwrap();
    rights.sort_by_key(|r| r.valid_from);
    let mut expected: Vec<_> = moved
        .residence_rights
        .iter()
        .filter(|r| r.foreigner_id == "99123456740")
        .cloned()
        .collect();
    expected.sort_by_key(|r| r.valid_from);
    assert_eq!(rights, expected);
    let crossings = store.border_crossings("U1234567", "DEU").await.unwrap();
    assert!(
        crossings.iter().all(|c| c.date.year() == 2027),
        "{crossings:?}"
    );
    assert_eq!(
        crossings.len(),
        moved
            .border_crossings
            .iter()
            .filter(|c| c.passport_number == "U1234567" && c.passport_country == "DEU")
            .count()
    );
    // People the new records do not name keep what they had.
    assert_eq!(
        store.residence_rights("99587021348").await.unwrap(),
        [someone_else]
    );
    // Replacing again with the same records changes nothing.
    store
        .import_registry(moved.clone(), ImportMode::Replace)
        .await
        .unwrap();
    assert_eq!(
        store.border_crossings("U1234567", "DEU").await.unwrap(),
        crossings
    );
}

async fn unknown_registry_keys_find_nothing(store: Arc<dyn Store>, _: &Guard) {
    assert_eq!(
        store
            .import_registry(RegistryRecords::default(), ImportMode::Merge)
            .await
            .unwrap(),
        ImportReport::default()
    );
    store
        .import_registry(registry_records(), ImportMode::Merge)
        .await
        .unwrap();
    assert!(
        store
            .residence_rights("99000000000")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .border_crossings("U1234567", "RUS")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .border_crossings("X999999", "DEU")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.consulate_reference("2026ABCD12340102").await.unwrap(),
        None
    );
    assert_eq!(store.address("0000000000").await.unwrap(), None);
    assert_eq!(
        store.workplace("28540010111812660342762000").await.unwrap(),
        None
    );
}

/// Many writes at once: each commits or fails on its own (SQLite commits them in groups; a
/// failing one must not take the others with it, nor leave half of itself behind).
async fn concurrent_writes_commit_or_fail_independently(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::documents::DocumentKind;
    let user = signed_up(&store, "many-writes@example.com").await;
    let taken = document(&user, DocumentKind::Other, "first.pdf");
    store
        .insert_document(
            taken.clone(),
            user_audit(&user, AuditAction::DocumentUploaded),
        )
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..48 {
        let store = store.clone();
        let user = user.clone();
        let taken = taken.clone();
        tasks.push(tokio::spawn(async move {
            // Every fourth reuses an existing id and must fail, audit entry and all.
            let mut d = document(&user, DocumentKind::Other, &format!("doc-{i}.pdf"));
            if i % 4 == 0 {
                d.id = taken.id;
            }
            let audit =
                user_audit(&user, AuditAction::DocumentUploaded).subject(format!("bulk:{i}"));
            store.insert_document(d, audit).await.is_ok()
        }));
    }
    let mut succeeded = 0;
    for task in tasks {
        if task.await.unwrap() {
            succeeded += 1;
        }
    }
    assert_eq!(succeeded, 36);
    assert_eq!(store.documents(user.id).await.unwrap().len(), 37);
    for i in 0..48 {
        let entries = store
            .audit_entries(Some(&format!("bulk:{i}")), 5)
            .await
            .unwrap();
        assert_eq!(entries.len(), usize::from(i % 4 != 0), "unit {i}");
    }
}

/// Moves the application-number counter, as years of use would, through the database itself.
async fn set_application_counter(guard: &Guard, value: i64) {
    match guard {
        Guard::Sqlite(dir) => {
            let conn = rusqlite::Connection::open(dir.path().join("izin.db")).unwrap();
            conn.busy_timeout(std::time::Duration::from_secs(5))
                .unwrap();
            conn.execute(
                "UPDATE counters SET value = ?1 WHERE name = 'application_number'",
                [value],
            )
            .unwrap();
        }
        Guard::Postgres(db) => {
            let (client, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client
                .query_one("SELECT setval('application_number_serial', $1)", &[&value])
                .await
                .unwrap();
        }
    }
}

async fn application_numbers_count_on_past_six_digits(store: Arc<dyn Store>, guard: &Guard) {
    let first = signed_up(&store, "first@example.com").await;
    let id = ac::draft(&store, &first).await;
    let SubmitOutcome::Submitted { number } = store
        .submit_application(ac::submission(&first, id, None, 0))
        .await
        .unwrap()
    else {
        panic!("not submitted")
    };
    assert_eq!(number, "2026-000001");

    set_application_counter(guard, 999_998).await;
    let mut numbers = Vec::new();
    for email in ["second@example.com", "third@example.com"] {
        let user = signed_up(&store, email).await;
        let id = ac::draft(&store, &user).await;
        match store
            .submit_application(ac::submission(&user, id, None, 0))
            .await
            .unwrap()
        {
            SubmitOutcome::Submitted { number } => {
                let record = store.application(Some(user.id), id).await.unwrap().unwrap();
                assert_eq!(record.number.as_deref(), Some(number.as_str()));
                numbers.push(number);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(numbers, ["2026-999999", "2026-1000000"]);
}

fn new_officer(
    address: &str,
    authority: izin_domain::officer::Authority,
    roles: &str,
) -> NewOfficer {
    let email = email(address);
    let id = Uuid::now_v7();
    NewOfficer {
        id,
        email: address.to_owned(),
        email_key: email.key().to_owned(),
        authority,
        roles: izin_domain::officer::Roles::parse(roles).expect("roles"),
        totp_secret: vec![7; 20],
        recovery_hashes: vec!["a".repeat(64), "b".repeat(64)],
        now: T0,
        audit: NewAuditEntry::new(T0, Actor::System, AuditAction::OfficerAdded, &client())
            .subject(format!("officer:{id}")),
    }
}

/// What the back office's contract tests build: officers, submitted applications with their
/// queue columns, and the officers' requests.
mod back_office_contract {
    use super::*;
    use izin_domain::application::{Event, Kind};
    use izin_domain::back_office::{Proposal, QueueColumns};
    use izin_domain::identifiers::{ForeignerId, PassportNumber};
    use izin_domain::officer::Authority;
    use izin_domain::profile::{CountryCode, PersonName, Profile};

    /// A valid foreigner ID: 99, seven digits of `serial`, then the two check digits.
    pub fn foreigner_id(serial: u32) -> String {
        let mut d = [0u8; 11];
        d[0] = 9;
        d[1] = 9;
        for (i, b) in format!("{:07}", serial % 10_000_000).bytes().enumerate() {
            d[2 + i] = b - b'0';
        }
        let odd = i32::from(d[0] + d[2] + d[4] + d[6] + d[8]);
        let even = i32::from(d[1] + d[3] + d[5] + d[7]);
        d[9] = (odd * 7 - even).rem_euclid(10) as u8;
        d[10] = (d[..10].iter().map(|&x| u32::from(x)).sum::<u32>() % 10) as u8;
        d.iter().map(|x| char::from(b'0' + x)).collect()
    }

    /// The queue's columns of an application of `authority` submitted with this profile, built
    /// the way the services build them.
    pub fn queue(
        authority: Authority,
        given: &str,
        surname: &str,
        nationality: &str,
        passport: &str,
        foreigner: Option<&str>,
    ) -> QueueColumns {
        let mut profile = Profile::default();
        profile.personal.first_name = Some(PersonName::parse(given).expect("name"));
        profile.personal.last_name = Some(PersonName::parse(surname).expect("name"));
        profile.personal.nationality = Some(CountryCode::parse(nationality).expect("country"));
        profile.personal.foreigner_id = foreigner.map(|id| ForeignerId::parse(id).expect("id"));
        profile.passport.passport_number = Some(PassportNumber::parse(passport).expect("passport"));
        QueueColumns::of(authority, &profile)
    }

    /// A labour application of `user` (one per passport, named after the passport's holder).
    pub fn labour(given: &str, surname: &str, nationality: &str, passport: &str) -> QueueColumns {
        queue(
            Authority::Labour,
            given,
            surname,
            nationality,
            passport,
            None,
        )
    }

    /// Creates and submits an application at `at`: its id and number. Nothing blocks it, so one
    /// user may have many open.
    pub async fn submitted(
        store: &Arc<dyn Store>,
        user: &User,
        kind: Kind,
        category: &str,
        queue: QueueColumns,
        at: OffsetDateTime,
    ) -> (Uuid, String) {
        let id = Uuid::new_v4();
        let columns = ApplicationColumns {
            category: Some(category.into()),
            ..Default::default()
        };
        store
            .create_application(NewApplication {
                id,
                user_id: user.id,
                kind,
                parent: None,
                data: serde_json::json!({"category": category}),
                columns: columns.clone(),
                now: at - Duration::minutes(1),
                audit: ac::audit(user, AuditAction::ApplicationCreated, id),
            })
            .await
            .unwrap();
        let mut submission = ac::submission(user, id, None, 0);
        submission.columns = columns;
        submission.queue = Some(queue);
        submission.blocking = Blocking::default();
        submission.now = at;
        submission.mail = None;
        match store.submit_application(submission).await.unwrap() {
            SubmitOutcome::Submitted { number } => (id, number),
            other => panic!("{other:?}"),
        }
    }

    /// A labour work-permit exemption of category `n` submitted at `at`.
    pub async fn open(store: &Arc<dyn Store>, user: &User, at: OffsetDateTime) -> Uuid {
        let passport = format!("P{}", at.unix_timestamp());
        submitted(
            store,
            user,
            Kind::WorkPermitExemption,
            "n",
            labour("Deniz", "Kaya", "AZE", &passport),
            at,
        )
        .await
        .0
    }

    pub async fn officer(store: &Arc<dyn Store>, address: &str, authority: Authority) -> Uuid {
        let new = new_officer(address, authority, "evaluator,approver");
        let id = new.id;
        assert_eq!(
            store.add_officer(new).await.unwrap(),
            AddOfficerOutcome::Added
        );
        id
    }

    pub fn officer_audit(officer: Uuid, id: Uuid) -> NewAuditEntry {
        NewAuditEntry::new(
            T0,
            Actor::Officer(officer),
            AuditAction::ApplicationMoved,
            &client(),
        )
        .subject(format!("application:{id}"))
    }

    pub fn take(id: Uuid, authority: Authority, officer: Uuid) -> Take {
        Take {
            id,
            authority,
            officer,
            now: T0 + Duration::days(1),
            mail: Some(NewMail {
                kind: "evaluation-started".into(),
                recipient: "applicant@example.com".into(),
                language: Language::Tr,
                subject: "Başvurunuz incelemede".into(),
                body_text: "İnceleniyor.".into(),
                body_html: None,
                not_after: None,
            }),
            audit: officer_audit(officer, id).detail("event", "take"),
        }
    }

    pub async fn taken(store: &Arc<dyn Store>, id: Uuid, officer: Uuid) {
        let outcome = store
            .take_application(take(id, Authority::Labour, officer))
            .await
            .unwrap();
        assert!(matches!(outcome, TakeOutcome::Taken { .. }), "{outcome:?}");
    }

    /// `officer` of `authority` moves the application.
    pub fn act(
        id: Uuid,
        authority: Authority,
        officer: Uuid,
        event: Event,
        reason: Option<&str>,
    ) -> Transition {
        Transition {
            payment: None,
            id,
            owner: None,
            event,
            actor: Actor::Officer(officer),
            reason: reason.map(str::to_owned),
            fees_due: false,
            approval_outcome: Some(ExemptionStatus::Active),
            resubmission: None,
            officer: Some(OfficerScope {
                authority,
                holder: Some(officer),
                decision: None,
                clear_proposal: false,
            }),
            now: T0 + Duration::days(2),
            mail: Some(NewMail {
                kind: "application-decided".into(),
                recipient: "applicant@example.com".into(),
                language: Language::Tr,
                subject: "Karar".into(),
                body_text: "Karar verildi.".into(),
                body_html: None,
                not_after: None,
            }),
            audit: officer_audit(officer, id).detail("event", event.code()),
        }
    }

    pub fn assignment(id: Uuid, authority: Authority, to: Option<Uuid>) -> Assignment {
        Assignment {
            id,
            authority,
            to,
            now: T0 + Duration::days(1),
            audit: officer_audit(Uuid::nil(), id).detail("event", "assign"),
        }
    }

    pub fn proposal(
        id: Uuid,
        authority: Authority,
        officer: Uuid,
        proposal: Option<Proposal>,
    ) -> ProposalWrite {
        ProposalWrite {
            id,
            authority,
            officer,
            proposal,
            now: T0 + Duration::days(1),
            audit: officer_audit(officer, id).detail("event", "propose"),
        }
    }

    pub fn note(id: Uuid, authority: Authority, officer: Uuid, text: &str) -> NewNote {
        NewNote {
            application: id,
            authority,
            officer,
            text: text.into(),
            now: T0 + Duration::days(1),
            audit: officer_audit(officer, id).detail("event", "note"),
        }
    }

    /// The ids the query lists, following every page.
    pub async fn ids(store: &Arc<dyn Store>, query: QueueQuery) -> Vec<Uuid> {
        let mut all = Vec::new();
        let mut query = query;
        loop {
            let page = store.queue(query.clone()).await.unwrap();
            all.extend(page.items.iter().map(|item| item.id));
            match page.next {
                Some(next) => query.after = Some(next),
                None => return all,
            }
        }
    }

    /// The counts per status, without statuses that dropped back to zero.
    pub async fn counts(
        store: &Arc<dyn Store>,
        authority: Authority,
    ) -> std::collections::BTreeMap<&'static str, i64> {
        store
            .queue_counts(authority)
            .await
            .unwrap()
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .map(|(status, n)| (status.code(), n))
            .collect()
    }

    /// What a refused write must not have left: history, audit entries and queued mail.
    pub async fn traces(store: &Arc<dyn Store>, id: Uuid) -> (usize, usize, i64) {
        (
            store.application_history(id).await.unwrap().len(),
            store
                .audit_entries(Some(&format!("application:{id}")), 100)
                .await
                .unwrap()
                .len(),
            store.outbox_stats().await.unwrap().pending,
        )
    }
}

use back_office_contract as bo;

async fn officers_are_added_once_per_address_and_disabled_with_an_audit_entry(
    store: Arc<dyn Store>,
    _guard: &Guard,
) {
    use izin_domain::officer::{Authority, Role};
    let ayse = new_officer(
        "Ayse.Kaya@csgb.gov.tr",
        Authority::Labour,
        "evaluator,approver",
    );
    let ayse_id = ayse.id;
    assert_eq!(
        store.add_officer(ayse).await.unwrap(),
        AddOfficerOutcome::Added
    );
    // The same address, written differently: one officer per address, nothing written.
    let again = new_officer("ayse.kaya@CSGB.gov.tr", Authority::Migration, "admin");
    let again_id = again.id;
    assert_eq!(
        store.add_officer(again).await.unwrap(),
        AddOfficerOutcome::EmailTaken
    );
    let mehmet = new_officer("mehmet@goc.gov.tr", Authority::Migration, "evaluator");
    assert_eq!(
        store.add_officer(mehmet).await.unwrap(),
        AddOfficerOutcome::Added
    );

    let labour = store.officers(Some(Authority::Labour)).await.unwrap();
    assert_eq!(labour.len(), 1);
    assert_eq!(labour[0].id, ayse_id);
    assert_eq!(labour[0].email, "Ayse.Kaya@csgb.gov.tr");
    assert!(labour[0].roles.has(Role::Approver) && !labour[0].roles.has(Role::Admin));
    assert_eq!(labour[0].created_at, T0);
    assert_eq!(store.officers(None).await.unwrap().len(), 2);
    let key = email("ayse.kaya@csgb.gov.tr");
    let found = store
        .officer_by_email_key(key.key())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.authority, Authority::Labour);
    assert_eq!(found.disabled_at, None);

    let later = T0 + Duration::hours(1);
    let audit = || {
        NewAuditEntry::new(
            later,
            Actor::System,
            AuditAction::OfficerDisabled,
            &client(),
        )
        .subject(format!("officer:{ayse_id}"))
    };
    assert_eq!(
        store
            .disable_officer(key.key(), later, audit())
            .await
            .unwrap(),
        DisableOfficerOutcome::Disabled
    );
    assert_eq!(
        store
            .disable_officer(key.key(), later, audit())
            .await
            .unwrap(),
        DisableOfficerOutcome::AlreadyDisabled
    );
    assert_eq!(
        store
            .disable_officer("nobody@csgb.gov.tr", later, audit())
            .await
            .unwrap(),
        DisableOfficerOutcome::NotFound
    );
    let found = store
        .officer_by_email_key(key.key())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.disabled_at, Some(later));
    // Added and disabled once each, in the audit log; the refused addition left nothing.
    let actions: Vec<String> = store
        .audit_entries(Some(&format!("officer:{ayse_id}")), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    let mut sorted = actions.clone();
    sorted.sort();
    assert_eq!(sorted, ["officer.added", "officer.disabled"], "{actions:?}");
    assert!(
        store
            .audit_entries(Some(&format!("officer:{again_id}")), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_totp_step_and_a_recovery_code_are_used_once_even_concurrently(
    store: Arc<dyn Store>,
    _guard: &Guard,
) {
    let officer = new_officer(
        "nur@csgb.gov.tr",
        izin_domain::officer::Authority::Labour,
        "evaluator",
    );
    let id = officer.id;
    store.add_officer(officer).await.unwrap();
    let factor = store.second_factor(id).await.unwrap().unwrap();
    assert_eq!(factor.totp_secret, vec![7; 20]);
    assert_eq!(factor.totp_last_step, None);
    assert_eq!(store.second_factor(Uuid::now_v7()).await.unwrap(), None);
    // Ten requests with the same code at once (on any instance): exactly one is accepted.
    let step = 59_000_000_i64;
    let attempts: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.use_totp_step(id, step).await.unwrap() })
        })
        .collect();
    let mut accepted = 0;
    for attempt in attempts {
        if attempt.await.unwrap() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1);
    assert!(
        !store.use_totp_step(id, step - 1).await.unwrap(),
        "an older step"
    );
    assert!(
        store.use_totp_step(id, step + 1).await.unwrap(),
        "the next step"
    );
    assert_eq!(
        store
            .second_factor(id)
            .await
            .unwrap()
            .unwrap()
            .totp_last_step,
        Some(step + 1)
    );
    // A recovery code works once; an unknown one never.
    let hash = "a".repeat(64);
    assert!(store.use_recovery_code(id, &hash, T0).await.unwrap());
    assert!(!store.use_recovery_code(id, &hash, T0).await.unwrap());
    assert!(
        !store
            .use_recovery_code(id, &"c".repeat(64), T0)
            .await
            .unwrap()
    );
    assert!(
        store
            .use_recovery_code(id, &"b".repeat(64), T0)
            .await
            .unwrap()
    );
}

// ----- Back office -----

async fn the_queue_shows_an_authority_its_submissions_filtered_and_searched(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Kind, Status};
    use izin_domain::back_office::Search;
    use izin_domain::officer::Authority::{Labour, Migration};
    let user = signed_up(&store, "queue@example.com").await;
    let ayse = bo::officer(&store, "ayse@csgb.gov.tr", Labour).await;
    let mehmet = bo::officer(&store, "mehmet@csgb.gov.tr", Labour).await;
    let at = |hours: i64| T0 + Duration::hours(hours);
    let isik_id = bo::foreigner_id(1_234_567);
    let wpe = Kind::WorkPermitExemption;
    // The migration authority's is the oldest of all, and its applicant shares a name.
    let (migration, _) = bo::submitted(
        &store,
        &user,
        wpe,
        "n",
        bo::queue(Migration, "Işık", "Demir", "IRN", "K7654321", None),
        at(0),
    )
    .await;
    let isik = bo::queue(Labour, "Işık", "Çağlar", "AZE", "U12345678", Some(&isik_id));
    let (a1, _) = bo::submitted(&store, &user, wpe, "n", isik, at(1)).await;
    let (a2, _) = bo::submitted(
        &store,
        &user,
        Kind::NewCard,
        "m",
        bo::labour("John", "Smith", "GBR", "GB9876543"),
        at(2),
    )
    .await;
    let (a3, a3_number) = bo::submitted(
        &store,
        &user,
        wpe,
        "m",
        bo::labour("Ayşe", "Yılmaz", "AZE", "C01X00T47"),
        at(3),
    )
    .await;
    let (a4, _) = bo::submitted(
        &store,
        &user,
        wpe,
        "n",
        bo::labour("Olga", "Petrova", "RUS", "750000001"),
        at(3),
    )
    .await;
    // A draft is never in the queue.
    ac::draft(&store, &user).await;
    // a3 and a4 were submitted at the same moment: the id decides.
    let (first_tie, second_tie) = if a3 < a4 { (a3, a4) } else { (a4, a3) };
    let labour = QueueQuery::all(Labour, 50);
    assert_eq!(
        bo::ids(&store, labour.clone()).await,
        [a1, a2, first_tie, second_tie],
        "oldest first, then by id"
    );
    assert_eq!(
        bo::ids(&store, QueueQuery::all(Migration, 50)).await,
        [migration]
    );
    let page = store.queue(labour.clone()).await.unwrap();
    let item = &page.items[0];
    assert_eq!(item.number.len(), "2026-000001".len());
    assert_eq!(item.kind, wpe);
    assert_eq!(item.category.as_deref(), Some("n"));
    assert_eq!(item.lifecycle.status, Status::Submitted);
    assert_eq!(item.applicant_name.as_deref(), Some("Işık Çağlar"));
    assert_eq!(item.nationality.as_deref(), Some("AZE"));
    assert_eq!(item.submitted_at, at(1));
    assert_eq!(item.assigned_to, None);
    assert_eq!(page.next, None);

    bo::taken(&store, a2, ayse).await;
    let q = |f: &dyn Fn(&mut QueueQuery)| {
        let mut query = labour.clone();
        f(&mut query);
        query
    };
    let cases: Vec<(&str, QueueQuery, Vec<Uuid>)> = vec![
        (
            "submitted",
            q(&|q| q.status = Some(Status::Submitted)),
            vec![a1, first_tie, second_tie],
        ),
        (
            "under evaluation",
            q(&|q| q.status = Some(Status::UnderEvaluation)),
            vec![a2],
        ),
        (
            "approved",
            q(&|q| q.status = Some(Status::Approval)),
            vec![],
        ),
        ("new card", q(&|q| q.kind = Some(Kind::NewCard)), vec![a2]),
        (
            "exemption",
            q(&|q| q.kind = Some(wpe)),
            vec![a1, first_tie, second_tie],
        ),
        (
            "category m",
            q(&|q| q.category = Some("m".into())),
            vec![a2, a3],
        ),
        (
            "from",
            q(&|q| q.submitted_from = Some(at(2))),
            vec![a2, first_tie, second_tie],
        ),
        ("before", q(&|q| q.submitted_before = Some(at(2))), vec![a1]),
        (
            "between",
            q(&|q| {
                q.submitted_from = Some(at(2));
                q.submitted_before = Some(at(3));
            }),
            vec![a2],
        ),
        (
            "nationality",
            q(&|q| q.nationality = Some("AZE".into())),
            vec![a1, a3],
        ),
        (
            "unassigned",
            q(&|q| q.assigned = Assigned::Unassigned),
            vec![a1, first_tie, second_tie],
        ),
        ("ayşe's", q(&|q| q.assigned = Assigned::To(ayse)), vec![a2]),
        (
            "mehmet's",
            q(&|q| q.assigned = Assigned::To(mehmet)),
            vec![],
        ),
        (
            "two filters",
            q(&|q| {
                q.status = Some(Status::Submitted);
                q.nationality = Some("AZE".into());
            }),
            vec![a1, a3],
        ),
        (
            "status and kind",
            q(&|q| {
                q.status = Some(Status::Submitted);
                q.kind = Some(Kind::NewCard);
            }),
            vec![],
        ),
    ];
    for (what, query, expected) in cases {
        assert_eq!(bo::ids(&store, query).await, expected, "{what}");
    }

    let search = |typed: &str| q(&|q| q.search = Search::parse(typed));
    let searches: Vec<(&str, Vec<Uuid>)> = vec![
        (a3_number.as_str(), vec![a3]),
        (isik_id.as_str(), vec![a1]),
        ("c01x 00t47", vec![a3]),
        ("U12345678", vec![a1]),
        ("isik", vec![a1]),
        ("CAGLAR", vec![a1]),
        ("ışık ç", vec![a1]),
        ("Çağlar Işık", vec![a1]),
        ("yilmaz ayse", vec![a3]),
        ("ayse", vec![a3]),
        ("smi", vec![a2]),
        ("sm j", vec![]),
        ("K7654321", vec![]),
        ("zeynep", vec![]),
    ];
    for (typed, expected) in searches {
        assert_eq!(bo::ids(&store, search(typed)).await, expected, "{typed:?}");
    }
    // Another authority finds none of these, only its own.
    let mut elsewhere = QueueQuery::all(Migration, 50);
    elsewhere.search = Search::parse(&a3_number);
    assert!(bo::ids(&store, elsewhere.clone()).await.is_empty());
    elsewhere.search = Search::parse("ISIK");
    assert_eq!(bo::ids(&store, elsewhere).await, [migration]);
    // A search combines with the filters.
    let mut combined = search("ışık");
    combined.status = Some(Status::UnderEvaluation);
    assert!(bo::ids(&store, combined).await.is_empty());
}

async fn queue_pages_follow_their_cursor_while_applications_arrive(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::officer::Authority::Labour;
    let user = signed_up(&store, "pages@example.com").await;
    // Five applications, two of them submitted at the same moment.
    let mut expected = Vec::new();
    for minutes in [10, 20, 20, 30, 40] {
        let id = bo::open(&store, &user, T0 + Duration::minutes(minutes)).await;
        expected.push((T0 + Duration::minutes(minutes), id));
    }
    expected.sort();
    let expected: Vec<Uuid> = expected.into_iter().map(|(_, id)| id).collect();

    let mut query = QueueQuery::all(Labour, 2);
    let first = store.queue(query.clone()).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let next = first.next.expect("a second page");
    assert_eq!(next, first.items[1].cursor());
    // A submission arrives while the officer reads: it is last, and nothing shifts.
    let late = bo::open(&store, &user, T0 + Duration::hours(5)).await;
    let mut seen: Vec<Uuid> = first.items.iter().map(|i| i.id).collect();
    query.after = Some(next);
    loop {
        let page = store.queue(query.clone()).await.unwrap();
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|i| i.id));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let mut all = expected.clone();
    all.push(late);
    assert_eq!(seen, all, "each once, in order");
    // Exactly a page's worth: no empty page after it.
    let mut exact = QueueQuery::all(Labour, 3);
    exact.after = Some(store.queue(QueueQuery::all(Labour, 3)).await.unwrap().items[2].cursor());
    let rest = store.queue(exact).await.unwrap();
    assert_eq!(rest.items.len(), 3);
    assert_eq!(rest.next, None);
}

async fn queue_counts_follow_submissions_and_moves(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Kind};
    use izin_domain::officer::Authority::{Labour, Migration};
    use std::collections::BTreeMap;
    let user = signed_up(&store, "counts@example.com").await;
    let officer = bo::officer(&store, "sayac@csgb.gov.tr", Labour).await;
    assert!(bo::counts(&store, Labour).await.is_empty());
    let mut ids = Vec::new();
    for minutes in 1..=3 {
        ids.push(bo::open(&store, &user, T0 + Duration::minutes(minutes)).await);
    }
    bo::submitted(
        &store,
        &user,
        Kind::WorkPermitExemption,
        "n",
        bo::queue(Migration, "Ali", "Veli", "IRQ", "A1234567", None),
        T0,
    )
    .await;
    ac::draft(&store, &user).await;
    let expect = |pairs: &[(&'static str, i64)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
    assert_eq!(
        bo::counts(&store, Labour).await,
        expect(&[("SUBMITTED", 3)])
    );
    bo::taken(&store, ids[0], officer).await;
    assert_eq!(
        bo::counts(&store, Labour).await,
        expect(&[("SUBMITTED", 2), ("UNDER_EVALUATION", 1)])
    );
    store
        .transition_application(bo::act(
            ids[0],
            Labour,
            officer,
            Event::ApproveDirectly,
            None,
        ))
        .await
        .unwrap();
    store
        .transition_application(ac::applicant_move(&user, ids[1], Event::Withdraw))
        .await
        .unwrap();
    assert_eq!(
        bo::counts(&store, Labour).await,
        expect(&[("APPROVAL", 1), ("SUBMITTED", 1), ("WITHDRAWN", 1)])
    );
    assert_eq!(
        bo::counts(&store, Migration).await,
        expect(&[("SUBMITTED", 1)])
    );
}

async fn one_officer_takes_an_application_even_when_two_try_at_once(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Lifecycle, Status};
    use izin_domain::officer::Authority::{Labour, Migration};
    let user = signed_up(&store, "take@example.com").await;
    let ayse = bo::officer(&store, "ayse@csgb.gov.tr", Labour).await;
    let mehmet = bo::officer(&store, "mehmet@csgb.gov.tr", Labour).await;
    let goc = bo::officer(&store, "memur@goc.gov.tr", Migration).await;
    let id = bo::open(&store, &user, T0).await;
    let mail_before = store.outbox_stats().await.unwrap().pending;
    let under_evaluation = Lifecycle {
        status: Status::UnderEvaluation,
        exemption: None,
    };
    assert_eq!(
        store
            .take_application(bo::take(id, Migration, goc))
            .await
            .unwrap(),
        TakeOutcome::NotFound,
        "another authority's application"
    );
    assert_eq!(
        store
            .take_application(bo::take(Uuid::new_v4(), Labour, ayse))
            .await
            .unwrap(),
        TakeOutcome::NotFound
    );
    assert_eq!(
        store
            .take_application(bo::take(id, Labour, ayse))
            .await
            .unwrap(),
        TakeOutcome::Taken {
            lifecycle: under_evaluation
        }
    );
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle, under_evaluation);
    assert_eq!(record.assigned_to, Some(ayse));
    let history = store.application_history(id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].event, Event::StartEvaluation);
    assert_eq!(history[1].actor_kind, "officer");
    assert_eq!(history[1].actor_id, Some(ayse));
    assert_eq!(history[1].from.status, Status::Submitted);
    assert_eq!(history[1].to, under_evaluation);
    assert_eq!(
        store.outbox_stats().await.unwrap().pending,
        mail_before + 1,
        "the applicant is told"
    );
    assert_eq!(
        store
            .take_application(bo::take(id, Labour, mehmet))
            .await
            .unwrap(),
        TakeOutcome::HeldBy(ayse)
    );
    assert_eq!(
        store
            .take_application(bo::take(id, Labour, ayse))
            .await
            .unwrap(),
        TakeOutcome::Taken {
            lifecycle: under_evaluation
        },
        "taking one's own again"
    );
    assert_eq!(store.application_history(id).await.unwrap().len(), 2);
    assert_eq!(store.outbox_stats().await.unwrap().pending, mail_before + 1);
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.assigned_to, Some(ayse));

    // Two officers at once, again and again: one wins, the other is told who.
    for round in 0..20 {
        let id = bo::open(&store, &user, T0 + Duration::minutes(round + 1)).await;
        let (first, second) = tokio::join!(
            store.take_application(bo::take(id, Labour, ayse)),
            store.take_application(bo::take(id, Labour, mehmet)),
        );
        let (first, second) = (first.unwrap(), second.unwrap());
        let winner = match (&first, &second) {
            (TakeOutcome::Taken { .. }, TakeOutcome::HeldBy(winner)) => {
                assert_eq!(*winner, ayse);
                ayse
            }
            (TakeOutcome::HeldBy(winner), TakeOutcome::Taken { .. }) => {
                assert_eq!(*winner, mehmet);
                mehmet
            }
            other => panic!("round {round}: {other:?}"),
        };
        let record = store.application(None, id).await.unwrap().unwrap();
        assert_eq!(record.assigned_to, Some(winner), "round {round}");
        let history = store.application_history(id).await.unwrap();
        assert_eq!(
            history
                .iter()
                .filter(|h| h.event == Event::StartEvaluation)
                .count(),
            1,
            "round {round}"
        );
    }
}

async fn applications_are_released_and_given_while_open(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Lifecycle, Status};
    use izin_domain::officer::Authority::{Labour, Migration};
    let user = signed_up(&store, "assign@example.com").await;
    let ayse = bo::officer(&store, "ayse@csgb.gov.tr", Labour).await;
    let mehmet = bo::officer(&store, "mehmet@csgb.gov.tr", Labour).await;
    let id = bo::open(&store, &user, T0).await;
    let submitted = Lifecycle {
        status: Status::Submitted,
        exemption: None,
    };
    assert_eq!(
        store
            .assign_application(bo::assignment(id, Labour, Some(ayse)))
            .await
            .unwrap(),
        AssignOutcome::NotOpen(submitted),
        "a submitted application is taken, not given"
    );
    bo::taken(&store, id, ayse).await;
    assert_eq!(
        store
            .assign_application(bo::assignment(id, Migration, None))
            .await
            .unwrap(),
        AssignOutcome::NotFound
    );
    let audit_before = bo::traces(&store, id).await.1;
    assert_eq!(
        store
            .assign_application(bo::assignment(id, Labour, None))
            .await
            .unwrap(),
        AssignOutcome::Assigned
    );
    assert_eq!(bo::traces(&store, id).await.1, audit_before + 1);
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.assigned_to, None);
    assert_eq!(record.lifecycle.status, Status::UnderEvaluation);
    let mut unassigned = QueueQuery::all(Labour, 10);
    unassigned.assigned = Assigned::Unassigned;
    assert_eq!(bo::ids(&store, unassigned).await, [id]);
    // Released: another officer takes it, without a second start of the evaluation.
    assert_eq!(
        store
            .take_application(bo::take(id, Labour, mehmet))
            .await
            .unwrap(),
        TakeOutcome::Taken {
            lifecycle: record.lifecycle
        }
    );
    assert_eq!(store.application_history(id).await.unwrap().len(), 2);
    // An approver gives it back to the first officer.
    assert_eq!(
        store
            .assign_application(bo::assignment(id, Labour, Some(ayse)))
            .await
            .unwrap(),
        AssignOutcome::Assigned
    );
    let mut ayses = QueueQuery::all(Labour, 10);
    ayses.assigned = Assigned::To(ayse);
    assert_eq!(bo::ids(&store, ayses).await, [id]);
    let moved = store
        .transition_application(bo::act(id, Labour, ayse, Event::ApproveDirectly, None))
        .await
        .unwrap();
    assert!(
        matches!(moved, TransitionOutcome::Moved { .. }),
        "{moved:?}"
    );
    let approved = store
        .application(None, id)
        .await
        .unwrap()
        .unwrap()
        .lifecycle;
    assert_eq!(approved.status, Status::Approval);
    assert_eq!(
        store
            .assign_application(bo::assignment(id, Labour, None))
            .await
            .unwrap(),
        AssignOutcome::NotOpen(approved)
    );
    assert_eq!(
        store
            .take_application(bo::take(id, Labour, mehmet))
            .await
            .unwrap(),
        TakeOutcome::HeldBy(ayse),
        "the last holder stays named on a decided application"
    );
}

async fn officers_move_only_what_they_hold_and_a_refused_move_leaves_nothing(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Status, TransitionError};
    use izin_domain::back_office::{OfficerDecision, Proposal};
    use izin_domain::officer::Authority::{Labour, Migration};
    let user = signed_up(&store, "moves@example.com").await;
    let ayse = bo::officer(&store, "ayse@csgb.gov.tr", Labour).await;
    let mehmet = bo::officer(&store, "mehmet@csgb.gov.tr", Labour).await;
    let goc = bo::officer(&store, "memur@goc.gov.tr", Migration).await;
    let id = bo::open(&store, &user, T0).await;
    // Nobody holds a submitted application: it is taken, not moved.
    assert_eq!(
        store
            .transition_application(bo::act(id, Labour, ayse, Event::StartEvaluation, None))
            .await
            .unwrap(),
        TransitionOutcome::NotHolder { held_by: None }
    );
    bo::taken(&store, id, ayse).await;
    let before = bo::traces(&store, id).await;
    let reject = |officer, authority, reason: Option<&str>| {
        let mut t = bo::act(id, authority, officer, Event::Reject, reason);
        if let Some(scope) = t.officer.as_mut() {
            scope.decision = Some(OfficerDecision::Rejected {
                reason: "documents-missing".into(),
                text: "The contract is missing.".into(),
            });
            scope.clear_proposal = true;
        }
        t
    };
    assert_eq!(
        store
            .transition_application(reject(goc, Migration, Some("x")))
            .await
            .unwrap(),
        TransitionOutcome::NotFound
    );
    assert_eq!(
        store
            .transition_application(reject(mehmet, Labour, Some("x")))
            .await
            .unwrap(),
        TransitionOutcome::NotHolder {
            held_by: Some(ayse)
        }
    );
    assert_eq!(
        store
            .transition_application(reject(ayse, Labour, None))
            .await
            .unwrap(),
        TransitionOutcome::Refused(TransitionError::ReasonRequired {
            event: Event::Reject
        })
    );
    assert_eq!(
        bo::traces(&store, id).await,
        before,
        "no history, audit entry or mail"
    );
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle.status, Status::UnderEvaluation);
    assert_eq!(record.decision, None);

    let first_approval = Proposal {
        proposed_by: ayse,
        proposed_at: T0 + Duration::days(1),
        estimate_confirmed_by: None,
    };
    assert_eq!(
        store
            .set_proposal(bo::proposal(id, Labour, ayse, Some(first_approval.clone())))
            .await
            .unwrap(),
        ProposalOutcome::Recorded
    );
    let moved = store
        .transition_application(reject(ayse, Labour, Some("The contract is missing.")))
        .await
        .unwrap();
    assert!(
        matches!(moved, TransitionOutcome::Moved { lifecycle, .. } if lifecycle.status == Status::Rejected),
        "{moved:?}"
    );
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(
        record.decision,
        Some(OfficerDecision::Rejected {
            reason: "documents-missing".into(),
            text: "The contract is missing.".into(),
        })
    );
    assert_eq!(record.proposal, None, "the decision settled the proposal");
    let (history, audit, mail) = bo::traces(&store, id).await;
    assert_eq!(
        (history, audit, mail),
        (before.0 + 1, before.1 + 2, before.2 + 1),
        "the move's, after the proposal's audit entry"
    );

    // A move that leaves the decision and the proposal alone.
    let other = bo::open(&store, &user, T0 + Duration::minutes(1)).await;
    bo::taken(&store, other, mehmet).await;
    let revision = OfficerDecision::Revision {
        message: "Upload a clearer passport scan.".into(),
        reopen: vec!["profile.passport".into()],
    };
    let mut ask = bo::act(
        other,
        Labour,
        mehmet,
        Event::RequestRevision,
        Some("Upload a clearer passport scan."),
    );
    if let Some(scope) = ask.officer.as_mut() {
        scope.decision = Some(revision.clone());
    }
    let mut proposal = first_approval;
    proposal.proposed_by = mehmet;
    store
        .set_proposal(bo::proposal(other, Labour, mehmet, Some(proposal.clone())))
        .await
        .unwrap();
    assert!(matches!(
        store.transition_application(ask).await.unwrap(),
        TransitionOutcome::Moved { .. }
    ));
    let record = store.application(None, other).await.unwrap().unwrap();
    assert_eq!(record.lifecycle.status, Status::Revision);
    assert_eq!(record.decision, Some(revision.clone()));
    assert_eq!(record.proposal, Some(proposal));
    assert_eq!(record.assigned_to, Some(mehmet));
}

async fn proposals_are_recorded_by_the_holder_under_evaluation(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Lifecycle, Status};
    use izin_domain::back_office::Proposal;
    use izin_domain::officer::Authority::{Labour, Migration};
    let user = signed_up(&store, "four-eyes@example.com").await;
    let ayse = bo::officer(&store, "ayse@csgb.gov.tr", Labour).await;
    let mehmet = bo::officer(&store, "mehmet@csgb.gov.tr", Labour).await;
    let goc = bo::officer(&store, "memur@goc.gov.tr", Migration).await;
    let id = bo::open(&store, &user, T0).await;
    let proposal = Proposal {
        proposed_by: ayse,
        proposed_at: T0 + Duration::days(1),
        estimate_confirmed_by: Some(mehmet),
    };
    let write = |officer, authority| bo::proposal(id, authority, officer, Some(proposal.clone()));
    assert_eq!(
        store.set_proposal(write(ayse, Labour)).await.unwrap(),
        ProposalOutcome::NotUnderEvaluation(Lifecycle {
            status: Status::Submitted,
            exemption: None
        })
    );
    bo::taken(&store, id, ayse).await;
    assert_eq!(
        store.set_proposal(write(goc, Migration)).await.unwrap(),
        ProposalOutcome::NotFound
    );
    let audit_before = bo::traces(&store, id).await.1;
    assert_eq!(
        store.set_proposal(write(mehmet, Labour)).await.unwrap(),
        ProposalOutcome::NotHolder {
            held_by: Some(ayse)
        }
    );
    assert_eq!(
        store.application(None, id).await.unwrap().unwrap().proposal,
        None
    );
    assert_eq!(bo::traces(&store, id).await.1, audit_before);
    assert_eq!(
        store.set_proposal(write(ayse, Labour)).await.unwrap(),
        ProposalOutcome::Recorded
    );
    assert_eq!(
        store.application(None, id).await.unwrap().unwrap().proposal,
        Some(proposal.clone())
    );
    assert_eq!(bo::traces(&store, id).await.1, audit_before + 1);
    // Withdrawn by its author.
    assert_eq!(
        store
            .set_proposal(bo::proposal(id, Labour, ayse, None))
            .await
            .unwrap(),
        ProposalOutcome::Recorded
    );
    assert_eq!(
        store.application(None, id).await.unwrap().unwrap().proposal,
        None
    );
    store
        .transition_application(bo::act(id, Labour, ayse, Event::ApproveDirectly, None))
        .await
        .unwrap();
    assert!(matches!(
        store.set_proposal(write(ayse, Labour)).await.unwrap(),
        ProposalOutcome::NotUnderEvaluation(Lifecycle {
            status: Status::Approval,
            ..
        })
    ));
}

async fn notes_are_kept_per_application_with_their_author(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::officer::Authority::{Labour, Migration};
    let user = signed_up(&store, "notes@example.com").await;
    let ayse = bo::officer(&store, "Ayse.Kaya@csgb.gov.tr", Labour).await;
    let mehmet = bo::officer(&store, "mehmet@csgb.gov.tr", Labour).await;
    let goc = bo::officer(&store, "memur@goc.gov.tr", Migration).await;
    let id = bo::open(&store, &user, T0).await;
    let other = bo::open(&store, &user, T0 + Duration::minutes(1)).await;
    assert!(store.notes(id).await.unwrap().is_empty());
    assert!(
        store
            .add_note(bo::note(id, Labour, ayse, "Passport scan is blurred."))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_note(bo::note(
                id,
                Labour,
                mehmet,
                "Employer called; contract follows."
            ))
            .await
            .unwrap()
    );
    assert!(
        store
            .add_note(bo::note(other, Labour, mehmet, "Another file."))
            .await
            .unwrap()
    );
    let audit_before = bo::traces(&store, id).await.1;
    assert!(
        !store
            .add_note(bo::note(id, Migration, goc, "Not ours."))
            .await
            .unwrap()
    );
    assert!(
        !store
            .add_note(bo::note(Uuid::new_v4(), Labour, ayse, "Nowhere."))
            .await
            .unwrap()
    );
    assert_eq!(bo::traces(&store, id).await.1, audit_before);
    let notes = store.notes(id).await.unwrap();
    let read: Vec<(Uuid, &str, &str)> = notes
        .iter()
        .map(|n| (n.officer, n.officer_email.as_str(), n.text.as_str()))
        .collect();
    assert_eq!(
        read,
        [
            (ayse, "Ayse.Kaya@csgb.gov.tr", "Passport scan is blurred."),
            (
                mehmet,
                "mehmet@csgb.gov.tr",
                "Employer called; contract follows."
            ),
        ]
    );
    assert!(notes[0].id < notes[1].id);
    assert_eq!(notes[0].at, T0 + Duration::days(1));
    assert_eq!(store.notes(other).await.unwrap().len(), 1);
}

async fn officer_sessions_use_their_code_once_and_end_with_the_officer(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::officer::Authority::Labour;
    let address = email("Nur.Demir@csgb.gov.tr");
    let officer = bo::officer(&store, address.as_str(), Labour).await;
    let check = |code: &str, now| {
        let a = attempt(&address, code, now);
        CodeCheck {
            challenge_hash: a.challenge_hash,
            email: a.email,
            submitted_hash: a.submitted_hash,
            policy: a.policy,
            now: a.now,
            client: a.client,
        }
    };
    let open = |code_id, token: Hash32, now| OpenOfficerSession {
        code_id,
        officer,
        token_hash: token,
        now,
        client: client(),
        audit: NewAuditEntry::new(
            now,
            Actor::Officer(officer),
            AuditAction::SignedIn,
            &client(),
        )
        .subject(format!("officer:{officer}")),
    };
    issue(&store, &address, "271828", T0).await;
    assert_eq!(
        store.check_officer_code(check("000000", T0)).await.unwrap(),
        Err(CodeRejection::Wrong { attempts_left: 4 })
    );
    let right = store
        .check_officer_code(check("271828", T0))
        .await
        .unwrap()
        .expect("the right code");
    assert_eq!(right.email.key(), address.key());
    // Checking does not use the code: the second factor comes first.
    assert_eq!(
        store.check_officer_code(check("271828", T0)).await.unwrap(),
        Ok(right.clone())
    );
    let token = hash("officer-session-1");
    assert!(
        store
            .open_officer_session(open(right.code_id, token, T0))
            .await
            .unwrap()
    );
    assert!(
        !store
            .open_officer_session(open(right.code_id, hash("officer-session-2"), T0))
            .await
            .unwrap(),
        "the code was used"
    );
    assert!(
        store
            .officer_session(&hash("officer-session-2"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.check_officer_code(check("271828", T0)).await.unwrap(),
        Err(CodeRejection::AlreadyUsed)
    );
    let session = store.officer_session(&token).await.unwrap().expect("open");
    assert_eq!(session.officer.id, officer);
    assert_eq!(session.officer.email, "Nur.Demir@csgb.gov.tr");
    assert_eq!(session.created_at, T0);
    assert_eq!(session.last_seen_at, T0);
    let later = T0 + Duration::minutes(20);
    store.touch_officer_session(&token, later).await.unwrap();
    // A late write with an older time does not move activity backwards.
    store
        .touch_officer_session(&token, T0 + Duration::minutes(5))
        .await
        .unwrap();
    let session = store.officer_session(&token).await.unwrap().unwrap();
    assert_eq!(session.last_seen_at, later);
    assert_eq!(session.created_at, T0);
    let bye = NewAuditEntry::new(
        later,
        Actor::Officer(officer),
        AuditAction::SignedOut,
        &client(),
    )
    .subject(format!("officer:{officer}"));
    assert!(
        store
            .end_officer_session(&token, bye.clone())
            .await
            .unwrap()
    );
    assert!(store.officer_session(&token).await.unwrap().is_none());
    assert!(!store.end_officer_session(&token, bye).await.unwrap());
    let actions: Vec<String> = store
        .audit_entries(Some(&format!("officer:{officer}")), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.as_str() != "officer.added")
            .collect::<Vec<_>>(),
        ["auth.signed_out", "auth.signed_in"]
    );

    // Disabling the officer ends every session at once.
    let again = T0 + Duration::hours(1);
    issue(&store, &address, "161803", again).await;
    let right = store
        .check_officer_code(check("161803", again))
        .await
        .unwrap()
        .expect("the right code");
    let token = hash("officer-session-3");
    assert!(
        store
            .open_officer_session(open(right.code_id, token, again))
            .await
            .unwrap()
    );
    assert!(store.officer_session(&token).await.unwrap().is_some());
    assert_eq!(
        store
            .disable_officer(
                address.key(),
                again,
                NewAuditEntry::new(
                    again,
                    Actor::System,
                    AuditAction::OfficerDisabled,
                    &client()
                )
            )
            .await
            .unwrap(),
        DisableOfficerOutcome::Disabled
    );
    assert!(store.officer_session(&token).await.unwrap().is_none());
}

// ----- Payments -----

/// What the payments' contract tests build: applications waiting for payment with their
/// notices, receipts as the channels report them, and the mail they queue.
mod payments_contract {
    use super::*;
    use izin_domain::application::{Event, Kind, Lifecycle, Status};
    use izin_domain::money::{Amount, FeeKind, Money};
    use izin_domain::officer::Authority;
    use izin_domain::payment::{Channel, deadline};
    use std::sync::atomic::{AtomicU32, Ordering};

    /// The exemption fee and the card's price at 2026's rates (kuruş).
    pub const FEE: i64 = 1_257_492;
    pub const CARD: i64 = 96_400;
    pub const FEE_ACCOUNT: &str = "9280";
    pub const CARD_ACCOUNT: &str = "9268";

    pub fn amount(account: &str, kind: FeeKind, kurus: i64, year: i32) -> Amount {
        Amount {
            account_code: account.into(),
            kind,
            amount: Money(kurus),
            currency: "TRY".into(),
            year,
            published: true,
        }
    }

    /// The exemption fee and the card, at 2026's rates.
    pub fn fees() -> Vec<Amount> {
        vec![
            amount(FEE_ACCOUNT, FeeKind::ExemptionFee, FEE, 2026),
            amount(CARD_ACCOUNT, FeeKind::ValuablePaperFee, CARD, 2026),
        ]
    }

    /// A mail of `kind` saying the reference and the application's status.
    pub fn mail(kind: &'static str) -> PaymentMail {
        PaymentMail::new(move |c| {
            Some(NewMail {
                kind: kind.into(),
                recipient: c.user.email.clone(),
                language: c.user.language,
                subject: format!("{kind} {}", c.record.number.clone().unwrap_or_default()),
                body_text: format!(
                    "reference {} status {}",
                    c.notice.reference,
                    c.record.lifecycle.status.code()
                ),
                body_html: None,
                not_after: None,
            })
        })
    }

    pub fn notice(foreigner: &str, items: Vec<Amount>, now: OffsetDateTime) -> NewNotice {
        NewNotice {
            authority: Authority::Labour,
            foreigner_id: foreigner.into(),
            foreigner_id_assigned: false,
            items,
            deadline: deadline(now, 30),
            on_approval: Some(ExemptionStatus::Active),
            basis: None,
            mail: mail("payment-notice"),
        }
    }

    static PASSPORTS: AtomicU32 = AtomicU32::new(1);

    /// A labour application of `user` (foreigner ID `foreigner`) submitted at `at` and approved
    /// with `items` due an hour later: PAYMENT_PENDING with its notice.
    pub async fn pending(
        store: &Arc<dyn Store>,
        user: &User,
        foreigner: &str,
        items: Vec<Amount>,
        at: OffsetDateTime,
    ) -> Uuid {
        let passport = format!("P{:08}", PASSPORTS.fetch_add(1, Ordering::Relaxed));
        let queue = bo::queue(
            Authority::Labour,
            "Deniz",
            "Kaya",
            "AZE",
            &passport,
            Some(foreigner),
        );
        let (id, _) = bo::submitted(store, user, Kind::WorkPermitExemption, "n", queue, at).await;
        let mut start = ac::officer_move(id, Event::StartEvaluation, None, false);
        start.now = at + Duration::minutes(30);
        assert!(matches!(
            store.transition_application(start).await.unwrap(),
            TransitionOutcome::Moved { .. }
        ));
        let mut approve = ac::officer_move(id, Event::ApproveWithFees, None, true);
        approve.now = at + Duration::hours(1);
        approve.mail = Some(NewMail {
            kind: "application-decided".into(),
            recipient: user.email.clone(),
            language: Language::Tr,
            subject: "Karar".into(),
            body_text: "Karar verildi.".into(),
            body_html: None,
            not_after: None,
        });
        approve.payment = Some(notice(foreigner, items, approve.now));
        assert_eq!(
            store.transition_application(approve).await.unwrap(),
            TransitionOutcome::Moved {
                lifecycle: Lifecycle {
                    status: Status::PaymentPending,
                    exemption: None
                },
                version: 1
            }
        );
        id
    }

    /// A payment reported by the revenue administration's notification.
    pub fn receipt(
        foreigner: &str,
        account: &str,
        kurus: i64,
        paid_at: OffsetDateTime,
    ) -> NewReceipt {
        let id = Uuid::new_v4();
        NewReceipt {
            id,
            channel: Channel::Notification,
            payment_id: Some(format!("GIB-{id}")),
            bank: None,
            receipt_no: None,
            reference: None,
            foreigner_id: foreigner.into(),
            account_code: account.into(),
            amount: Money(kurus),
            currency: "TRY".into(),
            paid_at,
            received_at: paid_at + Duration::minutes(5),
            authority: Some(Authority::Labour),
            recorded_by: None,
            note: None,
            settled_mail: mail("payment-settled"),
            audit: NewAuditEntry::new(
                paid_at,
                Actor::System,
                AuditAction::ApplicationMoved,
                &client(),
            )
            .subject(format!("receipt:{id}")),
            settled_audit: NewAuditEntry::new(
                paid_at,
                Actor::System,
                AuditAction::ApplicationMoved,
                &client(),
            )
            .detail("event", "confirm_payment"),
        }
    }

    pub async fn record(store: &Arc<dyn Store>, receipt: NewReceipt) -> ReceiptOutcome {
        store.record_receipt(receipt).await.unwrap()
    }

    pub fn unmatched(reason: Unmatched, application: Option<Uuid>) -> Matching {
        Matching::Unmatched {
            reason,
            application,
        }
    }

    /// The reason a receipt was kept unmatched (`None`: it matched, or was a duplicate).
    pub fn reason(outcome: &ReceiptOutcome) -> Option<Unmatched> {
        match outcome {
            ReceiptOutcome::Recorded {
                matching: Matching::Unmatched { reason, .. },
                ..
            } => Some(*reason),
            _ => None,
        }
    }

    /// The mail queued since the last call (each delivered, so it is returned once).
    pub async fn drain(store: &Arc<dyn Store>) -> Vec<OutboxItem> {
        let now = T0 + Duration::days(800);
        let items = store
            .claim_due_mail(now, Duration::minutes(1), 1000)
            .await
            .unwrap();
        for item in &items {
            store.mark_mail_delivered(item.id, now).await.unwrap();
        }
        items
    }

    /// Produces every document an approval issued (as the worker would), then drains the mail:
    /// an approval's mail goes out only with its document.
    pub async fn produced_then_drained(store: &Arc<dyn Store>) -> Vec<OutboxItem> {
        let now = T0 + Duration::days(800);
        docs::with_key(store, "0011223344556677", T0).await;
        let jobs = store
            .claim_document_jobs(now, Duration::minutes(5), 100)
            .await
            .unwrap();
        for job in &jobs {
            store
                .complete_document(docs::produced(job, now))
                .await
                .unwrap();
        }
        drain(store).await
    }

    pub fn kinds(mail: &[OutboxItem]) -> Vec<&str> {
        let mut kinds: Vec<&str> = mail.iter().map(|m| m.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds
    }

    pub async fn status(store: &Arc<dyn Store>, id: Uuid) -> Lifecycle {
        store
            .application(None, id)
            .await
            .unwrap()
            .expect("application")
            .lifecycle
    }

    pub async fn events(store: &Arc<dyn Store>, id: Uuid) -> Vec<Event> {
        store
            .application_history(id)
            .await
            .unwrap()
            .iter()
            .map(|e| e.event)
            .collect()
    }

    pub fn expiry(id: Uuid, cutoff: time::Date, now: OffsetDateTime) -> Expiry {
        Expiry {
            application: id,
            deadline_on_or_before: cutoff,
            reason: "The payment was not made within 30 days.".into(),
            now,
            mail: mail("payment-expired"),
            audit: NewAuditEntry::new(now, Actor::System, AuditAction::ApplicationMoved, &client())
                .subject(format!("application:{id}"))
                .detail("event", "payment_deadline_passed"),
        }
    }

    pub async fn notice_of(store: &Arc<dyn Store>, id: Uuid) -> PaymentNotice {
        store.payment_notice(id).await.unwrap().expect("a notice")
    }

    pub fn reinstatement(receipt: Uuid, authority: Authority, officer: Uuid) -> Reinstatement {
        Reinstatement {
            receipt,
            authority,
            officer,
            reason: "Paid on the deadline day; the bank's file came late.".into(),
            now: T0 + Duration::days(40),
            mail: mail("payment-reinstated"),
            audit: NewAuditEntry::new(
                T0 + Duration::days(40),
                Actor::Officer(officer),
                AuditAction::ApplicationMoved,
                &client(),
            )
            .subject(format!("receipt:{receipt}")),
        }
    }
}

use izin_domain::payment::{Matching, PaymentNotice, TransactionReference, Unmatched};
use payments_contract as pc;

async fn an_approval_with_fees_leaves_a_notice_and_its_mail(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::Event;
    use izin_domain::officer::Authority;
    let user = signed_up(&store, "payer@example.com").await;
    let foreigner = bo::foreigner_id(1_234_567);
    pc::drain(&store).await;
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let notice = pc::notice_of(&store, id).await;
    assert_eq!(
        TransactionReference::parse(notice.reference.as_str()),
        Ok(notice.reference.clone())
    );
    assert!(notice.reference.as_str().starts_with("2026"));
    assert_eq!(
        store.notice_by_reference(&notice.reference).await.unwrap(),
        Some(notice.clone()),
        "found by its reference"
    );
    assert_eq!(
        store
            .notice_by_reference(&TransactionReference::issue(1999, 1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(notice.application, id);
    assert_eq!(notice.foreigner_id, foreigner);
    assert_eq!(notice.noticed_at, T0 + Duration::hours(1));
    assert_eq!(
        notice.deadline,
        izin_domain::payment::deadline(T0 + Duration::hours(1), 30)
    );
    assert_eq!(notice.items.len(), 2);
    assert!(notice.items.iter().all(|i| !i.paid && i.earlier.is_none()));
    assert_eq!(notice.items[0].amount, pc::fees()[0]);
    assert!(notice.reminded_at.is_none() && notice.expired_at.is_none());
    assert_eq!(
        pc::events(&store, id).await.last(),
        Some(&Event::ApproveWithFees)
    );
    // The notice's mail replaces the decision's own.
    let mail = pc::drain(&store).await;
    assert_eq!(pc::kinds(&mail), ["payment-notice"]);
    assert!(mail[0].body_text.contains(notice.reference.as_str()));
    assert!(mail[0].body_text.contains("PAYMENT_PENDING"));
    assert_eq!(mail[0].recipient, user.email);
    // Officers of the authority see it among the open notices.
    let open = store.open_notices(Authority::Labour, 10).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].notice, notice);
    assert_eq!(open[0].lifecycle, pc::status(&store, id).await);
    assert_eq!(
        open[0].number,
        store.application(None, id).await.unwrap().unwrap().number
    );
    assert!(open[0].applicant_name.is_some());
    assert!(
        store
            .open_notices(Authority::Migration, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Another notice draws another reference.
    let other = pc::pending(&store, &user, &bo::foreigner_id(1_234_568), pc::fees(), T0).await;
    assert_ne!(
        pc::notice_of(&store, other).await.reference,
        notice.reference
    );
    assert!(
        store
            .payment_notice(Uuid::new_v4())
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_submission_with_a_fixed_price_waits_for_payment_at_once(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Status};
    let user = signed_up(&store, "newcard@example.com").await;
    let foreigner = bo::foreigner_id(2_345_678);
    let id = ac::draft(&store, &user).await;
    pc::drain(&store).await;
    let mut submission = ac::submission(&user, id, None, 0);
    let mut due = pc::notice(&foreigner, vec![pc::fees()[1].clone()], submission.now);
    due.foreigner_id_assigned = true;
    due.on_approval = None;
    due.basis = Some("lost card".into());
    submission.payment = Some(due);
    assert!(matches!(
        store.submit_application(submission).await.unwrap(),
        SubmitOutcome::Submitted { .. }
    ));
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle.status, Status::PaymentPending);
    let history = store.application_history(id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].event, Event::Submit);
    assert_eq!(history[0].to.status, Status::Submitted);
    assert_eq!(history[1].event, Event::RequirePayment);
    assert_eq!(history[1].from.status, Status::Submitted);
    assert_eq!(history[1].to.status, Status::PaymentPending);
    assert_eq!(history[1].actor_kind, "system");
    assert_eq!((history[0].version, history[1].version), (1, 1));
    let notice = pc::notice_of(&store, id).await;
    assert!(notice.foreigner_id_assigned);
    assert_eq!(notice.basis.as_deref(), Some("lost card"));
    assert_eq!(notice.items.len(), 1);
    assert!(store.foreigner_id_in_use(&foreigner).await.unwrap());
    let mail = pc::drain(&store).await;
    assert_eq!(
        pc::kinds(&mail),
        ["application-submitted", "payment-notice"]
    );
    // Paying it approves with what the notice says the approval starts (nothing here).
    let paid = pc::record(
        &store,
        pc::receipt(
            &foreigner,
            pc::CARD_ACCOUNT,
            pc::CARD,
            T0 + Duration::days(1),
        ),
    )
    .await;
    let ReceiptOutcome::Recorded { approved, .. } = paid else {
        panic!("{paid:?}")
    };
    assert_eq!(
        approved,
        Some(izin_domain::application::Lifecycle {
            status: Status::Approval,
            exemption: None
        })
    );
}

async fn an_exact_payment_of_every_amount_approves(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Lifecycle, Status};
    let user = signed_up(&store, "exact@example.com").await;
    let foreigner = bo::foreigner_id(3_456_789);
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let reference = pc::notice_of(&store, id).await.reference;
    pc::drain(&store).await;
    let paid_at = T0 + Duration::days(3);
    let card = pc::receipt(&foreigner, pc::CARD_ACCOUNT, pc::CARD, paid_at);
    let card_id = card.id;
    assert_eq!(
        pc::record(&store, card).await,
        ReceiptOutcome::Recorded {
            receipt: card_id,
            matching: Matching::Matched {
                application: id,
                item: 1,
                settles: false
            },
            approved: None
        }
    );
    let notice = pc::notice_of(&store, id).await;
    assert_eq!(
        notice.items.iter().map(|i| i.paid).collect::<Vec<_>>(),
        [false, true]
    );
    assert_eq!(pc::status(&store, id).await.status, Status::PaymentPending);
    assert!(pc::drain(&store).await.is_empty());

    let mut fee = pc::receipt(
        &foreigner,
        pc::FEE_ACCOUNT,
        pc::FEE,
        paid_at + Duration::hours(1),
    );
    fee.reference = Some(reference.clone());
    let fee_id = fee.id;
    let approved = Lifecycle {
        status: Status::Approval,
        exemption: Some(ExemptionStatus::Active),
    };
    assert_eq!(
        pc::record(&store, fee).await,
        ReceiptOutcome::Recorded {
            receipt: fee_id,
            matching: Matching::Matched {
                application: id,
                item: 0,
                settles: true
            },
            approved: Some(approved)
        }
    );
    let record = store.application(None, id).await.unwrap().unwrap();
    assert_eq!(record.lifecycle, approved);
    assert!(record.concluded_at.is_some());
    let history = store.application_history(id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.event, Event::ConfirmPayment);
    assert_eq!(last.actor_kind, "system");
    assert_eq!(last.from.status, Status::PaymentPending);
    assert_eq!(last.to, approved);
    assert!(pc::notice_of(&store, id).await.settled());
    // The approval mail waits for the Proof Document the approval issued, and goes with it.
    assert!(pc::drain(&store).await.is_empty());
    assert_eq!(store.proof_documents_of(id).await.unwrap().len(), 1);
    let mail = pc::produced_then_drained(&store).await;
    assert_eq!(pc::kinds(&mail), ["payment-settled"]);
    assert!(mail[0].attachment.is_some());
    assert!(mail[0].body_text.contains("APPROVAL"));
    assert!(mail[0].body_text.contains(reference.as_str()));
    // Both receipts are kept with the application.
    let receipts = store.receipts_for(id).await.unwrap();
    assert_eq!(
        receipts.iter().map(|r| r.id).collect::<Vec<_>>(),
        [card_id, fee_id]
    );
    assert!(receipts.iter().all(|r| r.matched && r.unmatched.is_none()));
    assert_eq!(receipts[1].reference, Some(reference));
    assert_eq!(receipts[1].application_number, record.number);
    assert_eq!(receipts[0].amount, izin_domain::money::Money(pc::CARD));
    let audit = store
        .audit_entries(Some(&format!("receipt:{fee_id}")), 10)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].details["receipt"], fee_id.to_string());
    assert_eq!(audit[0].details["matched"], true);
    assert!(audit[0].details["reason"].is_null());
    // The approval is audited under its application (the store names it), once.
    assert_eq!(
        store
            .audit_entries(Some(&format!("application:{id}")), 10)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.details["event"] == "confirm_payment")
            .count(),
        1
    );
}

async fn payments_that_do_not_fit_are_kept_unmatched_with_their_reason(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::Status;
    let user = signed_up(&store, "misfit@example.com").await;
    let foreigner = bo::foreigner_id(4_567_890);
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let at = T0 + Duration::days(2);
    let cases = [
        (
            pc::FEE_ACCOUNT,
            pc::FEE - 1,
            Unmatched::WrongAmount,
            Some(id),
        ),
        (
            pc::FEE_ACCOUNT,
            pc::FEE + 1,
            Unmatched::WrongAmount,
            Some(id),
        ),
        // Without a reference, an account nothing is due on names no application.
        ("1234", pc::FEE, Unmatched::UnknownReference, None),
    ];
    let mut kept = Vec::new();
    for (account, kurus, reason, hint) in cases {
        let receipt = pc::receipt(&foreigner, account, kurus, at);
        let receipt_id = receipt.id;
        assert_eq!(
            pc::record(&store, receipt).await,
            ReceiptOutcome::Recorded {
                receipt: receipt_id,
                matching: pc::unmatched(reason, hint),
                approved: None
            },
            "{account} {kurus}"
        );
        kept.push((receipt_id, reason, hint));
    }
    // Someone else's foreigner ID owes nothing.
    let stranger = pc::receipt(&bo::foreigner_id(4_567_891), pc::FEE_ACCOUNT, pc::FEE, at);
    let stranger_id = stranger.id;
    assert_eq!(
        pc::record(&store, stranger).await,
        ReceiptOutcome::Recorded {
            receipt: stranger_id,
            matching: pc::unmatched(Unmatched::UnknownReference, None),
            approved: None
        }
    );
    // A second payment of an amount already paid.
    let first = pc::record(
        &store,
        pc::receipt(&foreigner, pc::CARD_ACCOUNT, pc::CARD, at),
    )
    .await;
    assert!(matches!(
        first,
        ReceiptOutcome::Recorded {
            matching: Matching::Matched { .. },
            ..
        }
    ));
    let again = pc::receipt(
        &foreigner,
        pc::CARD_ACCOUNT,
        pc::CARD,
        at + Duration::hours(1),
    );
    let again_id = again.id;
    assert_eq!(
        pc::record(&store, again).await,
        ReceiptOutcome::Recorded {
            receipt: again_id,
            matching: pc::unmatched(Unmatched::AlreadyPaid, Some(id)),
            approved: None
        }
    );
    kept.push((again_id, Unmatched::AlreadyPaid, Some(id)));
    // Nothing else changed: the fee is still due.
    assert_eq!(pc::status(&store, id).await.status, Status::PaymentPending);
    let notice = pc::notice_of(&store, id).await;
    assert_eq!(
        notice.items.iter().map(|i| i.paid).collect::<Vec<_>>(),
        [false, true]
    );
    for (receipt_id, reason, hint) in &kept {
        let stored = store.receipt(*receipt_id).await.unwrap().expect("kept");
        assert!(!stored.matched);
        assert_eq!(stored.unmatched, Some(*reason));
        assert_eq!(stored.application, *hint);
        let audit = store
            .audit_entries(Some(&format!("receipt:{receipt_id}")), 10)
            .await
            .unwrap();
        assert_eq!(audit[0].details["matched"], false);
        assert_eq!(audit[0].details["reason"], reason.code());
    }
    let stranger = store.receipt(stranger_id).await.unwrap().unwrap();
    assert_eq!(stranger.application, None);
    assert_eq!(stranger.application_number, None);
    let listed: Vec<Uuid> = store
        .unmatched_receipts(izin_domain::officer::Authority::Labour, None, 100)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed.len(), 5);
    assert!(kept.iter().all(|(k, _, _)| listed.contains(k)));
    assert!(listed.contains(&stranger_id));
}

async fn a_replayed_payment_is_a_duplicate_and_changes_nothing(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::payment::Channel;
    let user = signed_up(&store, "replay@example.com").await;
    let foreigner = bo::foreigner_id(5_678_901);
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let at = T0 + Duration::days(2);
    let mut first = pc::receipt(&foreigner, pc::CARD_ACCOUNT, pc::CARD, at);
    first.payment_id = Some("GIB-2026-000042".into());
    let first_id = first.id;
    assert!(matches!(
        pc::record(&store, first).await,
        ReceiptOutcome::Recorded { .. }
    ));
    let mut bank = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE - 100, at);
    bank.channel = Channel::BankFile;
    bank.payment_id = None;
    bank.bank = Some("ZIRAAT".into());
    bank.receipt_no = Some("R-0077".into());
    let bank_id = bank.id;
    assert_eq!(
        pc::reason(&pc::record(&store, bank).await),
        Some(Unmatched::WrongAmount)
    );
    let before = (
        bo::traces(&store, id).await,
        store.receipts_for(id).await.unwrap(),
        pc::notice_of(&store, id).await,
    );
    let mut replay = pc::receipt(&foreigner, pc::CARD_ACCOUNT, pc::CARD, at);
    replay.payment_id = Some("GIB-2026-000042".into());
    let replay_id = replay.id;
    assert_eq!(
        pc::record(&store, replay).await,
        ReceiptOutcome::Duplicate { receipt: first_id }
    );
    // The same bank receipt in the next day's file, even with another amount read.
    let mut bank_again = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, at);
    bank_again.channel = Channel::BankFile;
    bank_again.payment_id = None;
    bank_again.bank = Some("ZIRAAT".into());
    bank_again.receipt_no = Some("R-0077".into());
    assert_eq!(
        pc::record(&store, bank_again).await,
        ReceiptOutcome::Duplicate { receipt: bank_id }
    );
    // Another bank's receipt with the same number is another payment.
    let mut other_bank = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE - 100, at);
    other_bank.channel = Channel::BankFile;
    other_bank.payment_id = None;
    other_bank.bank = Some("VAKIF".into());
    other_bank.receipt_no = Some("R-0077".into());
    other_bank.received_at = at + Duration::hours(1);
    assert!(matches!(
        pc::record(&store, other_bank).await,
        ReceiptOutcome::Recorded { .. }
    ));
    let after = (
        bo::traces(&store, id).await,
        store.receipts_for(id).await.unwrap(),
        pc::notice_of(&store, id).await,
    );
    assert_eq!(before.0, after.0);
    assert_eq!(before.1.len() + 1, after.1.len());
    assert_eq!(before.1[..], after.1[..before.1.len()]);
    assert_eq!(before.2, after.2);
    assert!(store.receipt(replay_id).await.unwrap().is_none());
}

async fn two_pending_applications_owing_the_same_amount_make_a_payment_ambiguous(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    let user = signed_up(&store, "twice-owing@example.com").await;
    let foreigner = bo::foreigner_id(6_789_012);
    let a = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let b = pc::pending(
        &store,
        &user,
        &foreigner,
        pc::fees(),
        T0 + Duration::hours(2),
    )
    .await;
    let (ref_a, ref_b) = (
        pc::notice_of(&store, a).await.reference,
        pc::notice_of(&store, b).await.reference,
    );
    assert_ne!(ref_a, ref_b);
    let at = T0 + Duration::days(1);
    let bank = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, at);
    let bank_id = bank.id;
    assert_eq!(
        pc::record(&store, bank).await,
        ReceiptOutcome::Recorded {
            receipt: bank_id,
            matching: pc::unmatched(Unmatched::Ambiguous, None),
            approved: None
        }
    );
    // With the reference quoted, the same payment pays the one it names.
    let mut quoted = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, at);
    quoted.reference = Some(ref_b);
    assert!(matches!(
        pc::record(&store, quoted).await,
        ReceiptOutcome::Recorded {
            matching: Matching::Matched { application, item: 0, settles: false },
            ..
        } if application == b
    ));
    assert!(pc::notice_of(&store, a).await.items.iter().all(|i| !i.paid));
}

async fn a_payment_arriving_after_the_deadline_rejection_is_told_apart(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::Status;
    use time::macros::time;
    let user = signed_up(&store, "late@example.com").await;
    let foreigner = bo::foreigner_id(7_890_123);
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let last_day = pc::notice_of(&store, id).await.deadline;
    let rejected_at = last_day.with_time(time!(12:00)).assume_utc() + Duration::days(4);
    assert_eq!(
        store
            .expire_notice(pc::expiry(id, last_day, rejected_at))
            .await
            .unwrap(),
        ExpiryOutcome::Rejected
    );
    // Paid on the last day in Türkiye, reported after the rejection.
    let on_time = last_day
        .with_time(time!(23:30))
        .assume_offset(izin_domain::calendar::TURKIYE);
    let mut in_time = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, on_time);
    in_time.received_at = rejected_at + Duration::hours(1);
    let in_time_id = in_time.id;
    assert_eq!(
        pc::record(&store, in_time).await,
        ReceiptOutcome::Recorded {
            receipt: in_time_id,
            matching: pc::unmatched(Unmatched::PaidOnTimeArrivedLate, Some(id)),
            approved: None
        }
    );
    // Paid after the last day: for refund.
    let mut too_late = pc::receipt(
        &foreigner,
        pc::CARD_ACCOUNT,
        pc::CARD,
        on_time + Duration::hours(1),
    );
    too_late.received_at = rejected_at + Duration::hours(2);
    let too_late_id = too_late.id;
    assert_eq!(
        pc::record(&store, too_late).await,
        ReceiptOutcome::Recorded {
            receipt: too_late_id,
            matching: pc::unmatched(Unmatched::NotPending, Some(id)),
            approved: None
        }
    );
    assert_eq!(pc::status(&store, id).await.status, Status::Rejected);
    assert!(
        pc::notice_of(&store, id)
            .await
            .items
            .iter()
            .all(|i| !i.paid)
    );
}

async fn twenty_concurrent_replays_store_one_receipt_and_approve_once(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Status};
    let user = signed_up(&store, "concurrent-payer@example.com").await;
    let foreigner = bo::foreigner_id(8_901_234);
    let id = pc::pending(&store, &user, &foreigner, vec![pc::fees()[0].clone()], T0).await;
    pc::drain(&store).await;
    let at = T0 + Duration::days(5);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            let mut receipt = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, at);
            receipt.payment_id = Some("GIB-2026-REPLAYED".into());
            tokio::spawn(async move { store.record_receipt(receipt).await })
        })
        .collect();
    let mut recorded = Vec::new();
    let mut duplicates = Vec::new();
    for task in tasks {
        match task.await.unwrap().expect("never an error") {
            ReceiptOutcome::Recorded {
                receipt, approved, ..
            } => recorded.push((receipt, approved)),
            ReceiptOutcome::Duplicate { receipt } => duplicates.push(receipt),
        }
    }
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let (winner, approved) = recorded[0];
    assert_eq!(approved.map(|l| l.status), Some(Status::Approval));
    assert_eq!(duplicates.len(), 19);
    assert!(duplicates.iter().all(|d| *d == winner));
    assert_eq!(
        store
            .receipts_for(id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        [winner]
    );
    let confirmations = pc::events(&store, id)
        .await
        .into_iter()
        .filter(|e| *e == Event::ConfirmPayment)
        .count();
    assert_eq!(confirmations, 1);
    assert_eq!(
        pc::kinds(&pc::produced_then_drained(&store).await),
        ["payment-settled"]
    );
    assert_eq!(pc::status(&store, id).await.status, Status::Approval);
}

async fn the_deadline_job_rejects_once_and_leaves_what_is_not_due(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Status};
    use izin_domain::officer::Authority;
    let user = signed_up(&store, "deadline@example.com").await;
    let due = pc::pending(&store, &user, &bo::foreigner_id(9_012_345), pc::fees(), T0).await;
    let later = pc::pending(
        &store,
        &user,
        &bo::foreigner_id(9_012_346),
        pc::fees(),
        T0 + Duration::days(10),
    )
    .await;
    let cutoff = pc::notice_of(&store, due).await.deadline;
    assert!(pc::notice_of(&store, later).await.deadline > cutoff);
    assert_eq!(store.overdue_notices(cutoff, 10).await.unwrap(), [due]);
    pc::drain(&store).await;
    let now = T0 + Duration::days(35);
    let (first, second) = tokio::join!(
        store.expire_notice(pc::expiry(due, cutoff, now)),
        store.expire_notice(pc::expiry(due, cutoff, now)),
    );
    let mut outcomes = [first.unwrap(), second.unwrap()];
    outcomes.sort_by_key(|o| *o == ExpiryOutcome::NotDue);
    assert_eq!(outcomes, [ExpiryOutcome::Rejected, ExpiryOutcome::NotDue]);
    // The one not yet due is left alone, even when asked for by name.
    assert_eq!(
        store
            .expire_notice(pc::expiry(later, cutoff, now))
            .await
            .unwrap(),
        ExpiryOutcome::NotDue
    );
    let record = store.application(None, due).await.unwrap().unwrap();
    assert_eq!(record.lifecycle.status, Status::Rejected);
    assert_eq!(record.concluded_at, Some(now));
    let history = store.application_history(due).await.unwrap();
    let rejections: Vec<_> = history
        .iter()
        .filter(|e| e.event == Event::PaymentDeadlinePassed)
        .collect();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].actor_kind, "system");
    assert_eq!(
        rejections[0].reason.as_deref(),
        Some("The payment was not made within 30 days.")
    );
    let mail = pc::drain(&store).await;
    assert_eq!(pc::kinds(&mail), ["payment-expired"]);
    assert!(mail[0].body_text.contains("REJECTED"));
    assert_eq!(pc::notice_of(&store, due).await.expired_at, Some(now));
    assert!(store.overdue_notices(cutoff, 10).await.unwrap().is_empty());
    assert_eq!(
        pc::status(&store, later).await.status,
        Status::PaymentPending
    );
    let open: Vec<Uuid> = store
        .open_notices(Authority::Labour, 10)
        .await
        .unwrap()
        .iter()
        .map(|l| l.notice.application)
        .collect();
    assert_eq!(open, [later]);
    // A rejected application is not paid any more, nor reminded.
    assert!(
        !store
            .send_reminder(due, now, pc::mail("payment-reminder"))
            .await
            .unwrap()
    );
}

async fn a_crash_between_listing_and_expiring_loses_nothing(store: Arc<dyn Store>, _: &Guard) {
    let user = signed_up(&store, "crash@example.com").await;
    let mut all = Vec::new();
    for (n, serial) in [1_111_111, 1_111_112, 1_111_113].into_iter().enumerate() {
        let at = T0 + Duration::hours(3 * n as i64);
        all.push(pc::pending(&store, &user, &bo::foreigner_id(serial), pc::fees(), at).await);
    }
    let cutoff = pc::notice_of(&store, all[2]).await.deadline;
    let now = T0 + Duration::days(40);
    let listed = store.overdue_notices(cutoff, 10).await.unwrap();
    assert_eq!(listed.len(), 3);
    // The job expires the first, then the process dies.
    assert_eq!(
        store
            .expire_notice(pc::expiry(listed[0], cutoff, now))
            .await
            .unwrap(),
        ExpiryOutcome::Rejected
    );
    // The next run finds the rest, and only the rest.
    let again = store.overdue_notices(cutoff, 10).await.unwrap();
    assert_eq!(again, listed[1..]);
    for id in &again {
        assert_eq!(
            store
                .expire_notice(pc::expiry(*id, cutoff, now))
                .await
                .unwrap(),
            ExpiryOutcome::Rejected
        );
    }
    assert!(store.overdue_notices(cutoff, 10).await.unwrap().is_empty());
    let mut expected = all.clone();
    expected.sort();
    let mut got = listed.clone();
    got.sort();
    assert_eq!(got, expected);
}

async fn the_reminder_is_sent_once(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::payment::reminder_day;
    let user = signed_up(&store, "remind@example.com").await;
    let id = pc::pending(&store, &user, &bo::foreigner_id(1_212_121), pc::fees(), T0).await;
    let last_day = pc::notice_of(&store, id).await.deadline;
    let today = reminder_day(last_day);
    let horizon =
        |day: time::Date| day + Duration::days(izin_domain::payment::REMINDER_DAYS_BEFORE);
    assert!(
        store
            .reminders_due(horizon(today - Duration::days(1)), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.reminders_due(horizon(today), 10).await.unwrap(), [id]);
    pc::drain(&store).await;
    let now = T0 + Duration::days(23);
    let (first, second) = tokio::join!(
        store.send_reminder(id, now, pc::mail("payment-reminder")),
        store.send_reminder(id, now, pc::mail("payment-reminder")),
    );
    assert_eq!(
        [first.unwrap(), second.unwrap()]
            .iter()
            .filter(|sent| **sent)
            .count(),
        1
    );
    assert!(
        !store
            .send_reminder(id, now, pc::mail("payment-reminder"))
            .await
            .unwrap()
    );
    let mail = pc::drain(&store).await;
    assert_eq!(pc::kinds(&mail), ["payment-reminder"]);
    assert_eq!(pc::notice_of(&store, id).await.reminded_at, Some(now));
    assert!(
        store
            .reminders_due(horizon(today), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .send_reminder(Uuid::new_v4(), now, pc::mail("payment-reminder"))
            .await
            .unwrap()
    );
}

/// The notice's items at 2027's rates, the unpaid ones keeping their 2026 amount.
fn repriced(notice: &PaymentNotice, fee_2027: i64) -> Vec<izin_domain::payment::NoticeItem> {
    notice
        .items
        .iter()
        .map(|item| {
            if item.paid {
                return item.clone();
            }
            let mut amount = item.amount.clone();
            amount.year = 2027;
            amount.amount = izin_domain::money::Money(fee_2027);
            izin_domain::payment::NoticeItem {
                amount,
                earlier: Some(izin_domain::payment::EarlierRate {
                    year: item.amount.year,
                    amount: item.amount.amount,
                }),
                paid: false,
            }
        })
        .collect()
}

fn repricing(id: Uuid, items: Vec<izin_domain::payment::NoticeItem>) -> Repricing {
    let now = datetime!(2027-01-01 06:00 UTC);
    Repricing {
        application: id,
        priced_year: 2026,
        items,
        reason: "The 2027 fee table applies from 1 January.".into(),
        now,
        mail: pc::mail("payment-repriced"),
        audit: NewAuditEntry::new(now, Actor::System, AuditAction::ApplicationMoved, &client())
            .subject(format!("application:{id}"))
            .detail("event", "recompute_fees"),
    }
}

async fn a_new_years_rates_apply_once_and_keep_the_earlier_amount(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Status};
    use time::macros::datetime;
    let user = signed_up(&store, "new-year@example.com").await;
    let foreigner = bo::foreigner_id(1_313_131);
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    // The card is paid in 2026; the fee is still open at the new year.
    assert!(matches!(
        pc::record(
            &store,
            pc::receipt(
                &foreigner,
                pc::CARD_ACCOUNT,
                pc::CARD,
                T0 + Duration::days(2)
            )
        )
        .await,
        ReceiptOutcome::Recorded {
            matching: Matching::Matched { .. },
            ..
        }
    ));
    assert!(
        store
            .notices_priced_before(2026, false, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let listed = store.notices_priced_before(2027, false, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0.id, id);
    assert_eq!(listed[0].0.lifecycle.status, Status::PaymentPending);
    let notice = listed[0].1.clone();
    assert_eq!(notice, pc::notice_of(&store, id).await);
    pc::drain(&store).await;
    let items = repriced(&notice, 1_400_000);
    assert!(
        store
            .reprice_notice(repricing(id, items.clone()))
            .await
            .unwrap()
    );
    // Another worker, or the next run, finds it done.
    assert!(
        !store
            .reprice_notice(repricing(id, items.clone()))
            .await
            .unwrap()
    );
    assert!(
        store
            .notices_priced_before(2027, false, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let now_priced = pc::notice_of(&store, id).await;
    assert_eq!(now_priced.items, items);
    assert_eq!(now_priced.reference, notice.reference);
    assert_eq!(
        now_priced.items[1], notice.items[1],
        "the paid card is unchanged"
    );
    let history = store.application_history(id).await.unwrap();
    let recomputed: Vec<_> = history
        .iter()
        .filter(|e| e.event == Event::RecomputeFees)
        .collect();
    assert_eq!(recomputed.len(), 1);
    assert_eq!(recomputed[0].to.status, Status::PaymentPending);
    assert_eq!(recomputed[0].actor_kind, "system");
    assert_eq!(
        recomputed[0].reason.as_deref(),
        Some("The 2027 fee table applies from 1 January.")
    );
    assert_eq!(pc::kinds(&pc::drain(&store).await), ["payment-repriced"]);
    // A payment made in 2026 at 2026's amount, reported in 2027, still pays the fee.
    let mut late_report = pc::receipt(
        &foreigner,
        pc::FEE_ACCOUNT,
        pc::FEE,
        datetime!(2026-12-31 22:00 +03:00),
    );
    late_report.received_at = datetime!(2027-01-02 09:00 UTC);
    assert!(matches!(
        pc::record(&store, late_report).await,
        ReceiptOutcome::Recorded {
            matching: Matching::Matched {
                item: 0,
                settles: true,
                ..
            },
            approved: Some(_),
            ..
        }
    ));
    assert_eq!(pc::status(&store, id).await.status, Status::Approval);
}

async fn missing_rates_are_marked_once(store: Arc<dyn Store>, _: &Guard) {
    let user = signed_up(&store, "no-rates@example.com").await;
    let id = pc::pending(&store, &user, &bo::foreigner_id(1_414_141), pc::fees(), T0).await;
    assert_eq!(store.notices_missing_rates().await.unwrap(), 0);
    assert!(store.mark_rates_missing(id, 2027).await.unwrap());
    assert!(!store.mark_rates_missing(id, 2027).await.unwrap());
    assert_eq!(store.notices_missing_rates().await.unwrap(), 1);
    assert_eq!(
        pc::notice_of(&store, id).await.rates_missing_for,
        Some(2027)
    );
    // Marked for 2027: listed again that year only once the rates are there, and in the next.
    assert_eq!(
        store
            .notices_priced_before(2027, true, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .notices_priced_before(2027, false, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .notices_priced_before(2028, false, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    // The rates arrive: repricing clears the mark.
    let notice = pc::notice_of(&store, id).await;
    assert!(
        store
            .reprice_notice(repricing(id, repriced(&notice, 1_400_000)))
            .await
            .unwrap()
    );
    assert_eq!(store.notices_missing_rates().await.unwrap(), 0);
    assert_eq!(pc::notice_of(&store, id).await.rates_missing_for, None);
    assert!(
        !store
            .mark_rates_missing(Uuid::new_v4(), 2027)
            .await
            .unwrap()
    );
}

async fn a_payment_made_in_time_reinstates_a_rejected_application(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::application::{Event, Lifecycle, Status};
    use izin_domain::officer::Authority;
    use time::macros::time;
    let user = signed_up(&store, "reinstated@example.com").await;
    let foreigner = bo::foreigner_id(1_515_151);
    let id = pc::pending(&store, &user, &foreigner, pc::fees(), T0).await;
    let last_day = pc::notice_of(&store, id).await.deadline;
    let rejected_at = T0 + Duration::days(35);
    assert_eq!(
        store
            .expire_notice(pc::expiry(id, last_day, rejected_at))
            .await
            .unwrap(),
        ExpiryOutcome::Rejected
    );
    let on_time = last_day
        .with_time(time!(10:00))
        .assume_offset(izin_domain::calendar::TURKIYE);
    let mut late = Vec::new();
    for (account, kurus) in [(pc::CARD_ACCOUNT, pc::CARD), (pc::FEE_ACCOUNT, pc::FEE)] {
        let mut receipt = pc::receipt(&foreigner, account, kurus, on_time);
        receipt.received_at = rejected_at + Duration::hours(late.len() as i64 + 1);
        late.push(receipt.id);
        assert_eq!(
            pc::reason(&pc::record(&store, receipt).await),
            Some(Unmatched::PaidOnTimeArrivedLate)
        );
    }
    let mut too_late = pc::receipt(
        &foreigner,
        pc::FEE_ACCOUNT,
        pc::FEE,
        on_time + Duration::days(1),
    );
    too_late.received_at = rejected_at + Duration::hours(5);
    let too_late_id = too_late.id;
    assert_eq!(
        pc::reason(&pc::record(&store, too_late).await),
        Some(Unmatched::NotPending)
    );
    let officer = Uuid::now_v7();
    // Another authority's officer does not find it; an unknown receipt is not found either.
    assert_eq!(
        store
            .reinstate(pc::reinstatement(late[0], Authority::Migration, officer))
            .await
            .unwrap(),
        ReinstateOutcome::NotFound
    );
    assert_eq!(
        store
            .reinstate(pc::reinstatement(
                Uuid::new_v4(),
                Authority::Labour,
                officer
            ))
            .await
            .unwrap(),
        ReinstateOutcome::NotFound
    );
    assert_eq!(
        store
            .reinstate(pc::reinstatement(too_late_id, Authority::Labour, officer))
            .await
            .unwrap(),
        ReinstateOutcome::NotReinstatable
    );
    pc::drain(&store).await;
    // The card alone: counted, the fee is still unpaid.
    assert_eq!(
        store
            .reinstate(pc::reinstatement(late[0], Authority::Labour, officer))
            .await
            .unwrap(),
        ReinstateOutcome::Counted
    );
    assert_eq!(
        store
            .reinstate(pc::reinstatement(late[0], Authority::Labour, officer))
            .await
            .unwrap(),
        ReinstateOutcome::NotReinstatable
    );
    assert_eq!(pc::status(&store, id).await.status, Status::Rejected);
    assert!(pc::drain(&store).await.is_empty());
    // The fee too: every amount is paid, the application is approved.
    let approved = Lifecycle {
        status: Status::Approval,
        exemption: Some(ExemptionStatus::Active),
    };
    assert_eq!(
        store
            .reinstate(pc::reinstatement(late[1], Authority::Labour, officer))
            .await
            .unwrap(),
        ReinstateOutcome::Approved(approved)
    );
    assert_eq!(pc::status(&store, id).await, approved);
    let history = store.application_history(id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.event, Event::ReinstatePaid);
    assert_eq!(last.from.status, Status::Rejected);
    assert_eq!(last.actor_kind, "officer");
    assert_eq!(last.actor_id, Some(officer));
    assert!(last.reason.is_some());
    assert_eq!(
        pc::kinds(&pc::produced_then_drained(&store).await),
        ["payment-reinstated"]
    );
    assert!(pc::notice_of(&store, id).await.settled());
    for receipt in &late {
        let stored = store.receipt(*receipt).await.unwrap().unwrap();
        assert!(stored.matched);
        assert_eq!(stored.resolved_by, Some(officer));
        assert!(stored.resolved_at.is_some());
    }
    let open: Vec<Uuid> = store
        .unmatched_receipts(Authority::Labour, None, 10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(open, [too_late_id]);
    assert_eq!(
        store
            .audit_entries(Some(&format!("receipt:{}", late[1])), 10)
            .await
            .unwrap()
            .len(),
        2,
        "recorded, then reinstated"
    );
}

async fn unmatched_receipts_are_listed_per_authority_newest_first_page_by_page(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    use izin_domain::officer::Authority;
    let foreigner = bo::foreigner_id(1_616_161);
    let mut made = Vec::new();
    let authorities = [
        Some(Authority::Labour),
        Some(Authority::Migration),
        None,
        Some(Authority::Labour),
        Some(Authority::Migration),
        Some(Authority::Labour),
        None,
    ];
    for (n, authority) in authorities.into_iter().enumerate() {
        let mut receipt = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, T0);
        // Two arrive at the same moment: the id orders them.
        receipt.received_at = T0 + Duration::minutes((n as i64).min(5));
        receipt.authority = authority;
        made.push((receipt.received_at, receipt.id, authority));
        assert_eq!(
            pc::reason(&pc::record(&store, receipt).await),
            Some(Unmatched::UnknownReference)
        );
    }
    made.sort_by_key(|m| std::cmp::Reverse((m.0, m.1)));
    for authority in [Authority::Labour, Authority::Migration] {
        let expected: Vec<Uuid> = made
            .iter()
            .filter(|(_, _, a)| a.is_none_or(|a| a == authority))
            .map(|(_, id, _)| *id)
            .collect();
        let mut listed = Vec::new();
        let mut after = None;
        loop {
            let page = store.unmatched_receipts(authority, after, 2).await.unwrap();
            assert!(page.len() <= 2);
            let Some(last) = page.last() else { break };
            after = Some(ReceiptCursor {
                received_at: last.received_at,
                id: last.id,
            });
            listed.extend(page.iter().map(|r| r.id));
        }
        assert_eq!(listed, expected, "{authority:?}");
    }
}

async fn foreigner_ids_in_use_are_recognised(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::identifiers::ForeignerId;
    use izin_domain::profile::PersonalSection;
    let in_profile = bo::foreigner_id(1_717_171);
    let in_registry = bo::foreigner_id(1_717_172);
    let in_notice = bo::foreigner_id(1_717_173);
    let free = bo::foreigner_id(1_717_174);
    for id in [&in_profile, &in_registry, &in_notice, &free] {
        assert!(!store.foreigner_id_in_use(id).await.unwrap());
    }
    let user = signed_up(&store, "holder@example.com").await;
    store
        .save_profile_section(
            user.id,
            SectionData::Personal(PersonalSection {
                foreigner_id: Some(ForeignerId::parse(&in_profile).expect("id")),
                ..PersonalSection::default()
            }),
            T0,
            user_audit(&user, AuditAction::ProfileSectionSaved),
        )
        .await
        .unwrap();
    store
        .import_registry(
            RegistryRecords {
                keyed: vec![(
                    "people".into(),
                    vec![KeyedRecord {
                        key: in_registry.clone(),
                        record: serde_json::json!({"given_names": "Ali"}),
                    }],
                )],
                ..RegistryRecords::default()
            },
            ImportMode::Merge,
        )
        .await
        .unwrap();
    let payer = signed_up(&store, "assigned@example.com").await;
    let id = ac::draft(&store, &payer).await;
    let mut submission = ac::submission(&payer, id, None, 0);
    let mut due = pc::notice(&in_notice, pc::fees(), submission.now);
    due.foreigner_id_assigned = true;
    submission.payment = Some(due);
    store.submit_application(submission).await.unwrap();
    assert!(store.foreigner_id_in_use(&in_profile).await.unwrap());
    assert!(store.foreigner_id_in_use(&in_registry).await.unwrap());
    assert!(store.foreigner_id_in_use(&in_notice).await.unwrap());
    assert!(!store.foreigner_id_in_use(&free).await.unwrap());
}

async fn foreigner_id_serials_are_drawn_once_each(store: Arc<dyn Store>, _: &Guard) {
    let (a, b) = tokio::join!(
        store.draw_foreigner_id_serial(),
        store.draw_foreigner_id_serial()
    );
    let mut drawn = [a.unwrap(), b.unwrap()];
    drawn.sort_unstable();
    assert_eq!(drawn, [5_000_000, 5_000_001]);
    assert_eq!(store.draw_foreigner_id_serial().await.unwrap(), 5_000_002);
}

async fn a_payment_and_the_deadline_job_at_once_never_both_win(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::{Event, Status};
    let user = signed_up(&store, "race@example.com").await;
    for round in 0..6u32 {
        let foreigner = bo::foreigner_id(1_818_000 + round);
        let id = pc::pending(&store, &user, &foreigner, vec![pc::fees()[0].clone()], T0).await;
        let last_day = pc::notice_of(&store, id).await.deadline;
        let now = T0 + Duration::days(34);
        let paid_at = last_day
            .with_time(time::macros::time!(12:00))
            .assume_offset(izin_domain::calendar::TURKIYE);
        let mut receipt = pc::receipt(&foreigner, pc::FEE_ACCOUNT, pc::FEE, paid_at);
        receipt.received_at = now;
        let (paid, expired) = tokio::join!(
            store.record_receipt(receipt),
            store.expire_notice(pc::expiry(id, last_day, now)),
        );
        let (paid, expired) = (paid.expect("no error"), expired.expect("no error"));
        let status = pc::status(&store, id).await.status;
        let events = pc::events(&store, id).await;
        let confirmed = events.contains(&Event::ConfirmPayment);
        let rejected = events.contains(&Event::PaymentDeadlinePassed);
        match expired {
            ExpiryOutcome::Rejected => {
                assert_eq!(pc::reason(&paid), Some(Unmatched::PaidOnTimeArrivedLate));
                assert_eq!(status, Status::Rejected);
                assert!(rejected && !confirmed);
            }
            ExpiryOutcome::NotDue => {
                assert!(
                    matches!(
                        paid,
                        ReceiptOutcome::Recorded {
                            approved: Some(_),
                            ..
                        }
                    ),
                    "{paid:?}"
                );
                assert_eq!(status, Status::Approval);
                assert!(confirmed && !rejected);
            }
        }
    }
}

// ----- Proof documents -----

mod proof_contract {
    use super::*;
    use izin_domain::application::{Event, Lifecycle, Status};
    use time::macros::date;

    /// A work-permit exemption submitted and approved directly (with its approval mail), by
    /// `user`, running 2027-01-04 to 2027-03-31.
    pub async fn approved(store: &Arc<dyn Store>, user: &User) -> Uuid {
        let id = ac::draft(store, user).await;
        let mut submission = ac::submission(user, id, None, 0);
        submission.blocking = Blocking::default();
        let passport = format!("P{}", &user.id.simple().to_string()[..8]);
        submission.queue = Some(bo::labour("Ayşe", "Yılmaz", "AZE", &passport));
        store.submit_application(submission).await.unwrap();
        assert!(matches!(
            store
                .transition_application(ac::officer_move(id, Event::StartEvaluation, None, false))
                .await
                .unwrap(),
            TransitionOutcome::Moved { .. }
        ));
        let mut approve = ac::officer_move(id, Event::ApproveDirectly, None, false);
        approve.mail = Some(approval_mail(user));
        assert!(matches!(
            store.transition_application(approve).await.unwrap(),
            TransitionOutcome::Moved {
                lifecycle: Lifecycle {
                    status: Status::Approval,
                    exemption: Some(ExemptionStatus::Active)
                },
                ..
            }
        ));
        id
    }

    pub fn approval_mail(user: &User) -> NewMail {
        NewMail {
            kind: "application-approved".into(),
            recipient: user.email.clone(),
            language: Language::En,
            subject: "Approved".into(),
            body_text: "Your exemption is approved; the document is attached.".into(),
            body_html: None,
            not_after: None,
        }
    }

    pub fn produced(job: &DocumentJob, at: OffsetDateTime) -> ProducedDocument {
        ProducedDocument {
            id: job.id,
            storage_key: format!("proof-documents/{}/{}.pdf", job.id, job.attempts),
            sha256: "ab".repeat(32),
            key_id: "0011223344556677".into(),
            signed_payload: format!("IZ1.payload-of-{}.sig", job.number),
            valid_from: date!(2027 - 01 - 04),
            valid_until: date!(2027 - 03 - 31),
            shown: serde_json::json!({"holder": "Ayşe Yılmaz", "grants": {"tr": "Muafiyet", "en": "Exemption"}}),
            photo_key: Some("documents/photo".into()),
            with_card: true,
            card: Some(serde_json::json!({"front": [], "back": []})),
            delivery_address: Some("Kızılay Mah. 1, Çankaya/Ankara".into()),
            file_name: format!("proof-document-{}.pdf", job.number),
            now: at,
        }
    }

    pub async fn with_key(store: &Arc<dyn Store>, id: &str, at: OffsetDateTime) {
        store
            .add_signing_key(
                StoredSigningKey {
                    key_id: id.into(),
                    public_key: vec![1; 32],
                    sealed_key: vec![2; 72],
                    created_at: at,
                    retired_at: None,
                },
                false,
            )
            .await
            .unwrap();
    }
}
use proof_contract as docs;

async fn an_approval_issues_one_document_whose_mail_waits_for_it(store: Arc<dyn Store>, _: &Guard) {
    let user = signed_up(&store, "holder@example.com").await;
    docs::with_key(&store, "0011223344556677", T0).await;
    pc::drain(&store).await;
    let id = docs::approved(&store, &user).await;
    // The approval mail is not sent before its document exists.
    assert_eq!(
        pc::kinds(&pc::drain(&store).await),
        ["application-submitted"]
    );
    let issued = store.proof_documents_of(id).await.unwrap();
    assert_eq!(issued.len(), 1);
    let document = &issued[0];
    assert_eq!((document.application_id, document.subject_id), (id, id));
    assert!(document.produced.is_none());
    assert!(document.number.to_string().starts_with("2026-"));
    let later = T0 + Duration::hours(2);
    let jobs = store
        .claim_document_jobs(later, Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].id, document.id);
    assert_eq!(jobs[0].number, document.number);
    assert_eq!(jobs[0].attempts, 1);
    // Leased: another worker finds nothing to do.
    assert!(
        store
            .claim_document_jobs(later, Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .complete_document(docs::produced(&jobs[0], later))
            .await
            .unwrap(),
        CompletionOutcome::Recorded
    );
    let mail = pc::drain(&store).await;
    assert_eq!(pc::kinds(&mail), ["application-approved"]);
    let attachment = mail[0].attachment.as_ref().expect("the PDF is attached");
    assert_eq!(
        attachment.storage_key,
        docs::produced(&jobs[0], later).storage_key
    );
    assert_eq!(attachment.content_type, "application/pdf");
    // A second worker's copy is not recorded, and sends nothing.
    let mut second = docs::produced(&jobs[0], later);
    second.storage_key = "proof-documents/other.pdf".into();
    assert_eq!(
        store.complete_document(second).await.unwrap(),
        CompletionOutcome::AlreadyProduced
    );
    assert!(pc::drain(&store).await.is_empty());
    let found = store
        .proof_document_by_number(&document.number)
        .await
        .unwrap()
        .expect("found by number");
    let produced = found.produced.as_ref().expect("produced");
    assert_eq!(
        produced.storage_key,
        docs::produced(&jobs[0], later).storage_key
    );
    assert_eq!(produced.valid_until, time::macros::date!(2027 - 03 - 31));
    assert_eq!(produced.shown["holder"], "Ayşe Yılmaz");
    assert!(produced.with_card);
    assert_eq!(found.exemption, Some(ExemptionStatus::Active));
    assert!(!found.replaced);
    assert_eq!(found.verification_code, document.verification_code);
    // Nothing is left to produce.
    assert!(
        store
            .claim_document_jobs(later + Duration::hours(1), Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_failed_production_is_retried_and_a_lapsed_lease_is_claimed_again(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    let user = signed_up(&store, "retry@example.com").await;
    let id = docs::approved(&store, &user).await;
    let at = T0 + Duration::hours(2);
    let first = store
        .claim_document_jobs(at, Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    store
        .fail_document_job(
            first[0].id,
            "the file store is down",
            at + Duration::minutes(1),
        )
        .await
        .unwrap();
    assert!(
        store
            .claim_document_jobs(at + Duration::seconds(30), Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "not before its retry time"
    );
    let again = store
        .claim_document_jobs(at + Duration::minutes(1), Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    // A worker that died: its lease lapses and another takes the document.
    let taken_over = store
        .claim_document_jobs(at + Duration::minutes(7), Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(taken_over.len(), 1);
    assert_eq!(taken_over[0].attempts, 3);
    assert_eq!(store.proof_documents_of(id).await.unwrap().len(), 1);
}

async fn a_new_cards_document_replaces_the_one_before_it(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::Event;
    let user = signed_up(&store, "newcard@example.com").await;
    docs::with_key(&store, "0011223344556677", T0).await;
    let exemption = docs::approved(&store, &user).await;
    let at = T0 + Duration::hours(2);
    let job = store
        .claim_document_jobs(at, Duration::minutes(5), 10)
        .await
        .unwrap()
        .remove(0);
    store
        .complete_document(docs::produced(&job, at))
        .await
        .unwrap();
    // A new card about the exemption, approved.
    let card = Uuid::new_v4();
    store
        .create_application(NewApplication {
            id: card,
            user_id: user.id,
            kind: Kind::NewCard,
            parent: Some(exemption),
            data: serde_json::json!({"reason": "lost"}),
            columns: ApplicationColumns::default(),
            now: at,
            audit: ac::audit(&user, AuditAction::ApplicationCreated, card),
        })
        .await
        .unwrap();
    let mut submission = ac::submission(&user, card, None, 0);
    submission.blocking = Blocking::default();
    submission.columns = ApplicationColumns::default();
    store.submit_application(submission).await.unwrap();
    for (event, at) in [
        (Event::StartEvaluation, at + Duration::hours(1)),
        (Event::ApproveDirectly, at + Duration::hours(2)),
    ] {
        let mut moved = ac::officer_move(card, event, None, false);
        moved.approval_outcome = None;
        moved.now = at;
        assert!(matches!(
            store.transition_application(moved).await.unwrap(),
            TransitionOutcome::Moved { .. }
        ));
    }
    let issued = store.proof_documents_of(card).await.unwrap();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].subject_id, exemption, "it proves the exemption");
    // Until the new card exists, the old document stands.
    let old = store.proof_documents_of(exemption).await.unwrap().remove(0);
    assert!(!old.replaced);
    let later = at + Duration::hours(3);
    let job = store
        .claim_document_jobs(later, Duration::minutes(5), 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(job.subject_id, exemption);
    store
        .complete_document(docs::produced(&job, later))
        .await
        .unwrap();
    let old = store
        .proof_document_by_number(&old.number)
        .await
        .unwrap()
        .unwrap();
    assert!(old.replaced, "the new card replaces the old document");
    let new = store
        .proof_document_by_number(&issued[0].number)
        .await
        .unwrap()
        .unwrap();
    assert!(!new.replaced);
    assert_eq!(new.exemption, Some(ExemptionStatus::Active));
}

async fn cancellation_and_expiry_show_through_the_exemption(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::application::Event;
    use time::macros::date;
    let user = signed_up(&store, "ends@example.com").await;
    let ending = docs::approved(&store, &user).await;
    let other = signed_up(&store, "cancelled@example.com").await;
    let cancelled = docs::approved(&store, &other).await;
    // Ends 2027-03-31: listed from 1 April on, never before.
    assert!(
        store
            .exemptions_ended(date!(2027 - 03 - 31), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .exemptions_ended(date!(2027 - 04 - 01), 10)
            .await
            .unwrap()
            .len(),
        2
    );
    let mut cancel = ac::officer_move(
        cancelled,
        Event::CancelExemption,
        Some("Left the job."),
        false,
    );
    cancel.approval_outcome = None;
    store.transition_application(cancel).await.unwrap();
    let record = store.proof_documents_of(cancelled).await.unwrap().remove(0);
    assert_eq!(record.exemption, Some(ExemptionStatus::Cancelled));
    assert_eq!(
        store
            .exemptions_ended(date!(2027 - 04 - 01), 10)
            .await
            .unwrap(),
        [ending]
    );
    // Two workers expire it at once: one move.
    let expire = |store: Arc<dyn Store>| async move {
        let mut moved = ac::officer_move(ending, Event::ExpireExemption, None, false);
        moved.actor = Actor::System;
        moved.approval_outcome = None;
        store.transition_application(moved).await.unwrap()
    };
    let (a, b) = tokio::join!(expire(store.clone()), expire(store.clone()));
    let moves = [a, b]
        .iter()
        .filter(|o| matches!(o, TransitionOutcome::Moved { .. }))
        .count();
    assert_eq!(moves, 1);
    let record = store.proof_documents_of(ending).await.unwrap().remove(0);
    assert_eq!(record.exemption, Some(ExemptionStatus::Expired));
    assert!(
        store
            .exemptions_ended(date!(2027 - 04 - 01), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn one_signing_key_is_current_and_rotation_retires_it(store: Arc<dyn Store>, _: &Guard) {
    let key = |id: &str, at: OffsetDateTime| StoredSigningKey {
        key_id: id.into(),
        public_key: vec![7; 32],
        sealed_key: vec![9; 72],
        created_at: at,
        retired_at: None,
    };
    assert!(store.signing_keys().await.unwrap().is_empty());
    assert!(store.add_signing_key(key("aaaa", T0), false).await.unwrap());
    // A second first start loses: one key stays current.
    assert!(!store.add_signing_key(key("bbbb", T0), false).await.unwrap());
    let later = T0 + Duration::days(30);
    assert!(
        store
            .add_signing_key(key("cccc", later), true)
            .await
            .unwrap()
    );
    let keys = store.signing_keys().await.unwrap();
    let ids: Vec<(&str, bool)> = keys
        .iter()
        .map(|k| (k.key_id.as_str(), k.retired_at.is_some()))
        .collect();
    assert_eq!(ids, [("aaaa", true), ("cccc", false)]);
    assert_eq!(keys[0].retired_at, Some(later));
    assert_eq!(keys[1].sealed_key, vec![9; 72]);
}

async fn a_verify_lookup_answers_the_document_and_the_guesses_at_once(
    store: Arc<dyn Store>,
    _: &Guard,
) {
    let user = signed_up(&store, "lookup@example.com").await;
    let id = docs::approved(&store, &user).await;
    let issued = store.proof_documents_of(id).await.unwrap().remove(0);
    let window = Duration::minutes(10);
    let start = izin_domain::rate_limit::FixedWindow::containing(T0, window).start;
    let (found, guesses) = store
        .verify_lookup(&issued.number, "verify:x", start)
        .await
        .unwrap();
    assert_eq!(found.map(|r| r.id), Some(issued.id));
    assert_eq!(guesses, 0);
    for _ in 0..3 {
        store
            .hit_rate_limit("verify:x", window, 20, T0)
            .await
            .unwrap()
            .unwrap();
    }
    let other = izin_domain::proof::number::DocumentNumber::new(2026, 9_999_999).unwrap();
    let (found, guesses) = store
        .verify_lookup(&other, "verify:x", start)
        .await
        .unwrap();
    assert!(found.is_none());
    assert_eq!(guesses, 3, "counted whether or not a document matches");
    let (_, others) = store
        .verify_lookup(&other, "verify:y", start)
        .await
        .unwrap();
    assert_eq!(others, 0, "per bucket");
}

mod cargo_contract {
    use super::*;
    use izin_domain::cargo::{ShipmentStatus, TrackingNumber};
    /// An approved exemption of the labour authority whose card is produced: its document id.
    pub async fn produced_card(store: &Arc<dyn Store>, email: &str) -> (Uuid, Uuid) {
        let user = signed_up(store, email).await;
        docs::with_key(store, "0011223344556677", T0).await;
        let id = docs::approved(store, &user).await;
        let at = T0 + Duration::hours(2);
        let job = store
            .claim_document_jobs(at, Duration::minutes(5), 10)
            .await
            .unwrap()
            .remove(0);
        store
            .complete_document(docs::produced(&job, at))
            .await
            .unwrap();
        (id, job.id)
    }

    pub fn shipment(document: Uuid, serial: u32, reships: Option<Uuid>) -> NewShipment {
        let officer = Uuid::new_v4();
        NewShipment {
            id: Uuid::new_v4(),
            document_id: document,
            tracking_number: TrackingNumber::new("KP", serial).unwrap(),
            address: "Kızılay Mah. 1, Çankaya/Ankara".into(),
            now: T0 + Duration::hours(3),
            officer,
            reships,
            audit: NewAuditEntry::new(
                T0,
                Actor::Officer(officer),
                AuditAction::CardShipped,
                &client(),
            )
            .subject(format!("document:{document}")),
        }
    }

    pub fn report(id: &str, serial: u32, status: ShipmentStatus, hours: i64) -> CargoReport {
        CargoReport {
            notification_id: id.into(),
            tracking_number: TrackingNumber::new("KP", serial).unwrap(),
            status,
            at: T0 + Duration::hours(hours),
            received_at: T0 + Duration::hours(hours),
        }
    }

    pub fn mail() -> ShipmentMail {
        ShipmentMail::new(|context| {
            Some(NewMail {
                kind: format!("card-{}", context.shipment.status.code()),
                recipient: context.user.email.clone(),
                language: Language::En,
                subject: format!("Your card {}", context.shipment.tracking_number),
                body_text: "Card news.".into(),
                body_html: None,
                not_after: None,
            })
        })
    }
}
use cargo_contract as cc;

async fn cards_are_printed_shipped_and_tracked_once_per_report(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::cargo::ShipmentStatus::*;
    use izin_domain::officer::Authority;
    let (application, document) = cc::produced_card(&store, "card@example.com").await;
    let queue = store.cards_to_print(Authority::Labour, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].document_id, document);
    assert_eq!(queue[0].holder, "Ayşe Yılmaz");
    assert_eq!(
        queue[0].delivery_address.as_deref(),
        Some("Kızılay Mah. 1, Çankaya/Ankara")
    );
    // Another authority sees nothing and can print nothing.
    assert!(
        store
            .cards_to_print(Authority::Migration, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .cards(Authority::Migration, &[document])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .mark_printed(Authority::Migration, &[document], Uuid::new_v4(), T0)
            .await
            .unwrap()
            .is_empty()
    );
    // Not printed: no shipment.
    assert_eq!(
        store
            .create_shipment(Authority::Labour, cc::shipment(document, 1, None))
            .await
            .unwrap(),
        ShipmentOutcome::Refused
    );
    let officer = Uuid::new_v4();
    let at = T0 + Duration::hours(3);
    assert_eq!(
        store
            .mark_printed(Authority::Labour, &[document], officer, at)
            .await
            .unwrap(),
        [document]
    );
    assert!(
        store
            .mark_printed(Authority::Labour, &[document], officer, at)
            .await
            .unwrap()
            .is_empty(),
        "printed once"
    );
    // Printed, not yet handed over: still listed, after the unprinted.
    let queue = store.cards_to_print(Authority::Labour, 10).await.unwrap();
    assert_eq!(queue[0].printed_at, Some(at));
    assert_eq!(
        store
            .create_shipment(Authority::Labour, cc::shipment(document, 1, None))
            .await
            .unwrap(),
        ShipmentOutcome::Created
    );
    assert!(
        store
            .cards_to_print(Authority::Labour, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let shipments = store.shipments_of_application(application).await.unwrap();
    assert_eq!(shipments.len(), 1);
    assert_eq!(shipments[0].status, Created);
    pc::drain(&store).await;

    let mail = cc::mail();
    let applied = |outcome: ReportOutcome| match outcome {
        ReportOutcome::Applied(s) => s.status,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        applied(
            store
                .record_cargo_report(cc::report("n1", 1, Accepted, 4), &mail)
                .await
                .unwrap()
        ),
        Accepted
    );
    // A replay changes nothing.
    assert_eq!(
        store
            .record_cargo_report(cc::report("n1", 1, Accepted, 4), &mail)
            .await
            .unwrap(),
        ReportOutcome::Duplicate
    );
    // Out of order: "out for delivery" before "in transit"; the late one is kept, not applied.
    assert_eq!(
        applied(
            store
                .record_cargo_report(cc::report("n3", 1, OutForDelivery, 6), &mail)
                .await
                .unwrap()
        ),
        OutForDelivery
    );
    assert!(matches!(
        store.record_cargo_report(cc::report("n2", 1, InTransit, 5), &mail).await.unwrap(),
        ReportOutcome::Stale(ref s) if s.status == OutForDelivery
    ));
    assert_eq!(
        store
            .record_cargo_report(cc::report("x", 99, Delivered, 7), &mail)
            .await
            .unwrap(),
        ReportOutcome::UnknownTracking
    );
    assert_eq!(
        applied(
            store
                .record_cargo_report(cc::report("n4", 1, Delivered, 8), &mail)
                .await
                .unwrap()
        ),
        Delivered
    );
    // Delivered is final.
    assert!(matches!(
        store
            .record_cargo_report(cc::report("n5", 1, Returned, 9), &mail)
            .await
            .unwrap(),
        ReportOutcome::Stale(_)
    ));
    // The holder heard of "out for delivery" only (delivery itself is not announced).
    assert_eq!(
        pc::kinds(&pc::drain(&store).await),
        ["card-out_for_delivery"]
    );
    let shipments = store.shipments_of_application(application).await.unwrap();
    assert_eq!(shipments[0].status, Delivered);
    assert_eq!(shipments[0].status_at, T0 + Duration::hours(8));
    assert!(store.open_shipments(10).await.unwrap().is_empty());
}

async fn a_returned_card_is_reshipped_once(store: Arc<dyn Store>, _: &Guard) {
    use izin_domain::cargo::ShipmentStatus::*;
    use izin_domain::officer::Authority;
    let (application, document) = cc::produced_card(&store, "returned@example.com").await;
    store
        .mark_printed(
            Authority::Labour,
            &[document],
            Uuid::new_v4(),
            T0 + Duration::hours(3),
        )
        .await
        .unwrap();
    let first = cc::shipment(document, 7, None);
    let first_id = first.id;
    store
        .create_shipment(Authority::Labour, first)
        .await
        .unwrap();
    assert_eq!(store.open_shipments(10).await.unwrap().len(), 1);
    pc::drain(&store).await;
    let mail = cc::mail();
    store
        .record_cargo_report(cc::report("r1", 7, Returned, 5), &mail)
        .await
        .unwrap();
    assert_eq!(
        pc::kinds(&pc::drain(&store).await),
        ["card-returned_to_sender"]
    );
    let returned = store
        .returned_shipments(Authority::Labour, 10)
        .await
        .unwrap();
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].id, first_id);
    assert!(
        store
            .returned_shipments(Authority::Migration, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let mut again = cc::shipment(document, 8, Some(first_id));
    again.address = "Atatürk Bulv. 100, Çankaya/Ankara".into();
    let second_id = again.id;
    assert_eq!(
        store
            .create_shipment(Authority::Labour, again)
            .await
            .unwrap(),
        ShipmentOutcome::Created
    );
    // Once: a second re-shipment of the same return is refused.
    assert_eq!(
        store
            .create_shipment(Authority::Labour, cc::shipment(document, 9, Some(first_id)))
            .await
            .unwrap(),
        ShipmentOutcome::Refused
    );
    assert!(
        store
            .returned_shipments(Authority::Labour, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let shipments = store.shipments_of_application(application).await.unwrap();
    assert_eq!(shipments.len(), 2);
    let old = store.shipment(first_id).await.unwrap().unwrap();
    assert_eq!(old.reshipped_as, Some(second_id));
    let new = store.shipment(second_id).await.unwrap().unwrap();
    assert_eq!(new.address, "Atatürk Bulv. 100, Çankaya/Ankara");
    assert_eq!(new.status, Created);
    assert!(store.draw_cargo_serial().await.unwrap() < store.draw_cargo_serial().await.unwrap());
}
