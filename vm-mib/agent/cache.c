/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "agent/conn.h"
#include "agent/park.h"
#include "core/clock.h"
#include "core/collector.h"
#include "core/fresh.h"
#include "core/history.h"
#include "core/lifecycle.h"
#include "core/thread.h"
#include "core/migration.h"

/* How often the job of a machine migrating out is asked whether it is
 * gone: a cancelled or failed migration sends the source no event. */
#define MIGRATION_POLL_S 1

/* Kept for the life of the process (the module is -z nodelete): a reload
 * neither loses the picture nor waits for the collector's thread, which
 * may be stuck in libvirt; the connection is kept too (vmm_conn), so what
 * the collector reads for it across a reload still counts. */
static struct {
    struct vmm_collector *collector;
    struct vmm_history *history;    /* the collector's thread only */
    struct vmm_snapshot *snap;
    uint64_t read_ms;               /* when snap's read began; 0: stale */
    uint32_t last_change;
    unsigned gen;                   /* results of older connections are dropped */
    unsigned polls;                 /* job polls in the collector */
    bool resync_wanted;
} keep;

static struct {
    struct vmm_cache_listener listener;
    int timeout_s, wait_ms, grace_s;
    bool refreshing;
    bool recheck_jobs;              /* the next refresh asks every running machine's job */
    unsigned poll_alarm;
    uint64_t refresh_ms;            /* when the refresh in flight was asked for */
    unsigned grace_alarm;
} s;

enum kind { FULL, EVENT, ONE };

static void watch_migrations(void);
static void poll_migrations(unsigned reg, void *arg);

/* One piece of work for the collector; what is read comes back in it. */
struct job {
    enum kind kind;
    unsigned gen;
    virConnectPtr conn;             /* a reference, dropped in the collector */
    struct vmm_hypervisor hv;
    struct vmm_history *history;
    uint64_t read_ms;
    struct vmm_snapshot *snap;      /* FULL, or the one machine re-read */
    char error[256];
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *name;
    int event, detail;
    bool want_read, want_one, forget_conf, read_ok, gone;
    bool recheck_jobs, poll, job_active;
    struct vmm_lvstate read;
    virDomainPtr dom;               /* machine_work()'s, freed in the collector */
    bool looked_up, missing;
};

/* --- the collector's thread: libvirt and plain C only --- */

static bool about_migration(const struct job *j)
{
    return j->event == VMM_LIFECYCLE_MIGRATION_OUT || j->event == VMM_LIFECYCLE_MIGRATION_OUT_END;
}

/* The machine, looked up at the first need of a job only: a migration's
 * job and state, or a stopped machine's existence and state, cost one
 * lookup. */
static virDomainPtr machine_work(struct job *j)
{
    if (!j->looked_up) {
        j->looked_up = true;
        j->dom = virDomainLookupByUUID(j->conn, j->uuid);
        j->missing = !j->dom && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN;
    }
    return j->dom;
}

/* A migration's start and end are told by its job, asked before the
 * machine is read: libvirt restores the machine's state before it ends the
 * job.  (A managed save or a dump migrates to a file: it sends
 * MIGRATION_ITERATION too, with a job of its own kind.) */
static void ask_job_work(struct job *j)
{
    virDomainPtr dom = machine_work(j);

    if (!dom)
        return;
    j->job_active = vmm_migration_job_work(dom) == 1;
    vmm_history_set_outgoing(j->history, j->uuid, j->job_active);
}

static void read_state_work(struct job *j)
{
    virDomainPtr dom = machine_work(j);

    if (!dom)
        return;
    j->read_ok = virDomainGetState(dom, &j->read.state, &j->read.reason, 0) == 0;
    j->read.managed_save = virDomainHasManagedSaveImage(dom, 0) == 1;
}

/* Whether a stopped machine is gone is asked of libvirt, after the event:
 * a picture may have listed the machine and missed it in the list of
 * transient ones, both read while libvirt was removing it. */
static void look_up_work(struct job *j)
{
    if (!machine_work(j))
        j->gone = j->missing;
}

static void read_from_work(const struct vmm_machine *m, struct job *j)
{
    j->read.state = m->state;
    j->read.reason = m->reason;
    j->read.managed_save = m->managed_save;
    j->read_ok = true;
}

