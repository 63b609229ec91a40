//! `izin-bench seed`: fills an empty database with years of applications for the back-office
//! queue benchmark, fast: users and applications go in with `COPY` on PostgreSQL and with
//! prepared inserts in large transactions on SQLite.
//!
//! The spread imitates a portal after five years: about 1.4 applications per applicant, most of
//! them concluded (approved, rejected, withdrawn), an open tail among the last four months
//! (submitted, under evaluation, in revision, awaiting payment) and at most one open
//! application per applicant; both kinds of the labour authority, a share of the migration
//! authority's, categories from the catalogue, a weighted mix of nationalities, names with
//! Turkish letters, one passport per applicant and a foreigner ID for most, numbers drawn in
//! submission order, and officers holding what is under evaluation or was decided.
//!
//! Everything derives from a seed, so two runs with the same options write the same rows. Only
//! what the queue reads is written: the frozen versions and the history of seeded applications
//! stay empty, and their data is a small constant object.

use crate::pick::{NATIONALITIES, Rng, mix};
use izin_domain::application::Kind;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::catalog::ExemptionCatalog;
use izin_domain::officer::{Authority, Roles};
use izin_domain::text::search_key;
use izin_store::{DatabaseUrl, NewAuditEntry, NewOfficer, Store};
use std::sync::Arc;
use std::time::Instant;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Officers added per authority.
const LABOUR_OFFICERS: usize = 40;
const MIGRATION_OFFICERS: usize = 10;
/// Applications submitted within this many days of the seed's "now" may still be open.
const OPEN_WINDOW_DAYS: i64 = 120;
/// The years of applications.
const YEARS: i64 = 5;

const GIVEN: &[&str] = &[
    "Ayşe",
    "Işık",
    "Çağrı",
    "Gülşen",
    "Öykü",
    "Şükrü",
    "Mehmet Ali",
    "Ali",
    "Olga",
    "Ivan",
    "Fatima",
    "Ahmad",
    "Mohammad",
    "Reza",
    "Dilnoza",
    "Anvar",
    "Nino",
    "Giorgi",
    "Hans",
    "Anna",
    "John",
    "Maria",
    "Ömer",
    "Ümit",
    "İbrahim",
    "Yusuf",
    "Zeynep",
    "Elif",
    "Gökhan",
    "Ilgın",
    "Leyla",
    "Aysel",
    "Rəşad",
    "Samir",
    "Nour",
    "Karim",
    "Svetlana",
    "Dmitri",
    "Oksana",
    "Taras",
    "Wei",
    "Li Na",
    "Priya",
    "Arjun",
    "Emma",
    "Lukas",
    "Sofía",
    "Mateo",
    "Aigerim",
    "Nurlan",
];
const SURNAMES: &[&str] = &[
    "Yılmaz",
    "Çelik",
    "Şahin",
    "Öztürk",
    "Aydın",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özdemir",
    "Arslan",
    "Güneş",
    "Petrova",
    "Ivanov",
    "Hosseini",
    "Rahimi",
    "Karimov",
    "Aliyev",
    "Məmmədov",
    "Beridze",
    "Müller",
    "Smith",
    "Al-Hassan",
    "Haddad",
    "Kovalenko",
    "Shevchenko",
    "Zhang",
    "Wang",
    "Sharma",
    "Patel",
    "García",
    "Schmidt",
    "Nazarov",
    "Toktarov",
    "Abdullah",
    "Mansour",
    "O'Brien",
    "Işıklı",
    "Çağlar",
    "Ünal",
    "Gündoğdu",
    "Erdoğan",
    "Akgül",
    "Şimşek",
    "Bayraktar",
    "Ekşi",
    "Ölmez",
];

