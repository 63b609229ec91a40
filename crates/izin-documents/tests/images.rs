//! Image checks: dimensions are judged before decoding, metadata does not survive.

use izin_documents::fixtures;
use izin_documents::{
    FileType, ImageProblem, ImageRules, MAX_DECODE_BYTES, MAX_PIXELS, inspect_image,
    plan_image_decode, sniff,
};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn a_good_photo_is_accepted_in_either_format() {
    for (bytes, file_type) in [
        (fixtures::png(600, 800), FileType::Png),
        (fixtures::jpeg(600, 800), FileType::Jpeg),
    ] {
        let clean = inspect_image(&bytes, &ImageRules::photo()).unwrap();
        assert_eq!(clean.file_type, file_type);
        assert_eq!((clean.width, clean.height), (600, 800));
        assert_eq!(sniff(&clean.bytes), Some(file_type));
        // The re-encoded image is itself acceptable, with the same size.
        let again = inspect_image(&clean.bytes, &ImageRules::photo()).unwrap();
        assert_eq!((again.width, again.height), (600, 800));
    }
}

#[test]
fn exif_and_gps_are_removed_from_jpegs() {
    let original = fixtures::jpeg_with_exif_gps(600, 800);
    assert!(contains(&original, b"Exif\0\0"));
    assert!(contains(&original, fixtures::EXIF_GPS_MARKER));

    let clean = inspect_image(&original, &ImageRules::photo()).unwrap();
    assert!(!contains(&clean.bytes, b"Exif"));
    assert!(!contains(&clean.bytes, fixtures::EXIF_GPS_MARKER));
    assert!(!contains(&clean.bytes, &[0xFF, 0xE1]), "no APP1 segment");
}

