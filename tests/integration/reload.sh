#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Reload and start-up.  snmpd's SIGHUP keeps the module's libvirt
# connection and its event registration while vmMibUri and vmMibWritable
# stay the same, so no notification is lost in a reload; a changed one
# reconnects and announces the net change.  Before the first picture of
# libvirt, VM-MIB never reads as an empty host.  Against a private libvirtd
# (test driver):
#   1 RELOAD_ROUNDS (15) reloads, each followed at once by a suspend and
#     0.5 s later by a resume, then as many with 0.02 s between the two
#     (inside the time a reconnection took, when a reload reconnected): one
#     vmPaused(prev running) and one vmRunning(prev paused) per round, in
#     order, nothing else; one connection all along (no reconnect line)
#   2 vmMibWritable changed: the reload reconnects, read-write
#   3 vmMibUri changed: the reload reconnects; a suspend right after it is
#     announced once (the net change), the resume by its event
#   4 libvirtd stopped when snmpd starts (no picture can come): other MIBs
#     answer at once, vmNumber.0 is noSuchInstance, a walk of VM-MIB ends
#     in genErr, never in "no machines"; whole once libvirtd thaws
#   5 a node of 5,000 machines, whose first picture takes seconds: a walk
#     before it ends in genErr; after it the walk is whole
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"

RELOAD_ROUNDS=${RELOAD_ROUNDS:-15}
# notifications and vmOperState values
N_RUNNING=1 N_PAUSED=4
S_RUNNING=4 S_PAUSED=8
NODE_NAMES="build01 db01 mail01 web01"
NO_INSTANCE="$vmNumber.0 = No Such Instance currently exists at this OID"
T0=$(date +%s)

log_count() { grep -c -- "$1" "$SNMPD_LOG"; }
elapsed_ms() { echo $(( (${EPOCHREALTIME/./} - ${1/./}) / 1000 )); }

# set_token TOKEN VALUE: change that line of the current snmpd.conf.
set_token() { sed -i "s|^$1 .*|$1 $2|" "$SNMPD_CONF"; }

RESTARTED='^NET-SNMP version .* restarted$'

# reload: SIGHUP, and wait until snmpd has read its configuration again.
reload() {
    local n
    n=$(log_count "$RESTARTED")
    kill -HUP "$SNMPD_PID"
    retry 50 test "$(log_count "$RESTARTED")" -gt "$n" || { echo "  no reload logged"; return 1; }
}

# A virsh session that stays connected (so that the test driver's default
# instance keeps its state) and runs what is written to fd 7.
virsh_session() {
    mkfifo "$WORK/virsh.fifo"
    virsh -q -c "$LIBVIRT_URI" < "$WORK/virsh.fifo" > "$WORK/virsh.out" 2>&1 &
    VIRSH_PID=$!
    PIDS+=("$VIRSH_PID")
    exec 7> "$WORK/virsh.fifo"
}
virsh_end() {
    exec 7>&-
    wait "$VIRSH_PID"
    assert_eq "the virsh session had no error" "" "$(grep -i error "$WORK/virsh.out")"
}

# walk_result OUT-FILE RC: "rows N, genErr" / "rows N, rc R": the vmName
# rows a walk listed, and how it ended.
walk_result() {
    local rows
    rows=$(grep -c "^\\$vmName\\.[0-9]* = " "$1")
    if grep -q 'Reason: (genError)' "$1" && [ "$2" -ne 0 ]; then echo "rows $rows, genErr"
    else echo "rows $rows, rc $2"; fi
}

