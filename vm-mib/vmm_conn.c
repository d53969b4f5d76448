#include "vmm_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/virterror.h>

#include "vmm_backoff.h"
#include "vmm_config.h"
#include "vmm_worker.h"

#define KEEPALIVE_INTERVAL 3        /* seconds between probes */
#define KEEPALIVE_COUNT 3           /* unanswered probes before giving up */

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

static void drop_connection(void)
{
    if (!c.conn)
        return;
    if (c.listener)                 /* still connected: listeners deregister */
        c.listener(false);
    virConnectUnregisterCloseCallback(c.conn, on_close);
    virConnectClose(c.conn);
    c.conn = NULL;
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

/* libvirt calls this from inside its RPC code: only defer the work. */
static void on_close_deferred(unsigned reg, void *arg)
{
    (void)reg; (void)arg;
    c.retry_alarm = 0;
    lost("connection closed by libvirt");
}

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
    (void)conn; (void)opaque;
    DEBUGMSGTL(("vm_mib:conn", "close callback, reason %d\n", reason));
    if (c.retry_alarm)
        snmp_alarm_unregister(c.retry_alarm);
    c.retry_alarm = snmp_alarm_register(0, 0, on_close_deferred, NULL);
}

static void connected(virConnectPtr conn, const struct vmm_hypervisor *hv)
{
    c.conn = conn;
    c.hv = *hv;
    c.delay = 0;
    if (virConnectSetKeepAlive(conn, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT) < 0)
        DEBUGMSGTL(("vm_mib:conn", "no keepalive on %s: %s\n", c.uri, last_error()));
    if (virConnectRegisterCloseCallback(conn, on_close, NULL, NULL) < 0)
        DEBUGMSGTL(("vm_mib:conn", "no close callback on %s: %s\n", c.uri, last_error()));
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
    virConnectPtr conn;
    struct vmm_hypervisor hv;
    char error[512];
};

static void *open_work(void *arg)
{
    struct open_request *req = arg;

    req->conn = virConnectOpenAuth(req->uri, NULL, req->flags);
    if (req->conn && vmm_hypervisor_read(req->conn, &req->hv) == 0)
        return req;
    /* libvirt's last error is per thread: keep it here */
    snprintf(req->error, sizeof(req->error), "%s", last_error());
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
        connected(req->conn, &req->hv);
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
    c.job = vmm_worker_start(open_work, open_done, open_discard, req);
    if (!c.job) {
        snmp_log(LOG_ERR, "vm_mib: cannot start a thread to connect to %s\n", c.uri);
        free(req);
        schedule_retry(VMM_BACKOFF_MAX);
    }
}

void vmm_conn_start(const char *uri, bool writable, vmm_conn_listener *listener)
{
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

void vmm_conn_call_failed(const char *what)
{
    char why[512];

    if (!c.conn)
        return;
    /* Every libvirt call resets the error: keep it before asking more. */
    snprintf(why, sizeof(why), "%s", last_error());
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
