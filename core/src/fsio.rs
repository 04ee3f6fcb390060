//! Files on disk, the one way nianbao reads and writes them (project files, exports, the 汇总 breakdown, the
//! recovery copy, settings).
//!
//! Reading ([`read_capped`]): only a regular file is read, and only up to a size cap. A FIFO, a socket or a
//! device is refused before it is opened, so that nothing waits for a writer that never comes or reads
//! `/dev/zero` forever.
//!
//! Writing ([`write_atomic`], [`write_private`], [`write_pair`]):
//! - a regular file or a missing target is written to a temporary file beside it (a recognisable name,
//!   `.NAME.nianbao-tmp.PID.N`), flushed to disk and renamed over the target: the previous file stays intact
//!   if anything fails. Temporary files left by an interrupted save (a kill, a power cut) are removed by the
//!   next save of the same file;
//! - the mode and owner of an existing file are kept. When the owner cannot be given back (not root) or the
//!   file has other hard links, the new content is written into the existing file instead (after the complete
//!   new content has been written and synced to the temporary file, so that a full disk still fails before the
//!   file is touched): a rename would give the file a new owner or split the links;
//! - a character device (`/dev/null`) or a FIFO is written to directly, never replaced by a file; a block
//!   device or a socket is refused;
//! - a symbolic link is saved through to its target, as editors do, except when it sits in a world-writable
//!   sticky folder (`/tmp`) and belongs to someone else than the folder's owner and this user: that is how a
//!   link is planted to make another user overwrite a file (the rule of Linux's `protected_symlinks`).

use std::fs::{self, File};
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What marks nianbao's temporary files: `.NAME.nianbao-tmp.PID.N`.
const TMP_MARK: &str = ".nianbao-tmp.";

/// A temporary file older than this is stale even where the writing process cannot be looked up.
const STALE_AGE: Duration = Duration::from_hours(1);

/// Why a file could not be read or written. `Display` is the reason in Chinese, without the path (callers name
/// the file).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Nothing at this path.
    #[error("文件或文件夹不存在")]
    NotFound,
    /// A folder where a file was expected.
    #[error("这是一个文件夹，不是文件")]
    Folder,
    /// A FIFO, socket or device where a regular file was expected.
    #[error("这是{0}，不是普通文件")]
    NotRegular(&'static str),
    /// Larger than the cap of [`read_capped`].
    #[error("文件太大（{size} 字节，上限 {max} 字节）")]
    TooLarge {
        /// The size found.
        size: u64,
        /// The cap.
        max: u64,
    },
    /// A symbolic link planted by another user in a shared folder.
    #[error("它是其他用户在公共文件夹中建立的符号链接，为防止覆盖别人的文件，不通过它保存（请另选保存位置）")]
    ForeignSymlink,
    /// The operating system refused.
    #[error("{}", io_reason(.0))]
    Io(#[from] io::Error),
}

impl FileError {
    /// As an `io::Error` (its own for [`FileError::Io`]); [`io_reason`] still gives the Chinese reason.
    pub fn into_io(self) -> io::Error {
        match self {
            FileError::Io(e) => e,
            FileError::NotFound => io::Error::from(io::ErrorKind::NotFound),
            e => io::Error::other(e),
        }
    }
}

/// A Chinese reason for an I/O error; never the operating system's English text.
pub fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<FileError>()) {
        return inner.to_string();
    }
    let known = match e.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::StorageFull => "磁盘已满",
        K::QuotaExceeded => "超出了磁盘配额",
        K::ReadOnlyFilesystem => "磁盘是只读的",
        K::InvalidData => "内容无法识别",
        K::AlreadyExists => "同名的文件已存在",
        K::BrokenPipe => "接收输出的程序已关闭",
        K::FileTooLarge => "文件超过了磁盘允许的大小",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被其他程序占用",
        K::InvalidFilename => "文件名无效或过长",
        K::TooManyLinks => "链接过多",
        K::CrossesDevices => "不能跨磁盘移动",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::TimedOut => "操作超时",
        K::Interrupted => "操作被中断",
        K::OutOfMemory => "内存不足",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    match e.raw_os_error() {
        Some(code) if is_loop(code) => "符号链接循环指向自身，找不到真正的文件".to_string(),
        Some(9) => "输出已关闭".to_string(),
        Some(code) => format!("系统错误（错误代码 {code}）"),
        // Errors made by a library rather than the OS: their text may be English, so only say what kind.
        None => "系统错误".to_string(),
    }
}

