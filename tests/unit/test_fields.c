/*
 * test_fields.c: unit tests for the field checks an answer sheet goes through: the credit code
 * (creditcode.c), dates (date.c), and the SHA-256 fingerprint of the input (sha256.c).
 *
 * Reasons are compared as exact text, since they are what a person reads in a diagnostic. Prints
 * one "ok - ..." or "not ok - ..." line per check and exits 1 if any check failed.
 */
#include "alloc.h"
#include "creditcode.h"
#include "date.h"
#include "sha256.h"

#include "digilevel/common.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* s with control and non-ASCII bytes escaped, for a test name (one line each). Returns buf. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	for (; *s && n + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02X", c);
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return buf;
}

/* --- credit codes ------------------------------------------------------------------------------ */

typedef struct code_case {
	const char *code;
	int rc;
	const char *why; /* exact reason; "" for a valid code */
} code_case;

static const code_case code_cases[] = {
	{"91350100M000100Y43", 0, ""},
	{"91110000802100433B", 0, ""},
	/* The ten region-640303 examples (宁夏吴忠市红寺堡区, enterprise prefix 91). */
	{"91640303MA0000001D", 0, ""},
	{"91640303MA0000002G", 0, ""},
	{"91640303MA0000003K", 0, ""},
	{"91640303MA0000004N", 0, ""},
	{"91640303MA0000005R", 0, ""},
	{"91640303MA0000006W", 0, ""},
	{"91640303MA00000070", 0, ""},
	{"91640303MA00000083", 0, ""},
	{"91640303MA00000096", 0, ""},
	{"91640303MA0000010B", 0, ""},
	/* length */
	{"", DL_EINVALID, "must be 18 characters, got 0"},
	{"91350100M000100Y4", DL_EINVALID, "must be 18 characters, got 17"},
	{"91350100M000100Y433", DL_EINVALID, "must be 18 characters, got 19"},
	{"91350100M000100Y43 ", DL_EINVALID,
	 "must be 18 characters, got 19 (remove the white space around it)"},
	{" 91350100M000100Y43", DL_EINVALID,
	 "must be 18 characters, got 19 (remove the white space around it)"},
	/* check character */
	{"91350100M000100Y4X", DL_EINVALID, "check digit is 'X', expected '3'"},
	{"91350100M000100Y40", DL_EINVALID, "check digit is '0', expected '3'"},
	{"91640303MA0000001E", DL_EINVALID, "check digit is 'E', expected 'D'"},
	/* character set and shape */
	{"9135I100M000100Y43", DL_EINVALID,
	 "character 'I' at position 5 is not allowed (GB 32100-2015 excludes I, O, S, V, Z)"},
	{"91350100M0O0100Y43", DL_EINVALID,
	 "character 'O' at position 11 is not allowed (GB 32100-2015 excludes I, O, S, V, Z)"},
	{"91350100M000100Y4Z", DL_EINVALID,
	 "character 'Z' at position 18 is not allowed (GB 32100-2015 excludes I, O, S, V, Z)"},
	{"S1350100M000100Y43", DL_EINVALID,
	 "character 'S' at position 1 is not allowed (GB 32100-2015 excludes I, O, S, V, Z)"},
	{"01350100M000100Y43", DL_EINVALID,
	 "character '0' at position 1 is not a registration authority code (1-9, A-H, N, Y)"},
	{"J1350100M000100Y43", DL_EINVALID,
	 "character 'J' at position 1 is not a registration authority code (1-9, A-H, N, Y)"},
	{"9135A100M000100Y43", DL_EINVALID,
	 "character 'A' at position 5 must be a digit (positions 3-8 are the administrative "
	 "division code)"},
	{"91350100M0001-0Y43", DL_EINVALID,
	 "character '-' at position 14 is not allowed (only 0-9 and A-Z except I, O, S, V, Z)"},
	{"91350100M000 00Y43", DL_EINVALID,
	 "character ' ' at position 13 is not allowed (only 0-9 and A-Z except I, O, S, V, Z)"},
	{"91350100M000\t00Y43", DL_EINVALID,
	 "control character 0x09 at position 13 is not allowed"},
	/* lowercase */
	{"91350100m000100Y43", DL_EINVALID,
	 "character 'm' at position 9 is lowercase; use capital 'M'"},
	{"91350100M000100y43", DL_EINVALID,
	 "character 'y' at position 16 is lowercase; use capital 'Y'"},
	{"n1350100M000100Y43", DL_EINVALID,
	 "character 'n' at position 1 is lowercase; use capital 'N'"},
	{"91350100M000100i43", DL_EINVALID,
	 "character 'i' at position 16 is not allowed (GB 32100-2015 excludes I, O, S, V, Z)"},
	{"9135a100M000100Y43", DL_EINVALID,
	 "character 'a' at position 5 must be a digit (positions 3-8 are the administrative "
	 "division code)"},
	/* non-ASCII */
	{"\xef\xbc\x99" "1350100M000100Y43", DL_EINVALID,
	 "character '\xef\xbc\x99' (U+FF19) at position 1 is full-width; use the ASCII '9'"},
	{"91350100\xef\xbc\xad" "000100Y43", DL_EINVALID,
	 "character '\xef\xbc\xad' (U+FF2D) at position 9 is full-width; use the ASCII 'M'"},
	{"91350100M000100Y4\xe4\xb8\x89", DL_EINVALID,
	 "character '\xe4\xb8\x89' (U+4E09) at position 18 is not allowed (only ASCII 0-9 and A-Z)"},
	{"\xe3\x80\x80" "91350100M000100Y43", DL_EINVALID,
	 "a full-width space (U+3000) at position 1 is not allowed"},
	{"9135\xff" "100M000100Y43", DL_EINVALID, "byte 0xFF at position 5 is not valid UTF-8"},
	{"9135\xc0\xb1" "100M000100Y43", DL_EINVALID,
	 "byte 0xC0 at position 5 is not valid UTF-8"}, /* overlong '1' */
	{"913501\xed\xa0\x80" "M000100Y43", DL_EINVALID,
	 "byte 0xED at position 7 is not valid UTF-8"}, /* a surrogate */
	{"91350100M000100Y4\xe4\xb8", DL_EINVALID,
	 "byte 0xE4 at position 18 is not valid UTF-8"}, /* truncated at the end */
};

