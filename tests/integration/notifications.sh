#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The VM-MIB notifications, received by a real snmptrapd from a real snmpd
# whose module watches a private libvirtd (test driver).
#
# A: per-VM notifications (trap2sink): the snapshot at connect is silent;
#    every lifecycle change virsh can make on the test driver gives exactly
#    one notification named after the new vmOperState, carrying vmName,
#    vmUUID and the PREVIOUS vmOperState (vmDeleted also vmPersistent), and
#    nothing else arrives; vmPerVMNotificationsEnabled switches them.
#    (vmCrashed cannot be produced: the test driver has no way to crash a
#    machine, so a crash is not tested here.)
# B: bulk notifications (vmMibBulkNotifications yes, vmMibBulkWindow 1000):
#    changes to the same state within the window give one bulk notification
#    with the vmAffectedVMs bitmap; both switches, alone and together.
# C: informsink: snmptrapd acknowledges every INFORM, snmpd never retries;
#    libvirtd restarts: the resync after the reconnection announces what
#    changed meanwhile (vmRunning, vmDeleted) exactly once.
# D: snmpd restarts: the states announced are kept in the persistent file,
#    and the next snmpd announces what changed while it was down, once.
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"


# notifications (snmpTrapOID.0 = vmNotifications.K)
RUNNING=1 SHUTDOWN=3 PAUSED=4 SUSPENDED=6 DELETED=10
BULK_RUNNING=11 BULK_SHUTDOWN=13 BULK_PAUSED=14 BULK_DELETED=20
# vmOperState
S_PREPARING=3 S_RUNNING=4 S_SUSPENDED=6 S_PAUSED=8 S_SHUTDOWN=11
# vmPersistent
P_PERSISTENT=2 P_TRANSIENT=3

T0=$(date +%s)

virsh_() { virsh -q -c "$LIBVIRT_URI" "$@" >/dev/null 2>"$WORK/virsh.err" ||
               { echo "  virsh $* failed: $(cat "$WORK/virsh.err")"; return 1; }; }

# act VIRSH-ARGS...: the action whose notifications are expected next.
act() { NOTIF_T0=$EPOCHREALTIME; virsh_ "$@"; }

# mkvm NAME UUID: a test-driver machine definition in $WORK/NAME.xml.
mkvm() {
    sed -e "s|<name>extra01</name>|<name>$1</name>|" -e "s|<uuid>[^<]*</uuid>|<uuid>$2</uuid>|" \
        "$FIXTURES/domain-extra.xml" > "$WORK/$1.xml"
}

uuid_of() { virsh -q -c "$LIBVIRT_URI" domuuid "$1" | tr -d '[:space:]'; }

# oper_is NAME INDEX STATE: right after its notification, a GET shows the
# machine's new vmOperState.
oper_is() {
    wait_notifications 1
    assert_eq "then vmOperState of $1 is $3" "$vmOperState.$2 = INTEGER: $3" "$(sget "$vmOperState.$2")"
}

# index_of NAME: vmIndex of NAME, checked: GET vmName.<i> gives NAME.
index_of() {
    local i
    i=$(vm_index "$1")
    if [ -n "$i" ] && [ "$(sget "$vmName.$i")" = "$vmName.$i = STRING: \"$1\"" ]; then
        echo "$i"
    else
        echo "  no vmIndex for $1" >&2; echo 0
    fi
}

# no_log_errors NAME: the current snmpd logged no error about notifications.
no_log_errors() {
    local bad
    bad=$(grep -Evi '^vm_mib: lost libvirt connection' "$SNMPD_LOG" |
          grep -Ei 'send_trap|timeout|retr(y|ies|ying)|error|fail|cannot|could not|unknown|warning|trap:.*(drop|invalid)' |
          grep -Ev '^trap: (send_trap -?[0-9]+ -?[0-9]+ |received the inform response)')
    assert_eq "$1" "" "$bad"
}

start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
start_snmptrapd_lines || { fail "snmptrapd starts"; vmm_summary; exit; }

# ---------------------------------------------------------------- A: per-VM
start_snmpd pervm "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd starts"; vmm_summary; exit; }

NOTIF_SETTLE=1 expect_notifications "A: the snapshot at connect sends nothing"
assert_eq "A: per-VM notifications are on by default" "$vmPerVMNotificationsEnabled.0 = INTEGER: 1" "$(sget $vmPerVMNotificationsEnabled.0)"
assert_eq "A: bulk notifications are off by default" "$vmBulkNotificationsEnabled.0 = INTEGER: 2" "$(sget $vmBulkNotificationsEnabled.0)"

