#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# migrating(9) through real live migrations between two libvirtd on this
# machine (tests/integration/migration-bed.sh), with one snmpd and one
# snmptrapd per host: "a" (bulk notifications on) and "b".
#
# 1 completed a -> b: a reads migrating(9) from the start of the migration
#   (not only at its switchover), also in a picture taken after snmpd
#   restarted during it (found through the job); b's incoming copy reads
#   migrating(9) and announces vmMigrating (previous preparing), then
#   vmRunning (previous migrating) when it runs; a's persistent definition
#   stays, shut off.
# 2 cancelled (domjobabort on a) after a's snmpd reloaded during it (the
#   job is still watched): a is running again with vmRunning (previous
#   migrating), although libvirt tells the source nothing; b's copy leaves
#   with vmDeleted only.
# 3 failed (b's libvirtd stopped during it): the same on a; b's copy is
#   gone when b's daemon is back, with vmDeleted only.
# 4 a paused machine: vmMigrating (previous paused); cancelled, it is
#   paused again: vmPaused (previous migrating).
# 5 evacuation: two guests migrated a -> b at once: each announced on each
#   side, one bulk notification naming both on a (its window raised by a
#   reload that keeps the connection), both arrive and run on b.
# Each step waits for its condition, bounded; the times are printed.
. "$(dirname "$0")/lib.sh"
vmm_need_root "two system-mode libvirtd in private mount namespaces, QEMU guests"
. "$(dirname "$0")/migration-bed.sh"
why=$(mb_missing)
if [ -n "$why" ]; then
    echo "# SKIP: $why"; SKIPPED=1; vmm_summary; exit 77
fi
trap 'mb_cleanup; vmm_cleanup' EXIT

# notifications (per-VM 1..10, bulk +10) and vmOperState values
RUNNING=1 SHUTDOWN=3 PAUSED=4 MIGRATING=8 DELETED=10 BULK=10
S_PREPARING=3 S_RUNNING=4 S_PAUSED=8 S_MIGRATING=9 S_SHUTDOWN=11
P_PERSISTENT=2 P_TRANSIENT=3
NO_ROW="No Such Instance currently exists at this OID"

# ---- one snmpd + snmptrapd per host; `side H` points lib.sh's helpers at H's
declare -A S_PORT S_LOG S_PID T_PORT T_LOG T_PID N_SEEN
CUR=""
side() {
    if [ -n "$CUR" ]; then
        S_PORT[$CUR]=$SNMP_PORT S_LOG[$CUR]=$SNMPD_LOG S_PID[$CUR]=$SNMPD_PID
        T_PORT[$CUR]=$TRAP_PORT T_LOG[$CUR]=$TRAP_LOG T_PID[$CUR]=$TRAPD_PID
        N_SEEN[$CUR]=$NOTIF_SEEN
    fi
    CUR=$1
    SNMP_PORT=${S_PORT[$1]:-} SNMPD_LOG=${S_LOG[$1]:-} SNMPD_PID=${S_PID[$1]:-}
    TRAP_PORT=${T_PORT[$1]:-} TRAP_LOG=${T_LOG[$1]:-} TRAPD_PID=${T_PID[$1]:-}
    NOTIF_SEEN=${N_SEEN[$1]:-0}
}

# start_side H [LINES]: H's snmpd on H's libvirtd; every request reads a
# fresh picture (vmMibCacheTimeout 0), so each value read below is one.
start_side() {
    start_snmpd "snmpd-$1" "" "vmMibUri $(mb_uri "$1")
vmMibCacheTimeout 0
trap2sink udp:127.0.0.1:$TRAP_PORT public
${2:-}"
}

value() { sget "$@" | sed 's/^[^ ]* = //'; }
oper() { value "$vmOperState.$1"; }
ms_since() { echo $(( (${EPOCHREALTIME/./} - ${1/./}) / 1000 )); }
# timing NAME T0: a figure for the report
timing() { echo "# timing: $1: $(ms_since "$2") ms"; }

connections() { grep -c 'vm_mib: connected to libvirt' "$SNMPD_LOG"; }
reconnected() { [ "$(connections)" -gt "$1" ]; }

# wait_row NAME TENTHS: until the current side has a row for the guest
wait_row() {
    local i idx
    for i in $(seq "$2"); do
        idx=$(vm_index "$MB_GUEST")
        [ -n "$idx" ] && { ok "$1 (after ~$((i - 1))00 ms)"; echo "$idx" > "$WORK/row"; return 0; }
        sleep 0.1
    done
    fail "$1"; : > "$WORK/row"
    return 1
}

