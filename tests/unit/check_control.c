/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "suites.h"
#include "core/control.h"
#include "core/state.h"

struct plan_case {
    int target, state;
    bool saved, persistent;
    int expect;
};

START_TEST(admin_state_plans)
{
    static const struct plan_case cases[] = {
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_RUNNING, false, true, VMM_ACT_NONE },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_BLOCKED, false, true, VMM_ACT_NONE },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_PAUSED, false, true, VMM_ACT_RESUME },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_SHUTOFF, false, true, VMM_ACT_START },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_SHUTOFF, true, true, VMM_ACT_RESTORE },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_PMSUSPENDED, false, true, VMM_ACT_WAKEUP },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_SHUTDOWN, false, true, -1 },
        { VMM_ADMIN_RUNNING, VIR_DOMAIN_CRASHED, false, true, -1 },
        { VMM_ADMIN_SUSPENDED, VIR_DOMAIN_RUNNING, false, true, VMM_ACT_MANAGEDSAVE },
        { VMM_ADMIN_SUSPENDED, VIR_DOMAIN_PAUSED, false, true, VMM_ACT_MANAGEDSAVE },
        { VMM_ADMIN_SUSPENDED, VIR_DOMAIN_RUNNING, false, false, -1 },
        { VMM_ADMIN_SUSPENDED, VIR_DOMAIN_SHUTOFF, true, true, VMM_ACT_NONE },
        { VMM_ADMIN_SUSPENDED, VIR_DOMAIN_SHUTOFF, false, true, -1 },
        { VMM_ADMIN_SUSPENDED, VIR_DOMAIN_CRASHED, false, true, -1 },
        { VMM_ADMIN_PAUSED, VIR_DOMAIN_RUNNING, false, true, VMM_ACT_SUSPEND },
        { VMM_ADMIN_PAUSED, VIR_DOMAIN_PAUSED, false, true, VMM_ACT_NONE },
        { VMM_ADMIN_PAUSED, VIR_DOMAIN_PMSUSPENDED, false, true, VMM_ACT_NONE },
        { VMM_ADMIN_PAUSED, VIR_DOMAIN_SHUTOFF, false, true, -1 },
        { VMM_ADMIN_PAUSED, VIR_DOMAIN_SHUTOFF, true, true, -1 },
        { VMM_ADMIN_SHUTDOWN, VIR_DOMAIN_RUNNING, false, true, VMM_ACT_SHUTDOWN },
        { VMM_ADMIN_SHUTDOWN, VIR_DOMAIN_PAUSED, false, true, VMM_ACT_SHUTDOWN },
        { VMM_ADMIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF, false, true, VMM_ACT_NONE },
        { VMM_ADMIN_SHUTDOWN, VIR_DOMAIN_SHUTOFF, true, true, -1 },
        { VMM_ADMIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN, false, true, VMM_ACT_NONE },
        { VMM_ADMIN_SHUTDOWN, VIR_DOMAIN_CRASHED, false, true, VMM_ACT_DESTROY },
        { VMM_ADMIN_DESTROY, VIR_DOMAIN_RUNNING, false, true, VMM_ACT_DESTROY },
        { VMM_ADMIN_DESTROY, VIR_DOMAIN_PAUSED, false, false, VMM_ACT_DESTROY },
        { VMM_ADMIN_DESTROY, VIR_DOMAIN_SHUTOFF, false, true, VMM_ACT_NONE },
        { 6, VIR_DOMAIN_RUNNING, false, true, -1 },
        { 0, VIR_DOMAIN_RUNNING, false, true, -1 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *why = NULL;
        int got = vmm_control_plan(cases[i].target, cases[i].state, cases[i].saved,
                                   cases[i].persistent, &why);

        ck_assert_msg(got == cases[i].expect, "case %zu: target %d state %d: got %d, want %d",
                      i, cases[i].target, cases[i].state, got, cases[i].expect);
        ck_assert_ptr_nonnull(why);
        if (got < 0)
            ck_assert_str_ne(why, "");
    }
}
END_TEST

START_TEST(action_kinds)
{
    ck_assert(vmm_control_reversible(VMM_ACT_SUSPEND));
    ck_assert(vmm_control_reversible(VMM_ACT_RESUME));
    ck_assert(!vmm_control_reversible(VMM_ACT_SHUTDOWN));
    ck_assert(!vmm_control_reversible(VMM_ACT_START));
    ck_assert(vmm_control_slow(VMM_ACT_MANAGEDSAVE));
    ck_assert(vmm_control_slow(VMM_ACT_RESTORE));
    ck_assert(vmm_control_slow(VMM_ACT_START));
    ck_assert(vmm_control_slow(VMM_ACT_DESTROY));
    ck_assert(!vmm_control_slow(VMM_ACT_SUSPEND));
    ck_assert(!vmm_control_slow(VMM_ACT_SHUTDOWN));
    ck_assert_str_eq(vmm_control_action_name(VMM_ACT_MANAGEDSAVE), "managed save");
    ck_assert_str_eq(vmm_control_action_name(99), "?");
}
END_TEST

Suite *control_suite(void)
{
    Suite *s = suite_create("control");
    TCase *tc = tcase_create("plans");

    tcase_add_test(tc, admin_state_plans);
    tcase_add_test(tc, action_kinds);
    suite_add_tcase(s, tc);
    return s;
}
