/* vm_table_set: SET of vmTable's draft-05 writable columns (vmMibWritable
 * yes): vmAdminState, vmCurCpuNumber, vmCurMem; vmMaxMem and the minimum /
 * maximum columns are refused, as libvirt cannot change them live.  Changes
 * are live only, never written into the domain definition. */
#include "vm_tables.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "mib2c/vmTable_columns.h"
#include "vmm_cache.h"
#include "vmm_control.h"
#include "vmm_set.h"
#include "vmm_worker.h"

struct slow_job {
    virDomainPtr dom;
    int action, rc;
    char error[256];
};

static void *slow_work(void *arg)
{
    struct slow_job *j = arg;
    const char *msg;

    j->rc = vmm_control_run(j->dom, j->action);
    if (j->rc < 0 && (msg = virGetLastErrorMessage()))
        snprintf(j->error, sizeof(j->error), "%s", msg);
    return j;
}

static void slow_discard(void *result, void *arg)
{
    struct slow_job *j = arg;

    (void)result;
    virDomainFree(j->dom);
    free(j);
}

static void slow_done(void *result, void *arg)
{
    struct slow_job *j = arg;

    if (j->rc < 0)
        snmp_log(LOG_WARNING, "vm_mib: %s of %s failed: %s\n", vmm_action_name(j->action),
                 virDomainGetName(j->dom), j->error);
    vmm_cache_invalidate();
    slow_discard(result, arg);
}

/* Start, destroy, managed save and restore can take seconds: started here,
 * finished in a worker thread; the SET succeeds once the request is on its
 * way, and a failure is logged. */
static int run_slow(virDomainPtr dom, int action)
{
    struct slow_job *j = calloc(1, sizeof(*j));

    if (!j || virDomainRef(dom) < 0) {
        free(j);
        return -1;
    }
    j->dom = dom;
    j->action = action;
    if (!vmm_worker_start(slow_work, slow_done, slow_discard, j)) {
        slow_discard(NULL, j);
        return -1;
    }
    return 0;
}

static void admin_reserve2(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                           struct vmm_undo *u, long target)
{
    int state, reason;
    const char *why;

    if (virDomainGetState(u->dom, &state, &reason, 0) < 0) {
        vmm_set_failed(reqinfo, req, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the state");
        return;
    }
    u->action = vmm_control_plan((int)target, state,
                                 virDomainHasManagedSaveImage(u->dom, 0) == 1,
                                 virDomainIsPersistent(u->dom) == 1, &why);
    if (u->action < 0)
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmAdminState", why);
}

static void vcpus_reserve2(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                           struct vmm_undo *u, long n)
{
    int max, cur;

    if (virDomainIsActive(u->dom) != 1) {
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmCurCpuNumber",
                       "the machine is not running (changes are live only)");
        return;
    }
    max = virDomainGetVcpusFlags(u->dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
    cur = virDomainGetVcpusFlags(u->dom, VIR_DOMAIN_AFFECT_LIVE);
    if (max < 0 || cur < 0) {
        vmm_set_failed(reqinfo, req, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the vCPUs");
        return;
    }
    if (n > max) {
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmCurCpuNumber",
                       "more vCPUs than vmMaxCpuNumber");
        return;
    }
    u->old = (unsigned long long)cur;
    u->value = (unsigned long long)n;
}

static void mem_reserve2(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                         struct vmm_undo *u, const struct vmm_machine *m, long v)
{
    unsigned long long kib = (unsigned long long)v * (unsigned long long)vm_table_mem_unit(m) / 1024;
    unsigned long max = virDomainGetMaxMemory(u->dom);
    virDomainInfo info;

    if (virDomainIsActive(u->dom) != 1) {
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmCurMem",
                       "the machine is not running (changes are live only)");
        return;
    }
    if (max == 0 || virDomainGetInfo(u->dom, &info) < 0) {
        vmm_set_failed(reqinfo, req, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the memory");
        return;
    }
    if (kib > max || kib == 0) {
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "vmCurMem",
                       kib ? "more memory than vmMaxMem" : "libvirt cannot set no memory");
        return;
    }
    u->old = info.memory;
    u->value = kib;
}

