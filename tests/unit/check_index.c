/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "core/index.h"

static struct vmm_index *ix;

static void setup(void)
{
    ix = vmm_index_new();
    ck_assert_ptr_nonnull(ix);
}

static void teardown(void)
{
    vmm_index_free(ix);
    ix = NULL;
}

/* UUID number n: 11111111-2222-3333-4444-5555xxxxxxxx, n in the low bytes,
 * so test UUIDs differ in a few bytes only, as they often do in real life. */
static const unsigned char *uuid_n(unsigned n)
{
    static unsigned char u[4][16];
    static int which;
    unsigned char *p = u[which++ % 4];
    static const unsigned char base[16] = {
        0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
        0x44, 0x44, 0x55, 0x55, 0, 0, 0, 0,
    };

    memcpy(p, base, 16);
    p[12] = (unsigned char)(n >> 24);
    p[13] = (unsigned char)(n >> 16);
    p[14] = (unsigned char)(n >> 8);
    p[15] = (unsigned char)n;
    return p;
}

static const unsigned char *mac_n(unsigned n)
{
    static unsigned char m[4][6];
    static int which;
    unsigned char *p = m[which++ % 4];

    p[0] = 0x52;
    p[1] = 0x54;
    p[2] = 0x00;
    p[3] = 0xaa;
    p[4] = 0xbb;
    p[5] = (unsigned char)n;
    return p;
}

#define U1 "11111111-2222-3333-4444-555500000001"
#define U2 "11111111-2222-3333-4444-555500000002"
#define U3 "11111111-2222-3333-4444-555500000003"

/* ---- saved lines ------------------------------------------------------- */

struct lines {
    char **line;
    size_t n, cap;
};

static void collect(const char *line, void *ctx)
{
    struct lines *l = ctx;

    ck_assert_uint_lt(strlen(line), VMM_INDEX_LINE_MAX);
    ck_assert_ptr_null(strchr(line, '\n'));
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->line = realloc(l->line, l->cap * sizeof(*l->line));
        ck_assert_ptr_nonnull(l->line);
    }
    l->line[l->n] = strdup(line);
    ck_assert_ptr_nonnull(l->line[l->n]);
    l->n++;
}

static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->line[i]);
    free(l->line);
    memset(l, 0, sizeof(*l));
}

static bool lines_have(const struct lines *l, const char *line)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->line[i], line) == 0)
            return true;
    return false;
}

static void lines_assert_equal(const struct lines *a, const struct lines *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        ck_assert_str_eq(a->line[i], b->line[i]);
}

/* Saving clears the dirty flag, so tests that must not disturb it take
 * their snapshot knowing that. */
static struct lines save_all(struct vmm_index *from)
{
    struct lines l = { 0 };

    vmm_index_save(from, collect, &l);
    return l;
}

static struct vmm_index *reload(const struct lines *l)
{
    struct vmm_index *fresh = vmm_index_new();

    ck_assert_ptr_nonnull(fresh);
    for (size_t i = 0; i < l->n; i++)
        ck_assert_msg(vmm_index_load_line(fresh, l->line[i]) == 0,
                      "rejected its own line \"%s\"", l->line[i]);
    return fresh;
}

/* ---- vmIndex ----------------------------------------------------------- */

START_TEST(first_index_is_one_and_stable)
{
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(7)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 2);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(9)), 3);
    for (int round = 0; round < 3; round++) {
        ck_assert_int_eq(vmm_index_vm(ix, uuid_n(9)), 3);
        ck_assert_int_eq(vmm_index_vm(ix, uuid_n(7)), 1);
        ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 2);
    }
}
END_TEST

START_TEST(find_does_not_assign)
{
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 0);
    ck_assert(!vmm_index_dirty(ix));
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 1);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(2)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 2);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 2);
}
END_TEST

/* Machines 1..3 are seen, machine 2 goes away for a while (it is simply no
 * longer looked up), a new one appears, then machine 2 comes back. */
