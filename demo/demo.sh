#!/bin/sh
# Demo: build vm_mib.so and start a real snmpd on 127.0.0.1:$VMM_DEMO_PORT
# (default 16161) that serves the VM-MIB of demo/node.xml, a libvirt
# test-driver hypervisor with five machines.  Runs in the background;
# prints how to query and how to stop it.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
port=${VMM_DEMO_PORT:-16161}
run="$top/demo/run"

scripts/deps.sh
if [ ! -f vm-mib/.libs/vm_mib.so ]; then
    [ -f Makefile ] || { autoreconf -fi >/dev/null 2>&1; ./configure -q; }
    make -j"$(nproc)" >/dev/null
fi

if [ -f "$run/snmpd.pid" ] && kill -0 "$(cat "$run/snmpd.pid")" 2>/dev/null; then
    kill "$(cat "$run/snmpd.pid")"; sleep 1
fi
if ss -Hlun "sport = :$port" | grep -q .; then
    echo "port $port is in use; choose another with VMM_DEMO_PORT=<port>" >&2
    exit 1
fi
mkdir -p "$run/persist"
cat > "$run/snmpd.conf" <<CONF
# vm-mib demo: everything on loopback
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
dlmod vm_mib $top/vm-mib/.libs/vm_mib.so
vmMibUri test://$top/demo/node.xml
vmMibCacheTimeout 5
CONF
SNMP_PERSISTENT_DIR="$run/persist" nohup snmpd -f -Lf "$run/snmpd.log" -C \
    -c "$run/snmpd.conf" -I -smux -p "$run/snmpd.pid" "udp:127.0.0.1:$port" \
    >/dev/null 2>&1 &
i=0
until MIBS= snmpget -v2c -c public -t 1 -r 0 "127.0.0.1:$port" 1.3.6.1.2.1.236.1.2.0 \
        2>/dev/null | grep -q INTEGER; do
    i=$((i + 1))
    [ "$i" -lt 50 ] || { echo "snmpd did not start; see $run/snmpd.log" >&2; exit 1; }
    sleep 0.1
done

cat <<TXT
vm-mib demo: snmpd (pid $(cat "$run/snmpd.pid")) serves VM-MIB on 127.0.0.1:$port, log $run/snmpd.log

  snmpwalk -v2c -c public 127.0.0.1:$port 1.3.6.1.2.1.236.1.1      # hypervisor
  snmpget  -v2c -c public 127.0.0.1:$port 1.3.6.1.2.1.236.1.2.0    # vmNumber
  snmpwalk -v2c -c public 127.0.0.1:$port 1.3.6.1.2.1.236          # all of VM-MIB

With object names instead of numbers:
  snmpwalk -v2c -c public -M +$top/mibs:$top/tests/mibs -m +VM-MIB 127.0.0.1:$port VM-MIB::vmMIB

Stop it:
  kill \$(cat $run/snmpd.pid)
TXT
