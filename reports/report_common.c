/*
 * report_common.c: the document builder and the blocks both reports share (see report_common.h).
 *
 * Both documents are long sequences of formatted blocks; writing each as `if ((rc = ...) < 0) goto
 * done;` would bury what the document says under error plumbing. So the builder keeps the first
 * failure (like the text back end's buffer) and every later call does nothing; the document's
 * function checks once, when it renders. All memory goes through the library's allocation wrapper
 * (dl__malloc), so the allocation-failure test covers the reports too.
 */
#include "report_common.h"
#include "i18n.h"

#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings ---- */

/* The code point at p (UTF-8, well formed) and its length in *n. */
static unsigned long dl__cp_at(const unsigned char *p, size_t left, size_t *n)
{
	if (p[0] < 0x80 || left < 2) {
		*n = 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		*n = 2;
		return ((unsigned long)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if ((p[0] & 0xF0) == 0xE0 && left >= 3) {
		*n = 3;
		return ((unsigned long)(p[0] & 0x0F) << 12) | ((unsigned long)(p[1] & 0x3F) << 6) |
		       (p[2] & 0x3F);
	}
	*n = left >= 4 ? 4 : left;
	return 0x10000;
}

/* Whether cp is a Han character or full-width Chinese punctuation. */
static int dl__cp_chinese(unsigned long cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF && cp != 0xFF5E);
}

/*
 * Makes an engine text read as Chinese print (issue 11, section 6), in place or reallocated:
 * - the check marks of the engine's texts (✓ ✔ U+2713/2714, ✗ ✘ U+2717/2718), which neither supported
 *   font has and which read as signs mid-sentence: "✗ 达到二级的场景 5 个" becomes "未满足：达到二级
 *   的场景 5 个", "✓ " is dropped (the condition stands as met);
 * - a half-width colon after Chinese becomes "：" ("二级条件: 得分" → "二级条件：得分");
 * - a date written 2025-04-15 becomes 2025年4月15日 (not inside an identifier such as HSB-2025-...);
 * - a space between two Chinese characters is dropped ("改造后等级 一级" → "改造后等级一级"); spaces
 *   around numbers and Latin words stay ("5 个").
 * Returns 0 or DL_ENOMEM.
 */
static int dl__textbuf_glyphs(dl__textbuf *s)
{
	static const char unmet[] = "未满足：";
	const unsigned char *u = (const unsigned char *)s->p;
	unsigned long prev = 0, cp, next;
	size_t i, n, m, o = 0, cap;
	char *out;

	if (s->p == NULL)
		return 0;
	cap = s->len + 1;
	for (i = 0; i + 2 < s->len; i++) {
		if (u[i] == 0xE2 && u[i + 1] == 0x9C)
			cap += sizeof(unmet);
		if (u[i] == '-')
			cap += 4; /* a date "2025-04-15" (two '-') becomes "2025年4月15日" (up to 8 more bytes) */
	}
	for (i = 0; i < s->len; i++)
		if (u[i] == ':')
			cap += 2; /* a ':' after Chinese becomes "：" (3 bytes for 1) */
	out = dl__malloc(cap);
	if (out == NULL)
		return DL_ENOMEM;
	for (i = 0; i < s->len; i += n) {
		cp = dl__cp_at(u + i, s->len - i, &n);
		if (cp == 0x2713 || cp == 0x2714 || cp == 0x2717 || cp == 0x2718) {
			if (i + n < s->len && u[i + n] == ' ')
				n++;
			if (cp >= 0x2717) {
				memcpy(out + o, unmet, sizeof(unmet) - 1);
				o += sizeof(unmet) - 1;
			}
			prev = 0xFF1A;
			continue;
		}
		if (cp >= '0' && cp <= '9' && (i == 0 || u[i - 1] < '0' || u[i - 1] > '9') &&
		    i + 10 <= s->len && u[i + 4] == '-' && u[i + 7] == '-' &&
		    (i + 10 == s->len || u[i + 10] < '0' || u[i + 10] > '9') &&
		    (i == 0 || (u[i - 1] != '-' && !(u[i - 1] >= 'A' && u[i - 1] <= 'Z')))) {
			/* a date written 2025-04-15 by the engine, printed as every date: 2025年4月15日 */
			char iso[11], cn[48];
			size_t k, len;
			int digits = 1;
			memcpy(iso, s->p + i, 10);
			iso[10] = '\0';
			for (k = 0; k < 10; k++)
				digits &= k == 4 || k == 7 || (iso[k] >= '0' && iso[k] <= '9');
			dl__rp_date(iso, cn, sizeof(cn));
			len = strlen(cn);
			if (digits && strcmp(cn, iso) != 0 && o + len <= cap - 1 - (s->len - i - 10)) {
				memcpy(out + o, cn, len);
				o += len;
				n = 10;
				prev = 0x65E5; /* 日 */
				continue;
			}
		}
		next = i + n < s->len ? dl__cp_at(u + i + n, s->len - i - n, &m) : 0;
		if (cp == ':' && dl__cp_chinese(prev)) {
			memcpy(out + o, "\xEF\xBC\x9A", 3); /* ： */
			o += 3;
			if (next == ' ')
				n++;
			prev = 0xFF1A;
			continue;
		}
		if (cp == ' ' && dl__cp_chinese(prev) && dl__cp_chinese(next) && prev != 0x3000 &&
		    next != 0x3000)
			continue;
		memcpy(out + o, s->p + i, n);
		o += n;
		prev = cp;
	}
	out[o] = '\0';
	dl__free(s->p);
	s->p = out;
	s->len = o;
	s->cap = cap;
	return 0;
}

/*
 * Sets s to the formatted text, with check marks made printable (dl__textbuf_glyphs). Returns 0,
 * DL_ENOMEM or DL_EINVALID (encoding error).
 */
static int dl__textbuf_vset(dl__textbuf *s, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(s->p, s->cap, fmt, cp);
	va_end(cp);
	if (n < 0)
		return DL_EINVALID;
	if ((size_t)n >= s->cap) {
		size_t cap = ((size_t)n + 64u) & ~(size_t)63u;
		char *p = dl__realloc(s->p, cap);
		if (p == NULL)
			return DL_ENOMEM;
		s->p = p;
		s->cap = cap;
		n = vsnprintf(s->p, s->cap, fmt, ap);
		if (n < 0)
			return DL_EINVALID;
	}
	s->len = (size_t)n;
	return dl__textbuf_glyphs(s);
}

/* Sets s to the formatted text (see dl__textbuf_vset). */
static int dl__textbuf_set(dl__textbuf *s, const char *fmt, ...) DL__PRINTF(2, 3);
static int dl__textbuf_set(dl__textbuf *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dl__textbuf_vset(s, fmt, ap);
	va_end(ap);
	return rc;
}

int dl__textbuf_add(dl__textbuf *s, const char *text)
{
	size_t n = strlen(text);

	if (s->cap - s->len <= n || s->p == NULL) {
		size_t cap = (s->len + n + 64u) & ~(size_t)63u;
		char *p = dl__realloc(s->p, cap);
		if (p == NULL)
			return DL_ENOMEM;
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->len, text, n + 1);
	s->len += n;
	return 0;
}

int dl__textbuf_addf(dl__textbuf *s, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		va_end(ap);
		return DL_EINVALID;
	}
	if (s->p == NULL || s->cap - s->len <= (size_t)n) {
		size_t cap = (s->len + (size_t)n + 64u) & ~(size_t)63u;
		char *p = dl__realloc(s->p, cap);
		if (p == NULL) {
			va_end(ap);
			return DL_ENOMEM;
		}
		s->p = p;
		s->cap = cap;
	}
	vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
	return 0;
}

