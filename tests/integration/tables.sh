#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The VM-MIB tables against libvirt test-driver fixtures: every varbind of a
# bulk walk compared with what expect.py derives from the fixture XML; the
# GETNEXT order; missing instances; vmIndex stable across restarts (the
# persistent directory) and never reused (a private libvirtd and virsh).
. "$(dirname "$0")/lib.sh"

NO_INSTANCE="No Such Instance currently exists at this OID"
# exact output: numeric OIDs, every octet string in hex on one line
OUT_OPTS=(-On -Ox --hexOutputLength=0)
CLI_OPTS=(-v2c -c public -t "${SNMP_TIMEOUT:-5}" -r 1)

sbulk() { snmpbulkwalk "${CLI_OPTS[@]}" -Cr50 "${OUT_OPTS[@]}" "127.0.0.1:$SNMP_PORT" "$@"; }
snext() { snmpwalk "${CLI_OPTS[@]}" "${OUT_OPTS[@]}" "127.0.0.1:$SNMP_PORT" "$@"; }
oids() { awk '/^\./ { print $1 }' "$@"; }

# walk_and_check LABEL FIXTURE [EXPECT-ARGS...]: bulk walk of VM-MIB on the
# running snmpd (started at boot tick $T_START) compared with FIXTURE; the
# walk is left in $WORK/LABEL.bulk.
walk_and_check() {
    local label=$1 fixture=$2 t_walk t_end
    shift 2
    # vmUpTime counts from the first snapshot that saw a machine running:
    # take it a moment before the walk, so that running machines show > 0
    sget $vmNumber.0 > /dev/null
    sleep 0.1
    t_walk=$(boot_ticks)
    sbulk $vmMIB > "$WORK/$label.bulk" 2> "$WORK/$label.bulk.err"
    t_end=$(boot_ticks)
    if [ -s "$WORK/$label.bulk.err" ]; then
        fail "$label: snmpbulkwalk reports no error"; sed 's/^/  | /' "$WORK/$label.bulk.err"
    fi
    sbulk $hrStorageDescr > "$WORK/$label.hr" 2>&1
    expect check --fixture "$fixture" --walk "$WORK/$label.bulk" \
        --hrstorage "$WORK/$label.hr" --times "$T_START" "$t_walk" "$t_end" \
        --label "$label" "$@"
}

# fixture_snmpd NAME FIXTURE: snmpd serving FIXTURE with the persistent
# directory $WORK/NAME/persist (fresh on the first call with NAME).
# persistent_snmpd NAME URI [LINES]: the same with extra lines; started
# again with the same NAME it reuses NAME's persistent directory, as a
# restarted snmpd does (the module reads its own persistent lines, also
# under -C).
fixture_snmpd() {
    T_START=$(boot_ticks)
    start_snmpd "$1" "" "vmMibUri test://$2"
}
persistent_snmpd() {
    T_START=$(boot_ticks)
    start_snmpd "$1" "" "vmMibUri $2${3:+
$3}"
}

# 1. every fixture, every varbind
test_fixtures() {
    local label fixture
    for label in empty node full demo; do
        case $label in
            demo) fixture="$abs_top_srcdir/demo/node.xml" ;;
            *) fixture="$FIXTURES/$label.xml" ;;
        esac
        fixture_snmpd "$label" "$fixture" || { fail "$label: snmpd starts"; continue; }
        walk_and_check "$label" "$fixture"
        [ "$label" = full ] && test_order_and_edges
        stop_snmpd
    done
}