IT=$(index_of test)
UT=$(uuid_of test)

act suspend test
oper_is test "$IT" $S_PAUSED
expect_notifications "suspend: vmPaused(prev running)" "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)"
act resume test
oper_is test "$IT" $S_RUNNING
expect_notifications "resume: vmRunning(prev paused)" "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"

UX=11111111-2222-3333-4444-5555555555e1            # tests/fixtures/domain-extra.xml
act define "$FIXTURES/domain-extra.xml"
wait_notifications 1
IX=$(index_of extra01)
oper_is extra01 "$IX" $S_SHUTDOWN
expect_notifications "define: vmShutdown(prev preparing)" \
    "$(pervm_line $SHUTDOWN "$IX" extra01 $UX $S_PREPARING)"
act start extra01
oper_is extra01 "$IX" $S_RUNNING
expect_notifications "start: vmRunning(prev shutdown)" "$(pervm_line $RUNNING "$IX" extra01 $UX $S_SHUTDOWN)"
act shutdown extra01                # the test driver stops at once
oper_is extra01 "$IX" $S_SHUTDOWN
expect_notifications "shutdown: vmShutdown(prev running)" "$(pervm_line $SHUTDOWN "$IX" extra01 $UX $S_RUNNING)"
act start extra01
expect_notifications "start again: vmRunning(prev shutdown)" "$(pervm_line $RUNNING "$IX" extra01 $UX $S_SHUTDOWN)"
act destroy extra01
oper_is extra01 "$IX" $S_SHUTDOWN
expect_notifications "destroy: vmShutdown(prev running)" "$(pervm_line $SHUTDOWN "$IX" extra01 $UX $S_RUNNING)"
act start extra01
expect_notifications "start: vmRunning(prev shutdown)" "$(pervm_line $RUNNING "$IX" extra01 $UX $S_SHUTDOWN)"
# managedsave: the test driver emits one event (stopped/saved), no
# intermediate suspending state
act managedsave extra01
oper_is extra01 "$IX" $S_SUSPENDED
expect_notifications "managedsave: vmSuspended(prev running), nothing in between" \
    "$(pervm_line $SUSPENDED "$IX" extra01 $UX $S_RUNNING)"
act start extra01                   # restores the saved image
oper_is extra01 "$IX" $S_RUNNING
expect_notifications "start restores: vmRunning(prev suspended)" \
    "$(pervm_line $RUNNING "$IX" extra01 $UX $S_SUSPENDED)"
act destroy extra01
expect_notifications "destroy: vmShutdown(prev running)" "$(pervm_line $SHUTDOWN "$IX" extra01 $UX $S_RUNNING)"
act undefine extra01
wait_notifications 1
assert_eq "then extra01 has left vmTable" \
    "$vmName.$IX = No Such Instance currently exists at this OID" "$(sget "$vmName.$IX")"
expect_notifications "undefine of a shut-off machine: vmDeleted(prev shutdown, persistent)" \
    "$(pervm_line $DELETED "$IX" extra01 $UX $S_SHUTDOWN $P_PERSISTENT)"

U2=11111111-2222-3333-4444-5555555555e2
mkvm extra02 $U2
act define "$WORK/extra02.xml"
wait_notifications 1
I2=$(index_of extra02)
expect_notifications "define extra02: vmShutdown(prev preparing)" \
    "$(pervm_line $SHUTDOWN "$I2" extra02 $U2 $S_PREPARING)"
if [ "$I2" != "$IX" ] && [ "$I2" != "$IT" ]; then ok "a new machine gets a new vmIndex ($I2)"
else fail "extra02 got vmIndex $I2 (test $IT, extra01 $IX)"; fi
act start extra02
expect_notifications "start extra02: vmRunning(prev shutdown)" "$(pervm_line $RUNNING "$I2" extra02 $U2 $S_SHUTDOWN)"
act undefine extra02
NOTIF_SETTLE=1 expect_notifications "undefine of a running machine: nothing (it becomes transient)"
assert_eq "then vmPersistent of extra02 is transient" "$vmPersistent.$I2 = INTEGER: $P_TRANSIENT" "$(sget "$vmPersistent.$I2")"
act destroy extra02
expect_notifications "destroy of the transient machine: vmShutdown(prev running) then vmDeleted(prev shutdown, transient)" \
    "$(pervm_line $SHUTDOWN "$I2" extra02 $U2 $S_RUNNING)" \
    "$(pervm_line $DELETED "$I2" extra02 $U2 $S_SHUTDOWN $P_TRANSIENT)"

