#!/bin/sh
# Renders the Monday aging report and a statement of account of the example
# books as HTML, with a customer name that tries to inject markup, and checks
# both pages in headless Chromium: the figures are there, the SVG chart has
# its five bars, the name shows as text, nothing is fetched from elsewhere,
# and screenshots are taken (OUT_DIR/age.png, OUT_DIR/statement.png) for a
# person to look at.
# Usage: reports.sh ARCTL EXAMPLES_DIR OUT_DIR
set -eu
arctl=$1 examples=$2 out=$3
here=$(dirname "$0")
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/arctl-reports.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$examples" "$work/books"
"$arctl" --books "$work/books" customer edit COLORADO \
  --name 'Colorado <i>River</i> & "Logistics"' >/dev/null
"$arctl" --books "$work/books" age --as-of 2026-11-20 --format html \
  >"$out/age.html"
"$arctl" --books "$work/books" statement COLORADO --from 2026-06-01 \
  --to 2026-11-20 --format html >"$out/statement.html"

# One bar per bucket in each currency's chart: five for USD, five for EUR.
bars=$(grep -c '<rect class="bar' "$out/age.html")
[ "$bars" -eq 10 ] || { echo "reports: $bars bars in the chart, not 10" >&2; exit 1; }
for page in age statement; do
  if grep -E -q '(src|href)=|https?:|@import|url\(' "$out/$page.html"; then
    echo "reports: $page.html refers to something outside itself" >&2
    exit 1
  fi
done

status=0
sh "$here/check-html.sh" "$out/age.html" "$out/age.png" \
  'Receivables as of 2026-11-20' '9,170.65' '1,053.02' '83.7' '48.2' \
  '<svg' 'Most overdue' 'Colorado &lt;i&gt;River&lt;/i&gt; &amp;' \
  '!<i>River</i>' || status=$?
[ "$status" -eq 0 ] || exit "$status"
exec sh "$here/check-html.sh" "$out/statement.html" "$out/statement.png" \
  'Statement of account' 'Opening balance' 'Closing balance' 'INV-2026-0018' \
  '2,982.61' 'Colorado &lt;i&gt;River&lt;/i&gt; &amp;' '!<i>River</i>'
