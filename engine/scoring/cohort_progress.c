/*
 * cohort_progress.c: a cohort's progress against its targets: entries describing enterprises, the running
 * figures they add to, and the accessors (see digilevel/cohort.h).
 *
 * Each enterprise is checked first and then counted everywhere at once, so a refused entry changes
 * nothing and the figures never disagree with each other. Nothing per enterprise is kept: memory
 * depends on the number of targets, deadlines, levels, phases and 细分行业 (capped), not on the
 * cohort's size.
 */
#include "alloc.h"
#include "cohort_model.h"
#include "date.h"
#include "i18n.h"
#include "text_both.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* --- entries ----------------------------------------------------------------------------------- */

int dl_cohort_entry_new(dl_cohort_entry **out)
{
	assert(out);
	dl_cohort_entry *e = dl__calloc(1, sizeof(*e));
	if (!e)
		return DL_ENOMEM;
	dl_cohort_entry_clear(e);
	*out = e;
	return 0;
}

void dl_cohort_entry_free(dl_cohort_entry *e)
{
	if (!e)
		return;
	dl__arena_free(&e->arena);
	dl__free(e);
}

void dl_cohort_entry_clear(dl_cohort_entry *e)
{
	assert(e);
	dl__arena_free(&e->arena);
	memset(e, 0, sizeof(*e));
	e->code = e->name = e->industry = e->scale = "";
	e->before_date = e->after_date = e->phase_id = "";
	e->provider = e->satisfaction = "";
	for (int i = 0; i < DL_STAGE_COUNT; i++)
		e->stage_date[i] = "";
}

/* A copy of s in the entry's arena, or NULL (rc says why). */
static const char *copy(dl_cohort_entry *e, const char *s, int *rc)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (len > DL_COHORT_TEXT_MAX) {
		*rc = DL_ELIMIT;
		return NULL;
	}
	const char *c = dl__arena_strndup(&e->arena, s, len);
	if (!c)
		*rc = DL_ENOMEM;
	return c;
}

int dl_cohort_entry_set_enterprise(dl_cohort_entry *e, const char *credit_code, const char *name,
				   const char *industry, const char *scale)
{
	assert(e);
	int rc = 0;
	const char *a = copy(e, credit_code, &rc), *b = a ? copy(e, name, &rc) : NULL;
	const char *c = b ? copy(e, industry, &rc) : NULL, *d = c ? copy(e, scale, &rc) : NULL;
	if (!d)
		return rc;
	e->code = a;
	e->name = b;
	e->industry = c;
	e->scale = d;
	return 0;
}

int dl_cohort_entry_set_before(dl_cohort_entry *e, int level, const char *date)
{
	assert(e);
	int rc = 0;
	const char *d = copy(e, date, &rc);
	if (!d)
		return rc;
	e->has_before = true;
	e->before_level = level;
	e->before_date = d;
	return 0;
}

int dl_cohort_entry_set_after(dl_cohort_entry *e, int level, const char *date)
{
	assert(e);
	int rc = 0;
	const char *d = copy(e, date, &rc);
	if (!d)
		return rc;
	e->has_after = true;
	e->after_level = level;
	e->after_date = d;
	return 0;
}

int dl_cohort_entry_set_acceptance(dl_cohort_entry *e, dl_verdict verdict, const char *phase_id,
				   int64_t eligible_fen, int64_t subsidy_fen)
{
	assert(e);
	int rc = 0;
	const char *p = copy(e, phase_id, &rc);
	if (!p)
		return rc;
	e->has_verdict = true;
	e->verdict = verdict;
	e->phase_id = p;
	e->eligible = eligible_fen;
	e->subsidy = subsidy_fen;
	return 0;
}

int dl_cohort_entry_set_stage_date(dl_cohort_entry *e, dl_stage stage, const char *date)
{
	assert(e && (unsigned)stage < DL_STAGE_COUNT);
	int rc = 0;
	const char *d = copy(e, date, &rc);
	if (!d)
		return rc;
	e->stage_date[stage] = d;
	return 0;
}

int dl_cohort_entry_set_provider(dl_cohort_entry *e, const char *provider,
				 const char *satisfaction)
{
	assert(e);
	int rc = 0;
	const char *p = copy(e, provider, &rc), *r = p ? copy(e, satisfaction, &rc) : NULL;
	if (!r)
		return rc;
	e->provider = p;
	e->satisfaction = r;
	return 0;
}

