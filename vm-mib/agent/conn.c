/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/conn.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/virterror.h>
#include <time.h>

#include "agent/worker.h"
#include "core/backoff.h"
#include "core/config.h"

#define KEEPALIVE_INTERVAL 3        /* seconds between probes */
#define KEEPALIVE_COUNT 3           /* unanswered probes before giving up */
#define MORE_EVENTS 2               /* vmm_conn_watch_also() registrations */

/* Domain events registered with the lifecycle callback. */
static struct more_event {
    int id;
    virConnectDomainEventGenericCallback cb;
} more[MORE_EVENTS];
static int nmore;

static struct {
    char uri[VMM_URI_MAX];
    bool writable;
    vmm_conn_listener *listener;
    virConnectPtr conn;
    unsigned retry_alarm;
    unsigned delay;                 /* seconds before the next attempt */
    bool in_outage;                 /* an outage line has been logged */
    bool call_failing;              /* a failed-call line has been logged */
    struct vmm_job *job;            /* an open in progress */
    struct vmm_hypervisor hv;       /* read with the connection */
    virConnectDomainEventGenericCallback lifecycle;
    unsigned gen;                   /* which connection a close callback is about */
    int callback;                   /* the lifecycle callback's id, -1: none */
    int more_ids[MORE_EVENTS];      /* those of the more[] callbacks, -1: none */
} c;

static void libvirt_error(void *opaque, virErrorPtr err)
{
    (void)opaque;
    DEBUGMSGTL(("vm_mib:libvirt", "%s\n", err && err->message ? err->message : "?"));
}

void vmm_conn_setup_errors(void)
{
    virSetErrorFunc(NULL, libvirt_error);
}

void vmm_conn_restore_errors(void)
{
    virSetErrorFunc(NULL, NULL);
}

static const char *last_error(void)
{
    const char *msg = virGetLastErrorMessage();

    return msg ? msg : "unknown error";
}

static void try_connect(unsigned reg, void *arg);

static void schedule_retry(unsigned seconds)
{
    if (c.retry_alarm)
        snmp_alarm_unregister(c.retry_alarm);
    c.retry_alarm = snmp_alarm_register(seconds, 0, try_connect, NULL);
}

static void on_close(virConnectPtr conn, int reason, void *opaque);

/* Closing talks to libvirtd, which may not answer: a thread does it.  The
 * collector may still hold references; the last one closes for real. */
struct closing {
    virConnectPtr conn;
    int callback;
    int more_ids[MORE_EVENTS];
};

/* A connection is opened once the one before it is closed (a reload drops
 * one and opens the next at once).  With the two overlapping, the new one
 * was seen to get no lifecycle event at all, about once in 80 reloads
 * under events; in order, once in about 1,300 (vm_mib(8), BEHAVIOUR UNDER
 * FAULTS).  A close that hangs (libvirtd frozen) holds an open back for at
 * most CLOSE_WAIT seconds. */
#define CLOSE_WAIT 5
static pthread_mutex_t closing_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t closing_done = PTHREAD_COND_INITIALIZER;
static unsigned closing;            /* closes under way */

static void closing_add(int n)
{
    pthread_mutex_lock(&closing_lock);
    closing += n;
    pthread_cond_broadcast(&closing_done);
    pthread_mutex_unlock(&closing_lock);
}

static void wait_for_closes(void)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += CLOSE_WAIT;
    pthread_mutex_lock(&closing_lock);
    while (closing && pthread_cond_timedwait(&closing_done, &closing_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&closing_lock);
}

/* The event callback holds a reference: deregister it, or the connection
 * is never freed. */
static void *close_work(void *arg)
{
    struct closing *cl = arg;

    if (cl->callback >= 0)
        virConnectDomainEventDeregisterAny(cl->conn, cl->callback);
    for (int i = 0; i < nmore; i++)
        if (cl->more_ids[i] >= 0)
            virConnectDomainEventDeregisterAny(cl->conn, cl->more_ids[i]);
    virConnectUnregisterCloseCallback(cl->conn, on_close);
    virConnectClose(cl->conn);
    free(cl);
    closing_add(-1);
    return NULL;
}

static void nothing(void *result, void *arg)
{
    (void)result; (void)arg;
}

