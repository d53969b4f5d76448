#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# vm-mib against a real hypervisor: the system libvirtd (qemu:///system)
# with QEMU guests under software emulation (tests/integration/qemu-bed.sh
# builds and removes the bed), the module in a real snmpd that also serves
# IF-MIB and HOST-RESOURCES-MIB, a real snmptrapd.
#
# A: libvirt calls: with the client's RPC debug log on, one cache refresh
#    costs the same calls for one running guest as for three, for a GET of
#    one object as for a walk of the whole MIB; bulk statistics are used.
# B: every vmTable, vmCpuTable, vmCpuAffinityTable, vmStorageTable and
#    vmNetworkTable value of each guest against virsh (dominfo, vcpuinfo,
#    vcpupin, domstats, domblklist, domblkinfo, domblkstat, domiflist,
#    domifstat); counters lie between two virsh readings taken around ours.
# C: cross-references in the same snmpd: ifDescr of vmNetworkIfIndex is the
#    tap; vmNetworkParent follows the uplink rule as ports come and go;
#    hrStorageDescr of vmStorageParent is the image's mount point;
#    hrDeviceType of every vmCpuPhysIndex is a processor.
# D: lifecycle of a real guest: start, suspend, resume, managedsave, restore,
#    destroy, start, destroy, undefine, each with its notifications in order
#    and their previous states; vmUpTime over it.
# E: snmpd restarted while guests run: same vmIndex values, vmUpTime still
#    counted from each guest's start.
# F: vmMibWritable yes: pause, resume, pinning and destroy by SET.
. "$(dirname "$0")/lib.sh"
vmm_need_root "the system libvirtd, QEMU guests, a bridge"
. "$(dirname "$0")/qemu-bed.sh"
trap 'bed_cleanup; vmm_cleanup' EXIT

HR_DEVICE_TYPE=.1.3.6.1.2.1.25.3.2.1.2
HR_DEVICE_PROCESSOR=.1.3.6.1.2.1.25.3.1.3
IF_DESCR=.1.3.6.1.2.1.2.2.1.2
IF_HC_IN_OCTETS=.1.3.6.1.2.1.31.1.1.1.6
IF_HC_OUT_OCTETS=.1.3.6.1.2.1.31.1.1.1.10
PROC_BASE=196608                     # hrDeviceIndex of host CPU 0
CACHE=1                              # vmMibCacheTimeout of this suite

# notifications and vmOperState values
RUNNING=1 SHUTDOWN=3 PAUSED=4 SUSPENDING=5 SUSPENDED=6 RESUMING=7 DELETED=10
S_RUNNING=4 S_SUSPENDING=5 S_SUSPENDED=6 S_RESUMING=7 S_PAUSED=8 S_SHUTDOWN=11
P_PERSISTENT=2

cache_expires() { sleep "$CACHE.2"; }

# value OID...: the values only, one per line (after " = ").
value() { sget "$@" | sed 's/^[^ ]* = //'; }

# number: a value without its type ("Counter64: 7", "Timeticks: (7) ..." -> 7).
number() { sed 's/^[A-Za-z0-9]*: //; s/^(\([0-9]*\)).*/\1/'; }

# assert_between NAME LOW VALUE HIGH
assert_between() {
    if [[ $3 =~ ^[0-9]+$ ]] && [ "$2" -le "$3" ] && [ "$3" -le "$4" ]; then ok "$1 ($2 <= $3 <= $4)"
    else fail "$1"; echo "  expected $2 <= value <= $4, value: $3"; fi
}

# ---- RPC calls (lib.sh: start_snmpd_rpc, rpc_calls_during)
RPC_LOG=$WORK/rpc.log

without_xml() { echo "$1" | tr ' ' '\n' | grep -v '^DOMAIN_GET_XML_DESC' | xargs; }

# ---- values of one guest against virsh

# virsh_sample G FILE: dominfo, CPU and vCPU times, every disk's and tap's
# counters, in one file of "key value" lines.
virsh_sample() {
    local g=$1 t
    {
        bvirsh dominfo "$g" | sed 's/: */ /; s/^\([A-Za-z]*\) \([A-Za-z]*\) /\1_\2 /'
        bvirsh domstats --cpu-total --vcpu "$g" | sed -n 's/^ *\([a-z0-9.]*\)=\(.*\)/\1 \2/p'
        for t in $(bvirsh domblklist "$g" | awk '$2 != "-" { print $1 }'); do
            bvirsh domblkstat "$g" "$t" | awk -v t="$t" '{ print t "." $2, $3 }'
        done
        for t in $(bvirsh domiflist "$g" | awk '$1 != "-" { print $1 }'); do
            bvirsh domifstat "$g" "$t" | awk -v t="$t" '{ print t "." $2, $3 }'
        done
    } > "$2"
}