static void test_credit_code_cases(void)
{
	for (size_t i = 0; i < sizeof(code_cases) / sizeof(code_cases[0]); i++) {
		const code_case *c = &code_cases[i];
		char why[160] = "", name[64];
		int rc = dl__credit_code_check(c->code, why, sizeof(why));
		check(rc == c->rc && strcmp(why, c->why) == 0, "credit code \"%s\": %d \"%s\"",
		      shown(c->code, name, sizeof(name)), rc, why);
	}
}

/* What each position allows, written out independently of creditcode.c. */
static bool expect_allowed(size_t i, char c)
{
	static const char authority[] = "123456789ABCDEFGHNY";
	static const char code_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	if (c == '\0')
		return false;
	if (i == 0)
		return strchr(authority, c) != NULL;
	if (i >= 2 && i <= 7)
		return c >= '0' && c <= '9';
	return strchr(code_set, c) != NULL;
}

/* Every ASCII character at every position of a valid code: accepted exactly where allowed. */
static void test_credit_code_sweep(void)
{
	static const char valid[] = "91350100M000100Y43";
	int wrong = 0;
	for (size_t i = 0; i < DL__CREDIT_CODE_LEN; i++) {
		for (int b = 1; b < 0x80; b++) {
			char code[DL__CREDIT_CODE_LEN + 1], why[160] = "";
			memcpy(code, valid, sizeof(code));
			code[i] = (char)b;
			int rc = dl__credit_code_check(code, why, sizeof(why));
			bool shape_ok = rc == 0 || strncmp(why, "check digit is", 14) == 0;
			bool explained = rc == DL_EINVALID && why[0] &&
					 strstr(why, "does not have the shape") == NULL;
			if (shape_ok != expect_allowed(i, (char)b) || (rc != 0 && !explained)) {
				if (wrong++ < 5)
					printf("# position %zu byte 0x%02X: %d \"%s\"\n", i + 1,
					       (unsigned)b, rc, why);
			}
		}
	}
	check(wrong == 0, "credit code: every ASCII character at every position (%d wrong)", wrong);
}