const char *dl__textbuf_get(const dl__textbuf *s)
{
	return s->p != NULL ? s->p : "";
}

void dl__textbuf_clear(dl__textbuf *s)
{
	s->len = 0;
	if (s->p != NULL)
		s->p[0] = '\0';
}

void dl__textbuf_free(dl__textbuf *s)
{
	dl__free(s->p);
	s->p = NULL;
	s->len = s->cap = 0;
}

/* Records a formatting failure (the first one wins). */
static void dl__rp_fmt_failed(dl__rp *rp, int rc)
{
	if (rc == DL_ENOMEM)
		rp->rc = dl__error_nomem(&rp->err, _("formatting a report text"));
	else
		rp->rc = dl__error_message(&rp->err, DL_EINVALID,
					_("a report text could not be formatted"));
}

void dl__rp_check(dl__rp *rp, int rc)
{
	if (rc < 0 && rp->rc >= 0)
		dl__rp_fmt_failed(rp, rc);
}

/* Formats into rp->text; returns its text, or NULL after a failure. */
static const char *dl__rp_vtext(dl__rp *rp, const char *fmt, va_list ap)
{
	int rc;

	if (rp->rc < 0)
		return NULL;
	if ((rc = dl__textbuf_vset(&rp->text, fmt, ap)) < 0) {
		dl__rp_fmt_failed(rp, rc);
		return NULL;
	}
	return dl__textbuf_get(&rp->text);
}

/* ---- builder ---- */

int dl__rp_init(dl__rp *rp)
{
	memset(rp, 0, sizeof(*rp));
	rp->rc = dl__doc_new(&rp->doc, &rp->err);
	return rp->rc;
}

void dl__rp_free(dl__rp *rp)
{
	size_t i;

	dl__doc_free(rp->doc);
	rp->doc = NULL;
	dl__textbuf_free(&rp->text);
	for (i = 0; i < DL__RP_CELLS; i++)
		dl__textbuf_free(&rp->cell[i]);
	for (i = 0; i < rp->cap_pairs; i++) {
		dl__textbuf_free(&rp->key[i]);
		dl__textbuf_free(&rp->value[i]);
	}
	dl__free(rp->key);
	dl__free(rp->value);
	rp->key = rp->value = NULL;
	rp->npairs = rp->cap_pairs = 0;
}

void dl__rp_header(dl__rp *rp, const char *fmt, ...)
{
	va_list ap;
	const char *t;

	va_start(ap, fmt);
	t = dl__rp_vtext(rp, fmt, ap);
	va_end(ap);
	if (t != NULL)
		rp->rc = dl__doc_set_header(rp->doc, t, &rp->err);
}

void dl__rp_footer(dl__rp *rp, const char *fmt, ...)
{
	va_list ap;
	const char *t;

	va_start(ap, fmt);
	t = dl__rp_vtext(rp, fmt, ap);
	va_end(ap);
	if (t != NULL)
		rp->rc = dl__doc_set_footer_note(rp->doc, t, &rp->err);
}

void dl__rp_heading(dl__rp *rp, int level, const char *fmt, ...)
{
	va_list ap;
	const char *t;

	va_start(ap, fmt);
	t = dl__rp_vtext(rp, fmt, ap);
	va_end(ap);
	if (t != NULL)
		rp->rc = dl__doc_add_heading(rp->doc, level, t, &rp->err);
}

void dl__rp_para(dl__rp *rp, unsigned flags, const char *fmt, ...)
{
	va_list ap;
	const char *t;

	va_start(ap, fmt);
	t = dl__rp_vtext(rp, fmt, ap);
	va_end(ap);
	if (t != NULL)
		rp->rc = dl__doc_add_paragraph(rp->doc, t, flags, &rp->err);
}

