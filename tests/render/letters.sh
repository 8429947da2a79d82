#!/bin/sh
# Sends the dunning notices of the example books, with a customer name that
# tries to inject markup and one in German with umlauts, then checks what a
# reader gets: every .eml parses as MIME with Python's standard e-mail
# parser (multipart/alternative, text/plain and text/html, UTF-8, header
# fields decoded, the parts equal to the letters written beside them), and
# the HTML letter loads in headless Chromium with its figures, the name as
# text, and a screenshot (OUT_DIR/letter.png) for a person to look at.
# Usage: letters.sh ARCTL EXAMPLES_DIR OUT_DIR
set -eu
arctl=$1 examples=$2 out=$3
here=$(dirname "$0")
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/arctl-letters.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$examples" "$work/books"
"$arctl" --books "$work/books" customer edit COLORADO \
  --name 'Colorado <i>River</i> & "Logistics" Müller' >/dev/null
"$arctl" --books "$work/books" dun send --as-of 2026-11-20 \
  --out "$work/letters" >/dev/null
ls "$work"/letters/*.eml >/dev/null

python3 - "$work/letters" <<'PY'
import email, email.policy, pathlib, sys
letters = pathlib.Path(sys.argv[1])
count = 0
for eml in sorted(letters.glob("*.eml")):
    raw = eml.read_bytes()
    assert all(len(line) <= 78 for line in raw.split(b"\n")), f"{eml}: a line over 78"
    raw.decode("ascii")  # 7-bit clean
    msg = email.message_from_bytes(raw, policy=email.policy.strict)
    assert not msg.defects, f"{eml}: {msg.defects}"
    assert msg.get_content_type() == "multipart/alternative", eml
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"], eml
    for part in parts:
        assert not part.defects, f"{eml}: {part.defects}"
        assert part.get_content_charset() == "utf-8"
    stem = eml.with_suffix("")
    assert parts[0].get_content() == stem.with_suffix(".txt").read_text(), eml
    assert parts[1].get_content() == stem.with_suffix(".html").read_text(), eml
    frm = msg["From"].addresses[0]
    to = msg["To"].addresses[0]
    assert frm.addr_spec == "ar@bluebonnet-it.example", frm
    assert frm.display_name == "Bluebonnet Office & IT Services LLC", frm
    assert msg["Subject"].startswith("Payment reminder: USD "), msg["Subject"]
    assert msg["Message-ID"].startswith(f"<{eml.stem}.") and \
        msg["Message-ID"].endswith("@bluebonnet-it.example>"), msg["Message-ID"]
    assert msg["Date"].datetime is not None
    if to.addr_spec == "billing@coloradoriverlogistics.example":
        assert to.display_name == 'Colorado <i>River</i> & "Logistics" Müller', to
    count += 1
assert count == 3, count
print(f"letters: {count} messages parse as MIME")
PY

html=$(grep -l 'Colorado' "$work"/letters/*.html)
cp "$html" "$out/letter.html"
if grep -E -q '(src|href)=|https?:|@import|url\(' "$out/letter.html"; then
  echo "letters: the letter refers to something outside itself" >&2
  exit 1
fi
exec sh "$here/check-html.sh" "$out/letter.html" "$out/letter.png" \
  'Payment reminder' 'INV-2026-0018' '1,053.02' '2,982.61' 'Days late' \
  'Colorado &lt;i&gt;River&lt;/i&gt; &amp;' 'Müller' '!<i>River</i>' \
  'routing 114000093'
