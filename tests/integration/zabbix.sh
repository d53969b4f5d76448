#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# contrib/zabbix/vm_mib_by_snmp.yaml in a real Zabbix 6.0 (Debian's
# zabbix-server-pgsql and zabbix-frontend-php, a private PostgreSQL, all on
# loopback): imported through the API with no error, linked to a host whose
# SNMP interface is a test snmpd with the module over a private libvirtd
# serving demo/node.xml, its intervals shortened by the template's macros.
# Then through the API: the discovered machines, disks, NICs and vCPUs are
# exactly the fixture's; item values are the fixture's (state names through
# the value maps, memory in bytes); virsh suspend fires the "paused" trigger,
# not before {$VM.PAUSED.MAX}; virsh autostart fires "shut off although
# autostart"; virsh undefine makes discovery mark the machine's items lost
# and fires "gone"; an snmpd without the module fires "VM-MIB does not
# answer".
. "$(dirname "$0")/lib.sh"
vmm_need_root "PostgreSQL, zabbix_server and libvirtd run as their own users (setpriv)"
. "$abs_top_srcdir/tests/integration/zabbix-lib.sh"

TEMPLATE=$abs_top_srcdir/contrib/zabbix/vm_mib_by_snmp.yaml
FIXTURE=$abs_top_srcdir/demo/node.xml
PAUSED_MAX=30                   # seconds; {$VM.PAUSED.MAX} on the host
MIB_NODATA=30                   # {$VM.MIB.NODATA.TIMEOUT}: nodata()'s minimum
NODATA=60                       # {$VM.NODATA.TIMEOUT}: a machine gone, later
T0=$(date +%s)

# wait_until NAME EXPECTED SECONDS CMD...: poll CMD (an API query: once a
# second) until it prints EXPECTED; sets WAITED to the seconds it took.
wait_until() {
    local name=$1 expected=$2 deadline=$(($(date +%s) + $3)) start=$(date +%s) out
    shift 3
    while :; do
        out=$("$@")
        WAITED=$(($(date +%s) - start))
        [ "$out" = "$expected" ] && { ok "$name (after ~$WAITED s)"; return 0; }
        [ "$(date +%s)" -lt "$deadline" ] || break
        sleep 1
    done
    fail "$name"; printf '  expected: %s\n  last:     %s\n' "$expected" "$out"
    return 1
}

start_libvirtd || { fail "private libvirtd starts"; vmm_summary; exit; }
start_snmpd zabbix "" "vmMibUri $LIBVIRT_URI" || { fail "snmpd starts"; vmm_summary; exit; }
define_fixture "$FIXTURE"
start_zabbix || { fail "PostgreSQL, zabbix_server and the frontend start"; vmm_summary; exit; }
ok "PostgreSQL, zabbix_server and the frontend start ($(($(date +%s) - T0)) s)"
zbx_login || { fail "API login as Admin: $ZBX_TOKEN"; vmm_summary; exit; }

# ------------------------------------------------------------- the import
out=$(zbx_import "$TEMPLATE")
assert_eq "configuration.import of the template answers true" "true" "$out"
[ "$out" = true ] || { vmm_summary; exit; }
assert_eq "the frontend logged no PHP error, warning or notice during the import" "" \
    "$(cat "$ZBX/php-errors.log" 2>/dev/null)"
TEMPLATEID=$(api template.get '{"filter": {"host": "VM-MIB by SNMP"}}' 'r[0]["templateid"]')
assert_eq "the template: items, discovery rules, item, trigger and graph prototypes, triggers" \
    "5 4 28 5 2 1" \
    "$(api template.get "{\"templateids\": \"$TEMPLATEID\", \"selectItems\": \"count\",
        \"selectDiscoveries\": \"count\", \"selectTriggers\": \"count\"}" \
        '"%s %s" % (r[0]["items"], r[0]["discoveries"])') $(api itemprototype.get \
        "{\"templateids\": \"$TEMPLATEID\", \"countOutput\": true}" r) $(api triggerprototype.get \
        "{\"templateids\": \"$TEMPLATEID\", \"countOutput\": true}" r) $(api graphprototype.get \
        "{\"templateids\": \"$TEMPLATEID\", \"countOutput\": true}" r) $(api trigger.get \
        "{\"templateids\": \"$TEMPLATEID\", \"countOutput\": true}" r)"

fixture() { sort "$WORK/fixture.$1"; }

# ------------------------------------------------------------- the host
HOSTID=$(zbx_host "$TEMPLATEID" "{\"{\$VM.UPDATE.INTERVAL}\": \"5s\", \"{\$VM.LLD.INTERVAL}\": \"10s\",
    \"{\$VM.PAUSED.MAX}\": \"${PAUSED_MAX}s\", \"{\$VM.NODATA.TIMEOUT}\": \"${NODATA}s\",
    \"{\$VM.MIB.NODATA.TIMEOUT}\": \"${MIB_NODATA}s\"}")