static int set_live(struct vmm_undo *u, unsigned col, unsigned long long value)
{
    if (col == COLUMN_VMCURCPUNUMBER)
        return virDomainSetVcpusFlags(u->dom, (unsigned)value, VIR_DOMAIN_AFFECT_LIVE);
    return virDomainSetMemoryFlags(u->dom, (unsigned long)value, VIR_DOMAIN_AFFECT_LIVE);
}

static void reserve1(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     unsigned col)
{
    long v;

    switch (col) {
    case COLUMN_VMADMINSTATE:
        vmm_set_check_integer(reqinfo, req, VMM_ADMIN_RUNNING, VMM_ADMIN_DESTROY, &v);
        break;
    case COLUMN_VMCURCPUNUMBER:
        vmm_set_check_integer(reqinfo, req, 1, INT32_MAX, &v);
        break;
    case COLUMN_VMCURMEM:
        vmm_set_check_integer(reqinfo, req, 0, INT32_MAX, &v);
        break;
    case COLUMN_VMMINCPUNUMBER: case COLUMN_VMMAXCPUNUMBER:
    case COLUMN_VMMINMEM: case COLUMN_VMMAXMEM:
        vmm_set_check_integer(reqinfo, req, -1, INT32_MAX, &v);
        break;
    default:
        netsnmp_set_request_error(reqinfo, req, SNMP_ERR_NOTWRITABLE);
    }
}

static void reserve2(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     const struct vmm_machine *m, unsigned col)
{
    long v = *req->requestvb->val.integer;
    struct vmm_undo *u;

    if (col != COLUMN_VMADMINSTATE && col != COLUMN_VMCURCPUNUMBER && col != COLUMN_VMCURMEM) {
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "SET",
                       "libvirt cannot change vmMaxMem, vmMinMem, vmMinCpuNumber or "
                       "vmMaxCpuNumber of a machine live");
        return;
    }
    if (!(u = vmm_set_begin(reqinfo, req, m->uuid)))
        return;
    if (col == COLUMN_VMADMINSTATE)
        admin_reserve2(reqinfo, req, u, v);
    else if (col == COLUMN_VMCURCPUNUMBER)
        vcpus_reserve2(reqinfo, req, u, v);
    else
        mem_reserve2(reqinfo, req, u, m, v);
}

static void action(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                   struct vmm_undo *u, unsigned col)
{
    int rc = 0;

    if (col == COLUMN_VMADMINSTATE) {
        if (!vmm_control_reversible(u->action))
            return;
        rc = vmm_control_run(u->dom, u->action);
    } else {
        rc = set_live(u, col, u->value);
    }
    if (rc < 0)
        vmm_set_failed(reqinfo, req, SNMP_ERR_COMMITFAILED, "SET");
    else
        u->done = true;
}

static void undo(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                 struct vmm_undo *u, unsigned col)
{
    int rc;

    if (!u->done)
        return;
    rc = col == COLUMN_VMADMINSTATE ? vmm_control_undo(u->dom, u->action)
                                    : set_live(u, col, u->old);
    if (rc < 0)
        vmm_set_failed(reqinfo, req, SNMP_ERR_UNDOFAILED, "undoing a SET");
}

static void commit(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                   struct vmm_undo *u, unsigned col)
{
    int rc = 0;

    if (col == COLUMN_VMADMINSTATE && !vmm_control_reversible(u->action) &&
        u->action != VMM_ACT_NONE)
        rc = vmm_control_slow(u->action) ? run_slow(u->dom, u->action)
                                         : vmm_control_run(u->dom, u->action);
    if (rc < 0)
        vmm_set_failed(reqinfo, req, SNMP_ERR_COMMITFAILED, vmm_action_name(u->action));
    vmm_cache_invalidate();
}

void vm_table_set(int mode, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                  const void *row, unsigned col)
{
    const struct vmm_machine *m = vm_table_row_machine(row);
    struct vmm_undo *u;

    if (mode == MODE_SET_RESERVE1) {
        if (vmm_set_enabled(reqinfo, req))
            reserve1(reqinfo, req, col);
        return;
    }
    if (mode == MODE_SET_RESERVE2) {
        reserve2(reqinfo, req, m, col);
        return;
    }
    if (!(u = vmm_set_undo(req)))
        return;
    if (mode == MODE_SET_ACTION)
        action(reqinfo, req, u, col);
    else if (mode == MODE_SET_UNDO)
        undo(reqinfo, req, u, col);
    else if (mode == MODE_SET_COMMIT)
        commit(reqinfo, req, u, col);
}
