//! Measures the heap used to refuse a decompression bomb, with a counting allocator. Alone in
//! its test binary so no other test's allocations are counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use izin_documents::fixtures;
use izin_documents::{ImageProblem, ImageRules, inspect_image};

struct CountingAllocator;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

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

#[test]
fn png_bomb_is_refused_without_allocating_its_pixels() {
    let baseline = CURRENT.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);
    let bomb = fixtures::png_bomb(20_000, 20_000);
    let verdict = inspect_image(&bomb, &ImageRules::photo());
    let peak_above_baseline = PEAK.load(Ordering::SeqCst) - baseline;

    assert_eq!(
        verdict,
        Err(ImageProblem::TooLarge {
            width: 20_000,
            height: 20_000
        })
    );
    // The pixels would take 400 MB; generating and refusing the file takes a few.
    assert!(
        peak_above_baseline < 4 * 1024 * 1024,
        "peak {peak_above_baseline} bytes above baseline"
    );
}
