/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/park.h"

#include <stdlib.h>
#include <net-snmp/agent/bulk_to_next.h>

#include "core/clock.h"
#include "core/fresh.h"
#include "core/thread.h"

#define PDU_KEY "vm_mib:pdu"
#define GUARD_MS 10                 /* how often the wait bound is checked */

/* What the module decided for one PDU; lives in the PDU's request info. */
struct pdu {
    uint64_t arrival_ms;
    bool answer;                    /* decided: served from what is there */
};

struct parked {
    struct parked *next;
    netsnmp_delegated_cache *dc;
    int mode;                       /* the mode this handler was called in */
    struct pdu *pdu;
};

static struct {
    struct vmm_park_policy policy;
    int wait_ms;
    struct parked *head, **tail;
    unsigned guard;
    bool stopping;
} p = { .wait_ms = 500 };

void vmm_park_init(const struct vmm_park_policy *policy)
{
    p.policy = *policy;
    p.head = NULL;
    p.tail = &p.head;
    p.guard = 0;
    p.stopping = false;
}

void vmm_park_set_wait(int ms)
{
    p.wait_ms = ms;
}

static struct pdu *pdu_of(netsnmp_agent_request_info *reqinfo)
{
    struct pdu *d = netsnmp_agent_get_list_data(reqinfo, PDU_KEY);

    if (d || !(d = calloc(1, sizeof(*d))))
        return d;
    d->arrival_ms = vmm_clock_now_ms();
    netsnmp_agent_add_list_data(reqinfo, netsnmp_create_data_list(PDU_KEY, d, free));
    return d;
}

uint64_t vmm_park_pdu_arrival(netsnmp_agent_request_info *reqinfo)
{
    struct pdu *d = pdu_of(reqinfo);

    return d ? d->arrival_ms : vmm_clock_now_ms();
}

/* Before the call: handle_pdu() turned a GET's unanswered varbinds into
 * noSuchInstance when the first pass returned; the table helper expects
 * NULL again. */
static void reset_get(netsnmp_request_info *r)
{
    for (; r; r = r->next)
        if (!r->processed && r->requestvb->type == SNMP_NOSUCHINSTANCE)
            r->requestvb->type = ASN_NULL;
}

/* After the call, redo what the helpers above us did on the first pass,
 * which skipped our delegated requests: handle_pdu's noSuchInstance for a
 * GET, the instance helper's "next subtree" for an empty scalar, the table
 * helper's sparse-table pass for GETNEXT. */
static void fix_after(netsnmp_request_info *r, int mode, int pdu_mode)
{
    for (; r; r = r->next) {
        u_char *type = &r->requestvb->type;

        if (pdu_mode == MODE_GET) {
            if (*type == ASN_NULL)
                *type = SNMP_NOSUCHINSTANCE;
        } else if (mode == MODE_GET) {
            if (*type == SNMP_NOSUCHINSTANCE || *type == SNMP_NOSUCHOBJECT)
                *type = ASN_NULL;
        } else if (mode == MODE_GETNEXT) {
            if (*type == SNMP_ENDOFMIBVIEW || *type == SNMP_NOSUCHOBJECT)
                *type = ASN_NULL;
            else if (*type == SNMP_NOSUCHINSTANCE)
                *type = ASN_PRIV_RETRY;
        }
    }
}

/* The rest of the chain, unless nothing is known yet: the table helper
 * passes a walk's GETNEXT down (the scalar helper makes its own a GET),
 * and an empty table there would read as a host without machines. */
static int call_next(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
                     netsnmp_agent_request_info *ri, netsnmp_request_info *rq)
{
    if (ri->mode != MODE_GETNEXT || !p.policy.unknown())
        return netsnmp_call_next_handler(h, reg, ri, rq);
    DEBUGMSGTL(("vm_mib:park", "no picture yet: genErr\n"));
    for (; rq; rq = rq->next)
        netsnmp_set_request_error(ri, rq, SNMP_ERR_GENERR);
    return SNMP_ERR_NOERROR;
}

static void answer(struct parked *e)
{
    netsnmp_delegated_cache *dc = e->dc;
    netsnmp_agent_request_info *ri = dc->reqinfo;
    int pdu_mode = ri->mode;

    e->pdu->answer = true;
    netsnmp_handler_mark_requests_as_delegated(dc->requests, REQUEST_IS_NOT_DELEGATED);
    if (pdu_mode == MODE_GET)
        reset_get(dc->requests);
    ri->mode = e->mode;
    call_next(dc->handler, dc->reginfo, ri, dc->requests);
    ri->mode = pdu_mode;
    if (MODE_IS_GET(pdu_mode))
        fix_after(dc->requests, e->mode, pdu_mode);
    if (pdu_mode == MODE_GETBULK)
        netsnmp_bulk_to_next_fix_requests(dc->requests);
}

