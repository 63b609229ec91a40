//! Request metrics (count and latency per route) and one log line per failed request.

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || unmatched(request.uri().path()),
        |p| p.as_str().to_owned(),
    );
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status();
    let route = metrics::SharedString::from(route);
    let labels = [
        metrics::Label::new("method", method),
        metrics::Label::new("route", route.clone()),
        metrics::Label::new("status", status.as_u16().to_string()),
    ];
    metrics::counter!("izin_http_requests_total", labels.to_vec()).increment(1);
    metrics::histogram!("izin_http_request_duration_seconds", labels[..2].to_vec())
        .record(elapsed.as_secs_f64());
    if status.is_server_error() {
        tracing::error!(%method, %route, status = status.as_u16(), ms = elapsed.as_millis() as u64, "request failed");
    } else {
        tracing::debug!(%method, %route, status = status.as_u16(), us = elapsed.as_micros() as u64, "request");
    }
    response
}

/// The method as a label without allocating (the ones the portal routes; others are grouped).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// Groups unmatched paths so scanners cannot blow up the metric's label set.
fn unmatched(path: &str) -> String {
    if path.starts_with("/static/") {
        "/static/{name}".to_owned()
    } else if path.starts_with("/api/") {
        "/api/(unmatched)".to_owned()
    } else {
        "(unmatched)".to_owned()
    }
}
