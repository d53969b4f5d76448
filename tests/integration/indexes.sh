#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Index numbers from a damaged persistent file: snmpd started on a
# persistent directory seeded with vmMibIndex lines, the VM-MIB rows and
# the module's log lines compared exactly.  A next counter far above the
# numbers in use is ignored, used-up numbers are renumbered from 1 (logged
# once, vmTableLastChange moves), bad lines are logged up to 5 per load,
# then counted in one line.
. "$(dirname "$0")/lib.sh"

TEST_URI=test:///default                        # in process: its machine "test"
TEST_UUID=6695eb01-f6a4-8304-79aa-97f2502e193f  # with disk vda, NIC aa:bb:cc:dd:ee:ff
OTHER=11111111-2222-3333-4444-555555555555      # a machine libvirt does not have
NO_INSTANCE="No Such Instance currently exists at this OID"

ticks() { sed -n 's/.*Timeticks: (\([0-9]*\)).*/\1/p'; }

# seeded_snmpd NAME URI LINE...: snmpd whose persistent file holds these
# vmMibIndex lines (NAME's directory starts afresh); PERSIST is the file.
seeded_snmpd() {
    local name=$1 uri=$2
    shift 2
    rm -rf "${WORK:?}/$name"
    mkdir -p "$WORK/$name/persist"
    PERSIST="$WORK/$name/persist/snmpd.conf"
    printf 'vmMibIndex %s\n' "$@" > "$PERSIST"
    start_snmpd "$name" "" "vmMibUri $uri"
}

# The module's own log lines (Net-SNMP's are left out).
module_log() { grep '^vm_mib: ' "$SNMPD_LOG" | grep -v '^vm_mib: connected to libvirt'; }

# vmName rows as "INDEX NAME", one per line.
name_rows() { swalk $vmName | sed -n "s/^${vmName//./\\.}\.\([0-9]*\) = STRING: \"\(.*\)\"\$/\1 \2/p"; }

# The instances (vmIndex.N) of a storage or network column, space-separated.
instances() { swalk "$1" | sed -n "s/^${1//./\\.}\.\([0-9.]*\) = .*/\1/p" | xargs; }

# 1. A next counter above the range, nothing in use: ignored; the
#    machine gets 1 (today's main: vmNumber 1 and no row, no log line).
test_next_above_range() {
    seeded_snmpd above "$TEST_URI" "next-vm 2147483648" || { fail "above: snmpd starts"; return; }
    assert_eq "next-vm 2147483648: vmNumber.0 is 1" "$vmNumber.0 = INTEGER: 1" "$(sget $vmNumber.0)"
    assert_eq "next-vm 2147483648: the machine is vmTable row 1" "1 test" "$(name_rows)"
    assert_eq "next-vm 2147483648: one log line" \
        "vm_mib: $PERSIST: ignoring \"vmMibIndex next-vm 2147483648\": more than 1024 above the highest vmIndex in use (0)" \
        "$(module_log)"
    stop_snmpd
    assert_eq "next-vm 2147483648: the file written at exit counts on from 1" \
        "vmMibIndex next-vm 2|vmMibIndex vm $TEST_UUID 1" \
        "$(grep -E '^vmMibIndex (next-vm|vm) ' "$PERSIST" | paste -sd'|')"
}

# 2. Far above the numbers in use (12): ignored, the next number is 13.
test_next_far_above() {
    seeded_snmpd far "$TEST_URI" "next-vm 77471270" "vm $OTHER 12" || { fail "far: snmpd starts"; return; }
    assert_eq "next-vm 77471270 with 12 in use: the machine gets 13" "13 test" "$(name_rows)"
    assert_eq "next-vm 77471270 with 12 in use: one log line" \
        "vm_mib: $PERSIST: ignoring \"vmMibIndex next-vm 77471270\": more than 1024 above the highest vmIndex in use (12)" \
        "$(module_log)"
    stop_snmpd
    # within the window (at most 1024 numbers skipped) the counter stands
    seeded_snmpd near "$TEST_URI" "next-vm 1037" "vm $OTHER 12" || { fail "near: snmpd starts"; return; }
    assert_eq "next-vm 1037 with 12 in use is kept: the machine gets 1037" "1037 test" "$(name_rows)"
    assert_eq "next-vm 1037: nothing logged" "" "$(module_log)"
    stop_snmpd
}

