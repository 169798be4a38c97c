/*
 * batch_standing.c: which sheets stand for an enterprise in a dl_batch, and the enterprises, known
 * by their 统一社会信用代码, in order of first appearance.
 *
 * An enterprise's diagnosis (or, lacking one, its self-check) is its "before": a diagnosis beats a
 * self-check, and between equals the later date, then the later in input order, stands. Its
 * evaluation with the highest acceptance attempt, then the later date, then the later in input
 * order, is its "after". Two sheets of one phase are reported through the warning callback, saying
 * which stands and why: a clerk who sent two diagnoses should learn which one counts.
 *
 * A sheet that stands gives up its parsed form and its score until dl_batch_finish: what stays is
 * its path (and, from a stream or memory, a copy of its text), about a third of the memory for a
 * stream and almost nothing for a file (docs/performance.md).
 */
#include "alloc.h"
#include "batch_model.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The enterprise of code, added when new; NULL when memory ran out. */
static dl__batch_entry *find_entry(dl_batch *b, const char *code)
{
	if (b->entry_count * 2 >= b->table_cap) {
		size_t cap = b->table_cap ? b->table_cap * 2 : 256;
		dl__batch_entry **table = dl__calloc(cap, sizeof(dl__batch_entry *));
		if (!table)
			return NULL;
		for (size_t i = 0; i < b->entry_count; i++) {
			size_t h = hash(b->entries[i]->code) & (cap - 1);
			while (table[h])
				h = (h + 1) & (cap - 1);
			table[h] = b->entries[i];
		}
		dl__free(b->table);
		b->table = table;
		b->table_cap = cap;
	}
	size_t h = hash(code) & (b->table_cap - 1);
	while (b->table[h]) {
		if (strcmp(b->table[h]->code, code) == 0)
			return b->table[h];
		h = (h + 1) & (b->table_cap - 1);
	}
	if (b->entry_count == b->entry_cap) {
		size_t cap = b->entry_cap ? b->entry_cap * 2 : 64;
		dl__batch_entry **grown = dl__realloc(b->entries, cap * sizeof(dl__batch_entry *));
		if (!grown)
			return NULL;
		b->entries = grown;
		b->entry_cap = cap;
	}
	dl__batch_entry *e = dl__calloc(1, sizeof(*e));
	if (!e || !(e->code = dl__strdup(code))) {
		dl__free(e);
		return NULL;
	}
	b->entries[b->entry_count++] = e;
	b->table[h] = e;
	return e;
}

/* What decides whether a sheet stands, noted while its sheet is at hand. */
static void note_standing(dl_batch_sheet *s)
{
	s->phase = dl_sheet_phase(s->sheet);
	s->attempt = dl_sheet_retrofit_attempt(s->sheet);
	snprintf(s->date, sizeof(s->date), "%s", dl_sheet_date(s->sheet));
}

static void set_aside(dl_batch_sheet *s)
{
	dl_result_free(s->result);
	s->result = NULL;
	dl_sheet_free(s->sheet);
	s->sheet = NULL;
}

/* Whether evaluation a should replace b as the enterprise's "after": higher attempt, later date. */
static bool later_evaluation(const dl_batch_sheet *a, const dl_batch_sheet *b)
{
	if (a->attempt != b->attempt)
		return a->attempt > b->attempt;
	return strcmp(a->date, b->date) >= 0;
}

/* Whether a diagnosis or self-check should replace the kept one: a diagnosis beats a self-check;
 * between equals, the later date (or, on the same date, the later in input order) stands. */
static bool better_before(const dl_batch_sheet *candidate, const dl_batch_sheet *kept)
{
	if (candidate->phase != kept->phase)
		return candidate->phase == DL_PHASE_DIAGNOSIS;
	return strcmp(candidate->date, kept->date) >= 0;
}

/*
 * Two sheets of one phase for one enterprise (two diagnoses, two evaluations): only one stands, so
 * say which and why. (A diagnosis that replaces a self-check is the usual course.)
 */
static void say_which_stands(const dl_batch *b, const char *code, const dl_batch_sheet *kept,
			     const dl_batch_sheet *s, bool replaces)
{
	static const char *const plural[] = {N_("diagnoses"), N_("evaluations"), N_("self-checks")};
	if (kept->phase != s->phase)
		return;
	const dl_batch_sheet *stands = replaces ? s : kept, *aside = replaces ? kept : s;
	char why[160];
	if (stands->phase == DL_PHASE_EVALUATION && stands->attempt != aside->attempt)
		snprintf(why, sizeof(why), _("the later acceptance attempt, %d over %d"),
			 stands->attempt, aside->attempt);
	else if (strcmp(stands->date, aside->date) != 0)
		snprintf(why, sizeof(why), _("the later date, %s over %s"), stands->date, aside->date);
	else
		snprintf(why, sizeof(why), _("the same date, %s, and later in the input"),
			 stands->date);
	dl__batch_warn(b->opts.warning, b->opts.warning_data, NULL,
		       _("%s has two %s, %s and %s: %s stands (%s); %s is set aside"), code,
		       _((size_t)s->phase < 3 ? plural[s->phase] : N_("sheets of one phase")), kept->path,
		       s->path, stands->path, why, aside->path);
}

int dl_batch_pair(dl_batch *b, dl_batch_sheet *s)
{
	if (s->rc != 0 || b->opts.per_sheet || b->finished_rows) {
		dl_batch_sheet_free(s);
		return 0;
	}
	dl__batch_entry *e =
	    find_entry(b, dl_sheet_enterprise(s->sheet, DL_ENTERPRISE_CREDIT_CODE));
	if (!e || (b->opts.archive_dir && dl__batch_archive_note(e, s) != 0))
		return DL_ENOMEM;
	note_standing(s);
	dl_batch_sheet **slot = s->phase == DL_PHASE_EVALUATION ? &e->after : &e->before;
	bool replaces =
	    !*slot || (slot == &e->after ? later_evaluation(s, *slot) : better_before(s, *slot));
	if (*slot)
		say_which_stands(b, e->code, *slot, s, replaces);
	if (!replaces) {
		dl_batch_sheet_free(s);
		return 0;
	}
	dl_batch_sheet_free(*slot);
	set_aside(s);
	if (s->row) { /* the row of a sheet is of no use once it is set aside */
		dl__batch_row_free(s->row);
		dl__free(s->row);
		s->row = NULL;
	}
	*slot = s;
	return 0;
}

void dl__batch_entries_free(dl_batch *b)
{
	for (size_t i = 0; i < b->entry_count; i++) {
		dl__batch_entry *e = b->entries[i];
		dl_batch_sheet_free(e->before);
		dl_batch_sheet_free(e->after);
		dl__batch_row_free(&e->row);
		dl__free(e->report_error);
		dl__batch_archive_entry_free(e);
		dl__free(e->code);
		dl__free(e);
	}
	dl__free(b->entries);
	dl__free(b->table);
	b->entries = NULL;
	b->table = NULL;
	b->entry_count = b->entry_cap = b->table_cap = 0;
}

void dl__batch_warn(dl_batch_warning_fn warning, void *userdata, const char *file, const char *fmt, ...)
{
	if (!warning)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *text = n >= 0 ? dl__malloc((size_t)n + 1) : NULL;
	if (!text)
		return;
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	warning(file, text, userdata);
	dl__free(text);
}
