//! The HTML pages.

pub(crate) mod applications;
mod auth;
mod dev;
mod dev_cargo;
mod dev_pay;
mod documents;
pub(crate) mod fields;
mod officer;
mod panel;
pub(crate) mod payment_panel;
mod profile;
mod public;
pub(crate) mod verify;

use crate::WebState;
use axum::Router;

pub fn router() -> Router<WebState> {
    Router::new()
        .merge(public::router())
        .merge(verify::router())
        .merge(auth::router())
        .merge(panel::router())
        .merge(dev::router())
        .merge(dev_pay::router())
        .merge(dev_cargo::router())
        .merge(profile::router())
        .merge(documents::router())
        .merge(applications::router())
        .merge(officer::router())
}
