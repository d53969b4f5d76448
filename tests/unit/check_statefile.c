/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "core/statefile.h"

#define UA "6695eb01-f6a4-8304-79aa-97f2502e193f"
#define UB "11111111-2222-3333-4444-5555555555d1"

static const unsigned char A[16] = { 0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04,
                                     0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f };
static const unsigned char B[16] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
                                     0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0xd1 };

struct lines {
    int n;
    char line[8][VMM_STATEFILE_LINE_MAX];
};

static void collect(const char *line, void *ctx)
{
    struct lines *l = ctx;

    ck_assert_int_lt(l->n, 8);
    ck_assert_uint_lt(strlen(line), VMM_STATEFILE_LINE_MAX);
    strcpy(l->line[l->n++], line);
}

/* A tracker that has seen a complete list: a running, b shut off. */
static struct vmm_tracker *seeded(const char *name_a, const char *name_b)
{
    struct vmm_tracker *t = vmm_tracker_new();
    int old;

    vmm_tracker_begin(t);
    vmm_tracker_update(t, A, name_a, 4, 2, &old);
    vmm_tracker_update(t, B, name_b, 11, 3, &old);
    vmm_tracker_end(t, NULL, NULL);
    return t;
}

static struct vmm_tracker *load(const struct lines *l, char **uri, unsigned *bad)
{
    struct vmm_statefile_load ld = { NULL, NULL, 0 };
    struct vmm_tracker *t;

    for (int i = 0; i < l->n; i++)
        vmm_statefile_load_line(&ld, l->line[i]);
    *bad = ld.bad;
    t = vmm_statefile_load_end(&ld, uri);
    ck_assert_ptr_null(ld.t);
    ck_assert_ptr_null(ld.uri);
    return t;
}

START_TEST(save_writes_uri_then_machines)
{
    struct vmm_tracker *t = seeded("test", "web 01");
    struct lines l = { 0 };

    vmm_statefile_save(t, "qemu:///system", collect, &l);
    ck_assert_int_eq(l.n, 3);
    ck_assert_str_eq(l.line[0], "uri qemu:///system");
    ck_assert_str_eq(l.line[1], "vm " UB " 11 3 776562203031");   /* UUID order */
    ck_assert_str_eq(l.line[2], "vm " UA " 4 2 74657374");
    vmm_tracker_free(t);
}
END_TEST

START_TEST(round_trip)
{
    struct vmm_tracker *t = seeded("test", "caf\xc3\xa9 web"), *back;
    struct lines l = { 0 };
    const struct vmm_tracked *a, *b;
    char *uri;
    unsigned bad;

    vmm_statefile_save(t, "test:///default", collect, &l);
    back = load(&l, &uri, &bad);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(uri, "test:///default");
    ck_assert_uint_eq(bad, 0);
    ck_assert(vmm_tracker_seeded(back));
    a = vmm_tracker_get(back, A);
    b = vmm_tracker_get(back, B);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(a->name, "test");
    ck_assert_int_eq(a->oper, 4);
    ck_assert_int_eq(a->persistent, 2);
    ck_assert_str_eq(b->name, "caf\xc3\xa9 web");
    ck_assert_int_eq(b->oper, 11);
    ck_assert_int_eq(b->persistent, 3);
    free(uri);
    vmm_tracker_free(back);
    vmm_tracker_free(t);
}
END_TEST

/* An empty host is a starting point too: machines defined while snmpd was
 * down are news. */
START_TEST(empty_host_round_trip)
{
    struct vmm_tracker *t = vmm_tracker_new(), *back;
    struct lines l = { 0 };
    char *uri;
    unsigned bad;

    vmm_tracker_begin(t);
    vmm_tracker_end(t, NULL, NULL);
    vmm_statefile_save(t, "qemu:///system", collect, &l);
    ck_assert_int_eq(l.n, 1);
    back = load(&l, &uri, &bad);
    ck_assert_ptr_nonnull(back);
    ck_assert(vmm_tracker_seeded(back));
    ck_assert_ptr_null(vmm_tracker_get(back, A));
    free(uri);
    vmm_tracker_free(back);
    vmm_tracker_free(t);
}
END_TEST

