#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# timens.sh - the unit-test programs again, in time namespaces where the host
# booted two minutes ago and 500 days ago (beyond the 497 days after which
# TimeTicks, 32-bit centiseconds, wrap).  CLOCK_BOOTTIME and CLOCK_MONOTONIC
# are both moved, each to the uptime named.  check_clock's "namespace" case
# (VMM_TEST_UPTIME_S) checks that the namespace took effect.
# Where no time namespace can be made (not root and no unprivileged user
# namespaces, or a kernel without them) each run counts skipped and the
# script exits 77.  Counts: every Check test of every run, then the usual
# "N passed, N failed, N skipped" line.
set -u
. "$(dirname "$0")/../checks.sh"
progs="unit/check_vmm unit/check_mib"
uptimes="120 43200000"                  # 2 minutes, 500 days

# offset CLOCK SECONDS: what moves CLOCK (boottime or monotonic) to SECONDS
# offset CLOCK UPTIME: the offset that makes CLOCK read UPTIME seconds.  A
# new time namespace's offsets replace, not add to, those of the namespace
# it is made in: when make check itself runs in one (a "freshly booted"
# test run), its offset is added back.
offset() {
    python3 -c "import time, sys
clock, want = sys.argv[1], int(sys.argv[2])
now = time.clock_gettime(time.CLOCK_BOOTTIME if clock == 'boottime' else time.CLOCK_MONOTONIC)
ours = 0
try:
    for line in open('/proc/self/timens_offsets'):
        name, secs, nsecs = line.split()
        if name == clock:
            ours = int(secs)
except OSError:
    pass
print(want - int(now) + ours)" "$1" "$2"
}

# root makes the namespace itself; others from a user namespace of their own
unshare=""
why="no time namespace (unshare --time failed as root and in a user namespace)"
if command -v python3 >/dev/null 2>&1; then
    for how in "" "--user --map-root-user"; do
        # shellcheck disable=SC2086
        if unshare $how --time true 2>/dev/null; then
            unshare="unshare $how --time"
            break
        fi
    done
else
    why="python3 not found (it reads the clocks to move)"
fi

for up in $uptimes; do
    for p in $progs; do
        name="$p as if the host booted $up s ago"
        if [ -z "$unshare" ]; then
            skip "$name" "$why"
            continue
        fi
        out=$(VMM_TEST_UPTIME_S=$up $unshare --boottime "$(offset boottime "$up")" \
                  --monotonic "$(offset monotonic "$up")" "./$p" 2>&1)
        echo "$out" | grep -v ':P:' | sed 's/^/# /'
        counts=$(echo "$out" | sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\)$/\1 \2 \3/p')
        if [ -z "$counts" ]; then
            fail "$name: it ran to its end"
            continue
        fi
        set -- $counts
        passed=$((passed + $1 - $2 - $3))
        failed=$((failed + $2 + $3))
        echo "# $name: $(($1 - $2 - $3)) of $1 Check tests passed"
    done
done
summary
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -gt 0 ] || exit 77
exit 0
