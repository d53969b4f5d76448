#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "core/history.h"
#include "core/host.h"
#include "core/text.h"

START_TEST(utf8_cut)
{
    /* "ü" is 2 octets, "测" 3, "🚀" 4 */
    ck_assert_uint_eq(vmm_utf8_cut("abc", 255), 3);
    ck_assert_uint_eq(vmm_utf8_cut("abc", 2), 2);
    ck_assert_uint_eq(vmm_utf8_cut("a\xc3\xbc", 2), 1);       /* a|ü cut inside ü */
    ck_assert_uint_eq(vmm_utf8_cut("a\xc3\xbc", 3), 3);
    ck_assert_uint_eq(vmm_utf8_cut("\xe6\xb5\x8b\xe6\xb5\x8b", 4), 3);
    ck_assert_uint_eq(vmm_utf8_cut("\xf0\x9f\x9a\x80x", 3), 0);
    ck_assert_uint_eq(vmm_utf8_cut("\xf0\x9f\x9a\x80x", 4), 4);
    ck_assert_uint_eq(vmm_utf8_cut("", 0), 0);
}
END_TEST

START_TEST(utf8_cut_long_name)
{
    char name[301];

    memset(name, 'n', 300);
    name[300] = '\0';
    ck_assert_uint_eq(vmm_utf8_cut(name, VMM_ADMIN_STRING_MAX), 255);
}
END_TEST

START_TEST(host_interfaces)
{
    ck_assert_uint_eq(vmm_host_ifindex("lo"), 1);
    ck_assert_uint_eq(vmm_host_ifindex("no-such-dev0"), 0);
    ck_assert_uint_eq(vmm_host_ifindex(""), 0);
    ck_assert_uint_eq(vmm_host_ifindex(NULL), 0);
    ck_assert_uint_eq(vmm_host_ifindex("a-name-longer-than-ifnamsiz"), 0);
    /* user networking and unknown bridges have no uplink; lo is no bridge */
    ck_assert_uint_eq(vmm_host_uplink("user", ""), 0);
    ck_assert_uint_eq(vmm_host_uplink("bridge", "no-such-br0"), 0);
    ck_assert_uint_eq(vmm_host_uplink("bridge", "lo"), 0);
    ck_assert_uint_eq(vmm_host_uplink("bridge", "../lo"), 0);
    ck_assert_uint_eq(vmm_host_uplink("direct", "lo"), 1);
}
END_TEST

START_TEST(process_start)
{
    uint64_t now = vmm_host_now_cs(), started = vmm_host_process_start_cs(getpid());

    ck_assert_uint_gt(started, 0);
    ck_assert_uint_le(started, now);
    ck_assert_uint_eq(vmm_host_process_start_cs(0), 0);
    ck_assert_uint_eq(vmm_host_process_start_cs(-5), 0);
    ck_assert_int_eq(vmm_host_qemu_pid("no-such-machine"), 0);
    ck_assert_int_eq(vmm_host_qemu_pid("../etc/passwd"), 0);
}
END_TEST

static const unsigned char A[16] = { 1 }, B[16] = { 2 }, C[16] = { 3 };

START_TEST(history_set_changes)
{
    struct vmm_history *h = vmm_history_new();

    vmm_history_begin(h);
    vmm_history_get(h, A);
    vmm_history_get(h, B);
    ck_assert(!vmm_history_sweep(h));           /* the first set is no change */
    vmm_history_begin(h);
    vmm_history_get(h, B);
    vmm_history_get(h, A);
    ck_assert(!vmm_history_sweep(h));
    vmm_history_begin(h);
    vmm_history_get(h, A);
    ck_assert(vmm_history_sweep(h));            /* B gone */
    vmm_history_begin(h);
    vmm_history_get(h, A);
    vmm_history_get(h, C);
    ck_assert(vmm_history_sweep(h));            /* C new */
    /* a snapshot that failed half-way leaves no trace */
    vmm_history_begin(h);
    vmm_history_get(h, B);
    vmm_history_begin(h);
    vmm_history_get(h, A);
    vmm_history_get(h, C);
    ck_assert(!vmm_history_sweep(h));
    vmm_history_free(h);
}
END_TEST

START_TEST(history_floors)
{
    struct vmm_history *h = vmm_history_new();
    struct vmm_past *p;
    unsigned long long v;

    vmm_history_begin(h);
    p = vmm_history_get(h, A);
    vmm_history_new_run(p, 7);
    v = 100; vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 100);
    v = 90;  vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 100);
    v = 150; vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 150);
    v = 5;   vmm_history_floor(p, "vda/0", &v); ck_assert_uint_eq(v, 5);
    vmm_history_new_run(p, 7);
    v = 120; vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 150);
    vmm_history_new_run(p, 8);                  /* a new run starts from zero */
    v = 3;   vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 3);
    vmm_history_free(h);
}
END_TEST

START_TEST(history_conf_outlives_replacement)
{
    struct vmm_history *h = vmm_history_new();
    struct vmm_past *p;
    struct vmm_confref *held;

    vmm_history_begin(h);
    p = vmm_history_get(h, A);
    vmm_history_set_conf(p, vmm_domxml_parse("<domain><vcpu>2</vcpu></domain>", 2), 1, "a", 10);
    held = vmm_confref_hold(p->conf);
    vmm_history_set_conf(p, vmm_domxml_parse("<domain><vcpu>3</vcpu></domain>", 2), 1, "a", 20);
    ck_assert_uint_eq(vmm_confref_conf(held)->vcpus_max, 2);
    ck_assert_uint_eq(vmm_confref_conf(p->conf)->vcpus_max, 3);
    ck_assert_uint_eq(p->conf_cs, 20);
    vmm_confref_release(held);
    vmm_history_free(h);
}
END_TEST

Suite *host_suite(void)
{
    Suite *s = suite_create("host");
    TCase *tc = tcase_create("host");

    tcase_add_test(tc, utf8_cut);
    tcase_add_test(tc, utf8_cut_long_name);
    tcase_add_test(tc, host_interfaces);
    tcase_add_test(tc, process_start);
    tcase_add_test(tc, history_set_changes);
    tcase_add_test(tc, history_floors);
    tcase_add_test(tc, history_conf_outlives_replacement);
    suite_add_tcase(s, tc);
    return s;
}
