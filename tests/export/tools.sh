#!/bin/sh
# The journals of `arctl export` in the real tools: the example books,
# tests/cli/export-every-kind/books (every kind of fact, awkward ids and
# names) and a generated book of 3000 invoices (several currencies) are
# exported in each format; each journal must load in its tool's strictest
# mode with nothing at all on stderr or stdout, and at several dates each
# customer's balance in each tool (receivable plus customer credit) must
# equal arctl's own (`arctl age --format csv`, total column), to the minor
# unit, per currency. Exports --as-of and --from are checked the same way.
# A missing tool is a failure, not a skip: CI installs them.
# Usage: tools.sh ARCTL ARCTL_GEN EXAMPLES_DIR WORK_DIR
set -eu
arctl=$1 gen=$2 examples=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
for tool in ledger hledger bean-check bean-query; do
  command -v "$tool" >/dev/null || {
    echo "export-tools: $tool is not installed (apt-get install ledger hledger beancount)" >&2
    exit 1
  }
done
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() {
  echo "export-tools: $*" >&2
  failures=$((failures + 1))
}

# Runs a command that must succeed and print nothing (a check).
quiet() {
  if ! out=$("$@" 2>&1) || [ -n "$out" ]; then
    fail "'$*' did not pass silently:"
    printf '%s\n' "$out" | head -20 >&2
  fi
}

# Runs a query whose stdout is kept; stderr must stay empty.
query() {
  err=$work/stderr
  if ! "$@" 2>"$err"; then
    fail "'$*' failed"
  fi
  if [ -s "$err" ]; then
    fail "'$*' wrote to stderr:"
    head -20 "$err" >&2
  fi
}

# The balances of each customer in TOOL as of DATE (tool_balances TOOL
# FILE DATE) or in arctl (arctl_balances BOOKS DATE MAP), in the shape of
# balances.sh: lines "CURRENCY CUSTOMER AMOUNT", sorted.
# shellcheck source=tests/export/balances.sh
. "$here/balances.sh"

arctl_balances() { # BOOKS DATE [MAP]
  query sh -c "$(balance_command arctl "$1" "$2")" >"$work/age.csv"
  balances arctl "${3:-}" <"$work/age.csv"
}

tool_balances() { # TOOL FILE DATE
  query sh -c "$(balance_command "$1" "$2" "$3")" >"$work/tool.out"
  balances "$1" <"$work/tool.out"
}

# Exports BOOKS in every format with ARGS, checks each journal in its tool,
# and compares the balances at each DATE with arctl's.
check_book() { # NAME BOOKS MAP "EXPORT ARGS" DATES...
  name=$1 books=$2 map=$3 args=$4
  shift 4
  for format in ledger hledger beancount; do
    journal=$work/$name.$format
    # shellcheck disable=SC2086
    if ! "$arctl" --books "$books" export $format $args --out "$journal"; then
      fail "$name: arctl export $format $args failed"
      continue
    fi
    case $format in
    ledger)
      quiet sh -c 'ledger -f "$1" --strict --pedantic --check-payees bal \
        >/dev/null' sh "$journal" ;;
    hledger)
      quiet hledger -f "$journal" check --strict ordereddates payees ;;
    beancount)
      quiet bean-check "$journal" ;;
    esac
    for d in "$@"; do
      arctl_balances "$books" "$d" "$map" >"$work/expected"
      tool_balances $format "$journal" "$d" >"$work/actual"
      if ! diff -u --label "arctl age --as-of $d" --label "$format ($name)" \
        "$work/expected" "$work/actual" >&2; then
        fail "$name: $format disagrees with arctl on $d"
      fi
      [ -s "$work/expected" ] || fail "$name: no balances at all on $d"
    done
  done
}

cp -R "$examples" "$work/examples"
# HAAG's wire of 2026-09-14 is applied to INV-2026-0036 on 2026-09-17: the
# day before it, the day it is unapplied credit, the day it is applied.
check_book examples "$work/examples" "" "" \
  2026-06-30 2026-09-13 2026-09-14 2026-09-17 2026-11-19 2026-11-20
check_book examples-as-of "$work/examples" "" "--as-of 2026-09-14" 2026-09-14
check_book examples-from "$work/examples" "" "--from 2026-09-14" \
  2026-09-14 2026-09-17 2026-11-20
check_book examples-month "$work/examples" "" \
  "--from 2026-09-01 --as-of 2026-09-30" 2026-09-14 2026-09-30

# Every kind of fact, an application to another customer's invoice, ids
# that are no account components, names and descriptions with what the
# tools' syntax gives a meaning to, and yen.
cp -R "$here/../cli/export-every-kind/books" "$work/every-kind"
check_book every-kind "$work/every-kind" "$here/every-kind.sed" "" \
  2026-01-20 2026-01-25 2026-01-26 2026-02-04 2026-02-08
check_book every-kind-from "$work/every-kind" "$here/every-kind.sed" \
  "--from 2026-01-21" 2026-01-23 2026-02-08

"$gen" --invoices 3000 --seed 1 --out "$work/gen" >/dev/null
check_book gen "$work/gen" "" "" 2021-06-30 2023-03-31 2025-12-31 2026-10-31
check_book gen-from "$work/gen" "" "--from 2024-01-01 --as-of 2025-06-30" \
  2024-01-01 2025-06-30

if [ "$failures" -ne 0 ]; then
  echo "export-tools: $failures failure(s)" >&2
  exit 1
fi
echo "export-tools: ledger, hledger and beancount agree with arctl"
