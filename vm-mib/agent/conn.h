/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/conn: the one libvirt connection of the module.
 *
 * Opened and closed in helper threads (vmm_worker.h), requested from
 * snmpd's main loop (never from init: snmpd has not dropped its privileges
 * yet and must not block before it binds its ports), read-only unless
 * writes are enabled, watched by keepalive and a close callback, and
 * reopened with back-off while libvirt is away.  One log line when an
 * outage starts and one when it ends, never one per request.  It outlives
 * a reload of the module (snmpd's SIGHUP) unless the URI or the mode
 * changed. */
#ifndef VMM_CONN_H
#define VMM_CONN_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "core/snapshot.h"

/* What the connection's owner hears (snmpd's thread). */
enum vmm_conn_news {
    VMM_CONN_UP,                    /* connected */
    VMM_CONN_DOWN,                  /* the connection is lost or dropped */
    VMM_CONN_VERSION,               /* vmm_conn_hypervisor()->version arrived */
};
typedef void vmm_conn_listener(enum vmm_conn_news news);

/* A domain event registered on every connection (VIR_DOMAIN_EVENT_ID_*).
 * libvirt calls cb on snmpd's thread (vmm_eventloop.h), also for a
 * connection already dropped: compare with vmm_conn_get(). */
struct vmm_conn_event {
    int id;
    virConnectDomainEventGenericCallback cb;
    bool optional;                  /* failing to register it is no reason to
                                     * give the connection up (the resync and
                                     * the pictures stand in) */
};
#define VMM_CONN_EVENTS_MAX 8

/* Route libvirt's error printer into snmpd's log (debug token vm_mib:libvirt). */
void vmm_conn_setup_errors(void);
void vmm_conn_restore_errors(void);

/* init: listener hears about the connection from now on, including one
 * kept from before a reload. */
void vmm_conn_attach(vmm_conn_listener *listener);

enum vmm_conn_start {
    VMM_CONN_KEPT,                  /* same URI and mode: nothing changes */
    VMM_CONN_OPENING,               /* the first connection of the process */
    VMM_CONN_OTHER_URI,             /* another hypervisor: what was known of
                                     * the old one does not describe it */
    VMM_CONN_OTHER_MODE,            /* the same one, read-write <-> read-only */
};

/* Connect; call from snmpd's main loop, never from init.  A connection
 * (open, opening or retrying) to the same uri in the same mode is kept as
 * it is, with its event registrations: a reload opens no gap in which
 * events are lost.  Otherwise it is closed and the new one opened; each
 * connection registers events[0..n) (static: they are registered again on
 * every reconnection, also after a reload). */
enum vmm_conn_start vmm_conn_start(const char *uri, bool writable,
                                   const struct vmm_conn_event *events, size_t n);

/* deinit: stop retrying and hearing; the connection stays open for the
 * next load of the module (snmpd's reload) and is closed at exit with the
 * process. */
void vmm_conn_detach(void);

/* NULL while libvirt is unreachable (or the module is not loaded):
 * callers answer without waiting. */
virConnectPtr vmm_conn_get(void);

/* The hypervisor of the current connection: its type read when it was
 * opened, its version "" until VMM_CONN_VERSION. */
const struct vmm_hypervisor *vmm_conn_hypervisor(void);

/* Ask the connection's version, once per connection: after its first
 * picture, which it would delay (it can take seconds on QEMU). */
void vmm_conn_want_version(void);

/* The first connection is being opened (not: retrying after an outage). */
bool vmm_conn_opening(void);

/* A libvirt call on the connection failed (why: libvirt's message, taken
 * in the thread that called): log it once, and start reconnecting if the
 * connection turns out to be dead. */
void vmm_conn_call_failed(const char *what, const char *why);

/* A libvirt call succeeded again after vmm_conn_call_failed(). */
void vmm_conn_call_ok(void);

#endif