START_TEST(no_reuse_and_return_gets_old_index)
{
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 3);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 3);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(4)), 4);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(5)), 5);
}
END_TEST

START_TEST(dirty_tracks_assignments)
{
    struct lines l;

    ck_assert(!vmm_index_dirty(ix));
    vmm_index_vm(ix, uuid_n(1));
    ck_assert(vmm_index_dirty(ix));
    l = save_all(ix);
    lines_free(&l);
    ck_assert(!vmm_index_dirty(ix));
    /* Looking up known entries changes nothing. */
    vmm_index_vm(ix, uuid_n(1));
    ck_assert(!vmm_index_dirty(ix));
    vmm_index_disk(ix, uuid_n(1), "vda");
    ck_assert(vmm_index_dirty(ix));
    l = save_all(ix);
    lines_free(&l);
    vmm_index_disk(ix, uuid_n(1), "vda");
    ck_assert(!vmm_index_dirty(ix));
    vmm_index_nic(ix, uuid_n(1), mac_n(1));
    ck_assert(vmm_index_dirty(ix));
    l = save_all(ix);
    lines_free(&l);
    vmm_index_nic(ix, uuid_n(1), mac_n(1));
    ck_assert(!vmm_index_dirty(ix));
    /* Restoring saved state is not an assignment. */
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U2 " 9"), 0);
    ck_assert(!vmm_index_dirty(ix));
}
END_TEST

/* ---- vmStorageIndex and vmNetworkIndex ---------------------------------- */

START_TEST(disks_numbered_per_machine)
{
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdb"), 2);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "vdb"), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "hdc"), 2);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "hdc"), 3);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdb"), 2);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "vdb"), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 1);
    /* Numbering disks is not numbering the machine. */
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 0);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 2);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 1);
}
END_TEST

START_TEST(nics_numbered_per_machine)
{
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(2)), 2);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(2)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(2)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(3)), 2);
}
END_TEST

START_TEST(disks_and_nics_independent)
{
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdb"), 2);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(2)), 2);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(3)), 3);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdc"), 3);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
}
END_TEST

START_TEST(disk_targets_that_cannot_be_stored)
{
    char longest[VMM_INDEX_TARGET_MAX + 2];

    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), NULL), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), ""), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "v da"), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda\n"), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "v\tda"), 0);
    memset(longest, 'x', sizeof(longest));
    longest[VMM_INDEX_TARGET_MAX + 1] = '\0';
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), longest), 0);
    ck_assert(!vmm_index_dirty(ix));
    longest[VMM_INDEX_TARGET_MAX] = '\0';
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), longest), 1);
    /* Odd but printable names are kept verbatim. */
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "fd0:/#\"'"), 2);
}
END_TEST

/* ---- persistence -------------------------------------------------------- */

static void populate(void)
{
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 3);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "sda"), 2);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(3), "hdc"), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(0x01)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(3), mac_n(0x02)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(3), mac_n(0x03)), 2);
    /* A machine only known by a disk, so far. */
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(4), "vda"), 1);
}

START_TEST(save_format)
{
    struct lines l;

    populate();
    l = save_all(ix);
    ck_assert(lines_have(&l, "next-vm 4"));
    ck_assert(lines_have(&l, "vm " U1 " 1"));
    ck_assert(lines_have(&l, "vm " U3 " 3"));
    ck_assert(lines_have(&l, "disk " U1 " sda 2"));
    ck_assert(lines_have(&l, "next-disk " U1 " 3"));
    ck_assert(lines_have(&l, "nic " U3 " 52:54:00:aa:bb:03 2"));
    ck_assert(lines_have(&l, "next-nic " U3 " 3"));
    ck_assert(lines_have(&l, "disk 11111111-2222-3333-4444-555500000004 vda 1"));
    ck_assert(!lines_have(&l, "vm 11111111-2222-3333-4444-555500000004 0"));
    lines_free(&l);
}
END_TEST