void dl__rp_space(dl__rp *rp, double points)
{
	if (rp->rc >= 0)
		rp->rc = dl__doc_add_space(rp->doc, points, &rp->err);
}

void dl__rp_page_break(dl__rp *rp)
{
	if (rp->rc >= 0)
		rp->rc = dl__doc_add_page_break(rp->doc, &rp->err);
}

void dl__rp_table(dl__rp *rp, const dl__column *cols, size_t ncols)
{
	if (rp->rc >= 0)
		rp->rc = dl__doc_add_table(rp->doc, cols, ncols, 0, &rp->err);
}

void dl__rp_cell(dl__rp *rp, size_t i, const char *fmt, ...)
{
	va_list ap;
	int rc;

	assert(i < DL__RP_CELLS);
	if (rp->rc < 0)
		return;
	va_start(ap, fmt);
	rc = dl__textbuf_vset(&rp->cell[i], fmt, ap);
	va_end(ap);
	if (rc < 0)
		dl__rp_fmt_failed(rp, rc);
}

void dl__rp_row(dl__rp *rp, size_t ncols)
{
	const char *cells[DL__RP_CELLS];
	size_t i;

	assert(ncols <= DL__RP_CELLS);
	for (i = 0; i < ncols; i++)
		cells[i] = dl__textbuf_get(&rp->cell[i]);
	if (rp->rc >= 0)
		rp->rc = dl__doc_add_row(rp->doc, cells, &rp->err);
	for (i = 0; i < DL__RP_CELLS; i++)
		dl__textbuf_clear(&rp->cell[i]);
}

/* Makes room for one more pending pair. Returns 0 or DL_ENOMEM. */
static int dl__rp_pairs_grow(dl__rp *rp)
{
	size_t cap = rp->cap_pairs ? rp->cap_pairs * 2 : 16, i;
	dl__textbuf *keys, *values;

	if (rp->npairs < rp->cap_pairs)
		return 0;
	keys = dl__realloc(rp->key, cap * sizeof(*keys));
	if (keys == NULL)
		return DL_ENOMEM;
	rp->key = keys;
	values = dl__realloc(rp->value, cap * sizeof(*values));
	if (values == NULL)
		return DL_ENOMEM;
	rp->value = values;
	for (i = rp->cap_pairs; i < cap; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		memset(&values[i], 0, sizeof(values[i]));
	}
	rp->cap_pairs = cap;
	return 0;
}

void dl__rp_pair(dl__rp *rp, const char *key, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (rp->rc < 0)
		return;
	if ((rc = dl__rp_pairs_grow(rp)) < 0) {
		dl__rp_fmt_failed(rp, rc);
		return;
	}
	va_start(ap, fmt);
	rc = dl__textbuf_vset(&rp->value[rp->npairs], fmt, ap);
	va_end(ap);
	if (rc >= 0)
		rc = dl__textbuf_set(&rp->key[rp->npairs], "%s", key);
	if (rc < 0) {
		dl__rp_fmt_failed(rp, rc);
		return;
	}
	rp->npairs++;
}

/* The pending pairs as layout key-value pairs (dl__malloc; NULL when there are none or on
 * failure). */
static dl__kv *dl__rp_take_pairs(dl__rp *rp, size_t *n)
{
	dl__kv *pairs = NULL;
	size_t i;

	*n = rp->npairs;
	rp->npairs = 0;
	if (*n == 0 || rp->rc < 0)
		return NULL;
	pairs = dl__malloc(*n * sizeof(*pairs));
	if (pairs == NULL) {
		rp->rc = dl__error_nomem(&rp->err, _("collecting key-value lines"));
		return NULL;
	}
	for (i = 0; i < *n; i++) {
		pairs[i].key = dl__textbuf_get(&rp->key[i]);
		pairs[i].value = dl__textbuf_get(&rp->value[i]);
	}
	return pairs;
}

void dl__rp_key_values(dl__rp *rp, unsigned flags)
{
	size_t n;
	dl__kv *pairs = dl__rp_take_pairs(rp, &n);

	if (pairs != NULL)
		rp->rc = dl__doc_add_key_values(rp->doc, pairs, n, flags, &rp->err);
	dl__free(pairs);
}

void dl__rp_cover(dl__rp *rp, const char *title, const char *subtitle, const char *date)
{
	dl__cover cover;
	size_t n;
	dl__kv *pairs = dl__rp_take_pairs(rp, &n);

	if (rp->rc < 0) {
		dl__free(pairs);
		return;
	}
	cover.nlines = pairs != NULL ? n : 0;
	cover.lines = pairs;
	cover.title = title;
	cover.subtitle = subtitle;
	cover.date = date;
	rp->rc = dl__doc_add_cover(rp->doc, &cover, &rp->err);
	dl__free(pairs);
}

/* ---- errors, options, rendering ---- */

/* The builder's or the renderer's error, passed up unchanged (the same dl_error and codes). */
static int dl__rp_pass_error(dl_error *err, const dl_error *re)
{
	int code = re->code < 0 ? re->code : DL_EINVALID;

	return dl__error_message(err, code, "%s", re->message);
}

