#include "vmm_eventloop.h"

#include <stdbool.h>
#include <stdlib.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/libvirt.h>

struct watch {
    struct watch *next;
    int id, fd, events;
    bool deleted;
    virEventHandleCallback cb;
    void *opaque;
    virFreeCallback ff;
};

struct timer {
    struct timer *next;
    int id;
    unsigned alarm;                 /* 0 = not armed */
    bool deleted;
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
};

/* Static on purpose: libvirt keeps calling into these after a module reload. */
static struct watch *watches;
static struct timer *timers;
static int next_watch_id = 1, next_timer_id = 1;
static unsigned reaper_alarm;
static bool ours;

static struct watch *find_watch(int id)
{
    for (struct watch *w = watches; w; w = w->next)
        if (w->id == id && !w->deleted)
            return w;
    return NULL;
}

static struct timer *find_timer(int id)
{
    for (struct timer *t = timers; t; t = t->next)
        if (t->id == id && !t->deleted)
            return t;
    return NULL;
}

/* libvirt forbids calling a free callback from inside remove*, so deleted
 * entries are released on the next loop iteration. */
static void reap(unsigned reg, void *arg)
{
    struct watch **wp = &watches;
    struct timer **tp = &timers;

    (void)reg; (void)arg;
    reaper_alarm = 0;
    while (*wp) {
        struct watch *w = *wp;

        if (!w->deleted) { wp = &w->next; continue; }
        *wp = w->next;
        if (w->ff)
            w->ff(w->opaque);
        free(w);
    }
    while (*tp) {
        struct timer *t = *tp;

        if (!t->deleted) { tp = &t->next; continue; }
        *tp = t->next;
        if (t->ff)
            t->ff(t->opaque);
        free(t);
    }
}

static void schedule_reap(void)
{
    struct timeval now = { 0, 0 };

    if (!reaper_alarm)
        reaper_alarm = snmp_alarm_register_hr(now, 0, reap, NULL);
}

static void on_readable(int fd, void *arg)
{
    struct watch *w = arg;

    if (!w->deleted)
        w->cb(w->id, fd, VIR_EVENT_HANDLE_READABLE, w->opaque);
}

static void on_writable(int fd, void *arg)
{
    struct watch *w = arg;

    if (!w->deleted)
        w->cb(w->id, fd, VIR_EVENT_HANDLE_WRITABLE, w->opaque);
}

/* select() has no HANGUP/ERROR: libvirt learns those by reading EOF. */
static void watch_listen(struct watch *w, int events)
{
    int was = w->events;

    if ((was & VIR_EVENT_HANDLE_READABLE) && !(events & VIR_EVENT_HANDLE_READABLE))
        unregister_readfd(w->fd);
    if ((was & VIR_EVENT_HANDLE_WRITABLE) && !(events & VIR_EVENT_HANDLE_WRITABLE))
        unregister_writefd(w->fd);
    if (!(was & VIR_EVENT_HANDLE_READABLE) && (events & VIR_EVENT_HANDLE_READABLE))
        register_readfd(w->fd, on_readable, w);
    if (!(was & VIR_EVENT_HANDLE_WRITABLE) && (events & VIR_EVENT_HANDLE_WRITABLE))
        register_writefd(w->fd, on_writable, w);
    w->events = events;
}

static int add_handle(int fd, int events, virEventHandleCallback cb,
                      void *opaque, virFreeCallback ff)
{
    struct watch *w = calloc(1, sizeof(*w));

    if (!w)
        return -1;
    w->id = next_watch_id++;
    w->fd = fd;
    w->cb = cb;
    w->opaque = opaque;
    w->ff = ff;
    w->next = watches;
    watches = w;
    watch_listen(w, events);
    DEBUGMSGTL(("vm_mib:eventloop", "watch %d on fd %d events %d\n", w->id, fd, events));
    return w->id;
}

static void update_handle(int id, int events)
{
    struct watch *w = find_watch(id);

    if (w)
        watch_listen(w, events);
}

static int remove_handle(int id)
{
    struct watch *w = find_watch(id);

    if (!w)
        return -1;
    watch_listen(w, 0);
    w->deleted = true;
    schedule_reap();
    DEBUGMSGTL(("vm_mib:eventloop", "watch %d removed\n", id));
    return 0;
}

static void on_timer(unsigned reg, void *arg)
{
    struct timer *t = arg;

    (void)reg;
    if (!t->deleted)
        t->cb(t->id, t->opaque);
}

/* ms < 0 disarms; 0 means "every iteration", which snmp_alarm cannot repeat
 * at zero period, so 1 ms stands in for it. */
static void timer_arm(struct timer *t, int ms)
{
    if (t->alarm) {
        snmp_alarm_unregister(t->alarm);
        t->alarm = 0;
    }
    if (ms >= 0) {
        struct timeval period = { ms / 1000, (ms % 1000) * 1000 };

        if (ms == 0)
            period.tv_usec = 1000;
        t->alarm = snmp_alarm_register_hr(period, SA_REPEAT, on_timer, t);
    }
}

static int add_timeout(int ms, virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff)
{
    struct timer *t = calloc(1, sizeof(*t));

    if (!t)
        return -1;
    t->id = next_timer_id++;
    t->cb = cb;
    t->opaque = opaque;
    t->ff = ff;
    t->next = timers;
    timers = t;
    timer_arm(t, ms);
    DEBUGMSGTL(("vm_mib:eventloop", "timer %d every %d ms\n", t->id, ms));
    return t->id;
}

static void update_timeout(int id, int ms)
{
    struct timer *t = find_timer(id);

    if (t)
        timer_arm(t, ms);
}

static int remove_timeout(int id)
{
    struct timer *t = find_timer(id);

    if (!t)
        return -1;
    timer_arm(t, -1);
    t->deleted = true;
    schedule_reap();
    return 0;
}

static void probe_cb(int timer, void *opaque)
{
    (void)timer; (void)opaque;
}

int vmm_eventloop_ensure(void)
{
    int probe;

    if (ours)
        return 0;
    /* virEventAddTimeout fails exactly when no implementation is registered. */
    probe = virEventAddTimeout(-1, probe_cb, NULL, NULL);
    if (probe >= 0) {
        virEventRemoveTimeout(probe);
        return -1;
    }
    virEventRegisterImpl(add_handle, update_handle, remove_handle,
                         add_timeout, update_timeout, remove_timeout);
    ours = true;
    return 0;
}
