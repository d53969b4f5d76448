/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* The Check suites of check_vmm: check_<module>.c tests core/<module>.c. */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *array_suite(void);
Suite *backoff_suite(void);
Suite *clock_suite(void);
Suite *collector_suite(void);
Suite *config_suite(void);
Suite *control_suite(void);
Suite *domxml_suite(void);
Suite *driver_suite(void);
Suite *fresh_suite(void);
Suite *history_suite(void);
Suite *host_suite(void);
Suite *index_suite(void);
Suite *indexfile_suite(void);
Suite *lifecycle_suite(void);
Suite *snapshot_suite(void);
Suite *sorted_suite(void);
Suite *state_suite(void);
Suite *statefile_suite(void);
Suite *stats_suite(void);
Suite *text_suite(void);
Suite *thread_suite(void);
Suite *tracker_suite(void);
Suite *uuid_suite(void);
Suite *vmlist_suite(void);

#endif