static void test_credit_code_misc(void)
{
	char c = '?', why[16];
	int rc = dl__credit_code_compute_check("91350100M000100Y4", &c);
	check(rc == 0 && c == '3', "compute check of 91350100M000100Y4 is '%c'", c);
	c = '?';
	check(dl__credit_code_compute_check("91350100M000100Y43", &c) == 0 && c == '3',
	      "compute check ignores an 18th character");
	c = '?';
	check(dl__credit_code_compute_check("91350100M00", &c) == DL_EINVALID && c == '?',
	      "compute check of a short string fails and leaves the output alone");
	check(dl__credit_code_compute_check("91350100m000100Y4", &c) == DL_EINVALID && c == '?',
	      "compute check rejects lowercase");
	check(dl__credit_code_compute_check("9135I100M000100Y4", &c) == DL_EINVALID && c == '?',
	      "compute check rejects I");

	/* Each check character of the code set can come out: generate, then validate. */
	int bad = 0;
	for (int n = 0; n < 31 * 4; n++) {
		char code[32]; /* room for any int, to keep -Wformat-truncation quiet */
		snprintf(code, sizeof(code), "91640303MA%07d", n);
		code[DL__CREDIT_CODE_LEN] = '\0';
		if (dl__credit_code_compute_check(code, &code[17]) != 0 ||
		    dl__credit_code_check(code, NULL, 0) != 0)
			bad++;
	}
	check(bad == 0, "generated codes validate (%d failed)", bad);

	rc = dl__credit_code_check("91350100M000100Y4X", why, sizeof(why));
	check(rc == DL_EINVALID && strcmp(why, "check digit is ") == 0,
	      "a short reason buffer is truncated and terminated: \"%s\"", why);
	check(dl__credit_code_check("91350100M000100Y4X", NULL, 0) == DL_EINVALID,
	      "reason buffer may be NULL");
}

/* Fail each allocation in turn, starting from nothing compiled: a clean DL_ENOMEM every time. */
static void test_credit_code_out_of_memory(void)
{
	int bad = 0, steps = 0;
	for (long n = 0; n < 100; n++) {
		char why[160] = "";
		dl__credit_code_shutdown();
		dl__alloc_fail_after(n);
		int rc = dl__credit_code_check("91350100M000100Y43", why, sizeof(why));
		dl__alloc_fail_after(-1);
		if (rc == 0)
			break;
		steps++;
		if (rc != DL_ENOMEM || strcmp(why, "out of memory") != 0) {
			bad++;
			printf("# failing allocation %ld: %d \"%s\"\n", n, rc, why);
		}
	}
	check(steps > 0 && bad == 0, "credit code: each of %d failed allocations gives DL_ENOMEM",
	      steps);
	check(dl__credit_code_check("91350100M000100Y43", NULL, 0) == 0,
	      "credit code: checks work again once memory is back");
}

#define THREADS 4
static void *check_many(void *arg)
{
	long *bad = arg;
	for (int i = 0; i < 500; i++) {
		if (dl__credit_code_check("91640303MA0000001D", NULL, 0) != 0 ||
		    dl__credit_code_check("91640303MA0000001E", NULL, 0) != DL_EINVALID)
			(*bad)++;
	}
	return NULL;
}

static void test_credit_code_threads(void)
{
	pthread_t t[THREADS];
	long wrong[THREADS] = {0}, bad = 0;
	int started = 0;
	dl__credit_code_shutdown(); /* so that the threads race to compile */
	for (; started < THREADS; started++)
		if (pthread_create(&t[started], NULL, check_many, &wrong[started]) != 0)
			break;
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		bad += wrong[i];
	}
	check(started == THREADS && bad == 0, "credit code: %d threads agree (%ld wrong)", started,
	      bad);
}

/* --- dates ------------------------------------------------------------------------------------- */

typedef struct date_case {
	const char *s;
	int rc;
	const char *why;
} date_case;