static void collect_work(void *arg)
{
    struct job *j = arg;
    const char *msg;

    j->read_ms = vmm_clock_now_ms();
    if (j->forget_conf)
        vmm_history_forget_conf(j->history, j->uuid);
    if (j->recheck_jobs)
        vmm_history_recheck_jobs(j->history);
    if (about_migration(j))
        ask_job_work(j);
    if (j->kind == FULL && !(j->snap = vmm_snapshot_take(j->conn, &j->hv, j->history)))
        snprintf(j->error, sizeof(j->error), "%s",
                 (msg = virGetLastErrorMessage()) ? msg : "unknown error");
    if (j->want_one)
        j->snap = vmm_snapshot_take_one(j->conn, &j->hv, j->history, j->uuid, &j->gone);
    else if (j->event == VIR_DOMAIN_EVENT_STOPPED)
        look_up_work(j);
    if (j->want_read && j->snap)
        read_from_work(j->snap->machines, j);    /* the re-read says it already */
    else if (j->want_read)
        read_state_work(j);
    if (j->dom)
        virDomainFree(j->dom);
    virConnectClose(j->conn);
}

/* --- snmpd's thread --- */

static void free_job(struct job *j)
{
    vmm_snapshot_free(j->snap);
    free(j->name);
    free(j);
}

static struct job *new_job(enum kind kind)
{
    struct job *j = calloc(1, sizeof(*j));

    if (j)
        j->kind = kind;
    return j;
}

/* Hands j to the collector, or frees it: false when libvirt is not there. */
static bool submit(struct job *j)
{
    virConnectPtr conn = vmm_conn_get();

    if (!conn || !keep.collector || virConnectRef(conn) < 0) {
        free_job(j);
        return false;
    }
    j->gen = keep.gen;
    j->conn = conn;
    j->hv = *vmm_conn_hypervisor();
    j->history = keep.history;
    if (vmm_collector_submit(keep.collector, collect_work, j) < 0) {
        virConnectClose(conn);      /* not the last reference: ours holds it */
        free_job(j);
        return false;
    }
    return true;
}

static void start_refresh(void)
{
    struct job *j;

    if (s.refreshing || !(j = new_job(FULL)))
        return;
    j->recheck_jobs = s.recheck_jobs;
    if (submit(j)) {
        s.refreshing = true;
        s.refresh_ms = vmm_clock_now_ms();
        s.recheck_jobs = false;
    }
}

static void picture_changed(void)
{
    keep.last_change = vmm_clock_uptime_ticks();
    s.listener.fill(keep.snap);
}

/* A picture taken before the version arrived gets it (NULL: no memory,
 * the object stays absent until the next one). */
static void add_version(struct vmm_snapshot *snap)
{
    const char *version = vmm_conn_hypervisor()->version;

    if (snap && !snap->hv_version && *version)
        snap->hv_version = strdup(version);
}

/* The rows point into the old snapshot until the new one is filled in. */
static void install(struct job *j)
{
    uint64_t t0 = vmm_clock_now_ms();
    struct vmm_snapshot *old = keep.snap;

    vmm_thread_assert_main(__func__);
    keep.snap = j->snap;
    keep.read_ms = j->read_ms;
    add_version(keep.snap);
    j->snap = old;                  /* freed with the job */
    if (keep.snap->set_changed)
        keep.last_change = vmm_clock_uptime_ticks();
    s.listener.fill(keep.snap);
    DEBUGMSGTL(("vm_mib:cache", "snapshot: %s %s, %zu machines, read in %llu ms, "
                "tables rebuilt in %llu ms\n", keep.snap->hv_software,
                keep.snap->hv_version ? keep.snap->hv_version : "?", keep.snap->nmachines,
                (unsigned long long)(t0 - keep.read_ms),
                (unsigned long long)(vmm_clock_now_ms() - t0)));
}

/* A picture that finds a migration out over (its job gone before a poll
 * said so) announces the end as the poll would have: no event will. */
