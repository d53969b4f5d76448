#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
"""Expected VM-MIB content of a libvirt test-driver node file (stdlib only).

Used by tables.sh.  The expectation is derived from the node XML alone (plus
what the host says about itself: /proc/self/mounts, /sys/class/net, and the
hrStorageDescr column of the same snmpd), following the rules the module
implements; values that libvirt's test driver makes up from the wall clock
are checked against ranges.

  expect.py check --fixture NODE.xml --walk BULK.out [--hrstorage HR.out]
                  [--times T_START T_WALK T_END] [--label L]
                  [--indexes-from BASE.xml]
      Compare every varbind of an `snmpbulkwalk -On -Ox --hexOutputLength=0`
      of 1.3.6.1.2.1.236 with the expectation.  Prints one "ok - ..." or
      "not ok - ..." line per scalar and per table column (details of a
      mismatch indented below it).  T_* are host uptimes in 1/100 s: before
      snmpd started, before the walk, after the walk.  --indexes-from: the
      persistent directory was first filled from BASE.xml, so machines,
      disks (by target) and NICs (by MAC) keep the indexes they got there.
  expect.py indexes --walk BULK.out
      The index pairs of a walk: "vm INDEX NAME", "uuid INDEX UUID",
      "disk VMINDEX.INDEX RESOURCEID", "nic VMINDEX.INDEX MAC".
  expect.py reduce IN.xml OUT.xml [--drop-domain UUID]... [--drop-disk UUID:DEV]...
      Copy a node file without some domains / disks (text edit: comments,
      namespaces and everything else stay as they are).
  expect.py uuids NODE.xml
      The domain UUIDs of a node file, one per line.

Exit status: 0 when the comparison ran (mismatches are "not ok" lines),
2 on a usage or input error.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

TEST_NS = 'http://libvirt.org/schemas/domain/test/1.0'
OSINFO_NS = 'http://libosinfo.org/xmlns/libvirt/domain/1.0'



def read_oids(path):
    """{name: OID tuple} of oids.sh, whose lines are NAME=OID or NAME=$PARENT.N."""
    oids = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'(\w+)=(?:\$(\w+))?((?:\.\d+)+)$', line.strip())
            if m:
                parent = oids[m.group(2)] if m.group(2) else ()
                oids[m.group(1)] = parent + tuple(int(a) for a in m.group(3)[1:].split('.'))
    return oids


OIDS = read_oids(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'oids.sh'))
VMMIB = OIDS['vmMIB']
HR_STORAGE_DESCR = OIDS['hrStorageDescr']


def rel(name, *instance):
    """The OID of object NAME (and an instance) below VM-MIB."""
    return OIDS[name][len(VMMIB):] + instance


# virDomainState values the test driver takes from <test:runstate>
RUNNING, PAUSED, SHUTOFF = 1, 3, 5
PHYS_CPU_BASE = 196608          # vmCpuPhysIndex of host CPU 0 (hrDeviceIndex)
CAPACITY_MIB = 1048572          # test driver capacity 1099506450432 B, rounded up
ALLOCATION_MIB = 1048576        # test driver allocation 1099511627776 B

SCALARS = [(rel(name, 0), name) for name in (
    'vmHvSoftware', 'vmHvVersion', 'vmHvObjectID', 'vmHvUpTime', 'vmNumber',
    'vmTableLastChange', 'vmPerVMNotificationsEnabled', 'vmBulkNotificationsEnabled')]

# entry OID (below VM-MIB), table name, index length, {column number: name}
TABLES = [(rel(entry), table, nidx, {OIDS[c][-1]: c for c in cols}) for entry, table, nidx, cols in (
    ('vmEntry', 'vmTable', 1, (
        'vmName', 'vmUUID', 'vmOSType', 'vmAdminState', 'vmOperState',
        'vmAutoStart', 'vmPersistent', 'vmCurCpuNumber', 'vmMinCpuNumber',
        'vmMaxCpuNumber', 'vmMemUnit', 'vmCurMem', 'vmMinMem', 'vmMaxMem',
        'vmUpTime', 'vmCpuTime')),
    ('vmCpuEntry', 'vmCpuTable', 2, ('vmCpuCoreTime',)),
    ('vmCpuAffinityEntry', 'vmCpuAffinityTable', 3, ('vmCpuAffinity',)),
    ('vmStorageEntry', 'vmStorageTable', 2, (
        'vmStorageParent', 'vmStorageSourceType', 'vmStorageSourceTypeString',
        'vmStorageResourceID', 'vmStorageAccess', 'vmStorageMediaType',
        'vmStorageMediaTypeString', 'vmStorageSizeUnit', 'vmStorageDefinedSize',
        'vmStorageAllocatedSize', 'vmStorageReadIOs', 'vmStorageWriteIOs',
        'vmStorageReadOctets', 'vmStorageWriteOctets', 'vmStorageReadLatency',
        'vmStorageWriteLatency')),
    ('vmNetworkEntry', 'vmNetworkTable', 2, (
        'vmNetworkIfIndex', 'vmNetworkParent', 'vmNetworkModel', 'vmNetworkPhysAddress')))]


class InputError(Exception):
    pass


# ---------------------------------------------------------------- the node

def text(elem, path, default=None):
    e = elem.find(path)
    if e is None or e.text is None:
        return default
    return e.text.strip()


def memory_kib(elem):
    """A libvirt memory element in KiB (virScaleInteger, then rounded up)."""
    if elem is None or elem.text is None:
        return None
    value = int(elem.text.strip())
    unit = (elem.get('unit') or 'KiB').strip()
    low = unit.lower()
    if low in ('b', 'byte', 'bytes'):
        scale = 1
    else:
        if len(unit) == 1 or unit[1:].lower() == 'ib':
            base = 1024
        elif len(unit) == 2 and unit[1].lower() == 'b':
            base = 1000
        else:
            raise InputError('unknown memory unit %r' % unit)
        power = 'kmgtpe'.find(low[0]) + 1
        if power == 0:
            raise InputError('unknown memory unit %r' % unit)
        scale = base ** power
    return -(-value * scale // 1024)


def parse_cpuset(spec, ncpus):
    """libvirt cpuset syntax ("0-3,^2,5"), applied left to right."""
    cpus = set()
    for item in spec.split(','):
        item = item.strip()
        if not item:
            continue
        if item.startswith('^'):
            cpus.discard(int(item[1:]))
        elif '-' in item:
            lo, hi = item.split('-', 1)
            cpus.update(range(int(lo), int(hi) + 1))
        else:
            cpus.add(int(item))
    return {c for c in cpus if c < ncpus}


class Disk:
    def __init__(self, e):
        self.type = e.get('type', 'file')
        self.device = e.get('device', 'disk')
        drv = e.find('driver')
        self.driver_type = drv.get('type') if drv is not None else None
        self.readonly = e.find('readonly') is not None
        tgt = e.find('target')
        self.target = tgt.get('dev') if tgt is not None else None
        # libvirt fills in a bus from the target name when none is given;
        # every fixture names the bus, so the rule's "" is never reached.
        self.bus = tgt.get('bus') if tgt is not None else None
        src = e.find('source')
        self.protocol = None
        self.path = None            # file, dev or dir of a local source
        self.resource = None        # vmStorageResourceID, None: no source
        if src is None:
            return
        if self.type == 'file':
            self.path = src.get('file')
        elif self.type == 'block':
            self.path = src.get('dev')
        elif self.type == 'dir':
            self.path = src.get('dir')
        if self.type in ('file', 'block', 'dir'):
            self.resource = self.path
        elif self.type == 'volume':
            if src.get('pool') and src.get('volume'):
                self.resource = '%s/%s' % (src.get('pool'), src.get('volume'))
        elif self.type == 'network':
            self.protocol = src.get('protocol')
            if self.protocol:
                host = src.find('host')
                hostpart = ''
                if host is not None and host.get('name'):
                    hostpart = host.get('name')
                    if host.get('port'):
                        hostpart += ':' + host.get('port')
                self.resource = '%s://%s/%s' % (self.protocol, hostpart,
                                                src.get('name') or '')
        else:
            raise InputError('disk type %r is not covered by the rules' % self.type)

    @property
    def has_source(self):
        return self.resource is not None

    @property
    def source_type(self):
        if not self.has_source:
            return 1                                # none
        if self.type == 'block':
            return 3
        if self.type == 'network':
            return 6
        if self.type in ('file', 'volume'):
            return 4 if self.driver_type in (None, 'raw', 'iso') else 5
        return 2                                    # dir (nvme, vhostuser)


class Nic:
    def __init__(self, e):
        self.type = e.get('type')
        mac = e.find('mac')
        if mac is None or not mac.get('address'):
            raise InputError('every NIC needs an explicit MAC in a fixture')
        self.mac = mac.get('address').lower()
        tgt = e.find('target')
        self.target = tgt.get('dev') if tgt is not None else None
        # the test driver parses inactive XML: these targets are dropped
        if self.target and self.target.startswith(('vnet', 'macvtap', 'macvlan')):
            self.target = None
        model = e.find('model')
        self.model = model.get('type') if model is not None else None
        src = e.find('source')
        self.source_dev = src.get('dev') if src is not None else None
        self.source_bridge = src.get('bridge') if src is not None else None
        self.ifname = self.target


class Domain:
    def __init__(self, e):
        self.name = text(e, 'name')
        u = text(e, 'uuid')
        if not self.name or not u:
            raise InputError('every domain of a fixture needs a name and a UUID')
        self.uuid = bytes.fromhex(u.replace('-', ''))
        if len(self.uuid) != 16:
            raise InputError('bad UUID %r' % u)
        self.uuid_str = '%s-%s-%s-%s-%s' % tuple(
            self.uuid[a:b].hex() for a, b in ((0, 4), (4, 6), (6, 8), (8, 10), (10, 16)))
        osid = e.find('metadata/{%s}libosinfo/{%s}os' % (OSINFO_NS, OSINFO_NS))
        self.os_type = osid.get('id') if osid is not None and osid.get('id') \
            else text(e, 'os/type', '')
        self.runstate = int(text(e, '{%s}runstate' % TEST_NS, str(RUNNING)))
        if self.runstate not in (RUNNING, PAUSED, SHUTOFF):
            raise InputError('%s: runstate %d is not covered by the rules'
                             % (self.name, self.runstate))
        self.managedsave = e.find('{%s}hasmanagedsave' % TEST_NS) is not None
        self.transient = e.find('{%s}transient' % TEST_NS) is not None
        vcpu = e.find('vcpu')
        self.max_vcpus = int(vcpu.text.strip())
        self.cur_vcpus = int(vcpu.get('current', self.max_vcpus))
        self.cpuset = vcpu.get('cpuset')
        self.pins = {int(p.get('vcpu')): p.get('cpuset')
                     for p in e.findall('cputune/vcpupin')}
        self.max_kib = memory_kib(e.find('memory'))
        cur = memory_kib(e.find('currentMemory'))
        # libvirt: no or too large a balloon is the full memory
        self.cur_kib = self.max_kib if not cur or cur > self.max_kib else cur
        self.disks = [Disk(d) for d in e.findall('devices/disk')]
        self.nics = [Nic(n) for n in e.findall('devices/interface')]
        # the test driver names every NIC without a target testnetN, the
        # lowest N no other NIC of the domain uses
        used = {n.ifname for n in self.nics if n.ifname}
        for nic in self.nics:
            if not nic.ifname:
                n = 0
                while 'testnet%d' % n in used:
                    n += 1
                nic.ifname = 'testnet%d' % n
                used.add(nic.ifname)

    @property
    def active(self):
        return self.runstate in (RUNNING, PAUSED)

    def affinity(self, vcpu, ncpus):
        spec = self.pins.get(vcpu, self.cpuset)
        return parse_cpuset(spec, ncpus) if spec else set(range(ncpus))


class Node:
    def __init__(self, path):
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as err:
            raise InputError('%s: %s' % (path, err))
        # the test driver's defaults for a node without <cpu> details
        cpu = {'nodes': 2, 'sockets': 2, 'cores': 2, 'threads': 2}
        for k in cpu:
            v = text(root, 'cpu/' + k)
            if v is not None:
                cpu[k] = int(v)
        self.ncpus = cpu['nodes'] * cpu['sockets'] * cpu['cores'] * cpu['threads']
        self.domains = []
        for d in root.findall('domain'):
            if d.get('file'):               # <domain file="..."/> reference
                f = os.path.join(os.path.dirname(path), d.get('file'))
                d = ET.parse(f).getroot()
            self.domains.append(Domain(d))


# ------------------------------------------------------------ the indexes

def fresh_indexes(node):
    """{uuid: (vmIndex, {target: storageIndex}, {mac: networkIndex})} for a
    fresh persistent directory: UUID order, then document order."""
    out = {}
    for i, d in enumerate(sorted(node.domains, key=lambda d: d.uuid), 1):
        out[d.uuid] = (i, {k.target: j for j, k in enumerate(d.disks, 1)},
                       {n.mac: j for j, n in enumerate(d.nics, 1)})
    return out


def indexes(node, base=None):
    if base is None:
        return fresh_indexes(node)
    known = fresh_indexes(base)
    out = {}
    for d in node.domains:
        if d.uuid not in known:
            raise InputError('%s is not in the base fixture' % d.name)
        vi, disks, nics = known[d.uuid]
        for k in d.disks:
            if k.target not in disks:
                raise InputError('%s disk %s is not in the base fixture' % (d.name, k.target))
        for n in d.nics:
            if n.mac not in nics:
                raise InputError('%s NIC %s is not in the base fixture' % (d.name, n.mac))
        out[d.uuid] = (vi, disks, nics)
    return out


# ------------------------------------------------------------------ the host

def host_ifindex(dev):
    if not dev or '/' in dev:
        return None
    try:
        with open('/sys/class/net/%s/ifindex' % dev) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def bridge_uplink(bridge):
    """ifindex of the bridge's single physical port, else 0."""
    if not bridge or '/' in bridge:
        return 0
    try:
        ports = os.listdir('/sys/class/net/%s/brif' % bridge)
    except OSError:
        return 0
    phys = [p for p in ports
            if os.path.exists('/sys/class/net/%s/device' % p)
            or os.path.exists('/sys/class/net/%s/bonding' % p)]
    if len(phys) != 1:
        return 0
    return host_ifindex(phys[0]) or 0


