/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "suites.h"
#include "core/vmlist.h"

START_TEST(vmlist_bits)
{
    struct vmm_vmlist l = { 0 };

    ck_assert_int_eq(vmm_vmlist_add(&l, 1), 0);
    ck_assert_uint_eq(l.len, 1);
    ck_assert_uint_eq(l.map[0], 0x80);
    ck_assert_int_eq(vmm_vmlist_add(&l, 8), 0);
    ck_assert_uint_eq(l.map[0], 0x81);
    ck_assert_int_eq(vmm_vmlist_add(&l, 10), 0);
    ck_assert_uint_eq(l.len, 2);
    ck_assert_uint_eq(l.map[1], 0x40);
    ck_assert_int_eq(vmm_vmlist_add(&l, 25), 0);
    ck_assert_uint_eq(l.len, 4);
    ck_assert_uint_eq(l.map[2], 0x00);
    ck_assert_uint_eq(l.map[3], 0x80);
    ck_assert_int_eq(vmm_vmlist_add(&l, 0), -1);
    vmm_vmlist_clear(&l);
    ck_assert_uint_eq(l.len, 0);
    ck_assert_ptr_null(l.map);
}
END_TEST

Suite *vmlist_suite(void)
{
    Suite *s = suite_create("vmlist");
    TCase *tc = tcase_create("bits");

    tcase_add_test(tc, vmlist_bits);
    suite_add_tcase(s, tc);
    return s;
}
