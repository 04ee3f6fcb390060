#!/usr/bin/env bash
# Partial redraws change no pixel: the release binary is driven twice under Xvfb with Mesa's software OpenGL,
# once as it runs for the clerk (only what changed is repainted, vendor/README.md) and once with
# EFRAME_FULL_REDRAW=1 (every frame painted whole, as upstream eframe does), through the same keys, clicks and
# scrolls: scrolling down, typing into cells of table 三 (totals and findings change), scrolling back, typing into
# the long text 一、总体情况 (new glyphs, a new row) and undoing it. Focus is then moved away (no caret) and the two screens must be
# identical, pixel for pixel. Pictures and the difference stay in target/partial-redraw/.
# Needs (installed by .ci/run): xvfb, xdotool, x11-utils, imagemagick, mesa.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${NIANBAO_BIN:-target/release/nianbao}
REPORT=${REPORT:-tests/fixtures/import/tab_official_2021.txt}
OUT=target/partial-redraw
rm -rf "$OUT"
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "partial-redraw: $BIN not built (cargo build --release)" >&2; exit 1; }
[ -f "$REPORT" ] || { echo "partial-redraw: no report $REPORT" >&2; exit 1; }

. scripts/xvfb.sh
trap stop_window_test EXIT
start_xvfb 1366x768 "$OUT" || { echo "partial-redraw: Xvfb did not start" >&2; exit 1; }
export LIBGL_ALWAYS_SOFTWARE=1
unset WAYLAND_DISPLAY

# run NAME [VAR=VALUE…]: drives one window through the sequence and saves $OUT/NAME.png.
run() {
    local name=$1 win=
    shift
    rm -rf "$OUT/$name"
    mkdir -p "$OUT/$name"
    env "$@" XDG_CONFIG_HOME="$OUT/$name/config" NIANBAO_DATA_DIR="$OUT/$name/data" EFRAME_DAMAGE_LOG=1 \
        "$BIN" "$REPORT" >"$OUT/$name/app.log" 2>&1 &
    APP_PID=$!
    for _ in $(seq 1 200); do
        win=$(xdotool search --onlyvisible --pid "$APP_PID" 2>/dev/null | head -1 || true)
        [ -n "$win" ] && break
        sleep 0.1
    done
    [ -n "$win" ] || { echo "partial-redraw: no window ($name)" >&2; cat "$OUT/$name/app.log" >&2; exit 1; }
    xdotool windowmove "$win" 0 0 windowsize "$win" 1366 738
    sleep 1
    xdotool windowfocus --sync "$win" 2>/dev/null || true
    at() { xdotool mousemove --window "$win" "$1" "$2"; sleep 0.2; }
    # Clicks at X Y, then rests the pointer on empty space: no tooltip's delay races the pictures.
    click_at() { at "$1" "$2"; xdotool click 1; sleep 0.3; at 1200 700; }
    wheel() { local i; for i in $(seq 1 "$2"); do xdotool click "$1"; sleep 0.05; done; sleep 0.5; }
    # A picture 0.25 s after the last key: the caret, restarted by the key, is shown in both runs.
    shot() { sleep 0.25; import -window root "$OUT/$name/$1.png"; }
    at 500 500; wheel 5 14                                    # down to table 三
    click_at 563 245                                          # 一、本年新收 自然人
    xdotool type --delay 80 "7"; xdotool key Tab; xdotool type --delay 80 "305"; xdotool key Return; shot 1-cells
    click_at 563 400                                          # 1.属于国家秘密 自然人
    xdotool type --delay 80 "12"; xdotool key Tab; shot 2-table
    at 500 500; wheel 4 30                                    # back to the top
    click_at 640 410                                          # into 一、总体情况
    xdotool type --delay 80 "ab12 xyz"; xdotool key Return; xdotool type --delay 80 "Q,.;"; shot 3-text
    xdotool key ctrl+z; shot 4-undo                           # undo: the text shrinks again
    click_at 1200 650; sleep 1.2                              # focus away: no caret left to blink
    import -window root "$OUT/$name/5-end.png"
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
}

run partial
run full EFRAME_FULL_REDRAW=1

partial_frames=$(grep -c "repaint Rects" "$OUT/partial/app.log" || true)
full_frames=$(grep -c "repaint Full" "$OUT/partial/app.log" || true)
echo "partial-redraw: the partial run painted $partial_frames frames in part and $full_frames whole"
[ "$partial_frames" -gt 0 ] || { echo "partial-redraw: no frame was painted in part (see $OUT/partial/app.log)" >&2; exit 1; }
failed=
for picture in "$OUT"/partial/*.png; do
    step=$(basename "$picture" .png)
    diff=$(compare -metric AE "$picture" "$OUT/full/$step.png" "$OUT/difference-$step.png" 2>&1 || true)
    diff=${diff%% *}
    if [ "$diff" = "0" ]; then
        echo "partial-redraw: $step: both screens identical"
        rm -f "$OUT/difference-$step.png"
    else
        echo "partial-redraw: $step: the screens differ in $diff pixels (see $OUT/difference-$step.png)" >&2
        failed=1
    fi
done
[ -z "$failed" ] || exit 1