why=""
mb_up || why="the migration bed comes up"
[ -z "$why" ] && { mvirsh a start "$MB_GUEST" >/dev/null || why="the guest starts on a"; }
if [ -n "$why" ]; then fail "$why"; vmm_summary; exit; fi
UUID=$(mvirsh a domuuid "$MB_GUEST" | tr -d '[:space:]')
for h in a b; do
    side "$h"
    start_snmptrapd_lines "snmptrapd-$h" || { fail "snmptrapd $h starts"; vmm_summary; exit; }
done
side a
start_side a "vmMibBulkNotifications yes
vmMibBulkWindow 300" || { fail "snmpd a starts"; vmm_summary; exit; }
side b
start_side b || { fail "snmpd b starts"; vmm_summary; exit; }

side a
IA=$(vm_index "$MB_GUEST")
assert_eq "a: the guest runs: vmOperState running(4)" "INTEGER: 4" "$(oper "$IA")"
side b
assert_eq "b: no machine yet" "INTEGER: 0" "$(value "$vmNumber.0")"

# pa / pb KIND PREV [PERSISTENT]: the expected per-VM line on a / b;
# ba KIND: a's bulk line
pa() { pervm_line "$1" "$IA" "$MB_GUEST" "$UUID" "${@:2}"; }
pb() { pervm_line "$1" "$IB" "$MB_GUEST" "$UUID" "${@:2}"; }
ba() { bulk_line $(($1 + BULK)) "$IA"; }

# start_migration CASE [BEFORE LIBVIRT-STATE MIB/S]: a -> b, both sides
# migrating(9) with their notifications (a's previous state BEFORE, running
# by default); sets IB.
start_migration() {
    local c=$1 before=${2:-$S_RUNNING} lvstate=${3:-running} t0
    side a; notifications_mark
    side b; notifications_mark
    t0=$EPOCHREALTIME
    mb_migrate a b "${4:-8}"
    side a
    wait_for "$c: a: vmOperState migrating(9) during the pre-copy" "INTEGER: $S_MIGRATING" 200 \
        oper "$IA"
    timing "$c: a reads migrating(9) after virsh migrate started" "$t0"
    assert_match "$c: a: libvirt still says $lvstate (the job alone tells)" "^$lvstate" \
        "$(mvirsh a domstate "$MB_GUEST" --reason)"
    NOTIF_T0=$t0 expect_notifications "$c: a: vmMigrating (previous $lvstate), vmBulkMigrating" \
        "$(pa $MIGRATING "$before")" "$(ba $MIGRATING)"
    side b
    wait_row "$c: b: a row for the incoming guest" 200
    IB=$(cat "$WORK/row")
    wait_for "$c: b: vmOperState migrating(9) while paused for the migration" \
        "INTEGER: $S_MIGRATING" 100 oper "$IB"
    timing "$c: b reads migrating(9) after virsh migrate started" "$t0"
    NOTIF_T0=$t0 expect_notifications "$c: b: vmMigrating (previous preparing), no vmRunning" \
        "$(pb $MIGRATING $S_PREPARING)"
}

# ================================================================ 1
start_migration 1
side a
stop_snmpd
start_side a "vmMibBulkNotifications yes
vmMibBulkWindow 300" || { fail "snmpd a starts again"; vmm_summary; exit; }
assert_eq "1: a: snmpd restarted during the migration: migrating(9) at once (from the job)" \
    "INTEGER: $S_MIGRATING" "$(oper "$IA")"
assert_eq "1: a: and in the next picture" "INTEGER: $S_MIGRATING" "$(oper "$IA")"
expect_notifications "1: a: the restart announces nothing"
side b
assert_eq "1: b: still migrating(9) in a new picture" "INTEGER: $S_MIGRATING" "$(oper "$IB")"
t0=$EPOCHREALTIME
mb_release a || fail "1: the migration's speed and downtime are raised"
mb_migrate_wait
assert_eq "1: virsh migrate succeeds" "0" "$MB_MIGRATE_RC"
timing "1: release -> virsh migrate returned" "$t0"
side a
NOTIF_T0=$t0 expect_notifications "1: a: vmShutdown (previous migrating), vmBulkShutdown" \
    "$(pa $SHUTDOWN $S_MIGRATING)" "$(ba $SHUTDOWN)"
assert_eq "1: a: the persistent definition stays, shut off: shutdown(11), persistent(2)" \
    "INTEGER: $S_SHUTDOWN|INTEGER: $P_PERSISTENT" \
    "$(value "$vmOperState.$IA" "$vmPersistent.$IA" | paste -sd'|')"
side b
NOTIF_T0=$t0 expect_notifications "1: b: vmRunning (previous migrating)" "$(pb $RUNNING $S_MIGRATING)"
assert_eq "1: b: running(4), transient(3)" "INTEGER: $S_RUNNING|INTEGER: $P_TRANSIENT" \
    "$(value "$vmOperState.$IB" "$vmPersistent.$IB" | paste -sd'|')"