START_TEST(save_load_round_trip)
{
    struct lines before, after;
    struct vmm_index *copy;

    populate();
    before = save_all(ix);
    copy = reload(&before);
    ck_assert(!vmm_index_dirty(copy));
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(3)), 3);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(4)), 0);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(3)), 3);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(1), "vda"), 1);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(1), "sda"), 2);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(3), "hdc"), 1);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(4), "vda"), 1);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(1), mac_n(0x01)), 1);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(3), mac_n(0x02)), 1);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(3), mac_n(0x03)), 2);
    ck_assert(!vmm_index_dirty(copy));
    after = save_all(copy);
    lines_assert_equal(&before, &after);
    /* And new keys carry on from the saved counters. */
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(5)), 4);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(4)), 5);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(1), "vdb"), 3);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(2), "vda"), 1);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(3), mac_n(0x01)), 3);
    ck_assert(vmm_index_dirty(copy));
    lines_free(&before);
    lines_free(&after);
    vmm_index_free(copy);
}
END_TEST

/* Line order in the persistent file is not guaranteed to be ours. */
START_TEST(load_in_any_order)
{
    struct lines l;
    struct vmm_index *copy = vmm_index_new();

    populate();
    l = save_all(ix);
    for (size_t i = l.n; i-- > 0;)
        ck_assert_int_eq(vmm_index_load_line(copy, l.line[i]), 0);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(1), "sda"), 2);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(3), mac_n(0x03)), 2);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(9)), 4);
    lines_free(&l);
    vmm_index_free(copy);
}
END_TEST

/* If the entry of the highest-numbered machine (or disk, or NIC) is lost,
 * the next counters still keep its number from going to someone else. */
START_TEST(next_counters_prevent_reuse)
{
    struct lines l;
    struct vmm_index *copy = vmm_index_new();

    populate();
    l = save_all(ix);
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.line[i], "vm " U3 " 3") == 0 ||
            strcmp(l.line[i], "disk " U1 " sda 2") == 0 ||
            strcmp(l.line[i], "nic " U3 " 52:54:00:aa:bb:03 2") == 0)
            continue;
        ck_assert_int_eq(vmm_index_load_line(copy, l.line[i]), 0);
    }
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(3)), 0);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(9)), 4);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(1), "vdz"), 3);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(3), mac_n(0x09)), 3);
    lines_free(&l);
    vmm_index_free(copy);
}
END_TEST

START_TEST(next_counters_only_rise)
{
    ck_assert_int_eq(vmm_index_load_line(ix, "next-vm 10"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "next-vm 4"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U1 " 12"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U2 " 5"), 0);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 13);
    ck_assert_int_eq(vmm_index_load_line(ix, "next-disk " U1 " 7"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "next-disk " U1 " 2"), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 7);
    ck_assert_int_eq(vmm_index_load_line(ix, "next-nic " U2 " 3"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "nic " U2 " 52:54:00:AA:BB:01 6"), 0);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(1)), 6);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(2)), 7);
    /* A counter for a machine with nothing else is kept and saved. */
    ck_assert_int_eq(vmm_index_load_line(ix, "next-disk " U3 " 4"), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(3), "vda"), 4);
}
END_TEST

START_TEST(blanks_and_case_tolerated)
{
    ck_assert_int_eq(vmm_index_load_line(ix,
        "  vm\t11111111-2222-3333-4444-5555000000AB   8  "), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(0xab)), 8);
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U1 " 007"), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 7);
}
END_TEST

/* Every rejection must leave the registry exactly as it was. */
static void assert_rejected(const char *line)
{
    struct lines before, after;

    before = save_all(ix);
    ck_assert_msg(vmm_index_load_line(ix, line) == -1, "accepted \"%s\"", line);
    ck_assert(!vmm_index_dirty(ix));
    after = save_all(ix);
    lines_assert_equal(&before, &after);
    lines_free(&before);
    lines_free(&after);
}

