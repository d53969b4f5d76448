/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdio.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "suites.h"
#include "core/clock.h"
#include "core/driver.h"
#include "core/history.h"
#include "core/host.h"
#include "core/migration.h"
#include "core/snapshot.h"

static virConnectPtr conn;
static struct vmm_hypervisor hv;
static struct vmm_history *history;

static void open_node(const char *file)
{
    char uri[4096];

    snprintf(uri, sizeof(uri), "test://%s/tests/fixtures/%s", TOP_SRCDIR, file);
    conn = virConnectOpen(uri);
    ck_assert_msg(conn != NULL, "cannot open %s", uri);
    ck_assert_int_eq(vmm_snapshot_hypervisor_read(conn, &hv), 0);
    ck_assert_str_eq(hv.version, "");
    ck_assert_int_eq(vmm_snapshot_hypervisor_version(conn, hv.version, sizeof(hv.version)), 0);
    history = vmm_history_new();
}

static struct vmm_snapshot *take(void)
{
    return vmm_snapshot_take(conn, &hv, history);
}

static void teardown(void)
{
    vmm_history_free(history);
    history = NULL;
    if (conn)
        virConnectClose(conn);
    conn = NULL;
}

static const struct vmm_machine *by_name(const struct vmm_snapshot *s, const char *name)
{
    for (size_t i = 0; i < s->nmachines; i++)
        if (strcmp(s->machines[i].name, name) == 0)
            return &s->machines[i];
    ck_abort_msg("no machine %s", name);
    return NULL;
}