# the per-VM switch
assert_eq "SET vmPerVMNotificationsEnabled.0 = false" "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sset $vmPerVMNotificationsEnabled.0 i 2)"
assert_eq "GET shows it false" "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sget $vmPerVMNotificationsEnabled.0)"
act suspend test
wait_for "per-VM off: the suspend still shows in vmOperState" "$vmOperState.$IT = INTEGER: $S_PAUSED" 30 \
    sget "$vmOperState.$IT"
NOTIF_SETTLE=1 expect_notifications "per-VM off: suspend sends nothing"
act resume test
NOTIF_SETTLE=1 expect_notifications "per-VM off: resume sends nothing"
assert_eq "SET vmPerVMNotificationsEnabled.0 = true" "$vmPerVMNotificationsEnabled.0 = INTEGER: 1" "$(sset $vmPerVMNotificationsEnabled.0 i 1)"
act suspend test
expect_notifications "per-VM on again: suspend sends vmPaused(prev running)" \
    "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)"
act resume test
expect_notifications "per-VM on again: resume sends vmRunning(prev paused)" \
    "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"

no_log_errors "A: snmpd logged no error"
if snmpd_alive; then ok "A: snmpd alive"; else fail "A: snmpd died"; fi
stop_snmpd

# ---------------------------------------------------------------- B: bulk
# Per-VM off and bulk on from the configuration; window 1000 ms.
start_snmpd bulk "" "vmMibUri $LIBVIRT_URI
vmMibPerVmNotifications no
vmMibBulkNotifications yes
vmMibBulkWindow 1000
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd (bulk) starts"; vmm_summary; exit; }
NOTIF_SETTLE=1 expect_notifications "B: the snapshot at connect sends nothing"
assert_eq "B: vmMibPerVmNotifications no gives vmPerVMNotificationsEnabled false" \
    "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sget $vmPerVMNotificationsEnabled.0)"
assert_eq "B: vmMibBulkNotifications yes gives vmBulkNotificationsEnabled true" \
    "$vmBulkNotificationsEnabled.0 = INTEGER: 1" "$(sget $vmBulkNotificationsEnabled.0)"
IT=$(index_of test)

BK=(bulk1 bulk2 bulk3 bulk4 bulk5)
BU=() BI=()
for n in 1 2 3 4 5; do
    BU+=("22222222-3333-4444-5555-66666666660$n")
    mkvm "bulk$n" "${BU[n - 1]}"
done
NOTIF_T0=$EPOCHREALTIME
for vm in "${BK[@]}"; do virsh_ define "$WORK/$vm.xml"; done
wait_notifications 1
for vm in "${BK[@]}"; do BI+=("$(index_of "$vm")"); done
NOTIF_WAIT=40 expect_notifications "5 defines: ONE vmBulkShutdown for indexes ${BI[*]}" \
    "$(bulk_line $BULK_SHUTDOWN "${BI[@]}")"

t0=$EPOCHREALTIME
NOTIF_T0=$t0
for vm in "${BK[@]}"; do virsh_ start "$vm"; done
t1=$EPOCHREALTIME
echo "  (5 starts took $(( (${t1/./} - ${t0/./}) / 1000 )) ms)"
NOTIF_WAIT=40 expect_notifications "5 starts: ONE vmBulkRunning, only vmAffectedVMs, bits ${BI[*]}" \
    "$(bulk_line $BULK_RUNNING "${BI[@]}")"

# both on: the per-VM ones at once, the bulk one after the window
assert_eq "SET vmPerVMNotificationsEnabled.0 = true" "$vmPerVMNotificationsEnabled.0 = INTEGER: 1" "$(sset $vmPerVMNotificationsEnabled.0 i 1)"
want=()
for n in 0 1 2 3 4; do want+=("$(pervm_line $SHUTDOWN "${BI[n]}" "${BK[n]}" "${BU[n]}" $S_RUNNING)"); done
want+=("$(bulk_line $BULK_SHUTDOWN "${BI[@]}")")
NOTIF_T0=$EPOCHREALTIME
for vm in "${BK[@]}"; do virsh_ destroy "$vm"; done
NOTIF_WAIT=40 expect_notifications "both on, 5 destroys: 5 vmShutdown(prev running) then ONE vmBulkShutdown" "${want[@]}"

