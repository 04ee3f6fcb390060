//! The recent-files list (最近打开).

use std::path::{Path, PathBuf};

/// How many recent files are kept.
pub const RECENT_MAX: usize = 10;

/// The last opened or saved files, newest first. The app keeps them in its settings between runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentFiles {
    /// Newest first, at most [`RECENT_MAX`].
    pub paths: Vec<PathBuf>,
}

impl RecentFiles {
    /// A list from saved settings (cut to [`RECENT_MAX`]).
    pub fn from_paths(mut paths: Vec<PathBuf>) -> RecentFiles {
        paths.truncate(RECENT_MAX);
        RecentFiles { paths }
    }

    /// Puts `path` first (absolute where possible), drops duplicates and the oldest past [`RECENT_MAX`].
    pub fn push(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|q| q != &p);
        self.paths.insert(0, p);
        self.paths.truncate(RECENT_MAX);
    }

    /// Forgets `path` (it could not be opened).
    pub fn remove(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|q| q != &p && q != path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_keep_ten_newest_without_duplicates() {
        let mut r = RecentFiles::default();
        for i in 0..12 {
            r.push(Path::new(&format!("/tmp/r{i}.nianbao")));
        }
        r.push(Path::new("/tmp/r5.nianbao"));
        assert_eq!(r.paths.len(), RECENT_MAX);
        assert_eq!(r.paths[0], PathBuf::from("/tmp/r5.nianbao"));
        assert_eq!(r.paths.iter().filter(|p| p.ends_with("r5.nianbao")).count(), 1);
        assert!(!r.paths.contains(&PathBuf::from("/tmp/r0.nianbao")));
    }

    #[test]
    fn recent_files_forget_what_cannot_be_opened() {
        let mut r = RecentFiles::from_paths((0..15).map(|i| PathBuf::from(format!("/tmp/r{i}"))).collect());
        assert_eq!(r.paths.len(), RECENT_MAX);
        r.remove(Path::new("/tmp/r3"));
        assert!(!r.paths.contains(&PathBuf::from("/tmp/r3")));
        assert_eq!(r.paths.len(), RECENT_MAX - 1);
    }
}
