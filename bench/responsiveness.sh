#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# bench/responsiveness.sh: how well snmpd with vm_mib.so keeps answering
# while the module reads libvirt -- a benchmark: it prints figures and never
# fails on one; it exits non-zero only when something cannot be measured.
#
# For each N (BENCH_NS, "100 1000"): a fresh private unprivileged libvirtd
# (tests/integration/lib.sh start_libvirtd; test driver, default instance),
# N machines defined into it by one virsh reading commands from stdin (80 %
# running, 10 % paused, 10 % shut off; the default "test" machine is
# removed), then snmpd -Dvm_mib:cache with the module (vmMibCacheTimeout 1),
# one warm-up walk, and three phases of BENCH_PHASE_SECONDS (15) each:
#   refreshing - one snmpbulkwalk -Cr25 of VM-MIB after the other;
#   events     - the same, plus 10 lifecycle events a second (suspend /
#                resume of running machines) from ONE long-lived virsh fed
#                through a FIFO;
#   frozen     - the same walking while libvirtd is stopped (SIGSTOP for the
#                whole phase, SIGCONT after).
# Meanwhile bench/snmp-probe.py (python3, raw UDP) GETs sysUpTime.0 (another
# MIB) every 20 ms, timeout 2 s, and vmNumber.0 every 200 ms, timeout 12 s.
# Printed per N and phase: latency p50/p99/max and timeouts of both, full
# VM-MIB refreshes per minute (log lines "vm_mib:cache: snapshot") and the
# walks completed; a Markdown table of everything at the end.  Before each
# phase the script waits (at most 20 s) until snmpd answers sysUpTime.0 within
# 1 s again, so that one phase's backlog does not spill into the next.
#
# Usage: bench/responsiveness.sh       (after `make`; about 2.5 minutes)
# Environment:
#   BENCH_NS="100 1000"        machine counts
#   BENCH_PHASE_SECONDS=15     length of each phase
#   BENCH_EVENT_RATE=10        lifecycle events per second in phase "events"
#   BENCH_CONF_EXTRA="..."     extra snmpd.conf lines after the module's
#                              (e.g. "vmMibRefreshWait 500"; \n separates lines)
#   VMM_SO=path                module (default vm-mib/.libs/vm_mib.so)
#   BENCH_KEEP=1               keep the work directory (confs, logs, probe output)
#
# Everything listens on 127.0.0.1 (snmpd) or a private Unix socket
# (libvirtd); every process is started and stopped by its PID, also on
# Ctrl-C or failure.

set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
SO_SRC=${VMM_SO:-$TOP/vm-mib/.libs/vm_mib.so}
NS=${BENCH_NS:-"100 1000"}
PHASE_S=${BENCH_PHASE_SECONDS:-15}
EVENT_RATE=${BENCH_EVENT_RATE:-10}
CONF_EXTRA=$(printf '%b' "${BENCH_CONF_EXTRA:-}")
PHASES="refreshing events frozen"

WALK=(snmpbulkwalk -v2c -c public -On -Cr25 -t 30 -r 0)   # one try, generous timeout

die() { echo "responsiveness: $*" >&2; exit 1; }

for tool in snmpbulkwalk snmpget virsh python3 setpriv ss awk /usr/sbin/libvirtd; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh installs it)"
done
[ -f "$SO_SRC" ] || die "$SO_SRC not found; build first: cd $TOP && make -j2"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash >= 5 (EPOCHREALTIME)"
case $PHASE_S in ''|*[!0-9]*|0) die "BENCH_PHASE_SECONDS must be a positive integer" ;; esac
case $EVENT_RATE in ''|*[!0-9]*|0) die "BENCH_EVENT_RATE must be a positive integer" ;; esac

# lib.sh: WORK, PIDS, the OIDs, free_port, vmm_stop_pid, start_libvirtd,
# start_snmpd, wait_log
abs_top_srcdir=$TOP
abs_top_builddir=$TOP
VMM_KEEP_WORK=${BENCH_KEEP:-}
. "$TOP/tests/integration/lib.sh"
[ -x "${SNMPD}" ] || die "$SNMPD not found"
PROBE_SPEC=(probe:$sysUpTime.0:20:2000 vmmib:$vmNumber.0:200:12000)

