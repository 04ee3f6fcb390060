//! Export of a report: plain text in the official layout, JSON, HTML.

pub mod html;
pub mod json;
pub mod text;