START_TEST(nothing_saved_without_a_starting_point)
{
    struct vmm_tracker *t = vmm_tracker_new(), *s = seeded("a", "b");
    struct lines l = { 0 };
    int old;

    vmm_tracker_update(t, A, "a", 4, 2, &old);     /* no complete list seen */
    vmm_statefile_save(t, "qemu:///system", collect, &l);
    vmm_statefile_save(s, "qemu:///sys\ntem", collect, &l);
    ck_assert_int_eq(l.n, 0);
    vmm_tracker_free(t);
    vmm_tracker_free(s);
}
END_TEST

START_TEST(names_empty_and_long)
{
    struct vmm_tracker *t, *back;
    struct lines l = { 0 };
    char long_name[400], *uri;
    unsigned bad;

    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    t = seeded("", long_name);
    vmm_statefile_save(t, "qemu:///system", collect, &l);
    ck_assert_str_eq(l.line[2], "vm " UA " 4 2 -");
    back = load(&l, &uri, &bad);
    ck_assert_uint_eq(bad, 0);
    ck_assert_str_eq(vmm_tracker_get(back, A)->name, "");
    ck_assert_uint_eq(strlen(vmm_tracker_get(back, B)->name), 255);   /* SnmpAdminString */
    free(uri);
    vmm_tracker_free(back);
    vmm_tracker_free(t);
}
END_TEST

START_TEST(bad_lines_are_refused)
{
    static const char *const bad_lines[] = {
        "vm " UA " 3 2 74",             /* preparing: never announced */
        "vm " UA " 13 2 74",
        "vm " UA " 4 0 74",
        "vm " UA " 4 4 74",
        "vm 6695eb01-f6a4-8304-79aa 4 2 74",
        "vm " UA " 4 2 7",              /* odd hex */
        "vm " UA " 4 2 7g",
        "vm " UA " 4 2 0074",           /* a NUL octet */
        "vm " UA " 4 2 74 more",
        "vm " UA " 4 2",
        "vm " UA " four 2 74",
        "host " UA,
        "",
    };
    struct vmm_statefile_load ld = { NULL, NULL, 0 };
    struct vmm_tracker *t;
    char *uri;

    for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++)
        ck_assert_msg(!vmm_statefile_load_line(&ld, bad_lines[i]), "took '%s'", bad_lines[i]);
    ck_assert(vmm_statefile_load_line(&ld, "uri qemu:///system"));
    ck_assert(!vmm_statefile_load_line(&ld, "uri qemu:///session"));   /* one uri */
    ck_assert(vmm_statefile_load_line(&ld, "vm " UB " 8 2 6462"));
    ck_assert_uint_eq(ld.bad, sizeof(bad_lines) / sizeof(bad_lines[0]) + 1);
    t = vmm_statefile_load_end(&ld, &uri);
    ck_assert_str_eq(uri, "qemu:///system");
    ck_assert_ptr_null(vmm_tracker_get(t, A));
    ck_assert_int_eq(vmm_tracker_get(t, B)->oper, 8);
    free(uri);
    vmm_tracker_free(t);
}
END_TEST

/* Machines without the hypervisor they belong to are no starting point. */
START_TEST(no_uri_no_tracker)
{
    struct vmm_statefile_load ld = { NULL, NULL, 0 };
    char *uri = (char *)"unchanged";

    ck_assert(vmm_statefile_load_line(&ld, "vm " UA " 4 2 74"));
    ck_assert_ptr_null(vmm_statefile_load_end(&ld, &uri));
    ck_assert_ptr_null(uri);
    ck_assert_ptr_null(ld.t);
}
END_TEST

Suite *statefile_suite(void)
{
    Suite *s = suite_create("statefile");
    TCase *tc = tcase_create("statefile");

    tcase_add_test(tc, save_writes_uri_then_machines);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, empty_host_round_trip);
    tcase_add_test(tc, nothing_saved_without_a_starting_point);
    tcase_add_test(tc, names_empty_and_long);
    tcase_add_test(tc, bad_lines_are_refused);
    tcase_add_test(tc, no_uri_no_tracker);
    suite_add_tcase(s, tc);
    return s;
}