sample() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# walked OID: its value in the last walk ($WORK/walk).
walked() { awk -v o="$1" '$1 == o { sub(/^[^=]*= /, ""); print }' "$WORK/walk"; }

ceil_mib() { echo $((($1 + 1048575) / 1048576)); }

uuid_walked() { uuid_hex "$1" | sed 's/$/ /'; }

check_vm_row() {
    local g=$1 i=$2 v1=$3 v2=$4 n
    n="$g vmTable"
    assert_eq "$n vmName" "STRING: \"$g\"" "$(walked $vmName.$i)"
    assert_eq "$n vmUUID" "Hex-STRING: $(uuid_walked "$(sample "$v1" UUID)")" "$(walked $vmUUID.$i)"
    assert_eq "$n vmOSType = dominfo OS Type" "STRING: \"$(sample "$v1" OS_Type)\"" "$(walked $vmOSType.$i)"
    assert_eq "$n dominfo State" "running" "$(sample "$v1" State)"
    assert_eq "$n vmAdminState running(1)" "INTEGER: 1" "$(walked $vmAdminState.$i)"
    assert_eq "$n vmOperState running(4)" "INTEGER: 4" "$(walked $vmOperState.$i)"
    assert_eq "$n dominfo Autostart" "disable" "$(sample "$v1" Autostart)"
    assert_eq "$n vmAutoStart disabled(3)" "INTEGER: 3" "$(walked $vmAutoStart.$i)"
    assert_eq "$n dominfo Persistent" "yes" "$(sample "$v1" Persistent)"
    assert_eq "$n vmPersistent persistent(2)" "INTEGER: 2" "$(walked $vmPersistent.$i)"
    assert_eq "$n vmCurCpuNumber = dominfo CPU(s)" "INTEGER: $(sample "$v1" 'CPU(s)')" "$(walked $vmCurCpuNumber.$i)"
    assert_eq "$n vmMinCpuNumber" "INTEGER: -1" "$(walked $vmMinCpuNumber.$i)"
    assert_eq "$n vmMaxCpuNumber = vcpucount maximum live" \
        "INTEGER: $(bvirsh vcpucount --maximum --live "$g")" "$(walked $vmMaxCpuNumber.$i)"
    assert_eq "$n vmMemUnit" "INTEGER: 1024" "$(walked $vmMemUnit.$i)"
    assert_eq "$n vmCurMem = dominfo Used memory (KiB)" \
        "INTEGER: $(sample "$v1" Used_memory)" "$(walked $vmCurMem.$i)"
    assert_eq "$n vmMinMem" "INTEGER: -1" "$(walked $vmMinMem.$i)"
    assert_eq "$n vmMaxMem = dominfo Max memory (KiB)" \
        "INTEGER: $(sample "$v1" Max_memory)" "$(walked $vmMaxMem.$i)"
    assert_between "$n vmCpuTime (µs) between two domstats cpu.time" \
        $(($(sample "$v1" cpu.time) / 1000)) "$(walked $vmCpuTime.$i | number)" \
        $(($(sample "$v2" cpu.time) / 1000))
}

check_uptime() {
    local g=$1 i=$2 pid etimes up
    pid=$(cat "/run/libvirt/qemu/$g.pid")
    etimes=$(ps -o etimes= -p "$pid" | tr -d ' ')
    up=$(walked $vmUpTime.$i | number)
    assert_between "$g vmUpTime (cs) = age of its QEMU process ($etimes s)" \
        $(((etimes - CACHE - 2) * 100)) "$up" $(((etimes + 1) * 100))
}

