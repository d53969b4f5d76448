/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* check_mib: the VM-MIB served in process (see mib.h), and the walk of the
 * whole of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mib.h"
#include "core/clock.h"
#include "core/index.h"
#include "core/thread.h"
#include "mib/tables.h"
#include "mib/vmHypervisor.h"
#include "mib/vmMIB.h"

/* libnetsnmpagent's internal session, which its headers do not declare. */
extern int callback_master_num;

static const oid vm_objects[] = { VMM_OBJECTS_OID };
static netsnmp_session *session;

bool mib_no_snapshot, mib_sets_unavailable;
static bool writes_on;
static const struct vmm_snapshot *served;
static struct vmm_index *ix;

static const struct vmm_snapshot *source_snapshot(void)
{
    return mib_no_snapshot ? NULL : served;
}

static uint32_t source_last_change(void)
{
    return FIXTURE_LAST_CHANGE;
}

static int set_refusal(void)
{
    if (!writes_on)
        return SNMP_ERR_NOTWRITABLE;
    return mib_sets_unavailable ? SNMP_ERR_RESOURCEUNAVAILABLE : SNMP_ERR_NOERROR;
}

static const struct vmm_scalar_source source = { source_snapshot, source_last_change };
static const struct vmm_container_hooks hooks = { NULL, set_refusal };

void mib_fill(size_t n)
{
    struct vmm_snapshot *snap = mib_fixture_snapshot();
    size_t all_machines = snap->nmachines;

    if (n == 0) {
        vmm_tables_clear();
        return;
    }
    if (n < all_machines)
        snap->nmachines = n;
    ck_assert_int_eq(vmm_tables_fill(snap, ix), 0);
    snap->nmachines = all_machines;
}

static size_t full_name(oid *out, const oid *name, size_t len)
{
    memcpy(out, vm_objects, sizeof(vm_objects));
    if (len)
        memcpy(out + VMM_OBJECTS_LEN, name, len * sizeof(oid));
    return VMM_OBJECTS_LEN + len;
}

static const char *name_text(const oid *name, size_t len)
{
    static char buf[4][256];
    static unsigned which;
    char *out = buf[which++ % 4];

    out[0] = '\0';
    for (size_t i = 0, used = 0; i < len && used < sizeof(buf[0]) - 12; i++)
        used += (size_t)snprintf(out + used, sizeof(buf[0]) - used, ".%lu", (unsigned long)name[i]);
    return out;
}

/* Access control is not under test: the PDU bypasses VACM, as the ones an
 * AgentX subagent receives do. */
static netsnmp_pdu *send_pdu(netsnmp_pdu *pdu)
{
    netsnmp_pdu *response = NULL;
    int status;

    pdu->flags |= UCD_MSG_FLAG_ALWAYS_IN_VIEW;
    status = snmp_synch_response(session, pdu, &response);
    ck_assert_msg(status == STAT_SUCCESS && response, "no response");
    ck_assert_ptr_nonnull(response->variables);
    return response;
}

netsnmp_pdu *mib_query(int command, const oid *name, size_t len, u_char type,
                       const void *value, size_t value_len)
{
    netsnmp_pdu *pdu = snmp_pdu_create(command);
    oid full[MAX_OID_LEN];

    snmp_pdu_add_variable(pdu, full, full_name(full, name, len), type, value, value_len);
    return send_pdu(pdu);
}

/* In TimeTicks' own arithmetic (modulo 2^32): on a host up for less than
 * the slack, or up so long that its uptime wrapped, the range wraps too. */
static bool ticks_in_range(const struct mib_expect *e, unsigned long got)
{
    uint32_t lo = (uint32_t)e->integer;

    if (e->host_uptime)
        lo = vmm_clock_uptime_ticks() - (uint32_t)e->slack;
    return (uint32_t)((uint32_t)got - lo) <= e->slack;
}

void mib_check_var(const netsnmp_variable_list *var, const struct mib_expect *e)
{
    oid full[MAX_OID_LEN];
    size_t len = full_name(full, e->name, e->len);
    const char *name = name_text(full, len);

    ck_assert_msg(snmp_oid_compare(var->name, var->name_length, full, len) == 0,
                  "expected %s, got %s", name, name_text(var->name, var->name_length));
    ck_assert_msg(var->type == e->type, "%s: type 0x%02x, expected 0x%02x", name,
                  var->type, e->type);
    switch (e->type) {
    case ASN_INTEGER: {
        long want = e->integer_of_host ? e->integer_of_host() : e->integer;

        ck_assert_msg(*var->val.integer == want, "%s: %ld, expected %ld", name,
                      *var->val.integer, want);
        break;
    }
    case ASN_TIMETICKS:
        ck_assert_msg(ticks_in_range(e, (unsigned long)*var->val.integer),
                      "%s: %lu ticks, expected %s%ld (+%lu)", name,
                      (unsigned long)*var->val.integer,
                      e->host_uptime ? "the host's uptime (mod 2^32) minus " : "",
                      e->integer, e->slack);
        break;
    case ASN_COUNTER64: {
        unsigned long long got = (unsigned long long)var->val.counter64->high << 32 |
                                 var->val.counter64->low;

        ck_assert_msg(got == e->counter64, "%s: %llu, expected %llu", name, got, e->counter64);
        break;
    }
    case ASN_OCTET_STR:
        ck_assert_msg(var->val_len == e->octets_len &&
                      memcmp(var->val.string, e->octets, e->octets_len) == 0,
                      "%s: \"%.*s\" (%zu octets), expected \"%s\"", name, (int)var->val_len,
                      (const char *)var->val.string, var->val_len, e->octets);
        break;
    case ASN_OBJECT_ID:
        ck_assert_msg(snmp_oid_compare(var->val.objid, var->val_len / sizeof(oid),
                                       e->objid, e->objid_len) == 0,
                      "%s: %s", name, name_text(var->val.objid, var->val_len / sizeof(oid)));
        break;
    default:                        /* noSuchInstance and co. carry no value */
        break;
    }
}

