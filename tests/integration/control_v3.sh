#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The control extension over SNMPv3 as vm_mib(8) configures it: a user with
# authentication and privacy may write VM-MIB (and nothing else); the
# community stays read-only.
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"

V3=(-v3 -l authPriv -u vmadmin -a SHA -A vmadmin-auth-pass -x AES -X vmadmin-priv-pass
    -On -t 2 -r 0)
v3set() { snmpset "${V3[@]}" "127.0.0.1:$SNMP_PORT" "$@" 2>&1; }
v3get() { snmpget "${V3[@]}" "127.0.0.1:$SNMP_PORT" "$@" 2>&1; }
domstate() { virsh -q -c "$LIBVIRT_URI" domstate test; }

start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
start_snmpd v3 "createUser vmadmin SHA vmadmin-auth-pass AES vmadmin-priv-pass
rwuser vmadmin priv $vmMIB" "vmMibUri $LIBVIRT_URI
vmMibWritable yes" || { fail "snmpd starts"; vmm_summary; exit; }

assert_eq "vmAdminState paused(3) by SNMPv3 authPriv" "$vmAdminState.1 = INTEGER: 3" "$(v3set $vmAdminState.1 i 3)"
assert_eq "virsh agrees: paused" "paused" "$(domstate)"
assert_eq "vmAdminState running(1) by SNMPv3 authPriv" "$vmAdminState.1 = INTEGER: 1" "$(v3set $vmAdminState.1 i 1)"
assert_eq "virsh agrees: running" "running" "$(domstate)"
assert_match "the read-only community cannot SET" "noAccess|notWritable|authorizationError" \
    "$(snmpset -v2c -c public -On -t 1 -r 0 127.0.0.1:$SNMP_PORT $vmAdminState.1 i 3 2>&1)"
assert_eq "still running" "running" "$(domstate)"
assert_match "the v3 user sees nothing outside VM-MIB" "No Such Object" \
    "$(v3get .1.3.6.1.2.1.1.5.0)"
assert_match "the v3 user cannot write outside VM-MIB" "noAccess|notWritable|authorizationError" \
    "$(v3set .1.3.6.1.2.1.1.5.0 s other)"
stop_snmpd
stop_libvirtd
vmm_summary
