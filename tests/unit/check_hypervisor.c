#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/virterror.h>

#include "suites.h"
#include "core/backoff.h"
#include "core/history.h"
#include "core/snapshot.h"
#include "core/clock.h"

START_TEST(version_format)
{
    char buf[32];

    vmm_version_format(2, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0.0.2");
    vmm_version_format(7002022, buf, sizeof(buf));
    ck_assert_str_eq(buf, "7.2.22");
    vmm_version_format(9000000, buf, sizeof(buf));
    ck_assert_str_eq(buf, "9.0.0");
    vmm_version_format(4017100, buf, sizeof(buf));
    ck_assert_str_eq(buf, "4.17.100");
    vmm_version_format(0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0.0.0");
}
END_TEST

START_TEST(ticks_arithmetic)
{
    struct timespec t = { 0, 0 };

    ck_assert_uint_eq(vmm_ticks_from_timespec(&t), 0);
    t.tv_sec = 12; t.tv_nsec = 345678901;
    ck_assert_uint_eq(vmm_ticks_from_timespec(&t), 1234);
    t.tv_nsec = 9999999;          /* below one centisecond */
    ck_assert_uint_eq(vmm_ticks_from_timespec(&t), 1200);
    /* 2^32 centiseconds = 42949672.96 s: the counter wraps to 0 there. */
    t.tv_sec = 42949672; t.tv_nsec = 960000000;
    ck_assert_uint_eq(vmm_ticks_from_timespec(&t), 0);
    t.tv_sec = 42949672; t.tv_nsec = 950000000;
    ck_assert_uint_eq(vmm_ticks_from_timespec(&t), 4294967295u);
    t.tv_sec = 42949673; t.tv_nsec = 0;
    ck_assert_uint_eq(vmm_ticks_from_timespec(&t), 4);
}
END_TEST

START_TEST(hv_uptime_is_boottime)
{
    struct timespec before, after;
    uint32_t ticks;

    clock_gettime(CLOCK_BOOTTIME, &before);
    ticks = vmm_hv_uptime_ticks();
    clock_gettime(CLOCK_BOOTTIME, &after);
    ck_assert_uint_ge(ticks, vmm_ticks_from_timespec(&before));
    ck_assert_uint_le(ticks, vmm_ticks_from_timespec(&after));
}
END_TEST

START_TEST(backoff)
{
    static const unsigned expect[] = { 1, 2, 4, 8, 16, 32, 60, 60, 60 };
    unsigned d = 0;

    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        d = vmm_backoff_next(d);
        ck_assert_uint_eq(d, expect[i]);
    }
    ck_assert_uint_eq(vmm_backoff_next(UINT_MAX), 60);
}
END_TEST

static virConnectPtr open_fixture(void)
{
    char uri[4096];
    virConnectPtr conn;

    snprintf(uri, sizeof(uri), "test://%s/tests/fixtures/node.xml", TOP_SRCDIR);
    conn = virConnectOpenReadOnly(uri);
    ck_assert_msg(conn != NULL, "cannot open %s", uri);
    return conn;
}

START_TEST(snapshot_of_fixture)
{
    virConnectPtr conn = open_fixture();
    struct vmm_history *h = vmm_history_new();
    struct vmm_hypervisor hv;
    struct vmm_snapshot *snap;
    static const unsigned char first[VIR_UUID_BUFLEN] = {
        0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
        0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x01,
    };

    ck_assert_int_eq(vmm_hypervisor_read(conn, &hv), 0);
    ck_assert_str_eq(hv.software, "TEST");
    ck_assert_str_eq(hv.version, "0.0.2");
    snap = vmm_snapshot_take(conn, &hv, h);
    ck_assert_ptr_nonnull(snap);
    ck_assert_str_eq(snap->hv_software, "TEST");
    ck_assert_str_eq(snap->hv_version, "0.0.2");
    ck_assert_uint_eq(snap->nmachines, 4);
    /* sorted by UUID, inactive machines included */
    ck_assert_mem_eq(snap->machines[0].uuid, first, VIR_UUID_BUFLEN);
    for (size_t i = 1; i < snap->nmachines; i++)
        ck_assert_int_lt(memcmp(snap->machines[i - 1].uuid, snap->machines[i].uuid,
                                VIR_UUID_BUFLEN), 0);
    vmm_snapshot_free(snap);
    vmm_history_free(h);
    virConnectClose(conn);
}
END_TEST

Suite *hypervisor_suite(void)
{
    Suite *s = suite_create("hypervisor");
    TCase *tc = tcase_create("facts");

    tcase_add_test(tc, version_format);
    tcase_add_test(tc, ticks_arithmetic);
    tcase_add_test(tc, hv_uptime_is_boottime);
    tcase_add_test(tc, backoff);
    tcase_add_test(tc, snapshot_of_fixture);
    suite_add_tcase(s, tc);
    return s;
}