check_cpus() {
    local g=$1 i=$2 v1=$3 v2=$4 n vcpu cpus want got c
    for vcpu in $(bvirsh vcpuinfo "$g" | awk '/^VCPU:/ { print $2 }'); do
        n=$((vcpu + 1))
        assert_between "$g vmCpuCoreTime.$n (µs) between two domstats vcpu.$vcpu.time" \
            $(($(sample "$v1" vcpu.$vcpu.time) / 1000)) \
            "$(walked $vmCpuCoreTime.$i.$n | number)" \
            $(($(sample "$v2" vcpu.$vcpu.time) / 1000))
        cpus=$(pinned_cpus "$g" "$vcpu")
        want=""
        for ((c = 0; c < NCPU; c++)); do
            want+="$vmCpuAffinity.$i.$n.$((PROC_BASE + c)) = INTEGER: $(cpu_in "$c" "$cpus" && echo 1 || echo 2)"$'\n'
        done
        got=$(grep "^$vmCpuAffinity\.$i\.$n\." "$WORK/walk")
        assert_eq "$g vmCpuAffinity of vCPU $vcpu = vcpupin '$cpus'" "${want%$'\n'}" "$got"
    done
    assert_eq "$g vmCpuTable rows = vcpuinfo" \
        "$(bvirsh vcpuinfo "$g" | grep -c '^VCPU:')" "$(grep -c "^$vmCpuCoreTime\.$i\." "$WORK/walk")"
}

# pinned_cpus G VCPU: the host CPUs vCPU may run on, as virsh vcpupin says.
pinned_cpus() { bvirsh vcpupin "$1" --vcpu "$2" | awk -v v="$2" '$1 == v { print $2 }'; }

