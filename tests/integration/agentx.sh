#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# vm_mib.so in an AgentX subagent: a second snmpd (-X -I dlmod) loads the
# module and registers VM-MIB with a master snmpd that has no module and no
# libvirt access; managers and notification receivers talk to the master only.
#
# 1. A subagent started BEFORE the master (agentXPingInterval 1) registers
#    once the master listens; the bulk walk of VM-MIB through the master's
#    port is, varbind by varbind, what expect.py derives from demo/node.xml
#    (vmStorageParent against the master's own hrStorageTable); GET and
#    GETNEXT of single objects; stopping the subagent leaves noSuchObject.
# 2. Against a private libvirtd: SET of vmPerVMNotificationsEnabled through
#    the master; virsh suspend gives vmPaused at the master's trap2sink with
#    every varbind checked (the subagent has no sink); a restarted subagent
#    re-registers with the same vmIndex; a restarted master is found again
#    by the subagent, and notifications flow through it.
# Both: the subagent logs nothing but its start, its libvirt connection and
# the master's refusal of the dlmod table it already serves.
. "$(dirname "$0")/lib.sh"

NO_OBJECT="No Such Object available on this agent at this OID"
NO_INSTANCE="No Such Instance currently exists at this OID"
SOCK=$WORK/agentx.sock
AFTER_VMMIB='^\.1\.3\.6\.1\.(2\.1\.(23[7-9]|2[4-9][0-9])|[3-9])\.'   # an OID past VM-MIB
# notifications (snmpTrapOID.0 = vmNotifications.K) and vmOperState
RUNNING=1 PAUSED=4
S_RUNNING=4 S_PAUSED=8

# master_snmpd NAME: a plain snmpd (no module) on a free loopback port,
# AgentX master on $SOCK, notifications to the snmptrapd; MASTER_PID.
master_snmpd() {
    DLMOD="" start_snmpd "$1" "" "master agentx
agentXSocket $SOCK
agentXPerms 0600 0700
trap2sink udp:127.0.0.1:$TRAP_PORT public" || return 1
    MASTER_PID=$SNMPD_PID
}

# vm_number_is N WHAT: wait (5 s) until the master answers vmNumber.0 = N,
# and then for vmHvVersion.0 (asked after the module's first picture).
vm_number_is() {
    wait_for "$2" "$vmNumber.0 = INTEGER: $1" 50 sget $vmNumber.0 && retry 50 has_version
}

# subagent_log_clean NAME: the subagent's log has only the expected lines
# (besides the module's trace of events, where it was asked for): its
# start, the module's libvirt connection, the master's refusal of the
# subagent's copy of UCD-DLMOD-MIB (5 registrations), a master not (yet)
# there, and the re-registration after a master restart.
subagent_log_clean() {
    local bad
    bad=$(grep -Ev '^(vm_mib:events: |registered debug token vm_mib:events, 1$)' "$SUBAGENT_LOG" | grep -Ev '^(NET-SNMP version 5[.0-9]*( AgentX subagent connected)?|registering pdu failed: 263!|vm_mib: connected to libvirt at [^ ]+ \(read-only\)|vm_mib: vmPerVMNotificationsEnabled set to (true|false)|Created directory: .*|Warning: Failed to connect to the agentx master agent \(unix:[^)]*\): ?|AgentX master agent failed to respond to ping\.  Attempting to re-register\.|AgentX master disconnected us, reconnecting in [0-9]+)$')
    assert_eq "$1: the subagent logs nothing unexpected" "" "$bad"
    assert_eq "$1: the module logs only its libvirt connection (and SETs)" \
        "vm_mib: connected to libvirt at $2 (read-only)" \
        "$(grep '^vm_mib: ' "$SUBAGENT_LOG" | grep -v 'NotificationsEnabled set to' | sort -u)"
}

start_snmptrapd_lines || { fail "snmptrapd starts"; vmm_summary; exit; }

# ---------------------------------------------------- 1. the demo fixture
FIXTURE=$abs_top_srcdir/demo/node.xml
T_START=$(boot_ticks)
start_subagent sub1 "unix:$SOCK" "agentXPingInterval 1
vmMibUri test://$FIXTURE" || { fail "subagent starts"; vmm_summary; exit; }
assert_eq "the subagent runs and opens no SNMP port of its own" "running:" \
    "$(kill -0 "$SUBAGENT_PID" 2>/dev/null && echo running):$(ss -Hlnup | grep "pid=$SUBAGENT_PID,")"