int dl__rp_options(const dl_report_options *opts, dl_report_options *use, dl_error *err)
{
	static const dl_report_options defaults = DL_REPORT_OPTIONS_INIT;

	if (opts == NULL) {
		*use = defaults;
		return 0;
	}
	if (opts->version != DL_REPORT_OPTIONS_VERSION && opts->version != 2)
		return dl__error_message(err, DL_EINVALID,
				   _("report options version %u is not supported (expected %d)"),
				   opts->version, DL_REPORT_OPTIONS_VERSION);
	if (opts->format != DL_REPORT_PDF && opts->format != DL_REPORT_TEXT)
		return dl__error_message(err, DL_EINVALID, _("unknown report format %d"), (int)opts->format);
	if (opts->target_level < -1)
		return dl__error_message(err, DL_EINVALID, _("target level %d is not a level"),
				   opts->target_level);
	if (opts->version == 2) { /* a caller built against version 2 has no fields after catalogue */
		*use = defaults;
		memcpy(use, opts, offsetof(dl_report_options, after_sha256));
		use->version = DL_REPORT_OPTIONS_VERSION;
		return 0;
	}
	if (opts->after_version < 0)
		return dl__error_message(err, DL_EINVALID, _("stored version %lld is not a version"),
				   (long long)opts->after_version);
	*use = *opts;
	return 0;
}

int dl__rp_render(dl__rp *rp, const dl_report_options *opts, const char *title, unsigned char **out,
		  size_t *len, dl_error *err)
{
	dl__pdf_options po;
	unsigned char *bytes = NULL;
	char *text = NULL;
	size_t n = 0;
	int rc;

	if (rp->rc < 0)
		return dl__rp_pass_error(err, &rp->err);
	if (opts->format == DL_REPORT_TEXT) {
		rc = dl__doc_render_text(rp->doc, &text, &n, &rp->err);
		bytes = (unsigned char *)text;
	} else {
		memset(&po, 0, sizeof(po));
		po.font_path = opts->font_path;
		po.title = title;
		rc = dl__doc_render_pdf(rp->doc, &po, &bytes, &n, &rp->err);
	}
	if (rc < 0)
		return dl__rp_pass_error(err, &rp->err);
	*out = bytes;
	*len = n;
	return 0;
}

void dl_report_free(unsigned char *data)
{
	dl__free(data);
}

/* ---- formatting for print ---- */

/* The number of the two or four digits at s, or -1. */
static long dl__rp_digits(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

char *dl__rp_date(const char *iso, char *buf, size_t size)
{
	long y = -1, m = -1, d = -1;

	if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-') {
		y = dl__rp_digits(iso, 4);
		m = dl__rp_digits(iso + 5, 2);
		d = dl__rp_digits(iso + 8, 2);
	}
	if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
		snprintf(buf, size, "%ld年%ld月%ld日", y, m, d);
	else
		snprintf(buf, size, "%s", iso);
	return buf;
}

char *dl__rp_points(dl_points v, char *buf, size_t size)
{
	return dl_points_format(v, buf, size);
}

char *dl__rp_change(dl_points v, char *buf, size_t size)
{
	char n[32];

	dl_points_format(v, n, sizeof(n));
	snprintf(buf, size, "%s%s", v > 0 ? "+" : "", n);
	return buf;
}

char *dl__rp_money(int64_t fen, char *buf, size_t size)
{
	char plain[40], grouped[64];
	const char *digits, *dot;
	size_t ndigits, at = 0, i;

	dl_money_format(fen, plain, sizeof(plain));
	digits = plain[0] == '-' ? plain + 1 : plain;
	dot = strchr(digits, '.');
	ndigits = dot != NULL ? (size_t)(dot - digits) : strlen(digits);
	if (digits != plain)
		grouped[at++] = '-';
	for (i = 0; i < ndigits && at + 8 < sizeof(grouped); i++) {
		if (i > 0 && (ndigits - i) % 3 == 0)
			grouped[at++] = ',';
		grouped[at++] = digits[i];
	}
	snprintf(grouped + at, sizeof(grouped) - at, "%s", dot != NULL ? dot : "");
	snprintf(buf, size, "%s", grouped);
	return buf;
}

char *dl__rp_rate(int64_t rate, char *buf, size_t size)
{
	char n[32];

	/* A rate is in 1/10000 percent: the same scale as points, so the same exact formatting. */
	dl_points_format((dl_points)rate, n, sizeof(n));
	snprintf(buf, size, "%s%%", n);
	return buf;
}

const char *dl__rp_level_name(const dl_questionnaire *q, int level, char *buf, size_t size)
{
	const char *name = dl_questionnaire_level_name(q, level);

	if (name[0] != '\0')
		return name;
	snprintf(buf, size, "%d 级", level);
	return buf;
}

int dl__rp_next_level(const dl_result *r)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int next = -1, level = dl_result_level(r);
	size_t gi;

	for (gi = 0; gi < dl_questionnaire_grade_count(q); gi++) {
		int l = dl_questionnaire_grade_level(q, gi);
		if (l > level && (next < 0 || l < next))
			next = l;
	}
	return next;
}

const char *dl__rp_or_dash(const char *text)
{
	return text != NULL && text[0] != '\0' ? text : "—";
}

/* ---- shared blocks ---- */

static int dl__rp_in_team(const dl_sheet *s, size_t i);

const char *dl__rp_indent(const dl_questionnaire *q, size_t n)
{
	switch (dl_questionnaire_node_kind(q, n)) {
	case DL_NODE_INDICATOR:
		return "\u3000";
	case DL_NODE_SUBINDICATOR:
		return "\u3000\u3000";
	case DL_NODE_QUESTION:
		return "\u3000\u3000\u3000";
	case DL_NODE_DIMENSION:
		break;
	}
	return "";
}

char *dl__rp_percent(dl_points part, dl_points whole, char *buf, size_t size)
{
	long long tenths;

	if (whole <= 0) {
		snprintf(buf, size, "—");
		return buf;
	}
	/* part / whole in tenths of a percent, rounded half up; exact integer arithmetic */
	tenths = (long long)((part * 2000 / whole + 1) / 2);
	snprintf(buf, size, "%lld.%lld%%", tenths / 10, tenths % 10);
	return buf;
}

