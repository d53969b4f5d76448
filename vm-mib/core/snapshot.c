/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/snapshot.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/driver.h"
#include "core/history.h"
#include "core/host.h"
#include "core/migration.h"
#include "core/sorted.h"
#include "core/stats.h"
#include <libvirt/virterror.h>

/* One machine while its snapshot is being assembled. */
struct work {
    struct vmm_machine *m;
    virDomainPtr dom;
    struct vmm_domstats stats;
};

/* What every machine of one snapshot is read with. */
struct take {
    const struct vmm_hypervisor *hv;
    struct vmm_support *support;    /* the history's: calls the driver lacks */
    unsigned host_cpus;
    uint64_t now;
};

void vmm_snapshot_version_format(unsigned long version, char *buf, size_t len)
{
    snprintf(buf, len, "%lu.%lu.%lu", version / 1000000,
             version / 1000 % 1000, version % 1000);
}

_Static_assert(offsetof(struct vmm_machine, uuid) == 0, "vmm_uuid_cmp reads the UUID first");

static int key_vs_work(const void *key, const void *elem)
{
    return vmm_uuid_cmp(key, ((const struct work *)elem)->m->uuid);
}

static int compare_work(const void *a, const void *b)
{
    return key_vs_work(((const struct work *)a)->m->uuid, b);
}

int vmm_snapshot_hypervisor_read(virConnectPtr conn, struct vmm_hypervisor *hv)
{
    static unsigned long connections;
    const char *type = virConnectGetType(conn);

    memset(hv, 0, sizeof(*hv));
    if (!type)
        return -1;
    hv->conn = __atomic_add_fetch(&connections, 1, __ATOMIC_RELAXED);
    hv->traits = vmm_driver_traits(type);
    snprintf(hv->software, sizeof(hv->software), "%s", type);
    return 0;
}

int vmm_snapshot_hypervisor_version(virConnectPtr conn, char *buf, size_t len)
{
    unsigned long version;

    *buf = '\0';
    /* Some drivers cannot tell; the object is then absent, not invented. */
    if (virConnectGetVersion(conn, &version) < 0)
        return -1;
    vmm_snapshot_version_format(version, buf, len);
    return 0;
}

static int take_hypervisor(virConnectPtr conn, const struct vmm_hypervisor *hv,
                           struct vmm_snapshot *snap)
{
    virNodeInfo node;

    if (!(snap->hv_software = strdup(hv->software)))
        return -1;
    if (*hv->version && !(snap->hv_version = strdup(hv->version)))
        return -1;
    /* The CPUs the host runs, numbered as in pin maps and hrDeviceTable. */
    if (virNodeGetInfo(conn, &node) == 0)
        snap->host_cpus = node.cpus;
    return 0;
}

/* The UUIDs of the machines matching a list filter, sorted; -1 if unknown. */
static int uuid_set(virConnectPtr conn, unsigned flags, unsigned char **set)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, flags);

    *set = NULL;
    if (n < 0)
        return -1;
    *set = malloc(n ? (size_t)n * VIR_UUID_BUFLEN : 1);
    for (int i = 0; i < n; i++) {
        if (*set)   /* cannot fail: the domain objects are libvirt's own */
            (void)virDomainGetUUID(doms[i], *set + (size_t)i * VIR_UUID_BUFLEN);
        virDomainFree(doms[i]);
    }
    free(doms);
    if (!*set)
        return -1;
    qsort(*set, (size_t)n, VIR_UUID_BUFLEN, vmm_uuid_cmp);
    return n;
}

static bool in_set(const unsigned char *set, int n, const unsigned char *uuid)
{
    bool found = false;

    if (n > 0)      /* where it is or would go does not matter here */
        (void)vmm_sorted_lower_bound(set, (size_t)n, VIR_UUID_BUFLEN, uuid, vmm_uuid_cmp, &found);
    return found;
}

/* Autostart, persistence and managed-save images of all machines in three
 * calls instead of three per machine. */