cleanup() {
    exec 7>&-                         # the event FIFO: virsh sees EOF
    vmm_cleanup
    [ "$VMM_KEEP_WORK" != 1 ] || echo "responsiveness: work directory kept: $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# every snmpd loads one private copy, even if the tree is rebuilt meanwhile
cp "$SO_SRC" "$WORK/vm_mib.so" || die "cannot copy $SO_SRC"
VMM_SO=$WORK/vm_mib.so

# ---------------------------------------------------------------- helpers

us() { local t=${1/./}; echo $((10#$t)); }       # $EPOCHREALTIME -> µs
now_us() { NOW=${EPOCHREALTIME/./}; NOW=$((10#$NOW)); }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
secs() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1e6 }'; }

snapshots() { grep -c 'vm_mib:cache: snapshot' "$SNMPD_LOG"; }

# A sleep that forks nothing: read with a time-out on a FIFO nobody writes.
mkfifo "$WORK/tick"
exec 8<>"$WORK/tick"
nap() { read -r -t "$1" -u 8 _; }

# walker END_US LOG: one walk of VM-MIB after the other until END_US; logs
# "start_us end_us exit_code" per walk.  TERM stops it and its walk.
walker() {
    local end=$1 log=$2 c= t0 rc
    trap - EXIT
    trap '[ -n "$c" ] && kill "$c" 2>/dev/null; exit 0' TERM
    while now_us; [ "$NOW" -lt "$end" ]; do
        t0=$NOW
        "${WALK[@]}" "127.0.0.1:$SNMP_PORT" "$vmMIB" > /dev/null 2>> "$log.err" &
        c=$!
        wait "$c"; rc=$?
        c=
        now_us; echo "$t0 $NOW $rc" >> "$log"
    done
}

# feeder END_US: lifecycle events on the event virsh (fd 7) at EVENT_RATE a
# second until END_US, on a fixed schedule: suspend M1, resume M1, suspend
# M2, ...  (running machines only).  Writes the count to $WORK/events-sent.
feeder() {
    local end=$1 k=0 t0 target m= wait_us
    trap - EXIT
    now_us; t0=$NOW
    while :; do
        target=$((t0 + k * 1000000 / EVENT_RATE))
        [ "$target" -lt "$end" ] || break
        now_us
        wait_us=$((target - NOW))
        [ "$wait_us" -gt 0 ] && nap "$(secs "$wait_us")"
        if ((k % 2 == 0)); then
            m=${EVENT_VMS[(k / 2) % ${#EVENT_VMS[@]}]}
            echo "suspend $m" >&7
        else
            echo "resume $m" >&7
        fi
        k=$((k + 1))
    done
    if ((k % 2)); then echo "resume $m" >&7; k=$((k + 1)); fi
    echo "$k" > "$WORK/events-sent"
}

# virsh_sync TAG: wait (up to 20 s) until the event virsh has run every
# command written so far; prints how long that took in ms, or "timeout".
virsh_sync() {
    local t0 i
    now_us; t0=$NOW
    echo "echo SYNC-$1" >&7
    for i in $(seq 2000); do
        grep -q "^SYNC-$1" "$VIRSH_OUT" 2>/dev/null && { now_us; ms $((NOW - t0)); return 0; }
        nap 0.01
    done
    echo timeout
}

# settle: wait (at most 20 s) until snmpd answers sysUpTime.0 within 1 s;
# prints how long that took
settle() {
    local t0 i
    now_us; t0=$NOW
    for i in $(seq 20); do
        snmpget -v2c -c public -t 1 -r 0 "127.0.0.1:$SNMP_PORT" "$sysUpTime.0" 2>/dev/null |
            grep -q Timeticks && break
    done
    now_us; ms $((NOW - t0))
}

# walk_stats LOG: "completed failed median_ms" of a walker log
walk_stats() {
    local ok fail med
    [ -s "$1" ] || { echo "0 0 -"; return; }
    ok=$(awk '$3 == 0' "$1" | wc -l)
    fail=$(awk '$3 != 0' "$1" | wc -l)
    med=$(awk '$3 == 0 { print ($2 - $1) / 1000 }' "$1" | sort -n |
          awk '{ v[NR] = $1 } END { if (NR) printf "%.0f\n", v[int((NR + 1) / 2)]; else print "-" }')
    echo "$ok $fail $med"
}

# ---------------------------------------------------------------- per N

declare -A R                         # R[n,phase,field]
DEFINE_NOTES=()

bench_n() {
    local n=$1 i t0 t1 t2 dom=$WORK/dom-$n
    echo
    echo "## N=$n"

    # --- libvirtd, holder/event virsh, machines
    rm -rf "$WORK/libvirtd"; remove_libvirtd_dir
    start_libvirtd > "$WORK/libvirtd-start.out" 2>&1 || { cat "$WORK/libvirtd-start.out"; die "libvirtd did not start"; }
    rm -f "$WORK/events"; mkfifo "$WORK/events"
    exec 7<>"$WORK/events"
    VIRSH_OUT=$WORK/virsh-events-$n.out
    # keeps the default instance alive (it is reset when its last client
    # leaves) and later plays the lifecycle events
    virsh -q -c "$LIBVIRT_URI" < "$WORK/events" > "$VIRSH_OUT" 2>&1 8<&- &
    EVENT_VIRSH=$!
    PIDS+=("$EVENT_VIRSH")
    [ "$(virsh_sync "holder-$n")" = timeout ] && die "the event virsh does not answer (see $VIRSH_OUT)"

    mkdir -p "$dom"
    python3 - "$HERE/gen-node.py" "$dom" "$n" <<'PY' || die "cannot write domain XML"
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen_node", sys.argv[1])
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
d, n = sys.argv[2], int(sys.argv[3])
for i in range(1, n + 1):
    x = g.DOMAIN.format(name="bench-%05d" % i, uuid="b0000000-0000-4000-8000-%012x" % i,
                        mac1=g.mac("52:54:00", i), mac2=g.mac("52:54:01", i), runstate=1)
    x = "".join(l + "\n" for l in x.splitlines() if "test:runstate" not in l)
    with open("%s/%05d.xml" % (d, i), "w") as f:
        f.write(x)
PY
    now_us; t0=$NOW
    { echo "destroy test"; echo "undefine test"
      for ((i = 1; i <= n; i++)); do printf 'define %s/%05d.xml\n' "$dom" "$i"; done
    } | virsh -q -c "$LIBVIRT_URI" > "$WORK/define-$n.out" 2>&1
    now_us; t1=$NOW
    { for ((i = 1; i <= n; i++)); do ((i % 10)) && printf 'start bench-%05d\n' "$i"; done
      for ((i = 9; i <= n; i += 10)); do printf 'suspend bench-%05d\n' "$i"; done
    } | virsh -q -c "$LIBVIRT_URI" > "$WORK/start-$n.out" 2>&1
    now_us; t2=$NOW
    local states errs
    states=$(virsh -q -c "$LIBVIRT_URI" list --all | awk 'NF { s[$3 ($4 ? " " $4 : "")]++ }
        END { for (k in s) printf "%s %d, ", k, s[k] }')
    errs=$(cat "$WORK/define-$n.out" "$WORK/start-$n.out" | grep -ci 'error')
    echo "libvirtd pid $LIBVIRTD_PID; $n machines: define $(secs $((t1 - t0))) s, start/suspend $(secs $((t2 - t1))) s" \
         "(one virsh each, commands on stdin); now ${states%, }; virsh errors: $errs"
    DEFINE_NOTES+=("N=$n: define $(secs $((t1 - t0))) s + start/suspend $(secs $((t2 - t1))) s")
    EVENT_VMS=()
    for ((i = 1; i <= n && ${#EVENT_VMS[@]} < 40; i++)); do
        ((i % 10 >= 1 && i % 10 <= 8)) && EVENT_VMS+=("$(printf 'bench-%05d' "$i")")
    done

    # --- snmpd
    now_us; t0=$NOW
    SNMPD_WAIT=600 SNMPD_ARGS="-Dvm_mib:cache${BENCH_DEBUG:+,$BENCH_DEBUG}" start_snmpd "snmpd-$n" "dontLogTCPWrappersConnects yes" "vmMibUri $LIBVIRT_URI
vmMibCacheTimeout 1
$CONF_EXTRA" || die "snmpd did not start"
    grep -q 'vm_mib: connected to libvirt' "$SNMPD_LOG" || {
        sed 's/^/  | /' "$SNMPD_LOG" | tail -20; die "N=$n: the module did not connect to libvirt"; }
    now_us
    echo "snmpd pid $SNMPD_PID port $SNMP_PORT: answering and connected after $(ms $((NOW - t0))) ms"
    [ -n "$CONF_EXTRA" ] && echo "extra conf: $(echo "$CONF_EXTRA" | paste -sd ';')"
    now_us; t0=$NOW
    local vb
    vb=$("${WALK[@]}" "127.0.0.1:$SNMP_PORT" "$vmMIB" 2>&1 | grep -c '^\.')
    now_us
    echo "warm-up walk: $vb varbinds in $(ms $((NOW - t0))) ms;" \
         "$(snapshots) snapshot lines in the log so far: $(grep 'vm_mib:cache: snapshot' "$SNMPD_LOG" | tail -1)"

    local phase
    for phase in $PHASES; do run_phase "$n" "$phase"; done

    # --- tear down (the event virsh sees EOF on the FIFO)
    vmm_stop_pid "$SNMPD_PID"
    exec 7>&-
    vmm_stop_pid "$EVENT_VIRSH"
    vmm_stop_pid "$LIBVIRTD_PID"
    rm -rf "$dom"
}

run_phase() {
    local n=$1 phase=$2 t0 end s0 s1 walker_pid feeder_pid= probe_pid i line
    local out=$WORK/probe-$n-$phase.out wlog=$WORK/walks-$n-$phase.log
    local ev="" sync="" settled
    settled=$(settle)
    now_us; t0=$NOW; end=$((t0 + PHASE_S * 1000000))
    s0=$(snapshots)
    python3 "$HERE/snmp-probe.py" 127.0.0.1 "$SNMP_PORT" "$PHASE_S" "${PROBE_SPEC[@]}" > "$out" 2>&1 7>&- 8<&- &
    probe_pid=$!; PIDS+=("$probe_pid")
    walker "$end" "$wlog" 7>&- 8<&- &
    walker_pid=$!; PIDS+=("$walker_pid")
    if [ "$phase" = events ]; then
        rm -f "$WORK/events-sent"
        feeder "$end" &
        feeder_pid=$!; PIDS+=("$feeder_pid")
    fi
    [ "$phase" = frozen ] && kill -STOP "$LIBVIRTD_PID"
    now_us
    nap "$(secs $((end - NOW)))"
    s1=$(snapshots)                   # before SIGCONT: the phase's refreshes only
    [ "$phase" = frozen ] && kill -CONT "$LIBVIRTD_PID"
    vmm_stop_pid "$walker_pid"
    if [ -n "$feeder_pid" ]; then
        for i in $(seq 50); do kill -0 "$feeder_pid" 2>/dev/null || break; nap 0.1; done
        vmm_stop_pid "$feeder_pid"
        ev="$(cat "$WORK/events-sent" 2>/dev/null || echo '?') events sent"
        sync=$(virsh_sync "$n-$phase")
        ev+=", virsh done with them $sync ms after the phase;"
        ev+=" virsh errors so far: $(grep -ci error "$VIRSH_OUT")"
    fi
    for i in $(seq 300); do kill -0 "$probe_pid" 2>/dev/null || break; nap 0.1; done   # drain ≤ 12 s
    vmm_stop_pid "$probe_pid"

    R[$n,$phase,snaps]=$((s1 - s0))
    R[$n,$phase,rpm]=$(awk -v c=$((s1 - s0)) -v s="$PHASE_S" 'BEGIN { printf "%.0f", c * 60 / s }')
    read -r "R[$n,$phase,walks]" "R[$n,$phase,wfail]" "R[$n,$phase,wmed]" < <(walk_stats "$wlog")
    local name sent ok to late err p50 p99 max last
    for name in probe vmmib; do
        line=$(grep "^$name " "$out")
        if [ -z "$line" ]; then
            echo "  WARNING: probe printed nothing for $name: $(head -c 300 "$out")"
            line="$name 0 0 0 0 0 - - - -"
        fi
        read -r _ sent ok to late err p50 p99 max last <<< "$line"
        R[$n,$phase,$name]="$sent $ok $to $late $err $p50 $p99 $max $last"
    done

    echo
    echo "### N=$n, phase \"$phase\" ($PHASE_S s, after waiting $settled ms for snmpd to answer within 1 s${ev:+; $ev})"
    for name in probe vmmib; do
        read -r sent ok to late err p50 p99 max last <<< "${R[$n,$phase,$name]}"
        if [ "$name" = probe ]; then
            printf '  %-34s' "GET sysUpTime.0 every 20 ms:"
        else
            printf '  %-34s' "GET vmNumber.0 every 200 ms:"
        fi
        echo "p50 $p50 ms, p99 $p99 ms, max $max ms; $to timeouts of $sent" \
             "(late answers $late, errors $err)${last:+; last value $last}"
    done
    read -r _ _ _ _ _ _ _ _ last <<< "${R[$n,$phase,vmmib]}"
    [ "$last" = - ] || [ "$last" = "$n" ] || echo "  WARNING: vmNumber.0 is $last, not $n"
    echo "  full refreshes: ${R[$n,$phase,snaps]} in $PHASE_S s = ${R[$n,$phase,rpm]}/min"
    echo "  walks: ${R[$n,$phase,walks]} completed (median ${R[$n,$phase,wmed]} ms), ${R[$n,$phase,wfail]} failed (the walk still running at the end is not counted)"
}

# ---------------------------------------------------------------- main

echo "vm-mib responsiveness — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "snmpd: $("$SNMPD" -v 2>/dev/null | awk '/version/ { print $NF; exit }'), libvirt: $(virsh --version), module: $SO_SRC"
echo "phases of $PHASE_S s; $EVENT_RATE events/s in \"events\"; vmMibCacheTimeout 1${CONF_EXTRA:+; extra conf: $(echo "$CONF_EXTRA" | paste -sd ';')}"
echo "work directory: $WORK"

now_us; T_START=$NOW
for n in $NS; do bench_n "$n"; done
now_us; T_END=$NOW

echo
echo "## Summary"
echo
echo "| N | phase | probe p50 (ms) | probe p99 (ms) | probe max (ms) | probe timeouts | VM-MIB GET p50 (ms) | VM-MIB GET p99 (ms) | VM-MIB GET max (ms) | VM-MIB GET timeouts | full refreshes/min | walks |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $NS; do
    for phase in $PHASES; do
        read -r psent _ pto _ _ pp50 pp99 pmax _ <<< "${R[$n,$phase,probe]}"
        read -r vsent _ vto _ _ vp50 vp99 vmax _ <<< "${R[$n,$phase,vmmib]}"
        printf '| %s | %s | %s | %s | %s | %s/%s | %s | %s | %s | %s/%s | %s | %s |\n' \
            "$n" "$phase" "$pp50" "$pp99" "$pmax" "$pto" "$psent" "$vp50" "$vp99" "$vmax" "$vto" "$vsent" \
            "${R[$n,$phase,rpm]}" "${R[$n,$phase,walks]}"
    done
done
echo
echo "probe = GET sysUpTime.0 (not VM-MIB) every 20 ms, timeout 2 s; VM-MIB GET = GET vmNumber.0 every 200 ms,"
echo "timeout 12 s; both from one python3 process, no retransmission; latencies over the answered requests,"
echo "timeouts as timed-out/sent. Full refreshes/min = \"vm_mib:cache: snapshot\" log lines during the phase"
echo "(before SIGCONT in \"frozen\") × 60 / $PHASE_S. Walks = snmpbulkwalk -Cr25 of VM-MIB completed in the phase,"
echo "one after the other. Machines set up in: $(printf '%s; ' "${DEFINE_NOTES[@]}" | sed 's/; $//')."
echo "total time: $(secs $((T_END - T_START))) s; load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
