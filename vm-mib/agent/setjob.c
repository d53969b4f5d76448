/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/setjob.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>

#include "agent/park.h"
#include "core/clock.h"

/* One parked phase.  Fields the thread reads (work, discard, arg) never
 * change after the start; the rest belongs to snmpd's thread.  An abandoned
 * park is off the list and is freed by its discard, maybe in the thread. */
struct park {
    struct park *next;
    vmm_work_fn *work;
    vmm_done_fn *discard;
    void *arg;
    vmm_setjob_apply_fn *apply;
    netsnmp_delegated_cache *dc;    /* tells whether the PDU is still parked */
    netsnmp_request_info **reqs;
    size_t n;
    int mode, wait_ms;
    struct vmm_job *job;            /* NULL while an earlier park of its PDU runs */
    unsigned alarm;
};

static struct park *parked;         /* oldest first */
static int phase_wait_ms = 500;     /* vmMibRefreshWait */

int vmm_setjob_phase_error(int mode)
{
    if (mode == MODE_SET_RESERVE2)
        return SNMP_ERR_RESOURCEUNAVAILABLE;
    return mode == MODE_SET_UNDO ? SNMP_ERR_UNDOFAILED : SNMP_ERR_COMMITFAILED;
}

/* How long this phase may stay parked: at least 1 ms, so that even
 * "vmMibRefreshWait 0" hands the work to the thread and answers at once. */
static struct timeval time_left(netsnmp_agent_request_info *reqinfo, int mode, int wait_ms)
{
    uint64_t now = vmm_clock_now_ms();
    uint64_t start = mode == MODE_SET_RESERVE2 ? vmm_park_pdu_arrival(reqinfo) : now;
    long long ms = (long long)(start + (uint64_t)wait_ms) - (long long)now;
    struct timeval left;

    if (ms < 1)
        ms = 1;
    left.tv_sec = (time_t)(ms / 1000);
    left.tv_usec = (suseconds_t)(ms % 1000 * 1000);
    return left;
}

static void unlink_park(struct park *p)
{
    struct park **pp;

    for (pp = &parked; *pp && *pp != p; pp = &(*pp)->next)
        ;
    if (*pp)
        *pp = p->next;
    if (p->alarm)
        snmp_alarm_unregister(p->alarm);
    p->alarm = 0;
}

/* The snmpd side of a park; p itself goes with whoever frees arg. */
static void release(struct park *p)
{
    netsnmp_free_delegated_cache(p->dc);
    free(p->reqs);
    p->dc = NULL;
    p->reqs = NULL;
}

static void discard(void *result, void *arg);
static void start_ready(void);

/* Answer p's requests without its result, and abandon the job. */
static void give_up(struct park *p, const char *why)
{
    static const char *const texts[] = { "SET refused", "SET failed", "undoing a SET failed" };
    const char *text = texts[p->mode == MODE_SET_RESERVE2 ? 0 : p->mode == MODE_SET_UNDO ? 2 : 1];

    unlink_park(p);
    if (netsnmp_handler_check_cache(p->dc)) {
        snmp_log(LOG_WARNING, "vm_mib: %s: %s%s\n", text, why,
                 p->mode == MODE_SET_RESERVE2 ? "" : " (the change may still be made)");
        for (size_t i = 0; i < p->n; i++)
            netsnmp_set_request_error(p->dc->reqinfo, p->reqs[i], vmm_setjob_phase_error(p->mode));
    }
    release(p);
    if (p->job)
        vmm_worker_abandon(p->job); /* may free p at once */
    else
        discard(NULL, p);
}

static void timed_out(unsigned reg, void *arg)
{
    struct park *p = arg;
    char why[96];

    (void)reg;
    p->alarm = 0;                   /* a one-shot alarm is gone once it fired */
    snprintf(why, sizeof(why), "libvirt did not answer within %d ms", p->wait_ms);
    give_up(p, why);
    start_ready();
}

static void *run_work(void *arg)
{
    struct park *p = arg;

    return p->work(p->arg);
}

static void discard(void *result, void *arg)
{
    struct park *p = arg;

    p->discard(result, p->arg);
    free(p);
}

static void finished(void *result, void *arg)
{
    struct park *p = arg;

    unlink_park(p);
    if (netsnmp_handler_check_cache(p->dc)) {
        for (size_t i = 0; i < p->n; i++)
            p->reqs[i]->delegated = REQUEST_IS_NOT_DELEGATED;
        p->apply(p->arg, p->dc->reqinfo, p->reqs, p->n);
    }
    release(p);
    discard(result, p);
    start_ready();
}

/* Whether q is parked for the same PDU as p (SET PDUs are processed one at
 * a time, but a parked one's asp may be gone and its memory reused). */
static bool same_pdu(const struct park *p, const struct park *q)
{
    return q->dc->reqinfo == p->dc->reqinfo &&
           q->dc->transaction_id == p->dc->transaction_id;
}

/* snmpd calls every table's handler in a phase before it waits: one PDU's
 * jobs run one after the other, so that its varbinds reach libvirt in
 * order across tables too (a vCPU count before that vCPU's pinning). */
static bool earlier_of_pdu(const struct park *p)
{
    for (const struct park *q = parked; q && q != p; q = q->next)
        if (same_pdu(p, q))
            return true;
    return false;
}

static void start_ready(void)
{
    struct park *p;

again:
    for (p = parked; p; p = p->next) {
        if (p->job || earlier_of_pdu(p))
            continue;
        if (!(p->job = vmm_worker_start(run_work, finished, discard, p))) {
            give_up(p, "no worker thread could be started");
            goto again;
        }
    }
}

void vmm_setjob_set_wait(int ms)
{
    phase_wait_ms = ms;
}

/* deinit: answer every parked SET now and let snmpd go on with those PDUs
 * while our handlers are still registered.  An ACTION answered so may park
 * an UNDO: loop. */
void vmm_setjob_shutdown(void)
{
    while (parked) {
        while (parked)
            give_up(parked, "snmpd reloads its configuration");
        netsnmp_check_delegated_requests();
    }
}

bool vmm_setjob_park(netsnmp_agent_request_info *reqinfo, netsnmp_request_info **reqs,
                     size_t n, vmm_work_fn *work, vmm_setjob_apply_fn *apply,
                     vmm_done_fn *discard_fn, void *arg)
{
    struct park *p = malloc(sizeof(*p)), **tail;

    if (p)
        *p = (struct park){
            .work = work, .discard = discard_fn, .arg = arg, .apply = apply,
            .reqs = reqs, .n = n, .mode = reqinfo->mode, .wait_ms = phase_wait_ms,
            .dc = netsnmp_create_delegated_cache(NULL, NULL, reqinfo, NULL, NULL),
        };
    /* A failure to start now is told to the caller: inside the handler
     * the requests are not parked yet, give_up() could not answer them. */
    if (!p || !p->dc ||
        (!earlier_of_pdu(p) && !(p->job = vmm_worker_start(run_work, finished, discard, p)))) {
        if (p)
            netsnmp_free_delegated_cache(p->dc);
        free(p);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        reqs[i]->delegated = REQUEST_IS_DELEGATED;
    p->alarm = snmp_alarm_register_hr(time_left(reqinfo, p->mode, p->wait_ms), 0,
                                      timed_out, p);
    for (tail = &parked; *tail; tail = &(*tail)->next)
        ;
    *tail = p;
    return true;
}
