#!/bin/sh
# The test command: install what is missing, build with -Werror, run every
# test (unit, MIB, man page, integration), make distcheck and the Debian
# package test, then print the totals.
set -u
cd "$(dirname "$0")"
top=$(pwd)

scripts/deps.sh || exit 1
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 1; }
./configure -q --enable-werror || exit 1
make -j"$(nproc)" >/dev/null || { make; exit 1; }

make -j1 check >/dev/null 2>&1
status=$?
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
tests/package/package.sh > tests/package/package.sh.log 2>&1 || status=1
cat tests/package/package.sh.log

# One closing line over every suite: Check's counts plus the scripts' lines.
passed=0; failed=0
for log in "$top"/tests/unit/check_vmm.log "$top"/tests/check-mibs.sh.log \
           "$top"/tests/check-man.sh.log "$top"/tests/integration/*.sh.log \
           "$top"/tests/package/package.sh.log; do
    [ -f "$log" ] || { failed=$((failed + 1)); continue; }
    set -- $(sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\)$/\1 \2 \3/p' "$log")
    if [ $# -eq 3 ]; then
        passed=$((passed + $1 - $2 - $3)); failed=$((failed + $2 + $3))
    fi
    set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log")
    if [ $# -eq 2 ]; then passed=$((passed + $1)); failed=$((failed + $2)); fi
done
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
