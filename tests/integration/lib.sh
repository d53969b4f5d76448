# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Shared harness of vm-mib's integration tests (bash, sourced).
#
# Starts real daemons on loopback, each tracked by PID and stopped by PID
# on exit, also when a test fails.  Results are counted; vmm_summary prints
# "N passed, N failed, N skipped" and returns non-zero on any failure.
# The benchmarks and the demo start their daemons with it too.

set -u

: "${abs_top_srcdir:?run through make check, or set abs_top_srcdir}"
: "${abs_top_builddir:=$abs_top_srcdir}"
: "${SNMPD:=/usr/sbin/snmpd}"

VMM_SO="$abs_top_builddir/vm-mib/.libs/vm_mib.so"
FIXTURES="$abs_top_srcdir/tests/fixtures"
. "$abs_top_srcdir/tests/integration/oids.sh"
export MIBS=""                     # numeric OIDs only unless a test loads MIBs
export MIBDIRS="$abs_top_srcdir/mibs:$abs_top_srcdir/tests/mibs"

PASSED=0
FAILED=0
SKIPPED=0
PIDS=()
LIBVIRTD_DIR=""                    # start_libvirtd makes it
# VMM_WORK: a work directory of the caller's, kept (the demo's); otherwise a
# fresh one, removed on exit unless VMM_KEEP_WORK=1.
if [ -n "${VMM_WORK:-}" ]; then
    WORK=$VMM_WORK
    mkdir -p "$WORK"
    VMM_KEEP_WORK=1
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/vm-mib-test.XXXXXX")
fi

# The last started first: clients go before the daemons they use.
vmm_cleanup() {
    local i pids=("${PIDS[@]}")
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        vmm_stop_pid "${pids[i]}"
    done
    remove_libvirtd_dir
    [ "${VMM_KEEP_WORK:-}" = 1 ] || rm -rf "$WORK"
}
trap vmm_cleanup EXIT

ok()   { PASSED=$((PASSED + 1)); echo "ok - $*"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }
# skip NAME REASON: a check this run cannot make; not a pass.
skip() { SKIPPED=$((SKIPPED + 1)); echo "ok - $1 # SKIP $2"; }

# assert_eq NAME EXPECTED ACTUAL
assert_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        fail "$1"; printf '  expected: %s\n  actual:   %s\n' "$2" "$3"; fi
}

# assert_match NAME EXTENDED-REGEX ACTUAL
assert_match() {
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else
        fail "$1"; printf '  expected to match: %s\n  actual: %s\n' "$2" "$3"; fi
}

# assert_absent NAME CONTROL-OID EXPECTED CMD...: CMD (a request for what is
# not there) prints EXPECTED, and in the same check a GET of CONTROL-OID
# gets a value: an agent that answers nothing, or another agent on a wrong
# port, cannot pass for one that has nothing.
assert_absent() {
    local name=$1 control=$2 expected=$3 out alive
    shift 3
    out=$("$@")
    alive=$(sget "$control")
    if [ "$out" = "$expected" ] && [[ $alive == "$control = "* ]] && [[ $alive != *"No Such"* ]]; then
        ok "$name"
    else
        fail "$name"
        printf '  expected: %s\n  actual:   %s\n  control:  %s\n' "$expected" "$out" "$alive"
    fi
}

# assert_log NAME EXTENDED-REGEX (in the current snmpd's log)
assert_log() {
    if grep -Eq -- "$2" "$SNMPD_LOG"; then ok "$1"; else
        fail "$1"; echo "  log has no line matching: $2"; sed 's/^/  | /' "$SNMPD_LOG" | tail -20; fi
}

vmm_summary() {
    echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
}

# vmm_need_root WHY: a suite that cannot run unprivileged is skipped as a
# whole (exit 77, automake's SKIP) rather than failing.
vmm_need_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    echo "# SKIP: needs root: $1"
    SKIPPED=1
    vmm_summary
    exit 77
}

