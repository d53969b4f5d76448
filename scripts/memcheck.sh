#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Run the integration tests with snmpd under valgrind, then with the module
# built with AddressSanitizer + UBSan.  Prints each tool's findings that
# involve vm_mib (snmpd 5.9.3 leaks a few blocks of its own at exit) and
# exits non-zero if there are any.  Takes about two minutes.
# Usage: scripts/memcheck.sh [SUITE...]   (default: every integration suite)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
out=$(mktemp -d /tmp/vm-mib-memcheck.XXXXXX)
bad=0
[ -f vm-mib/.libs/vm_mib.so ] || { echo "build first (./test.sh)"; exit 1; }
suites=""
for s in "$@"; do suites="$suites tests/integration/$s.sh"; done
# (print-tests' last line: make may first regenerate tests/Makefile, and say so)
[ -n "$suites" ] || suites=$(make -s --no-print-directory -C tests print-tests | tail -n 1 |
                             tr ' ' '\n' | sed -n 's|^integration/|tests/integration/|p')
export suites

echo "== valgrind (logs in $out/vg)"
mkdir -p "$out/vg"
abs_top_srcdir=$top abs_top_builddir=$top SNMPD_WAIT=300 \
SNMPD_WRAPPER="valgrind --leak-check=full --log-file=$out/vg/%p.log" \
    sh -c 'for t in $suites; do bash "$t"; done' | grep -v '^ok'
for f in "$out"/vg/*.log; do
    # errors other than leaks, or leaks with a vm_mib frame
    # (a record ends at the next empty "==PID==" line: the collector thread's
    # TLS, "possibly lost" as the thread lives as long as snmpd, is not one)
    if grep -q "Invalid \|uninitialised\|Mismatched" "$f" ||
       awk '/definitely lost in loss record/ { r = 1 } r && /vmm_|vm_mib/ { hit = 1 }
            /^==[0-9]+== $/ { r = 0 } END { exit !hit }' "$f"; then
        echo "valgrind finding in $f"; bad=1
    fi
done

echo "== AddressSanitizer + UBSan (build in $out/asan)"
git ls-files -z | (mkdir -p "$out/asan" && xargs -0 cp --parents -t "$out/asan")
(cd "$out/asan" && autoreconf -fi >/dev/null 2>&1 &&
 ./configure -q CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
    LDFLAGS="-fsanitize=address,undefined" && make -j"$(nproc)" >/dev/null 2>&1) ||
    { echo "sanitizer build failed"; exit 1; }
preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
abs_top_srcdir=$out/asan abs_top_builddir=$out/asan SNMPD_WAIT=100 \
ASAN_OPTIONS=detect_leaks=0:log_path=$out/asan.log \
UBSAN_OPTIONS=print_stacktrace=1:log_path=$out/ubsan.log \
SNMPD_WRAPPER="env LD_PRELOAD=$preload" \
    sh -c 'for t in $suites; do bash "$t"; done' | grep -v '^ok'
if ls "$out"/asan.log* "$out"/ubsan.log* >/dev/null 2>&1; then
    cat "$out"/asan.log* "$out"/ubsan.log* 2>/dev/null; bad=1
fi
[ "$bad" -eq 0 ] && echo "memcheck: no finding in vm_mib"
exit "$bad"
