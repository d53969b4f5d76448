#!/bin/sh
# Demo: build vm_mib.so and start, all on loopback and in the background:
#  - a private unprivileged libvirtd (test driver) holding the five machines
#    of demo/node.xml, which `virsh -c <demo URI>` can change,
#  - an snmptrapd on 127.0.0.1:$VMM_DEMO_TRAP_PORT (default 16162) writing
#    every notification to demo/run/traps.log,
#  - snmpd on 127.0.0.1:$VMM_DEMO_PORT (default 16161) with the module.
# Prints how to query, how to change machines and how to stop.
# `demo/demo.sh stop` stops everything it started.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
port=${VMM_DEMO_PORT:-16161}
trap_port=${VMM_DEMO_TRAP_PORT:-16162}
run="$top/demo/run"

stop_all() {
    for name in snmpd snmptrapd libvirtd; do
        pidfile="$run/$name.pid"
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill -CONT "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null && echo "stopped $name ($pid)" || true
        rm -f "$pidfile"
    done
}
[ "${1:-}" = stop ] && { stop_all; exit 0; }

scripts/deps.sh
if [ ! -f vm-mib/.libs/vm_mib.so ]; then
    [ -f Makefile ] || { autoreconf -fi >/dev/null 2>&1; ./configure -q; }
    make -j"$(nproc)" >/dev/null
fi
stop_all >/dev/null; sleep 0.5
for p in "$port" "$trap_port"; do
    if ss -Hlun "sport = :$p" | grep -q .; then
        echo "port $p is in use; choose others with VMM_DEMO_PORT / VMM_DEMO_TRAP_PORT" >&2
        exit 1
    fi
done
rm -rf "$run"
mkdir -p "$run/persist" "$run/domains" "$run/libvirtd/home" "$run/libvirtd/run" \
    "$run/libvirtd/config" "$run/libvirtd/cache"
chmod 755 "$run"
chown -R nobody:nogroup "$run/libvirtd"

# libvirtd, unprivileged, its own directories; the test driver's shared
# default instance lives as long as a client (our snmpd) stays connected.
sock="$run/libvirtd/run/libvirt/libvirt-sock"
uri="test+unix:///default?socket=$sock"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$run/libvirtd/home" \
    XDG_RUNTIME_DIR="$run/libvirtd/run" XDG_CONFIG_HOME="$run/libvirtd/config" \
    XDG_CACHE_HOME="$run/libvirtd/cache" /usr/sbin/libvirtd --timeout 0 \
    > "$run/libvirtd.log" 2>&1 &
echo $! > "$run/libvirtd.pid"

mibs="-M +$top/mibs:$top/tests/mibs -m +VM-MIB"
printf 'disableAuthorization yes\n' > "$run/snmptrapd.conf"
# shellcheck disable=SC2086
SNMP_PERSISTENT_DIR="$run/persist" snmptrapd -f -C -c "$run/snmptrapd.conf" $mibs \
    -Lf "$run/traps.log" -p "$run/snmptrapd.pid" "udp:127.0.0.1:$trap_port" \
    > "$run/snmptrapd.out" 2>&1 &

cat > "$run/snmpd.conf" <<CONF
# vm-mib demo: everything on loopback
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
trap2sink udp:127.0.0.1:$trap_port public
dlmod vm_mib $top/vm-mib/.libs/vm_mib.so
vmMibUri $uri
vmMibCacheTimeout 5
CONF
i=0
until [ -S "$sock" ]; do
    i=$((i + 1)); [ "$i" -lt 100 ] || { echo "libvirtd did not start; see $run/libvirtd.log" >&2; exit 1; }
    sleep 0.1
done
SNMP_PERSISTENT_DIR="$run/persist" nohup snmpd -f -Lf "$run/snmpd.log" -C \
    -c "$run/snmpd.conf" -I -smux -p "$run/snmpd.pid" "udp:127.0.0.1:$port" \
    >/dev/null 2>&1 &
i=0
until grep -q 'vm_mib: connected to libvirt' "$run/snmpd.log" 2>/dev/null; do
    i=$((i + 1)); [ "$i" -lt 100 ] || { echo "snmpd did not start; see $run/snmpd.log" >&2; exit 1; }
    sleep 0.1
done

# The demo machines replace the test driver's own "test" machine.
v() { virsh -q -c "$uri" "$@" >/dev/null; }
v destroy test; v undefine test
python3 demo/domains.py demo/node.xml "$run/domains" | while read -r name state; do
    v define "$run/domains/$name.xml"
    case $state in
        running) v start "$name" ;;
        paused) v start "$name"; v suspend "$name" ;;
        saved) v start "$name"; v managedsave "$name" ;;
    esac
done
sleep 1.5        # let the bulk window pass and the cache expire

cat <<TXT
vm-mib demo: snmpd (pid $(cat "$run/snmpd.pid")) serves VM-MIB on 127.0.0.1:$port,
libvirtd (pid $(cat "$run/libvirtd.pid")) holds the machines, snmptrapd
(pid $(cat "$run/snmptrapd.pid")) writes notifications to $run/traps.log.

  snmpwalk -v2c -c public 127.0.0.1:$port 1.3.6.1.2.1.236.1.1      # hypervisor
  snmpget  -v2c -c public 127.0.0.1:$port 1.3.6.1.2.1.236.1.2.0    # vmNumber
  snmpbulkwalk -v2c -c public 127.0.0.1:$port 1.3.6.1.2.1.236      # all of VM-MIB

With object names instead of numbers:
  snmpbulkwalk -v2c -c public $mibs 127.0.0.1:$port VM-MIB::vmMIB

Change a machine and watch the notification arrive:
  tail -f $run/traps.log &
  virsh -c '$uri' suspend web-frontend
  virsh -c '$uri' resume web-frontend
Bulk notifications too:
  snmpset -v2c -c private 127.0.0.1:$port 1.3.6.1.2.1.236.1.10.0 i 1

Stop it:
  demo/demo.sh stop
TXT