def unescape_mount(s):
    return re.sub(r'\\([0-7]{3})', lambda m: chr(int(m.group(1), 8)), s)


def mount_points():
    out = []
    with open('/proc/self/mounts') as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3 and fields[2] != 'autofs':
                out.append(unescape_mount(fields[1]))
    return out


def mount_of(path, mounts):
    best = None
    for m in mounts:
        if m == '/' or path == m or path.startswith(m + '/'):
            if best is None or len(m) > len(best):
                best = m
    return best


# -------------------------------------------------------------- the walk

class Varbind:
    def __init__(self, oid, type_, value, raw):
        self.oid, self.type, self.value, self.raw = oid, type_, value, raw


def parse_oid(s):
    return tuple(int(x) for x in s.strip('.').split('.'))


def oid_str(oid):
    return '.' + '.'.join(str(x) for x in oid)


def unquote(s):
    # Net-SNMP's quoted STRING: backslash escapes " and \
    return re.sub(r'\\(.)', r'\1', s).encode('utf-8', 'surrogateescape')


def parse_value(rest):
    rest = rest.rstrip('\n')
    if rest == '""':
        return 'STRING', b''                      # -Ox prints "" untyped
    m = re.match(r'^Hex-STRING: ?(.*)$', rest)
    if m:
        return 'STRING', bytes.fromhex(m.group(1))
    m = re.match(r'^STRING: "(.*)"$', rest, re.S)
    if m:
        return 'STRING', unquote(m.group(1))
    m = re.match(r'^INTEGER: (?:.*\()?(-?\d+)\)?$', rest)
    if m:
        return 'INTEGER', int(m.group(1))
    m = re.match(r'^Timeticks: \((\d+)\)', rest)
    if m:
        return 'Timeticks', int(m.group(1))
    m = re.match(r'^(Counter64|Counter32|Gauge32): (\d+)$', rest)
    if m:
        return m.group(1), int(m.group(2))
    m = re.match(r'^OID: (\S+)$', rest)
    if m:
        return 'OID', m.group(1)
    if rest.startswith(('No Such', 'No more variables')):
        return 'EXCEPTION', rest
    return 'UNKNOWN', rest