master_snmpd master1 || { fail "master snmpd starts"; vmm_summary; exit; }
SNMPD_LOG=$SUBAGENT_LOG assert_log "the subagent started first found no master" \
    "^Warning: Failed to connect to the agentx master agent \\(unix:$SOCK\\)"
vm_number_is 5 "a subagent started before the master registers at its next ping"

sget $vmNumber.0 > /dev/null
sleep 0.1
t_walk=$(boot_ticks)
snmpbulkwalk -v2c -c public -t 5 -r 1 -Cr50 -On -Ox --hexOutputLength=0 "127.0.0.1:$SNMP_PORT" $vmMIB \
    > "$WORK/demo.bulk" 2> "$WORK/demo.bulk.err"
t_end=$(boot_ticks)
assert_eq "bulk walk of VM-MIB through the master: no error" "" "$(cat "$WORK/demo.bulk.err")"
snmpbulkwalk -v2c -c public -t 5 -r 1 -On "127.0.0.1:$SNMP_PORT" $hrStorageDescr > "$WORK/demo.hr" 2>&1
expect check --fixture "$FIXTURE" --walk "$WORK/demo.bulk" --hrstorage "$WORK/demo.hr" \
    --times "$T_START" "$t_walk" "$t_end" --label "through the master"

walk_oids=$(awk '/^\./ { print $1 }' "$WORK/demo.bulk")
next_oids=$(swalk $vmMIB | awk '/^\./ { print $1 }')
assert_eq "GETNEXT walk through the master: the same $(echo "$walk_oids" | wc -l) OIDs" \
    "$walk_oids" "$next_oids"
for name in web-frontend database batch-worker build-runner staging; do
    i=$(sed -n "s/^\\$vmName\\.\\([0-9]*\\) = Hex-STRING: $(hex_of "$name") *\$/\\1/p" "$WORK/demo.bulk")
    assert_eq "GET vmName.${i:-?} through the master" "$vmName.$i = STRING: \"$name\"" \
        "$(sget "$vmName.$i")"
done
assert_eq "GET vmNumber.0 and vmHvSoftware.0 in one PDU" \
    "$vmNumber.0 = INTEGER: 5
$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmNumber.0 $vmHvSoftware.0)"
assert_eq "GETNEXT of VM-MIB's root is vmHvSoftware.0" "$vmHvSoftware.0 = STRING: \"TEST\"" \
    "$(sgetnext $vmMIB)"
assert_eq "GETNEXT of vmName is vmName.1" "$vmName.1 = STRING: \"web-frontend\"" \
    "$(sgetnext $vmName)"
assert_absent "GET vmName.999 is noSuchInstance" $vmNumber.0 "$vmName.999 = $NO_INSTANCE" \
    sget $vmName.999
last=$(echo "$walk_oids" | tail -1)
assert_match "GETNEXT from VM-MIB's last OID ($last) leaves VM-MIB: the master's own tree" \
    "$AFTER_VMMIB" "$(sgetnext "$last")"
subagent_log_clean "demo" "test://$FIXTURE"

vmm_stop_pid "$SUBAGENT_PID"
assert_absent "subagent stopped: GET vmNumber.0 is noSuchObject" $sysUpTime.0 \
    "$vmNumber.0 = $NO_OBJECT" sget $vmNumber.0
assert_match "subagent stopped: GETNEXT of VM-MIB's root leaves VM-MIB" \
    "$AFTER_VMMIB" "$(sgetnext $vmMIB)"

# ------------------------------------------------- 2. a private libvirtd
if [ "$(id -u)" -ne 0 ]; then
    skip "2. against a private libvirtd" "needs root: the private libvirtd runs as nobody (setpriv, chown)"
    vmm_summary; exit
fi
start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
# keeps the test driver's default instance (and its states) alive while the
# subagent restarts
virsh -q -c "$LIBVIRT_URI" event --all --loop >/dev/null 2>&1 &
PIDS+=($!)