# 2. and 3. on full.xml's snmpd: GETNEXT order, missing instances, the
# GETNEXT step from each table's last OID to the next object.
test_order_and_edges() {
    local bulk="$WORK/full.bulk" out
    snext $vmMIB > "$WORK/full.next" 2> "$WORK/full.next.err"
    if grep -q . "$WORK/full.next.err"; then
        fail "snmpwalk (GETNEXT) of VM-MIB without errors"; sed 's/^/  | /' "$WORK/full.next.err"
    else ok "snmpwalk (GETNEXT) of VM-MIB: no error, no 'OID not increasing'"; fi
    if diff <(oids "$bulk") <(oids "$WORK/full.next") > "$WORK/full.diff"; then
        ok "GETNEXT walk and bulk walk give the same $(oids "$bulk" | wc -l) OIDs"
    else
        fail "GETNEXT walk and bulk walk give the same OIDs"
        head -20 "$WORK/full.diff" | sed 's/^/  /'
    fi
    assert_absent "GET vmName.999 is noSuchInstance" $vmNumber.0 \
        "$vmName.999 = $NO_INSTANCE" sget $vmName.999
    assert_absent "GET vmStorageParent.1.99 is noSuchInstance" $vmNumber.0 \
        "$vmStorageParent.1.99 = $NO_INSTANCE" sget $vmStorageParent.1.99
    assert_absent "GET vmCpuAffinity.1.1.5 is noSuchInstance" $vmNumber.0 \
        "$vmCpuAffinity.1.1.5 = $NO_INSTANCE" sget $vmCpuAffinity.1.1.5
    assert_absent "GET vmCpuCoreTime.1.3 (vCPU 3 of web01 is offline) is noSuchInstance" $vmNumber.0 \
        "$vmCpuCoreTime.1.3 = $NO_INSTANCE" sget $vmCpuCoreTime.1.3
    assert_absent "GET vmNetworkModel.6.1 (a machine without NICs) is noSuchInstance" $vmNumber.0 \
        "$vmNetworkModel.6.1 = $NO_INSTANCE" sget $vmNetworkModel.6.1
    # from the last OID of each group (hypervisor, scalars, each table) the
    # next GETNEXT lands on the OID the bulk walk has next
    local prev="" cur grp last_grp=""
    while read -r cur; do
        grp=$(echo "$cur" | cut -d. -f1-10)        # $vmObjects.N
        if [ -n "$prev" ] && [ "$grp" != "$last_grp" ]; then
            assert_eq "GETNEXT from $prev (end of ${last_grp#$vmMIB.}) is $cur" \
                "$cur" "$(sgetnext "$prev" | cut -d' ' -f1)"
        fi
        prev=$cur last_grp=$grp
    done < <(oids "$bulk")
    assert_eq "GETNEXT after vmTable's last OID is vmCpuTable's first" \
        "$(grep -m1 "^$vmCpuEntry\." "$bulk" | cut -d' ' -f1)" \
        "$(sgetnext "$(grep "^$vmEntry\." "$bulk" | tail -1 | cut -d' ' -f1)" | cut -d' ' -f1)"
    assert_match "GETNEXT after vmNetworkTable's last OID is vmPerVMNotificationsEnabled.0" \
        "^\\$vmPerVMNotificationsEnabled\\.0 = INTEGER: 1\$" \
        "$(sgetnext "$(grep "^$vmNetworkEntry\." "$bulk" | tail -1 | cut -d' ' -f1)")"
    assert_match "GETNEXT from a column's end crosses to the next column (vmName -> vmUUID.1)" \
        "^\\$vmUUID\\.1 = " "$(sgetnext $vmName.999)"
}

# 4. indexes survive a restart through the persistent directory
test_stable_indexes() {
    local fixture="$FIXTURES/full.xml" persist="$WORK/stable/persist/snmpd.conf" u missing=""
    local reduced="$WORK/full-reduced.xml"
    persistent_snmpd stable "test://$fixture" || { fail "stable: snmpd starts"; return; }
    sbulk $vmMIB > "$WORK/stable1.bulk" 2>&1
    "${EXPECT[@]}" indexes --walk "$WORK/stable1.bulk" > "$WORK/stable1.idx"
    stop_snmpd
    if grep -q '^vmMibIndex ' "$persist" 2>/dev/null; then
        ok "SIGTERM: snmpd wrote $(grep -c '^vmMibIndex ' "$persist") vmMibIndex lines into the persistent snmpd.conf"
    else fail "SIGTERM: no vmMibIndex line in $persist"; fi
    for u in $("${EXPECT[@]}" uuids "$fixture"); do
        grep -q "^vmMibIndex .*$u" "$persist" 2>/dev/null || missing="$missing $u"
    done
    assert_eq "every machine's UUID is in a vmMibIndex line" "" "$missing"

    persistent_snmpd stable "test://$fixture" || { fail "stable: snmpd restarts"; return; }
    walk_and_check stable2 "$fixture"
    "${EXPECT[@]}" indexes --walk "$WORK/stable2.bulk" > "$WORK/stable2.idx"
    if diff "$WORK/stable1.idx" "$WORK/stable2.idx" > "$WORK/stable.diff"; then
        ok "after a restart: the same $(grep -c '^vm ' "$WORK/stable1.idx") vmIndex, $(grep -c '^disk ' "$WORK/stable1.idx") storage and $(grep -c '^nic ' "$WORK/stable1.idx") network indexes"
    else fail "indexes changed across a restart"; sed 's/^/  /' "$WORK/stable.diff"; fi
    stop_snmpd

    # Without web01 (vmIndex 1) and db01's first disk, a fresh directory
    # would renumber; the kept one does not.
    "${EXPECT[@]}" reduce "$fixture" "$reduced" \
        --drop-domain 22222222-3333-4444-5555-666666666601 \
        --drop-disk 22222222-3333-4444-5555-666666666602:vda
    persistent_snmpd stable "test://$reduced" || { fail "stable: snmpd starts on the reduced fixture"; return; }
    walk_and_check stable-reduced "$reduced" --indexes-from "$fixture"
    stop_snmpd
}