# cpu_in CPU LIST: LIST is virsh's "0-1,3" form.
cpu_in() {
    local part
    for part in ${2//,/ }; do
        if [[ $part == *-* ]]; then
            [ "$1" -ge "${part%-*}" ] && [ "$1" -le "${part#*-}" ] && return 0
        elif [ "$1" = "$part" ]; then return 0; fi
    done
    return 1
}

# storage_index I RESOURCE-ID: vmStorageIndex of the disk with that source.
storage_index() {
    sed -n "s/^$vmStorageResourceID\.$1\.\([0-9]*\) = STRING: \"${2//\//\\/}\"\$/\1/p" "$WORK/walk"
}

check_disks() {
    local g=$1 i=$2 v1=$3 v2=$4 type device target source j o n fmt bus mount info k cap alloc
    local -A col=([rd_req]=13 [wr_req]=14 [rd_bytes]=15 [wr_bytes]=16)
    while read -r type device target source; do
        n="$g disk $target"
        o="$vmStorageEntry"
        bus=$(bvirsh dumpxml "$g" | sed -n "s/.*<target dev='$target' bus='\([a-z]*\)'.*/\1/p")
        if [ "$device" = cdrom ]; then
            j=$(sed -n "s/^$o\.8\.$i\.\([0-9]*\) = INTEGER: 4\$/\1/p" "$WORK/walk")
            assert_eq "$n (cdrom, no media): domblklist source" "-" "$source"
            assert_eq "$n source type unknown(1), no type, no resource, read-only(3), opticalDisk(4)" \
                "INTEGER: 0|INTEGER: 1|\"\"|\"\"|INTEGER: 3|INTEGER: 4|STRING: \"$bus\"|INTEGER: -1|INTEGER: -1" \
                "$(for k in 3 4 5 6 7 8 9 11 12; do walked $o.$k.$i.$j; done | paste -sd'|')"
            continue
        fi
        j=$(storage_index "$i" "$source")
        [ -n "$j" ] || { fail "$n: a vmStorageTable row with resource $source"; continue; }
        fmt=$(qemu-img info --output=json -U "$source" | sed -n 's/.*"format": "\([a-z0-9]*\)".*/\1/p')
        mount=$(stat -c %m "$source")
        info=$(bvirsh domblkinfo "$g" "$target")
        cap=$(echo "$info" | awk '/^Capacity:/ { print $2 }')
        alloc=$(echo "$info" | awk '/^Allocation:/ { print $2 }')
        assert_eq "$n vmStorageSourceType ($fmt: $([ "$fmt" = raw ] && echo 'raw(4)' || echo 'sparse(5)'))" \
            "INTEGER: $([ "$fmt" = raw ] && echo 4 || echo 5)" "$(walked $o.4.$i.$j)"
        assert_eq "$n vmStorageSourceTypeString" "STRING: \"$fmt\"" "$(walked $o.5.$i.$j)"
        assert_eq "$n vmStorageAccess readWrite(2), vmStorageMediaType hardDisk(3), bus" \
            "INTEGER: 2|INTEGER: 3|STRING: \"$bus\"" \
            "$(for k in 7 8 9; do walked $o.$k.$i.$j; done | paste -sd'|')"
        assert_eq "$n vmStorageSizeUnit MiB" "INTEGER: 1048576" "$(walked $o.10.$i.$j)"
        assert_eq "$n vmStorageDefinedSize = domblkinfo Capacity $cap rounded up" \
            "INTEGER: $(ceil_mib "$cap")" "$(walked $o.11.$i.$j)"
        if [ "$fmt" = raw ]; then
            assert_eq "$n vmStorageAllocatedSize = defined (raw)" \
                "INTEGER: $(ceil_mib "$cap")" "$(walked $o.12.$i.$j)"
        else
            assert_eq "$n vmStorageAllocatedSize = domblkinfo Allocation $alloc rounded up" \
                "INTEGER: $(ceil_mib "$alloc")" "$(walked $o.12.$i.$j)"
        fi
        for k in rd_req wr_req rd_bytes wr_bytes; do
            assert_between "$n ${col[$k]} between two domblkstat $k" "$(sample "$v1" "$target.$k")" \
                "$(walked $o.${col[$k]}.$i.$j | number)" "$(sample "$v2" "$target.$k")"
        done
        assert_between "$n vmStorageReadLatency (µs) between two domblkstat rd_total_times" \
            $(($(sample "$v1" "$target.rd_total_times") / 1000)) \
            "$(walked $o.17.$i.$j | number)" \
            $((($(sample "$v2" "$target.rd_total_times") + 999) / 1000))
        assert_between "$n vmStorageWriteLatency (µs) between two domblkstat wr_total_times" \
            $(($(sample "$v1" "$target.wr_total_times") / 1000)) \
            "$(walked $o.18.$i.$j | number)" \
            $((($(sample "$v2" "$target.wr_total_times") + 999) / 1000))
        # C: the parent is the filesystem holding the image
        assert_eq "$n: hrStorageDescr.<vmStorageParent> is $mount, the image's mount point" \
            "STRING: \"$mount\"" "$(value "$hrStorageDescr.$(walked $o.3.$i.$j | number)")"
    done < <(bvirsh domblklist --details "$g")
}

# mac_hex MAC: as the walk prints a PhysAddress.
mac_hex() { echo "$1" | tr 'a-f:' 'A-F ' | sed 's/$/ /'; }

# network_index I MAC: vmNetworkIndex of the NIC with that MAC.
network_index() {
    grep "^$vmNetworkPhysAddress\.$1\.[0-9]* = Hex-STRING: $(mac_hex "$2")\$" "$WORK/walk" |
        sed 's/ = .*//; s/.*\.//'
}

check_nics() {
    local g=$1 i=$2 v1=$3 v2=$4 dev type source model mac j o=$vmNetworkEntry n ifindex
    while read -r dev type source model mac; do
        n="$g NIC $mac ($type)"
        j=$(network_index "$i" "$mac")
        [ -n "$j" ] || { fail "$n: a vmNetworkTable row with that MAC"; continue; }
        assert_eq "$n vmNetworkModel" "STRING: \"$model\"" "$(walked $o.4.$i.$j)"
        assert_eq "$n vmNetworkParent: its bridge has no uplink port" "INTEGER: 0" "$(walked $o.3.$i.$j)"
        if [ "$type" = user ]; then
            assert_eq "$n: user networking has no host interface" "-|INTEGER: 0" "$dev|$(walked $o.2.$i.$j)"
            continue
        fi
        ifindex=$(cat "/sys/class/net/$dev/ifindex")
        assert_eq "$n vmNetworkIfIndex = ifindex of $dev" "INTEGER: $ifindex" "$(walked $o.2.$i.$j)"
        assert_eq "$n: ifDescr.<vmNetworkIfIndex> is the tap $dev" "STRING: \"$dev\"" \
            "$(value $IF_DESCR.$ifindex)"
        assert_eq "$n: on bridge $BED_BRIDGE" "$BED_BRIDGE" "$source"
        # the tap's IF-MIB counters are the guest's, mirrored
        assert_between "$n: ifHCOutOctets of $dev between two domifstat rx_bytes" \
            "$(sample "$v1" "$dev.rx_bytes")" "$(value $IF_HC_OUT_OCTETS.$ifindex | number)" \
            "$(sample "$v2" "$dev.rx_bytes")"
        assert_between "$n: ifHCInOctets of $dev between two domifstat tx_bytes" \
            "$(sample "$v1" "$dev.tx_bytes")" "$(value $IF_HC_IN_OCTETS.$ifindex | number)" \
            "$(sample "$v2" "$dev.tx_bytes")"
    done < <(bvirsh domiflist "$g")
}

# check_guest G: B and C for one running guest.
check_guest() {
    local g=$1 i
    i=$(vm_index "$g")
    [ -n "$i" ] || { fail "$g has a vmIndex"; return; }
    virsh_sample "$g" "$WORK/$g.v1"
    cache_expires                       # ours is read after the first sample
    swalk $vmObjects > "$WORK/walk"
    virsh_sample "$g" "$WORK/$g.v2"
    check_vm_row "$g" "$i" "$WORK/$g.v1" "$WORK/$g.v2"
    check_uptime "$g" "$i"
    check_cpus "$g" "$i" "$WORK/$g.v1" "$WORK/$g.v2"
    check_disks "$g" "$i" "$WORK/$g.v1" "$WORK/$g.v2"
    check_nics "$g" "$i" "$WORK/$g.v1" "$WORK/$g.v2"
}

# ====================================================================
bed_start || { fail "the QEMU test bed comes up"; vmm_summary; exit; }
A=${BED_PREFIX}a B=${BED_PREFIX}b C=${BED_PREFIX}c
NCPU=$(bvirsh nodeinfo | awk '/^CPU\(s\):/ { print $2 }')
for x in a b c; do bed_define $x || { fail "guest $x is defined"; vmm_summary; exit; }; done
bvirsh start "$A" >/dev/null || { fail "guest $A starts"; vmm_summary; exit; }
start_snmptrapd_lines || { fail "snmptrapd starts"; vmm_summary; exit; }

CONF="vmMibUri $BED_URI
vmMibCacheTimeout $CACHE
trap2sink udp:127.0.0.1:$TRAP_PORT public"
# A's snmpd answers a request only from a refresh that began after it came
# (it waits up to 10 s for it, the most vmMibRefreshWait allows), so the
# calls a command caused are over when it returns.
A_CONF="$CONF
vmMibRefreshWait 10000"
start_snmpd_rpc qemu "" "$A_CONF" || { fail "snmpd starts"; vmm_summary; exit; }
plain_opts=("${SNMP_OPTS[@]}")
SNMP_OPTS=(-v2c -On -t 15 -r 0)      # the client waits as long as snmpd may
assert_log "connected to qemu:///system" "vm_mib: connected to libvirt at qemu:///system \(read-only\)"
assert_eq "vmHvSoftware" "STRING: \"QEMU\"" "$(value $vmHvSoftware.0)"
assert_eq "vmHvVersion = virsh version's hypervisor" \
    "STRING: \"$(bvirsh version | sed -n 's/^Running hypervisor: QEMU //p')\"" "$(value $vmHvVersion.0)"

# ---------------------------------------------------------------- A
# Each measure follows a start of snmpd, whose first refresh read every
# definition, by a few seconds: definitions are read again after a minute
# (VMM_CONF_MAX_AGE) even when none changed.
sget $vmNumber.0 >/dev/null
get1=$(rpc_calls_during sget $vmNumber.0)
walk1=$(rpc_calls_during swalk $vmMIB)
walk1_n=$(grep -c . "$WORK/rpc-cmd.out")
bvirsh start "$B" >/dev/null && bvirsh start "$C" >/dev/null || fail "guests $B and $C start"
wait_notifications 2 || fail "A: the starts of $B and $C are announced before snmpd stops"
stop_snmpd
start_snmpd_rpc qemu "" "$A_CONF" || { fail "snmpd starts again"; vmm_summary; exit; }
sget $vmNumber.0 >/dev/null             # the first refresh: every definition read
get3=$(rpc_calls_during sget $vmNumber.0)
walk3=$(rpc_calls_during swalk $vmMIB)
walk3_n=$(grep -c . "$WORK/rpc-cmd.out")
SNMP_OPTS=("${plain_opts[@]}")
echo "# one refresh, 1 running guest, GET of 1 object:     $get1"
echo "# one refresh, 1 running guest, walk ($walk1_n varbinds): $walk1"
echo "# one refresh, 3 running guests, GET of 1 object:    $get3"
echo "# one refresh, 3 running guests, walk ($walk3_n varbinds): $walk3"
assert_eq "A: a refresh costs NODE_GET_INFO, 4 domain lists, 1 bulk statistics call" \
    "NODE_GET_INFO×1 CONNECT_LIST_ALL_DOMAINS×4 CONNECT_GET_ALL_DOMAIN_STATS×1" "$get1"
assert_eq "A: a walk costs the same as a GET (1 guest)" "$get1" "$walk1"
assert_eq "A: three running guests cost the same as one (GET)" "$get1" "$(without_xml "$get3")"
assert_eq "A: three running guests cost the same as one (walk)" "$get1" "$(without_xml "$walk3")"
assert_eq "A: no definition re-read while none changed" "$get3 $walk3" "$(without_xml "$get3") $(without_xml "$walk3")"

# ---------------------------------------------------------------- B, C
stop_snmpd
start_snmpd qemu "" "$CONF" || { fail "snmpd starts with the suite's configuration"; vmm_summary; exit; }
for g in "$A" "$B" "$C"; do check_guest "$g"; done

# C: the uplink rule for vmNetworkParent, as ports join and leave the bridge
nic_parent() {
    local i j mac
    i=$(vm_index "$A")
    mac=$(bvirsh domiflist "$A" | awk '$2 == "bridge" { print $5 }')
    j=$(swalk $vmNetworkPhysAddress.$i | grep "Hex-STRING: $(mac_hex "$mac")\$" | sed 's/ = .*//; s/.*\.//')
    value $vmNetworkParent.$i.$j
}
PHYS=""
for d in /sys/class/net/*; do
    [ -e "$d/device" ] && { PHYS=${d##*/}; break; }
