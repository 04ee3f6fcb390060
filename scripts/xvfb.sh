# Sourced by the scripts that drive the window: the one way they start their own X server.
#
# start_xvfb SIZE DIR [DISPLAY]: starts Xvfb with one SIZE (e.g. 1366x768) 24-bit screen on DISPLAY (e.g. :95),
# or else on a free display that Xvfb picks itself (-displayfd: a display used by someone else would make the app
# talk to, or lose, a server we do not control, and parallel runs must not collide). Logs to DIR/xvfb.log, sets
# XVFB_PID (for the caller's cleanup) and exports DISPLAY. Returns 1, with the log on stderr, when the server does
# not answer within about 10 s. With -noreset: by default the server starts afresh whenever its last client
# leaves, which puts the pointer back in the middle of the screen, over the window, whatever a script parked.
start_xvfb() {
    local size=$1 dir=$2 fixed=${3:-} _
    if [ -n "$fixed" ]; then
        Xvfb "$fixed" -screen 0 "${size}x24" -nolisten tcp -noreset >"$dir/xvfb.log" 2>&1 &
        XVFB_PID=$!
        echo "${fixed#:}" >"$dir/display"
    else
        : >"$dir/display"
        Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp -noreset 3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
        XVFB_PID=$!
    fi
    for _ in $(seq 1 100); do
        [ -s "$dir/display" ] && DISPLAY=":$(head -1 "$dir/display")" xwininfo -root >/dev/null 2>&1 && break
        sleep 0.1
    done
    export DISPLAY=":$(head -1 "$dir/display")"
    xwininfo -root >/dev/null 2>&1 || { cat "$dir/xvfb.log" >&2; return 1; }
}

# descendants PID: the process's children, their children and so on (Writer draws its window from a child).
descendants() {
    local c
    for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        echo "$c"
        descendants "$c"
    done
}

# The scripts' cleanup, set with `trap stop_window_test EXIT`: the program under test (APP_PID) with what it
# started, sent APP_KILL_SIGNAL (TERM unless set), then the server (XVFB_PID). Either may be empty.
XVFB_PID=
APP_PID=
stop_window_test() {
    if [ -n "$APP_PID" ]; then kill -"${APP_KILL_SIGNAL:-TERM}" $(descendants "$APP_PID") "$APP_PID" 2>/dev/null || true; fi
    if [ -n "$XVFB_PID" ]; then kill "$XVFB_PID" 2>/dev/null || true; fi
}
