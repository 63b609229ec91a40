//! The two languages of the portal and how a request's language is chosen.

use serde::{Deserialize, Serialize};

/// A language every user-facing text exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Tr,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Tr, Language::En];

    /// Used when neither the user's choice nor the browser names a language we have. The seed
    /// tells applicants to pick Turkish explicitly, so the portal opens in English.
    pub const FALLBACK: Language = Language::En;

    pub fn code(self) -> &'static str {
        match self {
            Language::Tr => "tr",
            Language::En => "en",
        }
    }

    /// Parses a language tag such as `tr`, `TR`, `tr-TR` or `en_GB`.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "tr" => Some(Language::Tr),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header value, honouring q-values.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        let mut best: Option<(Language, u16, usize)> = None;
        for (position, item) in accept_language.split(',').enumerate().take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(parse_quality)
                .unwrap_or(Some(1000));
            let (Some(language), Some(quality)) = (Language::from_tag(tag), quality) else {
                continue;
            };
            if quality == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, q, p)) => quality > q || (quality == q && position < p),
            };
            if better {
                best = Some((language, quality, position));
            }
        }
        best.map(|(language, _, _)| language)
    }
}

/// q-values are decimals in [0, 1] with up to three digits; returned in thousandths.
fn parse_quality(raw: &str) -> Option<u16> {
    let raw = raw.trim();
    let value: f32 = raw.parse().ok()?;
    if !(0.0..=1.0).contains(&value) {
        return None;
    }
    Some((value * 1000.0).round() as u16)
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_case_and_region_insensitively() {
        assert_eq!(Language::from_tag("tr"), Some(Language::Tr));
        assert_eq!(Language::from_tag("TR-tr"), Some(Language::Tr));
        assert_eq!(Language::from_tag("en_GB"), Some(Language::En));
        assert_eq!(Language::from_tag("de"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn negotiation_follows_quality_then_order() {
        assert_eq!(
            Language::negotiate("tr-TR,tr;q=0.9,en;q=0.8"),
            Some(Language::Tr)
        );
        assert_eq!(
            Language::negotiate("de-DE,de;q=0.9,en;q=0.5,tr;q=0.4"),
            Some(Language::En)
        );
        assert_eq!(
            Language::negotiate("en;q=0.5, tr;q=0.7"),
            Some(Language::Tr)
        );
        assert_eq!(Language::negotiate("en, tr"), Some(Language::En));
        assert_eq!(Language::negotiate("tr;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(Language::negotiate("de, fr"), None);
        assert_eq!(Language::negotiate("tr;q=banana"), None);
        assert_eq!(Language::negotiate(""), None);
    }
}
