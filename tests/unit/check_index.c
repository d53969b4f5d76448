/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
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

/* ---- exhaustion --------------------------------------------------------- */

START_TEST(vm_indexes_exhausted)
{
    ck_assert_int_eq(vmm_index_load_line(ix, "next-vm 2147483647"), 0);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 2147483647);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 0);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(2)), 0);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 2147483647);
    {
        struct lines l = save_all(ix);

        ck_assert(lines_have(&l, "next-vm 2147483648"));
        ck_assert_uint_eq(l.n, 2);
        lines_free(&l);
    }
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 0);
    ck_assert(!vmm_index_dirty(ix));
}
END_TEST

START_TEST(vm_indexes_exhausted_after_load)
{
    ck_assert_int_eq(vmm_index_load_line(ix, "vm " U1 " 2147483647"), 0);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 0);
    ck_assert(!vmm_index_dirty(ix));
    /* A machine known by its disks only still gets no vmIndex. */
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(3), "vda"), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 0);
    ck_assert_int_eq(vmm_index_load_line(ix, "next-vm 2147483648"), 0);
}
END_TEST

START_TEST(disk_and_nic_indexes_exhausted)
{
    ck_assert_int_eq(vmm_index_load_line(ix, "disk " U1 " vda 2147483647"), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdb"), 0);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 2147483647);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "vdb"), 1);
    ck_assert_int_eq(vmm_index_load_line(ix, "next-nic " U1 " 2147483648"), 0);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 0);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(1)), 1);
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

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, vm_indexes_exhausted);
    tcase_add_test(tc, vm_indexes_exhausted_after_load);
    tcase_add_test(tc, disk_and_nic_indexes_exhausted);
    tcase_add_test(tc, many_machines);
    tcase_set_timeout(tc, 60);   /* valgrind is slow; there is no timing check */
    suite_add_tcase(s, tc);

    tc = tcase_create("uuid");
    tcase_add_test(tc, uuid_format_and_parse);
    tcase_add_test(tc, uuid_parse_rejects);
    suite_add_tcase(s, tc);
    return s;
}
