/*
 * creditcode.c: checking a 统一社会信用代码 (unified social credit code) against GB 32100-2015
 * (see creditcode.h).
 *
 * The shape is one anchored PCRE2 pattern, compiled once and shared by every thread; the check
 * character is the standard's weighted sum modulo 31. When the pattern does not match, the
 * characters are walked once more to name the first offending position and say why, because the
 * reason ends up in a diagnostic that a person fixes the answer sheet from.
 *
 * The pattern is compiled lazily under a mutex rather than with pthread_once: a compilation that
 * fails for want of memory must be retried on the next call, and dl__credit_code_shutdown() must be
 * able to free it and let a later call compile it again. PCRE2 allocates through dl__malloc, so an
 * allocation-failure test reaches every allocation here.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "creditcode.h"

#include "alloc.h"
#include "i18n.h"
#include "digilevel/common.h"

#include <assert.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The code set: value of a character = its index. */
static const char code_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
#define CODE_SET_SIZE 31

/* Weight of positions 1..17: 3^(i-1) mod 31. */
static const int weights[DL__CREDIT_CODE_LEN - 1] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
						      29, 25, 13, 8,  24, 10, 30, 28};

/* The shape, position by position. Kept in step with position_allows() below. */
#define CODE_CHAR "[0-9A-HJ-NPQRTUWXY]"
static const char pattern[] = "\\A"
			      "[1-9A-HNY]"     /* 1: 登记管理部门码, registration authority */
			      CODE_CHAR        /* 2: 机构类别码, organisation type */
			      "[0-9]{6}"       /* 3-8: 行政区划码, administrative division */
			      CODE_CHAR "{9}"  /* 9-17: 主体标识码, organisation code */
			      CODE_CHAR        /* 18: check character */
			      "\\z";

/* Far above what the pattern needs for an 18-byte subject, which is all it ever sees. */
#define MATCH_LIMIT 1000
#define DEPTH_LIMIT 100

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pcre2_general_context *general; /* routes PCRE2's allocations through dl__malloc */
static pcre2_code *shape;
static pcre2_match_context *limits;

static void *via_dl_malloc(size_t size, void *unused)
{
	(void)unused;
	return dl__malloc(size);
}

static void via_dl_free(void *ptr, void *unused)
{
	(void)unused;
	dl__free(ptr);
}

/* Free everything compile_shape() made. Call with lock held. */
static void release_shape(void)
{
	pcre2_match_context_free(limits);
	pcre2_code_free(shape);
	pcre2_general_context_free(general);
	limits = NULL;
	shape = NULL;
	general = NULL;
}

/* Compile the pattern unless it already is. Call with lock held. */
static int compile_shape(char *why, size_t why_size)
{
	pcre2_compile_context *cc = NULL;
	int rc = 0;

	if (shape)
		return 0;
	general = pcre2_general_context_create(via_dl_malloc, via_dl_free, NULL);
	cc = general ? pcre2_compile_context_create(general) : NULL;
	limits = general ? pcre2_match_context_create(general) : NULL;
	if (!cc || !limits) {
		rc = DL_ENOMEM;
		snprintf(why, why_size, "%s", _("out of memory"));
		goto done;
	}
	pcre2_set_match_limit(limits, MATCH_LIMIT);
	pcre2_set_depth_limit(limits, DEPTH_LIMIT);

	int error;
	PCRE2_SIZE offset;
	shape = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &error, &offset,
			      cc);
	if (!shape) {
		if (error == PCRE2_ERROR_HEAP_FAILED) {
			rc = DL_ENOMEM;
			snprintf(why, why_size, "%s", _("out of memory"));
		} else {
			PCRE2_UCHAR msg[120];
			if (pcre2_get_error_message(error, msg, sizeof(msg)) < 0)
				msg[0] = '\0';
			rc = DL_EINVALID;
			snprintf(why, why_size, _("internal error: PCRE2 cannot compile the pattern: %s"),
				 (const char *)msg);
		}
		goto done;
	}

