#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Prometheus snmp_exporter with contrib/snmp_exporter/snmp.yml in front of a
# real snmpd with the module, configured as contrib/prometheus/README.md
# tells a Debian operator (Debian's stock snmpd.conf, its systemonly view,
# plus the package's vm-mib.conf and the one view line), whose private
# libvirtd serves demo/node.xml: the metrics of one scrape, compared with
# the fixture (one vmCpuTime per machine and one vmCpuCoreTime per
# (machine, vCPU), labelled with vmName and vmUUID; the vmOperState state
# set with 1 exactly at the machine's state; one _info series per fixed
# enumeration; NIC MAC labels), a series for every metric the rules
# select, and snmp.yml regenerated from generator.yml is the committed
# file.  Then a real Prometheus with contrib/prometheus/vm-mib.scrape.yml
# (targets and exporter address filled in) scrapes three such snmpds
# through that exporter with contrib/prometheus/vm-mib.rules.yml loaded:
# the demo node, libvirt's default test instance (whose machine "test" is
# suspended with virsh) and one without the module; its /api/v1/alerts and
# /api/v1/query must show exactly the alerts and recorded series those
# three imply, vmUUID in libvirt's form.
. "$(dirname "$0")/lib.sh"
vmm_need_root "a private libvirtd runs as nobody (setpriv, chown)"

CONTRIB=$abs_top_srcdir/contrib/snmp_exporter
FIXTURE=$abs_top_srcdir/demo/node.xml
OPER_STATES=12                  # VirtualMachineOperState has 12 values
RULES=$abs_top_srcdir/contrib/prometheus/vm-mib.rules.yml

# debian_snmpd NAME URI: start_snmpd_debian; the rest of the run skipped
# when this machine's stock snmpd.conf is not Debian's (it says why)
debian_snmpd() {
    local rc=0
    start_snmpd_debian "$@" || rc=$?
    [ "$rc" -ne 77 ] || { skip "snmpd $1 from Debian's stock snmpd.conf" "not Debian's"; vmm_summary; exit; }
    [ "$rc" -eq 0 ] || { fail "snmpd $1 starts"; vmm_summary; exit; }
}

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
debian_snmpd demo "test+unix://$node?socket=$LIBVIRT_SOCK"
assert_log "snmpd's module reads the demo node through libvirtd" "vm_mib: connected to libvirt at test\\+unix://"
# what made an alert on snmpEngineTime silent on Debian (issue 21)
assert_match "Debian's systemonly view hides snmpEngineTime" "No Such Object" "$(sget .1.3.6.1.6.3.10.2.1.3.0)"

HTTP_PORT=$(free_port)
prometheus-snmp-exporter --config.file="$CONTRIB/snmp.yml" \
    --web.listen-address="127.0.0.1:$HTTP_PORT" > "$WORK/exporter.log" 2>&1 &
PIDS+=($!)
EXPORTER_PID=$!
# tcp_up PORT PID: PORT is listened on, or PID is gone (no use waiting)
tcp_up() { ss -Hltn "sport = :$1" | grep -q . || ! kill -0 "$2" 2>/dev/null; }
retry 50 tcp_up "$HTTP_PORT" "$EXPORTER_PID"

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
    assert_eq "$name: vmStorageAccess_info (via vmStorageVmIndex) once per disk, at 1: $access" "$access" \
        "$(series vmStorageAccess_info | grep "vmName=\"$name\"" | grep "vmUUID=\"$(uuid_label "$uuid")\"" |
           awk '$NF == 1' | label vmStorageAccess | sort | paste -sd,)"
    ndisks=$(series vmStorageAccess_info | grep -c "vmName=\"$name\"")
    for info in vmAutoStart vmPersistent vmStorageSourceType vmStorageMediaType; do
        case $info in vmStorage*) want=$ndisks per=disk ;; *) want=1 per=machine ;; esac
        assert_eq "$name: ${info}_info, one series (value 1) per $per" \
            "$(yes "1" | head -n "$want")" "$(series "${info}_info" | grep "vmName=\"$name\"" | awk '{ print $NF }')"
    done
