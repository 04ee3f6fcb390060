//! The recovery copy: what the clerk typed since the last save, kept in the app's data directory so that a
//! crash, a kill or a power cut loses at most a few seconds of work.
//!
//! The copy is never written over the clerk's own file: it lives in the data directory
//! ([`crate::paths::data_dir`]), is written atomically and readable by the clerk only ([`crate::fsio::write_private`]),
//! and is removed after a save or an explicit discard.
//! Pure file logic, no egui: the window decides when to call it (see `app.rs`), the panic hook (the `crash`
//! module, which builds on this one and starts the [`Guard`]) calls it one last time.
//!
//! Test hooks for the kill-and-restore proof (`scripts/kill-restore.sh`) also live here, so that they are few
//! and in one place: [`replay`] parses the `NIANBAO_REPLAY` script the window applies as if typed.

use crate::fsio::{self, FileError};
use crate::project;
use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Name of the recovery copy inside the data directory.
pub const RECOVERY_FILE: &str = "recovery.json";

/// Env var overriding the data directory (tests and scripts).
pub const DATA_DIR_ENV: &str = crate::paths::DATA_DIR_ENV;

/// A recovery copy larger than this is not read (a real report is a few kilobytes; texts rarely reach 1 MB).
pub const MAX_RECOVERY_BYTES: u64 = 32 * 1024 * 1024;

/// The `format` tag of the recovery file, so that no other JSON is mistaken for one.
const FORMAT: &str = "nianbao-recovery";
/// The version of the recovery file layout this build writes (and the newest it reads).
///
/// 1: the report as a JSON object (`report`). 2: the report as the text of a project file (`project`), so that
/// the copy is read by the project reader — same codec, same version upgrades — and whatever a clerk typed
/// survives the copy exactly as a save would keep it.
const FORMAT_VERSION: u32 = 2;

/// Why the recovery copy could not be written or read. `Display` is the message for the clerk.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// No data directory could be found (no `HOME`, no `APPDATA`).
    #[error("找不到保存恢复文件的数据文件夹（请设置环境变量 NIANBAO_DATA_DIR）")]
    NoDataDir,
    /// Writing failed (disk full, folder read-only…).
    #[error("无法写入恢复文件「{}」：{source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: FileError,
    },
    /// Reading failed.
    #[error("无法读取恢复文件「{}」：{source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: FileError,
    },
    /// The file is not a recovery copy this version understands (damaged, or from a newer nianbao).
    #[error("恢复文件「{}」已损坏或来自更新版本的程序，无法恢复：{reason}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
}

/// A recovery copy found at start.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovered {
    /// The unsaved report.
    pub report: Report,
    /// The file the report was opened from or last saved to; `None` for a never-saved new report.
    pub original_path: Option<PathBuf>,
    /// When the copy was written, in seconds since the Unix epoch.
    pub saved_at: u64,
}

impl Recovered {
    /// How long ago the copy was written, in words for the clerk ("3 分钟前"). Timezone-free on purpose:
    /// std knows no local time.
    pub fn age_text(&self, now: u64) -> String {
        let secs = now.saturating_sub(self.saved_at);
        match secs {
            0..60 => "刚才".to_string(),
            60..3600 => format!("{} 分钟前", secs / 60),
            3600..86_400 => format!("{} 小时前", secs / 3600),
            _ => format!("{} 天前", secs / 86_400),
        }
    }

    /// The sentence the start-up dialog shows.
    pub fn describe(&self, now: u64) -> String {
        let what = match &self.original_path {
            Some(p) => format!("文件「{}」", p.display()),
            None => "尚未保存过的新报告".to_string(),
        };
        let agency = self.report.agency.trim();
        let whose = if agency.is_empty() {
            format!("机关名称未填，{}年度", self.report.year)
        } else {
            format!("{agency}，{}年度", self.report.year)
        };
        format!(
            "上次关闭前，{what}（{whose}）有未保存的修改（{}自动保留）。要恢复这些内容吗？",
            self.age_text(now)
        )
    }
}

