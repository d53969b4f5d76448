#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Prometheus snmp_exporter with contrib/snmp_exporter/snmp.yml in front of a
# real snmpd with the module, whose private libvirtd serves demo/node.xml:
# the metrics of one scrape, compared with the fixture (one vmCpuTime per
# machine and one vmCpuCoreTime per (machine, vCPU), labelled with vmName
# and vmUUID; the vmOperState state set with 1 exactly at the machine's
# state; NIC MAC labels), and snmp.yml regenerated from generator.yml is
# the committed file.
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"

CONTRIB=$abs_top_srcdir/contrib/snmp_exporter
FIXTURE=$abs_top_srcdir/demo/node.xml
OPER_STATES=12                  # VirtualMachineOperState has 12 values

# 1. snmp.yml is what the generator makes of generator.yml today
if "$CONTRIB/generate.sh" "$WORK/snmp.yml" > "$WORK/generate.out" 2>&1; then
    ok "generate.sh runs the generator without a MIB parse error"
    if diff -u "$CONTRIB/snmp.yml" "$WORK/snmp.yml" > "$WORK/snmp.diff"; then
        ok "contrib/snmp_exporter/snmp.yml is up to date with generator.yml"
    else
        fail "contrib/snmp_exporter/snmp.yml is up to date (run contrib/snmp_exporter/generate.sh)"
        head -30 "$WORK/snmp.diff" | sed 's/^/  /'
    fi
else
    fail "generate.sh runs the generator"; sed 's/^/  | /' "$WORK/generate.out"
fi

# 2. the demo hypervisor behind snmpd, snmp_exporter in front
start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
# the test driver reads the node file as the daemon's user
node=$(libvirtd_file "$FIXTURE") || { fail "node file for libvirtd"; vmm_summary; exit; }
start_snmpd demo "" "vmMibUri test+unix://$node?socket=$LIBVIRT_SOCK" ||
    { fail "snmpd starts"; vmm_summary; exit; }
assert_log "snmpd's module reads the demo node through libvirtd" "vm_mib: connected to libvirt at test\\+unix://"

HTTP_PORT=$(free_port)
prometheus-snmp-exporter --config.file="$CONTRIB/snmp.yml" \
    --web.listen-address="127.0.0.1:$HTTP_PORT" > "$WORK/exporter.log" 2>&1 &
PIDS+=($!)
EXPORTER_PID=$!
for i in $(seq 50); do
    ss -Hltn "sport = :$HTTP_PORT" | grep -q . && break
    kill -0 "$EXPORTER_PID" 2>/dev/null || break
    sleep 0.1
done

# scrape URL: the metrics page (status line first: "HTTP 200")
scrape() {
    python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=20) as r:
        print("HTTP", r.status)
        sys.stdout.write(r.read().decode())
except urllib.error.HTTPError as e:
    print("HTTP", e.code)
    sys.stdout.write(e.read().decode())
except OSError as e:
    print("ERROR", e)
PY
}
scrape "http://127.0.0.1:$HTTP_PORT/snmp?target=127.0.0.1:$SNMP_PORT&module=vm_mib" > "$WORK/metrics"
assert_eq "GET /snmp?target=127.0.0.1:$SNMP_PORT&module=vm_mib answers" "HTTP 200" "$(head -1 "$WORK/metrics")"
assert_eq "the exporter logs no error" "" "$(grep -v 'level=info' "$WORK/exporter.log")"

