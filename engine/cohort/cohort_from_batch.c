/*
 * cohort_from_batch.c: a batch's rows as a cohort's entries (dl_batch_cohort, digilevel/batch.h):
 * the join `digilevel cohort` makes between the rows of its dl_batch and its dl_cohort.
 *
 * A row carries the identity, the levels and dates before and after, the verdict and the subsidy,
 * but not everything a target may count: the tags of the sheets before the retrofit (for "新增"
 * titles), the investment categories of the retrofit, and which questionnaire edition each sheet
 * answers. So this file also looks at every scored sheet on its way to the pairing and keeps those
 * few facts per enterprise (by 统一社会信用代码): phase, date, acceptance attempt, whether it
 * answers the cohort's edition, its tags and (for an evaluation) the categories of its investment
 * items, a few strings per sheet and nothing of the answers. When the enterprise's final row
 * arrives, the row's before and after sheets are found among them by phase, date and attempt (the
 * latest such sheet in input order, as the batch chooses), and the entry is: identity and levels
 * from the row; the evaluation's tags and categories; as the tags "before", those of every earlier
 * sheet that is not an evaluation, dated on or before the evaluation, so that a title is new only
 * if no earlier sheet of the enterprise lists it.
 */
#include "alloc.h"
#include "batch_model.h"
#include "i18n.h"

#include <digilevel/batch.h>

#include <stdio.h>
#include <string.h>

typedef struct sheet_facts {
	struct sheet_facts *next; /* newer sheets first */
	char *date;
	int attempt;
	bool evaluation, edition_ok;
	char *edition; /* "id version", for the warning */
	char *file;
	char **tags, **categories;
	size_t tag_count, category_count;
	/* an evaluation's retrofit: contract signed, completed, provider, its rating ("" when none) */
	char *signed_on, *completed, *provider, *satisfaction;
	/* the scenarios below the level the sheet's next grade needs */
	char **weak;
	size_t weak_count;
} sheet_facts;

typedef struct enterprise_facts {
	char *code;
	sheet_facts *sheets;
} enterprise_facts;

struct dl_batch_cohort {
	dl_cohort *cohort;
	const char *edition_id, *edition_version;
	enterprise_facts *table; /* open addressing by credit code */
	size_t count, cap;
	dl_cohort_entry *entry;
	dl_batch_warning_fn warning;
	void *warning_data;
	bool oom_reported;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

int dl_batch_cohort_new(dl_batch_cohort **out, dl_cohort *cohort, dl_batch_warning_fn warning,
			void *userdata)
{
	dl_batch_cohort *d = dl__calloc(1, sizeof(*d));
	if (!d || dl_cohort_entry_new(&d->entry) != 0) {
		dl__free(d);
		return DL_ENOMEM;
	}
	const dl_questionnaire *q = dl_cohort_questionnaire(cohort);
	d->cohort = cohort;
	d->warning = warning;
	d->warning_data = userdata;
	d->edition_id = dl_questionnaire_id(q);
	d->edition_version = dl_questionnaire_version(q);
	*out = d;
	return 0;
}

static void free_sheet(sheet_facts *s)
{
	for (size_t i = 0; i < s->tag_count; i++)
		dl__free(s->tags[i]);
	for (size_t i = 0; i < s->category_count; i++)
		dl__free(s->categories[i]);
	for (size_t i = 0; i < s->weak_count; i++)
		dl__free(s->weak[i]);
	dl__free(s->tags);
	dl__free(s->categories);
	dl__free(s->weak);
	dl__free(s->signed_on);
	dl__free(s->completed);
	dl__free(s->provider);
	dl__free(s->satisfaction);
	dl__free(s->date);
	dl__free(s->edition);
	dl__free(s->file);
	dl__free(s);
}

void dl_batch_cohort_free(dl_batch_cohort *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->cap; i++) {
		enterprise_facts *e = &d->table[i];
		if (!e->code)
			continue;
		for (sheet_facts *s = e->sheets, *next; s; s = next) {
			next = s->next;
			free_sheet(s);
		}
		dl__free(e->code);
	}
	dl__free(d->table);
	dl_cohort_entry_free(d->entry);
	dl__free(d);
}

