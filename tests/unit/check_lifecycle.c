#include <pthread.h>
#include <signal.h>
#include <libvirt/libvirt.h>

#include "suites.h"
#include "core/collector.h"
#include "core/lifecycle.h"
#include "core/state.h"
#include "core/thread.h"

static int oper_of(int event, int detail)
{
    struct vmm_lvstate st;

    ck_assert(vmm_event_state(event, detail, &st));
    return vmm_event_oper(&st);
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
    ck_assert(!vmm_event_state(VIR_DOMAIN_EVENT_SHUTDOWN, VIR_DOMAIN_EVENT_SHUTDOWN_HOST, &st));
    ck_assert(!vmm_event_state(VIR_DOMAIN_EVENT_DEFINED, 0, &st));
    ck_assert(!vmm_event_state(VIR_DOMAIN_EVENT_UNDEFINED, 0, &st));
    ck_assert(!vmm_event_state(99, 0, &st));
}
END_TEST

/* refine(event, detail, read state, reason, image) -> oper */
static int refined(int event, int detail, int state, int reason, bool saved)
{
    struct vmm_lvstate st, read = { state, reason, saved };

    ck_assert(vmm_event_state(event, detail, &st));
    ck_assert(vmm_event_needs_read(event, detail));
    vmm_event_refine(event, detail, &read, &st);
    return vmm_event_oper(&st);
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
    ck_assert(!vmm_event_needs_read(VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED));
}
END_TEST

static void record(void *arg)
{
    int *slot = arg;

    *slot = *slot * 10 + 1;         /* ran exactly once */
}

/* Jobs come back in the order they were submitted, each run once. */
START_TEST(collector_keeps_order)
{
    struct vmm_collector *c = vmm_collector_new();
    int slots[50] = { 0 };
    int *done;
    size_t n = 0;

    ck_assert_ptr_nonnull(c);
    for (size_t i = 0; i < 50; i++) {
        slots[i] = (int)i;
        ck_assert_int_eq(vmm_collector_submit(c, record, &slots[i]), 0);
    }
    while (n < 50) {
        if (!(done = vmm_collector_done(c)))
            continue;
        ck_assert_ptr_eq(done, &slots[n]);
        ck_assert_int_eq(*done, (int)n * 10 + 1);
        n++;
    }
    ck_assert_ptr_null(vmm_collector_done(c));
    ck_assert_uint_eq(vmm_collector_pending(c), 0);
    vmm_collector_free(c);
}
END_TEST

static void *blocked_signals(void *arg)
{
    sigset_t *cur = arg;

    pthread_sigmask(SIG_BLOCK, NULL, cur);
    return NULL;
}

/* snmpd's SIGHUP and SIGTERM must reach snmpd's own thread. */
START_TEST(threads_take_no_signals)
{
    pthread_t t;
    sigset_t cur;

    ck_assert_int_eq(vmm_thread_create(&t, NULL, blocked_signals, &cur), 0);
    pthread_join(t, NULL);
    ck_assert(sigismember(&cur, SIGHUP));
    ck_assert(sigismember(&cur, SIGTERM));
    pthread_sigmask(SIG_BLOCK, NULL, &cur);
    ck_assert(!sigismember(&cur, SIGHUP));   /* the caller's mask is back */
}
END_TEST

Suite *lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    TCase *tc = tcase_create("event");

    tcase_add_test(tc, states_from_events);
    tcase_add_test(tc, reads_refine_only_what_the_event_leaves_open);
    tcase_add_test(tc, collector_keeps_order);
    tcase_add_test(tc, threads_take_no_signals);
    suite_add_tcase(s, tc);
    return s;
}
