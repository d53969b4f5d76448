/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/worker.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "core/thread.h"

enum job_state { RUNNING, FINISHED, ABANDONED };

struct vmm_job {
    struct vmm_job *next;
    vmm_work_fn *work;
    vmm_done_fn *done, *discard;
    void *arg, *result;
    enum job_state state;
};

/* Process-wide, like the threads themselves: a job may outlive a reload of
 * the module (the code stays mapped, -z nodelete). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct vmm_job *finished;
static int pipe_fd[2] = { -1, -1 };

static void collect(int fd, void *unused)
{
    char buf[64];
    struct vmm_job *list;

    (void)unused;
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    pthread_mutex_lock(&lock);
    list = finished;
    finished = NULL;
    pthread_mutex_unlock(&lock);
    while (list) {
        struct vmm_job *job = list;

        list = job->next;
        job->done(job->result, job->arg);
        free(job);
    }
}

static void *run_work(void *p)
{
    struct vmm_job *job = p;
    void *result = job->work(job->arg);
    bool abandoned;

    pthread_mutex_lock(&lock);
    abandoned = job->state == ABANDONED;
    if (!abandoned) {
        job->result = result;
        job->state = FINISHED;
        job->next = finished;
        finished = job;
    }
    pthread_mutex_unlock(&lock);
    if (abandoned) {
        job->discard(result, job->arg);
        free(job);
    } else if (write(pipe_fd[1], "", 1) < 0) {
        /* full pipe: a wake-up is already pending */
    }
    return NULL;
}

static int open_pipe(void)
{
    if (pipe_fd[0] >= 0)
        return 0;
    if (pipe2(pipe_fd, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    /* Registered for the life of the process, as the jobs may be. */
    if (register_readfd(pipe_fd[0], collect, NULL) < 0) {
        close(pipe_fd[0]);
        close(pipe_fd[1]);
        pipe_fd[0] = pipe_fd[1] = -1;
        return -1;
    }
    return 0;
}

struct vmm_job *vmm_worker_start(vmm_work_fn *work, vmm_done_fn *done,
                                 vmm_done_fn *discard, void *arg)
{
    struct vmm_job *job;
    pthread_attr_t attr;
    pthread_t thread;
    int rc;

    if (open_pipe() < 0 || !(job = calloc(1, sizeof(*job))))
        return NULL;
    job->work = work;
    job->done = done;
    job->discard = discard;
    job->arg = arg;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = vmm_thread_create(&thread, &attr, run_work, job);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(job);
        return NULL;
    }
    return job;
}

void vmm_worker_abandon(struct vmm_job *job)
{
    struct vmm_job **p;

    pthread_mutex_lock(&lock);
    if (job->state == RUNNING) {
        job->state = ABANDONED;         /* the thread discards and frees it */
        pthread_mutex_unlock(&lock);
        return;
    }
    for (p = &finished; *p && *p != job; p = &(*p)->next)
        ;
    if (*p)
        *p = job->next;
    pthread_mutex_unlock(&lock);
    job->discard(job->result, job->arg);
    free(job);
}