done
bed_link "vmve$BED_RUN" type veth peer name "vmvp$BED_RUN" &&
    ip link set "vmve$BED_RUN" master "$BED_BRIDGE"
wait_for "C: a veth port is no uplink: vmNetworkParent stays 0" "INTEGER: 0" 30 nic_parent
if [ -n "$PHYS" ]; then
    # A macvlan on the host's physical $PHYS, kept down: nothing is sent.
    bed_link "vmm1$BED_RUN" link "$PHYS" type macvlan && ip link set "vmm1$BED_RUN" master "$BED_BRIDGE"
    up1=$(cat "/sys/class/net/vmm1$BED_RUN/ifindex")
    wait_for "C: a port stacked on physical $PHYS becomes vmNetworkParent" "INTEGER: $up1" 30 nic_parent
    wait_for "C: ifDescr.<vmNetworkParent> is that port" "STRING: \"vmm1$BED_RUN\"" 100 value $IF_DESCR.$up1
    bed_link "vmm2$BED_RUN" link "$PHYS" type macvlan && ip link set "vmm2$BED_RUN" master "$BED_BRIDGE"
    wait_for "C: two uplink ports: ambiguous, vmNetworkParent 0" "INTEGER: 0" 30 nic_parent
    ip link del "vmm2$BED_RUN"
    wait_for "C: one uplink again: vmNetworkParent is it" "INTEGER: $up1" 30 nic_parent
    ip link del "vmm1$BED_RUN"
    wait_for "C: uplink removed: vmNetworkParent 0" "INTEGER: 0" 30 nic_parent