def parse_walk(path):
    varbinds, bad = [], []
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        lines = f.read().split('\n')
    cur = None
    for line in lines:
        m = re.match(r'^(\.[0-9.]+) = (.*)$', line)
        if m:
            if cur:
                varbinds.append(cur)
            cur = [m.group(1), m.group(2)]
        elif cur and line:
            cur[1] += ' ' + line                  # a wrapped hex string
        elif line:
            bad.append(line)
    if cur:
        varbinds.append(cur)
    out = []
    for o, rest in varbinds:
        t, v = parse_value(rest)
        out.append(Varbind(parse_oid(o), t, v, rest))
    return out, bad


# ------------------------------------------------------------ expectations

class Exp:
    """An expected varbind: exact value, one of several, or a range."""

    def __init__(self, type_, value=None, lo=None, hi=None, choices=None):
        self.type, self.value, self.lo, self.hi, self.choices = type_, value, lo, hi, choices

    def match(self, vb):
        if vb.type != self.type:
            return False
        if self.choices is not None:
            return vb.value in self.choices
        if self.type == 'Timeticks' and self.lo is not None and self.hi is not None:
            # modulo 2^32, as TimeTicks count (RFC 2578 7.1.8): the bounds
            # may be host uptimes beyond the 497 days after which they wrap
            return (vb.value - self.lo) % 2**32 <= (self.hi - self.lo) % 2**32
        if self.lo is not None or self.hi is not None:
            return (self.lo is None or vb.value >= self.lo) and \
                   (self.hi is None or vb.value <= self.hi)
        return vb.value == self.value

    def __str__(self):
        if self.choices is not None:
            return '%s: one of %s' % (self.type, ', '.join(fmt(self.type, c) for c in
                                                          sorted(self.choices)))
        if self.lo is not None or self.hi is not None:
            return '%s: %s..%s' % (self.type, '' if self.lo is None else self.lo,
                                   '' if self.hi is None else self.hi)
        return '%s: %s' % (self.type, fmt(self.type, self.value))


