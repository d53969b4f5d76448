/* The Check suites of check_vmm, one per file. */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *config_suite(void);
Suite *control_suite(void);
Suite *domxml_suite(void);
Suite *fresh_suite(void);
Suite *host_suite(void);
Suite *hypervisor_suite(void);
Suite *index_suite(void);
Suite *lifecycle_suite(void);
Suite *snapshot_suite(void);
Suite *state_suite(void);
Suite *stats_suite(void);
Suite *tracker_suite(void);

#endif
