#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Foundation: the module loads into a real snmpd, serves the hypervisor
# group, handles its tokens, survives SIGHUPs and an unreachable libvirt,
# refuses a second dlmod line.
. "$(dirname "$0")/lib.sh"

NODE="test://$FIXTURES/node.xml"
# The settings in force, as the module traces them (-Dvm_mib:config).
export SNMPD_ARGS="${SNMPD_ARGS:-} -Dvm_mib:config"
cache_timeout() { grep -Eo 'vm_mib:config: uri [^ ]+, cache -?[0-9]+ s' "$SNMPD_LOG" | tail -1 | grep -Eo -- '-?[0-9]+ s$'; }

ticks() { sed -n 's/.*Timeticks: (\([0-9]*\)).*/\1/p'; }

test_hypervisor_group() {
    local start
    start=$(boot_ticks)
    start_snmpd hv "" "vmMibUri $NODE" || { fail "snmpd starts"; return; }
    assert_eq "vmHvSoftware is libvirt's type" \
        "$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmHvSoftware.0)"
    assert_eq "vmHvVersion is major.minor.release" \
        "$vmHvVersion.0 = STRING: \"0.0.2\"" "$(sget $vmHvVersion.0)"
    assert_eq "vmHvObjectID is zeroDotZero" "$vmHvObjectID.0 = OID: .0.0" "$(sget $vmHvObjectID.0)"
    local before up after
    before=$(boot_ticks); up=$(sget $vmHvUpTime.0 | ticks); after=$(boot_ticks)
    if ticks_between $((before - 1)) "$up" $((after + 1)); then
        ok "vmHvUpTime is the host uptime, modulo 2^32 ($up)"
    else fail "vmHvUpTime $up not within host uptime $before..$after"; fi
    assert_eq "vmNumber counts all four fixture machines" \
        "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    local change
    change=$(sget $vmTableLastChange.0 | ticks)
    if ticks_between $((start - 1)) "$change" "$up"; then
        ok "vmTableLastChange is the uptime at module start ($change)"
    else fail "vmTableLastChange $change (uptime $up)"; fi
    assert_eq "walk of vmHypervisor gives exactly its four objects" \
        "$vmHvSoftware.0 $vmHvVersion.0 $vmHvObjectID.0 $vmHvUpTime.0" "$(swalk $vmHypervisor | awk '{ print $1 }' | xargs)"
    assert_match "GETNEXT after vmHvUpTime is vmNumber" \
        "^$vmNumber.0 = INTEGER: 4\$" "$(sgetnext $vmHvUpTime.0)"
    assert_match "GETNEXT after vmTableLastChange is vmTable's first vmName" \
        "^$vmName.1 = STRING: \"web01\"\$" "$(sgetnext $vmTableLastChange.0)"
    assert_match "GETNEXT after vmNetworkTable is vmPerVMNotificationsEnabled" \
        "^$vmPerVMNotificationsEnabled.0 = INTEGER: 1\$" "$(sgetnext $vmNetworkTable.99)"
    assert_eq "vmHvSoftware.1 does not exist" \
        "$vmHvSoftware.1 = No Such Instance currently exists at this OID" "$(sget $vmHvSoftware.1)"
    assert_match "vmNumber is read-only" "Reason: notWritable" "$(sset $vmNumber.0 i 7)"
    assert_eq "cache timeout defaults to 5 s" "5 s" "$(cache_timeout)"
    assert_match "the module is listed in sysORTable" \
        'STRING: "The VM-MIB \(RFC 7666\)' "$(swalk .1.3.6.1.2.1.1.9.1.3)"
    assert_log "the connection is logged with its URI" \
        "vm_mib: connected to libvirt at test://.*node.xml \(read-only\)"
    stop_snmpd
}

