/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmCpuAffinityTable: vmCpuAffinityTable, one row per machine, online
 * vCPU and host CPU, from the pinning of the domain definition. */
#include "mib/tables.h"

#include "agent/cache.h"
#include "agent/value.h"
#include "agent/writable.h"
#include "mib/mib2c/vmCpuAffinityTable_columns.h"
#include "mib/mib2c/vmCpuAffinityTable_enums.h"

#include <stdlib.h>
#include <string.h>

/* Net-SNMP 5.9 numbers hrDeviceTable processors (HRDEV_PROC << 16) + CPU. */
#define HR_DEVICE_PROCESSOR_BASE 196608

struct affinity_row {
    struct vmm_container_row r;
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
    vmm_value_integer(var, affinity(a->conf, a->vcpu, a->cpu));
    return SNMP_ERR_NOERROR;
}

struct vmm_container vmm_vmCpuAffinityTable = {
    .name = "vmCpuAffinityTable",
    .oid = { VMM_OBJECTS_OID, 6 }, .oidlen = VMM_OBJECTS_LEN + 1,
    .nindexes = 3, .min_column = COLUMN_VMCPUAFFINITY, .max_column = COLUMN_VMCPUAFFINITY,
    .column = column, .set = vmm_vmCpuAffinityTable_set,
    .set_columns = VMM_COLUMN(COLUMN_VMCPUAFFINITY),
    .row_size = sizeof(struct affinity_row),
};

/* The live pin map of vCPU c->vcpu into c->old_map, and c->new_map with
 * host CPU c->cpu enabled or disabled; 0 if that leaves it no CPU, -1 if
 * it cannot be read. */
static int pin_maps(virDomainPtr dom, struct vmm_writable_change *c, bool enable)
{
    int maxv = virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
    int len = VIR_CPU_MAPLEN(c->host_cpus), any = 0;
    unsigned char *all;

    if (maxv <= 0 || c->vcpu >= (unsigned)maxv || !(all = calloc((size_t)maxv, (size_t)len)))
        return -1;
    if (virDomainGetVcpuPinInfo(dom, maxv, all, len, VIR_DOMAIN_AFFECT_CURRENT) < 0) {
        free(all);
        return -1;
    }
    free(c->old_map);
    free(c->new_map);
    c->old_map = malloc((size_t)len);
    c->new_map = malloc((size_t)len);
    if (c->old_map && c->new_map) {
        memcpy(c->old_map, all + (size_t)c->vcpu * (size_t)len, (size_t)len);
        memcpy(c->new_map, c->old_map, (size_t)len);
        if (enable)
            VIR_USE_CPU(c->new_map, c->cpu);
        else
            VIR_UNUSE_CPU(c->new_map, c->cpu);
        for (int i = 0; i < len; i++)
            any |= c->new_map[i];
    }
    free(all);
    c->map_len = len;
    return !c->old_map || !c->new_map ? -1 : any ? 1 : 0;
}

/* snmpd's thread, RESERVE2: what the thread needs of the row. */
static void prepare(const void *row, struct vmm_writable_change *c, struct vmm_writable_result *r)
{
    const struct affinity_row *a = row;

    (void)r;
    memcpy(c->uuid, a->m->uuid, sizeof(c->uuid));
    c->vcpu = a->vcpu;
    c->cpu = a->cpu;
    c->host_cpus = a->conf->host_cpus;
}

static bool changes(int mode, const struct vmm_writable_change *c)
{
    (void)c;
    return mode == MODE_SET_ACTION;
}

static void step(virDomainPtr dom, int mode, struct vmm_writable_change *c,
                 struct vmm_writable_result *r)
{
    bool enable = c->requested == VMCPUAFFINITY_ENABLE;
    int rc;

    if (mode == MODE_SET_RESERVE2) {
        if (virDomainIsActive(dom) != 1)
            vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmCpuAffinity",
                           "the machine is not running (changes are live only)");
        else if ((rc = pin_maps(dom, c, enable)) < 0)
            vmm_writable_failed(r, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the pinning");
        else if (rc == 0)
            vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmCpuAffinity",
                           "a vCPU must keep at least one host CPU");
    } else if (mode == MODE_SET_ACTION) {
        /* again from the live map: earlier varbinds of this PDU may have
         * changed the same vCPU.  RESERVE2 checked that the machine runs, so
         * "current" is the live state (some drivers refuse the LIVE flag). */
        if (pin_maps(dom, c, enable) != 1 ||
            virDomainPinVcpuFlags(dom, c->vcpu, c->new_map, c->map_len,
                                  VIR_DOMAIN_AFFECT_CURRENT) < 0)
            vmm_writable_failed(r, SNMP_ERR_COMMITFAILED, "vmCpuAffinity");
        else
            c->done = true;
    } else if (mode == MODE_SET_UNDO &&
               virDomainPinVcpuFlags(dom, c->vcpu, c->old_map, c->map_len,
                                     VIR_DOMAIN_AFFECT_CURRENT) < 0) {
        vmm_writable_failed(r, SNMP_ERR_UNDOFAILED, "undoing vmCpuAffinity");
    }
}

static void committed(const struct vmm_writable_change *c, struct vmm_writable_result *r)
{
    (void)r;
    vmm_cache_definition_changed(c->uuid);      /* pinning is in the XML */
}

static const struct vmm_writable_ops ops = {
    .prepare = prepare, .changes = changes, .step = step, .committed = committed,
};

void vmm_vmCpuAffinityTable_set(int mode, netsnmp_agent_request_info *reqinfo,
                               netsnmp_request_info *req, const void *row, unsigned col)
{
    long v;

    (void)row;                      /* vmm_set reads the rows of all varbinds */
    (void)col;                      /* vmCpuAffinity, the one column that accepts a SET */
    if (mode != MODE_SET_RESERVE1)
        vmm_writable_phase(&ops, mode, reqinfo, req);
    else
        vmm_writable_check_integer(reqinfo, req, VMCPUAFFINITY_ENABLE, VMCPUAFFINITY_DISABLE, &v);
}

int vmm_vmCpuAffinityTable_fill(const struct vmm_snapshot *snap, const int *vm_index)
{
    size_t n = 0;

    for (size_t i = 0; i < snap->nmachines; i++)
        n += snap->machines[i].nvcpus * snap->host_cpus;
    if (vmm_container_reserve(&vmm_vmCpuAffinityTable, n) < 0)
        return -1;
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];

        for (size_t v = 0; vm_index[i] > 0 && v < m->nvcpus; v++) {
            for (unsigned cpu = 0; cpu < snap->host_cpus; cpu++) {
                oid idx[3] = { (oid)vm_index[i], (oid)m->vcpus[v].number + 1,
                               HR_DEVICE_PROCESSOR_BASE + cpu };
                struct affinity_row *row = vmm_container_add(&vmm_vmCpuAffinityTable, idx);

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