def fmt(type_, value):
    if type_ == 'STRING':
        try:
            s = value.decode('utf-8')
            if s.isprintable():
                return '"%s"' % s
        except UnicodeDecodeError:
            pass
        return 'hex ' + (value.hex(' ').upper() or '(empty)')
    return str(value)


def show(vb):
    return '%s: %s' % (vb.type, fmt(vb.type, vb.value)) if vb.type != 'UNKNOWN' else vb.raw


def s(v):
    return Exp('STRING', v.encode('utf-8') if isinstance(v, str) else v)


def i(v):
    return Exp('INTEGER', v)


def c64(active):
    return Exp('Counter64', lo=1) if active else Exp('Counter64', 0)


def cut_name(name):
    b = name.encode('utf-8')
    if len(b) <= 255:
        return b
    n = 255
    while n > 0 and (b[n] & 0xC0) == 0x80:      # do not split a character
        n -= 1
    return b[:n]


def hrstorage(path):
    out = {}
    if path:
        vbs, _ = parse_walk(path)
        for vb in vbs:
            if vb.oid[:len(HR_STORAGE_DESCR)] == HR_STORAGE_DESCR and vb.type == 'STRING':
                out.setdefault(vb.value.decode('utf-8', 'replace'), set()).add(vb.oid[-1])
    return out


