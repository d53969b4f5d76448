/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmNetworkTable: vmNetworkTable, one row per network interface. */
#include "mib/tables.h"

#include "agent/value.h"
#include "core/index.h"
#include "mib/mib2c/vmNetworkTable_columns.h"

struct network_row {
    struct vmm_container_row r;
    const struct vmm_nic *nic;
    unsigned if_index, parent;
};

static int column(const void *row, unsigned col, netsnmp_variable_list *var)
{
    const struct network_row *n = row;

    switch (col) {
    case COLUMN_VMNETWORKIFINDEX:     vmm_value_integer(var, n->if_index); break;
    case COLUMN_VMNETWORKPARENT:      vmm_value_integer(var, n->parent); break;
    case COLUMN_VMNETWORKMODEL:       vmm_value_admin_string(var, n->nic->model); break;
    case COLUMN_VMNETWORKPHYSADDRESS: vmm_value_octets(var, n->nic->mac, sizeof(n->nic->mac)); break;
    default:                          return SNMP_NOSUCHINSTANCE;
    }
    return SNMP_ERR_NOERROR;
}

struct vmm_container vmm_vmNetworkTable = {
    .name = "vmNetworkTable",
    .oid = { VMM_OBJECTS_OID, 8 }, .oidlen = VMM_OBJECTS_LEN + 1,
    .nindexes = 2, .min_column = COLUMN_VMNETWORKIFINDEX,
    .max_column = COLUMN_VMNETWORKPHYSADDRESS,
    .column = column, .row_size = sizeof(struct network_row),
};

/* The host devices exist only while the machine runs. */
int vmm_vmNetworkTable_fill(const struct vmm_snapshot *snap, const int *vm_index,
                          struct vmm_index *ix)
{
    size_t n = 0;

    for (size_t i = 0; i < snap->nmachines; i++)
        n += snap->machines[i].conf->nnics;
    if (vmm_container_reserve(&vmm_vmNetworkTable, n) < 0)
        return -1;
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];

        /* Numbered first: a NIC numbered may renumber the machine's others. */
        for (size_t k = 0; k < m->conf->nnics; k++)
            if (m->conf->nics[k].has_mac)
                vmm_index_nic(ix, m->uuid, m->conf->nics[k].mac);
        for (size_t k = 0; vm_index[i] > 0 && k < m->conf->nnics; k++) {
            const struct vmm_nic *nic = &m->conf->nics[k];
            oid idx[2] = { (oid)vm_index[i], 0 };
            struct network_row *row;

            if (!nic->has_mac || !(idx[1] = (oid)vmm_index_nic(ix, m->uuid, nic->mac)) ||
                !(row = vmm_container_add(&vmm_vmNetworkTable, idx)))
                continue;
            row->nic = nic;
            row->if_index = m->nics[k].if_index;
            row->parent = m->nics[k].parent;
        }
    }
    return 0;
}
