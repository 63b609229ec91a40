//! The work-permit-exemption catalogue: sectors and categories of Article 48(1) with their
//! limits and document slots, the occupation list, currencies and fees. It lives in
//! `catalog/work-permit-exemption/*.json` (ministries change it every year), is compiled in and
//! checked when loaded: a broken entry stops start-up with a message naming it.

use crate::documents::ContentType;
use crate::identifiers::OccupationCode;
pub use crate::money::Money;
use crate::money::Share;
use crate::reference::{CatalogError, Labels};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

const CATALOG: &str =
    include_str!("../../../catalog/work-permit-exemption/work-permit-exemption.json");
const OCCUPATIONS: &str = include_str!("../../../catalog/work-permit-exemption/occupations.json");
const CURRENCIES: &str = include_str!("../../../catalog/work-permit-exemption/currencies.json");
const FEES: &str = include_str!("../../../catalog/work-permit-exemption/fees.json");

/// One upload slot a category asks for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSlot {
    pub slot: String,
    pub label: Labels,
    pub help: Labels,
    pub required: bool,
    pub max_files: u8,
    pub types: Vec<String>,
}

impl DocumentSlot {
    pub fn accepts(&self) -> Vec<ContentType> {
        self.types
            .iter()
            .filter_map(|t| ContentType::parse(t))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub code: String,
    /// The Article 48(1) sub-paragraph letter; `None` where it is not confirmed.
    pub letter: Option<String>,
    pub confirmed: bool,
    pub name: Labels,
    pub help: Labels,
    pub legal_reference: Labels,
    /// The longest exemption the category allows.
    pub max_months: u16,
    pub max_period_note: Option<Labels>,
    /// How long after an exemption of this category a new one may be applied for.
    pub reapply_wait_months: u16,
    pub default_occupation: Option<String>,
    /// The only occupations the category admits (`None`: any occupation of the list).
    #[serde(default)]
    pub occupations: Option<OccupationRule>,
    pub documents: Vec<DocumentSlot>,
    /// What `/verify` names as granted instead of the category's name, where the name itself
    /// would say something sensitive about the holder (anyone holding the document can ask).
    #[serde(default)]
    pub shown_at_verify: Option<Labels>,
    /// Approvals in this category need a second officer (four eyes), and why.
    #[serde(default)]
    pub second_approval: Option<SecondApproval>,
}

/// A category's four-eyes rule and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondApproval {
    pub source: Labels,
}

/// A category that admits only some occupations, and where that rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OccupationRule {
    pub only: Vec<String>,
    /// Whether the rule is confirmed by an authoritative source (otherwise it is our reading).
    pub confirmed: bool,
    pub source: Labels,
}

impl Category {
    pub fn slot(&self, slot: &str) -> Option<&DocumentSlot> {
        self.documents.iter().find(|d| d.slot == slot)
    }

    /// Whether the category admits `occupation` (a code of the occupation list).
    pub fn admits_occupation(&self, occupation: &str) -> bool {
        self.occupations
            .as_ref()
            .is_none_or(|rule| rule.only.iter().any(|o| o == occupation))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub code: String,
    pub name: Labels,
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    kind: String,
    version: String,
    legal_basis: Labels,
    domestic_application: DomesticApplication,
    sectors: Vec<Sector>,
}

/// Rules for applying from inside Türkiye without a residence right.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomesticApplication {
    /// The application must be made within this many days of entering Türkiye: the day of
    /// entry is day 0 and this day the last (`None`: no such deadline).
    pub apply_within_days_of_entry: Option<u16>,
    pub source: Labels,
}

