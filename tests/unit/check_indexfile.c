/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "index_fixture.h"
#include "core/indexfile.h"

static struct vmm_index *ix;
static struct vmm_indexfile_load *ld;   /* a load into ix */
static void (*tell)(const char *msg, void *ctx);

static void setup(void)
{
    ix = vmm_index_new();
    ck_assert_ptr_nonnull(ix);
    ld = vmm_indexfile_load_begin(ix, tell, NULL);
    ck_assert_ptr_nonnull(ld);
}

static void teardown(void)
{
    vmm_indexfile_load_end(ld);
    ld = NULL;
    vmm_index_free(ix);
    ix = NULL;
}

/* End the load and begin another. */
static void end_load(void)
{
    vmm_indexfile_load_end(ld);
    ld = vmm_indexfile_load_begin(ix, tell, NULL);
    ck_assert_ptr_nonnull(ld);
}

/* Saving clears the dirty flag, so tests that must not disturb it take
 * their snapshot knowing that. */
static struct lines save_all(struct vmm_index *from)
{
    struct lines l = { 0 };

    vmm_indexfile_save(from, lines_add, &l);
    for (size_t i = 0; i < l.n; i++) {
        ck_assert_uint_lt(strlen(l.line[i]), VMM_INDEXFILE_LINE_MAX);
        ck_assert_ptr_null(strchr(l.line[i], '\n'));
    }
    return l;
}

/* A registry of its own from the lines, skipping the line skip (if any),
 * in reverse order if asked. */
static struct vmm_index *load_lines(const struct lines *l, const char *skip, bool reverse)
{
    struct vmm_index *fresh = vmm_index_new();
    struct vmm_indexfile_load *fl;

    ck_assert_ptr_nonnull(fresh);
    ck_assert_ptr_nonnull(fl = vmm_indexfile_load_begin(fresh, NULL, NULL));
    for (size_t k = 0; k < l->n; k++) {
        const char *line = l->line[reverse ? l->n - 1 - k : k];

        if (skip && strstr(skip, line))
            continue;
        ck_assert_msg(vmm_indexfile_load_line(fl, line) == 0,
                      "rejected its own line \"%s\"", line);
    }
    vmm_indexfile_load_end(fl);
    return fresh;
}

static struct vmm_index *reload(const struct lines *l)
{
    return load_lines(l, NULL, false);
}

/* ---- saving and loading ------------------------------------------------- */

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

START_TEST(load_in_any_order)
{
    struct lines l;
    struct vmm_index *copy;

    populate();
    l = save_all(ix);
    copy = load_lines(&l, NULL, true);
    ck_assert_int_eq(vmm_index_find_vm(copy, uuid_n(2)), 2);
    ck_assert_int_eq(vmm_index_disk(copy, uuid_n(1), "sda"), 2);
    ck_assert_int_eq(vmm_index_nic(copy, uuid_n(3), mac_n(0x03)), 2);
    ck_assert_int_eq(vmm_index_vm(copy, uuid_n(9)), 4);
    lines_free(&l);
    vmm_index_free(copy);
}
END_TEST

START_TEST(next_counters_prevent_reuse)
{
    struct lines l;
    struct vmm_index *copy;

    populate();
    l = save_all(ix);
    copy = load_lines(&l, "vm " U3 " 3\n" "disk " U1 " sda 2\n"
                      "nic " U3 " 52:54:00:aa:bb:03 2", false);
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
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "next-vm 10"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "next-vm 4"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "vm " U1 " 12"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "vm " U2 " 5"), 0);
    end_load();
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 13);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "next-disk " U1 " 7"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "next-disk " U1 " 2"), 0);
    end_load();
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vda"), 7);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "next-nic " U2 " 3"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "nic " U2 " 52:54:00:AA:BB:01 6"), 0);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(1)), 6);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(2)), 7);
    /* A counter for a machine with nothing else is kept and saved. */
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "next-disk " U3 " 4"), 0);
    end_load();
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(3), "vda"), 4);
}
END_TEST

