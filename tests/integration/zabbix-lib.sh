# SPDX-License-Identifier: BSD-3-Clause
# A private Zabbix 6.0 (Debian's packages) on loopback, for the template's
# test and the screenshot script (bash, sourced after lib.sh): PostgreSQL
# cluster, zabbix_server and the PHP frontend, each tracked in PIDS and
# stopped by PID.  Nothing of the system's configuration is touched: the
# cluster, the server's configuration and the frontend's zabbix.conf.php
# live in $WORK/zabbix.

ZBX=$WORK/zabbix
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
ZBX_SCHEMA=/usr/share/zabbix-server-pgsql
ZBX_FRONTEND=/usr/share/zabbix

# start_postgres: a cluster of its own in $ZBX/pg, run by the postgres
# user, on 127.0.0.1:$PG_PORT with its socket in $ZBX; database "zabbix"
# owned by the superuser "zabbix" (trust: only loopback and the socket).
start_postgres() {
    mkdir -p "$ZBX"
    chmod 711 "$WORK" && chmod 755 "$ZBX"
    install -d -o postgres -g postgres -m 700 "$ZBX/pg"
    install -d -o postgres -g postgres -m 755 "$ZBX/pgsock"
    setpriv --reuid=postgres --regid=postgres --init-groups \
        "$PGBIN/initdb" -D "$ZBX/pg/data" -U zabbix --auth=trust -E UTF8 --locale=C.UTF-8 \
        > "$ZBX/initdb.log" 2>&1 || { tail -5 "$ZBX/initdb.log"; return 1; }
    PG_PORT=$(free_port)
    setpriv --reuid=postgres --regid=postgres --init-groups \
        "$PGBIN/postgres" -D "$ZBX/pg/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
        -c unix_socket_directories="$ZBX/pgsock" -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off > "$ZBX/postgres.log" 2>&1 &
    PG_PID=$!
    PIDS+=("$PG_PID")
    retry 100 "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" ||
        { echo "postgres did not come up"; tail -5 "$ZBX/postgres.log"; return 1; }
}

zbx_psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U zabbix "$@"; }

# load_schema: Debian's schema, images and data into database "zabbix".
load_schema() {
    zbx_psql -d postgres -c 'CREATE DATABASE zabbix' > "$ZBX/schema.log" 2>&1 &&
        zcat "$ZBX_SCHEMA/schema.sql.gz" "$ZBX_SCHEMA/images.sql.gz" "$ZBX_SCHEMA/data.sql.gz" |
        zbx_psql -d zabbix >> "$ZBX/schema.log" 2>&1 ||
        { echo "schema load failed"; tail -5 "$ZBX/schema.log"; return 1; }
}

# the main process logged its start, or died
zbx_server_up() {
    kill -0 "$ZBX_SERVER_PID" 2>/dev/null || return 0
    grep -q 'server #0 started \[main process\]' "$ZBX/zabbix_server.log"
}

# start_zabbix_server: in the foreground (-f), dropping root for the
# zabbix user; its configuration cache reloaded every second, so hosts and
# templates made through the API are polled at once; Zabbix's default five
# pollers, which evaluate the calculated items too.
start_zabbix_server() {
    install -d -o zabbix -g zabbix -m 755 "$ZBX/server"
    # zabbix_server takes no ListenPort above 32767
    ZBX_SERVER_PORT=$(free_port)
    while [ "$ZBX_SERVER_PORT" -gt 32767 ]; do ZBX_SERVER_PORT=$(free_port); done
    cat > "$ZBX/zabbix_server.conf" <<CONF
ListenIP=127.0.0.1
ListenPort=$ZBX_SERVER_PORT
LogType=console
PidFile=$ZBX/server/zabbix_server.pid
SocketDir=$ZBX/server
DBHost=127.0.0.1
DBPort=$PG_PORT
DBName=zabbix
DBUser=zabbix
CacheUpdateFrequency=1
StartPollers=5
StartPollersUnreachable=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartLLDProcessors=1
StartReportWriters=0
StartDBSyncers=1
HousekeepingFrequency=0
UnreachablePeriod=5
UnavailableDelay=5
UnreachableDelay=1
Timeout=3
${ZBX_TRAPFILE:+StartSNMPTrapper=1
SNMPTrapperFile=$ZBX_TRAPFILE}
CONF
    /usr/sbin/zabbix_server -f -c "$ZBX/zabbix_server.conf" > "$ZBX/zabbix_server.log" 2>&1 &
    ZBX_SERVER_PID=$!
    PIDS+=("$ZBX_SERVER_PID")
    retry 200 zbx_server_up
    kill -0 "$ZBX_SERVER_PID" 2>/dev/null &&
        grep -q 'server #0 started \[main process\]' "$ZBX/zabbix_server.log" ||
        { echo "zabbix_server did not come up"; tail -10 "$ZBX/zabbix_server.log"; return 1; }
    # the HA manager, stopped after the main process: the main process stops
    # it, but one was seen to outlive its main process (orphaned, ignoring
    # TERM); listed before the main process, so it is stopped after it
    local ha
    ha=$(pgrep -P "$ZBX_SERVER_PID" -f 'ha manager')
    [ -z "$ha" ] || PIDS=("${PIDS[@]:0:${#PIDS[@]}-1}" "$ha" "$ZBX_SERVER_PID")
}

