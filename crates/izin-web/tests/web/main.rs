//! Izin's web layer driven through the real router, in-process, on SQLite and on PostgreSQL.

mod harness;

mod api;
mod application_pages;
mod applications;
mod auth_pages;
mod back_office;
mod documents;
mod entry_passport;
mod new_card;
mod operations;
mod payments;
mod profile;
mod proof;
mod registries;
mod ways_in;
mod wizard_rules;
