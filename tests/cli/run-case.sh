#!/bin/sh
# Runs one end-to-end case: tests/cli/CASE/cmd is a shell script run with
# the arctl under test first on PATH, in a scratch directory holding a copy
# of CASE/books (if any) as ./books. Its stdout, stderr and exit status are
# compared with CASE/expected.stdout, expected.stderr and expected.exit
# (a missing file means empty output, exit 0). Afterwards ./books must equal
# CASE/expected-books if that exists, else be byte-identical to CASE/books:
# a command that fails, or only reads, leaves the books exactly as they were.
#
# Usage: run-case.sh ARCTL_BINARY GEN_BINARY CASE_DIR EXAMPLES_DIR FIXTURES_DIR
# (arctl-gen, the books generator, is on PATH too.)
# With ARCTL_UPDATE_GOLDEN=1 the expected files are rewritten instead.
set -u
arctl=$1 gen=$2 case_dir=$3 examples=$4 fixtures=$5
name=$(basename "$case_dir")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/arctl-case.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/home"
ln -s "$arctl" "$scratch/bin/arctl"
ln -s "$gen" "$scratch/bin/arctl-gen"
if [ -d "$case_dir/books" ]; then
  cp -R "$case_dir/books" "$scratch/books"
fi

(
  cd "$scratch" || exit 70
  env -i PATH="$scratch/bin:/usr/local/bin:/usr/bin:/bin" HOME="$scratch/home" \
    TZ=UTC LC_ALL=C.UTF-8 TERM=dumb \
    EXAMPLES="$examples" FIXTURES="$fixtures" CASE="$case_dir" \
    sh -e "$case_dir/cmd" >"$scratch/.stdout" 2>"$scratch/.stderr"
  echo $? >"$scratch/.exit"
)
# Paths of the scratch directory vary from run to run.
for f in stdout stderr; do
  sed -e "s|$scratch|<tmp>|g" "$scratch/.$f" >"$scratch/.$f.norm"
done

if [ "${ARCTL_UPDATE_GOLDEN:-}" = 1 ]; then
  for f in stdout stderr; do
    if [ -s "$scratch/.$f.norm" ]; then
      cp "$scratch/.$f.norm" "$case_dir/expected.$f"
    else
      rm -f "$case_dir/expected.$f"
    fi
  done
  if [ "$(cat "$scratch/.exit")" = 0 ]; then rm -f "$case_dir/expected.exit"
  else cp "$scratch/.exit" "$case_dir/expected.exit"; fi
  echo "updated $name"
  exit 0
fi

status=0
for f in stdout stderr; do
  expected="$case_dir/expected.$f"
  [ -f "$expected" ] || expected=/dev/null
  if ! diff -u --label "expected.$f" --label "actual $f" "$expected" "$scratch/.$f.norm"; then
    status=1
  fi
done
want_exit=0
[ -f "$case_dir/expected.exit" ] && want_exit=$(cat "$case_dir/expected.exit")
got_exit=$(cat "$scratch/.exit")
if [ "$want_exit" != "$got_exit" ]; then
  echo "$name: exit status $got_exit, expected $want_exit"
  status=1
fi
if [ -d "$case_dir/expected-books" ]; then
  want_books="$case_dir/expected-books"
elif [ -d "$case_dir/books" ]; then
  want_books="$case_dir/books"
else
  want_books=
fi
if [ -n "$want_books" ] && ! diff -r -x .arctl.lock "$want_books" "$scratch/books"; then
  echo "$name: the books differ from $(basename "$want_books")"
  status=1
fi
exit $status
