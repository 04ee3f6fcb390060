//! The panic hook: if nianbao ever panics, the clerk's unsaved work is written to the recovery copy and a short
//! crash log is left in the data directory before the process ends; the next start says where the log is.
//!
//! std only. The hook never panics itself (a panic in a panic hook aborts without the log): every step is
//! best-effort and errors are ignored.

use crate::recovery::{Guard, RecoveryStore, SharedSnapshot};
use std::fs;
use std::io::Write;
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};
use std::sync::TryLockError;

/// File in the data directory naming the crash log the next start should mention.
pub const PENDING_NOTICE: &str = "crash-pending.txt";

impl Guard {
    /// Starts recovery in `store`: reads the copy left by a previous run (the offer), takes the notice of a
    /// previous crash, and installs the panic hook. A damaged copy is set aside and reported, never deleted.
    ///
    /// Defined here, not in `recovery`: the panic hook builds on the recovery copy, not the other way round.
    pub fn start(store: RecoveryStore) -> Guard {
        let snapshot = Guard::new_snapshot();
        install(store.clone(), std::sync::Arc::clone(&snapshot));
        let mut guard = Guard::without_hook(store, snapshot);
        let log = take_notice(guard.store().dir());
        guard.set_crash_log(log);
        guard
    }
}

/// Installs the panic hook. `snapshot` is the window's shared copy of the unsaved report (`None` when there is
/// nothing unsaved); `store` is where the recovery copy and the crash log go. The previous hook (which prints the
/// message to stderr) still runs afterwards.
pub fn install(store: RecoveryStore, snapshot: SharedSnapshot) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let saved = save_snapshot(&store, &snapshot);
        let _ = write_crash_log(store.dir(), &panic_text(info), saved);
        previous(info);
    }));
}

/// Writes the snapshot to the recovery copy; returns whether one was written.
fn save_snapshot(store: &RecoveryStore, snapshot: &SharedSnapshot) -> bool {
    // try_lock: the panic may have happened while this very thread held the lock; waiting would deadlock.
    // A poisoned lock still holds the last complete snapshot (it is replaced whole), so use it.
    let guard = match snapshot.try_lock() {
        Ok(g) => g,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => return false,
    };
    match guard.as_ref() {
        Some(s) => store.write(&s.report, s.original_path.as_deref()).is_ok(),
        None => false,
    }
}

/// The message and location of a panic, and a backtrace (captured regardless of `RUST_BACKTRACE`).
pub fn panic_text(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(无文字说明)".to_string());
    let location = info.location().map_or_else(
        || "(未知位置)".to_string(),
        |l| format!("{}:{}:{}", l.file(), l.line(), l.column()),
    );
    let backtrace = std::backtrace::Backtrace::force_capture();
    format!(
        "panic: {msg}\nat: {location}\nthread: {:?}\n\nbacktrace:\n{backtrace}\n",
        std::thread::current().name()
    )
}

/// Writes `crash-YYYYMMDD-HHMMSS.log` (UTC) in `dir` and records it for the next start. Returns its path.
/// The log and the folder are readable by their owner only: the backtrace may name the clerk's files.
pub fn write_crash_log(dir: &Path, text: &str, recovery_saved: bool) -> std::io::Result<PathBuf> {
    crate::fsio::create_private_dir(dir).map_err(std::io::Error::other)?;
    let now = jiff::Timestamp::now();
    let stamp = now.strftime("%Y%m%d-%H%M%S").to_string();
    let mut n = 1;
    let (path, mut f) = loop {
        let path = if n == 1 {
            dir.join(format!("crash-{stamp}.log"))
        } else {
            // Two crashes in one second: do not overwrite the first log.
            dir.join(format!("crash-{stamp}-{n}.log"))
        };
        match private_new(&path) {
            Ok(f) => break (path, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    };
    writeln!(f, "nianbao {} 崩溃记录", env!("CARGO_PKG_VERSION"))?;
    writeln!(f, "时间（UTC）：{}", now.strftime("%Y-%m-%d %H:%M:%S"))?;
    writeln!(
        f,
        "未保存的内容：{}",
        if recovery_saved {
            "已写入恢复文件，下次启动时可以恢复"
        } else {
            "没有需要保存的内容，或无法保存"
        }
    )?;
    writeln!(f)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    crate::fsio::write_private(&dir.join(PENDING_NOTICE), path.to_string_lossy().as_bytes())
        .map_err(std::io::Error::other)?;
    Ok(path)
}

/// Creates a new file only its owner may read; fails if it exists.
fn private_new(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// The crash log of the previous run, if it crashed, and forgets it (the notice is shown once). `None` when the
/// previous run ended normally.
pub fn take_notice(dir: &Path) -> Option<PathBuf> {
    let marker = dir.join(PENDING_NOTICE);
    let text = fs::read_to_string(&marker).ok()?;
    let _ = fs::remove_file(&marker);
    let p = PathBuf::from(text.trim());
    (!text.trim().is_empty()).then_some(p)
}

/// The notice for the clerk.
pub fn notice_text(log: &Path) -> String {
    format!(
        "上次运行时程序意外退出，已记录崩溃信息：{}。如需帮助，请把这个文件发给技术支持。",
        log.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_log_is_written_once_and_noticed_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_crash_log(dir.path(), "panic: boom\n", true).unwrap();
        let b = write_crash_log(dir.path(), "panic: again\n", false).unwrap();
        assert_ne!(
            a, b,
            "a second crash in the same second must not overwrite the first log"
        );
        let text = fs::read_to_string(&a).unwrap();
        assert!(
            text.contains("panic: boom") && text.contains("已写入恢复文件"),
            "{text}"
        );
        assert_eq!(take_notice(dir.path()), Some(b.clone()));
        assert_eq!(take_notice(dir.path()), None, "the notice is shown once");
        assert!(notice_text(&b).contains(&b.display().to_string()));
    }

    #[cfg(unix)]
    #[test]
    fn crash_logs_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let log = write_crash_log(&data, "panic: boom\n", false).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(&data.join(PENDING_NOTICE)), 0o600);
        assert_eq!(mode(&data), 0o700);
        let name = log.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("crash-20") && name.ends_with(".log") && name.len() == "crash-20250101-000000.log".len(),
            "{name}"
        );
    }
}
