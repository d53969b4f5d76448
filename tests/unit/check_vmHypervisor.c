/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmHypervisor: the scalars, and SET of the two notification switches. */
#include "mib.h"
#include "mib/vmHypervisor.h"

static const oid zero_dot_zero[] = { 0, 0 };

static const struct mib_expect expect[] = {
    EXPECT_STR((1, 1, 0), "QEMU"),                          /* vmHvSoftware */
    EXPECT_STR((1, 2, 0), "7.2.0"),                         /* vmHvVersion */
    { MIB_NAME((1, 3, 0)), .type = ASN_OBJECT_ID,           /* vmHvObjectID */
      .objid = zero_dot_zero, .objid_len = NELEMS(zero_dot_zero) },
    { MIB_NAME((1, 4, 0)), .type = ASN_TIMETICKS,           /* vmHvUpTime */
      .slack = FIXTURE_UP_SLACK, .host_uptime = true },
    EXPECT_INT((2, 0), 3),                                  /* vmNumber */
    EXPECT_TICKS((3, 0), FIXTURE_LAST_CHANGE, 0),           /* vmTableLastChange */
    EXPECT_INT((9, 0), TV_TRUE),                            /* vmPerVMNotificationsEnabled */
    EXPECT_INT((10, 0), TV_FALSE),                          /* vmBulkNotificationsEnabled */
    EXPECT_NONE((2, 1), SNMP_NOSUCHINSTANCE),               /* vmNumber.1 */
};
const struct mib_expect_list vm_hypervisor_expect = { expect, NELEMS(expect) };

static const oid pervm[] = { 9, 0 }, bulk[] = { 10, 0 };

START_TEST(getnext_from_group)
{
    static const oid hypervisor[] = { 1 };

    mib_getnext(hypervisor, NELEMS(hypervisor), &expect[0]);
}
END_TEST

/* Without a snapshot only what does not come from libvirt is served. */
START_TEST(no_snapshot)
{
    static const struct mib_expect none[] = {
        EXPECT_NONE((1, 1, 0), SNMP_NOSUCHINSTANCE),
        EXPECT_NONE((1, 2, 0), SNMP_NOSUCHINSTANCE),
        EXPECT_NONE((2, 0), SNMP_NOSUCHINSTANCE),
    };

    mib_no_snapshot = true;
    for (size_t i = 0; i < NELEMS(none); i++)
        mib_get(&none[i]);
    mib_get(&expect[2]);
    mib_get(&expect[5]);
    mib_no_snapshot = false;
}
END_TEST

START_TEST(set_switches)
{
    static const struct mib_expect bulk_on = EXPECT_INT((10, 0), TV_TRUE);
    static const struct mib_expect pervm_off = EXPECT_INT((9, 0), TV_FALSE);

    ck_assert_int_eq(mib_set_int(bulk, NELEMS(bulk), TV_TRUE), SNMP_ERR_NOERROR);
    ck_assert_int_eq(mib_set_int(pervm, NELEMS(pervm), TV_FALSE), SNMP_ERR_NOERROR);
    mib_get(&bulk_on);
    mib_get(&pervm_off);
    ck_assert(vmm_vmHypervisor_bulk_enabled());
    ck_assert(!vmm_vmHypervisor_pervm_enabled());
    ck_assert_int_eq(mib_set_int(bulk, NELEMS(bulk), TV_FALSE), SNMP_ERR_NOERROR);
    ck_assert_int_eq(mib_set_int(pervm, NELEMS(pervm), TV_TRUE), SNMP_ERR_NOERROR);
    mib_get(&expect[6]);
    mib_get(&expect[7]);
}
END_TEST

START_TEST(set_wrong_value)
{
    ck_assert_int_eq(mib_set_int(pervm, NELEMS(pervm), 3), SNMP_ERR_WRONGVALUE);
    ck_assert_int_eq(mib_set_int(bulk, NELEMS(bulk), 0), SNMP_ERR_WRONGVALUE);
    mib_get(&expect[6]);
    mib_get(&expect[7]);
}
END_TEST

START_TEST(set_wrong_type)
{
    ck_assert_int_eq(mib_set_string(pervm, NELEMS(pervm), "1"), SNMP_ERR_WRONGTYPE);
}
END_TEST

START_TEST(set_read_only)
{
    static const oid number[] = { 2, 0 }, software[] = { 1, 1, 0 };

    ck_assert_int_eq(mib_set_int(number, NELEMS(number), 4), SNMP_ERR_NOTWRITABLE);
    ck_assert_int_eq(mib_set_int(software, NELEMS(software), 4), SNMP_ERR_NOTWRITABLE);
}
END_TEST

Suite *vm_hypervisor_suite(void)
{
    Suite *s = suite_create("vmHypervisor");
    TCase *tc = tcase_create("edges");

    tcase_add_test(tc, getnext_from_group);
    tcase_add_test(tc, no_snapshot);
    suite_add_tcase(s, tc);
    tc = tcase_create("set");
    tcase_add_test(tc, set_switches);
    tcase_add_test(tc, set_wrong_value);
    tcase_add_test(tc, set_wrong_type);
    tcase_add_test(tc, set_read_only);
    suite_add_tcase(s, tc);
    return s;
}
