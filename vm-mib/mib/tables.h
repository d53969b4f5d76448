/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/tables: the five VM-MIB tables and how they are refilled from a
 * snapshot.  vm_index[i] is the vmIndex of snap->machines[i] (0: none). */
#ifndef VM_TABLES_H
#define VM_TABLES_H

#include "agent/container.h"
#include "core/snapshot.h"
#include "mib/vmMIB.h"

struct vmm_index;


extern struct vmm_table vm_table, vm_cpu_table, vm_cpu_affinity_table,
    vm_storage_table, vm_network_table;

int vm_tables_register(const struct vmm_table_hooks *hooks);
void vm_tables_unregister(void);

/* Refill every table from snap (index numbers from ix): the rows then
 * point into snap, which must outlive them.  vm_tables_clear empties the
 * tables when there is no snapshot to serve. */
int vm_tables_fill(const struct vmm_snapshot *snap, struct vmm_index *ix);
void vm_tables_clear(void);

/* vmTable's memory unit for a machine, and the machine of a row. */
long vm_table_mem_unit(const struct vmm_machine *m);
const struct vmm_machine *vm_table_row_machine(const void *row);

/* SET of the writable columns (vm_table_set.c, vm_cpu_affinity_table.c). */
vmm_set_fn vm_table_set, vm_cpu_affinity_table_set;

int vm_table_fill(const struct vmm_snapshot *snap, const int *vm_index);
int vm_cpu_table_fill(const struct vmm_snapshot *snap, const int *vm_index);
int vm_cpu_affinity_table_fill(const struct vmm_snapshot *snap, const int *vm_index);
int vm_storage_table_fill(const struct vmm_snapshot *snap, const int *vm_index,
                          struct vmm_index *ix);
int vm_network_table_fill(const struct vmm_snapshot *snap, const int *vm_index,
                          struct vmm_index *ix);

#endif