int dl__rp_node_shown(const dl_questionnaire *q, size_t n)
{
	size_t parent = dl_questionnaire_node_parent(q, n);

	if (dl_questionnaire_node_kind(q, n) == DL_NODE_QUESTION || parent == DL_NONE)
		return 1;
	return strcmp(dl_questionnaire_node_title(q, n), dl_questionnaire_node_title(q, parent)) !=
	       0;
}

void dl__rp_enterprise_pair(dl__rp *rp, const dl_sheet *s, dl_enterprise_field field)
{
	static const char *const keys[] = {[DL_ENTERPRISE_NAME] = "企业名称：",
					   [DL_ENTERPRISE_CREDIT_CODE] = "统一社会信用代码：",
					   [DL_ENTERPRISE_REGION] = "所在地区：",
					   [DL_ENTERPRISE_ADDRESS] = "详细地址：",
					   [DL_ENTERPRISE_INDUSTRY] = "所属行业：",
					   [DL_ENTERPRISE_SCALE] = "企业规模：",
					   [DL_ENTERPRISE_MAIN_PRODUCTS] = "主要产品："};

	assert((size_t)field < sizeof(keys) / sizeof(keys[0]) && keys[field] != NULL);
	dl__rp_pair(rp, keys[field], "%s", dl__rp_or_dash(dl_sheet_enterprise(s, field)));
}

void dl__rp_enterprise_pairs(dl__rp *rp, const dl_sheet *s)
{
	static const dl_enterprise_field head[] = {
	    DL_ENTERPRISE_NAME,	   DL_ENTERPRISE_CREDIT_CODE, DL_ENTERPRISE_REGION,
	    DL_ENTERPRISE_ADDRESS, DL_ENTERPRISE_INDUSTRY,    DL_ENTERPRISE_SCALE};
	size_t i, ntags = dl_sheet_tag_count(s);
	dl__textbuf tags = {NULL, 0, 0};
	int rc = 0;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		dl__rp_enterprise_pair(rp, s, head[i]);
	if (dl_sheet_employees(s) >= 0)
		dl__rp_pair(rp, "从业人员：", "%ld 人", dl_sheet_employees(s));
	else
		dl__rp_pair(rp, "从业人员：", "—");
	dl__rp_enterprise_pair(rp, s, DL_ENTERPRISE_MAIN_PRODUCTS);
	for (i = 0; i < ntags && rc >= 0; i++) {
		if (i > 0)
			rc = dl__textbuf_add(&tags, "、");
		if (rc >= 0)
			rc = dl__textbuf_add(&tags, dl_sheet_tag(s, i));
	}
	if (rc < 0 && rp->rc >= 0)
		dl__rp_fmt_failed(rp, rc);
	dl__rp_pair(rp, "企业标签：", "%s", dl__rp_or_dash(dl__textbuf_get(&tags)));
	dl__textbuf_free(&tags);
}

/* Appends one row of the evidence table when the answer has a note or evidence. */
static size_t dl__rp_evidence_row(dl__rp *rp, const char *id, const char *title, const char *note,
				  size_t nev,
				  const char *(*get)(const dl_sheet *, const char *, size_t),
				  const dl_sheet *s, size_t rows)
{
	dl__textbuf list = {NULL, 0, 0};
	size_t i;
	int rc = 0;

	if (note[0] == '\0' && nev == 0)
		return 0;
	if (rows == 0) {
		static const dl__column cols[4] = {{"编号", 0.7, DL__ALIGN_LEFT},
						   {"评测项 / 场景", 2.4, DL__ALIGN_LEFT},
						   {"说明", 4.2, DL__ALIGN_LEFT},
						   {"佐证材料", 2.6, DL__ALIGN_LEFT}};
		dl__rp_table(rp, cols, 4);
	}
	for (i = 0; i < nev && rc >= 0; i++) {
		if (i > 0)
			rc = dl__textbuf_add(&list, "\n");
		if (rc >= 0)
			rc = dl__textbuf_add(&list, get(s, id, i));
	}
	if (rc < 0 && rp->rc >= 0)
		dl__rp_fmt_failed(rp, rc);
	dl__rp_cell(rp, 0, "%s", id);
	dl__rp_cell(rp, 1, "%s", title);
	dl__rp_cell(rp, 2, "%s", dl__rp_or_dash(note));
	dl__rp_cell(rp, 3, "%s", dl__rp_or_dash(dl__textbuf_get(&list)));
	dl__rp_row(rp, 4);
	dl__textbuf_free(&list);
	return 1;
}

size_t dl__rp_evidence(dl__rp *rp, const dl_sheet *s, const dl_questionnaire *q)
{
	size_t i, rows = 0;

	for (i = 0; i < dl_questionnaire_question_count(q); i++) {
		const char *id = dl_questionnaire_question_id(q, i);
		rows += dl__rp_evidence_row(
		    rp, id, dl_questionnaire_question_text(q, i), dl_sheet_answer_note(s, id),
		    dl_sheet_answer_evidence_count(s, id), dl_sheet_answer_evidence, s, rows);
	}
	for (i = 0; i < dl_questionnaire_scenario_count(q); i++) {
		const char *id = dl_questionnaire_scenario_id(q, i);
		char title[256];
		snprintf(title, sizeof(title), "%s%s", dl_questionnaire_scenario_title(q, i),
			 dl_questionnaire_scenario_is_constraint(q, i) ? " ★" : "");
		rows += dl__rp_evidence_row(rp, id, title, dl_sheet_scenario_note(s, id),
					    dl_sheet_scenario_evidence_count(s, id),
					    dl_sheet_scenario_evidence, s, rows);
	}
	if (rows == 0)
		dl__rp_para(rp, DL__PARA_INDENT, "评测表未附说明或佐证材料。");
	return rows;
}

