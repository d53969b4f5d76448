/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmTable: every column of the three machines, the table's edges, and
 * RESERVE1 of the draft-05 SETs (what needs no libvirt). */
#include "mib.h"

#define UUID(last) "\x11\x11\x11\x11\x22\x22\x33\x33\x44\x44\x55\x55\x55\x55\x55" last
#define VM(col, vm) (4, 1, col, vm)

static const struct mib_expect expect[] = {
    EXPECT_STR(VM(2, 1), "web"),                            /* vmName */
    EXPECT_STR(VM(2, 2), "db"),
    EXPECT_STR(VM(2, 3), "old"),
    EXPECT_STR(VM(3, 1), UUID("\x01")),                     /* vmUUID */
    EXPECT_STR(VM(3, 2), UUID("\x02")),
    EXPECT_STR(VM(3, 3), UUID("\x03")),
    EXPECT_STR(VM(4, 1), "http://debian.org/debian/12"),   /* vmOSType */
    EXPECT_STR(VM(4, 2), "hvm"),
    EXPECT_STR(VM(4, 3), "hvm"),
    EXPECT_INT(VM(5, 1), 1),                                /* vmAdminState: running */
    EXPECT_INT(VM(5, 2), 3),                                /* paused */
    EXPECT_INT(VM(5, 3), 4),                                /* shutdown */
    EXPECT_INT(VM(6, 1), 4),                                /* vmOperState: running */
    EXPECT_INT(VM(6, 2), 8),                                /* paused */
    EXPECT_INT(VM(6, 3), 11),                               /* shutdown */
    EXPECT_INT(VM(7, 1), 2),                                /* vmAutoStart: enabled */
    EXPECT_INT(VM(7, 2), 3),                                /* disabled */
    EXPECT_INT(VM(7, 3), 1),                                /* unknown */
    EXPECT_INT(VM(8, 1), 2),                                /* vmPersistent: persistent */
    EXPECT_INT(VM(8, 2), 3),                                /* transient */
    EXPECT_INT(VM(8, 3), 2),
    EXPECT_INT(VM(9, 1), 2),                                /* vmCurCpuNumber */
    EXPECT_INT(VM(9, 2), 1),
    EXPECT_INT(VM(9, 3), 2),
    EXPECT_INT(VM(10, 1), -1),                              /* vmMinCpuNumber */
    EXPECT_INT(VM(10, 2), -1),
    EXPECT_INT(VM(10, 3), -1),
    EXPECT_INT(VM(11, 1), 4),                               /* vmMaxCpuNumber */
    EXPECT_INT(VM(11, 2), 1),
    EXPECT_INT(VM(11, 3), 2),
    EXPECT_INT(VM(12, 1), 1024),                            /* vmMemUnit: KiB */
    EXPECT_INT(VM(12, 2), 1048576),                         /* MiB: 3 TiB in KiB overflows */
    EXPECT_INT(VM(12, 3), 1024),
    EXPECT_INT(VM(13, 1), 2097152),                         /* vmCurMem */
    EXPECT_INT(VM(13, 2), 2621440),
    EXPECT_INT(VM(13, 3), 1048576),
    EXPECT_INT(VM(14, 1), -1),                              /* vmMinMem */
    EXPECT_INT(VM(14, 2), -1),
    EXPECT_INT(VM(14, 3), -1),
    EXPECT_INT(VM(15, 1), 4194304),                         /* vmMaxMem */
    EXPECT_INT(VM(15, 2), 3145728),
    EXPECT_INT(VM(15, 3), 1048576),
    { MIB_NAME(VM(16, 1)), .type = ASN_TIMETICKS,           /* vmUpTime: since boot */
      .slack = FIXTURE_UP_SLACK, .host_uptime = true },
    EXPECT_TICKS(VM(16, 2), 0, FIXTURE_UP_SLACK),           /* started with the fixture */
    EXPECT_TICKS(VM(16, 3), 0, 0),
    EXPECT_C64(VM(17, 1), 5000000000123ULL),                /* vmCpuTime */
    EXPECT_C64(VM(17, 2), 42),
    EXPECT_C64(VM(17, 3), 0),
    EXPECT_NONE(VM(2, 4), SNMP_NOSUCHINSTANCE),             /* no machine 4 */
    EXPECT_NONE(VM(17, 0), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE((4, 1, 2), SNMP_NOSUCHINSTANCE),            /* no index */
    EXPECT_NONE((4, 1, 2, 1, 1), SNMP_NOSUCHINSTANCE),      /* one index too many */
    EXPECT_NONE(VM(1, 1), SNMP_NOSUCHOBJECT),               /* vmIndex: not-accessible */
    EXPECT_NONE(VM(18, 1), SNMP_NOSUCHOBJECT),              /* beyond the last column */
};
const struct mib_expect_list vm_table_expect = { expect, NELEMS(expect) };

START_TEST(getnext_edges)
{
    static const oid table[] = { 4 }, entry[] = { 4, 1 }, name3[] = { 4, 1, 2, 3 },
        name1_deeper[] = { 4, 1, 2, 1, 7 }, index_col[] = { 4, 1, 1, 2 };
    static const struct mib_expect name2 = EXPECT_STR(VM(2, 2), "db");
    static const struct mib_expect core_time = EXPECT_C64((5, 1, 2, 1, 1), 4000000000001ULL);
    static const oid cpu_time3[] = { 4, 1, 17, 3 };

    mib_getnext(table, NELEMS(table), &expect[0]);
    mib_getnext(entry, NELEMS(entry), &expect[0]);
    mib_getnext(index_col, NELEMS(index_col), &expect[0]);
    mib_getnext(name1_deeper, NELEMS(name1_deeper), &name2);
    /* past the last row: the next column's first row */
    mib_getnext(name3, NELEMS(name3), &expect[3]);
    /* past the last column: the next table */
    mib_getnext(cpu_time3, NELEMS(cpu_time3), &core_time);
}
END_TEST

/* A refill with fewer machines rebuilds the rows; emptied tables have
 * none (GETNEXT goes on to the scalars after them); the same machines
 * again bring them back. */
START_TEST(refill)
{
    static const struct mib_expect gone = EXPECT_NONE(VM(2, 3), SNMP_NOSUCHINSTANCE);
    static const struct mib_expect none = EXPECT_NONE(VM(2, 1), SNMP_NOSUCHINSTANCE);
    static const struct mib_expect past_end = EXPECT_STR(VM(3, 1), UUID("\x01"));
    static const struct mib_expect pervm = EXPECT_INT((9, 0), TV_TRUE);
    static const oid name2[] = { 4, 1, 2, 2 }, table[] = { 4 };

    mib_fill(2);
    mib_get(&gone);
    mib_get(&expect[1]);
    mib_getnext(name2, NELEMS(name2), &past_end);
    mib_fill(0);
    mib_get(&none);
    mib_getnext(table, NELEMS(table), &pervm);
    mib_fill(MIB_ALL);
    for (size_t i = 0; i < NELEMS(expect); i++)
        mib_get(&expect[i]);
    mib_fill(MIB_ALL);              /* the same rows: updated in place */
    mib_get(&expect[2]);
}
END_TEST

static void fill_all(void)
{
    mib_fill(MIB_ALL);
}

static const oid admin1[] = { 4, 1, 5, 1 };

START_TEST(set_off)
{
    ck_assert_int_eq(mib_set_int(admin1, NELEMS(admin1), 1), SNMP_ERR_NOTWRITABLE);
}
END_TEST

START_TEST(set_reserve1)
{
    static const struct {
        oid name[4];
        long value;
        long error;
    } sets[] = {
        { { 4, 1, 2, 1 }, 1, SNMP_ERR_NOTWRITABLE },        /* vmName */
        { { 4, 1, 6, 1 }, 4, SNMP_ERR_NOTWRITABLE },        /* vmOperState */
        { { 4, 1, 17, 1 }, 4, SNMP_ERR_NOTWRITABLE },       /* vmCpuTime */
        { { 4, 1, 5, 1 }, 0, SNMP_ERR_WRONGVALUE },         /* vmAdminState */
        { { 4, 1, 5, 1 }, 6, SNMP_ERR_WRONGVALUE },
        { { 4, 1, 9, 1 }, 0, SNMP_ERR_WRONGVALUE },         /* vmCurCpuNumber */
        { { 4, 1, 13, 1 }, -1, SNMP_ERR_WRONGVALUE },       /* vmCurMem */
        { { 4, 1, 15, 1 }, -2, SNMP_ERR_NOTWRITABLE },      /* vmMaxMem: never writable */
        { { 4, 1, 5, 4 }, 1, SNMP_ERR_NOCREATION },         /* no machine 4 */
    };

    for (size_t i = 0; i < NELEMS(sets); i++)
        ck_assert_msg(mib_set_int(sets[i].name, 4, sets[i].value) == sets[i].error,
                      "SET %zu: not %ld", i, sets[i].error);
}
END_TEST

START_TEST(set_wrong_type)
{
    ck_assert_int_eq(mib_set_string(admin1, NELEMS(admin1), "running"), SNMP_ERR_WRONGTYPE);
}
END_TEST

START_TEST(set_unavailable)
{
    mib_sets_unavailable = true;
    ck_assert_int_eq(mib_set_int(admin1, NELEMS(admin1), 1), SNMP_ERR_RESOURCEUNAVAILABLE);
}
END_TEST

Suite *vm_table_suite(void)
{
    Suite *s = suite_create("vmTable");
    TCase *tc = tcase_create("edges");

    tcase_add_test(tc, getnext_edges);
    suite_add_tcase(s, tc);
    tc = tcase_create("refill");
    tcase_add_checked_fixture(tc, NULL, fill_all);
    tcase_add_test(tc, refill);
    suite_add_tcase(s, tc);
    tc = tcase_create("set");
    tcase_add_test(tc, set_off);
    suite_add_tcase(s, tc);
    tc = tcase_create("set writable");
    tcase_add_checked_fixture(tc, mib_writable, mib_read_only);
    tcase_add_test(tc, set_reserve1);
    tcase_add_test(tc, set_wrong_type);
    tcase_add_test(tc, set_unavailable);
    suite_add_tcase(s, tc);
    return s;
}