# reload_rounds GAP INDEX UUID: RELOAD_ROUNDS times SIGHUP, at once a
# suspend, GAP s later a resume; each round waits for two notifications
# (3 s at most), then all must be the expected ones.
reload_rounds() {
    local gap=$1 it=$2 ut=$3 r want got seen0
    notifications_mark
    seen0=$NOTIF_SEEN
    for r in $(seq "$RELOAD_ROUNDS"); do
        kill -HUP "$SNMPD_PID"
        echo "suspend test" >&7
        sleep "$gap"
        echo "resume test" >&7
        wait_notifications 2 || echo "  round $r: not 2 notifications within 3 s"
        notifications_mark
    done
    sleep 0.5                      # nothing more arrives
    want=$(for r in $(seq "$RELOAD_ROUNDS"); do
        pervm_line $N_PAUSED "$it" test "$ut" $S_RUNNING
        pervm_line $N_RUNNING "$it" test "$ut" $S_PAUSED; done)
    got=$(vm_notifications | tail -n +$((seen0 + 1)))
    if [ "$want" = "$got" ]; then
        ok "1: $RELOAD_ROUNDS x (SIGHUP, suspend, $gap s, resume): as many vmPaused(prev running)" \
           "and vmRunning(prev paused), alternating, nothing else"
    else
        fail "1: $RELOAD_ROUNDS x (SIGHUP, suspend, $gap s, resume):" \
            "got $(printf '%s\n' "$got" | grep -c "^$vmNotifications\.$N_PAUSED |") vmPaused," \
            "$(printf '%s\n' "$got" | grep -c "^$vmNotifications\.$N_RUNNING |") vmRunning," \
            "$(printf '%s\n' "$got" | grep -c .) in all; first difference:"
        diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -6 | sed 's/^/  /'
    fi
    notifications_mark
}

# 1-3: one snmpd, its conf changed between reloads.
check_reloads() {
    local it ut
    start_snmptrapd_lines reload || { fail "1: snmptrapd starts"; return; }
    start_snmpd reload "" "vmMibUri $LIBVIRT_URI
vmMibWritable no
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "1: snmpd starts"; return; }
    it=$(vm_index test)
    ut=$(virsh -q -c "$LIBVIRT_URI" domuuid test | xargs)
    [ -n "$it" ] || { fail "1: no vmIndex for test"; stop_snmpd; return; }
    trap '' PIPE                   # should virsh die, fail, do not get killed
    virsh_session
    reload_rounds 0.5 "$it" "$ut"
    reload_rounds 0.02 "$it" "$ut"
    assert_eq "1: every reload was made" $((2 * RELOAD_ROUNDS)) "$(log_count "$RESTARTED")"
    assert_eq "1: one connection all along: one 'connected' line, no reconnect" "1 0 0" \
        "$(log_count 'vm_mib: connected to libvirt') $(log_count 'vm_mib: reconnecting') $(log_count 'vm_mib: lost')"

    set_token vmMibWritable yes
    reload
    wait_log 'vm_mib: connected to libvirt at .* \(read-write\)' ||
        fail "2: no read-write connection after the reload"
    assert_log "2: vmMibWritable changed: the reload reconnects, read-write" \
        "^vm_mib: reconnecting: test\\+unix:///default\\?socket=.* \\(read-write\\) instead of .* \\(read-only\\)$"
    wait_for "2: the tables are whole again" "$vmName.$it = STRING: \"test\"" 30 sget $vmName.$it

    # The same instance under another URI (a parameter the remote driver
    # takes and that changes nothing here).
    sed -i "s|^vmMibUri .*|&\\&no_verify=1|" "$SNMPD_CONF"
    NOTIF_T0=$EPOCHREALTIME
    kill -HUP "$SNMPD_PID"
    echo "suspend test" >&7
    NOTIF_WAIT=50 expect_notifications "3: vmMibUri changed, suspended in the gap: one vmPaused(prev running)" \
        "$(pervm_line $N_PAUSED "$it" test "$ut" $S_RUNNING)"
    assert_log "3: the reload reconnects to the new URI" \
        "^vm_mib: connected to libvirt at test\\+unix:///default\\?socket=.*&no_verify=1 \\(read-write\\)$"
    NOTIF_T0=$EPOCHREALTIME
    echo "resume test" >&7
    expect_notifications "3: then a resume: vmRunning(prev paused)" \
        "$(pervm_line $N_RUNNING "$it" test "$ut" $S_PAUSED)"
    virsh_end
    trap - PIPE
    if snmpd_alive; then ok "1-3: snmpd alive"; else fail "1-3: snmpd died"; fi
    stop_snmpd
    vmm_stop_pid "$TRAPD_PID"
}

