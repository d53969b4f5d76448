/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmCpuTable: vmCpuTable, one row per online vCPU (vmCpuGroup). */
#include "mib/tables.h"

#include "agent/value.h"
#include "mib/mib2c/vmCpuTable_columns.h"

struct cpu_row {
    struct vmm_container_row r;
    const struct vmm_vcpu *vcpu;
};

static int column(const void *row, unsigned col, netsnmp_variable_list *var)
{
    const struct vmm_vcpu *v = ((const struct cpu_row *)row)->vcpu;

    /* a time the driver does not tell is absent, not a counter stuck at 0 */
    if (col != COLUMN_VMCPUCORETIME || !v->has_time)
        return SNMP_NOSUCHINSTANCE;
    vmm_value_counter64(var, v->time_us);
    return SNMP_ERR_NOERROR;
}

struct vmm_container vmm_vmCpuTable = {
    .name = "vmCpuTable",
    .oid = { VMM_OBJECTS_OID, 5 }, .oidlen = VMM_OBJECTS_LEN + 1,
    .nindexes = 2, .min_column = COLUMN_VMCPUCORETIME, .max_column = COLUMN_VMCPUCORETIME,
    .column = column, .row_size = sizeof(struct cpu_row),
};

int vmm_vmCpuTable_fill(const struct vmm_snapshot *snap, const int *vm_index)
{
    size_t n = 0;

    for (size_t i = 0; i < snap->nmachines; i++)
        n += snap->machines[i].nvcpus;
    if (vmm_container_reserve(&vmm_vmCpuTable, n) < 0)
        return -1;
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];

        for (size_t v = 0; vm_index[i] > 0 && v < m->nvcpus; v++) {
            oid idx[2] = { (oid)vm_index[i], (oid)m->vcpus[v].number + 1 };
            struct cpu_row *row = vmm_container_add(&vmm_vmCpuTable, idx);

            if (row)
                row->vcpu = &m->vcpus[v];
        }
    }
    return 0;
}
