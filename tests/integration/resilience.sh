#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Resilience: snmpd's thread never waits for libvirt.  A VM-MIB request may
# be parked for at most vmMibRefreshWait ms waiting for a fresh snapshot and
# is then answered from the newest one; after the connection is lost the
# last snapshot is served for vmMibStaleGrace s.  Against a private libvirtd
# (test driver) that is frozen (SIGSTOP), killed and restarted:
#   1 frozen libvirtd: other MIBs answer at once, VM-MIB from the last
#     snapshot within vmMibRefreshWait; whole again after the thaw
#   2 a request that finds a stale snapshot is answered from a newer read
#   3 start-up while libvirtd is slow: the first walk waits, never short
#   4 SIGHUP (20 reloads) under walking: no short walk
#   5 libvirtd restarted within vmMibStaleGrace: tables stay whole
#   6 libvirtd gone longer than vmMibStaleGrace: walks end in genErr, then whole
#   7 SET while libvirtd is frozen: resourceUnavailable in time, no late
#     action after the thaw
#   8 event storm under walking: every notification, in order; full
#     snapshots bounded by vmMibCacheTimeout
#   9 SIGHUP right before a lifecycle event: the event is not lost
# Checks that only read use a node file URI (tests/fixtures/node.xml): each
# connection gets its own copy of the same four machines, also after
# libvirtd restarts.  Checks that change machines with virsh use the shared
# default instance ($LIBVIRT_URI), which libvirtd resets when it restarts
# or its last client leaves, so snmpd stays connected while virsh acts.
# RESIL_CHECKS="check_storm ..." runs only some checks (for debugging).
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"

NO_INSTANCE="$vmNumber.0 = No Such Instance currently exists at this OID"
# notifications and vmOperState values
N_RUNNING=1 N_PAUSED=4
S_RUNNING=4 S_PAUSED=8
# tests/fixtures/node.xml: four machines
NODE_NAMES="build01 db01 mail01 web01"

T0=$(date +%s)

# ------------------------------------------------------------------ helpers

# probe OID INTERVAL-MS DURATION-MS TIMEOUT-MS: raw-UDP SNMPv2c GETs of OID
# to the current snmpd, one every INTERVAL ms (at least one) for DURATION
# ms, each waiting up to TIMEOUT ms; prints one line per request:
# "<latency ms> <value>" or "timeout".  No fork per request, so the
# latency is snmpd's, not the client's.
cat > "$WORK/probe.py" <<'PY'
import socket, sys, time
port, comm, oid = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
interval, duration, timeout = (int(a) / 1000.0 for a in sys.argv[4:7])