/// The on-disk form, as written (version 2).
#[derive(Serialize)]
struct RecoveryFileOut<'a> {
    format: &'a str,
    format_version: u32,
    saved_at: u64,
    /// Stored as a string; a path that is not valid Unicode is stored as `None` (the report itself is kept).
    original_path: Option<&'a str>,
    /// The report as a project file's text (`project::to_string`).
    project: String,
}

/// Version 2 as read.
#[derive(Deserialize)]
struct RecoveryFileV2 {
    saved_at: u64,
    original_path: Option<String>,
    project: String,
}

/// Version 1 as read (copies left by an older nianbao are still recovered).
#[derive(Deserialize)]
struct RecoveryFileV1 {
    saved_at: u64,
    original_path: Option<String>,
    report: Report,
}

/// The recovery copy in one data directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryStore {
    dir: PathBuf,
}

impl RecoveryStore {
    /// A store in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> RecoveryStore {
        RecoveryStore { dir: dir.into() }
    }

    /// The store in the app's data directory ([`data_dir`]).
    pub fn from_env() -> Result<RecoveryStore, RecoveryError> {
        data_dir().map(RecoveryStore::new).ok_or(RecoveryError::NoDataDir)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of the recovery copy.
    pub fn path(&self) -> PathBuf {
        self.dir.join(RECOVERY_FILE)
    }

    /// Writes the recovery copy atomically: a temporary file in the same folder, flushed to disk, then renamed
    /// over the previous copy. On any failure the previous copy is left as it was and the temporary file is
    /// removed.
    pub fn write(&self, report: &Report, original_path: Option<&Path>) -> Result<(), RecoveryError> {
        let write_err = |e: String| RecoveryError::Write {
            path: self.path(),
            source: FileError::Io(std::io::Error::other(e)),
        };
        let file = RecoveryFileOut {
            format: FORMAT,
            format_version: FORMAT_VERSION,
            saved_at: now_secs(),
            original_path: original_path.and_then(|p| p.to_str()),
            project: project::to_string(report).map_err(|e| write_err(e.to_string()))?,
        };
        // Serialising strings and numbers cannot fail; map it anyway rather than unwrap.
        let bytes = serde_json::to_vec(&file).map_err(|e| write_err(e.to_string()))?;
        // Only the clerk may read the draft: 0600 in a 0700 folder.
        fsio::write_private(&self.path(), &bytes).map_err(|source| RecoveryError::Write {
            path: self.path(),
            source,
        })
    }

    /// Reads the recovery copy: `Ok(None)` when there is none.
    pub fn load(&self) -> Result<Option<Recovered>, RecoveryError> {
        let path = self.path();
        let bytes = match fsio::read_capped(&path, MAX_RECOVERY_BYTES) {
            Ok(b) => b,
            Err(FileError::NotFound) => return Ok(None),
            Err(FileError::TooLarge { size, .. }) => {
                return Err(RecoveryError::Corrupt {
                    path,
                    reason: format!("文件过大（{} MB）", size / (1024 * 1024)),
                });
            }
            Err(source) => return Err(RecoveryError::Read { path, source }),
        };
        parse(&bytes)
            .map(Some)
            .map_err(|reason| RecoveryError::Corrupt { path, reason })
    }

    /// Removes the recovery copy (after a save, or when the clerk chose 放弃). Missing is fine.
    pub fn discard(&self) -> Result<(), RecoveryError> {
        match fs::remove_file(self.path()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(RecoveryError::Write {
                path: self.path(),
                source: e.into(),
            }),
        }
    }

    /// Moves a damaged recovery copy aside (`recovery.json.damaged`) so that it no longer blocks the start, yet
    /// is not destroyed.
    pub fn set_aside(&self) -> Result<PathBuf, RecoveryError> {
        let to = self.dir.join(format!("{RECOVERY_FILE}.damaged"));
        fs::rename(self.path(), &to).map_err(|e| RecoveryError::Write {
            path: self.path(),
            source: e.into(),
        })?;
        Ok(to)
    }
}