START_TEST(bad_lines_rejected)
{
    static const char *const bad[] = {
        "", "   ", "garbage", "vm", "vm " U2, "vm " U2 " 1 extra", "VM " U2 " 5",
        "frob " U2 " 5", "vm 5 " U2,
        /* UUIDs */
        "vm 11111111-2222-3333-4444-55550000000 5",
        "vm 11111111-2222-3333-4444-5555000000022 5",
        "vm 11111111-2222-3333-4444-55550000000g 5",
        "vm 11111111+2222-3333-4444-555500000002 5",
        "vm 111111112222-3333-4444-5555-00000002 5",
        "vm {11111111-2222-3333-4444-555500000002} 5",
        /* numbers */
        "vm " U2 " 0", "vm " U2 " -1", "vm " U2 " +5", "vm " U2 " 2147483648",
        "vm " U2 " 99999999999999999999", "vm " U2 " 5x", "vm " U2 " 0x5",
        "vm " U2 " 1.0", "next-vm 0", "next-vm -3", "next-vm 2147483649",
        "next-vm", "next-vm 5 6", "next-disk " U2 " 0", "next-nic " U2 " 2147483649",
        "next-disk 5", "next-disk " U2,
        /* disks and NICs */
        "disk " U2 " 1", "disk " U2 " vda 0", "disk " U2 " vda -2",
        "disk " U2 " vda 2147483648", "disk " U2 " v da 1", "disk " U2 " v\x01" "a 1",
        "disk junk vda 1",
        "nic " U2 " 52:54:00:aa:bb 1", "nic " U2 " 52:54:00:aa:bb:zz 1",
        "nic " U2 " 52-54-00-aa-bb-01 1", "nic " U2 " 52:54:00:aa:bb:011 1",
        "nic " U2 " 525400aabb01 1", "nic " U2 " 52:54:00:aa:bb:01 0",
        "nic " U2 " 52:54:00:aa:bb:01",
    };

    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_rejected(bad[i]);
    ck_assert_int_eq(vmm_index_load_line(ix, NULL), -1);
}
END_TEST

START_TEST(overlong_line_rejected)
{
    char line[VMM_INDEX_LINE_MAX + 50];
    char target[VMM_INDEX_TARGET_MAX + 2];

    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    memset(target, 't', sizeof(target));
    target[sizeof(target) - 1] = '\0';
    snprintf(line, sizeof(line), "disk %s %s 1", U2, target);
    assert_rejected(line);
    target[VMM_INDEX_TARGET_MAX] = '\0';
    snprintf(line, sizeof(line), "disk %s %s 1", U2, target);
    ck_assert_int_eq(vmm_index_load_line(ix, line), 0);
}
END_TEST

START_TEST(conflicts_rejected)
{
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U2 " 4"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "disk " U2 " vda 1"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "nic " U2 " 52:54:00:aa:bb:01 1"), 0);
    /* Repeating a known fact is fine. */
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U2 " 4"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "disk " U2 " vda 1"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "nic " U2 " 52:54:00:AA:BB:01 1"), 0);
    /* Same index for two UUIDs, including one assigned at run time. */
    assert_rejected("vm " U3 " 4");
    assert_rejected("vm " U3 " 1");
    /* Another index for a known UUID. */
    assert_rejected("vm " U2 " 5");
    assert_rejected("vm " U1 " 2");
    /* Same within a machine. */
    assert_rejected("disk " U2 " vdb 1");
    assert_rejected("disk " U2 " vda 2");
    assert_rejected("nic " U2 " 52:54:00:aa:bb:02 1");
    assert_rejected("nic " U2 " 52:54:00:aa:bb:01 2");
    /* Other machines have their own numbering. */
    ck_assert_int_eq(vmm_index_load_line(ix, "disk " U3 " vdb 1"), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "nic " U3 " 52:54:00:aa:bb:01 1"), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(2)), 4);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 5);
}
END_TEST