struct Options {
    database: DatabaseUrl,
    applications: u64,
    /// Weights of the labour and migration authorities.
    labour: u32,
    migration: u32,
    seed: u64,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut database = None;
    let mut options = Options {
        database: DatabaseUrl::Sqlite {
            path: "/dev/null".into(),
        },
        applications: 200_000,
        labour: 90,
        migration: 10,
        seed: 2026,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--database" => database = Some(DatabaseUrl::parse(&value("--database")?)?),
            "--applications" => {
                options.applications = value("--applications")?
                    .replace('_', "")
                    .parse()
                    .map_err(|_| "--applications: a number")?
            }
            "--authority-share" => {
                for part in value("--authority-share")?.split(',') {
                    let (name, weight) = part
                        .split_once('=')
                        .ok_or("--authority-share: labour=90,migration=10")?;
                    let weight: u32 = weight
                        .trim()
                        .parse()
                        .map_err(|_| "--authority-share: whole-number weights")?;
                    match Authority::parse(name) {
                        Some(Authority::Labour) => options.labour = weight,
                        Some(Authority::Migration) => options.migration = weight,
                        None => return Err(format!("--authority-share: unknown authority {name}")),
                    }
                }
                if options.labour + options.migration == 0 {
                    return Err("--authority-share: some weight must be positive".into());
                }
            }
            "--seed" => options.seed = value("--seed")?.parse().map_err(|_| "--seed: a number")?,
            "--help" | "-h" => {
                println!(
                    "izin-bench seed --database URL --applications N \\
                     [--authority-share labour=90,migration=10] [--seed 2026]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    options.database = database.ok_or("--database URL is required")?;
    Ok(options)
}

/// One seeded application, compact: its text columns derive from these and from its applicant.
#[derive(Clone, Copy)]
struct App {
    submitted_at: i64,
    user: u32,
    status: Status,
    new_card: bool,
    category: u16,
    migration: bool,
    /// 1-based index into the authority's officers; 0 for nobody.
    officer: u16,
    /// Randomness for the remaining columns (dates, exemption).
    noise: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Submitted,
    UnderEvaluation,
    Revision,
    PaymentPending,
    Approval,
    Rejected,
    Withdrawn,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Status::Submitted => "SUBMITTED",
            Status::UnderEvaluation => "UNDER_EVALUATION",
            Status::Revision => "REVISION",
            Status::PaymentPending => "PAYMENT_PENDING",
            Status::Approval => "APPROVAL",
            Status::Rejected => "REJECTED",
            Status::Withdrawn => "WITHDRAWN",
        }
    }

    fn concluded(self) -> bool {
        matches!(
            self,
            Status::Approval | Status::Rejected | Status::Withdrawn
        )
    }
}

/// An applicant, derived from its index: the same index always gives the same person.
struct Applicant {
    id: Uuid,
    email: String,
    language: &'static str,
    given: &'static str,
    surname: &'static str,
    nationality: &'static str,
    passport: String,
    foreigner_id: Option<String>,
}

fn uuid(seed: u64, what: u64, n: u64) -> Uuid {
    let high = mix(seed ^ mix(what ^ mix(n)));
    let low = mix(high ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_le_bytes());
    bytes[8..].copy_from_slice(&low.to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A valid foreigner ID: 99, seven digits, then the two check digits.
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

fn applicant(seed: u64, n: u32) -> Applicant {
    let h = mix(seed ^ mix(u64::from(n) ^ 0xA11C_E000));
    let mut rng = Rng::new(h);
    let nationality = *rng.weighted(NATIONALITIES);
    // Bijections of the index keep passports and foreigner IDs unique.
    let passport = format!(
        "{}{:08}",
        char::from(b'A' + (h % 26) as u8),
        (u64::from(n) * 48_271 + 12_345) % 100_000_000
    );
    let foreigner_id = rng
        .chance(0.6)
        .then(|| foreigner_id(((u64::from(n) * 7_919 + 1) % 10_000_000) as u32));
    Applicant {
        id: uuid(seed, 1, u64::from(n)),
        email: format!("applicant{n}@seed.example"),
        language: if rng.chance(0.7) { "tr" } else { "en" },
        given: GIVEN[rng.below(GIVEN.len() as u64) as usize],
        surname: SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
        nationality,
        passport,
        foreigner_id,
    }
}

/// The applications, in submission order, and how many applicants they belong to.
fn spread(options: &Options, now: OffsetDateTime, categories: usize) -> (Vec<App>, u32) {
    let mut rng = Rng::new(options.seed);
    let span = Duration::days(365 * YEARS).whole_microseconds() as u64;
    let open_window = Duration::days(OPEN_WINDOW_DAYS).whole_microseconds() as i64;
    let now_us = micros(now);
    // Earlier categories of the catalogue are the common ones.
    let category_weights: Vec<(u16, f64)> = (0..categories)
        .map(|i| (i as u16, 1.0 / (i as f64 + 1.0)))
        .collect();
    let mut apps = Vec::with_capacity(options.applications as usize);
    let mut user = 0u32;
    while (apps.len() as u64) < options.applications {
        // 1.4 applications per applicant on average (geometric).
        let mut count = 1;
        while rng.chance(0.3) {
            count += 1;
        }
        let mut times: Vec<i64> = (0..count)
            .map(|_| now_us - rng.below(span) as i64)
            .collect();
        times.sort_unstable();
        let migration =
            rng.below(u64::from(options.labour + options.migration)) >= u64::from(options.labour);
        for (i, &at) in times.iter().enumerate() {
            if apps.len() as u64 >= options.applications {
                break;
            }
            let last = i + 1 == times.len();
            let status = if last && now_us - at < open_window {
                match rng.below(100) {
                    0..35 => Status::Submitted,
                    35..55 => Status::UnderEvaluation,
                    55..61 => Status::Revision,
                    61..67 => Status::PaymentPending,
                    _ => concluded(&mut rng),
                }
            } else {
                concluded(&mut rng)
            };
            let officers = if migration {
                MIGRATION_OFFICERS
            } else {
                LABOUR_OFFICERS
            };
            // Whoever took it stays named; a withdrawal before anyone took it has nobody.
            let held = match status {
                Status::Submitted => false,
                Status::Withdrawn => rng.chance(0.5),
                _ => true,
            };
            apps.push(App {
                submitted_at: at,
                user,
                status,
                new_card: !migration && rng.chance(0.15),
                category: *rng.weighted(&category_weights),
                migration,
                officer: if held {
                    1 + rng.below(officers as u64) as u16
                } else {
                    0
                },
                noise: rng.next() as u32,
            });
        }
        user += 1;
    }
    apps.sort_unstable_by_key(|a| a.submitted_at);
    (apps, user)
}

fn concluded(rng: &mut Rng) -> Status {
    match rng.below(100) {
        0..76 => Status::Approval,
        76..89 => Status::Rejected,
        _ => Status::Withdrawn,
    }
}

fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

fn from_micros(us: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Every column of one seeded application, as written.
struct Row<'a> {
    id: Uuid,
    user_id: Uuid,
    kind: &'static str,
    status: &'static str,
    exemption_status: Option<&'static str>,
    number: String,
    edits: i64,
    category: &'a str,
    start_date: Date,
    end_date: Date,
    revision_message: Option<&'static str>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    submitted_at: OffsetDateTime,
    concluded_at: Option<OffsetDateTime>,
    authority: &'static str,
    applicant_name: String,
    applicant_key: String,
    applicant_key_given: String,
    nationality: &'static str,
    foreigner_id: Option<String>,
    passport_number: String,
    assigned_to: Option<Uuid>,
    decision: Option<Decision>,
}

/// The officer's decision a seeded row carries (the applicant reads it).
#[derive(Clone, Copy)]
enum Decision {
    Approved,
    Rejected,
    Revision,
}

/// The decisions as stored, written once.
struct Decisions {
    values: [serde_json::Value; 3],
    texts: [String; 3],
}

impl Decisions {
    fn new() -> Self {
        let values = [
            serde_json::json!({"decision": "approved", "amounts": []}),
            serde_json::json!({
                "decision": "rejected",
                "reason": "documents-missing",
                "text": "İmzalı iş sözleşmesi eksik."
            }),
            serde_json::json!({
                "decision": "revision",
                "message": "Pasaport taramasını okunaklı olarak yeniden yükleyin.",
                "reopen": ["profile.passport"]
            }),
        ];
        let texts = [
            values[0].to_string(),
            values[1].to_string(),
            values[2].to_string(),
        ];
        Decisions { values, texts }
    }

    fn value(&self, decision: Decision) -> &serde_json::Value {
        &self.values[decision as usize]
    }

    fn text(&self, decision: Decision) -> &str {
        &self.texts[decision as usize]
    }
}

struct Context<'a> {
    seed: u64,
    now: OffsetDateTime,
    categories: &'a [String],
    labour_officers: &'a [Uuid],
    migration_officers: &'a [Uuid],
}

impl Context<'_> {
    fn row(&self, serial: u64, app: &App) -> Row<'_> {
        let person = applicant(self.seed, app.user);
        let submitted_at = from_micros(app.submitted_at);
        let mut rng = Rng::new(mix(u64::from(app.noise) ^ serial));
        let start_date = submitted_at.date() + Duration::days(15 + rng.below(45) as i64);
        let end_date = start_date + Duration::days(30 + rng.below(335) as i64);
        let concluded_at = app
            .status
            .concluded()
            .then(|| (submitted_at + Duration::hours(2 + rng.below(45 * 24) as i64)).min(self.now));
        let taken_at =
            (submitted_at + Duration::minutes(10 + rng.below(3 * 24 * 60) as i64)).min(self.now);
        let exemption_status = (app.status == Status::Approval).then(|| {
            if rng.chance(0.02) {
                "CANCELLED"
            } else if end_date < self.now.date() {
                "EXPIRED"
            } else {
                "ACTIVE"
            }
        });
        let officers = if app.migration {
            self.migration_officers
        } else {
            self.labour_officers
        };
        let assigned_to = (app.officer > 0)
            .then(|| officers.get(usize::from(app.officer - 1)).copied())
            .flatten();
        let decision = match app.status {
            Status::Approval | Status::PaymentPending => Some(Decision::Approved),
            Status::Rejected => Some(Decision::Rejected),
            Status::Revision => Some(Decision::Revision),
            _ => None,
        };
        let name = |a: &str, b: &str| format!("{a} {b}");
        Row {
            id: uuid(self.seed, 2, serial),
            user_id: person.id,
            kind: if app.new_card {
                Kind::NewCard.code()
            } else {
                Kind::WorkPermitExemption.code()
            },
            status: app.status.code(),
            exemption_status,
            number: format!("{}-{serial:06}", submitted_at.year()),
            edits: rng.below(6) as i64,
            category: self
                .categories
                .get(usize::from(app.category))
                .map_or("", String::as_str),
            start_date,
            end_date,
            revision_message: (app.status == Status::Revision)
                .then_some("Pasaport taramasını okunaklı olarak yeniden yükleyin."),
            created_at: submitted_at - Duration::minutes(10 + rng.below(5 * 24 * 60) as i64),
            updated_at: concluded_at.unwrap_or(if app.status == Status::Submitted {
                submitted_at
            } else {
                taken_at
            }),
            submitted_at,
            concluded_at,
            authority: if app.migration {
                Authority::Migration.code()
            } else {
                Authority::Labour.code()
            },
            applicant_name: name(person.given, person.surname),
            applicant_key: search_key(&name(person.surname, person.given)),
            applicant_key_given: search_key(&name(person.given, person.surname)),
            nationality: person.nationality,
            foreigner_id: person.foreigner_id,
            passport_number: person.passport,
            assigned_to,
            decision,
        }
    }
}

