/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/writable.h"

#include <stdio.h>
#include <stdlib.h>
#include <libvirt/virterror.h>

#include "agent/conn.h"
#include "agent/setjob.h"

#define CHANGE_KEY "vm_mib:change"

/* What a request keeps between phases.  While a phase runs, its job owns
 * the change and c is NULL; a varbind whose phase failed, or whose job was
 * abandoned, has nothing left to undo. */
struct held {
    struct vmm_writable_change *c;
};

struct item {
    struct vmm_writable_change *c;
    struct vmm_writable_result r;
};

/* One phase of one table's varbinds, as the worker thread sees it. */
struct job {
    const struct vmm_writable_ops *ops;
    int mode;
    virConnectPtr conn;             /* our reference, released in the thread */
    size_t n;
    struct item items[];
};

bool vmm_writable_check_integer(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     long lo, long hi, long *value)
{
    int rc = netsnmp_check_vb_int_range(req->requestvb, lo, hi);

    if (rc != SNMP_ERR_NOERROR) {
        netsnmp_set_request_error(reqinfo, req, rc);
        return false;
    }
    *value = *req->requestvb->val.integer;
    return true;
}

void vmm_writable_refuse(struct vmm_writable_result *r, int error, const char *what,
                         const char *why)
{
    r->error = error;
    r->what = what;
    r->why = why;
}

void vmm_writable_failed_with(struct vmm_writable_result *r, int error, const char *what,
                         const char *message)
{
    r->error = error;
    r->what = what;
    r->why = NULL;
    snprintf(r->message, sizeof(r->message), "%s", message);
}

void vmm_writable_failed(struct vmm_writable_result *r, int error, const char *what)
{
    const char *msg = virGetLastErrorMessage();

    vmm_writable_failed_with(r, error, what, msg ? msg : "unknown error");
}

static void free_change(struct vmm_writable_change *c)
{
    if (c) {
        free(c->old_map);
        free(c->new_map);
        free(c);
    }
}

static void free_held(void *p)
{
    struct held *h = p;

    free_change(h->c);
    free(h);
}

static struct held *held_of(netsnmp_request_info *req)
{
    return netsnmp_request_get_list_data(req, CHANGE_KEY);
}

static void free_job(void *result, void *arg)
{
    struct job *j = arg;

    (void)result;
    for (size_t i = 0; i < j->n; i++)
        free_change(j->items[i].c);
    if (j->conn)                    /* never ran: drop our reference (no I/O) */
        virConnectClose(j->conn);
    free(j);
}

/* Whether item it needs libvirt in this phase. */
static bool needs_libvirt(const struct job *j, const struct item *it)
{
    if (it->r.error)
        return false;
    if (j->mode == MODE_SET_RESERVE2)
        return true;
    if (j->mode == MODE_SET_UNDO)
        return it->c->done;
    return j->ops->changes(j->mode, it->c);
}

static bool any_needs_libvirt(const struct job *j)
{
    for (size_t i = 0; i < j->n; i++)
        if (needs_libvirt(j, &j->items[i]))
            return true;
    return false;
}

static const char *phase_what(int mode)
{
    return mode == MODE_SET_UNDO ? "undoing a SET" : "SET";
}

/* The machines of this phase cannot be reached: the phase's error. */
static void unreachable(int mode, struct vmm_writable_result *r, const char *why)
{
    if (mode == MODE_SET_RESERVE2)
        vmm_writable_refuse(r, SNMP_ERR_RESOURCEUNAVAILABLE, "SET", why);
    else
        vmm_writable_failed_with(r, vmm_setjob_phase_error(mode), phase_what(mode), why);
}

/* In the worker thread: every varbind in PDU order (also for UNDO: a vCPU
 * count is restored before the pinning of the vCPUs it brings back), each
 * on its live domain, looked up again by UUID as no libvirt object
 * outlives a phase. */
static void *work(void *arg)
{
    struct job *j = arg;

    for (size_t i = 0; i < j->n; i++) {
        struct item *it = &j->items[i];
        virDomainPtr dom;

        if (!needs_libvirt(j, it))
            continue;
        if (!(dom = virDomainLookupByUUID(j->conn, it->c->uuid))) {
            if (j->mode == MODE_SET_RESERVE2)
                vmm_writable_refuse(&it->r, SNMP_ERR_INCONSISTENTVALUE, "SET",
                               "the machine no longer exists");
            else
                vmm_writable_failed(&it->r, vmm_setjob_phase_error(j->mode), phase_what(j->mode));
            continue;
        }
        j->ops->step(dom, j->mode, it->c, &it->r);
        virDomainFree(dom);
    }
    virConnectClose(j->conn);
    j->conn = NULL;
    return j;
}