# set_enable NAME OID: every SET outcome of one TruthValue switch.
check_switch() {
    local name=$1 oid=$2 start=$3
    assert_eq "$name starts at its token value" "$oid = INTEGER: $start" "$(sget $oid)"
    assert_eq "$name SET false(2)" "$oid = INTEGER: 2" "$(sset $oid i 2)"
    assert_eq "$name reads false(2)" "$oid = INTEGER: 2" "$(sget $oid)"
    assert_eq "$name SET true(1)" "$oid = INTEGER: 1" "$(sset $oid i 1)"
    assert_eq "$name reads true(1)" "$oid = INTEGER: 1" "$(sget $oid)"
    assert_match "$name SET STRING is wrongType" "Reason: wrongType" "$(sset $oid s true)"
    assert_match "$name SET Gauge32 is wrongType" "Reason: wrongType" "$(sset $oid u 1)"
    assert_match "$name SET 3 is wrongValue" "Reason: wrongValue" "$(sset $oid i 3)"
    assert_match "$name SET 0 is wrongValue" "Reason: wrongValue" "$(sset $oid i 0)"
    assert_eq "$name unchanged by failed SETs" "$oid = INTEGER: 1" "$(sget $oid)"
    assert_match "$name SET with the read-only community is refused" \
        "noAccess|authorizationError|notWritable" \
        "$(snmpset "${SNMP_OPTS[@]}" -c public 127.0.0.1:$SNMP_PORT $oid i 2 2>&1)"
}

test_notification_switches() {
    start_snmpd switches "" "vmMibUri $NODE
vmMibWritable yes
vmMibPerVmNotifications no
vmMibBulkNotifications yes" || { fail "snmpd starts"; return; }
    assert_log "vmMibWritable yes opens libvirt read-write" \
        "vm_mib: connected to libvirt at test://.*node.xml \(read-write\)"
    check_switch vmPerVMNotificationsEnabled $vmPerVMNotificationsEnabled.0 2
    check_switch vmBulkNotificationsEnabled $vmBulkNotificationsEnabled.0 1
    assert_match "a failing varbind undoes the other in the same PDU" \
        "Reason: wrongValue" "$(sset $vmPerVMNotificationsEnabled.0 i 2 $vmBulkNotificationsEnabled.0 i 5)"
    assert_eq "vmPerVMNotificationsEnabled restored by UNDO" "$vmPerVMNotificationsEnabled.0 = INTEGER: 1" "$(sget $vmPerVMNotificationsEnabled.0)"
    sset $vmPerVMNotificationsEnabled.0 i 2 >/dev/null
    hup
    assert_eq "SET values do not persist across a reload" "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sget $vmPerVMNotificationsEnabled.0)"
    sset $vmPerVMNotificationsEnabled.0 i 1 >/dev/null
    hup
    assert_eq "after a reload the token value is back" "$vmPerVMNotificationsEnabled.0 = INTEGER: 2" "$(sget $vmPerVMNotificationsEnabled.0)"
    stop_snmpd
}

# hup_growth PID: RSS growth in kB over 20 SIGHUPs, after 40 to warm up
# (measured: the module's RSS settles after about 40 reloads, while glibc
# sets up for the threads that open and close each connection).  RSS moves
# in steps of whole heap extensions, so the smaller of two windows of 20 is
# taken: a leak shows in both.
hup_growth() {
    local pid=$1 i rss0 rss1 rss2
    for i in $(seq 80); do
        [ "$i" -eq 41 ] && rss0=$(rss_kb "$pid")
        [ "$i" -eq 61 ] && rss1=$(rss_kb "$pid")
        kill -HUP "$pid"; sleep 0.1; sget $vmHvSoftware.0 >/dev/null
    done
    rss2=$(rss_kb "$pid")
    if [ $((rss1 - rss0)) -lt $((rss2 - rss1)) ]; then echo $((rss1 - rss0))
    else echo $((rss2 - rss1)); fi
}