# A port on 127.0.0.1 that nothing listens on, neither UDP nor TCP.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Hlutn "sport = :$port" | grep -q .; then
            echo "$port"; return
        fi
    done
}

# listens PORT PID: process PID has UDP PORT open on the loopback address.
listens() { ss -Hlunp "sport = :$1" | grep -q "pid=$2,"; }

# vmm_stop_pid PID: TERM, and KILL after VMM_STOP_WAIT tenths of a second
# (50).  The PID leaves PIDS: once reaped it may be another process's.
vmm_stop_pid() {
    local pid=$1 i keep=() p
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
    kill -0 "$pid" 2>/dev/null || return 0
    kill -CONT "$pid" 2>/dev/null      # a test may have stopped it
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq $((${VMM_STOP_WAIT:-50} * 5))); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.02                     # bench.sh times the stop
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# SNMPD_WRAPPER runs snmpd under a tool (valgrind); SNMPD_WAIT is how many
# tenths of a second it may take to answer.

# Client wrappers: numeric output, one try, one second.
SNMP_OPTS=(-v2c -On -t 1 -r 0)
sget()     { snmpget     "${SNMP_OPTS[@]}" -c public "127.0.0.1:$SNMP_PORT" "$@" 2>&1; }
sgetnext() { snmpgetnext "${SNMP_OPTS[@]}" -c public "127.0.0.1:$SNMP_PORT" "$@" 2>&1; }
swalk()    { snmpwalk    "${SNMP_OPTS[@]}" -c public "127.0.0.1:$SNMP_PORT" "$@" 2>&1; }
sset()     { snmpset     "${SNMP_OPTS[@]}" -c private "127.0.0.1:$SNMP_PORT" "$@" 2>&1; }

# assert_unknown_walk: a walk of VM-MIB while the module has no machine
# list gives what needs no libvirt, then ends in genErr at the tables:
# never "no machines".
assert_unknown_walk() {
    local out
    out=$(swalk $vmMIB)
    assert_eq "walk of VM-MIB: what needs no libvirt" \
        "$vmHvObjectID.0 $vmHvUpTime.0 $vmTableLastChange.0" \
        "$(printf '%s\n' "$out" | sed -n 's/^\(\.[.0-9]*\) = .*/\1/p' | xargs)"
    assert_match "then genErr at the tables" '^Reason: \(genError\)' "$out"
}

# start_snmpd NAME [BEFORE-DLMOD-LINES] AFTER-DLMOD-LINES
# Writes $WORK/NAME/snmpd.conf, starts snmpd on a free loopback port (or
# SNMPD_PORT) with a private persistent directory and waits until it
# answers.  DLMOD= (empty) starts a plain snmpd without the module.
start_snmpd() {
    local name=$1 before=${2:-} after=${3:-} dir="$WORK/$1"
    local dlmod="dlmod vm_mib $VMM_SO"
    [ "${DLMOD-x}" = "" ] && dlmod=""
    mkdir -p "$dir/persist"
    cat > "$dir/snmpd.conf" <<CONF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
$before
$dlmod
$after
CONF
    launch_snmpd "$name" "$dlmod"
}

# start_snmpd_now NAME BEFORE AFTER: start_snmpd, but return as soon as
# snmpd answers, without waiting for the module's first libvirt connection
# (which hangs while libvirtd is stopped) and first picture.
start_snmpd_now() {
    local saved rc
    saved=$(declare -f wait_module)
    wait_module() { return 0; }
    start_snmpd "$@"; rc=$?
    eval "$saved"
    return $rc
}

