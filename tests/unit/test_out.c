/*
 * test_out.c: the buffered writer every output goes through (engine/base/out.c): its JSON strings,
 * its integers and its buffer.
 *
 * - every byte value, at every place of the eight-byte steps the escaper takes, is escaped exactly
 *   as a plain byte-by-byte escaper does it (RFC 8259: '"', '\' and the control characters; UTF-8
 *   written as it is), alone, beside others and at the end of a string, and nothing past the end
 *   is read (each string is in a block of its own size: `make asan` would see it) nor written
 *   (a quote right after the end stays out);
 * - dl__out_int writes what printf's "%lld" writes, the extremes included;
 * - text longer than the buffer, and text that ends exactly at its edge, arrives whole and in order;
 * - after a failed write nothing more is written and dl__out_finish reports it.
 */
#include "out.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* The reference: byte by byte, as JSON asks, into buf (big enough). */
static size_t json_reference(const unsigned char *s, size_t len, char *buf)
{
	size_t n = 0;
	buf[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c == '\n') {
			n += (size_t)sprintf(buf + n, "\\n");
		} else if (c == '\t') {
			n += (size_t)sprintf(buf + n, "\\t");
		} else if (c == '\r') {
			n += (size_t)sprintf(buf + n, "\\r");
		} else if (c < 0x20) {
			n += (size_t)sprintf(buf + n, "\\u%04x", c);
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return n;
}

/*
 * What dl__out_json_string_len writes for s[0..len), in g (freed by the caller). The string is
 * copied to a block of exactly len bytes, so that under `make asan` a read past its end (the
 * eight-byte steps) is caught, whatever lies after it in the caller's buffer.
 */
static int json_written(const unsigned char *s, size_t len, gathered *g)
{
	char *exact = malloc(len ? len : 1);
	if (!exact)
		return -1;
	memcpy(exact, s, len);
	dl__out o;
	dl__out_init(&o, gather, g);
	dl__out_json_string_len(&o, exact, len);
	int rc = dl__out_finish(&o);
	free(exact);
	return rc;
}

static void test_json_every_byte(void)
{
	/* A run of plain ASCII and of UTF-8 (where every byte has its high bit set), each byte value
	 * placed at positions 0..17 of strings 1..18 long: every place in and across two steps. */
	static const unsigned char fills[] = {'a', 0xE4};
	size_t wrong = 0, tried = 0;
	char want[256];
	for (size_t f = 0; f < sizeof(fills); f++)
		for (unsigned v = 0; v < 256; v++)
			for (size_t len = 1; len <= 18; len++)
				for (size_t at = 0; at < len; at++) {
					unsigned char s[24];
					memset(s, fills[f], sizeof(s));
					s[at] = (unsigned char)v;
					gathered g = {NULL, 0};
					size_t n = json_reference(s, len, want);
					int rc = json_written(s, len, &g);
					tried++;
					if (rc != 0 || !g.data || g.len != n || memcmp(g.data, want, n) != 0) {
						if (wrong++ < 5)
							printf("# byte 0x%02x at %zu of %zu: got [%s], want [%s]\n", v,
							       at, len, g.data ? g.data : "", want);
					}
					free(g.data);
				}
	check(wrong == 0, "every byte at every place of a string is escaped as JSON asks (%zu of %zu wrong)",
	      wrong, tried);

	/* several specials in one step, and every pair of neighbours among them */
	static const unsigned char specials[] = {'"', '\\', '\n', '\t', '\r', 0x00, 0x01, 0x1f, 0x7f, 0x80, 0xff, ' '};
	wrong = 0;
	tried = 0;
	for (size_t i = 0; i < sizeof(specials); i++)
		for (size_t j = 0; j < sizeof(specials); j++)
			for (size_t at = 0; at + 1 < 17; at++) {
				unsigned char s[17];
				memset(s, 'x', sizeof(s));
				s[at] = specials[i];
				s[at + 1] = specials[j];
				gathered g = {NULL, 0};
				size_t n = json_reference(s, sizeof(s), want);
				int rc = json_written(s, sizeof(s), &g);
				tried++;
				wrong += rc != 0 || !g.data || g.len != n || memcmp(g.data, want, n) != 0;
				free(g.data);
			}
	check(wrong == 0, "two special bytes side by side, anywhere, are escaped both (%zu of %zu wrong)",
	      wrong, tried);

	/* a quote just past the end, in the caller's buffer, is not the string's */
	wrong = 0;
	for (size_t len = 0; len <= 17; len++) {
		unsigned char s[18];
		memset(s, 'q', sizeof(s));
		s[len] = '"';
		gathered g = {NULL, 0};
		dl__out o;
		dl__out_init(&o, gather, &g);
		dl__out_json_string_len(&o, (const char *)s, len);
		wrong += dl__out_finish(&o) != 0 || !g.data || g.len != len + 2 || strchr(g.data + 1, '"') != g.data + len + 1;
		free(g.data);
	}
	check(wrong == 0, "a quote right after the end of a string is left out (%zu lengths wrong)", wrong);

	gathered g = {NULL, 0};
	check(json_written((const unsigned char *)"", 0, &g) == 0 && g.data && strcmp(g.data, "\"\"") == 0,
	      "the empty string is \"\"");
	free(g.data);
}

static void test_int(void)
{
	static const long long values[] = {0,	       1,	  -1,	     9,	      10,	-10,
					   99,	       100,	  12345,     -12345, INT_MAX, INT_MIN,
					   LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[32];
		snprintf(want, sizeof(want), "%lld", values[i]);
		gathered g = {NULL, 0};
		dl__out o;
		dl__out_init(&o, gather, &g);
		dl__out_int(&o, values[i]);
		int rc = dl__out_finish(&o);
		check(rc == 0 && g.data && strcmp(g.data, want) == 0, "dl__out_int(%s) writes %s (got %s)", want,
		      want, g.data ? g.data : "");
		free(g.data);
	}
}

static void test_buffer_edges(void)
{
	/* strings of the buffer's size and around it, after fills that leave every remainder */
	const size_t size = sizeof(((dl__out *)0)->buf);
	char *text = malloc(3 * size + 1), *want = malloc(8 * size);
	if (!check(text && want, "memory for the buffer tests")) {
		free(text);
		free(want);
		return;
	}
	for (size_t i = 0; i < 3 * size; i++)
		text[i] = (char)('a' + i % 26);
	size_t wrong = 0, tried = 0;
	static const size_t lead[] = {0, 1, 7, 4095, 8183, 8190, 8191, 8192};
	static const size_t lengths[] = {1, 8, 8191, 8192, 8193, 16384, 20000};
	for (size_t a = 0; a < sizeof(lead) / sizeof(lead[0]); a++)
		for (size_t b = 0; b < sizeof(lengths) / sizeof(lengths[0]); b++) {
			gathered g = {NULL, 0};
			dl__out o;
			dl__out_init(&o, gather, &g);
			dl__out_bytes(&o, text, lead[a] % size);
			dl__out_json_string_len(&o, text, lengths[b]);
			dl__out_str(&o, "!");
			int rc = dl__out_finish(&o);
			size_t n = lead[a] % size;
			memcpy(want, text, n);
			want[n++] = '"';
			memcpy(want + n, text, lengths[b]);
			n += lengths[b];
			want[n++] = '"';
			want[n++] = '!';
			tried++;
			wrong += rc != 0 || !g.data || g.len != n || memcmp(g.data, want, n) != 0;
			free(g.data);
		}
	check(wrong == 0, "text across and at the buffer's edge arrives whole and in order (%zu of %zu wrong)",
	      wrong, tried);
	free(text);
	free(want);
}

static int fail_write(void *userdata, const char *data, size_t len)
{
	(void)data;
	(void)len;
	(*(int *)userdata)++;
	return -1;
}

static void test_sticky_error(void)
{
	int calls = 0;
	dl__out o;
	dl__out_init(&o, fail_write, &calls);
	char big[20000];
	memset(big, 'x', sizeof(big));
	dl__out_bytes(&o, big, sizeof(big)); /* larger than the buffer: written at once, and fails */
	dl__out_str(&o, "more");
	dl__out_json_string(&o, "and more");
	dl__out_int(&o, 42);
	int rc = dl__out_finish(&o);
	check(rc == DL_EIO && calls == 1, "after a failed write nothing more is written (%d calls) and the "
					  "end reports it",
	      calls);
}

int main(void)
{
	test_json_every_byte();
	test_int();
	test_buffer_edges();
	test_sticky_error();
	return test_done();
}
