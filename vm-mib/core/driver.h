/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/driver: where libvirt's drivers differ in what the same answer means,
 * and which calls a connection's driver does not support.
 *
 * Part of the data layer (no Net-SNMP here).  A driver is known by its
 * virConnectGetType name; the man page (section LXC AND XEN) says what each
 * difference makes of the MIB's objects. */
#ifndef VMM_DRIVER_H
#define VMM_DRIVER_H

#include <stdbool.h>

/* What a driver's answers mean (VMM_DRIVER_* bits of vmm_driver_traits). */
enum {
    /* The machine's process has a pid file /run/libvirt/qemu/<name>.pid. */
    VMM_DRIVER_QEMU_PIDFILE = 1,
    /* The domain id is the pid of the process that runs the machine (the
     * LXC driver's controller, which starts with the container and ends
     * with it). */
    VMM_DRIVER_ID_IS_PID = 2,
    /* virDomainGetInfo's memory is what the machine uses now, not what it
     * is given (LXC: the memory cgroup's usage); virDomainMemoryStats'
     * actual balloon is what it is given. */
    VMM_DRIVER_INFO_MEMORY_USED = 4,
    /* Domain id 0 is the host's own control domain (Xen's Domain-0). */
    VMM_DRIVER_HOST_DOMAIN = 8,
};

/* The traits of the driver virConnectGetType names ("QEMU", "LXC", "Xen");
 * 0 for others and for NULL. */
unsigned vmm_driver_traits(const char *type);

/* Whether the machine with domain id is not one of the hypervisor's guests
 * but the host itself, and so no vmTable row. */
bool vmm_driver_is_host(unsigned traits, int id);

/* The pid of the host process that runs a running machine, 0 if unknown. */
long vmm_driver_machine_pid(unsigned traits, const char *name, int id);

/* Calls a driver may not support, asked once per connection. */
enum {
    VMM_CALL_BULK_STATS = 1,        /* virConnectGetAllDomainStats, virDomainListGetStats */
    VMM_CALL_VCPUS = 2,             /* virDomainGetVcpus */
};

/* What a connection's driver was found not to support.  Lives in the
 * collector's thread with the other memory of earlier snapshots; conn
 * names the connection it is about, and another connection (after a
 * reconnect the daemon, and its driver, may differ) starts with nothing
 * known unsupported. */
struct vmm_support {
    unsigned long conn;
    unsigned missing;               /* VMM_CALL_* bits */
};

/* Whether call is worth making on connection conn. */
bool vmm_driver_may_call(struct vmm_support *s, unsigned long conn, unsigned call);

/* After call failed with libvirt error code error: remember the call if the
 * driver said it does not support it (other failures may pass). */
void vmm_driver_failed(struct vmm_support *s, unsigned call, int error);

#endif