# snmpd 5.9.3 itself grows a little on every reload; the module must not
# add to that, so a plain snmpd reloaded alongside is the baseline.
test_sighup() {
    local growth base
    DLMOD= start_snmpd plain "" "" || { fail "plain snmpd starts"; return; }
    local plain_pid=$SNMPD_PID plain_port=$SNMP_PORT
    start_snmpd hup "" "vmMibUri $NODE
vmMibCacheTimeout 0" || { fail "snmpd starts"; return; }
    growth=$(hup_growth "$SNMPD_PID")
    base=$(SNMP_PORT=$plain_port hup_growth "$plain_pid")
    if snmpd_alive; then ok "snmpd alive after 80 SIGHUPs"; else fail "snmpd died on SIGHUP"; fi
    assert_eq "module still answers after 80 SIGHUPs" \
        "$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmHvSoftware.0)"
    if [ -n "${SNMPD_WRAPPER:-}" ]; then
        echo "  (RSS not compared under $SNMPD_WRAPPER: +$growth kB, plain +$base kB)"
    elif [ "$growth" -le $((base + 32)) ]; then
        ok "20 SIGHUPs: RSS +$growth kB, plain snmpd +$base kB"
    else fail "20 SIGHUPs: RSS +$growth kB, plain snmpd only +$base kB"; fi
    assert_eq "cache timeout 0 (a fresh read per request) kept over reloads" "0 s" "$(cache_timeout)"
    stop_snmpd
    vmm_stop_pid "$plain_pid"
}

test_bad_tokens() {
    start_snmpd badtoken "" "vmMibUri $NODE
vmMibCacheTimeout forever
vmMibWritable perhaps
vmMibBulkWindow 999999
vmMibUri not a uri" || { fail "snmpd starts"; return; }
    assert_log "bad vmMibCacheTimeout logged with file and line" \
        "snmpd.conf: line 6: Error: vmMibCacheTimeout \"forever\": expected a non-negative whole number; keeping the previous value"
    assert_log "bad vmMibWritable logged with file and line" \
        "snmpd.conf: line 7: Error: vmMibWritable \"perhaps\": expected yes or no"
    assert_log "bad vmMibBulkWindow logged with its range" \
        "snmpd.conf: line 8: Error: vmMibBulkWindow \"999999\": value out of range 0..60000"
    assert_log "bad vmMibUri logged" "snmpd.conf: line 9: Error: vmMibUri \"not a uri\""
    assert_eq "default cache timeout kept" "5 s" "$(cache_timeout)"
    assert_eq "earlier good vmMibUri kept" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    if snmpd_alive; then ok "snmpd keeps running after bad tokens"; else fail "snmpd died"; fi
    stop_snmpd
}

test_token_before_dlmod() {
    start_snmpd early "vmMibCacheTimeout 30" "vmMibUri $NODE" || { fail "snmpd starts"; return; }
    assert_log "a token before the dlmod line gets snmpd's warning" \
        "snmpd.conf: line 3: Warning: Unknown token: vmMibCacheTimeout"
    assert_eq "the early token is ignored" "5 s" "$(cache_timeout)"
    assert_eq "the module still serves" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    stop_snmpd
}

# The log lines a second load of the module must not cause.
no_second_registration() {
    assert_eq "$1: no duplicate registration, registration or initialisation failure" "" \
        "$(grep -E 'duplicate registration: MIB modules vm|vm_mib: cannot register|vm_mib: initialisation failed' "$SNMPD_LOG")"
}

# hup: SIGHUP, and wait until snmpd has read its configuration again (and
# the module loaded again with it): snmpd says so once it is done.
hup() {
    local n
    n=$(grep -c '^NET-SNMP version .* restarted$' "$SNMPD_LOG")
    kill -HUP "$SNMPD_PID"
    retry 50 eval '[ "$(grep -c "^NET-SNMP version .* restarted\$" "$SNMPD_LOG")" -gt '"$n"' ]' ||
        fail "snmpd reloads on SIGHUP"
}

# reload: hup, and a request answered once the configuration is read (the
# module keeps its connection: no new "connected" line to wait for).
reload() {
    hup
    sget $sysUpTime.0 >/dev/null
}

# index_lines: the vmMibIndex lines snmpd stored, sorted, with repeats.
index_lines() { grep '^vmMibIndex ' "$SNMPD_PERSIST" | sort; }

