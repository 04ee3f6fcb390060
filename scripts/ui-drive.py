#!/usr/bin/python3
"""The release binary driven from outside as a clerk would (Xvfb at 1366x768, AT-SPI, xdotool), through
../shared/tools/uidrive.py beside the repository. Shows: typing into a filled cell replaces it; Enter goes down;
bad input survives save and reopen; the next-year result fits the screen and closes with Esc; a blank form opens
with a progress line, not a warning per cell. Screenshots go to target/ui-drive/. Skips (exit 0, with a message)
when ../shared is absent.

Usage: scripts/ui-drive.py [BINARY]   (default target/release/nianbao; run with Debian's /usr/bin/python3)
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("NIANBAO_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")
TOOLS = os.path.join(SHARED, "tools")
SAMPLE = os.path.join(SHARED, "samples", "huixian-city-2021.txt")
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "nianbao"))
OUT = os.path.join(ROOT, "target", "ui-drive")
W, H = 1366, 768

NEW_NATURAL = "一、本年新收政府信息公开申请数量 · 自然人"
CARRIED_NATURAL = "二、上年结转政府信息公开申请数量 · 自然人"

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def main():
    if not os.path.exists(os.path.join(TOOLS, "uidrive.py")) or not os.path.exists(SAMPLE):
        print("ui-drive: ../shared (tools, samples) not found beside the repository; skipped")
        return 0
    if not os.access(BIN, os.X_OK):
        print(f"ui-drive: {BIN} not built (cargo build --release)", file=sys.stderr)
        return 1
    sys.path.insert(0, TOOLS)
    from uidrive import Session

    os.makedirs(OUT, exist_ok=True)
    os.environ["NIANBAO_FILE_DIALOG"] = "builtin"
    os.environ["LIBGL_ALWAYS_SOFTWARE"] = "1"
    os.environ.pop("WAYLAND_DISPLAY", None)
    work = tempfile.mkdtemp(prefix="ui-drive-")
    saved = os.path.join(work, "辉县 报告.nianbao")
    display = os.environ.get("UI_DRIVE_DISPLAY", ":91")

    with Session(size=f"{W}x{H}", display=display) as s:
        # AccessKit publishes the window's tree only while an assistive technology is said to be running (as a
        # screen reader would announce itself on the accessibility bus).
        subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus",
                        "org.freedesktop.DBus.Properties.Set", "string:org.a11y.Status", "string:IsEnabled",
                        "variant:boolean:true"], capture_output=True, check=False)
        # A blank form: a progress line, not one warning per blank cell.
        check(s.launch([BIN]), "the window opens")
        labels = [n for r, n in s.names() if n]
        warnings = [n for n in labels if n.startswith("警告：")]
        check(any(n.startswith("已填 0/") for n in labels), "a blank form shows 已填 0/N 格")
        check(len(warnings) < 10, f"a blank form lists {len(warnings)} warnings (not one per cell)")
        s.shot(os.path.join(OUT, "blank.png"))
        s.quit()

        # Typing replaces; Enter goes down.
        check(s.launch([BIN, SAMPLE]), "the sample opens")
        cell = s.find("entry", NEW_NATURAL)
        check(cell is not None and s.text(cell) == "73", f"{NEW_NATURAL} holds 73")
        s.scroll_to(cell)
        s.click(cell)
        s.type("5")
        check(s.text(cell) == "5", f"typing 5 into 73 gives {s.text(cell)!r} (want '5')")
        s.key("Return")
        s.type("2.5")
        below = s.find("entry", CARRIED_NATURAL)
        check(below is not None and s.text(below) == "2.5", f"Enter went down: the cell below reads {s.text(below)!r}")
        s.key("Return")
        s.shot(os.path.join(OUT, "typed.png"))

        # Save as a project file through the in-app chooser, reopen: the bad entry is still there.
        s.key("ctrl+shift+s")
        field = s.find("entry", "文件名")
        check(field is not None, "另存为 shows the file browser's name box")
        if field is not None:
            s.click(field)
            s.key("ctrl+a")
            # Slowly: xdotool types a hanzi by binding a spare keycode and unbinding it half a delay after the
            # key press; the window reads the binding only between two frames, and a frame drawn in software
            # takes ~50 ms on a busy machine, so 60 ms (the default) or 200 ms can lose characters.
            subprocess.run(["xdotool", "type", "--delay", "400", saved], capture_output=True)
            s.key("Return")
            ok = s.find("push button", "保存")
            if ok is not None and not os.path.exists(saved):
                s.click(ok)
        check(os.path.exists(saved), "the project file was written")
        s.quit()
        check(s.launch([BIN, saved]), "the project file reopens")
        below = s.find("entry", CARRIED_NATURAL)
        check(below is not None and s.text(below) == "2.5", f"after reopening the bad entry reads {s.text(below)!r}")
        labels = [n for r, n in s.names() if n]
        check(any("只能填写整数" in n for n in labels), "the bad entry is listed as an error")

        # Next year: the result fits the screen and closes with Esc.
        s.key("alt+f")
        entry = s.find("push button", "新建下一年度报告…")
        check(entry is not None, "Alt+F opens 文件 with 新建下一年度报告…")
        if entry is not None:
            s.click(entry)
            create = s.find("push button", "新建")
            if create is not None:
                s.click(create)
            ok = s.find("push button", "确定")
            check(ok is not None, "the next-year result shows")
            if ok is not None:
                x, y, w, h = s.extents(ok)
                check(0 <= x and x + w <= W and 0 <= y and y + h <= H, f"its 确定 is on the screen at {x},{y}")
                s.shot(os.path.join(OUT, "next-year.png"))
                s.key("Escape")
                check(s.find("push button", "确定") is None, "Esc closes it")
        s.quit()

    print(f"ui-drive: {len(failures)} failed" if failures else "ui-drive: all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
