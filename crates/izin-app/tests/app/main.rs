//! The services driven on a real store: one test binary for the crate.

mod officers;
mod registries;
