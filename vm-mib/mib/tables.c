/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "mib/tables.h"

#include <stdlib.h>

#include "agent/hrstorage.h"
#include "core/index.h"

static struct vmm_container *const tables[] = {
    &vmm_vmTable, &vmm_vmCpuTable, &vmm_vmCpuAffinityTable, &vmm_vmStorageTable,
    &vmm_vmNetworkTable,
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static int *vm_index;

int vmm_tables_register(const struct vmm_container_hooks *hooks)
{
    for (size_t i = 0; i < NTABLES; i++) {
        if (vmm_container_register(tables[i], hooks) < 0) {
            snmp_log(LOG_ERR, "vm_mib: cannot register %s\n", tables[i]->name);
            return -1;
        }
    }
    return 0;
}

void vmm_tables_unregister(void)
{
    for (size_t i = 0; i < NTABLES; i++)
        vmm_container_unregister(tables[i]);
    free(vm_index);
    vm_index = NULL;
    vmm_hrstorage_release();
}

int vmm_tables_fill(const struct vmm_snapshot *snap, struct vmm_index *ix)
{
    int rc = 0;

    free(vm_index);
    if (!(vm_index = calloc(snap->nmachines ? snap->nmachines : 1, sizeof(*vm_index))))
        return -1;
    /* Twice: a number handed out may renumber those given before it; the
     * second round only looks up. */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < snap->nmachines; i++)
            vm_index[i] = vmm_index_vm(ix, snap->machines[i].uuid);
    for (size_t i = 0; i < snap->nmachines; i++)
        if (!vm_index[i])
            rc = -1;                /* out of memory: the caller says so */
    rc |= vmm_vmTable_fill(snap, vm_index) | vmm_vmCpuTable_fill(snap, vm_index) |
         vmm_vmCpuAffinityTable_fill(snap, vm_index) |
         vmm_vmStorageTable_fill(snap, vm_index, ix) |
         vmm_vmNetworkTable_fill(snap, vm_index, ix);
    for (size_t i = 0; i < NTABLES; i++)
        vmm_container_publish(tables[i]);
    return rc;
}

void vmm_tables_clear(void)
{
    for (size_t i = 0; i < NTABLES; i++)
        vmm_container_clear(tables[i]);
    free(vm_index);
    vm_index = NULL;
}