static void take_flags(virConnectPtr conn, struct work *w, size_t n)
{
    unsigned char *autostart, *transient, *saved;
    int na = uuid_set(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, &autostart);
    int nt = uuid_set(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, &transient);
    int ns = uuid_set(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, &saved);

    for (size_t i = 0; i < n; i++) {
        struct vmm_machine *m = w[i].m;

        m->autostart = na < 0 ? VMM_AUTOSTART_UNKNOWN :
            in_set(autostart, na, m->uuid) ? VMM_AUTOSTART_ENABLED : VMM_AUTOSTART_DISABLED;
        m->persistent = nt < 0 ? VMM_PERSISTENT_UNKNOWN :
            in_set(transient, nt, m->uuid) ? VMM_PERSISTENT_TRANSIENT : VMM_PERSISTENT_YES;
        m->managed_save = in_set(saved, ns, m->uuid);
    }
    free(autostart);
    free(transient);
    free(saved);
}

/* The same for one machine: three calls about it rather than three lists of
 * every machine (a burst of events on a large host re-reads many). */
static void take_own_flags(struct work *x)
{
    int autostart, persistent = virDomainIsPersistent(x->dom);

    x->m->autostart = virDomainGetAutostart(x->dom, &autostart) < 0 ? VMM_AUTOSTART_UNKNOWN :
        autostart ? VMM_AUTOSTART_ENABLED : VMM_AUTOSTART_DISABLED;
    x->m->persistent = persistent < 0 ? VMM_PERSISTENT_UNKNOWN :
        persistent ? VMM_PERSISTENT_YES : VMM_PERSISTENT_TRANSIENT;
    x->m->managed_save = virDomainHasManagedSaveImage(x->dom, 0) == 1;
}

static struct work *find_work(struct work *w, size_t n, virDomainPtr dom)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    bool found;
    size_t at;

    if (virDomainGetUUID(dom, uuid) < 0)
        return NULL;
    at = vmm_sorted_lower_bound(w, n, sizeof(*w), uuid, key_vs_work, &found);
    return found ? &w[at] : NULL;
}

/* Every counter of every machine in one call.  Drivers that do not know a
 * group leave it out; NOWAIT keeps a busy domain job from blocking us. */
static int all_stats(virConnectPtr conn, virDomainStatsRecordPtr **recs, unsigned flags)
{
    return virConnectGetAllDomainStats(conn, VMM_STATS_GROUPS, recs, flags);
}

static int one_stats(virDomainPtr dom, virDomainStatsRecordPtr **recs, unsigned flags)
{
    virDomainPtr doms[] = { dom, NULL };

    return virDomainListGetStats(doms, VMM_STATS_GROUPS, recs, flags);
}

/* dom: only that machine's (a snapshot of one), else every machine's.
 * A driver without bulk statistics (LXC) is asked once per connection. */
