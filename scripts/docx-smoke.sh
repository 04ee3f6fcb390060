#!/usr/bin/env bash
# Word export smoke test (issue 11): the release binary exports a sample report as .docx, LibreOffice converts
# it to PDF headless (a package it cannot open fails the conversion), and pdftoppm keeps a PNG of every page
# under target/smoke/docx/ for people to look at against the official layout. The exported file is also read
# back with `nianbao check`.
# Needs (installed by .ci/run, not here): libreoffice-writer-nogui, poppler-utils, CJK fonts.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${NIANBAO_BIN:-target/release/nianbao}
OUT=target/smoke/docx
rm -rf "$OUT"
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "docx-smoke: $BIN not built (cargo build --release)" >&2; exit 1; }
for tool in soffice pdftoppm pdfinfo; do
    command -v "$tool" >/dev/null || { echo "docx-smoke: $tool missing" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" import tests/fixtures/import/tab_official_2021.txt -o "$WORK/report.nianbao" >/dev/null 2>&1
"$BIN" export "$WORK/report.nianbao" --format docx -o "$OUT/report-2021.docx"
"$BIN" check "$OUT/report-2021.docx" >/dev/null || { echo "docx-smoke: the exported file does not read back" >&2; exit 1; }

# The fonts a clerk's PC has (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are not free: for the pictures, map
# them to free look-alikes of the same kind. This only changes the rendering here, not the document.
cat >"$WORK/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>AR PL UMing CN</family><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>AR PL UKai CN</family><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
CONF

# A profile of its own (HOME), so that a clerk's or another run's LibreOffice settings never interfere.
if ! HOME="$WORK" FONTCONFIG_FILE="$WORK/fonts.conf" timeout 300 soffice --headless --norestore --nologo \
    --convert-to pdf --outdir "$OUT" "$OUT/report-2021.docx" >"$OUT/soffice.log" 2>&1; then
    cat "$OUT/soffice.log" >&2
    echo "docx-smoke: LibreOffice could not convert the document" >&2
    exit 1
fi
cat "$OUT/soffice.log"
# (LibreOffice warns that it could not start Java, which it does not need for a conversion: not a finding.)
if [ ! -s "$OUT/report-2021.pdf" ] || grep -viE "javaldx" "$OUT/soffice.log" | grep -qiE "error|warn"; then
    echo "docx-smoke: LibreOffice did not convert the document cleanly" >&2
    exit 1
fi
pages=$(pdfinfo "$OUT/report-2021.pdf" | awk '/^Pages:/ {print $2}')
size=$(pdfinfo "$OUT/report-2021.pdf" | awk -F': *' '/^Page size:/ {print $2}')
echo "docx-smoke: $pages pages, $size"
case "$size" in
    *595*84[12]*) ;;
    *) echo "docx-smoke: the pages are not A4" >&2; exit 1 ;;
esac
FONTCONFIG_FILE="$WORK/fonts.conf" pdftoppm -r 80 -png "$OUT/report-2021.pdf" "$OUT/page"
ls "$OUT"/page-*.png
echo "docx-smoke: OK (pictures in $OUT)"
