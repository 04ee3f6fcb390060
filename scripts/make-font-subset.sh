#!/usr/bin/env bash
# Build the embedded Simplified Chinese UI font: assets/fonts/NotoSansSC-subset.otf
#
# Source: the "Noto Sans CJK SC" Regular face inside the Noto Sans CJK
# Regular collection (Debian/Ubuntu package `fonts-noto-cjk`).
# Needs: python3 with fontTools (`pip install fonttools`).
#
# Coverage:
#   * all 8105 characters of the 通用规范汉字表 (2013), listed in
#     assets/fonts/tongyong-guifan-8105.txt (the script checks the count)
#   * all of GBK (every valid 2-byte sequence, lead 0x81-0xFE x trail
#     0x40-0xFE without 0x7F, decoded with Python's 'gbk' and 'gb18030'
#     codecs, plus GB18030-2005's U+1E3F, U+FE10-U+FE19 and U+9FB4-U+9FBB;
#     no private use)
#   * all of GB2312 (every valid 2-byte sequence, rows 0xA1-0xF7 x cols
#     0xA1-0xFE, decoded with Python's 'gb2312' codec; GBK contains it, the
#     separate pass only guards against a codec difference)
#   * ASCII 0x20-0x7E, Latin-1 punctuation/symbols U+00A0-U+00BF, U+00D7, U+00F7
#   * General Punctuation U+2000-U+206F, Arrows U+2190-U+21FF,
#     Box Drawing U+2500-U+257F, Geometric Shapes U+25A0-U+25FF,
#     check marks U+2713-U+2718, warning sign U+26A0,
#     CJK Symbols and Punctuation U+3000-U+303F, full-width forms U+FF00-U+FFEF
#   * every character used in core/assets/templates/*.ron, src/**/*.rs and core/src/**/*.rs
#     (re-run this script whenever UI text gains new characters)
#
# Usage: scripts/make-font-subset.sh
# Env:   NOTO_CJK_TTC  path of NotoSansCJK-Regular.ttc (default: Debian path)
#        PYTHON        python interpreter with fontTools (default: python3)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${NOTO_CJK_TTC:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
PYTHON="${PYTHON:-python3}"
FAMILY="Noto Sans CJK SC"
OUT="$REPO/assets/fonts/NotoSansSC-subset.otf"

if [[ ! -f "$SRC" ]]; then
    echo "error: source font not found: $SRC" >&2
    echo "       install it with: apt-get install fonts-noto-cjk  (or set NOTO_CJK_TTC)" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import fontTools.subset' 2>/dev/null; then
    echo "error: fontTools is not available to $PYTHON (pip install fonttools)" >&2
    exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# 1. Find the face index of "Noto Sans CJK SC" in the collection by its name table.
FACE="$("$PYTHON" - "$SRC" "$FAMILY" <<'PY'
import sys
from fontTools.ttLib import TTCollection
path, family = sys.argv[1], sys.argv[2]
hits = []
for i, font in enumerate(TTCollection(path, lazy=True).fonts):
    name = font["name"]
    if name.getDebugName(1) == family and (name.getDebugName(2) or "").lower() == "regular":
        hits.append(i)
if len(hits) != 1:
    sys.exit(f"error: expected exactly one '{family}' Regular face in {path}, found {hits}")
print(hits[0])
PY
)"
echo "source: $SRC (face #$FACE, \"$FAMILY\")"

# 2. Generate the code point list.
"$PYTHON" - "$REPO" "$SRC" "$FACE" "$TMP/unicodes.txt" <<'PY'
import glob, os, sys
from fontTools.ttLib import TTFont

repo, src, face, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

cps = set()

# GB2312: every valid two-byte sequence.
gb = set()
for row in range(0xA1, 0xF8):
    for col in range(0xA1, 0xFF):
        try:
            s = bytes((row, col)).decode("gb2312")
        except UnicodeDecodeError:
            continue
        gb.update(ord(ch) for ch in s)
cps |= gb

# GBK: every valid two-byte sequence (it contains GB2312 and adds the rest of CJK Unified Ideographs
# U+4E00-U+9FA5 plus some symbols). Decoded twice: as 'gbk', and as 'gb18030', which is how nianbao reads a
# GBK file (encoding_rs) and which maps 80-odd former private-use positions to real characters (radicals,
# CJK Ext A such as 䶮, ideographic description characters). GB18030-2005 moved a few more out of private use
# than Python's codec knows: U+1E3F at A8BC, the vertical forms U+FE10-U+FE19 and the components
# U+9FB4-U+9FBB (FE59 and others). Private use itself is left out.
gbk = set()
for lead in range(0x81, 0xFF):
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        for codec in ("gbk", "gb18030"):
            try:
                s = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            gbk.update(ord(ch) for ch in s if not 0xE000 <= ord(ch) <= 0xF8FF)
gbk.add(0x1E3F)
gbk.update(range(0xFE10, 0xFE1A))
gbk.update(range(0x9FB4, 0x9FBC))
cps |= gbk