static void take_stats(virConnectPtr conn, virDomainPtr dom, struct work *w, size_t n,
                       const struct take *t)
{
    const unsigned nowait = VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;
    virDomainStatsRecordPtr *recs = NULL;
    int nrecs;

    if (!vmm_driver_may_call(t->support, t->hv->conn, VMM_CALL_BULK_STATS))
        return;
    nrecs = dom ? one_stats(dom, &recs, nowait) : all_stats(conn, &recs, nowait);
    if (nrecs < 0 && virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
        nrecs = dom ? one_stats(dom, &recs, 0) : all_stats(conn, &recs, 0);
    if (nrecs < 0)
        vmm_driver_failed(t->support, VMM_CALL_BULK_STATS, virGetLastErrorCode());
    for (int i = 0; i < nrecs; i++) {
        struct work *x = find_work(w, n, recs[i]->dom);

        /* Out of memory x->stats is left empty and the per-domain calls
         * that drivers without bulk statistics get stand in. */
        if (x)
            (void)vmm_stats_parse(recs[i]->params, recs[i]->nparams, &x->stats);
    }
    if (nrecs >= 0)
        virDomainStatsRecordListFree(recs);
}

static bool conf_stale(const struct vmm_past *p, const struct vmm_machine *m,
                       uint64_t now)
{
    return !p->conf || p->conf_outdated || p->conf_id != m->id ||
           strcmp(p->conf_name, m->name) != 0 ||
           now - p->conf_cs >= VMM_CONF_MAX_AGE_CS;
}

static struct vmm_domconf *empty_conf(void)
{
    return vmm_domxml_parse("<domain><os><type/></os></domain>", 0);
}

/* The parsed definition, fetched again only when it may have changed. */
static int take_conf(struct work *x, struct vmm_past *p, unsigned host_cpus,
                     uint64_t now)
{
    struct vmm_machine *m = x->m;

    if (conf_stale(p, m, now)) {
        char *xml = virDomainGetXMLDesc(x->dom, 0);
        struct vmm_domconf *conf = xml ? vmm_domxml_parse(xml, host_cpus) : NULL;

        free(xml);
        if (!conf && !p->conf)
            conf = empty_conf();
        if (conf)
            vmm_history_set_conf(p, conf, m->id, m->name, now);
    }
    if (!p->conf)
        return -1;
    m->conf_ref = vmm_history_ref_hold(p->conf);
    m->conf = vmm_history_ref_conf(m->conf_ref);
    return 0;
}

static void take_state(struct work *x)
{
    struct vmm_machine *m = x->m;

    if (x->stats.has_state) {
        m->state = x->stats.state;
        m->reason = x->stats.reason;
    } else if (virDomainGetState(x->dom, &m->state, &m->reason, 0) < 0) {
        m->state = -1;
    }
    m->st = vmm_state_map(m->state, m->reason, m->managed_save, m->id != -1);
}

/* vmCurMem is the memory a machine is given.  Where virDomainGetInfo says
 * what it uses instead (LXC), the memory statistics' actual balloon tells
 * it (the value virsh setmem sets), else the definition's current memory. */
static void given_memory(struct work *x)
{
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    int n = virDomainMemoryStats(x->dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);

    for (int i = 0; i < n; i++)
        if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON)
            x->m->mem_cur_kib = st[i].val;
}

/* Migrating out is a job, not a state: asked of a machine believed to be
 * migrating, and once of each machine that runs when first seen (snmpd
 * started, or a connection opened, during a migration).  A failed call
 * leaves what was believed; the next snapshot asks again. */
static void take_job(struct work *x, struct vmm_past *p)
{
    struct vmm_machine *m = x->m;
    bool runs = vmm_state_may_migrate(m->state);
    int out;

    if (!runs)
        p->outgoing = false;
    else if ((p->outgoing || !p->job_known) && (out = vmm_migration_job_work(x->dom)) >= 0)
        p->outgoing = out;
    p->job_known = true;
    m->outgoing = p->outgoing;
    m->st = vmm_state_outgoing(m->st, m->state, m->outgoing);
}

/* Memory, vCPU count and CPU time: bulk statistics where the driver gives
 * them, virDomainGetInfo otherwise, the definition for inactive machines. */
static void take_resources(struct work *x, const struct take *t)
{
    struct vmm_machine *m = x->m;
    const struct vmm_domstats *s = &x->stats;
    virDomainInfo info;

    m->mem_max_kib = m->conf->mem_max_kib;
    m->mem_cur_kib = m->conf->mem_cur_kib;
    m->vcpus_max = m->conf->vcpus_max;
    m->vcpus_cur = m->conf->vcpus_current;
    if (m->id == -1)
        return;
    if ((!s->has_balloon || !s->has_vcpu || !s->has_cpu_time) &&
        virDomainGetInfo(x->dom, &info) == 0) {
        m->mem_max_kib = info.maxMem;
        if (t->hv->traits & VMM_DRIVER_INFO_MEMORY_USED)
            given_memory(x);
        else
            m->mem_cur_kib = info.memory;
        m->vcpus_cur = info.nrVirtCpu;
        m->cpu_time_us = info.cpuTime / 1000;
    }
    if (s->has_balloon) {
        m->mem_cur_kib = s->balloon_cur_kib;
        if (s->balloon_max_kib)
            m->mem_max_kib = s->balloon_max_kib;
    }
    if (s->has_vcpu) {
        m->vcpus_cur = s->vcpu_current;
        m->vcpus_max = s->vcpu_max;
    }
    if (s->has_cpu_time)
        m->cpu_time_us = s->cpu_time_ns / 1000;
}

