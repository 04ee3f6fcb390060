//! What the window keeps between runs ([`Settings`]: theme, zoom, recent files, window place) and the
//! default year of a new report.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Settings kept between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Dark theme instead of the light default.
    pub dark: bool,
    /// Zoom factor (1.0 = 100 %).
    pub zoom: f32,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
    /// The main window's place and inner size when it was last closed: `[x, y, width, height]`.
    pub window: Option<[f32; 4]>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            dark: false,
            zoom: 1.0,
            recent: Vec::new(),
            window: None,
        }
    }
}

impl Settings {
    /// Where the settings live: `settings.ron` in [`crate::paths::config_dir`].
    pub(super) fn path() -> Option<PathBuf> {
        crate::paths::config_dir().map(|d| d.join("settings.ron"))
    }

    /// Settings files larger than this are ignored (a real one is a few hundred bytes).
    const MAX_BYTES: u64 = 1024 * 1024;

    /// Loads the settings; defaults when missing or unreadable (settings are a convenience, never an error).
    pub fn load() -> Settings {
        Settings::path()
            .and_then(|p| crate::fsio::read_capped(&p, Settings::MAX_BYTES).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| ron::from_str(&s).ok())
            .unwrap_or_default()
    }

    /// Saves the settings; failures are only logged.
    pub fn save(&self) {
        if let Some(path) = Settings::path() {
            self.save_to(&path);
        }
    }

    /// Saves the settings to `path` (atomically, like every file nianbao writes); failures are only logged.
    pub fn save_to(&self, path: &Path) {
        let text = match ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()) {
            Ok(t) => t,
            Err(e) => return eprintln!("nianbao：无法保存设置：{}", crate::messages::ron_message(&e)),
        };
        let result = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => std::fs::create_dir_all(dir).map_err(crate::fsio::FileError::Io),
            None => Ok(()),
        }
        .and_then(|()| crate::fsio::write_atomic(path, text.as_bytes()));
        if let Err(e) = result {
            eprintln!("nianbao：无法保存设置「{}」：{e}", path.display());
        }
    }
}

/// The year a new report is about: last year, by the local calendar (the system's time zone: in Beijing the
/// year turns at local midnight, eight hours before UTC's).
pub(super) fn default_year() -> i32 {
    report_year_at(&jiff::ZonedDateTime::now())
}

/// The year a report started at `now` is about: the year before `now`'s.
fn report_year_at(now: &jiff::ZonedDateTime) -> i32 {
    i32::from(now.year()) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_year_turns_at_local_midnight() {
        // 1 January 2026, 07:30 in Beijing is still 31 December 2025 in UTC: the report is already 2025's.
        let cases = [
            ("2026-01-01T07:30:00+08:00[Asia/Shanghai]", 2025),
            ("2025-12-31T23:59:59+08:00[Asia/Shanghai]", 2024),
            ("2026-01-01T00:00:00+00:00[UTC]", 2025),
        ];
        for (at, want) in cases {
            let now: jiff::ZonedDateTime = at.parse().unwrap();
            assert_eq!(report_year_at(&now), want, "{at}");
        }
        let beijing_morning: jiff::ZonedDateTime = "2026-01-01T07:30:00+08:00[Asia/Shanghai]".parse().unwrap();
        let same_instant_utc = beijing_morning.with_time_zone(jiff::tz::TimeZone::UTC);
        assert_eq!(
            report_year_at(&same_instant_utc),
            2024,
            "UTC alone would be a year behind"
        );
    }
}