# 通用规范汉字表: 8105 characters, some outside GBK (CJK Ext A/B and later, e.g. 䶮 U+4DAE).
tgh_path = os.path.join(repo, "assets", "fonts", "tongyong-guifan-8105.txt")
with open(tgh_path, encoding="utf-8") as f:
    tgh = {ord(ch) for line in f if not line.startswith("#") for ch in line.strip()}
if len(tgh) != 8105:
    sys.exit(f"error: {tgh_path} holds {len(tgh)} distinct characters, expected 8105")
cps |= tgh

ranges = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00BF),  # Latin-1 punctuation and symbols
    (0x00D7, 0x00D7),  # multiplication sign
    (0x00F7, 0x00F7),  # division sign
    (0x2000, 0x206F),  # General Punctuation
    (0x2190, 0x21FF),  # Arrows
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x2713, 0x2718),  # check marks / ballot x
    (0x26A0, 0x26A0),  # warning sign
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
for lo, hi in ranges:
    cps.update(range(lo, hi + 1))

# Every character used by the app's own text.
files = sorted(glob.glob(os.path.join(repo, "core", "assets", "templates", "*.ron")))
for crate in ("src", os.path.join("core", "src")):
    files += sorted(glob.glob(os.path.join(repo, crate, "**", "*.rs"), recursive=True))
repo_cps = set()
for path in files:
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"warning: {os.path.relpath(path, repo)} is not valid UTF-8 ({e}); "
              "using the decodable part", file=sys.stderr)
        text = data.decode("utf-8", errors="ignore")
    for ch in text:
        cp = ord(ch)
        if cp < 0x20 or 0x7F <= cp <= 0x9F or 0xD800 <= cp <= 0xDFFF:
            continue  # control characters / surrogates
        repo_cps.add(cp)
cps |= repo_cps

cmap = TTFont(src, fontNumber=face, lazy=True).getBestCmap()
missing_repo = sorted(cp for cp in repo_cps if cp not in cmap)
missing_gb = sorted(cp for cp in gb if cp not in cmap)
missing_gbk = sorted(cp for cp in gbk if cp not in cmap)
missing_tgh = sorted(cp for cp in tgh if cp not in cmap)

print(f"code points requested: {len(cps)} "
      f"(通用规范 {len(tgh)}, GBK {len(gbk)}, GB2312 {len(gb)}, from {len(files)} repo files {len(repo_cps)})")
print(f"code points present in source font: {sum(1 for cp in cps if cp in cmap)}")
if missing_gb:
    print("warning: GB2312 characters missing from the source font: "
          + " ".join(f"U+{cp:04X}" for cp in missing_gb), file=sys.stderr)
if missing_gbk:
    print("warning: GBK characters missing from the source font: "
          + " ".join(f"U+{cp:04X}" for cp in missing_gbk), file=sys.stderr)
if missing_tgh:
    sys.exit("error: 通用规范 characters missing from the source font: "
             + " ".join(f"U+{cp:04X}" for cp in missing_tgh))
if missing_repo:
    print("warning: characters used in the repo but NOT in the font (they will render as tofu): "
          + " ".join(f"U+{cp:04X} {chr(cp)!r}" for cp in missing_repo), file=sys.stderr)

with open(out, "w") as f:
    for cp in sorted(cps):
        f.write(f"U+{cp:04X}\n")
PY

# 3. Subset.
#   --layout-features=''  no GSUB/GPOS features: keeps the file small; the
#                         SC face's default cmap glyphs are already the
#                         Simplified Chinese forms, so 'locl' is not needed.
#   --no-hinting          drop CFF stem hints.
#   CFF subroutines are kept (no --desubroutinize) so the charstrings stay small.
#   name table: keep IDs 0-6 (copyright, family, style, unique id, full name,
#   version, PostScript name) and 13/14 (licence description and URL).
#   vhea/vmtx/VORG: vertical-writing metrics, unused by egui.
mkdir -p "$(dirname "$OUT")"
"$PYTHON" -m fontTools.subset "$SRC" \
    --font-number="$FACE" \
    --unicodes-file="$TMP/unicodes.txt" \
    --layout-features='' \
    --no-hinting \
    --name-IDs=0,1,2,3,4,5,6,13,14 \
    --drop-tables+=vhea,vmtx,VORG \
    --output-file="$TMP/subset.otf"

# 4. Sanity check, then install.
"$PYTHON" - "$TMP/subset.otf" <<'PY'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
cmap = f.getBestCmap()
need = "政府信息公开年度报告勾稽关系（）１２３，鄠浉珺犇䶮堃喆垚昇旸"
missing = [c for c in need if ord(c) not in cmap]
if missing:
    sys.exit(f"error: subset is missing {missing}")
print(f"subset: {len(cmap)} code points, {f['maxp'].numGlyphs} glyphs, "
      f"{f['name'].getDebugName(4)} / {f['name'].getDebugName(5)}")
PY
mv -f "$TMP/subset.otf" "$OUT"

size=$(stat -c %s "$OUT")
awk -v f="${OUT#"$REPO"/}" -v s="$size" 'BEGIN { printf "wrote %s: %d bytes (%.2f MiB)\n", f, s, s / 1048576 }'