# 3. Another machine holds the top number: renumbered from 1 in the old
#    order, the live machine gets a row (today's main: no row).
test_top_number_held() {
    seeded_snmpd top "$TEST_URI" "vm $OTHER 2147483647" "next-vm 2147483648" ||
        { fail "top: snmpd starts"; return; }
    assert_eq "vm line at 2147483647: vmNumber.0 is 1" "$vmNumber.0 = INTEGER: 1" "$(sget $vmNumber.0)"
    assert_eq "vm line at 2147483647: the machine is vmTable row 2 (the other one is 1)" \
        "2 test" "$(name_rows)"
    assert_eq "vm line at 2147483647: the renumbering logged once" \
        "vm_mib: vmIndex numbers used up: the machines known renumbered 1 to 1 in their previous order" \
        "$(module_log)"
    assert_eq "its disk and NIC rows follow: vmStorage 2.1, vmNetwork 2.1" "2.1 2.1" \
        "$(instances $vmStorageSourceType) $(instances $vmNetworkIfIndex)"
    stop_snmpd
    assert_eq "the file written at exit holds the new numbers" \
        "vmMibIndex next-vm 3|vmMibIndex vm $OTHER 1|vmMibIndex vm $TEST_UUID 2" \
        "$(grep -E '^vmMibIndex (next-vm|vm) ' "$PERSIST" | paste -sd'|')"
    # and a restart on it changes nothing more
    start_snmpd top "" "vmMibUri $TEST_URI" || { fail "top: snmpd restarts"; return; }
    assert_eq "after a restart: still row 2, nothing logged" "2 test|" "$(name_rows)|$(module_log)"
    stop_snmpd
}

# 4. Out-of-range numbers in entry lines: ignored with the reason, the
#    machine, its disk and NIC get fresh numbers.
test_entry_out_of_range() {
    seeded_snmpd range "$TEST_URI" "vm $OTHER 3" "vm $TEST_UUID 2147483648" \
        "disk $TEST_UUID vda 0" "nic $TEST_UUID aa:bb:cc:dd:ee:ff 99999999999" ||
        { fail "range: snmpd starts"; return; }
    assert_eq "vm line at 2147483648: the machine gets 4" "4 test" "$(name_rows)"
    assert_eq "its disk and NIC get 1: vmStorage 4.1, vmNetwork 4.1" "4.1 4.1" \
        "$(instances $vmStorageSourceType) $(instances $vmNetworkIfIndex)"
    assert_eq "three lines logged, with the reason" \
        "vm_mib: $PERSIST: ignoring \"vmMibIndex vm $TEST_UUID 2147483648\": number out of range
vm_mib: $PERSIST: ignoring \"vmMibIndex disk $TEST_UUID vda 0\": number out of range
vm_mib: $PERSIST: ignoring \"vmMibIndex nic $TEST_UUID aa:bb:cc:dd:ee:ff 99999999999\": number out of range" \
        "$(module_log)"
    stop_snmpd
}

# 5. 100,000 bad lines: 5 said, then one count (today's main: one line
#    each).  The start-up time is printed, not asserted.
test_many_bad_lines() {
    local i t0 t1
    rm -rf "${WORK:?}/bad"
    mkdir -p "$WORK/bad/persist"
    PERSIST="$WORK/bad/persist/snmpd.conf"
    for ((i = 0; i < 100000; i++)); do echo "vmMibIndex vm $OTHER x$i"; done > "$PERSIST"
    echo "vmMibIndex vm $TEST_UUID 7" >> "$PERSIST"
    t0=$EPOCHREALTIME
    start_snmpd bad "" "vmMibUri $TEST_URI" || { fail "bad: snmpd starts"; return; }
    t1=$EPOCHREALTIME
    echo "# 100,000 bad lines: snmpd answered and the module connected after $(( (${t1/./} - ${t0/./}) / 1000 )) ms"
    assert_eq "100,000 bad lines: the good one still counts (row 7)" "7 test" "$(name_rows)"
    assert_eq "100,000 bad lines: 6 log lines" \
        "vm_mib: $PERSIST: ignoring \"vmMibIndex vm $OTHER x0\": not a valid entry
vm_mib: $PERSIST: ignoring \"vmMibIndex vm $OTHER x1\": not a valid entry
vm_mib: $PERSIST: ignoring \"vmMibIndex vm $OTHER x2\": not a valid entry
vm_mib: $PERSIST: ignoring \"vmMibIndex vm $OTHER x3\": not a valid entry
vm_mib: $PERSIST: ignoring \"vmMibIndex vm $OTHER x4\": not a valid entry
vm_mib: $PERSIST: 99995 more bad vmMibIndex lines ignored" \
        "$(module_log)"
    assert_eq "100,000 bad lines: no other log line names vmMibIndex" 6 "$(grep -c vmMibIndex "$SNMPD_LOG")"
    stop_snmpd
}

