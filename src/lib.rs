//! nianbao: write, check, export and compile the annual report on government information disclosure
//! (政府信息公开工作年度报告).
//!
//! Data flows one way: [`template`] (the editions as data) → [`report`] (what the clerk filled in) →
//! [`checks`] / [`export`] / [`import`] / [`project`] / [`yearly`]. Only [`ui`] and [`app`] know egui.
//! See `ARCHITECTURE.md`.

pub mod app;
pub mod checks;
pub mod cli;
pub mod crash;
pub mod export;
pub mod import;
pub mod open;
pub mod project;
pub mod recovery;
pub mod report;
pub mod template;
pub mod ui;
pub mod yearly;
