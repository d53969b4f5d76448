/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* Unit tests of vm_mib's pure layers: no snmpd, no Net-SNMP. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(array_suite());
    int failed;

    srunner_add_suite(sr, backoff_suite());
    srunner_add_suite(sr, clock_suite());
    srunner_add_suite(sr, collector_suite());
    srunner_add_suite(sr, config_suite());
    srunner_add_suite(sr, control_suite());
    srunner_add_suite(sr, domxml_suite());
    srunner_add_suite(sr, driver_suite());
    srunner_add_suite(sr, fresh_suite());
    srunner_add_suite(sr, history_suite());
    srunner_add_suite(sr, host_suite());
    srunner_add_suite(sr, index_suite());
    srunner_add_suite(sr, indexfile_suite());
    srunner_add_suite(sr, lifecycle_suite());
    srunner_add_suite(sr, snapshot_suite());
    srunner_add_suite(sr, sorted_suite());
    srunner_add_suite(sr, state_suite());
    srunner_add_suite(sr, statefile_suite());
    srunner_add_suite(sr, stats_suite());
    srunner_add_suite(sr, text_suite());
    srunner_add_suite(sr, thread_suite());
    srunner_add_suite(sr, tracker_suite());
    srunner_add_suite(sr, uuid_suite());
    srunner_add_suite(sr, vmlist_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
