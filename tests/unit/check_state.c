/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "suites.h"
#include "core/state.h"

/* One row per line of the States table in doc/design.md (and per reason
 * where a row lists several), plus corner cases. */
static const struct row {
    int state, reason;
    bool managed_save, active;
    int oper, admin;
} rows[] = {
    /* NOSTATE: other, admin from whether the domain is active */
    { VIR_DOMAIN_NOSTATE, VIR_DOMAIN_NOSTATE_UNKNOWN, false, true, VMM_OPER_OTHER, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_NOSTATE, VIR_DOMAIN_NOSTATE_UNKNOWN, false, false, VMM_OPER_OTHER, VMM_ADMIN_SHUTDOWN },
    /* RUNNING, any reason except POSTCOPY */
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_RESTORED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATION_CANCELED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_SAVE_CANCELED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_WAKEUP, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_CRASHED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, 99, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    /* RUNNING + POSTCOPY -> migrating; POSTCOPY_FAILED -> running (choice) */
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_POSTCOPY, false, true, VMM_OPER_MIGRATING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_POSTCOPY_FAILED, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    /* BLOCKED */
    { VIR_DOMAIN_BLOCKED, VIR_DOMAIN_BLOCKED_UNKNOWN, false, true, VMM_OPER_RUNNING, VMM_ADMIN_RUNNING },
    /* PAUSED USER/UNKNOWN/FROM_SNAPSHOT -> paused/paused */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, false, true, VMM_OPER_PAUSED, VMM_ADMIN_PAUSED },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_UNKNOWN, false, true, VMM_OPER_PAUSED, VMM_ADMIN_PAUSED },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT, false, true, VMM_OPER_PAUSED, VMM_ADMIN_PAUSED },
    /* PAUSED involuntary -> paused/running */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, false, true, VMM_OPER_PAUSED, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_WATCHDOG, false, true, VMM_OPER_PAUSED, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_DUMP, false, true, VMM_OPER_PAUSED, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SNAPSHOT, false, true, VMM_OPER_PAUSED, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_POSTCOPY_FAILED, false, true, VMM_OPER_PAUSED, VMM_ADMIN_RUNNING },
    /* PAUSED MIGRATION/POSTCOPY -> migrating/running; a MIGRATION pause
     * with a managed-save image is QEMU restoring it -> resuming */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, false, true, VMM_OPER_MIGRATING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, true, true, VMM_OPER_RESUMING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_POSTCOPY, false, true, VMM_OPER_MIGRATING, VMM_ADMIN_RUNNING },
    /* PAUSED SAVE -> suspending/suspended */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SAVE, false, true, VMM_OPER_SUSPENDING, VMM_ADMIN_SUSPENDED },
    /* PAUSED SHUTTING_DOWN -> shuttingdown/shutdown */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_SHUTTING_DOWN, false, true, VMM_OPER_SHUTTINGDOWN, VMM_ADMIN_SHUTDOWN },
    /* PAUSED STARTING_UP -> resuming with managed save, else other */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP, true, true, VMM_OPER_RESUMING, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP, false, true, VMM_OPER_OTHER, VMM_ADMIN_RUNNING },
    /* PAUSED CRASHED -> crashed/running */
    { VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_CRASHED, false, true, VMM_OPER_CRASHED, VMM_ADMIN_RUNNING },
    /* PAUSED, reason newer than libvirt 9.0 -> like UNKNOWN */
    { VIR_DOMAIN_PAUSED, 99, false, true, VMM_OPER_PAUSED, VMM_ADMIN_PAUSED },
    /* SHUTDOWN -> shuttingdown/shutdown */
    { VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN, false, true, VMM_OPER_SHUTTINGDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_USER, false, true, VMM_OPER_SHUTTINGDOWN, VMM_ADMIN_SHUTDOWN },
    /* SHUTOFF with managed-save image -> suspended/suspended */
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED, true, false, VMM_OPER_SUSPENDED, VMM_ADMIN_SUSPENDED },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, true, false, VMM_OPER_SUSPENDED, VMM_ADMIN_SUSPENDED },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED, true, false, VMM_OPER_SUSPENDED, VMM_ADMIN_SUSPENDED },
    /* SHUTOFF CRASHED -> crashed/shutdown */
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED, false, false, VMM_OPER_CRASHED, VMM_ADMIN_SHUTDOWN },
    /* SHUTOFF other reasons -> shutdown/shutdown */
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_MIGRATED, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FAILED, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DAEMON, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    { VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, false, false, VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN },
    /* CRASHED -> crashed/running */
    { VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_UNKNOWN, false, true, VMM_OPER_CRASHED, VMM_ADMIN_RUNNING },
    { VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, false, true, VMM_OPER_CRASHED, VMM_ADMIN_RUNNING },
    /* PMSUSPENDED -> paused/paused */
    { VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_PMSUSPENDED_UNKNOWN, false, true, VMM_OPER_PAUSED, VMM_ADMIN_PAUSED },
    /* values libvirt 9.0 does not define -> unknown/shutdown */
    { 8, 0, false, true, VMM_OPER_UNKNOWN, VMM_ADMIN_SHUTDOWN },
    { -1, 0, false, false, VMM_OPER_UNKNOWN, VMM_ADMIN_SHUTDOWN },
    { 1000, 0, true, true, VMM_OPER_UNKNOWN, VMM_ADMIN_SHUTDOWN },
};