static void migrations_ended(struct vmm_snapshot *old)
{
    for (size_t i = 0; old && i < old->nmachines; i++) {
        const struct vmm_machine *was = &old->machines[i], *m;
        struct vmm_cache_event ev = { .event = VMM_LIFECYCLE_MIGRATION_OUT_END, .has_state = true };

        if (!was->outgoing || !(m = vmm_snapshot_find(keep.snap, was->uuid)) || m->outgoing)
            continue;
        memcpy(ev.uuid, m->uuid, sizeof(ev.uuid));
        ev.name = m->name;
        ev.oper = m->st.oper;
        ev.persistent = m->persistent;
        s.listener.event(&ev);
    }
}

static void land_full(struct job *j)
{
    s.refreshing = false;
    if (!j->snap) {
        vmm_conn_call_failed("reading the hypervisor", j->error);
        vmm_park_release(UINT64_MAX);       /* nothing better is coming soon */
        return;
    }
    vmm_conn_call_ok();
    install(j);
    vmm_conn_want_version();
    migrations_ended(j->snap);      /* the picture before */
    watch_migrations();
    if (keep.resync_wanted) {
        keep.resync_wanted = false;
        s.listener.resync(keep.snap);
    }
    if (vmm_park_release(keep.read_ms))
        start_refresh();                    /* for requests that came later */
}

/* The machine's state as the event reports it. */
static void set_state(struct vmm_machine *m, const struct vmm_lvstate *st)
{
    bool up = st->state != VIR_DOMAIN_SHUTOFF;

    m->state = st->state;
    m->reason = st->reason;
    m->managed_save = st->managed_save;
    m->outgoing = st->outgoing;
    m->st = vmm_lifecycle_map(st);
    if (!up)
        m->started_cs = 0;
    else if (!m->started_cs)
        m->started_cs = vmm_clock_boottime_cs();
}

/* A machine that stopped and is no longer in the picture was left out of
 * a snapshot taken after it stopped: libvirt forgot it. */
static bool vanishes(const struct job *j, const struct vmm_machine *m)
{
    if (j->event == VIR_DOMAIN_EVENT_UNDEFINED)
        return j->gone || (m && m->state == VIR_DOMAIN_SHUTOFF);
    if (j->event == VIR_DOMAIN_EVENT_STOPPED)
        return j->gone || (keep.snap && !m) || (m && m->persistent == VMM_PERSISTENT_TRANSIENT);
    return false;
}

static int persistence(const struct job *j, const struct vmm_machine *m)
{
    if (j->event == VIR_DOMAIN_EVENT_DEFINED)
        return VMM_PERSISTENT_YES;
    if (j->event == VIR_DOMAIN_EVENT_UNDEFINED)
        return VMM_PERSISTENT_TRANSIENT;
    if (m)
        return m->persistent;
    /* a machine libvirt forgot before we could read it was not defined */
    return j->gone ? VMM_PERSISTENT_TRANSIENT : VMM_PERSISTENT_UNKNOWN;
}

/* A re-read machine replaces its old self in the picture, or joins it. */
static void merge(struct job *j)
{
    bool known = vmm_snapshot_find(keep.snap, j->uuid) != NULL;

    if (vmm_snapshot_merge(keep.snap, j->snap) < 0)
        return;
    j->snap = NULL;
    if (known)
        s.listener.fill(keep.snap);
    else
        picture_changed();
}

/* The start of a migration out is news when its job is one; its end, for
 * a machine migrating out whose job was seen gone before it was read. */
static bool job_says_nothing(const struct job *j, const struct vmm_machine *m)
{
    if (j->event == VMM_LIFECYCLE_MIGRATION_OUT)
        return !j->job_active;
    return j->event == VMM_LIFECYCLE_MIGRATION_OUT_END &&
           (!m || !m->outgoing || j->job_active || !j->read_ok);
}

/* While a machine migrates out, its job is asked every MIGRATION_POLL_S. */
static void watch_migrations(void)
{
    for (size_t i = 0; !s.poll_alarm && keep.snap && i < keep.snap->nmachines; i++)
        if (keep.snap->machines[i].outgoing)
            s.poll_alarm = snmp_alarm_register(MIGRATION_POLL_S, SA_REPEAT, poll_migrations,
                                               NULL);
}