# series NAME: the samples of metric NAME, without comments
series() { grep "^$1{" "$WORK/metrics"; }
# label NAME: the value of label NAME in each line of stdin
label() { sed -n "s/.*[{,]$1=\"\\([^\"]*\\)\".*/\\1/p"; }
uuid_label() { local h=${1//-/}; echo "0x${h^^}"; }

# the fixture: name, UUID, vCPUs, the vmOperState name, MACs, disk access,
# NIC models
python3 - "$FIXTURE" > "$WORK/fixture" <<'PY'
import sys
import xml.etree.ElementTree as ET
TEST = '{http://libvirt.org/schemas/domain/test/1.0}'
OPER = {'1': 'running', '3': 'paused', '5': 'shutdown'}
for d in ET.parse(sys.argv[1]).getroot().findall('domain'):
    state = OPER[d.findtext(TEST + 'runstate', '1')]
    if d.find(TEST + 'hasmanagedsave') is not None:
        state = 'suspended'          # shut off with a managed-save image
    macs = ','.join(m.get('address').upper() for m in d.iter('mac'))
    access = ','.join(sorted('readonly' if disk.find('readonly') is not None else 'readwrite'
                             for disk in d.iter('disk')))
    models = ','.join(m.get('type') for m in d.iter('model'))
    print(d.findtext('name'), d.findtext('uuid'), d.findtext('vcpu'), state, macs, access, models)
PY
assert_eq "the demo fixture has 5 machines" 5 "$(grep -c . "$WORK/fixture")"

assert_eq "vmCpuTime: one series per machine, labelled with its vmName" \
    "$(awk '{ print $1 }' "$WORK/fixture" | sort)" "$(series vmCpuTime | label vmName | sort)"
expected_cores=$(awk '{ for (c = 1; c <= $3; c++) print $1, c }' "$WORK/fixture" | sort)
assert_eq "vmCpuCoreTime: one series per (machine, vCPU) ($(echo "$expected_cores" | wc -l))" \
    "$expected_cores" "$(series vmCpuCoreTime | while IFS= read -r l; do
        echo "$(echo "$l" | label vmName) $(echo "$l" | label vmCpuIndex)"; done | sort)"

while read -r name uuid vcpus state macs access models; do
    mine=$(series vmCpuTime | grep "vmName=\"$name\"")
    assert_eq "$name: vmCpuTime has vmUUID $(uuid_label "$uuid")" "$(uuid_label "$uuid")" \
        "$(echo "$mine" | label vmUUID)"
    case $state in
        running|paused) assert_match "$name ($state): vmCpuTime > 0" ' [1-9][0-9.e+]*$' "$mine" ;;
        *) assert_match "$name ($state): vmCpuTime is 0" ' 0$' "$mine" ;;
    esac
    assert_eq "$name: vmCpuCoreTime's $vcpus series carry the same vmIndex as vmCpuTime" \
        "$(yes "$(echo "$mine" | label vmIndex)" | head -n "$vcpus")" \
        "$(series vmCpuCoreTime | grep "vmName=\"$name\"" | label vmIndex)"
    oper=$(series vmOperState | grep "vmName=\"$name\"")
    assert_eq "$name: vmOperState is a state set of $OPER_STATES series" "$OPER_STATES" \
        "$(echo "$oper" | grep -c .)"
    assert_eq "$name: vmOperState{vmOperState=\"$state\"} is the one series at 1" "$state" \
        "$(echo "$oper" | awk '$NF == 1' | label vmOperState)"
    assert_eq "$name: vmNetworkPhysAddress labels are its MACs" "$macs" \
        "$(series vmNetworkPhysAddress | grep "vmName=\"$name\"" | label vmNetworkPhysAddress | paste -sd,)"
    assert_eq "$name: vmNetworkModel labels are its NIC models" "$models" \
        "$(series vmNetworkModel | grep "vmName=\"$name\"" | label vmNetworkModel | paste -sd,)"
    assert_eq "$name: vmStorageAccess (via vmStorageVmIndex) at 1 once per disk: $access" "$access" \
        "$(series vmStorageAccess | grep "vmName=\"$name\"" | grep "vmUUID=\"$(uuid_label "$uuid")\"" |
           awk '$NF == 1' | label vmStorageAccess | sort | paste -sd,)"
done < "$WORK/fixture"

vmm_summary
