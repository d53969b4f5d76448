/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <unistd.h>

#include "suites.h"
#include "core/clock.h"
#include "core/host.h"

START_TEST(host_interfaces)
{
    ck_assert_uint_eq(vmm_host_ifindex("lo"), 1);
    ck_assert_uint_eq(vmm_host_ifindex("no-such-dev0"), 0);
    ck_assert_uint_eq(vmm_host_ifindex(""), 0);
    ck_assert_uint_eq(vmm_host_ifindex(NULL), 0);
    ck_assert_uint_eq(vmm_host_ifindex("a-name-longer-than-ifnamsiz"), 0);
    /* user networking and unknown bridges have no uplink; lo is no bridge */
    ck_assert_uint_eq(vmm_host_uplink("user", ""), 0);
    ck_assert_uint_eq(vmm_host_uplink("bridge", "no-such-br0"), 0);
    ck_assert_uint_eq(vmm_host_uplink("bridge", "lo"), 0);
    ck_assert_uint_eq(vmm_host_uplink("bridge", "../lo"), 0);
    ck_assert_uint_eq(vmm_host_uplink("direct", "lo"), 1);
}
END_TEST

START_TEST(process_start)
{
    uint64_t now = vmm_clock_boottime_cs(), started = vmm_host_process_start_cs(getpid());

    ck_assert_uint_gt(started, 0);
    ck_assert_uint_le(started, now);
    ck_assert_uint_eq(vmm_host_process_start_cs(0), 0);
    ck_assert_uint_eq(vmm_host_process_start_cs(-5), 0);
    ck_assert_int_eq(vmm_host_qemu_pid("no-such-machine"), 0);
    ck_assert_int_eq(vmm_host_qemu_pid("../etc/passwd"), 0);
}
END_TEST

Suite *host_suite(void)
{
    Suite *s = suite_create("host");
    TCase *tc = tcase_create("host");

    tcase_add_test(tc, host_interfaces);
    tcase_add_test(tc, process_start);
    suite_add_tcase(s, tc);
    return s;
}
