/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "suites.h"
#include "core/stats.h"

/* --- building records -------------------------------------------------- */

#define MAXP 256

struct plist {
    virTypedParameter p[MAXP];
    int n;
};

static struct plist pl;
static struct vmm_domstats st;

static void setup(void)
{
    memset(&pl, 0, sizeof(pl));
    memset(&st, 0, sizeof(st));
}

static void teardown(void)
{
    vmm_stats_clear(&st);
}

static virTypedParameter *add(struct plist *l, const char *field, int type)
{
    virTypedParameter *p;

    ck_assert_int_lt(l->n, MAXP);
    ck_assert_uint_lt(strlen(field), sizeof(p->field));
    p = &l->p[l->n++];
    memset(p, 0, sizeof(*p));
    strcpy(p->field, field);
    p->type = type;
    return p;
}

static void add_int(struct plist *l, const char *f, int v) { add(l, f, VIR_TYPED_PARAM_INT)->value.i = v; }
static void add_uint(struct plist *l, const char *f, unsigned v) { add(l, f, VIR_TYPED_PARAM_UINT)->value.ui = v; }
static void add_ll(struct plist *l, const char *f, long long v) { add(l, f, VIR_TYPED_PARAM_LLONG)->value.l = v; }
static void add_ull(struct plist *l, const char *f, unsigned long long v) { add(l, f, VIR_TYPED_PARAM_ULLONG)->value.ul = v; }
static void add_bool(struct plist *l, const char *f, bool v) { add(l, f, VIR_TYPED_PARAM_BOOLEAN)->value.b = v; }
static void add_double(struct plist *l, const char *f, double v) { add(l, f, VIR_TYPED_PARAM_DOUBLE)->value.d = v; }
/* The parser must copy: these point at string literals. */
static void add_str(struct plist *l, const char *f, const char *v) { add(l, f, VIR_TYPED_PARAM_STRING)->value.s = (char *)v; }

static void parse_ok(void)
{
    ck_assert_int_eq(vmm_stats_parse(pl.p, pl.n, &st), 0);
}

/* What libvirt 9.0's qemu driver returns for a running guest with 2 vCPUs
 * (max 4), a qcow2 disk vda, an empty-ish IDE cdrom sda, and 2 NICs, with
 * the same value types and the fields VM-MIB doesn't use mixed in. */
static void add_running_guest(struct plist *l)
{
    add_int(l, "state.state", VIR_DOMAIN_RUNNING);
    add_int(l, "state.reason", VIR_DOMAIN_RUNNING_BOOTED);
    add_ull(l, "cpu.time", 123456789012ULL);
    add_ull(l, "cpu.user", 100000000000ULL);
    add_ull(l, "cpu.system", 20000000000ULL);
    add_ull(l, "balloon.current", 2097152);
    add_ull(l, "balloon.maximum", 4194304);
    add_ull(l, "balloon.swap_in", 0);
    add_ull(l, "balloon.rss", 1500000);
    add_ull(l, "balloon.last-update", 1700000000);
    add_uint(l, "vcpu.current", 2);
    add_uint(l, "vcpu.maximum", 4);
    add_int(l, "vcpu.0.state", VIR_VCPU_RUNNING);
    add_ull(l, "vcpu.0.time", 310000000ULL);
    add_ull(l, "vcpu.0.wait", 0);
    add_ull(l, "vcpu.0.delay", 12345);
    add_bool(l, "vcpu.0.halted", true);
    add_int(l, "vcpu.1.state", VIR_VCPU_BLOCKED);
    add_ull(l, "vcpu.1.time", 420000000ULL);
    add_ull(l, "vcpu.1.wait", 0);
    add_bool(l, "vcpu.1.halted", false);
    add_uint(l, "net.count", 2);
    add_str(l, "net.0.name", "vnet0");
    add_ull(l, "net.0.rx.bytes", 9000);
    add_ull(l, "net.0.rx.pkts", 90);
    add_ull(l, "net.0.tx.bytes", 8000);
    add_str(l, "net.1.name", "vnet1");
    add_ull(l, "net.1.rx.drop", 0);
    add_uint(l, "block.count", 2);
    add_str(l, "block.0.name", "vda");
    add_str(l, "block.0.path", "/var/lib/libvirt/images/deb12.qcow2");
    add_uint(l, "block.0.backingIndex", 2);
    add_ull(l, "block.0.rd.reqs", 11);
    add_ull(l, "block.0.rd.bytes", 12);
    add_ull(l, "block.0.rd.times", 13);
    add_ull(l, "block.0.wr.reqs", 14);
    add_ull(l, "block.0.wr.bytes", 15);
    add_ull(l, "block.0.wr.times", 16);
    add_ull(l, "block.0.fl.reqs", 17);
    add_ull(l, "block.0.fl.times", 18);
    add_ull(l, "block.0.allocation", 19);
    add_ull(l, "block.0.capacity", 21474836480ULL);
    add_ull(l, "block.0.physical", 22);
    /* cdrom: no path, no sizes */
    add_str(l, "block.1.name", "sda");
    add_ull(l, "block.1.rd.reqs", 31);
    add_ull(l, "block.1.rd.bytes", 32);
    add_ull(l, "block.1.rd.times", 33);
    add_ull(l, "block.1.wr.reqs", 0);
    add_ull(l, "block.1.wr.bytes", 0);
    add_ull(l, "block.1.wr.times", 0);
}

