# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The LXC test bed of tests/integration/lxc.sh and bench/lxc-refresh.sh
# (bash, sourced after lib.sh): a private root libvirtd with the LXC driver
# and application containers on a bridge made here.
#
# The daemon runs in a mount namespace of its own, with fresh directories
# bound over /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/cache/libvirt
# and /var/log/libvirt: the system libvirtd and other suites' daemons are
# not touched, and every machine this daemon knows is the bed's.  It is
# reached as $LXC_URI.  This machine mounts cgroup2 at
# /sys/fs/cgroup/unified next to the v1 hierarchies, a layout libvirt 9.0's
# LXC driver fails on: the namespace goes without that mount.
#
# Names carry this run's tag: the bridge vmlxbr<tag>, containers
# vmlx<tag>-<x> with the host end of their veth vmlx<tag>-<x>v.
# lxc_bed_cleanup destroys the containers (they would outlive the daemon),
# then stops the daemon by PID and removes the bridge and the directories.

LXC_TAG=$(printf '%04x' $((RANDOM % 65536)))
LXC_BRIDGE=vmlxbr$LXC_TAG
LXC_PREFIX=vmlx$LXC_TAG-
LXC_DIR=$(mktemp -d /tmp/vm-mib-lxc.XXXXXX)
LXC_URI="lxc+unix:///system?socket=$LXC_DIR/run/libvirt-sock"
LXC_PID=""

lvirsh() { virsh -q -c "$LXC_URI" "$@"; }

# lxc_bed_missing: true (with the reason) when the LXC driver is not installed.
lxc_bed_missing() {
    if [ ! -x /usr/lib/libvirt/libvirt_lxc ] ||
       ! ls /usr/lib/*/libvirt/connection-driver/libvirt_driver_lxc.so >/dev/null 2>&1; then
        echo "libvirt's LXC driver is not installed (libvirt-daemon-driver-lxc)"
        return 0
    fi
    return 1
}

# lxc_bed_start: the bridge and the daemon.
lxc_bed_start() {
    ip link add "$LXC_BRIDGE" type bridge && ip link set "$LXC_BRIDGE" up || return 1
    mkdir -p "$LXC_DIR"/{etc,run,lib,cache,log}
    printf 'log_outputs = "3:file:/var/log/libvirt/libvirtd.log"\n' > "$LXC_DIR/etc/libvirtd.conf"
    lxc_bed_daemon
}

# lxc_bed_daemon: the daemon (again), in the foreground of a process that
# is its own mount namespace (unshare and sh exec into libvirtd: the PID is
# the daemon's).  Containers outlive it; a new one takes them over.
lxc_bed_daemon() {
    local i
    unshare -m --propagation private /bin/sh -ec "
        if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
        for d in run:/run/libvirt lib:/var/lib/libvirt cache:/var/cache/libvirt \
                 log:/var/log/libvirt etc:/etc/libvirt; do
            mkdir -p \"\${d#*:}\"
            mount --bind \"$LXC_DIR/\${d%%:*}\" \"\${d#*:}\"
        done
        exec libvirtd -p '$LXC_DIR/libvirtd.pid'" > "$LXC_DIR/stdout" 2>&1 &
    LXC_PID=$!
    PIDS+=("$LXC_PID")
    for i in $(seq 100); do
        lvirsh uri >/dev/null 2>&1 && return 0
        kill -0 "$LXC_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the private libvirtd did not come up"; cat "$LXC_DIR/stdout"
    tail -5 "$LXC_DIR/log/libvirtd.log" 2>/dev/null
    return 1
}

# lxc_bed_define X MAC: the application container $LXC_PREFIX<X>
# (/bin/sleep as init, 64 MiB of which 48 MiB current, 2 vCPUs, one veth
# on the bridge).
lxc_bed_define() {
    local name=$LXC_PREFIX$1
    cat > "$LXC_DIR/$name.xml" <<XML
<domain type='lxc'>
  <name>$name</name>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>49152</currentMemory>
  <vcpu>2</vcpu>
  <os><type>exe</type><init>/bin/sleep</init><initarg>infinity</initarg></os>
  <devices>
    <console type='pty'/>
    <interface type='bridge'>
      <source bridge='$LXC_BRIDGE'/><mac address='$2'/><target dev='${name}v'/>
    </interface>
  </devices>
</domain>
XML
    lvirsh define "$LXC_DIR/$name.xml" >/dev/null
}

# lxc_bed_mac N: a MAC of this run's, N = 0..255.
lxc_bed_mac() { printf '52:54:00:%s:%s:%02x\n' "${LXC_TAG:0:2}" "${LXC_TAG:2:2}" "$1"; }

# lxc_bed_enter CONTAINER CMD...: run CMD inside the container (its
# namespaces and cgroups), from the daemon's mount namespace, whose cgroup
# layout is the one libvirt handles.
lxc_bed_enter() {
    local c=$1
    shift
    nsenter -t "$LXC_PID" -m virsh -q -c "$LXC_URI" lxc-enter-namespace "$c" --noseclabel "$@"
}

lxc_bed_cleanup() {
    local c pid
    if [ -n "$LXC_PID" ] && kill -0 "$LXC_PID" 2>/dev/null; then
        for c in $(lvirsh list --all --name 2>/dev/null); do
            pid=$(lvirsh domid "$c" 2>/dev/null | tr -d '[:space:]')
            lvirsh destroy "$c" >/dev/null 2>&1
            lvirsh undefine "$c" >/dev/null 2>&1
            # the controller exits shortly after destroy returns
            [[ $pid =~ ^[0-9]+$ ]] && ! retry 50 test ! -d "/proc/$pid" &&
                echo "# warning: the controller of $c (pid $pid) still runs"
        done
        vmm_stop_pid "$LXC_PID"
    fi
    ip link del "$LXC_BRIDGE" 2>/dev/null
    rm -rf "$LXC_DIR"
}
