/* vm_cpu_affinity_table: vmCpuAffinityTable, one row per machine, online
 * vCPU and host CPU, from the pinning of the domain definition. */
#include "vm_tables.h"

#include "mib2c/vmCpuAffinityTable_columns.h"
#include "mib2c/vmCpuAffinityTable_enums.h"
#include "vmm_value.h"

/* Net-SNMP 5.9 numbers hrDeviceTable processors (HRDEV_PROC << 16) + CPU. */
#define HR_DEVICE_PROCESSOR_BASE 196608

struct affinity_row {
    struct vmm_row r;
    const struct vmm_domconf *conf;
    unsigned vcpu, cpu;
};

static int affinity(const struct vmm_domconf *c, unsigned vcpu, unsigned cpu)
{
    if (!c->pinmap || vcpu >= c->vcpus_max || cpu >= c->host_cpus)
        return VMCPUAFFINITY_UNKNOWN;
    return c->pinmap[vcpu * c->pin_len + cpu / 8] & (1u << (cpu % 8))
               ? VMCPUAFFINITY_ENABLE : VMCPUAFFINITY_DISABLE;
}

static int column(const void *row, unsigned col, netsnmp_variable_list *var)
{
    const struct affinity_row *a = row;

    if (col != COLUMN_VMCPUAFFINITY)
        return SNMP_NOSUCHINSTANCE;
    vmm_set_integer(var, affinity(a->conf, a->vcpu, a->cpu));
    return SNMP_ERR_NOERROR;
}

struct vmm_table vm_cpu_affinity_table = {
    .name = "vmCpuAffinityTable",
    .oid = { VMM_OBJECTS_OID, 6 }, .oidlen = VMM_OBJECTS_LEN + 1,
    .nindexes = 3, .min_column = COLUMN_VMCPUAFFINITY, .max_column = COLUMN_VMCPUAFFINITY,
    .column = column, .row_size = sizeof(struct affinity_row),
};

int vm_cpu_affinity_table_fill(const struct vmm_snapshot *snap, const int *vm_index)
{
    size_t n = 0;

    for (size_t i = 0; i < snap->nmachines; i++)
        n += snap->machines[i].nvcpus * snap->host_cpus;
    if (vmm_table_reserve(&vm_cpu_affinity_table, n) < 0)
        return -1;
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];

        for (size_t v = 0; vm_index[i] > 0 && v < m->nvcpus; v++) {
            for (unsigned cpu = 0; cpu < snap->host_cpus; cpu++) {
                oid idx[3] = { (oid)vm_index[i], (oid)m->vcpus[v].number + 1,
                               HR_DEVICE_PROCESSOR_BASE + cpu };
                struct affinity_row *row = vmm_table_add(&vm_cpu_affinity_table, idx);

                if (!row)
                    continue;
                row->conf = m->conf;
                row->vcpu = m->vcpus[v].number;
                row->cpu = cpu;
            }
        }
    }
    return 0;
}
