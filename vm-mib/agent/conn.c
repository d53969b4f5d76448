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

/* Kept for the life of the process (the module is -z nodelete): a reload
 * keeps the connection. */
static struct {
    char uri[VMM_URI_MAX];
    bool writable;
    bool attached;                  /* a loaded module listens */
    vmm_conn_listener *listener;
    const struct vmm_conn_event *events;
    size_t nevents;
    virConnectPtr conn;
    unsigned retry_alarm;
    unsigned delay;                 /* seconds before the next attempt */
    bool in_outage;                 /* an outage line has been logged */
    bool call_failing;              /* a failed-call line has been logged */
    struct vmm_job *job;            /* an open in progress */
    struct vmm_hypervisor hv;       /* read with the connection */
    unsigned gen;                   /* which connection a close callback is about */
    unsigned version_gen;           /* the connection whose version was asked */
    int callbacks[VMM_CONN_EVENTS_MAX];     /* events' ids, -1: none */
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

/* Not while the module is unloaded: its next start tries at once. */
static void schedule_retry(unsigned seconds)
{
    if (c.retry_alarm)
        snmp_alarm_unregister(c.retry_alarm);
    c.retry_alarm = c.attached ? snmp_alarm_register(seconds, 0, try_connect, NULL) : 0;
}

static void tell(enum vmm_conn_news news)
{
    if (c.listener)
        c.listener(news);
}

static void on_close(virConnectPtr conn, int reason, void *opaque);

/* Closing talks to libvirtd, which may not answer: a thread does it.  The
 * collector may still hold references; the last one closes for real. */
struct closing {
    virConnectPtr conn;
    int callbacks[VMM_CONN_EVENTS_MAX];
};

/* A connection is opened once the one before it is closed (a changed URI
 * drops one and opens the next at once): with the two overlapping, the new
 * one was seen to get no event at all.  A close that hangs (libvirtd
 * frozen) holds an open back for at most CLOSE_WAIT seconds. */
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

/* Event callbacks hold references: deregister them, or the connection is
 * never freed. */
static void deregister_events(virConnectPtr conn, const int *callbacks)
{
    for (size_t i = 0; i < VMM_CONN_EVENTS_MAX; i++)
        if (callbacks[i] >= 0)
            virConnectDomainEventDeregisterAny(conn, callbacks[i]);
}

static void *close_work(void *arg)
{
    struct closing *cl = arg;

    deregister_events(cl->conn, cl->callbacks);
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
    memcpy(cl->callbacks, c.callbacks, sizeof(cl->callbacks));
    closing_add(1);
    if (!vmm_worker_start(close_work, nothing, nothing, cl)) {
        snmp_log(LOG_ERR, "vm_mib: cannot start a thread to close the libvirt connection\n");
        closing_add(-1);
        free(cl);
        return;
    }
    c.conn = NULL;
    c.gen++;
    tell(VMM_CONN_DOWN);
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

/* The version can take seconds (core/snapshot.h), and on QEMU other calls
 * (virConnectGetAllDomainStats) wait while it is asked: asked once per
 * connection, in a thread of its own, after the first picture. */
struct version_request {
    virConnectPtr conn;             /* a reference */
    unsigned gen;
    char version[sizeof(c.hv.version)];
};

static void *version_work(void *arg)
{
    struct version_request *req = arg;

    vmm_snapshot_hypervisor_version(req->conn, req->version, sizeof(req->version));
    virConnectClose(req->conn);
    return req;
}

static void version_discard(void *result, void *arg)
{
    (void)result;
    free(arg);
}

static void version_done(void *result, void *arg)
{
    struct version_request *req = arg;

    if (c.conn && req->gen == c.gen && *req->version) {
        memcpy(c.hv.version, req->version, sizeof(c.hv.version));
        DEBUGMSGTL(("vm_mib:conn", "%s: version %s\n", c.uri, c.hv.version));
        tell(VMM_CONN_VERSION);
    }
    version_discard(result, arg);
}

void vmm_conn_want_version(void)
{
    struct version_request *req;

    if (!c.conn || c.version_gen == c.gen || !(req = calloc(1, sizeof(*req))))
        return;
    c.version_gen = c.gen;
    if (virConnectRef(c.conn) < 0) {
        free(req);
        return;
    }
    req->conn = c.conn;
    req->gen = c.gen;
    if (!vmm_worker_start(version_work, version_done, version_discard, req)) {
        virConnectClose(req->conn);     /* not the last reference */
        free(req);
    }
}

static void connected(virConnectPtr conn, const struct vmm_hypervisor *hv, const int *callbacks)
{
    c.conn = conn;
    memcpy(c.callbacks, callbacks, sizeof(c.callbacks));
    c.hv = *hv;
    c.delay = 0;
    snmp_log(c.in_outage ? LOG_NOTICE : LOG_INFO,
             "vm_mib: connected to libvirt at %s (%s)\n", c.uri,
             c.writable ? "read-write" : "read-only");
    c.in_outage = false;
    c.call_failing = false;
    tell(VMM_CONN_UP);
}

/* Opening blocks without bound on a daemon that accepts but does not
 * answer (stopped, deadlocked): it runs in a vmm_worker thread. */
struct open_request {
    char uri[VMM_URI_MAX];
    unsigned flags;
    unsigned gen;
    const struct vmm_conn_event *events;
    size_t nevents;
    int callbacks[VMM_CONN_EVENTS_MAX];
    virConnectPtr conn;
    struct vmm_hypervisor hv;
    char error[512];
};

/* One event of the table; -1 when that connection must be given up. */
static int register_event(struct open_request *req, size_t i)
{
    const struct vmm_conn_event *ev = &req->events[i];

    req->callbacks[i] = virConnectDomainEventRegisterAny(req->conn, NULL, ev->id, ev->cb,
                                                         NULL, NULL);
    if (req->callbacks[i] >= 0)
        return 0;
    snprintf(req->error, sizeof(req->error), "no events of id %d: %s", ev->id, last_error());
    return ev->optional || virGetLastErrorCode() == VIR_ERR_NO_SUPPORT ? 0 : -1;
}

/* Keepalive, the close callback and the events, set up in the opening
 * thread: asking libvirtd whether it supports them is a call.  A driver
 * without events is served by the resync alone; events that failed for
 * another reason would be lost silently, so that connection is given up
 * and opened again (-1). */
static int watch(struct open_request *req)
{
    void *gen = (void *)(uintptr_t)req->gen;

    if (virConnectSetKeepAlive(req->conn, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT) < 0)
        snprintf(req->error, sizeof(req->error), "no keepalive: %s", last_error());
    virConnectRegisterCloseCallback(req->conn, on_close, gen, NULL);
    for (size_t i = 0; i < req->nevents; i++) {
        if (register_event(req, i) < 0) {
            deregister_events(req->conn, req->callbacks);
            virConnectUnregisterCloseCallback(req->conn, on_close);
            return -1;
        }
    }
    return 0;
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

/* An open abandoned (the URI changed meanwhile): may run in its thread. */
static void open_discard(void *result, void *arg)
{
    struct open_request *req = arg;

    (void)result;
    if (req->conn) {
        deregister_events(req->conn, req->callbacks);
        virConnectUnregisterCloseCallback(req->conn, on_close);
        virConnectClose(req->conn);
    }
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
        connected(req->conn, &req->hv, req->callbacks);
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
    req->events = c.events;
    req->nevents = c.nevents;
    for (size_t i = 0; i < VMM_CONN_EVENTS_MAX; i++)
        req->callbacks[i] = -1;
    c.job = vmm_worker_start(open_work, open_done, open_discard, req);
    if (!c.job) {
        snmp_log(LOG_ERR, "vm_mib: cannot start a thread to connect to %s\n", c.uri);
        free(req);
        schedule_retry(VMM_BACKOFF_MAX);
    }
}

void vmm_conn_attach(vmm_conn_listener *listener)
{
    c.listener = listener;
    c.attached = true;
}

/* The connection there is, opening or retrying (not: none yet). */
static bool have_connection(void)
{
    return c.conn || c.job || c.in_outage;
}

static enum vmm_conn_start change(const char *uri, bool writable)
{
    enum vmm_conn_start what = !have_connection() ? VMM_CONN_OPENING :
                               strcmp(uri, c.uri) ? VMM_CONN_OTHER_URI : VMM_CONN_OTHER_MODE;

    if (what != VMM_CONN_OPENING)
        snmp_log(LOG_INFO, "vm_mib: reconnecting: %s (%s) instead of %s (%s)\n", uri,
                 writable ? "read-write" : "read-only", c.uri,
                 c.writable ? "read-write" : "read-only");
    if (c.job)
        vmm_worker_abandon(c.job);
    c.job = NULL;
    drop_connection();
    snprintf(c.uri, sizeof(c.uri), "%s", uri);
    c.writable = writable;
    c.delay = 0;
    c.in_outage = false;
    c.call_failing = false;
    return what;
}

enum vmm_conn_start vmm_conn_start(const char *uri, bool writable,
                                   const struct vmm_conn_event *events, size_t n)
{
    enum vmm_conn_start what = VMM_CONN_KEPT;

    c.events = events;
    c.nevents = n < VMM_CONN_EVENTS_MAX ? n : VMM_CONN_EVENTS_MAX;
    if (!have_connection() || strcmp(uri, c.uri) || writable != c.writable)
        what = change(uri, writable);
    else
        DEBUGMSGTL(("vm_mib:conn", "%s: kept over the reload\n", c.uri));
    if (!c.conn && !c.job) {
        if (c.retry_alarm)
            snmp_alarm_unregister(c.retry_alarm);
        try_connect(0, NULL);
    }
    return what;
}

void vmm_conn_detach(void)
{
    if (c.retry_alarm)
        snmp_alarm_unregister(c.retry_alarm);
    c.retry_alarm = 0;
    c.attached = false;
    c.listener = NULL;
}

virConnectPtr vmm_conn_get(void)
{
    return c.attached ? c.conn : NULL;
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
