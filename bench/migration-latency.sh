#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# bench/migration-latency.sh: what each side of a live migration sees, and
# when.  Needs root (the bed of tests/integration/migration-bed.sh: two
# libvirtd in private mount namespaces, a QEMU guest that never lets its
# migration converge until released).  One snmpd + snmptrapd per host.
#
# Two migrations a -> b: one released after MIGRATION_HOLD seconds (8),
# one cancelled (virsh domjobabort) after as long.  Meanwhile it records
# libvirt's events on both hosts (virsh event --timestamp), every VM-MIB
# notification as snmptrapd writes it (its file looked at every 10 ms),
# and both hosts' vmOperState of the guest (read in a loop, each read a
# fresh picture: vmMibCacheTimeout 0).  Prints one time line per
# migration, in seconds from `virsh migrate`.  Figures only; every process
# it starts is stopped by PID on exit.
set -u

. "$(dirname "$0")/harness.sh"
[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }
. "$abs_top_srcdir/tests/integration/migration-bed.sh"
HOLD=${MIGRATION_HOLD:-8}
BG=()
trap 'for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done; mb_cleanup; vmm_cleanup' EXIT

why=$(mb_missing)
[ -z "$why" ] || { echo "cannot build the bed: $why"; exit 1; }
mb_up && mvirsh a start "$MB_GUEST" >/dev/null || { echo "the bed did not come up"; exit 1; }
declare -A PORT TLOG
for h in a b; do
    start_snmptrapd_lines "trapd-$h" || exit 1
    TLOG[$h]=$TRAP_LOG
    start_snmpd "snmpd-$h" "" "vmMibUri $(mb_uri "$h")
vmMibCacheTimeout 0
trap2sink udp:127.0.0.1:$TRAP_PORT public" || exit 1
    PORT[$h]=$SNMP_PORT
done

now() { echo "$EPOCHREALTIME"; }
oper_of() {     # oper_of HOST: the guest's vmOperState there, "none" without a row
    local i
    i=$(SNMP_PORT=${PORT[$1]} vm_index "$MB_GUEST")
    [ -n "$i" ] || { echo none; return; }
    SNMP_PORT=${PORT[$1]} sget "$vmOperState.$i" | sed 's/.*INTEGER: //'
}

# record DIR: libvirt's events, the notifications and the states, until DIR/stop
record() {
    local d=$1 h
    for h in a b; do
        stdbuf -oL virsh -c "$(mb_uri "$h")" event --all --loop --timestamp > "$d/events-$h" 2>&1 &
        BG+=($!)
    done
    ( declare -A seen=([a]=$(grep -c . "${TLOG[a]}") [b]=$(grep -c . "${TLOG[b]}"))
      while [ ! -e "$d/stop" ]; do
          for h in a b; do
              n=$(grep -c . "${TLOG[$h]}")
              [ "$n" -gt "${seen[$h]}" ] || continue
              tail -n +$((seen[$h] + 1)) "${TLOG[$h]}" | head -n $((n - seen[$h])) |
                  awk -F'\t' -v t="$(now)" -v h="$h" '$1 ~ /^NOTIFY/ {
                      sub(/.*OID: /, "", $3); sub(/.*INTEGER: /, "", $6)
                      print t, h, "notification", $3, "(previous " $6 ")" }'
              seen[$h]=$n
          done
          sleep 0.01
      done ) > "$d/notifications" &
    BG+=($!)
    ( last_a="" last_b=""
      while [ ! -e "$d/stop" ]; do
          a=$(oper_of a); b=$(oper_of b)
          [ "$a" = "$last_a" ] || { echo "$(now) a vmOperState $a"; last_a=$a; }
          [ "$b" = "$last_b" ] || { echo "$(now) b vmOperState $b"; last_b=$b; }
      done ) > "$d/states" &
    BG+=($!)
    sleep 1                             # the event monitors are registered
}

stop_recording() {
    local p
    touch "$1/stop"
    for p in "${BG[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    BG=()
}

# timeline DIR: every record, sorted, in seconds from the migrate command
timeline() {
    python3 - "$1" <<'PY'
import datetime, glob, os, re, sys
d = sys.argv[1]
rows = []
for f in glob.glob(os.path.join(d, "events-*")):
    host = f[-1]
    for line in open(f):
        m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\+0000: (.*)", line)
        if m:
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f")
            what = re.sub(r" for domain '[^']*'", "", m.group(2))
            rows.append((t.replace(tzinfo=datetime.timezone.utc).timestamp(), host, "libvirt " + what))
for name in ("notifications", "states", "actions"):
    for line in open(os.path.join(d, name)):
        t, host, what = line.rstrip("\n").split(" ", 2)
        rows.append((float(t), host, what))
rows.sort()
t0 = next(t for t, h, w in rows if w.startswith("virsh migrate"))
names = {"1": "vmRunning", "3": "vmShutdown", "4": "vmPaused", "8": "vmMigrating", "10": "vmDeleted"}
for t, h, w in rows:
    w = re.sub(r"\.1\.3\.6\.1\.2\.1\.236\.0\.(\d+)", lambda m: names.get(m.group(1), m.group(0)), w)
    print("%8.3f  %s  %s" % (t - t0, h, w))
PY
}

# migration NAME ACTION: a -> b, ACTION after HOLD seconds
migration() {
    local d="$WORK/$1"
    mkdir -p "$d"
    : > "$d/actions"
    record "$d"
    echo "$(now) a virsh migrate" >> "$d/actions"
    mb_migrate a b
    sleep "$HOLD"
    echo "$(now) a $2" >> "$d/actions"
    case $2 in
        release) mb_release a ;;
        domjobabort) mvirsh a domjobabort "$MB_GUEST" ;;
    esac
    mb_migrate_wait
    echo "$(now) a virsh migrate returned $MB_MIGRATE_RC" >> "$d/actions"
    sleep 3                             # what follows the end
    stop_recording "$d"
    echo "== $1"
    timeline "$d"
}

migration completed release
mvirsh b destroy "$MB_GUEST" >/dev/null && mvirsh a start "$MB_GUEST" >/dev/null
sleep 1
migration cancelled domjobabort
