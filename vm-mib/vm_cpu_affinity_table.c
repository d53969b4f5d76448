/* vm_cpu_affinity_table: vmCpuAffinityTable, one row per machine, online
 * vCPU and host CPU, from the pinning of the domain definition. */
#include "vm_tables.h"

#include "mib2c/vmCpuAffinityTable_columns.h"
#include "mib2c/vmCpuAffinityTable_enums.h"
#include "vmm_cache.h"
#include "vmm_set.h"
#include "vmm_value.h"

#include <stdlib.h>
#include <string.h>

/* Net-SNMP 5.9 numbers hrDeviceTable processors (HRDEV_PROC << 16) + CPU. */
#define HR_DEVICE_PROCESSOR_BASE 196608

struct affinity_row {
    struct vmm_row r;
    const struct vmm_machine *m;
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
    .column = column, .set = vm_cpu_affinity_table_set,
    .row_size = sizeof(struct affinity_row),
};

/* The live pin map of vCPU a->vcpu into u->old_map, and u->new_map with
 * host CPU a->cpu enabled or disabled; false if that leaves it no CPU. */
static int pin_maps(struct vmm_undo *u, const struct affinity_row *a, bool enable)
{
    int maxv = virDomainGetVcpusFlags(u->dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
    int len = VIR_CPU_MAPLEN(a->conf->host_cpus), any = 0;
    unsigned char *all;

    if (maxv <= 0 || a->vcpu >= (unsigned)maxv || !(all = calloc((size_t)maxv, (size_t)len)))
        return -1;
    if (virDomainGetVcpuPinInfo(u->dom, maxv, all, len, VIR_DOMAIN_AFFECT_CURRENT) < 0) {
        free(all);
        return -1;
    }
    free(u->old_map);
    free(u->new_map);
    u->old_map = malloc((size_t)len);
    u->new_map = malloc((size_t)len);
    if (u->old_map && u->new_map) {
        memcpy(u->old_map, all + (size_t)a->vcpu * (size_t)len, (size_t)len);
        memcpy(u->new_map, u->old_map, (size_t)len);
        if (enable)
            VIR_USE_CPU(u->new_map, a->cpu);
        else
            VIR_UNUSE_CPU(u->new_map, a->cpu);
        for (int i = 0; i < len; i++)
            any |= u->new_map[i];
    }
    free(all);
    u->map_len = len;
    u->vcpu = a->vcpu;
    return !u->old_map || !u->new_map ? -1 : any ? 1 : 0;
}

void vm_cpu_affinity_table_set(int mode, netsnmp_agent_request_info *reqinfo,
                               netsnmp_request_info *req, const void *row, unsigned col)
{
    const struct affinity_row *a = row;
    struct vmm_undo *u;
    long v;
    int rc;

    if (mode == MODE_SET_RESERVE1) {
        if (!vmm_set_enabled(reqinfo, req))
            return;
        if (col != COLUMN_VMCPUAFFINITY)
            netsnmp_set_request_error(reqinfo, req, SNMP_ERR_NOTWRITABLE);
        else
            vmm_set_check_integer(reqinfo, req, VMCPUAFFINITY_ENABLE, VMCPUAFFINITY_DISABLE, &v);
        return;
    }
    if (mode == MODE_SET_RESERVE2) {
        if (!(u = vmm_set_begin(reqinfo, req, a->m->uuid)))
            return;
        if (virDomainIsActive(u->dom) != 1)
            vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmCpuAffinity",
                           "the machine is not running (changes are live only)");
        else if ((rc = pin_maps(u, a, *req->requestvb->val.integer == VMCPUAFFINITY_ENABLE)) < 0)
            vmm_set_failed(reqinfo, req, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the pinning");
        else if (rc == 0)
            vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmCpuAffinity",
                           "a vCPU must keep at least one host CPU");
        return;
    }
    if (!(u = vmm_set_undo(req)))
        return;
    if (mode == MODE_SET_ACTION) {
        /* again from the live map: other varbinds of this PDU may have
         * changed the same vCPU.  RESERVE2 checked that the machine runs, so
         * "current" is the live state (some drivers refuse the LIVE flag). */
        if (pin_maps(u, a, *req->requestvb->val.integer == VMCPUAFFINITY_ENABLE) != 1 ||
            virDomainPinVcpuFlags(u->dom, u->vcpu, u->new_map, u->map_len,
                                  VIR_DOMAIN_AFFECT_CURRENT) < 0)
            vmm_set_failed(reqinfo, req, SNMP_ERR_COMMITFAILED, "vmCpuAffinity");
        else
            u->done = true;
    } else if (mode == MODE_SET_UNDO && u->done &&
               virDomainPinVcpuFlags(u->dom, u->vcpu, u->old_map, u->map_len,
                                     VIR_DOMAIN_AFFECT_CURRENT) < 0) {
        vmm_set_failed(reqinfo, req, SNMP_ERR_UNDOFAILED, "undoing vmCpuAffinity");
    } else if (mode == MODE_SET_COMMIT) {
        vmm_cache_definition_changed(a->m->uuid);   /* pinning is in the XML */
    }
}

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
                row->m = m;
                row->conf = m->conf;
                row->vcpu = m->vcpus[v].number;
                row->cpu = cpu;
            }
        }
    }
    return 0;
}
