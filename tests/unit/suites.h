/* The Check suites of check_vmm, one per file. */
#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *config_suite(void);
Suite *hypervisor_suite(void);

#endif