#[test]
fn text_chunks_are_removed_from_pngs() {
    let plain = fixtures::png(600, 800);
    // Insert a tEXt chunk after IHDR (8 signature + 25 IHDR bytes).
    let text = b"tEXtComment\0GPS 41.0082 N 28.9784 E";
    let mut chunk = ((text.len() - 4) as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(text);
    let mut crc = flate2::Crc::new();
    crc.update(text);
    chunk.extend_from_slice(&crc.sum().to_be_bytes());
    let with_text = [&plain[..33], &chunk, &plain[33..]].concat();
    assert!(contains(&with_text, b"tEXt"));

    let clean = inspect_image(&with_text, &ImageRules::photo()).unwrap();
    assert!(!contains(&clean.bytes, b"tEXt"));
    assert!(!contains(&clean.bytes, b"41.0082"));
}

#[test]
fn exif_orientation_is_applied_before_judging_the_shape() {
    // Stored landscape, displayed portrait (rotate 90°), as phones save portrait shots.
    let sideways = fixtures::jpeg_with_exif(800, 600, 6);
    let clean = inspect_image(&sideways, &ImageRules::photo()).unwrap();
    assert_eq!((clean.width, clean.height), (600, 800));
}

#[test]
fn decompression_bomb_is_refused_before_decoding() {
    let bomb = fixtures::png_bomb(20_000, 20_000);
    assert!(bomb.len() < 100_000, "{} bytes", bomb.len());
    assert_eq!(
        inspect_image(&bomb, &ImageRules::document_scan()),
        Err(ImageProblem::TooLarge {
            width: 20_000,
            height: 20_000,
            max_pixels: MAX_PIXELS,
            max_dimension: 10_000,
        })
    );
}

#[test]
fn bombs_of_every_format_are_refused_from_their_headers() {
    for rules in [ImageRules::photo(), ImageRules::document_scan()] {
        for (label, bomb) in [
            ("1-bit PNG", fixtures::png_bomb(6_000, 8_000)),
            ("16-bit PNG", fixtures::png16_bomb(3_000, 4_000)),
            ("baseline JPEG", fixtures::jpeg_bomb(6_000, 8_000, false)),
            ("progressive JPEG", fixtures::jpeg_bomb(3_000, 4_000, true)),
        ] {
            assert!(bomb.len() < 200_000, "{label}: {} bytes", bomb.len());
            let refused = plan_image_decode(&bomb, &rules);
            assert!(
                matches!(refused, Err(ImageProblem::TooLarge { .. })),
                "{label}: {refused:?}"
            );
            assert_eq!(inspect_image(&bomb, &rules).err(), refused.err(), "{label}");
        }
    }
}

#[test]
fn the_limit_follows_the_memory_an_image_takes() {
    let rules = ImageRules::photo();
    // A 12-megapixel phone photo, stored sideways: 8-bit RGB, baseline.
    let phone = plan_image_decode(
        &fixtures::jpeg_bomb(4032, 3024, false),
        &ImageRules::document_scan(),
    )
    .unwrap();
    assert!(phone.decode_bytes > 4032 * 3024 * 3);
    assert!(phone.decode_bytes <= MAX_DECODE_BYTES);
    // The same as progressive JPEG keeps every coefficient too (16 bits each; this fixture
    // has full-resolution colour, so 6 bytes a pixel) and does not fit; the message names the
    // megapixels that would.
    let Err(ImageProblem::TooLarge { max_pixels, .. }) =
        plan_image_decode(&fixtures::jpeg_bomb(3024, 4032, true), &rules)
    else {
        panic!("a 12-megapixel progressive JPEG fits");
    };
    assert!((5_000_000..6_000_000).contains(&max_pixels), "{max_pixels}");
    // 16-bit RGBA: 8 bytes a pixel, and the PNG encoder's copy of them.
    let Err(ImageProblem::TooLarge { max_pixels, .. }) =
        plan_image_decode(&fixtures::png16_bomb(3000, 4000), &rules)
    else {
        panic!("a 12-megapixel 16-bit PNG fits");
    };
    assert!((2_500_000..3_200_000).contains(&max_pixels), "{max_pixels}");
    // 8-bit gray is bounded by the pixel count, not memory.
    let Err(ImageProblem::TooLarge { max_pixels, .. }) =
        plan_image_decode(&fixtures::png_bomb(4000, 6001), &rules)
    else {
        panic!("24 megapixels and one row fit");
    };
    assert_eq!(max_pixels, MAX_PIXELS);
    assert!(plan_image_decode(&fixtures::png_bomb(4000, 6000), &rules).is_ok());
}

#[test]
fn a_plan_refuses_what_inspection_refuses_before_decoding() {
    let photo = ImageRules::photo();
    for bytes in [fixtures::jpeg(800, 600), fixtures::png(300, 400)] {
        let planned = plan_image_decode(&bytes, &photo);
        assert!(planned.is_err());
        assert_eq!(
            inspect_image(&bytes, &photo).map(|_| ()),
            planned.map(|_| ())
        );
    }
    let plan = plan_image_decode(&fixtures::jpeg(600, 800), &photo).unwrap();
    assert_eq!((plan.width, plan.height), (600, 800));
    assert!(plan.memory_bytes() > plan.decode_bytes);
}

#[test]
fn size_limits() {
    let rules = ImageRules::document_scan();
    assert_eq!(
        inspect_image(&fixtures::png_bomb(10_001, 1), &rules),
        Err(ImageProblem::TooLarge {
            width: 10_001,
            height: 1,
            max_pixels: MAX_PIXELS,
            max_dimension: 10_000,
        })
    );
    let few_pixels = ImageRules {
        max_pixels: 399,
        ..ImageRules::document_scan()
    };
    assert_eq!(
        inspect_image(&fixtures::png(20, 20), &few_pixels),
        Err(ImageProblem::TooLarge {
            width: 20,
            height: 20,
            max_pixels: 399,
            max_dimension: 10_000,
        })
    );
    assert!(inspect_image(&fixtures::png(20, 19), &few_pixels).is_ok());
}

#[test]
fn photo_must_be_big_enough_and_portrait() {
    let photo = ImageRules::photo();
    assert_eq!(
        inspect_image(&fixtures::jpeg(399, 800), &photo),
        Err(ImageProblem::TooSmall {
            width: 399,
            height: 800,
            min_width: 400,
            min_height: 480
        })
    );
    assert!(matches!(
        inspect_image(&fixtures::png(400, 479), &photo),
        Err(ImageProblem::TooSmall { .. })
    ));
    assert_eq!(
        inspect_image(&fixtures::png(800, 600), &photo),
        Err(ImageProblem::NotPortrait {
            width: 800,
            height: 600
        })
    );
    assert!(matches!(
        inspect_image(&fixtures::png(600, 600), &photo),
        Err(ImageProblem::NotPortrait { .. })
    ));
    assert!(inspect_image(&fixtures::png(400, 480), &photo).is_ok());
}

#[test]
fn document_scans_may_be_any_shape() {
    let scan = ImageRules::document_scan();
    assert!(inspect_image(&fixtures::jpeg(1200, 800), &scan).is_ok());
    assert!(inspect_image(&fixtures::png(1, 1), &scan).is_ok());
}

#[test]
fn non_images_are_refused() {
    let scan = ImageRules::document_scan();
    for bytes in [
        fixtures::minimal_pdf(),
        b"GIF89a\x01\x00\x01\x00".to_vec(),
        b"not an image".to_vec(),
        Vec::new(),
    ] {
        assert_eq!(inspect_image(&bytes, &scan), Err(ImageProblem::NotAnImage));
    }
}

#[test]
fn truncated_images_are_undecodable() {
    let scan = ImageRules::document_scan();
    for bytes in [fixtures::png(300, 300), fixtures::jpeg(300, 300)] {
        for keep in [bytes.len() / 2, bytes.len() - 12, bytes.len() - 1, 40, 12] {
            assert_eq!(
                inspect_image(&bytes[..keep], &scan),
                Err(ImageProblem::Undecodable),
                "{:?} cut to {keep}",
                sniff(&bytes)
            );
        }
    }
}

#[test]
fn codes_are_stable() {
    assert_eq!(ImageProblem::NotAnImage.code(), "image-not-image");
    assert_eq!(ImageProblem::Undecodable.code(), "image-undecodable");
    assert_eq!(
        ImageProblem::TooLarge {
            width: 1,
            height: 1,
            max_pixels: 1,
            max_dimension: 1,
        }
        .code(),
        "image-too-large"
    );
    assert_eq!(
        ImageProblem::TooSmall {
            width: 1,
            height: 1,
            min_width: 2,
            min_height: 2
        }
        .code(),
        "image-too-small"
    );
    assert_eq!(
        ImageProblem::NotPortrait {
            width: 1,
            height: 1
        }
        .code(),
        "image-not-portrait"
    );
}

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn random_bytes_behind_image_signatures(
            signature in prop::sample::select(vec![
                &b"\x89PNG\r\n\x1a\n"[..],
                &[0xFF, 0xD8, 0xFF][..],
            ]),
            body in prop::collection::vec(any::<u8>(), 0..2048),
        ) {
            let bytes = [signature, &body].concat();
            let _ = inspect_image(&bytes, &ImageRules::document_scan());
        }

        #[test]
        fn damaged_images(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            jpeg in any::<bool>(),
        ) {
            let mut bytes = if jpeg { fixtures::jpeg(64, 80) } else { fixtures::png(64, 80) };
            for (index, byte) in edits {
                let at = index.index(bytes.len());
                bytes[at] = byte;
            }
            let _ = inspect_image(&bytes, &ImageRules::document_scan());
        }
    }
}
