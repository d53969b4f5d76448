#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The libvirt connection against a private libvirtd: a machine defined
# outside snmpd moves vmTableLastChange; libvirtd stopping, restarting and
# freezing is noticed (close callback, keepalive), logged once per outage,
# never reads as a host without machines, and never makes snmpd wait.
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"

NO_INSTANCE="$vmNumber.0 = No Such Instance currently exists at this OID"

ticks() { sget "$1" | sed -n 's/.*Timeticks: (\([0-9]*\)).*/\1/p'; }
vm_number() { sget $vmNumber.0; }
log_count() { grep -c -- "$1" "$SNMPD_LOG"; }

# ms CMD...: run CMD, print how long it took in ms.
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }

start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
# No grace: this suite checks what a manager sees once the last snapshot is
# no longer served (resilience.sh checks the grace itself).
start_snmpd conn "" "vmMibUri $LIBVIRT_URI
vmMibCacheTimeout 0
vmMibStaleGrace 0" || { fail "snmpd starts"; vmm_summary; exit; }

assert_eq "vmNumber over the private libvirtd" "$vmNumber.0 = INTEGER: 1" "$(vm_number)"
change0=$(ticks $vmTableLastChange.0)
sleep 0.2
virsh -q -c "$LIBVIRT_URI" define "$FIXTURES/domain-extra.xml" >/dev/null
assert_eq "a machine defined with virsh is counted" "$vmNumber.0 = INTEGER: 2" "$(vm_number)"
change1=$(ticks $vmTableLastChange.0)
if [ "$change1" -gt "$change0" ]; then ok "vmTableLastChange moved ($change0 -> $change1)"
else fail "vmTableLastChange did not move ($change0 -> $change1)"; fi
assert_eq "vmTableLastChange stays while the set is the same" "$change1" "$(ticks $vmTableLastChange.0)"

# libvirtd goes away: the close callback notices it at once.
stop_libvirtd
wait_for "vmNumber is noSuchInstance once libvirtd is gone" "$NO_INSTANCE" 20 vm_number
# no machine list (vmMibStaleGrace 0): a walk ends in genErr, not in "no
# machines" (a stopped libvirtd's guests may all be running)
assert_unknown_walk
assert_log "the outage is logged with the URI" \
    "vm_mib: lost libvirt connection to test\+unix:///default\?socket=.*libvirt-sock: "
t=$(ms sget $vmNumber.0)
if [ "$t" -lt 1000 ]; then ok "a request during the outage is answered in $t ms"
else fail "a request during the outage took $t ms"; fi
sleep 3.5     # reconnect attempts after 1 and 2 s fail quietly
assert_eq "one log line for the whole outage" 1 "$(log_count 'vm_mib: lost libvirt connection')"
assert_eq "no cannot-connect line while the outage is already logged" 0 \
    "$(log_count 'vm_mib: cannot connect')"

# libvirtd comes back: the next back-off attempt reconnects.
start_libvirtd || fail "private libvirtd restarts"
wait_for "vmNumber answers again after libvirtd restarts" "$vmNumber.0 = INTEGER: 1" 90 vm_number
assert_eq "the reconnection is logged once" 2 "$(log_count 'vm_mib: connected to libvirt')"
change2=$(ticks $vmTableLastChange.0)
if [ "$change2" -gt "$change1" ]; then ok "vmTableLastChange moved: the fresh libvirtd lost extra01"
else fail "vmTableLastChange $change2 after restart (was $change1)"; fi

# libvirtd freezes (accepts, never answers): keepalive gives up on it, and
# the reconnection that hangs on the frozen daemon does not hold snmpd.
kill -STOP "$LIBVIRTD_PID"
lost_twice() { log_count 'vm_mib: lost libvirt connection'; }
wait_for "keepalive notices a frozen libvirtd" 2 300 lost_twice
sleep 1.5       # the first reconnect attempt starts and hangs
t=$(ms sget $sysUpTime.0 $vmNumber.0)
assert_eq "VM-MIB answers while a reconnect hangs" "$NO_INSTANCE" "$(vm_number)"
if [ "$t" -lt 1000 ]; then ok "snmpd answers in $t ms while libvirtd is frozen"
else fail "snmpd took $t ms while libvirtd is frozen"; fi
kill -CONT "$LIBVIRTD_PID"
wait_for "vmNumber answers after libvirtd thaws" "$vmNumber.0 = INTEGER: 1" 100 vm_number

if snmpd_alive; then ok "snmpd survived every outage"; else fail "snmpd died"; fi
stop_snmpd
stop_libvirtd
vmm_summary