int dl_cohort_entry_set_totals(dl_cohort_entry *e, dl_points before, dl_points after)
{
	assert(e);
	e->has_totals = true;
	e->before_total = before;
	e->after_total = after;
	return 0;
}

static bool list_has(const dl__strnode *n, const char *s)
{
	for (; n; n = n->next)
		if (strcmp(n->s, s) == 0)
			return true;
	return false;
}

static int list_add(dl_cohort_entry *e, dl__strnode **list, size_t *count, size_t max, const char *s)
{
	int rc = 0;
	if (!s)
		s = "";
	if (list_has(*list, s))
		return 0;
	if (*count >= max)
		return DL_ELIMIT;
	dl__strnode *n = dl__arena_alloc(&e->arena, sizeof(*n));
	if (!n)
		return DL_ENOMEM;
	if (!(n->s = copy(e, s, &rc)))
		return rc;
	n->next = *list;
	*list = n;
	(*count)++;
	return 0;
}

int dl_cohort_entry_add_tag(dl_cohort_entry *e, dl_cohort_when when, const char *tag)
{
	assert(e && (when == DL_COHORT_BEFORE || when == DL_COHORT_AFTER));
	int w = when == DL_COHORT_AFTER;
	return list_add(e, &e->tags[w], &e->tag_count[w], DL_COHORT_TAGS_MAX, tag);
}

int dl_cohort_entry_add_weak_scenario(dl_cohort_entry *e, const char *title)
{
	assert(e);
	return list_add(e, &e->weak, &e->weak_count, DL_COHORT_CATEGORIES_MAX, title);
}

int dl_cohort_entry_add_investment(dl_cohort_entry *e, const char *category)
{
	assert(e);
	return list_add(e, &e->categories, &e->category_count, DL_COHORT_CATEGORIES_MAX, category);
}

/* --- the cohort -------------------------------------------------------------------------------- */

static void free_industries(dl_cohort *c)
{
	for (size_t k = 0; k < c->industry_count; k++) {
		dl__free(c->industries[k].name);
		dl__free(c->industries[k].before);
		dl__free(c->industries[k].after);
	}
	dl__free(c->industries);
}

void dl_cohort_free(dl_cohort *c)
{
	if (!c)
		return;
	free_industries(c);
	dl__cohort_roster_free(c);
	dl__free(c->level_values);
	dl__free(c->target_level);
	dl__free(c->achieved);
	dl__free(c->matrix);
	dl__free(c->levels_before);
	dl__free(c->levels_after);
	dl__free(c->phase_count);
	dl__free(c->phase_eligible);
	dl__free(c->phase_subsidy);
	dl__free(c);
}

static int add_industry(dl_cohort *c, const char *name, bool listed)
{
	dl__cohort_industry *ind = &c->industries[c->industry_count];
	memset(ind, 0, sizeof(*ind));
	ind->name = dl__strdup(name);
	ind->before = dl__calloc(c->nlevels + 1, sizeof(size_t));
	ind->after = dl__calloc(c->nlevels + 1, sizeof(size_t));
	ind->listed = listed;
	c->industry_count++; /* freed by free_industries even when incomplete */
	return ind->name && ind->before && ind->after ? 0 : DL_ENOMEM;
}

static int resolve(dl_cohort *c, const char *name, int *value, const char *what, dl_error *err)
{
	*value = dl__targets_level_value(c->q, name);
	if (*value >= 0)
		return 0;
	return dl__error_set(err, DL_EINVALID, dl_targets_path(c->t), 0, 0,
			     _("%s: level '%s' is not a level of questionnaire %s %s"), what, name,
			     dl_questionnaire_id(c->q), dl_questionnaire_version(c->q));
}