# start_snmpd_debian NAME URI [LINES]: snmpd configured as the README tells
# a Debian operator: Debian's stock /etc/snmp/snmpd.conf (its systemonly
# view, community public for that view only) including a snmpd.conf.d that
# holds the package's vm-mib.conf (URI set, LINES appended) and the README's
# view line.  Only what would clash with other snmpds changes: the listening
# address (the free port instead of 127.0.0.1:161), the AgentX master socket
# and the include directory.  DLMOD= (empty) leaves the module out (the
# conf.d file then has only the view line).  Returns 77 if the stock file
# was edited on this machine: then it is not Debian's default any more.
start_snmpd_debian() {
    local name=$1 uri=$2 lines=${3:-} dir="$WORK/$1" stock=/etc/snmp/snmpd.conf sum
    sum=$(dpkg-query -W -f='${Conffiles}\n' snmpd 2>/dev/null | awk -v f="$stock" '$1 == f { print $2 }')
    if [ -z "$sum" ] || [ "$(md5sum < "$stock" | cut -d' ' -f1)" != "$sum" ]; then
        echo "$stock is not Debian's stock file (md5 ${sum:-unknown})"
        return 77
    fi
    mkdir -p "$dir/persist" "$dir/snmpd.conf.d"
    sed -e 's|^agentaddress|#&|' -e "s|^includeDir .*|includeDir $dir/snmpd.conf.d|" \
        "$stock" > "$dir/snmpd.conf"
    echo "agentXSocket $dir/agentx-master" >> "$dir/snmpd.conf"
    {
        if [ "${DLMOD-x}" != "" ]; then
            sed -e "s|^dlmod vm_mib\$|dlmod vm_mib $VMM_SO|" -e "s|^vmMibUri .*|vmMibUri $uri|" \
                "$abs_top_srcdir/debian/snmpd.conf.d/vm-mib.conf"
            echo "$lines"
        fi
        echo "view systemonly included .1.3.6.1.2.1.236"
    } > "$dir/snmpd.conf.d/vm-mib.conf"
    local dlmod=""
    [ "${DLMOD-x}" = "" ] || dlmod="dlmod vm_mib $VMM_SO"
    launch_snmpd "$name" "$dlmod"
}

# launch_snmpd NAME DLMOD-LINE: start snmpd on $WORK/NAME/snmpd.conf (see
# start_snmpd); sets SNMPD_CONF, SNMPD_LOG, SNMPD_PID, SNMP_PORT.
launch_snmpd() {
    local dir="$WORK/$1" dlmod=$2 i try
    SNMPD_CONF="$dir/snmpd.conf"
    SNMPD_LOG="$dir/snmpd.log"
    for try in 1 2 3 4 5; do
        SNMP_PORT=${SNMPD_PORT:-$(free_port)}
        SNMP_PERSISTENT_DIR="$dir/persist" ${SNMPD_WRAPPER:-} "$SNMPD" -f -Lo -C -c "$SNMPD_CONF" \
            -I -smux ${SNMPD_ARGS:-} "udp:127.0.0.1:$SNMP_PORT" > "$SNMPD_LOG" 2>&1 &
        SNMPD_PID=$!
        PIDS+=("$SNMPD_PID")
        for i in $(seq ${SNMPD_WAIT:-50}); do
            # ours, not another test's snmpd that took the port first
            if listens "$SNMP_PORT" "$SNMPD_PID" && sget $sysUpTime.0 | grep -q Timeticks; then
                [ -z "$dlmod" ] || wait_module
                return 0
            fi
            snmpd_alive || break
            sleep 0.1
        done
        # another process may have taken the free port first
        [ -z "${SNMPD_PORT:-}" ] && ! snmpd_alive &&
            grep -q 'Error opening specified endpoint' "$SNMPD_LOG" || break
        vmm_stop_pid "$SNMPD_PID"
    done
    echo "snmpd did not come up; log:"; sed 's/^/  | /' "$SNMPD_LOG"
    return 1
}

# has_version: vmHvVersion.0 has a value.
has_version() { sget $vmHvVersion.0 | grep -q ' = STRING: '; }

