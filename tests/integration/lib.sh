# Shared harness of vm-mib's integration tests (bash, sourced).
#
# Starts real daemons on loopback, each tracked by PID and stopped by PID
# on exit, also when a test fails.  Results are counted; vmm_summary prints
# "N passed, N failed" and returns non-zero on any failure.

set -u

: "${abs_top_srcdir:?run through make check, or set abs_top_srcdir}"
: "${abs_top_builddir:=$abs_top_srcdir}"
: "${SNMPD:=/usr/sbin/snmpd}"

VMM_SO="$abs_top_builddir/vm-mib/.libs/vm_mib.so"
FIXTURES="$abs_top_srcdir/tests/fixtures"
export MIBS=""                     # numeric OIDs only unless a test loads MIBs
export MIBDIRS="$abs_top_srcdir/mibs:$abs_top_srcdir/tests/mibs"

PASSED=0
FAILED=0
PIDS=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vm-mib-test.XXXXXX")

vmm_cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        vmm_stop_pid "$pid"
    done
    rm -rf "$WORK"
}
trap vmm_cleanup EXIT

ok()   { PASSED=$((PASSED + 1)); echo "ok - $*"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }

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

# assert_log NAME EXTENDED-REGEX (in the current snmpd's log)
assert_log() {
    if grep -Eq -- "$2" "$SNMPD_LOG"; then ok "$1"; else
        fail "$1"; echo "  log has no line matching: $2"; sed 's/^/  | /' "$SNMPD_LOG" | tail -20; fi
}

vmm_summary() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

# A UDP port on 127.0.0.1 that nothing listens on.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Hlun "sport = :$port" | grep -q .; then
            echo "$port"; return
        fi
    done
}

vmm_stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -CONT "$pid" 2>/dev/null      # a test may have stopped it
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.1
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

# start_snmpd NAME [BEFORE-DLMOD-LINES] AFTER-DLMOD-LINES
# Writes $WORK/NAME/snmpd.conf, starts snmpd on a free loopback port with a
# private persistent directory and waits until it answers.  DLMOD= (empty)
# starts a plain snmpd without the module.
start_snmpd() {
    local name=$1 before=${2:-} after=${3:-} dir="$WORK/$1" i
    local dlmod="dlmod vm_mib $VMM_SO"
    [ "${DLMOD-x}" = "" ] && dlmod=""
    mkdir -p "$dir/persist"
    SNMP_PORT=$(free_port)
    SNMPD_CONF="$dir/snmpd.conf"
    SNMPD_LOG="$dir/snmpd.log"
    cat > "$SNMPD_CONF" <<CONF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
$before
$dlmod
$after
CONF
    SNMP_PERSISTENT_DIR="$dir/persist" ${SNMPD_WRAPPER:-} "$SNMPD" -f -Lo -C -c "$SNMPD_CONF" \
        -I -smux ${SNMPD_ARGS:-} "udp:127.0.0.1:$SNMP_PORT" > "$SNMPD_LOG" 2>&1 &
    SNMPD_PID=$!
    PIDS+=("$SNMPD_PID")
    for i in $(seq ${SNMPD_WAIT:-50}); do
        if sget .1.3.6.1.2.1.1.3.0 | grep -q Timeticks; then
            # the module's first connection attempt runs in the background
            [ -z "$dlmod" ] ||
                wait_log 'vm_mib: (connected to|cannot connect to) libvirt' ${SNMPD_WAIT:-50}
            return 0
        fi
        kill -0 "$SNMPD_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "snmpd did not come up; log:"; sed 's/^/  | /' "$SNMPD_LOG"
    return 1
}

# wait_log REGEX [TENTHS]: wait until the snmpd log has a matching line.
wait_log() {
    local i
    for i in $(seq "${2:-50}"); do
        grep -Eq -- "$1" "$SNMPD_LOG" && return 0
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
start_libvirtd() {
    local dir="$WORK/libvirtd" i
    mkdir -p "$dir/home" "$dir/run" "$dir/config" "$dir/cache"
    chmod 711 "$WORK"
    chown -R nobody:nogroup "$dir"
    LIBVIRT_SOCK="$dir/run/libvirt/libvirt-sock"
    LIBVIRT_URI="test+unix:///default?socket=$LIBVIRT_SOCK"
    rm -f "$LIBVIRT_SOCK"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir/home" \
        XDG_RUNTIME_DIR="$dir/run" XDG_CONFIG_HOME="$dir/config" \
        XDG_CACHE_HOME="$dir/cache" /usr/sbin/libvirtd --timeout 0 \
        >> "$dir/libvirtd.log" 2>&1 &
    LIBVIRTD_PID=$!
    PIDS+=("$LIBVIRTD_PID")
    for i in $(seq 100); do
        [ -S "$LIBVIRT_SOCK" ] && virsh -q -c "$LIBVIRT_URI" uri >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "libvirtd did not come up"; tail -5 "$dir/libvirtd.log"
    return 1
}

stop_libvirtd() { vmm_stop_pid "$LIBVIRTD_PID"; }

stop_snmpd() { vmm_stop_pid "$SNMPD_PID"; }

snmpd_alive() { kill -0 "$SNMPD_PID" 2>/dev/null; }

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# start_snmptrapd: a real snmptrapd on a free loopback port, printing every
# notification it receives into $TRAP_LOG (one varbind per line).
start_snmptrapd() {
    local dir="$WORK/snmptrapd" i
    mkdir -p "$dir/persist"
    TRAP_PORT=$(free_port)
    TRAP_LOG="$dir/traps.log"
    printf 'disableAuthorization yes\n' > "$dir/snmptrapd.conf"
    SNMP_PERSISTENT_DIR="$dir/persist" snmptrapd -f -Lf "$TRAP_LOG" -C -c "$dir/snmptrapd.conf" \
        -On -F '%#v\n--\n' "udp:127.0.0.1:$TRAP_PORT" > "$dir/stdout" 2>&1 &
    TRAPD_PID=$!
    PIDS+=("$TRAPD_PID")
    for i in $(seq 50); do
        ss -Hlun "sport = :$TRAP_PORT" | grep -q . && return 0
        sleep 0.1
    done
    echo "snmptrapd did not come up"; cat "$dir/stdout"
    return 1
}