static void drop_connection(void)
{
    struct closing *cl;

    if (!c.conn || !(cl = malloc(sizeof(*cl))))
        return;
    cl->conn = c.conn;
    cl->callback = c.callback;
    memcpy(cl->more_ids, c.more_ids, sizeof(cl->more_ids));
    closing_add(1);
    if (!vmm_worker_start(close_work, nothing, nothing, cl)) {
        snmp_log(LOG_ERR, "vm_mib: cannot start a thread to close the libvirt connection\n");
        closing_add(-1);
        free(cl);
        return;
    }
    c.conn = NULL;
    c.gen++;
    if (c.listener)
        c.listener(false);
}

static void lost(const char *why)
{
    if (!c.in_outage)
        snmp_log(LOG_WARNING, "vm_mib: lost libvirt connection to %s: %s; "
                 "reconnecting\n", c.uri, why);
    c.in_outage = true;
    drop_connection();
    c.delay = 0;
    schedule_retry(vmm_backoff_next(0));
}

static void *no_work(void *arg)
{
    return arg;
}

/* On snmpd's thread, for the connection the callback was about. */
static void closed(void *result, void *arg)
{
    (void)result;
    if (c.conn && (unsigned)(uintptr_t)arg == c.gen)
        lost("connection closed by libvirt");
}

/* libvirt calls this from inside its RPC code, in whichever thread noticed
 * (snmpd's or the collector's): only hand the news to snmpd's thread. */
static void on_close(virConnectPtr conn, int reason, void *opaque)
{
    (void)conn; (void)reason;
    /* no thread to be had: the next failed call notices */
    vmm_worker_start(no_work, closed, nothing, opaque);
}

static void connected(virConnectPtr conn, const struct vmm_hypervisor *hv, int callback,
                      const int *more_ids)
{
    c.conn = conn;
    c.callback = callback;
    memcpy(c.more_ids, more_ids, sizeof(c.more_ids));
    c.hv = *hv;
    c.delay = 0;
    snmp_log(c.in_outage ? LOG_NOTICE : LOG_INFO,
             "vm_mib: connected to libvirt at %s (%s)\n", c.uri,
             c.writable ? "read-write" : "read-only");
    c.in_outage = false;
    c.call_failing = false;
    if (c.listener)
        c.listener(true);
}

/* Opening blocks without bound on a daemon that accepts but does not
 * answer (stopped, deadlocked): it runs in a vmm_worker thread. */
struct open_request {
    char uri[VMM_URI_MAX];
    unsigned flags;
    unsigned gen;
    virConnectDomainEventGenericCallback lifecycle;
    int callback;
    int more_ids[MORE_EVENTS];
    virConnectPtr conn;
    struct vmm_hypervisor hv;
    char error[512];
};

/* Keepalive, the close callback and lifecycle events, set up in the
 * opening thread: asking libvirtd whether it supports them is a call.
 * A driver without events is served by the resync alone; events that
 * failed for another reason would be lost silently, so that connection is
 * given up and opened again (-1). */
