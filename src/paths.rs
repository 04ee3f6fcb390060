//! Where nianbao keeps its own files, one rule for all of them: an environment variable first (tests and
//! scripts), else the folder the operating system assigns through the `directories` crate:
//!
//! | what | override | Linux | macOS | Windows |
//! |---|---|---|---|---|
//! | data (recovery copy, crash logs) | `NIANBAO_DATA_DIR` | `$XDG_DATA_HOME/nianbao`, `~/.local/share/nianbao` | `~/Library/Application Support/nianbao` | `%APPDATA%\nianbao` |
//! | settings | `NIANBAO_CONFIG_DIR` | `$XDG_CONFIG_HOME/nianbao`, `~/.config/nianbao` | `~/Library/Application Support/nianbao` | `%APPDATA%\nianbao` |

use std::path::PathBuf;

/// Env var overriding the data folder.
pub const DATA_DIR_ENV: &str = "NIANBAO_DATA_DIR";

/// Env var overriding the settings folder.
pub const CONFIG_DIR_ENV: &str = "NIANBAO_CONFIG_DIR";

/// The app's name in the folders above.
const APP: &str = "nianbao";

/// The data folder; `None` when there is no home folder to put it in.
pub fn data_dir() -> Option<PathBuf> {
    env_dir(DATA_DIR_ENV).or_else(|| directories::BaseDirs::new().map(|d| d.data_dir().join(APP)))
}

/// The settings folder; `None` when there is no home folder to put it in.
pub fn config_dir() -> Option<PathBuf> {
    env_dir(CONFIG_DIR_ENV).or_else(|| directories::BaseDirs::new().map(|d| d.config_dir().join(APP)))
}

fn env_dir(key: &str) -> Option<PathBuf> {
    std::env::var_os(key).filter(|v| !v.is_empty()).map(PathBuf::from)
}