assert_eq "SET vmBulkNotificationsEnabled.0 = false" "$vmBulkNotificationsEnabled.0 = INTEGER: 2" "$(sset $vmBulkNotificationsEnabled.0 i 2)"
act suspend test
NOTIF_SETTLE=1.5 expect_notifications "bulk off: suspend sends only vmPaused" \
    "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)"
act resume test
NOTIF_SETTLE=1.5 expect_notifications "bulk off: resume sends only vmRunning" \
    "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"
assert_eq "SET vmBulkNotificationsEnabled.0 = true" "$vmBulkNotificationsEnabled.0 = INTEGER: 1" "$(sset $vmBulkNotificationsEnabled.0 i 1)"
act suspend test
NOTIF_WAIT=40 expect_notifications "bulk on again: suspend sends vmPaused and vmBulkPaused" \
    "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)" "$(bulk_line $BULK_PAUSED "$IT")"
act resume test
NOTIF_WAIT=40 expect_notifications "bulk on again: resume sends vmRunning and vmBulkRunning" \
    "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)" "$(bulk_line $BULK_RUNNING "$IT")"

assert_eq "SET vmPerVMNotificationsEnabled.0 = false" "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sset $vmPerVMNotificationsEnabled.0 i 2)"
NOTIF_T0=$EPOCHREALTIME
for vm in "${BK[@]}"; do virsh_ undefine "$vm"; done
NOTIF_WAIT=40 expect_notifications "per-VM off, 5 undefines: ONE vmBulkDeleted" \
    "$(bulk_line $BULK_DELETED "${BI[@]}")"

no_log_errors "B: snmpd logged no error"
if snmpd_alive; then ok "B: snmpd alive"; else fail "B: snmpd died"; fi
stop_snmpd

# ------------------------------------------------- C: informsink, reconnect
# -Dtrap: snmpd logs each inform response ("received the inform response")
# and each inform timeout ("received a timeout sending an inform").
raw0=$(wc -l < "$TRAP_LOG")
SNMPD_ARGS="-Dtrap" start_snmpd inform "" "vmMibUri $LIBVIRT_URI
informsink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd (inform) starts"; vmm_summary; exit; }
NOTIF_SETTLE=1 expect_notifications "C: the snapshot at connect sends nothing"
IT=$(index_of test)
act define "$FIXTURES/domain-extra.xml"
wait_notifications 1
IX=$(index_of extra01)
expect_notifications "C: define: vmShutdown(prev preparing)" \
    "$(pervm_line $SHUTDOWN "$IX" extra01 $UX $S_PREPARING)"
act suspend test
expect_notifications "C: suspend: vmPaused(prev running)" "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)"

stop_libvirtd
sleep 0.5
assert_match "C: snmpd answers sysUpTime while libvirtd is down" "^$sysUpTime.0 = Timeticks: " "$(sget $sysUpTime.0)"
NOTIF_SETTLE=1 expect_notifications "C: losing libvirtd sends nothing"
assert_match "C: snmpd still answers sysUpTime" "^$sysUpTime.0 = Timeticks: " "$(sget $sysUpTime.0)"
# a fresh default instance: "test" running, extra01 gone
start_libvirtd || fail "private libvirtd restarts"
NOTIF_T0=$EPOCHREALTIME
NOTIF_WAIT=120 NOTIF_SETTLE=2 NOTIF_ORDER=any expect_notifications \
    "C: resync after the reconnection: vmRunning for test(prev paused), vmDeleted for extra01, once" \
    "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)" \
    "$(pervm_line $DELETED "$IX" extra01 $UX $S_SHUTDOWN $P_PERSISTENT)"
assert_match "C: snmpd answers sysUpTime after the reconnection" "^$sysUpTime.0 = Timeticks: " "$(sget $sysUpTime.0)"
assert_eq "C: test keeps its vmIndex" "$IT" "$(index_of test)"
act suspend test
expect_notifications "C: events flow after the reconnection: vmPaused(prev running)" \
    "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)"
act resume test
expect_notifications "C: resume: vmRunning(prev paused)" "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"

