#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# vm-mib against libvirt's LXC driver: a private root libvirtd (its own
# mount namespace, its own /etc, /run, /var/lib, /var/cache, /var/log
# libvirt directories, so the system libvirtd and other suites' daemons are
# not touched) running real application containers (/bin/sleep as init, a
# veth on a bridge made here), the module in a real snmpd that also serves
# IF-MIB, a real snmptrapd.
#
# A: libvirt calls: the LXC driver has no bulk statistics and no vCPU
#    information; each is asked once per connection, not on every refresh.
# B: every vmTable column of a running container against virsh (dominfo,
#    domstate --reason, dumpxml, domuuid, cpu-stats); vmCpuTable rows
#    without times; no vmStorageTable rows for its <filesystem>;
#    vmNetworkIfIndex is the host end of its veth in IF-MIB; vmCpuTime grows
#    with work done in the container.
# C: start, suspend (freezer), resume, destroy, start, destroy, undefine,
#    each with its notifications in order; vmUpTime over it.
# D: snmpd restarted: vmUpTime still counts from the container's start.
# E: libvirtd restarted: on the new connection bulk statistics and vCPU
#    information are asked once again, and then no more.
#
# The bed: tests/integration/lxc-bed.sh.
. "$(dirname "$0")/lib.sh"
vmm_need_root "a root libvirtd with the LXC driver, cgroups, a bridge"
. "$(dirname "$0")/lxc-bed.sh"
trap 'lxc_bed_cleanup; vmm_cleanup' EXIT
if why=$(lxc_bed_missing); then
    echo "# SKIP: $why"
    SKIPPED=1
    vmm_summary
    exit 77
fi

IF_DESCR=.1.3.6.1.2.1.2.2.1.2
PROC_BASE=196608                     # hrDeviceIndex of host CPU 0
CACHE=1                              # vmMibCacheTimeout of this suite
RUNNING=1 SHUTDOWN=3 PAUSED=4 DELETED=10
S_RUNNING=4 S_PAUSED=8 S_SHUTDOWN=11
P_PERSISTENT=2
NO_INSTANCE="No Such Instance currently exists at this OID"
C1=${LXC_PREFIX}a C2=${LXC_PREFIX}b

cache_expires() { sleep "$CACHE.2"; }
value() { sget "$@" | sed 's/^[^ ]* = //'; }
number() { sed 's/^[A-Za-z0-9]*: //; s/^(\([0-9]*\)).*/\1/'; }
walked() { awk -v o="$1" '$1 == o { sub(/^[^=]*= /, ""); print }' "$WORK/walk"; }
uuid_walked() { uuid_hex "$1" | sed 's/$/ /'; }
mac_hex() { echo "$1" | tr 'a-f:' 'A-F ' | sed 's/$/ /'; }

assert_between() {
    if [[ $3 =~ ^[0-9]+$ ]] && [ "$2" -le "$3" ] && [ "$3" -le "$4" ]; then ok "$1 ($2 <= $3 <= $4)"
    else fail "$1"; echo "  expected $2 <= value <= $4, value: $3"; fi
}

# age_cs PID: how old the process is, in whole seconds times 100.
age_cs() { echo $(($(ps -o etimes= -p "$1" | tr -d ' ') * 100)); }

# assert_uptime NAME PID OID: the value of OID (vmUpTime) is the age of
# process PID: from the picture's age (at most CACHE + 2 s) before the GET
# to 1 s (etimes is rounded down) after it.
assert_uptime() {
    local before up after
    before=$(age_cs "$2")
    up=$(value "$3" | number)
    after=$(age_cs "$2")
    before=$((before - (CACHE + 2) * 100))
    assert_between "$1" $((before > 0 ? before : 0)) "$up" $((after + 100))
}

# cpu_ns C: the container's CPU time (its cpuacct cgroup) as libvirt reads it.
cpu_ns() {
    lvirsh cpu-stats "$1" --total | awk '$1 == "cpu_time" { split($2, p, "."); print p[1] p[2] }' |
        sed 's/^0*\([0-9]\)/\1/'
}

# xml_kib C ELEMENT: <memory>/<currentMemory> of the live definition, KiB.
xml_kib() { lvirsh dumpxml "$1" | sed -n "s|.*<$2 unit='KiB'>\([0-9]*\)</$2>.*|\1|p"; }

