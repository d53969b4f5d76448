#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# bench/notify-latency.sh: how long a VM-MIB notification takes from the
# libvirt lifecycle change to the manager.
#
# Starts a private unprivileged libvirtd (test driver), a snmptrapd and a
# snmpd with vm_mib.so sending to it (tests/integration/lib.sh), then
# NOTIFY_ROUNDS (20) times `virsh suspend test` / `virsh resume test`
# alternately.  For each it measures, from just before virsh is invoked:
#   notif  - until the matching notification (vmPaused / vmRunning for
#            "test") is in snmptrapd's output file (polled every 2 ms);
#   virsh  - until virsh returned (virsh runs in the background meanwhile);
#   net    - notif - virsh: what the notification takes beyond the command
#            (negative: it arrived before virsh had returned).
# Prints every sample, then the medians, against the target notif <= 50 ms.
# Figures only: exits non-zero only when nothing can be measured.  Every
# process it starts is stopped by PID on exit.
set -u

. "$(dirname "$0")/harness.sh"

ROUNDS=${NOTIFY_ROUNDS:-20}
TARGET_MS=50
POLL=0.002                     # seconds between looks at snmptrapd's output
TIMEOUT_US=3000000             # a notification not there after 3 s is lost

[ -f "$VMM_SO" ] || { echo "no $VMM_SO: run make first"; exit 1; }
start_libvirtd || exit 1
start_snmptrapd_lines || exit 1
start_snmpd latency "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || exit 1

IT=$(vm_index test)
[ -n "$IT" ] || { echo "vmName of test not found"; exit 1; }

# A sleep that forks nothing: read with a time-out on a FIFO nobody writes.
mkfifo "$WORK/tick"
exec 8<>"$WORK/tick"
nap() { read -r -t "$POLL" -u 8 _; }

us() { local t=${1/./}; echo $((10#$t)); }   # $EPOCHREALTIME in microseconds

# snmptrapd's output, read from where we are; a line still being written
# is kept until its newline arrives.
exec 9<"$TRAP_LOG"
PARTIAL=""
skip_old() { local line; while IFS= read -r -u 9 line; do :; done; PARTIAL=$line; }

# await GLOB: returns once a new complete line matching GLOB is read; sets
# SEEN (microseconds); false after TIMEOUT_US.
await() {
    local glob=$1 line start now
    start=$(us "$EPOCHREALTIME")
    while :; do
        if IFS= read -r -u 9 line; then
            line=$PARTIAL$line
            PARTIAL=""
            if [[ $line == $glob ]]; then SEEN=$(us "$EPOCHREALTIME"); return 0; fi
            continue
        fi
        PARTIAL+=$line
        now=$(us "$EPOCHREALTIME")
        [ $((now - start)) -gt $TIMEOUT_US ] && return 1
        nap
    done
}

TAB=$'\t'
# glob_for NOTIFICATION: its line in snmptrapd's output, for test
glob_for() { echo "NOTIFY *${TAB}$snmpTrapOID.0 = OID: $1${TAB}$vmName.$IT = *"; }

# one ACTION NOTIFICATION: sets N_US (notification latency, or "lost") and
# V_US (virsh duration), both from just before virsh was invoked.
one() {
    local action=$1 notif=$2 t0 pid
    skip_old
    rm -f "$WORK/virsh.end"
    t0=$(us "$EPOCHREALTIME")
    ( virsh -q -c "$LIBVIRT_URI" "$action" test >/dev/null 2>&1; echo "$EPOCHREALTIME" > "$WORK/virsh.end" ) &
    pid=$!
    if await "$(glob_for "$notif")"; then N_US=$((SEEN - t0)); else N_US=lost; fi
    wait "$pid"
    V_US=$(( $(us "$(cat "$WORK/virsh.end")") - t0 ))
}

ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) exit;
    printf "%.0f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# the module's first (silent) snapshot: VM-MIB answers once it is there
retry 50 eval 'sget $vmNumber.0 | grep -q INTEGER' || { echo "VM-MIB does not answer"; exit 1; }
one suspend "$vmPaused"                # warm-up, not counted
one resume "$vmRunning"
count0=$(vm_notification_count)

echo "VM-MIB notification latency: virsh suspend/resume test -> snmptrapd (trap2sink, loopback)"
printf '%5s  %-8s %10s %10s %10s\n' round action "notif ms" "virsh ms" "net ms"
: > "$WORK/notif"; : > "$WORK/virsh"; : > "$WORK/net"
lost=0
for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then action=suspend notif=$vmPaused; else action=resume notif=$vmRunning; fi
    one $action "$notif"
    n=$N_US v=$V_US
    echo "$v" >> "$WORK/virsh"
    if [ "$n" = lost ]; then
        lost=$((lost + 1))
        printf '%5d  %-8s %10s %10s %10s\n' "$r" "$action" lost "$(ms "$v")" -
        continue
    fi
    echo "$n" >> "$WORK/notif"
    echo $((n - v)) >> "$WORK/net"
    printf '%5d  %-8s %10s %10s %10s\n' "$r" "$action" "$(ms "$n")" "$(ms "$v")" "$(ms $((n - v)))"
done

sleep 0.5
extra=$(( $(vm_notification_count) - count0 - (ROUNDS - lost) ))
[ -s "$WORK/notif" ] || { echo "no notification arrived"; exit 1; }
mn=$(median < "$WORK/notif"); mv=$(median < "$WORK/virsh"); mnet=$(median < "$WORK/net")
echo
echo "median notification latency: $(ms "$mn") ms (target <= $TARGET_MS ms: $(
    [ "$mn" -le $((TARGET_MS * 1000)) ] && echo met || echo MISSED))"
echo "median virsh duration:       $(ms "$mv") ms (for reference)"
echo "median net of virsh:         $(ms "$mnet") ms"
echo "samples: $((ROUNDS - lost)) of $ROUNDS; lost: $lost; unexpected extra notifications: $extra"