static int setup(dl_cohort *c, dl_error *err)
{
	const dl_targets *t = c->t;
	size_t nt = t->target_count, nd = t->deadline_count, nl = c->nlevels;
	size_t np = c->p ? dl_policy_phase_count(c->p) : 0;
	c->level_values = dl__calloc(nl ? nl : 1, sizeof(int));
	c->target_level = dl__calloc(nt ? nt : 1, sizeof(int));
	c->achieved = dl__calloc((nt ? nt : 1) * (nd + 1), sizeof(size_t));
	c->matrix = dl__calloc((nl + 1) * (nl + 1), sizeof(size_t));
	c->levels_before = dl__calloc(nl + 1, sizeof(size_t));
	c->levels_after = dl__calloc(nl + 1, sizeof(size_t));
	c->phase_count = dl__calloc(np ? np : 1, sizeof(size_t));
	c->phase_eligible = dl__calloc(np ? np : 1, sizeof(int64_t));
	c->phase_subsidy = dl__calloc(np ? np : 1, sizeof(int64_t));
	c->industry_cap = t->industry_count + DL_COHORT_INDUSTRIES_MAX + 2;
	c->industries = dl__calloc(c->industry_cap, sizeof(*c->industries));
	if (!c->level_values || !c->target_level || !c->achieved || !c->matrix ||
	    !c->levels_before || !c->levels_after || !c->phase_count || !c->phase_eligible ||
	    !c->phase_subsidy || !c->industries)
		return dl__error_set(err, DL_ENOMEM, "", 0, 0, _("out of memory"));
	for (size_t li = 0; li < nl; li++)
		c->level_values[li] = dl_questionnaire_level_value(c->q, li);
	int rc = resolve(c, t->retrofitted_level, &c->retrofitted_level, "<retrofitted>", err);
	if (rc == 0 && t->has_share)
		rc = resolve(c, t->share_level, &c->share_level, "<share>", err);
	for (size_t i = 0; rc == 0 && i < nt; i++) {
		c->target_level[i] = -1;
		if (t->targets[i].level[0])
			rc = resolve(c, t->targets[i].level, &c->target_level[i], t->targets[i].id, err);
	}
	for (size_t k = 0; rc == 0 && k < t->industry_count; k++)
		if (add_industry(c, t->industries[k], true) != 0)
			rc = dl__error_set(err, DL_ENOMEM, "", 0, 0, _("out of memory"));
	return rc;
}

