/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/vmlist: VirtualMachineList, the bitmap of vmIndex values carried by
 * the bulk notifications (vmAffectedVMs): octet 1 holds vmIndex 1..8, the
 * most significant bit the lowest index. */
#ifndef VMM_VMLIST_H
#define VMM_VMLIST_H

#include <stddef.h>

struct vmm_vmlist {
    unsigned char *map;
    size_t len;                     /* octets, up to the highest member */
    size_t cap;                     /* allocated */
};

/* Add vmIndex i (>= 1); -1 on allocation failure. */
int vmm_vmlist_add(struct vmm_vmlist *l, long i);
void vmm_vmlist_clear(struct vmm_vmlist *l);

#endif
