/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "index_fixture.h"

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

/* A restored fact, as core/indexfile hands it over. */
static enum vmm_index_refusal restore(enum vmm_index_field field, unsigned n, const char *key,
                                      uint32_t number)
{
    struct vmm_index_entry e = { .field = field, .key = key, .number = number };

    memcpy(e.uuid, uuid_n(n), VMM_UUID_LEN);
    return vmm_index_restore(ix, &e);
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
    ck_assert(!vmm_index_dirty(ix));
    vmm_index_vm(ix, uuid_n(1));
    ck_assert(vmm_index_dirty(ix));
    vmm_index_saved(ix);
    ck_assert(!vmm_index_dirty(ix));
    /* Looking up known entries changes nothing. */
    vmm_index_vm(ix, uuid_n(1));
    ck_assert(!vmm_index_dirty(ix));
    vmm_index_disk(ix, uuid_n(1), "vda");
    ck_assert(vmm_index_dirty(ix));
    vmm_index_saved(ix);
    vmm_index_disk(ix, uuid_n(1), "vda");
    ck_assert(!vmm_index_dirty(ix));
    vmm_index_nic(ix, uuid_n(1), mac_n(1));
    ck_assert(vmm_index_dirty(ix));
    vmm_index_saved(ix);
    vmm_index_nic(ix, uuid_n(1), mac_n(1));
    ck_assert(!vmm_index_dirty(ix));
    /* Restoring saved state is not an assignment. */
    ck_assert_int_eq(restore(VMM_INDEX_VM, 2, NULL, 9), VMM_INDEX_RESTORED);
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

/* ---- entries ------------------------------------------------------------ */

/* Each entry as one line of text, for comparing. */
static void entry_line(const struct vmm_index_entry *e, void *ctx)
{
    char line[128];

    snprintf(line, sizeof(line), "%d %02x %s %u", (int)e->field,
             e->field == VMM_INDEX_NEXT_VM ? 0 : e->uuid[15], e->key ? e->key : "-",
             (unsigned)e->number);
    lines_add(line, ctx);
}

START_TEST(each_in_saving_order)
{
    struct lines l = { 0 };

    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "vda"), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(2)), 1);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(7)), 1);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 2);
    vmm_index_each(ix, entry_line, &l);
    ck_assert_uint_eq(l.n, 7);
    ck_assert_str_eq(l.line[0], "0 00 - 3");                    /* NEXT_VM */
    ck_assert_str_eq(l.line[1], "1 01 - 2");                    /* VM, by UUID */
    ck_assert_str_eq(l.line[2], "1 02 - 1");
    ck_assert_str_eq(l.line[3], "2 02 - 2");                    /* NEXT_DISK */
    ck_assert_str_eq(l.line[4], "3 02 vda 1");
    ck_assert_str_eq(l.line[5], "4 02 - 2");                    /* NEXT_NIC */
    ck_assert_str_eq(l.line[6], "5 02 52:54:00:aa:bb:07 1");
    lines_free(&l);
    ck_assert(vmm_index_dirty(ix));
    vmm_index_saved(ix);
    ck_assert(!vmm_index_dirty(ix));
}
END_TEST

START_TEST(restore_refusals)
{
    char key[VMM_INDEX_MAC_KEY_LEN];

    vmm_index_mac_key(mac_n(1), key);
    ck_assert_str_eq(key, "52:54:00:aa:bb:01");
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(1)), 1);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 2, NULL, 4), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 2, NULL, 4), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 3, NULL, 1), VMM_INDEX_CONFLICT);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 2, NULL, 5), VMM_INDEX_CONFLICT);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 3, NULL, 0), VMM_INDEX_OUT_OF_RANGE);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 3, NULL, VMM_INDEX_EXHAUSTED), VMM_INDEX_OUT_OF_RANGE);
    ck_assert_int_eq(restore(VMM_INDEX_NEXT_VM, 0, NULL, VMM_INDEX_EXHAUSTED),
                     VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_NEXT_NIC, 3, NULL, VMM_INDEX_EXHAUSTED + 1),
                     VMM_INDEX_OUT_OF_RANGE);
    ck_assert_int_eq(restore(VMM_INDEX_DISK, 2, "v da", 1), VMM_INDEX_BAD_KEY);
    ck_assert_int_eq(restore(VMM_INDEX_NIC, 2, "52:54:00:AA:BB:01", 1), VMM_INDEX_BAD_KEY);
    ck_assert_int_eq(restore(VMM_INDEX_NIC, 2, key, 1), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_NIC, 2, "52:54:00:aa:bb:02", 1), VMM_INDEX_CONFLICT);
    ck_assert_int_eq(restore(VMM_INDEX_DISK, 2, "vda", 3), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_DISK, 2, "vda", 2), VMM_INDEX_CONFLICT);
    ck_assert_int_eq(vmm_index_find_vm(ix, uuid_n(3)), 0);
    ck_assert_int_eq(vmm_index_nic(ix, uuid_n(2), mac_n(1)), 1);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(2), "vdb"), 4);
}
END_TEST

/* What a saved counter is weighed against, and that it only rises. */
START_TEST(highest_in_use_and_next_only_rises)
{
    struct vmm_index_entry next_vm = { .field = VMM_INDEX_NEXT_VM };
    struct vmm_index_entry next_disk = { .field = VMM_INDEX_NEXT_DISK };

    memcpy(next_disk.uuid, uuid_n(1), VMM_UUID_LEN);
    ck_assert_uint_eq(vmm_index_highest(ix, &next_vm), 0);
    ck_assert_uint_eq(vmm_index_highest(ix, &next_disk), 0);
    ck_assert_int_eq(restore(VMM_INDEX_VM, 2, NULL, 7), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_DISK, 1, "vdb", 5), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_DISK, 1, "vda", 2), VMM_INDEX_RESTORED);
    ck_assert_uint_eq(vmm_index_highest(ix, &next_vm), 7);
    ck_assert_uint_eq(vmm_index_highest(ix, &next_disk), 5);
    ck_assert_int_eq(restore(VMM_INDEX_NEXT_VM, 0, NULL, 20), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_NEXT_VM, 0, NULL, 9), VMM_INDEX_RESTORED);
    ck_assert_int_eq(restore(VMM_INDEX_NEXT_DISK, 1, NULL, 6), VMM_INDEX_RESTORED);
    ck_assert_int_eq(vmm_index_vm(ix, uuid_n(3)), 20);
    ck_assert_int_eq(vmm_index_disk(ix, uuid_n(1), "vdc"), 6);
    ck_assert_uint_eq(vmm_index_highest(ix, &next_vm), 20);
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

    tc = tcase_create("entries");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, each_in_saving_order);
    tcase_add_test(tc, restore_refusals);
    tcase_add_test(tc, highest_in_use_and_next_only_rises);
    suite_add_tcase(s, tc);
    return s;
}