done:
	pcre2_compile_context_free(cc);
	if (rc < 0)
		release_shape();
	return rc;
}

void dl__credit_code_shutdown(void)
{
	pthread_mutex_lock(&lock);
	release_shape();
	pthread_mutex_unlock(&lock);
}

/* The value of c in the code set, or -1. */
static int code_value(char c)
{
	const char *p = c ? memchr(code_set, c, CODE_SET_SIZE) : NULL;
	return p ? (int)(p - code_set) : -1;
}

/* Whether position i (0-based) may hold c: the pattern, one position at a time. */
static bool position_allows(size_t i, char c)
{
	if (i == 0)
		return c && strchr("123456789ABCDEFGHNY", c);
	if (i >= 2 && i <= 7)
		return c >= '0' && c <= '9';
	return code_value(c) >= 0;
}

/* The check character for the 17 code-set characters at s. */
static char check_char(const char *s)
{
	int sum = 0;
	for (size_t i = 0; i < DL__CREDIT_CODE_LEN - 1; i++)
		sum += code_value(s[i]) * weights[i];
	return code_set[(CODE_SET_SIZE - sum % CODE_SET_SIZE) % CODE_SET_SIZE];
}

int dl__credit_code_compute_check(const char *first17, char *out_char)
{
	for (size_t i = 0; i < DL__CREDIT_CODE_LEN - 1; i++)
		if (code_value(first17[i]) < 0)
			return DL_EINVALID; /* also stops at the NUL of a short string */
	*out_char = check_char(first17);
	return 0;
}

/*
 * Decode the UTF-8 sequence at p (strictly: no overlong forms, surrogates or values past U+10FFFF)
 * into *cp. Returns its length in bytes, or 0 if p does not start a valid sequence.
 */