# ---- RPC calls (lib.sh: start_snmpd_rpc, rpc_names, rpc_calls_during)
RPC_LOG=$WORK/rpc.log

# ====================================================================
lxc_bed_start || { fail "the bed (bridge, private libvirtd) comes up"; vmm_summary; exit; }
assert_eq "the private libvirtd runs the LXC driver" "LXC" \
    "$(lvirsh version | sed -n 's/^Running hypervisor: \([A-Z]*\) .*/\1/p')"
lxc_bed_define a "$(lxc_bed_mac 1)" && lxc_bed_define b "$(lxc_bed_mac 2)" ||
    { fail "containers are defined"; vmm_summary; exit; }
lvirsh start "$C1" >/dev/null || { fail "container $C1 starts"; cat "$LXC_DIR/log/lxc/$C1.log"; vmm_summary; exit; }
start_snmptrapd_lines || { fail "snmptrapd starts"; vmm_summary; exit; }

CONF="vmMibUri $LXC_URI
vmMibCacheTimeout $CACHE
trap2sink udp:127.0.0.1:$TRAP_PORT public"
start_snmpd_rpc lxc "" "$CONF" || { fail "snmpd starts"; vmm_summary; exit; }
assert_log "connected to the private LXC libvirtd" "vm_mib: connected to libvirt at lxc\+unix:///system"
# the first picture (slow under valgrind) before any value is compared
has_machines() { sget $vmNumber.0 | grep -q INTEGER; }
retry 300 has_machines || fail "vmNumber.0 answers"
assert_eq "vmHvSoftware" "STRING: \"LXC\"" "$(value $vmHvSoftware.0)"
assert_eq "vmHvVersion = virsh version's hypervisor" \
    "STRING: \"$(lvirsh version | sed -n 's/^Running hypervisor: LXC //p')\"" "$(value $vmHvVersion.0)"

# ---------------------------------------------------------------- A
sget $vmNumber.0 >/dev/null
get1=$(rpc_calls_during sget $vmNumber.0)
walk1=$(rpc_calls_during swalk $vmMIB)
all=$(rpc_names < "$RPC_LOG")
echo "# one refresh, 1 running + 1 shut-off container, GET of 1 object: $get1"
echo "# one refresh, 1 running + 1 shut-off container, walk:            $walk1"
echo "# every call since snmpd started:                                  $all"
assert_eq "A: a refresh costs NODE_GET_INFO, 4 domain lists, GET_STATE per container, GET_INFO and MEMORY_STATS per running one" \
    "NODE_GET_INFO×1 DOMAIN_GET_INFO×1 DOMAIN_MEMORY_STATS×1 DOMAIN_GET_STATE×2 CONNECT_LIST_ALL_DOMAINS×4" "$get1"
assert_eq "A: a walk costs the same as a GET" "$get1" "$walk1"
assert_eq "A: bulk statistics and vCPU information were asked once since the connection opened" \
    "DOMAIN_GET_VCPUS×1 CONNECT_GET_ALL_DOMAIN_STATS×1" \
    "$(echo "$all" | tr ' ' '\n' | grep -E '^(DOMAIN_GET_VCPUS|CONNECT_GET_ALL_DOMAIN_STATS)×' | xargs)"

# ---------------------------------------------------------------- B
I1=$(vm_index "$C1")
[ -n "$I1" ] || { fail "$C1 has a vmIndex"; vmm_summary; exit; }
PID1=$(lvirsh domid "$C1" | tr -d '[:space:]')
ns1=$(cpu_ns "$C1")
cache_expires
swalk $vmObjects > "$WORK/walk"
ns2=$(cpu_ns "$C1")
n="$C1 vmTable"
info=$(lvirsh dominfo "$C1")
field() { echo "$info" | sed -n "s/^$1: *//p"; }
assert_eq "$n vmName" "STRING: \"$C1\"" "$(walked $vmName.$I1)"
assert_eq "$n vmUUID = domuuid" "Hex-STRING: $(uuid_walked "$(lvirsh domuuid "$C1" | tr -d '[:space:]')")" \
    "$(walked $vmUUID.$I1)"
assert_eq "$n vmOSType = dominfo OS Type (exe)" "STRING: \"$(field 'OS Type')\"" "$(walked $vmOSType.$I1)"
assert_eq "$n domstate --reason" "running (booted)" "$(lvirsh domstate --reason "$C1")"
assert_eq "$n vmAdminState running(1), vmOperState running(4)" "INTEGER: 1|INTEGER: 4" \
    "$(walked $vmAdminState.$I1)|$(walked $vmOperState.$I1)"
