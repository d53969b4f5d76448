/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/host: facts about the host itself that VM-MIB cross-references:
 * interface indexes (IF-MIB's ifIndex is the kernel's ifindex on Linux),
 * bridge uplinks, and when a QEMU process started.  Plain libc and sysfs. */
#ifndef VMM_HOST_H
#define VMM_HOST_H

#include <stdbool.h>
#include <stdint.h>

/* ifIndex of a host network device, 0 if there is none by that name. */
unsigned vmm_host_ifindex(const char *name);

/* vmNetworkParent: the physical uplink of a bridge or macvtap source.
 * A bridge's uplink is its one port that is a physical device (has a
 * sysfs "device" link), a bond, or a VLAN on one of those; no such port,
 * or several, gives 0.  A macvtap source device is its own uplink. */
unsigned vmm_host_uplink(const char *type, const char *source);

/* When process pid started, in vmm_clock_boottime_cs() terms; 0 if unknown. */
uint64_t vmm_host_process_start_cs(long pid);

/* The pid in a libvirt QEMU pid file (/run/libvirt/qemu/<name>.pid), 0 if none. */
long vmm_host_qemu_pid(const char *name);

#endif
