//! Language-aware text operations. Turkish dots its capital I (i ↔ İ) and has a dotless small ı
//! (ı ↔ I); the default Unicode mappings get both wrong for Turkish text.

use crate::Language;

/// Upper-cases `text` by the rules of `language`.
pub fn to_upper(text: &str, language: Language) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match (language, c) {
            (Language::Tr, 'i') => out.push('İ'),
            (Language::Tr, 'ı') => out.push('I'),
            _ => out.extend(c.to_uppercase()),
        }
    }
    out
}

/// Lower-cases `text` by the rules of `language`.
pub fn to_lower(text: &str, language: Language) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match (language, c) {
            (Language::Tr, 'I') => out.push('ı'),
            (Language::Tr, 'İ') => out.push('i'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folds text for case- and accent-tolerant matching in search boxes, in either language:
/// "istanbul", "İSTANBUL" and "Istanbul" all fold to "istanbul".
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'İ' | 'I' | 'ı' => out.push('i'),
            other => {
                for lower in other.to_lowercase() {
                    match lower {
                        'ç' => out.push('c'),
                        'ğ' => out.push('g'),
                        'ö' => out.push('o'),
                        'ş' => out.push('s'),
                        'ü' | 'û' => out.push('u'),
                        'â' => out.push('a'),
                        'î' => out.push('i'),
                        '\u{307}' => {}
                        kept => out.push(kept),
                    }
                }
            }
        }
    }
    out
}

/// A sort key that orders text alphabetically for `language`: in Turkish ç after c, ğ after g,
/// ı before i, ö after o, ş after s, ü after u; other accents and case are ignored.
pub fn collation_key(text: &str, language: Language) -> Vec<u32> {
    const TURKISH: &str = "abcçdefgğhıijklmnoöprsştuüvyz";
    const LATIN: &str = "abcdefghijklmnopqrstuvwxyz";
    to_lower(text, language)
        .chars()
        .map(|c| {
            if c.is_whitespace() {
                return 0x20;
            }
            let rank = match language {
                Language::Tr if "çğıöşü".contains(c) => TURKISH.chars().position(|t| t == c),
                Language::Tr => TURKISH.chars().position(|t| t == fold_accent(c)),
                Language::En => LATIN.chars().position(|t| t == fold_accent(c)),
            };
            rank.map_or(0x1000 + u32::from(c), |i| 0x100 + i as u32)
        })
        .collect()
}

/// The unaccented base of a lower-case Latin letter (å → a, ş → s); other characters unchanged.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ķ' => 'k',
        'ł' | 'ľ' | 'ļ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn turkish_dotted_and_dotless_i() {
        assert_eq!(to_upper("istanbul ılgaz", Language::Tr), "İSTANBUL ILGAZ");
        assert_eq!(to_lower("İSTANBUL ILGAZ", Language::Tr), "istanbul ılgaz");
        assert_eq!(
            to_upper("çağrı şişli öğün", Language::Tr),
            "ÇAĞRI ŞİŞLİ ÖĞÜN"
        );
        assert_eq!(to_upper("istanbul", Language::En), "ISTANBUL");
        assert_eq!(to_lower("DIŞ", Language::Tr), "dış");
        assert_eq!(to_upper("straße", Language::Tr), "STRASSE");
    }

    #[test]
    fn search_keys_ignore_case_and_turkish_letters() {
        assert_eq!(search_key("İSTANBUL"), "istanbul");
        assert_eq!(search_key("Istanbul"), "istanbul");
        assert_eq!(search_key("Şişli"), "sisli");
        assert_eq!(search_key("Çankaya"), "cankaya");
        assert_eq!(search_key("Iğdır"), "igdir");
    }

    #[test]
    fn turkish_alphabetical_order() {
        let mut words = vec![
            "Zonguldak",
            "Çankaya",
            "Cide",
            "Iğdır",
            "İzmir",
            "Şile",
            "Sinop",
            "Ödemiş",
            "Ordu",
            "Urla",
            "Ünye",
        ];
        words.sort_by_key(|w| collation_key(w, Language::Tr));
        assert_eq!(
            words,
            [
                "Cide",
                "Çankaya",
                "Iğdır",
                "İzmir",
                "Ordu",
                "Ödemiş",
                "Sinop",
                "Şile",
                "Urla",
                "Ünye",
                "Zonguldak"
            ]
        );
        let mut english = vec!["Zambia", "Åland Islands", "Chad", "Côte d'Ivoire", "Cuba"];
        english.sort_by_key(|w| collation_key(w, Language::En));
        assert_eq!(
            english,
            ["Åland Islands", "Chad", "Côte d'Ivoire", "Cuba", "Zambia"]
        );
    }

    proptest! {
        #[test]
        fn turkish_round_trip_on_turkish_letters(s in "[a-zçğıiöşü ]{0,30}") {
            prop_assert_eq!(to_lower(&to_upper(&s, Language::Tr), Language::Tr), s);
        }
    }
}
