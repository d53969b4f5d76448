#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# bench/lxc-refresh.sh: what one picture (a cache refresh) costs on
# libvirt's LXC driver, which has neither bulk statistics nor vCPU
# information.
#
# Root.  Starts the LXC bed of tests/integration/lxc.sh (a private root
# libvirtd, tests/integration/lxc-bed.sh) with N running application
# containers, and a snmpd with the module (vmMibCacheTimeout 1, libvirt's
# client RPC log, -Dvm_mib:cache).  Then LXC_ROUNDS (10) times: wait for
# the cache to expire, GET vmNumber.0, which takes a new picture.  Prints
# per N the libvirt calls of the last refresh, and the medians of the
# picture's read time (the module's "read in N ms" trace) and of the GET's
# wall time (bash's EPOCHREALTIME around snmpget, client start included).
# abs_top_builddir selects the build measured (a build of an older commit
# gives the "before" figures).  Figures only: exits non-zero only when
# nothing can be measured.  Every process it starts is stopped by PID.
set -u

. "$(dirname "$0")/harness.sh"
. "$abs_top_srcdir/tests/integration/lxc-bed.sh"
trap 'lxc_bed_cleanup; vmm_cleanup' EXIT

NS=${LXC_NS:-"1 10"}
ROUNDS=${LXC_ROUNDS:-10}

[ "$(id -u)" -eq 0 ] || { echo "needs root"; exit 1; }
[ -f "$VMM_SO" ] || { echo "no $VMM_SO: run make first"; exit 1; }
if why=$(lxc_bed_missing); then echo "$why"; exit 1; fi
lxc_bed_start || exit 1

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

running=0
rows=()
for n in $NS; do
    while [ "$running" -lt "$n" ]; do
        lxc_bed_define "c$running" "$(lxc_bed_mac "$running")" &&
            lvirsh start "${LXC_PREFIX}c$running" >/dev/null || { echo "container $running"; exit 1; }
        running=$((running + 1))
    done
    RPC_LOG=$WORK/rpc-$n.log
    SNMPD_ARGS="-Dvm_mib:cache" start_snmpd_rpc "lxc$n" "" "vmMibUri $LXC_URI
vmMibCacheTimeout 1" || exit 1
    sget $vmNumber.0 >/dev/null
    : > "$WORK/get-ms"
    for ((r = 0; r < ROUNDS; r++)); do
        sleep 1.2
        seen=$(grep -c . "$RPC_LOG")
        t0=$EPOCHREALTIME
        sget $vmNumber.0 >/dev/null
        t1=$EPOCHREALTIME
        echo $(( (${t1/./} - ${t0/./}) / 1000 )) >> "$WORK/get-ms"
    done
    calls=$(tail -n +$((seen + 1)) "$RPC_LOG" | rpc_names)
    ncalls=$(echo "$calls" | tr ' ' '\n' | awk -F'×' '{ s += $2 } END { print s + 0 }')
    read_ms=$(sed -n 's/.*snapshot: .* read in \([0-9]*\) ms.*/\1/p' "$SNMPD_LOG" | tail -n "$ROUNDS" | median)
    get_ms=$(median < "$WORK/get-ms")
    stop_snmpd
    rows+=("| $n | $ncalls | $calls | $read_ms | $get_ms |")
done

echo "module: $VMM_SO"
echo "| running containers | calls per refresh | calls | read (ms, median) | GET with refresh (ms, median) |"
echo "|---:|---:|---|---:|---:|"
printf '%s\n' "${rows[@]}"
