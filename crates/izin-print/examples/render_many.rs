//! Renders N proof documents (default 100) one after another and prints the render time's
//! p50/p99 and the process's resident memory before and after; the budget is p99 ≤ 200 ms and
//! at most 64 MiB of growth over 100 documents.
//!
//! `cargo run --release -p izin-print --example render_many [N]`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 100,
    };
    if n == 0 {
        return Err("N must be at least 1".into());
    }
    // Each document differs a little, as a day's documents do.
    let docs: Vec<_> = (0..n)
        .map(|i| {
            let mut doc = support::proof_document();
            doc.fields[0].value = format!("CIM-2025-{i:06}");
            doc.qr_text = support::qr_text(&doc.fields[0].value);
            doc
        })
        .collect();
    let before = rss_kib();
    let mut times = Vec::with_capacity(n);
    let mut bytes = 0;
    for doc in &docs {
        let start = Instant::now();
        let pdf = izin_print::render_proof_document(doc)?;
        times.push(start.elapsed());
        bytes += pdf.len();
    }
    let after = rss_kib();
    let first = times[0];
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} proof documents, {:.0} KiB each on average",
        bytes as f64 / n as f64 / 1024.0
    );
    println!(
        "render time: first {:.1} ms (parses the fonts), p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(first),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(times[times.len() - 1])
    );
    match (before, after) {
        (Some(b), Some(a)) => println!(
            "VmRSS: before {:.1} MiB, after {:.1} MiB, growth {:.1} MiB",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            (a as f64 - b as f64) / 1024.0
        ),
        _ => println!("VmRSS: /proc/self/status not readable"),
    }
    Ok(())
}
