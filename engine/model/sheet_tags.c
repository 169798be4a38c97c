/*
 * sheet_tags.c: the titles (称号) digilevel knows, read once from questionnaires/tags.xml (embedded
 * in the library at build time and validated by tags.xsd like any input), and the check of a sheet's
 * <tag> against them.
 *
 * The cohort dashboard counts a tag only when it is a title exactly, so a tag that is not one would
 * count for nothing without a word; each gets a warning, which names the title meant when the tag is
 * a near miss: a <near> name of the file, the title written with other quotes, brackets or spaces,
 * or the title with something added ("高新技术企业（国家级）"). The list is kept in fixed static
 * tables, filled once under a lock: nothing is allocated that outlives the first call, so the
 * caller's allocator (dl_set_allocator) owns nothing of it. When the list cannot be read (out of
 * memory), tags are not checked and the next call tries again.
 */
#include "alloc.h"
#include "i18n.h"
#include "schemas.h"
#include "sheet_model.h"
#include "sheet_tags.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MAX_TITLES 64   /* tags.xsd: at most 64 <title> */
#define MAX_NEAR 512    /* at most 8 <near> each */
#define NAME_SIZE 192   /* tags.xsd: 60 characters, at most 3 bytes each in UTF-8, and the NUL */

typedef struct known {
	char name[NAME_SIZE];
	char norm[NAME_SIZE]; /* normalised (see normalise) */
} known;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded; /* 1 when the tables below are filled */
static known titles[MAX_TITLES];
static size_t title_count;
static struct {
	char name[NAME_SIZE];
	size_t title;
} nears[MAX_NEAR];
static size_t near_count;

/*
 * text without spaces (ASCII and U+3000), with every kind of quotation mark as '"' and full-width
 * parentheses as ASCII ones, into out (size bytes, cut to fit).
 */
static void normalise(const char *text, char *out, size_t size)
{
	static const char *const quotes[] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98",
					     "\xE2\x80\x99", "\xE3\x80\x8C", "\xE3\x80\x8D",
					     "\xE3\x80\x8E", "\xE3\x80\x8F", "\xEF\xBC\x82", "'"};
	size_t n = 0;
	for (const char *p = text; *p && n + 1 < size;) {
		char c = 0;
		size_t skip = 1;
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		if (strncmp(p, "\xE3\x80\x80", 3) == 0) { /* ideographic space */
			p += 3;
			continue;
		}
		for (size_t i = 0; i < sizeof(quotes) / sizeof(quotes[0]) && !c; i++)
			if (strncmp(p, quotes[i], strlen(quotes[i])) == 0) {
				c = '"';
				skip = strlen(quotes[i]);
			}
		if (!c && strncmp(p, "\xEF\xBC\x88", 3) == 0)
			c = '(', skip = 3;
		else if (!c && strncmp(p, "\xEF\xBC\x89", 3) == 0)
			c = ')', skip = 3;
		if (c) {
			out[n++] = c;
			p += skip;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
}

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, NAME_SIZE, "%s", src);
}

/* Read the embedded list into the tables. Returns 0 or a negative code (the tables then empty). */
static int load_list(void)
{
	const dl__embedded_schema *src = &dl__embedded_schemas[DL__EMBEDDED_TAGS];
	dl__diag d;
	dl__xml x;
	dl__arena arena = {0};
	bool oom = false;
	int rc;
	char *data = dl__malloc(src->len + 1);
	if (!data)
		return DL_ENOMEM;
	memcpy(data, src->data, src->len);
	data[src->len] = '\0';
	dl__diag_init(&d, NULL, NULL, src->name);
	if ((rc = dl__xml_load(&x, data, src->len, "known-tags", DL__SCHEMA_TAGS, 0, &d)) < 0)
		return rc;
	title_count = near_count = 0;
	xmlNodePtr root = xmlDocGetRootElement(x.doc);
	for (xmlNodePtr t = dl__xml_child(root, "title"); t && title_count < MAX_TITLES;
	     t = dl__xml_next(t, "title")) {
		char *name = dl__xml_attr(&arena, t, "name", &oom);
		if (!name)
			break;
		copy_name(titles[title_count].name, name);
		normalise(name, titles[title_count].norm, NAME_SIZE);
		for (xmlNodePtr n = dl__xml_child(t, "near"); n && near_count < MAX_NEAR;
		     n = dl__xml_next(n, "near")) {
			char *text = dl__xml_text(&arena, n, &oom);
			if (!text)
				break;
			copy_name(nears[near_count].name, text);
			nears[near_count++].title = title_count;
		}
		title_count++;
	}
	dl__xml_free(&x);
	dl__arena_free(&arena);
	if (oom) {
		title_count = near_count = 0;
		return DL_ENOMEM;
	}
	return 0;
}

/* Whether the list is loaded (loading it on the first call). */
static bool ready(void)
{
	pthread_mutex_lock(&lock);
	if (!loaded && load_list() == 0)
		loaded = 1;
	int ok = loaded;
	pthread_mutex_unlock(&lock);
	return ok;
}

bool dl_tag_known(const char *tag)
{
	if (!tag || !ready())
		return false;
	for (size_t i = 0; i < title_count; i++)
		if (strcmp(tag, titles[i].name) == 0)
			return true;
	return false;
}

const char *dl_tag_meant(const char *tag)
{
	char norm[NAME_SIZE * 2];
	if (!tag || !ready() || dl_tag_known(tag))
		return NULL;
	for (size_t i = 0; i < near_count; i++)
		if (strcmp(tag, nears[i].name) == 0)
			return titles[nears[i].title].name;
	normalise(tag, norm, sizeof(norm));
	for (size_t i = 0; i < title_count; i++)
		if (strcmp(norm, titles[i].norm) == 0)
			return titles[i].name;
	/* the title with something added: the longest title the tag holds */
	const char *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < title_count; i++) {
		size_t len = strlen(titles[i].norm);
		if (len > best_len && strstr(norm, titles[i].norm)) {
			best = titles[i].name;
			best_len = len;
		}
	}
	return best;
}

size_t dl_tag_known_count(void)
{
	return ready() ? title_count : 0;
}

const char *dl_tag_known_name(size_t i)
{
	return ready() && i < title_count ? titles[i].name : "";
}

void dl__tag_check(const dl__diag *d, const xmlNode *where, const char *tag)
{
	if (!tag || !tag[0] || strchr(tag, DL__TAG_SEPARATOR) || !d->opts || !d->opts->diag ||
	    !ready() || dl_tag_known(tag))
		return;
	dl__diag w = *d; /* a warning: counted in no one's problems, stored in no one's error */
	w.err = NULL;
	const char *meant = dl_tag_meant(tag);
	char message[DL_ERROR_MESSAGE_MAX];
	if (meant)
		snprintf(message, sizeof(message),
			 _("tag '%s' is not a title the cohort dashboard counts: write the title exactly, "
			   "'%s'"),
			 tag, meant);
	else
		snprintf(message, sizeof(message),
			 _("tag '%s' is not a title digilevel knows, so the cohort dashboard counts it for "
			   "nothing: write official titles exactly, such as 专精特新中小企业 or 高新技术企业"),
			 tag);
	dl__diag_report(&w, DL_OK, dl__xml_line(where), dl__xml_column(where), _("warning: %s"),
			message);
}
