//! The simulated registries answer by the rules of the real ones: a right counts on the days it
//! is valid, a person is in Türkiye when their last crossing so far was an entry. Against SQLite.

use izin_app::registries::fixture::RegistryFixture;
use izin_app::registries::simulator::{SimulatedRegistries, import};
use izin_app::registries::{Registries, ResidenceRight, ResidenceRightKind};
use izin_domain::identifiers::{
    AddressCode, ForeignerId, PassportNumber, ReferenceNumber, SgkNumber,
};
use izin_domain::profile::CountryCode;
use izin_domain::reference::Reference;
use izin_store::{DatabaseUrl, Store};
use serde_json::json;
use std::sync::Arc;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 22);

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = DatabaseUrl::Sqlite {
        path: dir.path().join("izin.db"),
    };
    (izin_store::open(&url).await.expect("open sqlite"), dir)
}

fn fixture(value: serde_json::Value) -> RegistryFixture {
    let reference = Reference::embedded().expect("reference data");
    RegistryFixture::parse_as_of(&value.to_string(), &reference, TODAY).expect("valid fixture")
}

async fn registries_with(value: serde_json::Value) -> (SimulatedRegistries, tempfile::TempDir) {
    let (store, dir) = store().await;
    import(store.as_ref(), fixture(value))
        .await
        .expect("import");
    (SimulatedRegistries::new(store), dir)
}

fn foreigner(id: &str) -> ForeignerId {
    ForeignerId::parse(id).expect("foreigner id")
}

fn passport(number: &str) -> PassportNumber {
    PassportNumber::parse(number).expect("passport number")
}

fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("country code")
}