else
    echo "# no physical network device on this host: the uplink case is not shown"
fi

# C: every vmCpuPhysIndex is a processor in hrDeviceTable
phys=$(swalk $vmCpuAffinity | sed -n "s/^$vmCpuAffinity\.[0-9]*\.[0-9]*\.\([0-9]*\) = .*/\1/p" | sort -u)
bad=""
for p in $phys; do
    [ "$(value $HR_DEVICE_TYPE.$p)" = "OID: $HR_DEVICE_PROCESSOR" ] || bad+=" $p"
done
assert_eq "C: hrDeviceType of every vmCpuPhysIndex ($(echo $phys)) is hrDeviceProcessor" "" "$bad"
assert_eq "C: one vmCpuPhysIndex per host CPU" "$NCPU" "$(echo "$phys" | grep -c .)"

# ---------------------------------------------------------------- D
# expect_one_of NAME SEQUENCE ALTERNATIVE: the new notifications are the
# SEQUENCE (lines) or, if the transient state in it was over before the
# module handled the event (a busy snmpd, e.g. under valgrind), the one-line
# ALTERNATIVE, which ends in the same state.
expect_one_of() {
    local name=$1 final new i
    final=$(printf '%s\n' "$2" | tail -1)
    final=${final%% |*}
    for i in $(seq 150); do
        new=$(vm_notifications | tail -n +$((NOTIF_SEEN + 1)))
        [[ $(printf '%s\n' "$new" | tail -1) == "$final |"* ]] && break
        sleep 0.1
    done
    sleep 0.5
    new=$(vm_notifications | tail -n +$((NOTIF_SEEN + 1)))
    NOTIF_SEEN=$(vm_notification_count)
    if [ "$new" = "$2" ]; then ok "$name"
    elif [ "$new" = "$3" ]; then ok "$name (transient state not seen: ${3%% |*} only)"
    else
        fail "$name"
        printf '  expected:\n%s\n  or:\n%s\n  received:\n%s\n' "$(echo "$2" | sed 's/^/    /')" \
            "    $3" "$(echo "$new" | sed 's/^/    /')"
    fi
}