act() {
    NOTIF_T0=$EPOCHREALTIME
    virsh -q -c "$LIBVIRT_URI" "$@" >/dev/null 2>"$WORK/virsh.err" ||
        echo "  virsh $* failed: $(cat "$WORK/virsh.err")"
}
SUB2="agentXPingInterval 1
vmMibUri $LIBVIRT_URI"

start_subagent sub2 "unix:$SOCK" "$SUB2" || { fail "subagent starts"; vmm_summary; exit; }
vm_number_is 1 "a subagent started after the master registers"
notifications_mark
IT=$(vm_index test)
UT=$(virsh -q -c "$LIBVIRT_URI" domuuid test | tr -d '[:space:]')
NOTIF_SETTLE=1 expect_notifications "the subagent's first snapshot sends nothing"

assert_eq "SET vmPerVMNotificationsEnabled.0 = false(2) through the master" \
    "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sset $vmPerVMNotificationsEnabled.0 i 2)"
assert_eq "then GET through the master shows false(2)" "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" \
    "$(sget $vmPerVMNotificationsEnabled.0)"
act suspend test
act resume test
expect_notifications "switched off: suspend and resume send nothing"
assert_match "SET vmPerVMNotificationsEnabled.0 = 3 through the master is wrongValue" \
    "Reason: wrongValue" "$(sset $vmPerVMNotificationsEnabled.0 i 3)"
assert_eq "SET vmPerVMNotificationsEnabled.0 = true(1) through the master" \
    "$vmPerVMNotificationsEnabled.0 = INTEGER: 1" "$(sset $vmPerVMNotificationsEnabled.0 i 1)"

act suspend test
wait_notifications 1
assert_eq "after the notification, vmOperState through the master is paused" \
    "$vmOperState.$IT = INTEGER: $S_PAUSED" "$(sget "$vmOperState.$IT")"
expect_notifications "virsh suspend: vmPaused(prev running) at the master's sink" \
    "$(pervm_line $PAUSED "$IT" test "$UT" $S_RUNNING)"

subagent_log_clean "libvirtd" "$LIBVIRT_URI"
vmm_stop_pid "$SUBAGENT_PID"
assert_absent "subagent stopped: GET vmName.$IT is noSuchObject" $sysUpTime.0 \
    "$vmName.$IT = $NO_OBJECT" sget "$vmName.$IT"
# (its trace of events shows when it handled one: below, while no master listens)
SNMPD_ARGS=-Dvm_mib:events start_subagent sub2 "unix:$SOCK" "$SUB2" ||
    { fail "subagent restarts"; vmm_summary; exit; }
vm_number_is 1 "a restarted subagent registers again"
assert_eq "with the same vmIndex for test" "$IT" "$(vm_index test)"
assert_eq "the machine is still paused" "$vmOperState.$IT = INTEGER: $S_PAUSED" "$(sget "$vmOperState.$IT")"
act resume test
expect_notifications "virsh resume: vmRunning(prev paused) from the restarted subagent" \
    "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"

# the master restarts (on another port): the subagent's ping notices it,
# and it registers again; a change while no master listens is lost
vmm_stop_pid "$MASTER_PID"
act suspend test
SNMPD_LOG=$SUBAGENT_LOG wait_log '^vm_mib:events: test: event 3 detail [0-9]+ -> ' ||
    fail "the subagent handles the suspend while no master listens"
master_snmpd master2 || { fail "master snmpd restarts"; vmm_summary; exit; }
vm_number_is 1 "after a master restart, the subagent registers again within its ping interval"
act resume test
expect_notifications "virsh resume: only vmRunning(prev paused) through the new master" \
    "$(pervm_line $RUNNING "$IT" test "$UT" $S_PAUSED)"
subagent_log_clean "master restart" "$LIBVIRT_URI"

for log in "$WORK"/master*/snmpd.log; do
    assert_eq "$(basename "$(dirname "$log")") refused only the subagent's dlmod table" "" \
        "$(grep -i 'duplicate\|error\|fail' "$log" | grep -v '^duplicate registration: MIB modules dlmod and AgentX subagent [0-9]*, session 0x[0-9a-f]*, subsession 0x[0-9a-f]* (oid \.1\.3\.6\.1\.4\.1\.2021\.13\.14\.[0-9.]*)\.$')"
done

vmm_summary