def expected(node, idx, hr, times):
    """{oid (below VM-MIB): Exp}"""
    t_start, t_walk, t_end = times
    uptime_hi = None if t_end is None else t_end - t_start + 200
    mounts = mount_points()
    e = {}
    e[rel('vmHvSoftware', 0)] = s('TEST')
    e[rel('vmHvVersion', 0)] = s('0.0.2')
    e[rel('vmHvObjectID', 0)] = Exp('OID', '.0.0')
    e[rel('vmHvUpTime', 0)] = Exp('Timeticks', lo=0 if t_walk is None else t_walk - 1,
                                  hi=None if t_end is None else t_end + 1)
    e[rel('vmNumber', 0)] = i(len(node.domains))
    # upper bound (vmHvUpTime) is filled in from the walk
    e[rel('vmTableLastChange', 0)] = Exp('Timeticks', lo=0 if t_start is None else t_start - 100)
    e[rel('vmPerVMNotificationsEnabled', 0)] = i(1)
    e[rel('vmBulkNotificationsEnabled', 0)] = i(2)
    for d in node.domains:
        vi, disk_idx, nic_idx = idx[d.uuid]
        act = d.active
        if d.runstate == RUNNING:
            admin, oper = 1, 4
        elif d.runstate == PAUSED:
            admin, oper = 3, 8
        elif d.managedsave:
            admin, oper = 2, 6
        else:
            admin, oper = 4, 11
        row = {
            'vmName': s(cut_name(d.name)), 'vmUUID': s(d.uuid), 'vmOSType': s(d.os_type),
            'vmAdminState': i(admin), 'vmOperState': i(oper), 'vmAutoStart': i(3),
            'vmPersistent': i(3 if d.transient else 2),
            'vmCurCpuNumber': i(d.cur_vcpus), 'vmMinCpuNumber': i(-1),
            'vmMaxCpuNumber': i(d.max_vcpus), 'vmMemUnit': i(1024),
            'vmCurMem': i(d.cur_kib), 'vmMinMem': i(-1), 'vmMaxMem': i(d.max_kib),
            'vmUpTime': Exp('Timeticks', lo=1, hi=uptime_hi) if act else Exp('Timeticks', 0),
            'vmCpuTime': c64(act),
        }
        for col, x in row.items():
            e[rel(col, vi)] = x
        for v in range(d.cur_vcpus):
            e[rel('vmCpuCoreTime', vi, v + 1)] = c64(act)
            allowed = d.affinity(v, node.ncpus)
            for j in range(node.ncpus):
                e[rel('vmCpuAffinity', vi, v + 1, PHYS_CPU_BASE + j)] = i(1 if j in allowed else 2)
        for k in d.disks:
            si = disk_idx[k.target]
            parent = {0}
            if k.type in ('file', 'dir') and k.path:
                p = os.path.realpath(k.path) if os.path.exists(k.path) else k.path
                mp = mount_of(p, mounts)
                parent = hr.get(mp, {0}) if mp else {0}
            st = k.source_type
            if not k.has_source:
                alloc = -1
            elif st in (3, 4):
                alloc = CAPACITY_MIB
            else:
                alloc = ALLOCATION_MIB
            io = c64(act and k.has_source)
            row = {
                'vmStorageParent':
                    Exp('INTEGER', choices=parent) if len(parent) > 1 else i(min(parent)),
                'vmStorageSourceType': i(st),
                'vmStorageSourceTypeString':
                    s(k.protocol if k.type == 'network' else (k.driver_type or '')),
                'vmStorageResourceID': s(k.resource or ''),
                'vmStorageAccess': i(3 if k.readonly or k.device == 'cdrom' else 2),
                'vmStorageMediaType':
                    i({'disk': 3, 'lun': 3, 'cdrom': 4, 'floppy': 5}.get(k.device, 1)),
                'vmStorageMediaTypeString': s(k.bus or ''),
                'vmStorageSizeUnit': i(1048576),
                'vmStorageDefinedSize': i(CAPACITY_MIB if k.has_source else -1),
                'vmStorageAllocatedSize': i(alloc),
                'vmStorageReadIOs': io, 'vmStorageWriteIOs': io,
                'vmStorageReadOctets': io, 'vmStorageWriteOctets': io,
                'vmStorageReadLatency': Exp('Counter64', 0),
                'vmStorageWriteLatency': Exp('Counter64', 0),
            }
            for col, x in row.items():
                e[rel(col, vi, si)] = x
        for n in d.nics:
            ni = nic_idx[n.mac]
            parent = 0
            if act and n.type == 'direct':
                parent = host_ifindex(n.source_dev) or 0
            elif act and n.type == 'bridge':
                parent = bridge_uplink(n.source_bridge)
            row = {
                'vmNetworkIfIndex': i((host_ifindex(n.ifname) or 0) if act else 0),
                'vmNetworkParent': i(parent),
                'vmNetworkModel': s(n.model or ''),
                'vmNetworkPhysAddress': s(bytes.fromhex(n.mac.replace(':', ''))),
            }
            for col, x in row.items():
                e[rel(col, vi, ni)] = x
    return e


