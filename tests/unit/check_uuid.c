/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <string.h>

#include "suites.h"
#include "core/uuid.h"

START_TEST(uuid_format_and_parse)
{
    static const unsigned char u[16] = {
        0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x4a, 0xbc,
        0x8f, 0xff, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
    };
    unsigned char back[16];
    char text[37];

    vmm_uuid_format(u, text);
    ck_assert_str_eq(text, "deadbeef-0001-4abc-8fff-0123456789ab");
    ck_assert_int_eq(vmm_uuid_parse(text, back), 0);
    ck_assert_mem_eq(back, u, 16);
    memset(back, 0, 16);
    ck_assert_int_eq(vmm_uuid_parse("DEADBEEF-0001-4ABC-8FFF-0123456789AB", back), 0);
    ck_assert_mem_eq(back, u, 16);
}
END_TEST

START_TEST(uuid_parse_rejects)
{
    static const char *const bad[] = {
        "", "deadbeef", "deadbeef-0001-4abc-8fff-0123456789a",
        "deadbeef-0001-4abc-8fff-0123456789abc", "deadbeef00014abc8fff0123456789ab",
        "deadbeef-0001-4abc-8fff-0123456789ag", "deadbeef-00014-abc-8fff-0123456789ab",
        " deadbeef-0001-4abc-8fff-0123456789a", "deadbeef-0001-4abc-8fff-0123456789ab ",
        "deadbeef_0001_4abc_8fff_0123456789ab", "+eadbeef-0001-4abc-8fff-0123456789ab",
    };
    unsigned char u[16], zero[16] = { 0 };

    memset(u, 0, sizeof(u));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(vmm_uuid_parse(bad[i], u) == -1, "accepted \"%s\"", bad[i]);
        ck_assert_mem_eq(u, zero, 16);
    }
    ck_assert_int_eq(vmm_uuid_parse(NULL, u), -1);
}
END_TEST

/* The order of the sets keyed by UUID: octet by octet, unsigned. */
START_TEST(uuid_cmp_orders_octets)
{
    unsigned char a[VMM_UUID_LEN] = { 0 }, b[VMM_UUID_LEN] = { 0 };

    ck_assert_int_eq(vmm_uuid_cmp(a, b), 0);
    b[15] = 1;
    ck_assert_int_lt(vmm_uuid_cmp(a, b), 0);
    a[0] = 0x80;
    ck_assert_int_gt(vmm_uuid_cmp(a, b), 0);
    ck_assert_int_lt(vmm_uuid_cmp(b, a), 0);
}
END_TEST

Suite *uuid_suite(void)
{
    Suite *s = suite_create("uuid");
    TCase *tc = tcase_create("text");

    tcase_add_test(tc, uuid_format_and_parse);
    tcase_add_test(tc, uuid_parse_rejects);
    tcase_add_test(tc, uuid_cmp_orders_octets);
    suite_add_tcase(s, tc);
    return s;
}
