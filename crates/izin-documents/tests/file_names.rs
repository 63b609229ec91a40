//! Properties of `sanitize_file_name` over arbitrary input.

use izin_documents::{FileType, MAX_FILE_NAME_CHARS, sanitize_file_name};
use proptest::prelude::*;

fn file_type() -> impl Strategy<Value = FileType> {
    prop_oneof![
        Just(FileType::Pdf),
        Just(FileType::Jpeg),
        Just(FileType::Png)
    ]
}

/// Names mixing the characters that matter: separators, dots, spaces, controls, reserved
/// punctuation, extensions and letters of several scripts.
fn tricky_name() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "/",
        "\\",
        ".",
        "..",
        " ",
        "  ",
        "\t",
        "\r\n",
        "\0",
        "\u{7f}",
        "\u{85}",
        "\"",
        "*",
        ":",
        "<",
        ">",
        "?",
        "|",
        ".pdf",
        ".PNG",
        ".jpeg",
        ".exe",
        "scan",
        "pasaport",
        "İŞÇİ",
        "ğü",
        "جواز",
        "паспорт",
        "护照",
        "\u{202E}",
        "\u{200D}",
        "\u{A0}",
        "\u{3000}",
        "CON",
        "nul",
        "a",
        "-",
        "_",
        "😀",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
}

fn check(name: &str, file_type: FileType) -> Result<(), TestCaseError> {
    let clean = sanitize_file_name(name, file_type);
    prop_assert!(!clean.contains('/') && !clean.contains('\\'), "{clean:?}");
    prop_assert!(!clean.chars().any(char::is_control), "{clean:?}");
    prop_assert!(
        !clean.starts_with('.') && !clean.starts_with(' '),
        "{clean:?}"
    );
    prop_assert!(
        !clean.contains(['"', '*', ':', '<', '>', '?', '|']),
        "{clean:?}"
    );
    prop_assert!(!clean.contains("  "), "{clean:?}");
    prop_assert!(clean.chars().count() <= MAX_FILE_NAME_CHARS, "{clean:?}");
    let extension = format!(".{}", file_type.extension());
    prop_assert!(clean.ends_with(&extension), "{clean:?}");
    prop_assert!(clean.len() > extension.len(), "{clean:?}");
    prop_assert_eq!(sanitize_file_name(&clean, file_type), clean.clone());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_string_gives_a_safe_stable_name(name in any::<String>(), file_type in file_type()) {
        check(&name, file_type)?;
    }

    #[test]
    fn tricky_names_give_safe_stable_names(name in tricky_name(), file_type in file_type()) {
        check(&name, file_type)?;
    }

    #[test]
    fn long_names_keep_their_start(stem in "[a-zçğıöşü]{1,300}", file_type in file_type()) {
        let clean = sanitize_file_name(&format!("{stem}.pdf"), file_type);
        let kept: String = stem.chars().take(MAX_FILE_NAME_CHARS - 4).collect();
        prop_assert_eq!(clean, format!("{kept}.{}", file_type.extension()));
    }
}