def blen(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b

def tlv(t, v): return bytes([t]) + blen(len(v)) + v
def bint(n): return tlv(2, n.to_bytes(n.bit_length() // 8 + 1, 'big', signed=True))

def boid(s):
    p = [int(x) for x in s.strip('.').split('.')]
    out = bytes([40 * p[0] + p[1]])
    for x in p[2:]:
        b = [x & 0x7f]
        x >>= 7
        while x:
            b.insert(0, 0x80 | (x & 0x7f)); x >>= 7
        out += bytes(b)
    return tlv(6, out)

def dec(b, i):
    t, l, i = b[i], b[i + 1], i + 2
    if l & 0x80:
        n = l & 0x7f; l = int.from_bytes(b[i:i + n], 'big'); i += n
    return t, b[i:i + l], i + l

def value(resp, want):
    _, body, _ = dec(resp, 0)
    _, _, j = dec(body, 0); _, _, j = dec(body, j)
    _, pdu, _ = dec(body, j)
    _, rid, k = dec(pdu, 0)
    if int.from_bytes(rid, 'big', signed=True) != want:
        return None
    _, err, k = dec(pdu, k); _, _, k = dec(pdu, k)
    if int.from_bytes(err, 'big'):
        return 'error-status:%d' % int.from_bytes(err, 'big')
    _, vbl, _ = dec(pdu, k); _, vb, _ = dec(vbl, 0)
    _, _, m = dec(vb, 0); t, v, _ = dec(vb, m)
    names = {2: 'INTEGER', 0x41: 'Counter32', 0x42: 'Gauge32', 0x43: 'Timeticks'}
    if t in names:
        return '%s:%d' % (names[t], int.from_bytes(v, 'big', signed=(t == 2)))
    return {0x80: 'noSuchObject', 0x81: 'noSuchInstance', 0x82: 'endOfMibView'}.get(t, 'tag%#x' % t)

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
start, rid = time.monotonic(), 1000
while rid == 1000 or time.monotonic() - start < duration:
    rid += 1
    t0 = time.monotonic()
    s.sendto(tlv(0x30, bint(1) + tlv(4, comm) + tlv(0xa0, bint(rid) + bint(0) + bint(0) +
             tlv(0x30, tlv(0x30, boid(oid) + b'\x05\x00')))), ('127.0.0.1', port))
    got = None
    while got is None:
        left = t0 + timeout - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            got = value(s.recv(65535), rid)
        except socket.timeout:
            break
    print('timeout' if got is None else '%d %s' % ((time.monotonic() - t0) * 1000, got), flush=True)
    time.sleep(max(0, t0 + interval - time.monotonic()))
PY
probe() { python3 "$WORK/probe.py" "$SNMP_PORT" public "$@"; }

# probe_summary FILE: "N requests, N timeouts, max N ms, values V,V"
probe_summary() {
    awk '$1 == "timeout" { to++; n++; next }
         { n++; if ($1 > max) max = $1; sub(/^Timeticks:.*/, "Timeticks", $2); v[$2] = 1 }
         END { vs = ""; for (k in v) vs = vs (vs ? "," : "") k
               printf "%d requests, %d timeouts, max %d ms, values %s\n", n, to, max, vs }' "$1"
}

# vm_names: the vmName column, sorted, on one line ("" for an empty
# table, "timeout" when snmpd did not answer, "genErr" for a walk that
# ends in it).
vm_names() {
    local out
    out=$(swalk $vmName)
    case $out in *Timeout*) echo timeout; return ;; *'Reason: (genError)'*) echo genErr; return ;; esac
    printf '%s\n' "$out" | sed -n 's/^[.0-9]* = STRING: "\(.*\)"$/\1/p' | sort | paste -sd' '
}

# vm_table_static: the vmTable walk without vmUpTime (16) and vmCpuTime
# (17), which move with the clock.
vm_table_static() { swalk $vmEntry | grep -Ev "^\\$vmEntry\\.(16|17)\\."; }

# walker_start OID TIMEOUT-S: walk OID again and again in the background
# (snmpbulkwalk, one try; at most 3000 walks), each walk's output in a file
# of its own under $WALK_DIR.  walker_stop ends it.
WALKERS=0
walker_start() {
    WALKERS=$((WALKERS + 1))
    WALK_DIR="$WORK/walks.$WALKERS"
    mkdir -p "$WALK_DIR"
    (
        for n in $(seq 3000); do
            [ -e "$WALK_DIR/stop" ] && break
            snmpbulkwalk -v2c -On -t "$2" -r 0 -c public "127.0.0.1:$SNMP_PORT" "$1" \
                > "$WALK_DIR/walk.$n" 2>&1
            sleep 0.02
        done
    ) &
    WALKER_PID=$!
    PIDS+=("$WALKER_PID")
}
walker_stop() { touch "$WALK_DIR/stop"; wait "$WALKER_PID"; }

# walks_whole NAME ROWS: every walk of vmName listed ROWS machines (none is
# empty, short or timed out), and there were at least 5 walks.
walks_whole() {
    local f bad=0 total=0 first=""
    for f in "$WALK_DIR"/walk.*; do
        [ -e "$f" ] || continue
        total=$((total + 1))
        if [ "$(grep -c "^\\$vmName\\.[0-9]* = STRING: " "$f")" != "$2" ]; then
            bad=$((bad + 1)); [ -n "$first" ] || first=$f
        fi
    done
    if [ "$total" -ge 5 ] && [ "$bad" -eq 0 ]; then ok "$1 (all $total walks)"; else
        fail "$1: $bad of $total walks not $2 machines"
        [ -z "$first" ] || { echo "  first such walk:"; head -6 "$first" | sed 's/^/  | /'; }
    fi
}

# elapsed_ms T0: ms since the $EPOCHREALTIME T0.
elapsed_ms() { echo $(( (${EPOCHREALTIME/./} - ${1/./}) / 1000 )); }

# wait_quiet N: wait until N VM-MIB notifications arrived since the last
# seen one, at most 15 s, and give up early when none came for 3 s (they
# are lost, not late).
wait_quiet() {
    local i n last=-1 still=0
    for i in $(seq 150); do
        n=$(( $(vm_notification_count) - NOTIF_SEEN ))
        [ "$n" -ge "$1" ] && return 0
        if [ "$n" -eq "$last" ]; then still=$((still + 1)); else still=0; last=$n; fi
        [ "$still" -ge 30 ] && return 1
        sleep 0.1
    done
    return 1
}

alive() { if snmpd_alive; then ok "$1: snmpd alive"; else fail "$1: snmpd died"; fi; }

virsh_() { virsh -q -c "$LIBVIRT_URI" "$@"; }

# ------------------------------------------------------------------ checks

# 1. libvirtd frozen for 6 s while vmTable is walked without pause: snmpd
# itself never waits for it.
check_frozen() {
    local before out t t0
    start_snmpd frozen "" "vmMibUri $NODE_URI" || { fail "1: snmpd starts"; return; }
    wait_for "1: vmNumber over the node file" "$vmNumber.0 = INTEGER: 4" 50 sget $vmNumber.0
    before=$(vm_table_static)
    walker_start $vmEntry 1
    sleep 0.5
    kill -STOP "$LIBVIRTD_PID"
    t0=$EPOCHREALTIME
    # sysUpTime every 100 ms for the whole freeze
    probe $sysUpTime.0 100 6000 1000 > "$WORK/frozen.sysuptime" &
    local prober=$!
    sleep 1.5
    probe $vmNumber.0 0 0 3000 > "$WORK/frozen.vmnumber1"
    # the second one 5.2 s into the freeze: the snapshot (vmMibCacheTimeout
    # 5) has expired by then for sure, a refresh is due and cannot be made
    t=$(( 5200 - $(elapsed_ms "$t0") ))
    [ "$t" -gt 0 ] && sleep "$(printf '%d.%03d' $((t / 1000)) $((t % 1000)))"
    probe $vmNumber.0 0 0 3000 > "$WORK/frozen.vmnumber2"
    wait $prober
    kill -CONT "$LIBVIRTD_PID"
    walker_stop

    out=$(probe_summary "$WORK/frozen.sysuptime")
    echo "  sysUpTime.0 during the freeze: $out"
    # libvirtd thaws only after the last answer: an answer that came did not
    # wait for it.  Each GET gives up after 1 s of a 6 s freeze.
    assert_match "1: frozen: every sysUpTime.0 GET (each 100 ms) answered during the freeze" \
        '^([1-9][0-9]+) requests, 0 timeouts, ' "$out"
    for t in 1 2; do
        out=$(cat "$WORK/frozen.vmnumber$t")
        # parked for vmMibRefreshWait (500), then the last snapshot's value;
        # 1 s of margin for a loaded machine, still far from the freeze's end
        if [[ $out =~ ^([0-9]+)\ INTEGER:4$ ]] && [ "${BASH_REMATCH[1]}" -le 1500 ]; then
            ok "1: frozen: vmNumber.0 GET #$t answered in ${BASH_REMATCH[1]} ms with the last value 4"
        else fail "1: frozen: vmNumber.0 GET #$t: got '$out', want '<ms <= 1500> INTEGER:4'"; fi
    done
    wait_for "1: after the thaw, vmTable equals the one before the freeze" "$before" 50 vm_table_static
    alive 1
    stop_snmpd
}

# 2. A change without lifecycle event (memory balloon): a GET arriving
# after the snapshot expired (vmMibCacheTimeout 1) shows it, i.e. it is
# answered from a read made after the request arrived.
check_fresh() {
    local i round mem
    start_snmpd fresh "" "vmMibUri $LIBVIRT_URI
vmMibCacheTimeout 1" || { fail "2: snmpd starts"; return; }
    i=$(vm_index test)
    [ -n "$i" ] || { fail "2: no vmIndex for test"; stop_snmpd; return; }
    for round in 1 2 3; do
        mem=$((1048576 + round * 65536))
        sget $vmCurMem.$i >/dev/null         # a snapshot from before the change
        virsh_ setmem test $mem --live >/dev/null
        if ! virsh_ dominfo test | grep -Eq "^Used memory: +$mem KiB"; then
            fail "2: setup: virsh setmem test $mem did not take"; continue; fi
        sleep 1.2
        assert_eq "2: round $round: vmCurMem 1.2 s after setmem (vmMibCacheTimeout 1)" \
            "$vmCurMem.$i = INTEGER: $mem" "$(sget $vmCurMem.$i)"
    done
    alive 2
    stop_snmpd
}

# 3. snmpd starts while libvirtd is stopped; a walk issued at once is parked
# (vmMibRefreshWait 10000, far beyond the 1 s stop) until libvirtd answers:
# it lists every machine, it is never empty.
check_slow_start() {
    local t0 out took
    kill -STOP "$LIBVIRTD_PID"
    start_snmpd_now slowstart "" "vmMibUri $NODE_URI
vmMibRefreshWait 10000" || { kill -CONT "$LIBVIRTD_PID"; fail "3: snmpd starts"; return; }
    t0=$EPOCHREALTIME
    ( snmpbulkwalk -v2c -On -t 15 -r 0 -c public "127.0.0.1:$SNMP_PORT" $vmName > "$WORK/slow.walk" 2>&1
      elapsed_ms "$t0" > "$WORK/slow.took" ) &
    local walker=$!
    sleep 1
    kill -CONT "$LIBVIRTD_PID"
    wait $walker
    took=$(cat "$WORK/slow.took")
    out=$(sed -n 's/^[.0-9]* = STRING: "\(.*\)"$/\1/p' "$WORK/slow.walk" | sort | paste -sd' ')
    assert_eq "3: the first walk (libvirtd stopped for 1 s) lists every machine (took $took ms)" \
        "$NODE_NAMES" "$out"
    [ "$out" = "$NODE_NAMES" ] || sed 's/^/  | /' "$WORK/slow.walk" | head -5
    alive 3
    stop_snmpd
}

# 4. 20 SIGHUPs (deinit + init of the module) under continuous walking,
# vmMibRefreshWait 2000: no walk comes back short.
check_sighup() {
    local n
    start_snmpd sighup "" "vmMibUri $NODE_URI
vmMibRefreshWait 2000" || { fail "4: snmpd starts"; return; }
    wait_for "4: vmNumber over the node file" "$vmNumber.0 = INTEGER: 4" 50 sget $vmNumber.0
    walker_start $vmName 4
    for n in $(seq 20); do
        kill -HUP "$SNMPD_PID"
        sleep 0.3
    done
    sleep 1
    walker_stop
    walks_whole "4: 20 SIGHUPs: every walk lists the 4 machines" 4
    assert_match "4: sysUpTime answers after the SIGHUPs" "^$sysUpTime.0 = Timeticks: " "$(sget $sysUpTime.0)"
    alive 4
    stop_snmpd
}

# 5. libvirtd killed and restarted within vmMibStaleGrace (30): the last
# snapshot is served meanwhile.  The node file URI gives every connection
# its own copy of the same four machines, also after the restart.
check_restart_in_grace() {
    local out
    start_snmpd ingrace "" "vmMibUri $NODE_URI
vmMibStaleGrace 30" || { fail "5: snmpd starts"; return; }
    wait_for "5: vmNumber over the node file" "$vmNumber.0 = INTEGER: 4" 50 sget $vmNumber.0
    walker_start $vmName 2
    probe $vmNumber.0 200 8000 1500 > "$WORK/ingrace.vmnumber" &
    local prober=$!
    sleep 1
    kill -KILL "$LIBVIRTD_PID"; wait "$LIBVIRTD_PID" 2>/dev/null
    sleep 1.5
    start_libvirtd || fail "5: libvirtd restarts"
    reconnected() { [ "$(grep -c 'vm_mib: connected to libvirt' "$SNMPD_LOG")" -ge 2 ] && echo yes; }
    wait_for "5: snmpd reconnected" yes 80 reconnected
    wait $prober
    walker_stop
    assert_log "5: the loss was noticed" 'vm_mib: lost libvirt connection'
    walks_whole "5: every walk during the restart lists the 4 machines" 4
    out=$(probe_summary "$WORK/ingrace.vmnumber")
    assert_match "5: vmNumber.0 (every 200 ms) answered 4 all along: $out" \
        '^[0-9]+ requests, 0 timeouts, max [0-9]+ ms, values INTEGER:4$' "$out"
    alive 5
    stop_snmpd
}

# 6. libvirtd gone for longer than vmMibStaleGrace (5): within the grace the
# last snapshot is served; after it the module knows no machine list any
# more: vmNumber.0 is noSuchInstance and a walk ends in genErr, never in
# "no machines" (the guests of a stopped libvirtd may all be running);
# after the restart all is back.
check_restart_after_grace() {
    start_snmpd aftergrace "" "vmMibUri $NODE_URI
vmMibStaleGrace 5" || { fail "6: snmpd starts"; return; }
    wait_for "6: vmNumber over the node file" "$vmNumber.0 = INTEGER: 4" 50 sget $vmNumber.0
    kill -KILL "$LIBVIRTD_PID"; wait "$LIBVIRTD_PID" 2>/dev/null
    if wait_log 'vm_mib: lost libvirt connection'; then ok "6: the loss was noticed"
    else fail "6: the loss was noticed"; fi
    assert_eq "6: within the grace (5 s) vmName still lists every machine" \
        "$NODE_NAMES" "$(vm_names)"
    if wait_log 'vm_mib: libvirt unreachable for 5 s; VM-MIB cannot list the machines until it is back' 100
    then ok "6: the end of the grace is logged"; else fail "6: the end of the grace is logged"; fi
    assert_eq "6: after the grace a vmName walk ends in genErr" genErr "$(vm_names)"
    assert_eq "6: and vmNumber.0 is noSuchInstance" "$NO_INSTANCE" "$(sget $vmNumber.0)"
    start_libvirtd || fail "6: libvirtd restarts"
    wait_for "6: after the restart vmName lists every machine again" "$NODE_NAMES" 100 vm_names
    assert_eq "6: and vmNumber.0 is 4" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
    alive 6
    stop_snmpd
}

# 7. SET vmAdminState = pause(3) while libvirtd is frozen: answered within
# vmMibRefreshWait (500) with resourceUnavailable (libvirtd thaws only after
# the answer), and nothing is done later: after the thaw the machine is
# still running.
check_set_frozen() {
    local i t0 took out
    start_snmpd setfrozen "" "vmMibUri $LIBVIRT_URI
vmMibWritable yes" || { fail "7: snmpd starts"; return; }
    i=$(vm_index test)
    [ -n "$i" ] || { fail "7: no vmIndex for test"; stop_snmpd; return; }
    assert_eq "7: setup: test is running" running "$(virsh_ domstate test | xargs)"
    kill -STOP "$LIBVIRTD_PID"
    sleep 0.3
    t0=$EPOCHREALTIME
    out=$(snmpset -v2c -On -t 5 -r 0 -c private "127.0.0.1:$SNMP_PORT" $vmAdminState.$i i 3 2>&1)
    took=$(elapsed_ms "$t0")
    kill -CONT "$LIBVIRTD_PID"
    assert_match "7: frozen: SET vmAdminState=pause answers resourceUnavailable" \
        'Reason: resourceUnavailable' "$out"
    assert_match "7: frozen: on vmAdminState.$i" "^Failed object: \\$vmAdminState\\.$i\$" "$out"
    # 1.5 s of margin over vmMibRefreshWait for a loaded machine
    if [ "$took" -le 2000 ]; then ok "7: frozen: the SET was answered in $took ms"
    else fail "7: frozen: the SET took $took ms (limit 2000)"; fi
    sleep 1.5          # a SET carried out late would show now
    assert_eq "7: after the thaw test is still running" running "$(virsh_ domstate test | xargs)"
    virsh_ domstate test | grep -q paused && virsh_ resume test >/dev/null
    set_during_reload "$i"
    alive 7
    stop_snmpd
}

# A reload (SIGHUP) while a SET waits for a frozen libvirtd: the SET is
# answered before the module unloads (resourceUnavailable, nothing done) and
# snmpd goes on.
set_during_reload() {
    local i=$1 sp out
    kill -STOP "$LIBVIRTD_PID"
    snmpset -v2c -On -t 3 -r 0 -c private "127.0.0.1:$SNMP_PORT" $vmAdminState.$i i 3 \
        > "$WORK/set-hup.out" 2>&1 &
    sp=$!
    sleep 0.2
    kill -HUP "$SNMPD_PID"
    wait "$sp"
    out=$(cat "$WORK/set-hup.out")
    kill -CONT "$LIBVIRTD_PID"
    assert_match "7: SIGHUP while a SET waits: resourceUnavailable" 'Reason: resourceUnavailable' "$out"
    assert_log "7: SIGHUP while a SET waits: the refusal is logged" \
        "vm_mib: SET refused: snmpd reloads its configuration"
    sleep 1.5
    assert_eq "7: after the reload and thaw test is still running" running \
        "$(virsh_ domstate test | xargs)"
}

# 8. An event storm while vmTable is walked: 100 suspend/resume pairs from
# one virsh session give exactly 100 vmPaused(prev running) and 100
# vmRunning(prev paused), alternating; 30 transient machines created and
# destroyed back to back give each vmRunning first, vmDeleted last (and at
# most a vmShutdown in between, as tests/integration/notifications.sh
# expects for a single destroy).  Full snapshots (vmMibCacheTimeout 1) stay
# about one per second.
check_storm() {
    local it ut n script="" want got t0 t1 walks snaps0 secs snaps name seq bad=0 total
    start_snmptrapd_lines storm || { fail "8: snmptrapd starts"; return; }
    SNMPD_ARGS="-Dvm_mib:cache" start_snmpd storm "" "vmMibUri $LIBVIRT_URI
vmMibCacheTimeout 1
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "8: snmpd starts"; return; }
    it=$(vm_index test)
    ut=$(virsh_ domuuid test | xargs)
    [ -n "$it" ] || { fail "8: no vmIndex for test"; stop_snmpd; return; }
    for n in $(seq -w 1 30); do
        sed -e "s|<name>extra01</name>|<name>tr$n</name>|" \
            -e "s|<uuid>[^<]*</uuid>|<uuid>33333333-4444-5555-6666-0000000000$n</uuid>|" \
            "$FIXTURES/domain-extra.xml" > "$WORK/tr$n.xml"
    done
    sleep 1.5                      # the connect-time snapshot is over
    notifications_mark
    walker_start $vmEntry 2
    snaps0=$(grep -c 'vm_mib:cache: snapshot' "$SNMPD_LOG")
    t0=$EPOCHREALTIME

    for n in $(seq 100); do script+="suspend test"$'\n'"resume test"$'\n'; done
    printf '%s' "$script" | virsh -q -c "$LIBVIRT_URI" > "$WORK/storm1.out" 2>&1 ||
        fail "8: setup: virsh suspend/resume session failed: $(grep -i error "$WORK/storm1.out" | head -3)"
    echo "  (the 200 suspend/resume took $(elapsed_ms "$t0") ms)"
    wait_quiet 200
    echo "  ($(( $(vm_notification_count) - NOTIF_SEEN )) notifications $(elapsed_ms "$t0") ms after the start)"
    want=$(for n in $(seq 100); do
        pervm_line $N_PAUSED "$it" test "$ut" $S_RUNNING
        pervm_line $N_RUNNING "$it" test "$ut" $S_PAUSED; done)
    got=$(vm_notifications | tail -n +$((NOTIF_SEEN + 1)))
    if [ "$want" = "$got" ]; then
        ok "8: 100 suspend/resume: 100 vmPaused(prev running), 100 vmRunning(prev paused), alternating"
    else
        fail "8: 100 suspend/resume: got $(printf '%s\n' "$got" | grep -c "^$vmNotifications\.$N_PAUSED |") vmPaused," \
            "$(printf '%s\n' "$got" | grep -c "^$vmNotifications\.$N_RUNNING |") vmRunning," \
            "$(printf '%s\n' "$got" | grep -c .) in all; first difference:"
        diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -6 | sed 's/^/  /'
    fi
    notifications_mark

    script=""
    for n in $(seq -w 1 30); do script+="create $WORK/tr$n.xml"$'\n'"destroy tr$n"$'\n'; done
    t1=$EPOCHREALTIME
    printf '%s' "$script" | virsh -q -c "$LIBVIRT_URI" > "$WORK/storm2.out" 2>&1 ||
        fail "8: setup: virsh create/destroy session failed: $(grep -i error "$WORK/storm2.out" | head -3)"
    echo "  (the 30 create/destroy took $(elapsed_ms "$t1") ms)"
    wait_quiet 60
    sleep 1                        # vmShutdown too, and nothing else
    secs=$(( ($(elapsed_ms "$t0") + 999) / 1000 ))
    snaps=$(( $(grep -c 'vm_mib:cache: snapshot' "$SNMPD_LOG") - snaps0 ))
    walker_stop

    got=$(vm_notifications | tail -n +$((NOTIF_SEEN + 1)))
    total=0
    for n in $(seq -w 1 30); do
        name=$(hex_of "tr$n")
        # the notification kinds of trNN, in order: "1 10" or "1 3 10"
        seq=$(printf '%s\n' "$got" | grep -F "= Hex-STRING: $name |" |
              sed "s/^${vmNotifications//./\\.}\\.\\([0-9]*\\) .*/\\1/" | paste -sd' ')
        total=$((total + $(printf '%s\n' "$got" | grep -cF "= Hex-STRING: $name |")))
        if ! [[ $seq =~ ^1\ (3\ )?10$ ]]; then
            bad=$((bad + 1)); [ $bad -le 3 ] && echo "  tr$n: notifications $seq (want 1 [3] 10)"
        fi
    done
    assert_eq "8: 30 create/destroy: each machine vmRunning then vmDeleted" 0 "$bad"
    assert_eq "8: and no other VM-MIB notification" "$total" "$(printf '%s\n' "$got" | grep -c .)"
    walks=$(ls "$WALK_DIR" | grep -c '^walk\.')
    if [ "$snaps" -le $((secs + 3)) ]; then
        ok "8: $snaps full snapshots in the ${secs} s storm (at most $((secs + 3)); $walks walks)"
    else fail "8: $snaps full snapshots in the ${secs} s storm, more than $((secs + 3)) ($walks walks)"; fi
    alive 8
    stop_snmpd
    vmm_stop_pid "$TRAPD_PID"
}