assert_eq "$n dominfo Autostart, Persistent" "disable|yes" "$(field Autostart)|$(field Persistent)"
assert_eq "$n vmAutoStart disabled(3), vmPersistent persistent(2)" "INTEGER: 3|INTEGER: 2" \
    "$(walked $vmAutoStart.$I1)|$(walked $vmPersistent.$I1)"
assert_eq "$n vmCurCpuNumber = dominfo CPU(s)" "INTEGER: $(field 'CPU(s)')" "$(walked $vmCurCpuNumber.$I1)"
assert_eq "$n vmMinCpuNumber -1, vmMaxCpuNumber = dumpxml <vcpu>" \
    "INTEGER: -1|INTEGER: $(lvirsh dumpxml "$C1" | sed -n 's|.*<vcpu[^>]*>\([0-9]*\)</vcpu>.*|\1|p')" \
    "$(walked $vmMinCpuNumber.$I1)|$(walked $vmMaxCpuNumber.$I1)"
assert_eq "$n vmMemUnit KiB" "INTEGER: 1024" "$(walked $vmMemUnit.$I1)"
assert_eq "$n vmCurMem = dumpxml <currentMemory> (what it is given)" \
    "INTEGER: $(xml_kib "$C1" currentMemory)" "$(walked $vmCurMem.$I1)"
used=$(field 'Used memory' | sed 's/ KiB//')
[ "$used" != "$(xml_kib "$C1" currentMemory)" ] &&
    ok "$n vmCurMem is not dominfo's Used memory ($used KiB, what it uses)" ||
    skip "$n vmCurMem differs from Used memory" "the container uses exactly what it is given"
assert_eq "$n vmMinMem -1, vmMaxMem = dominfo Max memory" \
    "INTEGER: -1|INTEGER: $(field 'Max memory' | sed 's/ KiB//')" \
    "$(walked $vmMinMem.$I1)|$(walked $vmMaxMem.$I1)"
assert_eq "$n vmCurMem = dommemstat actual" "INTEGER: $(lvirsh dommemstat "$C1" | awk '$1 == "actual" { print $2 }')" \
    "$(walked $vmCurMem.$I1)"
assert_between "$n vmCpuTime (µs) between two cpu-stats cpu_time" $((ns1 / 1000)) \
    "$(walked $vmCpuTime.$I1 | number)" $((ns2 / 1000))
cache_expires
assert_uptime "$n vmUpTime (cs) = age of its controller, pid $PID1 = domain id" "$PID1" $vmUpTime.$I1

# vCPUs: rows as the definition has, no per-vCPU time (virsh cannot tell either)
vcpus=$(field 'CPU(s)')
assert_match "virsh vcpuinfo: not supported by the LXC driver" "not supported" \
    "$(lvirsh vcpuinfo "$C1" 2>&1)"
assert_eq "$C1 vmCpuTable: no vmCpuCoreTime" "" "$(grep "^$vmCpuCoreTime\.$I1\." "$WORK/walk")"
assert_absent "$C1 GET vmCpuCoreTime of vCPU 1: noSuchInstance" $vmNumber.0 \
    "$vmCpuCoreTime.$I1.1 = $NO_INSTANCE" sget $vmCpuCoreTime.$I1.1
NCPU=$(lvirsh nodeinfo | awk '/^CPU\(s\):/ { print $2 }')
want=""
for ((v = 1; v <= vcpus; v++)); do
    for ((c = 0; c < NCPU; c++)); do want+="$vmCpuAffinity.$I1.$v.$((PROC_BASE + c)) = INTEGER: 1"$'\n'; done
done
assert_eq "$C1 vmCpuAffinityTable: $vcpus vCPUs, each on all $NCPU host CPUs (no cpuset)" \
    "${want%$'\n'}" "$(grep "^$vmCpuAffinity\.$I1\." "$WORK/walk")"

# storage: a container's <filesystem> is no disk
assert_eq "$C1 dumpxml has a <filesystem> and no <disk>" "1 0" \
    "$(lvirsh dumpxml "$C1" | grep -c '<filesystem ') $(lvirsh dumpxml "$C1" | grep -c '<disk ')"
assert_eq "$C1 has no vmStorageTable row" "" "$(grep "^$vmStorageEntry\.[0-9]*\.$I1\." "$WORK/walk")"