START_TEST(mapping_table)
{
    const struct row *r = &rows[_i];
    struct vmm_state s = vmm_state_map(r->state, r->reason, r->managed_save, r->active);

    ck_assert_msg(s.oper == r->oper && s.admin == r->admin,
                  "row %d (state %d reason %d save %d active %d): got %s/%d, want %s/%d",
                  _i, r->state, r->reason, r->managed_save, r->active,
                  vmm_state_oper_name(s.oper), s.admin, vmm_state_oper_name(r->oper), r->admin);
}
END_TEST

/* Only the managed-save rows may depend on managed_save, only NOSTATE on
 * active: every other row must give the same answer either way. */
START_TEST(flags_only_matter_where_listed)
{
    const struct row *r = &rows[_i];

    for (int save = 0; save < 2; save++) {
        for (int active = 0; active < 2; active++) {
            struct vmm_state s = vmm_state_map(r->state, r->reason, save, active);
            bool save_row = r->state == VIR_DOMAIN_SHUTOFF ||
                (r->state == VIR_DOMAIN_PAUSED && (r->reason == VIR_DOMAIN_PAUSED_STARTING_UP ||
                                                    r->reason == VIR_DOMAIN_PAUSED_MIGRATION));
            bool active_row = r->state == VIR_DOMAIN_NOSTATE;

            if ((save_row && save != r->managed_save) || (active_row && active != r->active))
                continue;
            ck_assert_msg(s.oper == r->oper && s.admin == r->admin,
                          "row %d changed with save=%d active=%d", _i, save, active);
        }
    }
}
END_TEST

START_TEST(oper_names)
{
    static const char *const want[] = {
        NULL, "unknown", "other", "preparing", "running", "suspending", "suspended",
        "resuming", "paused", "migrating", "shuttingdown", "shutdown", "crashed",
    };

    for (int i = VMM_OPER_UNKNOWN; i <= VMM_OPER_CRASHED; i++)
        ck_assert_str_eq(vmm_state_oper_name(i), want[i]);
    ck_assert_str_eq(vmm_state_oper_name(VMM_OPER_SHUTDOWN), "shutdown");
    ck_assert_str_eq(vmm_state_oper_name(0), "?");
    ck_assert_str_eq(vmm_state_oper_name(13), "?");
    ck_assert_str_eq(vmm_state_oper_name(-1), "?");
}
END_TEST

START_TEST(outgoing_migration_overlays_active_states)
{
    struct vmm_state run = { VMM_OPER_RUNNING, VMM_ADMIN_RUNNING };
    struct vmm_state paused = { VMM_OPER_PAUSED, VMM_ADMIN_PAUSED };
    struct vmm_state off = { VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN };
    struct vmm_state s;

    s = vmm_state_outgoing(run, VIR_DOMAIN_RUNNING, true);
    ck_assert_int_eq(s.oper, VMM_OPER_MIGRATING);
    ck_assert_int_eq(s.admin, VMM_ADMIN_RUNNING);
    s = vmm_state_outgoing(paused, VIR_DOMAIN_PAUSED, true);
    ck_assert_int_eq(s.oper, VMM_OPER_MIGRATING);
    ck_assert_int_eq(s.admin, VMM_ADMIN_PAUSED);
    ck_assert_int_eq(vmm_state_outgoing(run, VIR_DOMAIN_RUNNING, false).oper, VMM_OPER_RUNNING);
    ck_assert_int_eq(vmm_state_outgoing(off, VIR_DOMAIN_SHUTOFF, true).oper, VMM_OPER_SHUTDOWN);
    ck_assert(vmm_state_may_migrate(VIR_DOMAIN_BLOCKED));
    ck_assert(!vmm_state_may_migrate(VIR_DOMAIN_CRASHED));
}
END_TEST

Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("map");
    int nrows = (int)(sizeof(rows) / sizeof(rows[0]));

    tcase_add_loop_test(tc, mapping_table, 0, nrows);
    tcase_add_loop_test(tc, flags_only_matter_where_listed, 0, nrows);
    tcase_add_test(tc, oper_names);
    tcase_add_test(tc, outgoing_migration_overlays_active_states);
    suite_add_tcase(s, tc);
    return s;
}
