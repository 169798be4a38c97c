/*
 * mo_file.c: the Chinese message catalogue read by the library itself.
 *
 * The program (cli/language.c) sets gettext up: LC_MESSAGES C.UTF-8, LANGUAGE zh_CN, the catalogue
 * bound. A program that uses the library and does none of this would otherwise get the English
 * msgids, in its messages and, worse, in the Chinese documents the library writes (a 验收意见 whose
 * reasons are English). So when gettext gives no translation, the library looks the msgid up in the
 * compiled catalogue itself: the GNU .mo file, found in the first of
 *
 *   - the folder bound to the text domain (bindtextdomain), when it holds the catalogue;
 *   - $DIGILEVEL_LOCALEDIR;
 *   - beside the object the library is in (dladdr: the program it is linked into, or
 *     libdigilevel.so): DIR/locale (a build tree: build/digilevel, build/libdigilevel.so),
 *     DIR/../locale (a test program in build/tests/) and DIR/../share/locale (an installation:
 *     PREFIX/bin/digilevel, PREFIX/lib/libdigilevel.so).
 *
 * It is read once, checked (every offset within the file), and kept for the life of the process.
 * The msgids of a .mo file are sorted (msgfmt writes them so), so a lookup is a binary search. The
 * catalogue is UTF-8 (po/zh_CN.po says so), as every text of the library is.
 */
#define _GNU_SOURCE 1 /* dladdr */
#include "mo_file.h"

#include "alloc.h"

#include <dlfcn.h>
#include <libintl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digilevel/common.h" /* DL_TEXT_DOMAIN */

#define MO_FILE "zh_CN/LC_MESSAGES/" DL_TEXT_DOMAIN ".mo"
#define MO_MAGIC 0x950412deu
#define MO_MAX_SIZE ((long)64 * 1024 * 1024)

typedef struct mo {
	const unsigned char *data;
	size_t size;
	bool swap;       /* written on a machine of the other byte order */
	uint32_t count;  /* strings */
	uint32_t originals, translations; /* offsets of the two tables */
} mo;

static mo catalogue;
static pthread_once_t catalogue_once = PTHREAD_ONCE_INIT;

static uint32_t word_at(const mo *m, size_t offset)
{
	uint32_t w;
	memcpy(&w, m->data + offset, 4);
	if (m->swap)
		w = (w >> 24) | ((w >> 8) & 0xff00u) | ((w << 8) & 0xff0000u) | (w << 24);
	return w;
}

/* The i-th string of the table at offset, or NULL when the file says something impossible. */
static const char *string_at(const mo *m, uint32_t table, uint32_t i)
{
	size_t entry = (size_t)table + (size_t)i * 8;
	if (entry + 8 > m->size)
		return NULL;
	uint32_t len = word_at(m, entry), at = word_at(m, entry + 4);
	if ((size_t)at + len >= m->size || m->data[(size_t)at + len] != '\0')
		return NULL;
	return (const char *)m->data + at;
}

/* Read the catalogue at path into m; false when it is absent, unreadable or not a .mo file. */
static bool load(mo *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	unsigned char *data = NULL;
	long size = -1;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 28 && size <= MO_MAX_SIZE &&
	    fseek(f, 0, SEEK_SET) == 0 && (data = dl__malloc((size_t)size)) &&
	    fread(data, 1, (size_t)size, f) == (size_t)size) {
		mo t = {data, (size_t)size, false, 0, 0, 0};
		uint32_t magic;
		memcpy(&magic, data, 4);
		t.swap = magic != MO_MAGIC;
		if (word_at(&t, 0) == MO_MAGIC && word_at(&t, 4) >> 16 == 0) { /* major revision 0 */
			t.count = word_at(&t, 8);
			t.originals = word_at(&t, 12);
			t.translations = word_at(&t, 16);
			if ((uint64_t)t.originals + (uint64_t)t.count * 8 <= t.size &&
			    (uint64_t)t.translations + (uint64_t)t.count * 8 <= t.size) {
				fclose(f);
				*m = t;
				return true;
			}
		}
	}
	dl__free(data);
	fclose(f);
	return false;
}

static bool load_from(mo *m, const char *dir)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, MO_FILE);
	return dir[0] && n > 0 && (size_t)n < sizeof(path) && load(m, path);
}

static void find_catalogue(void)
{
	const char *bound = bindtextdomain(DL_TEXT_DOMAIN, NULL); /* the default unless bound */
	if (bound && load_from(&catalogue, bound))
		return;
	const char *env = getenv("DIGILEVEL_LOCALEDIR");
	if (env && load_from(&catalogue, env))
		return;
	Dl_info info;
	if (!dladdr(&catalogue, &info) || !info.dli_fname) /* the object this file is linked into */
		return;
	char dir[4096];
	const char *slash = strrchr(info.dli_fname, '/');
	if (!slash || (size_t)(slash - info.dli_fname) >= sizeof(dir) - 32)
		return;
	static const char *const beside[] = {"locale", "../locale", "../share/locale"};
	for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
		snprintf(dir, sizeof(dir), "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname,
			 beside[i]);
		if (load_from(&catalogue, dir))
			return;
	}
}

const char *dl__catalogue_zh(const char *msgid)
{
	pthread_once(&catalogue_once, find_catalogue);
	const mo *m = &catalogue;
	uint32_t lo = 0, hi = m->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *original = string_at(m, m->originals, mid);
		if (!original)
			return msgid;
		int c = strcmp(msgid, original);
		if (c == 0) {
			const char *translation = string_at(m, m->translations, mid);
			return translation && translation[0] ? translation : msgid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}