# ---- back to a
mvirsh b destroy "$MB_GUEST" >/dev/null || fail "destroy on b"
expect_notifications "b: destroyed there: vmShutdown (previous running), vmDeleted" \
    "$(pb $SHUTDOWN $S_RUNNING)" "$(pb $DELETED $S_SHUTDOWN $P_TRANSIENT)"
side a
mvirsh a start "$MB_GUEST" >/dev/null || fail "start on a"
expect_notifications "a: started: vmRunning (previous shutdown), vmBulkRunning" \
    "$(pa $RUNNING $S_SHUTDOWN)" "$(ba $RUNNING)"

# ================================================================ 2
start_migration 2
side a
connected=$(connections)
kill -HUP "$SNMPD_PID"
assert_match "2: a: snmpd reloaded during the migration, answers" "Timeticks" "$(sget $sysUpTime.0)"
t0=$EPOCHREALTIME
mvirsh a domjobabort "$MB_GUEST" || fail "2: domjobabort"
# b is read meanwhile, each read a fresh picture: one may lose the machine
# before its stop event is handled, which must not change what is announced
side b
wait_for "2: b: the row goes" "$vmOperState.$IB = $NO_ROW" 100 sget "$vmOperState.$IB"
timing "2: domjobabort -> b's row gone" "$t0"
NOTIF_T0=$t0 expect_notifications "2: b: vmDeleted only (previous migrating, transient)" \
    "$(pb $DELETED $S_MIGRATING $P_TRANSIENT)"
side a
mb_migrate_wait
assert_match "2: virsh migrate fails" "^[1-9]" "$MB_MIGRATE_RC"
NOTIF_T0=$t0 expect_notifications "2: a: vmRunning (previous migrating), vmBulkRunning" \
    "$(pa $RUNNING $S_MIGRATING)" "$(ba $RUNNING)"
assert_eq "2: a: running(4) again" "INTEGER: $S_RUNNING" "$(oper "$IA")"

# ================================================================ 3
start_migration 3
side b
connected=$(connections)
t0=$EPOCHREALTIME
mb_stop b
side a
mb_migrate_wait
assert_match "3: virsh migrate fails" "^[1-9]" "$MB_MIGRATE_RC"
timing "3: b's libvirtd stopped -> virsh migrate returned" "$t0"
NOTIF_T0=$t0 expect_notifications "3: a: vmRunning (previous migrating), vmBulkRunning" \
    "$(pa $RUNNING $S_MIGRATING)" "$(ba $RUNNING)"
assert_eq "3: a: running(4) again" "INTEGER: $S_RUNNING" "$(oper "$IA")"
side b
wait_log "vm_mib: lost libvirt connection" 100 && ok "3: b: snmpd lost libvirt" ||
    fail "3: b: snmpd lost libvirt"
t1=$EPOCHREALTIME
mb_start b || fail "3: b's libvirtd starts again"
if retry 900 reconnected "$connected"; then timing "3: b: snmpd reconnected after its libvirtd started again" "$t1"
else fail "3: b: snmpd reconnects"; fi
NOTIF_WAIT=100 NOTIF_T0=$t1 expect_notifications "3: b: vmDeleted only (previous migrating, transient)" \
    "$(pb $DELETED $S_MIGRATING $P_TRANSIENT)"
assert_eq "3: b: no machine" "INTEGER: 0" "$(value "$vmNumber.0")"

# ================================================================ 4
# paused, the guest dirties nothing: 1 MiB/s keeps its 64 MiB in flight
side a
mvirsh a suspend "$MB_GUEST" >/dev/null || fail "4: suspend on a"
expect_notifications "4: a: vmPaused (previous running), vmBulkPaused" \
    "$(pa $PAUSED $S_RUNNING)" "$(ba $PAUSED)"
start_migration 4 "$S_PAUSED" paused 1
side a
t0=$EPOCHREALTIME
mvirsh a domjobabort "$MB_GUEST" || fail "4: domjobabort"
mb_migrate_wait
assert_match "4: virsh migrate fails" "^[1-9]" "$MB_MIGRATE_RC"
NOTIF_T0=$t0 expect_notifications "4: a: paused again: vmPaused (previous migrating), vmBulkPaused" \
    "$(pa $PAUSED $S_MIGRATING)" "$(ba $PAUSED)"
assert_eq "4: a: paused(8), vmAdminState paused(3)" "INTEGER: $S_PAUSED|INTEGER: 3" \
    "$(value "$vmOperState.$IA" "$vmAdminState.$IA" | paste -sd'|')"
side b
NOTIF_T0=$t0 expect_notifications "4: b: vmDeleted only (previous migrating, transient)" \
    "$(pb $DELETED $S_MIGRATING $P_TRANSIENT)"