/// Parses the bytes of a recovery file. Never panics; the error is a Chinese reason.
pub fn parse(bytes: &[u8]) -> Result<Recovered, String> {
    // Check the tag and version first, so that a newer file says so instead of "missing field".
    #[derive(Deserialize)]
    struct Head {
        format: String,
        format_version: u32,
    }
    let head: Head = serde_json::from_slice(bytes)
        .map_err(|e| format!("不是恢复文件（{}）", crate::export::json::syntax_reason(&e)))?;
    if head.format != FORMAT {
        return Err(format!("不是恢复文件（格式为「{}」）", head.format));
    }
    if head.format_version > FORMAT_VERSION {
        return Err(format!(
            "由更新版本的程序写入（版本 {}，本程序只认识 {FORMAT_VERSION}）",
            head.format_version
        ));
    }
    let bad_json = |e: serde_json::Error| format!("内容有误（{}）", crate::export::json::syntax_reason(&e));
    let (report, original_path, saved_at) = if head.format_version <= 1 {
        let f: RecoveryFileV1 = serde_json::from_slice(bytes).map_err(bad_json)?;
        (f.report, f.original_path, f.saved_at)
    } else {
        let f: RecoveryFileV2 = serde_json::from_slice(bytes).map_err(bad_json)?;
        let report = project::from_str(&f.project).map_err(|e| format!("内容有误（{e}）"))?;
        (report, f.original_path, f.saved_at)
    };
    Ok(Recovered {
        report,
        original_path: original_path.map(PathBuf::from),
        saved_at,
    })
}

/// Seconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The app's data directory ([`crate::paths::data_dir`]).
pub fn data_dir() -> Option<PathBuf> {
    crate::paths::data_dir()
}

/// What the panic hook needs: the last known report and its file, updated by the window on every change.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The report as it is in the window.
    pub report: Report,
    /// Its file, if it has one.
    pub original_path: Option<PathBuf>,
}

/// The snapshot shared between the window and the panic hook. `None` while there is nothing unsaved.
pub type SharedSnapshot = Arc<Mutex<Option<Snapshot>>>;

/// How often the recovery copy is refreshed while there are unsaved changes.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Env var of the kill-and-restore test: `1` restores a recovery copy found at start without asking, `0`
/// discards it.
pub const AUTO_RESTORE_ENV: &str = "NIANBAO_AUTO_RESTORE";

/// Env var of the kill-and-restore test: after the start-up decisions, the window writes the report it shows
/// as JSON to this path (atomically) so that a script can check it.
pub const DUMP_ENV: &str = "NIANBAO_DUMP_ON_START";

/// The window's side of recovery, without egui: the window calls [`Guard::tick`] every frame with what it
/// shows, and asks the clerk about [`Guard::offer`] and [`Guard::crash_log`] at start.
///
/// While the clerk has not yet answered the offer, nothing is written or removed, so the copy from the last
/// run cannot be lost by this run.
#[derive(Debug)]
pub struct Guard {
    store: RecoveryStore,
    snapshot: SharedSnapshot,
    offer: Option<Recovered>,
    crash_log: Option<PathBuf>,
    problem: Option<String>,
    /// What this run last wrote to the recovery copy, and when.
    written: Option<Snapshot>,
    last_write: Option<Instant>,
    /// The last write failed (the clerk was told).
    failing: bool,
    was_focused: bool,
}

impl Guard {
    /// An empty snapshot, to be shared between a guard and the panic hook: `Guard::start` (in `crash`, which
    /// builds on this module) installs the hook over it.
    pub(crate) fn new_snapshot() -> SharedSnapshot {
        Arc::new(Mutex::new(None))
    }

    /// The store it writes to.
    pub(crate) fn store(&self) -> &RecoveryStore {
        &self.store
    }

    /// Records the crash log of the previous run, for [`Guard::crash_log`].
    pub(crate) fn set_crash_log(&mut self, log: Option<PathBuf>) {
        self.crash_log = log;
    }