informs=$(tail -n +$((raw0 + 1)) "$TRAP_LOG" | grep -c '^NOTIFY INFORM, ')
vm_informs=$(tail -n +$((raw0 + 1)) "$TRAP_LOG" | grep '^NOTIFY INFORM, ' | grep -c "OID: $vmNotifications\.")
others=$(tail -n +$((raw0 + 1)) "$TRAP_LOG" | grep '^NOTIFY ' | grep -vc '^NOTIFY INFORM, ')
assert_eq "C: snmptrapd received the 6 VM-MIB notifications as INFORMs" 6 "$vm_informs"
assert_eq "C: and nothing but INFORMs" 0 "$others"
assert_eq "C: snmpd got an acknowledgement for each of the $informs INFORMs" "$informs" \
    "$(grep -c 'trap: received the inform response' "$SNMPD_LOG")"
assert_eq "C: no inform timed out" 0 "$(grep -c 'received a timeout sending an inform' "$SNMPD_LOG")"
no_log_errors "C: snmpd logged no error"
if snmpd_alive; then ok "C: snmpd alive"; else fail "C: snmpd died"; fi
stop_snmpd
stop_libvirtd

# ------------------------------------------------------ D: snmpd restarted
# What was announced is kept in snmpd's persistent file: the snmpd that
# follows announces each machine's net change over the restart, once, and
# nothing for a machine that did not change.
start_libvirtd || fail "D: private libvirtd starts"
# the test driver resets its instance when its last client leaves: one
# stays connected while snmpd is down
virsh -q -c "$LIBVIRT_URI" event --all --loop > /dev/null 2>&1 &
holder=$!
PIDS+=("$holder")
start_snmpd restart "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd (restart) starts"; vmm_summary; exit; }
NOTIF_SETTLE=1 expect_notifications "D: a first start (no saved states) sends nothing"
IT=$(index_of test)
mkvm gone01 11111111-2222-3333-4444-5555555555d1
act define "$WORK/gone01.xml"
wait_notifications 1
IG=$(index_of gone01)
expect_notifications "D: define gone01: vmShutdown(prev preparing)" \
    "$(pervm_line $SHUTDOWN "$IG" gone01 11111111-2222-3333-4444-5555555555d1 $S_PREPARING)"
stop_snmpd
assert_match "D: the stopped snmpd saved the states of $LIBVIRT_URI" \
    "^vmMibState uri ${LIBVIRT_URI//\?/\\?}
vmMibState vm 11111111-2222-3333-4444-5555555555d1 $S_SHUTDOWN $P_PERSISTENT $(hex_of gone01 | tr -d ' ' | tr 'A-F' 'a-f')
vmMibState vm $UT $S_RUNNING $P_PERSISTENT $(hex_of test | tr -d ' ' | tr 'A-F' 'a-f')\$" \
    "$(grep '^vmMibState ' "$WORK/restart/persist/snmpd.conf")"
virsh_ suspend test
virsh_ undefine gone01
mkvm new01 11111111-2222-3333-4444-5555555555d2
virsh_ define "$WORK/new01.xml"
NOTIF_T0=$EPOCHREALTIME
start_snmpd restart "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd (restart) starts again"; vmm_summary; exit; }
wait_notifications 3
IN=$(index_of new01)
NOTIF_ORDER=any expect_notifications \
    "D: restarted: vmPaused for test(prev running), vmDeleted for gone01, vmShutdown for new01(prev preparing)" \
    "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)" \
    "$(pervm_line $DELETED "$IG" gone01 11111111-2222-3333-4444-5555555555d1 $S_SHUTDOWN $P_PERSISTENT)" \
    "$(pervm_line $SHUTDOWN "$IN" new01 11111111-2222-3333-4444-5555555555d2 $S_PREPARING)"
act resume test
expect_notifications "D: events flow: vmRunning(prev paused)" "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"
stop_snmpd
start_snmpd restart "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd (restart) starts a third time"; vmm_summary; exit; }
IT2=$(index_of test)
NOTIF_SETTLE=1 expect_notifications "D: restarted with nothing changed: nothing"
assert_eq "D: test kept its vmIndex over the restarts" "$IT" "$IT2"
no_log_errors "D: snmpd logged no error"
stop_snmpd
# the saved states are of another hypervisor: no starting point for this one
start_snmpd restart "" "vmMibUri test:///default
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "snmpd (restart) starts on test:///default"; vmm_summary; exit; }
assert_eq "D: restarted on another vmMibUri: its machines are served" "$vmNumber.0 = INTEGER: 1" \
    "$(sget $vmNumber.0)"
NOTIF_SETTLE=1 expect_notifications "D: and the states saved for the other one announce nothing"
stop_snmpd
vmm_stop_pid "$holder"
stop_libvirtd

echo "# runtime $(( $(date +%s) - T0 )) s"
vmm_summary
