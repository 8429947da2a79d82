#!/bin/sh
# Checks an HTML document the way a reader gets it: loads it in headless
# Chromium, looks for expected text in the DOM Chromium built, and takes a
# screenshot that a person can look at.
#
# usage: check-html.sh HTML_FILE PNG_OUT EXPECT_TEXT...
#
# Each EXPECT_TEXT must occur in the DOM as Chromium serialises it (text
# nodes escaped, so a name holding "<b>" shows as "&lt;b&gt;"). One that
# starts with "!" must not occur: "!<b>Sons" fails if the name became markup.
#
# Exit status: 0 all found and the screenshot taken; 1 a check failed (the
# message says which); 77 Chromium is not installed, so that CTest can
# report the test as skipped (SKIP_RETURN_CODE 77). CHROMIUM names another
# binary than /usr/bin/chromium.

set -u

chromium=${CHROMIUM:-/usr/bin/chromium}

fail() {
    printf 'check-html: %s\n' "$*" >&2
    exit 1
}

if [ "$#" -lt 2 ]; then
    printf 'usage: check-html.sh HTML_FILE PNG_OUT EXPECT_TEXT...\n' >&2
    exit 1
fi
html=$1
png=$2
shift 2

if ! [ -x "$chromium" ]; then
    printf 'check-html: skipped: %s is not installed\n' "$chromium" >&2
    exit 77
fi
if ! [ -f "$html" ] || ! [ -r "$html" ]; then
    fail "$html: no such readable file"
fi

case $html in
/*) path=$html ;;
*) path=$(pwd)/$html ;;
esac
# The few characters that would end or change a file URL's path.
url=file://$(printf '%s' "$path" |
    sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' -e 's/?/%3F/g')

work=$(mktemp -d "${TMPDIR:-/tmp}/check-html.XXXXXX") ||
    fail "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# A page with no scripts loads at once; the limit only stops a Chromium
# that hangs from hanging the test suite.
limit=
if command -v timeout >/dev/null 2>&1; then
    limit="timeout 120"
fi

# Each run gets a fresh profile, and everything that would reach the
# network (updates, sync, QUIC probes) is off: the page must stand alone.
run_chromium() {
    profile=$work/profile-$1
    shift
    mkdir "$profile" || fail "cannot create $profile"
    $limit "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
}

if ! run_chromium dom --dump-dom "$url" >"$work/dom.html" 2>"$work/dom.log"; then
    cat "$work/dom.log" >&2
    fail "chromium could not load $html"
fi
grep -q '<body' "$work/dom.html" || {
    cat "$work/dom.log" >&2
    fail "$html: chromium's DOM has no body"
}

status=0
for expect in "$@"; do
    case $expect in
    !*)
        text=${expect#!}
        if grep -F -q -e "$text" "$work/dom.html"; then
            printf 'check-html: %s: the DOM holds "%s", which it must not\n' \
                "$html" "$text" >&2
            status=1
        fi
        ;;
    *)
        if ! grep -F -q -e "$expect" "$work/dom.html"; then
            printf 'check-html: %s: "%s" is not in the DOM\n' "$html" "$expect" >&2
            status=1
        fi
        ;;
    esac
done

rm -f "$png"
if ! run_chromium shot --screenshot="$png" --window-size=1000,1400 "$url" \
    >"$work/shot.log" 2>&1; then
    cat "$work/shot.log" >&2
    fail "chromium could not take a screenshot of $html"
fi
[ -f "$png" ] || {
    cat "$work/shot.log" >&2
    fail "no screenshot written to $png"
}
signature=$(od -An -tx1 -N8 "$png" | tr -d ' \n')
[ "$signature" = 89504e470d0a1a0a ] || fail "$png is not a PNG file"
# A blank 1000x1400 page compresses to a few kilobytes; an invoice with
# text and tables takes tens of them.
size=$(wc -c <"$png" | tr -d ' ')
[ "$size" -ge 20000 ] || fail "$png is only $size bytes: the page looks empty"

exit "$status"