/// Whether an OS error code is "too many levels of symbolic links" (ELOOP).
fn is_loop(code: i32) -> bool {
    if cfg!(any(target_os = "linux", target_os = "android")) {
        code == 40
    } else if cfg!(any(target_os = "macos", target_os = "ios", target_os = "freebsd")) {
        code == 62
    } else {
        false
    }
}

// ---------------------------------------------------------------- reading

/// Reads a whole regular file of at most `max` bytes. Anything else (missing, a folder, a FIFO, a socket, a
/// device, too large) is refused before reading; the size is capped during the read too, since a file may grow
/// between the check and the read.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, FileError> {
    let meta = fs::metadata(path).map_err(not_found)?;
    refuse_unless_regular(&meta)?;
    if meta.len() > max {
        return Err(FileError::TooLarge { size: meta.len(), max });
    }
    let file = File::open(path).map_err(not_found)?;
    // The path may have been swapped for something else between the check and the open.
    refuse_unless_regular(&file.metadata()?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(FileError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

fn not_found(e: io::Error) -> FileError {
    match e.kind() {
        io::ErrorKind::NotFound => FileError::NotFound,
        _ => FileError::Io(e),
    }
}

fn refuse_unless_regular(meta: &fs::Metadata) -> Result<(), FileError> {
    if meta.is_dir() {
        Err(FileError::Folder)
    } else if meta.is_file() {
        Ok(())
    } else {
        Err(FileError::NotRegular(special_kind(meta)))
    }
}

/// The Chinese name of a file that is neither a regular file nor a folder.
fn special_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "命名管道（FIFO）";
        }
        if t.is_socket() {
            return "套接字";
        }
        if t.is_char_device() || t.is_block_device() {
            return "设备文件";
        }
    }
    let _ = meta;
    "特殊文件"
}

// ---------------------------------------------------------------- writing

/// Writes `bytes` to `path` as the module documentation says: atomically for a regular or missing file,
/// directly for a character device or FIFO. On failure the previous content is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    stage(path, bytes, false)?.commit()
}

/// Like [`write_atomic`], for files only their owner may read (the recovery copy, crash logs): the file is
/// mode 0600 and its folder, created if needed, 0700.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    stage(path, bytes, true)?.commit()
}

/// Writes two files that belong together (the 汇总 project and its breakdown): both are written completely and
/// synced first; only when both succeeded are they put in place, one right after the other. A failure (a full
/// disk) leaves both previous files as they were; only a kill between the two renames can separate them, which
/// is why callers put a shared id in both.
pub fn write_pair(first: (&Path, &[u8]), second: (&Path, &[u8])) -> Result<(), (PathBuf, FileError)> {
    write_pair_with(first, second.0, |w| w.write_all(second.1))
}

/// [`write_pair`] with the second file's content written by `write` as it goes (through a buffer): a content
/// of hundreds of megabytes (the breakdown of ten thousand units) is never held in memory.
pub fn write_pair_with(
    first: (&Path, &[u8]),
    second: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), (PathBuf, FileError)> {
    let a = stage(first.0, first.1, false).map_err(|e| (first.0.to_path_buf(), e))?;
    let b = stage_with(second, None, false, |f| {
        let mut w = io::BufWriter::new(f);
        write(&mut w)?;
        w.flush()
    })
    .map_err(|e| (second.to_path_buf(), e))?;
    b.commit().map_err(|e| (second.to_path_buf(), e))?;
    a.commit().map_err(|e| (first.0.to_path_buf(), e))
}

/// Creates `dir` (and its parents) with mode 0700, and takes group and other access away from an existing one
/// that this user owns.
pub fn create_private_dir(dir: &Path) -> Result<(), FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let meta = fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 && own_uid() == Some(meta.uid()) {
            fs::set_permissions(dir, fs::Permissions::from_mode(meta.permissions().mode() & 0o7700))?;
        }
    }
    #[cfg(not(unix))]
    fs::create_dir_all(dir)?;
    Ok(())
}