static size_t utf8_decode(const unsigned char *p, uint32_t *cp)
{
	size_t n;
	uint32_t v, min;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2, v = p[0] & 0x1fu, min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3, v = p[0] & 0x0fu, min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4, v = p[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at a NUL */
		v = v << 6 | (p[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/*
 * The reason for the first non-ASCII byte, at byte offset i. Every byte before it is ASCII, so it
 * is character i + 1.
 */
static void explain_non_ascii(const char *code, size_t i, char *why, size_t why_size)
{
	const unsigned char *p = (const unsigned char *)code + i;
	uint32_t cp = 0;
	size_t n = utf8_decode(p, &cp);
	if (n == 0)
		snprintf(why, why_size, _("byte 0x%02X at position %zu is not valid UTF-8"), p[0], i + 1);
	else if (cp >= 0xff01 && cp <= 0xff5e) /* full-width forms of '!'..'~' */
		snprintf(why, why_size,
			 _("character '%.*s' (U+%04X) at position %zu is full-width; use the ASCII '%c'"),
			 (int)n, (const char *)p, (unsigned)cp, i + 1, (char)(cp - 0xfee0));
	else if (cp == 0x3000)
		snprintf(why, why_size, _("a full-width space (U+3000) at position %zu is not allowed"),
			 i + 1);
	else
		snprintf(why, why_size,
			 _("character '%.*s' (U+%04X) at position %zu is not allowed (only ASCII 0-9 and "
			 "A-Z)"),
			 (int)n, (const char *)p, (unsigned)cp, i + 1);
}

/* The reason an 18-character ASCII code does not match the pattern: its first wrong position. */
static void explain_shape(const char *code, char *why, size_t why_size)
{
	for (size_t i = 0; i < DL__CREDIT_CODE_LEN; i++) {
		char c = code[i];
		if (position_allows(i, c))
			continue;
		size_t pos = i + 1;
		char upper = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		if (upper != c && position_allows(i, upper))
			snprintf(why, why_size,
				 _("character '%c' at position %zu is lowercase; use capital '%c'"), c, pos,
				 upper);
		else if (strchr("IOSVZ", upper))
			snprintf(why, why_size,
				 _("character '%c' at position %zu is not allowed (GB 32100-2015 excludes I, "
				 "O, S, V, Z)"),
				 c, pos);
		else if (c < 0x20 || c == 0x7f)
			snprintf(why, why_size, _("control character 0x%02X at position %zu is not allowed"),
				 (unsigned)c, pos);
		else if (i == 0)
			snprintf(why, why_size,
				 _("character '%c' at position 1 is not a registration authority code (1-9, "
				 "A-H, N, Y)"),
				 c);
		else if (i <= 7)
			snprintf(why, why_size,
				 _("character '%c' at position %zu must be a digit (positions 3-8 are the "
				 "administrative division code)"),
				 c, pos);
		else
			snprintf(why, why_size,
				 _("character '%c' at position %zu is not allowed (only 0-9 and A-Z except I, "
				 "O, S, V, Z)"),
				 c, pos);
		return;
	}
	/* Unreachable while pattern and position_allows() agree. */
	snprintf(why, why_size, "%s", _("does not have the shape GB 32100-2015 requires"));
}

int dl__credit_code_check(const char *code, char *why, size_t why_size)
{
	pcre2_match_data *md = NULL;
	int rc;

	assert(code != NULL);
	if (why_size == 0)
		why = NULL; /* snprintf(NULL, 0, ...) writes nothing */
	size_t len = strlen(code);
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)code[i] >= 0x80) {
			explain_non_ascii(code, i, why, why_size);
			rc = DL_EINVALID;
			goto done;
		}
	}
	if (len != DL__CREDIT_CODE_LEN) {
		bool padded = len > 0 && (code[0] == ' ' || code[0] == '\t' || code[len - 1] == ' ' ||
					  code[len - 1] == '\t' || code[len - 1] == '\n' ||
					  code[len - 1] == '\r');
		snprintf(why, why_size,
			 padded ? _("must be %d characters, got %zu (remove the white space around it)")
				: _("must be %d characters, got %zu"),
			 DL__CREDIT_CODE_LEN, len);
		rc = DL_EINVALID;
		goto done;
	}

	pthread_mutex_lock(&lock);
	rc = compile_shape(why, why_size);
	pcre2_code *re = shape;
	pcre2_match_context *mc = limits;
	pthread_mutex_unlock(&lock);
	if (rc < 0)
		goto done;

	md = pcre2_match_data_create_from_pattern(re, NULL); /* NULL: allocate as re does */
	if (!md) {
		rc = DL_ENOMEM;
		snprintf(why, why_size, "%s", _("out of memory"));
		goto done;
	}
	/* Checked above to be ASCII, hence valid UTF-8. */
	int m = pcre2_match(re, (PCRE2_SPTR)code, len, 0, PCRE2_NO_UTF_CHECK, md, mc);
	if (m == PCRE2_ERROR_NOMATCH) {
		explain_shape(code, why, why_size);
		rc = DL_EINVALID;
		goto done;
	}
	if (m < 0) {
		PCRE2_UCHAR msg[120];
		if (pcre2_get_error_message(m, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		if (m == PCRE2_ERROR_NOMEMORY) {
			rc = DL_ENOMEM;
			snprintf(why, why_size, "%s", _("out of memory"));
		} else if (m == PCRE2_ERROR_MATCHLIMIT || m == PCRE2_ERROR_DEPTHLIMIT ||
			   m == PCRE2_ERROR_HEAPLIMIT) {
			rc = DL_ELIMIT;
			snprintf(why, why_size, _("PCRE2 limit reached: %s"), (const char *)msg);
		} else {
			rc = DL_EINVALID;
			snprintf(why, why_size, _("internal error: PCRE2 match failed: %s"),
				 (const char *)msg);
		}
		goto done;
	}

	char expected = check_char(code);
	if (code[DL__CREDIT_CODE_LEN - 1] != expected) {
		snprintf(why, why_size, _("check digit is '%c', expected '%c'"),
			 code[DL__CREDIT_CODE_LEN - 1], expected);
		rc = DL_EINVALID;
		goto done;
	}
	rc = 0;

done:
	pcre2_match_data_free(md);
	return rc;
}
