/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* check_mib: the MIB layer in process.  The tables and scalars are
 * registered with an agent that has no snmpd, no sockets: requests go in
 * through Net-SNMP's callback transport, the one snmpd uses for its own
 * internal queries, so each PDU takes the agent's real path (access check,
 * GETNEXT across registrations, the table_container and table helpers,
 * the SET phases) to our handlers.  The data is a snapshot built by hand
 * (mib_fixture.c). */
#ifndef MIB_H
#define MIB_H

#include <check.h>
#include <stdbool.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "core/snapshot.h"

/* An OID below vmObjects (1.3.6.1.2.1.236.1), and the value served there. */
#define MIB_SUFFIX_MAX 8
struct mib_expect {
    oid name[MIB_SUFFIX_MAX];
    size_t len;
    u_char type;                    /* ASN_*, or SNMP_NOSUCHINSTANCE & co. */
    long integer;                   /* INTEGER; TimeTicks: the least value */
    long (*integer_of_host)(void);  /* INTEGER: what this host makes it */
    unsigned long long counter64;
    const char *octets;
    size_t octets_len;
    const oid *objid;
    size_t objid_len;
    /* TimeTicks read from a running clock: up to slack more than integer,
     * or, with host_uptime, up to slack less than the host's uptime, both
     * modulo 2^32 as TimeTicks are. */
    unsigned long slack;
    bool host_uptime;
};

#define MIB_LIST(...) __VA_ARGS__
#define MIB_NAME(o) .name = { MIB_LIST o }, .len = sizeof((oid[]){ MIB_LIST o }) / sizeof(oid)
#define EXPECT_INT(o, v) { MIB_NAME(o), .type = ASN_INTEGER, .integer = (v) }
#define EXPECT_STR(o, s) \
    { MIB_NAME(o), .type = ASN_OCTET_STR, .octets = (s), .octets_len = sizeof(s) - 1 }
#define EXPECT_C64(o, v) { MIB_NAME(o), .type = ASN_COUNTER64, .counter64 = (v) }
#define EXPECT_TICKS(o, v, s) { MIB_NAME(o), .type = ASN_TIMETICKS, .integer = (v), .slack = (s) }
#define EXPECT_NONE(o, t) { MIB_NAME(o), .type = (t) }
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* What each table's file expects (check_mib GETs each and walks them). */
struct mib_expect_list {
    const struct mib_expect *e;
    size_t n;
};
extern const struct mib_expect_list vm_hypervisor_expect, vm_table_expect,
    vm_cpu_table_expect, vm_cpu_affinity_table_expect, vm_storage_table_expect,
    vm_network_table_expect;

/* The hand-built snapshot, and the values the sources give beside it. */
#define FIXTURE_HOST_CPUS 2
#define FIXTURE_LAST_CHANGE 4242
#define FIXTURE_UP_SLACK 60000      /* 10 min: valgrind is slow */
struct vmm_snapshot *mib_fixture_snapshot(void);
void mib_fixture_free(void);

/* Agent side switches: the scalars' source serves no snapshot; the tables
 * refuse SETs as unavailable. */
extern bool mib_no_snapshot, mib_sets_unavailable;
/* Fixtures: vmMibWritable on; back to off (and the SET guard quiet). */
void mib_writable(void);
void mib_read_only(void);

/* Serve the first n machines of the fixture (0: no snapshot at all, the
 * tables cleared); all of them again with MIB_ALL. */
#define MIB_ALL ((size_t)-1)
void mib_fill(size_t n);

/* One varbind to the agent; the response (the caller frees it), never
 * NULL.  name is below vmObjects; value is a long for INTEGER. */
netsnmp_pdu *mib_query(int command, const oid *name, size_t len, u_char type,
                       const void *value, size_t value_len);
/* GET e's OID and compare what comes back with e. */
void mib_get(const struct mib_expect *e);
/* GETNEXT from the OID below vmObjects; expect e (an OID anywhere when
 * e->len is 0: endOfMibView). */
void mib_getnext(const oid *from, size_t from_len, const struct mib_expect *e);
/* SET of one INTEGER or OCTET STRING below vmObjects; the response's
 * error status. */
long mib_set_int(const oid *name, size_t len, long value);
long mib_set_string(const oid *name, size_t len, const char *value);
/* SET of two INTEGERs in one PDU; the response's error status and index. */
void mib_set_two_int(const oid *a, size_t alen, long av, const oid *b, size_t blen, long bv,
                     long *status, long *index);
/* Compare a response varbind with e. */
void mib_check_var(const netsnmp_variable_list *var, const struct mib_expect *e);

Suite *mib_get_suite(void);
Suite *mib_walk_suite(void);
Suite *mib_set_suite(void);
Suite *vm_hypervisor_suite(void);
Suite *vm_table_suite(void);
Suite *vm_cpu_table_suite(void);
Suite *vm_cpu_affinity_table_suite(void);
Suite *vm_storage_table_suite(void);
Suite *vm_network_table_suite(void);

#endif