static void report(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                   const struct vmm_writable_result *r)
{
    if (r->why)
        snmp_log(LOG_INFO, "vm_mib: %s refused: %s\n", r->what, r->why);
    else
        snmp_log(LOG_WARNING, "vm_mib: %s failed: %s\n", r->what, r->message);
    netsnmp_set_request_error(reqinfo, req, r->error);
}

/* snmpd's thread: each varbind's result, and its change back on the request. */
static void apply(void *arg, netsnmp_agent_request_info *reqinfo,
                  netsnmp_request_info **reqs, size_t n)
{
    struct job *j = arg;

    for (size_t i = 0; i < n; i++) {
        struct item *it = &j->items[i];

        if (j->mode == MODE_SET_COMMIT)
            j->ops->committed(it->c, &it->r);
        if (it->r.error) {
            report(reqinfo, reqs[i], &it->r);
        } else {
            held_of(reqs[i])->c = it->c;
            it->c = NULL;
        }
    }
}

/* RESERVE2: a new change from the row, kept on the request from now on. */
static struct vmm_writable_change *begin(const struct vmm_writable_ops *ops,
                                         netsnmp_request_info *req,
                                struct vmm_writable_result *r)
{
    struct vmm_writable_change *c = calloc(1, sizeof(*c));
    struct held *h = calloc(1, sizeof(*h));
    netsnmp_data_list *node = NULL;

    if (!c || !h || !(node = netsnmp_create_data_list(CHANGE_KEY, h, free_held))) {
        free(c);
        free(h);
        vmm_writable_refuse(r, SNMP_ERR_RESOURCEUNAVAILABLE, "SET", "out of memory");
        return NULL;
    }
    netsnmp_request_add_list_data(req, node);
    c->col = netsnmp_extract_table_info(req)->colnum;
    c->requested = *req->requestvb->val.integer;
    ops->prepare(netsnmp_container_table_row_extract(req), c, r);
    return c;
}

/* Whether req belongs in this phase's job: not answered, not parked, and
 * (RESERVE2) in an existing row or (later) with a change to work on. */
static bool takes_part(int mode, netsnmp_request_info *req)
{
    const struct held *h;

    if (req->processed || req->delegated)
        return false;
    if (mode == MODE_SET_RESERVE2)
        return netsnmp_container_table_row_extract(req) && netsnmp_extract_table_info(req);
    return (h = held_of(req)) && h->c;
}

static struct job *new_job(const struct vmm_writable_ops *ops, int mode, netsnmp_request_info *req,
                           netsnmp_request_info ***reqs)
{
    size_t n = 0;
    struct job *j;

    for (netsnmp_request_info *r = req; r; r = r->next)
        n += takes_part(mode, r);
    j = calloc(1, sizeof(*j) + n * sizeof(j->items[0]));
    *reqs = calloc(n ? n : 1, sizeof(**reqs));
    if (!j || !*reqs) {
        free(j);
        free(*reqs);
        return NULL;
    }
    j->ops = ops;
    j->mode = mode;
    for (netsnmp_request_info *r = req; r; r = r->next) {
        struct item *it = &j->items[j->n];

        if (!takes_part(mode, r))
            continue;
        (*reqs)[j->n++] = r;
        if (mode == MODE_SET_RESERVE2) {
            it->c = begin(ops, r, &it->r);
        } else {
            it->c = held_of(r)->c;      /* the job's while it runs */
            held_of(r)->c = NULL;
        }
    }
    return j;
}

/* Answer at once: nothing needs libvirt, or libvirt cannot be asked. */
static void answer_now(struct job *j, netsnmp_agent_request_info *reqinfo,
                       netsnmp_request_info **reqs, const char *why)
{
    for (size_t i = 0; why && i < j->n; i++)
        if (needs_libvirt(j, &j->items[i]))
            unreachable(j->mode, &j->items[i].r, why);
    apply(j, reqinfo, reqs, j->n);
    free_job(NULL, j);
    free(reqs);
}

void vmm_writable_phase(const struct vmm_writable_ops *ops, int mode,
                   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req)
{
    netsnmp_request_info **reqs;
    struct job *j;

    if (mode == MODE_SET_FREE || req->delegated)    /* FREE: the requests free the changes */
        return;
    if (!(j = new_job(ops, mode, req, &reqs))) {
        netsnmp_set_request_error(reqinfo, req, vmm_setjob_phase_error(mode));
        return;
    }
    if (!any_needs_libvirt(j)) {
        answer_now(j, reqinfo, reqs, NULL);
        return;
    }
    if (!(j->conn = vmm_conn_get())) {
        answer_now(j, reqinfo, reqs, "libvirt is not connected");
        return;
    }
    /* Takes a reference (no I/O) on snmpd's thread; the thread releases it. */
    virConnectRef(j->conn);
    if (!vmm_setjob_park(reqinfo, reqs, j->n, work, apply, free_job, j))
        answer_now(j, reqinfo, reqs, "no worker thread could be started");
}
