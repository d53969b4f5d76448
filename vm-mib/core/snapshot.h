/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/snapshot: one consistent picture of a libvirt hypervisor as plain C.
 *
 * The data layer of vm_mib: it knows libvirt and nothing of Net-SNMP.  The
 * MIB layer serves every object from the current snapshot, so all varbinds
 * of one request see the same moment.
 *
 * Cost per snapshot, whatever the number of machines: one domain list, three
 * filtered lists (autostart, transient, managed save) and one
 * virConnectGetAllDomainStats; domain XML only for machines that are new, were
 * started or stopped, renamed, or whose parsed definition is older than
 * VMM_CONF_MAX_AGE; a machine's job (core/migration.h) only for those that
 * run and are migrating out or were not seen running before.  Drivers
 * whose bulk statistics lack a group (libvirt's test driver returns only
 * the state) get per-domain calls instead; a driver that has no bulk
 * statistics or vCPU information at all (LXC) is asked for them once per
 * connection (core/driver.h).
 *
 * Taken in the collector's thread: what the host itself knows of the
 * machines' devices (interface indexes, bridge uplinks, image paths with
 * links resolved) is read here too, as sysfs and realpath() can block. */
#ifndef VMM_SNAPSHOT_H
#define VMM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>

#include "core/domxml.h"
#include "core/lifecycle.h"
#include "core/state.h"

#define VMM_CONF_MAX_AGE_CS (60 * 100)      /* re-read definitions every minute */

/* RFC 7666 VirtualMachineAutoStart and VirtualMachinePersistent */
enum { VMM_AUTOSTART_UNKNOWN = 1, VMM_AUTOSTART_ENABLED = 2, VMM_AUTOSTART_DISABLED = 3 };
enum { VMM_PERSISTENT_UNKNOWN = 1, VMM_PERSISTENT_YES = 2, VMM_PERSISTENT_TRANSIENT = 3 };

struct vmm_vcpu {
    unsigned number;                /* libvirt's vCPU number (vmCpuIndex - 1) */
    bool has_time;
    unsigned long long time_us;
};

struct vmm_disk_io {
    unsigned long long rd_reqs, wr_reqs, rd_bytes, wr_bytes;
    unsigned long long rd_latency_us, wr_latency_us;
    long long capacity, allocation;  /* bytes; -1 unknown */
    char *real_path;                /* a file-backed image's path with links
                                     * resolved; NULL: the source path is it */
};

/* A NIC's host side while its machine runs (0: none). */
struct vmm_nic_host {
    unsigned if_index;              /* the tap/macvtap device's ifIndex */
    unsigned parent;                /* vmNetworkParent */
};

struct vmm_machine {
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *name;
    int id;                         /* libvirt domain id, -1 when inactive */
    int state, reason;              /* libvirt's */
    struct vmm_state st;            /* RFC 7666 oper/admin state */
    bool outgoing;                  /* a migration of it out is in progress */
    int autostart, persistent;      /* VMM_AUTOSTART_*, VMM_PERSISTENT_* */
    bool managed_save;
    unsigned vcpus_cur, vcpus_max;
    unsigned long long mem_cur_kib, mem_max_kib;
    unsigned long long cpu_time_us;
    uint64_t started_cs;            /* CLOCK_BOOTTIME cs of the last start; 0 = not running */
    const struct vmm_domconf *conf; /* never NULL */
    struct vmm_confref *conf_ref;   /* keeps conf alive */
    size_t nvcpus;
    struct vmm_vcpu *vcpus;         /* online vCPUs, by number */
    struct vmm_disk_io *disks;      /* one per conf->disks */
    struct vmm_nic_host *nics;      /* one per conf->nics */
};

struct vmm_snapshot {
    char *hv_software;              /* virConnectGetType, e.g. "QEMU" */
    char *hv_version;               /* "major.minor.release"; NULL if unknown */
    unsigned host_cpus;
    size_t nmachines;               /* every defined machine, active or not */
    size_t machines_cap;            /* allocated */
    struct vmm_machine *machines;   /* sorted by UUID */
    bool set_changed;               /* machines added or removed since the
                                     * previous snapshot of this history */
};

/* What a connection's hypervisor is.  It does not change while connected:
 * read once per connection.  The type comes with opening it; the version
 * can take seconds (QEMU's driver may probe its emulator again), so it is
 * asked apart and nothing waits for it. */
struct vmm_hypervisor {
    char software[32];              /* virConnectGetType, e.g. "QEMU" */
    char version[32];               /* "major.minor.release"; "" if unknown */
    unsigned traits;                /* vmm_driver_traits(software) */
    unsigned long conn;             /* a number of its own for each connection
                                     * read: what its driver lacks is
                                     * remembered under it (core/driver.h) */
};

/* The type; version left "".  -1 if the connection cannot name its driver. */
int vmm_snapshot_hypervisor_read(virConnectPtr conn, struct vmm_hypervisor *hv);

/* The version into buf ("" and -1 when the driver cannot tell). */
int vmm_snapshot_hypervisor_version(virConnectPtr conn, char *buf, size_t len);

/* What a snapshot remembers of earlier ones (vmm_history.h); it must
 * outlive every snapshot taken with it. */
struct vmm_history;

/* Returns NULL on failure; libvirt's last error says why. */
struct vmm_snapshot *vmm_snapshot_take(virConnectPtr conn, const struct vmm_hypervisor *hv,
                                       struct vmm_history *h);
void vmm_snapshot_free(struct vmm_snapshot *snap);

/* A snapshot of the one machine uuid (after its definition changed, or a
 * machine appeared), taken with the history of the full ones; NULL on
 * failure, with *gone set when libvirt no longer knows the machine. */
struct vmm_snapshot *vmm_snapshot_take_one(virConnectPtr conn, const struct vmm_hypervisor *hv,
                                           struct vmm_history *h, const unsigned char *uuid,
                                           bool *gone);

/* Updating the picture between full snapshots (pointers into
 * snap->machines are invalid after a merge or remove). */
struct vmm_machine *vmm_snapshot_find(struct vmm_snapshot *snap, const unsigned char *uuid);
/* The libvirt state a machine was read in, as events carry it. */
struct vmm_lvstate vmm_snapshot_lvstate(const struct vmm_machine *m);
/* Put the machine of a one-machine snapshot into snap (replacing the one
 * with its UUID); takes one over.  -1 (one untouched) on failure. */
int vmm_snapshot_merge(struct vmm_snapshot *snap, struct vmm_snapshot *one);
bool vmm_snapshot_remove(struct vmm_snapshot *snap, const unsigned char *uuid);

/* libvirt encodes versions as major * 1000000 + minor * 1000 + release. */
void vmm_snapshot_version_format(unsigned long version, char *buf, size_t len);

#endif
