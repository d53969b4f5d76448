/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* vm_mib: the dlmod entry points.  Wiring only; each part lives in its own
 * file.  snmpd calls deinit + init on every SIGHUP, and the module is linked
 * -z nodelete, so init must not rely on static state from an earlier load and
 * deinit must undo everything init registered — except what is kept on
 * purpose for the life of the process: the collector thread and the picture
 * of libvirt (vmm_cache), the states announced (vmm_events), and the libvirt
 * connection with its event registrations (vmm_conn) unless the reload
 * changed vmMibUri or vmMibWritable.
 *
 * Threads: everything Net-SNMP (handlers, alarms, logging, notifications)
 * and libvirt's event dispatch run on snmpd's thread, which never calls
 * libvirt.  libvirt is called only by the collector thread (vmm_collector:
 * snapshots, reads after events), by SET jobs (vmm_setjob) and by the
 * threads that open and close the connection (vmm_conn, vmm_worker); their
 * results come back through pipes watched by snmpd's select loop. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/sysORTable.h>

#include "agent/cache.h"
#include "agent/conn.h"
#include "agent/eventloop.h"
#include "agent/events.h"
#include "agent/persist.h"
#include "agent/setjob.h"
#include "agent/sofile.h"
#include "agent/tokens.h"
#include "agent/writable.h"
#include "core/domxml.h"
#include "core/thread.h"
#include "mib/tables.h"
#include "mib/vmHypervisor.h"
#include "mib/vmMIB.h"
#include "mib/vmNotifications.h"

#define VMM_EXPORT __attribute__((visibility("default")))

void init_vm_mib(void) VMM_EXPORT;
void deinit_vm_mib(void) VMM_EXPORT;

/* configure --enable-thread-checks (core/thread.h) */
#ifndef VMM_THREAD_CHECKS_FATAL
#define VMM_THREAD_CHECKS_FATAL 0
#endif

static oid vmMIB_oid[] = { VMM_MIB_OID };
static unsigned start_alarm;
/* Loads refused because an instance already serves; each gets a deinit. */
static unsigned refused;

/* Also runs with defaults at init: a load through dlmodStatus replays no
 * configuration and fires no POST_READ_CONFIG. */
static void apply_config(void)
{
    const struct vmm_config *cfg = vmm_tokens_config();

    vmm_cache_configure(cfg->cache_timeout, cfg->refresh_wait_ms, cfg->stale_grace);
    vmm_setjob_set_wait(cfg->refresh_wait_ms);
    vmm_vmNotifications_set_window(cfg->bulk_window_ms);
    vmm_vmHypervisor_set_notifications(cfg->pervm_notifications, cfg->bulk_notifications);
    DEBUGMSGTL(("vm_mib:config", "uri %s, cache %d s, wait %d ms, grace %d s, %s, per-VM %d, "
                "bulk %d/%d ms\n", cfg->uri, cfg->cache_timeout, cfg->refresh_wait_ms,
                cfg->stale_grace,
                cfg->writable ? "writable" : "read-only", cfg->pervm_notifications,
                cfg->bulk_notifications, cfg->bulk_window_ms));
}

static void fill_tables(const struct vmm_snapshot *snap)
{
    if (vmm_tables_fill(snap, vmm_persist_registry()) < 0)
        snmp_log(LOG_ERR, "vm_mib: out of memory filling the VM-MIB tables\n");
    vmm_persist_changed();
}

static const struct vmm_cache_listener cache_listener = {
    fill_tables, vmm_tables_clear, vmm_events_apply, vmm_events_resync,
};

/* The control extension off: nothing in the tables is writable.  On, with
 * libvirt unreachable, the emptied tables would answer a SET noCreation;
 * resourceUnavailable is the truth. */
static int set_refusal(void)
{
    if (!vmm_tokens_config()->writable)
        return SNMP_ERR_NOTWRITABLE;
    return vmm_conn_get() ? SNMP_ERR_NOERROR : SNMP_ERR_RESOURCEUNAVAILABLE;
}