static void land_event(struct job *j)
{
    struct vmm_cache_event ev = { .name = j->name, .event = j->event, .detail = j->detail };
    struct vmm_lvstate st, before;
    struct vmm_machine *m;

    memcpy(ev.uuid, j->uuid, sizeof(ev.uuid));
    if (keep.snap && j->snap)
        merge(j);
    m = keep.snap ? vmm_snapshot_find(keep.snap, j->uuid) : NULL;
    if (job_says_nothing(j, m))
        return;
    ev.has_state = vmm_lifecycle_state(j->event, j->detail, &st);
    if (ev.has_state && j->read_ok)
        vmm_lifecycle_refine(j->event, j->detail, &j->read, &st);
    if (m) {
        before = vmm_snapshot_lvstate(m);
        st.outgoing = ev.has_state && vmm_lifecycle_still_outgoing(j->event, &before, &st);
    }
    ev.incoming = ev.has_state && vmm_lifecycle_incoming(&st);
    if (ev.has_state && m)
        set_state(m, &st);
    ev.oper = ev.has_state ? vmm_lifecycle_oper(&st) : m ? m->st.oper : VMM_OPER_UNKNOWN;
    ev.persistent = persistence(j, m);
    ev.vanished = vanishes(j, m);
    if (m)
        m->persistent = ev.persistent;
    if (ev.vanished && m && vmm_snapshot_remove(keep.snap, j->uuid))
        picture_changed();
    if (j->kind == EVENT)
        s.listener.event(&ev);
    watch_migrations();
}

static void collected(int fd, void *unused)
{
    struct job *j;

    (void)fd; (void)unused;
    while ((j = vmm_collector_done(keep.collector))) {
        if (j->poll)
            keep.polls--;
        if (j->gen == keep.gen)
            (j->kind == FULL ? land_full : land_event)(j);
        free_job(j);
    }
}

/* --- parking policy --- */

static bool ready(uint64_t arrival_ms)
{
    struct vmm_fresh f = {
        .connected = vmm_conn_get() != NULL, .opening = vmm_conn_opening(),
        .have_snapshot = keep.snap != NULL, .read_ms = keep.read_ms,
        .timeout_s = s.timeout_s, .refreshing = s.refreshing,
        .refresh_ms = s.refresh_ms, .wait_ms = s.wait_ms,
    };

    return vmm_fresh_ready(&f, arrival_ms, vmm_clock_now_ms());
}

/* No picture (before the first one of this hypervisor, or once the last
 * one has outlived vmMibStaleGrace): no table can be read, and an empty
 * one would say "no machines" while they may all be running. */
static bool unknown(void)
{
    return !keep.snap;
}

static const struct vmm_park_policy policy = { ready, start_refresh, unknown };

/* --- the interface --- */

int vmm_cache_init(const struct vmm_cache_listener *listener)
{
    memset(&s, 0, sizeof(s));
    s.listener = *listener;
    if (!keep.collector) {
        keep.last_change = vmm_clock_uptime_ticks();
        keep.history = vmm_history_new();
        keep.collector = vmm_collector_new();
        if (!keep.history || !keep.collector)
            return -1;
    }
    vmm_park_init(&policy);
    if (register_readfd(vmm_collector_fd(keep.collector), collected, NULL) < 0)
        return -1;
    if (keep.snap)
        s.listener.fill(keep.snap);
    watch_migrations();             /* its alarm went with the last load */
    return 0;
}

static void grace_stop(void)
{
    if (s.grace_alarm)
        snmp_alarm_unregister(s.grace_alarm);
    s.grace_alarm = 0;
}

void vmm_cache_shutdown(void)
{
    vmm_park_shutdown();
    grace_stop();
    if (s.poll_alarm)
        snmp_alarm_unregister(s.poll_alarm);
    if (keep.collector)
        unregister_readfd(vmm_collector_fd(keep.collector));
    if (s.listener.clear)
        s.listener.clear();
    memset(&s, 0, sizeof(s));
}

void vmm_cache_configure(int timeout_s, int wait_ms, int grace_s)
{
    s.timeout_s = timeout_s;
    s.wait_ms = wait_ms;
    s.grace_s = grace_s;
    vmm_park_set_wait(wait_ms);
}

netsnmp_mib_handler *vmm_cache_handler(void)
{
    return vmm_park_handler();
}

const struct vmm_snapshot *vmm_cache_snapshot(void)
{
    return keep.snap;
}