#define HAVE_SIZES (VMM_HAVE_CAPACITY | VMM_HAVE_PHYSICAL)

static void assert_empty(const struct vmm_domstats *s)
{
    ck_assert(!s->has_state);
    ck_assert(!s->has_cpu_time);
    ck_assert(!s->has_balloon);
    ck_assert(!s->has_vcpu);
    ck_assert_uint_eq(s->nvcpus, 0);
    ck_assert_ptr_null(s->vcpus);
    ck_assert_uint_eq(s->nblocks, 0);
    ck_assert_ptr_null(s->blocks);
}

/* --- tests --------------------------------------------------------------- */

START_TEST(running_guest_every_field)
{
    const struct vmm_block_stat *b;

    add_running_guest(&pl);
    parse_ok();

    ck_assert(st.has_state);
    ck_assert_int_eq(st.state, VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(st.reason, VIR_DOMAIN_RUNNING_BOOTED);
    ck_assert(st.has_cpu_time);
    ck_assert_uint_eq(st.cpu_time_ns, 123456789012ULL);
    ck_assert(st.has_balloon);
    ck_assert_uint_eq(st.balloon_cur_kib, 2097152);
    ck_assert_uint_eq(st.balloon_max_kib, 4194304);
    ck_assert(st.has_vcpu);
    ck_assert_uint_eq(st.vcpu_current, 2);
    ck_assert_uint_eq(st.vcpu_max, 4);

    ck_assert_uint_eq(st.nvcpus, 2);
    ck_assert(st.vcpus[0].present);
    ck_assert(st.vcpus[0].has_time);
    ck_assert_uint_eq(st.vcpus[0].time_ns, 310000000ULL);
    ck_assert(st.vcpus[1].present);
    ck_assert_uint_eq(st.vcpus[1].time_ns, 420000000ULL);

    ck_assert_uint_eq(st.nblocks, 2);
    b = &st.blocks[0];
    ck_assert_str_eq(b->name, "vda");
    ck_assert_uint_eq(b->rd_reqs, 11);
    ck_assert_uint_eq(b->rd_bytes, 12);
    ck_assert_uint_eq(b->rd_times_ns, 13);
    ck_assert_uint_eq(b->wr_reqs, 14);
    ck_assert_uint_eq(b->wr_bytes, 15);
    ck_assert_uint_eq(b->wr_times_ns, 16);
    ck_assert_uint_eq(b->capacity, 21474836480ULL);
    ck_assert_uint_eq(b->physical, 22);
    ck_assert_uint_eq(b->have, HAVE_SIZES);

    b = &st.blocks[1];
    ck_assert_str_eq(b->name, "sda");
    ck_assert_uint_eq(b->rd_reqs, 31);
    ck_assert_uint_eq(b->rd_bytes, 32);
    ck_assert_uint_eq(b->rd_times_ns, 33);
    ck_assert_uint_eq(b->have, 0);
    ck_assert_uint_eq(b->capacity, 0);
}
END_TEST

START_TEST(mixed_integer_types)
{
    add_ull(&pl, "state.state", VIR_DOMAIN_PAUSED);
    add_ll(&pl, "state.reason", VIR_DOMAIN_PAUSED_USER);
    add_int(&pl, "cpu.time", 5);
    add_uint(&pl, "balloon.current", 1024);
    add_ll(&pl, "balloon.maximum", 2048);
    add_ull(&pl, "vcpu.current", 3);
    add_int(&pl, "vcpu.maximum", 8);
    add_uint(&pl, "vcpu.0.state", VIR_VCPU_OFFLINE);
    add_uint(&pl, "vcpu.0.time", 7);
    add_str(&pl, "block.0.name", "vdb");
    add_int(&pl, "block.0.rd.reqs", 1);
    add_uint(&pl, "block.0.rd.bytes", 2);
    add_ll(&pl, "block.0.rd.times", 3);
    add_ull(&pl, "block.0.wr.reqs", 4);
    add_int(&pl, "block.0.wr.bytes", 5);
    add_uint(&pl, "block.0.wr.times", 6);
    add_ll(&pl, "block.0.capacity", 1LL << 40);
    add_ull(&pl, "block.0.allocation", ULLONG_MAX);
    add_int(&pl, "block.0.physical", INT_MAX);
    add_ll(&pl, "net.count", 1);
    parse_ok();

    ck_assert(st.has_state);
    ck_assert_int_eq(st.state, VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(st.reason, VIR_DOMAIN_PAUSED_USER);
    ck_assert_uint_eq(st.cpu_time_ns, 5);
    ck_assert_uint_eq(st.balloon_cur_kib, 1024);
    ck_assert_uint_eq(st.balloon_max_kib, 2048);
    ck_assert_uint_eq(st.vcpu_current, 3);
    ck_assert_uint_eq(st.vcpu_max, 8);
    ck_assert_uint_eq(st.nvcpus, 1);
    ck_assert(st.vcpus[0].present);
    ck_assert_uint_eq(st.vcpus[0].time_ns, 7);
    ck_assert_uint_eq(st.nblocks, 1);
    ck_assert_uint_eq(st.blocks[0].rd_reqs, 1);
    ck_assert_uint_eq(st.blocks[0].rd_bytes, 2);
    ck_assert_uint_eq(st.blocks[0].rd_times_ns, 3);
    ck_assert_uint_eq(st.blocks[0].wr_reqs, 4);
    ck_assert_uint_eq(st.blocks[0].wr_bytes, 5);
    ck_assert_uint_eq(st.blocks[0].wr_times_ns, 6);
    ck_assert_uint_eq(st.blocks[0].capacity, 1ULL << 40);
    ck_assert_uint_eq(st.blocks[0].physical, INT_MAX);
    ck_assert_uint_eq(st.blocks[0].have, HAVE_SIZES);
}
END_TEST

/* Wrong types, negative counters and values that don't fit are absent. */
START_TEST(bad_values_ignored)
{
    add_bool(&pl, "state.state", true);
    add_ull(&pl, "state.reason", 1ULL << 40);
    add_int(&pl, "cpu.time", -1);
    add_double(&pl, "balloon.current", 1.5);
    add_str(&pl, "balloon.maximum", "4096");
    add_ull(&pl, "vcpu.current", 1ULL << 32);
    add_ll(&pl, "vcpu.maximum", -4);
    add_bool(&pl, "vcpu.0.time", true);
    add_ll(&pl, "vcpu.1.time", -5);
    add_ull(&pl, "vcpu.2.state", (unsigned long long)INT_MAX + 1);
    add_str(&pl, "block.0.rd.reqs", "5");
    add_int(&pl, "block.0.name", 3);
    add_ll(&pl, "block.1.rd.reqs", -1);
    add_str(&pl, "block.1.name", "vda");
    add_int(&pl, "net.0.name", 0);
    add_int(&pl, "net.count", -2);
    parse_ok();

    ck_assert(!st.has_state);
    ck_assert_int_eq(st.reason, 0);
    ck_assert(!st.has_cpu_time);
    ck_assert(!st.has_balloon);
    ck_assert(!st.has_vcpu);
    ck_assert_uint_eq(st.nvcpus, 0);
    ck_assert_uint_eq(st.nblocks, 1);
    ck_assert_str_eq(st.blocks[0].name, "vda");
    ck_assert_uint_eq(st.blocks[0].have, 0);
}
END_TEST

START_TEST(unknown_fields_ignored)
{
    add_int(&pl, "state", 1);
    add_int(&pl, "statex.state", 1);
    add_int(&pl, "state.state.x", 1);
    add_ull(&pl, "cpu.timex", 1);
    add_ull(&pl, "cpu.cache.monitor.count", 1);
    add_ull(&pl, "perf.cmt", 1);
    add_ull(&pl, "dirtyrate.calc_status", 1);
    add_ull(&pl, "memory.bandwidth.monitor.count", 1);
    add_ull(&pl, "vcpu.0.wait", 1);
    add_ull(&pl, "vcpu.0.delay", 1);
    add_ull(&pl, "vcpu.0.time.x", 1);
    add_ull(&pl, "vcpu.", 1);
    add_ull(&pl, "vcpu.x.time", 1);
    add_ull(&pl, "vcpu.1", 1);
    add_ull(&pl, "vcpu.1.", 1);
    add_ull(&pl, "block.count", 3);
    add_ull(&pl, "block.0.fl.reqs", 1);
    add_uint(&pl, "block.0.backingIndex", 1);
    add_ull(&pl, "block.0.threshold", 1);
    add_ull(&pl, "block..name", 1);
    add_str(&pl, "block.0.name.x", "vda");
    add_str(&pl, "block.0.driver", "qcow2");
    add_ull(&pl, "net.0.rx.bytes", 1);
    add_str(&pl, "net.0.names", "vnet0");
    add_str(&pl, "", "x");
    add_str(&pl, "iothread.count", "x");
    parse_ok();

    assert_empty(&st);
}
END_TEST

/* Hot-unplugged vCPUs 1 and 2 leave a gap; libvirt's order isn't relied on. */
START_TEST(sparse_vcpus)
{
    add_uint(&pl, "vcpu.current", 2);
    add_uint(&pl, "vcpu.maximum", 4);
    add_ull(&pl, "vcpu.3.time", 3000);
    add_int(&pl, "vcpu.3.state", VIR_VCPU_RUNNING);
    add_int(&pl, "vcpu.0.state", VIR_VCPU_BLOCKED);
    parse_ok();

    ck_assert_uint_eq(st.nvcpus, 4);
    ck_assert(st.vcpus[0].present);
    ck_assert(!st.vcpus[0].has_time);
    ck_assert(!st.vcpus[1].present);
    ck_assert(!st.vcpus[1].has_time);
    ck_assert(!st.vcpus[2].present);
    ck_assert(st.vcpus[3].present);
    ck_assert(st.vcpus[3].has_time);
    ck_assert_uint_eq(st.vcpus[3].time_ns, 3000);
}
END_TEST

/* Blocks keep block.<n> order even when the params come in another order. */
START_TEST(blocks_out_of_order)
{
    add_ull(&pl, "block.2.rd.reqs", 3);
    add_str(&pl, "block.2.name", "vdc");
    add_str(&pl, "block.0.name", "vda");
    add_ull(&pl, "block.0.rd.reqs", 1);
    add_str(&pl, "block.1.name", "vdb");
    parse_ok();

    ck_assert_uint_eq(st.nblocks, 3);
    ck_assert_str_eq(st.blocks[0].name, "vda");
    ck_assert_uint_eq(st.blocks[0].rd_reqs, 1);
    ck_assert_str_eq(st.blocks[1].name, "vdb");
    ck_assert_uint_eq(st.blocks[1].have, 0);
    ck_assert_str_eq(st.blocks[2].name, "vdc");
    ck_assert_uint_eq(st.blocks[2].rd_reqs, 3);
}
END_TEST

/* libvirt's test driver returns only the state group. */
START_TEST(missing_groups)
{
    add_int(&pl, "state.state", VIR_DOMAIN_SHUTOFF);
    add_int(&pl, "state.reason", VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    parse_ok();

    ck_assert(st.has_state);
    ck_assert_int_eq(st.state, VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(st.reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    st.has_state = false;
    assert_empty(&st);
}
END_TEST

START_TEST(empty_input)
{
    add_int(&pl, "state.state", VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(vmm_stats_parse(pl.p, 0, &st), 0);
    assert_empty(&st);
    ck_assert_int_eq(vmm_stats_parse(pl.p, -3, &st), 0);
    assert_empty(&st);
    ck_assert_int_eq(vmm_stats_parse(NULL, 5, &st), 0);
    assert_empty(&st);
}
END_TEST

START_TEST(null_strings)
{
    add_str(&pl, "block.0.name", NULL);
    add_ull(&pl, "block.0.rd.reqs", 1);
    add_str(&pl, "block.1.name", "vda");
    add_str(&pl, "block.1.path", NULL);
    add_str(&pl, "block.2.path", "/nameless.img");
    parse_ok();

    /* a block entry without a name can't be looked up: dropped */
    ck_assert_uint_eq(st.nblocks, 1);
    ck_assert_str_eq(st.blocks[0].name, "vda");
}
END_TEST

/* Numbers and counts from the wire must never size an allocation beyond
 * the caps (valgrind/ASan would show gigabytes otherwise). */
START_TEST(hostile_indexes)
{
    virTypedParameter *p;

    add_ull(&pl, "vcpu.4000000000.time", 1);
    add_int(&pl, "vcpu.16384.state", 1);
    add_ull(&pl, "vcpu.99999999999999999999999999.time", 1);
    add_ull(&pl, "vcpu.18446744073709551617.time", 1);
    add_ull(&pl, "vcpu.-1.time", 1);
    add_ull(&pl, "vcpu.+1.time", 1);
    add_ull(&pl, "vcpu. 1.time", 1);
    add_ull(&pl, "vcpu.0x1.time", 1);
    add_str(&pl, "block.4096.name", "vdz");
    add_str(&pl, "block.4294967296.name", "vdy");
    add_ull(&pl, "block.count", ULLONG_MAX);
    add_str(&pl, "net.4096.name", "vnetz");
    add_str(&pl, "net.18446744073709551615.name", "vnety");
    /* 80 bytes, no terminator */
    p = add(&pl, "x", VIR_TYPED_PARAM_ULLONG);
    memset(p->field, 0, sizeof(p->field));
    memcpy(p->field, "vcpu.1.time", 11);
    memset(p->field + 11, '1', sizeof(p->field) - 11);
    p = add(&pl, "x", VIR_TYPED_PARAM_INT);
    memset(p->field, 's', sizeof(p->field));
    memcpy(p->field, "state.state", 11);
    parse_ok();

    assert_empty(&st);
}
END_TEST

START_TEST(hostile_counts)
{
    add_ull(&pl, "net.count", 4000000000ULL);
    add_uint(&pl, "block.count", UINT_MAX);
    add_uint(&pl, "vcpu.current", UINT_MAX);
    add_uint(&pl, "vcpu.maximum", UINT_MAX);
    parse_ok();

    ck_assert_uint_eq(st.nblocks, 0);
    ck_assert_uint_eq(st.nvcpus, 0);
    ck_assert_ptr_null(st.vcpus);
    ck_assert_uint_eq(st.vcpu_max, UINT_MAX);
}
END_TEST

START_TEST(highest_numbers_below_caps)
{
    add_ull(&pl, "vcpu.16383.time", 9);
    add_str(&pl, "block.4095.name", "vdz");
    parse_ok();

    ck_assert_uint_eq(st.nvcpus, VMM_STATS_MAX_VCPUS);
    ck_assert(!st.vcpus[0].present);
    ck_assert(!st.vcpus[16382].present);
    ck_assert(st.vcpus[16383].present);
    ck_assert_uint_eq(st.vcpus[16383].time_ns, 9);
    ck_assert_uint_eq(st.nblocks, 1);
    ck_assert_str_eq(st.blocks[0].name, "vdz");
}
END_TEST

/* As with VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING: each disk's chain
 * follows its top image under the same name; only the top one is kept. */
START_TEST(backing_chain_keeps_top_image)
{
    add_uint(&pl, "block.count", 4);
    add_str(&pl, "block.1.name", "vda");
    add_str(&pl, "block.1.path", "/img/base.qcow2");
    add_uint(&pl, "block.1.backingIndex", 3);
    add_ull(&pl, "block.1.capacity", 500);
    add_str(&pl, "block.0.name", "vda");
    add_str(&pl, "block.0.path", "/img/top.qcow2");
    add_uint(&pl, "block.0.backingIndex", 2);
    add_ull(&pl, "block.0.rd.reqs", 7);
    add_ull(&pl, "block.0.capacity", 100);
    add_str(&pl, "block.2.name", "vdb");
    add_str(&pl, "block.2.path", "/img/data.raw");
    add_str(&pl, "block.3.name", "vdb");
    add_str(&pl, "block.3.path", "/img/data-base.raw");
    add_uint(&pl, "block.3.backingIndex", 1);
    parse_ok();

    ck_assert_uint_eq(st.nblocks, 2);
    ck_assert_str_eq(st.blocks[0].name, "vda");
    ck_assert_uint_eq(st.blocks[0].capacity, 100);
    ck_assert_uint_eq(st.blocks[0].rd_reqs, 7);
    ck_assert_uint_eq(st.blocks[0].have, VMM_HAVE_CAPACITY);
    ck_assert_str_eq(st.blocks[1].name, "vdb");
}
END_TEST

START_TEST(repeated_field_last_wins)
{
    add_str(&pl, "block.0.name", "old");
    add_str(&pl, "block.0.path", "/old");
    add_ull(&pl, "block.0.rd.reqs", 1);
    add_str(&pl, "block.0.name", "vda");
    add_str(&pl, "block.0.path", "/new");
    add_ull(&pl, "block.0.rd.reqs", 2);
    add_int(&pl, "state.state", 1);
    add_int(&pl, "state.state", 3);
    parse_ok();

    ck_assert_uint_eq(st.nblocks, 1);
    ck_assert_str_eq(st.blocks[0].name, "vda");
    ck_assert_uint_eq(st.blocks[0].rd_reqs, 2);
    ck_assert_int_eq(st.state, 3);
}
END_TEST

START_TEST(lookup_by_name)
{
    const struct vmm_block_stat *b;

    add_running_guest(&pl);
    parse_ok();

    b = vmm_stats_block(&st, "sda");
    ck_assert_ptr_eq(b, &st.blocks[1]);
    ck_assert_uint_eq(b->rd_reqs, 31);
    b = vmm_stats_block(&st, "vda");
    ck_assert_ptr_eq(b, &st.blocks[0]);
    ck_assert_ptr_null(vmm_stats_block(&st, "vdb"));
    ck_assert_ptr_null(vmm_stats_block(&st, "VDA"));
    ck_assert_ptr_null(vmm_stats_block(&st, ""));
    ck_assert_ptr_null(vmm_stats_block(&st, NULL));
    ck_assert_ptr_null(vmm_stats_block(NULL, "vda"));
}
END_TEST

START_TEST(clear_twice_and_reuse)
{
    add_running_guest(&pl);
    parse_ok();
    vmm_stats_clear(&st);
    assert_empty(&st);
    vmm_stats_clear(&st);
    assert_empty(&st);
    vmm_stats_clear(NULL);

    /* Parsing over a filled struct frees what it held (valgrind: no leak). */
    parse_ok();
    memset(&pl, 0, sizeof(pl));
    add_int(&pl, "state.state", VIR_DOMAIN_CRASHED);
    parse_ok();
    ck_assert_int_eq(st.state, VIR_DOMAIN_CRASHED);
    st.has_state = false;
    assert_empty(&st);
}
END_TEST

static void quiet_errors(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

START_TEST(test_driver)
{
    virConnectPtr conn;
    virDomainStatsRecordPtr *recs = NULL;
    int nrecs;
    bool found = false;

    virSetErrorFunc(NULL, quiet_errors);
    conn = virConnectOpenReadOnly("test:///default");
    ck_assert_ptr_nonnull(conn);
    nrecs = virConnectGetAllDomainStats(conn, VMM_STATS_GROUPS, &recs, 0);
    ck_assert_int_ge(nrecs, 1);

    for (int i = 0; i < nrecs; i++) {
        struct vmm_domstats s = { 0 };

        ck_assert_int_eq(vmm_stats_parse(recs[i]->params, recs[i]->nparams, &s), 0);
        ck_assert(s.has_state);
        if (strcmp(virDomainGetName(recs[i]->dom), "test") == 0) {
            ck_assert_int_eq(s.state, VIR_DOMAIN_RUNNING);
            found = true;
        }
        vmm_stats_clear(&s);
    }
    ck_assert(found);
    virDomainStatsRecordListFree(recs);
    virConnectClose(conn);
    virSetErrorFunc(NULL, NULL);   /* other suites may share this process */
}
END_TEST

Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("parse");
    TCase *tl = tcase_create("libvirt");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, running_guest_every_field);
    tcase_add_test(tc, mixed_integer_types);
    tcase_add_test(tc, bad_values_ignored);
    tcase_add_test(tc, unknown_fields_ignored);
    tcase_add_test(tc, sparse_vcpus);
    tcase_add_test(tc, blocks_out_of_order);
    tcase_add_test(tc, missing_groups);
    tcase_add_test(tc, empty_input);
    tcase_add_test(tc, null_strings);
    tcase_add_test(tc, hostile_indexes);
    tcase_add_test(tc, hostile_counts);
    tcase_add_test(tc, highest_numbers_below_caps);
    tcase_add_test(tc, backing_chain_keeps_top_image);
    tcase_add_test(tc, repeated_field_last_wins);
    tcase_add_test(tc, lookup_by_name);
    tcase_add_test(tc, clear_twice_and_reuse);
    suite_add_tcase(s, tc);

    tcase_add_test(tl, test_driver);
    suite_add_tcase(s, tl);
    return s;
}