# A second dlmod line is refused with one line; the tokens after it reach
# the instance that serves, and nothing is stored twice.
test_second_dlmod() {
    local refusal="snmpd.conf: line 5: Error: vm_mib: already loaded from $VMM_SO; ignoring this dlmod line"
    local dlmod=.1.3.6.1.4.1.2021.13.14.2.1
    start_snmpd twice "" "dlmod vm_mib $VMM_SO
vmMibUri $NODE" || { fail "snmpd starts"; return; }
    SNMPD_PERSIST=$WORK/twice/persist/snmpd.conf
    assert_eq "the same path twice: one refusal line naming the file and line" 1 \
        "$(grep -cF "$refusal" "$SNMPD_LOG")"
    assert_eq "the same path twice: no other vm_mib error" "" \
        "$(grep -F 'vm_mib: ' "$SNMPD_LOG" | grep -vF -e "$refusal" -e 'vm_mib: connected to libvirt')"
    no_second_registration "the same path twice"
    assert_eq "the same path twice: the URI after the second line serves" \
        "$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmHvSoftware.0)"
    assert_eq "the same path twice: all four machines" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    reload
    assert_eq "the same path twice: refused again after a reload, once" 2 \
        "$(grep -cF "$refusal" "$SNMPD_LOG")"
    no_second_registration "the same path twice, reloaded"
    assert_eq "the same path twice: served after a reload" \
        "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    stop_snmpd
    assert_eq "the same path twice: each index line stored once" \
        "vmMibIndex next-vm 5
vmMibIndex vm 11111111-2222-3333-4444-555555555501 1
vmMibIndex vm 11111111-2222-3333-4444-555555555502 2
vmMibIndex vm 11111111-2222-3333-4444-555555555503 3
vmMibIndex vm 11111111-2222-3333-4444-555555555504 4" "$(index_lines)"

    cp "$VMM_SO" "$WORK/copy.so"
    start_snmpd copy "" "dlmod vm_mib $WORK/copy.so
vmMibUri test:///default" || { fail "snmpd starts"; return; }
    SNMPD_PERSIST=$WORK/copy/persist/snmpd.conf
    assert_eq "a copy of the .so: one refusal line naming the serving file" 1 \
        "$(grep -cF "$refusal" "$SNMPD_LOG")"
    no_second_registration "a copy of the .so"
    assert_eq "a copy of the .so: the URI after its line reaches the serving instance" \
        "$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmHvSoftware.0)"
    assert_log "a copy of the .so: the serving instance connected to that URI" \
        '^vm_mib: connected to libvirt at test:///default \(read-only\)$'
    # UCD-DLMOD-MIB: a third load, through SNMP, and its unload.
    sset $dlmod.5.3 i 6 >/dev/null; sset $dlmod.2.3 s vm_mib >/dev/null
    sset $dlmod.3.3 s "$WORK/copy.so" >/dev/null
    assert_eq "a load through dlmodStatus is accepted by snmpd" "$dlmod.5.3 = INTEGER: 4" "$(sset $dlmod.5.3 i 4)"
    assert_eq "a load through dlmodStatus: one line naming the serving file" 1 \
        "$(grep -cxF "vm_mib: already loaded from $VMM_SO; ignoring the load through UCD-DLMOD-MIB" "$SNMPD_LOG")"
    assert_eq "the refused load unloaded through dlmodStatus" "$dlmod.5.3 = INTEGER: 5" "$(sset $dlmod.5.3 i 5)"
    assert_eq "the refused copy's unload leaves the serving instance alone" \
        "$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmHvSoftware.0)"
    reload
    assert_eq "a copy of the .so: refused again after a reload, once" 2 \
        "$(grep -cF "$refusal" "$SNMPD_LOG")"
    no_second_registration "a copy of the .so, reloaded"
    assert_eq "a copy of the .so: served from the URI after its line after a reload" \
        "$vmHvSoftware.0 = STRING: \"TEST\"" "$(sget $vmHvSoftware.0)"
    stop_snmpd
    assert_eq "a copy of the .so: each index line stored once" \
        "vmMibIndex disk 6695eb01-f6a4-8304-79aa-97f2502e193f vda 1
vmMibIndex next-disk 6695eb01-f6a4-8304-79aa-97f2502e193f 2
vmMibIndex next-nic 6695eb01-f6a4-8304-79aa-97f2502e193f 2
vmMibIndex next-vm 2
vmMibIndex nic 6695eb01-f6a4-8304-79aa-97f2502e193f aa:bb:cc:dd:ee:ff 1
vmMibIndex vm 6695eb01-f6a4-8304-79aa-97f2502e193f 1" "$(index_lines)"
}

