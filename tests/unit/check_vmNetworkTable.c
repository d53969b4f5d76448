/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmNetworkTable: one row per NIC with a MAC; the host side only while
 * the machine runs. */
#include "mib.h"

#define NET(col, vm, nic) (8, 1, col, vm, nic)
#define MAC(last) "\x52\x54\x00\x00" last

static const struct mib_expect expect[] = {
    EXPECT_INT(NET(2, 1, 1), 7),                            /* vmNetworkIfIndex */
    EXPECT_INT(NET(2, 1, 2), 8),
    EXPECT_INT(NET(2, 2, 1), 12),
    EXPECT_INT(NET(2, 3, 1), 0),                            /* not running */
    EXPECT_INT(NET(3, 1, 1), 2),                            /* vmNetworkParent */
    EXPECT_INT(NET(3, 1, 2), 0),
    EXPECT_INT(NET(3, 2, 1), 3),
    EXPECT_INT(NET(3, 3, 1), 0),
    EXPECT_STR(NET(4, 1, 1), "virtio"),                     /* vmNetworkModel */
    EXPECT_STR(NET(4, 1, 2), "e1000"),
    EXPECT_STR(NET(4, 2, 1), ""),
    EXPECT_STR(NET(4, 3, 1), "rtl8139"),
    EXPECT_STR(NET(5, 1, 1), MAC("\x01\x01")),              /* vmNetworkPhysAddress */
    EXPECT_STR(NET(5, 1, 2), MAC("\x01\x02")),
    EXPECT_STR(NET(5, 2, 1), MAC("\x02\x01")),
    EXPECT_STR(NET(5, 3, 1), MAC("\x03\x01")),
    EXPECT_NONE(NET(2, 3, 2), SNMP_NOSUCHINSTANCE),         /* no MAC, no row */
    EXPECT_NONE(NET(2, 4, 1), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE((8, 1, 1, 1, 1), SNMP_NOSUCHOBJECT),        /* vmNetworkIndex */
    EXPECT_NONE(NET(6, 1, 1), SNMP_NOSUCHOBJECT),
};
const struct mib_expect_list vm_network_table_expect = { expect, NELEMS(expect) };

START_TEST(getnext_edges)
{
    static const oid if_index3[] = { 8, 1, 2, 3, 1 }, last[] = { 8, 1, 5, 3, 1 };
    static const struct mib_expect pervm = EXPECT_INT((9, 0), TV_TRUE);

    mib_getnext(if_index3, NELEMS(if_index3), &expect[4]);
    mib_getnext(last, NELEMS(last), &pervm);
}
END_TEST

Suite *vm_network_table_suite(void)
{
    Suite *s = suite_create("vmNetworkTable");
    TCase *tc = tcase_create("edges");

    tcase_add_test(tc, getnext_edges);
    suite_add_tcase(s, tc);
    return s;
}