# 6. Renumbering at run time moves vmTableLastChange; a definition change
#    alone does not.  A private libvirtd, where "test" can be redefined.
redefine_test() {   # redefine_test SED-EXPRESSION: "test"'s definition, changed
    virsh -q -c "$LIBVIRT_URI" dumpxml --inactive test | sed "$1" > "$WORK/test.xml"
    virsh -q -c "$LIBVIRT_URI" define "$WORK/test.xml" > /dev/null
}

last_change() { sget $vmTableLastChange.0 | ticks; }
# assert_later NAME BEFORE AFTER: AFTER is a larger number than BEFORE
assert_later() {
    if [ -n "$2" ] && [ -n "$3" ] && [ "$3" -gt "$2" ]; then ok "$1 ($2 -> $3)"
    else fail "$1 ('$2' -> '$3')"; fi
}

test_runtime_renumbering() {
    local holder t1 t2 t3 t4
    start_libvirtd || { fail "private libvirtd starts"; return; }
    # keeps the test driver's default instance alive while snmpd restarts
    virsh -q -c "$LIBVIRT_URI" event --all --loop > /dev/null 2>&1 &
    holder=$!
    PIDS+=("$holder")
    seeded_snmpd runtime "$LIBVIRT_URI" "vm $TEST_UUID 1" "disk $TEST_UUID vda 2147483647" \
        "nic $TEST_UUID aa:bb:cc:dd:ee:ff 2147483647" || { fail "runtime: snmpd starts"; return; }
    # shut off, a new definition applies at once (snmpd's connection keeps
    # the test instance, and its state, alive)
    virsh -q -c "$LIBVIRT_URI" destroy test > /dev/null
    wait_for "\"test\" shut off" "$vmOperState.1 = INTEGER: 11" 50 sget $vmOperState.1
    assert_eq "seeded: vmStorage 1.2147483647, vmNetwork 1.2147483647" \
        "1.2147483647 1.2147483647" "$(instances $vmStorageSourceType) $(instances $vmNetworkIfIndex)"
    t1=$(last_change)
    sleep 0.3
    redefine_test 's|<memory unit=.KiB.>[0-9]*</memory>|<memory unit="KiB">4194304</memory>|'
    wait_for "control: a changed definition shows (vmMaxMem.1)" "$vmMaxMem.1 = INTEGER: 4194304" 50 \
        sget $vmMaxMem.1
    assert_eq "control: a definition change alone leaves vmTableLastChange" "$t1" "$(last_change)"
    sleep 0.3
    redefine_test 's|</devices>|<disk type="file" device="disk"><source file="/guest/b"/><target dev="vdb" bus="virtio"/></disk></devices>|'
    wait_for "a disk added when vmStorageIndex is used up: rows 1.1 and 1.2" "1.1 1.2" 50 \
        instances $vmStorageSourceType
    t2=$(last_change)
    assert_later "disks renumbered: vmTableLastChange moved" "$t1" "$t2"
    sleep 0.3
    redefine_test 's|</devices>|<interface type="network"><mac address="52:54:00:00:00:02"/><source network="default"/></interface></devices>|'
    wait_for "a NIC added when vmNetworkIndex is used up: rows 1.1 and 1.2" "1.1 1.2" 50 \
        instances $vmNetworkIfIndex
    t3=$(last_change)
    assert_later "NICs renumbered: vmTableLastChange moved" "$t2" "$t3"
    assert_eq "vmNumber.0 still 1, vmTable row 1" "$vmNumber.0 = INTEGER: 1|1 test" \
        "$(sget $vmNumber.0)|$(name_rows)"
    assert_eq "each renumbering logged once" \
        "vm_mib: vmStorageIndex numbers of machine $TEST_UUID used up: its disks renumbered 1 to 1 in their previous order
vm_mib: vmNetworkIndex numbers of machine $TEST_UUID used up: its network interfaces renumbered 1 to 1 in their previous order" \
        "$(module_log)"
    t4=$(last_change)
    sleep 0.3
    assert_eq "nothing moves it afterwards" "$t4" "$(last_change)"
    stop_snmpd
    vmm_stop_pid "$holder"
    stop_libvirtd
}

t0=$(date +%s)
test_next_above_range
test_next_far_above
test_top_number_held
test_entry_out_of_range
test_many_bad_lines
if [ "$(id -u)" -eq 0 ]; then test_runtime_renumbering
else skip "6. renumbering at run time" "needs root: the private libvirtd runs as nobody (setpriv, chown)"; fi
echo "# indexes.sh took $(( $(date +%s) - t0 )) s"
vmm_summary
