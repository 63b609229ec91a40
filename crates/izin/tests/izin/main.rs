//! The `izin` binary itself: configuration errors, start-up and shutdown, several instances on
//! one PostgreSQL, and a person signing in through headless Chromium.

mod support;

mod application_browser;
mod back_office_browser;
mod browser;
mod cli;
mod instances;
mod keys_cli;
mod new_card_browser;
mod payments_cli;
mod wizard_browser;
