/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* The snapshot check_mib serves: three machines in the three main states,
 * chosen so that each column meets its corner cases (memory over 2 TiB,
 * sizes unknown or beyond Integer32, counters beyond 32 bits, a CD-ROM
 * drive without a disc, a NIC without a MAC, a machine without vCPUs
 * online).  Definitions go through the real domain XML parser; what
 * libvirt's statistics would give is filled in by hand. */
#include <stdlib.h>

#include "mib.h"
#include "core/clock.h"

static const char web_xml[] =
    "<domain type='kvm'><name>web</name><memory unit='KiB'>4194304</memory>"
    "<currentMemory unit='KiB'>2097152</currentMemory>"
    "<vcpu placement='static' current='2'>4</vcpu>"
    "<cputune><vcpupin vcpu='0' cpuset='1'/></cputune>"
    "<metadata><libosinfo:libosinfo "
    "xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
    "<libosinfo:os id='http://debian.org/debian/12'/></libosinfo:libosinfo></metadata>"
    "<os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/var/lib/libvirt/images/web.qcow2'/><target dev='vda' bus='virtio'/></disk>"
    "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
    "<target dev='sda' bus='sata'/><readonly/></disk>"
    "<interface type='bridge'><mac address='52:54:00:00:01:01'/><source bridge='br0'/>"
    "<model type='virtio'/></interface>"
    "<interface type='network'><mac address='52:54:00:00:01:02'/>"
    "<source network='default'/><model type='e1000'/></interface>"
    "</devices></domain>";

static const char db_xml[] =
    "<domain type='kvm'><name>db</name><memory unit='TiB'>3</memory>"
    "<currentMemory unit='GiB'>2560</currentMemory><vcpu cpuset='0'>1</vcpu>"
    "<os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
    "<source dev='/dev/vg0/db'/><target dev='vda' bus='virtio'/></disk>"
    "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
    "<source protocol='rbd' name='pool/db-log'><host name='mon1' port='6789'/></source>"
    "<target dev='vdb' bus='virtio'/></disk>"
    "<interface type='direct'><mac address='52:54:00:00:02:01'/>"
    "<source dev='eth0' mode='bridge'/></interface>"
    "</devices></domain>";

static const char old_xml[] =
    "<domain type='kvm'><name>old</name><memory>1048576</memory><vcpu>2</vcpu>"
    "<os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
    "<source file='srv/old.img'/><target dev='hda' bus='ide'/></disk>"
    "<interface type='network'><mac address='52:54:00:00:03:01'/>"
    "<source network='default'/><model type='rtl8139'/></interface>"
    "<interface type='user'/>"
    "</devices></domain>";

static struct vmm_vcpu web_vcpus[] = {
    { 0, true, 4000000000001ULL },
    { 1, true, 77 },
};
static struct vmm_vcpu db_vcpus[] = {
    { 0, false, 123 },              /* no time known: the column is absent */
};

static struct vmm_disk_io web_disks[] = {
    { 1001, 1002, 6000000000ULL, 1004, 1005, 1006, 10737418240LL, 3221225473LL, NULL },
    { 0, 0, 0, 0, 0, 0, -1, -1, NULL },
};
/* 4 PiB: more MiB than Integer32 holds; allocation is ignored for block */
static struct vmm_disk_io db_disks[] = {
    { 2001, 2002, 2003, 2004, 2005, 2006, 4503599627370496LL, 5, NULL },
    { 0, 1, 2, 3, 4, 5, 1048576, 524288, NULL },
};
static struct vmm_disk_io old_disks[] = {
    { 0, 0, 0, 0, 0, 0, 1, 0, NULL },
};

static struct vmm_nic_host web_nics[] = { { 7, 2 }, { 8, 0 } };
static struct vmm_nic_host db_nics[] = { { 12, 3 } };
static struct vmm_nic_host old_nics[] = { { 0, 0 }, { 0, 0 } };

#define UUID(last) { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33, \
                     0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, (last) }

static struct vmm_machine machines[] = {
    {
        .uuid = UUID(1), .name = "web", .id = 3,
        .state = VIR_DOMAIN_RUNNING, .reason = VIR_DOMAIN_RUNNING_BOOTED,
        .st = { VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
        .autostart = VMM_AUTOSTART_ENABLED, .persistent = VMM_PERSISTENT_YES,
        .vcpus_cur = 2, .vcpus_max = 4,
        .mem_cur_kib = 2097152, .mem_max_kib = 4194304,
        .cpu_time_us = 5000000000123ULL,
        .nvcpus = NELEMS(web_vcpus), .vcpus = web_vcpus, .disks = web_disks, .nics = web_nics,
    },
    {
        .uuid = UUID(2), .name = "db", .id = 4,
        .state = VIR_DOMAIN_PAUSED, .reason = VIR_DOMAIN_PAUSED_USER,
        .st = { VMM_OPER_PAUSED, VMM_ADMIN_PAUSED },
        .autostart = VMM_AUTOSTART_DISABLED, .persistent = VMM_PERSISTENT_TRANSIENT,
        .vcpus_cur = 1, .vcpus_max = 1,
        .mem_cur_kib = 2684354560ULL, .mem_max_kib = 3221225472ULL,
        .cpu_time_us = 42,
        .nvcpus = NELEMS(db_vcpus), .vcpus = db_vcpus, .disks = db_disks, .nics = db_nics,
    },
    {
        .uuid = UUID(3), .name = "old", .id = -1,
        .state = VIR_DOMAIN_SHUTOFF, .reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN,
        .st = { VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
        .autostart = VMM_AUTOSTART_UNKNOWN, .persistent = VMM_PERSISTENT_YES,
        .vcpus_cur = 2, .vcpus_max = 2,
        .mem_cur_kib = 1048576, .mem_max_kib = 1048576,
        .disks = old_disks, .nics = old_nics,
    },
};

static const char *const definitions[] = { web_xml, db_xml, old_xml };
static struct vmm_domconf *confs[NELEMS(definitions)];

static struct vmm_snapshot snapshot = {
    .hv_software = "QEMU", .hv_version = "7.2.0", .host_cpus = FIXTURE_HOST_CPUS,
    .nmachines = NELEMS(machines), .machines = machines,
};

/* Uptimes are read against the host's clock when served: web has run since
 * the host booted, db starts now.  Neither assumes how long the host has
 * been up (the tests also run as if it booted minutes ago, and beyond the
 * 497 days after which TimeTicks wrap).  NULL if a definition does not
 * parse. */
struct vmm_snapshot *mib_fixture_snapshot(void)
{
    uint64_t now = vmm_clock_boottime_cs();

    for (size_t i = 0; i < NELEMS(machines); i++) {
        if (!confs[i] && !(confs[i] = vmm_domxml_parse(definitions[i], FIXTURE_HOST_CPUS)))
            return NULL;
        machines[i].conf = confs[i];
    }
    machines[0].started_cs = 1;
    machines[1].started_cs = now;
    return &snapshot;
}

void mib_fixture_free(void)
{
    for (size_t i = 0; i < NELEMS(confs); i++) {
        vmm_domxml_free(confs[i]);
        confs[i] = NULL;
    }
}
