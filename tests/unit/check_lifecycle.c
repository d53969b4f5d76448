/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <libvirt/libvirt.h>

#include "suites.h"
#include "core/lifecycle.h"
#include "core/state.h"

static int oper_of(int event, int detail)
{
    struct vmm_lvstate st;

    ck_assert(vmm_lifecycle_state(event, detail, &st));
    return vmm_lifecycle_oper(&st);
}

START_TEST(states_from_events)
{
    struct vmm_lvstate st;

    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED),
                     VMM_OPER_RUNNING);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
                     VMM_OPER_PAUSED);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED),
                     VMM_OPER_MIGRATING);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
                     VMM_OPER_RUNNING);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
                     VMM_OPER_SHUTDOWN);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED),
                     VMM_OPER_CRASHED);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED),
                     VMM_OPER_SUSPENDED);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED),
                     VMM_OPER_SHUTTINGDOWN);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_PMSUSPENDED, 0), VMM_OPER_PAUSED);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_CRASHED, 0), VMM_OPER_CRASHED);
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_STARTED, 99), VMM_OPER_RUNNING);
    ck_assert(!vmm_lifecycle_state(VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST, &st));
    ck_assert(!vmm_lifecycle_state(VIR_DOMAIN_EVENT_DEFINED, 0, &st));
    ck_assert(!vmm_lifecycle_state(VIR_DOMAIN_EVENT_UNDEFINED, 0, &st));
    ck_assert(!vmm_lifecycle_state(99, 0, &st));
}
END_TEST

/* refine(event, detail, read state, reason, image) -> oper */
static int refined(int event, int detail, int state, int reason, bool saved)
{
    struct vmm_lvstate st, read = { state, reason, saved };

    ck_assert(vmm_lifecycle_state(event, detail, &st));
    ck_assert(vmm_lifecycle_needs_read(event, detail));
    vmm_lifecycle_refine(event, detail, &read, &st);
    return vmm_lifecycle_oper(&st);
}

START_TEST(reads_refine_only_what_the_event_leaves_open)
{
    const int S = VIR_DOMAIN_EVENT_SUSPENDED, P = VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
    const int R = VIR_DOMAIN_EVENT_STARTED, RR = VIR_DOMAIN_EVENT_STARTED_RESTORED;

    ck_assert_int_eq(refined(S, P, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SAVE, false),
                     VMM_OPER_SUSPENDING);
    ck_assert_int_eq(refined(S, P, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED, true),
                     VMM_OPER_SUSPENDING);
    /* the machine moved on (resumed): still the pause this event reports */
    ck_assert_int_eq(refined(S, P, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, false),
                     VMM_OPER_PAUSED);
    ck_assert_int_eq(refined(R, RR, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, true),
                     VMM_OPER_RESUMING);
    ck_assert_int_eq(refined(R, RR, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, false),
                     VMM_OPER_RUNNING);
    ck_assert_int_eq(refined(R, RR, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, false),
                     VMM_OPER_RUNNING);
    ck_assert_int_eq(refined(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED,
                             VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED, false),
                     VMM_OPER_SHUTDOWN);
    ck_assert(!vmm_lifecycle_needs_read(VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED));
}
END_TEST

Suite *lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("event");

    tcase_add_test(tc, states_from_events);
    tcase_add_test(tc, reads_refine_only_what_the_event_leaves_open);
    suite_add_tcase(s, tc);
    return s;
}