/* A manager's TCP session may have closed while we waited: snmpd freed it,
 * and answering would read it.  Never drop a SET: it holds the agent. */
static bool orphaned(const netsnmp_delegated_cache *dc)
{
    netsnmp_agent_session *asp = dc->reqinfo->asp;

    return asp->pdu->command != SNMP_MSG_SET && snmp_sess_pointer(asp->session) == NULL;
}

static void finish(struct parked *e)
{
    if (netsnmp_handler_check_cache(e->dc)) {
        if (orphaned(e->dc))
            netsnmp_remove_and_free_agent_snmp_session(e->dc->reqinfo->asp);
        else
            answer(e);
    }
    netsnmp_free_delegated_cache(e->dc);
    free(e);
}

static void guard_stop(void)
{
    if (p.guard)
        snmp_alarm_unregister(p.guard);
    p.guard = 0;
}

/* Detach the entries matching done() first: answering may park again. */
static unsigned release_if(bool (*done)(const struct parked *e, uint64_t arg), uint64_t arg)
{
    struct parked *list = p.head, *ready = NULL, **rt = &ready, *e;
    unsigned left = 0;

    p.head = NULL;
    p.tail = &p.head;
    while ((e = list)) {
        list = e->next;
        e->next = NULL;
        if (done(e, arg)) {
            *rt = e;
            rt = &e->next;
        } else {
            *p.tail = e;
            p.tail = &e->next;
            left++;
        }
    }
    if (!p.head)
        guard_stop();
    if (ready)
        DEBUGMSGTL(("vm_mib:park", "answering parked requests, %u still parked\n", left));
    while ((e = ready)) {
        ready = e->next;
        finish(e);
    }
    return left;
}

static bool read_after_arrival(const struct parked *e, uint64_t read_ms)
{
    return vmm_fresh_answers(read_ms, e->pdu->arrival_ms);
}

static bool waited_enough(const struct parked *e, uint64_t now)
{
    return vmm_fresh_waited(e->pdu->arrival_ms, now, p.wait_ms);
}

unsigned vmm_park_release(uint64_t read_ms)
{
    vmm_thread_assert_main(__func__);
    return release_if(read_after_arrival, read_ms);
}

static void guard(unsigned reg, void *arg)
{
    (void)reg; (void)arg;
    release_if(waited_enough, vmm_clock_now_ms());
}

static void park(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
                 netsnmp_agent_request_info *ri, netsnmp_request_info *rq, struct pdu *d)
{
    struct parked *e = calloc(1, sizeof(*e));
    struct timeval period = { 0, GUARD_MS * 1000 };

    if (!e) {
        d->answer = true;
        call_next(h, reg, ri, rq);
        return;
    }
    e->dc = netsnmp_create_delegated_cache(h, reg, ri, rq, NULL);
    e->mode = ri->mode;
    e->pdu = d;
    netsnmp_handler_mark_requests_as_delegated(rq, REQUEST_IS_DELEGATED);
    DEBUGMSGTL(("vm_mib:park", "parked a request (mode %d)\n", e->mode));
    *p.tail = e;
    p.tail = &e->next;
    if (!p.guard)
        p.guard = snmp_alarm_register_hr(period, SA_REPEAT, guard, NULL);
    p.policy.need_refresh();
}

static int park_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
                        netsnmp_agent_request_info *ri, netsnmp_request_info *rq)
{
    struct pdu *d = pdu_of(ri);
    bool parkable = MODE_IS_GET(ri->mode) || ri->mode == MODE_SET_RESERVE1;

    if (!d || d->answer || p.stopping || !parkable || p.wait_ms == 0 ||
        p.policy.ready(d->arrival_ms)) {
        if (d)
            d->answer = true;
        return call_next(h, reg, ri, rq);
    }
    park(h, reg, ri, rq, d);
    return SNMP_ERR_NOERROR;
}

netsnmp_mib_handler *vmm_park_handler(void)
{
    return netsnmp_create_handler("vm_mib:park", park_handler);
}

void vmm_park_shutdown(void)
{
    p.stopping = true;
    vmm_park_release(UINT64_MAX);
    netsnmp_check_delegated_requests();
}
