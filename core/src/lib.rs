//! The core of nianbao, without a window: the template editions as data, the report model, the checks, the
//! formats (text, JSON, HTML, project file), the import of published reports, next year's report and 汇总.
//!
//! Data flows one way: [`template`] (the editions as data) → [`report`] (what the clerk filled in) →
//! [`checks`] / [`export`] / [`import`] / [`project`] / [`yearly`]; [`open`] reads any input file into a
//! [`report::Report`]. Nothing here depends on egui or eframe: the app crate (`nianbao`) owns the window and the
//! command line. See `ARCHITECTURE.md`.

pub mod checks;
pub mod export;
pub mod fields;
pub mod fsio;
pub mod import;
pub mod messages;
pub mod open;
pub mod project;
pub mod report;
pub mod template;
pub mod yearly;