    /// `Guard::start` without installing the panic hook (tests; the hook is process-wide).
    pub fn without_hook(store: RecoveryStore, snapshot: SharedSnapshot) -> Guard {
        let (offer, problem) = match store.load() {
            Ok(offer) => (offer, None),
            Err(e @ RecoveryError::Corrupt { .. }) => {
                let moved = store
                    .set_aside()
                    .map_or_else(|_| String::new(), |p| format!("已移到「{}」。", p.display()));
                (None, Some(format!("{e}{moved}")))
            }
            Err(e) => (None, Some(e.to_string())),
        };
        Guard {
            store,
            snapshot,
            offer,
            crash_log: None,
            problem,
            written: None,
            last_write: None,
            failing: false,
            was_focused: true,
        }
    }

    /// The recovery copy of a previous run, until the clerk answers.
    pub fn offer(&self) -> Option<&Recovered> {
        self.offer.as_ref()
    }

    /// The clerk's answer: `true` (恢复未保存的内容) returns the copy for the window to show; `false` (放弃)
    /// removes it. Either way the copy stays on disk until this run saves or writes a newer one.
    pub fn answer(&mut self, restore: bool) -> Option<Recovered> {
        let offer = self.offer.take()?;
        if restore {
            return Some(offer);
        }
        if let Err(e) = self.store.discard() {
            self.problem = Some(e.to_string());
        }
        None
    }

    /// The answer given by [`AUTO_RESTORE_ENV`], if set (`Some(true)` restore, `Some(false)` discard).
    pub fn auto_answer() -> Option<bool> {
        match std::env::var(AUTO_RESTORE_ENV).ok()?.trim() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }

    /// The crash log of the previous run, until the notice is dismissed.
    pub fn crash_log(&self) -> Option<&Path> {
        self.crash_log.as_deref()
    }

    /// The crash notice was read.
    pub fn dismiss_crash_log(&mut self) {
        self.crash_log = None;
    }

    /// A problem to tell the clerk (the copy could not be written, a damaged copy was set aside), once.
    pub fn take_problem(&mut self) -> Option<String> {
        self.problem.take()
    }

    /// The problem to show, until dismissed with [`Guard::take_problem`].
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The snapshot the panic hook writes.
    pub fn snapshot(&self) -> SharedSnapshot {
        Arc::clone(&self.snapshot)
    }

    /// Called every frame with what the window shows. While `dirty`, keeps the panic snapshot current and writes
    /// the recovery copy when it changed and [`INTERVAL`] has passed since the last write, or the window just
    /// lost focus. When not dirty (saved), removes the copy this run wrote. Returns when the window should wake
    /// up again to write a pending change (`None`: nothing pending).
    pub fn tick(
        &mut self,
        report: &Report,
        path: Option<&Path>,
        dirty: bool,
        focused: bool,
        now: Instant,
    ) -> Option<Duration> {
        let focus_lost = self.was_focused && !focused;
        self.was_focused = focused;
        if self.offer.is_some() {
            return None;
        }
        if !dirty {
            self.set_snapshot(None);
            if self.written.take().is_some()
                && let Err(e) = self.store.discard()
            {
                self.problem = Some(e.to_string());
            }
            return None;
        }
        let current = Snapshot {
            report: report.clone(),
            original_path: path.map(Path::to_path_buf),
        };
        if self.written.as_ref() == Some(&current) {
            self.set_snapshot(Some(current));
            return None;
        }
        let since = self.last_write.map(|t| now.saturating_duration_since(t));
        let due = since.is_none_or(|d| d >= INTERVAL) || focus_lost;
        if !due {
            self.set_snapshot(Some(current));
            return since.map(|d| INTERVAL.saturating_sub(d));
        }
        self.last_write = Some(now);
        match self.store.write(&current.report, current.original_path.as_deref()) {
            Ok(()) => {
                self.failing = false;
                self.written = Some(current.clone());
                self.set_snapshot(Some(current));
                None
            }
            Err(e) => {
                // Tell the clerk once per failure streak, not every five seconds; keep trying.
                if !self.failing {
                    self.failing = true;
                    self.problem = Some(e.to_string());
                }
                self.set_snapshot(Some(current));
                Some(INTERVAL)
            }
        }
    }

