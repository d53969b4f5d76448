/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmTable_set: SET of vmTable's draft-05 writable columns (vmMibWritable
 * yes): vmAdminState, vmCurCpuNumber, vmCurMem.  vmMaxMem and the minimum /
 * maximum columns, writable in draft-05, are read-only here as in RFC 7666
 * (notWritable): libvirt cannot change them live.  Changes
 * are live only, never written into the domain definition.  The libvirt
 * work runs in worker threads (vmm_set); these functions see copies only. */
#include "mib/tables.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "agent/cache.h"
#include "agent/conn.h"
#include "agent/worker.h"
#include "agent/writable.h"
#include "core/control.h"
#include "mib/mib2c/vmTable_columns.h"

struct slow_job {
    virConnectPtr conn;             /* our reference, released in the thread */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int action, rc;
    char name[256], error[256];
};

static void *slow_work(void *arg)
{
    struct slow_job *j = arg;
    virDomainPtr dom = virDomainLookupByUUID(j->conn, j->uuid);
    const char *msg;

    j->rc = dom ? vmm_control_run(dom, j->action) : -1;
    if (j->rc < 0 && (msg = virGetLastErrorMessage()))
        snprintf(j->error, sizeof(j->error), "%s", msg);
    snprintf(j->name, sizeof(j->name), "%s", dom ? virDomainGetName(dom) : "a machine");
    if (dom)
        virDomainFree(dom);
    virConnectClose(j->conn);
    return j;
}

static void slow_discard(void *result, void *arg)
{
    (void)result;
    free(arg);
}

static void slow_done(void *result, void *arg)
{
    struct slow_job *j = arg;

    if (j->rc < 0)
        snmp_log(LOG_WARNING, "vm_mib: %s of %s failed: %s\n", vmm_control_action_name(j->action),
                 j->name, j->error);
    vmm_cache_invalidate();
    slow_discard(result, arg);
}

/* Start, destroy, managed save and restore can take seconds: started at
 * COMMIT, finished in a worker thread; the SET succeeds once the request is
 * on its way, and a failure is logged. */
static int run_slow(const struct vmm_writable_change *c)
{
    struct slow_job *j = calloc(1, sizeof(*j));

    if (!j || !(j->conn = vmm_conn_get())) {
        free(j);
        return -1;
    }
    virConnectRef(j->conn);         /* no I/O; the thread releases it */
    memcpy(j->uuid, c->uuid, sizeof(j->uuid));
    j->action = c->action;
    if (!vmm_worker_start(slow_work, slow_done, slow_discard, j)) {
        virConnectClose(j->conn);   /* only ours: vmm_conn holds the connection */
        free(j);
        return -1;
    }
    return 0;
}

static void admin_check(virDomainPtr dom, struct vmm_writable_change *c,
                        struct vmm_writable_result *r)
{
    int state, reason;
    const char *why;

    if (virDomainGetState(dom, &state, &reason, 0) < 0) {
        vmm_writable_failed(r, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the state");
        return;
    }
    c->action = vmm_control_plan((int)c->requested, state,
                                 virDomainHasManagedSaveImage(dom, 0) == 1,
                                 virDomainIsPersistent(dom) == 1, &why);
    if (c->action < 0)
        vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmAdminState", why);
}

static void vcpus_check(virDomainPtr dom, struct vmm_writable_change *c,
                        struct vmm_writable_result *r)
{
    int max, cur;

    if (virDomainIsActive(dom) != 1) {
        vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmCurCpuNumber",
                       "the machine is not running (changes are live only)");
        return;
    }
    max = virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM);
    cur = virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE);
    if (max < 0 || cur < 0) {
        vmm_writable_failed(r, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the vCPUs");
        return;
    }
    if (c->requested > max) {
        vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmCurCpuNumber",
                       "more vCPUs than vmMaxCpuNumber");
        return;
    }
    c->old = (unsigned long long)cur;
    c->value = (unsigned long long)c->requested;
}

static void mem_check(virDomainPtr dom, struct vmm_writable_change *c,
                      struct vmm_writable_result *r)
{
    unsigned long long kib =
        (unsigned long long)c->requested * (unsigned long long)c->mem_unit / 1024;
    unsigned long max = virDomainGetMaxMemory(dom);
    virDomainInfo info;

