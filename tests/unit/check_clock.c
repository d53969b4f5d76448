/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdlib.h>
#include <time.h>

#include "suites.h"
#include "core/clock.h"

static uint64_t cs_of(clockid_t clock)
{
    struct timespec t;

    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 100 + (uint64_t)t.tv_nsec / 10000000;
}

/* Process start times (/proc) count from boot, suspended time included. */
START_TEST(boottime_in_centiseconds)
{
    uint64_t before = cs_of(CLOCK_BOOTTIME), now = vmm_clock_boottime_cs();

    ck_assert_uint_ge(now, before);
    ck_assert_uint_le(now, cs_of(CLOCK_BOOTTIME));
}
END_TEST

/* TimeTicks are the low 32 bits: vmHvUpTime wraps like every TimeTicks
 * (RFC 2578 7.1.8), as sysUpTime does. */
START_TEST(hv_uptime_is_boottime_modulo_2_32)
{
    uint64_t before = vmm_clock_boottime_cs();
    uint32_t ticks = vmm_clock_uptime_ticks();
    uint64_t after = vmm_clock_boottime_cs();

    ck_assert_uint_le((uint32_t)(ticks - (uint32_t)before), after - before);
}
END_TEST

/* Under tests/unit/timens.sh the host looks booted VMM_TEST_UPTIME_S
 * seconds ago: the namespace took effect, and beyond 2^32 centiseconds
 * (497 days) vmHvUpTime has wrapped. */
START_TEST(uptime_as_the_namespace_sets_it)
{
    uint64_t want = strtoull(getenv("VMM_TEST_UPTIME_S"), NULL, 10) * 100;
    const uint64_t wrap = UINT64_C(1) << 32;
    uint64_t before = vmm_clock_boottime_cs();
    uint32_t ticks = vmm_clock_uptime_ticks();
    uint64_t after = vmm_clock_boottime_cs();

    ck_assert_uint_ge(before, want);
    ck_assert_uint_le(before, want + 60000);        /* 10 min: valgrind is slow */
    if (want >= wrap) {                             /* wrapped once */
        ck_assert_uint_ge(ticks + wrap, before);
        ck_assert_uint_le(ticks + wrap, after);
    }
}
END_TEST

START_TEST(now_ms_is_monotonic)
{
    uint64_t before = cs_of(CLOCK_MONOTONIC) * 10, now = vmm_clock_now_ms();

    ck_assert_uint_ge(now, before);
    ck_assert_uint_le(now, (cs_of(CLOCK_MONOTONIC) + 1) * 10);
    ck_assert_uint_ge(vmm_clock_now_ms(), now);
}
END_TEST

Suite *clock_suite(void)
{
    Suite *s = suite_create("clock");
    TCase *tc = tcase_create("clocks");

    tcase_add_test(tc, boottime_in_centiseconds);
    tcase_add_test(tc, hv_uptime_is_boottime_modulo_2_32);
    tcase_add_test(tc, now_ms_is_monotonic);
    suite_add_tcase(s, tc);
    if (getenv("VMM_TEST_UPTIME_S")) {
        tc = tcase_create("namespace");
        tcase_add_test(tc, uptime_as_the_namespace_sets_it);
        suite_add_tcase(s, tc);
    }
    return s;
}