# 4. libvirtd stopped while snmpd starts: the first picture cannot come.
check_no_picture() {
    local t0 out rc took
    kill -STOP "$LIBVIRTD_PID"
    start_snmpd_now nopicture "" "vmMibUri $NODE_URI" ||
        { kill -CONT "$LIBVIRTD_PID"; fail "4: snmpd starts"; return; }
    t0=$EPOCHREALTIME
    out=$(sget $sysUpTime.0)
    took=$(elapsed_ms "$t0")
    assert_match "4: sysUpTime.0 answers (in $took ms)" "^$sysUpTime.0 = Timeticks: " "$out"
    assert_eq "4: vmNumber.0 is noSuchInstance" "$NO_INSTANCE" "$(sget $vmNumber.0)"
    snmpwalk -v2c -On -t 3 -r 0 -c public "127.0.0.1:$SNMP_PORT" $vmMIB > "$WORK/nopic.walk" 2>&1
    rc=$?
    assert_eq "4: a walk (GETNEXT) of VM-MIB: no row, genErr" "rows 0, genErr" \
        "$(walk_result "$WORK/nopic.walk" $rc)"
    snmpbulkwalk -v2c -On -t 3 -r 0 -c public "127.0.0.1:$SNMP_PORT" $vmMIB > "$WORK/nopic.bulk" 2>&1
    rc=$?
    assert_eq "4: a walk (GETBULK) of VM-MIB: no row, genErr" "rows 0, genErr" \
        "$(walk_result "$WORK/nopic.bulk" $rc)"
    kill -CONT "$LIBVIRTD_PID"
    wait_for "4: after the thaw the walk lists every machine" "$NODE_NAMES" 50 vm_names
    if snmpd_alive; then ok "4: snmpd alive"; else fail "4: snmpd died"; fi
    stop_snmpd
}

# vm_names: the vmName column, sorted, on one line.
vm_names() {
    swalk $vmName | sed -n 's/^[.0-9]* = STRING: "\(.*\)"$/\1/p' | sort | paste -sd' '
}

# 5. A first picture that takes seconds (5,000 machines): a walk made
# before it ends in genErr.
check_slow_picture() {
    local node uri rc got before
    python3 "$abs_top_srcdir/bench/gen-node.py" 5000 "$WORK/node5000.xml" >/dev/null ||
        { fail "5: gen-node.py"; return; }
    node=$(libvirtd_file "$WORK/node5000.xml") || { fail "5: node file for libvirtd"; return; }
    uri="test+unix://$node?socket=$LIBVIRT_SOCK"
    SNMPD_ARGS="-Dvm_mib:cache" start_snmpd_now slowpicture "" "vmMibUri $uri" ||
        { fail "5: snmpd starts"; return; }
    snmpbulkwalk -v2c -On -t 3 -r 0 -c public "127.0.0.1:$SNMP_PORT" $vmTable > "$WORK/slow.walk" 2>&1
    rc=$?
    before=$(log_count 'vm_mib:cache: snapshot')
    got=$(walk_result "$WORK/slow.walk" $rc)
    if [ "$before" -eq 0 ]; then
        assert_eq "5: a walk of vmTable before the first picture: no row, genErr" "rows 0, genErr" "$got"
    else
        skip "5: a walk before the first picture" "the picture came first ($got)"
    fi
    wait_log 'vm_mib:cache: snapshot: .* 5000 machines' 300 || fail "5: no first picture"
    assert_eq "5: then vmNumber.0 is 5000" "$vmNumber.0 = INTEGER: 5000" "$(sget $vmNumber.0)"
    if snmpd_alive; then ok "5: snmpd alive"; else fail "5: snmpd died"; fi
    stop_snmpd
}

start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
node=$(libvirtd_file "$FIXTURES/node.xml") || { fail "node file for libvirtd"; vmm_summary; exit; }
NODE_URI="test+unix://$node?socket=$LIBVIRT_SOCK"

run_checks ${RELOAD_CHECKS:-check_reloads check_no_picture check_slow_picture}
stop_libvirtd
echo "# runtime $(( $(date +%s) - T0 )) s"
vmm_summary
