/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "core/config.h"

static struct vmm_config cfg;
static char why[80];

static const char *apply(struct vmm_config *c, const char *token, const char *value)
{
    return vmm_config_apply(c, token, value, why, sizeof(why));
}

static void setup(void)
{
    unsetenv("LIBVIRT_DEFAULT_URI");
    vmm_config_defaults(&cfg);
}

START_TEST(defaults)
{
    ck_assert_str_eq(cfg.uri, "qemu:///system");
    ck_assert_int_eq(cfg.cache_timeout, 5);
    ck_assert(!cfg.writable);
    ck_assert(cfg.pervm_notifications);
    ck_assert(!cfg.bulk_notifications);
    ck_assert_int_eq(cfg.bulk_window_ms, 1000);
    ck_assert_int_eq(cfg.refresh_wait_ms, 500);
    ck_assert_int_eq(cfg.stale_grace, 30);
}
END_TEST

START_TEST(default_uri_from_environment)
{
    setenv("LIBVIRT_DEFAULT_URI", "xen:///system", 1);
    vmm_config_defaults(&cfg);
    ck_assert_str_eq(cfg.uri, "xen:///system");
    setenv("LIBVIRT_DEFAULT_URI", "", 1);
    vmm_config_defaults(&cfg);
    ck_assert_str_eq(cfg.uri, "qemu:///system");
}
END_TEST

START_TEST(uri_accepted)
{
    ck_assert_ptr_null(apply(&cfg, "vmMibUri", "test:///default"));
    ck_assert_str_eq(cfg.uri, "test:///default");
    ck_assert_ptr_null(apply(&cfg, "vmMibUri",
        "  test+unix:///default?socket=/run/x/libvirt-sock  "));
    ck_assert_str_eq(cfg.uri, "test+unix:///default?socket=/run/x/libvirt-sock");
}
END_TEST

START_TEST(uri_rejected)
{
    static const char *const bad[] = {
        "", "   ", "noscheme", ":///x", "1qemu:///system", "qemu:///system extra",
        "qe mu:///system",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(apply(&cfg, "vmMibUri", bad[i]) != NULL,
                      "accepted \"%s\"", bad[i]);
        ck_assert_str_eq(cfg.uri, "qemu:///system");
    }
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibUri", NULL));
}
END_TEST

START_TEST(uri_too_long)
{
    char uri[VMM_URI_MAX + 10];

    memset(uri, 'a', sizeof(uri) - 1);
    uri[sizeof(uri) - 1] = '\0';
    memcpy(uri, "test:///", 8);
    ck_assert_str_eq(apply(&cfg, "vmMibUri", uri), "URI too long");
    ck_assert_str_eq(cfg.uri, "qemu:///system");
}
END_TEST

START_TEST(cache_timeout)
{
    ck_assert_ptr_null(apply(&cfg, "vmMibCacheTimeout", "0"));
    ck_assert_int_eq(cfg.cache_timeout, 0);
    ck_assert_ptr_null(apply(&cfg, "vmMibCacheTimeout", "86400"));
    ck_assert_int_eq(cfg.cache_timeout, 86400);
    ck_assert_str_eq(apply(&cfg, "vmMibCacheTimeout", "86401"),
                     "value out of range 0..86400");
    ck_assert_str_eq(apply(&cfg, "vmMibCacheTimeout", "99999999999999999999"),
                     "value out of range 0..86400");
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibCacheTimeout", "-1"));
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibCacheTimeout", "5s"));
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibCacheTimeout", "five"));
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibCacheTimeout", ""));
    ck_assert_int_eq(cfg.cache_timeout, 86400);
}
END_TEST

START_TEST(refresh_wait_and_grace)
{
    ck_assert_ptr_null(apply(&cfg, "vmMibRefreshWait", "0"));
    ck_assert_int_eq(cfg.refresh_wait_ms, 0);
    ck_assert_ptr_null(apply(&cfg, "vmMibRefreshWait", "10000"));
    ck_assert_int_eq(cfg.refresh_wait_ms, 10000);
    ck_assert_str_eq(apply(&cfg, "vmMibRefreshWait", "10001"),
                     "value out of range 0..10000");
    ck_assert_ptr_null(apply(&cfg, "vmMibStaleGrace", "0"));
    ck_assert_int_eq(cfg.stale_grace, 0);
    ck_assert_str_eq(apply(&cfg, "vmMibStaleGrace", "86401"),
                     "value out of range 0..86400");
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibStaleGrace", "-1"));
    ck_assert_int_eq(cfg.stale_grace, 0);
}
END_TEST

START_TEST(bulk_window)
{
    ck_assert_ptr_null(apply(&cfg, "vmMibBulkWindow", "250"));
    ck_assert_int_eq(cfg.bulk_window_ms, 250);
    ck_assert_str_eq(apply(&cfg, "vmMibBulkWindow", "60001"),
                     "value out of range 0..60000");
    ck_assert_ptr_nonnull(apply(&cfg, "vmMibBulkWindow", "1.5"));
    ck_assert_int_eq(cfg.bulk_window_ms, 250);
}
END_TEST

START_TEST(booleans)
{
    ck_assert_ptr_null(apply(&cfg, "vmMibWritable", "yes"));
    ck_assert(cfg.writable);
    ck_assert_ptr_null(apply(&cfg, "vmMibWritable", "No"));
    ck_assert(!cfg.writable);
    ck_assert_ptr_null(apply(&cfg, "vmMibBulkNotifications", "true"));
    ck_assert(cfg.bulk_notifications);
    ck_assert_ptr_null(apply(&cfg, "vmMibPerVmNotifications", "off"));
    ck_assert(!cfg.pervm_notifications);
    ck_assert_ptr_null(apply(&cfg, "vmMibPerVmNotifications", "1 "));
    ck_assert(cfg.pervm_notifications);
}
END_TEST

START_TEST(booleans_rejected)
{
    static const char *const bad[] = { "", "maybe", "yes please", "2", "y" };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_str_eq(apply(&cfg, "vmMibWritable", bad[i]),
                         "expected yes or no");
        ck_assert(!cfg.writable);
    }
}
END_TEST

START_TEST(every_token_known)
{
    ck_assert_uint_eq(vmm_config_ntokens, 8);
    for (size_t i = 0; i < vmm_config_ntokens; i++)
        ck_assert_str_ne(apply(&cfg, vmm_config_tokens[i].name, "x@"),
                         "unknown vm_mib token");
    ck_assert_str_eq(apply(&cfg, "vmMibFoo", "1"), "unknown vm_mib token");
}
END_TEST

Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("tokens");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, default_uri_from_environment);
    tcase_add_test(tc, uri_accepted);
    tcase_add_test(tc, uri_rejected);
    tcase_add_test(tc, uri_too_long);
    tcase_add_test(tc, cache_timeout);
    tcase_add_test(tc, bulk_window);
    tcase_add_test(tc, refresh_wait_and_grace);
    tcase_add_test(tc, booleans);
    tcase_add_test(tc, booleans_rejected);
    tcase_add_test(tc, every_token_known);
    suite_add_tcase(s, tc);
    return s;
}