int dl_cohort_new(dl_cohort **out, const dl_targets *t, const dl_questionnaire *q,
		  const dl_policy *policy, dl_error *err)
{
	assert(out && t && q);
	if (strcmp(t->questionnaire_id, dl_questionnaire_id(q)) != 0 ||
	    strcmp(t->questionnaire_version, dl_questionnaire_version(q)) != 0)
		return dl__error_set(err, DL_EMISMATCH, t->path, t->questionnaire_pos.line,
				     t->questionnaire_pos.column,
				     _("the targets are counted in questionnaire %s %s, not %s %s"),
				     t->questionnaire_id, t->questionnaire_version,
				     dl_questionnaire_id(q), dl_questionnaire_version(q));
	if (policy && (strcmp(dl_policy_questionnaire_id(policy), dl_questionnaire_id(q)) != 0 ||
		       strcmp(dl_policy_questionnaire_version(policy), dl_questionnaire_version(q)) != 0))
		return dl__error_set(
		    err, DL_EMISMATCH, dl_policy_path(policy), 0, 0,
		    _("the policy requires questionnaire %s %s, but the targets are "
		      "counted in %s %s"),
		    dl_policy_questionnaire_id(policy), dl_policy_questionnaire_version(policy),
		    dl_questionnaire_id(q), dl_questionnaire_version(q));
	dl_cohort *c = dl__calloc(1, sizeof(*c));
	if (!c)
		return dl__error_set(err, DL_ENOMEM, "", 0, 0, _("out of memory"));
	c->t = t;
	c->q = q;
	c->p = policy;
	c->nlevels = dl_questionnaire_level_count(q);
	c->share_level = -1;
	int rc = setup(c, err);
	if (rc < 0) {
		dl_cohort_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int dl_cohort_set_as_of(dl_cohort *c, const char *date, dl_error *err)
{
	char why[160];
	if (!date || dl__date_parse(date, NULL, NULL, NULL, why, sizeof(why)) != 0)
		return dl__error_set(err, DL_EINVALID, "", 0, 0,
				     _("as-of date '%s' is not a real date: %s"), date ? date : "",
				     date ? why : _("missing"));
	snprintf(c->as_of, sizeof(c->as_of), "%s", date);
	c->as_of_set = true;
	return 0;
}

size_t dl__cohort_level_index(const dl_cohort *c, int v)
{
	for (size_t li = 0; li < c->nlevels; li++)
		if (c->level_values[li] == v)
			return li;
	return c->nlevels;
}

/* --- adding an enterprise ---------------------------------------------------------------------- */

static size_t phase_find(const dl_policy *p, const char *id)
{
	for (size_t i = 0; i < dl_policy_phase_count(p); i++)
		if (strcmp(dl_policy_phase_id(p, i), id) == 0)
			return i;
	return DL_NONE;
}

static int refuse(dl_error *err, const dl_cohort_entry *e, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int refuse(dl_error *err, const dl_cohort_entry *e, const char *fmt, ...)
{
	char what[DL_ERROR_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return dl__error_set(err, DL_EINVALID, "", 0, 0, _("enterprise %s (%s): %.300s"), e->code,
			     e->name, what);
}

static int check_entry(const dl_cohort *c, const dl_cohort_entry *e, dl_error *err)
{
	char why[160];
	if (!e->code[0])
		return dl__error_set(err, DL_EINVALID, "", 0, 0,
				     _("enterprise '%s' has no credit code"), e->name);
	if (e->has_before && dl__date_parse(e->before_date, NULL, NULL, NULL, why, sizeof(why)) != 0)
		return refuse(err, e, _("date before the retrofit '%s' is not a real date: %s"),
			      e->before_date, why);
	if (e->has_after && dl__date_parse(e->after_date, NULL, NULL, NULL, why, sizeof(why)) != 0)
		return refuse(err, e, _("evaluation date '%s' is not a real date: %s"),
			      e->after_date, why);
	if (e->has_before && dl__cohort_level_index(c, e->before_level) == c->nlevels)
		return refuse(err, e,
			      _("level %d before the retrofit is not a level of the questionnaire"),
			      e->before_level);
	if (e->has_after && dl__cohort_level_index(c, e->after_level) == c->nlevels)
		return refuse(err, e,
			      _("level %d after the retrofit is not a level of the questionnaire"),
			      e->after_level);
	if (e->has_verdict && !c->p)
		return refuse(err, e, _("a verdict is given but the cohort has no policy"));
	if (e->has_verdict && e->verdict != DL_VERDICT_PASS && e->verdict != DL_VERDICT_FAIL &&
	    e->verdict != DL_VERDICT_RECTIFY)
		return refuse(err, e, _("verdict %d is none of 通过, 不通过 and 限期整改"),
			      (int)e->verdict);
	if (e->has_verdict && e->phase_id[0] && phase_find(c->p, e->phase_id) == DL_NONE)
		return refuse(err, e, _("phase '%s' is not a phase of the policy"), e->phase_id);
	if (e->has_verdict && (e->eligible < 0 || e->subsidy < 0))
		return refuse(err, e, _("a negative amount of money"));
	for (int i = 0; i < DL_STAGE_COUNT; i++)
		if (e->stage_date[i][0] &&
		    dl__date_parse(e->stage_date[i], NULL, NULL, NULL, why, sizeof(why)) != 0)
			return refuse(err, e, _("the date of stage %s '%s' is not a real date: %s"),
				      dl_stage_title((dl_stage)i), e->stage_date[i], why);
	return 0;
}

static bool retrofitted(const dl_cohort *c, const dl_cohort_entry *e)
{
	if (!e->has_after || e->after_level < c->retrofitted_level)
		return false;
	return !c->p || (e->has_verdict && e->verdict == DL_VERDICT_PASS);
}

static bool tag_matches(const dl_cohort_entry *e, const dl__target_tag *tag)
{
	if (!list_has(e->tags[DL_COHORT_AFTER], tag->name))
		return false;
	/* new: held at the evaluation and not before it; without a sheet before it, not provably new */
	return !tag->is_new || (e->has_before && !list_has(e->tags[DL_COHORT_BEFORE], tag->name));
}

static bool counts_for(const dl_cohort *c, size_t i, const dl_cohort_entry *e)
{
	const dl__target *tg = &c->t->targets[i];
	if (!tg->measurable || !e->has_after)
		return false;
	if (tg->of == DL_TARGET_OF_RETROFITTED && !retrofitted(c, e))
		return false;
	if (c->target_level[i] >= 0 && e->after_level < c->target_level[i])
		return false;
	if (tg->scale[0] && strcmp(tg->scale, e->scale) != 0)
		return false;
	bool any = tg->tag_count == 0;
	for (size_t k = 0; k < tg->tag_count && !any; k++)
		any = tag_matches(e, &tg->tags[k]);
	if (!any)
		return false;
	any = tg->category_count == 0;
	for (size_t k = 0; k < tg->category_count && !any; k++)
		any = list_has(e->categories, tg->categories[k]);
	return any;
}

/* The period an evaluation dated date falls in: a deadline index, or deadline_count (late). */
static size_t period_of(const dl_targets *t, const char *date)
{
	for (size_t d = 0; d < t->deadline_count; d++)
		if (dl__date_compare(date, t->deadlines[d].date) <= 0)
			return d;
	return t->deadline_count;
}

/* The industry entry for name, created if new; NULL when out of memory. */
static dl__cohort_industry *industry_for(dl_cohort *c, const char *name)
{
	if (!name[0])
		name = DL__COHORT_NO_INDUSTRY;
	for (size_t k = 0; k < c->industry_count; k++)
		if (strcmp(c->industries[k].name, name) == 0)
			return &c->industries[k];
	if (c->unlisted >= DL_COHORT_INDUSTRIES_MAX)
		name = DL__COHORT_OTHER_INDUSTRY;
	for (size_t k = 0; k < c->industry_count; k++)
		if (strcmp(c->industries[k].name, name) == 0)
			return &c->industries[k];
	assert(c->industry_count < c->industry_cap);
	if (add_industry(c, name, false) != 0) {
		/* keep the arrays consistent: drop the half-made entry */
		dl__cohort_industry *ind = &c->industries[--c->industry_count];
		dl__free(ind->name);
		dl__free(ind->before);
		dl__free(ind->after);
		return NULL;
	}
	if (strcmp(name, DL__COHORT_OTHER_INDUSTRY) != 0)
		c->unlisted++;
	return &c->industries[c->industry_count - 1];
}

static bool add_overflows(int64_t a, int64_t b)
{
	return b > 0 && a > INT64_MAX - b;
}

static void note_date(dl_cohort *c, const char *date)
{
	if (!c->latest[0] || dl__date_compare(date, c->latest) > 0)
		snprintf(c->latest, sizeof(c->latest), "%s", date);
}

int dl_cohort_add(dl_cohort *c, const dl_cohort_entry *e, dl_error *err)
{
	assert(c && e);
	int rc = check_entry(c, e, err);
	if (rc < 0)
		return rc;
	size_t phase = DL_NONE;
	if (e->has_verdict) {
		int64_t *slot = NULL;
		if (e->verdict == DL_VERDICT_PASS && e->phase_id[0])
			slot = &c->phase_eligible[phase = phase_find(c->p, e->phase_id)];
		else if (e->verdict == DL_VERDICT_PASS)
			slot = &c->no_phase_eligible;
		else if (e->verdict == DL_VERDICT_RECTIFY)
			slot = &c->rectify_eligible;
		else
			slot = &c->failed_eligible;
		if (add_overflows(*slot, e->eligible) || add_overflows(c->eligible_total, e->eligible) ||
		    (phase != DL_NONE && add_overflows(c->phase_subsidy[phase], e->subsidy)) ||
		    add_overflows(c->subsidy_total, e->subsidy))
			return dl__error_set(
			    err, DL_ELIMIT, "", 0, 0,
			    _("enterprise %s: the cohort's money totals would overflow"), e->code);
	}
	dl__cohort_industry *ind = industry_for(c, e->industry);
	if (!ind || dl__cohort_roster_add(c, e) != 0)
		return dl__error_set(err, DL_ENOMEM, "", 0, 0, _("out of memory"));

	/* from here on nothing can fail */
	size_t nl = c->nlevels;
	size_t bi = e->has_before ? dl__cohort_level_index(c, e->before_level) : nl;
	size_t ai = e->has_after ? dl__cohort_level_index(c, e->after_level) : nl;
	bool done = retrofitted(c, e);
	c->enterprises++;
	c->with_before += e->has_before;
	c->evaluated += e->has_after;
	c->retrofitted += done;
	if (e->has_before)
		note_date(c, e->before_date);
	if (e->has_after)
		note_date(c, e->after_date);

	size_t nd = c->t->deadline_count;
	size_t period = e->has_after ? period_of(c->t, e->after_date) : nd;
	for (size_t i = 0; i < c->t->target_count; i++)
		if (counts_for(c, i, e))
			c->achieved[i * (nd + 1) + period]++;

	ind->enterprises++;
	ind->large += strcmp(e->scale, "规上") == 0;
	ind->small += strcmp(e->scale, "规下") == 0;
	ind->evaluated += e->has_after;
	ind->retrofitted += done;
	ind->before[bi]++;
	ind->after[ai]++;
	ind->reached_before += e->has_before && e->before_level >= c->retrofitted_level;
	ind->reached_after += e->has_after && e->after_level >= c->retrofitted_level;
	if (c->t->has_share && strcmp(e->scale, c->t->share_scale) == 0) {
		ind->share_base++;
		int latest = e->has_after ? e->after_level : e->has_before ? e->before_level : -1;
		ind->share_reached += e->has_after || e->has_before ? latest >= c->share_level : 0;
	}
	c->matrix[bi * (nl + 1) + ai]++;
	c->levels_before[bi]++;
	c->levels_after[ai]++;

	if (e->has_verdict) {
		c->verdicts++;
		c->eligible_total += e->eligible;
		if (e->verdict == DL_VERDICT_FAIL) {
			c->failed++;
			c->failed_eligible += e->eligible;
		} else if (e->verdict == DL_VERDICT_RECTIFY) {
			c->rectify++;
			c->rectify_eligible += e->eligible;
		} else if (phase == DL_NONE) {
			c->passed++;
			c->passed_no_phase++;
			c->no_phase_eligible += e->eligible;
		} else {
			c->passed++;
			c->phase_count[phase]++;
			c->phase_eligible[phase] += e->eligible;
			c->phase_subsidy[phase] += e->subsidy;
			c->subsidy_total += e->subsidy;
		}
	}
	return 0;
}

/* --- figures ----------------------------------------------------------------------------------- */

const char *dl__cohort_as_of(const dl_cohort *c)
{
	return c->as_of_set ? c->as_of : c->latest;
}

const dl_targets *dl_cohort_targets(const dl_cohort *c) { return c->t; }
const dl_questionnaire *dl_cohort_questionnaire(const dl_cohort *c) { return c->q; }
const dl_policy *dl_cohort_policy(const dl_cohort *c) { return c->p; }
const char *dl_cohort_as_of(const dl_cohort *c) { return dl__cohort_as_of(c); }
size_t dl_cohort_enterprise_count(const dl_cohort *c) { return c->enterprises; }
size_t dl_cohort_before_count(const dl_cohort *c) { return c->with_before; }
size_t dl_cohort_evaluated_count(const dl_cohort *c) { return c->evaluated; }
size_t dl_cohort_retrofitted_count(const dl_cohort *c) { return c->retrofitted; }

size_t dl_cohort_achieved(const dl_cohort *c, size_t i, size_t d)
{
	size_t nd = c->t->deadline_count;
	DL__CHECK_INDEX(i, c->t->target_count, 0);
	if (d != DL_NONE) {
		DL__CHECK_INDEX(d, nd, 0);
		return c->achieved[i * (nd + 1) + d];
	}
	size_t sum = 0;
	for (d = 0; d < nd; d++)
		sum += c->achieved[i * (nd + 1) + d];
	return sum;
}

size_t dl_cohort_late(const dl_cohort *c, size_t i)
{
	size_t nd = c->t->deadline_count;
	DL__CHECK_INDEX(i, c->t->target_count, 0);
	return c->achieved[i * (nd + 1) + nd];
}

dl_target_status dl_cohort_status(const dl_cohort *c, size_t i, size_t d)
{
	const dl_targets *t = c->t;
	DL__CHECK_INDEX(i, t->target_count, DL_STATUS_NOT_MEASURED);
	if (!t->targets[i].measurable)
		return DL_STATUS_NOT_MEASURED;
	if (d != DL_NONE)
		DL__CHECK_INDEX(d, t->deadline_count, DL_STATUS_NOT_MEASURED);
	long goal = d == DL_NONE ? t->targets[i].total : t->targets[i].by_deadline[d];
	size_t last = d == DL_NONE ? t->deadline_count - 1 : d;
	if (goal <= 0)
		return DL_STATUS_NO_GOAL;
	if (dl_cohort_achieved(c, i, d) >= (size_t)goal)
		return DL_STATUS_DONE;
	const char *as_of = dl__cohort_as_of(c);
	if (!as_of[0] || t->deadline_count == 0 ||
	    dl__date_compare(as_of, t->deadlines[last].date) <= 0)
		return DL_STATUS_IN_PROGRESS;
	return DL_STATUS_MISSED;
}

const char *dl_target_status_title(dl_target_status s)
{
	switch (s) {
	case DL_STATUS_DONE: return "已完成";
	case DL_STATUS_IN_PROGRESS: return "进行中";
	case DL_STATUS_MISSED: return "未完成";
	case DL_STATUS_NO_GOAL: return "无目标";
	case DL_STATUS_NOT_MEASURED: return "无法由答卷统计";
	}
	return "";
}

size_t dl_cohort_industry_count(const dl_cohort *c) { return c->industry_count; }

const char *dl_cohort_industry(const dl_cohort *c, size_t k)
{
	DL__CHECK_INDEX(k, c->industry_count, "");
	return c->industries[k].name;
}

bool dl_cohort_industry_listed(const dl_cohort *c, size_t k)
{
	DL__CHECK_INDEX(k, c->industry_count, false);
	return c->industries[k].listed;
}

size_t dl_cohort_industry_enterprises(const dl_cohort *c, size_t k)
{
	DL__CHECK_INDEX(k, c->industry_count, 0);
	return c->industries[k].enterprises;
}

size_t dl_cohort_industry_share_base(const dl_cohort *c, size_t k)
{
	DL__CHECK_INDEX(k, c->industry_count, 0);
	return c->industries[k].share_base;
}

size_t dl_cohort_industry_share_reached(const dl_cohort *c, size_t k)
{
	DL__CHECK_INDEX(k, c->industry_count, 0);
	return c->industries[k].share_reached;
}

static size_t phase_total(const dl_cohort *c)
{
	return c->p ? dl_policy_phase_count(c->p) : 0;
}

size_t dl_cohort_phase_enterprises(const dl_cohort *c, size_t phase)
{
	DL__CHECK_INDEX(phase, phase_total(c), 0);
	return c->phase_count[phase];
}

int64_t dl_cohort_phase_eligible(const dl_cohort *c, size_t phase)
{
	DL__CHECK_INDEX(phase, phase_total(c), 0);
	return c->phase_eligible[phase];
}

int64_t dl_cohort_phase_subsidy(const dl_cohort *c, size_t phase)
{
	DL__CHECK_INDEX(phase, phase_total(c), 0);
	return c->phase_subsidy[phase];
}

size_t dl_cohort_failed_count(const dl_cohort *c) { return c->failed; }
size_t dl_cohort_rectify_count(const dl_cohort *c) { return c->rectify; }
int64_t dl_cohort_subsidy_total(const dl_cohort *c) { return c->subsidy_total; }

/* --- texts the writers share ------------------------------------------------------------------- */

const char *dl__cohort_rate(size_t achieved, long goal, char *buf, size_t size)
{
	if (goal <= 0) {
		snprintf(buf, size, "—");
		return buf;
	}
	unsigned long long permille = ((unsigned long long)achieved * 1000u + (unsigned long long)goal / 2) /
				      (unsigned long long)goal;
	snprintf(buf, size, "%llu.%llu%%", permille / 10, permille % 10);
	return buf;
}

const char *dl__cohort_share(size_t reached, size_t base, char *buf, size_t size)
{
	return dl__cohort_rate(reached, (long)base, buf, size);
}

int dl__cohort_share_met(const dl_cohort *c, size_t k)
{
	const dl__cohort_industry *ind = &c->industries[k];
	if (!c->t->has_share || ind->share_base == 0)
		return -1;
	/* reached / base >= percent / 100, in integers: reached * SCALE >= percent * base */
	return (unsigned long long)ind->share_reached * DL_SHARE_SCALE >=
		       (unsigned long long)c->t->share_percent * ind->share_base
		       ? 1
		       : 0;
}

const char *dl__cohort_period_start(const dl_cohort *c, size_t d, char *buf, size_t size)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, day;
	buf[0] = '\0';
	if (d == 0 || d > c->t->deadline_count ||
	    dl__date_parse(c->t->deadlines[d - 1].date, &y, &m, &day, NULL, 0) != 0)
		return buf;
	int length = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (++day > length) {
		day = 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	snprintf(buf, size, "%04d-%02d-%02d", y, m, day);
	return buf;
}

const char *dl__cohort_retrofitted_text_in(const dl_cohort *c, int lang, char *buf, size_t size)
{
	snprintf(
	    buf, size,
	    dl__tr_in(lang,
		      c->p ? N_("evaluated after the retrofit at %s or above, and accepted")
			   : N_("evaluated after the retrofit at %s or above; no subsidy policy "
				"given, so acceptance is not judged")),
	    c->t->retrofitted_level);
	return buf;
}

const char *dl__cohort_retrofitted_text(const dl_cohort *c, char *buf, size_t size)
{
	return dl__cohort_retrofitted_text_in(c, DL_LANGUAGE_ZH, buf, size);
}

/* Append to buf (always NUL-terminated), cutting at a UTF-8 boundary when full. */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n >= size) {
		n = size - 1 - *len;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static const char *category_title(const dl_cohort *c, const char *id)
{
	if (c->p)
		for (size_t i = 0; i < dl_policy_category_count(c->p); i++)
			if (strcmp(dl_policy_category_id(c->p, i), id) == 0)
				return dl_policy_category_title(c->p, i);
	return id;
}

void dl__cohort_rule_text_in(const dl_cohort *c, size_t i, int lang, char *buf, size_t size)
{
	const dl__target *tg = &c->t->targets[i];
	char part[600];
	size_t len = 0;
	buf[0] = '\0';
	if (!tg->measurable)
		return;
	if (tg->of == DL_TARGET_OF_RETROFITTED) {
		char rule[200];
		snprintf(part, sizeof(part), dl__tr_in(lang, N_("retrofit done (%s)")),
			 dl__cohort_retrofitted_text_in(c, lang, rule, sizeof(rule)));
	} else {
		snprintf(part, sizeof(part), "%s",
			 dl__tr_in(lang, N_("evaluated after the retrofit (at any level)")));
	}
	append(buf, size, &len, part);
	if (tg->level[0]) {
		snprintf(part, sizeof(part), dl__tr_in(lang, N_(", evaluated at %s or above")),
			 tg->level);
		append(buf, size, &len, part);
	}
	if (tg->scale[0]) {
		snprintf(part, sizeof(part), dl__tr_in(lang, N_(", %s enterprises")), tg->scale);
		append(buf, size, &len, part);
	}
	if (tg->tag_count) {
		append(buf, size, &len,
		       dl__tr_in(lang, N_(", the evaluation sheet lists the title")));
		for (size_t k = 0; k < tg->tag_count; k++) {
			snprintf(
			    part, sizeof(part),
			    dl__tr_in(lang, tg->tags[k].is_new
						? N_(" “%s” that no earlier sheet listed (new)")
						: N_(" “%s”")),
			    tg->tags[k].name);
			if (k)
				append(buf, size, &len, dl__tr_in(lang, N_(" or")));
			append(buf, size, &len, part);
		}
	}
	if (tg->category_count) {
		append(buf, size, &len, dl__tr_in(lang, N_(", the retrofit investment includes")));
		for (size_t k = 0; k < tg->category_count; k++) {
			snprintf(part, sizeof(part),
				 dl__tr_in(lang, N_(" items of the category “%s”")),
				 category_title(c, tg->categories[k]));
			if (k)
				append(buf, size, &len, dl__tr_in(lang, N_(" or")));
			append(buf, size, &len, part);
		}
	}
	append(buf, size, &len,
	       dl__tr_in(lang, N_("; counted by the evaluation date against the deadlines")));
}

void dl__cohort_rule_text(const dl_cohort *c, size_t i, char *buf, size_t size)
{
	dl__cohort_rule_text_in(c, i, DL_LANGUAGE_ZH, buf, size);
}
