#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Demo: build vm_mib.so and start, all on loopback and in the background:
#  - a private unprivileged libvirtd (test driver) holding the five machines
#    of demo/node.xml, which `virsh -c <demo URI>` can change,
#  - an snmptrapd on 127.0.0.1:$VMM_DEMO_TRAP_PORT (default 16162) writing
#    every notification to demo/run/snmptrapd/traps.log,
#  - snmpd on 127.0.0.1:$VMM_DEMO_PORT (default 16161) with the module.
# Prints how to query, how to change machines and how to stop.
# `demo/demo.sh stop` stops everything it started.  The daemons are started
# as the tests start theirs (tests/integration/lib.sh), in demo/run, and
# outlive the script.  libvirtd (user nobody) keeps its sockets and
# configuration in a directory of its own under /tmp (nobody cannot reach a
# clone under /root), named in demo/run/libvirtd.dir; `stop` removes it.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
port=${VMM_DEMO_PORT:-16161}
trap_port=${VMM_DEMO_TRAP_PORT:-16162}
run="$top/demo/run"
export abs_top_srcdir=$top abs_top_builddir=$top
VMM_WORK=$run
. "$top/tests/integration/lib.sh"

die() { echo "$*" >&2; exit 1; }

stop_all() {
    local name pid
    for name in snmpd snmptrapd libvirtd; do
        [ -f "$run/$name.pid" ] || continue
        pid=$(cat "$run/$name.pid")
        if kill -0 "$pid" 2>/dev/null; then vmm_stop_pid "$pid"; echo "stopped $name ($pid)"; fi
        rm -f "$run/$name.pid"
    done
    # the path as lib.sh makes it, so that an edited file removes nothing else
    if [ -f "$run/libvirtd.dir" ]; then
        LIBVIRTD_DIR=$(cat "$run/libvirtd.dir")
        [[ $LIBVIRTD_DIR == /tmp/vm-mib-libvirtd.?????? ]] && remove_libvirtd_dir
        rm -f "$run/libvirtd.dir"
    fi
}
[ "${1:-}" = stop ] && { stop_all; exit 0; }

scripts/deps.sh demo || exit 1
if [ ! -f vm-mib/.libs/vm_mib.so ]; then
    [ -f Makefile ] || { autoreconf -fi >/dev/null 2>&1; ./configure -q; } || exit 1
    make -j"$(nproc)" >/dev/null || exit 1
fi
stop_all >/dev/null
for p in "$port" "$trap_port"; do
    if ss -Hlun "sport = :$p" | grep -q .; then
        die "port $p is in use; choose others with VMM_DEMO_PORT / VMM_DEMO_TRAP_PORT"
    fi
done
rm -rf "$run"
mkdir -p "$run/domains"

# the test driver's shared default instance lives as long as a client (our
# snmpd) stays connected
start_libvirtd || die "libvirtd did not start; see $run/libvirtd/libvirtd.log"
echo "$LIBVIRTD_PID" > "$run/libvirtd.pid"
echo "$LIBVIRTD_DIR" > "$run/libvirtd.dir"
# VM-MIB and only what it imports: Debian ships no IETF module (Net-SNMP's
# default list, which `-m +VM-MIB` would add to, names many), so the base
# modules are tests/mibs' stand-ins
mibs=(-M "$top/mibs:$top/tests/mibs" -m VM-MIB)
TRAPD_PORT=$trap_port start_snmptrapd snmptrapd "${mibs[@]}" || die "snmptrapd did not start"
echo "$TRAPD_PID" > "$run/snmptrapd.pid"
SNMPD_PORT=$port SNMPD_WRAPPER=nohup start_snmpd snmpd "trap2sink udp:127.0.0.1:$trap_port public" \
    "vmMibUri $LIBVIRT_URI
vmMibCacheTimeout 5" || die "snmpd did not start"
echo "$SNMPD_PID" > "$run/snmpd.pid"
grep -q 'vm_mib: connected to libvirt' "$SNMPD_LOG" || die "the module did not connect; see $SNMPD_LOG"

# The demo machines replace the test driver's own "test" machine.
v() { virsh -q -c "$LIBVIRT_URI" "$@" >/dev/null || die "virsh $* failed"; }
v destroy test; v undefine test
while read -r name state; do
    v define "$run/domains/$name.xml"
    case $state in
        running) v start "$name" ;;
        paused) v start "$name"; v suspend "$name" ;;
        saved) v start "$name"; v managedsave "$name" ;;
    esac
done < <(python3 demo/domains.py demo/node.xml "$run/domains")
sleep 1.5        # let the bulk window pass and the cache expire
trap - EXIT      # the daemons stay; demo/demo.sh stop ends them

cat <<TXT
vm-mib demo: snmpd (pid $SNMPD_PID) serves VM-MIB on 127.0.0.1:$port,
libvirtd (pid $LIBVIRTD_PID) holds the machines, snmptrapd
(pid $TRAPD_PID) writes notifications to $TRAP_LOG.

  snmpwalk -v2c -c public 127.0.0.1:$port $vmHypervisor      # hypervisor
  snmpget  -v2c -c public 127.0.0.1:$port $vmNumber.0    # vmNumber
  snmpbulkwalk -v2c -c public 127.0.0.1:$port $vmMIB      # all of VM-MIB

With object names instead of numbers:
  snmpbulkwalk -v2c -c public $(printf '%q ' "${mibs[@]}")127.0.0.1:$port VM-MIB::vmMIB

Change a machine and watch the notification arrive:
  tail -f $TRAP_LOG &
  virsh -c '$LIBVIRT_URI' suspend web-frontend
  virsh -c '$LIBVIRT_URI' resume web-frontend
Bulk notifications too:
  snmpset -v2c -c private 127.0.0.1:$port $vmBulkNotificationsEnabled.0 i 1

Stop it:
  demo/demo.sh stop
TXT