/// The catalogue's category codes, in its order (the seed makes the first ones the common ones).
pub fn categories() -> Result<Vec<String>, String> {
    let catalog = ExemptionCatalog::embedded().map_err(|e| format!("catalogue: {e}"))?;
    Ok(catalog
        .sectors
        .iter()
        .flat_map(|s| s.categories.iter().map(|c| c.code.clone()))
        .collect())
}

/// Drafts besides the submitted applications: one for every fifty.
fn draft_count(applications: u64) -> u64 {
    applications / 50
}

pub async fn main(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    let started = Instant::now();
    let categories = categories()?;
    let store = izin_store::open(&options.database)
        .await
        .map_err(|e| format!("open {:?}: {e}", options.database))?;
    let labour_officers = add_officers(&store, Authority::Labour, LABOUR_OFFICERS).await?;
    let migration_officers = add_officers(&store, Authority::Migration, MIGRATION_OFFICERS).await?;
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .map_err(|e| e.to_string())?;
    let (apps, users) = spread(&options, now, categories.len());
    let context = Context {
        seed: options.seed,
        now,
        categories: &categories,
        labour_officers: &labour_officers,
        migration_officers: &migration_officers,
    };
    println!(
        "seeding {} applications of {users} applicants (+{} drafts) into {}",
        apps.len(),
        draft_count(apps.len() as u64),
        options.database.backend_name()
    );
    match &options.database {
        DatabaseUrl::Postgres { url } => {
            drop(store);
            postgres::load(url, &context, &apps, users).await?
        }
        DatabaseUrl::Sqlite { path } => {
            // The store's writer thread must let go of the file before the bulk load.
            drop(store);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let path = path.clone();
            let owned = OwnedContext {
                seed: context.seed,
                now,
                categories: categories.clone(),
                labour_officers: labour_officers.clone(),
                migration_officers: migration_officers.clone(),
            };
            tokio::task::spawn_blocking(move || sqlite::load(&path, &owned, &apps, users))
                .await
                .map_err(|e| e.to_string())??
        }
    }
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// What the SQLite load (on a blocking thread) needs to build rows.
struct OwnedContext {
    seed: u64,
    now: OffsetDateTime,
    categories: Vec<String>,
    labour_officers: Vec<Uuid>,
    migration_officers: Vec<Uuid>,
}

async fn add_officers(
    store: &Arc<dyn Store>,
    authority: Authority,
    count: usize,
) -> Result<Vec<Uuid>, String> {
    let existing = store
        .officers(Some(authority))
        .await
        .map_err(|e| e.to_string())?;
    if !existing.is_empty() {
        return Err(format!(
            "the database already has {} officers: seed an empty database",
            authority.code()
        ));
    }
    let roles = Roles::parse("evaluator,approver").map_err(|e| e.to_string())?;
    let now = OffsetDateTime::now_utc();
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        let id = Uuid::now_v7();
        let email = format!("officer{n:02}@{}.seed.example", authority.code());
        store
            .add_officer(NewOfficer {
                id,
                email: email.clone(),
                email_key: email,
                authority,
                roles: roles.clone(),
                totp_secret: vec![7; 20],
                recovery_hashes: Vec::new(),
                now,
                audit: NewAuditEntry::new(
                    now,
                    Actor::System,
                    AuditAction::OfficerAdded,
                    &ClientInfo::default(),
                )
                .subject(format!("officer:{id}")),
            })
            .await
            .map_err(|e| e.to_string())?;
        ids.push(id);
    }
    Ok(ids)
}

