#!/usr/bin/env bash
# Window figures of issue 12, under Xvfb with Mesa llvmpipe (LIBGL_ALWAYS_SOFTWARE=1), per screen size
# (1920×1080 and 1366×768; the window is resized to the screen less 30 px of height):
#   start → first frame   from just before exec to the window becoming viewable (polled every few ms)
#   start → settled       from just before exec to the last change of the screen, the pointer off the window
#                         (root window grabbed with xwd as fast as it goes, ~100 ms apart under load; settled =
#                         unchanged for SETTLE_MS;
#                         a change of at most CARET_PIXELS (40) pixels at half size, a blinking caret, does not count)
#   CPU to start          utime+stime of the process (and its children) at the settled moment, /proc/PID/stat
#   PSS                   /proc/PID/smaps_rollup once settled (summed over the process and its children); a
#                         warning when another process maps Mesa's libLLVM then (it would take a share)
#   CPU per key           50 keys typed with `xdotool type` into a table cell (digits) and into the long text 一、总体情况,
#                         CPU time from /proc over the typing plus 0.5 s, divided by 50
#   frames per key        NIANBAO_COUNT_FRAMES=1 makes the app print `frame N pass P` per frame; counted
#   idle                  CPU per second over IDLE_SECONDS with the caret blinking in the focused text
# Each figure is the median of RUNS runs (start figures: RUNS fresh processes; typing and idle: RUNS rounds in
# one process). CPU time, not wall time: the machine may be busy with other work.
# Programs measured: the app (NIANBAO_BIN, default target/release/nianbao) on the 辉县 2021 report text
# (../shared/samples/huixian-city-2021.txt, or REPORT=...), the same app repainting every frame whole as eframe
# does (`full`: EFRAME_FULL_REDRAW=1, see vendor/README.md), the bare floor window (FLOOR_BIN, default
# target/release/examples/floor) and, with --writer, LibreOffice Writer on the same report as .docx (made with
# `soffice --headless --convert-to docx` from `nianbao export --format html`). --install-writer installs
# libreoffice-writer (the GUI one; -nogui has no window) with apt first.
# Env: TYPE_DELAY (ms between keys, 60: a fast typist; 200: about a clerk's pace), MEASURE_DISPLAY, RUNS (5), IDLE_SECONDS (5), SETTLE_MS (1500), KINDS (a subset of "app full floor writer"), NIANBAO_BIN, FLOOR_BIN, REPORT.
# Usage: scripts/measure-typing.sh [--writer] [--install-writer] [--sizes "1920x1080 1366x768"]
set -euo pipefail

cd "$(dirname "$0")/.."
. scripts/xvfb.sh
RUNS=${RUNS:-5}
BIN=${NIANBAO_BIN:-target/release/nianbao}
FLOOR_BIN=${FLOOR_BIN:-target/release/examples/floor}
REPORT=${REPORT:-../shared/samples/huixian-city-2021.txt}
IDLE_SECONDS=${IDLE_SECONDS:-5}
SETTLE_MS=${SETTLE_MS:-1500}
TYPE_DELAY=${TYPE_DELAY:-60}
SIZES="1920x1080 1366x768"
WRITER=
while [ $# -gt 0 ]; do
    case "$1" in
        --writer) WRITER=1 ;;
        --install-writer) WRITER=1; apt-get install -y libreoffice-writer >/dev/null ;;   # with its window (not -nogui)
        --sizes) SIZES=$2; shift ;;
        *) echo "measure: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
OUT=${OUT:-target/measure-typing}
rm -rf "$OUT"
mkdir -p "$OUT"
LO_PROFILE="file://$(cd "$OUT" && pwd)/lo-profile"   # OUT may be relative or absolute
[ -x "$BIN" ] || { echo "measure: $BIN not built (cargo build --release)" >&2; exit 1; }
[ -f "$REPORT" ] || { echo "measure: no report $REPORT" >&2; exit 1; }
for tool in Xvfb xdotool xwininfo xwd convert compare import; do
    command -v "$tool" >/dev/null || { echo "measure: $tool missing" >&2; exit 1; }
done
if [ -n "$WRITER" ]; then command -v soffice >/dev/null || { echo "measure: soffice missing (--install-writer)" >&2; exit 1; }; fi

trap stop_window_test EXIT
export LIBGL_ALWAYS_SOFTWARE=1
unset WAYLAND_DISPLAY
HZ=$(getconf CLK_TCK)
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# utime+stime of a process and its descendants, in ms (fields 14, 15 after the command name).
cpu_ms() {
    local t=0 p v
    for p in "$1" $(descendants "$1"); do
        v=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }') || v=0
        t=$((t + ${v:-0}))
    done
    echo $((t * 1000 / HZ))
}
pss_kb() {
    local t=0 p v
    for p in "$1" $(descendants "$1"); do
        v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) || v=0
        t=$((t + ${v:-0}))
    done
    echo "$t"
}
# Other processes that map Mesa's libLLVM (another GL window, a leftover soffice.bin): PSS divides a shared
# library's pages among the processes that map it, so with one of them running the PSS reads ~15 MiB lower.
other_gl() {
    local mine=" $1 $(descendants "$1" | tr '\n' ' ') " p n=0
    for p in $(grep -l libLLVM /proc/[0-9]*/maps 2>/dev/null | cut -d/ -f3); do
        case "$mine" in *" $p "*) ;; *) n=$((n + 1)) ;; esac
    done
    echo "$n"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