uint32_t vmm_cache_last_change(void)
{
    return keep.last_change;
}

void vmm_cache_numbers_changed(void)
{
    keep.last_change = vmm_clock_uptime_ticks();
}

void vmm_cache_invalidate(void)
{
    keep.read_ms = 0;
}

static bool submit_event(const unsigned char *uuid, const char *name, int event, int detail,
                         bool poll)
{
    struct job *j = new_job(EVENT);

    if (!j || !(j->name = strdup(name ? name : ""))) {
        if (j)
            free_job(j);
        return false;
    }
    memcpy(j->uuid, uuid, sizeof(j->uuid));
    j->event = event;
    j->detail = detail;
    j->poll = poll;
    j->forget_conf = event == VIR_DOMAIN_EVENT_DEFINED;
    j->want_one = j->forget_conf || !keep.snap || !vmm_snapshot_find(keep.snap, j->uuid);
    j->want_read = vmm_lifecycle_needs_read(event, detail);
    return submit(j);
}

void vmm_cache_event(virDomainPtr dom, int event, int detail)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    if (virDomainGetUUID(dom, uuid) == 0)
        submit_event(uuid, virDomainGetName(dom), event, detail, false);
}

void vmm_cache_migration(virDomainPtr dom, bool started)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    const struct vmm_machine *m;

    if (virDomainGetUUID(dom, uuid) < 0)
        return;
    m = keep.snap ? vmm_snapshot_find(keep.snap, uuid) : NULL;
    /* every iteration of a migration sends one: only the first is news */
    if (started ? m && m->outgoing : !(m && m->outgoing))
        return;
    submit_event(uuid, virDomainGetName(dom),
                 started ? VMM_LIFECYCLE_MIGRATION_OUT : VMM_LIFECYCLE_MIGRATION_OUT_END, 0, false);
}

/* One round at a time: a collector slowed by libvirt gets no pile of polls. */
static void poll_migrations(unsigned reg, void *arg)
{
    bool any = false, idle = keep.polls == 0;

    (void)reg; (void)arg;
    for (size_t i = 0; keep.snap && i < keep.snap->nmachines; i++) {
        const struct vmm_machine *m = &keep.snap->machines[i];

        any |= m->outgoing;
        if (m->outgoing && idle &&
            submit_event(m->uuid, m->name, VMM_LIFECYCLE_MIGRATION_OUT_END, 0, true))
            keep.polls++;
    }
    if (!any) {
        snmp_alarm_unregister(s.poll_alarm);
        s.poll_alarm = 0;
    }
}

void vmm_cache_definition_changed(const unsigned char *uuid)
{
    struct job *j = new_job(ONE);

    if (!j)
        return;
    memcpy(j->uuid, uuid, sizeof(j->uuid));
    j->event = -1;
    j->forget_conf = j->want_one = true;
    submit(j);
}

void vmm_cache_resync(void)
{
    keep.resync_wanted = true;
    start_refresh();
}

static void drop_picture(void)
{
    s.listener.clear();
    vmm_snapshot_free(keep.snap);
    keep.snap = NULL;
    keep.read_ms = 0;
}

static void grace_over(unsigned reg, void *arg)
{
    (void)reg; (void)arg;
    s.grace_alarm = 0;
    if (vmm_conn_get() || !keep.snap)
        return;
    snmp_log(LOG_WARNING, "vm_mib: libvirt unreachable for %d s; VM-MIB cannot list the "
             "machines until it is back\n", s.grace_s);
    drop_picture();
}

void vmm_cache_forget(void)
{
    grace_stop();
    if (keep.snap)
        drop_picture();
}

void vmm_cache_connection_changed(enum vmm_conn_news news)
{
    if (news == VMM_CONN_VERSION) {
        add_version(keep.snap);
        return;
    }
    keep.gen++;
    s.refreshing = false;
    grace_stop();
    if (news == VMM_CONN_UP) {
        s.recheck_jobs = true;      /* events may have been missed */
        vmm_cache_resync();
        return;
    }
    vmm_park_release(UINT64_MAX);   /* nothing fresher is coming */
    if (s.grace_s == 0)
        drop_picture();
    else if (keep.snap)
        s.grace_alarm = snmp_alarm_register(s.grace_s, 0, grace_over, NULL);
}