    /// The window closed normally: saved, or the clerk chose 不保存 when asked. The copy is removed, unless the
    /// offer from the previous run was never answered (then it is kept for the next start).
    pub fn discard(&mut self) {
        if self.offer.is_some() {
            return;
        }
        self.written = None;
        self.set_snapshot(None);
        if let Err(e) = self.store.discard() {
            self.problem = Some(e.to_string());
        }
    }

    fn set_snapshot(&self, s: Option<Snapshot>) {
        // A poisoned lock only means a panic elsewhere; the value is replaced whole, so keep going.
        let mut g = self.snapshot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *g = s;
    }
}

/// Test hook [`DUMP_ENV`]: writes `report` as JSON to the path named there, if set. Errors go to stderr.
pub fn dump_if_asked(report: &Report) {
    let Some(path) = std::env::var_os(DUMP_ENV) else { return };
    let path = PathBuf::from(path);
    let result = serde_json::to_vec_pretty(report)
        .map_err(std::io::Error::other)
        .map_err(FileError::Io)
        .and_then(|b| fsio::write_atomic(&path, &b));
    if let Err(e) = result {
        eprintln!("nianbao: 无法写入「{}」：{e}", path.display());
    }
}

/// Test hook `NIANBAO_REPLAY`: a tiny script of edits the window applies at start as if typed.
///
/// One command per line; blank lines and lines starting with `#` are ignored:
///
/// ```text
/// set s3.new.natural 73          # a cell, by id; the value as a clerk would type it ("" for blank)
/// agency 某县人民政府              # the agency name (rest of the line)
/// text overview 本年度……           # a text (preamble / overview / problems / other), rest of the line
/// ```
pub mod replay {
    use crate::report::{Report, parse_input};
    use crate::template::TextId;

    /// Env var naming the replay script.
    pub const ENV: &str = "NIANBAO_REPLAY";