/// A write prepared by [`stage`]: the new content is on disk (or, for a device, in memory), not yet in place.
/// Dropping it without [`Staged::commit`] removes the temporary file.
struct Staged<'a> {
    target: PathBuf,
    /// The content, when it is in memory; else it is copied from the temporary file.
    bytes: Option<&'a [u8]>,
    how: How,
}

enum How {
    /// Rename the temporary file over the target.
    Rename { tmp: PathBuf, dir: PathBuf },
    /// Write into the existing target (hard links, or an owner a rename would lose); the temporary file holds
    /// the same content until then.
    InPlace { tmp: PathBuf },
    /// A character device or FIFO: write to it, nothing else (from the temporary file in the system's
    /// temporary folder when the content is not in memory).
    Direct { tmp: Option<PathBuf> },
    /// Done: nothing to clean up.
    Committed,
}

fn stage<'a>(path: &Path, bytes: &'a [u8], private: bool) -> Result<Staged<'a>, FileError> {
    stage_with(path, Some(bytes), private, |f| f.write_all(bytes))
}

/// [`write_atomic`] with the writing done by `write` (tests fail it half-way).
#[cfg(test)]
pub(crate) fn write_atomic_with(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> Result<(), FileError> {
    stage_with(path, None, false, write)?.commit()
}

fn stage_with<'a>(
    path: &Path,
    bytes: Option<&'a [u8]>,
    private: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<Staged<'a>, FileError> {
    let target = resolve_link(path)?;
    let existing = match fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    if let Some(m) = &existing {
        if m.is_dir() {
            return Err(FileError::Folder);
        }
        if !m.is_file() {
            return if !writable_special(m) {
                Err(FileError::NotRegular(special_kind(m)))
            } else if bytes.is_some() {
                Ok(Staged {
                    target,
                    bytes,
                    how: How::Direct { tmp: None },
                })
            } else {
                let name = format!("{}.nianbao-stream", std::process::id());
                let (tmp, mut file) = create_temp(&std::env::temp_dir(), &name, true)?;
                let staged = Staged {
                    target,
                    bytes,
                    how: How::Direct { tmp: Some(tmp) },
                };
                write(&mut file)?;
                file.flush()?;
                Ok(staged)
            };
        }
    }
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(FileError::Io(io::Error::from(io::ErrorKind::InvalidFilename)));
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    remove_stale_temps(&dir, &name);
    let (tmp, mut file) = create_temp(&dir, &name, private)?;
    let mut staged = Staged {
        target,
        bytes,
        how: How::Rename {
            tmp: tmp.clone(),
            dir: dir.clone(),
        },
    };
    if let Some(m) = &existing
        && !keep_metadata(&file, m, private)?
    {
        staged.how = How::InPlace { tmp };
    }
    write(&mut file)?;
    file.flush()?;
    file.sync_all()?;
    Ok(staged)
}

impl Staged<'_> {
    fn commit(mut self) -> Result<(), FileError> {
        match std::mem::replace(&mut self.how, How::Committed) {
            How::Rename { tmp, dir } => {
                if let Err(e) = fs::rename(&tmp, &self.target) {
                    let _ = fs::remove_file(&tmp);
                    return Err(e.into());
                }
                sync_dir(&dir);
            }
            How::InPlace { tmp } => {
                let source = self.bytes.map_or(Source::Copy(&tmp), Source::Bytes);
                let result = write_into(&self.target, source, true);
                // The temporary copy has done its job (proving the content fits on the disk) either way.
                let _ = fs::remove_file(&tmp);
                result?;
            }
            How::Direct { tmp } => {
                // Staged with its content in memory, or else in the temporary file.
                let source = match (&tmp, self.bytes) {
                    (Some(t), _) => Source::Copy(t),
                    (None, bytes) => Source::Bytes(bytes.unwrap_or_default()),
                };
                let result = write_into(&self.target, source, false);
                if let Some(t) = tmp {
                    let _ = fs::remove_file(t);
                }
                result?;
            }
            How::Committed => {}
        }
        Ok(())
    }
}