# network: the host end of the veth
read -r dev type source model mac < <(lvirsh domiflist "$C1")
assert_eq "$C1 domiflist: ${C1}v on $LXC_BRIDGE" "${C1}v bridge $LXC_BRIDGE" "$dev $type $source"
j=$(grep "^$vmNetworkPhysAddress\.$I1\.[0-9]* = Hex-STRING: $(mac_hex "$mac")\$" "$WORK/walk" |
    sed 's/ = .*//; s/.*\.//')
ifindex=$(cat "/sys/class/net/$dev/ifindex")
assert_eq "$C1 vmNetworkIfIndex = ifindex of the veth's host end $dev" "INTEGER: $ifindex" \
    "$(walked $vmNetworkIfIndex.$I1.$j)"
assert_eq "$C1 ifDescr.<vmNetworkIfIndex> is $dev" "STRING: \"$dev\"" "$(value $IF_DESCR.$ifindex)"
assert_eq "$C1 vmNetworkParent 0 (the bridge has no uplink), vmNetworkModel empty" "INTEGER: 0|\"\"" \
    "$(walked $vmNetworkParent.$I1.$j)|$(walked $vmNetworkModel.$I1.$j)"

# virsh setmem changes what the container is given: its memory cgroup's limit
lvirsh setmem "$C1" 40000 --live >/dev/null || fail "virsh setmem $C1 40000 --live"
cg=$(sed -n 's/^[0-9]*:memory://p' "/proc/$PID1/cgroup")
assert_eq "$C1 after setmem 40000 KiB: its memory cgroup's limit" "$((40000 * 1024))" \
    "$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes")"
cache_expires
assert_eq "$C1 after setmem: vmCurMem 40000 (KiB), vmMaxMem unchanged" "INTEGER: 40000|INTEGER: 65536" \
    "$(value $vmCurMem.$I1 $vmMaxMem.$I1 | paste -sd'|')"

# vmCpuTime grows with work done inside the container: a shell loop started
# by virsh lxc-enter-namespace, which enters the container's cgroups
t1=$(value $vmCpuTime.$I1 | number)
lxc_bed_enter "$C1" /bin/sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done' >/dev/null ||
    fail "a shell loop runs inside $C1"
ns3=$(cpu_ns "$C1")
cache_expires
t2=$(value $vmCpuTime.$I1 | number)
ns4=$(cpu_ns "$C1")
assert_between "vmCpuTime grew with the loop: at least cpu-stats after it, at most cpu-stats after ours" \
    $((ns3 / 1000)) "$t2" $((ns4 / 1000))
assert_between "vmCpuTime grew ($t1 -> $t2 µs)" $((t1 + 1)) "$t2" $((ns4 / 1000))

# ---------------------------------------------------------------- C
I2=$(vm_index "$C2")
U2=$(lvirsh domuuid "$C2" | tr -d '[:space:]')
pervm() { pervm_line "$1" "$I2" "$C2" "$U2" "${@:2}"; }
act() { NOTIF_T0=$EPOCHREALTIME; lvirsh "$@" "$C2" >/dev/null || fail "virsh $* $C2"; }
state_of() { value $vmAdminState.$I2 $vmOperState.$I2 | paste -sd'|'; }
uptime_of() { value $vmUpTime.$1 | number; }
notifications_mark

act start
expect_notifications "C: start: vmRunning(prev shutdown)" "$(pervm $RUNNING $S_SHUTDOWN)"
pid2=$(lvirsh domid "$C2" | tr -d '[:space:]')
assert_eq "C: domstate --reason" "running (booted)" "$(lvirsh domstate --reason "$C2")"
act suspend
expect_notifications "C: suspend (freezer): vmPaused(prev running)" "$(pervm $PAUSED $S_RUNNING)"
assert_eq "C: domstate --reason" "paused (user)" "$(lvirsh domstate --reason "$C2")"
assert_eq "C: paused: vmAdminState paused(3), vmOperState paused(8)" "INTEGER: 3|INTEGER: 8" "$(state_of)"
cg=$(sed -n 's/^[0-9]*:freezer://p' "/proc/$pid2/cgroup")
assert_eq "C: the freezer holds the container" "FROZEN" \
    "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state" 2>&1)"