IC=$(vm_index "$C")
UC=$(bvirsh domuuid "$C" | tr -d '[:space:]')
notifications_mark
uptime_of() { value $vmUpTime.$1 | number; }
# pervm KIND PREV [PERSISTENT]: the expected line for guest C
pervm() { pervm_line "$1" "$IC" "$C" "$UC" "${@:2}"; }
act() { NOTIF_T0=$EPOCHREALTIME; bvirsh "$@" "$C" >/dev/null || fail "virsh $* $C"; }

cache_expires; u0=$(uptime_of "$IC"); t0=$SECONDS
act suspend
expect_notifications "D: suspend: vmPaused(prev running)" "$(pervm $PAUSED $S_RUNNING)"
act resume
expect_notifications "D: resume: vmRunning(prev paused)" "$(pervm $RUNNING $S_PAUSED)"
cache_expires; u1=$(uptime_of "$IC")
assert_between "D: vmUpTime after suspend + resume went on ($((SECONDS - t0)) s later)" \
    $((u0 + (SECONDS - t0 - 1) * 100)) "$u1" $((u0 + (SECONDS - t0 + 1) * 100))
act managedsave
expect_one_of "D: managedsave: vmSuspending(prev running), vmSuspended(prev suspending)" \
    "$(pervm $SUSPENDING $S_RUNNING)"$'\n'"$(pervm $SUSPENDED $S_SUSPENDING)" \
    "$(pervm $SUSPENDED $S_RUNNING)"
assert_eq "D: saved: vmOperState suspended(6), vmUpTime 0" "INTEGER: 6|Timeticks: (0) 0:00:00.00" \
    "$(value $vmOperState.$IC $vmUpTime.$IC | paste -sd'|')"
act start
expect_one_of "D: start restores: vmResuming(prev suspended), vmRunning(prev resuming)" \
    "$(pervm $RESUMING $S_SUSPENDED)"$'\n'"$(pervm $RUNNING $S_RESUMING)" \
    "$(pervm $RUNNING $S_SUSPENDED)"
cache_expires; u2=$(uptime_of "$IC")
assert_between "D: a restored guest continues its run's vmUpTime" $((u1 + 100)) "$u2" \
    $((u0 + (SECONDS - t0 + 1) * 100))
act destroy
expect_notifications "D: destroy: vmShutdown(prev running)" "$(pervm $SHUTDOWN $S_RUNNING)"
assert_eq "D: destroyed: vmOperState shutdown(11), vmUpTime 0" "INTEGER: 11|Timeticks: (0) 0:00:00.00" \
    "$(value $vmOperState.$IC $vmUpTime.$IC | paste -sd'|')"
t1=$SECONDS
act start
expect_notifications "D: start: vmRunning(prev shutdown)" "$(pervm $RUNNING $S_SHUTDOWN)"
cache_expires
assert_between "D: a fresh start resets vmUpTime" 0 "$(uptime_of "$IC")" $(((SECONDS - t1 + 1) * 100))
act destroy
expect_notifications "D: destroy: vmShutdown(prev running)" "$(pervm $SHUTDOWN $S_RUNNING)"
act undefine
expect_notifications "D: undefine: vmDeleted(prev shutdown, persistent)" \
    "$(pervm $DELETED $S_SHUTDOWN $P_PERSISTENT)"
