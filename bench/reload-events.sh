#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Notifications across reloads: BENCH_ROUNDS (100) times, SIGHUP to snmpd,
# at once `virsh suspend test` and BENCH_GAP (0.5) s later `virsh resume
# test` (private libvirtd, test driver; BENCH_VIRSH=session: commands
# written to one connected virsh instead of a virsh per command).  Counts the
# vmPaused(prev running) and vmRunning(prev paused) that snmptrapd
# received, and how many are lost.  A measurement: it prints figures and
# fails only when something cannot be measured.
#
# Usage: bench/reload-events.sh       (after `make`; about 1.5 minutes)
# Environment: BENCH_ROUNDS=100, BENCH_GAP=0.5, BENCH_WAIT=3 (seconds a
# round waits for its two notifications before it counts them lost),
# VMM_SO=path (default vm-mib/.libs/vm_mib.so), BENCH_KEEP=1.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
SO_SRC=${VMM_SO:-$TOP/vm-mib/.libs/vm_mib.so}
ROUNDS=${BENCH_ROUNDS:-100}
GAP=${BENCH_GAP:-0.5}
WAIT=${BENCH_WAIT:-3}
abs_top_srcdir=$TOP
abs_top_builddir=$TOP
VMM_KEEP_WORK=${BENCH_KEEP:-}
. "$TOP/tests/integration/lib.sh"

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (a private libvirtd runs as nobody)"
[ -f "$SO_SRC" ] || die "$SO_SRC not found; build first"
cp "$SO_SRC" "$WORK/vm_mib.so" || die "cannot copy $SO_SRC"
VMM_SO=$WORK/vm_mib.so

start_libvirtd || die "libvirtd does not start"
start_snmptrapd_lines trapd || die "snmptrapd does not start"
start_snmpd reload "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || die "snmpd does not start"
it=$(vm_index test)
ut=$(virsh -q -c "$LIBVIRT_URI" domuuid test | xargs)
[ -n "$it" ] || die "no vmIndex for the machine test"
paused_line=$(pervm_line 4 "$it" test "$ut" 4)
running_line=$(pervm_line 1 "$it" test "$ut" 8)

trap '' PIPE
mkfifo "$WORK/virsh.fifo"
virsh -q -c "$LIBVIRT_URI" < "$WORK/virsh.fifo" > "$WORK/virsh.out" 2>&1 &
PIDS+=("$!")
exec 7> "$WORK/virsh.fifo"
act() {
    if [ "${BENCH_VIRSH:-process}" = session ]; then echo "$1 test" >&7
    else virsh -q -c "$LIBVIRT_URI" "$1" test >> "$WORK/virsh.out" 2>&1; fi
}
sleep 1                            # the connect-time picture is over
notifications_mark
start=$NOTIF_SEEN
t0=$(date +%s)
for r in $(seq "$ROUNDS"); do
    kill -HUP "$SNMPD_PID"
    act suspend
    sleep "$GAP"
    act resume
    NOTIF_WAIT=$((WAIT * 10)) wait_notifications 2
    notifications_mark
done
sleep 2                            # late ones (a resync) count too
got=$(vm_notifications | tail -n +$((start + 1)))
paused=$(printf '%s\n' "$got" | grep -cxF "$paused_line")
running=$(printf '%s\n' "$got" | grep -cxF "$running_line")
others=$(( $(printf '%s\n' "$got" | grep -c .) - paused - running ))
lost=$(( 2 * ROUNDS - paused - running ))
[ "$lost" -ge 0 ] || lost=0
reconnects=$(grep -c 'vm_mib: connected to libvirt' "$SNMPD_LOG")
echo "rounds $ROUNDS (gap $GAP s, virsh ${BENCH_VIRSH:-process}), $(( $(date +%s) - t0 )) s"
echo "vmPaused(prev running) $paused, vmRunning(prev paused) $running, other $others, lost $lost"
echo "'connected to libvirt' lines: $reconnects; virsh errors: $(grep -ci error "$WORK/virsh.out")"
exec 7>&-
