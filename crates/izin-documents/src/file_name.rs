//! Safe display and download names for uploaded files.
//!
//! The uploader's file name is shown back to people and put into `Content-Disposition` headers,
//! so it must not carry paths, header-breaking or invisible characters, names Windows refuses,
//! or an extension that lies about the content.

use crate::FileType;

/// Longest name returned, in characters (not bytes), extension included.
pub const MAX_FILE_NAME_CHARS: usize = 100;

const FALLBACK_STEM: &str = "document";

/// Extensions replaced by the detected type's: the uploader's claim about the type is either
/// right (and then canonicalised) or wrong (and then must go), so `scan.pdf` holding a PNG
/// becomes `scan.png` rather than `scan.pdf.png`.
const REPLACED_EXTENSIONS: &[&str] = &[
    "pdf", "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "tif", "tiff", "heic", "heif", "webp",
];

/// Device names Windows reserves whatever the extension (`CON.pdf` cannot be saved there).
const WINDOWS_DEVICE_NAMES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Turns an uploaded file's name into one that is safe to store, show and send back.
///
/// Keeps the last path component, drops control, bidirectional-override and
/// Windows/`Content-Disposition`-hostile characters, collapses whitespace, trims dots and spaces,
/// keeps letters of every script, caps the length at [`MAX_FILE_NAME_CHARS`] characters and makes
/// the extension that of `file_type`. The result is never empty and sanitising it again changes
/// nothing.
pub fn sanitize_file_name(raw: &str, file_type: FileType) -> String {
    let extension = file_type.extension();
    let last_component = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned = collapse_whitespace(last_component.chars().filter(|c| !is_forbidden(*c)));
    let trimmed = trim_dots_and_spaces(&cleaned);

    let stem = match trimmed.rsplit_once('.') {
        Some((stem, old_extension)) if is_replaced_extension(old_extension) => stem,
        _ => trimmed,
    };
    // The stem may now end in ". " (as in "scan. .pdf"), which would leave "scan. .png".
    let stem = trim_dots_and_spaces(stem);

    let stem = if stem.is_empty() { FALLBACK_STEM } else { stem };
    let stem = if is_windows_device_name(stem) {
        format!("_{stem}")
    } else {
        stem.to_owned()
    };

    let room_for_stem = MAX_FILE_NAME_CHARS - extension.len() - 1;
    let stem = match stem.char_indices().nth(room_for_stem) {
        // The stem starts with neither a dot nor a space, so trimming the cut cannot empty it.
        Some((cut, _)) => trim_dots_and_spaces(&stem[..cut]),
        None => &stem,
    };
    format!("{stem}.{extension}")
}

fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '|' | '/' | '\\')
        || is_invisible_formatting(c)
}

/// Bidirectional overrides let `gpj.exe` display as `exe.jpg`; the BOM and word joiner are
/// invisible. Joiners used by Persian and emoji (U+200C, U+200D) are legitimate and kept.
fn is_invisible_formatting(c: char) -> bool {
    matches!(c,
        '\u{200E}' | '\u{200F}'           // left-to-right / right-to-left marks
        | '\u{202A}'..='\u{202E}'         // embeddings and overrides
        | '\u{2060}'                      // word joiner
        | '\u{2066}'..='\u{2069}'         // isolates
        | '\u{FEFF}') // byte-order mark / zero-width no-break space
}

fn collapse_whitespace(chars: impl Iterator<Item = char>) -> String {
    let mut collapsed = String::new();
    let mut in_whitespace = false;
    for c in chars {
        if c.is_whitespace() {
            in_whitespace = true;
            continue;
        }
        if in_whitespace && !collapsed.is_empty() {
            collapsed.push(' ');
        }
        in_whitespace = false;
        collapsed.push(c);
    }
    collapsed
}

fn trim_dots_and_spaces(text: &str) -> &str {
    text.trim_matches(|c| c == '.' || c == ' ')
}