frames() { sed -n 's/^frame \([0-9]*\) pass.*/\1/p' "$1" | tail -1; }
window_of() { xdotool search --onlyvisible --pid "$1" 2>/dev/null | head -1 || true; }

# The Writer document: the report as HTML from nianbao, converted by LibreOffice itself.
DOCX=
if [ -n "$WRITER" ]; then
    "$BIN" export "$REPORT" --format html -o "$OUT/report.html" 2>/dev/null
    export_profile="-env:UserInstallation=$LO_PROFILE"
    soffice "$export_profile" --headless --convert-to docx:"MS Word 2007 XML" --outdir "$OUT" "$OUT/report.html" >/dev/null 2>&1
    DOCX="$OUT/report.docx"
    [ -s "$DOCX" ] || { echo "measure: could not make $DOCX" >&2; exit 1; }
fi

# start PROGRAM: runs it on $DISPLAY, fills T_SHOWN T_SETTLED CPU_START PSS (for the current run).
start() {
    local kind=$1 log=$2 t0 last prev cur now
    case "$kind" in
        app) NIANBAO_COUNT_FRAMES=1 XDG_CONFIG_HOME="$RUNDIR/config" NIANBAO_DATA_DIR="$RUNDIR/data" \
            "$BIN" "$REPORT" >"$log" 2>&1 & ;;
        full) EFRAME_FULL_REDRAW=1 NIANBAO_COUNT_FRAMES=1 XDG_CONFIG_HOME="$RUNDIR/config" \
            NIANBAO_DATA_DIR="$RUNDIR/data" "$BIN" "$REPORT" >"$log" 2>&1 & ;;
        floor) NIANBAO_COUNT_FRAMES=1 "$FLOOR_BIN" >"$log" 2>&1 & ;;
        writer) soffice "-env:UserInstallation=$LO_PROFILE" --norestore --nologo \
            --writer "$DOCX" >"$log" 2>&1 & ;;
    esac
    APP_PID=$!
    t0=$(now_ms)
    T_SHOWN=
    for _ in $(seq 1 3000); do
        WIN=$(window_of "$APP_PID"; for c in $(descendants "$APP_PID"); do window_of "$c"; done)
        WIN=$(echo "$WIN" | head -1)
        if [ -n "$WIN" ]; then T_SHOWN=$(($(now_ms) - t0)); break; fi
        sleep 0.003
    done
    [ -n "$T_SHOWN" ] || { echo "measure: no window from $kind" >&2; cat "$log" >&2; exit 1; }
    # A blinking caret (Writer focuses its text at start) is not "changing": a change of fewer than
    # CARET_PIXELS pixels does not count. The grabs are scaled down 2× so that comparing stays cheap.
    last=$(now_ms); rm -f "$RUNDIR.prev.png"; mkdir -p "$(dirname "$RUNDIR")"
    while :; do
        xwd -root -silent | convert xwd:- -sample 50% "$RUNDIR.cur.png"
        now=$(now_ms)
        if [ -f "$RUNDIR.prev.png" ]; then
            n=$(compare -metric AE "$RUNDIR.prev.png" "$RUNDIR.cur.png" null: 2>&1 || true)
            n=${n%% *}
            if awk -v n="$n" -v m="${CARET_PIXELS:-40}" 'BEGIN { exit !(n + 0 > m) }'; then
                last=$now; mv "$RUNDIR.cur.png" "$RUNDIR.prev.png"
            fi
        else
            mv "$RUNDIR.cur.png" "$RUNDIR.prev.png"
        fi
        [ $((now - last)) -ge "$SETTLE_MS" ] && break
        [ $((now - t0)) -ge 30000 ] && break
        sleep 0.02
    done
    T_SETTLED=$((last - t0))
    CPU_START=$(cpu_ms "$APP_PID")
    PSS=$(pss_kb "$APP_PID")
    OTHER_GL=$(other_gl "$APP_PID")
    [ "$OTHER_GL" -eq 0 ] || echo "measure: $OTHER_GL other process(es) map libLLVM while $kind starts: its PSS reads low" >&2
}
stop() { kill $(descendants "$APP_PID") "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=; sleep 0.5; }

# type50 LOG [TEN]: 50 keys, TEN (ten characters, default abcdefghij) five times; echoes "cpu_ms_per_key frames_per_key".
type50() {
    local log=$1 ten=${2:-abcdefghij} c0 f0 c1 f1
    c0=$(cpu_ms "$APP_PID"); f0=$(frames "$log" 2>/dev/null || true)
    xdotool type --delay "$TYPE_DELAY" "$ten$ten$ten$ten$ten"
    sleep 0.5
    c1=$(cpu_ms "$APP_PID"); f1=$(frames "$log" 2>/dev/null || true)
    awk -v c="$((c1 - c0))" -v f0="${f0:-0}" -v f1="${f1:-0}" 'BEGIN { printf "%.1f %s\n", c / 50, (f1 > 0 ? sprintf("%.2f", (f1 - f0) / 50) : "-") }'
}
idle() {
    local c0 c1
    c0=$(cpu_ms "$APP_PID"); sleep "$IDLE_SECONDS"; c1=$(cpu_ms "$APP_PID")
    awk -v c="$((c1 - c0))" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.2f\n", c / 10 / s }'
}
# Where to click, in pixels of the window: inside the long text, and the title field (Tab goes on to the cells).
click() { xdotool mousemove --window "$WIN" "$1" "$2" click 1; sleep 0.4; }

for size in $SIZES; do
    sw=${size%x*}; sh=${size#*x}
    # MEASURE_DISPLAY (e.g. :95) names the display; else Xvfb picks a free one.
    start_xvfb "$size" "$OUT" "${MEASURE_DISPLAY:-}" || { echo "measure: Xvfb did not start" >&2; exit 1; }
    kinds="app full floor"; [ -n "$WRITER" ] && kinds="$kinds writer"
    kinds=${KINDS:-$kinds}
    [ -x "$FLOOR_BIN" ] || kinds=${kinds/floor/}
    for kind in $kinds; do
        d="$OUT/$size/$kind"; mkdir -p "$d"
        if [ "$kind" = writer ]; then   # warm the profile first: the issue compares warm starts
            RUNDIR="$d/warm"; start writer "$d/warm.log"; stop
        fi
        for run in $(seq 1 "$RUNS"); do
            RUNDIR="$d/run$run"; mkdir -p "$RUNDIR/config" "$RUNDIR/data"
            log="$RUNDIR/out.log"
            # The pointer rests in the screen's corner, off the window: where Xvfb leaves it (the middle) it
            # hovers the form, and egui's floating scroll bar fades in for half a second, which "settled" would
            # count as the app still drawing.
            xdotool mousemove $((sw - 1)) $((sh - 1))
            start "$kind" "$log"
            echo "$T_SHOWN" >>"$d/shown"; echo "$T_SETTLED" >>"$d/settled"
            echo "$CPU_START" >>"$d/cpu_start"; echo "$PSS" >>"$d/pss"
            if [ "$run" -eq "$RUNS" ]; then
                xdotool windowmove "$WIN" 0 0 windowsize "$WIN" "$sw" $((sh - 30)); sleep 1
                xdotool windowfocus --sync "$WIN" 2>/dev/null || true
                case "$kind" in
                    app|full)
                        click $((sw / 5)) $((sh * 55 / 100))      # inside 一、总体情况
                        for _ in $(seq 1 "$RUNS"); do type50 "$log" >>"$d/text"; done
                        for _ in $(seq 1 "$RUNS"); do idle >>"$d/idle"; done
                        # The first cell of the tables (二, 规章 · 本年制发件数): the title field, then Tab past the
                        # two texts, as a clerk would; digits, so that every key changes the value, the totals and
                        # the checks.
                        click 300 127
                        xdotool key Tab; sleep 0.3; xdotool key Tab; sleep 0.3; xdotool key Tab; sleep 0.5
                        for _ in $(seq 1 "$RUNS"); do type50 "$log" 1234567890 >>"$d/cell"; xdotool key ctrl+a BackSpace; sleep 0.3; done
                        ;;
                    floor|writer)
                        click $((sw / 3)) $((sh / 3))
                        for _ in $(seq 1 "$RUNS"); do type50 "$log" >>"$d/text"; done
                        for _ in $(seq 1 "$RUNS"); do idle >>"$d/idle"; done
                        ;;
                esac
                DISPLAY=$DISPLAY import -window root "$d/typed.png" 2>/dev/null || true
            fi
            stop
        done
    done
    kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; XVFB_PID=
done

col() { [ -s "$1" ] && awk '{ print $1 }' "$1" | median || echo "-"; }
col2() { [ -s "$1" ] && awk '{ print $2 }' "$1" | median || echo "-"; }
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $RUNS; CPU = utime+stime"
printf '%-9s %-6s %8s %8s %8s %8s %10s %8s %10s %8s %8s\n' size prog shown_ms settle_ms cpu_st_ms pss_MiB text_ms/key fr/key cell_ms/key fr/key idle_%
for size in $SIZES; do
    for d in "$OUT/$size"/*; do
        [ -d "$d" ] || continue
        printf '%-9s %-6s %8s %8s %8s %8s %10s %8s %10s %8s %8s\n' "$size" "$(basename "$d")" \
            "$(col "$d/shown")" "$(col "$d/settled")" "$(col "$d/cpu_start")" \
            "$(awk '{ print $1 / 1024 }' "$d/pss" | median | xargs printf '%.1f')" \
            "$(col "$d/text")" "$(col2 "$d/text")" "$(col "$d/cell")" "$(col2 "$d/cell")" "$(col "$d/idle")"
    done
done
