#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Run the integration suites that exercise the module's threads (collector,
# SET jobs, connection threads) with snmpd under valgrind's helgrind or DRD,
# and print every report that involves vm_mib (libvirt and GLib use atomics
# that the tools cannot see; their own reports are not ours).  Under the
# tool the suites run 50-100 times slower, so their timing checks fail: only
# the tool's reports count here.  Exits non-zero if there is one.
# Usage: scripts/threadcheck.sh [helgrind|drd] [SUITE...]   (after a build)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
tool=${1:-helgrind}
[ $# -gt 0 ] && shift
suites=${*:-"notifications connection control resilience"}
out=$(mktemp -d /tmp/vm-mib-threadcheck.XXXXXX)

[ -f vm-mib/.libs/vm_mib.so ] || { echo "build first (./test.sh)"; exit 1; }
# The default is a choice among the suites (those whose work runs in the
# module's threads; the others take too long under the tool), not a list of
# its own: each must still be one of tests/Makefile.am's TESTS (the last
# line: make may first regenerate tests/Makefile, and say so).
all=" $(make -s --no-print-directory -C tests print-tests | tail -n 1) "
for s in $suites; do
    case $all in *" integration/$s.sh "*) ;; *) echo "no integration suite $s in tests/Makefile.am's TESTS"; exit 1 ;; esac
done
echo "== $tool (logs in $out)"
for s in $suites; do
    abs_top_srcdir=$top abs_top_builddir=$top SNMPD_WAIT=600 \
    SNMPD_WRAPPER="valgrind --tool=$tool --log-file=$out/$s.%p.log" \
        bash "tests/integration/$s.sh" > "$out/$s.out" 2>&1
    echo "$s: $(tail -1 "$out/$s.out") (timing checks fail under the tool)"
done
# A race is ours when one of its two accesses is made by the module's own
# code (its innermost frame is in vm_mib.so); libvirt's objects are counted
# with GLib atomics, which the tools do not see as synchronisation, so races
# inside libvirt, GLib and libtirpc are reported for every libvirt client.
# A lock-order report is ours when any of its frames is.
bad=0
for f in "$out"/*.log; do
    awk '/Possible data race|This conflicts with/ { hdr = $0; want = 1; next }
         want && /  at 0x/ { if ($0 ~ /vm_mib\.so|\(vmm?_[a-z_]+\.c:/) print hdr "\n" $0; want = 0 }
         /lock order/ { lo = 1 } lo && /vmm?_[a-z_]+\.c:/ { print "lock order: " $0; lo = 0 }
         /^==[0-9]+== -{20,}/ { lo = 0 }' "$f" > "$f.ours"
    if [ -s "$f.ours" ]; then
        echo "report involving vm_mib in $f:"; cat "$f.ours"; bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "threadcheck ($tool): no report involving vm_mib"
exit "$bad"