fn is_replaced_extension(extension: &str) -> bool {
    REPLACED_EXTENSIONS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(extension))
}

fn is_windows_device_name(stem: &str) -> bool {
    // Windows ignores what follows the first dot ("con.tar" is still CON) and trailing spaces.
    let device_part = stem.split('.').next().unwrap_or_default().trim_end();
    WINDOWS_DEVICE_NAMES
        .iter()
        .any(|device| device.eq_ignore_ascii_case(device_part))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(raw: &str) -> String {
        sanitize_file_name(raw, FileType::Pdf)
    }

    #[test]
    fn keeps_the_last_path_component() {
        assert_eq!(pdf("C:\\Users\\ali\\Desktop\\pasaport.pdf"), "pasaport.pdf");
        assert_eq!(pdf("../../etc/passwd"), "passwd.pdf");
        assert_eq!(pdf("dir/"), "document.pdf");
    }

    #[test]
    fn makes_the_extension_match_the_content() {
        assert_eq!(sanitize_file_name("scan.pdf", FileType::Png), "scan.png");
        assert_eq!(
            sanitize_file_name("photo.JPEG", FileType::Jpeg),
            "photo.jpg"
        );
        assert_eq!(pdf("passport"), "passport.pdf");
        assert_eq!(pdf("report.v2"), "report.v2.pdf");
        assert_eq!(pdf("invoice.exe"), "invoice.exe.pdf");
        assert_eq!(pdf("scan. .pdf"), "scan.pdf");
    }

    #[test]
    fn removes_trouble_characters() {
        assert_eq!(pdf("a\"b*c:d<e>f?g|h.pdf"), "abcdefgh.pdf");
        assert_eq!(pdf("evil\r\nSet-Cookie: x.pdf"), "evilSet-Cookie x.pdf");
        assert_eq!(pdf("nul\0byte.pdf"), "nulbyte.pdf");
        assert_eq!(pdf("in\u{202E}fdp.exe"), "infdp.exe.pdf");
    }

    #[test]
    fn collapses_whitespace_and_trims_dots() {
        assert_eq!(pdf("  my   \u{00A0} scan  .pdf"), "my scan.pdf");
        assert_eq!(pdf("...hidden"), "hidden.pdf");
        assert_eq!(pdf(". . ."), "document.pdf");
        assert_eq!(pdf(""), "document.pdf");
    }

    #[test]
    fn keeps_letters_of_every_script() {
        assert_eq!(
            pdf("Öğrenim Belgesi — İŞÇİ.pdf"),
            "Öğrenim Belgesi — İŞÇİ.pdf"
        );
        assert_eq!(pdf("جواز السفر.pdf"), "جواز السفر.pdf");
        assert_eq!(pdf("паспорт.pdf"), "паспорт.pdf");
        assert_eq!(
            sanitize_file_name("护照照片.png", FileType::Png),
            "护照照片.png"
        );
    }

    #[test]
    fn caps_length_in_characters_keeping_the_extension() {
        let long = "ş".repeat(300) + ".pdf";
        let name = pdf(&long);
        assert_eq!(name.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(name.ends_with(".pdf"));
        assert!(name.starts_with("şşş"));
    }

    #[test]
    fn truncation_does_not_leave_a_trailing_dot_or_space() {
        let raw = format!("{} .x{}", "a".repeat(94), "b".repeat(50));
        let name = pdf(&raw);
        assert_eq!(name, format!("{}.pdf", "a".repeat(94)));
    }

    #[test]
    fn guards_windows_device_names() {
        assert_eq!(pdf("CON.pdf"), "_CON.pdf");
        assert_eq!(pdf("lpt1"), "_lpt1.pdf");
        assert_eq!(pdf("con.tar"), "_con.tar.pdf");
        assert_eq!(pdf("console.pdf"), "console.pdf");
        let long_device_name = format!("con.{}", "x".repeat(200));
        assert_eq!(pdf(&long_device_name).chars().count(), MAX_FILE_NAME_CHARS);
    }
}