static size_t online_from_stats(struct vmm_machine *m, const struct vmm_domstats *s)
{
    size_t n = 0;

    for (size_t i = 0; i < s->nvcpus; i++) {
        if (!s->vcpus[i].present)
            continue;
        m->vcpus[n].number = (unsigned)i;
        m->vcpus[n].has_time = s->vcpus[i].has_time;
        m->vcpus[n].time_us = s->vcpus[i].time_ns / 1000;
        n++;
    }
    return n;
}

static void times_from_getvcpus(struct work *x, const struct take *t)
{
    struct vmm_machine *m = x->m;
    virVcpuInfoPtr info;
    int got;

    if (!vmm_driver_may_call(t->support, t->hv->conn, VMM_CALL_VCPUS))
        return;
    info = calloc(m->nvcpus ? m->nvcpus : 1, sizeof(*info));
    got = info ? virDomainGetVcpus(x->dom, info, (int)m->nvcpus, NULL, 0) : -1;
    if (info && got < 0)
        vmm_driver_failed(t->support, VMM_CALL_VCPUS, virGetLastErrorCode());

    for (int i = 0; i < got; i++) {
        for (size_t v = 0; v < m->nvcpus; v++) {
            if (m->vcpus[v].number != info[i].number)
                continue;
            m->vcpus[v].has_time = true;
            m->vcpus[v].time_us = info[i].cpuTime / 1000;
        }
    }
    free(info);
}

/* The online vCPUs: those bulk statistics report, else the first vcpus_cur.
 * A machine that does not run has used no CPU time in this run; a running
 * one's vCPU whose time the driver does not tell (LXC: a container has no
 * vCPUs of its own) has none (has_time false). */
static int take_vcpus(struct work *x, const struct take *t)
{
    struct vmm_machine *m = x->m;
    size_t cap = x->stats.nvcpus > m->vcpus_cur ? x->stats.nvcpus : m->vcpus_cur;

    if (!(m->vcpus = calloc(cap ? cap : 1, sizeof(*m->vcpus))))
        return -1;
    m->nvcpus = online_from_stats(m, &x->stats);
    if (m->nvcpus == 0) {
        for (unsigned v = 0; v < m->vcpus_cur; v++) {
            m->vcpus[v].number = v;
            m->vcpus[v].has_time = m->id == -1;
        }
        m->nvcpus = m->vcpus_cur;
        if (m->id != -1)
            times_from_getvcpus(x, t);
    }
    return 0;
}

static void disk_from_bulk(struct vmm_disk_io *io, const struct vmm_block_stat *b)
{
    io->rd_reqs = b->rd_reqs;
    io->wr_reqs = b->wr_reqs;
    io->rd_bytes = b->rd_bytes;
    io->wr_bytes = b->wr_bytes;
    io->rd_latency_us = b->rd_times_ns / 1000;
    io->wr_latency_us = b->wr_times_ns / 1000;
    if (b->have & VMM_HAVE_CAPACITY)
        io->capacity = (long long)b->capacity;
    if (b->have & VMM_HAVE_PHYSICAL)
        io->allocation = (long long)b->physical;
}

static void disk_from_calls(virDomainPtr dom, const char *target, struct vmm_disk_io *io)
{
    virDomainBlockStatsStruct st;
    virDomainBlockInfo bi;

    if (virDomainBlockStats(dom, target, &st, sizeof(st)) == 0) {
        io->rd_reqs = st.rd_req > 0 ? (unsigned long long)st.rd_req : 0;
        io->wr_reqs = st.wr_req > 0 ? (unsigned long long)st.wr_req : 0;
        io->rd_bytes = st.rd_bytes > 0 ? (unsigned long long)st.rd_bytes : 0;
        io->wr_bytes = st.wr_bytes > 0 ? (unsigned long long)st.wr_bytes : 0;
    }
    if (io->capacity < 0 && virDomainGetBlockInfo(dom, target, &bi, 0) == 0) {
        io->capacity = (long long)bi.capacity;
        io->allocation = (long long)bi.allocation;
    }
}

