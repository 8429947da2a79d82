#!/bin/sh
# Reports read through a snapshot say what reports read from the files say,
# and a change to the books, by arctl or by hand, is seen at once: checked
# with the environment a user has (ARCTL_CACHE, XDG_CACHE_HOME, HOME).
# Usage: snapshot.sh ARCTL EXAMPLES_DIR
set -eu
arctl=$1 examples=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/arctl-snapshot.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$examples" "$work/books"
settle() { touch -d '1 hour ago' "$work"/books/*; }
fail() { echo "snapshot: $*" >&2; exit 1; }
age() { "$arctl" --books "$work/books" age --as-of 2026-11-20 --format csv; }
settle
export HOME="$work/home"
unset XDG_CACHE_HOME ARCTL_CACHE

ARCTL_CACHE=off age >"$work/files.csv"
[ ! -e "$HOME/.cache/arctl" ] || fail "ARCTL_CACHE=off wrote a snapshot"

# The first reading writes the snapshot under ~/.cache, the second reads it.
age >"$work/first.csv"
ls "$HOME"/.cache/arctl/books-*.snapshot >/dev/null 2>&1 ||
  fail "no snapshot in ~/.cache/arctl"
age >"$work/second.csv"
cmp -s "$work/files.csv" "$work/first.csv" || fail "first reading differs"
cmp -s "$work/files.csv" "$work/second.csv" || fail "reading a snapshot differs"

# From the latest fact (2026-11-20) on, an aging reads only the open items
# kept in the snapshot; before it, the ledger walked again. Every view, on
# dates before, on and after it (INV-2026-0036 is open on 09-13, paid on
# 09-17), reads the same from the snapshot as from the files.
for args in "--as-of 2026-09-13 --by invoice" "--as-of 2026-11-19 --format json" \
    "--as-of 2026-11-20 --by invoice" "--as-of 2027-02-28 --by summary" \
    "--as-of 2027-02-28 --format json" "--as-of 2026-12-01 --by invoice"; do
  "$arctl" --books "$work/books" age $args >"$work/snap.out" ||
    fail "age $args failed"
  ARCTL_CACHE=off "$arctl" --books "$work/books" age $args >"$work/files.out"
  cmp -s "$work/files.out" "$work/snap.out" || fail "age $args differs"
done
grep -q INV-2026-0036 "$work/files.out" && fail "INV-2026-0036 open after it was paid"
"$arctl" --books "$work/books" age --as-of 2026-09-13 --by invoice |
  grep -q INV-2026-0036 || fail "INV-2026-0036 not open before it was paid"

# XDG_CACHE_HOME and ARCTL_CACHE move it.
XDG_CACHE_HOME="$work/xdg" age >/dev/null
ls "$work"/xdg/arctl/books-*.snapshot >/dev/null 2>&1 || fail "XDG_CACHE_HOME not used"
ARCTL_CACHE="$work/mine" age >/dev/null
ls "$work"/mine/books-*.snapshot >/dev/null 2>&1 || fail "ARCTL_CACHE not used"

# A change by arctl is seen: a payment on account shows as unapplied.
"$arctl" --books "$work/books" post payment --customer BARTON --amount 10.00 \
  --date 2026-11-20 >/dev/null 2>&1
age >"$work/posted.csv"
line() { grep "^USD,$1," "$2" || fail "$1 not in $2"; }
[ "$(line BARTON "$work/posted.csv")" != "$(line BARTON "$work/second.csv")" ] ||
  fail "a payment posted after the snapshot was not seen"
ARCTL_CACHE=off age >"$work/posted-files.csv"
cmp -s "$work/posted-files.csv" "$work/posted.csv" || fail "after posting, readings differ"
settle
age >/dev/null
age >"$work/posted-again.csv"
cmp -s "$work/posted.csv" "$work/posted-again.csv" || fail "new snapshot differs"

# So is a change by hand that keeps the size and the time of the file.
customers="$work/books/customers.csv"
sed 's/^BARTON,"Barton Creek/BARTON,"Barton Brook/' "$customers" >"$work/c.csv"
[ "$(wc -c <"$work/c.csv")" -eq "$(wc -c <"$customers")" ] || fail "sizes differ"
touch -r "$customers" "$work/c.csv"
cp -p "$work/c.csv" "$customers"
age >"$work/by-hand.csv"
line BARTON "$work/by-hand.csv" | grep -q 'Barton Brook' || fail "an edit by hand was not seen"
echo "snapshot: ok"
