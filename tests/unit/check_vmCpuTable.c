/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmCpuTable: one row per online vCPU. */
#include "mib.h"

#define CPU(vm, cpu) (5, 1, 2, vm, cpu)                     /* vmCpuCoreTime */

static const struct mib_expect expect[] = {
    EXPECT_C64(CPU(1, 1), 4000000000001ULL),
    EXPECT_C64(CPU(1, 2), 77),
    EXPECT_NONE(CPU(2, 1), SNMP_NOSUCHINSTANCE),            /* time unknown: absent */
    EXPECT_NONE(CPU(1, 3), SNMP_NOSUCHINSTANCE),            /* offline vCPU */
    EXPECT_NONE(CPU(3, 1), SNMP_NOSUCHINSTANCE),            /* machine not running */
    EXPECT_NONE(CPU(1, 0), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE((5, 1, 2, 1), SNMP_NOSUCHINSTANCE),         /* one index short */
    EXPECT_NONE((5, 1, 1, 1, 1), SNMP_NOSUCHOBJECT),        /* vmCpuIndex */
};
const struct mib_expect_list vm_cpu_table_expect = { expect, NELEMS(expect) };

START_TEST(getnext_edges)
{
    static const oid entry[] = { 5, 1 }, one_index[] = { 5, 1, 2, 1 }, last[] = { 5, 1, 2, 2, 1 };
    static const struct mib_expect affinity_first = EXPECT_INT((6, 1, 3, 1, 1, 196608), 2);

    mib_getnext(entry, NELEMS(entry), &expect[0]);
    mib_getnext(one_index, NELEMS(one_index), &expect[0]);
    mib_getnext(last, NELEMS(last), &affinity_first);
}
END_TEST

Suite *vm_cpu_table_suite(void)
{
    Suite *s = suite_create("vmCpuTable");
    TCase *tc = tcase_create("edges");

    tcase_add_test(tc, getnext_edges);
    suite_add_tcase(s, tc);
    return s;
}
