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
    struct vmm_lvstate st, read = { state, reason, saved, false };

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

/* The destination's copy: paused for the migration until RESUMED_MIGRATED. */
START_TEST(incoming_migration_is_migrating_until_resumed)
{
    struct vmm_lvstate st;

    ck_assert(vmm_lifecycle_state(VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_MIGRATED, &st));
    ck_assert_int_eq(st.state, VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(st.reason, VIR_DOMAIN_PAUSED_MIGRATION);
    ck_assert_int_eq(vmm_lifecycle_oper(&st), VMM_OPER_MIGRATING);
    ck_assert(vmm_lifecycle_incoming(&st));
    ck_assert(!vmm_lifecycle_needs_read(VIR_DOMAIN_EVENT_STARTED,
                                        VIR_DOMAIN_EVENT_STARTED_MIGRATED));
    ck_assert_int_eq(oper_of(VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_MIGRATED),
                     VMM_OPER_RUNNING);
    /* the source at the switchover is paused for the migration too */
    st.outgoing = true;
    ck_assert(!vmm_lifecycle_incoming(&st));
}
END_TEST

/* (event, state read after it, machine before) -> oper after */
static int outgoing_after(int event, int state, int reason, bool was_outgoing)
{
    struct vmm_lvstate st, read = { state, reason, false, false };
    struct vmm_lvstate before = { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, false,
                                  was_outgoing };

    ck_assert(vmm_lifecycle_state(event, 0, &st));
    if (vmm_lifecycle_needs_read(event, 0))
        vmm_lifecycle_refine(event, 0, &read, &st);
    else
        st = read;
    st.outgoing = vmm_lifecycle_still_outgoing(event, &before, &st);
    return vmm_lifecycle_oper(&st);
}

START_TEST(outgoing_migration_from_start_to_end)
{
    const int OUT = VMM_LIFECYCLE_MIGRATION_OUT, END = VMM_LIFECYCLE_MIGRATION_OUT_END;
    struct vmm_lvstate st;

    /* MIGRATION_ITERATION: running or paused, read back, is migrating */
    ck_assert_int_eq(outgoing_after(OUT, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, false),
                     VMM_OPER_MIGRATING);
    ck_assert_int_eq(outgoing_after(OUT, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, false),
                     VMM_OPER_MIGRATING);
    /* already stopped when read: it was migrating when the event came */
    ck_assert(vmm_lifecycle_state(OUT, 0, &st));
    vmm_lifecycle_refine(OUT, 0, &(struct vmm_lvstate){ VIR_DOMAIN_SHUTOFF,
                         VIR_DOMAIN_SHUTOFF_MIGRATED, false, false }, &st);
    ck_assert_int_eq(vmm_lifecycle_oper(&st), VMM_OPER_MIGRATING);
    /* lifecycle events while it goes on: switchover, a user's pause */
    ck_assert_int_eq(outgoing_after(VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_PAUSED,
                                    VIR_DOMAIN_PAUSED_MIGRATION, true), VMM_OPER_MIGRATING);
    ck_assert_int_eq(outgoing_after(VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_PAUSED,
                                    VIR_DOMAIN_PAUSED_USER, true), VMM_OPER_MIGRATING);
    ck_assert_int_eq(outgoing_after(VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_RUNNING,
                                    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED, true),
                     VMM_OPER_MIGRATING);
    /* completed: the machine stops */
    ck_assert_int_eq(outgoing_after(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_SHUTOFF,
                                    VIR_DOMAIN_SHUTOFF_MIGRATED, true), VMM_OPER_SHUTDOWN);
    /* cancelled or failed: its job gone, back to what it was */
    ck_assert_int_eq(outgoing_after(END, VIR_DOMAIN_RUNNING,
                                    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED, true),
                     VMM_OPER_RUNNING);
    ck_assert_int_eq(outgoing_after(END, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, true),
                     VMM_OPER_PAUSED);
    /* no migration: lifecycle events as ever */
    ck_assert_int_eq(outgoing_after(VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_PAUSED,
                                    VIR_DOMAIN_PAUSED_USER, false), VMM_OPER_PAUSED);
}
END_TEST

Suite *lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("event");

    tcase_add_test(tc, states_from_events);
    tcase_add_test(tc, reads_refine_only_what_the_event_leaves_open);
    tcase_add_test(tc, incoming_migration_is_migrating_until_resumed);
    tcase_add_test(tc, outgoing_migration_from_start_to_end);
    suite_add_tcase(s, tc);
    return s;
}
