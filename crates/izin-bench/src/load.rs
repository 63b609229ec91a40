//! A closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next
//! request as soon as the previous answer is read. Reports throughput and latency percentiles.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Builds the n-th request of a run.
pub type MakeRequest = Arc<dyn Fn(u64) -> Request<Full<Bytes>> + Send + Sync>;

#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

pub async fn run(
    address: &str,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    make: MakeRequest,
) -> Outcome {
    let counter = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let measure_from = start + warmup;
    let stop_at = measure_from + duration;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let address = address.to_owned();
        let make = make.clone();
        let counter = counter.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(100_000);
            'reconnect: while Instant::now() < stop_at {
                let Ok(stream) = tokio::net::TcpStream::connect(&address).await else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let Ok((mut sender, connection)) =
                    hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
                else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                tokio::spawn(connection);
                while Instant::now() < stop_at {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    let request = make(n);
                    let sent = Instant::now();
                    let ok = match sender.send_request(request).await {
                        Ok(response) => {
                            let status = response.status();
                            let body = response.into_body().collect().await;
                            body.is_ok() && status.is_success()
                        }
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            continue 'reconnect;
                        }
                    };
                    let finished = Instant::now();
                    if finished >= measure_from && finished < stop_at {
                        if ok {
                            latencies.push((finished - sent).as_micros() as u32);
                        } else {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        if let Ok(latencies) = task.await {
            all.extend(latencies);
        }
    }
    all.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if all.is_empty() {
            return f64::NAN;
        }
        let index = ((all.len() as f64 - 1.0) * p).round() as usize;
        f64::from(all[index]) / 1000.0
    };
    Outcome {
        requests_per_second: all.len() as f64 / duration.as_secs_f64(),
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        errors: errors.load(Ordering::Relaxed),
    }
}

/// Sends one request as a measured run would and returns its status and body, so a scenario can
/// make sure it measures the answer it means to (not, say, a redirect to the sign-in page).
pub async fn probe(address: &str, make: &MakeRequest) -> Option<(hyper::StatusCode, Bytes)> {
    let stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    tokio::spawn(connection);
    let response = sender.send_request(make(0)).await.ok()?;
    let status = response.status();
    let body = response.into_body().collect().await.ok()?.to_bytes();
    Some((status, body))
}

/// Sends requests `0..total` over `connections` keep-alive connections, as fast as answers come,
/// and reports the whole run (for scenarios whose requests each change state once, like
/// submitting a prepared draft).
pub async fn run_count(
    address: &str,
    connections: usize,
    total: u64,
    make: MakeRequest,
) -> Outcome {
    let counter = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let address = address.to_owned();
        let make = make.clone();
        let counter = counter.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let Ok(stream) = tokio::net::TcpStream::connect(&address).await else {
                errors.fetch_add(1, Ordering::Relaxed);
                return latencies;
            };
            let _ = stream.set_nodelay(true);
            let Ok((mut sender, connection)) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
            else {
                errors.fetch_add(1, Ordering::Relaxed);
                return latencies;
            };
            tokio::spawn(connection);
            loop {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                let sent = Instant::now();
                match sender.send_request(make(n)).await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        let body = response.into_body().collect().await;
                        if ok && body.is_ok() {
                            latencies.push(sent.elapsed().as_micros() as u32);
                        } else {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Err(_) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        if let Ok(latencies) = task.await {
            all.extend(latencies);
        }
    }
    let elapsed = start.elapsed();
    all.sort_unstable();
    let percentile = |p: f64| -> f64 {
        if all.is_empty() {
            return f64::NAN;
        }
        let index = ((all.len() as f64 - 1.0) * p).round() as usize;
        f64::from(all[index]) / 1000.0
    };
    Outcome {
        requests_per_second: all.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: percentile(0.50),
        p99_ms: percentile(0.99),
        errors: errors.load(Ordering::Relaxed),
    }
}
