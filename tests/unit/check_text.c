/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <string.h>

#include "suites.h"
#include "core/text.h"

START_TEST(utf8_cut)
{
    /* "ü" is 2 octets, "测" 3, "🚀" 4 */
    ck_assert_uint_eq(vmm_text_utf8_cut("abc", 255), 3);
    ck_assert_uint_eq(vmm_text_utf8_cut("abc", 2), 2);
    ck_assert_uint_eq(vmm_text_utf8_cut("a\xc3\xbc", 2), 1);       /* a|ü cut inside ü */
    ck_assert_uint_eq(vmm_text_utf8_cut("a\xc3\xbc", 3), 3);
    ck_assert_uint_eq(vmm_text_utf8_cut("\xe6\xb5\x8b\xe6\xb5\x8b", 4), 3);
    ck_assert_uint_eq(vmm_text_utf8_cut("\xf0\x9f\x9a\x80x", 3), 0);
    ck_assert_uint_eq(vmm_text_utf8_cut("\xf0\x9f\x9a\x80x", 4), 4);
    ck_assert_uint_eq(vmm_text_utf8_cut("", 0), 0);
}
END_TEST

START_TEST(utf8_cut_long_name)
{
    char name[301];

    memset(name, 'n', 300);
    name[300] = '\0';
    ck_assert_uint_eq(vmm_text_utf8_cut(name, VMM_ADMIN_STRING_MAX), 255);
}
END_TEST

START_TEST(hex_digit)
{
    ck_assert_int_eq(vmm_text_hex_digit('0'), 0);
    ck_assert_int_eq(vmm_text_hex_digit('9'), 9);
    ck_assert_int_eq(vmm_text_hex_digit('a'), 10);
    ck_assert_int_eq(vmm_text_hex_digit('F'), 15);
    ck_assert_int_eq(vmm_text_hex_digit('g'), -1);
    ck_assert_int_eq(vmm_text_hex_digit('G'), -1);
    ck_assert_int_eq(vmm_text_hex_digit('/'), -1);
    ck_assert_int_eq(vmm_text_hex_digit(':'), -1);
    ck_assert_int_eq(vmm_text_hex_digit('\0'), -1);
}
END_TEST

Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("utf8");

    tcase_add_test(tc, utf8_cut);
    tcase_add_test(tc, utf8_cut_long_name);
    tcase_add_test(tc, hex_digit);
    suite_add_tcase(s, tc);
    return s;
}
