//! Officers through the service, on SQLite: the enrolment handed over works as the second factor
//! — a TOTP code once, never replayed, a recovery code once — and disabling is recorded.

use izin_app::officers::{self, OfficerError, SecondFactorRefusal, SecondFactorUsed};
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::officer::{Authority, Roles};
use izin_domain::totp::step_of;
use izin_store::{DatabaseUrl, open};
use time::Duration;
use time::macros::datetime;

#[tokio::test]
async fn the_enrolment_handed_over_is_the_second_factor_and_each_code_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&DatabaseUrl::Sqlite {
        path: dir.path().join("izin.db"),
    })
    .await
    .unwrap();
    let now = datetime!(2026-11-28 10:00 UTC);
    let client = ClientInfo::default();
    let enrolment = officers::add(
        store.as_ref(),
        now,
        "elif@csgb.gov.tr",
        Authority::Labour,
        Roles::parse("evaluator").unwrap(),
        Actor::System,
        &client,
    )
    .await
    .unwrap();
    let id = enrolment.officer.id;
    let code = format!(
        "{:06}",
        enrolment.secret.code_at_step(step_of(now)).unwrap()
    );
    assert_eq!(
        officers::check_second_factor(store.as_ref(), id, &code, now)
            .await
            .unwrap(),
        SecondFactorUsed::Totp { step: step_of(now) }
    );
    // The same code again, even typed with a space: used.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    assert!(matches!(
        officers::check_second_factor(store.as_ref(), id, &spaced, now).await,
        Err(OfficerError::SecondFactor(SecondFactorRefusal::Used))
    ));
    // The next step's code is fine; a wrong one is wrong.
    let later = now + Duration::seconds(30);
    let next = format!(
        "{:06}",
        enrolment.secret.code_at_step(step_of(later)).unwrap()
    );
    assert!(
        officers::check_second_factor(store.as_ref(), id, &next, later)
            .await
            .is_ok()
    );
    let wrong = format!("{:06}", (next.parse::<u32>().unwrap() + 1) % 1_000_000);
    assert!(matches!(
        officers::check_second_factor(store.as_ref(), id, &wrong, later).await,
        Err(OfficerError::SecondFactor(SecondFactorRefusal::Wrong))
    ));
    // A recovery code, typed in capitals: once.
    let recovery = enrolment.recovery_codes[3].as_str().to_uppercase();
    assert_eq!(
        officers::check_second_factor(store.as_ref(), id, &recovery, later)
            .await
            .unwrap(),
        SecondFactorUsed::RecoveryCode
    );
    assert!(matches!(
        officers::check_second_factor(store.as_ref(), id, &recovery, later).await,
        Err(OfficerError::SecondFactor(SecondFactorRefusal::Wrong))
    ));
    // Disabled: said once, then "already".
    let disabled = officers::disable(
        store.as_ref(),
        later,
        "ELIF@csgb.gov.tr",
        Actor::System,
        &client,
    )
    .await
    .unwrap();
    assert_eq!(disabled.disabled_at, Some(later));
    assert!(matches!(
        officers::disable(
            store.as_ref(),
            later,
            "elif@csgb.gov.tr",
            Actor::System,
            &client
        )
        .await,
        Err(OfficerError::AlreadyDisabled)
    ));
}
