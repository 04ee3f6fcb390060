//! The recovery copy and the panic hook, against real files and a real panicking process.

// Tests may unwrap (house rule); this covers the helpers too, not only the #[test] functions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use nianbao::crash;
use nianbao::recovery::{self, RECOVERY_FILE, RecoveryError, RecoveryStore, Snapshot};
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use rust_decimal::Decimal;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn sample() -> Report {
    let mut r = Report::new(Edition::E2021, 2025, "某县人民政府");
    r.set_by_id("s3.new.natural", Value::Int(73));
    r.set_by_id("s3.new.commercial", Value::Int(0));
    r.set_by_id("s2.fees.amount", Value::Money(Decimal::new(123_720_506, 4)));
    r.texts.overview = "第一段\n\n第二段，含“引号”和 emoji 🙂".into();
    r.fill_totals();
    r
}

#[test]
fn round_trip_keeps_report_and_path_and_removes_on_discard() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path().join("数据 目录"));
    assert!(store.load().unwrap().is_none(), "no copy yet");
    let original = dir.path().join("我的 报告 2025.nianbao");
    let r = sample();
    store.write(&r, Some(&original)).unwrap();
    let got = store.load().unwrap().unwrap();
    assert_eq!(got.report, r);
    assert_eq!(got.report.value("s3.new.commercial"), Some(Value::Int(0)), "0 stays 0");
    assert_eq!(
        got.report.value("s3.new.research"),
        Some(Value::Blank),
        "blank stays blank"
    );
    assert_eq!(got.original_path.as_deref(), Some(original.as_path()));
    assert!(got.saved_at > 0);
    assert!(!original.exists(), "the user's file is never written");
    // Only the copy itself is left in the folder: no temporary files.
    let names: Vec<_> = fs::read_dir(store.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from(RECOVERY_FILE)]);
    store.discard().unwrap();
    assert!(store.load().unwrap().is_none());
    store.discard().unwrap();
}

#[test]
fn never_saved_report_is_recovered_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path());
    store.write(&sample(), None).unwrap();
    let got = store.load().unwrap().unwrap();
    assert_eq!(got.original_path, None);
    assert!(got.describe(got.saved_at).contains("尚未保存过的新报告"));
}

#[test]
fn later_write_replaces_earlier() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path());
    store.write(&sample(), None).unwrap();
    let mut r = sample();
    r.set_by_id("s3.new.natural", Value::Int(74));
    store.write(&r, None).unwrap();
    assert_eq!(
        store.load().unwrap().unwrap().report.value("s3.new.natural"),
        Some(Value::Int(74))
    );
}

/// A 64 KB tmpfs that can be filled up or made read-only: a real full or unwritable disk. The temporary file's
/// name cannot be predicted (it is created new, never opened where someone may have planted a link), so the
/// failures are made by the disk itself. Needs permission to mount (root in a container); `None` otherwise.
#[cfg(target_os = "linux")]
struct SmallDisk {
    _dir: tempfile::TempDir,
    mnt: PathBuf,
}

#[cfg(target_os = "linux")]
impl SmallDisk {
    fn mount(test: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mnt = dir.path().join("小盘");
        fs::create_dir(&mnt).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&mnt)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("{test}: cannot mount a tmpfs here; skipped");
            return None;
        }
        Some(SmallDisk { _dir: dir, mnt })
    }

    /// Fills the disk to the last byte.
    fn fill(&self) {
        use std::io::Write;
        let mut f = fs::File::create(self.mnt.join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[0]).is_ok() {}
    }

    fn empty(&self) {
        fs::remove_file(self.mnt.join("filler")).unwrap();
    }

    fn read_only(&self) {
        assert!(
            std::process::Command::new("mount")
                .args(["-o", "remount,ro"])
                .arg(&self.mnt)
                .status()
                .unwrap()
                .success()
        );
    }

    /// Entries in `dir` other than the recovery copy and the filler: temporary files left behind.
    fn leftovers(dir: &Path) -> Vec<std::ffi::OsString> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != RECOVERY_FILE && n != "filler")
            .collect()
    }
}

