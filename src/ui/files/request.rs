//! What a file dialog is asked for ([`FileRequest`]) and what it answers ([`Picked`]).

use std::path::{Path, PathBuf};

/// The kinds of file a report can be read from (decided by content; these names are what the dialogs offer).
pub const REPORT_EXTENSIONS: &[&str] = &["nianbao", "json", "txt", "htm", "html", "docx", "pdf"];

/// What a chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open a report (project, JSON or text).
    Open,
    /// Save the project under a new name.
    SaveAs,
    /// Write the export.
    Export,
    /// Add unit reports to the 汇总 list.
    MergeUnits,
    /// Write the per-unit breakdown as CSV.
    BreakdownCsv,
}

/// Whether the dialog picks existing files or names a file to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogMode {
    /// One existing file.
    Open,
    /// Several existing files.
    OpenMany,
    /// A file to write.
    Save,
}

/// A file dialog to show.
#[derive(Clone, Debug)]
pub struct FileRequest {
    /// What the path is for.
    pub purpose: Purpose,
    /// Window title (Chinese).
    pub title: String,
    /// Open, open several, or save.
    pub mode: DialogMode,
    /// Filters of the native dialog: (name, extensions without dot).
    pub filters: Vec<(String, Vec<String>)>,
    /// File name suggested when saving.
    pub file_name: Option<String>,
    /// Folder the dialog starts in.
    pub directory: Option<PathBuf>,
    /// Extension added to a typed or chosen path that has none (saving).
    pub default_extension: Option<String>,
}

impl FileRequest {
    /// A request with no filters, name or folder.
    pub fn new(purpose: Purpose, title: impl Into<String>, mode: DialogMode) -> FileRequest {
        FileRequest {
            purpose,
            title: title.into(),
            mode,
            filters: Vec::new(),
            file_name: None,
            directory: None,
            default_extension: None,
        }
    }

    /// Adds a filter of the native dialog.
    #[must_use]
    pub fn filter(mut self, name: &str, extensions: &[&str]) -> FileRequest {
        self.filters
            .push((name.to_string(), extensions.iter().map(ToString::to_string).collect()));
        self
    }

    /// Suggests a file name and the folder of `near` (a file beside which to save).
    #[must_use]
    pub fn suggest(mut self, file_name: Option<String>, near: Option<&Path>) -> FileRequest {
        self.file_name = file_name;
        self.directory = near
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(default_folder);
        self
    }

    /// Sets the extension added to paths without one.
    #[must_use]
    pub fn default_extension(mut self, ext: &str) -> FileRequest {
        self.default_extension = Some(ext.to_string());
        self
    }

    /// Adds the default extension to `p` when it has none.
    pub(super) fn complete(&self, p: PathBuf) -> PathBuf {
        match (&self.default_extension, p.extension()) {
            (Some(ext), None) => p.with_extension(ext),
            _ => p,
        }
    }
}

/// The folder a file is saved in when it has none yet: the clerk's documents folder (文档 / Documents), else
/// the home folder, else the current folder — always an absolute path, so the clerk sees where the file goes.
pub fn default_folder() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .filter(|h| h.is_absolute());
    if let Some(home) = home {
        let docs = ["文档", "Documents"].iter().map(|d| home.join(d)).find(|d| d.is_dir());
        return Some(docs.unwrap_or(home));
    }
    std::env::current_dir().ok()
}

/// Paths chosen in a file dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    /// What they are for.
    pub purpose: Purpose,
    /// The paths (one unless [`DialogMode::OpenMany`]).
    pub paths: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_extension_only_when_missing() {
        let req = FileRequest::new(Purpose::SaveAs, "x", DialogMode::Save).default_extension("nianbao");
        assert_eq!(req.complete("a".into()), PathBuf::from("a.nianbao"));
        assert_eq!(req.complete("a.txt".into()), PathBuf::from("a.txt"));
    }
}