static const date_case date_cases[] = {
	{"2024-02-29", 0, ""},
	{"2000-02-29", 0, ""},
	{"1900-01-01", 0, ""},
	{"2999-12-31", 0, ""},
	{"2025-12-31", 0, ""},
	{"2025-02-29", -1, "day 29 does not exist in February 2025"},
	{"2025-02-30", -1, "day 30 does not exist in February 2025"},
	{"2024-02-30", -1, "day 30 does not exist in February 2024"},
	{"1900-02-29", -1, "day 29 does not exist in February 1900"},
	{"2100-02-29", -1, "day 29 does not exist in February 2100"},
	{"2024-04-31", -1, "day 31 does not exist in April 2024"},
	{"2024-01-32", -1, "day 32 does not exist in January 2024"},
	{"2024-01-00", -1, "day 0 does not exist in January 2024"},
	{"2024-13-01", -1, "month 13 does not exist (months are 01-12)"},
	{"2024-00-10", -1, "month 0 does not exist (months are 01-12)"},
	{"1899-12-31", -1, "year 1899 is outside 1900-2999"},
	{"3000-01-01", -1, "year 3000 is outside 1900-2999"},
	{"", -1, "must be YYYY-MM-DD (10 characters), got 0 characters"},
	{"2024-1-05", -1, "must be YYYY-MM-DD (10 characters), got 9 characters"},
	{"2024-01-05\n", -1, "must be YYYY-MM-DD (10 characters), got 11 characters"},
	{"2024-01-05T00:00", -1, "must be YYYY-MM-DD (10 characters), got 16 characters"},
	{"2024/01/05", -1, "character '/' at position 5 must be '-' (YYYY-MM-DD)"},
	{"05-01-2024", -1, "character '-' at position 3 must be a digit (YYYY-MM-DD)"},
	{"2024-01-0a", -1, "character 'a' at position 10 must be a digit (YYYY-MM-DD)"},
	{" 2024-1-05", -1, "character ' ' at position 1 must be a digit (YYYY-MM-DD)"},
	{"2024-01\t05", -1, "byte 0x09 at position 8 must be '-' (YYYY-MM-DD)"},
	{"+024-01-05", -1, "character '+' at position 1 must be a digit (YYYY-MM-DD)"},
	{"2024\xef\xbc\x8d" "01-05", -1,
	 "character at position 5 is not ASCII (write YYYY-MM-DD with ASCII digits and '-')"},
	{"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-05", -1,
	 "character at position 1 is not ASCII (write YYYY-MM-DD with ASCII digits and '-')"},
};

static void test_date_cases(void)
{
	for (size_t i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		const date_case *c = &date_cases[i];
		char why[160] = "", name[64];
		int y = -7, m = -7, d = -7;
		int rc = dl__date_parse(c->s, &y, &m, &d, why, sizeof(why));
		bool outputs = rc == 0 ? y >= 1900 : (y == -7 && m == -7 && d == -7);
		check(rc == c->rc && strcmp(why, c->why) == 0 && outputs, "date \"%s\": %d \"%s\"",
		      shown(c->s, name, sizeof(name)), rc, why);
	}
	int y = 0, m = 0, d = 0;
	int rc = dl__date_parse("2024-02-29", &y, &m, &d, NULL, 0);
	check(rc == 0 && y == 2024 && m == 2 && d == 29, "date 2024-02-29 parses to %d, %d, %d", y, m,
	      d);
	check(dl__date_parse("2024-02-29", NULL, NULL, NULL, NULL, 0) == 0,
	      "date outputs may be NULL");
}