/* An inactive machine's image sizes are read once per parsed definition. */
static void inactive_sizes(virDomainPtr dom, const char *target, struct vmm_past *p,
                           size_t i, struct vmm_disk_io *io)
{
    virDomainBlockInfo bi;

    if (!p->sizes || i >= p->nsizes)
        return;
    if (p->sizes[i].capacity == VMM_SIZE_UNREAD) {
        p->sizes[i].capacity = p->sizes[i].allocation = -1;
        if (virDomainGetBlockInfo(dom, target, &bi, 0) == 0) {
            p->sizes[i].capacity = (long long)bi.capacity;
            p->sizes[i].allocation = (long long)bi.allocation;
        }
    }
    io->capacity = p->sizes[i].capacity;
    io->allocation = p->sizes[i].allocation;
}

/* Disks without media have no statistics and no size. */
static int take_disks(struct work *x, struct vmm_past *p)
{
    struct vmm_machine *m = x->m;
    const struct vmm_domconf *c = m->conf;

    if (!(m->disks = calloc(c->ndisks ? c->ndisks : 1, sizeof(*m->disks))))
        return -1;
    for (size_t i = 0; i < c->ndisks; i++) {
        struct vmm_disk_io *io = &m->disks[i];
        const char *target = c->disks[i].target;
        const struct vmm_block_stat *b = vmm_stats_block(&x->stats, target);

        io->capacity = io->allocation = -1;
        if (!c->disks[i].source)
            continue;
        if (b)
            disk_from_bulk(io, b);
        else if (m->id != -1)
            disk_from_calls(x->dom, target, io);
        else
            inactive_sizes(x->dom, target, p, i, io);
    }
    return 0;
}

/* vmUpTime counts from the last start: the start of the process that runs
 * the machine where the driver tells it (QEMU's, the LXC controller's), else
 * the first snapshot that saw the machine running.  A managed save keeps its
 * run for the restore. */
static void take_uptime(struct vmm_machine *m, struct vmm_past *p, const struct take *t)
{
    uint64_t now = t->now;
    bool up = m->id != -1;

    if (!up) {
        if (m->st.oper != VMM_OPER_SUSPENDED)
            p->started_cs = 0;
    } else if (p->run_id != m->id || !p->started_cs) {
        if (!(p->last_oper == VMM_OPER_SUSPENDED && p->started_cs)) {
            long pid = vmm_driver_machine_pid(t->hv->traits, m->name, m->id);
            uint64_t started = vmm_host_process_start_cs(pid);

            p->started_cs = started && started <= now ? started : now;
        }
    }
    m->started_cs = up ? p->started_cs : 0;
    p->last_oper = m->st.oper;
}

/* Counter64 values never go backwards within one run of a machine. */
static void apply_floors(struct vmm_machine *m, struct vmm_past *p)
{
    char name[96];

    vmm_history_new_run(p, m->id);
    vmm_history_floor(p, "cpu", &m->cpu_time_us);
    for (size_t i = 0; i < m->nvcpus; i++) {
        snprintf(name, sizeof(name), "vcpu%u", m->vcpus[i].number);
        vmm_history_floor(p, name, &m->vcpus[i].time_us);
    }
    for (size_t i = 0; i < m->conf->ndisks; i++) {
        struct vmm_disk_io *io = &m->disks[i];
        unsigned long long *c[] = { &io->rd_reqs, &io->wr_reqs, &io->rd_bytes,
                                    &io->wr_bytes, &io->rd_latency_us, &io->wr_latency_us };

        for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
            snprintf(name, sizeof(name), "%s/%zu", m->conf->disks[i].target, k);
            vmm_history_floor(p, name, c[k]);
        }
    }
}

/* The host side of the devices (vmNetworkIfIndex, vmNetworkParent, and the
 * image path vmStorageParent is looked up with). */
static int take_host(struct vmm_machine *m)
{
    const struct vmm_domconf *c = m->conf;
    char real[PATH_MAX];

    if (!(m->nics = calloc(c->nnics ? c->nnics : 1, sizeof(*m->nics))))
        return -1;
    for (size_t i = 0; m->id != -1 && i < c->nnics; i++) {
        const struct vmm_nic *nic = &c->nics[i];

        m->nics[i].if_index = vmm_host_ifindex(nic->target);
        m->nics[i].parent = vmm_host_uplink(nic->type, *nic->bridge ? nic->bridge : nic->source);
    }
    for (size_t i = 0; i < c->ndisks; i++) {
        const char *src = c->disks[i].source;

        /* kept only where it differs: most image paths have no links */
        if (c->disks[i].file_backed && src && src[0] == '/' && realpath(src, real) &&
            strcmp(real, src) != 0 && !(m->disks[i].real_path = strdup(real)))
            return -1;
    }
    return 0;
}