/* ---- what the operator is told ------------------------------------------ */

/* The messages said and the renumberings announced, in order; a
 * renumbering shows as the line "RENUMBERED". */
static struct lines heard;

static void hear(const char *msg, void *ctx)
{
    (void)ctx;
    collect(msg, &heard);
}

static void hear_renumbered(void *ctx)
{
    (void)ctx;
    collect("RENUMBERED", &heard);
}

static void listen_setup(void)
{
    static const struct vmm_index_listener l = { hear, hear_renumbered, NULL };

    setup();
    vmm_index_set_listener(ix, &l);
}

static void listen_teardown(void)
{
    lines_free(&heard);
    teardown();
}

/* heard is exactly these lines (NULL-terminated), then forgotten. */
static void assert_heard(const char *first, ...)
{
    va_list ap;
    size_t n = 0;

    va_start(ap, first);
    for (const char *want = first; want; want = va_arg(ap, const char *), n++) {
        ck_assert_msg(n < heard.n, "missing \"%s\"", want);
        ck_assert_str_eq(heard.line[n], want);
    }
    va_end(ap);
    ck_assert_msg(heard.n == n, "%zu lines heard, %zu expected; extra: \"%s\"", heard.n, n,
                  heard.n > n ? heard.line[n] : "");
    lines_free(&heard);
}

static void load_ok(const char *line)
{
    ck_assert_msg(vmm_index_load_line(ix, line) == 0, "refused \"%s\"", line);
}

static void load_bad(const char *line)
{
    ck_assert_msg(vmm_index_load_line(ix, line) == -1, "accepted \"%s\"", line);
}

/* ---- next counters far above the numbers in use ------------------------- */

START_TEST(next_vm_far_above_ignored)
{
    load_ok("next-vm 77471270");
    load_ok("vm " U1 " 12");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex next-vm 77471270\": more than 1024 above the highest "
                 "vmIndex in use (12)", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 13);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 12);
    assert_heard(NULL);
}
END_TEST

/* 12 in use: a counter may skip up to 1024 numbers (13..1036). */
START_TEST(next_vm_window_edge)
{
    load_ok("vm " U1 " 12");
    load_ok("next-vm 1037");
    vmm_index_load_end(ix);
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 1037);

    vmm_index_free(ix);
    listen_setup();
    load_ok("vm " U1 " 12");
    load_ok("next-vm 1038");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex next-vm 1038\": more than 1024 above the highest "
                 "vmIndex in use (12)", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 13);
}
END_TEST

/* The first case: nothing in use, the counter at the top. */
START_TEST(next_vm_above_range_ignored)
{
    load_ok("next-vm 2147483648");
    load_bad("next-vm 2147483649");
    load_bad("next-vm 99999999999999999999");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex next-vm 2147483649\": number out of range",
                 "ignoring \"vmMibIndex next-vm 99999999999999999999\": number out of range",
                 "ignoring \"vmMibIndex next-vm 2147483648\": more than 1024 above the highest "
                 "vmIndex in use (0)", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
    assert_heard(NULL);
}
END_TEST

/* Weighed when the registry is first used, if the load was not ended. */
START_TEST(next_weighed_on_first_use)
{
    load_ok("next-vm 5000");
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    assert_heard("ignoring \"vmMibIndex next-vm 5000\": more than 1024 above the highest "
                 "vmIndex in use (0)", NULL);
    vmm_index_load_end(ix);
    assert_heard(NULL);
}
END_TEST

