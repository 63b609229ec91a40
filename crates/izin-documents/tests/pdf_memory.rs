//! Measures the heap the PDF inspector really uses on a 10 MB upload, with a counting
//! allocator. Alone in its test binary so no other test's allocations are counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use izin_documents::PdfInspector;
use izin_documents::fixtures;

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
fn ten_megabyte_pdf_is_inspected_in_bounded_memory() {
    let pdf = fixtures::large_pdf(10 * 1024 * 1024);
    let chunk = vec![0u8; 64 * 1024];
    let mut chunk = chunk;

    let baseline = CURRENT.load(Ordering::SeqCst);
    PEAK.store(baseline, Ordering::SeqCst);
    let mut inspector = PdfInspector::new();
    for piece in pdf.chunks(chunk.len()) {
        // As a server would: the chunk buffer is reused, never the whole file passed at once.
        chunk[..piece.len()].copy_from_slice(piece);
        inspector.feed(&chunk[..piece.len()]).unwrap();
    }
    let summary = inspector.finish().unwrap();
    let peak_above_baseline = PEAK.load(Ordering::SeqCst) - baseline;

    assert_eq!(summary.objects, 6);
    assert!(
        peak_above_baseline < 64 * 1024,
        "peak {peak_above_baseline} bytes above baseline"
    );
}
