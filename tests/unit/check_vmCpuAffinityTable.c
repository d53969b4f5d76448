/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmCpuAffinityTable: vCPU x host CPU, from the definitions' pinning;
 * host CPUs are numbered as hrDeviceTable does (196608 + n). */
#include "mib.h"

#define AFF(vm, cpu, host) (6, 1, 3, vm, cpu, 196608 + (host))  /* vmCpuAffinity */
#define ENABLE 1
#define DISABLE 2

static const struct mib_expect expect[] = {
    EXPECT_INT(AFF(1, 1, 0), DISABLE),                      /* <vcpupin vcpu='0' cpuset='1'> */
    EXPECT_INT(AFF(1, 1, 1), ENABLE),
    EXPECT_INT(AFF(1, 2, 0), ENABLE),                       /* not pinned: every CPU */
    EXPECT_INT(AFF(1, 2, 1), ENABLE),
    EXPECT_INT(AFF(2, 1, 0), ENABLE),                       /* <vcpu cpuset='0'> */
    EXPECT_INT(AFF(2, 1, 1), DISABLE),
    EXPECT_NONE(AFF(1, 1, 2), SNMP_NOSUCHINSTANCE),         /* no third host CPU */
    EXPECT_NONE(AFF(1, 3, 0), SNMP_NOSUCHINSTANCE),         /* offline vCPU */
    EXPECT_NONE(AFF(3, 1, 0), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE((6, 1, 3, 1, 1, 0), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE((6, 1, 2, 1, 1, 196608), SNMP_NOSUCHOBJECT),    /* vmCpuPhysIndex */
};
const struct mib_expect_list vm_cpu_affinity_table_expect = { expect, NELEMS(expect) };

START_TEST(getnext_edges)
{
    static const oid table[] = { 6 }, phys_index[] = { 6, 1, 2, 9 }, vcpu_row[] = { 6, 1, 3, 1, 1 },
        last[] = { 6, 1, 3, 2, 1, 196609 };
    const struct mib_expect *storage_first = &vm_storage_table_expect.e[0];

    mib_getnext(table, NELEMS(table), &expect[0]);
    mib_getnext(phys_index, NELEMS(phys_index), &expect[0]);
    mib_getnext(vcpu_row, NELEMS(vcpu_row), &expect[0]);
    mib_getnext(last, NELEMS(last), storage_first);
}
END_TEST

START_TEST(set_reserve1)
{
    static const oid aff[] = { 6, 1, 3, 1, 1, 196608 }, missing[] = { 6, 1, 3, 3, 1, 196608 };

    ck_assert_int_eq(mib_set_int(aff, NELEMS(aff), 0), SNMP_ERR_WRONGVALUE);
    ck_assert_int_eq(mib_set_int(aff, NELEMS(aff), 3), SNMP_ERR_WRONGVALUE);
    ck_assert_int_eq(mib_set_int(missing, NELEMS(missing), ENABLE), SNMP_ERR_NOCREATION);
}
END_TEST

Suite *vm_cpu_affinity_table_suite(void)
{
    Suite *s = suite_create("vmCpuAffinityTable");
    TCase *tc = tcase_create("edges");

    tcase_add_test(tc, getnext_edges);
    suite_add_tcase(s, tc);
    tc = tcase_create("set writable");
    tcase_add_checked_fixture(tc, mib_writable, mib_read_only);
    tcase_add_test(tc, set_reserve1);
    suite_add_tcase(s, tc);
    return s;
}
