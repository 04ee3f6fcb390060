#!/usr/bin/env bash
# Kill-and-restore proof (issue 7): the release binary, a real window under Xvfb, SIGKILL, restart, restore.
#
#  1. Start nianbao with a replay script (NIANBAO_REPLAY) that types values into a new, never-saved report.
#  2. Wait for its window, then for the recovery copy in the data folder (written within ~5 s of a change).
#  3. kill -9 the process (no chance to clean up or save anything).
#  4. Restart with NIANBAO_AUTO_RESTORE=1 and NIANBAO_DUMP_ON_START: the report shown must hold the values.
#  5. Kill it again, restart with NIANBAO_AUTO_RESTORE=0 (放弃): the copy is gone, the report blank.
#
# Exits non-zero on any failure. Needs (installed by .ci/run): xvfb, xdotool, x11-utils, jq, mesa.
# Env: NIANBAO_BIN (default target/release/nianbao), KILL_RESTORE_DISPLAY (default: a free display).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${NIANBAO_BIN:-target/release/nianbao}
DISPLAY_NUM=${KILL_RESTORE_DISPLAY:-}
OUT=target/kill-restore
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

fail() {
    echo "kill-restore: FAIL: $*" >&2
    for f in "$OUT"/app-*.log; do
        [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
    done
    exit 1
}

[ -x "$BIN" ] || fail "$BIN not built (cargo build --release)"
for tool in Xvfb xdotool xwininfo jq; do
    command -v "$tool" >/dev/null || fail "$tool missing"
done

# Our own X server, on a free display unless DISPLAY_NUM names one.
. scripts/xvfb.sh
APP_KILL_SIGNAL=KILL
trap stop_window_test EXIT
start_xvfb 1400x900 "$OUT" "$DISPLAY_NUM" || fail "Xvfb did not start"
echo "kill-restore: Xvfb on $DISPLAY"

# Software GL, no Wayland; settings and data kept inside $OUT (a path with Chinese and a space, on purpose).
export LIBGL_ALWAYS_SOFTWARE=1
unset WAYLAND_DISPLAY
export XDG_CONFIG_HOME="$OUT/config"
export NIANBAO_DATA_DIR="$OUT/数据 目录"
RECOVERY="$NIANBAO_DATA_DIR/recovery.json"
unset NIANBAO_AUTO_RESTORE NIANBAO_DUMP_ON_START NIANBAO_REPLAY

# Starts the app in the background (extra env as arguments); sets APP_PID.
start_app() {
    local log=$1
    shift
    kill -0 "$XVFB_PID" 2>/dev/null || fail "our Xvfb died"
    env "$@" "$BIN" >"$OUT/$log" 2>&1 &
    APP_PID=$!
}

# Waits up to $2 seconds for a window of process $1; prints its id.
wait_window() {
    local pid=$1 secs=$2 win
    for _ in $(seq 1 $((secs * 10))); do
        kill -0 "$pid" 2>/dev/null || return 1
        win=$(xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -1 || true)
        [ -n "$win" ] && { echo "$win"; return 0; }
        sleep 0.1
    done
    return 1
}

# Waits up to $2 seconds for file $1 to exist.
wait_file() {
    for _ in $(seq 1 $(($2 * 10))); do
        [ -s "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

kill9() {
    kill -9 "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
    kill -0 "$APP_PID" 2>/dev/null && fail "process $APP_PID survived SIGKILL"
    APP_PID=
}

# ---- 1. type values into a never-saved report
cat >"$OUT/replay.txt" <<'EOF'
# what the clerk typed before the power cut
agency 恢复测试县人民政府
set s3.new.natural 73
set s3.new.commercial ７
set s3.granted.natural 18
text overview 断电前输入的总体情况。
EOF
start_app app-1.log NIANBAO_REPLAY="$OUT/replay.txt"
WIN=$(wait_window "$APP_PID" 60) || fail "first start: no window"
echo "kill-restore: window $WIN up (pid $APP_PID)"

# ---- 2./3. the copy appears; SIGKILL
wait_file "$RECOVERY" 30 || fail "no recovery copy at $RECOVERY"
# The copy holds the report as project-file text: read it back with nianbao itself.
jq -r '.project' "$RECOVERY" >"$OUT/recovery-before-kill.nianbao" || fail "recovery copy is not the expected JSON"
"$BIN" export "$OUT/recovery-before-kill.nianbao" --format json 2>/dev/null \
    | jq -e '.cells["s3.new.natural"] == 73' >/dev/null || fail "recovery copy lacks the typed value"
cp "$RECOVERY" "$OUT/recovery-before-kill.json"
kill9
echo "kill-restore: killed with SIGKILL"
[ -f "$RECOVERY" ] || fail "recovery copy vanished with the process"

# ---- 4. restart, restore, check
start_app app-2.log NIANBAO_AUTO_RESTORE=1 NIANBAO_DUMP_ON_START="$OUT/restored.json"
WIN=$(wait_window "$APP_PID" 60) || fail "second start: no window"
wait_file "$OUT/restored.json" 10 || fail "no dump of the restored report"
jq -e '
    .agency == "恢复测试县人民政府"
    and .cells["s3.new.natural"] == 73
    and .cells["s3.new.commercial"] == 7
    and .cells["s3.new.total"] == 80
    and .cells["s3.granted.natural"] == 18
    and .cells["s3.new.legal"] == null
    and .texts.overview == "断电前输入的总体情况。"
' "$OUT/restored.json" >/dev/null || { cat "$OUT/restored.json" >&2; fail "restored report lacks the values"; }
# The title shows unsaved work (the restored report is not saved yet).
TITLE=$(xdotool getwindowname "$WIN" 2>/dev/null || true)
case "$TITLE" in
    *"*"*) ;;
    *) fail "window title «$TITLE» does not mark the restored report as unsaved" ;;
esac
echo "kill-restore: restored values found; title «$TITLE»"
kill9

# ---- 5. restart, discard (放弃): the copy goes, the report is blank
[ -f "$RECOVERY" ] || fail "recovery copy gone before it was answered"
start_app app-3.log NIANBAO_AUTO_RESTORE=0 NIANBAO_DUMP_ON_START="$OUT/discarded.json"
wait_window "$APP_PID" 60 >/dev/null || fail "third start: no window"
wait_file "$OUT/discarded.json" 10 || fail "no dump after discard"
jq -e '.cells["s3.new.natural"] == null and .agency == ""' "$OUT/discarded.json" >/dev/null \
    || fail "after 放弃 the report is not blank"
[ -f "$RECOVERY" ] && fail "recovery copy still there after 放弃"
kill9

echo "kill-restore: OK"