act resume
expect_notifications "C: resume: vmRunning(prev paused)" "$(pervm $RUNNING $S_PAUSED)"
cache_expires
assert_uptime "C: vmUpTime after suspend + resume = age of the controller" "$pid2" $vmUpTime.$I2
act destroy
expect_notifications "C: destroy: vmShutdown(prev running)" "$(pervm $SHUTDOWN $S_RUNNING)"
assert_eq "C: destroyed: vmOperState shutdown(11), vmUpTime 0" "INTEGER: 11|Timeticks: (0) 0:00:00.00" \
    "$(value $vmOperState.$I2 $vmUpTime.$I2 | paste -sd'|')"
act start
expect_notifications "C: start again: vmRunning(prev shutdown)" "$(pervm $RUNNING $S_SHUTDOWN)"
pid3=$(lvirsh domid "$C2" | tr -d '[:space:]')
assert_eq "C: a new run has a new controller (domain id)" "different" \
    "$([ "$pid3" != "$pid2" ] && echo different || echo "the same: $pid3")"
cache_expires
assert_uptime "C: a fresh start resets vmUpTime to the new controller's age" "$pid3" $vmUpTime.$I2
act destroy
expect_notifications "C: destroy: vmShutdown(prev running)" "$(pervm $SHUTDOWN $S_RUNNING)"
act undefine
expect_notifications "C: undefine: vmDeleted(prev shutdown, persistent)" \
    "$(pervm $DELETED $S_SHUTDOWN $P_PERSISTENT)"
assert_eq "C: the row is gone" "$vmName.$I2 = $NO_INSTANCE" "$(sget $vmName.$I2)"

# ---------------------------------------------------------------- D
stop_snmpd
sleep 3                               # time passes while snmpd is away
RPC_LOG=$WORK/rpc2.log
start_snmpd_rpc lxc "" "$CONF" || { fail "snmpd starts again"; vmm_summary; exit; }
retry 300 has_machines || fail "vmNumber.0 answers again"
assert_uptime "D: after an snmpd restart vmUpTime is still the controller's age" "$PID1" $vmUpTime.$I1
up=$(uptime_of "$I1")
snmpd_up=$(value $sysUpTime.0 | number)
assert_between "D: vmUpTime is not snmpd's uptime ($snmpd_up cs)" $((snmpd_up + 300)) "$up" 2147483647
NOTIF_SETTLE=1 expect_notifications "D: the restart announces nothing"

# ---------------------------------------------------------------- E
# unsupported_asked: how often each call the LXC driver lacks was asked
unsupported_asked() {
    rpc_names < "$RPC_LOG" | tr ' ' '\n' |
        grep -E '^(DOMAIN_GET_VCPUS|CONNECT_GET_ALL_DOMAIN_STATS)×' | xargs
}
assert_eq "E: one connection so far: each call the driver lacks asked once" \
    "DOMAIN_GET_VCPUS×1 CONNECT_GET_ALL_DOMAIN_STATS×1" "$(unsupported_asked)"
vmm_stop_pid "$LXC_PID"
wait_log "vm_mib: lost libvirt connection" || fail "E: the module notices libvirtd is gone"
lxc_bed_daemon || { fail "E: the private libvirtd starts again"; vmm_summary; exit; }
reconnected() { [ "$(grep -c 'vm_mib: connected to libvirt at' "$SNMPD_LOG")" -ge 2 ]; }
retry 300 reconnected || fail "E: the module connects again"
retry 300 has_machines || fail "vmNumber.0 answers after the reconnect"
rpc_calls_during sget $vmNumber.0 >/dev/null
assert_eq "E: the new connection asked each once more, the refreshes since then not" \
    "DOMAIN_GET_VCPUS×2 CONNECT_GET_ALL_DOMAIN_STATS×2" "$(unsupported_asked)"
assert_eq "E: the running container is taken over, its vmUpTime goes on" "running" \
    "$(lvirsh domstate "$C1")"
assert_uptime "E: vmUpTime is still the controller's age" "$PID1" $vmUpTime.$I1
NOTIF_SETTLE=1 expect_notifications "E: the reconnect announces nothing"

stop_snmpd
assert_eq "snmpd logged no error but the outage of E" "" \
    "$(grep -Ei 'error|warning|fail' "$SNMPD_LOG" |
       grep -Ev 'Cannot find module|Did not find|Unlinked OID|Undefined identifier|Cannot adopt' |
       grep -Ev 'vm_mib: (lost libvirt connection|cannot connect to libvirt) ')"
vmm_summary
