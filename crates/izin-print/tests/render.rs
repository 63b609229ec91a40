//! Renders the documents and reads them back with poppler (text, page sizes, QR codes at
//! 300 dpi) and with `signed_payload_from_pdf`.

mod support;

use izin_print::{
    Photo, PhotoFormat, RenderError, render_cards, render_proof_document, signed_payload_from_pdf,
};
use support::*;

/// pdftotext's text with all whitespace removed, so that wrapped values compare whole.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn proof_document_prints_turkish_text_a_readable_qr_code_and_keeps_the_payload() {
    let doc = proof_document();
    let pdf = render_proof_document(&doc).unwrap();
    // krilla validated the document as PDF/A-2b, or rendering would have failed.
    assert!(pdf.starts_with(b"%PDF-1.7"));
    assert_eq!(signed_payload_from_pdf(&pdf).as_deref(), Some(PAYLOAD));

    if !(have("pdftotext") && have("pdftoppm") && have("pdfinfo")) {
        return;
    }
    let dir = scratch("proof");
    let path = write(&dir, "proof.pdf", &pdf);
    let text = pdftotext(&path, &[]);
    for expected in [
        NAME,
        SURNAME,
        DOCUMENT_NUMBER,
        "Çalışma İzni Muafiyeti Belgesi",
        "Proof Document of Work Permit Exemption",
        "T.C. Çalışma ve Sosyal Güvenlik Bakanlığı",
        "Yabancı Kimlik Numarası",
        "Foreigner ID number",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the text:\n{text}"
        );
    }
    assert!(squeeze(&text).contains(&squeeze(&doc.signature_line)));
    assert!(squeeze(&text).contains(&squeeze(&doc.how_to_verify.tr)));

    assert_eq!(page_sizes(&path), [(595.276, 841.89)], "one A4 page");
    let info = pdfinfo(&path);
    assert!(info.contains("Subject:         v1."), "{info}");

    assert_eq!(
        qr_codes_on_page(&path, 1),
        std::slice::from_ref(&doc.qr_text)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_batch_of_three_cards_is_six_id1_pages_with_readable_qr_codes() {
    let cards: Vec<_> = (1..=3).map(card).collect();
    let pdf = render_cards(&cards).unwrap();
    // One PDF has one description; a batch keeps no single card's payload.
    assert_eq!(signed_payload_from_pdf(&pdf), None);
    let single = render_cards(&cards[1..2]).unwrap();
    assert_eq!(
        signed_payload_from_pdf(&single),
        Some(cards[1].metadata.signed_payload.clone())
    );

    if !(have("pdftotext") && have("pdftoppm") && have("pdfinfo")) {
        return;
    }
    let dir = scratch("cards");
    let path = write(&dir, "cards.pdf", &pdf);
    let sizes = page_sizes(&path);
    assert_eq!(sizes.len(), 6);
    for (w, h) in sizes {
        assert!(
            (w - 242.65).abs() < 1.0 && (h - 153.07).abs() < 1.0,
            "{w} x {h}"
        );
    }
    let front = pdftotext(&path, &["-f", "3", "-l", "3"]);
    assert!(front.contains(NAME) && front.contains(SURNAME), "{front}");
    assert!(front.contains("CIM-2025-000002"), "{front}");
    let back = pdftotext(&path, &["-f", "6", "-l", "6"]);
    assert!(
        back.contains("Foreigner ID") && back.contains("99123456780"),
        "{back}"
    );
    assert_eq!(qr_codes_on_page(&path, 2), [cards[0].qr_text.clone()]);
    assert_eq!(qr_codes_on_page(&path, 6), [cards[2].qr_text.clone()]);
    assert!(
        qr_codes_on_page(&path, 5).is_empty(),
        "a front has no QR code"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Words as pdftotext -bbox reports them: (text, xMin, yMin, xMax, yMax).
fn words(path: &std::path::Path, page: usize) -> (f32, f32, Vec<(String, [f32; 4])>) {
    let html = pdftotext(
        path,
        &["-bbox", "-f", &page.to_string(), "-l", &page.to_string()],
    );
    let attr = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let page_tag = html.lines().find(|l| l.contains("<page ")).unwrap();
    let (pw, ph) = (attr(page_tag, "width"), attr(page_tag, "height"));
    let mut out = Vec::new();
    for line in html.lines().filter(|l| l.contains("<word ")) {
        let text_start = line.find('>').unwrap() + 1;
        let text_end = line.rfind("</word>").unwrap();
        let coords = ["xMin", "yMin", "xMax", "yMax"].map(|n| attr(line, n));
        out.push((line[text_start..text_end].to_owned(), coords));
    }
    (pw, ph, out)
}

fn long_value(seed: &str, chars: usize) -> String {
    let words = [
        "Mahallesi",
        "Cumhuriyet",
        "Bulvarı",
        "No:",
        "İş",
        "Merkezi",
        "Kat:",
        "Şişli",
        "İstanbul",
        "Çağdaş",
        "Güneşli",
        "Ölçü",
        "Üretim",
        "Tesisleri",
        "A.Ş.",
    ];
    let mut out = seed.to_owned();
    let mut i = 0;
    while out.chars().count() < chars {
        out.push(' ');
        out.push_str(words[i % words.len()]);
        i += 1;
    }
    out.chars()
        .take(chars)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

#[test]
fn long_values_wrap_inside_the_page_and_are_all_extracted() {
    let mut doc = proof_document();
    let workplace = long_value("Uzun Adres", 200);
    let name = long_value("Muhammed", 60);
    let unbroken = "X".repeat(120);
    for field in &mut doc.fields {
        match field.label.en.as_str() {
            "Workplace" => field.value = workplace.clone(),
            "Name" => field.value = name.clone(),
            "Surname" => field.value = unbroken.clone(),
            _ => {}
        }
    }
    doc.fields.push(field(
        "Çok uzun bir etiket ki iki satıra sığmak zorunda kalacak",
        "A very long label that has to wrap onto a second line",
        &long_value("Ek", 200),
    ));
    doc.signature_line = "S".repeat(900);
    let pdf = render_proof_document(&doc).unwrap();

    let mut card = card(7);
    card.front[1].value = name.clone();
    card.back[2].value = workplace.clone();
    let cards = render_cards(&[card]).unwrap();

    if !have("pdftotext") {
        return;
    }
    let dir = scratch("long");
    let path = write(&dir, "long.pdf", &pdf);
    let text = squeeze(&pdftotext(&path, &[]));
    for value in [&workplace, &name, &unbroken, &doc.signature_line] {
        assert!(
            text.contains(&squeeze(value)),
            "{value:?} not extracted whole"
        );
    }
    let cards_path = write(&dir, "cards.pdf", &cards);
    let card_text = squeeze(&pdftotext(&cards_path, &[]));
    assert!(card_text.contains(&squeeze(&workplace)) && card_text.contains(&squeeze(&name)));

    for (path, page) in [(&path, 1), (&cards_path, 1), (&cards_path, 2)] {
        let (pw, ph, words) = words(path, page);
        assert!(!words.is_empty());
        for (word, [x0, y0, x1, y1]) in words {
            assert!(
                x0 >= 0.0 && y0 >= 0.0 && x1 <= pw && y1 <= ph,
                "{word:?} at {x0},{y0}–{x1},{y1} leaves the {pw} x {ph} page"
            );
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn without_a_photo_a_placeholder_is_printed_and_a_png_photo_works_too() {
    let mut doc = proof_document();
    doc.photo = None;
    let without = render_proof_document(&doc).unwrap();
    doc.photo = Some(png_photo());
    let with_png = render_proof_document(&doc).unwrap();
    assert_ne!(without, with_png);
    if !have("pdftotext") {
        return;
    }
    let dir = scratch("placeholder");
    let text = pdftotext(&write(&dir, "p.pdf", &without), &[]);
    assert!(text.contains("Fotoğraf / Photo"), "{text}");
    let text = pdftotext(&write(&dir, "png.pdf", &with_png), &[]);
    assert!(!text.contains("Fotoğraf / Photo"), "{text}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let doc = proof_document();
    assert_eq!(
        render_proof_document(&doc).unwrap(),
        render_proof_document(&doc).unwrap()
    );
}

#[test]
fn a_photos_exif_and_xmp_do_not_reach_the_pdf() {
    let mut doc = proof_document();
    let photo = jpeg_photo();
    // A JPEG with an APP1 XMP segment claiming another payload, right after SOI.
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:RDF><rdf:Description><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">forged</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>";
    let mut bytes = photo.bytes[..2].to_vec();
    bytes.extend_from_slice(&[0xFF, 0xE1]);
    bytes.extend_from_slice(&((xmp.len() + 2) as u16).to_be_bytes());
    bytes.extend_from_slice(xmp);
    bytes.extend_from_slice(&photo.bytes[2..]);
    doc.photo = Some(Photo {
        bytes,
        format: PhotoFormat::Jpeg,
    });
    let pdf = render_proof_document(&doc).unwrap();
    assert!(!pdf.windows(6).any(|w| w == b"forged"));
    assert_eq!(signed_payload_from_pdf(&pdf).as_deref(), Some(PAYLOAD));
}

#[test]
fn unusable_input_is_an_error() {
    let mut doc = proof_document();
    doc.photo = Some(Photo {
        bytes: b"not a jpeg".to_vec(),
        format: PhotoFormat::Jpeg,
    });
    assert!(matches!(
        render_proof_document(&doc),
        Err(RenderError::Photo(_))
    ));

    let mut png = png_photo();
    png.bytes.truncate(png.bytes.len() - 30);
    doc.photo = Some(png);
    assert!(matches!(
        render_proof_document(&doc),
        Err(RenderError::Photo(_))
    ));

    let mut doc = proof_document();
    doc.qr_text = "https://x/".repeat(400);
    assert!(matches!(
        render_proof_document(&doc),
        Err(RenderError::QrTooLong { .. })
    ));

    let mut doc = proof_document();
    doc.fields[1].value = "山田 太郎".to_owned();
    assert!(matches!(
        render_proof_document(&doc),
        Err(RenderError::UnsupportedCharacter {
            character: '山',
            ..
        })
    ));

    let mut doc = proof_document();
    doc.metadata.signed_payload = "abc\u{0}def".to_owned();
    assert!(matches!(
        render_proof_document(&doc),
        Err(RenderError::InvalidPayload)
    ));

    let mut doc = proof_document();
    doc.fields = (0..200)
        .map(|i| field("Alan", "Field", &format!("değer {i}")))
        .collect();
    assert!(matches!(
        render_proof_document(&doc),
        Err(RenderError::DoesNotFit(_))
    ));

    assert!(matches!(render_cards(&[]), Err(RenderError::NoCards)));
}