void dl__rp_signatures(dl__rp *rp, const dl_sheet *s, const char *org_key, const char *date)
{
	size_t i, n = dl_sheet_assessor_count(s);
	dl__textbuf key = {NULL, 0, 0};

	dl__rp_pair(rp, org_key, "%s", dl__rp_or_dash(dl_sheet_organisation(s)));
	for (i = 0; i < n; i++) {
		const char *role = dl_sheet_assessor_role(s, i);
		if (!dl__rp_in_team(s, i))
			continue; /* the enterprise's contact and the bureau's supervisor sign elsewhere */
		dl__textbuf_clear(&key);
		dl__rp_check(rp, dl__textbuf_addf(&key, "%s%s%s：", dl_sheet_assessor_name(s, i),
					       role[0] ? " · " : "", role));
		dl__rp_pair(rp, dl__textbuf_get(&key), "%s", "");
	}
	dl__textbuf_free(&key);
	dl__rp_pair(rp, "日期：", "%s", date);
	dl__rp_key_values(rp, DL__KV_SIGN);
}

void dl__rp_dimension_bars(dl__rp *rp, const char *caption, const dl_result *r0,
			   const char *series0, const dl_result *r1, const char *series1)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	size_t n, nbars = 0;
	dl__bar bars[DL__BARS_MAX];
	dl__bars chart;

	for (n = 0; n < dl_questionnaire_node_count(q) && nbars < DL__BARS_MAX; n++) {
		if (dl_questionnaire_node_kind(q, n) != DL_NODE_DIMENSION)
			continue;
		bars[nbars].label = dl_questionnaire_node_title(q, n);
		bars[nbars].value[0] = (double)dl_result_node_score(r0, n) / DL_POINTS_SCALE;
		bars[nbars].value[1] =
		    r1 != NULL ? (double)dl_result_node_score(r1, n) / DL_POINTS_SCALE : 0;
		bars[nbars].max = (double)dl_questionnaire_node_points(q, n) / DL_POINTS_SCALE;
		nbars++;
	}
	if (nbars == 0 || rp->rc < 0)
		return;
	memset(&chart, 0, sizeof(chart));
	chart.caption = caption;
	chart.bars = bars;
	chart.nbars = nbars;
	chart.nseries = r1 != NULL ? 2 : 1;
	chart.series[0] = series0;
	chart.series[1] = r1 != NULL ? series1 : NULL;
	chart.max_note = "满分";
	rp->rc = dl__doc_add_bars(rp->doc, &chart, &rp->err);
}

void dl__rp_scenario_radar(dl__rp *rp, const char *caption, const dl_result *r0,
			   const char *series0, const dl_result *r1, const char *series1)
{
	const dl_questionnaire *q = dl_result_questionnaire(r0);
	size_t si, nsc = dl_questionnaire_scenario_count(q);
	int max = dl_questionnaire_scenario_max_level(q);
	dl__radar_axis axes[DL__AXES_MAX];
	dl__radar radar;

	/* what a radar can draw: 3..DL__AXES_MAX axes, 1..10 rings */
	if (nsc < 3 || nsc > DL__AXES_MAX || max < 1 || max > 10 || rp->rc < 0)
		return;
	for (si = 0; si < nsc; si++) {
		axes[si].label = dl_questionnaire_scenario_title(q, si);
		axes[si].marked = dl_questionnaire_scenario_is_constraint(q, si);
		axes[si].value[0] = dl_result_scenario_level(r0, si);
		axes[si].value[1] = r1 != NULL ? dl_result_scenario_level(r1, si) : 0;
	}
	memset(&radar, 0, sizeof(radar));
	radar.caption = caption;
	radar.axes = axes;
	radar.naxes = nsc;
	radar.nseries = r1 != NULL ? 2 : 1;
	radar.series[0] = series0;
	radar.series[1] = r1 != NULL ? series1 : NULL;
	radar.scale_max = (unsigned)max;
	radar.marked_note = "约束性场景";
	rp->rc = dl__doc_add_radar(rp->doc, &radar, &rp->err);
}

/* ---- the formal apparatus (issue 11, section 4) ---- */

char *dl__rp_report_number(const char *prefix, const char *code, const char *iso_date, int attempt,
			   char *buf, size_t size)
{
	char digits[16];
	size_t i, n = 0;

	for (i = 0; iso_date[i] != '\0' && n + 1 < sizeof(digits); i++)
		if (iso_date[i] >= '0' && iso_date[i] <= '9')
			digits[n++] = iso_date[i];
	digits[n] = '\0';
	if (attempt > 0)
		snprintf(buf, size, "%s-%s-%s-%02d", prefix, code[0] ? code : "X", n ? digits : "0",
			 attempt);
	else
		snprintf(buf, size, "%s-%s-%s", prefix, code[0] ? code : "X", n ? digits : "0");
	return buf;
}

void dl__rp_info(dl__rp *rp, const char *title, const char *author, const char *subject,
		 const char *keywords)
{
	dl__doc_info info = {title, author, subject, keywords};

	if (rp->rc >= 0)
		rp->rc = dl__doc_set_info(rp->doc, &info, &rp->err);
}

void dl__rp_keep(dl__rp *rp, int begin)
{
	if (rp->rc >= 0)
		rp->rc = dl__doc_keep(rp->doc, begin, &rp->err);
}