static const struct vmm_container_hooks hooks = { vmm_cache_handler, set_refusal };
static const struct vmm_scalar_source scalar_source = {
    vmm_cache_snapshot, vmm_cache_last_change,
};
static bool have_loop;

/* The events every connection registers (when libvirt's loop is ours). */
static const struct vmm_conn_event events[] = {
    { VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_CALLBACK(vmm_events_lifecycle), false },
    { VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
      VIR_DOMAIN_EVENT_CALLBACK(vmm_events_migration_iteration), true },
    { VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, VIR_DOMAIN_EVENT_CALLBACK(vmm_events_job_completed), true },
};

/* The first alarm runs in snmpd's main loop: after every configuration file
 * has been read and after snmpd has dropped its privileges. */
static void start(unsigned reg, void *arg)
{
    const struct vmm_config *cfg = vmm_tokens_config();

    (void)reg; (void)arg;
    start_alarm = 0;
    vmm_events_follow(cfg->uri);
    if (vmm_conn_start(cfg->uri, cfg->writable, events,
                       have_loop ? sizeof(events) / sizeof(events[0]) : 0) == VMM_CONN_OTHER_URI)
        vmm_cache_forget();
}

/* A second dlmod line, naming this file again (snmpd gets the same globals)
 * or a copy of it (globals of its own), would register every object and
 * token a second time.  Refused before anything is touched: the tokens that
 * follow keep going to the instance that serves.  Net-SNMP cannot be told
 * that an init failed, so the refused load still gets a deinit. */
static bool refuse_second_load(void)
{
    char path[4096];

    if (!vmm_tokens_owner(path, sizeof(path)))
        return false;
    if (netsnmp_get_current_agent_session())
        snmp_log(LOG_ERR, "vm_mib: already loaded from %s; ignoring the load through "
                 "UCD-DLMOD-MIB\n", path);
    else
        netsnmp_config_error("vm_mib: already loaded from %s; ignoring this dlmod line", path);
    refused++;
    return true;
}

void init_vm_mib(void)
{
    DEBUGMSGTL(("vm_mib", "init\n"));
    if (refuse_second_load())
        return;
    vmm_sofile_check();
    vmm_thread_mark_main(VMM_THREAD_CHECKS_FATAL);
    vmm_conn_setup_errors();
    vmm_domxml_init();
    have_loop = vmm_eventloop_ensure() == 0;
    vmm_tokens_register(apply_config);
    if (vmm_persist_register() < 0 || vmm_vmHypervisor_register(&scalar_source, &hooks) < 0 ||
        vmm_tables_register(&hooks) < 0 || vmm_cache_init(&cache_listener) < 0 ||
        vmm_events_start(vmm_vmNotifications_transition) < 0) {
        snmp_log(LOG_ERR, "vm_mib: initialisation failed; VM-MIB not served\n");
        return;
    }
    apply_config();
    vmm_conn_attach(vmm_cache_connection_changed);
    REGISTER_SYSOR_ENTRY(vmMIB_oid, "The VM-MIB (RFC 7666), served from libvirt by vm_mib");
    start_alarm = snmp_alarm_register(0, 0, start, NULL);
}

void deinit_vm_mib(void)
{
    DEBUGMSGTL(("vm_mib", "deinit\n"));
    if (refused) {
        refused--;
        return;
    }
    if (start_alarm)
        snmp_alarm_unregister(start_alarm);
    start_alarm = 0;
    UNREGISTER_SYSOR_ENTRY(vmMIB_oid);
    vmm_setjob_shutdown();
    vmm_cache_shutdown();
    vmm_events_shutdown();
    vmm_vmNotifications_shutdown();
    vmm_conn_detach();
    vmm_tables_unregister();
    vmm_vmHypervisor_unregister();
    vmm_persist_unregister();
    vmm_tokens_unregister();
    vmm_conn_restore_errors();
}