    if (virDomainIsActive(dom) != 1) {
        vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmCurMem",
                       "the machine is not running (changes are live only)");
        return;
    }
    if (max == 0 || virDomainGetInfo(dom, &info) < 0) {
        vmm_writable_failed(r, SNMP_ERR_RESOURCEUNAVAILABLE, "reading the memory");
        return;
    }
    if (kib > max || kib == 0) {
        vmm_writable_refuse(r, SNMP_ERR_INCONSISTENTVALUE, "vmCurMem",
                       kib ? "more memory than vmMaxMem" : "libvirt cannot set no memory");
        return;
    }
    c->old = info.memory;
    c->value = kib;
}

static int set_live(virDomainPtr dom, unsigned col, unsigned long long value)
{
    if (col == COLUMN_VMCURCPUNUMBER)
        return virDomainSetVcpusFlags(dom, (unsigned)value, VIR_DOMAIN_AFFECT_LIVE);
    return virDomainSetMemoryFlags(dom, (unsigned long)value, VIR_DOMAIN_AFFECT_LIVE);
}

static void reserve1(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     unsigned col)
{
    long v;

    switch (col) {
    case COLUMN_VMADMINSTATE:
        vmm_writable_check_integer(reqinfo, req, VMM_ADMIN_RUNNING, VMM_ADMIN_DESTROY, &v);
        break;
    case COLUMN_VMCURCPUNUMBER:
        vmm_writable_check_integer(reqinfo, req, 1, INT32_MAX, &v);
        break;
    default:                        /* vmCurMem: vmm_vmTable.set_columns has no other */
        vmm_writable_check_integer(reqinfo, req, 0, INT32_MAX, &v);
    }
}

/* snmpd's thread, RESERVE2. */
static void prepare(const void *row, struct vmm_writable_change *c, struct vmm_writable_result *r)
{
    const struct vmm_machine *m = vmm_vmTable_row_machine(row);

    (void)r;
    memcpy(c->uuid, m->uuid, sizeof(c->uuid));
    c->mem_unit = vmm_vmTable_mem_unit(m);
}

/* Suspend and resume are made in ACTION; the other state changes in COMMIT,
 * in the job unless slow (committed() starts those). */
static bool changes(int mode, const struct vmm_writable_change *c)
{
    if (c->col != COLUMN_VMADMINSTATE)
        return mode == MODE_SET_ACTION;
    if (mode == MODE_SET_ACTION)
        return vmm_control_reversible(c->action);
    return !vmm_control_reversible(c->action) && c->action != VMM_ACT_NONE &&
           !vmm_control_slow(c->action);
}

static void step(virDomainPtr dom, int mode, struct vmm_writable_change *c,
                 struct vmm_writable_result *r)
{
    bool admin = c->col == COLUMN_VMADMINSTATE;

    switch (mode) {
    case MODE_SET_RESERVE2:
        if (admin)
            admin_check(dom, c, r);
        else if (c->col == COLUMN_VMCURCPUNUMBER)
            vcpus_check(dom, c, r);
        else
            mem_check(dom, c, r);
        break;
    case MODE_SET_ACTION:
        if ((admin ? vmm_control_run(dom, c->action) : set_live(dom, c->col, c->value)) < 0)
            vmm_writable_failed(r, SNMP_ERR_COMMITFAILED, "SET");
        else
            c->done = true;
        break;
    case MODE_SET_UNDO:
        if ((admin ? vmm_control_undo(dom, c->action) : set_live(dom, c->col, c->old)) < 0)
            vmm_writable_failed(r, SNMP_ERR_UNDOFAILED, "undoing a SET");
        break;
    case MODE_SET_COMMIT:
        if (vmm_control_run(dom, c->action) < 0)
            vmm_writable_failed(r, SNMP_ERR_COMMITFAILED, vmm_control_action_name(c->action));
        break;
    }
}

static void committed(const struct vmm_writable_change *c, struct vmm_writable_result *r)
{
    if (c->col == COLUMN_VMADMINSTATE && vmm_control_slow(c->action) && !r->error &&
        run_slow(c) < 0)
        vmm_writable_failed_with(r, SNMP_ERR_COMMITFAILED, vmm_control_action_name(c->action),
                            "no worker thread could be started");
    vmm_cache_invalidate();
}

static const struct vmm_writable_ops ops = {
    .prepare = prepare, .changes = changes, .step = step, .committed = committed,
};

void vmm_vmTable_set(int mode, netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                  const void *row, unsigned col)
{
    (void)row;                      /* vmm_set reads the rows of all varbinds */
    if (mode != MODE_SET_RESERVE1)
        vmm_writable_phase(&ops, mode, reqinfo, req);
    else
        reserve1(reqinfo, req, col);
}
