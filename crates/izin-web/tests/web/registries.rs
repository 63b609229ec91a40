//! The registry ports as the services ask them, answered by the simulator from a fixture, on
//! both databases: the migration authority's people, kept as keyed records.

use crate::harness::TestApp;
use izin_domain::identifiers::ForeignerId;
use serde_json::json;
use time::macros::date;

crate::on_both_databases!(the_migration_registry_answers_for_its_people_only);

async fn the_migration_registry_answers_for_its_people_only(app: TestApp) {
    app.import_registry(json!({
        "people": [{"foreigner_id": "99271840606", "first_name": "Anna", "last_name": "Müller",
                    "mother_name": "Maria", "father_name": "Thomas", "nationality": "DEU",
                    "date_of_birth": "1990-06-23"}]
    }))
    .await;
    let anna = ForeignerId::parse("99271840606").expect("id");
    let person = app
        .app
        .registries
        .person(&anna)
        .await
        .expect("the registry answers")
        .expect("Anna is recorded");
    assert_eq!(person.last_name, "Müller");
    assert_eq!(person.nationality, "DEU");
    assert_eq!(person.date_of_birth, date!(1990 - 06 - 23));
    let stranger = ForeignerId::parse("99587021348").expect("id");
    assert_eq!(
        app.app.registries.person(&stranger).await.expect("answers"),
        None
    );
    // A later import with her maiden name corrects the record.
    app.import_registry(json!({
        "people": [{"foreigner_id": "99271840606", "first_name": "Anna", "last_name": "Schmidt",
                    "mother_name": "Maria", "father_name": "Thomas", "nationality": "DEU",
                    "date_of_birth": "1990-06-23"}]
    }))
    .await;
    let corrected = app.app.registries.person(&anna).await.expect("answers");
    assert_eq!(corrected.map(|p| p.last_name).as_deref(), Some("Schmidt"));
}