mod postgres {
    //! The PostgreSQL load: `COPY … FROM STDIN (FORMAT binary)`, with the application table's
    //! secondary indexes dropped during the load and built afterwards (one sorted build is far
    //! quicker than a million random insertions) and the counting triggers off, the counts
    //! rebuilt with one grouped insert.

    use super::*;
    use tokio_postgres::binary_copy::BinaryCopyInWriter;
    use tokio_postgres::types::{ToSql, Type};

    async fn connect(url: &str) -> Result<tokio_postgres::Client, String> {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        tokio::spawn(connection);
        Ok(client)
    }

    fn db(e: tokio_postgres::Error) -> String {
        match e.as_db_error() {
            Some(db) => format!("PostgreSQL: {}", db.message()),
            None => format!("PostgreSQL: {e}"),
        }
    }

    pub async fn load(
        url: &str,
        context: &Context<'_>,
        apps: &[App],
        users: u32,
    ) -> Result<(), String> {
        let client = connect(url).await?;
        let existing: i64 = client
            .query_one("SELECT count(*) FROM applications", &[])
            .await
            .map_err(db)?
            .get(0);
        if existing > 0 {
            return Err(format!(
                "the database already has {existing} applications: seed an empty database"
            ));
        }
        client
            .batch_execute("SET maintenance_work_mem = '256MB'")
            .await
            .map_err(db)?;
        let step = Instant::now();
        copy_users(&client, context, users).await?;
        println!("  users: {:.1} s", step.elapsed().as_secs_f64());

        // Secondary indexes that are not constraints are rebuilt after the load.
        let indexes: Vec<(String, String)> = client
            .query(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i
                  WHERE i.schemaname = current_schema() AND i.tablename = 'applications'
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                     WHERE c.conname = i.indexname
                                       AND c.conrelid = 'applications'::regclass)",
                &[],
            )
            .await
            .map_err(db)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for (name, _) in &indexes {
            client
                .batch_execute(&format!("DROP INDEX {name}"))
                .await
                .map_err(db)?;
        }
        // The counting triggers would update a counter per row; the counts are rebuilt below.
        client
            .batch_execute("ALTER TABLE applications DISABLE TRIGGER USER")
            .await
            .map_err(db)?;
        let step = Instant::now();
        copy_applications(&client, context, apps, users).await?;
        println!("  applications: {:.1} s", step.elapsed().as_secs_f64());
        let step = Instant::now();
        for (_, definition) in &indexes {
            client.batch_execute(definition).await.map_err(db)?;
        }
        println!(
            "  {} indexes rebuilt: {:.1} s",
            indexes.len(),
            step.elapsed().as_secs_f64()
        );
        client
            .batch_execute(
                "DELETE FROM application_counts;
                 INSERT INTO application_counts (authority, status, stripe, count)
                 SELECT authority, status, get_byte(uuid_send(id), 15) & 15, count(*)
                   FROM applications
                  WHERE authority IS NOT NULL AND status <> 'DRAFT'
                  GROUP BY 1, 2, 3;
                 ALTER TABLE applications ENABLE TRIGGER USER;",
            )
            .await
            .map_err(db)?;
        client
            .query_one(
                "SELECT setval('application_number_serial', $1)",
                &[&(apps.len() as i64)],
            )
            .await
            .map_err(db)?;
        let step = Instant::now();
        // As autovacuum would have by now: statistics, and the visibility map.
        // One statement each: VACUUM cannot run in the transaction a multi-statement string is.
        for table in ["users", "applications"] {
            client
                .batch_execute(&format!("VACUUM (ANALYZE) {table}"))
                .await
                .map_err(db)?;
        }
        println!("  vacuum analyze: {:.1} s", step.elapsed().as_secs_f64());
        Ok(())
    }

    async fn copy_users(
        client: &tokio_postgres::Client,
        context: &Context<'_>,
        users: u32,
    ) -> Result<(), String> {
        let sink = client
            .copy_in(
                "COPY users (id, email, email_key, language, created_at, last_sign_in_at)
                 FROM STDIN (FORMAT binary)",
            )
            .await
            .map_err(db)?;
        let writer = BinaryCopyInWriter::new(
            sink,
            &[
                Type::UUID,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TIMESTAMPTZ,
                Type::TIMESTAMPTZ,
            ],
        );
        let mut writer = std::pin::pin!(writer);
        let first = context.now - Duration::days(365 * YEARS + 30);
        for n in 0..users {
            let person = applicant(context.seed, n);
            let created = first + Duration::minutes(i64::from(n % 1_000_000));
            writer
                .as_mut()
                .write(&[
                    &person.id,
                    &person.email,
                    &person.email,
                    &person.language,
                    &created,
                    &Some(context.now),
                ])
                .await
                .map_err(db)?;
        }
        writer.finish().await.map_err(db)?;
        Ok(())
    }

    async fn copy_applications(
        client: &tokio_postgres::Client,
        context: &Context<'_>,
        apps: &[App],
        users: u32,
    ) -> Result<(), String> {
        let sink = client
            .copy_in(
                "COPY applications (id, user_id, kind, status, exemption_status, number, version,
                                    edits, data, category, start_date, end_date, revision_message,
                                    created_at, updated_at, submitted_at, concluded_at, authority,
                                    applicant_name, applicant_key, applicant_key_given,
                                    nationality, foreigner_id, passport_number, assigned_to,
                                    decision)
                 FROM STDIN (FORMAT binary)",
            )
            .await
            .map_err(db)?;
        let writer = BinaryCopyInWriter::new(
            sink,
            &[
                Type::UUID,
                Type::UUID,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::INT4,
                Type::INT8,
                Type::JSONB,
                Type::TEXT,
                Type::DATE,
                Type::DATE,
                Type::TEXT,
                Type::TIMESTAMPTZ,
                Type::TIMESTAMPTZ,
                Type::TIMESTAMPTZ,
                Type::TIMESTAMPTZ,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::UUID,
                Type::JSONB,
            ],
        );
        let mut writer = std::pin::pin!(writer);
        let data = serde_json::json!({"seeded": true});
        let decisions = Decisions::new();
        let version = 1_i32;
        for (i, app) in apps.iter().enumerate() {
            let r = context.row(i as u64 + 1, app);
            let decision = r.decision.map(|d| decisions.value(d));
            let values: [&(dyn ToSql + Sync); 26] = [
                &r.id,
                &r.user_id,
                &r.kind,
                &r.status,
                &r.exemption_status,
                &r.number,
                &version,
                &r.edits,
                &data,
                &r.category,
                &r.start_date,
                &r.end_date,
                &r.revision_message,
                &r.created_at,
                &r.updated_at,
                &r.submitted_at,
                &r.concluded_at,
                &r.authority,
                &r.applicant_name,
                &r.applicant_key,
                &r.applicant_key_given,
                &r.nationality,
                &r.foreigner_id,
                &r.passport_number,
                &r.assigned_to,
                &decision,
            ];
            writer.as_mut().write(&values).await.map_err(db)?;
        }
        // Drafts: no number, no queue columns, never submitted.
        let mut rng = Rng::new(context.seed ^ 0xD4AF);
        let none_text: Option<&str> = None;
        let none_time: Option<OffsetDateTime> = None;
        let none_uuid: Option<Uuid> = None;
        let none_json: Option<&serde_json::Value> = None;
        let none_date: Option<Date> = None;
        let none_int: i64 = 0;
        let zero = 0_i32;
        for d in 0..draft_count(apps.len() as u64) {
            let user = applicant(context.seed, rng.below(u64::from(users.max(1))) as u32);
            let created = context.now - Duration::minutes(rng.below(60 * 24 * 90) as i64);
            let id = uuid(context.seed, 3, d);
            let values: [&(dyn ToSql + Sync); 26] = [
                &id,
                &user.id,
                &Kind::WorkPermitExemption.code(),
                &"DRAFT",
                &none_text,
                &none_text,
                &zero,
                &none_int,
                &data,
                &none_text,
                &none_date,
                &none_date,
                &none_text,
                &created,
                &created,
                &none_time,
                &none_time,
                &none_text,
                &none_text,
                &none_text,
                &none_text,
                &none_text,
                &none_text,
                &none_text,
                &none_uuid,
                &none_json,
            ];
            writer.as_mut().write(&values).await.map_err(db)?;
        }
        writer.finish().await.map_err(db)?;
        Ok(())
    }
}