/* Every day from 1900 to 2999: the ordinal goes up by exactly one, and nothing else parses. */
static void test_date_calendar(void)
{
	int32_t prev = dl__date_ordinal(1899, 12, 31);
	long days = 0, wrong = 0;
	for (int y = 1899; y <= 3000; y++) {
		for (int m = 0; m <= 13; m++) {
			for (int d = 0; d <= 32; d++) {
				char s[40]; /* room for any three ints */
				int py, pm, pd;
				snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
				if (dl__date_parse(s, &py, &pm, &pd, NULL, 0) != 0)
					continue;
				days++;
				int32_t o = dl__date_ordinal(py, pm, pd);
				if (py != y || pm != m || pd != d || o != prev + 1)
					wrong++;
				prev = o;
			}
		}
	}
	/* 1100 years, of which 267 are leap years (1900-2999: 275 multiples of 4, less 1900, 2100,
	 * 2200, 2300, 2500, 2600, 2700, 2900). */
	check(days == 1100L * 365 + 267 && wrong == 0,
	      "date: %ld days from 1900-01-01 to 2999-12-31, each one day after the last (%ld wrong)",
	      days, wrong);
	check(dl__date_ordinal(1970, 1, 1) == 0, "ordinal of 1970-01-01 is 0");
	check(dl__date_ordinal(1969, 12, 31) == -1, "ordinal of 1969-12-31 is -1");
	check(dl__date_ordinal(2000, 3, 1) == 11017, "ordinal of 2000-03-01 is 11017");
	check(dl__date_ordinal(1900, 1, 1) == -25567, "ordinal of 1900-01-01 is -25567");
	check(dl__date_ordinal(2024, 3, 1) - dl__date_ordinal(2024, 2, 28) == 2,
	      "2024-02-28 to 2024-03-01 is 2 days");
	check(dl__date_ordinal(2025, 3, 1) - dl__date_ordinal(2025, 2, 28) == 1,
	      "2025-02-28 to 2025-03-01 is 1 day");
}

static void test_date_compare(void)
{
	check(dl__date_compare("2024-02-29", "2024-03-01") < 0, "2024-02-29 is before 2024-03-01");
	check(dl__date_compare("2024-03-01", "2024-02-29") > 0, "2024-03-01 is after 2024-02-29");
	check(dl__date_compare("2024-12-31", "2025-01-01") < 0, "2024-12-31 is before 2025-01-01");
	check(dl__date_compare("2024-05-06", "2024-05-06") == 0, "a date equals itself");
	check(dl__date_compare("2024-02-30", "1900-01-01") < 0 &&
		      dl__date_compare("1900-01-01", "2024-02-30") > 0,
	      "an invalid date sorts before every valid one");
	check(dl__date_compare("x", "x") == 0 && dl__date_compare("a", "b") < 0,
	      "two invalid dates compare as strcmp");
}

/* --- SHA-256 ----------------------------------------------------------------------------------- */