test_unreachable_libvirt() {
    local uri="test+unix:///default?socket=$WORK/nowhere/libvirt-sock" t0 t1 out
    start_snmpd unreachable "" "vmMibUri $uri" || { fail "snmpd starts"; return; }
    t0=$(date +%s%N)
    out=$(sget .1.3.6.1.2.1.1.1.0 $vmHvSoftware.0 $vmHvVersion.0 $vmNumber.0 $vmHvUpTime.0)
    t1=$(date +%s%N)
    assert_match "sysDescr.0 answers" '^\.1\.3\.6\.1\.2\.1\.1\.1\.0 = STRING: ' "$out"
    assert_match "vmHvSoftware is noSuchInstance" \
        "^$vmHvSoftware.0 = No Such Instance currently exists at this OID" "$out"
    assert_match "vmHvVersion is noSuchInstance" \
        "^$vmHvVersion.0 = No Such Instance currently exists at this OID" "$out"
    assert_match "vmNumber is noSuchInstance" \
        "^$vmNumber.0 = No Such Instance currently exists at this OID" "$out"
    assert_match "vmHvUpTime still answers" "^$vmHvUpTime.0 = Timeticks: " "$out"
    if [ $(( (t1 - t0) / 1000000 )) -lt 1000 ]; then
        ok "request answered in $(( (t1 - t0) / 1000000 )) ms"
    else fail "request took $(( (t1 - t0) / 1000000 )) ms"; fi
    assert_log "the log names the URI" "vm_mib: cannot connect to libvirt at test\+unix:///default\?socket=$WORK/nowhere/libvirt-sock: "
    sleep 3.5     # retries after 1 and 2 s
    assert_eq "one log line per outage, not one per retry" 1 \
        "$(grep -c 'vm_mib: cannot connect' "$SNMPD_LOG")"
    # never libvirt's picture yet: the tables cannot be read, which is not
    # the same as empty (tests/integration/reload.sh)
    assert_unknown_walk
    stop_snmpd
}

# The module file replaced under a running snmpd (a package upgrade renames
# a new file into place): a reload keeps running the loaded module (-z
# nodelete) and says so once; a removed file is said once too.
test_replaced_module() {
    local copy="$WORK/replaced/vm_mib.so" replaced removed
    mkdir -p "$WORK/replaced" && cp "$VMM_SO" "$copy"
    VMM_SO=$copy start_snmpd replaced "" "vmMibUri $NODE" || { fail "snmpd starts"; return; }
    replaced="vm_mib: $copy was replaced since snmpd loaded it; a reload keeps running the loaded module: restart snmpd to run the new one"
    removed="vm_mib: $copy was removed since snmpd loaded it; a reload keeps running the loaded module: restart snmpd to unload it"
    kill -HUP "$SNMPD_PID"
    assert_eq "a reload with the file unchanged says nothing" "$vmNumber.0 = INTEGER: 4|0" \
        "$(sget $vmNumber.0)|$(grep -c 'vm_mib: .* since snmpd loaded it' "$SNMPD_LOG")"
    cp "$VMM_SO" "$copy.new" && mv -f "$copy.new" "$copy"
    kill -HUP "$SNMPD_PID"
    if wait_log "^$replaced\$"; then ok "replaced, then a reload: one warning"; else
        fail "replaced, then a reload: one warning"; tail -5 "$SNMPD_LOG"; fi
    kill -HUP "$SNMPD_PID"
    assert_eq "the module serves on; the next reload says nothing more" "$vmNumber.0 = INTEGER: 4|1" \
        "$(sget $vmNumber.0)|$(grep -cxF "$replaced" "$SNMPD_LOG")"
    rm -f "$copy"
    kill -HUP "$SNMPD_PID"
    if wait_log "^$removed\$"; then ok "removed, then a reload: one warning"; else
        fail "removed, then a reload: one warning"; tail -5 "$SNMPD_LOG"; fi
    assert_eq "and the module serves on" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    stop_snmpd
}

test_hypervisor_group
test_notification_switches
test_sighup
test_bad_tokens
test_token_before_dlmod
test_second_dlmod
test_unreachable_libvirt
test_replaced_module
vmm_summary
