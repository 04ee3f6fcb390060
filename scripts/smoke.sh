#!/usr/bin/env bash
# Smoke test of the window: start the release binary under Xvfb (software OpenGL), wait for its window,
# save a screenshot to target/smoke/window.png, and fail if the window never appears or the process dies.
# Needs (installed by .ci/run, not here): xvfb, xdotool, x11-utils, imagemagick, mesa.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${NIANBAO_BIN:-target/release/nianbao}
OUT=target/smoke
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "smoke: $BIN not built (cargo build --release)" >&2; exit 1; }
for tool in Xvfb xdotool xwininfo import; do
    command -v "$tool" >/dev/null || { echo "smoke: $tool missing" >&2; exit 1; }
done

# A free display unless SMOKE_DISPLAY names one.
. scripts/xvfb.sh
trap stop_window_test EXIT
start_xvfb 1366x768 "$OUT" "${SMOKE_DISPLAY:-}" || { echo "smoke: Xvfb did not start" >&2; exit 1; }

# Software GL; no Wayland; keep settings out of the user's config.
export LIBGL_ALWAYS_SOFTWARE=1
unset WAYLAND_DISPLAY
export XDG_CONFIG_HOME="$OUT/config"
# A data folder of its own: a recovery copy left by another run on this machine must not cover the picture.
export NIANBAO_DATA_DIR="$OUT/data"
rm -rf "$NIANBAO_DATA_DIR"
export NIANBAO_FIRST_FRAME=1
"$BIN" "$@" >"$OUT/app.log" 2>&1 &
APP_PID=$!

found=
for _ in $(seq 1 200); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
        echo "smoke: nianbao exited before its window appeared" >&2
        cat "$OUT/app.log" >&2
        exit 1
    fi
    if xdotool search --name nianbao >/dev/null 2>&1; then
        found=1
        break
    fi
    sleep 0.1
done
[ -n "$found" ] || { echo "smoke: no window named nianbao within 20 s" >&2; cat "$OUT/app.log" >&2; exit 1; }

# Let the first frames be painted.
for _ in $(seq 1 50); do
    grep -q "first frame after" "$OUT/app.log" && break
    sleep 0.1
done
sleep 1
import -window root "$OUT/window.png"

if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "smoke: nianbao died after opening its window" >&2
    cat "$OUT/app.log" >&2
    exit 1
fi
echo "smoke: window title: $(xdotool search --name nianbao getwindowname 2>/dev/null | head -1)"
grep "first frame after" "$OUT/app.log" || true
echo "smoke: screenshot in $OUT/window.png"
