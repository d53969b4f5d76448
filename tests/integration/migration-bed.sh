# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The live-migration bed of tests/integration/migration.sh (bash, sourced
# after lib.sh): two root libvirtd on this one machine, hosts "a" and "b",
# each in a private mount namespace with its own /etc/libvirt, /run/libvirt,
# /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt bind-mounted from
# $MB_DIR/<host>, its own pid file and host_uuid (libvirt refuses to
# migrate between two hosts with one UUID).  The system libvirtd, which
# other suites use at the same time, is never touched: only empty mount
# points are made where missing (/run/libvirt is made by libvirtd anyway).
#
# Inside each namespace an empty root-only file hides /dev/kvm: the guests
# use software emulation, and a /dev/kvm that root may open but the qemu
# user may not makes libvirt 9.0 probe QEMU again on most calls (seconds
# each).  QEMU then runs in its daemon's namespace (namespaces = [ ]), and
# without cgroups (the two daemons would both name theirs qemu-1-NAME).
#
# The guests ($MB_GUEST, and $MB_GUEST2 for migrations at once): no disk,
# no NIC, a Multiboot kernel of a few instructions that writes all its RAM
# over and over.  At a low bandwidth a migration never converges, so it is
# "in progress" for as long as the test needs; mb_release lets it finish.

MB_DIR=$(mktemp -d /tmp/vm-mib-mig.XXXXXX)
chmod 711 "$MB_DIR"                  # QEMU (libvirt-qemu) reaches the kernel and the socket
MB_RUN=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
MB_GUEST="vmmib-mig-$MB_RUN"
MB_GUEST2="vmmib-mig2-$MB_RUN"
MB_SOCK="$MB_DIR/sock"               # migration streams, made by the destination's QEMU
MB_LIBVIRT_DIRS="/etc/libvirt /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt"
MB_QEMU_USER=libvirt-qemu
declare -A MB_PID=() MB_MIGRATE_PIDS=()

mb_uri() { echo "qemu+unix:///system?socket=$MB_DIR/$1/run/libvirt-sock"; }
mvirsh() { local h=$1; shift; virsh -q -c "$(mb_uri "$h")" "$@"; }

# mb_missing: why the bed cannot be built here; nothing when it can.
mb_missing() {
    local t
    for t in /usr/sbin/libvirtd qemu-system-x86_64 virsh unshare as ld getent; do
        command -v "$t" >/dev/null || { echo "$t not installed"; return; }
    done
    getent passwd "$MB_QEMU_USER" >/dev/null || echo "no user $MB_QEMU_USER"
}

# mb_host H UUID: configuration and directories of host H.
mb_host() {
    local d="$MB_DIR/$1" x
    for x in etc run lib cache log; do mkdir -p "$d/$x"; done
    cat > "$d/etc/libvirtd.conf" <<CONF
host_uuid = "$2"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
    cat > "$d/etc/qemu.conf" <<CONF
stdio_handler = "file"
cgroup_controllers = [ ]
namespaces = [ ]
CONF
}

# mb_start H: libvirtd of host H in the foreground of a private mount
# namespace (its PID is ours: unshare and sh exec it), until it answers.
mb_start() {
    local h=$1 d="$MB_DIR/$1" mounts="" x i
    for x in $MB_LIBVIRT_DIRS; do
        case $x in
            /etc/*) mounts+="mount --bind $d/etc $x; " ;;
            /run/*) mounts+="mount --bind $d/run $x; " ;;
            /var/lib/*) mounts+="mount --bind $d/lib $x; " ;;
            /var/cache/*) mounts+="mount --bind $d/cache $x; " ;;
            /var/log/*) mounts+="mount --bind $d/log $x; " ;;
        esac
    done
    [ -e /dev/kvm ] && mounts="mount --bind $MB_DIR/nokvm /dev/kvm; $mounts"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin unshare -m --propagation private \
        /bin/sh -ec "$mounts exec /usr/sbin/libvirtd -p $d/libvirtd.pid" >> "$d/stderr" 2>&1 &
    MB_PID[$h]=$!
    PIDS+=("${MB_PID[$h]}")
    for i in $(seq 300); do
        mvirsh "$h" uri >/dev/null 2>&1 && return 0
        kill -0 "${MB_PID[$h]}" 2>/dev/null || break
        sleep 0.1
    done
    echo "# libvirtd $h did not come up:"; tail -5 "$d/stderr" "$d/log/libvirtd.log" 2>/dev/null
    return 1
}

mb_stop() { vmm_stop_pid "${MB_PID[$1]}"; }

# mb_kernel: the guest's kernel, $MB_DIR/guest/dirty.elf.
mb_kernel() {
    local g="$MB_DIR/guest"
    mkdir -p "$g" && chmod 755 "$g"
    cat > "$g/dirty.S" <<'ASM'
        .text
        .align 4
        .long 0x1BADB002, 0x00000002, -(0x1BADB002 + 0x00000002)   /* Multiboot: memory info */
        .code32
        .globl _start
_start: cli
        movl    8(%ebx), %ebp           /* mem_upper: KiB above 1 MiB */
        shll    $10, %ebp
        addl    $0x100000, %ebp         /* end of RAM */
        xorl    %eax, %eax
pass:   incl    %eax                    /* a new word each pass: every page dirty again */
        movl    $0x200000, %edi         /* above this code */
        movl    %ebp, %ecx
        subl    %edi, %ecx
        shrl    $2, %ecx
        cld
        rep stosl
        jmp     pass
ASM
    as --32 -o "$g/dirty.o" "$g/dirty.S" &&
        ld -m elf_i386 -N -Ttext=0x100000 -e _start -o "$g/dirty.elf" "$g/dirty.o" 2>/dev/null &&
        chmod 644 "$g/dirty.elf"
}