mod sqlite {
    //! The SQLite load: prepared inserts, 50 000 rows a transaction, with the counting triggers
    //! dropped during the load (their definitions are read back from the schema and recreated)
    //! and the counts rebuilt with one grouped insert.

    use super::*;
    use rusqlite::{Connection, params};

    fn db(e: rusqlite::Error) -> String {
        format!("SQLite: {e}")
    }

    fn date_text(d: Date) -> String {
        d.to_string()
    }

    pub fn load(
        path: &std::path::Path,
        owned: &OwnedContext,
        apps: &[App],
        users: u32,
    ) -> Result<(), String> {
        let decisions = Decisions::new();
        let context = Context {
            seed: owned.seed,
            now: owned.now,
            categories: &owned.categories,
            labour_officers: &owned.labour_officers,
            migration_officers: &owned.migration_officers,
        };
        let mut conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db)?;
        // A scratch load: a crash means seeding again.
        conn.pragma_update(None, "synchronous", "OFF").map_err(db)?;
        conn.pragma_update(None, "cache_size", -262_144_i64)
            .map_err(db)?;
        let existing: i64 = conn
            .query_row("SELECT count(*) FROM applications", [], |r| r.get(0))
            .map_err(db)?;
        if existing > 0 {
            return Err(format!(
                "the database already has {existing} applications: seed an empty database"
            ));
        }
        let triggers: Vec<(String, String)> = {
            let mut stmt = conn
                .prepare(
                    "SELECT name, sql FROM sqlite_master
                      WHERE type = 'trigger' AND tbl_name = 'applications'
                        AND name LIKE 'application_counts_%'",
                )
                .map_err(db)?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(db)?
                .collect::<Result<_, _>>()
                .map_err(db)?
        };
        for (name, _) in &triggers {
            conn.execute_batch(&format!("DROP TRIGGER {name}"))
                .map_err(db)?;
        }
        let step = Instant::now();
        let first = context.now - Duration::days(365 * YEARS + 30);
        for chunk in (0..users).collect::<Vec<_>>().chunks(50_000) {
            let tx = conn.transaction().map_err(db)?;
            {
                let mut insert = tx
                    .prepare(
                        "INSERT INTO users (id, email, email_key, language, created_at,
                                            last_sign_in_at)
                         VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
                    )
                    .map_err(db)?;
                for &n in chunk {
                    let person = applicant(context.seed, n);
                    let created = first + Duration::minutes(i64::from(n % 1_000_000));
                    insert
                        .execute(params![
                            person.id,
                            person.email,
                            person.language,
                            micros(created),
                            micros(context.now)
                        ])
                        .map_err(db)?;
                }
            }
            tx.commit().map_err(db)?;
        }
        println!("  users: {:.1} s", step.elapsed().as_secs_f64());
        let step = Instant::now();
        let data = serde_json::json!({"seeded": true}).to_string();
        for (c, chunk) in apps.chunks(50_000).enumerate() {
            let tx = conn.transaction().map_err(db)?;
            {
                let mut insert = tx
                    .prepare(
                        "INSERT INTO applications (id, user_id, kind, status, exemption_status,
                                number, version, edits, data, category, start_date, end_date,
                                revision_message, created_at, updated_at, submitted_at,
                                concluded_at, authority, applicant_name, applicant_key,
                                applicant_key_given, nationality, foreigner_id, passport_number,
                                assigned_to, decision)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                                 ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
                    )
                    .map_err(db)?;
                for (i, app) in chunk.iter().enumerate() {
                    let serial = (c * 50_000 + i) as u64 + 1;
                    let r = context.row(serial, app);
                    insert
                        .execute(params![
                            r.id,
                            r.user_id,
                            r.kind,
                            r.status,
                            r.exemption_status,
                            r.number,
                            r.edits,
                            data,
                            r.category,
                            date_text(r.start_date),
                            date_text(r.end_date),
                            r.revision_message,
                            micros(r.created_at),
                            micros(r.updated_at),
                            micros(r.submitted_at),
                            r.concluded_at.map(micros),
                            r.authority,
                            r.applicant_name,
                            r.applicant_key,
                            r.applicant_key_given,
                            r.nationality,
                            r.foreigner_id,
                            r.passport_number,
                            r.assigned_to,
                            r.decision.map(|d| decisions.text(d)),
                        ])
                        .map_err(db)?;
                }
            }
            tx.commit().map_err(db)?;
        }
        {
            let tx = conn.transaction().map_err(db)?;
            {
                let mut insert = tx
                    .prepare(
                        "INSERT INTO applications (id, user_id, kind, status, version, edits,
                                data, created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'DRAFT', 0, 0, ?4, ?5, ?5)",
                    )
                    .map_err(db)?;
                let mut rng = Rng::new(context.seed ^ 0xD4AF);
                for d in 0..draft_count(apps.len() as u64) {
                    let user = applicant(context.seed, rng.below(u64::from(users.max(1))) as u32);
                    let created = context.now - Duration::minutes(rng.below(60 * 24 * 90) as i64);
                    insert
                        .execute(params![
                            uuid(context.seed, 3, d),
                            user.id,
                            Kind::WorkPermitExemption.code(),
                            data,
                            micros(created)
                        ])
                        .map_err(db)?;
                }
            }
            tx.commit().map_err(db)?;
        }
        println!("  applications: {:.1} s", step.elapsed().as_secs_f64());
        let tx = conn.transaction().map_err(db)?;
        tx.execute_batch(
            "DELETE FROM application_counts;
             INSERT INTO application_counts (authority, status, stripe, count)
             SELECT authority, status, 0, count(*) FROM applications
              WHERE authority IS NOT NULL AND status <> 'DRAFT'
              GROUP BY authority, status;",
        )
        .map_err(db)?;
        for (_, sql) in &triggers {
            tx.execute_batch(sql).map_err(db)?;
        }
        tx.execute(
            "UPDATE counters SET value = ?1 WHERE name = 'application_number'",
            [apps.len() as i64],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(db)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use izin_domain::back_office::Search;
    use izin_domain::identifiers::{ApplicationNumber, ForeignerId, PassportNumber};

    #[test]
    fn seeded_identifiers_are_what_the_portal_accepts() {
        for n in [0, 1, 17, 99_999, 700_167] {
            let person = applicant(2026, n);
            let passport = PassportNumber::parse(&person.passport).expect("a passport number");
            assert_eq!(passport.as_str(), person.passport);
            assert!(matches!(
                Search::parse(&person.passport),
                Some(Search::Passport(_))
            ));
            if let Some(id) = &person.foreigner_id {
                assert!(ForeignerId::parse(id).is_ok(), "{id}");
            }
        }
        for serial in [1, 999_999, 1_000_000] {
            assert!(ForeignerId::parse(&foreigner_id(serial)).is_ok());
        }
        let now = OffsetDateTime::now_utc();
        let context = Context {
            seed: 2026,
            now,
            categories: &["compulsory-internship".to_owned()],
            labour_officers: &[Uuid::nil()],
            migration_officers: &[Uuid::nil()],
        };
        let options = Options {
            database: DatabaseUrl::Sqlite {
                path: "/dev/null".into(),
            },
            applications: 2_000,
            labour: 90,
            migration: 10,
            seed: 2026,
        };
        let (apps, _) = spread(&options, now, 1);
        assert_eq!(apps.len(), 2_000);
        assert!(
            apps.windows(2)
                .all(|w| w[0].submitted_at <= w[1].submitted_at)
        );
        for (i, app) in apps.iter().enumerate() {
            let row = context.row(i as u64 + 1, app);
            assert!(
                ApplicationNumber::parse(&row.number).is_ok(),
                "{}",
                row.number
            );
            assert!(row.submitted_at <= now);
            assert_eq!(
                row.concluded_at.is_some(),
                app.status.concluded(),
                "{}",
                row.status
            );
        }
    }

    #[test]
    fn applicants_have_at_most_one_open_application() {
        let options = Options {
            database: DatabaseUrl::Sqlite {
                path: "/dev/null".into(),
            },
            applications: 50_000,
            labour: 90,
            migration: 10,
            seed: 7,
        };
        let (apps, users) = spread(&options, OffsetDateTime::now_utc(), 30);
        let mut open = vec![0u8; users as usize];
        for app in &apps {
            if !app.status.concluded() {
                open[app.user as usize] += 1;
            }
        }
        assert!(open.iter().all(|&n| n <= 1));
        let per_user = apps.len() as f64 / f64::from(users);
        assert!((1.3..1.5).contains(&per_user), "{per_user}");
    }
}