static int take_machine(struct work *x, struct vmm_history *h, const struct take *t)
{
    struct vmm_past *p = vmm_history_get(h, x->m->uuid);

    if (!p || take_conf(x, p, t->host_cpus, t->now) < 0)
        return -1;
    take_state(x);
    take_job(x, p);
    take_resources(x, t);
    if (take_vcpus(x, t) < 0 || take_disks(x, p) < 0 || take_host(x->m) < 0)
        return -1;
    take_uptime(x->m, p, t);
    apply_floors(x->m, p);
    return 0;
}

/* The machines of doms (taken over) as work items of snap. */
static int adopt_domains(struct vmm_snapshot *snap, virDomainPtr *doms, int n,
                         struct work **out)
{
    struct work *w;

    snap->machines = calloc(n ? (size_t)n : 1, sizeof(*snap->machines));
    w = calloc(n ? (size_t)n : 1, sizeof(*w));
    if (!snap->machines || !w) {
        for (int i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(w);
        return -1;
    }
    snap->nmachines = snap->machines_cap = (size_t)n;
    for (int i = 0; i < n; i++) {
        struct vmm_machine *m = &snap->machines[i];
        const char *name = virDomainGetName(doms[i]);

        w[i].m = m;
        w[i].dom = doms[i];
        /* fails only for an invalid domain object, and these are libvirt's own */
        (void)virDomainGetUUID(doms[i], m->uuid);
        m->id = (int)virDomainGetID(doms[i]);
        m->name = strdup(name ? name : "");
    }
    *out = w;
    return n;
}

/* Xen's Domain-0 is the host itself, not one of its guests: it is left
 * out (doms compacted); returns how many remain. */
static int drop_host(virDomainPtr *doms, int n, unsigned traits)
{
    int kept = 0;

    for (int i = 0; i < n; i++) {
        if (vmm_driver_is_host(traits, (int)virDomainGetID(doms[i])))
            virDomainFree(doms[i]);
        else
            doms[kept++] = doms[i];
    }
    return kept;
}

static int list_machines(virConnectPtr conn, unsigned traits, struct vmm_snapshot *snap,
                         struct work **out)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);

    if (n >= 0)
        n = adopt_domains(snap, doms, drop_host(doms, n, traits), out);
    free(doms);
    return n;
}

static void free_work(struct work *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        virDomainFree(w[i].dom);
        vmm_stats_clear(&w[i].stats);
    }
    free(w);
}

/* Sort the machines by UUID; the work items point at them, so re-point. */
static int sort_machines(struct vmm_snapshot *snap, struct work *w, size_t n)
{
    struct vmm_machine *sorted = calloc(n ? n : 1, sizeof(*sorted));

    if (!sorted)
        return -1;
    qsort(w, n, sizeof(*w), compare_work);
    for (size_t i = 0; i < n; i++) {
        sorted[i] = *w[i].m;
        w[i].m = &sorted[i];
    }
    free(snap->machines);
    snap->machines = sorted;
    return 0;
}

struct vmm_snapshot *vmm_snapshot_take(virConnectPtr conn, const struct vmm_hypervisor *hv,
                                       struct vmm_history *h)
{
    struct vmm_snapshot *snap = calloc(1, sizeof(*snap));
    struct work *w = NULL;
    struct take t = { hv, vmm_history_support(h), 0, vmm_clock_boottime_cs() };
    int n;

    if (!snap)
        return NULL;
    if (take_hypervisor(conn, hv, snap) < 0 ||
        (n = list_machines(conn, hv->traits, snap, &w)) < 0) {
        vmm_snapshot_free(snap);
        return NULL;
    }
    if (sort_machines(snap, w, (size_t)n) < 0) {
        free_work(w, (size_t)n);
        vmm_snapshot_free(snap);
        return NULL;
    }
    take_flags(conn, w, (size_t)n);
    take_stats(conn, NULL, w, (size_t)n, &t);
    vmm_history_begin(h);
    t.host_cpus = snap->host_cpus;
    for (int i = 0; i < n; i++) {
        if (take_machine(&w[i], h, &t) < 0) {
            free_work(w, (size_t)n);
            vmm_snapshot_free(snap);
            return NULL;
        }
    }
    free_work(w, (size_t)n);
    snap->set_changed = vmm_history_sweep(h);
    return snap;
}

