//! The benchmark the README describes. It starts the release `izin` on a fresh SQLite data
//! directory and the bare `bench-hello` server, drives both over loopback, and prints
//! requests/s and p99 for each scenario next to the baseline, idle memory and start-up time.
//!
//! Two subcommands measure the back office's queue through the storage layer instead:
//! `izin-bench seed` fills a scratch database with years of applications and `izin-bench queue`
//! loads it with officers (see `seed` and `queue`). `izin-bench payments` measures signed
//! payment notifications through the portal's router against a raw client (see `payments`).

mod applications;
mod documents;
mod load;
mod payments;
mod pick;
mod queue;
mod seed;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request};
use load::{MakeRequest, Outcome};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Options {
    connections: usize,
    warmup: Duration,
    duration: Duration,
    /// A PostgreSQL server to create a scratch database on (the submit scenario).
    postgres: String,
    /// Prepared drafts submitted per database.
    submissions: usize,
    /// Run only the application scenarios.
    applications_only: bool,
    /// Run only the hostile-image scenarios.
    images_only: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        connections: 64,
        warmup: Duration::from_secs(2),
        duration: Duration::from_secs(10),
        postgres: std::env::var("IZIN_BENCH_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into()),
        submissions: 3000,
        applications_only: false,
        images_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--connections" => {
                options.connections = value("--connections")?
                    .parse()
                    .map_err(|_| "--connections: a number")?
            }
            "--duration" => {
                options.duration = Duration::from_secs(
                    value("--duration")?
                        .parse()
                        .map_err(|_| "--duration: seconds")?,
                )
            }
            "--warmup" => {
                options.warmup = Duration::from_secs(
                    value("--warmup")?
                        .parse()
                        .map_err(|_| "--warmup: seconds")?,
                )
            }
            "--postgres" => options.postgres = value("--postgres")?,
            "--applications-only" => options.applications_only = true,
            "--images-only" => options.images_only = true,
            "--submissions" => {
                options.submissions = value("--submissions")?
                    .parse()
                    .map_err(|_| "--submissions: a number")?
            }
            "--help" | "-h" => {
                println!(
                    "izin-bench [--connections 64] [--duration 10] [--warmup 2] \\
                     [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--submissions 3000] \\
                     [--applications-only | --images-only]\n\
                     izin-bench seed --database URL --applications N [--authority-share labour=90,migration=10]\n\
                     izin-bench queue --database URL [--concurrency 16] [--duration 10]\n\
                     izin-bench payments [--database POSTGRES_SERVER_URL] [--senders 32] [--seconds 10]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18080)
}

fn release_binary(name: &str) -> PathBuf {
    let here = std::env::current_exe().unwrap_or_default();
    here.parent()
        .map(|dir| dir.join(name))
        .unwrap_or_else(|| PathBuf::from(name))
}

struct Process(Child);

impl Process {
    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.0.id().to_string())
            .status();
        let _ = self.0.wait();
    }
}