#[cfg(target_os = "linux")]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.mnt).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn disk_full_leaves_previous_copy_intact() {
    let Some(disk) = SmallDisk::mount("disk_full_leaves_previous_copy_intact") else {
        return;
    };
    let store = RecoveryStore::new(&disk.mnt);
    let first = sample();
    store.write(&first, None).unwrap();
    disk.fill();
    let mut second = sample();
    second.agency = "另一个机关".into();
    let err = store.write(&second, None).unwrap_err();
    assert!(matches!(err, RecoveryError::Write { .. }), "{err:?}");
    assert!(err.to_string().starts_with("无法写入恢复文件"), "{err}");
    assert!(err.to_string().contains("磁盘已满"), "{err}");
    assert_eq!(
        store.load().unwrap().unwrap().report,
        first,
        "the previous copy survives"
    );
    assert!(
        SmallDisk::leftovers(&disk.mnt).is_empty(),
        "the temporary file is cleaned up"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn unwritable_spot_leaves_previous_copy_intact() {
    let Some(disk) = SmallDisk::mount("unwritable_spot_leaves_previous_copy_intact") else {
        return;
    };
    let store = RecoveryStore::new(&disk.mnt);
    let first = sample();
    store.write(&first, None).unwrap();
    // A read-only disk: creating the temporary file fails, for root too.
    disk.read_only();
    let err = store.write(&Report::new(Edition::E2019, 2020, "x"), None).unwrap_err();
    assert!(err.to_string().contains("只读"), "{err}");
    assert_eq!(store.load().unwrap().unwrap().report, first);
}

/// The recovery copy is the clerk's unsaved draft: readable by its owner only, in a folder only they can open.
#[cfg(unix)]
#[test]
fn recovery_copy_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("数据");
    let store = RecoveryStore::new(&data);
    store.write(&sample(), None).unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&store.path()), 0o600);
    assert_eq!(mode(&data), 0o700);
    // A folder left 0755 by an older version is tightened by the next write.
    fs::set_permissions(&data, fs::Permissions::from_mode(0o755)).unwrap();
    store.write(&sample(), None).unwrap();
    assert_eq!(mode(&data), 0o700);
}

#[test]
fn data_dir_that_is_a_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, "x").unwrap();
    let err = RecoveryStore::new(&blocker).write(&sample(), None).unwrap_err();
    assert!(err.to_string().contains("无法写入恢复文件"), "{err}");
}

#[cfg(unix)]
#[test]
fn read_only_data_dir_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path());
    let first = sample();
    store.write(&first, None).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.path().join("probe");
    if fs::write(&probe, "x").is_ok() {
        // Running as root: permissions do not apply. The /dev/full and folder-in-the-way tests cover the failure.
        eprintln!("read_only_data_dir_is_a_clear_error: privileged user, read-only folder not enforceable; skipped");
        fs::remove_file(&probe).unwrap();
    } else {
        let err = store.write(&Report::new(Edition::E2019, 2020, "x"), None).unwrap_err();
        assert!(err.to_string().contains("无法写入恢复文件"), "{err}");
        assert_eq!(store.load().unwrap().unwrap().report, first);
    }
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn damaged_or_foreign_copies_are_refused_in_chinese_and_can_be_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path());
    let mut newer: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(write_and_path(&store)).unwrap()).unwrap();
    newer["format_version"] = 99.into();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "不是恢复文件"),
        (b"\xff\xfe\x00garbage".to_vec(), "不是恢复文件"),
        (
            br#"{"format":"nianbao-report","format_version":1}"#.to_vec(),
            "不是恢复文件",
        ),
        (serde_json::to_vec(&newer).unwrap(), "更新版本"),
        (
            br#"{"format":"nianbao-recovery","format_version":1,"saved_at":1}"#.to_vec(),
            "内容有误",
        ),
        (
            br#"{"format":"nianbao-recovery","format_version":1,"saved_at":-1,"original_path":null,"report":{}}"#
                .to_vec(),
            "内容有误",
        ),
    ];
    for (bytes, want) in cases {
        fs::write(store.path(), &bytes).unwrap();
        let err = store.load().unwrap_err();
        assert!(matches!(err, RecoveryError::Corrupt { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with("恢复文件") && msg.contains(want), "{bytes:?}: {msg}");
    }
    let aside = store.set_aside().unwrap();
    assert!(aside.exists());
    assert!(
        store.load().unwrap().is_none(),
        "set aside, the start is no longer blocked"
    );
}

fn write_and_path(store: &RecoveryStore) -> PathBuf {
    store.write(&sample(), None).unwrap();
    store.path()
}

#[test]
fn huge_copy_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path());
    // Sparse: 100 MB long, nothing on disk, so the test is fast.
    fs::File::create(store.path())
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let err = store.load().unwrap_err();
    assert!(err.to_string().contains("文件过大"), "{err}");
}

