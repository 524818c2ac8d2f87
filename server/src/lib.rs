//! argus-lsp: a language server for end-to-end test code.
//!
//! Layers, lowest first (a layer never imports a higher one):
//! `text` → `syntax` → `analysis` → `workspace` → `lsp` / `cli`.
//! `text`, `syntax` and `analysis` are pure: data in, data out, no IO.

pub mod text;
pub mod syntax;
pub mod config;
pub mod analysis;
pub mod workspace;
pub mod logging;
pub mod lsp;
pub mod cli;
pub mod failures;
pub mod store;
pub mod sources;
pub mod heal;
pub mod browser;