assert_match "host.create links the template to a host on snmpd's port" '^[0-9]+$' "$HOSTID"

# values KEY-PATTERN [TAG...]: the host's items whose key matches the
# wildcard pattern, a line each: the values of the TAGs (default: vm), the
# key's name without its index, and the last value through the item's
# value map ("-" while it has none); sorted.
values() {
    local pattern=$1
    shift
    api item.get "{\"hostids\": \"$HOSTID\", \"search\": {\"key_\": \"$pattern\"},
        \"searchWildcardsEnabled\": true, \"selectTags\": \"extend\", \"selectValueMap\": \"extend\",
        \"output\": [\"key_\", \"lastvalue\", \"lastclock\"]}" \
        "sorted(' '.join([next((t['value'] for t in i['tags'] if t['tag'] == tag), '?')
                          for tag in $(tags_list "${@:-vm}")] + [i['key_'].split('[')[0],
            '-' if i['lastclock'] == '0' else next((m['newvalue'] for m in (i['valuemap'] or {}).get('mappings', [])
                                                    if m['value'] == i['lastvalue']), i['lastvalue'])])
               for i in r)"
}
tags_list() { printf '['; printf '"%s",' "$@"; printf ']'; }

# the machines' items, one line per machine: what `fixture vm` holds
vm_lines() {
    values 'vmmib.vm.*[*' vm vm.uuid | awk '
        { key = $3; v[$1 " " $2, key] = $4; vm[$1 " " $2] = 1 }
        END { for (m in vm) print m, v[m, "vmmib.vm.vcpus"], v[m, "vmmib.vm.oper"], v[m, "vmmib.vm.admin"],
                                  v[m, "vmmib.vm.memory"], v[m, "vmmib.vm.memory.max"] }' | sort
}

# discovery and the first values of every item take a few polls
wait_until "machines discovered, with name, UUID, vCPUs, states through the value maps, memory in bytes" \
    "$(fixture vm)" 90 vm_lines
assert_eq "every machine: autostart disabled, persistent (value maps)" \
    "$(awk '{ print $1, "vmmib.vm.autostart disabled"; print $1, "vmmib.vm.persistent persistent" }' \
        "$WORK/fixture.vm" | sort)" "$( (values 'vmmib.vm.autostart*'; values 'vmmib.vm.persistent*') | sort)"

wait_until "disks discovered: the fixture's, numbered by position" "$(fixture disk)" 30 \
    eval "values 'vmmib.disk.read.ops*' vm disk | cut -d' ' -f1,2"
wait_until "NICs discovered: the fixture's, with MAC and model" "$(fixture nic)" 30 \
    eval "join -j1 <(values 'vmmib.nic.mac*' vm nic | awk '{ print \$1 \"/\" \$2, \$4 }') \
                   <(values 'vmmib.nic.model*' vm nic | awk '{ print \$1 \"/\" \$2, \$4 }') |
          sed 's|/[^ ]* | |'"
assert_eq "NICs: host ifIndex 0 (the test driver's NICs have no host interface)" \
    "$(awk '{ print $1, $2, "vmmib.nic.ifindex 0" }' "$WORK/fixture.nic" | sort)" \
    "$(values 'vmmib.nic.ifindex*' vm nic)"
wait_until "vCPUs discovered: the fixture's" "$(fixture vcpu)" 30 \
    eval "values 'vmmib.vcpu.util*' vm vcpu | cut -d' ' -f1,2"

# disk sizes in bytes: what the agent says, size times unit (none when -1)
snmp_sizes() {
    local vm idx col unit size
    while read -r vm idx; do
        vi=$(vm_index "$vm")
        unit=$(sget "$vmStorageSizeUnit.$vi.$idx" | sed 's/.*: //')
        for col in Allocated Defined; do
            oid=vmStorage${col}Size
            size=$(sget "${!oid}.$vi.$idx" | sed 's/.*: //')
            [ "$size" = -1 ] || echo "$vm $idx vmmib.disk.size.${col,,} $((size * unit))"
        done
    done < <(fixture disk)
}
wait_until "disk sizes in bytes: vmStorage{Defined,Allocated}Size times vmStorageSizeUnit" \
    "$(snmp_sizes | sort)" 30 \
    eval "(values 'vmmib.disk.size.defined[*' vm disk; values 'vmmib.disk.size.allocated[*' vm disk) | sort"
wait_until "no item is unsupported" "" 30 \
    api item.get "{\"hostids\": \"$HOSTID\", \"filter\": {\"state\": 1}, \"output\": [\"key_\", \"error\"]}" \
        '["%s: %s" % (i["key_"], i["error"]) for i in r]'

