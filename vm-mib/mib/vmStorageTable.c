/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmStorageTable: vmStorageTable, one row per disk of a machine. */
#include "mib/tables.h"

#include "agent/hrstorage.h"
#include "agent/value.h"
#include "core/domxml.h"
#include "core/index.h"
#include "mib/mib2c/vmStorageTable_columns.h"
#include "mib/mib2c/vmStorageTable_enums.h"
#include "mib/vmMIB.h"

VMM_SAME_AS_MIB(VMM_SRC_UNKNOWN, VMSTORAGESOURCETYPE_UNKNOWN);
VMM_SAME_AS_MIB(VMM_SRC_OTHER, VMSTORAGESOURCETYPE_OTHER);
VMM_SAME_AS_MIB(VMM_SRC_BLOCK, VMSTORAGESOURCETYPE_BLOCK);
VMM_SAME_AS_MIB(VMM_SRC_RAW, VMSTORAGESOURCETYPE_RAW);
VMM_SAME_AS_MIB(VMM_SRC_SPARSE, VMSTORAGESOURCETYPE_SPARSE);
VMM_SAME_AS_MIB(VMM_SRC_NETWORK, VMSTORAGESOURCETYPE_NETWORK);
VMM_SAME_AS_MIB(VMM_MEDIA_OTHER, VMSTORAGEMEDIATYPE_OTHER);
VMM_SAME_AS_MIB(VMM_MEDIA_UNKNOWN, VMSTORAGEMEDIATYPE_UNKNOWN);
VMM_SAME_AS_MIB(VMM_MEDIA_HARDDISK, VMSTORAGEMEDIATYPE_HARDDISK);
VMM_SAME_AS_MIB(VMM_MEDIA_OPTICAL, VMSTORAGEMEDIATYPE_OPTICALDISK);
VMM_SAME_AS_MIB(VMM_MEDIA_FLOPPY, VMSTORAGEMEDIATYPE_FLOPPYDISK);

#define SIZE_UNIT 1048576           /* MiB: Integer32 then reaches 2 PiB */

struct storage_row {
    struct vmm_container_row r;
    const struct vmm_disk *disk;
    const struct vmm_disk_io *io;
    long parent;                    /* hrStorageIndex, 0 if none */
};

/* Rounded up, so that a non-empty image never reads as 0 units. */
static long in_units(long long bytes)
{
    if (bytes < 0)
        return -1;
    return vmm_value_int32_or_max(((unsigned long long)bytes + SIZE_UNIT - 1) / SIZE_UNIT);
}

/* RFC 7666: for block and raw storage the allocated size is the defined one. */
static long allocated(const struct storage_row *s)
{
    if (s->disk->source_type == VMM_SRC_BLOCK || s->disk->source_type == VMM_SRC_RAW)
        return in_units(s->io->capacity);
    return in_units(s->io->allocation);
}

static int column(const void *row, unsigned col, netsnmp_variable_list *var)
{
    const struct storage_row *s = row;
    const struct vmm_disk *d = s->disk;
    const struct vmm_disk_io *io = s->io;

    switch (col) {
    case COLUMN_VMSTORAGEPARENT:          vmm_value_integer(var, s->parent); break;
    case COLUMN_VMSTORAGESOURCETYPE:      vmm_value_integer(var, d->source_type); break;
    case COLUMN_VMSTORAGESOURCETYPESTRING: vmm_value_admin_string(var, d->format); break;
    case COLUMN_VMSTORAGERESOURCEID:      vmm_value_admin_string(var, d->source); break;
    case COLUMN_VMSTORAGEACCESS:
        vmm_value_integer(var, d->readonly ? VMSTORAGEACCESS_READONLY : VMSTORAGEACCESS_READWRITE);
        break;
    case COLUMN_VMSTORAGEMEDIATYPE:       vmm_value_integer(var, d->media_type); break;
    case COLUMN_VMSTORAGEMEDIATYPESTRING: vmm_value_admin_string(var, d->bus); break;
    case COLUMN_VMSTORAGESIZEUNIT:        vmm_value_integer(var, SIZE_UNIT); break;
    case COLUMN_VMSTORAGEDEFINEDSIZE:     vmm_value_integer(var, in_units(io->capacity)); break;
    case COLUMN_VMSTORAGEALLOCATEDSIZE:   vmm_value_integer(var, allocated(s)); break;
    case COLUMN_VMSTORAGEREADIOS:         vmm_value_counter64(var, io->rd_reqs); break;
    case COLUMN_VMSTORAGEWRITEIOS:        vmm_value_counter64(var, io->wr_reqs); break;
    case COLUMN_VMSTORAGEREADOCTETS:      vmm_value_counter64(var, io->rd_bytes); break;
    case COLUMN_VMSTORAGEWRITEOCTETS:     vmm_value_counter64(var, io->wr_bytes); break;
    case COLUMN_VMSTORAGEREADLATENCY:     vmm_value_counter64(var, io->rd_latency_us); break;
    case COLUMN_VMSTORAGEWRITELATENCY:    vmm_value_counter64(var, io->wr_latency_us); break;
    default:                              return SNMP_NOSUCHINSTANCE;
    }
    return SNMP_ERR_NOERROR;
}

struct vmm_container vmm_vmStorageTable = {
    .name = "vmStorageTable",
    .oid = { VMM_OBJECTS_OID, 7 }, .oidlen = VMM_OBJECTS_LEN + 1,
    .nindexes = 2, .min_column = COLUMN_VMSTORAGEPARENT,
    .max_column = COLUMN_VMSTORAGEWRITELATENCY,
    .column = column, .row_size = sizeof(struct storage_row),
};

int vmm_vmStorageTable_fill(const struct vmm_snapshot *snap, const int *vm_index,
                          struct vmm_index *ix)
{
    size_t n = 0;

    for (size_t i = 0; i < snap->nmachines; i++)
        n += snap->machines[i].conf->ndisks;
    if (vmm_container_reserve(&vmm_vmStorageTable, n) < 0)
        return -1;
    vmm_hrstorage_refresh();
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];

        /* Numbered first: a disk numbered may renumber the machine's others. */
        for (size_t k = 0; k < m->conf->ndisks; k++)
            vmm_index_disk(ix, m->uuid, m->conf->disks[k].target);
        for (size_t k = 0; vm_index[i] > 0 && k < m->conf->ndisks; k++) {
            const struct vmm_disk *d = &m->conf->disks[k];
            oid idx[2] = { (oid)vm_index[i], (oid)vmm_index_disk(ix, m->uuid, d->target) };
            struct storage_row *row;

            if (idx[1] == 0 || !(row = vmm_container_add(&vmm_vmStorageTable, idx)))
                continue;
            row->disk = d;
            row->io = &m->disks[k];
            row->parent = !d->file_backed ? 0 :
                vmm_hrstorage_index(m->disks[k].real_path ? m->disks[k].real_path : d->source);
        }
    }
    return 0;
}