static void out_of_memory(dl_batch_cohort *d)
{
	if (!d->oom_reported)
		dl__batch_warn(d->warning, d->warning_data, NULL,
			       _("out of memory keeping the sheets' tags: some targets may be counted "
				 "short"));
	d->oom_reported = true;
}

/* The enterprise's facts, created when create is set; NULL when absent or out of memory. */
static enterprise_facts *find(dl_batch_cohort *d, const char *code, bool create)
{
	if (create && (d->count + 1) * 2 > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		enterprise_facts *table = dl__calloc(cap, sizeof(*table));
		if (!table)
			return NULL;
		for (size_t i = 0; i < d->cap; i++) {
			if (!d->table[i].code)
				continue;
			size_t h = hash(d->table[i].code) & (cap - 1);
			while (table[h].code)
				h = (h + 1) & (cap - 1);
			table[h] = d->table[i];
		}
		dl__free(d->table);
		d->table = table;
		d->cap = cap;
	}
	if (!d->cap)
		return NULL;
	size_t h = hash(code) & (d->cap - 1);
	while (d->table[h].code) {
		if (strcmp(d->table[h].code, code) == 0)
			return &d->table[h];
		h = (h + 1) & (d->cap - 1);
	}
	if (!create || !(d->table[h].code = dl__strdup(code)))
		return NULL;
	d->count++;
	return &d->table[h];
}

static char **copy_list(size_t n, const char *(*get)(const dl_sheet *, size_t), const dl_sheet *s,
			size_t *count)
{
	*count = 0;
	if (n == 0)
		return NULL;
	char **list = dl__calloc(n, sizeof(*list));
	for (size_t i = 0; list && i < n; i++)
		if ((list[i] = dl__strdup(get(s, i))))
			(*count)++;
	return list;
}

/* The titles of the scenarios of r below the next grade (the sheet's level + 1, at most the top). */
static char **weak_scenarios(const dl_result *r, size_t *count)
{
	const dl_questionnaire *q = dl_result_questionnaire(r);
	int need = dl_result_level(r) + 1;
	if (need > dl_questionnaire_scenario_max_level(q))
		need = dl_questionnaire_scenario_max_level(q);
	size_t n = 0, total = dl_questionnaire_scenario_count(q);
	*count = 0;
	for (size_t i = 0; i < total; i++)
		n += dl_result_scenario_level(r, i) < need;
	if (n == 0)
		return NULL;
	char **list = dl__calloc(n, sizeof(*list));
	for (size_t i = 0; list && i < total; i++)
		if (dl_result_scenario_level(r, i) < need &&
		    (list[*count] = dl__strdup(dl_questionnaire_scenario_title(q, i))))
			(*count)++;
	if (list && *count != n) {
		for (size_t i = 0; i < *count; i++)
			dl__free(list[i]);
		dl__free(list);
		*count = (size_t)-1; /* no memory */
		return NULL;
	}
	return list;
}