done < "$WORK/fixture"
assert_eq "vmNumber is the fixture's machine count" "vmNumber 5" "$(grep '^vmNumber ' "$WORK/metrics")"
assert_eq "the fixed enumerations are no state sets (EnumAsInfo)" "" \
    "$(grep -E '^(vmAutoStart|vmPersistent|vmStorageSourceType|vmStorageAccess|vmStorageMediaType)\{' "$WORK/metrics")"
scrape "http://127.0.0.1:$HTTP_PORT/snmp?target=127.0.0.1:$SNMP_PORT&module=vm_mib_host" > "$WORK/host"
assert_eq "module vm_mib_host: sysUpTime_vmMibHost 1, through Debian's view" 'sysUpTime_vmMibHost 1' \
    "$(grep '^sysUpTime_vmMibHost ' "$WORK/host")"
assert_eq "every metric vm-mib.rules.yml selects has a series in the two modules' scrapes" "" \
    "$("$abs_top_srcdir/tests/prometheus-rule-metrics.py" "$RULES" | while read -r m; do
        grep -qE "^$m[{ ]" "$WORK/metrics" "$WORK/host" || echo "$m"; done)"

# 3. Prometheus with the rules, scraping three hypervisors through the
# exporter: the demo node above (NODE), libvirt's default test instance with
# its one running machine "test" (DEFAULT; virsh reaches that instance, not
# the demo node's, which is private to the module's connection) and an
# snmpd without the module (BARE).
NODE=127.0.0.1:$SNMP_PORT
debian_snmpd default "$LIBVIRT_URI"
DEFAULT=127.0.0.1:$SNMP_PORT
DLMOD= debian_snmpd bare ""
BARE=127.0.0.1:$SNMP_PORT

# The shipped for: durations (up to 30 minutes) shortened to 1s in a copy:
# this test proves that the rules match the real series and reach
# Prometheus's alert list, not how long they wait; vm-mib.rules.test.yml
# (tests/check-prometheus-rules.sh) tests the shipped durations.
PROM=$WORK/prometheus
mkdir -p "$PROM"
sed 's/^\( *for:\) .*/\1 1s/' "$RULES" > "$PROM/rules.yml"
nfor=$(grep -c '^ *for:' "$RULES")
assert_eq "the test copy of the rules differs only in its $nfor for: lines" "$nfor" \
    "$(diff "$RULES" "$PROM/rules.yml" | grep -c '^> *for: 1s$')"
# The test driver counts a running or paused machine's CPU time as wall
# time: one CPU busy.  Over the first 5 minutes rate(...[5m]) divides what
# it saw by the whole 5 minutes, so the share grows from 0 to 1/vCPUs;
# every machine has 2 or more vCPUs (at most 0.5 < the default 0.9) but
# batch-worker (1).  An operator's per-machine limit (README:
# VmCpuSaturated) of 0.01 for batch-worker makes it fire for that one
# once its CPU time has grown in two snapshots.
cat > "$PROM/limits.yml" <<'YAML'
groups:
  - name: limits
    rules:
      - record: vm:vmCpuTime_vcpus_max:ratio
        expr: 0.01 + 0 * vmCurCpuNumber{vmName="batch-worker"}
YAML
# contrib/prometheus/vm-mib.scrape.yml with this test's targets and exporter
sed -e "s|targets: \[.*\]|targets: ['$NODE', '$DEFAULT', '$BARE']|" \
    -e "s|127\.0\.0\.1:9116|127.0.0.1:$HTTP_PORT|" \
    "$abs_top_srcdir/contrib/prometheus/vm-mib.scrape.yml" > "$PROM/scrape.yml"