START_TEST(next_disk_and_nic_far_above_ignored)
{
    load_ok("next-disk " U1 " 5000");
    load_ok("disk " U1 " vda 3");
    load_ok("next-nic " U1 " 1025");
    load_ok("nic " U2 " 52:54:00:aa:bb:01 1");
    load_ok("next-nic " U2 " 1027");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex next-disk " U1 " 5000\": more than 1024 above the "
                 "highest vmStorageIndex of that machine in use (3)",
                 "ignoring \"vmMibIndex next-nic " U2 " 1027\": more than 1024 above the "
                 "highest vmNetworkIndex of that machine in use (1)", NULL);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdb"), 4);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 1025);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(2)), 2);
    assert_heard(NULL);
}
END_TEST

/* ---- out-of-range entries ------------------------------------------------ */

START_TEST(entries_out_of_range_get_fresh_numbers)
{
    load_bad("vm " U1 " 2147483648");
    load_bad("vm " U2 " 0");
    load_ok("vm " U3 " 3");
    load_bad("disk " U3 " vda 2147483648");
    load_bad("nic " U3 " 52:54:00:aa:bb:01 4294967297");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex vm " U1 " 2147483648\": number out of range",
                 "ignoring \"vmMibIndex vm " U2 " 0\": number out of range",
                 "ignoring \"vmMibIndex disk " U3 " vda 2147483648\": number out of range",
                 "ignoring \"vmMibIndex nic " U3 " 52:54:00:aa:bb:01 4294967297\": number out "
                 "of range", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 4);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 5);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(3), "vda"), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(3), mac_n(1)), 1);
    assert_heard(NULL);
}
END_TEST

START_TEST(refusal_reasons)
{
    load_ok("vm " U1 " 1");
    load_bad("vm " U2 " 1");
    load_bad("frob " U2 " 5");
    load_bad("vm " U2 " 5x");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex vm " U2 " 1\": conflicts with an earlier entry",
                 "ignoring \"vmMibIndex frob " U2 " 5\": not a valid entry",
                 "ignoring \"vmMibIndex vm " U2 " 5x\": not a valid entry", NULL);
}
END_TEST

/* A line is logged as it is only as far as it is short and printable. */
START_TEST(refused_lines_shown_safely)
{
    char line[VMM_INDEX_LINE_MAX + 50], want[200];

    load_bad("vm\x01" "x\x7f" " 5");
    memset(line, 'x', sizeof(line));
    line[sizeof(line) - 1] = '\0';
    load_bad(line);
    vmm_index_load_end(ix);
    memset(want, 0, sizeof(want));
    strcpy(want, "ignoring \"vmMibIndex ");
    memset(want + strlen(want), 'x', 80);
    strcat(want, "...\": too long");
    assert_heard("ignoring \"vmMibIndex vm?x? 5\": not a valid entry", want, NULL);
}
END_TEST

/* ---- how many refused lines are said ------------------------------------ */

START_TEST(many_bad_lines_said_once)
{
    char line[64];

    for (int i = 0; i < 100000; i++) {
        snprintf(line, sizeof(line), "garbage %d", i);
        load_bad(line);
    }
    assert_heard("ignoring \"vmMibIndex garbage 0\": not a valid entry",
                 "ignoring \"vmMibIndex garbage 1\": not a valid entry",
                 "ignoring \"vmMibIndex garbage 2\": not a valid entry",
                 "ignoring \"vmMibIndex garbage 3\": not a valid entry",
                 "ignoring \"vmMibIndex garbage 4\": not a valid entry", NULL);
    vmm_index_load_end(ix);
    assert_heard("99995 more bad vmMibIndex lines ignored", NULL);
    /* The next load counts afresh. */
    load_bad("vm " U1 " 0");
    vmm_index_load_end(ix);
    assert_heard("ignoring \"vmMibIndex vm " U1 " 0\": number out of range", NULL);
    vmm_index_load_end(ix);
    assert_heard(NULL);
}
END_TEST