START_TEST(version_format)
{
    char buf[32];

    vmm_snapshot_version_format(2, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0.0.2");
    vmm_snapshot_version_format(7002022, buf, sizeof(buf));
    ck_assert_str_eq(buf, "7.2.22");
    vmm_snapshot_version_format(9000000, buf, sizeof(buf));
    ck_assert_str_eq(buf, "9.0.0");
    vmm_snapshot_version_format(4017100, buf, sizeof(buf));
    ck_assert_str_eq(buf, "4.17.100");
    vmm_snapshot_version_format(0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0.0.0");
}
END_TEST

START_TEST(hypervisor_of_node)
{
    static const unsigned char first[VIR_UUID_BUFLEN] = {
        0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
        0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x01,
    };
    struct vmm_snapshot *s;

    open_node("node.xml");
    ck_assert_str_eq(hv.software, "TEST");
    ck_assert_str_eq(hv.version, "0.0.2");
    s = take();
    ck_assert_str_eq(s->hv_software, "TEST");
    ck_assert_str_eq(s->hv_version, "0.0.2");
    ck_assert_mem_eq(s->machines[0].uuid, first, VIR_UUID_BUFLEN);
    vmm_snapshot_free(s);
}
END_TEST

START_TEST(states_of_node)
{
    struct vmm_snapshot *s;
    const struct vmm_machine *m;

    open_node("node.xml");
    s = take();
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->nmachines, 4);
    ck_assert(!s->set_changed);
    m = by_name(s, "web01");
    ck_assert_int_eq(m->st.oper, VMM_OPER_RUNNING);
    ck_assert_int_eq(m->st.admin, VMM_ADMIN_RUNNING);
    ck_assert_int_eq(m->persistent, VMM_PERSISTENT_YES);
    ck_assert_int_eq(m->autostart, VMM_AUTOSTART_DISABLED);
    ck_assert_uint_eq(m->mem_max_kib, 1048576);
    ck_assert_uint_eq(m->vcpus_max, 2);
    ck_assert_uint_eq(m->nvcpus, 2);
    ck_assert_uint_eq(m->vcpus[1].number, 1);
    ck_assert_uint_gt(m->started_cs, 0);
    m = by_name(s, "db01");
    ck_assert_int_eq(m->st.oper, VMM_OPER_PAUSED);
    ck_assert_int_eq(m->st.admin, VMM_ADMIN_PAUSED);
    ck_assert_uint_gt(m->started_cs, 0);              /* paused is still up */
    m = by_name(s, "build01");
    ck_assert_int_eq(m->st.oper, VMM_OPER_SHUTDOWN);
    ck_assert_int_eq(m->st.admin, VMM_ADMIN_SHUTDOWN);
    ck_assert_uint_eq(m->started_cs, 0);
    ck_assert_uint_eq(m->cpu_time_us, 0);
    ck_assert_uint_eq(m->mem_max_kib, 524288);
    m = by_name(s, "mail01");
    ck_assert(m->managed_save);
    ck_assert_int_eq(m->st.oper, VMM_OPER_SUSPENDED);
    ck_assert_int_eq(m->st.admin, VMM_ADMIN_SUSPENDED);
    for (size_t i = 1; i < s->nmachines; i++)
        ck_assert_int_lt(memcmp(s->machines[i - 1].uuid, s->machines[i].uuid, 16), 0);
    vmm_snapshot_free(s);
}
END_TEST

/* The test driver has no jobs: a belief that a machine migrates out is
 * kept (the next snapshot asks again), while it runs. */
START_TEST(outgoing_belief_kept_while_job_unknown)
{
    struct vmm_snapshot *s;
    const struct vmm_machine *web, *build;
    virDomainPtr dom;

    open_node("node.xml");
    vmm_snapshot_free(take());
    dom = virDomainLookupByName(conn, "web01");
    ck_assert_int_eq(vmm_migration_job_work(dom), -1);
    virDomainFree(dom);
    s = take();
    web = by_name(s, "web01");
    build = by_name(s, "build01");
    ck_assert(!web->outgoing);
    vmm_history_set_outgoing(history, web->uuid, true);
    vmm_history_set_outgoing(history, build->uuid, true);
    vmm_snapshot_free(s);
    s = take();
    web = by_name(s, "web01");
    ck_assert(web->outgoing);
    ck_assert_int_eq(web->st.oper, VMM_OPER_MIGRATING);
    ck_assert_int_eq(web->st.admin, VMM_ADMIN_RUNNING);
    build = by_name(s, "build01");              /* shut off: no migration */
    ck_assert(!build->outgoing);
    ck_assert_int_eq(build->st.oper, VMM_OPER_SHUTDOWN);
    vmm_history_set_outgoing(history, web->uuid, false);
    vmm_history_recheck_jobs(history);
    vmm_snapshot_free(s);
    s = take();
    ck_assert_int_eq(by_name(s, "web01")->st.oper, VMM_OPER_RUNNING);
    vmm_snapshot_free(s);
}
END_TEST

START_TEST(changes_between_snapshots)
{
    struct vmm_snapshot *s;
    virDomainPtr dom;

    open_node("node.xml");
    vmm_snapshot_free(take());
    s = take();
    ck_assert(!s->set_changed);
    vmm_snapshot_free(s);
    dom = virDomainLookupByName(conn, "build01");
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    virDomainFree(dom);
    s = take();
    ck_assert(s->set_changed);
    ck_assert_uint_eq(s->nmachines, 3);
    vmm_snapshot_free(s);
    /* starting a machine changes its state, not the set */
    dom = virDomainLookupByName(conn, "mail01");
    ck_assert_int_eq(virDomainCreate(dom), 0);
    virDomainFree(dom);
    s = take();
    ck_assert(!s->set_changed);
    ck_assert_int_eq(by_name(s, "mail01")->st.oper, VMM_OPER_RUNNING);
    vmm_snapshot_free(s);
}
END_TEST

/* libvirt's counters can restart lower within one run of a machine (a disk
 * unplugged and plugged again under the same target); the test driver's only
 * grow, so the history is made to remember a higher reading served before. */
START_TEST(counters_never_go_back)
{
    struct vmm_snapshot *a, *b;
    const struct vmm_machine *ma, *mb;
    unsigned long long served;
    virDomainPtr dom;

    open_node("node.xml");
    a = take();
    ma = by_name(a, "web01");
    served = ma->cpu_time_us + 1000000000000ULL;
    vmm_history_floor(vmm_history_get(history, ma->uuid), "cpu", &served);
    b = take();
    mb = by_name(b, "web01");
    ck_assert_uint_eq(mb->cpu_time_us, served);
    ck_assert_uint_eq(mb->started_cs, ma->started_cs);
    vmm_snapshot_free(b);

    /* a new run (a new domain id) counts from libvirt's values again */
    dom = virDomainLookupByName(conn, "web01");
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    virDomainFree(dom);
    b = take();
    mb = by_name(b, "web01");
    ck_assert_int_ne(mb->id, ma->id);
    ck_assert_uint_lt(mb->cpu_time_us, served);
    vmm_snapshot_free(a);
    vmm_snapshot_free(b);
}
END_TEST

/* A driver without bulk statistics or vCPU times (LXC) is asked once per
 * connection: with both remembered as unsupported, the test driver's
 * machines are read by the per-machine calls alone; a new connection asks
 * again. */
START_TEST(unsupported_calls_skipped)
{
    struct vmm_snapshot *s;
    const struct vmm_machine *m;
    struct vmm_support *sup;

    open_node("node.xml");
    s = take();
    sup = vmm_history_support(history);
    ck_assert_uint_eq(sup->conn, hv.conn);
    ck_assert_uint_eq(sup->missing, 0);                  /* the test driver has both */
    ck_assert(by_name(s, "web01")->vcpus[0].has_time);
    vmm_snapshot_free(s);

    vmm_driver_failed(sup, VMM_CALL_BULK_STATS | VMM_CALL_VCPUS, VIR_ERR_NO_SUPPORT);
    s = take();
    m = by_name(s, "web01");
    ck_assert_int_eq(m->st.oper, VMM_OPER_RUNNING);     /* virDomainGetState */
    ck_assert_uint_gt(m->cpu_time_us, 0);               /* virDomainGetInfo */
    ck_assert_uint_eq(m->nvcpus, 2);
    ck_assert(!m->vcpus[0].has_time && !m->vcpus[1].has_time);
    ck_assert_int_eq(by_name(s, "db01")->st.oper, VMM_OPER_PAUSED);
    ck_assert(by_name(s, "build01")->vcpus[0].has_time);
    ck_assert_uint_eq(sup->missing, VMM_CALL_BULK_STATS | VMM_CALL_VCPUS);
    vmm_snapshot_free(s);

    ck_assert_int_eq(vmm_snapshot_hypervisor_read(conn, &hv), 0);  /* as after a reconnect */
    s = take();
    ck_assert(by_name(s, "web01")->vcpus[0].has_time);
    ck_assert_uint_eq(sup->missing, 0);
    vmm_snapshot_free(s);
}
END_TEST

/* Where the domain id is the pid of the machine's process (LXC's
 * controller), vmUpTime counts from that process's start.  The test
 * driver numbers machines from 1: web01's "process" is then pid 1. */
START_TEST(uptime_from_machine_process)
{
    struct vmm_snapshot *s;
    const struct vmm_machine *m;
    uint64_t started;

    open_node("node.xml");
    hv.traits = VMM_DRIVER_ID_IS_PID;
    s = take();
    m = by_name(s, "web01");
    started = vmm_host_process_start_cs(m->id);
    ck_assert_uint_gt(started, 0);
    /* In a time namespace whose boot lies after pid 1's start (make
     * check's "booted two minutes ago" run), the kernel reports a start
     * after now; the module then counts from first sight. */
    if (started <= vmm_clock_boottime_cs())
        ck_assert_uint_eq(m->started_cs, started);
    ck_assert_uint_gt(m->started_cs, 0);
    ck_assert_uint_le(m->started_cs, vmm_clock_boottime_cs());
    ck_assert_uint_eq(by_name(s, "build01")->started_cs, 0);
    vmm_snapshot_free(s);
}
END_TEST

/* Only Xen's id 0 is the host: a test-driver machine named Domain-0 with
 * the all-zero UUID is a guest like any other. */
START_TEST(domain0_lookalike_is_a_guest)
{
    struct vmm_snapshot *s;
    static const unsigned char zero[VIR_UUID_BUFLEN];

    open_node("domain0.xml");
    hv.traits = vmm_driver_traits("Xen");
    s = take();
    ck_assert_uint_eq(s->nmachines, 2);
    ck_assert_str_eq(s->machines[0].name, "Domain-0");
    ck_assert_int_eq(memcmp(s->machines[0].uuid, zero, sizeof(zero)), 0);
    ck_assert_int_gt(s->machines[0].id, 0);
    vmm_snapshot_free(s);
}
END_TEST

START_TEST(devices_of_full)
{
    struct vmm_snapshot *s;
    const struct vmm_machine *m;

    open_node("full.xml");
    s = take();
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->nmachines, 6);
    ck_assert_uint_eq(s->host_cpus, 4);
    m = by_name(s, "web01");
    ck_assert_uint_eq(m->vcpus_cur, 2);
    ck_assert_uint_eq(m->vcpus_max, 4);
    ck_assert_uint_eq(m->nvcpus, 2);
    ck_assert_uint_eq(m->mem_cur_kib, 1048576);
    ck_assert_uint_eq(m->mem_max_kib, 2097152);
    ck_assert_uint_eq(m->conf->ndisks, 3);
    ck_assert_ptr_null(m->conf->disks[2].source);        /* cdrom without media */
    ck_assert_int_eq(m->disks[2].capacity, -1);
    ck_assert_uint_eq(m->disks[2].rd_reqs, 0);
    ck_assert_int_gt(m->disks[0].capacity, 0);
    ck_assert_uint_gt(m->disks[0].rd_reqs, 0);           /* running: statistics */
    ck_assert_uint_gt(m->cpu_time_us, 0);
    ck_assert_str_eq(m->conf->os_type, "http://debian.org/debian/12");
    m = by_name(s, "build01");                           /* shut off */
    ck_assert_int_gt(m->disks[1].capacity, 0);           /* sizes, read once */
    ck_assert_uint_eq(m->disks[1].rd_reqs, 0);
    ck_assert_uint_eq(m->nvcpus, 1);
    ck_assert(m->vcpus[0].has_time);                     /* no run, no time used */
    ck_assert_uint_eq(m->vcpus[0].time_us, 0);
    m = by_name(s, "db01");                              /* paused, pinned */
    ck_assert_int_eq(m->st.oper, VMM_OPER_PAUSED);
    ck_assert_uint_eq(m->conf->pinmap[0], 0x1);          /* vCPU 0 on CPU 0 */
    ck_assert_uint_eq(m->conf->pinmap[1], 0xc);          /* vCPU 1 on CPUs 2-3 */
    m = by_name(s, "k\xc3\xb6nnen-\xe6\xb5\x8b\xe8\xaf\x95-\xf0\x9f\x9a\x80");
    ck_assert_int_eq(m->persistent, VMM_PERSISTENT_TRANSIENT);
    vmm_snapshot_free(s);
}
END_TEST

