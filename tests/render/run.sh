#!/bin/sh
# Renders an invoice of the example books as HTML, with a customer name
# that tries to inject markup, and checks the page in headless Chromium:
# the text is there, the name shows as text, and a screenshot is taken
# (OUT_DIR/invoice.png, for a person to look at).
# Usage: run.sh ARCTL EXAMPLES_DIR OUT_DIR
set -eu
arctl=$1 examples=$2 out=$3
here=$(dirname "$0")
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/arctl-render.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$examples" "$work/books"
"$arctl" --books "$work/books" customer edit PECAN \
  --name 'Pecan Street Law <b>Offices</b> & "Partners"' >/dev/null
"$arctl" --books "$work/books" invoice render INV-2026-0037 --format html \
  --as-of 2026-09-15 --out "$out/invoice.html"
exec sh "$here/check-html.sh" "$out/invoice.html" "$out/invoice.png" \
  'INV-2026-0037' 'Lenovo ThinkPad T14' 'Serial numbers PF4X1A01' \
  '10,094.00' '5,094.00' 'Pecan Street Law &lt;b&gt;Offices&lt;/b&gt; &amp;' \
  '!<b>Offices</b>'