# start_frontend: Debian's frontend under PHP's built-in web server on
# 127.0.0.1:$ZBX_WEB_PORT.  The frontend reads its database settings from
# the fixed path /etc/zabbix/zabbix.conf.php (CConfigFile::CONFIG_FILE_PATH);
# rather than writing there, a copy of that one class with the path
# pointing into $ZBX is loaded first (auto_prepend_file), so the autoloader
# never loads Debian's.
start_frontend() {
    local web=$ZBX/web
    mkdir -p "$web"
    cat > "$web/zabbix.conf.php" <<PHP
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '127.0.0.1';
\$DB['PORT'] = '$PG_PORT';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'zabbix';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZBX_SERVER_PORT';
\$ZBX_SERVER_NAME = 'vm-mib test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
PHP
    sed "s|'/etc/zabbix/zabbix.conf.php'|'$web/zabbix.conf.php'|" \
        "$ZBX_FRONTEND/include/classes/core/CConfigFile.php" > "$web/CConfigFile.php"
    grep -q "'$web/zabbix.conf.php'" "$web/CConfigFile.php" ||
        { echo "the frontend's CConfigFile has no CONFIG_FILE_PATH to point elsewhere"; return 1; }
    ZBX_WEB_PORT=$(free_port)
    ZBX_URL=http://127.0.0.1:$ZBX_WEB_PORT
    php -S "127.0.0.1:$ZBX_WEB_PORT" -t "$ZBX_FRONTEND" -d auto_prepend_file="$web/CConfigFile.php" \
        -d memory_limit=256M -d post_max_size=16M -d max_execution_time=300 \
        -d date.timezone=UTC -d error_reporting=E_ALL -d log_errors=1 -d display_errors=0 \
        -d error_log="$ZBX/php-errors.log" > "$ZBX/php.log" 2>&1 &
    ZBX_WEB_PID=$!
    PIDS+=("$ZBX_WEB_PID")
    retry 100 python3 -c "import urllib.request as u; u.urlopen('$ZBX_URL/index.php', timeout=5)" ||
        { echo "the frontend does not answer"; tail -5 "$ZBX/php.log"; return 1; }
}

# start_trap_pipeline: the notifications into Zabbix as
# contrib/zabbix/README.md sets it up: a real snmptrapd ($TRAP_PORT on
# loopback, $TRAPD_PID) with its lines from there, handing each
# notification to SNMPTT (standalone) run with contrib/zabbix/snmptt.ini
# and snmptt.conf, their paths moved into $ZBX/snmptt (never the system's
# /etc/snmp/snmptt.ini, /var/log/snmptt).  SNMPTT writes $ZBX_TRAPFILE,
# which start_zabbix_server then gives the server as its SNMPTrapperFile
# (readable by the zabbix user: every directory on the way is).
start_trap_pipeline() {
    local dir=$ZBX/snmptt contrib=$abs_top_srcdir/contrib/zabbix
    mkdir -p "$dir"
    chmod 711 "$WORK" && chmod 755 "$ZBX" "$dir"
    ZBX_TRAPFILE=$dir/snmptt.log
    sed -e "s|/var/log/snmptt-zabbix/|$dir/|" -e "s|/etc/snmp/snmptt-zabbix.conf|$contrib/snmptt.conf|" \
        "$contrib/snmptt.ini" > "$dir/snmptt.ini"
    grep -q "^log_file = $ZBX_TRAPFILE\$" "$dir/snmptt.ini" &&
        grep -qx "$contrib/snmptt.conf" "$dir/snmptt.ini" ||
        { echo "contrib/zabbix/snmptt.ini has no log_file or snmptt_conf_files to move"; return 1; }
    TRAPD_CONF="$(zbx_snmptrapd_lines "$dir/snmptt.ini")" start_snmptrapd snmptrapd-zabbix
}

# zbx_snmptrapd_lines INI: the snmptrapd.conf lines of contrib/zabbix/README.md
# (the block between its "snmptrapd.conf" markers), with INI for the path.
zbx_snmptrapd_lines() {
    sed -n '/^# snmptrapd.conf for Zabbix: begin/,/^# snmptrapd.conf for Zabbix: end/p' \
        "$abs_top_srcdir/contrib/zabbix/README.md" | sed "s|/etc/snmp/snmptt-zabbix.ini|$1|"
}

# start_zabbix: all three, in order.
start_zabbix() {
    start_postgres && load_schema && start_zabbix_server && start_frontend
}

# api METHOD PARAMS-JSON [EXPR]: see zabbix-api.py
api() { python3 "$abs_top_srcdir/tests/integration/zabbix-api.py" "$ZBX_URL" "$@"; }

# zbx_login: Admin's session token in ZBX_TOKEN, for api
zbx_login() {
    ZBX_TOKEN=$(api user.login '{"username": "Admin", "password": "zabbix"}' r) || return 1
    export ZBX_TOKEN
}

