//! The registry fixture: the JSON file the simulated registries are filled from
//! (`izin registry import FILE`, `izin serve --demo`). Its format is a contract documented in the
//! README — fields may be added, never renamed.
//!
//! A file is checked whole before anything is stored, and the first bad value is reported by
//! its place in the file (`residence_rights[3].foreigner_id: …`), so whoever wrote it can find it.

use super::ResidenceRightKind;
use izin_domain::calendar::{format_date, parse_iso_date, today_in_turkiye};
use izin_domain::identifiers::{
    AddressCode, ForeignerId, IdError, PassportNumber, ReferenceNumber, SgkNumber,
};
use izin_domain::profile::CountryCode;
use izin_domain::reference::Reference;
use izin_domain::text::search_key;
use izin_domain::{Clock, SystemClock};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::hash::Hash;
use time::Date;

/// The longest address or workplace name accepted, in characters.
const MAX_TEXT_CHARS: usize = 500;
/// The earliest birth year accepted.
const FIRST_BIRTH_YEAR: i32 = 1900;

/// Why a fixture file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixtureError {
    /// Not JSON, or not an object with the five lists.
    #[error("not a registry fixture: {0}")]
    Malformed(String),
    /// One value is wrong; `at` names it like `residence_rights[3].foreigner_id`.
    #[error("{at}: {problem}")]
    Invalid { at: String, problem: String },
}

fn invalid(at: impl Into<String>, problem: impl Into<String>) -> FixtureError {
    FixtureError::Invalid {
        at: at.into(),
        problem: problem.into(),
    }
}

/// Whether a crossing went into or out of Türkiye.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrossingDirection {
    Entry,
    Exit,
}

