/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/collector.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/thread.h"

struct job {
    struct job *next;
    vmm_collect_fn *work;
    void *arg;
};

struct queue {
    struct job *head, **tail;
};

struct vmm_collector {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct queue todo, done;
    bool stopping;
    int fd[2];                      /* readable end: finished jobs wait */
    pthread_t thread;
};

static void queue_init(struct queue *q)
{
    q->head = NULL;
    q->tail = &q->head;
}

static void push(struct queue *q, struct job *j)
{
    j->next = NULL;
    *q->tail = j;
    q->tail = &j->next;
}

static struct job *pop(struct queue *q)
{
    struct job *j = q->head;

    if (j && !(q->head = j->next))
        q->tail = &q->head;
    return j;
}

static void signal_done(struct vmm_collector *c)
{
    ssize_t rc;

    do
        rc = write(c->fd[1], "", 1);
    while (rc < 0 && errno == EINTR);
    /* EAGAIN: the pipe is full, a wake-up is pending anyway */
}

static void *run(void *p)
{
    struct vmm_collector *c = p;
    struct job *j;

    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->stopping && !c->todo.head)
            pthread_cond_wait(&c->wake, &c->lock);
        if (c->stopping)
            break;
        j = pop(&c->todo);
        pthread_mutex_unlock(&c->lock);
        j->work(j->arg);
        pthread_mutex_lock(&c->lock);
        push(&c->done, j);
        signal_done(c);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct vmm_collector *vmm_collector_new(void)
{
    struct vmm_collector *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    queue_init(&c->todo);
    queue_init(&c->done);
    if (pthread_mutex_init(&c->lock, NULL) != 0)
        goto no_lock;
    if (pthread_cond_init(&c->wake, NULL) != 0)
        goto no_cond;
    if (pipe2(c->fd, O_CLOEXEC | O_NONBLOCK) < 0)
        goto no_pipe;
    if (vmm_thread_create(&c->thread, NULL, run, c) == 0)
        return c;
    close(c->fd[0]);
    close(c->fd[1]);
no_pipe:
    pthread_cond_destroy(&c->wake);
no_cond:
    pthread_mutex_destroy(&c->lock);
no_lock:
    free(c);
    return NULL;
}

static void free_queue(struct queue *q)
{
    struct job *j;

    while ((j = pop(q)))
        free(j);
}

void vmm_collector_free(struct vmm_collector *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    free_queue(&c->todo);
    free_queue(&c->done);
    close(c->fd[0]);
    close(c->fd[1]);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

int vmm_collector_submit(struct vmm_collector *c, vmm_collect_fn *work, void *arg)
{
    struct job *j = malloc(sizeof(*j));

    if (!j)
        return -1;
    j->work = work;
    j->arg = arg;
    pthread_mutex_lock(&c->lock);
    push(&c->todo, j);
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

void *vmm_collector_done(struct vmm_collector *c)
{
    struct job *j;
    void *arg = NULL;
    char buf[64];

    pthread_mutex_lock(&c->lock);
    if ((j = pop(&c->done)))
        arg = j->arg;
    if (!c->done.head)
        while (read(c->fd[0], buf, sizeof(buf)) > 0)
            ;
    pthread_mutex_unlock(&c->lock);
    free(j);
    return arg;
}

int vmm_collector_fd(const struct vmm_collector *c)
{
    return c->fd[0];
}