impl Drop for Staged<'_> {
    fn drop(&mut self) {
        if let How::Rename { tmp, .. } | How::InPlace { tmp } | How::Direct { tmp: Some(tmp) } = &self.how {
            // Best effort: an unfinished write must not leave its temporary file behind.
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Where the content written into an existing file comes from.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// Memory.
    Bytes(&'a [u8]),
    /// The temporary file it was staged in.
    Copy(&'a Path),
}

/// Writes into an existing file or device without replacing it (truncated after, for a regular file).
fn write_into(target: &Path, source: Source<'_>, regular: bool) -> Result<(), FileError> {
    let mut f = fs::OpenOptions::new().write(true).open(target)?;
    let len = match source {
        Source::Bytes(b) => {
            f.write_all(b)?;
            b.len() as u64
        }
        Source::Copy(tmp) => io::copy(&mut File::open(tmp)?, &mut f)?,
    };
    f.flush()?;
    if regular {
        f.set_len(len)?;
        f.sync_all()?;
    }
    Ok(())
}

/// Gives the new file the mode and owner of the file it replaces. `false` when a rename would still change
/// what the file is (its owner cannot be given back, or other hard links would be split): then write in place.
fn keep_metadata(file: &File, old: &fs::Metadata, private: bool) -> Result<bool, FileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = if private {
            0o600
        } else {
            old.permissions().mode() & 0o7777
        };
        file.set_permissions(fs::Permissions::from_mode(mode))?;
        if old.nlink() > 1 {
            return Ok(false);
        }
        let new = file.metadata()?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid())
            && std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err()
        {
            return Ok(false);
        }
        Ok(true)
    }
    #[cfg(not(unix))]
    {
        if !private {
            file.set_permissions(old.permissions())?;
        }
        Ok(true)
    }
}

/// Whether a special file is one that saving writes to directly (a character device, a FIFO).
fn writable_special(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        t.is_char_device() || t.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// The path to write to: `path` itself, or the target of a symbolic link (refused for a link planted in a
/// shared folder by someone else).
fn resolve_link(path: &Path) -> Result<PathBuf, FileError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            refuse_foreign_link(path, &m)?;
            match fs::canonicalize(path) {
                Ok(t) => Ok(t),
                // A link to a file not yet there: create the file it names.
                Err(e) if e.kind() == io::ErrorKind::NotFound => dangling_target(path),
                Err(e) => Err(e.into()),
            }
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Where a dangling symbolic link points (its folder must exist).
fn dangling_target(path: &Path) -> Result<PathBuf, FileError> {
    let to = fs::read_link(path)?;
    let to = match path.parent() {
        Some(dir) if to.is_relative() => dir.join(to),
        _ => to,
    };
    let dir = to
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = to.file_name().ok_or(FileError::NotFound)?;
    Ok(fs::canonicalize(dir)?.join(name))
}

#[cfg(unix)]
fn refuse_foreign_link(link: &Path, meta: &fs::Metadata) -> Result<(), FileError> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = link
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(dir_meta) = fs::metadata(dir) else {
        return Ok(());
    };
    let mode = dir_meta.permissions().mode();
    let shared = mode & 0o1000 != 0 && mode & 0o002 != 0;
    if shared && meta.uid() != dir_meta.uid() && own_uid() != Some(meta.uid()) {
        return Err(FileError::ForeignSymlink);
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_foreign_link(_link: &Path, _meta: &fs::Metadata) -> Result<(), FileError> {
    Ok(())
}

/// This process's effective user id, where the system shows it without unsafe code (Linux: the owner of
/// `/proc/self`). Elsewhere `None`: a link in a shared folder must then belong to the folder's owner.
#[cfg(unix)]
fn own_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").ok().map(|m| m.uid())
}

/// Creates a new temporary file for `name` in `dir`, never opening an existing file or following a link there.
fn create_temp(dir: &Path, name: &str, private: bool) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let pid = std::process::id();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}{TMP_MARK}{pid}.{n}"));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(if private { 0o600 } else { 0o666 });
        }
        #[cfg(not(unix))]
        let _ = private;
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n % 1000 != 999 => {}
            Err(e) => return Err(e),
        }
    }
}

