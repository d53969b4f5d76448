/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/conn: the one libvirt connection of the module.
 *
 * Opened and closed in helper threads (vmm_worker.h), requested from snmpd's main loop (never from init: snmpd has not dropped its
 * privileges yet and must not block before it binds its ports), read-only
 * unless writes are enabled, watched by keepalive and a close callback, and
 * reopened with back-off while libvirt is away.  One log line when an outage
 * starts and one when it ends, never one per request. */
#ifndef VMM_CONN_H
#define VMM_CONN_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "core/snapshot.h"

/* Called with true once connected, with false when the connection is lost. */
typedef void vmm_conn_listener(bool up);

/* Route libvirt's error printer into snmpd's log (debug token vm_mib:libvirt). */
void vmm_conn_setup_errors(void);
void vmm_conn_restore_errors(void);

/* Connect now; call from snmpd's main loop, never from init.  lifecycle
 * (NULL: none) is registered for domain lifecycle events on every
 * connection; libvirt calls it on snmpd's thread (vmm_eventloop.h), also
 * for a connection already dropped: compare with vmm_conn_get(). */
void vmm_conn_start(const char *uri, bool writable, vmm_conn_listener *listener,
                    virConnectDomainEventGenericCallback lifecycle);
void vmm_conn_stop(void);

/* Another domain event (VIR_DOMAIN_EVENT_ID_*) to register with the
 * lifecycle callback on every connection from the next one on, called on
 * snmpd's thread likewise; a second call for the same event replaces it. */
void vmm_conn_watch_also(int event_id, virConnectDomainEventGenericCallback cb);

/* NULL while libvirt is unreachable: callers answer without waiting. */
virConnectPtr vmm_conn_get(void);

/* The hypervisor of the current connection, read when it was opened. */
const struct vmm_hypervisor *vmm_conn_hypervisor(void);

/* The first connection is being opened (not: retrying after an outage). */
bool vmm_conn_opening(void);

/* A libvirt call on the connection failed (why: libvirt's message, taken
 * in the thread that called): log it once, and start reconnecting if the
 * connection turns out to be dead. */
void vmm_conn_call_failed(const char *what, const char *why);

/* A libvirt call succeeded again after vmm_conn_call_failed(). */
void vmm_conn_call_ok(void);

#endif