# mb_define H NAME: a guest NAME defined on host H.
mb_define() {
    cat > "$MB_DIR/$2.xml" <<XML
<domain type='qemu'>
  <name>$2</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$MB_DIR/guest/dirty.elf</kernel>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <video><model type='none'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
XML
    mvirsh "$1" define "$MB_DIR/$2.xml" >/dev/null
}

# mb_up: both hosts and the guests' kernel; the guests defined on "a".
mb_up() {
    local x
    for x in $MB_LIBVIRT_DIRS; do mkdir -p "$x" || return 1; done
    install -m 0600 /dev/null "$MB_DIR/nokvm"
    mkdir -p "$MB_SOCK" && chown "$MB_QEMU_USER:$MB_QEMU_USER" "$MB_SOCK" && chmod 0770 "$MB_SOCK"
    mb_kernel || return 1
    mb_host a aaaaaaaa-0000-4000-8000-$(printf '%012x' $((0x$MB_RUN)))
    mb_host b bbbbbbbb-0000-4000-8000-$(printf '%012x' $((0x$MB_RUN)))
    mb_start a && mb_start b || return 1
    mb_define a "$MB_GUEST" && mb_define a "$MB_GUEST2"
}

# mb_migrate FROM TO [MIB/S [GUEST]]: a live migration of GUEST ($MB_GUEST)
# (peer to peer: the source's daemon follows the destination's, and gives
# up when that one goes) at 8 MiB/s in the background; output in
# $MB_DIR/migrate-GUEST.out.
mb_migrate() {
    local g=${4:-$MB_GUEST}
    virsh -c "$(mb_uri "$1")" migrate --live --p2p --unsafe --bandwidth "${3:-8}" "$g" \
        "$(mb_uri "$2")" --migrateuri "unix://$MB_SOCK/$g.sock" > "$MB_DIR/migrate-$g.out" 2>&1 &
    MB_MIGRATE_PIDS[$g]=$!
}

# mb_release H [GUEST]: let the migration of GUEST ($MB_GUEST) from H
# finish: full speed, and a downtime the rest fits in (the guest dirties
# its RAM faster than any pass).
mb_release() {
    local g=${2:-$MB_GUEST}
    mvirsh "$1" migrate-setmaxdowntime "$g" 20000 >/dev/null &&
        mvirsh "$1" migrate-setspeed "$g" 100000 >/dev/null
}

# mb_migrate_wait [GUEST]: wait for the migration command of GUEST
# ($MB_GUEST); its exit status in $MB_MIGRATE_RC.
mb_migrate_wait() { MB_MIGRATE_RC=0; wait "${MB_MIGRATE_PIDS[${1:-$MB_GUEST}]}" || MB_MIGRATE_RC=$?; }

mb_cleanup() {
    local h g pf pid
    for h in b a; do
        [ -n "${MB_PID[$h]:-}" ] && kill -0 "${MB_PID[$h]}" 2>/dev/null || continue
        for g in "$MB_GUEST" "$MB_GUEST2"; do
            mvirsh "$h" destroy "$g" >/dev/null 2>&1
            mvirsh "$h" undefine "$g" >/dev/null 2>&1
        done
    done
    for h in b a; do [ -n "${MB_PID[$h]:-}" ] && mb_stop "$h"; done
    # a guest whose daemon was gone when the test ended
    for g in "$MB_GUEST" "$MB_GUEST2"; do
        for pf in "$MB_DIR"/*/run/qemu/"$g".pid; do
            [ -s "$pf" ] || continue
            pid=$(cat "$pf")
            grep -q "$g" "/proc/$pid/cmdline" 2>/dev/null && kill -KILL "$pid"
        done
    done
    rm -rf "$MB_DIR"
}