static int watch(struct open_request *req)
{
    void *gen = (void *)(uintptr_t)req->gen;

    if (virConnectSetKeepAlive(req->conn, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT) < 0)
        snprintf(req->error, sizeof(req->error), "no keepalive: %s", last_error());
    virConnectRegisterCloseCallback(req->conn, on_close, gen, NULL);
    req->callback = req->lifecycle ? virConnectDomainEventRegisterAny(req->conn, NULL,
        VIR_DOMAIN_EVENT_ID_LIFECYCLE, req->lifecycle, NULL, NULL) : -1;
    /* without these the resync and the snapshots' job reads stand in */
    for (int i = 0; i < nmore; i++)
        req->more_ids[i] = req->callback >= 0 ? virConnectDomainEventRegisterAny(req->conn,
            NULL, more[i].id, more[i].cb, NULL, NULL) : -1;
    if (!req->lifecycle || req->callback >= 0)
        return 0;
    snprintf(req->error, sizeof(req->error), "no lifecycle events: %s", last_error());
    if (virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
        return 0;
    virConnectUnregisterCloseCallback(req->conn, on_close);
    return -1;
}

static void *open_work(void *arg)
{
    struct open_request *req = arg;

    wait_for_closes();
    req->conn = virConnectOpenAuth(req->uri, NULL, req->flags);
    if (!req->conn || vmm_snapshot_hypervisor_read(req->conn, &req->hv) < 0)
        /* libvirt's last error is per thread: keep it here */
        snprintf(req->error, sizeof(req->error), "%s", last_error());
    else if (watch(req) == 0)
        return req;
    if (req->conn)
        virConnectClose(req->conn);
    req->conn = NULL;
    return req;
}

static void open_discard(void *result, void *arg)
{
    struct open_request *req = arg;

    (void)result;
    if (req->conn)
        virConnectClose(req->conn);
    free(req);
}

static void open_done(void *result, void *arg)
{
    struct open_request *req = arg;

    (void)result;
    c.job = NULL;
    if (req->conn) {
        if (*req->error)
            DEBUGMSGTL(("vm_mib:conn", "%s: %s\n", c.uri, req->error));
        connected(req->conn, &req->hv, req->callback, req->more_ids);
        free(req);
        return;
    }
    c.delay = vmm_backoff_next(c.delay);
    if (!c.in_outage)
        snmp_log(LOG_WARNING, "vm_mib: cannot connect to libvirt at %s: %s; "
                 "retrying every %u-%u s\n", c.uri, req->error,
                 VMM_BACKOFF_FIRST, VMM_BACKOFF_MAX);
    else
        DEBUGMSGTL(("vm_mib:conn", "%s still unreachable, next try in %u s\n",
                    c.uri, c.delay));
    c.in_outage = true;
    free(req);
    schedule_retry(c.delay);
}

static void try_connect(unsigned reg, void *arg)
{
    struct open_request *req = calloc(1, sizeof(*req));

    (void)reg; (void)arg;
    c.retry_alarm = 0;
    if (!req) {
        schedule_retry(VMM_BACKOFF_MAX);
        return;
    }
    snprintf(req->uri, sizeof(req->uri), "%s", c.uri);
    req->flags = c.writable ? 0 : VIR_CONNECT_RO;
    req->gen = ++c.gen;
    req->lifecycle = c.lifecycle;
    c.job = vmm_worker_start(open_work, open_done, open_discard, req);
    if (!c.job) {
        snmp_log(LOG_ERR, "vm_mib: cannot start a thread to connect to %s\n", c.uri);
        free(req);
        schedule_retry(VMM_BACKOFF_MAX);
    }
}

void vmm_conn_watch_also(int event_id, virConnectDomainEventGenericCallback cb)
{
    int i = 0;

    while (i < nmore && more[i].id != event_id)
        i++;
    if (i == MORE_EVENTS)
        return;
    more[i].id = event_id;
    more[i].cb = cb;
    if (i == nmore)
        nmore++;
}

void vmm_conn_start(const char *uri, bool writable, vmm_conn_listener *listener,
                    virConnectDomainEventGenericCallback lifecycle)
{
    c.lifecycle = lifecycle;
    snprintf(c.uri, sizeof(c.uri), "%s", uri);
    c.writable = writable;
    c.listener = listener;
    c.delay = 0;
    c.in_outage = false;
    c.call_failing = false;
    try_connect(0, NULL);
}

void vmm_conn_stop(void)
{
    if (c.job)
        vmm_worker_abandon(c.job);
    c.job = NULL;
    if (c.retry_alarm)
        snmp_alarm_unregister(c.retry_alarm);
    c.retry_alarm = 0;
    c.listener = NULL;
    drop_connection();
}

virConnectPtr vmm_conn_get(void)
{
    return c.conn;
}

const struct vmm_hypervisor *vmm_conn_hypervisor(void)
{
    return &c.hv;
}

bool vmm_conn_opening(void)
{
    return c.job && !c.in_outage;
}

void vmm_conn_call_failed(const char *what, const char *why)
{
    if (!c.conn)
        return;
    if (virConnectIsAlive(c.conn) != 1) {
        lost(why);
        return;
    }
    if (!c.call_failing)
        snmp_log(LOG_WARNING, "vm_mib: %s failed on %s: %s\n", what, c.uri, why);
    c.call_failing = true;
}

void vmm_conn_call_ok(void)
{
    if (c.call_failing)
        snmp_log(LOG_NOTICE, "vm_mib: libvirt at %s answers again\n", c.uri);
    c.call_failing = false;
}
