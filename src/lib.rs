//! nianbao: write, check, export and compile the annual report on government information disclosure
//! (政府信息公开工作年度报告).
//!
//! This crate is the application: the window ([`app`], [`ui`]), the command line ([`cli`]) and the clerk's safety
//! net ([`recovery`], [`crash`]). Everything else lives in the egui-free core crate `nianbao_core`, re-exported
//! here under the same module names. See `ARCHITECTURE.md`.

pub use nianbao_core::{checks, export, fields, fsio, import, messages, open, project, report, template, yearly};

pub mod app;
pub mod cli;
pub mod crash;
pub mod document;
pub mod paths;
pub mod recovery;
pub mod ui;