assert_eq "vm-mib.scrape.yml: two jobs' targets and exporter addresses filled in" "4" \
    "$(diff "$abs_top_srcdir/contrib/prometheus/vm-mib.scrape.yml" "$PROM/scrape.yml" |
       grep -cE "^> *(- targets: \['$NODE', '$DEFAULT', '$BARE'\]|replacement: 127\.0\.0\.1:$HTTP_PORT)")"
{
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n'
    printf 'rule_files: [%s, %s]\n' "$PROM/rules.yml" "$PROM/limits.yml"
    grep -v '^#' "$PROM/scrape.yml"
} > "$PROM/prometheus.yml"
PROM_PORT=$(free_port)
prometheus --config.file="$PROM/prometheus.yml" --storage.tsdb.path="$PROM/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" > "$PROM/prometheus.log" 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")

# prom PATH [PROMQL]: a GET of Prometheus's API, sorted, one line per alert
# ("alertname hypervisor vmName vmOperState state", the hypervisors by the
# names above) or per sample of a query ("hypervisor label=value... = value")
prom() {
    python3 - "http://127.0.0.1:$PROM_PORT$1" "${2:-}" "$NODE=NODE" "$DEFAULT=DEFAULT" "$BARE=BARE" <<'PY'
import json, sys, urllib.parse, urllib.request
url, query = sys.argv[1], sys.argv[2]
names = dict(a.split('=') for a in sys.argv[3:])
if query:
    url += '?' + urllib.parse.urlencode({'query': query})
try:
    with urllib.request.urlopen(url, timeout=5) as r:
        data = json.load(r)['data']
except (OSError, ValueError) as e:
    sys.exit(print('ERROR', e))
lines = []
if 'alerts' in data:
    for a in data['alerts']:
        l = a['labels']
        lines.append(' '.join([l['alertname'], names.get(l['instance'], l['instance']),
                               l.get('vmName', '-'), l.get('vmOperState', '-'), a['state']]))
else:
    for s in data['result']:
        l = s['metric']
        lines.append(' '.join([names.get(l.get('instance'), '-')] +
                              [f'{k}={v}' for k, v in sorted(l.items())
                               if k not in ('instance', '__name__')] + ['=', s['value'][1]]))
print('\n'.join(sorted(lines)))
PY
}
retry 100 tcp_up "$PROM_PORT" "$PROM_PID"

# Before the suspend: the demo node's paused and suspended machines, and
# the snmpd whose agent answers without VM-MIB; nothing for DEFAULT.
wait_for "alerts: NODE's paused and suspended machines and batch-worker's CPU, BARE without VM-MIB, all firing" \
    "VmCpuSaturated NODE batch-worker - firing
VmMibNotAnswering BARE - - firing
VmPausedTooLong NODE batch-worker paused firing
VmPausedTooLong NODE staging suspended firing" 300 prom /api/v1/alerts
wait_for "recorded machines per state: NODE as in the fixture, DEFAULT's one running" \
    "DEFAULT job=vm-mib vmOperState=running = 1
NODE job=vm-mib vmOperState=paused = 1
NODE job=vm-mib vmOperState=running = 2
NODE job=vm-mib vmOperState=shutdown = 1
NODE job=vm-mib vmOperState=suspended = 1" 100 prom /api/v1/query 'instance_vmOperState:vmOperState:sum > 0'
assert_eq "recorded machines per state: the other 10 states at 0 on NODE and 11 on DEFAULT" \
    "- = 24" "$(prom /api/v1/query 'count(instance_vmOperState:vmOperState:sum)')"

assert_eq "VmMibNotAnswering: BARE only, not the two snmpds with the module" "BARE" \
    "$(prom /api/v1/query 'ALERTS{alertname="VmMibNotAnswering"}' | awk '{ print $1 }')"
assert_eq "VmCpuSaturated's labels: the machine, vmUUID as libvirt writes it" \
    "NODE alertname=VmCpuSaturated alertstate=firing job=vm-mib severity=warning vmIndex=3 vmName=batch-worker vmUUID=$(awk '$1 == "batch-worker" { print $2 }' "$WORK/fixture") = 1" \
    "$(prom /api/v1/query 'ALERTS{alertname="VmCpuSaturated"}')"

