/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmHypervisor: vmHypervisor group, vmNumber, vmTableLastChange and the two
 * notification switches (RFC 7666 vmHypervisorGroup). */
#ifndef VMM_VMHYPERVISOR_H
#define VMM_VMHYPERVISOR_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_snapshot;
struct vmm_container_hooks;

/* Where libvirt's scalars come from: the picture served (NULL: none) and
 * vmTableLastChange. */
struct vmm_scalar_source {
    const struct vmm_snapshot *(*snapshot)(void);
    uint32_t (*last_change)(void);
};

/* hooks->front goes in front of the scalars that read src. */
int vmm_vmHypervisor_register(const struct vmm_scalar_source *src,
                         const struct vmm_container_hooks *hooks);
void vmm_vmHypervisor_unregister(void);

/* Start values of vmPerVMNotificationsEnabled / vmBulkNotificationsEnabled;
 * SETs change them in memory only (RFC 7666: they MUST NOT persist). */
void vmm_vmHypervisor_set_notifications(bool pervm, bool bulk);
bool vmm_vmHypervisor_pervm_enabled(void);
bool vmm_vmHypervisor_bulk_enabled(void);

#endif