async fn wait_until_up(address: &str, path: &str) -> Duration {
    let started = Instant::now();
    loop {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(address).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let request =
                format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
            if stream.write_all(request.as_bytes()).await.is_ok() {
                let mut answer = Vec::new();
                let _ = stream.read_to_end(&mut answer).await;
                if answer.starts_with(b"HTTP/1.1 200") {
                    return started.elapsed();
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{address} did not start"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn start_izin(data: &Path, port: u16) -> Process {
    start_izin_with(data, port, &[])
}

fn start_izin_with(data: &Path, port: u16, extra: &[&str]) -> Process {
    let child = Command::new(release_binary("izin"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .args(extra)
        .args(["--code-requests-per-ip-per-hour", "100000000"])
        .env("IZIN_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("start target/release/izin (run through `cargo xtask bench`)");
    Process(child)
}

fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn get(address: &str, path: &str, headers: &[(&'static str, String)]) -> MakeRequest {
    let uri = format!("http://{address}{path}");
    let headers: Vec<(&'static str, String)> = headers.to_vec();
    let host = address.to_owned();
    Arc::new(move |_| {
        let mut builder = Request::builder()
            .method(Method::GET)
            .uri(&uri)
            .header("host", &host);
        for (name, value) in &headers {
            builder = builder.header(*name, value);
        }
        builder.body(Full::new(Bytes::new())).expect("request")
    })
}

async fn http_json(address: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let body = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let text = String::from_utf8_lossy(&answer);
    let json = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let json = json.lines().find(|l| l.starts_with('{')).unwrap_or(json);
    serde_json::from_str(json).unwrap_or(serde_json::Value::Null)
}

/// Signs in through the API, reading the code from the outbox, and returns the bearer token.
async fn sign_in(address: &str, outbox: &Path) -> String {
    let sent = http_json(
        address,
        "/api/v1/auth/email-code",
        serde_json::json!({"email": "bench@example.com"}),
    )
    .await;
    let challenge = sent["challenge"].clone();
    let started = Instant::now();
    let code = loop {
        let found = std::fs::read_dir(outbox).ok().and_then(|entries| {
            entries.flatten().find_map(|entry| {
                let text = std::fs::read_to_string(entry.path()).ok()?;
                let text = text.replace("=\r\n", "").replace("=20", " ");
                text.split(|c: char| !c.is_ascii_digit() && c != ' ')
                    .map(str::trim)
                    .find(|chunk| chunk.len() == 7 && chunk.as_bytes()[3] == b' ')
                    .map(|chunk| chunk.replace(' ', ""))
            })
        });
        if let Some(code) = found {
            break code;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no sign-in code arrived"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let answer = http_json(
        address,
        "/api/v1/auth/email-code/verify",
        serde_json::json!({"challenge": challenge, "code": code}),
    )
    .await;
    answer["token"].as_str().expect("a token").to_owned()
}

/// Sends one multipart upload of `pdf` as a passport scan; returns the status and the time.
async fn upload_pdf(
    address: &str,
    token: &str,
    body: Bytes,
    content_type: &str,
) -> (u16, Duration) {
    let (status, _, elapsed) = upload(address, token, body, content_type).await;
    (status, elapsed)
}

/// Sends one multipart upload; returns the status, the response body and the time.
async fn upload(
    address: &str,
    token: &str,
    body: Bytes,
    content_type: &str,
) -> (u16, Bytes, Duration) {
    use http_body_util::BodyExt;
    let started = Instant::now();
    let Ok(stream) = tokio::net::TcpStream::connect(address).await else {
        return (0, Bytes::new(), started.elapsed());
    };
    let Ok((mut sender, connection)) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await
    else {
        return (0, Bytes::new(), started.elapsed());
    };
    tokio::spawn(connection);
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("http://{address}/api/v1/me/documents"))
        .header("host", address)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Full::new(body))
        .expect("request");
    let (status, body) = match sender.send_request(request).await {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map(|collected| collected.to_bytes())
                .unwrap_or_default();
            (status, body)
        }
        Err(_) => (0, Bytes::new()),
    };
    (status, body, started.elapsed())
}

fn multipart_pdf(pdf: &[u8]) -> (String, Bytes) {
    multipart("passport", "scan.pdf", "application/pdf", pdf)
}

/// A `multipart/form-data` body with the document kind, then the file.
fn multipart(kind: &str, file_name: &str, file_type: &str, file: &[u8]) -> (String, Bytes) {
    let boundary = "izin-bench-boundary";
    let mut body = Vec::with_capacity(file.len() + 512);
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {file_type}\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (
        format!("multipart/form-data; boundary={boundary}"),
        Bytes::from(body),
    )
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `dd` copying the same bytes to the same disk, flushed like the upload is, as the baseline
/// for uploads: the median of nine runs, as for the uploads.
fn dd_bytes_per_second(dir: &Path, content: &[u8]) -> Option<f64> {
    let source = dir.join("dd-source.tmp");
    let target = dir.join("dd-baseline.tmp");
    std::fs::write(&source, content).ok()?;
    let mut rates = Vec::new();
    for _ in 0..9 {
        let started = Instant::now();
        let status = Command::new("dd")
            .arg(format!("if={}", source.display()))
            .arg(format!("of={}", target.display()))
            .arg("bs=1M")
            .arg("conv=fsync")
            .stderr(Stdio::null())
            .status()
            .ok()?;
        if status.success() {
            rates.push(content.len() as f64 / started.elapsed().as_secs_f64());
        }
        let _ = std::fs::remove_file(&target);
    }
    let _ = std::fs::remove_file(source);
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied()
}

async fn upload_scenarios(address: &str, token: &str, pid: u32, data: &Path) {
    const SIZE: usize = 10 * 1024 * 1024;
    let pdf = izin_documents::fixtures::large_pdf(SIZE - 4096);
    let (content_type, body) = multipart_pdf(&pdf);
    println!();
    println!(
        "uploads of a {:.1} MB PDF (passport scan), stored in {}",
        pdf.len() as f64 / 1_048_576.0,
        data.join("files").display()
    );
    // Warm up once, then measure the peak resident memory of one upload against the level before.
    let (status, _) = upload_pdf(address, token, body.clone(), &content_type).await;
    assert_eq!(status, 201, "the warm-up upload was refused");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    let before = status_kib(pid, "VmRSS:");
    let mut times = Vec::new();
    for _ in 0..9 {
        let (status, elapsed) = upload_pdf(address, token, body.clone(), &content_type).await;
        assert_eq!(status, 201, "an upload was refused");
        times.push(elapsed);
    }
    let peak = status_kib(pid, "VmHWM:");
    times.sort();
    let median = times[times.len() / 2];
    let upload_rate = pdf.len() as f64 / median.as_secs_f64();
    match (before, peak) {
        (Some(before), Some(peak)) => {
            let extra = peak.saturating_sub(before) as f64 / 1024.0;
            println!(
                "peak memory during 10 MB uploads: {extra:.1} MiB above the level before ({})",
                if extra < 20.0 {
                    "meets < 20 MiB"
                } else {
                    "MISSES < 20 MiB"
                }
            );
        }
        _ => println!("peak memory during uploads: unknown (no /proc)"),
    }
    match dd_bytes_per_second(data, &pdf) {
        Some(dd) => println!(
            "upload throughput {:.0} MB/s vs dd conv=fsync of the same bytes {:.0} MB/s on the same disk (medians of 9): {:.0} % ({})",
            upload_rate / 1e6,
            dd / 1e6,
            upload_rate / dd * 100.0,
            if upload_rate >= dd / 2.0 {
                "meets ≥ 50 %"
            } else {
                "MISSES ≥ 50 %"
            }
        ),
        None => println!(
            "upload throughput {:.0} MB/s; dd not available for the baseline",
            upload_rate / 1e6
        ),
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (address, token, body, content_type) = (
            address.to_owned(),
            token.to_owned(),
            body.clone(),
            content_type.clone(),
        );
        tasks.push(tokio::spawn(async move {
            upload_pdf(&address, &token, body, &content_type).await.0
        }));
    }
    let mut ok = 0;
    for task in tasks {
        if task.await.ok() == Some(201) {
            ok += 1;
        }
    }
    let elapsed = started.elapsed();
    println!(
        "16 concurrent 10 MB uploads: {ok}/16 succeeded in {:.2} s ({:.0} MB/s together) ({})",
        elapsed.as_secs_f64(),
        16.0 * pdf.len() as f64 / elapsed.as_secs_f64() / 1e6,
        if ok == 16 {
            "meets: all succeed"
        } else {
            "MISSES: all must succeed"
        }
    );
}

/// 16 photo uploads at once, each small on the wire but declaring far more pixels than may be
/// decoded, then 16 at once that are exactly at the pixel limit (decoded within the budget):
/// the server's peak resident memory above the level before, for each burst.
async fn hostile_image_scenarios(address: &str, token: &str, pid: u32) {
    use izin_documents::fixtures;
    const TARGET_MIB: f64 = 64.0;
    println!();
    let bombs: Vec<(&str, &str, Vec<u8>)> = (0..4)
        .flat_map(|_| {
            [
                ("bomb.png", "image/png", fixtures::png_bomb(7_000, 9_000)),
                (
                    "bomb16.png",
                    "image/png",
                    fixtures::png16_bomb(4_000, 5_000),
                ),
                (
                    "bomb.jpg",
                    "image/jpeg",
                    fixtures::jpeg_bomb(6_000, 8_000, false),
                ),
                (
                    "bomb-progressive.jpg",
                    "image/jpeg",
                    fixtures::jpeg_bomb(3_000, 4_000, true),
                ),
            ]
        })
        .collect();
    let wire: usize = bombs.iter().map(|(_, _, bytes)| bytes.len()).sum();
    println!(
        "16 concurrent hostile images (PNG 1-bit 63 MP, PNG 16-bit 20 MP, JPEG 48 MP, progressive JPEG 12 MP; {:.0} KB on the wire together)",
        wire as f64 / 1024.0
    );
    let (statuses, extra) = concurrent_uploads(address, token, pid, &bombs).await;
    let refused = statuses
        .iter()
        .filter(|(status, code)| (400..500).contains(status) && code == "image-too-large")
        .count();
    report_burst(
        "hostile images",
        refused,
        "refused with image-too-large",
        extra,
        TARGET_MIB,
    );

    let at_limit: Vec<(&str, &str, Vec<u8>)> = (0..16)
        .map(|_| {
            (
                "limit.png",
                "image/png",
                fixtures::png_bomb(4_000, izin_documents::MAX_PIXELS as u32 / 4_000),
            )
        })
        .collect();
    println!(
        "16 concurrent images at the pixel limit (PNG 1-bit 4000×6000, decoded and re-encoded)"
    );
    let (statuses, extra) = concurrent_uploads(address, token, pid, &at_limit).await;
    let stored = statuses.iter().filter(|(status, _)| *status == 201).count();
    report_burst("images at the limit", stored, "stored", extra, TARGET_MIB);
}

/// Uploads every file as a photo at once; returns each status and problem code, and the peak
/// resident memory above the level before, in MiB.
async fn concurrent_uploads(
    address: &str,
    token: &str,
    pid: u32,
    files: &[(&str, &str, Vec<u8>)],
) -> (Vec<(u16, String)>, Option<f64>) {
    let bodies: Vec<(String, Bytes)> = files
        .iter()
        .map(|(name, file_type, bytes)| multipart("photo", name, file_type, bytes))
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    let before = status_kib(pid, "VmRSS:");
    let start = Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let mut tasks = Vec::new();
    for (content_type, body) in bodies {
        let (address, token, start) = (address.to_owned(), token.to_owned(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let (status, body, _) = upload(&address, &token, body, &content_type).await;
            let code = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|problem| problem["errors"][0]["code"].as_str().map(str::to_owned))
                .unwrap_or_default();
            (status, code)
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap_or((0, String::new())));
    }
    let peak = status_kib(pid, "VmHWM:");
    let extra = before
        .zip(peak)
        .map(|(before, peak)| peak.saturating_sub(before) as f64 / 1024.0);
    (statuses, extra)
}

fn report_burst(what: &str, good: usize, verdict: &str, extra: Option<f64>, target_mib: f64) {
    println!(
        "  {good}/16 {verdict} ({})",
        if good == 16 {
            "meets: all 16"
        } else {
            "MISSES: all 16"
        }
    );
    match extra {
        Some(extra) => println!(
            "  peak memory during 16 concurrent {what}: {extra:.1} MiB above the level before ({})",
            if extra < target_mib {
                format!("meets < {target_mib:.0} MiB")
            } else {
                format!("MISSES < {target_mib:.0} MiB")
            }
        ),
        None => println!("  peak memory during {what}: unknown (no /proc)"),
    }
}

fn row(name: &str, outcome: &Outcome, baseline: Option<f64>, target: Option<f64>) {
    let share = baseline.map(|b| outcome.requests_per_second / b * 100.0);
    let verdict = match (share, target) {
        (Some(s), Some(t)) if s >= t => format!("meets ≥ {t:.0} %"),
        (Some(_), Some(t)) => format!("MISSES ≥ {t:.0} %"),
        _ => String::new(),
    };
    println!(
        "{name:<34} {:>10.0} {:>9.2} {:>9.2} {:>8} {:>9}  {verdict}",
        outcome.requests_per_second,
        outcome.p50_ms,
        outcome.p99_ms,
        share.map_or("—".into(), |s| format!("{s:.0} %")),
        outcome.errors,
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let subcommand = match args.first().map(String::as_str) {
        Some("seed") => Some(seed::main(&args[1..]).await),
        Some("queue") => Some(queue::main(&args[1..]).await),
        Some("payments") => Some(payments::main(&args[1..]).await),
        Some("documents") => Some(documents::main(&args[1..]).await),
        _ => None,
    };
    if let Some(result) = subcommand {
        if let Err(e) = result {
            eprintln!("izin-bench: {e}");
            std::process::exit(1);
        }
        return;
    }
    let options = match options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("izin-bench: {e}");
            std::process::exit(2);
        }
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Izin benchmark: {} connections, {} s per scenario after {} s warm-up, {cores} cores, loopback",
        options.connections,
        options.duration.as_secs(),
        options.warmup.as_secs()
    );
    let workdir = tempfile::tempdir().expect("temp dir");
    let data = workdir.path().join("data");

    // Start-up on an existing database: create it, stop, start again and time until it answers.
    let port = free_port();
    let address = format!("127.0.0.1:{port}");
    {
        let first = start_izin(&data, port);
        wait_until_up(&address, "/healthz").await;
        drop(first);
    }
    let started = Instant::now();
    let izin = start_izin(&data, port);
    wait_until_up(&address, "/healthz").await;
    let startup = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss = resident_kib(izin.pid());

    let hello_port = free_port();
    let hello_address = format!("127.0.0.1:{hello_port}");
    let hello = Process(
        Command::new(release_binary("bench-hello"))
            .arg(&hello_address)
            .spawn()
            .expect("start bench-hello"),
    );
    wait_until_up(&hello_address, "/").await;

    let token = sign_in(&address, &data.join("outbox")).await;
    if options.images_only {
        hostile_image_scenarios(&address, &token, izin.pid()).await;
        return;
    }
    let run = |address: String, make: MakeRequest| {
        let (connections, warmup, duration) =
            (options.connections, options.warmup, options.duration);
        async move { load::run(&address, connections, warmup, duration, make).await }
    };

    println!();
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>8} {:>9}",
        "scenario", "req/s", "p50 ms", "p99 ms", "vs hello", "errors"
    );
    if !options.applications_only {
        let baseline = run(hello_address.clone(), get(&hello_address, "/", &[])).await;
        row("bare axum hello (baseline)", &baseline, None, None);
        let home = run(
            address.clone(),
            get(
                &address,
                "/",
                &[("accept-language", "tr-TR,tr;q=0.9".into())],
            ),
        )
        .await;
        row(
            "home page",
            &home,
            Some(baseline.requests_per_second),
            Some(40.0),
        );
        let me = run(
            address.clone(),
            get(
                &address,
                "/api/v1/me",
                &[("authorization", format!("Bearer {token}"))],
            ),
        )
        .await;
        row(
            "GET /api/v1/me (bearer token)",
            &me,
            Some(baseline.requests_per_second),
            Some(30.0),
        );
        let uri = format!("http://{address}/api/v1/auth/email-code");
        let host = address.clone();
        let code_request: MakeRequest = Arc::new(move |n| {
            let body = format!("{{\"email\":\"bench{n}@example.com\"}}");
            Request::builder()
                .method(Method::POST)
                .uri(&uri)
                .header("host", &host)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(body)))
                .expect("request")
        });
        let codes = run(address.clone(), code_request).await;
        row(
            "POST /api/v1/auth/email-code",
            &codes,
            Some(baseline.requests_per_second),
            None,
        );

        upload_scenarios(&address, &token, izin.pid(), &data).await;
        hostile_image_scenarios(&address, &token, izin.pid()).await;
    }

    println!();
    println!(
        "Applications (32 users submitting prepared drafts at once; raw insert rate of the same database)"
    );
    let sqlite_store = izin_store::open(&izin_store::DatabaseUrl::Sqlite {
        path: data.join("izin.db"),
    })
    .await
    .expect("open the benchmark's SQLite database");
    application_scenarios(
        "SQLite",
        &address,
        sqlite_store,
        RawTarget::Sqlite(data.join("bench-raw.db")),
        &options,
    )
    .await;
    match postgres_database(&options.postgres).await {
        Ok((url, cleanup)) => {
            let pg_port = free_port();
            let pg_address = format!("127.0.0.1:{pg_port}");
            let pg_data = workdir.path().join("data-pg");
            let pg_izin = start_izin_with(&pg_data, pg_port, &["--database-url", &url]);
            wait_until_up(&pg_address, "/healthz").await;
            let pg_store =
                izin_store::open(&izin_store::DatabaseUrl::Postgres { url: url.clone() })
                    .await
                    .expect("open the benchmark's PostgreSQL database");
            application_scenarios(
                "PostgreSQL",
                &pg_address,
                pg_store,
                RawTarget::Postgres(url),
                &options,
            )
            .await;
            drop(pg_izin);
            cleanup.await;
        }
        Err(why) => println!("PostgreSQL scenarios skipped: {why}"),
    }

    println!();
    match idle_rss {
        Some(kib) => {
            let mib = kib as f64 / 1024.0;
            println!(
                "idle resident memory of izin: {mib:.1} MiB ({})",
                if mib <= 30.0 {
                    "meets ≤ 30 MiB"
                } else {
                    "MISSES ≤ 30 MiB"
                }
            );
        }
        None => println!("idle resident memory of izin: unknown (no /proc)"),
    }
    println!(
        "start-up on an existing database: {} ms ({})",
        startup.as_millis(),
        if startup < Duration::from_secs(1) {
            "meets < 1 s"
        } else {
            "MISSES < 1 s"
        }
    );
    drop(hello);
    drop(izin);
}

enum RawTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

/// A scratch database on the given server, and the future that drops it.
async fn postgres_database(
    server: &str,
) -> Result<
    (
        String,
        std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>,
    ),
    String,
> {
    let (admin, connection) = tokio_postgres::connect(server, tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("cannot connect to {server} (--postgres): {e}"))?;
    tokio::spawn(connection);
    let name = format!("izin_bench_{}", std::process::id());
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .map_err(|e| format!("cannot create a scratch database: {e}"))?;
    let fsync: String = admin
        .query_one("SHOW fsync", &[])
        .await
        .map(|row| row.get(0))
        .unwrap_or_else(|_| "?".into());
    println!("PostgreSQL at {server} (fsync={fsync}), scratch database {name}");
    let url = replace_database(server, &name);
    let cleanup = Box::pin(async move {
        let _ = admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
    });
    Ok((url, cleanup))
}

/// `postgres://user@host:port/db?x` with another database name.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{database}?{q}"),
        None => format!("{prefix}/{database}"),
    }
}

async fn application_scenarios(
    name: &str,
    address: &str,
    store: Arc<dyn izin_store::Store>,
    raw: RawTarget,
    options: &Options,
) {
    let users = 32;
    let started = Instant::now();
    let prepared = applications::prepare_submitters(store.clone(), options.submissions, 8).await;
    println!(
        "  {name}: prepared {} applicants with ready drafts in {:.1} s",
        prepared.len(),
        started.elapsed().as_secs_f64()
    );
    let payload = applications::raw_payload();
    let raw_rate = match &raw {
        RawTarget::Sqlite(path) => {
            applications::raw_insert_rate_sqlite(path, users, Duration::from_secs(5), &payload)
                .await
        }
        RawTarget::Postgres(url) => {
            applications::raw_insert_rate_postgres(url, users, Duration::from_secs(5), &payload)
                .await
        }
    };
    let total = prepared.len() as u64;
    let submit = load::run_count(
        address,
        users,
        total,
        applications::submit_request(address, Arc::new(prepared)),
    )
    .await;
    println!(
        "{:<34} {:>10} {:>9} {:>9} {:>8} {:>9}",
        "scenario", "req/s", "p50 ms", "p99 ms", "vs raw", "errors"
    );
    println!(
        "{:<34} {:>10.0} {:>9} {:>9} {:>8} {:>9}",
        format!("{name} raw inserts of one row"),
        raw_rate,
        "—",
        "—",
        "—",
        0
    );
    row(
        &format!("{name} POST …/submit"),
        &submit,
        Some(raw_rate),
        Some(50.0),
    );
    let token = applications::prepare_history(store, 50).await;
    // The API takes the token as a bearer, the pages as the session cookie.
    for (label, path, credentials) in [
        (
            "GET /api/v1/applications (50)",
            "/api/v1/applications",
            ("authorization", format!("Bearer {token}")),
        ),
        (
            "GET /applications page (50)",
            "/applications",
            ("cookie", format!("izin_session={token}")),
        ),
    ] {
        let make = get(address, path, &[credentials]);
        match load::probe(address, &make).await {
            Some((status, body)) if status == hyper::StatusCode::OK => {
                let shown = if path.starts_with("/api/") {
                    serde_json::from_slice::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|list| list.as_array().map(Vec::len))
                        .unwrap_or(0)
                } else {
                    String::from_utf8_lossy(&body)
                        .matches("data-application=")
                        .count()
                };
                assert_eq!(shown, 50, "{path} shows {shown} rows, not 50");
            }
            other => panic!(
                "{path} does not answer 200: {:?}",
                other.map(|(status, _)| status)
            ),
        }
        let outcome = load::run(
            address,
            8,
            Duration::from_secs(1),
            Duration::from_secs(5),
            make,
        )
        .await;
        row(&format!("{name} {label}"), &outcome, None, None);
        println!(
            "{:<34} p99 {:.2} ms ({})",
            "",
            outcome.p99_ms,
            if outcome.p99_ms <= 10.0 {
                "meets ≤ 10 ms"
            } else {
                "MISSES ≤ 10 ms"
            }
        );
    }
}