# wait_module: the module's first connection attempt runs in the
# background; once connected, its first picture is read, and then libvirt
# is asked for the hypervisor's version (vmHvVersion.0 is absent until it
# arrives).  Waits for all of it (SNMPD_WAIT tenths each at most).
wait_module() {
    wait_log 'vm_mib: (connected to|cannot connect to) libvirt' ${SNMPD_WAIT:-50} &&
        grep -q 'vm_mib: connected to libvirt' "$SNMPD_LOG" && retry ${SNMPD_WAIT:-50} has_version
    return 0
}

# run_checks CHECK...: run each check function, and say how long it took.
run_checks() {
    local check c0
    for check in "$@"; do
        c0=$(date +%s)
        $check
        echo "# $check: $(( $(date +%s) - c0 )) s"
    done
}

# wait_log REGEX [TENTHS]: wait until the snmpd log has a matching line.
wait_log() { retry "${2:-50}" grep -Eq -- "$1" "$SNMPD_LOG"; }

# retry TENTHS CMD...: run CMD (quietly) every 0.1 s until it succeeds, at
# most TENTHS times; fails if it never did.
retry() {
    local tenths=$1 i
    shift
    for i in $(seq "$tenths"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# wait_for NAME EXPECTED TENTHS CMD...: poll CMD until it prints EXPECTED.
wait_for() {
    local name=$1 expect=$2 tenths=$3 i out
    shift 3
    for i in $(seq "$tenths"); do
        out=$("$@")
        [ "$out" = "$expect" ] && { ok "$name (after ~$((i - 1))00 ms)"; return 0; }
        sleep 0.1
    done
    fail "$name"; printf '  expected: %s\n  last:     %s\n' "$expect" "$out"
    return 1
}

# start_libvirtd: a private libvirtd, unprivileged (session mode, as nobody),
# whose test driver is reached as $LIBVIRT_URI.  Its default test instance is
# shared by all clients and reset when the last one disconnects.
# nobody cannot reach $WORK where it is under a 0700 directory (the demo's is
# in the clone, and /root is 0700), so the daemon's runtime, configuration
# and cache directories are in $LIBVIRTD_DIR, a directory of their own under
# /tmp; it stays across restarts (so does the socket) and vmm_cleanup removes
# it.  The log is $WORK/libvirtd/libvirtd.log.
start_libvirtd() {
    local log="$WORK/libvirtd/libvirtd.log" i
    libvirtd_dir || return 1
    mkdir -p "$WORK/libvirtd"
    chmod 711 "$WORK"    # as before: suites may hand other users files in it
    LIBVIRT_SOCK="$LIBVIRTD_DIR/run/libvirt/libvirt-sock"
    LIBVIRT_URI="test+unix:///default?socket=$LIBVIRT_SOCK"
    rm -f "$LIBVIRT_SOCK"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$LIBVIRTD_DIR/home" \
        XDG_RUNTIME_DIR="$LIBVIRTD_DIR/run" XDG_CONFIG_HOME="$LIBVIRTD_DIR/config" \
        XDG_CACHE_HOME="$LIBVIRTD_DIR/cache" /usr/sbin/libvirtd --timeout 0 \
        >> "$log" 2>&1 &
    LIBVIRTD_PID=$!
    PIDS+=("$LIBVIRTD_PID")
    for i in $(seq 100); do
        [ -S "$LIBVIRT_SOCK" ] && virsh -q -c "$LIBVIRT_URI" uri >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "libvirtd did not come up"; tail -5 "$log"
    return 1
}

# libvirtd_dir: make $LIBVIRTD_DIR unless it exists: mode 0711 (nobody
# passes, lists nothing), its subdirectories nobody's.
libvirtd_dir() {
    [ -n "${LIBVIRTD_DIR:-}" ] && [ -d "$LIBVIRTD_DIR" ] && return 0
    LIBVIRTD_DIR=$(mktemp -d /tmp/vm-mib-libvirtd.XXXXXX) || return 1
    chmod 711 "$LIBVIRTD_DIR"
    mkdir "$LIBVIRTD_DIR/home" "$LIBVIRTD_DIR/run" "$LIBVIRTD_DIR/config" \
        "$LIBVIRTD_DIR/cache" "$LIBVIRTD_DIR/files"
    chown nobody:nogroup "$LIBVIRTD_DIR/home" "$LIBVIRTD_DIR/run" "$LIBVIRTD_DIR/config" \
        "$LIBVIRTD_DIR/cache"
    chmod 755 "$LIBVIRTD_DIR/files"
}

# libvirtd_file FILE: a copy of FILE that the private libvirtd can read (a
# test driver node file in a test+unix:// URI); prints its path.
libvirtd_file() {
    libvirtd_dir || return 1
    install -m 644 "$1" "$LIBVIRTD_DIR/files/$(basename "$1")" &&
        echo "$LIBVIRTD_DIR/files/$(basename "$1")"
}

# remove_libvirtd_dir: after the daemon stopped.
remove_libvirtd_dir() {
    [ -n "${LIBVIRTD_DIR:-}" ] && rm -rf "$LIBVIRTD_DIR"
    LIBVIRTD_DIR=""
}

stop_libvirtd() { vmm_stop_pid "$LIBVIRTD_PID"; }

# start_subagent NAME SOCKET [LINES]: the module in a second snmpd running as
# an AgentX subagent (-X) of the master listening on SOCKET, with no MIB
# module of its own but dlmod (-I dlmod: the master serves the rest); LINES
# follow the dlmod line.  It has no SNMP port: query it through the master.
# Sets SUBAGENT_PID and SUBAGENT_LOG (new at each start; the persistent
# directory $WORK/NAME/persist is kept) and waits until the module tried
# libvirt.
start_subagent() {
    local dir="$WORK/$1"
    mkdir -p "$dir/persist"
    SUBAGENT_LOG="$dir/snmpd.log"
    cat > "$dir/snmpd.conf" <<CONF
agentXSocket $2
dlmod vm_mib $VMM_SO
${3:-}
CONF
    SNMP_PERSISTENT_DIR="$dir/persist" ${SNMPD_WRAPPER:-} "$SNMPD" -X -f -Lo -C -c "$dir/snmpd.conf" \
        -I dlmod ${SNMPD_ARGS:-} > "$SUBAGENT_LOG" 2>&1 &
    SUBAGENT_PID=$!
    PIDS+=("$SUBAGENT_PID")
    SNMPD_LOG=$SUBAGENT_LOG wait_log 'vm_mib: (connected to|cannot connect to) libvirt' ${SNMPD_WAIT:-50} ||
        { echo "subagent did not come up; log:"; sed 's/^/  | /' "$SUBAGENT_LOG"; return 1; }
}

stop_snmpd() { vmm_stop_pid "$SNMPD_PID"; }

snmpd_alive() { kill -0 "$SNMPD_PID" 2>/dev/null; }

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# boot_ticks: the host's uptime in 1/100 s, the clock of vmHvUpTime,
# exactly (/proc/uptime has two decimals; awk's %d stops at 2^31: 248 days).
boot_ticks() { local up rest; read -r up rest < /proc/uptime; echo $((10#${up/./})); }

# ticks_between LOW TICKS HIGH: TimeTicks TICKS lies in LOW..HIGH, counted
# modulo 2^32 as TimeTicks are (RFC 2578 7.1.8): LOW and HIGH may be host
# uptimes beyond the 497 days after which TimeTicks wrap.
ticks_between() {
    [[ $2 =~ ^[0-9]+$ ]] && [ $((($2 - $1) & 0xffffffff)) -le $((($3 - $1) & 0xffffffff)) ]
}

# expect CMD ARGS...: run expect.py (the VM-MIB a fixture must give), count
# its ok / not ok / # SKIP lines.
EXPECT=(python3 "$abs_top_srcdir/tests/integration/expect.py")
expect() {
    local out="$WORK/expect.out" rc line
    "${EXPECT[@]}" "$@" > "$out" 2>&1
    rc=$?
    while IFS= read -r line; do
        case $line in
            "ok - "*" # SKIP "*) line=${line#ok - }; skip "${line%% # SKIP *}" "${line#* # SKIP }" ;;
            "ok - "*) ok "${line#ok - }" ;;
            "not ok - "*) fail "${line#not ok - }" ;;
            *) printf '%s\n' "$line" ;;
        esac
    done < "$out"
    [ "$rc" -eq 0 ] || fail "expect.py $1 ran (exit $rc)"
}

# ---- libvirt's remote calls made by snmpd (libvirt's client log, category
# rpc.netclient; tests/integration/qemu.sh, lxc.sh, bench/lxc-refresh.sh)
RPC_REMOTE_PROGRAM=536903814        # libvirt's remote protocol; keepalive is another
declare -A RPC_PROC_NAME=([6]=NODE_GET_INFO [14]=DOMAIN_GET_XML_DESC [16]=DOMAIN_GET_INFO
    [20]=DOMAIN_GET_VCPUS [159]=DOMAIN_MEMORY_STATS [212]=DOMAIN_GET_STATE
    [273]=CONNECT_LIST_ALL_DOMAINS [344]=CONNECT_GET_ALL_DOMAIN_STATS)

# start_snmpd_rpc NAME [BEFORE-DLMOD-LINES] AFTER-DLMOD-LINES: start_snmpd,
# libvirt's client logging the remote calls of snmpd into $RPC_LOG.
start_snmpd_rpc() {
    local started
    export LIBVIRT_LOG_FILTERS="1:rpc.netclient" LIBVIRT_LOG_OUTPUTS="1:file:$RPC_LOG"
    start_snmpd "$@"
    started=$?
    unset LIBVIRT_LOG_FILTERS LIBVIRT_LOG_OUTPUTS
    return $started
}

# rpc_names: the remote calls in stdin (such a log), as sorted "NAME×count" words.
rpc_names() {
    sed -n "s/.*RPC_CLIENT_MSG_TX_QUEUE: .* prog=$RPC_REMOTE_PROGRAM .* proc=\([0-9]*\) type=0 .*/\1/p" |
        sort -n | uniq -c | while read -r n p; do echo "${RPC_PROC_NAME[$p]:-proc$p}×$n"; done | xargs
}

# rpc_calls_during CMD...: run CMD (its output in $WORK/rpc-cmd.out) once
# the suite's cache_expires has waited; print the calls it caused.
rpc_calls_during() {
    local seen
    cache_expires
    seen=$(grep -c . "$RPC_LOG")
    "$@" > "$WORK/rpc-cmd.out"
    tail -n +$((seen + 1)) "$RPC_LOG" | rpc_names
}

# ---- Notifications (tests/integration/notifications.sh, bench/notify-latency.sh)

# start_snmptrapd NAME [ARGS...]: a real snmptrapd on a free loopback port
# (or TRAPD_PORT): $TRAP_PORT, pid $TRAPD_PID, every notification to
# $TRAP_LOG as ARGS (output options) make it print them.  TRAPD_CONF: its
# snmptrapd.conf (default: disableAuthorization yes).
start_snmptrapd() {
    local dir="$WORK/$1" i try
    shift
    mkdir -p "$dir/persist"
    TRAP_LOG="$dir/traps.log"
    printf '%s\n' "${TRAPD_CONF:-disableAuthorization yes}" > "$dir/snmptrapd.conf"
    for try in 1 2 3 4 5; do
        TRAP_PORT=${TRAPD_PORT:-$(free_port)}
        SNMP_PERSISTENT_DIR="$dir/persist" snmptrapd -f -Lf "$TRAP_LOG" -C -c "$dir/snmptrapd.conf" \
            "$@" "udp:127.0.0.1:$TRAP_PORT" > "$dir/stdout" 2>&1 &
        TRAPD_PID=$!
        PIDS+=("$TRAPD_PID")
        for i in $(seq 50); do
            listens "$TRAP_PORT" "$TRAPD_PID" && return 0
            kill -0 "$TRAPD_PID" 2>/dev/null || break
            sleep 0.1
        done
        # another process may have taken the free port first
        [ -z "${TRAPD_PORT:-}" ] && ! kill -0 "$TRAPD_PID" 2>/dev/null || break
        vmm_stop_pid "$TRAPD_PID"
    done
    echo "snmptrapd did not come up"; cat "$dir/stdout"
    return 1
}

# start_snmptrapd_lines [NAME]: start_snmptrapd whose $TRAP_LOG gets ONE
# line per notification received (trap or inform; snmptrapd acknowledges
# informs itself):
#   NOTIFY <TRAP2|INFORM>, SNMP v2c, community C<TAB>vb<TAB>vb...
# each varbind as "OID = TYPE: value", numeric OIDs (-On) and every octet
# string in hex (-Ox), so names, UUIDs and bitmaps are exact, on one line
# however long (hexOutputLength 0: the hex printer breaks lines every 16
# octets by default).
start_snmptrapd_lines() {
    TRAPD_CONF="${TRAPD_CONF:-disableAuthorization yes}
[snmp] hexOutputLength 0" start_snmptrapd "${1:-snmptrapd-lines}" -On -Ox -F 'NOTIFY %P\t%V\t%v\n'
}

# vm_notifications: the VM-MIB notifications (snmpTrapOID.0 under
# vmNotifications) in $TRAP_LOG so far, oldest first, one per line as
#   <snmpTrapOID.0 value> | <OID> = <TYPE>: <value> | ...
# i.e. without the leading sysUpTime.0 and snmpTrapOID.0 varbinds, trailing
# blanks trimmed.  Others (coldStart, nsNotifyShutdown) are skipped.  A
# notification whose first two varbinds are not sysUpTime.0 (Timeticks) and
# snmpTrapOID.0 (OID) is printed as "MALFORMED <raw line>".
vm_notifications() {
    awk -F'\t' -v uptime="$sysUpTime.0 = Timeticks: " -v trapoid="$snmpTrapOID.0 = OID: " \
        -v vmnotif="$vmNotifications." '
        $1 !~ /^NOTIFY / { next }
        index($2, uptime) != 1 || index($3, trapoid) != 1 { print "MALFORMED " $0; next }
        {
            t = $3; sub(/^[^=]*= OID: /, "", t); sub(/ +$/, "", t)
            if (index(t, vmnotif) != 1) next
            line = t
            for (i = 4; i <= NF; i++) { v = $i; sub(/ +$/, "", v); line = line " | " v }
            print line
        }' "$TRAP_LOG"
}

vm_notification_count() { vm_notifications | grep -c .; }

# hex_of STRING: its octets as snmptrapd -Ox prints them ("74 65 73 74").
hex_of() {
    printf '%s' "$1" | od -An -v -tx1 | tr 'a-f' 'A-F' | xargs
}

# uuid_hex UUID: the 16 octets of a textual UUID, as hex_of prints them.
uuid_hex() {
    local h=${1//-/} out="" i
    h=${h^^}
    for ((i = 0; i < ${#h}; i += 2)); do out+="${out:+ }${h:i:2}"; done
    echo "$out"
}

# pervm_line KIND INDEX NAME UUID PREV-OPER [PERSISTENT]: the expected
# vm_notifications line of a per-VM notification (KIND 1..10; PERSISTENT
# only for vmDeleted, 10).
pervm_line() {
    local i=$2
    local line="$vmNotifications.$1 | $vmName.$i = Hex-STRING: $(hex_of "$3")"
    line+=" | $vmUUID.$i = Hex-STRING: $(uuid_hex "$4") | $vmOperState.$i = INTEGER: $5"
    [ $# -ge 6 ] && line+=" | $vmPersistent.$i = INTEGER: $6"
    echo "$line"
}

# vm_bitmap INDEX...: a VirtualMachineList as hex ("7C"): octet 1 holds
# vmIndex 1..8, most significant bit first; as long as the highest index needs.
vm_bitmap() {
    local -a oct=()
    local i n=0 out=""
    for i in "$@"; do [ $(((i - 1) / 8 + 1)) -gt $n ] && n=$(((i - 1) / 8 + 1)); done
    for ((i = 0; i < n; i++)); do oct[i]=0; done
    for i in "$@"; do oct[(i - 1) / 8]=$((oct[(i - 1) / 8] | (0x80 >> ((i - 1) % 8)))); done
    for ((i = 0; i < n; i++)); do out+="${out:+ }$(printf '%02X' "${oct[i]}")"; done
    echo "$out"
}

# bulk_line KIND INDEX...: the expected line of a bulk notification (KIND
# 11..20) whose vmAffectedVMs.0 holds these vmIndex values.
bulk_line() {
    local kind=$1; shift
    echo "$vmNotifications.$kind | $vmAffectedVMs.0 = Hex-STRING: $(vm_bitmap "$@")"
}

# vm_index NAME: the vmIndex whose vmName is NAME on the current snmpd.
vm_index() {
    swalk $vmName | sed -n "s/^${vmName//./\\.}\.\([0-9]*\) = STRING: \"$1\"\$/\1/p"
}

# notifications_mark: the VM-MIB notifications so far count as seen.
NOTIF_SEEN=0
NOTIF_T0=""
notifications_mark() { NOTIF_SEEN=$(vm_notification_count); }

# wait_notifications N: wait (up to NOTIF_WAIT tenths, 30) until N VM-MIB
# notifications arrived since the last seen one; false if they did not.
wait_notifications() {
    local i
    for i in $(seq "${NOTIF_WAIT:-30}"); do
        [ "$(vm_notification_count)" -ge $((NOTIF_SEEN + $1)) ] && return 0
        sleep 0.1
    done
    return 1
}

# expect_notifications NAME [LINE...]: wait (up to NOTIF_WAIT tenths, 30)
# until as many new VM-MIB notifications as LINEs arrived, then NOTIF_SETTLE
# seconds (0.5) more, and assert the new ones are exactly LINEs, in order
# (NOTIF_ORDER=any: in any order).  With no LINE: that none arrived while
# snmpd answered sysUpTime.0 and snmptrapd ran.  The new ones then count as
# seen.  The time reported is from NOTIF_T0 (an
# $EPOCHREALTIME taken before the action; then cleared) or from the call.
expect_notifications() {
    local name=$1 want all new expected t0=${NOTIF_T0:-$EPOCHREALTIME} waited
    shift
    NOTIF_T0=""
    want=$#
    wait_notifications "$want"
    waited=$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))
    sleep "${NOTIF_SETTLE:-0.5}"
    all=$(vm_notifications)
    new=$(printf '%s\n' "$all" | tail -n +$((NOTIF_SEEN + 1)))
    NOTIF_SEEN=$(printf '%s\n' "$all" | grep -c .)
    expected=$(printf '%s\n' "$@")
    if [ "${NOTIF_ORDER:-}" = any ]; then
        expected=$(printf '%s\n' "$expected" | sort)
        new=$(printf '%s\n' "$new" | sort)
    fi
    [ $want -gt 0 ] && name="$name (in ~$waited ms)"
    if [ $want -eq 0 ] && ! { sget $sysUpTime.0 | grep -q Timeticks && kill -0 "$TRAPD_PID" 2>/dev/null; }; then
        fail "$name: snmpd answers and snmptrapd runs"
    elif [ "$expected" = "$new" ]; then ok "$name"; else
        fail "$name"
        printf '  expected:\n%s\n  received:\n%s\n' "$(printf '%s\n' "$expected" | sed 's/^/    /')" \
            "$(printf '%s\n' "$new" | sed 's/^/    /')"
    fi
}
