# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The real test bed of tests/integration/qemu.sh (bash, sourced after
# lib.sh): the system libvirtd with QEMU guests under software emulation.
#
# Everything the bed makes carries this run's prefix ($BED_RUN): guests
# vmmib-<run>-<x>, the bridge vmbr<run>, its extra ports, the image folder
# /var/lib/libvirt/images/vmmib-<run>.  bed_cleanup removes exactly those,
# also when a test fails, stops virtlogd/libvirtd only if bed_start
# started them, and gives /dev/kvm back its mode (bed_kvm).

BED_URI=qemu:///system
BED_RUN=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
BED_PREFIX="vmmib-$BED_RUN-"
BED_BRIDGE="vmbr$BED_RUN"
BED_IMAGES="/var/lib/libvirt/images/vmmib-$BED_RUN"
BED_LINKS=("$BED_BRIDGE")            # removed last to first
BED_DAEMONS=()                       # PIDs of the daemons bed_start started
BED_KVM_MODE=""                      # "owner:group mode" of /dev/kvm to restore

bvirsh() { virsh -q -c "$BED_URI" "$@"; }

# bed_daemon NAME PIDFILE SOCKET: start the system daemon NAME in the
# foreground (so its PID is ours) unless one already answers on SOCKET.
bed_daemon() {
    local name=$1 pidfile=$2 sock=$3 pid i
    if [ -S "$sock" ] && [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "# $name already runs (pid $(cat "$pidfile")): using it, leaving it running"
        return 0
    fi
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "/usr/sbin/$name" >> "$WORK/$name.log" 2>&1 &
    pid=$!
    BED_DAEMONS+=("$pid")
    for i in $(seq 100); do
        [ -S "$sock" ] && [ "$(cat "$pidfile" 2>/dev/null)" = "$pid" ] && {
            echo "# started $name (pid $pid)"; return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "# $name did not come up:"; tail -5 "$WORK/$name.log"
    return 1
}

# A /dev/kvm that exists but that the qemu user cannot open (0600 root, as
# on the CI machines) makes libvirt 9.0 distrust its QEMU capabilities on
# nearly every call ("KVM was enabled when probing ..., but it is not
# available now") and probe QEMU again: seconds per virsh call.  For the
# run, the device gets what Debian's udev rule gives it (root:kvm 0660); the
# guests still use software emulation (domain type qemu).
bed_kvm() {
    [ -c /dev/kvm ] && getent group kvm >/dev/null || return 0
    [ "$(stat -c '%G %a' /dev/kvm)" = "kvm 660" ] && return 0
    BED_KVM_MODE=$(stat -c '%U:%G %a' /dev/kvm)
    echo "# /dev/kvm is $BED_KVM_MODE: root:kvm 0660 for this run"
    chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
}

bed_start() {
    bed_kvm
    mkdir -p /run/libvirt
    bed_daemon virtlogd /run/virtlogd.pid /run/libvirt/virtlogd-sock || return 1
    bed_daemon libvirtd /run/libvirtd.pid /run/libvirt/libvirt-sock || return 1
    local i
    for i in $(seq 100); do
        bvirsh uri >/dev/null 2>&1 && break
        sleep 0.1
    done
    mkdir -p "$BED_IMAGES"
    # No port yet, no address, no IPv6: nothing is sent on the bridge.
    ip link add "$BED_BRIDGE" type bridge || return 1
    sysctl -qw "net.ipv6.conf.$BED_BRIDGE.disable_ipv6=1" 2>/dev/null
    ip link set "$BED_BRIDGE" up
}

# bed_link NAME IP-LINK-ADD-ARGS...: a link the cleanup removes.
bed_link() {
    local name=$1
    shift
    ip link add "$name" "$@" || return 1
    BED_LINKS+=("$name")
}

# bed_define X: define guest vmmib-<run>-X: 48 MiB, 2 vCPUs with vCPU 0
# pinned to the last host CPU, a qcow2 and a raw disk, an empty cdrom, a
# virtio NIC on the bridge and a user-mode e1000 NIC.  No option ROMs and
# no boot device: the firmware finds nothing to boot and waits quietly.
bed_define() {
    local name="$BED_PREFIX$1" dir="$BED_IMAGES" pin=$(($(nproc) - 1))
    qemu-img create -q -f qcow2 "$dir/$1.qcow2" 16M &&
    qemu-img create -q -f raw "$dir/$1.raw" 8M || return 1
    cat > "$WORK/$name.xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>48</memory>
  <vcpu placement='static'>2</vcpu>
  <cputune><vcpupin vcpu='0' cpuset='$pin'/></cputune>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <boot dev='hd'/>
    <bios rebootTimeout='-1'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$dir/$1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$dir/$1.raw'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='bridge'>
      <source bridge='$BED_BRIDGE'/>
      <model type='virtio'/>
      <rom enabled='no'/>
    </interface>
    <interface type='user'>
      <model type='e1000'/>
      <rom enabled='no'/>
    </interface>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
XML
    bvirsh define "$WORK/$name.xml" >/dev/null
}

# Our guests, by the prefix; nothing else is ever touched.
bed_guests() { bvirsh list --all --name 2>/dev/null | grep "^$BED_PREFIX" || true; }

bed_cleanup() {
    local g i pid
    for g in $(bed_guests); do
        bvirsh destroy "$g" >/dev/null 2>&1
        bvirsh undefine --managed-save "$g" >/dev/null 2>&1
    done
    for ((i = ${#BED_LINKS[@]} - 1; i >= 0; i--)); do
        ip link del "${BED_LINKS[i]}" 2>/dev/null
    done
    case $BED_IMAGES in /var/lib/libvirt/images/vmmib-?*) rm -rf "$BED_IMAGES" ;; esac
    for ((i = ${#BED_DAEMONS[@]} - 1; i >= 0; i--)); do
        vmm_stop_pid "${BED_DAEMONS[i]}"
    done
    if [ -n "$BED_KVM_MODE" ]; then
        chown "${BED_KVM_MODE% *}" /dev/kvm && chmod "${BED_KVM_MODE#* }" /dev/kvm
    fi
}
