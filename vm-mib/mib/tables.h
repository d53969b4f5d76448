/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/tables: the five VM-MIB tables and how they are refilled from a
 * snapshot.  vm_index[i] is the vmIndex of snap->machines[i] (0: none). */
#ifndef VMM_TABLES_H
#define VMM_TABLES_H

#include "agent/container.h"
#include "core/snapshot.h"
#include "mib/vmMIB.h"

struct vmm_index;


extern struct vmm_container vmm_vmTable, vmm_vmCpuTable, vmm_vmCpuAffinityTable,
    vmm_vmStorageTable, vmm_vmNetworkTable;

int vmm_tables_register(const struct vmm_container_hooks *hooks);
void vmm_tables_unregister(void);

/* Refill every table from snap (index numbers from ix): the rows then
 * point into snap, which must outlive them.  vmm_tables_clear empties the
 * tables when there is no snapshot to serve. */
int vmm_tables_fill(const struct vmm_snapshot *snap, struct vmm_index *ix);
void vmm_tables_clear(void);

/* vmTable's memory unit for a machine, and the machine of a row. */
long vmm_vmTable_mem_unit(const struct vmm_machine *m);
const struct vmm_machine *vmm_vmTable_row_machine(const void *row);

/* SET of the writable columns (vmm_vmTable_set.c, vmm_vmCpuAffinityTable.c). */
vmm_container_set_fn vmm_vmTable_set, vmm_vmCpuAffinityTable_set;

int vmm_vmTable_fill(const struct vmm_snapshot *snap, const int *vm_index);
int vmm_vmCpuTable_fill(const struct vmm_snapshot *snap, const int *vm_index);
int vmm_vmCpuAffinityTable_fill(const struct vmm_snapshot *snap, const int *vm_index);
int vmm_vmStorageTable_fill(const struct vmm_snapshot *snap, const int *vm_index,
                          struct vmm_index *ix);
int vmm_vmNetworkTable_fill(const struct vmm_snapshot *snap, const int *vm_index,
                          struct vmm_index *ix);

#endif