void dl_batch_cohort_note_sheet(dl_batch_cohort *d, const dl_batch_sheet *sheet)
{
	const dl_sheet *s = dl_batch_sheet_sheet(sheet);
	if (dl_batch_sheet_status(sheet) != 0 || !s)
		return;
	enterprise_facts *e = find(d, dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE), true);
	sheet_facts *f = e ? dl__calloc(1, sizeof(*f)) : NULL;
	if (!f) {
		out_of_memory(d);
		return;
	}
	size_t edition_len =
	    strlen(dl_sheet_questionnaire_id(s)) + strlen(dl_sheet_questionnaire_version(s)) + 2;
	f->date = dl__strdup(dl_sheet_date(s));
	f->file = dl__strdup(dl_batch_sheet_path(sheet));
	f->edition = dl__malloc(edition_len);
	f->attempt = dl_sheet_retrofit_attempt(s);
	f->evaluation = dl_sheet_phase(s) == DL_PHASE_EVALUATION;
	f->edition_ok = strcmp(dl_sheet_questionnaire_id(s), d->edition_id) == 0 &&
			strcmp(dl_sheet_questionnaire_version(s), d->edition_version) == 0;
	f->tags = copy_list(dl_sheet_tag_count(s), dl_sheet_tag, s, &f->tag_count);
	if (f->evaluation)
		f->categories = copy_list(dl_sheet_investment_count(s),
					  dl_sheet_investment_category, s, &f->category_count);
	bool retrofit = f->evaluation && dl_sheet_has_retrofit(s);
	f->signed_on = dl__strdup(retrofit ? dl_sheet_retrofit_contract_signed(s) : "");
	f->completed = dl__strdup(retrofit ? dl_sheet_retrofit_completed(s) : "");
	f->provider = dl__strdup(retrofit ? dl_sheet_retrofit_provider(s) : "");
	f->satisfaction = dl__strdup(retrofit ? dl_sheet_retrofit_satisfaction(s) : "");
	if (f->edition_ok && dl_batch_sheet_result(sheet))
		f->weak = weak_scenarios(dl_batch_sheet_result(sheet), &f->weak_count);
	if (!f->date || !f->file || !f->edition || f->tag_count != dl_sheet_tag_count(s) ||
	    !f->signed_on || !f->completed || !f->provider || !f->satisfaction ||
	    f->weak_count == (size_t)-1 ||
	    (f->evaluation && f->category_count != dl_sheet_investment_count(s))) {
		f->weak_count = 0;
		free_sheet(f);
		out_of_memory(d);
		return;
	}
	snprintf(f->edition, edition_len, "%s %s", dl_sheet_questionnaire_id(s),
		 dl_sheet_questionnaire_version(s));
	f->next = e->sheets;
	e->sheets = f;
}

/* The sheet the row shows as one side: the newest with that phase, date (and attempt). */
static const sheet_facts *side_sheet(const enterprise_facts *e, const dl_batch_side *side,
				     bool evaluation)
{
	for (const sheet_facts *s = e ? e->sheets : NULL; s; s = s->next)
		if (s->evaluation == evaluation && strcmp(s->date, side->date) == 0 &&
		    (!evaluation || s->attempt == side->attempt))
			return s;
	return NULL;
}

static bool counted(dl_batch_cohort *d, const sheet_facts *s, const dl_batch_row *row)
{
	if (!s || s->edition_ok)
		return true;
	dl__batch_warn(d->warning, d->warning_data, s->file,
		       _("%s (%s) answers questionnaire %s; the targets are counted in %s %s: this "
			 "sheet is not counted"),
		       row->name, row->code, s->edition, d->edition_id, d->edition_version);
	return false;
}

static int add_tags(dl_cohort_entry *entry, dl_cohort_when when, const sheet_facts *s)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < s->tag_count; i++)
		rc = dl_cohort_entry_add_tag(entry, when, s->tags[i]);
	return rc;
}

/* The row's ';'-joined tags, when the sheet's own are not known (it was not kept). */
static int add_row_tags(dl_cohort_entry *entry, const char *tags)
{
	int rc = 0;
	while (rc == 0 && *tags) {
		size_t n = strcspn(tags, ";");
		char tag[DL_COHORT_TEXT_MAX + 1];
		snprintf(tag, sizeof(tag), "%.*s",
			 (int)(n < DL_COHORT_TEXT_MAX ? n : DL_COHORT_TEXT_MAX), tags);
		rc = dl_cohort_entry_add_tag(entry, DL_COHORT_AFTER, tag);
		tags += n + (tags[n] == ';');
	}
	return rc;
}

/* The pipeline's dates, the provider, the totals for the uplift and the weak scenarios of the
 * latest sheet counted. */
