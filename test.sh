#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The test command: install what is missing, build with -Werror, run every
# tier (make check, check-integration, check-tools: tests/README.md), make
# distcheck (the fast tier again, from the tarball) and the Debian package
# test, then print the totals.
set -u
cd "$(dirname "$0")"
top=$(pwd)

scripts/deps.sh || exit 1
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }
./configure -q --enable-werror || exit 1
make -j"$(nproc)" >/dev/null || { make; exit 1; }

status=0
for tier in check check-integration check-tools; do
    make -j1 "$tier" >/dev/null 2>&1 || status=1
done
# the last line: make may first regenerate tests/Makefile, and say so
suites=$(make -s --no-print-directory -C tests print-tests | tail -n 1)
for t in $suites; do
    [ -f "tests/$t.log" ] || continue
    echo "=== tests/$t.log"
    cat "tests/$t.log"
done

if [ "$status" -eq 0 ]; then
    echo "=== make distcheck"
    make distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror >distcheck.log 2>&1 ||
        { tail -40 distcheck.log; status=1; }
    grep -E "archives ready|^vm-mib-.*tar.gz" distcheck.log | head -3
fi

# The Debian package: built, installed, run and purged (not a make check
# suite: it installs a system package).
echo "=== tests/package/package.sh"
tests/package/package.sh > tests/package/package.sh.log 2>&1
case $? in 0) pkg=PASS ;; 77) pkg=SKIP ;; *) pkg=FAIL; status=1 ;; esac
cat tests/package/package.sh.log

# One closing line over every suite: Check's counts plus the scripts' lines.
# tally LOG RESULT: RESULT is the verdict on the whole suite (automake's),
# which wins where the suite's own counts disagree: one that exited 77 is
# skipped whatever it printed, and one that failed counts a failure even if
# it died before printing its line.
passed=0; failed=0; skipped=0
tally() {
    p=0; f=0; s=0
    if [ -f "$1" ]; then
        set -- "$1" "$2" $(sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\)$/\1 \2 \3/p' "$1")
        [ $# -eq 5 ] && { p=$(($3 - $4 - $5)); f=$(($4 + $5)); }
        set -- "$1" "$2" $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$1" | tail -1)
        [ $# -eq 5 ] && { p=$3; f=$4; s=$5; }
    fi
    case $2 in
        PASS) ;;
        SKIP) p=0; [ "$s" -gt 0 ] || s=1 ;;
        *) [ "$f" -gt 0 ] || f=1 ;;
    esac
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}
for t in $suites; do
    tally "$top/tests/$t.log" "$(sed -n 's/^:test-result: //p' "$top/tests/$t.trs" 2>/dev/null)"
done
tally "$top/tests/package/package.sh.log" "$pkg"
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