#[test]
fn data_dir_follows_env() {
    // Only this test in this binary touches the env var; other tests use explicit folders.
    let dir = tempfile::tempdir().unwrap();
    // set_var is unsafe in edition 2024 and unsafe code is denied: check through a child process instead.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_prints_data_dir", "--nocapture", "--include-ignored"])
        .env(recovery::DATA_DIR_ENV, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("DATA_DIR={}", dir.path().display())),
        "{stdout}"
    );
}

#[test]
#[ignore = "run by data_dir_follows_env as a child process"]
fn child_prints_data_dir() {
    println!("DATA_DIR={}", recovery::data_dir().unwrap().display());
}

/// The env var that makes the test binary act as the panicking app.
const PANIC_CHILD: &str = "NIANBAO_TEST_PANIC_DIR";

#[test]
fn panic_writes_recovery_copy_and_crash_log_then_next_start_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_panics_with_unsaved_work",
            "--nocapture",
            "--include-ignored",
        ])
        .env(PANIC_CHILD, dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success(), "the child must have panicked");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("模拟的程序错误"),
        "the previous hook still prints: {stderr}"
    );

    let store = RecoveryStore::new(dir.path());
    let got = store.load().unwrap().expect("the panic hook wrote the recovery copy");
    assert_eq!(got.report, sample());
    assert_eq!(got.original_path.as_deref(), Some(Path::new("/某处/报告 2025.nianbao")));

    let log = crash::take_notice(dir.path()).expect("the next start is told where the log is");
    let name = log.file_name().unwrap().to_str().unwrap().to_string();
    assert!(name.starts_with("crash-") && name.ends_with(".log"), "{name}");
    let text = fs::read_to_string(&log).unwrap();
    assert!(text.contains("模拟的程序错误"), "{text}");
    assert!(text.contains("tests/recovery.rs"), "the location is logged: {text}");
    assert!(text.contains("已写入恢复文件"), "{text}");
    assert!(text.contains("backtrace"), "{text}");
    assert!(crash::take_notice(dir.path()).is_none());
}

#[test]
#[ignore = "run by panic_writes_recovery_copy_and_crash_log_then_next_start_is_told as a child process"]
fn child_panics_with_unsaved_work() {
    let Some(dir) = std::env::var_os(PANIC_CHILD) else {
        return;
    };
    let snapshot = Arc::new(Mutex::new(None));
    crash::install(RecoveryStore::new(PathBuf::from(dir)), Arc::clone(&snapshot));
    *snapshot.lock().unwrap() = Some(Snapshot {
        report: sample(),
        original_path: Some(PathBuf::from("/某处/报告 2025.nianbao")),
    });
    panic!("模拟的程序错误");
}

#[test]
fn panic_while_the_snapshot_lock_is_held_does_not_deadlock() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_panics_holding_the_lock",
            "--nocapture",
            "--include-ignored",
        ])
        .env(PANIC_CHILD, dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    // The copy cannot be taken (the lock is held) but the log is still written.
    let log = crash::take_notice(dir.path()).expect("crash log written");
    assert!(fs::read_to_string(log).unwrap().contains("锁内"));
}

#[test]
#[ignore = "run by panic_while_the_snapshot_lock_is_held_does_not_deadlock as a child process"]
fn child_panics_holding_the_lock() {
    let Some(dir) = std::env::var_os(PANIC_CHILD) else {
        return;
    };
    let snapshot = Arc::new(Mutex::new(Some(Snapshot {
        report: sample(),
        original_path: None,
    })));
    crash::install(RecoveryStore::new(PathBuf::from(dir)), Arc::clone(&snapshot));
    let _guard = snapshot.lock().unwrap();
    panic!("锁内的程序错误");
}

// ---------------------------------------------------------------- the window's side (Guard), clock passed in

use nianbao::recovery::{Guard, INTERVAL};
use std::time::{Duration, Instant};

fn guard_in(dir: &Path) -> Guard {
    Guard::without_hook(RecoveryStore::new(dir), Arc::new(Mutex::new(None)))
}

fn on_disk(dir: &Path) -> Option<Report> {
    RecoveryStore::new(dir).load().unwrap().map(|r| r.report)
}