START_TEST(blanks_and_case_tolerated)
{
    ck_assert_int_eq(vmm_indexfile_load_line(ld,
        "  vm\t11111111-2222-3333-4444-5555000000AB   8  "), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(0xab)), 8);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "vm " U1 " 007"), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 7);
}
END_TEST

/* Every rejection must leave the registry exactly as it was. */
static void assert_rejected(const char *line)
{
    struct lines before, after;

    before = save_all(ix);
    ck_assert_msg(vmm_indexfile_load_line(ld, line) == -1, "accepted \"%s\"", line);
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
    ck_assert_int_eq(vmm_indexfile_load_line(ld, NULL), -1);
}
END_TEST

START_TEST(overlong_line_rejected)
{
    char line[VMM_INDEXFILE_LINE_MAX + 50];
    char target[VMM_INDEX_TARGET_MAX + 2];

    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    memset(target, 't', sizeof(target));
    target[sizeof(target) - 1] = '\0';
    snprintf(line, sizeof(line), "disk %s %s 1", U2, target);
    assert_rejected(line);
    target[VMM_INDEX_TARGET_MAX] = '\0';
    snprintf(line, sizeof(line), "disk %s %s 1", U2, target);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, line), 0);
}
END_TEST

START_TEST(conflicts_rejected)
{
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "vm " U2 " 4"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "disk " U2 " vda 1"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "nic " U2 " 52:54:00:aa:bb:01 1"), 0);
    /* Repeating a known fact is fine. */
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "vm " U2 " 4"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "disk " U2 " vda 1"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "nic " U2 " 52:54:00:AA:BB:01 1"), 0);
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
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "disk " U3 " vdb 1"), 0);
    ck_assert_int_eq(vmm_indexfile_load_line(ld, "nic " U3 " 52:54:00:aa:bb:01 1"), 0);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(2)), 4);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 5);
}
END_TEST

/* ---- what the operator is told ------------------------------------------ */

static void listen_setup(void)
{
    tell = hear;
    setup();
    vmm_index_set_listener(ix, &hear_all);
}

static void listen_teardown(void)
{
    teardown();
    tell = NULL;
    lines_free(&heard);
}

static void load_ok(const char *line)
{
    ck_assert_msg(vmm_indexfile_load_line(ld, line) == 0, "refused \"%s\"", line);
}

static void load_bad(const char *line)
{
    ck_assert_msg(vmm_indexfile_load_line(ld, line) == -1, "accepted \"%s\"", line);
}

/* ---- next counters far above the numbers in use ------------------------- */

START_TEST(next_vm_far_above_ignored)
{
    load_ok("next-vm 77471270");
    load_ok("vm " U1 " 12");
    end_load();
    assert_heard("ignoring \"vmMibIndex next-vm 77471270\": more than 1024 above the highest "
                 "vmIndex in use (12)", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 13);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(1)), 12);
    assert_heard(NULL);
}
END_TEST

START_TEST(next_vm_window_edge)
{
    load_ok("vm " U1 " 12");
    load_ok("next-vm 1037");
    end_load();
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 1037);

    teardown();
    listen_setup();
    load_ok("vm " U1 " 12");
    load_ok("next-vm 1038");
    end_load();
    assert_heard("ignoring \"vmMibIndex next-vm 1038\": more than 1024 above the highest "
                 "vmIndex in use (12)", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 13);
}
END_TEST

START_TEST(next_vm_above_range_ignored)
{
    load_ok("next-vm 2147483648");
    load_bad("next-vm 2147483649");
    load_bad("next-vm 99999999999999999999");
    end_load();
    assert_heard("ignoring \"vmMibIndex next-vm 2147483649\": number out of range",
                 "ignoring \"vmMibIndex next-vm 99999999999999999999\": number out of range",
                 "ignoring \"vmMibIndex next-vm 2147483648\": more than 1024 above the highest "
                 "vmIndex in use (0)", NULL);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 2);
    assert_heard(NULL);
}
END_TEST