#[tokio::test]
async fn a_right_counts_from_its_first_to_its_last_day() {
    let (registries, _dir) = registries_with(json!({"residence_rights": [
        {"foreigner_id": "99123456740", "kind": "work_permit",
         "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    ]}))
    .await;
    let id = foreigner("99123456740");
    let right = ResidenceRight {
        kind: ResidenceRightKind::WorkPermit,
        valid_from: date!(2026 - 01 - 01),
        valid_until: date!(2026 - 12 - 31),
    };
    for (day, expected) in [
        (date!(2025 - 12 - 31), None),
        (date!(2026 - 01 - 01), Some(right)),
        (TODAY, Some(right)),
        (date!(2026 - 12 - 31), Some(right)),
        (date!(2027 - 01 - 01), None),
    ] {
        assert_eq!(
            registries.active_residence_right(&id, day).await.unwrap(),
            expected,
            "{day}"
        );
    }
    assert_eq!(
        registries
            .active_residence_right(&foreigner("99587021348"), TODAY)
            .await
            .unwrap(),
        None,
        "someone the registry does not know"
    );
}

#[tokio::test]
async fn of_overlapping_rights_the_one_lasting_longest_is_given() {
    let (registries, _dir) = registries_with(json!({"residence_rights": [
        {"foreigner_id": "99123456740", "kind": "residence_permit",
         "valid_from": "2025-06-01", "valid_until": "2027-05-31"},
        {"foreigner_id": "99123456740", "kind": "work_permit_exemption",
         "valid_from": "2026-09-01", "valid_until": "2026-12-31"},
        {"foreigner_id": "99123456740", "kind": "work_permit",
         "valid_from": "2020-01-01", "valid_until": "2021-01-01"}
    ]}))
    .await;
    let id = foreigner("99123456740");
    let active = registries
        .active_residence_right(&id, TODAY)
        .await
        .unwrap()
        .expect("a right");
    assert_eq!(active.kind, ResidenceRightKind::ResidencePermit);
    let later = registries
        .active_residence_right(&id, date!(2027 - 05 - 31))
        .await
        .unwrap()
        .expect("a right");
    assert_eq!(later.valid_until, date!(2027 - 05 - 31));
}

#[tokio::test]
async fn the_last_crossing_so_far_tells_whether_someone_is_in_turkiye() {
    let crossing = |direction: &str, day: &str| {
        json!({"passport_number": "U1234567", "passport_country": "DEU", "birth_year": 1990,
               "direction": direction, "date": day})
    };
    let (registries, _dir) = registries_with(json!({"border_crossings": [
        // Listed out of order: the simulator orders by date, not by the file.
        crossing("exit", "2026-08-15"),
        crossing("entry", "2026-06-01"),
        crossing("entry", "2026-10-01"),
        // In and out on one day: out.
        crossing("entry", "2026-11-20"),
        crossing("exit", "2026-11-20"),
    ]}))
    .await;
    let (number, deu) = (passport("U1234567"), country("DEU"));
    for (day, expected) in [
        (date!(2026 - 05 - 31), None),
        (date!(2026 - 06 - 01), Some(date!(2026 - 06 - 01))),
        (date!(2026 - 08 - 14), Some(date!(2026 - 06 - 01))),
        (date!(2026 - 08 - 15), None),
        (date!(2026 - 09 - 30), None),
        (date!(2026 - 10 - 01), Some(date!(2026 - 10 - 01))),
        (date!(2026 - 11 - 19), Some(date!(2026 - 10 - 01))),
        (date!(2026 - 11 - 20), None),
        (TODAY, None),
    ] {
        assert_eq!(
            registries
                .in_turkiye_since(&number, &deu, 1990, day)
                .await
                .unwrap(),
            expected,
            "{day}"
        );
    }
    assert_eq!(
        registries
            .in_turkiye_since(&number, &country("AUT"), 1990, date!(2026 - 10 - 02))
            .await
            .unwrap(),
        None,
        "the same number from another country is another passport"
    );
    assert_eq!(
        registries
            .in_turkiye_since(&number, &deu, 1991, date!(2026 - 10 - 02))
            .await
            .unwrap(),
        None,
        "a holder born in another year is another traveller"
    );
}

/// The demo file tells the stories the README promises a tester.
#[tokio::test]
async fn the_demo_data_has_one_of_each_case() {
    let (store, _dir) = store().await;
    let demo = fixture(
        serde_json::from_str(include_str!("../../../../demo/registry.json")).expect("demo JSON"),
    );
    let first = import(store.as_ref(), demo.clone()).await.unwrap();
    assert_eq!(first.residence_rights.new, 3);
    let second = import(store.as_ref(), demo).await.unwrap();
    for (table, counts) in second.tables() {
        assert_eq!(counts.new + counts.updated, 0, "{table}");
    }
    let registries = SimulatedRegistries::new(store);

    let active = registries
        .active_residence_right(&foreigner("99587021348"), TODAY)
        .await
        .unwrap();
    assert_eq!(
        active.map(|r| r.kind),
        Some(ResidenceRightKind::ResidencePermit)
    );
    for (expired_or_future, kind) in [
        ("99304618516", ResidenceRightKind::WorkPermit),
        ("99271840606", ResidenceRightKind::WorkPermitExemption),
    ] {
        let id = foreigner(expired_or_future);
        assert_eq!(
            registries.active_residence_right(&id, TODAY).await.unwrap(),
            None
        );
        let some_day = if kind == ResidenceRightKind::WorkPermit {
            date!(2024 - 06 - 01)
        } else {
            date!(2027 - 06 - 01)
        };
        assert_eq!(
            registries
                .active_residence_right(&id, some_day)
                .await
                .unwrap()
                .map(|r| r.kind),
            Some(kind)
        );
    }

    for (number, code, born, inside) in [
        ("C01X00T47", "DEU", 1990, true),
        // Entered on a passport since renewed: declared as the previous passport.
        ("K0317526", "KAZ", 1993, true),
        ("C03456789", "AZE", 1987, false),
        ("751234567", "RUS", 1995, false),
        // The right passport with a wrong year of birth finds nothing.
        ("C01X00T47", "DEU", 1991, false),
    ] {
        assert_eq!(
            registries
                .in_turkiye_since(&passport(number), &country(code), born, TODAY)
                .await
                .unwrap()
                .is_some(),
            inside,
            "{number}"
        );
    }

    let baku = registries
        .consulate_reference(&ReferenceNumber::parse("2026baku00352011").unwrap())
        .await
        .unwrap()
        .expect("a consulate reference");
    assert_eq!(baku.passport_number, passport("C03456789"));
    assert_eq!(baku.birth_year, 1987);
    assert!(
        registries
            .consulate_reference(&ReferenceNumber::parse("2026BAKU00352012").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    let address = registries
        .address(&AddressCode::parse("3406512874").unwrap())
        .await
        .unwrap()
        .expect("an address");
    assert_eq!(
        (address.province.as_str(), address.district.as_str()),
        ("İstanbul", "Şişli")
    );
    assert!(
        registries
            .address(&AddressCode::parse("0000000000").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    let internship = registries
        .workplace(&SgkNumber::parse("28540010111812660342762000").unwrap())
        .await
        .unwrap()
        .expect("the internship placeholder");
    assert_eq!(internship.province, "İstanbul");
    let bolu = registries
        .workplace(&SgkNumber::parse("5 2064 08 08 6666666 014 65 74 000").unwrap())
        .await
        .unwrap()
        .expect("a workplace");
    assert_eq!(bolu.province, "Bolu");
}