# 9. SIGHUP, and at once (the command is already in a connected virsh
# session) a suspend: its vmPaused is not lost in the reload; 5 rounds.
check_hup_event() {
    local it ut r vp
    start_snmptrapd_lines hupevent || { fail "9: snmptrapd starts"; return; }
    start_snmpd hupevent "" "vmMibUri $LIBVIRT_URI
trap2sink udp:127.0.0.1:$TRAP_PORT public" || { fail "9: snmpd starts"; return; }
    it=$(vm_index test)
    ut=$(virsh_ domuuid test | xargs)
    [ -n "$it" ] || { fail "9: no vmIndex for test"; stop_snmpd; return; }
    trap '' PIPE                   # should virsh die, fail, do not get killed
    mkfifo "$WORK/virsh.fifo"
    virsh -q -c "$LIBVIRT_URI" < "$WORK/virsh.fifo" > "$WORK/virsh9.out" 2>&1 &
    vp=$!
    PIDS+=("$vp")
    exec 7> "$WORK/virsh.fifo"
    sleep 1                        # connected; the connect-time snapshot is over
    notifications_mark
    for r in 1 2 3 4 5; do
        NOTIF_T0=$EPOCHREALTIME
        kill -HUP "$SNMPD_PID"
        echo "suspend test" >&7
        NOTIF_WAIT=30 expect_notifications "9: round $r: SIGHUP + suspend: vmPaused(prev running)" \
            "$(pervm_line $N_PAUSED "$it" test "$ut" $S_RUNNING)"
        NOTIF_T0=$EPOCHREALTIME
        echo "resume test" >&7
        NOTIF_WAIT=30 expect_notifications "9: round $r: resume: vmRunning(prev paused)" \
            "$(pervm_line $N_RUNNING "$it" test "$ut" $S_PAUSED)"
    done
    exec 7>&-
    wait "$vp"
    trap - PIPE
    assert_eq "9: the virsh session had no error" "" "$(grep -i error "$WORK/virsh9.out")"
    alive 9
    stop_snmpd
    vmm_stop_pid "$TRAPD_PID"
}

# ------------------------------------------------------------------ main

start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
# the node file, readable by libvirtd (user nobody)
node=$(libvirtd_file "$FIXTURES/node.xml") || { fail "node file for libvirtd"; vmm_summary; exit; }
NODE_URI="test+unix://$node?socket=$LIBVIRT_SOCK"
[ "$(virsh -q -c "$NODE_URI" list --all --name | sort | xargs)" = "$NODE_NAMES" ] ||
    { fail "the node file URI gives its four machines"; vmm_summary; exit; }

# RESIL_CHECKS="check_storm ..." runs only these (while debugging)
run_checks ${RESIL_CHECKS:-check_frozen check_fresh check_slow_start check_sighup \
           check_restart_in_grace check_restart_after_grace check_set_frozen \
           check_storm check_hup_event}
stop_libvirtd

echo "# runtime $(( $(date +%s) - T0 )) s"
vmm_summary
