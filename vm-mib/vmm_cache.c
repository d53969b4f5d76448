#include "vmm_cache.h"

#include <stdlib.h>
#include <string.h>

#include "vm_tables.h"
#include "vmm_conn.h"
#include "vmm_history.h"
#include "vmm_persist.h"
#include "vmm_time.h"

static const oid vmMIB_oid[] = { 1, 3, 6, 1, 2, 1, 236 };

static struct {
    netsnmp_cache *cache;
    struct vmm_history *history;
    struct vmm_snapshot *snap;
    uint32_t last_change;
} s;

static int load(netsnmp_cache *cache, void *magic)
{
    virConnectPtr conn = vmm_conn_get();
    struct vmm_snapshot *snap;

    (void)cache; (void)magic;
    if (!conn)
        return -1;
    snap = vmm_snapshot_take(conn, vmm_conn_hypervisor(), s.history);
    if (!snap) {
        vmm_conn_call_failed("reading the hypervisor");
        return -1;
    }
    vmm_conn_call_ok();
    if (snap->set_changed)
        s.last_change = vmm_hv_uptime_ticks();
    s.snap = snap;
    if (vm_tables_fill(snap, vmm_persist_registry()) < 0)
        snmp_log(LOG_ERR, "vm_mib: out of memory filling the VM-MIB tables\n");
    vmm_persist_changed();
    DEBUGMSGTL(("vm_mib:cache", "snapshot: %s %s, %zu machines\n",
                snap->hv_software, snap->hv_version ? snap->hv_version : "?",
                snap->nmachines));
    return 0;
}

static void release(netsnmp_cache *cache, void *magic)
{
    (void)cache; (void)magic;
    vm_tables_clear();
    vmm_snapshot_free(s.snap);
    s.snap = NULL;
}

int vmm_cache_init(void)
{
    memset(&s, 0, sizeof(s));
    s.last_change = vmm_hv_uptime_ticks();
    if (!(s.history = vmm_history_new()))
        return -1;
    s.cache = netsnmp_cache_create(5, load, release, (oid *)vmMIB_oid,
                                   OID_LENGTH(vmMIB_oid));
    if (!s.cache)
        return -1;
    /* Commit code of later SETs reads the snapshot: it must outlive the SET. */
    s.cache->flags = NETSNMP_CACHE_DONT_INVALIDATE_ON_SET |
                     NETSNMP_CACHE_DONT_FREE_EXPIRED |
                     NETSNMP_CACHE_DONT_AUTO_RELEASE;
    return 0;
}

void vmm_cache_shutdown(void)
{
    if (s.cache) {
        netsnmp_cache_remove(s.cache);
        netsnmp_cache_free(s.cache);    /* runs release() while valid */
    }
    vmm_snapshot_free(s.snap);
    vmm_history_free(s.history);
    memset(&s, 0, sizeof(s));
}

void vmm_cache_set_timeout(int seconds)
{
    /* netsnmp_cache reads 0 as "agent default"; -1 is "always expired". */
    if (s.cache)
        s.cache->timeout = seconds > 0 ? seconds : -1;
}

netsnmp_mib_handler *vmm_cache_handler(void)
{
    return netsnmp_cache_handler_get(s.cache);
}

const struct vmm_snapshot *vmm_cache_snapshot(void)
{
    return s.snap;
}

uint32_t vmm_cache_last_change(void)
{
    return s.last_change;
}

void vmm_cache_invalidate(void)
{
    if (s.cache)
        s.cache->expired = 1;
}

void vmm_cache_definition_changed(const unsigned char *uuid)
{
    vmm_history_forget_conf(s.history, uuid);
    vmm_cache_invalidate();
}

const struct vmm_snapshot *vmm_cache_refresh(void)
{
    if (!s.cache)
        return NULL;
    s.cache->expired = 1;
    netsnmp_cache_check_and_reload(s.cache);
    return s.snap;
}