# zbx_import FILE: configuration.import of a YAML template; prints the answer
zbx_import() {
    api configuration.import "$(python3 - "$1" <<'PY'
import json, sys
rules = {k: {"createMissing": True, "updateExisting": True}
         for k in ("templates", "items", "discoveryRules", "triggers", "graphs", "valueMaps")}
rules["groups"] = rules["templateLinkage"] = {"createMissing": True}
print(json.dumps({"format": "yaml", "rules": rules, "source": open(sys.argv[1]).read()}))
PY
)"
}

# zbx_host TEMPLATEID MACROS-JSON: host "hypervisor" in group "vm-mib test",
# SNMPv2c interface on 127.0.0.1:$SNMP_PORT, the template linked, the user
# macros ({"{$NAME}": "value", ...}) set; prints its hostid
zbx_host() {
    local groupid
    groupid=$(api hostgroup.create '{"name": "vm-mib test"}' 'r["groupids"][0]')
    api host.create "{\"host\": \"hypervisor\", \"groups\": [{\"groupid\": \"$groupid\"}],
        \"templates\": [{\"templateid\": \"$1\"}],
        \"interfaces\": [{\"type\": 2, \"main\": 1, \"useip\": 1, \"ip\": \"127.0.0.1\", \"dns\": \"\",
            \"port\": \"$SNMP_PORT\", \"details\": {\"version\": 2, \"bulk\": 1, \"community\": \"public\"}}],
        \"macros\": $(python3 -c 'import json, sys; print(json.dumps([{"macro": k, "value": v}
            for k, v in json.loads(sys.argv[1]).items()]))' "$2")}" \
        'r["hostids"][0]'
}

# zbx_items_report HOSTID: why items lack values, for a failed check's
# log: the host's items without a value or not supported (key, state,
# error), and what zabbix_server logged of the host's items
zbx_items_report() {
    echo "  items without a value or not supported:"
    api item.get "{\"hostids\": \"$1\", \"output\": [\"key_\", \"lastclock\", \"state\", \"error\"]}" \
        '"\n".join("    %s state %s %s" % (i["key_"], i["state"], i["error"])
                   for i in r if i["lastclock"] == "0" or i["state"] == "1")'
    echo "  zabbix_server.log on the host's items:"
    grep -E '"hypervisor[:"]' "$ZBX/zabbix_server.log" | tail -60 | sed 's/^/    /'
}

virsh_() { virsh -q -c "$LIBVIRT_URI" "$@" >/dev/null 2>"$WORK/virsh.err" ||
               { echo "  virsh $* failed: $(cat "$WORK/virsh.err")"; return 1; }; }

# define_fixture FILE: the machines of node file FILE defined, in the
# states FILE gives them, in the test driver's shared default instance
# (virsh changes on a private node file would be seen by virsh's own
# connection only); call it once snmpd is connected, as the instance lives
# while a client is.  What they are, in $WORK/fixture.{vm,disk,nic,vcpu}, a
# line each: machine: name uuid vcpus oper-state admin-state memory
# max-memory (bytes); disk: name position; NIC: name MAC model; vCPU: name
# number.
define_fixture() {
    local name state
    python3 - "$1" "$WORK/fixture" <<'PY'
import sys
import xml.etree.ElementTree as ET
TEST = '{http://libvirt.org/schemas/domain/test/1.0}'
OPER = {'1': 'running', '3': 'paused', '5': 'shutdown'}
KIB = 1024
out = {k: open(sys.argv[2] + '.' + k, 'w') for k in ('vm', 'disk', 'nic', 'vcpu')}
ET.register_namespace('test', TEST[1:-1])
for d in ET.parse(sys.argv[1]).getroot().findall('domain'):
    name = d.findtext('name')
    state = OPER[d.findtext(TEST + 'runstate', '1')]
    if d.find(TEST + 'hasmanagedsave') is not None:
        state = 'suspended'          # shut off with a managed-save image
    mem = int(d.findtext('memory'))
    cur = int(d.findtext('currentMemory') or mem)
    vcpus = int(d.findtext('vcpu'))
    print(name, d.findtext('uuid'), vcpus, state, state, cur * KIB, mem * KIB, file=out['vm'])
    for e in [e for e in d if e.tag.startswith(TEST)]:
        d.remove(e)
    ET.ElementTree(d).write('%s-%s.xml' % (sys.argv[2], name))
    for n, _ in enumerate(d.iter('disk'), 1):
        print(name, n, file=out['disk'])
    for m in d.iter('interface'):
        print(name, m.find('mac').get('address'), m.find('model').get('type'), file=out['nic'])
    for n in range(1, vcpus + 1):
        print(name, n, file=out['vcpu'])
PY
    virsh_ destroy test && virsh_ undefine test           # the instance's own machine
    while read -r name _ _ state _; do
        virsh_ define "$WORK/fixture-$name.xml"
        case $state in
            running) virsh_ start "$name" ;;
            paused) virsh_ start "$name" && virsh_ suspend "$name" ;;
            suspended) virsh_ start "$name" && virsh_ managedsave "$name" ;;
        esac
    done < "$WORK/fixture.vm"
}