START_TEST(no_machines)
{
    struct vmm_snapshot *s;

    open_node("empty.xml");
    s = take();
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->nmachines, 0);
    ck_assert_str_eq(s->hv_software, "TEST");
    vmm_snapshot_free(s);
}
END_TEST

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque; (void)err;
}

/* The collector's update of one machine: re-read, merged into a full
 * snapshot in UUID order, and removed again. */
START_TEST(one_machine_update)
{
    struct vmm_snapshot *snap, *one;
    unsigned char uuid[VIR_UUID_BUFLEN], missing[VIR_UUID_BUFLEN];
    virDomainPtr dom;
    bool gone;

    open_node("node.xml");
    snap = take();
    ck_assert_uint_eq(snap->nmachines, 4);
    dom = virDomainLookupByName(conn, "web01");
    ck_assert_ptr_nonnull(dom);
    virDomainGetUUID(dom, uuid);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    virDomainFree(dom);

    one = vmm_snapshot_take_one(conn, &hv, history, uuid, &gone);
    ck_assert_ptr_nonnull(one);
    ck_assert(!gone);
    ck_assert_uint_eq(one->nmachines, 1);
    ck_assert_int_eq(one->machines[0].st.oper, VMM_OPER_PAUSED);
    ck_assert_int_eq(vmm_snapshot_merge(snap, one), 0);
    ck_assert_uint_eq(snap->nmachines, 4);
    ck_assert_int_eq(vmm_snapshot_find(snap, uuid)->st.oper, VMM_OPER_PAUSED);

    ck_assert(vmm_snapshot_remove(snap, uuid));
    ck_assert_uint_eq(snap->nmachines, 3);
    ck_assert_ptr_null(vmm_snapshot_find(snap, uuid));
    ck_assert(!vmm_snapshot_remove(snap, uuid));
    for (size_t i = 1; i < snap->nmachines; i++)
        ck_assert_int_lt(memcmp(snap->machines[i - 1].uuid, snap->machines[i].uuid, 16), 0);

    /* back in, in its place */
    one = vmm_snapshot_take_one(conn, &hv, history, uuid, &gone);
    ck_assert_int_eq(vmm_snapshot_merge(snap, one), 0);
    ck_assert_uint_eq(snap->nmachines, 4);
    for (size_t i = 1; i < snap->nmachines; i++)
        ck_assert_int_lt(memcmp(snap->machines[i - 1].uuid, snap->machines[i].uuid, 16), 0);

    memset(missing, 0xee, sizeof(missing));
    virSetErrorFunc(NULL, quiet);  /* libvirt would print "Domain not found" */
    ck_assert_ptr_null(vmm_snapshot_take_one(conn, &hv, history, missing, &gone));
    virSetErrorFunc(NULL, NULL);
    ck_assert(gone);
    vmm_snapshot_free(snap);
}
END_TEST

Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("test driver");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, version_format);
    tcase_add_test(tc, hypervisor_of_node);
    tcase_add_test(tc, states_of_node);
    tcase_add_test(tc, outgoing_belief_kept_while_job_unknown);
    tcase_add_test(tc, changes_between_snapshots);
    tcase_add_test(tc, counters_never_go_back);
    tcase_add_test(tc, devices_of_full);
    tcase_add_test(tc, unsupported_calls_skipped);
    tcase_add_test(tc, uptime_from_machine_process);
    tcase_add_test(tc, domain0_lookalike_is_a_guest);
    tcase_add_test(tc, no_machines);
    tcase_add_test(tc, one_machine_update);
    suite_add_tcase(s, tc);
    return s;
}