# ================================================================ 5
# Both guests leave a at once, as when a host is evacuated.  The bulk
# window becomes 10 s, more than the two starts can lie apart, so that one
# vmBulkMigrating names both.
side a
mvirsh a resume "$MB_GUEST" >/dev/null || fail "5: resume on a"
expect_notifications "5: a: vmRunning (previous paused), vmBulkRunning" \
    "$(pa $RUNNING $S_PAUSED)" "$(ba $RUNNING)"
mvirsh a start "$MB_GUEST2" >/dev/null || fail "5: start the second guest on a"
IA2=$(vm_index "$MB_GUEST2")
UUID2=$(mvirsh a domuuid "$MB_GUEST2" | tr -d '[:space:]')
pa2() { pervm_line "$1" "$IA2" "$MB_GUEST2" "$UUID2" "${@:2}"; }
pb2() { pervm_line "$1" "$IB2" "$MB_GUEST2" "$UUID2" "${@:2}"; }
expect_notifications "5: a: the second guest: vmRunning (previous shutdown), vmBulkRunning" \
    "$(pa2 $RUNNING $S_SHUTDOWN)" "$(bulk_line $((RUNNING + BULK)) "$IA2")"
connected=$(connections)
sed -i 's/^vmMibBulkWindow .*/vmMibBulkWindow 10000/' "$WORK/snmpd-a/snmpd.conf"
kill -HUP "$SNMPD_PID"
assert_match "5: a: reloaded with a 10 s bulk window" "Timeticks" "$(sget $sysUpTime.0)"
notifications_mark
side b; notifications_mark
t0=$EPOCHREALTIME
mb_migrate a b 8 "$MB_GUEST"
mb_migrate a b 8 "$MB_GUEST2"
side a
for i in "$IA" "$IA2"; do
    wait_for "5: a: vmOperState.$i migrating(9)" "INTEGER: $S_MIGRATING" 200 oper "$i"
done
NOTIF_ORDER=any NOTIF_WAIT=200 NOTIF_T0=$t0 expect_notifications \
    "5: a: vmMigrating (previous running) for each, one vmBulkMigrating naming both" \
    "$(pa $MIGRATING $S_RUNNING)" "$(pa2 $MIGRATING $S_RUNNING)" \
    "$(bulk_line $((MIGRATING + BULK)) "$IA" "$IA2")"
assert_eq "5: a: the reload kept the connection" "$connected" "$(connections)"
side b
IB=$(vm_index "$MB_GUEST") IB2=$(vm_index "$MB_GUEST2")
for i in "$IB" "$IB2"; do
    wait_for "5: b: vmOperState.$i migrating(9)" "INTEGER: $S_MIGRATING" 100 oper "$i"
done
NOTIF_ORDER=any NOTIF_T0=$t0 expect_notifications "5: b: vmMigrating (previous preparing) for each" \
    "$(pb $MIGRATING $S_PREPARING)" "$(pb2 $MIGRATING $S_PREPARING)"
side a
t0=$EPOCHREALTIME
mb_release a "$MB_GUEST" && mb_release a "$MB_GUEST2" || fail "5: the migrations are released"
mb_migrate_wait "$MB_GUEST"
assert_eq "5: virsh migrate of the first guest succeeds" "0" "$MB_MIGRATE_RC"
mb_migrate_wait "$MB_GUEST2"
assert_eq "5: virsh migrate of the second guest succeeds" "0" "$MB_MIGRATE_RC"
NOTIF_ORDER=any NOTIF_WAIT=200 NOTIF_T0=$t0 expect_notifications \
    "5: a: vmShutdown (previous migrating) for each, one vmBulkShutdown naming both" \
    "$(pa $SHUTDOWN $S_MIGRATING)" "$(pa2 $SHUTDOWN $S_MIGRATING)" \
    "$(bulk_line $((SHUTDOWN + BULK)) "$IA" "$IA2")"
side b
NOTIF_ORDER=any NOTIF_T0=$t0 expect_notifications "5: b: vmRunning (previous migrating) for each" \
    "$(pb $RUNNING $S_MIGRATING)" "$(pb2 $RUNNING $S_MIGRATING)"
assert_eq "5: b: both run: vmNumber 2, running(4) each" "INTEGER: 2|INTEGER: $S_RUNNING|INTEGER: $S_RUNNING" \
    "$(value "$vmNumber.0" "$vmOperState.$IB" "$vmOperState.$IB2" | paste -sd'|')"

for h in a b; do
    side "$h"
    assert_eq "$h: snmpd logged no error" "" \
        "$(grep -Ei 'error|warning|fail' "$SNMPD_LOG" |
           grep -Ev 'lost libvirt connection|cannot connect to libvirt|Cannot find module|Did not find|Unlinked OID|Undefined identifier|Cannot adopt')"
done
vmm_summary
