/*
 * fuzz_common.h: what the fuzz targets share: a discarding output sink that still checks what it
 * is given, and a diagnostic callback that checks every diagnostic.
 *
 * A target reports a broken invariant by aborting, which libFuzzer and the replay driver (replay.c)
 * both treat as a crash. The invariants: every diagnostic and every byte of output is valid UTF-8
 * (a message or report cut in the middle of a character, or raw input bytes copied into one, would
 * break a terminal or a JSON reader), and a diagnostic's formatted form fits the buffers the CLI uses.
 * Included by exactly one .c file per target, so the functions are static inline.
 */
#ifndef DL_FUZZ_COMMON_H
#define DL_FUZZ_COMMON_H

#include <digilevel.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Streaming UTF-8 check: state carried across chunks. */
typedef struct fuzz_utf8 {
	unsigned pending; /* continuation bytes still expected */
	unsigned long long bytes;
} fuzz_utf8;

static inline void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz invariant broken: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* Returns 0 when data continues valid UTF-8 (loosely: lead and continuation bytes agree). */
static inline int fuzz_utf8_feed(fuzz_utf8 *u, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		u->bytes++;
		if (u->pending) {
			if ((c & 0xC0) != 0x80)
				return -1;
			u->pending--;
			continue;
		}
		if (c < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF)
			u->pending = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			u->pending = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			u->pending = 3;
		else
			return -1;
	}
	return 0;
}

static inline int fuzz_sink(void *userdata, const char *data, size_t len)
{
	fuzz_utf8 *u = userdata;
	if (fuzz_utf8_feed(u, data, len) != 0)
		fuzz_fail("output is not valid UTF-8", NULL);
	return 0;
}

/*
 * After a writer returned rc into the sink u: a sink that never fails leaves only 0 or DL_ENOMEM,
 * and complete output ends on a character boundary.
 */
static inline void fuzz_output_done(const char *what, int rc, const fuzz_utf8 *u)
{
	if (rc != 0 && rc != DL_ENOMEM)
		fuzz_fail(what, "writer failed although the sink did not");
	if (rc == 0 && u->pending)
		fuzz_fail(what, "output ends in the middle of a UTF-8 character");
}

static inline void fuzz_check_text(const char *what, const char *s)
{
	fuzz_utf8 u = {0, 0};
	if (fuzz_utf8_feed(&u, s, strlen(s)) != 0 || u.pending)
		fuzz_fail(what, s);
}

static inline void fuzz_diag(const dl_error *e, void *userdata)
{
	(void)userdata;
	char line[DL_ERROR_FORMAT_MAX];
	/* a problem has a negative code; a warning or a hint (a tag that is no title) has DL_OK */
	if (e->code > 0 || (e->code == DL_OK && strncmp(e->message, "warning: ", 9) != 0 &&
			    strncmp(e->message, "hint: ", 6) != 0))
		fuzz_fail("diagnostic with a non-negative code", e->message);
	if (!memchr(e->message, '\0', sizeof(e->message)) || !memchr(e->file, '\0', sizeof(e->file)))
		fuzz_fail("diagnostic not NUL-terminated", NULL);
	fuzz_check_text("diagnostic is not valid UTF-8", e->message);
	size_t n = dl_error_format(e, line, sizeof(line));
	if (n >= sizeof(line))
		fuzz_fail("formatted diagnostic does not fit", line);
}

/*
 * As fuzz_diag, but a comparison may also pass warnings (dl_compare: code DL_OK and a message that
 * starts "warning: "); they must be well formed too.
 */
static inline void fuzz_diag_or_warning(const dl_error *e, void *userdata)
{
	if (e->code != DL_OK) {
		fuzz_diag(e, userdata);
		return;
	}
	char line[DL_ERROR_FORMAT_MAX];
	if (!memchr(e->message, '\0', sizeof(e->message)) || !memchr(e->file, '\0', sizeof(e->file)))
		fuzz_fail("warning not NUL-terminated", NULL);
	if (strncmp(e->message, "warning: ", 9) != 0)
		fuzz_fail("a diagnostic with code 0 is not a warning", e->message);
	fuzz_check_text("warning is not valid UTF-8", e->message);
	if (dl_error_format(e, line, sizeof(line)) >= sizeof(line))
		fuzz_fail("formatted warning does not fit", line);
}

/*
 * The 2024 questionnaire, read once per process from questionnaires/miit-2024.xml (run from the top
 * of the tree, as `make check` does) or from $DL_FUZZ_QUESTIONNAIRE; NULL when it cannot be read, and
 * then a target fuzzes only loading and reading. Never freed: it lives as long as the fuzzer.
 */
static inline const dl_questionnaire *fuzz_questionnaire(void)
{
	static dl_questionnaire *questionnaire;
	static int tried;
	if (!tried) {
		const char *path = getenv("DL_FUZZ_QUESTIONNAIRE");
		tried = 1;
		if (dl_questionnaire_load(&questionnaire, path ? path : "questionnaires/miit-2024.xml", NULL,
					  NULL) != 0)
			questionnaire = NULL;
	}
	return questionnaire;
}

#endif
