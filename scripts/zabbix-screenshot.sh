#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# A screenshot of the real Zabbix frontend showing the demo hypervisor's
# machines through contrib/zabbix/vm_mib_by_snmp.yaml ("Latest data",
# machine items): the same private Zabbix, snmpd and libvirtd as
# tests/integration/zabbix.sh, headless Chromium as the browser.  Read-only
# guest access to the test host group lets Chromium in without a login.
# Run as root after a build: scripts/zabbix-screenshot.sh [OUTPUT.png]
# (default contrib/zabbix/latest-data.png).
set -u
abs_top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(realpath -m "${1:-$abs_top_srcdir/contrib/zabbix/latest-data.png}")
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/zabbix-lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
command -v chromium >/dev/null || { echo "needs Debian's chromium" >&2; exit 1; }

die() { echo "$*" >&2; exit 1; }
start_libvirtd || die "libvirtd did not start"
start_snmpd screenshot "" "vmMibUri $LIBVIRT_URI" || die "snmpd did not start"
define_fixture "$abs_top_srcdir/demo/node.xml"
start_zabbix || die "Zabbix did not start"
zbx_login || die "API login failed"
[ "$(zbx_import "$abs_top_srcdir/contrib/zabbix/vm_mib_by_snmp.yaml")" = true ] || die "import failed"
TEMPLATEID=$(api template.get '{"filter": {"host": "VM-MIB by SNMP"}}' 'r[0]["templateid"]')
HOSTID=$(zbx_host "$TEMPLATEID" '{"{$VM.UPDATE.INTERVAL}": "5s", "{$VM.LLD.INTERVAL}": "10s"}')

# every machine's CPU use (a rate: two polls) has a value
machines=$(grep -c . "$WORK/fixture.vm")
for _ in $(seq 120); do
    n=$(api item.get "{\"hostids\": \"$HOSTID\", \"search\": {\"key_\": \"vmmib.vm.cpu.util[\"},
        \"output\": [\"lastclock\"]}" 'len([i for i in r if i["lastclock"] != "0"])')
    [ "$n" = "$machines" ] && break
    sleep 1
done
[ "$n" = "$machines" ] || die "the machines' items got no values"

# the guest user: out of group Disabled, its group allowed to read the host;
# the default language British English, the one the frontend needs no
# system locale for
GROUPID=$(api hostgroup.get '{"filter": {"name": "vm-mib test"}}' 'r[0]["groupid"]')
GUESTS=$(api usergroup.get '{"filter": {"name": "Guests"}}' 'r[0]["usrgrpid"]')
GUEST=$(api user.get '{"filter": {"username": "guest"}}' 'r[0]["userid"]')
api user.update "{\"userid\": \"$GUEST\", \"usrgrps\": [{\"usrgrpid\": \"$GUESTS\"}]}" >/dev/null &&
    api settings.update '{"default_lang": "en_GB"}' >/dev/null &&
    api usergroup.update "{\"usrgrpid\": \"$GUESTS\",
        \"rights\": [{\"id\": \"$GROUPID\", \"permission\": 2}]}" >/dev/null ||
    die "guest access not granted"

# machine items (not disks, NICs, vCPUs) of a running and a paused machine:
# tags with different names are ANDed, with the same name ORed
tag() { echo "&tags%5B$1%5D%5Btag%5D=$2&tags%5B$1%5D%5Boperator%5D=1&tags%5B$1%5D%5Bvalue%5D=$3"; }
url="$ZBX_URL/zabbix.php?action=latest.view&kiosk=1&filter_set=1&hostids%5B%5D=$HOSTID&evaltype=0"
url+="$(tag 0 component vm)$(tag 1 vm web-frontend)$(tag 2 vm batch-worker)"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium" \
    --window-size=1400,1000 --screenshot="$OUT" "$url" > "$WORK/chromium.log" 2>&1 ||
    { tail -5 "$WORK/chromium.log"; die "chromium failed"; }
echo "wrote $OUT"
