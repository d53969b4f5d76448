/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmStorageTable: one row per disk; sizes in MiB, rounded up, capped
 * at Integer32, -1 when unknown. */
#include "mib.h"
#include "agent/hrstorage.h"

#define ST(col, vm, disk) (7, 1, col, vm, disk)
#define MIB 1048576

/* hrStorageTable's index of the filesystem holding web's image ("/" on
 * most hosts): what the host mounts decides it. */
static long web_image_parent(void)
{
    return vmm_hrstorage_index("/var/lib/libvirt/images/web.qcow2");
}

static const struct mib_expect expect[] = {
    { MIB_NAME(ST(3, 1, 1)), .type = ASN_INTEGER,           /* vmStorageParent */
      .integer_of_host = web_image_parent },
    EXPECT_INT(ST(3, 1, 2), 0),                             /* 0: no file on this host */
    EXPECT_INT(ST(3, 2, 1), 0),
    EXPECT_INT(ST(3, 2, 2), 0),
    EXPECT_INT(ST(3, 3, 1), 0),                             /* a relative path */
    EXPECT_INT(ST(4, 1, 1), 5),                             /* vmStorageSourceType: sparse */
    EXPECT_INT(ST(4, 1, 2), 1),                             /* unknown: no disc */
    EXPECT_INT(ST(4, 2, 1), 3),                             /* block */
    EXPECT_INT(ST(4, 2, 2), 6),                             /* network */
    EXPECT_INT(ST(4, 3, 1), 4),                             /* raw */
    EXPECT_STR(ST(5, 1, 1), "qcow2"),                       /* vmStorageSourceTypeString */
    EXPECT_STR(ST(5, 1, 2), "raw"),
    EXPECT_STR(ST(5, 2, 1), "raw"),
    EXPECT_STR(ST(5, 2, 2), "rbd"),
    EXPECT_STR(ST(5, 3, 1), "raw"),
    EXPECT_STR(ST(6, 1, 1), "/var/lib/libvirt/images/web.qcow2"),  /* vmStorageResourceID */
    EXPECT_STR(ST(6, 1, 2), ""),
    EXPECT_STR(ST(6, 2, 1), "/dev/vg0/db"),
    EXPECT_STR(ST(6, 2, 2), "rbd://mon1:6789/pool/db-log"),
    EXPECT_STR(ST(6, 3, 1), "srv/old.img"),
    EXPECT_INT(ST(7, 1, 1), 2),                             /* vmStorageAccess: readWrite */
    EXPECT_INT(ST(7, 1, 2), 3),                             /* readOnly */
    EXPECT_INT(ST(7, 2, 1), 2),
    EXPECT_INT(ST(7, 2, 2), 2),
    EXPECT_INT(ST(7, 3, 1), 2),
    EXPECT_INT(ST(8, 1, 1), 3),                             /* vmStorageMediaType: hardDisk */
    EXPECT_INT(ST(8, 1, 2), 4),                             /* opticalDisk */
    EXPECT_INT(ST(8, 2, 1), 3),
    EXPECT_INT(ST(8, 2, 2), 3),
    EXPECT_INT(ST(8, 3, 1), 3),
    EXPECT_STR(ST(9, 1, 1), "virtio"),                      /* vmStorageMediaTypeString */
    EXPECT_STR(ST(9, 1, 2), "sata"),
    EXPECT_STR(ST(9, 2, 1), "virtio"),
    EXPECT_STR(ST(9, 2, 2), "virtio"),
    EXPECT_STR(ST(9, 3, 1), "ide"),
    EXPECT_INT(ST(10, 1, 1), MIB),                          /* vmStorageSizeUnit */
    EXPECT_INT(ST(10, 1, 2), MIB),
    EXPECT_INT(ST(10, 2, 1), MIB),
    EXPECT_INT(ST(10, 2, 2), MIB),
    EXPECT_INT(ST(10, 3, 1), MIB),
    EXPECT_INT(ST(11, 1, 1), 10240),                        /* vmStorageDefinedSize */
    EXPECT_INT(ST(11, 1, 2), -1),
    EXPECT_INT(ST(11, 2, 1), 2147483647),                   /* 4 PiB */
    EXPECT_INT(ST(11, 2, 2), 1),
    EXPECT_INT(ST(11, 3, 1), 1),                            /* 1 byte */
    EXPECT_INT(ST(12, 1, 1), 3073),                         /* vmStorageAllocatedSize: 3 GiB + 1 */
    EXPECT_INT(ST(12, 1, 2), -1),
    EXPECT_INT(ST(12, 2, 1), 2147483647),                   /* block: the defined size */
    EXPECT_INT(ST(12, 2, 2), 1),                            /* 512 KiB, rounded up */
    EXPECT_INT(ST(12, 3, 1), 1),                            /* raw: the defined size */
    EXPECT_C64(ST(13, 1, 1), 1001),                         /* vmStorageReadIOs */
    EXPECT_C64(ST(13, 1, 2), 0),
    EXPECT_C64(ST(13, 2, 1), 2001),
    EXPECT_C64(ST(13, 2, 2), 0),
    EXPECT_C64(ST(13, 3, 1), 0),
    EXPECT_C64(ST(14, 1, 1), 1002),                         /* vmStorageWriteIOs */
    EXPECT_C64(ST(14, 1, 2), 0),
    EXPECT_C64(ST(14, 2, 1), 2002),
    EXPECT_C64(ST(14, 2, 2), 1),
    EXPECT_C64(ST(14, 3, 1), 0),
    EXPECT_C64(ST(15, 1, 1), 6000000000ULL),                /* vmStorageReadOctets */
    EXPECT_C64(ST(15, 1, 2), 0),
    EXPECT_C64(ST(15, 2, 1), 2003),
    EXPECT_C64(ST(15, 2, 2), 2),
    EXPECT_C64(ST(15, 3, 1), 0),
    EXPECT_C64(ST(16, 1, 1), 1004),                         /* vmStorageWriteOctets */
    EXPECT_C64(ST(16, 1, 2), 0),
    EXPECT_C64(ST(16, 2, 1), 2004),
    EXPECT_C64(ST(16, 2, 2), 3),
    EXPECT_C64(ST(16, 3, 1), 0),
    EXPECT_C64(ST(17, 1, 1), 1005),                         /* vmStorageReadLatency */
    EXPECT_C64(ST(17, 1, 2), 0),
    EXPECT_C64(ST(17, 2, 1), 2005),
    EXPECT_C64(ST(17, 2, 2), 4),
    EXPECT_C64(ST(17, 3, 1), 0),
    EXPECT_C64(ST(18, 1, 1), 1006),                         /* vmStorageWriteLatency */
    EXPECT_C64(ST(18, 1, 2), 0),
    EXPECT_C64(ST(18, 2, 1), 2006),
    EXPECT_C64(ST(18, 2, 2), 5),
    EXPECT_C64(ST(18, 3, 1), 0),
    EXPECT_NONE(ST(3, 3, 2), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE(ST(3, 4, 1), SNMP_NOSUCHINSTANCE),
    EXPECT_NONE((7, 1, 2, 1, 1), SNMP_NOSUCHOBJECT),        /* vmStorageIndex */
    EXPECT_NONE(ST(19, 1, 1), SNMP_NOSUCHOBJECT),
};
const struct mib_expect_list vm_storage_table_expect = { expect, NELEMS(expect) };

START_TEST(getnext_edges)
{
    static const oid source3[] = { 7, 1, 4, 3, 1 }, last[] = { 7, 1, 18, 3, 1 };
    static const struct mib_expect if_index_first = EXPECT_INT((8, 1, 2, 1, 1), 7);

    mib_getnext(source3, NELEMS(source3), &expect[10]);
    mib_getnext(last, NELEMS(last), &if_index_first);
}
END_TEST

Suite *vm_storage_table_suite(void)
{
    Suite *s = suite_create("vmStorageTable");
    TCase *tc = tcase_create("edges");

    tcase_add_test(tc, getnext_edges);
    suite_add_tcase(s, tc);
    return s;
}
