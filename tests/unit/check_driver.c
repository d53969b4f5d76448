/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <libvirt/virterror.h>

#include "suites.h"
#include "core/driver.h"

START_TEST(traits_by_type)
{
    ck_assert_uint_eq(vmm_driver_traits("QEMU"), VMM_DRIVER_QEMU_PIDFILE);
    ck_assert_uint_eq(vmm_driver_traits("LXC"), VMM_DRIVER_ID_IS_PID | VMM_DRIVER_INFO_MEMORY_USED);
    ck_assert_uint_eq(vmm_driver_traits("Xen"), VMM_DRIVER_HOST_DOMAIN);
    ck_assert_uint_eq(vmm_driver_traits("TEST"), 0);
    ck_assert_uint_eq(vmm_driver_traits("lxc"), 0);      /* the name is exact */
    ck_assert_uint_eq(vmm_driver_traits(NULL), 0);
}
END_TEST

/* Xen lists its Domain-0 (id 0, all-zero UUID, always running); libvirt's
 * test driver numbers its machines from 1, so the rule is tested here. */
START_TEST(host_domain)
{
    unsigned xen = vmm_driver_traits("Xen");

    ck_assert(vmm_driver_is_host(xen, 0));
    ck_assert(!vmm_driver_is_host(xen, 1));
    ck_assert(!vmm_driver_is_host(xen, -1));             /* an inactive guest */
    ck_assert(!vmm_driver_is_host(vmm_driver_traits("QEMU"), 0));
    ck_assert(!vmm_driver_is_host(vmm_driver_traits("LXC"), 0));
    ck_assert(!vmm_driver_is_host(0, 0));
}
END_TEST

START_TEST(machine_pid)
{
    unsigned lxc = vmm_driver_traits("LXC"), qemu = vmm_driver_traits("QEMU");

    ck_assert_int_eq(vmm_driver_machine_pid(lxc, "c1", 4242), 4242);  /* the controller */
    ck_assert_int_eq(vmm_driver_machine_pid(lxc, "c1", -1), 0);       /* not running */
    ck_assert_int_eq(vmm_driver_machine_pid(lxc, "c1", 0), 0);
    ck_assert_int_eq(vmm_driver_machine_pid(qemu, "no-such-machine", 7), 0);  /* no pid file */
    ck_assert_int_eq(vmm_driver_machine_pid(0, "x", 7), 0);
}
END_TEST

START_TEST(unsupported_once_per_connection)
{
    struct vmm_support s = { 0, 0 };

    ck_assert(vmm_driver_may_call(&s, 1, VMM_CALL_BULK_STATS));
    vmm_driver_failed(&s, VMM_CALL_BULK_STATS, VIR_ERR_NO_SUPPORT);
    ck_assert(!vmm_driver_may_call(&s, 1, VMM_CALL_BULK_STATS));
    ck_assert(vmm_driver_may_call(&s, 1, VMM_CALL_VCPUS));          /* only that call */
    /* other failures (a busy domain, a lost connection) are no verdict */
    vmm_driver_failed(&s, VMM_CALL_VCPUS, VIR_ERR_OPERATION_INVALID);
    vmm_driver_failed(&s, VMM_CALL_VCPUS, VIR_ERR_SYSTEM_ERROR);
    ck_assert(vmm_driver_may_call(&s, 1, VMM_CALL_VCPUS));
    vmm_driver_failed(&s, VMM_CALL_VCPUS, VIR_ERR_NO_SUPPORT);
    ck_assert(!vmm_driver_may_call(&s, 1, VMM_CALL_VCPUS));
    ck_assert(!vmm_driver_may_call(&s, 1, VMM_CALL_BULK_STATS));
    /* a new connection may reach another daemon: asked again */
    ck_assert(vmm_driver_may_call(&s, 2, VMM_CALL_BULK_STATS));
    ck_assert(vmm_driver_may_call(&s, 2, VMM_CALL_VCPUS));
}
END_TEST

Suite *driver_suite(void)
{
    Suite *s = suite_create("driver");
    TCase *tc = tcase_create("driver");

    tcase_add_test(tc, traits_by_type);
    tcase_add_test(tc, host_domain);
    tcase_add_test(tc, machine_pid);
    tcase_add_test(tc, unsupported_once_per_connection);
    suite_add_tcase(s, tc);
    return s;
}