def group_of(oid):
    """(sort key, name, is_table) of the scalar or table column of an OID
    below VM-MIB."""
    for so, name in SCALARS:
        if oid == so:
            return (so, name, False)
    for entry, table, nidx, cols in TABLES:
        n = len(entry)
        if oid[:n] == entry and len(oid) == n + 1 + nidx and oid[n] in cols:
            return (entry + (oid[n],), '%s.%s' % (table, cols[oid[n]]), True)
    return ((99,), 'objects outside the expected scalars and columns', True)


def check(args):
    node = Node(args.fixture)
    base = Node(args.indexes_from) if args.indexes_from else None
    idx = indexes(node, base)
    hr = hrstorage(args.hrstorage)
    times = tuple(args.times) if args.times else (None, None, None)
    exp = expected(node, idx, hr, times)
    label = args.label or os.path.basename(args.fixture)
    vbs, junk = parse_walk(args.walk)

    # the walk as a whole: inside VM-MIB, increasing, no duplicates
    problems = ['  not a varbind line: %s' % j for j in junk[:5]]
    act = {}
    prev = None
    for vb in vbs:
        if vb.oid[:len(VMMIB)] != VMMIB:
            problems.append('  %s is outside VM-MIB' % oid_str(vb.oid))
            continue
        if prev is not None and vb.oid <= prev:
            problems.append('  %s does not follow %s' % (oid_str(vb.oid), oid_str(prev)))
        prev = vb.oid
        act[vb.oid[len(VMMIB):]] = vb
    upt = act.get(rel('vmHvUpTime', 0))
    if upt is not None and upt.type == 'Timeticks':
        exp[rel('vmTableLastChange', 0)].hi = upt.value     # vmTableLastChange <= vmHvUpTime
    want = {VMMIB + k for k in exp}
    have = {vb.oid for vb in vbs}
    if problems:
        print('not ok - %s: the bulk walk is one increasing sequence of VM-MIB varbinds' % label)
        print('\n'.join(problems[:10]))
    else:
        print('ok - %s: the bulk walk is one increasing sequence of %d VM-MIB varbinds'
              % (label, len(vbs)))
    if want == have:
        print('ok - %s: the walk has exactly the %d expected OIDs' % (label, len(want)))
    else:
        print('not ok - %s: the walk has exactly the %d expected OIDs (%d missing, %d extra)'
              % (label, len(want), len(want - have), len(have - want)))

    # one line per scalar and per table column
    groups = {}
    for oid in set(exp) | set(act):
        key, name, is_table = group_of(oid)
        groups.setdefault((key, name, is_table), []).append(oid)
    # tables without any row; the same walk's vmNumber.0 shows that the
    # agent was there to have none
    answered = rel('vmNumber', 0) in act
    for entry, table, _, cols in TABLES:
        n = len(entry)
        if not any(k[0][:n] == entry and len(k[0]) == n + 1 for k in groups):
            print('%s - %s: %s has no rows, as expected, and vmNumber.0 answered'
                  % ('ok' if answered else 'not ok', label, table))
    for (key, name, is_table), oids in sorted(groups.items()):
        bad = []
        for oid in sorted(oids):
            x, vb = exp.get(oid), act.get(oid)
            if x is None:
                bad.append('  %s: unexpected (actual %s)' % (oid_str(VMMIB + oid), show(vb)))
            elif vb is None:
                bad.append('  %s: missing (expected %s)' % (oid_str(VMMIB + oid), x))
            elif not x.match(vb):
                bad.append('  %s: expected %s, actual %s' % (oid_str(VMMIB + oid), x, show(vb)))
        if is_table:
            what = '%s: %s, %d rows' % (label, name, len(oids))
        else:
            vb = act.get(oids[0])
            what = '%s: %s = %s' % (label, name, show(vb) if vb else '(missing)')
            if vb is not None and exp[oids[0]].lo is not None and exp[oids[0]].match(vb):
                what += ' (within %s)' % str(exp[oids[0]]).split(': ', 1)[1]
        if bad:
            print('not ok - %s (%d wrong)' % (what, len(bad)))
            print('\n'.join(bad[:12]))
            if len(bad) > 12:
                print('  ... and %d more' % (len(bad) - 12))
        else:
            print('ok - %s' % what)
    return 0