# cpu_use: per machine, whether the recorded CPU use is 0 or above (the
# test driver's CPU time is no workload; the figures are vm-mib.rules.test.yml's)
cpu_use() {
    prom /api/v1/query 'vm:vmCpuTime_cpus:rate5m' |
        awk '{ for (i = 2; i < NF; i++) if ($i ~ /^vmName=/) n = substr($i, 8)
               print $1, n, ($NF == 0 ? "0" : ">0") }' | sort
}
wait_for "recorded CPU use: above 0 for the machines with a CPU time, 0 for NODE's shut-off ones" \
    "DEFAULT test >0
NODE batch-worker >0
NODE build-runner 0
NODE database >0
NODE staging 0
NODE web-frontend >0" 100 cpu_use
assert_match "recorded CPU use: labelled with the host and the machine, vmUUID as libvirt writes it" \
    "^NODE job=vm-mib vmIndex=1 vmName=web-frontend vmUUID=$(awk '$1 == "web-frontend" { print $2 }' "$WORK/fixture") = [0-9]" \
    "$(prom /api/v1/query 'vm:vmCpuTime_cpus:rate5m{vmName="web-frontend"}')"

# V ARGS...: virsh on DEFAULT's test instance, a failure counted
V() { virsh -q -c "$LIBVIRT_URI" "$@" > "$WORK/virsh.out" 2>&1 || { fail "virsh $*"; cat "$WORK/virsh.out"; }; }
V suspend test
test_uuid=$(virsh -q -c "$LIBVIRT_URI" domuuid test | tr -d '[:space:]')
# alerts_of HYPERVISOR: its alerts, without their state
alerts_of() { prom /api/v1/alerts | awk -v hv="$1" '$2 == hv { print $1, $2, $3, $4 }'; }
wait_for "after virsh suspend: VmPausedTooLong for DEFAULT's test, pending or firing" \
    "VmPausedTooLong DEFAULT test paused" 100 alerts_of DEFAULT
wait_for "after virsh suspend: the same alerts as before and DEFAULT's, all firing" \
    "VmCpuSaturated NODE batch-worker - firing
VmMibNotAnswering BARE - - firing
VmPausedTooLong DEFAULT test paused firing
VmPausedTooLong NODE batch-worker paused firing
VmPausedTooLong NODE staging suspended firing" 100 prom /api/v1/alerts
assert_eq "the alert's labels name the host and the machine" \
    "DEFAULT alertname=VmPausedTooLong alertstate=firing job=vm-mib severity=warning vmIndex=1 vmName=test vmOperState=paused vmUUID=$test_uuid = 1" \
    "$(prom /api/v1/query "ALERTS{alertname=\"VmPausedTooLong\",instance=\"$DEFAULT\"}")"
wait_for "recorded machines per state: DEFAULT's machine now paused" \
    "DEFAULT job=vm-mib vmOperState=paused = 1" 100 \
    prom /api/v1/query "instance_vmOperState:vmOperState:sum{instance=\"$DEFAULT\"} > 0"
# DEFAULT's machine marked autostart and shut off, then undefined
V autostart test
V destroy test
wait_for "after virsh autostart + destroy: DEFAULT's alert is VmShutOffWithAutostart" \
    "VmShutOffWithAutostart DEFAULT test shutdown" 150 alerts_of DEFAULT
V undefine test
wait_for "after virsh undefine: DEFAULT's alert is VmNumberDropped" \
    "VmNumberDropped DEFAULT - -" 150 alerts_of DEFAULT
assert_eq "Prometheus logs no warning or error" "" \
    "$(grep -E 'level=(warn|error)' "$PROM/prometheus.log")"
# BARE's alert came from a successful scrape without VM-MIB, not an error
assert_eq "the exporter logs no error for Prometheus's scrapes either" "" "$(grep -v 'level=info' "$WORK/exporter.log")"

vmm_summary