static int fill_pipeline(dl_batch_cohort *d, dl_cohort_entry *entry, const dl_batch_row *row,
			 bool use_before, bool use_after, const sheet_facts *before,
			 const sheet_facts *after)
{
	int rc = 0;
	if (use_before && strcmp(row->before.phase, "diagnosis") == 0)
		rc = dl_cohort_entry_set_stage_date(entry, DL_STAGE_DIAGNOSIS, row->before.date);
	if (rc == 0 && use_after && after)
		rc = dl_cohort_entry_set_stage_date(entry, DL_STAGE_CONTRACT, after->signed_on);
	if (rc == 0 && use_after && after)
		rc = dl_cohort_entry_set_stage_date(entry, DL_STAGE_RETROFIT, after->completed);
	if (rc == 0 && use_after) {
		rc = dl_cohort_entry_set_stage_date(entry, DL_STAGE_APPLICATION,
						    row->after.applied);
		/* 验收: an evaluation with a verdict; without a policy, any evaluation */
		if (rc == 0 && (row->has_verdict || !dl_cohort_policy(d->cohort)))
			rc = dl_cohort_entry_set_stage_date(entry, DL_STAGE_ACCEPTANCE,
							    row->after.date);
		if (rc == 0 && after)
			rc = dl_cohort_entry_set_provider(entry, after->provider, after->satisfaction);
		if (rc == 0 && use_before)
			rc = dl_cohort_entry_set_totals(entry, row->before.total, row->after.total);
	}
	const sheet_facts *latest = use_after ? after : use_before ? before : NULL;
	for (size_t i = 0; rc == 0 && latest && i < latest->weak_count; i++)
		rc = dl_cohort_entry_add_weak_scenario(entry, latest->weak[i]);
	return rc;
}

static int fill(dl_batch_cohort *d, const dl_batch_row *row)
{
	dl_cohort_entry *entry = d->entry;
	const enterprise_facts *e = find(d, row->code, false);
	const sheet_facts *before = row->before.present ? side_sheet(e, &row->before, false) : NULL;
	const sheet_facts *after = row->after.present ? side_sheet(e, &row->after, true) : NULL;
	bool use_before = row->before.present && counted(d, before, row);
	bool use_after = row->after.present && counted(d, after, row);
	int rc =
	    dl_cohort_entry_set_enterprise(entry, row->code, row->name, row->industry, row->scale);
	if (rc == 0 && use_before)
		rc = dl_cohort_entry_set_before(entry, row->before.level, row->before.date);
	if (rc == 0 && use_after)
		rc = dl_cohort_entry_set_after(entry, row->after.level, row->after.date);
	if (rc == 0 && use_after && row->has_verdict)
		rc = dl_cohort_entry_set_acceptance(entry, row->verdict, row->phase_id, row->eligible,
						    row->subsidy);
	if (rc == 0)
		rc = fill_pipeline(d, entry, row, use_before, use_after, before, after);
	if (rc < 0 || !use_after)
		return rc;
	if (after) {
		rc = add_tags(entry, DL_COHORT_AFTER, after);
		for (size_t i = 0; rc == 0 && i < after->category_count; i++)
			rc = dl_cohort_entry_add_investment(entry, after->categories[i]);
	} else {
		rc = add_row_tags(entry, row->tags);
	}
	/* the tags held before: every earlier sheet that is not an evaluation */
	for (const sheet_facts *s = e ? e->sheets : NULL; rc == 0 && s; s = s->next)
		if (!s->evaluation && s->edition_ok && strcmp(s->date, row->after.date) <= 0)
			rc = add_tags(entry, DL_COHORT_BEFORE, s);
	return rc;
}

int dl_batch_cohort_entry(dl_batch_cohort *d, const dl_batch_row *row,
			  const dl_cohort_entry **entry)
{
	dl_cohort_entry_clear(d->entry);
	int rc = fill(d, row);
	if (rc == 0)
		*entry = d->entry;
	return rc;
}