# CPU in CPUs: the test driver's running and paused machines use some
# (their vmCpuTime grows), shut-off ones none
assert_eq "CPU used: above 0 CPUs for running and paused machines, 0 for shut-off ones" \
    "$(awk '{ print $1, ($4 == "running" || $4 == "paused") ? "busy" : "idle" }' "$WORK/fixture.vm" | sort)" \
    "$(values 'vmmib.vm.cpu.used*' | awk '{ print $1, ($3 > 0) ? "busy" : ($3 == 0 ? "idle" : $3) }')"

# ----------------------------------------------------------------- triggers
# problems NAME-PART: the names of the host's triggers in problem state
# whose name contains NAME-PART, sorted
problems() {
    api trigger.get "{\"hostids\": \"$HOSTID\", \"filter\": {\"value\": 1}, \"search\": {\"description\": \"$1\"},
        \"expandDescription\": true, \"output\": [\"description\"]}" 'sorted(t["description"] for t in r)'
}
paused_name() { echo "VM $1: paused or suspended for longer than ${PAUSED_MAX}s"; }

# paused (8) and suspended (6) from the start: no running value in the window
wait_until "'paused or suspended' fires for the machines paused or suspended from the start" \
    "$(awk '$4 == "paused" || $4 == "suspended" { print $1 }' "$WORK/fixture.vm" | sort |
       while read -r m; do paused_name "$m"; done)" 30 problems "paused or suspended"

virsh_ suspend web-frontend
# its running values leave the window only after {$VM.PAUSED.MAX} (less
# one polling interval: the last running value may be polled late)
if ! wait_until "virsh suspend web-frontend: 'paused or suspended' fires for it" \
    "$(paused_name web-frontend)" $((PAUSED_MAX + 60)) problems "web-frontend: paused"; then
    skip "... not before {\$VM.PAUSED.MAX}" "it did not fire"
elif [ "$WAITED" -ge $((PAUSED_MAX - 5)) ]; then
    ok "... not before {\$VM.PAUSED.MAX} ($WAITED s >= $((PAUSED_MAX - 5)) s)"
else
    fail "... not before {\$VM.PAUSED.MAX}: after $WAITED s"
fi
virsh_ resume web-frontend
wait_until "virsh resume web-frontend: the problem is resolved" "" 30 problems "web-frontend: paused"

assert_eq "build-runner, shut off, autostart disabled: no 'shut off although autostart'" "" \
    "$(problems "autostart is enabled")"
virsh_ autostart build-runner
wait_until "virsh autostart build-runner (shut off): 'shut off although autostart' fires" \
    "VM build-runner: shut off although autostart is enabled" 30 problems "autostart is enabled"

# ---------------------------------------------------------------- deletion
virsh_ autostart --disable build-runner
virsh_ undefine build-runner
lost() {
    api item.get "{\"hostids\": \"$HOSTID\", \"selectItemDiscovery\": [\"ts_delete\"], \"selectTags\": \"extend\",
        \"output\": [\"key_\"]}" \
        'sorted(set(next(t["value"] for t in i["tags"] if t["tag"] == "vm")
                    for i in r if i["itemDiscovery"] and i["itemDiscovery"]["ts_delete"] != "0"))'
}
wait_until "virsh undefine build-runner: discovery marks its items, and only its, lost" \
    "build-runner" 60 lost
assert_eq "... all of them: machine, disk, NIC and vCPU items ($(( 13 + 2 * 11 + 3 + 2 )))" "$(( 13 + 2 * 11 + 3 + 2 ))" \
    "$(api item.get "{\"hostids\": \"$HOSTID\", \"tags\": [{\"tag\": \"vm\", \"value\": \"build-runner\", \"operator\": 1}],
        \"selectItemDiscovery\": [\"ts_delete\"], \"output\": [\"key_\"]}" \
        'len([i for i in r if i["itemDiscovery"]["ts_delete"] != "0"])')"
wait_until "... and 'gone' fires for it" "VM build-runner: gone (deleted, or no longer answered)" \
    $((NODATA + 60)) problems ": gone"

# ------------------------------------------------- VM-MIB gone, snmpd not
stop_snmpd
silent_since=$(date +%s)
DLMOD= SNMPD_PORT=$SNMP_PORT start_snmpd plain || fail "snmpd without the module starts on the same port"
wait_until "snmpd without the module: 'VM-MIB does not answer while the SNMP agent does' fires" \
    "VM-MIB does not answer while the SNMP agent does" $((MIB_NODATA + 60)) problems "VM-MIB does not answer"
# past the machines' own timeout: without the dependency they would fire now
left=$((silent_since + NODATA + 20 - $(date +%s)))
[ "$left" -le 0 ] || sleep "$left"
assert_eq "... and the machines' 'gone' triggers, which depend on it, stay quiet but build-runner's" \
    "VM build-runner: gone (deleted, or no longer answered)" "$(problems ": gone")"

echo "# zabbix.sh took $(($(date +%s) - T0)) s"
vmm_summary