def list_indexes(args):
    vbs, _ = parse_walk(args.walk)
    columns = {OIDS['vmName']: 'vm', OIDS['vmUUID']: 'uuid',
               OIDS['vmStorageResourceID']: 'disk', OIDS['vmNetworkPhysAddress']: 'nic'}
    for vb in vbs:
        for column, kind in columns.items():
            if vb.oid[:len(column)] != column or vb.type != 'STRING':
                continue
            if kind == 'uuid':
                value = vb.value.hex()
            elif kind == 'nic':
                value = vb.value.hex(':')
            else:
                value = vb.value.decode('utf-8', 'replace')
            print(kind, '.'.join(str(a) for a in vb.oid[len(column):]), value)
    return 0


def reduce(args):
    with open(args.input, encoding='utf-8') as f:
        doc = f.read()
    drop = {u.lower() for u in args.drop_domain}
    disks = {}
    for spec in args.drop_disk:
        u, dev = spec.rsplit(':', 1)
        disks.setdefault(u.lower(), set()).add(dev)

    def edit_domain(m):
        block = m.group(0)
        u = re.search(r'<uuid>\s*([^<\s]+)\s*</uuid>', block)
        u = u.group(1).lower() if u else None
        if u in drop:
            return ''
        for dev in disks.get(u, ()):
            block, n = re.subn(r'[ \t]*<disk\b(?:(?!</disk>).)*<target dev=["\']%s["\']'
                               r'(?:(?!</disk>).)*</disk>[ \t]*\n?' % re.escape(dev),
                               '', block, flags=re.S)
            if n != 1:
                raise InputError('no disk %s in domain %s' % (dev, u))
        return block

    doc = re.sub(r'<domain\b.*?</domain>', edit_domain, doc, flags=re.S)
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(doc)
    return 0


def uuids(args):
    for d in Node(args.fixture).domains:
        print(d.uuid_str)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('check')
    c.add_argument('--fixture', required=True)
    c.add_argument('--walk', required=True)
    c.add_argument('--hrstorage')
    c.add_argument('--times', nargs=3, type=int, metavar=('T_START', 'T_WALK', 'T_END'))
    c.add_argument('--label')
    c.add_argument('--indexes-from')
    c.set_defaults(func=check)
    x = sub.add_parser('indexes')
    x.add_argument('--walk', required=True)
    x.set_defaults(func=list_indexes)
    r = sub.add_parser('reduce')
    r.add_argument('input')
    r.add_argument('output')
    r.add_argument('--drop-domain', action='append', default=[])
    r.add_argument('--drop-disk', action='append', default=[])
    r.set_defaults(func=reduce)
    u = sub.add_parser('uuids')
    u.add_argument('fixture')
    u.set_defaults(func=uuids)
    args = p.parse_args()
    try:
        return args.func(args)
    except InputError as err:
        print('expect.py: %s' % err, file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