/* NEXT lines are weighed once every entry is in: at the end of the load. */
START_TEST(next_applied_at_load_end)
{
    load_ok("next-vm 5");
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    end_load();
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 5);
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
    end_load();
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

START_TEST(entries_out_of_range_get_fresh_numbers)
{
    load_bad("vm " U1 " 2147483648");
    load_bad("vm " U2 " 0");
    load_ok("vm " U3 " 3");
    load_bad("disk " U3 " vda 2147483648");
    load_bad("nic " U3 " 52:54:00:aa:bb:01 4294967297");
    end_load();
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
    end_load();
    assert_heard("ignoring \"vmMibIndex vm " U2 " 1\": conflicts with an earlier entry",
                 "ignoring \"vmMibIndex frob " U2 " 5\": not a valid entry",
                 "ignoring \"vmMibIndex vm " U2 " 5x\": not a valid entry", NULL);
}
END_TEST

START_TEST(refused_lines_shown_safely)
{
    char line[VMM_INDEXFILE_LINE_MAX + 50], want[200];

    load_bad("vm\x01" "x\x7f" " 5");
    memset(line, 'x', sizeof(line));
    line[sizeof(line) - 1] = '\0';
    load_bad(line);
    end_load();
    memset(want, 0, sizeof(want));
    strcpy(want, "ignoring \"vmMibIndex ");
    memset(want + strlen(want), 'x', 80);
    strcat(want, "...\": too long");
    assert_heard("ignoring \"vmMibIndex vm?x? 5\": not a valid entry", want, NULL);
}
END_TEST

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
    end_load();
    assert_heard("99995 more bad vmMibIndex lines ignored", NULL);
    /* The next load counts afresh. */
    load_bad("vm " U1 " 0");
    end_load();
    assert_heard("ignoring \"vmMibIndex vm " U1 " 0\": number out of range", NULL);
    end_load();
    assert_heard(NULL);
}
END_TEST

START_TEST(refused_next_counted_with_bad_lines)
{
    for (int i = 0; i < VMM_INDEXFILE_BAD_SHOWN; i++)
        load_bad("junk");
    load_ok("next-vm 9999");
    end_load();
    ck_assert_uint_eq(heard.n, VMM_INDEXFILE_BAD_SHOWN + 1);
    ck_assert_str_eq(heard.line[VMM_INDEXFILE_BAD_SHOWN], "1 more bad vmMibIndex lines ignored");
    lines_free(&heard);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
}
END_TEST

START_TEST(vm_numbers_used_up_renumbered)
{
    struct lines l;

    load_ok("vm " U1 " 2147483646");
    end_load();
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

START_TEST(vm_renumbering_keeps_order)
{
    load_ok("vm " U1 " 2147483647");
    load_ok("vm " U2 " 5");
    load_ok("vm " U3 " 100");
    load_ok("next-vm 2147483648");
    load_ok("disk 11111111-2222-3333-4444-555500000009 vda 1");
    end_load();
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
    end_load();
    l = save_all(ix);
    ck_assert(lines_have(&l, "next-vm 2147483648"));
    copy = reload(&l);
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
    end_load();
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
    end_load();
    assert_heard(NULL);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(2)), 2);
    assert_heard("vmNetworkIndex numbers of machine " U1 " used up: its network interfaces "
                 "renumbered 1 to 1 in their previous order", "RENUMBERED", NULL);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(1)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(1), mac_n(3)), 3);
}
END_TEST

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

Suite *indexfile_suite(void)
{
    Suite *s = suite_create("indexfile");
    TCase *tc = tcase_create("persistence");

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
    tcase_add_test(tc, next_applied_at_load_end);
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
    return s;
}