impl DomesticApplication {
    /// The last day to apply after entering on `entered_on` (`None`: no deadline).
    pub fn last_day_to_apply(&self, entered_on: time::Date) -> Option<time::Date> {
        self.apply_within_days_of_entry
            .map(|days| entered_on.saturating_add(time::Duration::days(i64::from(days))))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Occupation {
    pub code: String,
    #[serde(flatten)]
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Currency {
    pub code: String,
    pub symbol: String,
    #[serde(flatten)]
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct FeeYearFile {
    year: i32,
    exemption_fee_per_year: String,
    valuable_paper_fee: String,
    published: PublishedFile,
    note: Option<Labels>,
}

/// Whether a year's fees are published: `true`/`false` for both, or per fee
/// (`{"exemption_fee": false, "valuable_paper_fee": true}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
enum PublishedFile {
    Both(bool),
    PerFee {
        exemption_fee: bool,
        valuable_paper_fee: bool,
    },
}

/// The fees of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeYear {
    pub year: i32,
    pub exemption_fee_per_year: Money,
    pub valuable_paper_fee: Money,
    /// Whether the exemption fee is the published one (otherwise our estimate).
    pub exemption_fee_published: bool,
    /// Whether the valuable paper fee is the published one (otherwise our estimate).
    pub valuable_paper_fee_published: bool,
    pub note: Option<Labels>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Accounts {
    exemption_fee: String,
    valuable_paper_fee: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct FeesFile {
    currency: String,
    years: Vec<FeeYearFile>,
    fee_free_below_months: u16,
    accounts: Accounts,
    payment_deadline_days: u16,
    lost_card: LostCardFile,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct LostCardFile {
    fee_share: String,
    valuable_paper_share: String,
}

/// What a replacement for a lost, stolen or damaged card costs, as shares of one year's
/// exemption fee and of the valuable paper fee (Fees Law No. 492, Article 90: half the fee and
/// the whole valuable paper fee).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LostCardShares {
    pub exemption_fee: Share,
    pub valuable_paper_fee: Share,
}

/// The fee table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fees {
    pub currency: String,
    pub years: Vec<FeeYear>,
    /// Exemptions shorter than this pay no exemption fee.
    pub fee_free_below_months: u16,
    pub exemption_fee_account: String,
    pub valuable_paper_account: String,
    pub payment_deadline_days: u16,
    pub lost_card: LostCardShares,
}

impl Fees {
    /// The fees due in `year`: that year's, or the latest known before it.
    pub fn for_year(&self, year: i32) -> Option<&FeeYear> {
        self.years
            .iter()
            .filter(|f| f.year <= year)
            .max_by_key(|f| f.year)
            .or_else(|| self.years.first())
    }
}

/// The whole catalogue, indexed.
#[derive(Debug, Clone)]
pub struct ExemptionCatalog {
    pub version: String,
    pub legal_basis: Labels,
    pub domestic_application: DomesticApplication,
    pub sectors: Vec<Sector>,
    pub occupations: Vec<Occupation>,
    pub currencies: Vec<Currency>,
    pub fees: Fees,
    category_index: HashMap<String, (usize, usize)>,
    occupation_index: HashMap<String, usize>,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, CatalogError> {
    serde_json::from_str(text)
        .map_err(|e| CatalogError::new(file, format!("line {}", e.line()), e.to_string()))
}

fn kebab(code: &str) -> bool {
    !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
        && !code.ends_with('-')
}

fn labels(labels: &Labels, file: &str, entry: &str) -> Result<(), CatalogError> {
    if labels.tr.trim().is_empty() || labels.en.trim().is_empty() {
        return Err(CatalogError::new(
            file,
            entry,
            "needs Turkish and English text",
        ));
    }
    Ok(())
}

impl ExemptionCatalog {
    /// The catalogue compiled into this program.
    pub fn embedded() -> Result<Self, CatalogError> {
        Self::from_json(CATALOG, OCCUPATIONS, CURRENCIES, FEES)
    }

    /// The catalogue in `dir` (the four files of `catalog/work-permit-exemption`), for an
    /// installation that updates it without a new program.
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, CatalogError> {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| {
                CatalogError::new(name, dir.display().to_string(), format!("cannot read: {e}"))
            })
        };
        Self::from_json(
            &read("work-permit-exemption.json")?,
            &read("occupations.json")?,
            &read("currencies.json")?,
            &read("fees.json")?,
        )
    }

    pub fn from_json(
        catalog: &str,
        occupations: &str,
        currencies: &str,
        fees: &str,
    ) -> Result<Self, CatalogError> {
        const FILE: &str = "work-permit-exemption.json";
        let file: CatalogFile = parse(FILE, catalog)?;
        if file.kind != "work-permit-exemption" {
            return Err(CatalogError::new(
                FILE,
                "kind",
                "must be work-permit-exemption",
            ));
        }
        labels(&file.legal_basis, FILE, "legal_basis")?;
        let occupations: Vec<Occupation> = parse("occupations.json", occupations)?;
        let mut occupation_index = HashMap::new();
        for (i, o) in occupations.iter().enumerate() {
            if OccupationCode::parse(&o.code).is_err() {
                return Err(CatalogError::new(
                    "occupations.json",
                    &o.code,
                    "codes are written NNNN.NN",
                ));
            }
            labels(&o.names, "occupations.json", &o.code)?;
            if occupation_index.insert(o.code.clone(), i).is_some() {
                return Err(CatalogError::new(
                    "occupations.json",
                    &o.code,
                    "listed twice",
                ));
            }
        }
        let mut category_index = HashMap::new();
        let mut sector_codes = HashSet::new();
        for (si, sector) in file.sectors.iter().enumerate() {
            if !kebab(&sector.code) || !sector_codes.insert(sector.code.clone()) {
                return Err(CatalogError::new(
                    FILE,
                    &sector.code,
                    "sector codes are unique kebab-case",
                ));
            }
            labels(&sector.name, FILE, &sector.code)?;
            if sector.categories.is_empty() {
                return Err(CatalogError::new(
                    FILE,
                    &sector.code,
                    "a sector needs categories",
                ));
            }
            for (ci, category) in sector.categories.iter().enumerate() {
                let entry = format!("{}/{}", sector.code, category.code);
                if !kebab(&category.code)
                    || category_index
                        .insert(category.code.clone(), (si, ci))
                        .is_some()
                {
                    return Err(CatalogError::new(
                        FILE,
                        &entry,
                        "category codes are unique kebab-case",
                    ));
                }
                labels(&category.name, FILE, &entry)?;
                labels(&category.help, FILE, &entry)?;
                labels(&category.legal_reference, FILE, &entry)?;
                if category.max_months == 0 || category.max_months > 60 {
                    return Err(CatalogError::new(FILE, &entry, "max_months must be 1–60"));
                }
                if let Some(occupation) = &category.default_occupation
                    && !occupation_index.contains_key(occupation)
                {
                    return Err(CatalogError::new(
                        FILE,
                        &entry,
                        format!("default_occupation {occupation} is not in occupations.json"),
                    ));
                }
                if let Some(rule) = &category.occupations {
                    labels(&rule.source, FILE, &format!("{entry}/occupations/source"))?;
                    if rule.only.is_empty() {
                        return Err(CatalogError::new(
                            FILE,
                            &entry,
                            "occupations.only needs at least one occupation",
                        ));
                    }
                    if let Some(unknown) = rule
                        .only
                        .iter()
                        .find(|o| !occupation_index.contains_key(*o))
                    {
                        return Err(CatalogError::new(
                            FILE,
                            &entry,
                            format!("occupations.only: {unknown} is not in occupations.json"),
                        ));
                    }
                    if let Some(default) = &category.default_occupation
                        && !category.admits_occupation(default)
                    {
                        return Err(CatalogError::new(
                            FILE,
                            &entry,
                            format!("default_occupation {default} is not in occupations.only"),
                        ));
                    }
                }
                if !category.documents.iter().any(|d| d.required) {
                    return Err(CatalogError::new(
                        FILE,
                        &entry,
                        "needs at least one required document slot",
                    ));
                }
                let mut slots = HashSet::new();
                for slot in &category.documents {
                    let slot_entry = format!("{entry}/{}", slot.slot);
                    if !kebab(&slot.slot) || !slots.insert(slot.slot.clone()) {
                        return Err(CatalogError::new(
                            FILE,
                            &slot_entry,
                            "slot codes are unique kebab-case",
                        ));
                    }
                    labels(&slot.label, FILE, &slot_entry)?;
                    labels(&slot.help, FILE, &slot_entry)?;
                    if !(1..=10).contains(&slot.max_files) {
                        return Err(CatalogError::new(
                            FILE,
                            &slot_entry,
                            "max_files must be 1–10",
                        ));
                    }
                    if slot.types.is_empty() || slot.accepts().len() != slot.types.len() {
                        return Err(CatalogError::new(
                            FILE,
                            &slot_entry,
                            "types must be some of pdf, jpeg, png",
                        ));
                    }
                }
            }
        }
        let currencies: Vec<Currency> = parse("currencies.json", currencies)?;
        let mut currency_codes = HashSet::new();
        for c in &currencies {
            if c.code.len() != 3
                || !c.code.bytes().all(|b| b.is_ascii_uppercase())
                || !currency_codes.insert(c.code.clone())
            {
                return Err(CatalogError::new(
                    "currencies.json",
                    &c.code,
                    "codes are unique ISO 4217",
                ));
            }
            labels(&c.names, "currencies.json", &c.code)?;
        }
        let fees_file: FeesFile = parse("fees.json", fees)?;
        let share = |field: &str, text: &str| {
            Share::parse(text).ok_or_else(|| {
                CatalogError::new(
                    "fees.json",
                    "lost_card",
                    format!("{field} must be a share from 0 to 1, like 0.5"),
                )
            })
        };
        let lost_card = LostCardShares {
            exemption_fee: share("fee_share", &fees_file.lost_card.fee_share)?,
            valuable_paper_fee: share(
                "valuable_paper_share",
                &fees_file.lost_card.valuable_paper_share,
            )?,
        };
        let mut years = Vec::new();
        for year in fees_file.years {
            let entry = year.year.to_string();
            let exemption = Money::parse(&year.exemption_fee_per_year).ok_or_else(|| {
                CatalogError::new(
                    "fees.json",
                    &entry,
                    "exemption_fee_per_year is not an amount like 10571.60",
                )
            })?;
            let paper = Money::parse(&year.valuable_paper_fee).ok_or_else(|| {
                CatalogError::new(
                    "fees.json",
                    &entry,
                    "valuable_paper_fee is not an amount like 810.00",
                )
            })?;
            years.push(FeeYear {
                year: year.year,
                exemption_fee_per_year: exemption,
                valuable_paper_fee: paper,
                exemption_fee_published: match year.published {
                    PublishedFile::Both(both) => both,
                    PublishedFile::PerFee { exemption_fee, .. } => exemption_fee,
                },
                valuable_paper_fee_published: match year.published {
                    PublishedFile::Both(both) => both,
                    PublishedFile::PerFee {
                        valuable_paper_fee, ..
                    } => valuable_paper_fee,
                },
                note: year.note,
            });
        }
        if years.is_empty() {
            return Err(CatalogError::new(
                "fees.json",
                "years",
                "at least one year of fees is needed",
            ));
        }
        years.sort_by_key(|y| y.year);
        let fees = Fees {
            currency: fees_file.currency,
            years,
            fee_free_below_months: fees_file.fee_free_below_months,
            exemption_fee_account: fees_file.accounts.exemption_fee,
            valuable_paper_account: fees_file.accounts.valuable_paper_fee,
            payment_deadline_days: fees_file.payment_deadline_days,
            lost_card,
        };
        labels(
            &file.domestic_application.source,
            FILE,
            "domestic_application/source",
        )?;
        if file
            .domestic_application
            .apply_within_days_of_entry
            .is_some_and(|days| days == 0 || days > 365)
        {
            return Err(CatalogError::new(
                FILE,
                "domestic_application",
                "apply_within_days_of_entry must be 1–365, or null for no deadline",
            ));
        }
        Ok(Self {
            version: file.version,
            legal_basis: file.legal_basis,
            domestic_application: file.domestic_application,
            sectors: file.sectors,
            occupations,
            currencies,
            fees,
            category_index,
            occupation_index,
        })
    }

    pub fn category(&self, code: &str) -> Option<(&Sector, &Category)> {
        let &(si, ci) = self.category_index.get(code)?;
        let sector = &self.sectors[si];
        Some((sector, &sector.categories[ci]))
    }

    pub fn sector(&self, code: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.code == code)
    }

    pub fn occupation(&self, code: &str) -> Option<&Occupation> {
        self.occupation_index
            .get(code)
            .map(|&i| &self.occupations[i])
    }

    pub fn currency(&self, code: &str) -> Option<&Currency> {
        self.currencies.iter().find(|c| c.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    #[test]
    fn the_embedded_catalogue_loads() {
        let catalog = ExemptionCatalog::embedded().unwrap();
        let (sector, internship) = catalog.category("compulsory-internship").unwrap();
        assert_eq!(sector.code, "education");
        assert_eq!(internship.letter.as_deref(), Some("n"));
        assert_eq!(
            internship.name.en,
            "Internship / Student Subject to Compulsory Internship (n)"
        );
        assert_eq!(internship.documents.len(), 3);
        assert_eq!(
            catalog.occupation("9901.02").unwrap().names.tr,
            "Stajyer (Öğrenci)"
        );
        assert_eq!(catalog.currencies[0].code, "TRY");
        assert_eq!(
            catalog.fees.for_year(2025).unwrap().exemption_fee_per_year,
            Money(1_057_160)
        );
        assert_eq!(
            catalog.fees.for_year(2030).unwrap().year,
            2026,
            "the latest known year applies"
        );
        assert_eq!(
            catalog.category("sports-activities").unwrap().1.max_months,
            4
        );
    }

    #[test]
    fn the_lost_card_shares_are_read_and_checked() {
        let catalog = ExemptionCatalog::embedded().unwrap();
        assert_eq!(
            catalog.fees.lost_card.exemption_fee.of(Money(1_000_000)),
            Money(500_000)
        );
        assert_eq!(
            catalog.fees.lost_card.valuable_paper_fee.of(Money(96_400)),
            Money(96_400)
        );
        let broken = FEES.replacen("\"fee_share\": \"0.5\"", "\"fee_share\": \"1.5\"", 1);
        assert_ne!(broken, FEES);
        let error =
            ExemptionCatalog::from_json(CATALOG, OCCUPATIONS, CURRENCIES, &broken).unwrap_err();
        assert_eq!(
            error.to_string(),
            "fees.json: lost_card: fee_share must be a share from 0 to 1, like 0.5"
        );
    }

    #[test]
    fn broken_entries_are_named() {
        let broken = CATALOG.replacen("\"max_months\": 12", "\"max_months\": 0", 1);
        let error =
            ExemptionCatalog::from_json(&broken, OCCUPATIONS, CURRENCIES, FEES).unwrap_err();
        assert_eq!(
            error.to_string(),
            "work-permit-exemption.json: education/compulsory-internship: max_months must be 1–60"
        );
        let broken = CATALOG.replacen(
            "\"default_occupation\": \"9901.02\"",
            "\"default_occupation\": \"9999.99\"",
            1,
        );
        let error =
            ExemptionCatalog::from_json(&broken, OCCUPATIONS, CURRENCIES, FEES).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("9999.99 is not in occupations.json"),
            "{error}"
        );
        let broken = FEES.replacen("\"7345.00\"", "\"7.345,00\"", 1);
        let error =
            ExemptionCatalog::from_json(CATALOG, OCCUPATIONS, CURRENCIES, &broken).unwrap_err();
        assert_eq!(error.file, "fees.json");
        assert_eq!(error.entry, "2024");
        let broken = CATALOG.replacen("\"types\": [", "\"types\": [\"docx\", ", 1);
        assert!(
            ExemptionCatalog::from_json(&broken, OCCUPATIONS, CURRENCIES, FEES)
                .unwrap_err()
                .to_string()
                .contains("types must be")
        );
    }

    #[test]
    fn a_category_admits_only_the_occupations_it_names() {
        let catalog = ExemptionCatalog::embedded().unwrap();
        let (_, internship) = catalog.category("compulsory-internship").unwrap();
        assert!(internship.admits_occupation("9901.02"));
        assert!(!internship.admits_occupation("1219.01"));
        assert!(!internship.admits_occupation("9901.01"));
        let (_, research) = catalog.category("research-and-experience").unwrap();
        assert!(
            research.admits_occupation("1219.01"),
            "no rule: any occupation"
        );

        let broken = CATALOG.replacen(
            "\"only\": [\n              \"9901.02\"",
            "\"only\": [\n              \"9999.98\"",
            1,
        );
        let error =
            ExemptionCatalog::from_json(&broken, OCCUPATIONS, CURRENCIES, FEES).unwrap_err();
        assert_eq!(
            error.to_string(),
            "work-permit-exemption.json: education/compulsory-internship: occupations.only: 9999.98 is not in occupations.json"
        );
        let broken = CATALOG.replacen(
            "\"only\": [\n              \"9901.02\"",
            "\"only\": [\n              \"9901.01\"",
            1,
        );
        let error =
            ExemptionCatalog::from_json(&broken, OCCUPATIONS, CURRENCIES, FEES).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("default_occupation 9901.02 is not in occupations.only"),
            "{error}"
        );
    }

    #[test]
    fn money_is_exact_and_localised() {
        assert_eq!(Money::parse("10571.60"), Some(Money(1_057_160)));
        assert_eq!(Money::parse("964"), Some(Money(96_400)));
        assert_eq!(Money::parse("1.5"), Some(Money(150)));
        assert_eq!(Money::parse("1.555"), None);
        assert_eq!(Money::parse("-1"), None);
        assert_eq!(Money(1_257_492).display(Language::Tr), "12.574,92");
        assert_eq!(Money(1_257_492).display(Language::En), "12,574.92");
        assert_eq!(Money(96_400).display(Language::En), "964.00");
    }
}
