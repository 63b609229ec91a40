//! Sample documents and the poppler tools the tests read PDFs back with.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::PathBuf;
use std::process::Command;

use izin_print::{Bilingual, Card, Field, Metadata, Photo, PhotoFormat, ProofDocument};

pub const NAME: &str = "Ayşe Gül Çağlayan-İşçi";
pub const SURNAME: &str = "Ömer Şükrü Ünlü";
pub const DOCUMENT_NUMBER: &str = "CIM-2025-000123";
pub const PAYLOAD: &str = "v1.eyJkb2MiOiJDSU0tMjAyNS0wMDAxMjMiLCJuYW1lIjoiQXnFn2UifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYWJjZGVmZ2hpams";

pub fn bi(tr: &str, en: &str) -> Bilingual {
    Bilingual {
        tr: tr.to_owned(),
        en: en.to_owned(),
    }
}

pub fn field(tr: &str, en: &str, value: &str) -> Field {
    Field {
        label: bi(tr, en),
        value: value.to_owned(),
    }
}

/// A passport-photo-shaped JPEG with something face-like on it, made with the `image` crate.
pub fn jpeg_photo() -> Photo {
    let (w, h) = (350u32, 450u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (cx, cy) = (x as i32 - 175, y as i32 - 200);
        if cx * cx * 4 / 5 + cy * cy / 2 < 110 * 110 / 2 {
            image::Rgb([224, 182, 150])
        } else if y > 340 {
            image::Rgb([40, 50, 90])
        } else {
            image::Rgb([200 - (y / 4) as u8, 215, 235])
        }
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    Photo {
        bytes,
        format: PhotoFormat::Jpeg,
    }
}

pub fn png_photo() -> Photo {
    let img = image::RgbaImage::from_fn(70, 90, |x, y| {
        image::Rgba([x as u8 * 3, y as u8 * 2, 120, 255])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    Photo {
        bytes,
        format: PhotoFormat::Png,
    }
}

pub fn qr_text(id: &str) -> String {
    let base = format!("https://izin.csgb.gov.tr/dogrula/{id}?k=");
    let pad: String = (0..(300 - base.len()))
        .map(|i| char::from(b'A' + (i % 26) as u8))
        .collect();
    format!("{base}{pad}")
}

pub fn metadata() -> Metadata {
    Metadata {
        title: "Çalışma İzni Muafiyeti Belgesi / Proof Document of Work Permit Exemption"
            .to_owned(),
        language: "tr".to_owned(),
        created: time::macros::datetime!(2025-03-14 10:30:00 +03:00),
        signed_payload: PAYLOAD.to_owned(),
    }
}

pub fn authority() -> Bilingual {
    bi(
        "T.C. Çalışma ve Sosyal Güvenlik Bakanlığı",
        "Republic of Türkiye Ministry of Labour and Social Security",
    )
}

pub fn title() -> Bilingual {
    bi(
        "Çalışma İzni Muafiyeti Belgesi",
        "Proof Document of Work Permit Exemption",
    )
}

pub fn how_to_verify() -> Bilingual {
    bi(
        "Bu belgenin geçerliliğini karekodu okutarak ya da doğrulama kodunu izin.csgb.gov.tr/dogrula adresine girerek kontrol edebilirsiniz. Belge üzerindeki imza, aşağıda basılı imzalı veridir.",
        "You can check that this document is valid by scanning the QR code or by entering the verification code at izin.csgb.gov.tr/dogrula. The signature is the signed data printed below.",
    )
}

pub fn proof_document() -> ProofDocument {
    ProofDocument {
        authority: authority(),
        title: title(),
        fields: vec![
            field("Belge Numarası", "Document number", DOCUMENT_NUMBER),
            field("Adı", "Name", NAME),
            field("Soyadı", "Surname", SURNAME),
            field("Uyruğu", "Nationality", "Azerbaycan / Azerbaijan"),
            field("Doğum Tarihi", "Date of birth", "07.11.1988"),
            field(
                "Yabancı Kimlik Numarası",
                "Foreigner ID number",
                "99123456780",
            ),
            field(
                "Muafiyet Kategorisi",
                "Exemption category",
                "Madde 55/1-ç — Bilim insanı / Scientist",
            ),
            field("Sektör", "Sector", "Eğitim / Education"),
            field(
                "İşyeri",
                "Workplace",
                "Orta Doğu Teknik Üniversitesi, Üniversiteler Mah. Dumlupınar Blv. No: 1, 06800 Çankaya / Ankara",
            ),
            field("Geçerlilik", "Validity", "14.03.2025 – 13.03.2026"),
            field("Düzenlenme Tarihi", "Date of issue", "14.03.2025"),
            field("Doğrulama Kodu", "Verification code", "K7Q2-M9XD-4HPA"),
        ],
        photo: Some(jpeg_photo()),
        qr_text: qr_text(DOCUMENT_NUMBER),
        how_to_verify: how_to_verify(),
        signature_line: PAYLOAD.to_owned(),
        metadata: metadata(),
    }
}

pub fn card(n: usize) -> Card {
    let number = format!("CIM-2025-{n:06}");
    Card {
        authority: authority(),
        title: title(),
        front: vec![
            field("Soyadı", "Surname", SURNAME),
            field("Adı", "Given names", NAME),
            field("Uyruğu", "Nationality", "AZE"),
            field("Doğum Tarihi", "Date of birth", "07.11.1988"),
            field("Belge No", "Document no", &number),
            field("Geçerlilik", "Valid until", "13.03.2026"),
        ],
        back: vec![
            field("Yabancı Kimlik No", "Foreigner ID", "99123456780"),
            field("Kategori", "Category", "Bilim insanı / Scientist"),
            field(
                "İşyeri",
                "Workplace",
                "Orta Doğu Teknik Üniversitesi, Çankaya / Ankara",
            ),
            field("Düzenlenme", "Issued", "14.03.2025"),
        ],
        photo: Some(jpeg_photo()),
        qr_text: qr_text(&number),
        how_to_verify: bi(
            "Karekodu okutun veya izin.csgb.gov.tr/dogrula adresine girin.",
            "Scan the QR code or visit izin.csgb.gov.tr/dogrula.",
        ),
        metadata: Metadata {
            signed_payload: format!("{PAYLOAD}.{n}"),
            ..metadata()
        },
    }
}

/// A scratch directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("izin-print-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether a poppler tool can be run; reports it as missing (an error under
/// IZIN_REQUIRE_ALL=1) when not.
pub fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        izin_testkit::missing(
            tool,
            "poppler-utils is not installed (Debian: apt-get install poppler-utils); the PDF is not read back",
        );
    }
    ok
}

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn write(dir: &std::path::Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

pub fn pdftotext(pdf: &std::path::Path, extra: &[&str]) -> String {
    run(Command::new("pdftotext").args(extra).arg(pdf).arg("-"))
}

pub fn pdfinfo(pdf: &std::path::Path) -> String {
    run(Command::new("pdfinfo")
        .args(["-f", "1", "-l", "999"])
        .arg(pdf))
}

/// Page sizes in points as pdfinfo reports them.
pub fn page_sizes(pdf: &std::path::Path) -> Vec<(f32, f32)> {
    pdfinfo(pdf)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let rest = l.split(" size:").nth(1).unwrap().trim();
            let mut words = rest.split_whitespace();
            let w = words.next().unwrap().parse().unwrap();
            assert_eq!(words.next(), Some("x"));
            let h = words.next().unwrap().parse().unwrap();
            (w, h)
        })
        .collect()
}

/// Rasterises one page at 300 dpi and decodes every QR code on it.
pub fn qr_codes_on_page(pdf: &std::path::Path, page: usize) -> Vec<String> {
    let prefix = pdf.with_extension(format!("p{page}"));
    run(Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile", "-gray"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(&prefix));
    let png = prefix.with_extension(format!("p{page}.png"));
    let img = image::open(&png).unwrap().into_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
        .collect()
}