void dl__rp_statement(dl__rp *rp, const char *const *clauses, size_t n)
{
	static const dl__column cols[2] = {{"", 0.5, DL__ALIGN_CENTER}, {"", 9.0, DL__ALIGN_LEFT}};
	size_t i;

	dl__rp_heading(rp, 1, "声　明");
	if (rp->rc >= 0)
		rp->rc = dl__doc_add_table(rp->doc, cols, 2, DL__TABLE_NO_HEADER, &rp->err);
	for (i = 0; i < n; i++) {
		dl__rp_cell(rp, 0, "%zu", i + 1);
		dl__rp_cell(rp, 1, "%s", clauses[i]);
		dl__rp_row(rp, 2);
	}
	dl__rp_space(rp, 12);
	dl__rp_heading(rp, 1, "目　录");
	if (rp->rc >= 0)
		rp->rc = dl__doc_add_toc(rp->doc, &rp->err);
	dl__rp_page_break(rp);
}

/* Whether assessor i signs in the organisation's own block (not for the enterprise or the bureau). */
static int dl__rp_in_team(const dl_sheet *s, size_t i)
{
	unsigned d = dl_sheet_assessor_duties(s, i);

	if (d == 0)
		return 1;
	return (d & (DL_DUTY_LEAD | DL_DUTY_EXPERT | DL_DUTY_MEMBER)) != 0;
}

/* The duties of assessor i among `mask`, as titles joined by "、" ("组长、编制"), into out. */
static void dl__rp_duty_titles(dl__rp *rp, const dl_sheet *s, size_t i, unsigned mask,
			       dl__textbuf *out)
{
	unsigned d = dl_sheet_assessor_duties(s, i) & mask, bit;

	dl__textbuf_clear(out);
	for (bit = DL_DUTY_LEAD; bit <= DL_DUTY_SUPERVISOR; bit <<= 1)
		if (d & bit)
			dl__rp_check(rp, dl__textbuf_addf(out, "%s%s", out->len ? "、" : "",
							  dl_duty_title(bit)));
}

void dl__rp_team_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *org_key,
		       const char *org, const char *date)
{
	static const dl__column cols[5] = {{"姓名", 1.2, DL__ALIGN_LEFT},
					   {"职责", 2.6, DL__ALIGN_LEFT},
					   {"职称", 1.6, DL__ALIGN_LEFT},
					   {"单位", 2.6, DL__ALIGN_LEFT},
					   {"签字", 1.6, DL__ALIGN_LEFT}};
	size_t i, n = dl_sheet_assessor_count(s), shown = 0;
	dl__textbuf duty = {NULL, 0, 0};

	dl__rp_keep(rp, 1);
	dl__rp_heading(rp, 2, "%s", heading);
	for (i = 0; i < n; i++) {
		const char *role = dl_sheet_assessor_role(s, i);
		if (!dl__rp_in_team(s, i))
			continue;
		if (shown++ == 0)
			dl__rp_table(rp, cols, 5);
		dl__rp_duty_titles(rp, s, i, DL_DUTY_LEAD | DL_DUTY_EXPERT | DL_DUTY_MEMBER, &duty);
		dl__rp_cell(rp, 0, "%s", dl_sheet_assessor_name(s, i));
		dl__rp_cell(rp, 1, "%s", role[0] ? role : dl__rp_or_dash(dl__textbuf_get(&duty)));
		dl__rp_cell(rp, 2, "%s", dl__rp_or_dash(dl_sheet_assessor_title(s, i)));
		dl__rp_cell(rp, 3, "%s",
			    dl__rp_or_dash(dl_sheet_assessor_organisation(s, i)[0]
					       ? dl_sheet_assessor_organisation(s, i)
					       : org));
		dl__rp_cell(rp, 4, "\n");
		dl__rp_row(rp, 5);
	}
	dl__textbuf_free(&duty);
	dl__rp_pair(rp, org_key, "%s", dl__rp_or_dash(org));
	dl__rp_pair(rp, "日期：", "%s", date);
	dl__rp_key_values(rp, DL__KV_SIGN);
	dl__rp_keep(rp, 0);
}

void dl__rp_expert_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *org)
{
	static const dl__column cols[6] = {{"序号", 0.5, DL__ALIGN_CENTER},
					   {"姓名", 1.1, DL__ALIGN_LEFT},
					   {"组内职务", 1.0, DL__ALIGN_LEFT},
					   {"单位", 3.0, DL__ALIGN_LEFT},
					   {"职称", 1.6, DL__ALIGN_LEFT},
					   {"签字", 1.5, DL__ALIGN_LEFT}};
	size_t i, n = dl_sheet_assessor_count(s), k = 0, experts = 0;

	for (i = 0; i < n; i++)
		experts += (dl_sheet_assessor_duties(s, i) & DL_DUTY_EXPERT) != 0;
	if (experts == 0)
		return;
	dl__rp_keep(rp, 1);
	dl__rp_heading(rp, 2, "%s", heading);
	dl__rp_table(rp, cols, 6);
	for (i = 0; i < n; i++) {
		unsigned d = dl_sheet_assessor_duties(s, i);
		const char *o = dl_sheet_assessor_organisation(s, i);
		if (!(d & (DL_DUTY_LEAD | DL_DUTY_EXPERT)))
			continue;
		dl__rp_cell(rp, 0, "%zu", ++k);
		dl__rp_cell(rp, 1, "%s", dl_sheet_assessor_name(s, i));
		dl__rp_cell(rp, 2, "%s", (d & DL_DUTY_LEAD) ? "组长" : "成员");
		dl__rp_cell(rp, 3, "%s", dl__rp_or_dash(o[0] ? o : org));
		dl__rp_cell(rp, 4, "%s", dl__rp_or_dash(dl_sheet_assessor_title(s, i)));
		dl__rp_cell(rp, 5, "\n");
		dl__rp_row(rp, 6);
	}
	dl__rp_keep(rp, 0);
}