impl CrossingDirection {
    pub fn code(self) -> &'static str {
        match self {
            Self::Entry => "entry",
            Self::Exit => "exit",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Entry, Self::Exit]
            .into_iter()
            .find(|direction| direction.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidenceRightEntry {
    pub foreigner_id: ForeignerId,
    pub kind: ResidenceRightKind,
    pub valid_from: Date,
    pub valid_until: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BorderCrossingEntry {
    pub passport_number: PassportNumber,
    pub passport_country: CountryCode,
    pub birth_year: i32,
    pub direction: CrossingDirection,
    pub date: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsulateReferenceEntry {
    pub reference_number: ReferenceNumber,
    pub passport_number: PassportNumber,
    pub birth_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressEntry {
    pub code: AddressCode,
    pub address: String,
    /// As the reference data spells it.
    pub province: String,
    /// As the reference data spells it.
    pub district: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplaceEntry {
    pub sgk_number: SgkNumber,
    pub name: String,
    /// As the reference data spells it.
    pub province: String,
    /// As the reference data spells it.
    pub district: String,
}

/// A person as the migration authority (Presidency of Migration Management) records them, by
/// foreigner ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonEntry {
    pub foreigner_id: ForeignerId,
    pub first_name: String,
    pub last_name: String,
    pub mother_name: String,
    pub father_name: String,
    pub nationality: CountryCode,
    pub date_of_birth: Date,
}

/// A checked fixture file. [`RegistryFixture::parse`] is the only way to get one, so every
/// record in it is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFixture {
    /// The day the records describe, when the file says (`as_of`): demo data whose stories
    /// ("entered ten days ago") are told relative to it, see [`RegistryFixture::moved_to`].
    pub as_of: Option<Date>,
    pub residence_rights: Vec<ResidenceRightEntry>,
    pub border_crossings: Vec<BorderCrossingEntry>,
    pub consulate_references: Vec<ConsulateReferenceEntry>,
    pub addresses: Vec<AddressEntry>,
    pub workplaces: Vec<WorkplaceEntry>,
    pub people: Vec<PersonEntry>,
}

/// The file's outline. Records stay raw JSON here so that each can be checked field by field
/// and a bad one named by its place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixture {
    #[serde(default)]
    as_of: Option<Value>,
    #[serde(default)]
    residence_rights: Option<Vec<Value>>,
    #[serde(default)]
    border_crossings: Option<Vec<Value>>,
    #[serde(default)]
    consulate_references: Option<Vec<Value>>,
    #[serde(default)]
    addresses: Option<Vec<Value>>,
    #[serde(default)]
    workplaces: Option<Vec<Value>>,
    #[serde(default)]
    people: Option<Vec<Value>>,
}

impl RegistryFixture {
    /// Reads and checks a fixture file's text; birth years may go up to this year in Türkiye.
    pub fn parse(json: &str, reference: &Reference) -> Result<Self, FixtureError> {
        Self::parse_as_of(json, reference, today_in_turkiye(SystemClock.now()))
    }

    /// Like [`RegistryFixture::parse`] with `today` given, for tests.
    pub fn parse_as_of(
        json: &str,
        reference: &Reference,
        today: Date,
    ) -> Result<Self, FixtureError> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| FixtureError::Malformed(e.to_string()))?;
        // Checked here because serde would also read a struct from a JSON array.
        if !value.is_object() {
            return Err(FixtureError::Malformed(
                "expected a JSON object with the lists residence_rights, border_crossings, \
                 consulate_references, addresses, workplaces and people"
                    .into(),
            ));
        }
        let raw: RawFixture =
            serde_json::from_value(value).map_err(|e| FixtureError::Malformed(e.to_string()))?;
        let checker = Checker {
            reference,
            this_year: today.year(),
        };
        let as_of = match raw.as_of {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(parse_iso_date(&text).ok_or_else(|| {
                invalid("as_of", format!("{text:?} is not a date like 2026-11-22"))
            })?),
            Some(_) => return Err(invalid("as_of", "expected a date like 2026-11-22")),
        };
        let fixture = Self {
            as_of,
            residence_rights: checker.table(
                "residence_rights",
                raw.residence_rights,
                |r| checker.residence_right(r),
                Unique::WholeRecord(Clone::clone),
            )?,
            border_crossings: checker.table(
                "border_crossings",
                raw.border_crossings,
                |r| checker.border_crossing(r),
                Unique::WholeRecord(Clone::clone),
            )?,
            consulate_references: checker.table(
                "consulate_references",
                raw.consulate_references,
                |r| checker.consulate_reference(r),
                Unique::Key("reference_number", |entry: &ConsulateReferenceEntry| {
                    entry.reference_number.clone()
                }),
            )?,
            addresses: checker.table(
                "addresses",
                raw.addresses,
                |r| checker.address(r),
                Unique::Key("code", |entry: &AddressEntry| entry.code.clone()),
            )?,
            workplaces: checker.table(
                "workplaces",
                raw.workplaces,
                |r| checker.workplace(r),
                Unique::Key("sgk_number", |entry: &WorkplaceEntry| {
                    entry.sgk_number.clone()
                }),
            )?,
            people: checker.table(
                "people",
                raw.people,
                |r| checker.person(r),
                Unique::Key("foreigner_id", |entry: &PersonEntry| {
                    entry.foreigner_id.clone()
                }),
            )?,
        };
        Ok(fixture)
    }
}

impl RegistryFixture {
    /// The same records with every date moved by the days between `as_of` and `today`, so that
    /// data written as of one day tells the same stories on any day (the demo: "entered ten days
    /// ago" stays true). Without `as_of` nothing moves. Birth years are not dates of the story
    /// and stay as written.
    pub fn moved_to(mut self, today: Date) -> Self {
        let Some(as_of) = self.as_of else {
            return self;
        };
        let shift = today - as_of;
        let moved = |day: Date| day.checked_add(shift).unwrap_or(day);
        for right in &mut self.residence_rights {
            right.valid_from = moved(right.valid_from);
            right.valid_until = moved(right.valid_until);
        }
        for crossing in &mut self.border_crossings {
            crossing.date = moved(crossing.date);
        }
        self.as_of = Some(today);
        self
    }
}

/// What makes a record of a list unique.
enum Unique<T, K> {
    /// The whole record: listing it twice says the same thing twice.
    WholeRecord(fn(&T) -> K),
    /// One field: two records under one key contradict each other, or repeat themselves.
    Key(&'static str, fn(&T) -> K),
}

struct Checker<'a> {
    reference: &'a Reference,
    this_year: i32,
}

impl Checker<'_> {
    /// Checks each record of one list and refuses one listed twice: a repeated key would make
    /// the stored record depend on the order of the file, and a repeated record is a slip.
    fn table<T, K: Eq + Hash>(
        &self,
        name: &str,
        records: Option<Vec<Value>>,
        check: impl Fn(&Record<'_>) -> Result<T, FixtureError>,
        unique: Unique<T, K>,
    ) -> Result<Vec<T>, FixtureError> {
        let mut entries = Vec::new();
        let mut seen: HashMap<K, usize> = HashMap::new();
        for (index, value) in records.unwrap_or_default().iter().enumerate() {
            let record = Record::new(name, index, value)?;
            let entry = check(&record)?;
            let (key, field) = match &unique {
                Unique::WholeRecord(key) => (key(&entry), None),
                Unique::Key(field, key) => (key(&entry), Some(*field)),
            };
            if let Some(first) = seen.insert(key, index) {
                return Err(match field {
                    None => invalid(record.at, format!("the same record as {name}[{first}]")),
                    Some(field) => invalid(
                        record.path(field),
                        format!("already listed at {name}[{first}]"),
                    ),
                });
            }
            entries.push(entry);
        }
        Ok(entries)
    }

    fn residence_right(&self, r: &Record<'_>) -> Result<ResidenceRightEntry, FixtureError> {
        r.only(&["foreigner_id", "kind", "valid_from", "valid_until"])?;
        let foreigner_id = r.id("foreigner_id", ForeignerId::parse)?;
        let kind = ResidenceRightKind::parse(r.text("kind")?).ok_or_else(|| {
            invalid(
                r.path("kind"),
                "expected residence_permit, work_permit or work_permit_exemption",
            )
        })?;
        let valid_from = r.date("valid_from")?;
        let valid_until = r.date("valid_until")?;
        if valid_until <= valid_from {
            return Err(invalid(
                r.path("valid_until"),
                format!("must be after valid_from ({})", format_date(valid_from)),
            ));
        }
        Ok(ResidenceRightEntry {
            foreigner_id,
            kind,
            valid_from,
            valid_until,
        })
    }

    fn border_crossing(&self, r: &Record<'_>) -> Result<BorderCrossingEntry, FixtureError> {
        r.only(&[
            "passport_number",
            "passport_country",
            "birth_year",
            "direction",
            "date",
        ])?;
        Ok(BorderCrossingEntry {
            passport_number: r.id("passport_number", PassportNumber::parse)?,
            passport_country: self.country(r, "passport_country")?,
            birth_year: self.birth_year(r, "birth_year")?,
            direction: CrossingDirection::parse(r.text("direction")?)
                .ok_or_else(|| invalid(r.path("direction"), "expected entry or exit"))?,
            date: r.date("date")?,
        })
    }

    fn consulate_reference(&self, r: &Record<'_>) -> Result<ConsulateReferenceEntry, FixtureError> {
        r.only(&["reference_number", "passport_number", "birth_year"])?;
        Ok(ConsulateReferenceEntry {
            reference_number: r.id("reference_number", ReferenceNumber::parse)?,
            passport_number: r.id("passport_number", PassportNumber::parse)?,
            birth_year: self.birth_year(r, "birth_year")?,
        })
    }

    fn address(&self, r: &Record<'_>) -> Result<AddressEntry, FixtureError> {
        r.only(&["code", "address", "province", "district"])?;
        let code = r.id("code", AddressCode::parse)?;
        let address = r.free_text("address")?;
        let (province, district) = self.place(r)?;
        Ok(AddressEntry {
            code,
            address,
            province,
            district,
        })
    }

    fn workplace(&self, r: &Record<'_>) -> Result<WorkplaceEntry, FixtureError> {
        r.only(&["sgk_number", "name", "province", "district"])?;
        let sgk_number = r.id("sgk_number", SgkNumber::parse)?;
        let name = r.free_text("name")?;
        let (province, district) = self.place(r)?;
        // The SGK number carries the province it was registered in; a workplace said to be
        // elsewhere is a mistake in the file.
        let registered = u8::try_from(sgk_number.province_code())
            .ok()
            .and_then(|code| self.reference.province_by_code(code));
        if let Some(registered) = registered
            && registered.name != province
        {
            return Err(invalid(
                r.path("province"),
                format!(
                    "the SGK number is registered in {} (province code {:03}), not {province}",
                    registered.name, registered.code
                ),
            ));
        }
        Ok(WorkplaceEntry {
            sgk_number,
            name,
            province,
            district,
        })
    }

    fn person(&self, r: &Record<'_>) -> Result<PersonEntry, FixtureError> {
        r.only(&[
            "foreigner_id",
            "first_name",
            "last_name",
            "mother_name",
            "father_name",
            "nationality",
            "date_of_birth",
        ])?;
        let date_of_birth = r.date("date_of_birth")?;
        if !(FIRST_BIRTH_YEAR..=self.this_year).contains(&date_of_birth.year()) {
            return Err(invalid(
                r.path("date_of_birth"),
                format!(
                    "expected a year from {FIRST_BIRTH_YEAR} to {}",
                    self.this_year
                ),
            ));
        }
        Ok(PersonEntry {
            foreigner_id: r.id("foreigner_id", ForeignerId::parse)?,
            first_name: r.free_text("first_name")?,
            last_name: r.free_text("last_name")?,
            mother_name: r.free_text("mother_name")?,
            father_name: r.free_text("father_name")?,
            nationality: self.country(r, "nationality")?,
            date_of_birth,
        })
    }

    fn country(&self, r: &Record<'_>, field: &str) -> Result<CountryCode, FixtureError> {
        let raw = r.text(field)?;
        CountryCode::known(raw, self.reference).map_err(|e| match e {
            IdError::Invalid => invalid(
                r.path(field),
                format!("{raw} is not a known ISO 3166-1 alpha-3 country code"),
            ),
            other => invalid(
                r.path(field),
                format!("{other} (expected an ISO 3166-1 alpha-3 code like DEU)"),
            ),
        })
    }

    fn birth_year(&self, r: &Record<'_>, field: &str) -> Result<i32, FixtureError> {
        let value = r.field(field)?;
        let range = FIRST_BIRTH_YEAR..=self.this_year;
        value
            .as_i64()
            .and_then(|year| i32::try_from(year).ok())
            .filter(|year| range.contains(year))
            .ok_or_else(|| {
                invalid(
                    r.path(field),
                    format!("expected a year from {} to {}", range.start(), range.end()),
                )
            })
    }

    /// The record's province and district, spelled as in the reference data.
    fn place(&self, r: &Record<'_>) -> Result<(String, String), FixtureError> {
        let province_name = r.text("province")?;
        let province = self.reference.province(province_name).ok_or_else(|| {
            invalid(
                r.path("province"),
                format!("{province_name} is not a province of Türkiye"),
            )
        })?;
        let district_name = r.text("district")?;
        let key = search_key(district_name);
        let district = province
            .districts
            .iter()
            .find(|d| search_key(d) == key)
            .ok_or_else(|| {
                invalid(
                    r.path("district"),
                    format!("{district_name} is not a district of {}", province.name),
                )
            })?;
        Ok((province.name.clone(), district.clone()))
    }
}

/// One record of the file and where it is.
struct Record<'a> {
    /// Like `residence_rights[3]`.
    at: String,
    fields: &'a Map<String, Value>,
}

