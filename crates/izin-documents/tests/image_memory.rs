//! Measures the heap used to check images, with a counting allocator: bombs are refused without
//! allocating their pixels, and what an accepted image really takes stays within what its plan
//! said (which the upload service reserves). Alone in its test binary so no other test's
//! allocations are counted; the tests here take turns.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use izin_documents::fixtures;
use izin_documents::{
    ImageProblem, ImageRules, MAX_DECODE_BYTES, MAX_PIXELS, inspect_image, plan_image_decode,
};

struct CountingAllocator;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

// SAFETY: delegates to the system allocator and only adds bookkeeping.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Runs `work` and returns its result with the most heap it held at once.
fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let baseline = CURRENT.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);
    let result = work();
    (result, PEAK.load(Ordering::SeqCst) - baseline)
}

#[test]
fn png_bomb_is_refused_without_allocating_its_pixels() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let bomb = fixtures::png_bomb(20_000, 20_000);
    let (verdict, peak) = peak_of(|| inspect_image(&bomb, &ImageRules::photo()));
    assert_eq!(
        verdict,
        Err(ImageProblem::TooLarge {
            width: 20_000,
            height: 20_000,
            max_pixels: MAX_PIXELS,
            max_dimension: 10_000,
        })
    );
    // The pixels would take 400 MB; refusing the file takes a few kilobytes.
    assert!(peak < 1024 * 1024, "peak {peak} bytes");
}

#[test]
fn bombs_just_over_the_limit_are_refused_without_allocating_their_pixels() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Each is under the side limit, so only the pixel or memory limit stops it.
    for (label, bomb) in [
        ("1-bit PNG, 25 MP", fixtures::png_bomb(5_000, 5_000)),
        ("16-bit PNG, 12 MP", fixtures::png16_bomb(3_000, 4_000)),
        (
            "baseline JPEG, 24.6 MP",
            fixtures::jpeg_bomb(4_800, 5_120, false),
        ),
        (
            "progressive JPEG, 12 MP",
            fixtures::jpeg_bomb(3_000, 4_000, true),
        ),
    ] {
        let (verdict, peak) = peak_of(|| inspect_image(&bomb, &ImageRules::photo()));
        assert!(
            matches!(verdict, Err(ImageProblem::TooLarge { .. })),
            "{label}: {verdict:?}"
        );
        // The JPEG header reader copies the (small) file; nothing grows with the pixels.
        assert!(peak < 1024 * 1024, "{label}: peak {peak} bytes");
    }
}

#[test]
fn accepted_images_take_no_more_than_planned() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let scan = ImageRules::document_scan();
    for (label, image) in [
        ("baseline JPEG", fixtures::jpeg(1200, 1600)),
        (
            "JPEG turned upright",
            fixtures::jpeg_with_exif(1600, 1200, 6),
        ),
        (
            "JPEG turned the other way",
            fixtures::jpeg_with_exif(1600, 1200, 8),
        ),
        ("8-bit PNG", fixtures::png(1200, 1600)),
        ("16-bit PNG", fixtures::png16_bomb(1000, 1500)),
        ("1-bit PNG", fixtures::png_bomb(4000, 5000)),
    ] {
        let plan = plan_image_decode(&image, &scan).unwrap();
        let (verdict, peak) = peak_of(|| inspect_image(&image, &scan));
        assert!(verdict.is_ok(), "{label}: {verdict:?}");
        let pixels = u64::from(plan.width) * u64::from(plan.height);
        assert!(
            peak as u64 >= pixels,
            "{label}: the measurement saw the pixels"
        );
        assert!(
            peak as u64 <= plan.memory_bytes(),
            "{label}: peak {peak} bytes, planned {}",
            plan.memory_bytes()
        );
        assert!(plan.decode_bytes <= MAX_DECODE_BYTES);
    }
}

#[test]
fn a_progressive_jpeg_takes_no_more_than_planned_even_when_broken() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // The data is baseline data under a progressive header: the decoder allocates its
    // coefficient buffers from the header, then fails or fills in; either way the plan holds.
    let image = fixtures::jpeg_bomb(2000, 1500, true);
    let scan = ImageRules::document_scan();
    let plan = plan_image_decode(&image, &scan).unwrap();
    let (_, peak) = peak_of(|| inspect_image(&image, &scan));
    assert!(
        peak as u64 >= 2000 * 1500 * 3,
        "the decoder ran: peak {peak}"
    );
    assert!(
        peak as u64 <= plan.memory_bytes(),
        "peak {peak} bytes, planned {}",
        plan.memory_bytes()
    );
}
