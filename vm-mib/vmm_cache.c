#include "vmm_cache.h"

#include <stdlib.h>
#include <string.h>

#include "vmm_conn.h"
#include "vmm_time.h"

static const oid vmMIB_oid[] = { 1, 3, 6, 1, 2, 1, 236 };

static struct {
    netsnmp_cache *cache;
    struct vmm_snapshot *snap;
    /* The machine set last seen, kept across failed refreshes so that an
     * outage alone does not count as a change of vmTable. */
    struct vmm_machine *known;
    size_t nknown;
    bool have_known;
    uint32_t last_change;
} s;

static void remember_machines(const struct vmm_snapshot *snap)
{
    size_t bytes = snap->nmachines * sizeof(*snap->machines);
    struct vmm_machine *copy = malloc(bytes ? bytes : 1);

    if (!copy)
        return;
    if (s.have_known &&
        !vmm_machines_equal(s.known, s.nknown, snap->machines, snap->nmachines))
        s.last_change = vmm_hv_uptime_ticks();
    memcpy(copy, snap->machines, bytes);
    free(s.known);
    s.known = copy;
    s.nknown = snap->nmachines;
    s.have_known = true;
}

static int load(netsnmp_cache *cache, void *magic)
{
    virConnectPtr conn = vmm_conn_get();
    struct vmm_snapshot *snap;

    (void)cache; (void)magic;
    if (!conn)
        return -1;
    snap = vmm_snapshot_take(conn);
    if (!snap) {
        vmm_conn_call_failed("reading the hypervisor");
        return -1;
    }
    vmm_conn_call_ok();
    remember_machines(snap);
    s.snap = snap;
    DEBUGMSGTL(("vm_mib:cache", "snapshot: %s %s, %zu machines\n",
                snap->hv_software, snap->hv_version ? snap->hv_version : "?",
                snap->nmachines));
    return 0;
}

static void release(netsnmp_cache *cache, void *magic)
{
    (void)cache; (void)magic;
    vmm_snapshot_free(s.snap);
    s.snap = NULL;
}

int vmm_cache_init(void)
{
    memset(&s, 0, sizeof(s));
    s.last_change = vmm_hv_uptime_ticks();
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
    free(s.known);
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

void vmm_cache_connection_changed(bool up)
{
    (void)up;
    if (s.cache)
        s.cache->expired = 1;
}
