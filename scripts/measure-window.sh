#!/usr/bin/env bash
# Window figures of issue 6, under Xvfb with software OpenGL (LIBGL_ALWAYS_SOFTWARE=1):
#   - process start → first frame: N runs, median / min / max, two ways:
#       app   = what the binary prints with NIANBAO_FIRST_FRAME=1 ("first frame after N ms", counted from the
#               start of the window code, at the end of the first frame's UI pass)
#       shown = measured here: from just before exec to the window becoming viewable (eframe maps the window
#               only after the first frame is painted), polled every few ms, so it includes exec, dynamic
#               linking and the first paint
#   - memory: VmRSS (and peak VmHWM) from /proc/PID/status with a full report file open, per run
#   - idle: utime+stime from /proc/PID/stat over IDLE_SECONDS with nothing happening (last run only)
#   - the release binary's size
# Usage: scripts/measure-window.sh [RUNS]   (default 10; env: NIANBAO_BIN, IDLE_SECONDS, SETTLE_SECONDS)
# Needs: Xvfb, xdotool, x11-utils (xwininfo), mesa (llvmpipe). Builds nothing: run `cargo build --release` first.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${1:-10}
BIN=${NIANBAO_BIN:-target/release/nianbao}
IDLE_SECONDS=${IDLE_SECONDS:-10}
SETTLE_SECONDS=${SETTLE_SECONDS:-2}
OUT=target/measure-window
rm -rf "$OUT"
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "measure: $BIN not built (cargo build --release)" >&2; exit 1; }
for tool in Xvfb xdotool xwininfo; do
    command -v "$tool" >/dev/null || { echo "measure: $tool missing" >&2; exit 1; }
done


. scripts/xvfb.sh
trap stop_window_test EXIT
start_xvfb 1400x900 "$OUT" || { echo "measure: Xvfb did not start" >&2; exit 1; }

export LIBGL_ALWAYS_SOFTWARE=1
unset WAYLAND_DISPLAY
export NIANBAO_FIRST_FRAME=1

# A full report file: the official TAB layout fixture (every table of the 2021 form filled) as a project.
REPORT="$OUT/full-2021.nianbao"
"$BIN" import tests/fixtures/import/tab_official_2021.txt -o "$REPORT" >"$OUT/import.log" 2>&1 || true
[ -s "$REPORT" ] || { echo "measure: could not make $REPORT" >&2; cat "$OUT/import.log" >&2; exit 1; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# utime + stime (fields 14 and 15; the command name in field 2 has no spaces here).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

: >"$OUT/app_ms"
: >"$OUT/shown_ms"
: >"$OUT/rss_kb"
: >"$OUT/hwm_kb"
for run in $(seq 1 "$RUNS"); do
    # Fresh settings and data folders: no recent files, no recovery offer from the previous (killed) run.
    export XDG_CONFIG_HOME="$OUT/run$run/config"
    export NIANBAO_DATA_DIR="$OUT/run$run/data"
    mkdir -p "$XDG_CONFIG_HOME" "$NIANBAO_DATA_DIR"
    log="$OUT/run$run/app.log"
    t0=$(now_ms)
    "$BIN" "$REPORT" >"$log" 2>&1 &
    APP_PID=$!
    shown=
    for _ in $(seq 1 2000); do
        kill -0 "$APP_PID" 2>/dev/null || { echo "measure: nianbao exited (run $run)" >&2; cat "$log" >&2; exit 1; }
        if xdotool search --onlyvisible --pid "$APP_PID" >/dev/null 2>&1; then
            shown=$(($(now_ms) - t0))
            break
        fi
        sleep 0.002
    done
    [ -n "$shown" ] || { echo "measure: no window after 10 s (run $run)" >&2; exit 1; }
    sleep "$SETTLE_SECONDS"
    app_ms=$(sed -n 's/^first frame after \([0-9]*\) ms$/\1/p' "$log" | head -1)
    [ -n "$app_ms" ] || { echo "measure: no 'first frame after' line (run $run)" >&2; cat "$log" >&2; exit 1; }
    # The file is open once the title names it.
    win=$(xdotool search --onlyvisible --pid "$APP_PID" 2>/dev/null | head -1)
    title=$(xdotool getwindowname "$win" 2>/dev/null || true)
    case "$title" in
        *full-2021.nianbao*) ;;
        *) echo "measure: report not open in run $run (title: $title)" >&2; exit 1 ;;
    esac
    rss=$(status_kb "$APP_PID" VmRSS)
    hwm=$(status_kb "$APP_PID" VmHWM)
    echo "$app_ms" >>"$OUT/app_ms"
    echo "$shown" >>"$OUT/shown_ms"
    echo "$rss" >>"$OUT/rss_kb"
    echo "$hwm" >>"$OUT/hwm_kb"
    printf 'run %2d: first frame app %4s ms, shown %4s ms, RSS %6s kB (peak %6s kB)\n' \
        "$run" "$app_ms" "$shown" "$rss" "$hwm"

    if [ "$run" -eq "$RUNS" ]; then
        hz=$(getconf CLK_TCK)
        c0=$(cpu_ticks "$APP_PID")
        sleep "$IDLE_SECONDS"
        c1=$(cpu_ticks "$APP_PID")
        ticks=$((c1 - c0))
        idle=$(awk -v t="$ticks" -v hz="$hz" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
        echo "idle: $ticks ticks of 1/$hz s in $IDLE_SECONDS s = $idle % of one core"
        echo "$idle" >"$OUT/idle_pct"
    fi
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
done

# median / min / max of a file of numbers (median of an even count: the mean of the two middle values).
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %s, min %s, max %s (n=%d)", m, v[1], v[NR], NR }'
}
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -m | awk '/^Mem:/ { print $2 }') MB"
echo "first frame (app, ms):   $(stats "$OUT/app_ms")"
echo "first frame (shown, ms): $(stats "$OUT/shown_ms")"
echo "RSS (kB):                $(stats "$OUT/rss_kb")"
echo "peak RSS (kB):           $(stats "$OUT/hwm_kb")"
echo "idle CPU over ${IDLE_SECONDS} s:   $(cat "$OUT/idle_pct") % of one core"
size=$(stat -c %s "$BIN")
echo "binary: $BIN $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB)"
