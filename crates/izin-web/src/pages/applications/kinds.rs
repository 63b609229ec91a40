//! Where each kind of application plugs its pages into the shared ones: its step routes, how its
//! data is laid out for reading, and where its wizard starts. Adding a kind adds one arm to
//! [`pages_for`] and one line to [`routers`]; nothing else in the shared pages names a kind.

use super::sheet::Sheet;
use super::work_permit_exemption::ExemptionPages;
use crate::WebState;
use crate::context::RequestContext;
use axum::Router;
use izin_domain::application::Kind;
use izin_domain::profile::Profile;
use izin_domain::records::Document;
use std::collections::HashMap;
use uuid::Uuid;

/// What an application is laid out from: its data (as it is now, or as frozen), the User
/// Information it goes with and the documents it may cite.
pub(crate) struct SheetData<'a> {
    pub data: &'a serde_json::Value,
    pub profile: &'a Profile,
    pub email: &'a str,
    pub documents: &'a HashMap<Uuid, Document>,
    /// Links to where each section is changed (the preview); `None` on the Detail page.
    pub edit_base: Option<String>,
}

/// A kind's part of the pages.
pub(crate) trait KindPages: Send + Sync {
    /// The kind's application laid out for the preview and the Detail page.
    fn sheet(
        &self,
        ctx: &RequestContext,
        state: &WebState,
        source: &SheetData<'_>,
    ) -> Result<Sheet, serde_json::Error>;
    /// Where the preview's Back leads.
    fn back_from_preview(&self, id: Uuid) -> String;
    /// The first page of the kind's wizard before a draft exists (New Application); `None` for
    /// a kind that is started from another application.
    fn start_href(&self) -> Option<&'static str>;
}

/// The pages of `kind`.
pub(crate) fn pages_for(kind: Kind) -> &'static dyn KindPages {
    match kind {
        Kind::WorkPermitExemption => &ExemptionPages,
        Kind::NewCard => &super::new_card::NewCardPages,
    }
}

/// Every kind's own routes.
pub(crate) fn routers() -> Router<WebState> {
    Router::new()
        .merge(super::work_permit_exemption::router())
        .merge(super::new_card::router())
}