impl<'a> Record<'a> {
    fn new(table: &str, index: usize, value: &'a Value) -> Result<Self, FixtureError> {
        let at = format!("{table}[{index}]");
        match value.as_object() {
            Some(fields) => Ok(Self { at, fields }),
            None => Err(invalid(at, "expected an object")),
        }
    }

    fn path(&self, field: &str) -> String {
        format!("{}.{field}", self.at)
    }

    /// Refuses fields the format does not have: a misspelt optional field would otherwise be
    /// silently ignored.
    fn only(&self, known: &[&str]) -> Result<(), FixtureError> {
        match self.fields.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(invalid(
                self.path(unknown),
                format!("unknown field; expected {}", known.join(", ")),
            )),
            None => Ok(()),
        }
    }

    fn field(&self, name: &str) -> Result<&'a Value, FixtureError> {
        match self.fields.get(name) {
            Some(Value::Null) | None => Err(invalid(self.path(name), "missing")),
            Some(value) => Ok(value),
        }
    }

    fn text(&self, name: &str) -> Result<&'a str, FixtureError> {
        self.field(name)?
            .as_str()
            .ok_or_else(|| invalid(self.path(name), "expected a string"))
    }

    /// Trimmed text that must not be empty.
    fn free_text(&self, name: &str) -> Result<String, FixtureError> {
        let text = self.text(name)?.trim();
        if text.is_empty() {
            return Err(invalid(self.path(name), "empty"));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid(
                self.path(name),
                format!("longer than {MAX_TEXT_CHARS} characters"),
            ));
        }
        Ok(text.to_owned())
    }

    fn id<T>(&self, name: &str, parse: fn(&str) -> Result<T, IdError>) -> Result<T, FixtureError> {
        parse(self.text(name)?).map_err(|e| invalid(self.path(name), e.to_string()))
    }

    fn date(&self, name: &str) -> Result<Date, FixtureError> {
        let text = self.text(name)?;
        parse_iso_date(text).ok_or_else(|| {
            invalid(
                self.path(name),
                format!("{text:?} is not a date like 2026-11-22"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    fn reference() -> Reference {
        Reference::embedded().expect("embedded reference data")
    }

    fn parse(value: Value) -> Result<RegistryFixture, FixtureError> {
        RegistryFixture::parse_as_of(&value.to_string(), &reference(), TODAY)
    }

    fn good() -> Value {
        json!({
            "residence_rights": [{"foreigner_id": "99123456740", "kind": "work_permit",
                                  "valid_from": "2026-01-01", "valid_until": "2027-01-01"}],
            "border_crossings": [{"passport_number": "u 1234567", "passport_country": "deu",
                                  "birth_year": 1990, "direction": "entry", "date": "2026-10-01"}],
            "consulate_references": [{"reference_number": "2026ABCD12340101",
                                      "passport_number": "U1234567", "birth_year": 1990}],
            "addresses": [{"code": "1234567890", "address": " Halaskargazi Cad. No: 120 ",
                           "province": "istanbul", "district": "SISLI"}],
            "workplaces": [{"sgk_number": "52064080866666660146574000",
                            "name": "Örnek Orman Ürünleri A.Ş.", "province": "Bolu",
                            "district": "merkez"}]
        })
    }

    /// The message for `good()` with one field of one record replaced.
    fn refused(table: &str, index: usize, field: &str, value: Value) -> String {
        let mut fixture = good();
        let records = fixture[table].as_array_mut().expect("a list");
        // Copies of the first record, made distinct so that they are not refused as repeats.
        while records.len() <= index {
            let mut copy = records[0].clone();
            let day = format!("2026-10-{:02}", records.len() + 1);
            match table {
                "residence_rights" => copy["valid_from"] = json!(day),
                "border_crossings" => copy["date"] = json!(day),
                _ => panic!("{table} has one record in good()"),
            }
            records.push(copy);
        }
        records[index][field] = value;
        match parse(fixture) {
            Err(e) => e.to_string(),
            Ok(parsed) => panic!("{table}[{index}].{field} accepted: {parsed:?}"),
        }
    }

    #[test]
    fn records_written_as_of_a_day_move_to_another_day_together() {
        let mut file = good();
        file["as_of"] = json!("2026-10-11");
        let fixture = parse(file).unwrap();
        assert_eq!(fixture.as_of, Some(date!(2026 - 10 - 11)));
        // Ten days after its entry then, ten days after its entry now.
        let moved = fixture.clone().moved_to(date!(2027 - 03 - 02));
        assert_eq!(moved.as_of, Some(date!(2027 - 03 - 02)));
        assert_eq!(moved.border_crossings[0].date, date!(2027 - 02 - 20));
        assert_eq!(
            moved.border_crossings[0].birth_year, 1990,
            "not a date of the story"
        );
        assert_eq!(moved.residence_rights[0].valid_from, date!(2026 - 05 - 23));
        assert_eq!(moved.residence_rights[0].valid_until, date!(2027 - 05 - 23));
        assert_eq!(moved.addresses, fixture.addresses);
        // Without as_of, the dates are the dates.
        let plain = parse(good()).unwrap();
        assert_eq!(plain.clone().moved_to(date!(2030 - 01 - 01)), plain);
        let mut bad = good();
        bad["as_of"] = json!("11/10/2026");
        assert_eq!(
            parse(bad).unwrap_err().to_string(),
            "as_of: \"11/10/2026\" is not a date like 2026-11-22"
        );
    }

    #[test]
    fn a_good_file_is_read_and_normalised() {
        let fixture = parse(good()).unwrap();
        assert_eq!(
            fixture.residence_rights,
            [ResidenceRightEntry {
                foreigner_id: ForeignerId::parse("99123456740").unwrap(),
                kind: ResidenceRightKind::WorkPermit,
                valid_from: date!(2026 - 01 - 01),
                valid_until: date!(2027 - 01 - 01),
            }]
        );
        let crossing = &fixture.border_crossings[0];
        assert_eq!(crossing.passport_number.as_str(), "U1234567");
        assert_eq!(crossing.passport_country.as_str(), "DEU");
        assert_eq!(crossing.direction, CrossingDirection::Entry);
        assert_eq!(
            fixture.addresses[0],
            AddressEntry {
                code: AddressCode::parse("1234567890").unwrap(),
                address: "Halaskargazi Cad. No: 120".into(),
                province: "İstanbul".into(),
                district: "Şişli".into(),
            }
        );
        assert_eq!(fixture.workplaces[0].district, "Merkez");
        assert_eq!(
            fixture.consulate_references[0].reference_number.as_str(),
            "2026ABCD12340101"
        );
    }

    #[test]
    fn every_list_is_optional() {
        assert_eq!(parse(json!({})).unwrap(), RegistryFixture::default());
        assert_eq!(
            parse(json!({"addresses": null, "workplaces": []})).unwrap(),
            RegistryFixture::default()
        );
    }

    #[test]
    fn a_file_that_is_not_a_fixture_is_refused() {
        let reference = reference();
        for text in ["", "[]", "{\"residence_rights\": 5}", "{\"addresses\": [}"] {
            assert!(
                matches!(
                    RegistryFixture::parse_as_of(text, &reference, TODAY),
                    Err(FixtureError::Malformed(_))
                ),
                "{text}"
            );
        }
        let unknown = parse(json!({"residents": []})).unwrap_err().to_string();
        assert!(unknown.contains("unknown field `residents`"), "{unknown}");
    }

    #[test]
    fn bad_residence_rights_are_named() {
        assert_eq!(
            refused("residence_rights", 3, "foreigner_id", json!("99123456741")),
            "residence_rights[3].foreigner_id: the check digits do not match"
        );
        assert_eq!(
            refused("residence_rights", 0, "foreigner_id", json!("10000000146")),
            "residence_rights[0].foreigner_id: a foreigner identity number starts with 99"
        );
        assert_eq!(
            refused("residence_rights", 0, "kind", json!("visa")),
            "residence_rights[0].kind: expected residence_permit, work_permit or work_permit_exemption"
        );
        assert_eq!(
            refused("residence_rights", 0, "valid_from", json!("2026-02-30")),
            "residence_rights[0].valid_from: \"2026-02-30\" is not a date like 2026-11-22"
        );
        assert_eq!(
            refused("residence_rights", 1, "valid_until", json!("2026-10-02")),
            "residence_rights[1].valid_until: must be after valid_from (2026-10-02)"
        );
        assert_eq!(
            refused("residence_rights", 0, "valid_until", Value::Null),
            "residence_rights[0].valid_until: missing"
        );
        assert_eq!(
            refused("residence_rights", 0, "foreigner_id", json!(99123456740u64)),
            "residence_rights[0].foreigner_id: expected a string"
        );
        assert_eq!(
            refused("residence_rights", 0, "valid_to", json!("2027-01-01")),
            "residence_rights[0].valid_to: unknown field; expected foreigner_id, kind, valid_from, valid_until"
        );
    }

    #[test]
    fn bad_border_crossings_are_named() {
        assert_eq!(
            refused("border_crossings", 0, "direction", json!("in")),
            "border_crossings[0].direction: expected entry or exit"
        );
        assert_eq!(
            refused("border_crossings", 0, "passport_country", json!("XYZ")),
            "border_crossings[0].passport_country: XYZ is not a known ISO 3166-1 alpha-3 country code"
        );
        assert_eq!(
            refused("border_crossings", 0, "passport_country", json!("DE")),
            "border_crossings[0].passport_country: the value has the wrong length or characters \
             (expected an ISO 3166-1 alpha-3 code like DEU)"
        );
        assert_eq!(
            refused("border_crossings", 0, "passport_number", json!("U12")),
            "border_crossings[0].passport_number: the value has the wrong length or characters"
        );
        assert_eq!(
            refused("border_crossings", 0, "birth_year", json!(1899)),
            "border_crossings[0].birth_year: expected a year from 1900 to 2026"
        );
        assert_eq!(
            refused("border_crossings", 0, "birth_year", json!(2027)),
            "border_crossings[0].birth_year: expected a year from 1900 to 2026"
        );
        assert_eq!(
            refused("border_crossings", 0, "birth_year", json!("1990")),
            "border_crossings[0].birth_year: expected a year from 1900 to 2026"
        );
        assert_eq!(
            refused("border_crossings", 0, "date", json!("yesterday")),
            "border_crossings[0].date: \"yesterday\" is not a date like 2026-11-22"
        );
    }

    #[test]
    fn bad_consulate_references_are_named() {
        assert_eq!(
            refused(
                "consulate_references",
                0,
                "reference_number",
                json!("2026ABCD1234010")
            ),
            "consulate_references[0].reference_number: the value has the wrong length or characters"
        );
        assert_eq!(
            refused("consulate_references", 0, "passport_number", json!("")),
            "consulate_references[0].passport_number: the value is empty"
        );
        assert_eq!(
            refused("consulate_references", 0, "birth_year", json!(1990.5)),
            "consulate_references[0].birth_year: expected a year from 1900 to 2026"
        );
    }

    #[test]
    fn bad_addresses_are_named() {
        assert_eq!(
            refused("addresses", 0, "code", json!("123456789")),
            "addresses[0].code: the value has the wrong length or characters"
        );
        assert_eq!(
            refused("addresses", 0, "address", json!("   ")),
            "addresses[0].address: empty"
        );
        assert_eq!(
            refused("addresses", 0, "address", json!("x".repeat(501))),
            "addresses[0].address: longer than 500 characters"
        );
        assert_eq!(
            refused("addresses", 0, "province", json!("Istanbull")),
            "addresses[0].province: Istanbull is not a province of Türkiye"
        );
        assert_eq!(
            refused("addresses", 0, "district", json!("Çankaya")),
            "addresses[0].district: Çankaya is not a district of İstanbul"
        );
    }

    #[test]
    fn bad_workplaces_are_named() {
        assert_eq!(
            refused(
                "workplaces",
                0,
                "sgk_number",
                json!("92064080866666660146574000")
            ),
            "workplaces[0].sgk_number: the value is not valid"
        );
        assert_eq!(
            refused("workplaces", 0, "name", json!("")),
            "workplaces[0].name: empty"
        );
        let mut fixture = good();
        fixture["workplaces"][0]["province"] = json!("Ankara");
        fixture["workplaces"][0]["district"] = json!("Çankaya");
        assert_eq!(
            parse(fixture).unwrap_err().to_string(),
            "workplaces[0].province: the SGK number is registered in Bolu (province code 014), \
             not Ankara"
        );
    }

    #[test]
    fn a_record_that_is_not_an_object_is_named() {
        let mut fixture = good();
        fixture["addresses"] = json!([fixture["addresses"][0].clone(), "1234567890"]);
        assert_eq!(
            parse(fixture).unwrap_err().to_string(),
            "addresses[1]: expected an object"
        );
    }

    #[test]
    fn a_record_listed_twice_is_refused() {
        let mut fixture = good();
        let first = fixture["residence_rights"][0].clone();
        fixture["residence_rights"] = json!([first.clone(), first]);
        assert_eq!(
            parse(fixture).unwrap_err().to_string(),
            "residence_rights[1]: the same record as residence_rights[0]"
        );
        // Two different addresses under one code: which should win?
        let mut fixture = good();
        let mut other = fixture["addresses"][0].clone();
        other["address"] = json!("Rumeli Cad. No: 1");
        fixture["addresses"].as_array_mut().unwrap().push(other);
        assert_eq!(
            parse(fixture).unwrap_err().to_string(),
            "addresses[1].code: already listed at addresses[0]"
        );
    }

    #[test]
    fn the_demo_file_is_valid() {
        let demo = include_str!("../../../../demo/registry.json");
        let fixture = RegistryFixture::parse_as_of(demo, &reference(), TODAY).unwrap();
        assert!(!fixture.residence_rights.is_empty());
        assert!(!fixture.border_crossings.is_empty());
        assert!(!fixture.consulate_references.is_empty());
        assert!(!fixture.addresses.is_empty());
        assert!(!fixture.workplaces.is_empty());
        assert!(!fixture.people.is_empty());
    }

    #[test]
    fn people_are_checked_field_by_field() {
        let person = json!({"foreigner_id": "99123456740", "first_name": "Ayşe",
                            "last_name": "Kaya", "mother_name": "Fatma", "father_name": "Ali",
                            "nationality": "aze", "date_of_birth": "1990-06-23"});
        let fixture = parse(json!({"people": [person.clone()]})).unwrap();
        assert_eq!(fixture.people[0].nationality.as_str(), "AZE");
        assert_eq!(fixture.people[0].last_name, "Kaya");
        for (field, value, says) in [
            (
                "foreigner_id",
                json!("99123456741"),
                "people[0].foreigner_id",
            ),
            (
                "nationality",
                json!("XXX"),
                "not a known ISO 3166-1 alpha-3",
            ),
            (
                "date_of_birth",
                json!("2099-01-01"),
                "expected a year from 1900",
            ),
            (
                "date_of_birth",
                json!("23.06.1990"),
                "people[0].date_of_birth",
            ),
            ("last_name", json!(""), "people[0].last_name"),
        ] {
            let mut wrong = person.clone();
            wrong[field] = value;
            let error = parse(json!({"people": [wrong]})).unwrap_err().to_string();
            assert!(error.contains(says), "{field}: {error}");
        }
        let mut unknown = person.clone();
        unknown["passport"] = json!("U1234567");
        assert!(parse(json!({"people": [unknown]})).is_err());
        assert_eq!(
            parse(json!({"people": [person.clone(), person]}))
                .unwrap_err()
                .to_string(),
            "people[1].foreigner_id: already listed at people[0]"
        );
    }
}
