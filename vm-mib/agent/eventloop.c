/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/eventloop.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/libvirt.h>

/* libvirt may call the add/update/remove functions from any thread (a
 * connection being opened in a worker registers its socket; a thread in a
 * call takes the socket from the loop and gives it back).  Such calls only
 * record what is wanted and wake the main loop, which alone talks to
 * Net-SNMP; calls from the main loop take effect at once. */

struct watch {
    struct watch *next;
    int id, fd;
    int wanted, listening;          /* VIR_EVENT_HANDLE_* masks */
    bool deleted;
    virEventHandleCallback cb;
    void *opaque;
    virFreeCallback ff;
};

struct timer {
    struct timer *next;
    int id;
    int wanted_ms;                  /* < 0: disarmed */
    bool dirty, deleted;
    unsigned alarm;                 /* 0 = not armed */
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
};

/* Static on purpose: libvirt keeps calling into these after a module reload. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t main_thread;
static struct watch *watches;
static struct timer *timers;
static int next_watch_id = 1, next_timer_id = 1;
static int wake_fd[2] = { -1, -1 };
static unsigned reaper_alarm;
static bool ours;

static bool in_main_loop(void)
{
    return pthread_equal(pthread_self(), main_thread);
}

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

/* Main loop.  The callback is looked up when the fd is ready: Net-SNMP
 * registers fds, not watches (see apply_fd). */
static void dispatch(int fd, int event)
{
    virEventHandleCallback cb = NULL;
    void *opaque = NULL;
    int id = 0;

    pthread_mutex_lock(&lock);
    for (struct watch *w = watches; w && !cb; w = w->next)
        if (w->fd == fd && !w->deleted && (w->wanted & event)) {
            cb = w->cb;
            id = w->id;
            opaque = w->opaque;
        }
    pthread_mutex_unlock(&lock);
    if (cb)
        cb(id, fd, event, opaque);
}

static void on_readable(int fd, void *unused)
{
    (void)unused;
    dispatch(fd, VIR_EVENT_HANDLE_READABLE);
}

static void on_writable(int fd, void *unused)
{
    (void)unused;
    dispatch(fd, VIR_EVENT_HANDLE_WRITABLE);
}

static void on_timer(unsigned reg, void *arg)
{
    struct timer *t = arg;

    (void)reg;
    if (!t->deleted)
        t->cb(t->id, t->opaque);
}

/* What the watches on fd want (live), or have registered (!live). */
static int fd_events(int fd, bool live)
{
    int events = 0;

    for (struct watch *w = watches; w; w = w->next)
        if (w->fd == fd)
            events |= live ? (w->deleted ? 0 : w->wanted) : w->listening;
    return events;
}

/* Main loop only.  Net-SNMP knows one registration per fd, and libvirt may
 * open a new socket on the fd of one whose watch is still being removed:
 * the fd is registered for what its live watches want, whichever watch
 * asked.  select() has no HANGUP/ERROR: libvirt learns those by reading
 * EOF.  Traced here, not where libvirt asks: that may be another thread,
 * and Net-SNMP (its debug output too) belongs to snmpd's. */
static void apply_fd(int fd)
{
    int want = fd_events(fd, true), was = fd_events(fd, false);
    const int R = VIR_EVENT_HANDLE_READABLE, W = VIR_EVENT_HANDLE_WRITABLE;

    if ((was & R) && !(want & R))
        unregister_readfd(fd);
    if ((was & W) && !(want & W))
        unregister_writefd(fd);
    if (!(was & R) && (want & R))
        register_readfd(fd, on_readable, NULL);
    if (!(was & W) && (want & W))
        register_writefd(fd, on_writable, NULL);
    if (want != was)
        DEBUGMSGTL(("vm_mib:eventloop", "fd %d: events %d -> %d\n", fd, was, want));
    for (struct watch *w = watches; w; w = w->next)
        if (w->fd == fd)
            w->listening = w->deleted ? 0 : w->wanted;
}

/* Main loop only.  0 ms means "every iteration", which snmp_alarm cannot
 * repeat at zero period: 1 ms stands in for it. */