    /// One edit.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum Step {
        /// Type `input` into the cell `id`.
        Set {
            /// The cell id.
            id: String,
            /// What is typed.
            input: String,
        },
        /// Set the agency name.
        Agency(String),
        /// Set a text.
        Text(TextId, String),
    }

    /// Why a replay script was refused: line number and Chinese reason.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[error("回放脚本第 {line} 行：{reason}")]
    pub struct ReplayError {
        /// 1-based line.
        pub line: usize,
        /// What was wrong.
        pub reason: String,
    }

    /// Parses a replay script. Never panics.
    pub fn parse(script: &str) -> Result<Vec<Step>, ReplayError> {
        let mut steps = Vec::new();
        for (i, raw) in script.lines().enumerate() {
            let err = |reason: String| ReplayError { line: i + 1, reason };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (cmd, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let rest = rest.trim();
            match cmd {
                "set" => {
                    let (id, input) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                    if id.is_empty() {
                        return Err(err("缺少单元格编号".into()));
                    }
                    steps.push(Step::Set {
                        id: id.to_string(),
                        input: input.trim().to_string(),
                    });
                }
                "agency" => steps.push(Step::Agency(rest.to_string())),
                "text" => {
                    let (key, body) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                    let id = TextId::ALL
                        .into_iter()
                        .find(|t| t.key() == key)
                        .ok_or_else(|| err(format!("没有名为「{key}」的文字部分")))?;
                    steps.push(Step::Text(id, body.trim().to_string()));
                }
                other => return Err(err(format!("不认识的命令「{other}」"))),
            }
        }
        Ok(steps)
    }

    /// The report with the script named by [`ENV`] applied, if that variable is set. A bad script is reported on
    /// stderr and ignored (it is a test hook, never set by clerks).
    pub fn from_env(report: &Report) -> Option<Report> {
        let path = std::env::var_os(ENV)?;
        let result = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|s| parse(&s).map_err(|e| e.to_string()))
            .and_then(|steps| {
                let mut r = report.clone();
                apply(&mut r, &steps).map(|()| r)
            });
        match result {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!(
                    "nianbao: 回放脚本「{}」未执行：{e}",
                    std::path::Path::new(&path).display()
                );
                None
            }
        }
    }

    /// Applies the steps to `report` the way typing would (input parsed per cell kind, totals refilled).
    /// Stops at the first step that a clerk's input would be refused for, leaving the earlier ones applied.
    pub fn apply(report: &mut Report, steps: &[Step]) -> Result<(), String> {
        for s in steps {
            match s {
                Step::Set { id, input } => {
                    let t = report.template();
                    let idx = t
                        .cell_index(id)
                        .ok_or_else(|| format!("第{}版格式中没有单元格「{id}」", report.edition.id()))?;
                    let cell = &t.cells[idx];
                    let v = parse_input(cell.kind, input).map_err(|e| e.message_for(cell.label))?;
                    report.set(idx, v);
                }
                Step::Agency(a) => report.agency.clone_from(a),
                Step::Text(id, body) => body.clone_into(report.texts.get_mut(*id)),
            }
        }
        report.fill_totals();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;
    use crate::template::Edition;

    #[test]
    fn age_text_table() {
        let r = Recovered {
            report: Report::new(Edition::E2021, 2025, "x"),
            original_path: None,
            saved_at: 1000,
        };
        for (now, want) in [
            (1000, "刚才"),
            (999, "刚才"),
            (1059, "刚才"),
            (1060, "1 分钟前"),
            (1000 + 3599, "59 分钟前"),
            (1000 + 7200, "2 小时前"),
            (1000 + 86_400 * 3, "3 天前"),
        ] {
            assert_eq!(r.age_text(now), want, "now={now}");
        }
        assert!(r.describe(1000).contains("尚未保存过的新报告"));
    }

    #[test]
    fn offer_for_a_report_without_agency_says_so() {
        let r = Recovered {
            report: Report::new(Edition::E2021, 2025, " "),
            original_path: None,
            saved_at: 1000,
        };
        let text = r.describe(1000);
        assert!(text.contains("（机关名称未填，2025年度）"), "{text}");
        assert!(!text.contains("（，"), "{text}");
    }

    #[test]
    fn replay_parses_and_applies() {
        let steps = replay::parse(
            "# c\n\nset s3.new.natural 73\nset s3.new.commercial ７\nagency 某县 人民政府\ntext overview 甲乙\n",
        )
        .unwrap();
        assert_eq!(steps.len(), 4);
        let mut r = Report::new(Edition::E2021, 2025, "");
        replay::apply(&mut r, &steps).unwrap();
        assert_eq!(r.value("s3.new.natural"), Some(Value::Int(73)));
        assert_eq!(r.value("s3.new.commercial"), Some(Value::Int(7)));
        assert_eq!(r.value("s3.new.total"), Some(Value::Int(80)));
        assert_eq!(r.agency, "某县 人民政府");
        assert_eq!(r.texts.overview, "甲乙");
    }

    #[test]
    fn replay_refuses_bad_lines_with_line_numbers() {
        let cases = [
            ("bogus 1", 1, "不认识的命令"),
            ("\nset", 2, "缺少单元格编号"),
            ("text nowhere x", 1, "没有名为「nowhere」"),
        ];
        for (script, line, reason) in cases {
            let e = replay::parse(script).unwrap_err();
            assert_eq!(e.line, line, "{script:?}");
            assert!(e.reason.contains(reason), "{script:?}: {e}");
        }
        let mut r = Report::new(Edition::E2021, 2025, "");
        let e = replay::apply(&mut r, &replay::parse("set s3.new.natural -1").unwrap()).unwrap_err();
        assert!(e.contains("件数不能是负数"), "{e}");
        let e = replay::apply(&mut r, &replay::parse("set no.such.cell 1").unwrap()).unwrap_err();
        assert!(e.contains("no.such.cell"), "{e}");
    }
}
