//! Request metrics (count and latency per route) and one log line per failed request.
//!
//! The metric handles are registered once per route, method and status and kept here: looking
//! a metric up by its labels on every request cost more than answering `/verify` from memory.

use crate::WebState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics::{Counter, Histogram};
use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

/// The request metrics' handles, by route. Routes are the router's patterns plus three groups
/// of unmatched paths, methods and statuses a handful each, so this stays small.
#[derive(Default)]
pub struct RequestMetrics {
    routes: RwLock<HashMap<String, RouteMetrics>>,
}

#[derive(Default)]
struct RouteMetrics {
    counters: Vec<(&'static str, u16, Counter)>,
    histograms: Vec<(&'static str, Histogram)>,
}

impl RouteMetrics {
    fn find(&self, method: &'static str, status: u16) -> Option<(&Counter, &Histogram)> {
        let counter = self
            .counters
            .iter()
            .find(|(m, s, _)| *m == method && *s == status)?;
        let histogram = self.histograms.iter().find(|(m, _)| *m == method)?;
        Some((&counter.2, &histogram.1))
    }

    fn register(&mut self, method: &'static str, route: &str, status: u16) {
        if !self.histograms.iter().any(|(m, _)| *m == method) {
            let labels = [("method", method.to_owned()), ("route", route.to_owned())];
            self.histograms.push((
                method,
                metrics::histogram!("izin_http_request_duration_seconds", &labels),
            ));
        }
        if !self
            .counters
            .iter()
            .any(|(m, s, _)| *m == method && *s == status)
        {
            let labels = [
                ("method", method.to_owned()),
                ("route", route.to_owned()),
                ("status", status.to_string()),
            ];
            self.counters.push((
                method,
                status,
                metrics::counter!("izin_http_requests_total", &labels),
            ));
        }
    }
}

impl RequestMetrics {
    fn record(&self, method: &'static str, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        {
            let routes = self.routes.read().unwrap_or_else(PoisonError::into_inner);
            if let Some((counter, histogram)) =
                routes.get(route).and_then(|r| r.find(method, status))
            {
                counter.increment(1);
                histogram.record(seconds);
                return;
            }
        }
        let mut routes = self.routes.write().unwrap_or_else(PoisonError::into_inner);
        let metrics = routes.entry(route.to_owned()).or_default();
        metrics.register(method, route, status);
        if let Some((counter, histogram)) = metrics.find(method, status) {
            counter.increment(1);
            histogram.record(seconds);
        }
    }
}

/// The outermost layer: measures the request, and gives the response the security headers
/// (one layer for both, as each layer costs a boxed service clone per request).
pub async fn edge(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let group = match matched {
        Some(_) => "",
        None => unmatched(request.uri().path()),
    };
    let mut response = next.run(request).await;
    crate::security::apply(response.headers_mut(), state.config.secure_cookies());
    let route = matched.as_ref().map_or(group, MatchedPath::as_str);
    let elapsed = started.elapsed();
    let status = response.status();
    state
        .request_metrics
        .record(method, route, status.as_u16(), elapsed);
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
fn unmatched(path: &str) -> &'static str {
    if path.starts_with("/static/") {
        "/static/{name}"
    } else if path.starts_with("/api/") {
        "/api/(unmatched)"
    } else {
        "(unmatched)"
    }
}