void dl__rp_approval_block(dl__rp *rp, const dl_sheet *s, const char *heading)
{
	static const dl__column cols[5] = {{"环节", 0.8, DL__ALIGN_CENTER},
					   {"姓名", 1.4, DL__ALIGN_LEFT},
					   {"职称 / 职务", 2.6, DL__ALIGN_LEFT},
					   {"签字", 2.0, DL__ALIGN_LEFT},
					   {"日期", 2.0, DL__ALIGN_LEFT}};
	static const unsigned steps[3] = {DL_DUTY_COMPILER, DL_DUTY_REVIEWER, DL_DUTY_APPROVER};
	size_t i, k, n = s != NULL ? dl_sheet_assessor_count(s) : 0;
	dl__textbuf names = {NULL, 0, 0}, titles = {NULL, 0, 0};

	dl__rp_keep(rp, 1);
	dl__rp_heading(rp, 2, "%s", heading);
	dl__rp_table(rp, cols, 5);
	for (k = 0; k < 3; k++) {
		dl__textbuf_clear(&names);
		dl__textbuf_clear(&titles);
		for (i = 0; i < n; i++) {
			const char *t = dl_sheet_assessor_title(s, i);
			const char *r = dl_sheet_assessor_role(s, i);
			if (!(dl_sheet_assessor_duties(s, i) & steps[k]))
				continue;
			dl__rp_check(rp, dl__textbuf_addf(&names, "%s%s", names.len ? "\n" : "",
							  dl_sheet_assessor_name(s, i)));
			dl__rp_check(rp, dl__textbuf_addf(&titles, "%s%s%s%s", titles.len ? "\n" : "", t,
							  t[0] && r[0] ? " / " : "", r));
		}
		dl__rp_cell(rp, 0, "%s", dl_duty_title(steps[k]));
		dl__rp_cell(rp, 1, "%s", dl__textbuf_get(&names));
		dl__rp_cell(rp, 2, "%s", dl__textbuf_get(&titles));
		dl__rp_cell(rp, 3, "\n");
		dl__rp_row(rp, 5);
	}
	dl__textbuf_free(&names);
	dl__textbuf_free(&titles);
	dl__rp_keep(rp, 0);
}

void dl__rp_enterprise_block(dl__rp *rp, const dl_sheet *s, const char *heading,
			     const char *statement)
{
	size_t i, n = dl_sheet_assessor_count(s);
	dl__textbuf key = {NULL, 0, 0};

	dl__rp_keep(rp, 1);
	dl__rp_heading(rp, 2, "%s", heading);
	dl__rp_para(rp, DL__PARA_INDENT, "%s", statement);
	dl__rp_pair(rp, "企业（盖章）：", "%s",
		    dl__rp_or_dash(dl_sheet_enterprise(s, DL_ENTERPRISE_NAME)));
	dl__rp_pair(rp, "法定代表人或授权代表（签字）：", "%s", "");
	for (i = 0; i < n; i++) {
		if (!(dl_sheet_assessor_duties(s, i) & DL_DUTY_ENTERPRISE_CONTACT))
			continue;
		dl__textbuf_clear(&key);
		dl__rp_check(rp, dl__textbuf_addf(&key, "联络人 · %s（签字）：", dl_sheet_assessor_name(s, i)));
		dl__rp_pair(rp, dl__textbuf_get(&key), "%s", "");
	}
	dl__textbuf_free(&key);
	dl__rp_pair(rp, "日期：", "%s", "");
	dl__rp_key_values(rp, DL__KV_SIGN);
	dl__rp_space(rp, 40); /* room for the seal */
	dl__rp_keep(rp, 0);
}

void dl__rp_review_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *unit,
			 bool unit_only, const char *head)
{
	size_t i, n = s != NULL ? dl_sheet_assessor_count(s) : 0;
	const char *org = unit != NULL ? unit : "";
	dl__textbuf key = {NULL, 0, 0};

	for (i = 0; i < n && org[0] == '\0'; i++)
		if (dl_sheet_assessor_duties(s, i) & DL_DUTY_SUPERVISOR)
			org = dl_sheet_assessor_organisation(s, i);
	dl__rp_keep(rp, 1);
	dl__rp_heading(rp, 2, "%s", heading);
	dl__rp_para(rp, 0, "审核意见：");
	dl__rp_space(rp, 60); /* room to write the opinion */
	dl__rp_pair(rp, "审核单位（盖章）：", "%s", org);
	for (i = 0; i < n; i++) {
		const char *role = dl_sheet_assessor_role(s, i);
		if (!(dl_sheet_assessor_duties(s, i) & DL_DUTY_SUPERVISOR) ||
		    (unit_only && strcmp(dl_sheet_assessor_organisation(s, i), org) != 0))
			continue;
		dl__textbuf_clear(&key);
		dl__rp_check(rp, dl__textbuf_addf(&key, "%s（%s）：", dl_sheet_assessor_name(s, i),
						  role[0] ? role : "监督"));
		dl__rp_pair(rp, dl__textbuf_get(&key), "%s", "");
	}
	dl__textbuf_free(&key);
	dl__rp_pair(rp, head, "%s", "");
	dl__rp_pair(rp, "日期：", "%s", "");
	dl__rp_key_values(rp, DL__KV_SIGN);
	dl__rp_space(rp, 40); /* room for the seal */
	dl__rp_keep(rp, 0);
}

void dl__rp_bureau_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *bureau)
{
	dl__rp_review_block(rp, s, heading, bureau, false, "负责人（签字）：");
}