#[test]
fn guard_writes_while_dirty_every_interval_and_on_focus_loss_and_removes_after_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = guard_in(dir.path());
    assert!(g.offer().is_none());
    let t0 = Instant::now();
    let mut r = sample();
    let path = PathBuf::from("/办公室/报告.nianbao");

    // Clean: nothing written.
    assert_eq!(g.tick(&r, Some(&path), false, true, t0), None);
    assert!(on_disk(dir.path()).is_none());

    // First unsaved change: written at once; the panic snapshot follows.
    assert_eq!(g.tick(&r, Some(&path), true, true, t0), None);
    assert_eq!(on_disk(dir.path()), Some(r.clone()));
    assert_eq!(
        g.snapshot().lock().unwrap().as_ref().map(|s| s.report.clone()),
        Some(r.clone())
    );

    // Another change 1 s later: not yet written, but the window is told when to wake up; the snapshot is current.
    r.set_by_id("s3.new.natural", Value::Int(74));
    let wake = g.tick(&r, Some(&path), true, true, t0 + Duration::from_secs(1));
    assert_eq!(wake, INTERVAL.checked_sub(Duration::from_secs(1)));
    assert_eq!(
        on_disk(dir.path()).unwrap().value("s3.new.natural"),
        Some(Value::Int(73))
    );
    assert_eq!(g.snapshot().lock().unwrap().as_ref().unwrap().report, r);

    // The interval passed: written.
    assert_eq!(g.tick(&r, Some(&path), true, true, t0 + INTERVAL), None);
    assert_eq!(on_disk(dir.path()), Some(r.clone()));

    // A change, then the window loses focus 1 s later: written at once.
    r.set_by_id("s3.new.natural", Value::Int(75));
    g.tick(&r, Some(&path), true, true, t0 + INTERVAL + Duration::from_millis(500));
    assert_ne!(on_disk(dir.path()), Some(r.clone()));
    g.tick(&r, Some(&path), true, false, t0 + INTERVAL + Duration::from_secs(1));
    assert_eq!(on_disk(dir.path()), Some(r.clone()));

    // Saved: the copy and the snapshot are gone.
    g.tick(&r, Some(&path), false, true, t0 + INTERVAL * 3);
    assert!(on_disk(dir.path()).is_none());
    assert!(g.snapshot().lock().unwrap().is_none());
}

#[test]
fn guard_keeps_the_old_copy_until_the_clerk_answers() {
    let dir = tempfile::tempdir().unwrap();
    let old = sample();
    RecoveryStore::new(dir.path()).write(&old, None).unwrap();
    let mut g = guard_in(dir.path());
    assert_eq!(g.offer().unwrap().report, old);
    // The new run starts blank and clean, then the clerk types before answering: the old copy is untouched.
    let blank = Report::new(Edition::E2021, 2025, "");
    let t0 = Instant::now();
    g.tick(&blank, None, false, true, t0);
    g.tick(&blank, None, true, false, t0 + INTERVAL);
    assert_eq!(on_disk(dir.path()), Some(old.clone()));
    // Restore: the report comes back; the copy stays until it is saved or replaced.
    let got = g.answer(true).unwrap();
    assert_eq!(got.report, old);
    assert!(g.offer().is_none());
    assert_eq!(on_disk(dir.path()), Some(old));
}

#[test]
fn guard_discard_answer_removes_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    RecoveryStore::new(dir.path()).write(&sample(), None).unwrap();
    let mut g = guard_in(dir.path());
    assert!(g.answer(false).is_none());
    assert!(on_disk(dir.path()).is_none());
    assert!(g.take_problem().is_none());
}

#[test]
fn guard_sets_a_damaged_copy_aside_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(RECOVERY_FILE), b"{\"format\":\"nianbao-recovery\",").unwrap();
    let mut g = guard_in(dir.path());
    assert!(g.offer().is_none());
    let msg = g.take_problem().unwrap();
    assert!(msg.contains("已损坏") && msg.contains("已移到"), "{msg}");
    assert!(
        dir.path().join(format!("{RECOVERY_FILE}.damaged")).exists(),
        "kept, not deleted"
    );
    assert!(g.take_problem().is_none(), "told once");
}

#[cfg(target_os = "linux")]
#[test]
fn guard_reports_a_failing_write_once_and_keeps_trying() {
    let Some(disk) = SmallDisk::mount("guard_reports_a_failing_write_once_and_keeps_trying") else {
        return;
    };
    disk.fill();
    let mut g = guard_in(&disk.mnt);
    let t0 = Instant::now();
    let r = sample();
    assert_eq!(g.tick(&r, None, true, true, t0), Some(INTERVAL));
    let msg = g.take_problem().unwrap();
    assert!(msg.contains("无法写入恢复文件"), "{msg}");
    // Still full.
    assert_eq!(g.tick(&r, None, true, true, t0 + INTERVAL), Some(INTERVAL));
    assert!(g.take_problem().is_none(), "not repeated every five seconds");
    // The disk has room again: the next attempt succeeds.
    disk.empty();
    assert!(SmallDisk::leftovers(&disk.mnt).is_empty());
    assert_eq!(g.tick(&r, None, true, true, t0 + INTERVAL * 2), None);
    assert_eq!(on_disk(&disk.mnt), Some(r));
}

