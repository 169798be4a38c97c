/*
 * batch_rows.c: the rows of a dl_batch: what a row shows of one scored sheet (file, dates, level,
 * scores of every dimension, the questionnaire and its SHA-256), of an enterprise's pair (identity,
 * before and after, where the two disagree about the enterprise) and, under a policy, the verdict
 * and subsidy of the comparison.
 *
 * A row owns copies of every string, so it outlives the sheets it was made from (they are set aside
 * again as soon as the row is made: batch_finish.c). Strings are never NULL, only "" (a row that
 * could not get the memory for a string shows it empty), so that a writer needs no checks.
 */
#include "alloc.h"
#include "batch_model.h"
#include "i18n.h"
#include "policy_model.h"

#include <stdio.h>
#include <string.h>

static const char *dup_or_empty(const char *s)
{
	char *copy = dl__strdup(s ? s : "");
	if (!copy)
		copy = dl__calloc(1, 1); /* "" even when the copy failed: rows never hold NULL */
	return copy;
}

static void release(const void *p)
{
	dl__free((void *)p); /* every string and array of a row was allocated by this file */
}

static void side_free(dl_batch_side *s)
{
	release(s->file);
	release(s->date);
	release(s->phase);
	release(s->level_name);
	release(s->applied);
	release(s->questionnaire);
	release(s->questionnaire_sha256);
	for (size_t i = 0; s->dim_titles && i < s->dim_count; i++)
		release(s->dim_titles[i]);
	release(s->dim_titles);
	release(s->dims);
	memset(s, 0, sizeof(*s));
}

void dl__batch_row_free(dl_batch_row *r)
{
	release(r->code);
	release(r->name);
	release(r->industry);
	release(r->scale);
	release(r->tags);
	release(r->status);
	release(r->reason);
	release(r->phase_id);
	release(r->before_name);
	release(r->before_industry);
	release(r->before_scale);
	release(r->warning);
	side_free(&r->before);
	side_free(&r->after);
	memset(r, 0, sizeof(*r));
}

static void fill_side(const dl_batch *b, dl_batch_side *s, const dl_batch_sheet *sh)
{
	const dl_questionnaire *q = sh->q;
	const dl_sheet *sheet = sh->sheet;
	s->present = true;
	s->file = dup_or_empty(sh->path);
	s->date = dup_or_empty(dl_sheet_date(sheet));
	s->phase = dup_or_empty(dl_phase_name(dl_sheet_phase(sheet)));
	s->level = dl_result_level(sh->result);
	s->level_name = dup_or_empty(dl_questionnaire_level_name(q, s->level));
	s->total = dl_result_total(sh->result);
	s->attempt = dl_sheet_retrofit_attempt(sheet);
	s->applied = dup_or_empty(dl_sheet_retrofit_applied(sheet));
	s->questionnaire = dup_or_empty(dl_questionnaire_path(q));
	s->questionnaire_sha256 = dup_or_empty(dl_questionnaire_digest(q));
	s->scenario_level = s->level > 1 ? s->level : 1;
	s->constraint_scenarios = dl_result_scenarios_at_least(sh->result, s->scenario_level, true);
	s->guidance_scenarios =
	    dl_result_scenarios_at_least(sh->result, s->scenario_level, false) -
	    s->constraint_scenarios;
	size_t dims = 0;
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++)
		dims += dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION;
	dl_points *scores = dl__calloc(dims ? dims : 1, sizeof(*scores));
	const char **titles = dl__calloc(dims ? dims : 1, sizeof(*titles));
	s->dims = scores;
	s->dim_titles = titles;
	if (!scores || !titles) {
		dl__batch_warn(b->opts.warning, b->opts.warning_data, NULL, _("out of memory: the dimension scores of %s are left out"),
			       sh->path);
		return;
	}
	for (size_t n = 0; n < dl_questionnaire_node_count(q); n++)
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION) {
			titles[s->dim_count] = dup_or_empty(dl_questionnaire_node_title(q, n));
			scores[s->dim_count++] = dl_result_node_score(sh->result, n);
		}
}

static void fill_identity(dl_batch_row *r, const dl_sheet *s, const char *status)
{
	r->code = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE));
	r->name = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_NAME));
	r->industry = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_INDUSTRY));
	r->scale = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_SCALE));
	size_t len = 0;
	for (size_t i = 0; i < dl_sheet_tag_count(s); i++)
		len += strlen(dl_sheet_tag(s, i)) + 1;
	char *tags = dl__calloc(1, len + 1);
	for (size_t i = 0; tags && i < dl_sheet_tag_count(s); i++) {
		if (i)
			strncat(tags, ";", len);
		strncat(tags, dl_sheet_tag(s, i), len);
	}
	r->tags = tags ? tags : dup_or_empty("");
	r->status = dup_or_empty(status);
	r->reason = dup_or_empty("");
	r->phase_id = dup_or_empty("");
}

void dl__batch_row_single(const dl_batch *b, dl_batch_row *r, const dl_batch_sheet *s,
			  const char *status, bool as_after)
{
	fill_identity(r, s->sheet, status);
	fill_side(b, as_after ? &r->after : &r->before, s);
}

