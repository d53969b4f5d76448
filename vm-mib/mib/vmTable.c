/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmTable: vmTable, one row per machine (RFC 7666 vmVirtualMachineGroup). */
#include "mib/tables.h"

#include <limits.h>

#include "agent/value.h"
#include "core/clock.h"
#include "core/state.h"
#include "mib/mib2c/vmTable_columns.h"
#include "mib/mib2c/vmTable_enums.h"
#include "mib/vmMIB.h"

VMM_SAME_AS_MIB(VMM_ADMIN_RUNNING, VMADMINSTATE_RUNNING);
VMM_SAME_AS_MIB(VMM_ADMIN_SUSPENDED, VMADMINSTATE_SUSPENDED);
VMM_SAME_AS_MIB(VMM_ADMIN_PAUSED, VMADMINSTATE_PAUSED);
VMM_SAME_AS_MIB(VMM_ADMIN_SHUTDOWN, VMADMINSTATE_SHUTDOWN);
VMM_SAME_AS_MIB(VMM_OPER_UNKNOWN, VMOPERSTATE_UNKNOWN);
VMM_SAME_AS_MIB(VMM_OPER_OTHER, VMOPERSTATE_OTHER);
VMM_SAME_AS_MIB(VMM_OPER_PREPARING, VMOPERSTATE_PREPARING);
VMM_SAME_AS_MIB(VMM_OPER_RUNNING, VMOPERSTATE_RUNNING);
VMM_SAME_AS_MIB(VMM_OPER_SUSPENDING, VMOPERSTATE_SUSPENDING);
VMM_SAME_AS_MIB(VMM_OPER_SUSPENDED, VMOPERSTATE_SUSPENDED);
VMM_SAME_AS_MIB(VMM_OPER_RESUMING, VMOPERSTATE_RESUMING);
VMM_SAME_AS_MIB(VMM_OPER_PAUSED, VMOPERSTATE_PAUSED);
VMM_SAME_AS_MIB(VMM_OPER_MIGRATING, VMOPERSTATE_MIGRATING);
VMM_SAME_AS_MIB(VMM_OPER_SHUTTINGDOWN, VMOPERSTATE_SHUTTINGDOWN);
VMM_SAME_AS_MIB(VMM_OPER_SHUTDOWN, VMOPERSTATE_SHUTDOWN);
VMM_SAME_AS_MIB(VMM_OPER_CRASHED, VMOPERSTATE_CRASHED);
VMM_SAME_AS_MIB(VMM_AUTOSTART_UNKNOWN, VMAUTOSTART_UNKNOWN);
VMM_SAME_AS_MIB(VMM_AUTOSTART_ENABLED, VMAUTOSTART_ENABLED);
VMM_SAME_AS_MIB(VMM_AUTOSTART_DISABLED, VMAUTOSTART_DISABLED);
VMM_SAME_AS_MIB(VMM_PERSISTENT_UNKNOWN, VMPERSISTENT_UNKNOWN);
VMM_SAME_AS_MIB(VMM_PERSISTENT_YES, VMPERSISTENT_PERSISTENT);
VMM_SAME_AS_MIB(VMM_PERSISTENT_TRANSIENT, VMPERSISTENT_TRANSIENT);

struct vm_row {
    struct vmm_container_row r;
    const struct vmm_machine *m;
};

/* libvirt counts memory in KiB; a larger unit only where KiB would not fit
 * Integer32 (2 TiB and more). */
long vmm_vmTable_mem_unit(const struct vmm_machine *m)
{
    return m->mem_max_kib > INT32_MAX || m->mem_cur_kib > INT32_MAX ? 1048576 : 1024;
}

static long in_units(unsigned long long kib, long unit)
{
    return vmm_value_int32_or_max(kib * 1024 / (unsigned long long)unit);
}

static uint32_t up_time(const struct vmm_machine *m)
{
    uint64_t now = vmm_clock_boottime_cs();

    return m->started_cs && now > m->started_cs ? (uint32_t)(now - m->started_cs) : 0;
}

static int column(const void *row, unsigned col, netsnmp_variable_list *var)
{
    const struct vmm_machine *m = ((const struct vm_row *)row)->m;

    switch (col) {
    case COLUMN_VMNAME:         vmm_value_admin_string(var, m->name); break;
    case COLUMN_VMUUID:         vmm_value_octets(var, m->uuid, sizeof(m->uuid)); break;
    case COLUMN_VMOSTYPE:       vmm_value_admin_string(var, m->conf->os_type); break;
    case COLUMN_VMADMINSTATE:   vmm_value_integer(var, m->st.admin); break;
    case COLUMN_VMOPERSTATE:    vmm_value_integer(var, m->st.oper); break;
    case COLUMN_VMAUTOSTART:    vmm_value_integer(var, m->autostart); break;
    case COLUMN_VMPERSISTENT:   vmm_value_integer(var, m->persistent); break;
    case COLUMN_VMCURCPUNUMBER: vmm_value_integer(var, vmm_value_int32_or_max(m->vcpus_cur)); break;
    case COLUMN_VMMINCPUNUMBER: vmm_value_integer(var, -1); break;   /* libvirt has no minimum */
    case COLUMN_VMMAXCPUNUMBER: vmm_value_integer(var, vmm_value_int32_or_max(m->vcpus_max)); break;
    case COLUMN_VMMEMUNIT:      vmm_value_integer(var, vmm_vmTable_mem_unit(m)); break;
    case COLUMN_VMCURMEM:       vmm_value_integer(var, in_units(m->mem_cur_kib, vmm_vmTable_mem_unit(m))); break;
    case COLUMN_VMMINMEM:       vmm_value_integer(var, -1); break;
    case COLUMN_VMMAXMEM:       vmm_value_integer(var, in_units(m->mem_max_kib, vmm_vmTable_mem_unit(m))); break;
    case COLUMN_VMUPTIME:       vmm_value_ticks(var, up_time(m)); break;
    case COLUMN_VMCPUTIME:      vmm_value_counter64(var, m->cpu_time_us); break;
    default:                    return SNMP_NOSUCHINSTANCE;
    }
    return SNMP_ERR_NOERROR;
}

struct vmm_container vmm_vmTable = {
    .name = "vmTable",
    .oid = { VMM_OBJECTS_OID, 4 }, .oidlen = VMM_OBJECTS_LEN + 1,
    .nindexes = 1, .min_column = COLUMN_VMNAME, .max_column = COLUMN_VMCPUTIME,
    .column = column, .set = vmm_vmTable_set, .row_size = sizeof(struct vm_row),
    .set_columns = VMM_COLUMN(COLUMN_VMADMINSTATE) | VMM_COLUMN(COLUMN_VMCURCPUNUMBER) |
                   VMM_COLUMN(COLUMN_VMCURMEM),
};

const struct vmm_machine *vmm_vmTable_row_machine(const void *row)
{
    return ((const struct vm_row *)row)->m;
}

int vmm_vmTable_fill(const struct vmm_snapshot *snap, const int *vm_index)
{
    if (vmm_container_reserve(&vmm_vmTable, snap->nmachines) < 0)
        return -1;
    for (size_t i = 0; i < snap->nmachines; i++) {
        oid idx[1] = { (oid)vm_index[i] };
        struct vm_row *row;

        if (vm_index[i] > 0 && (row = vmm_container_add(&vmm_vmTable, idx)))
            row->m = &snap->machines[i];
    }
    return 0;
}