static void hex(const unsigned char *digest, char out[DL__SHA256_HEX_SIZE])
{
	for (int i = 0; i < DL__SHA256_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static void test_sha256_vectors(void)
{
	static const struct {
		const char *name, *msg, *digest;
	} vectors[] = {
		/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf", SHA2_Additional.pdf) */
		{"\"abc\"", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"the empty message", "",
		 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"the 448-bit message", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"the 896-bit message",
		 "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnop"
		 "qrlmnopqrsmnopqrstnopqrstu",
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	};
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		char out[DL__SHA256_HEX_SIZE];
		dl__sha256_hex(vectors[i].msg, strlen(vectors[i].msg), out);
		check(strcmp(out, vectors[i].digest) == 0, "sha256 of %s is %s", vectors[i].name, out);
	}

	/* One million 'a', in pieces of 1000 bytes. */
	char a[1000];
	memset(a, 'a', sizeof(a));
	dl__sha256_ctx ctx;
	unsigned char digest[DL__SHA256_SIZE];
	char out[DL__SHA256_HEX_SIZE];
	dl__sha256_init(&ctx);
	for (int i = 0; i < 1000; i++)
		dl__sha256_update(&ctx, a, sizeof(a));
	dl__sha256_final(&ctx, digest);
	hex(digest, out);
	check(strcmp(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
	      "sha256 of one million 'a' is %s", out);
	dl__sha256_hex(NULL, 0, out);
	check(strcmp(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
	      "sha256 of (NULL, 0) is that of the empty message");
}

/* Lengths around the padding boundaries, one-shot and in every piece size up to 130. */
static void test_sha256_boundaries(void)
{
	static const struct {
		size_t len;
		const char *digest; /* of bytes (7i + 1) mod 256, from Python's hashlib */
	} cases[] = {
		{55, "16fa57a0a3423a715d594516339f36189d6b5f93754a9714fef202616a9fabfe"},
		{56, "c37b44e5f1b18554b36966f4f8e08bfbf3164c4b6c10374d12d89850892073c5"},
		{57, "12b234922502022f755ab8550a3d4e202ad39c81d961a4f59ec39d5fd83d15a7"},
		{63, "bbba992d2c85af960fb2987a1fd05e0aa82a3db3c740dd8982a9e273b75e36a3"},
		{64, "66bd4633ed6f71c4ecfa4763bf7ba1c8ec7612de9aa6c0578a7b675207c71e0b"},
		{65, "9f7dc47107b750a1f3d35db5d9547f24ef40da5b731b9540d4f43710a154f6c9"},
		{119, "a3ed307b730fa77c07531300c6e4a282330011d4d4caf6bb7b63ae05950f4b66"},
		{120, "8e3b15d9fea7472655aa069620b7f8c2e55ee1499f763200a7515fe826e99d20"},
		{1000, "095ecb62e30793ab4b954cd6a0586d0cc91f7ea5b1332694d8da780e98676d78"},
	};
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)((i * 7 + 1) % 256);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len = cases[c].len;
		char out[DL__SHA256_HEX_SIZE];
		dl__sha256_hex(data, len, out);
		bool ok = strcmp(out, cases[c].digest) == 0;
		for (size_t piece = 1; ok && piece <= 130; piece++) {
			dl__sha256_ctx ctx;
			unsigned char digest[DL__SHA256_SIZE];
			dl__sha256_init(&ctx);
			for (size_t at = 0; at < len; at += piece)
				dl__sha256_update(&ctx, data + at, len - at < piece ? len - at : piece);
			dl__sha256_update(&ctx, NULL, 0);
			dl__sha256_final(&ctx, digest);
			hex(digest, out);
			ok = strcmp(out, cases[c].digest) == 0;
		}
		check(ok, "sha256 of %zu bytes, whole and in pieces of 1 to 130", len);
	}
}

/* The context is plain data (a copy forks the computation), hashing never allocates, and threads
 * may hash at once: what sha256.h promises of the library behind it. */
#define SHA_THREADS 4
static void *hash_many(void *arg)
{
	long *bad = arg;
	char out[DL__SHA256_HEX_SIZE];
	for (int i = 0; i < 2000; i++) {
		dl__sha256_hex("abc", 3, out);
		if (strcmp(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0)
			(*bad)++;
	}
	return NULL;
}

static void test_sha256_contract(void)
{
	dl__sha256_ctx ab, fork;
	unsigned char digest[DL__SHA256_SIZE];
	char out[DL__SHA256_HEX_SIZE], want[DL__SHA256_HEX_SIZE];

	dl__sha256_init(&ab);
	dl__sha256_update(&ab, "ab", 2);
	fork = ab;
	dl__sha256_update(&fork, "d", 1);
	dl__sha256_update(&ab, "c", 1);
	dl__sha256_final(&ab, digest);
	hex(digest, out);
	check(strcmp(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	      "sha256: a copied context goes on alone (\"ab\" + \"c\")");
	dl__sha256_final(&fork, digest);
	hex(digest, out);
	dl__sha256_hex("abd", 3, want);
	check(strcmp(out, want) == 0, "sha256: the copy goes on alone (\"ab\" + \"d\")");

	dl__alloc_fail_after(0); /* every allocation fails from here */
	dl__sha256_hex("abc", 3, out);
	long allocations = dl__alloc_fail_after(-1);
	check(allocations == 0 &&
		      strcmp(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	      "sha256: hashes with every allocation failing (%ld allocations)", allocations);

	pthread_t t[SHA_THREADS];
	long bad[SHA_THREADS] = {0};
	int started = 0;
	for (; started < SHA_THREADS; started++)
		if (pthread_create(&t[started], NULL, hash_many, &bad[started]) != 0)
			break;
	long total = 0;
	for (int i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		total += bad[i];
	}
	check(started == SHA_THREADS && total == 0, "sha256: %d threads at once, %ld wrong digests",
	      started, total);
}

int main(void)
{
	/* the messages checked are the English ones, whatever the library's default (docs/messages.md) */
	dl_set_language(DL_LANGUAGE_EN);
	test_credit_code_cases();
	test_credit_code_sweep();
	test_credit_code_misc();
	test_credit_code_out_of_memory();
	test_credit_code_threads();
	test_date_cases();
	test_date_calendar();
	test_date_compare();
	test_sha256_vectors();
	test_sha256_boundaries();
	test_sha256_contract();
	dl__credit_code_shutdown();
	return test_done();
}