/// Removes the temporary files of earlier, interrupted saves of `name` in `dir`: those of a process that is no
/// longer running (where that can be seen) or older than [`STALE_AGE`]. Never this process's own.
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}{TMP_MARK}");
    let Ok(entries) = fs::read_dir(dir) else { return };
    let own = std::process::id();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == own {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AGE);
        if old || process_gone(pid) {
            // Best effort: another user's temporary file in a shared folder may not be ours to remove.
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether no process `pid` runs (Linux: no `/proc/PID`); `false` where that cannot be seen.
fn process_gone(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new("/proc/self").exists() && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Flushes the directory entry of a rename to disk (Unix; elsewhere the rename is enough).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        // Best effort: the file itself is already safely on disk.
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A 64-bit fingerprint of `bytes` with std's hasher (fixed keys: the same bytes give the same value within a
/// build; never stored, only compared within one run).
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed second file of a pair lands like a written one: beside a hard link (written in place, the
    /// link kept) and into a FIFO (written to, not replaced), with no temporary file left.
    #[cfg(unix)]
    #[test]
    fn streamed_pair_keeps_links_and_writes_into_a_fifo() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("汇总.nianbao");
        let second = dir.path().join("明细.csv");
        fs::write(&second, "旧的明细，比新的长得多得多得多得多").unwrap();
        fs::hard_link(&second, dir.path().join("链接.csv")).unwrap();
        let body = "单位,数\r\n甲,1\r\n".repeat(10_000);
        write_pair_with((&first, "项目".as_bytes()), &second, |w| w.write_all(body.as_bytes())).unwrap();
        assert_eq!(fs::read_to_string(&second).unwrap(), body);
        assert_eq!(fs::read_to_string(dir.path().join("链接.csv")).unwrap(), body);
        assert_eq!(fs::metadata(&second).unwrap().nlink(), 2);

        let fifo = dir.path().join("管道.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo not available: the FIFO half of this test is skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        write_pair_with((&first, "项目".as_bytes()), &fifo, |w| w.write_all(body.as_bytes())).unwrap();
        assert_eq!(reader.join().unwrap(), body);
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(
            &fs::metadata(&fifo).unwrap().file_type()
        ));
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(TMP_MARK))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn failing_write_keeps_the_old_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.nianbao");
        fs::write(&path, "old").unwrap();
        // A folder where the target is: refused before anything is written.
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        assert!(matches!(write_atomic(&sub, b"x"), Err(FileError::Folder)));
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file left");
    }

    #[test]
    fn stale_temps_of_a_dead_process_are_removed_by_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.nianbao");
        // A pid far above any pid_max, so no process has it; and one from this process (in use: kept).
        let dead = dir.path().join(format!(".报告.nianbao{TMP_MARK}4294967295.0"));
        let old = dir.path().join(format!(".报告.nianbao{TMP_MARK}1.7"));
        let other = dir.path().join(format!(".其他.nianbao{TMP_MARK}4294967295.0"));
        for p in [&dead, &old, &other] {
            fs::write(p, "half a save").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - STALE_AGE * 2;
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        write_atomic(&path, b"x").unwrap();
        if cfg!(target_os = "linux") {
            assert!(!dead.exists(), "the dead process's temp is removed");
        }
        assert!(!old.exists(), "an hour-old temp is removed");
        assert!(other.exists(), "another file's temp is left alone");
    }

    #[test]
    fn fingerprint_differs_for_different_bytes() {
        assert_eq!(fingerprint(b"abc"), fingerprint(b"abc"));
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abd"));
        assert_ne!(fingerprint(b""), fingerprint(b"\0"));
    }

    #[test]
    fn io_reasons_are_chinese() {
        for e in [
            io::Error::from_raw_os_error(40),
            io::Error::from_raw_os_error(17),
            io::Error::from_raw_os_error(9),
            io::Error::from_raw_os_error(28),
            io::Error::from_raw_os_error(1000),
            io::Error::other("some English"),
        ] {
            let r = io_reason(&e);
            assert!(!r.chars().any(|c| c.is_ascii_alphabetic()), "{e}: {r}");
        }
    }
}