static void apply_timer(struct timer *t)
{
    int ms = t->deleted ? -1 : t->wanted_ms;

    if (!t->dirty && !t->deleted)
        return;
    t->dirty = false;
    DEBUGMSGTL(("vm_mib:eventloop", "timer %d: %d ms%s\n", t->id, ms,
                t->deleted ? " (removed)" : ""));
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

/* libvirt forbids calling a free callback from inside remove*, so deleted
 * entries are released on the next loop iteration, outside the lock. */
static void reap(unsigned reg, void *arg)
{
    struct watch *dead_w = NULL, **wp = &watches;
    struct timer *dead_t = NULL, **tp = &timers;

    (void)reg; (void)arg;
    pthread_mutex_lock(&lock);
    reaper_alarm = 0;
    while (*wp) {
        struct watch *w = *wp;

        if (!w->deleted) { wp = &w->next; continue; }
        apply_fd(w->fd);
        *wp = w->next;
        w->next = dead_w;
        dead_w = w;
    }
    while (*tp) {
        struct timer *t = *tp;

        if (!t->deleted) { tp = &t->next; continue; }
        apply_timer(t);
        *tp = t->next;
        t->next = dead_t;
        dead_t = t;
    }
    pthread_mutex_unlock(&lock);
    for (struct watch *w; (w = dead_w); free(w)) {
        dead_w = w->next;
        if (w->ff)
            w->ff(w->opaque);
    }
    for (struct timer *t; (t = dead_t); free(t)) {
        dead_t = t->next;
        if (t->ff)
            t->ff(t->opaque);
    }
}

/* Called with the lock held, in the main loop. */
static void apply_all(void)
{
    bool dead = false;

    for (struct watch *w = watches; w; w = w->next) {
        apply_fd(w->fd);
        dead |= w->deleted;
    }
    for (struct timer *t = timers; t; t = t->next) {
        apply_timer(t);
        dead |= t->deleted;
    }
    if (dead && !reaper_alarm) {
        struct timeval now = { 0, 0 };

        reaper_alarm = snmp_alarm_register_hr(now, 0, reap, NULL);
    }
}

static void on_wake(int fd, void *arg)
{
    char buf[64];

    (void)arg;
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    pthread_mutex_lock(&lock);
    apply_all();
    pthread_mutex_unlock(&lock);
}

/* After changing an entry under the lock: apply now or wake the main loop. */
static void changed(void)
{
    if (in_main_loop())
        apply_all();
    else if (write(wake_fd[1], "", 1) < 0) {
        /* full pipe: a wake-up is already pending */
    }
}

static int add_handle(int fd, int events, virEventHandleCallback cb,
                      void *opaque, virFreeCallback ff)
{
    struct watch *w = malloc(sizeof(*w));
    int id;

    if (!w)
        return -1;
    pthread_mutex_lock(&lock);
    id = next_watch_id++;
    *w = (struct watch){ .next = watches, .id = id, .fd = fd, .wanted = events,
                         .cb = cb, .opaque = opaque, .ff = ff };
    watches = w;
    changed();
    pthread_mutex_unlock(&lock);
    return id;
}

static void update_handle(int id, int events)
{
    struct watch *w;

    pthread_mutex_lock(&lock);
    if ((w = find_watch(id))) {
        w->wanted = events;
        changed();
    }
    pthread_mutex_unlock(&lock);
}

static int remove_handle(int id)
{
    struct watch *w;

    pthread_mutex_lock(&lock);
    if ((w = find_watch(id))) {
        w->deleted = true;
        changed();
    }
    pthread_mutex_unlock(&lock);
    return w ? 0 : -1;
}

static int add_timeout(int ms, virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff)
{
    struct timer *t = malloc(sizeof(*t));
    int id;

    if (!t)
        return -1;
    pthread_mutex_lock(&lock);
    id = next_timer_id++;
    *t = (struct timer){ .next = timers, .id = id, .wanted_ms = ms, .dirty = true,
                         .cb = cb, .opaque = opaque, .ff = ff };
    timers = t;
    changed();
    pthread_mutex_unlock(&lock);
    return id;
}

static void update_timeout(int id, int ms)
{
    struct timer *t;

    pthread_mutex_lock(&lock);
    if ((t = find_timer(id))) {
        t->wanted_ms = ms;
        t->dirty = true;
        changed();
    }
    pthread_mutex_unlock(&lock);
}

static int remove_timeout(int id)
{
    struct timer *t;

    pthread_mutex_lock(&lock);
    if ((t = find_timer(id))) {
        t->deleted = true;
        changed();
    }
    pthread_mutex_unlock(&lock);
    return t ? 0 : -1;
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
        snmp_log(LOG_INFO, "vm_mib: libvirt's event loop belongs to another "
                 "component of snmpd; using it\n");
        return -1;
    }
    /* Like the implementation itself, the wake pipe lives as long as the
     * process: libvirt cannot be told to forget an event loop. */
    if (pipe2(wake_fd, O_CLOEXEC | O_NONBLOCK) < 0 ||
        register_readfd(wake_fd[0], on_wake, NULL) < 0) {
        snmp_log(LOG_ERR, "vm_mib: cannot watch libvirt's events; "
                 "no keepalive, a dead libvirtd is noticed on the next request\n");
        return -1;
    }
    main_thread = pthread_self();
    virEventRegisterImpl(add_handle, update_handle, remove_handle,
                         add_timeout, update_timeout, remove_timeout);
    ours = true;
    return 0;
}
