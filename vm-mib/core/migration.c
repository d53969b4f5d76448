/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/migration.h"

#include <stddef.h>

int vmm_migration_job_work(virDomainPtr dom)
{
    virTypedParameterPtr params = NULL;
    int type, nparams = 0, operation = 0;

    if (virDomainGetJobStats(dom, &type, &params, &nparams, 0) < 0)
        return -1;
    /* libvirt 9.0 names the job's operation; an older daemon does not,
     * and a job of another kind (save, dump, backup) is no migration */
    if (virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &operation) < 0)
        operation = 0;
    virTypedParamsFree(params, nparams);
    return type != VIR_DOMAIN_JOB_NONE && operation == VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT;
}
