//! The work queue of an authority: oldest submission first, with filters, a search box (by
//! application number, foreigner ID, passport number or the beginning of a name, Turkish letters
//! and accents forgiven), counts per status and keyset pages that stay stable while new
//! applications arrive (a page starts after the last one shown, not at an offset).

use super::{BackOffice, BackOfficeError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use izin_domain::application::{Kind, Status};
use izin_domain::audit::ClientInfo;
use izin_domain::back_office::Search;
use izin_domain::calendar::TURKIYE;
use izin_domain::profile::Violation;
use izin_domain::records::Officer;
use izin_store::{Assigned, QueueCursor, QueuePage, QueueQuery};
use std::collections::HashMap;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

/// How many applications a page shows.
pub const PAGE_SIZE: u32 = 50;

/// Whose applications to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssignedFilter {
    #[default]
    Anyone,
    Me,
    Unassigned,
}

impl AssignedFilter {
    pub fn parse(code: &str) -> Option<AssignedFilter> {
        match code {
            "" | "anyone" => Some(AssignedFilter::Anyone),
            "me" => Some(AssignedFilter::Me),
            "none" | "unassigned" => Some(AssignedFilter::Unassigned),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            AssignedFilter::Anyone => "anyone",
            AssignedFilter::Me => "me",
            AssignedFilter::Unassigned => "none",
        }
    }
}

/// The queue's filters as a person or a client gives them.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    /// Submitted on or after this day (Türkiye time).
    pub submitted_from: Option<Date>,
    /// Submitted on or before this day (Türkiye time).
    pub submitted_to: Option<Date>,
    pub nationality: Option<String>,
    pub assigned: AssignedFilter,
    pub q: Option<String>,
    /// The `next` of the page before.
    pub after: Option<String>,
}

/// One page of the queue, with the counts per status and who holds what.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub page: QueuePage,
    /// The authority's submitted applications per status.
    pub counts: Vec<(Status, i64)>,
    /// The holders' addresses, by officer id.
    pub holders: HashMap<Uuid, String>,
    /// The `after` of the next page.
    pub next: Option<String>,
}

/// `next`/`after` as clients see it: opaque, URL-safe.
pub fn encode_cursor(cursor: QueueCursor) -> String {
    let micros = cursor.submitted_at.unix_timestamp_nanos() / 1_000;
    URL_SAFE_NO_PAD.encode(format!("{micros}.{}", cursor.id.simple()))
}

/// The cursor a client sent back, if it is one of ours.
pub fn parse_cursor(text: &str) -> Option<QueueCursor> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(text.trim()).ok()?).ok()?;
    let (micros, id) = raw.split_once('.')?;
    let micros: i128 = micros.parse().ok()?;
    Some(QueueCursor {
        submitted_at: OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1_000)?).ok()?,
        id: Uuid::parse_str(id).ok()?,
    })
}

fn start_of(day: Date) -> OffsetDateTime {
    day.with_time(Time::MIDNIGHT).assume_offset(TURKIYE)
}

impl BackOffice<'_> {
    /// A page of the officer's authority's queue. A search is a read of personal data and is
    /// audited.
    pub async fn queue(
        &self,
        officer: &Officer,
        filter: &QueueFilter,
        client: &ClientInfo,
    ) -> Result<QueueView, BackOfficeError> {
        let after = match filter.after.as_deref().filter(|a| !a.is_empty()) {
            Some(text) => Some(parse_cursor(text).ok_or_else(|| {
                BackOfficeError::Invalid(vec![Violation::new("after", "queue-cursor-invalid")])
            })?),
            None => None,
        };
        let search = filter.q.as_deref().and_then(Search::parse);
        let query = QueueQuery {
            authority: officer.authority,
            status: filter.status,
            kind: filter.kind,
            category: filter.category.clone().filter(|c| !c.is_empty()),
            submitted_from: filter.submitted_from.map(start_of),
            submitted_before: filter
                .submitted_to
                .map(|day| start_of(day) + Duration::days(1)),
            nationality: filter
                .nationality
                .as_deref()
                .map(|n| n.trim().to_ascii_uppercase())
                .filter(|n| !n.is_empty()),
            assigned: match filter.assigned {
                AssignedFilter::Anyone => Assigned::Anyone,
                AssignedFilter::Me => Assigned::To(officer.id),
                AssignedFilter::Unassigned => Assigned::Unassigned,
            },
            search: search.clone(),
            after,
            limit: PAGE_SIZE,
        };
        if let Some(search) = &search {
            self.record_read(
                officer,
                format!("queue:{}", officer.authority.code()),
                "search",
                Some(("by", searched_by(search).to_owned())),
                client,
            )
            .await?;
        }
        let (page, counts, officers) = tokio::try_join!(
            self.app.store.queue(query),
            self.app.store.queue_counts(officer.authority),
            self.app.store.officers(Some(officer.authority)),
        )?;
        let holders = officers.into_iter().map(|o| (o.id, o.email)).collect();
        let next = page.next.map(encode_cursor);
        Ok(QueueView {
            page,
            counts,
            holders,
            next,
        })
    }
}

/// What a search was by, for the audit log (never the searched value itself).
fn searched_by(search: &Search) -> &'static str {
    match search {
        Search::Number(_) => "number",
        Search::ForeignerId(_) => "foreigner_id",
        Search::Passport(_) => "passport_number",
        Search::Name(_) => "name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_junk_is_refused() {
        let cursor = QueueCursor {
            submitted_at: OffsetDateTime::from_unix_timestamp(1_780_000_000).unwrap()
                + Duration::microseconds(123_456),
            id: Uuid::from_u128(0x1234),
        };
        assert_eq!(parse_cursor(&encode_cursor(cursor)), Some(cursor));
        for junk in ["", "abc", "MTIz", &URL_SAFE_NO_PAD.encode("x.y")] {
            assert_eq!(parse_cursor(junk), None, "{junk}");
        }
    }

    #[test]
    fn assigned_filters_parse() {
        assert_eq!(AssignedFilter::parse("me"), Some(AssignedFilter::Me));
        assert_eq!(AssignedFilter::parse(""), Some(AssignedFilter::Anyone));
        assert_eq!(
            AssignedFilter::parse("none"),
            Some(AssignedFilter::Unassigned)
        );
        assert_eq!(AssignedFilter::parse("boss"), None);
    }
}