void dl__batch_row_not_compared(dl_batch_row *r, const char *code, const dl_sheet *identity,
				const char *why)
{
	if (identity) {
		fill_identity(r, identity, "not compared");
		release(r->reason);
	} else {
		r->code = dup_or_empty(code);
		r->name = dup_or_empty("");
		r->industry = dup_or_empty("");
		r->scale = dup_or_empty("");
		r->tags = dup_or_empty("");
		r->status = dup_or_empty("not compared");
		r->phase_id = dup_or_empty("");
	}
	r->reason = dup_or_empty(why);
}

/*
 * The fields in which the row's two sheets differ, "name: A → B; industry: …", into buf; with the
 * fields' names in the language of messages ("企业名称: A → B；细分行业: …") when words is set.
 */
static char *differences(const dl_batch_row *r, bool words, char *buf, size_t size)
{
	const struct {
		dl_enterprise_field field;
		const char *key, *name, *before, *after;
	} fields[] = {{DL_ENTERPRISE_NAME, "name", N_("enterprise name"), r->before_name, r->name},
		      {DL_ENTERPRISE_INDUSTRY, "industry", N_("industry"), r->before_industry, r->industry},
		      {DL_ENTERPRISE_SCALE, "scale", N_("enterprise scale"), r->before_scale, r->scale}};
	size_t len = 0;
	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < 3 && len < size; i++)
		if (r->differences & (1u << fields[i].field)) {
			int n = snprintf(buf + len, size - len, "%s%s: %s → %s",
					 len ? words ? _("; ") : "; " : "",
					 words ? _(fields[i].name) : fields[i].key, fields[i].before,
					 fields[i].after);
			len += n > 0 ? (size_t)n : 0;
		}
	return buf;
}

char *dl_batch_row_differences(const dl_batch_row *r, char *buf, size_t size)
{
	return differences(r, false, buf, size);
}

/* The warning about a pair whose sheets disagree about the enterprise, kept in the row. */
static void note_differences(dl_batch_row *r, const dl_batch_sheet *before)
{
	char fields[1200];
	differences(r, true, fields, sizeof(fields));
#define DIFFER _("paired with %s by 统一社会信用代码 %s, but they differ (%s); the row shows " \
		  "the enterprise as this sheet does")
	int n = snprintf(NULL, 0, DIFFER, before->path, r->code, fields);
	char *text = n >= 0 ? dl__malloc((size_t)n + 1) : NULL;
	if (text)
		snprintf(text, (size_t)n + 1, DIFFER, before->path, r->code, fields);
#undef DIFFER
	r->warning = text;
}

/* Diagnostics of a comparison, kept as the row's reason. */
typedef struct reason_text {
	char text[600];
} reason_text;

static void keep_reason(const dl_error *diag, void *userdata)
{
	reason_text *rt = userdata;
	if (diag->code == DL_OK || rt->text[0])
		return; /* warnings are not reasons; keep the first problem */
	dl_error_format(diag, rt->text, sizeof(rt->text));
}

void dl__batch_row_pair(const dl_batch *b, dl_batch_row *r, const dl_batch_sheet *before,
			const dl_batch_sheet *after, dl_comparison **comparison)
{
	*comparison = NULL;
	fill_identity(r, after->sheet, "paired");
	fill_side(b, &r->before, before);
	fill_side(b, &r->after, after);
	/* paired by the credit code alone: keep where the before disagrees, to show it */
	r->differences = dl_compare_identity_differences(before->sheet, after->sheet);
	if (r->differences) {
		r->before_name =
		    dup_or_empty(dl_sheet_enterprise(before->sheet, DL_ENTERPRISE_NAME));
		r->before_industry =
		    dup_or_empty(dl_sheet_enterprise(before->sheet, DL_ENTERPRISE_INDUSTRY));
		r->before_scale =
		    dup_or_empty(dl_sheet_enterprise(before->sheet, DL_ENTERPRISE_SCALE));
		note_differences(r, before);
	}
	const dl_policy *policy = b->opts.policy;
	if (!policy)
		return;
	dl_comparison *c = NULL;
	reason_text rt = {""};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = keep_reason;
	opts.diag_data = &rt;
	int rc = dl_compare(&c, after->q, before->sheet, after->sheet, policy, &opts, NULL);
	if (rc == 0) {
		r->has_verdict = true;
		r->passed = dl_comparison_passed(c);
		r->verdict = dl_comparison_verdict(c);
		r->eligible = dl_comparison_eligible_investment(c);
		r->subsidy = dl_comparison_subsidy(c);
		size_t phase = dl_comparison_phase(c);
		release(r->phase_id);
		r->phase_id =
		    dup_or_empty(phase == DL_NONE ? "" : dl_policy_phase_id(policy, phase));
		release(r->reason);
		r->reason = dup_or_empty(dl_comparison_subsidy_granted(c)
					     ? dl__comparison_phase_reason_zh(c)
					     : dl__comparison_no_subsidy_reason_zh(c));
		*comparison = c;
	} else {
		release(r->status);
		r->status = dup_or_empty("not compared");
		release(r->reason);
		r->reason = dup_or_empty(rc == DL_ENOMEM ? "out of memory" : rt.text);
	}
}

const dl_batch_row *dl_batch_sheet_row(dl_batch_sheet *s)
{
	if (s->row || s->rc != 0 || !s->sheet || !s->result)
		return s->row;
	if (!(s->row = dl__calloc(1, sizeof(*s->row))))
		return NULL;
	dl__batch_row_single(s->batch, s->row, s, dl_phase_name(dl_sheet_phase(s->sheet)), true);
	return s->row;
}
