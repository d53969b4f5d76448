/* SPDX-License-Identifier: BSD-3-Clause */
/* check_set: the error of a SET of every VM-MIB object, with writes off and
 * on, in an existing row and a missing one (RFC 3416 4.2.5): notWritable
 * for every object that never accepts a SET (step 2) before anything about
 * the instance; noCreation only for a writable object's missing instance
 * (step 7). */
#include "mib.h"

#define MAX_INDEXES 3
#define NO_WRITE 0UL
#define COL(c) (1UL << (c))

/* A table: its columns 1..ncols (one more than it has, an unknown column),
 * a row the fixture has and one it lacks, the columns that accept a SET
 * with writes on. */
static const struct table {
    const char *name;
    oid subid;
    unsigned ncols, nindexes;
    oid row[MAX_INDEXES], missing[MAX_INDEXES];
    unsigned long writable;
} tables[] = {
    { "vmTable", 4, 17, 1, { 1 }, { 99 }, COL(5) | COL(9) | COL(13) },
    { "vmCpuTable", 5, 2, 2, { 1, 1 }, { 1, 99 }, NO_WRITE },
    { "vmCpuAffinityTable", 6, 3, 3, { 1, 1, 196608 }, { 99, 1, 196608 }, COL(3) },
    { "vmStorageTable", 7, 18, 2, { 1, 1 }, { 1, 99 }, NO_WRITE },
    { "vmNetworkTable", 8, 5, 2, { 1, 1 }, { 99, 1 }, NO_WRITE },
};

static long expected(const struct table *t, unsigned col, bool writes, bool existing)
{
    if (!writes || !(t->writable & COL(col)))
        return SNMP_ERR_NOTWRITABLE;
    return existing ? -1 : SNMP_ERR_NOCREATION;     /* -1: the value decides */
}

/* SET INTEGER 1 to column col of the row: the type is not looked at
 * before step 2 either.  extra: one more sub-identifier (a malformed
 * instance). */
static void check_column(const struct table *t, unsigned col, const oid *row, bool existing,
                         bool writes, bool extra)
{
    oid name[4 + MAX_INDEXES];
    size_t len = 0;
    long want = expected(t, col, writes, existing && !extra), got;

    if (want < 0)
        return;
    name[len++] = t->subid;
    name[len++] = 1;
    name[len++] = col;
    for (unsigned i = 0; i < t->nindexes; i++)
        name[len++] = row[i];
    if (extra)
        name[len++] = 7;
    got = mib_set_int(name, len, 1);
    ck_assert_msg(got == want, "%s column %u, %s row%s, writes %s: error %ld, not %ld", t->name,
                  col, existing ? "existing" : "missing", extra ? " + .7" : "",
                  writes ? "on" : "off", got, want);
}

/* _i: 0 writes off, 1 writes on. */
START_TEST(every_column)
{
    bool writes = _i == 1;

    if (writes)
        mib_writable();
    for (size_t k = 0; k < NELEMS(tables); k++) {
        const struct table *t = &tables[k];

        for (unsigned col = 1; col <= t->ncols + 1; col++) {
            check_column(t, col, t->row, true, writes, false);
            check_column(t, col, t->row, true, writes, true);
            check_column(t, col, t->missing, false, writes, false);
        }
    }
    mib_read_only();
}
END_TEST

/* The scalars: the read-only ones (also a missing instance), and the two
 * notification switches, writable whatever vmMibWritable says: only their
 * missing instance is an error. */
START_TEST(scalars)
{
    static const struct {
        oid name[3];
        size_t len;
        long error;
    } sets[] = {
        { { 1, 1, 0 }, 3, SNMP_ERR_NOTWRITABLE },           /* vmHvSoftware */
        { { 1, 2, 0 }, 3, SNMP_ERR_NOTWRITABLE },
        { { 1, 3, 0 }, 3, SNMP_ERR_NOTWRITABLE },
        { { 1, 4, 0 }, 3, SNMP_ERR_NOTWRITABLE },           /* vmHvUpTime */
        { { 1, 1, 1 }, 3, SNMP_ERR_NOTWRITABLE },
        { { 2, 0 }, 2, SNMP_ERR_NOTWRITABLE },              /* vmNumber */
        { { 2, 1 }, 2, SNMP_ERR_NOTWRITABLE },
        { { 3, 0 }, 2, SNMP_ERR_NOTWRITABLE },              /* vmTableLastChange */
        { { 9, 1 }, 2, SNMP_ERR_NOCREATION },               /* vmPerVMNotificationsEnabled */
        { { 10, 1 }, 2, SNMP_ERR_NOCREATION },              /* vmBulkNotificationsEnabled */
    };

    if (_i == 1)
        mib_writable();
    for (size_t i = 0; i < NELEMS(sets); i++)
        ck_assert_msg(mib_set_int(sets[i].name, sets[i].len, 1) == sets[i].error,
                      "SET %zu (writes %s): not %ld", i, _i ? "on" : "off", sets[i].error);
    mib_read_only();
}
END_TEST

/* The error index names the varbind: a valid vmAdminState first, the
 * read-only vmMaxMem second; of two failing varbinds, the first (Net-SNMP
 * reports the lowest index, whichever check failed first). */
START_TEST(error_index)
{
    static const oid admin[] = { 4, 1, 5, 1 }, max_mem[] = { 4, 1, 15, 1 },
        admin_missing[] = { 4, 1, 5, 99 };
    long status, index;

    mib_writable();
    mib_set_two_int(admin, NELEMS(admin), 3, max_mem, NELEMS(max_mem), 5, &status, &index);
    ck_assert_int_eq(status, SNMP_ERR_NOTWRITABLE);
    ck_assert_int_eq(index, 2);
    mib_set_two_int(admin_missing, NELEMS(admin_missing), 3, max_mem, NELEMS(max_mem), 5,
                    &status, &index);
    ck_assert_int_eq(status, SNMP_ERR_NOCREATION);
    ck_assert_int_eq(index, 1);
    mib_read_only();
}
END_TEST

Suite *mib_set_suite(void)
{
    Suite *s = suite_create("set");
    TCase *tc = tcase_create("errors");

    tcase_add_loop_test(tc, every_column, 0, 2);
    tcase_add_loop_test(tc, scalars, 0, 2);
    tcase_add_test(tc, error_index);
    suite_add_tcase(s, tc);
    return s;
}
