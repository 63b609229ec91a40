//! Reference data: countries (ISO 3166-1 alpha-3), languages (ISO 639-3), Türkiye's provinces
//! and districts, and the closed lists of the profile, each with Turkish and English names.
//!
//! The data lives in `catalog/reference/*.json`, is compiled in, and is checked when it is
//! loaded: a broken file stops start-up with a message naming the entry.

use crate::Language;
use crate::text::collation_key;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A catalogue or reference file that does not hold what it must.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {entry}: {problem}")]
pub struct CatalogError {
    pub file: String,
    pub entry: String,
    pub problem: String,
}

impl CatalogError {
    pub fn new(file: &str, entry: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            entry: entry.into(),
            problem: problem.into(),
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    pub tr: String,
    pub en: String,
}

impl Labels {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Tr => &self.tr,
            Language::En => &self.en,
        }
    }

    fn check(&self, file: &str, entry: &str) -> Result<(), CatalogError> {
        if self.tr.trim().is_empty() || self.en.trim().is_empty() {
            return Err(CatalogError::new(
                file,
                entry,
                "a Turkish and an English name are required",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Country {
    pub code: String,
    pub alpha2: String,
    #[serde(flatten)]
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LanguageEntry {
    pub code: String,
    #[serde(flatten)]
    pub names: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Province {
    pub code: u8,
    pub name: String,
    pub districts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListItem {
    pub code: String,
    #[serde(flatten)]
    pub names: Labels,
}

/// Declares a closed list: its codes are an API contract; its labels come from the data file,
/// which must list exactly these codes.
macro_rules! closed_list {
    ($(#[$doc:meta])* $name:ident, $key:literal, { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The list's name in `closed-lists.json` and in `/api/v1/reference/{list}`.
            pub const LIST: &'static str = $key;

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

closed_list!(
    /// Gender as the passport states it.
    Gender, "gender", { Female => "female", Male => "male" }
);
closed_list!(MaritalStatus, "marital_status", {
    Single => "single", Married => "married", Divorced => "divorced", Widowed => "widowed"
});
closed_list!(PassportType, "passport_type", {
    Ordinary => "ordinary", Diplomatic => "diplomatic", Service => "service", Special => "special",
    Alien => "alien", TravelDocument => "travel_document"
});
closed_list!(TurkishLevel, "turkish_level", {
    Beginner => "beginner", Intermediate => "intermediate", Advanced => "advanced", Native => "native"
});
closed_list!(
    /// From lowest to highest; the order decides which school names a level calls for.
    EducationLevel, "education_level", {
    Primary => "primary", Secondary => "secondary", HighSchool => "high_school", Associate => "associate",
    Bachelor => "bachelor", Master => "master", Doctorate => "doctorate"
});

impl EducationLevel {
    pub fn needs_high_school(self) -> bool {
        !matches!(self, EducationLevel::Primary | EducationLevel::Secondary)
    }

    pub fn needs_university(self) -> bool {
        matches!(
            self,
            EducationLevel::Associate
                | EducationLevel::Bachelor
                | EducationLevel::Master
                | EducationLevel::Doctorate
        )
    }

    pub fn needs_postgraduate(self) -> bool {
        matches!(self, EducationLevel::Master | EducationLevel::Doctorate)
    }
}

/// All reference data, indexed.
#[derive(Debug, Clone)]
pub struct Reference {
    countries: Vec<Country>,
    country_index: HashMap<String, usize>,
    languages: Vec<LanguageEntry>,
    language_index: HashMap<String, usize>,
    provinces: Vec<Province>,
    closed: HashMap<String, Vec<ListItem>>,
}

const COUNTRIES: &str = include_str!("../../../catalog/reference/countries.json");
const LANGUAGES: &str = include_str!("../../../catalog/reference/languages.json");
const PROVINCES: &str = include_str!("../../../catalog/reference/provinces.json");
const CLOSED_LISTS: &str = include_str!("../../../catalog/reference/closed-lists.json");

fn parse_json<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, CatalogError> {
    serde_json::from_str(text)
        .map_err(|e| CatalogError::new(file, format!("line {}", e.line()), e.to_string()))
}

impl Reference {
    /// The reference data compiled into this program.
    pub fn embedded() -> Result<Self, CatalogError> {
        Self::from_json(COUNTRIES, LANGUAGES, PROVINCES, CLOSED_LISTS)
    }

    pub fn from_json(
        countries: &str,
        languages: &str,
        provinces: &str,
        closed: &str,
    ) -> Result<Self, CatalogError> {
        let countries: Vec<Country> = parse_json("countries.json", countries)?;
        let mut country_index = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            let shape = c.code.len() == 3 && c.code.bytes().all(|b| b.is_ascii_uppercase());
            if !shape {
                return Err(CatalogError::new(
                    "countries.json",
                    &c.code,
                    "codes are ISO 3166-1 alpha-3, upper case",
                ));
            }
            c.names.check("countries.json", &c.code)?;
            if country_index.insert(c.code.clone(), i).is_some() {
                return Err(CatalogError::new("countries.json", &c.code, "listed twice"));
            }
        }
        let languages: Vec<LanguageEntry> = parse_json("languages.json", languages)?;
        let mut language_index = HashMap::new();
        for (i, l) in languages.iter().enumerate() {
            if !(l.code.len() == 3 && l.code.bytes().all(|b| b.is_ascii_lowercase())) {
                return Err(CatalogError::new(
                    "languages.json",
                    &l.code,
                    "codes are ISO 639-3, lower case",
                ));
            }
            l.names.check("languages.json", &l.code)?;
            if language_index.insert(l.code.clone(), i).is_some() {
                return Err(CatalogError::new("languages.json", &l.code, "listed twice"));
            }
        }
        let provinces: Vec<Province> = parse_json("provinces.json", provinces)?;
        if provinces.len() != 81
            || provinces
                .iter()
                .enumerate()
                .any(|(i, p)| usize::from(p.code) != i + 1)
        {
            return Err(CatalogError::new(
                "provinces.json",
                "provinces",
                "Türkiye's 81 provinces, numbered 1–81 in order",
            ));
        }
        for p in &provinces {
            if p.name.trim().is_empty()
                || p.districts.is_empty()
                || p.districts.iter().any(|d| d.trim().is_empty())
            {
                return Err(CatalogError::new(
                    "provinces.json",
                    &p.name,
                    "a name and named districts are required",
                ));
            }
        }
        let closed: HashMap<String, Vec<ListItem>> = parse_json("closed-lists.json", closed)?;
        let expected: [(&str, Vec<&str>); 5] = [
            (Gender::LIST, Gender::ALL.iter().map(|v| v.code()).collect()),
            (
                MaritalStatus::LIST,
                MaritalStatus::ALL.iter().map(|v| v.code()).collect(),
            ),
            (
                PassportType::LIST,
                PassportType::ALL.iter().map(|v| v.code()).collect(),
            ),
            (
                TurkishLevel::LIST,
                TurkishLevel::ALL.iter().map(|v| v.code()).collect(),
            ),
            (
                EducationLevel::LIST,
                EducationLevel::ALL.iter().map(|v| v.code()).collect(),
            ),
        ];
        for (list, codes) in &expected {
            let items = closed
                .get(*list)
                .ok_or_else(|| CatalogError::new("closed-lists.json", *list, "missing"))?;
            let found: Vec<&str> = items.iter().map(|i| i.code.as_str()).collect();
            if &found != codes {
                return Err(CatalogError::new(
                    "closed-lists.json",
                    *list,
                    format!("must list exactly {codes:?} in that order"),
                ));
            }
            for item in items {
                item.names
                    .check("closed-lists.json", &format!("{list}.{}", item.code))?;
            }
        }
        Ok(Self {
            countries,
            country_index,
            languages,
            language_index,
            provinces,
            closed,
        })
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_index.get(code).map(|&i| &self.countries[i])
    }

    pub fn language(&self, code: &str) -> Option<&LanguageEntry> {
        self.language_index.get(code).map(|&i| &self.languages[i])
    }

    pub fn province(&self, name: &str) -> Option<&Province> {
        let key = crate::text::search_key(name);
        self.provinces
            .iter()
            .find(|p| crate::text::search_key(&p.name) == key)
    }

    pub fn province_by_code(&self, code: u8) -> Option<&Province> {
        self.provinces.get(usize::from(code).checked_sub(1)?)
    }

    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    /// Countries ordered by their name in `language` (Turkish alphabet for Turkish).
    pub fn countries_sorted(&self, language: Language) -> Vec<&Country> {
        let mut sorted: Vec<&Country> = self.countries.iter().collect();
        sorted.sort_by_cached_key(|c| collation_key(c.names.get(language), language));
        sorted
    }

    pub fn languages_sorted(&self, language: Language) -> Vec<&LanguageEntry> {
        let mut sorted: Vec<&LanguageEntry> = self.languages.iter().collect();
        sorted.sort_by_cached_key(|l| collation_key(l.names.get(language), language));
        sorted
    }

    /// The items of a closed list in display order.
    /// The names of the closed lists (`gender`, `marital_status`, …), sorted.
    pub fn closed_list_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.closed.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    pub fn closed_list(&self, list: &str) -> Option<&[ListItem]> {
        self.closed.get(list).map(Vec::as_slice)
    }

    /// The label of one closed-list code.
    pub fn label(&self, list: &str, code: &str, language: Language) -> Option<&str> {
        self.closed_list(list)?
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.names.get(language))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_data_loads() {
        let reference = Reference::embedded().unwrap();
        assert_eq!(reference.country("TUR").unwrap().names.tr, "Türkiye");
        assert_eq!(reference.country("DEU").unwrap().names.en, "Germany");
        assert!(reference.country("AZE").is_some());
        assert!(reference.country("tur").is_none());
        assert_eq!(reference.language("tat").unwrap().names.en, "Tatar");
        assert_eq!(reference.language("aar").unwrap().names.tr, "Afarca");
        assert_eq!(reference.provinces().len(), 81);
        assert_eq!(
            reference
                .provinces()
                .iter()
                .map(|p| p.districts.len())
                .sum::<usize>(),
            973
        );
        assert_eq!(reference.province("istanbul").unwrap().districts.len(), 39);
        assert!(
            reference
                .province("İSTANBUL")
                .unwrap()
                .districts
                .iter()
                .any(|d| d == "Şişli")
        );
        assert_eq!(
            reference.label("gender", "female", Language::Tr),
            Some("Kadın")
        );
    }

    #[test]
    fn turkish_order_puts_c_cedilla_after_c() {
        let reference = Reference::embedded().unwrap();
        let names: Vec<&str> = reference
            .countries_sorted(Language::Tr)
            .iter()
            .map(|c| c.names.tr.as_str())
            .collect();
        let cad = names.iter().position(|n| *n == "Çad").unwrap();
        let cezayir = names.iter().position(|n| *n == "Cezayir").unwrap();
        let danimarka = names.iter().position(|n| *n == "Danimarka").unwrap();
        assert!(
            cezayir < cad && cad < danimarka,
            "{cezayir} {cad} {danimarka}"
        );
    }

    #[test]
    fn broken_files_name_the_entry() {
        let countries = r#"[{"code":"DEU","alpha2":"DE","tr":"Almanya","en":"Germany"},{"code":"DEU","alpha2":"DE","tr":"A","en":"B"}]"#;
        let error =
            Reference::from_json(countries, LANGUAGES, PROVINCES, CLOSED_LISTS).unwrap_err();
        assert_eq!(error.to_string(), "countries.json: DEU: listed twice");
        let languages = r#"[{"code":"tat","tr":"","en":"Tatar"}]"#;
        let error =
            Reference::from_json(COUNTRIES, languages, PROVINCES, CLOSED_LISTS).unwrap_err();
        assert!(
            error.to_string().starts_with("languages.json: tat:"),
            "{error}"
        );
        let closed = CLOSED_LISTS.replace("\"widowed\"", "\"other\"");
        let error = Reference::from_json(COUNTRIES, LANGUAGES, PROVINCES, &closed).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("closed-lists.json: marital_status"),
            "{error}"
        );
    }
}