# 5. vmIndex is never reused; an undefined machine gets its index back
define_vm() {       # define_vm NAME UUID
    cat > "$WORK/$1.xml" <<XML
<domain type="test">
  <name>$1</name>
  <uuid>$2</uuid>
  <memory unit="KiB">262144</memory>
  <vcpu>1</vcpu>
  <os><type arch="x86_64">hvm</type></os>
</domain>
XML
    virsh -q -c "$LIBVIRT_URI" define "$WORK/$1.xml" >/dev/null
}
undefine_vm() { virsh -q -c "$LIBVIRT_URI" undefine "$1" >/dev/null; }
vm_numbers() { echo "test=$(vm_index test) a=$(vm_index vm-a) b=$(vm_index vm-b) c=$(vm_index vm-c)"; }

test_no_reuse() {
    local ia ib ic id hi low high holder before after
    start_libvirtd || { fail "private libvirtd starts"; return; }
    # keeps the test driver's default instance (and its machines) alive
    # while snmpd restarts
    virsh -q -c "$LIBVIRT_URI" event --all --loop >/dev/null 2>&1 &
    holder=$!
    PIDS+=("$holder")
    persistent_snmpd reuse "$LIBVIRT_URI" "vmMibCacheTimeout 0" || { fail "reuse: snmpd starts"; return; }
    assert_eq "the default instance's machine 'test' is vmIndex 1" 1 "$(vm_index test)"
    define_vm vm-a aaaaaaaa-0000-4000-8000-00000000000a
    ia=$(vm_index vm-a)
    define_vm vm-b 0bbbbbbb-0000-4000-8000-00000000000b
    ib=$(vm_index vm-b)
    if [ -n "$ia" ] && [ -n "$ib" ] && [ "$ia" -gt 1 ] && [ "$ib" -gt "$ia" ]; then
        ok "machines defined later get new, increasing indexes (vm-a $ia, vm-b $ib)"
    else fail "new machines: vm-a '$ia', vm-b '$ib' (test 1)"; fi
    [ -n "$ia" ] && [ -n "$ib" ] || return
    if [ "$ia" -gt "$ib" ]; then high=vm-a hi=$ia; else high=vm-b hi=$ib; fi
    undefine_vm $high
    assert_absent "$high undefined: no vmName row with its index" $vmNumber.0 \
        "$vmName.$hi = $NO_INSTANCE" sget $vmName.$hi
    define_vm vm-c cccccccc-0000-4000-8000-00000000000c
    ic=$(vm_index vm-c)
    if [ -n "$ic" ] && [ "$ic" -gt "$hi" ]; then
        ok "a new machine after undefining vmIndex $hi gets $ic, not a used one"
    else fail "new machine vm-c got '$ic' after $high ($hi) was undefined"; fi
    if [ "$high" = vm-a ]; then define_vm vm-a aaaaaaaa-0000-4000-8000-00000000000a
    else define_vm vm-b 0bbbbbbb-0000-4000-8000-00000000000b; fi
    assert_eq "$high defined again (same UUID) gets its old index" "$hi" "$(vm_index $high)"

    before=$(vm_numbers)
    stop_snmpd
    persistent_snmpd reuse "$LIBVIRT_URI" "vmMibCacheTimeout 0" || { fail "reuse: snmpd restarts"; return; }
    assert_eq "after an snmpd restart the machines keep their indexes" "$before" "$(vm_numbers)"

    # the highest index in use goes away, snmpd restarts: still no reuse,
    # and the departed machine is still remembered
    undefine_vm vm-c
    assert_absent "vm-c undefined" $vmNumber.0 "" vm_index vm-c
    stop_snmpd
    persistent_snmpd reuse "$LIBVIRT_URI" "vmMibCacheTimeout 0" || { fail "reuse: snmpd restarts again"; return; }
    define_vm vm-d dddddddd-0000-4000-8000-00000000000d
    id=$(vm_index vm-d)
    if [ -n "$id" ] && [ "$id" -gt "$ic" ]; then
        ok "after a restart a new machine gets $id, above the undefined vm-c's $ic"
    else fail "after a restart new machine vm-d got '$id' (vm-c had $ic)"; fi
    define_vm vm-c cccccccc-0000-4000-8000-00000000000c
    assert_eq "vm-c defined again after the restart gets its old index" "$ic" "$(vm_index vm-c)"
    after=$(vm_numbers)
    assert_eq "the others kept theirs" "$before" "$after"
    stop_snmpd
    vmm_stop_pid "$holder"
    stop_libvirtd
}

t0=$(date +%s)
test_fixtures
test_stable_indexes
if [ "$(id -u)" -eq 0 ]; then test_no_reuse
else skip "5. vmIndex never reused" "needs root: the private libvirtd runs as nobody (setpriv, chown)"; fi
echo "# tables.sh took $(( $(date +%s) - t0 )) s"
vmm_summary
