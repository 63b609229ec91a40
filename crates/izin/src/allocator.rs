//! Tuning of the C allocator the portal runs on (glibc's malloc on Linux).
//!
//! By default glibc raises its mmap threshold to the size of the largest block freed (up to
//! 32 MiB), so from the second image on a decoded image's buffer comes from a thread's arena,
//! and each arena keeps what it once held. Image decodes run on whichever blocking thread is
//! free, so after a burst every arena held a decoded image it never gave back: the benchmark
//! measured 278 MiB after 16 images of 24 megapixels decoded within a 48 MiB budget. A fixed
//! threshold maps every block of 1 MiB or more on its own and unmaps it when freed, so the
//! memory the decode budget bounds is the memory the process keeps.

/// Blocks at least this large get a mapping of their own, returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 1024 * 1024;

/// Sets the allocator's parameters; returns false if the allocator refused them.
pub fn tune() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only changes allocator parameters, under the allocator's own lock;
        // it is called before the runtime starts its threads.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        true
    }
}