struct vmm_snapshot *vmm_snapshot_take_one(virConnectPtr conn, const struct vmm_hypervisor *hv,
                                           struct vmm_history *h, const unsigned char *uuid,
                                           bool *gone)
{
    struct vmm_snapshot *snap = calloc(1, sizeof(*snap));
    virDomainPtr dom;
    struct work *w = NULL;
    struct take t = { hv, vmm_history_support(h), 0, vmm_clock_boottime_cs() };

    *gone = false;
    if (!snap)
        return NULL;
    if (take_hypervisor(conn, hv, snap) < 0)
        goto fail;
    if (!(dom = virDomainLookupByUUID(conn, uuid))) {
        *gone = virGetLastErrorCode() == VIR_ERR_NO_DOMAIN;
        goto fail;
    }
    if (drop_host(&dom, 1, hv->traits) == 0) {
        *gone = true;               /* never a row, as if it did not exist */
        goto fail;
    }
    if (adopt_domains(snap, &dom, 1, &w) < 0)
        goto fail;
    take_own_flags(w);
    take_stats(conn, dom, w, 1, &t);
    t.host_cpus = snap->host_cpus;
    if (take_machine(w, h, &t) < 0) {
        free_work(w, 1);
        goto fail;
    }
    free_work(w, 1);
    return snap;
fail:
    vmm_snapshot_free(snap);
    return NULL;
}

/* The slot of uuid in snap's sorted machines: its index, or where it goes. */
static size_t locate(const struct vmm_snapshot *snap, const unsigned char *uuid, bool *found)
{
    return vmm_sorted_lower_bound(snap->machines, snap->nmachines, sizeof(*snap->machines), uuid,
                           vmm_uuid_cmp, found);
}

struct vmm_lvstate vmm_snapshot_lvstate(const struct vmm_machine *m)
{
    struct vmm_lvstate st = { m->state, m->reason, m->managed_save, m->outgoing };

    return st;
}

struct vmm_machine *vmm_snapshot_find(struct vmm_snapshot *snap, const unsigned char *uuid)
{
    bool found;
    size_t at = locate(snap, uuid, &found);

    return found ? &snap->machines[at] : NULL;
}

static void free_machine(struct vmm_machine *m)
{
    for (size_t i = 0; m->disks && i < m->conf->ndisks; i++)
        free(m->disks[i].real_path);
    free(m->name);
    free(m->vcpus);
    free(m->disks);
    free(m->nics);
    vmm_history_ref_release(m->conf_ref);
}

bool vmm_snapshot_remove(struct vmm_snapshot *snap, const unsigned char *uuid)
{
    bool found;
    size_t at = locate(snap, uuid, &found);

    if (!found)
        return false;
    free_machine(&snap->machines[at]);
    vmm_sorted_erase(snap->machines, &snap->nmachines, sizeof(*snap->machines), at);
    return true;
}

int vmm_snapshot_merge(struct vmm_snapshot *snap, struct vmm_snapshot *one)
{
    bool found;
    size_t at;

    if (one->nmachines != 1)
        return -1;
    at = locate(snap, one->machines[0].uuid, &found);
    if (found)
        free_machine(&snap->machines[at]);
    else if (!vmm_sorted_insert((void **)&snap->machines, &snap->nmachines,
                                &snap->machines_cap, sizeof(*snap->machines), at))
        return -1;
    snap->machines[at] = one->machines[0];
    one->nmachines = 0;             /* its machine now belongs to snap */
    vmm_snapshot_free(one);
    return 0;
}

void vmm_snapshot_free(struct vmm_snapshot *snap)
{
    if (!snap)
        return;
    for (size_t i = 0; i < snap->nmachines; i++)
        free_machine(&snap->machines[i]);
    free(snap->hv_software);
    free(snap->hv_version);
    free(snap->machines);
    free(snap);
}
