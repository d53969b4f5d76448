#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Start-up and reload time: how long after snmpd starts (and after a
# SIGHUP) a walk of vmName first lists every machine, on libvirt's test
# driver (a private libvirtd serving gen-node.py nodes) and, with
# BENCH_QEMU=1, on the system libvirtd with one QEMU guest
# (tests/integration/qemu-bed.sh; /dev/kvm is left as it is).  Also
# counts the walks made before that which looked like an empty host
# (exit status 0, no row), and when vmHvVersion first answers; then how
# long snmpd takes to stop (it saves its persistent file), how many
# machine states it saved, and a start with that file -> first whole walk.  A measurement: it prints figures and fails only
# when something cannot be measured.
#
# Usage: bench/startup.sh          (after `make`; a few minutes)
# Environment: BENCH_NS="1000 5000 10000" ("": QEMU only), BENCH_QEMU=1 (needs root and
# QEMU), VMM_SO=path (default vm-mib/.libs/vm_mib.so), BENCH_KEEP=1.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
SO_SRC=${VMM_SO:-$TOP/vm-mib/.libs/vm_mib.so}
NS=${BENCH_NS-"1000 5000 10000"}
abs_top_srcdir=$TOP
abs_top_builddir=$TOP
VMM_KEEP_WORK=${BENCH_KEEP:-}
. "$TOP/tests/integration/lib.sh"
VMM_STOP_WAIT=100                  # many machines: snmpd stores its indexes on exit

die() { echo "bench: $*" >&2; exit 1; }
trap 'exit 130' INT TERM HUP
[ "$(id -u)" -eq 0 ] || die "needs root (a private libvirtd runs as nobody)"
[ -f "$SO_SRC" ] || die "$SO_SRC not found; build first"
cp "$SO_SRC" "$WORK/vm_mib.so" || die "cannot copy $SO_SRC"
VMM_SO=$WORK/vm_mib.so

ms_since() { echo $(( (${EPOCHREALTIME/./} - ${1/./}) / 1000 )); }

# first_whole N T0: walk vmName again and again until a walk lists N
# machines; prints "<ms from T0 to the end of that walk> <walks before it
# that looked empty (rc 0, no row)> <walks before it that failed>".
first_whole() {
    local n=$1 t0=$2 rows rc empty=0 failed=0 i
    for i in $(seq 2000); do
        snmpbulkwalk -v2c -Cr50 -On -t 5 -r 0 -c public "127.0.0.1:$SNMP_PORT" $vmName \
            > "$WORK/walk" 2>&1
        rc=$?
        rows=$(grep -c "^\\$vmName\\." "$WORK/walk")
        [ "$rows" -eq "$n" ] && { echo "$(ms_since "$t0") $empty $failed"; return 0; }
        if [ "$rows" -eq 0 ] && [ "$rc" -eq 0 ]; then empty=$((empty + 1))
        else failed=$((failed + 1)); fi
        sleep 0.02
    done
    echo "never $empty $failed"
}

# first_version T0: ms from T0 until vmHvVersion.0 has a value.
first_version() {
    local t0=$1
    retry 600 sh -c "snmpget -v2c -On -t 5 -r 0 -c public 127.0.0.1:$SNMP_PORT $vmHvVersion.0 |
                     grep -q STRING" && echo "$(ms_since "$t0")" || echo never
}

# counts A B C: "B/C" of first_whole's output.
counts() { echo "$2/$3"; }

# measure LABEL N URI [LINES]: snmpd start -> whole walk, -> vmHvVersion;
# SIGHUP -> whole walk; stop (snmpd saves its persistent file); a start
# again with that file -> whole walk.
measure() {
    local label=$1 n=$2 uri=$3 name="s$RANDOM" t0 start hup restarted version up stop saved again
    t0=$EPOCHREALTIME
    start_snmpd_now "$name" "" "vmMibUri $uri
${4:-}" || { echo "$label: snmpd does not start"; return 1; }
    up=$(ms_since "$t0")
    start=$(first_whole "$n" "$t0")
    version=$(first_version "$t0")
    restarted=$(grep -c '^NET-SNMP version .* restarted$' "$SNMPD_LOG")
    t0=$EPOCHREALTIME
    kill -HUP "$SNMPD_PID"
    retry 100 test "$(grep -c '^NET-SNMP version .* restarted$' "$SNMPD_LOG")" -gt "$restarted"
    hup=$(first_whole "$n" "$t0")
    local connections
    connections=$(grep -c 'vm_mib: connected to libvirt' "$SNMPD_LOG")
    t0=$EPOCHREALTIME
    stop_snmpd
    stop=$(ms_since "$t0")
    saved=$(grep -c '^vmMibState vm ' "$WORK/$name/persist/snmpd.conf")
    t0=$EPOCHREALTIME
    start_snmpd_now "$name" "" "vmMibUri $uri
${4:-}" || { echo "$label: snmpd does not start again"; return 1; }
    again=$(first_whole "$n" "$t0")
    # shellcheck disable=SC2086
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$n" "$up" \
        "${start%% *}" "$(counts $start)" "$version" "${hup%% *}" "$(counts $hup)" \
        "$connections" "$stop" "$saved" "${again%% *}"
    stop_snmpd
}

echo "| hypervisor | machines | start -> snmpd answers (ms) | start -> whole walk (ms) | walks before: empty/error | start -> vmHvVersion (ms) | SIGHUP -> whole walk (ms) | walks before: empty/error | connections | stop (ms) | states saved | start again -> whole walk (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
start_libvirtd || die "libvirtd does not start"
for n in $NS; do
    python3 "$HERE/gen-node.py" "$n" "$WORK/node$n.xml" >/dev/null || die "gen-node.py $n"
    node=$(libvirtd_file "$WORK/node$n.xml") || die "node file"
    measure "test driver" "$n" "test+unix://$node?socket=$LIBVIRT_SOCK"
done
stop_libvirtd

if [ "${BENCH_QEMU:-}" = 1 ]; then
    . "$TOP/tests/integration/qemu-bed.sh"
    bed_kvm() { :; }               # /dev/kvm as this host has it
    trap 'bed_cleanup; vmm_cleanup' EXIT
    echo "# /dev/kvm: $(stat -c '%U:%G %a' /dev/kvm 2>/dev/null || echo none)"
    bed_start || die "the QEMU bed does not start"
    bed_define a && bvirsh start "${BED_PREFIX}a" >/dev/null || die "the guest does not start"
    # The first statistics call after libvirtd starts probes QEMU, whoever
    # makes it (seconds with /dev/kvm root-only): made here, as on a host
    # whose libvirtd has been up for a while.
    t0=$EPOCHREALTIME
    bvirsh domstats >/dev/null
    echo "# libvirtd's first domstats: $(ms_since "$t0") ms"
    n=$(bvirsh list --all --name | grep -c .)
    measure "QEMU" "$n" qemu:///system
fi