#[test]
fn guard_explicit_discard_removes_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = guard_in(dir.path());
    g.tick(&sample(), None, true, true, Instant::now());
    assert!(on_disk(dir.path()).is_some());
    g.discard();
    assert!(on_disk(dir.path()).is_none());
}

#[test]
fn guard_discard_keeps_an_unanswered_offer() {
    let dir = tempfile::tempdir().unwrap();
    RecoveryStore::new(dir.path()).write(&sample(), None).unwrap();
    let mut g = guard_in(dir.path());
    // The clerk closes the window while the offer is still up: the copy stays for the next start.
    g.discard();
    assert_eq!(on_disk(dir.path()), Some(sample()));
}

// ---- every report the window can hold survives the copy ----

mod any_report {
    use super::*;
    use nianbao::template::ValueKind;
    use nianbao::yearly::PreviousSummary;
    use proptest::prelude::*;

    /// What a cell can hold: anything typed (invalid text kept), extremes of both number types, blank.
    fn value(kind: ValueKind) -> BoxedStrategy<Value> {
        prop_oneof![
            Just(Value::Blank),
            "\\PC{0,16}".prop_map(move |s| Value::from_input(kind, &s)),
            "[-+0-9.,０-９．]{1,40}".prop_map(move |s| Value::from_input(kind, &s)),
            any::<i64>().prop_map(move |n| Value::Int(n).for_kind(kind)),
            prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::new(1, 28))]
                .prop_map(move |d| Value::Money(d).for_kind(kind)),
            (any::<i128>(), 0u32..=28).prop_map(move |(m, s)| {
                Decimal::try_from_i128_with_scale(m >> 32, s).map_or(Value::Blank, |d| Value::Money(d).for_kind(kind))
            }),
        ]
        .boxed()
    }

    fn report() -> impl Strategy<Value = Report> {
        prop_oneof![Just(Edition::E2019), Just(Edition::E2021)].prop_flat_map(|e| {
            let cells: Vec<BoxedStrategy<Value>> = e.template().cells.iter().map(|c| value(c.kind)).collect();
            (
                any::<i32>(),
                // Agency and title are one line: the window refuses line breaks and TAB in them, and so does
                // the project format the copy is written in.
                "[^\t\r\n\u{0b}\u{0c}\u{85}\u{2028}\u{2029}]*",
                "[^\t\r\n\u{0b}\u{0c}\u{85}\u{2028}\u{2029}]*",
                proptest::collection::vec(any::<String>(), 4),
                cells,
                proptest::collection::btree_set(any::<String>(), 0..3),
            )
                .prop_map(move |(year, agency, title, texts, cells, acknowledged)| {
                    let mut r = Report::new(e, year, agency);
                    r.title = title;
                    for (id, text) in nianbao::template::TextId::ALL.into_iter().zip(texts) {
                        *r.texts.get_mut(id) = text;
                    }
                    r.cells = cells;
                    r.acknowledged = acknowledged;
                    r
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn survives_the_recovery_copy(r in report(), last in report(), with_last: bool, totals: bool) {
            let mut r = r;
            if totals {
                r.fill_totals();
            }
            if with_last {
                r.previous = Some(PreviousSummary::of(&last, Some("上年.nianbao".into())));
            }
            let dir = tempfile::tempdir().unwrap();
            let store = RecoveryStore::new(dir.path());
            store.write(&r, Some(Path::new("报告.nianbao"))).unwrap();
            let back = store.load().unwrap().unwrap();
            for (i, (a, b)) in back.report.cells.iter().zip(&r.cells).enumerate() {
                prop_assert_eq!(a, b, "cell {}", r.template().cells[i].id);
            }
            prop_assert_eq!(back.report, r);
        }
    }
}

/// A copy left by an older nianbao (the report as a JSON object) is still recovered.
#[test]
fn version_1_copies_are_still_recovered() {
    let r = sample();
    let old = serde_json::json!({
        "format": "nianbao-recovery",
        "format_version": 1,
        "saved_at": 1_700_000_000_u64,
        "original_path": "旧.nianbao",
        "report": serde_json::to_value(&r).unwrap(),
    });
    let back = recovery::parse(old.to_string().as_bytes()).unwrap();
    assert_eq!(back.report, r);
    assert_eq!(back.original_path, Some(PathBuf::from("旧.nianbao")));
    assert_eq!(back.saved_at, 1_700_000_000);
}