void mib_get(const struct mib_expect *e)
{
    netsnmp_pdu *response = mib_query(SNMP_MSG_GET, e->name, e->len, ASN_NULL, NULL, 0);

    ck_assert_int_eq(response->errstat, SNMP_ERR_NOERROR);
    mib_check_var(response->variables, e);
    snmp_free_pdu(response);
}

void mib_getnext(const oid *from, size_t from_len, const struct mib_expect *e)
{
    netsnmp_pdu *response = mib_query(SNMP_MSG_GETNEXT, from, from_len, ASN_NULL, NULL, 0);

    ck_assert_int_eq(response->errstat, SNMP_ERR_NOERROR);
    if (e->type == SNMP_ENDOFMIBVIEW)
        ck_assert_int_eq(response->variables->type, SNMP_ENDOFMIBVIEW);
    else
        mib_check_var(response->variables, e);
    snmp_free_pdu(response);
}

void mib_writable(void)
{
    writes_on = true;
}

void mib_read_only(void)
{
    writes_on = false;
    mib_sets_unavailable = false;
}

static long set_status(netsnmp_pdu *response)
{
    long status = response->errstat;

    snmp_free_pdu(response);
    return status;
}

long mib_set_int(const oid *name, size_t len, long value)
{
    return set_status(mib_query(SNMP_MSG_SET, name, len, ASN_INTEGER, &value, sizeof(value)));
}

long mib_set_string(const oid *name, size_t len, const char *value)
{
    return set_status(mib_query(SNMP_MSG_SET, name, len, ASN_OCTET_STR, value,
                                strlen(value)));
}

void mib_set_two_int(const oid *a, size_t alen, long av, const oid *b, size_t blen, long bv,
                     long *status, long *index)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_SET), *response;
    oid full[MAX_OID_LEN];

    snmp_pdu_add_variable(pdu, full, full_name(full, a, alen), ASN_INTEGER, &av, sizeof(av));
    snmp_pdu_add_variable(pdu, full, full_name(full, b, blen), ASN_INTEGER, &bv, sizeof(bv));
    response = send_pdu(pdu);
    *status = response->errstat;
    *index = response->errindex;
    snmp_free_pdu(response);
}

static const struct mib_expect_list *const all[] = {
    &vm_hypervisor_expect, &vm_table_expect, &vm_cpu_table_expect,
    &vm_cpu_affinity_table_expect, &vm_storage_table_expect, &vm_network_table_expect,
};

/* Objects served have a value; the other expectations are errors. */
static bool served_object(const struct mib_expect *e)
{
    return e->type < SNMP_NOSUCHOBJECT;
}

static size_t count_expect(bool served_only)
{
    size_t n = 0;

    for (size_t k = 0; k < NELEMS(all); k++)
        for (size_t i = 0; i < all[k]->n; i++)
            n += !served_only || served_object(&all[k]->e[i]);
    return n;
}

/* ---- GET of every expectation ------------------------------------------ */

START_TEST(get_each)
{
    size_t i = (size_t)_i, k = 0;

    while (i >= all[k]->n)
        i -= all[k++]->n;
    mib_get(&all[k]->e[i]);
}
END_TEST

Suite *mib_get_suite(void)
{
    Suite *s = suite_create("get");
    TCase *tc = tcase_create("get");

    tcase_add_loop_test(tc, get_each, 0, (int)count_expect(false));
    suite_add_tcase(s, tc);
    return s;
}

/* ---- the walk ---------------------------------------------------------- */
static const struct mib_expect **walk;
static size_t nwalk;

static int by_name(const void *a, const void *b)
{
    const struct mib_expect *x = *(const struct mib_expect *const *)a;
    const struct mib_expect *y = *(const struct mib_expect *const *)b;

    return snmp_oid_compare(x->name, x->len, y->name, y->len);
}

/* Every object served, in OID order: the values the walk must meet. */
static void walk_setup(void)
{
    walk = calloc(count_expect(true), sizeof(*walk));
    ck_assert_ptr_nonnull(walk);
    nwalk = 0;
    for (size_t k = 0; k < NELEMS(all); k++)
        for (size_t i = 0; i < all[k]->n; i++)
            if (served_object(&all[k]->e[i]))
                walk[nwalk++] = &all[k]->e[i];
    qsort(walk, nwalk, sizeof(*walk), by_name);
}