/* Next counters refused at the end count towards the same limit. */
START_TEST(refused_next_counted_with_bad_lines)
{
    for (int i = 0; i < VMM_INDEX_BAD_SHOWN; i++)
        load_bad("junk");
    load_ok("next-vm 9999");
    vmm_index_load_end(ix);
    ck_assert_uint_eq(heard.n, VMM_INDEX_BAD_SHOWN + 1);
    ck_assert_str_eq(heard.line[VMM_INDEX_BAD_SHOWN], "1 more bad vmMibIndex lines ignored");
    lines_free(&heard);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
}
END_TEST

/* ---- renumbering when the numbers are used up ---------------------------- */

START_TEST(vm_numbers_used_up_renumbered)
{
    struct lines l;

    load_ok("vm " U1 " 2147483646");
    vmm_index_load_end(ix);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2147483647);
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 3);
    assert_heard("vmIndex numbers used up: the machines known renumbered 1 to 2 in their "
                 "previous order", "RENUMBERED", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(4)), 4);
    ck_assert(vmm_index_dirty(ix));
    l = save_all(ix);
    ck_assert_uint_eq(l.n, 5);
    ck_assert_str_eq(l.line[0], "next-vm 5");
    ck_assert(lines_have(&l, "vm " U1 " 1"));
    ck_assert(lines_have(&l, "vm " U2 " 2"));
    ck_assert(lines_have(&l, "vm " U3 " 3"));
    lines_free(&l);
    assert_heard(NULL);
}
END_TEST

/* The second case: another machine holds the top number.  The
 * machines keep their order; those gone keep a number too. */
START_TEST(vm_renumbering_keeps_order)
{
    load_ok("vm " U1 " 2147483647");
    load_ok("vm " U2 " 5");
    load_ok("vm " U3 " 100");
    load_ok("next-vm 2147483648");
    load_ok("disk 11111111-2222-3333-4444-555500000009 vda 1");
    vmm_index_load_end(ix);
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(4)), 4);
    assert_heard("vmIndex numbers used up: the machines known renumbered 1 to 3 in their "
                 "previous order", "RENUMBERED", NULL);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(2)), 1);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(3)), 2);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 3);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(9)), 5);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(9), "vda"), 1);
    assert_heard(NULL);
}
END_TEST

START_TEST(vm_numbers_used_up_after_reload)
{
    struct lines l;
    struct vmm_index *copy;

    load_ok("vm " U1 " 2147483647");
    vmm_index_load_end(ix);
    l = save_all(ix);
    ck_assert(lines_have(&l, "next-vm 2147483648"));
    copy = reload(&l);
    vmm_index_load_end(copy);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(1)), 2147483647);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(1)), 1);
    lines_free(&l);
    vmm_index_free(copy);
}
END_TEST

START_TEST(disk_numbers_used_up_renumbered)
{
    load_ok("disk " U1 " vda 2147483647");
    load_ok("disk " U1 " vdb 7");
    load_ok("disk " U2 " vda 2147483647");
    vmm_index_load_end(ix);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdc"), 3);
    assert_heard("vmStorageIndex numbers of machine " U1 " used up: its disks renumbered "
                 "1 to 2 in their previous order", "RENUMBERED", NULL);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdb"), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 2);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdd"), 4);
    /* The other machine's disks are its own business. */
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "vda"), 2147483647);
    ck_assert(vmm_index_dirty(ix));
    assert_heard(NULL);
}
END_TEST

START_TEST(nic_numbers_used_up_renumbered)
{
    load_ok("nic " U1 " 52:54:00:aa:bb:01 2147483647");
    load_ok("next-nic " U1 " 2147483648");
    vmm_index_load_end(ix);
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(2)), 2);
    assert_heard("vmNetworkIndex numbers of machine " U1 " used up: its network interfaces "
                 "renumbered 1 to 1 in their previous order", "RENUMBERED", NULL);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(3)), 3);
}
END_TEST

/* ---- scale -------------------------------------------------------------- */

#define MANY 10000

