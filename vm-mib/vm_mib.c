/* vm_mib: the dlmod entry points.  Wiring only; each part lives in its own
 * file.  snmpd calls deinit + init on every SIGHUP, and the module is linked
 * -z nodelete, so init must not rely on static state from an earlier load and
 * deinit must undo everything init registered. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/sysORTable.h>

#include "vm_tables.h"
#include "vmm_cache.h"
#include "vmm_conn.h"
#include "vmm_domxml.h"
#include "vmm_eventloop.h"
#include "vmm_events.h"
#include "vmm_notify.h"
#include "vmm_persist.h"
#include "vmm_scalars.h"
#include "vmm_tokens.h"

#define VMM_EXPORT __attribute__((visibility("default")))

void init_vm_mib(void) VMM_EXPORT;
void deinit_vm_mib(void) VMM_EXPORT;

static oid vmMIB_oid[] = { 1, 3, 6, 1, 2, 1, 236 };
static unsigned start_alarm;

/* Also runs with defaults at init: a load through dlmodStatus replays no
 * configuration and fires no POST_READ_CONFIG. */
static void apply_config(void)
{
    const struct vmm_config *cfg = vmm_tokens_config();

    vmm_cache_set_timeout(cfg->cache_timeout);
    vmm_notify_set_window(cfg->bulk_window_ms);
    vmm_scalars_set_notifications(cfg->pervm_notifications, cfg->bulk_notifications);
    DEBUGMSGTL(("vm_mib", "uri %s, cache %d s, %s, per-VM %d, bulk %d/%d ms\n",
                cfg->uri, cfg->cache_timeout,
                cfg->writable ? "writable" : "read-only", cfg->pervm_notifications,
                cfg->bulk_notifications, cfg->bulk_window_ms));
}

static void connection_changed(bool up)
{
    vmm_cache_invalidate();
    vmm_events_connection_changed(up);
}

/* The first alarm runs in snmpd's main loop: after every configuration file
 * has been read and after snmpd has dropped its privileges. */
static void start(unsigned reg, void *arg)
{
    const struct vmm_config *cfg = vmm_tokens_config();

    (void)reg; (void)arg;
    start_alarm = 0;
    vmm_conn_start(cfg->uri, cfg->writable, connection_changed);
}

void init_vm_mib(void)
{
    bool have_loop;

    DEBUGMSGTL(("vm_mib", "init\n"));
    vmm_conn_setup_errors();
    vmm_domxml_init();
    have_loop = vmm_eventloop_ensure() == 0;
    vmm_tokens_register(apply_config);
    if (vmm_persist_register() < 0 || vmm_cache_init() < 0 ||
        vmm_scalars_register() < 0 || vm_tables_register() < 0 ||
        vmm_events_start(have_loop) < 0) {
        snmp_log(LOG_ERR, "vm_mib: initialisation failed; VM-MIB not served\n");
        return;
    }
    apply_config();
    REGISTER_SYSOR_ENTRY(vmMIB_oid, "The VM-MIB (RFC 7666), served from libvirt by vm_mib");
    start_alarm = snmp_alarm_register(0, 0, start, NULL);
}

void deinit_vm_mib(void)
{
    DEBUGMSGTL(("vm_mib", "deinit\n"));
    if (start_alarm)
        snmp_alarm_unregister(start_alarm);
    start_alarm = 0;
    UNREGISTER_SYSOR_ENTRY(vmMIB_oid);
    vmm_events_shutdown();
    vmm_conn_stop();
    vm_tables_unregister();
    vmm_scalars_unregister();
    vmm_cache_shutdown();
    vmm_persist_unregister();
    vmm_tokens_unregister();
    vmm_conn_restore_errors();
}