static void walk_teardown(void)
{
    free(walk);
    walk = NULL;
}

/* GETNEXT from each object (from vmObjects for the first) gives the next
 * one: across rows, columns, tables and scalars. */
START_TEST(walk_step)
{
    const struct mib_expect *prev = _i ? walk[_i - 1] : NULL;

    mib_getnext(prev ? prev->name : NULL, prev ? prev->len : 0, walk[_i]);
}
END_TEST

START_TEST(walk_end)
{
    static const struct mib_expect end = { .type = SNMP_ENDOFMIBVIEW };
    const struct mib_expect *last = walk[nwalk - 1];

    mib_getnext(last->name, last->len, &end);
}
END_TEST

/* GETBULK goes through the agent's bulk-to-next conversion; snmpd caps
 * the repetitions, so the walk takes several. */
START_TEST(walk_bulk)
{
    size_t n = 0;
    bool end = false;

    while (!end) {
        netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK), *response;
        oid from[MAX_OID_LEN];
        size_t from_len = n ? full_name(from, walk[n - 1]->name, walk[n - 1]->len)
                            : full_name(from, NULL, 0);

        pdu->non_repeaters = 0;
        pdu->max_repetitions = 40;
        snmp_add_null_var(pdu, from, from_len);
        response = send_pdu(pdu);
        ck_assert_int_eq(response->errstat, SNMP_ERR_NOERROR);
        for (const netsnmp_variable_list *var = response->variables; var && !end;
             var = var->next_variable) {
            end = var->type == SNMP_ENDOFMIBVIEW;
            if (!end) {
                ck_assert_uint_lt(n, nwalk);
                mib_check_var(var, walk[n++]);
            }
        }
        snmp_free_pdu(response);
    }
    ck_assert_uint_eq(n, nwalk);
}
END_TEST

Suite *mib_walk_suite(void)
{
    Suite *s = suite_create("walk");
    TCase *tc = tcase_create("walk");

    tcase_add_checked_fixture(tc, walk_setup, walk_teardown);
    tcase_add_loop_test(tc, walk_step, 0, (int)count_expect(true));
    tcase_add_test(tc, walk_end);
    tcase_add_test(tc, walk_bulk);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- the agent --------------------------------------------------------- */

static char tmpdir[] = "/tmp/check_mib.XXXXXX";

/* A bare agent: no configuration, MIB files or persistent state read or
 * written (all pointed at an empty directory), no ports opened. */
static int agent_start(void)
{
    if (!mkdtemp(tmpdir))
        return -1;
    setenv("SNMPCONFPATH", tmpdir, 1);
    setenv("SNMP_PERSISTENT_DIR", tmpdir, 1);
    setenv("MIBDIRS", tmpdir, 1);
    setenv("MIBS", "", 1);
    snmp_enable_stderrlog();
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    init_agent("check_mib");
    init_snmp("check_mib");
    vmm_thread_mark_main(true);     /* the tables are filled on this thread */
    vmm_domxml_init();
    if (!(served = mib_fixture_snapshot()) || !(ix = vmm_index_new()) ||
        vmm_vmHypervisor_register(&source, &hooks) < 0 || vmm_tables_register(&hooks) < 0 ||
        vmm_tables_fill(served, ix) < 0)
        return -1;
    session = netsnmp_callback_open(callback_master_num, NULL, NULL, NULL);
    if (!session)
        return -1;
    session->version = SNMP_VERSION_2c;
    free(session->community);
    session->community = (u_char *)strdup("public");
    session->community_len = strlen("public");
    return session->community ? 0 : -1;
}

/* What init_snmp leaves there: the TLS certificates' index directory. */
static void remove_tmpdir(void)
{
    char certs[sizeof(tmpdir) + 16];

    snprintf(certs, sizeof(certs), "%s/cert_indexes", tmpdir);
    rmdir(certs);
    if (rmdir(tmpdir) < 0)
        perror(tmpdir);
}

static void agent_stop(void)
{
    vmm_tables_unregister();
    vmm_vmHypervisor_unregister();
    snmp_shutdown("check_mib");
    shutdown_agent();
    vmm_index_free(ix);
    mib_fixture_free();
    remove_tmpdir();
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (agent_start() < 0) {
        fprintf(stderr, "check_mib: cannot set up the agent\n");
        agent_stop();
        return EXIT_FAILURE;
    }
    sr = srunner_create(mib_get_suite());
    srunner_add_suite(sr, vm_hypervisor_suite());
    srunner_add_suite(sr, vm_table_suite());
    srunner_add_suite(sr, vm_cpu_table_suite());
    srunner_add_suite(sr, vm_cpu_affinity_table_suite());
    srunner_add_suite(sr, vm_storage_table_suite());
    srunner_add_suite(sr, vm_network_table_suite());
    srunner_add_suite(sr, mib_walk_suite());
    srunner_add_suite(sr, mib_set_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    agent_stop();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