assert_eq "D: the row is gone" "$vmName.$IC = No Such Instance currently exists at this OID" \
    "$(sget $vmName.$IC)"

# ---------------------------------------------------------------- E
IA=$(vm_index "$A") IB=$(vm_index "$B")
cache_expires
before=$(swalk $vmName)
ua=$(uptime_of "$IA"); ta=$EPOCHREALTIME
stop_snmpd
sleep 3
start_snmpd qemu "" "$CONF" || { fail "snmpd starts again"; vmm_summary; exit; }
assert_eq "E: after an snmpd restart every vmIndex is the same" "$before" "$(swalk $vmName)"
ua2=$(uptime_of "$IA")
gap=$(( (${EPOCHREALTIME/./} - ${ta/./}) / 10000 ))
assert_between "E: vmUpTime goes on from the guest's start (+$gap cs)" $((ua + gap - 150)) "$ua2" $((ua + gap + 50))
snmpd_up=$(value $sysUpTime.0 | number)
assert_between "E: vmUpTime is not snmpd's uptime ($snmpd_up cs)" $((snmpd_up + 300)) "$ua2" 2147483647
NOTIF_SETTLE=1 expect_notifications "E: the restart announces nothing"

# ---------------------------------------------------------------- F
stop_snmpd
start_snmpd qemu "" "$CONF
vmMibWritable yes" || { fail "snmpd starts with vmMibWritable yes"; vmm_summary; exit; }
assert_log "F: read-write connection" "vm_mib: connected to libvirt at qemu:///system \(read-write\)"
UA=$(bvirsh domuuid "$A" | tr -d '[:space:]')
set_state() {
    NOTIF_T0=$EPOCHREALTIME
    assert_eq "F: SET vmAdminState.$IA = $1" "$vmAdminState.$IA = INTEGER: $1" "$(sset $vmAdminState.$IA i "$1")"
}
set_state 3
assert_eq "F: virsh domstate: paused" "paused" "$(bvirsh domstate "$A")"
expect_notifications "F: vmPaused(prev running)" "$(pervm_line $PAUSED "$IA" "$A" "$UA" $S_RUNNING)"
set_state 1
assert_eq "F: virsh domstate: running" "running" "$(bvirsh domstate "$A")"
expect_notifications "F: vmRunning(prev paused)" "$(pervm_line $RUNNING "$IA" "$A" "$UA" $S_PAUSED)"
if [ "$NCPU" -ge 2 ]; then
    # vCPU 1 may run on every CPU; take CPU 0 away from it, live.
    assert_eq "F: SET vmCpuAffinity of vCPU 1 on CPU 0 to disable(2)" \
        "$vmCpuAffinity.$IA.2.$PROC_BASE = INTEGER: 2" "$(sset $vmCpuAffinity.$IA.2.$PROC_BASE i 2)"
    rest=$([ "$NCPU" -eq 2 ] && echo 1 || echo "1-$((NCPU - 1))")
    assert_eq "F: virsh vcpupin: vCPU 1 runs on $rest only" "$rest" "$(pinned_cpus "$A" 1)"
fi
set_state 5                           # destroy runs in a worker thread: poll
wait_for "F: virsh domstate: shut off" "shut off" 100 bvirsh domstate "$A"
expect_notifications "F: destroy(5): vmShutdown(prev running)" "$(pervm_line $SHUTDOWN "$IA" "$A" "$UA" $S_RUNNING)"
assert_eq "F: vmAdminState reads shutdown(4), vmOperState shutdown(11)" "INTEGER: 4|INTEGER: 11" \
    "$(value $vmAdminState.$IA $vmOperState.$IA | paste -sd'|')"
assert_eq "F: guest $B untouched" "running" "$(bvirsh domstate "$B")"

stop_snmpd
assert_eq "snmpd logged no error" "" \
    "$(grep -Ei 'error|warning|fail' "$SNMPD_LOG" | grep -Ev 'Cannot find module|Did not find|Unlinked OID|Undefined identifier|Cannot adopt')"
vmm_summary