START_TEST(many_machines)
{
    struct lines l;
    struct vmm_index *copy;

    for (unsigned i = 0; i < MANY; i++)
        ck_assert_int_eq(vmm_index_vm(ix, uuid_n(i * 7919u)), (int)i + 1);
    for (unsigned round = 0; round < 10; round++)
        for (unsigned i = 0; i < MANY; i++)
            ck_assert_int_eq(vmm_index_vm(ix, uuid_n(i * 7919u)), (int)i + 1);
    for (unsigned i = 0; i < MANY; i++) {
        ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(i * 7919u)), (int)i + 1);
        ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(i * 7919u + 1)), 0);
    }
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(5 * 7919u), "vda"), 1);
    l = save_all(ix);
    ck_assert_uint_eq(l.n, MANY + 3);
    copy = reload(&l);
    for (unsigned i = 0; i < MANY; i++)
        ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(i * 7919u)), (int)i + 1);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(1)), MANY + 1);
    lines_free(&l);
    vmm_index_free(copy);
}
END_TEST

/* ---- UUID text ---------------------------------------------------------- */

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

Suite *index_suite(void)
{
    Suite *s = suite_create("index");
    TCase *tc = tcase_create("vm");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, first_index_is_one_and_stable);
    tcase_add_test(tc, find_does_not_assign);
    tcase_add_test(tc, no_reuse_and_return_gets_old_index);
    tcase_add_test(tc, dirty_tracks_assignments);
    suite_add_tcase(s, tc);

    tc = tcase_create("disk_nic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, disks_numbered_per_machine);
    tcase_add_test(tc, nics_numbered_per_machine);
    tcase_add_test(tc, disks_and_nics_independent);
    tcase_add_test(tc, disk_targets_that_cannot_be_stored);
    suite_add_tcase(s, tc);

    tc = tcase_create("persistence");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, save_format);
    tcase_add_test(tc, save_load_round_trip);
    tcase_add_test(tc, load_in_any_order);
    tcase_add_test(tc, next_counters_prevent_reuse);
    tcase_add_test(tc, next_counters_only_rise);
    tcase_add_test(tc, blanks_and_case_tolerated);
    tcase_add_test(tc, bad_lines_rejected);
    tcase_add_test(tc, overlong_line_rejected);
    tcase_add_test(tc, conflicts_rejected);
    suite_add_tcase(s, tc);

    tc = tcase_create("told");
    tcase_add_checked_fixture(tc, listen_setup, listen_teardown);
    tcase_add_test(tc, next_vm_far_above_ignored);
    tcase_add_test(tc, next_vm_window_edge);
    tcase_add_test(tc, next_vm_above_range_ignored);
    tcase_add_test(tc, next_weighed_on_first_use);
    tcase_add_test(tc, next_disk_and_nic_far_above_ignored);
    tcase_add_test(tc, entries_out_of_range_get_fresh_numbers);
    tcase_add_test(tc, refusal_reasons);
    tcase_add_test(tc, refused_lines_shown_safely);
    tcase_add_test(tc, many_bad_lines_said_once);
    tcase_add_test(tc, refused_next_counted_with_bad_lines);
    tcase_add_test(tc, vm_numbers_used_up_renumbered);
    tcase_add_test(tc, vm_renumbering_keeps_order);
    tcase_add_test(tc, vm_numbers_used_up_after_reload);
    tcase_add_test(tc, disk_numbers_used_up_renumbered);
    tcase_add_test(tc, nic_numbers_used_up_renumbered);
    tcase_set_timeout(tc, 60);   /* valgrind is slow; there is no timing check */
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, many_machines);
    tcase_set_timeout(tc, 60);   /* valgrind is slow; there is no timing check */
    suite_add_tcase(s, tc);

    tc = tcase_create("uuid");
    tcase_add_test(tc, uuid_format_and_parse);
    tcase_add_test(tc, uuid_parse_rejects);
    suite_add_tcase(s, tc);
    return s;
}
