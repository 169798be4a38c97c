/*
 * resolve.c: checking an answer sheet against its questionnaire, and deciding every answer.
 *
 * One pass does both, so the checks and the scoring can never disagree about what a sheet says.
 * An option can be picked by hand, follow from a value, or follow from raw figures (a ratio, or the
 * trend between two ratios); when more than one is given they must agree, and a disagreement names
 * both sides. Every problem is reported, in document order, then the missing answers are listed.
 */
#include "creditcode.h"
#include "date.h"
#include "diag.h"
#include "i18n.h"
#include "result.h"
#include "sheet_model.h"
#include "slips.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define REPORT(pos, ...) dl__diag_report(d, DL_EINVALID, (pos).line, (pos).column, __VA_ARGS__)

typedef struct figures {
	int64_t *value; /* per questionnaire figure, units of 10^-4 */
	bool *have;
	bool *refused; /* given but not usable (reported): a question it derives is not said missing */
} figures;

/* --- enterprise, assessment, retrofit ---------------------------------------------------------- */

static void check_identity(const dl_sheet *s, dl__diag *d)
{
	static const char *const labels[DL__ENTERPRISE_FIELDS] = {
		N_("enterprise name"), N_("统一社会信用代码 (credit-code)"), "", "",
		N_("细分行业 (industry)"), N_("规上/规下 (scale)"), ""};
	char why[160];
	for (int i = 0; i < DL__ENTERPRISE_FIELDS; i++)
		if (labels[i][0] && !s->enterprise[i][0])
			REPORT(s->enterprise_pos[i], _("%s is missing"), _(labels[i]));
	const char *code = s->enterprise[DL_ENTERPRISE_CREDIT_CODE];
	int rc = code[0] ? dl__credit_code_check(code, why, sizeof(why)) : 0;
	if (rc == DL_ENOMEM)
		dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
	else if (rc != 0)
		REPORT(s->enterprise_pos[DL_ENTERPRISE_CREDIT_CODE],
		       _("统一社会信用代码 '%s' is not valid: %s"), code, why);
	int y, m, dd;
	if (!s->date[0])
		REPORT(s->assessment_pos, _("assessment date is missing"));
	else if (dl__date_parse(s->date, &y, &m, &dd, why, sizeof(why)) != 0)
		REPORT(s->assessment_pos, _("assessment date '%s' is not a real date: %s"), s->date, why);
	if (!s->organisation[0] && s->phase != DL_PHASE_SELF_CHECK)
		REPORT(s->assessment_pos, _("the assessing organisation is missing"));
	if (!s->has_retrofit)
		return;
	dl__retrofit_package_check(s, d);
	bool dates_ok = true;
	if (dl__date_parse(s->completed, &y, &m, &dd, why, sizeof(why)) != 0) {
		REPORT(s->completed_pos, _("retrofit completion date '%s' is not a real date: %s"),
		       s->completed, why);
		dates_ok = false;
	}
	if (dl__date_parse(s->applied, &y, &m, &dd, why, sizeof(why)) != 0) {
		REPORT(s->applied_pos, _("acceptance application date '%s' is not a real date: %s"),
		       s->applied, why);
		dates_ok = false;
	}
	if (dates_ok && s->date[0] && dl__date_parse(s->date, &y, &m, &dd, NULL, 0) == 0 &&
	    dl__date_compare(s->date, s->completed) < 0)
		REPORT(s->assessment_pos,
		       _("the assessment on %s is dated before the retrofit it evaluates was completed (%s)"),
		       s->date, s->completed);
	if (dates_ok && dl__date_compare(s->applied, s->completed) < 0)
		REPORT(s->applied_pos,
		       _("acceptance was applied for on %s, before the retrofit was completed on %s"),
		       s->applied, s->completed);
	if (dates_ok && s->date[0] && dl__date_parse(s->date, &y, &m, &dd, NULL, 0) == 0 &&
	    dl__date_compare(s->date, s->applied) < 0)
		REPORT(s->applied_pos,
		       _("acceptance was applied for on %s, after the assessment on %s that answers it"),
		       s->applied, s->date);
}

/* --- figures ----------------------------------------------------------------------------------- */

static void read_figures(const dl_sheet *s, const dl_questionnaire *q, figures *f, dl__diag *d)
{
	for (size_t i = 0; i < s->figure_count; i++) {
		const dl__figure_value *fv = &s->figures[i];
		size_t fi = dl_questionnaire_figure_find(q, fv->id);
		if (fi == DL_NONE) {
			REPORT(fv->pos, _("unknown figure '%s' (questionnaire '%s' has no such figure)"),
			       fv->id, q->id);
			continue;
		}
		if (!fv->text[0])
			continue; /* left blank */
		int64_t v = 0;
		int rc = dl__number_parse(fv->text, 4, DL__DECIMAL_MAX, &v);
		if (rc == DL__NUMBER_MALFORMED) {
			/* what was written and what was expected, with the fix of a usual slip (slips.h) */
			char msg[DL_ERROR_MESSAGE_MAX], fix[64];
			dl__slip slip = dl__slip_number(fv->text, DL__NUMBER_DECIMAL4, fix, sizeof(fix));
			snprintf(msg, sizeof(msg), _("figure '%s' (%s) should be %s; it says '%s'"),
				 q->figures[fi].label, fv->id, _("a number (e.g. 120 or 12.5)"), fv->text);
			dl__slip_advise(msg, sizeof(msg), slip, fix);
			REPORT(fv->pos, "%s", msg);
			f->refused[fi] = true;
			continue;
		}
		if (rc != 0) {
			/* a figure by the questionnaire's name for it, its id for the integrator */
			REPORT(fv->pos, _("figure '%s' (%s): '%s' is %s"), q->figures[fi].label, fv->id, fv->text,
			       rc == DL__NUMBER_RANGE ? _("beyond the limit of 999999999.9999")
					: _("not a decimal with at most 4 fractional digits"));
			f->refused[fi] = true;
			continue;
		}
		if (f->have[fi]) {
			REPORT(fv->pos, _("figure '%s' (%s) is given twice"), q->figures[fi].label, fv->id);
			continue;
		}
		if (v < 0) {
			REPORT(fv->pos, _("figure '%s' (%s) is negative: %s"), q->figures[fi].label, fv->id,
			       fv->text);
			f->refused[fi] = true;
			continue;
		}
		if (q->figures[fi].integer && v % DL_POINTS_SCALE != 0) {
			REPORT(fv->pos, _("figure '%s' (%s) must be a whole number, not %s"),
			       q->figures[fi].label, fv->id, fv->text);
			f->refused[fi] = true;
			continue;
		}
		f->value[fi] = v;
		f->have[fi] = true;
	}
}

/* Whether every figure of the ratio is given; *missing names the first one that is not. */
static bool ratio_complete(const dl__ratio *r, const figures *f, size_t *missing)
{
	if (r->numerator != DL_NONE && !f->have[r->numerator]) {
		*missing = r->numerator;
		return false;
	}
	if (r->denominator != DL_NONE && !f->have[r->denominator]) {
		*missing = r->denominator;
		return false;
	}
	return true;
}

static bool ratio_any(const dl__ratio *r, const figures *f)
{
	/* a figure given but refused counts as given: the question is not said unanswered as well */
	return (r->numerator != DL_NONE && (f->have[r->numerator] || f->refused[r->numerator])) ||
	       (r->denominator != DL_NONE && (f->have[r->denominator] || f->refused[r->denominator]));
}

/* numerator / denominator as a fraction of figure units (a missing denominator counts as 1). */
static dl__frac ratio_value(const dl__ratio *r, const figures *f)
{
	dl__frac v = {f->value[r->numerator], DL_POINTS_SCALE};
	if (r->denominator != DL_NONE)
		v.den = f->value[r->denominator];
	return v;
}

/*
 * Append the strings that follow, up to a NULL, to buf (size bytes) at *n, exactly as snprintf with
 * "%s%s..." at buf + *n and size - *n would (cut to fit, always NUL-terminated; nothing when *n is
 * past the end); *n grows by their whole length, as by snprintf's result. Every sheet's bases are
 * built of a few dozen such strings: by hand they cost a tenth of snprintf.
 */
static void concat(char *buf, size_t size, size_t *n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (const char *text; (text = va_arg(ap, const char *)) != NULL;) {
		size_t len = strlen(text);
		if (*n < size) {
			size_t room = size - 1 - *n, k = len < room ? len : room;
			memcpy(buf + *n, text, k);
			buf[*n + k] = '\0';
		}
		*n += len;
	}
	va_end(ap);
}

static void ratio_describe(const dl_questionnaire *q, const dl__ratio *r, const figures *f,
			   char *buf, size_t size)
{
	char a[32], b[32], s[32];
	size_t n = 0;
	concat(buf, size, &n, q->figures[r->numerator].id, " ",
	       dl__decimal_format(f->value[r->numerator], a, sizeof(a)), (const char *)NULL);
	if (r->denominator != DL_NONE && n < size)
		concat(buf, size, &n, " / ", q->figures[r->denominator].id, " ",
		       dl__decimal_format(f->value[r->denominator], b, sizeof(b)), (const char *)NULL);
	if (r->scale != DL_POINTS_SCALE && n < size)
		concat(buf, size, &n, " × ", dl__decimal_format(r->scale, s, sizeof(s)),
		       (const char *)NULL);
}

/* --- options ----------------------------------------------------------------------------------- */

static bool in_band(const dl__option *o, dl__frac v)
{
	dl__frac lo = {o->lower, 1}, hi = {o->upper, 1};
	int c_lo = dl__frac_cmp(v, lo), c_hi = dl__frac_cmp(v, hi);
	return (c_lo > 0 || (c_lo == 0 && o->lower_closed)) &&
	       (c_hi < 0 || (c_hi == 0 && o->upper_closed));
}

static size_t band_option(const dl__question *qu, dl__frac v)
{
	for (size_t i = 0; i < qu->option_count; i++)
		if (in_band(&qu->options[i], v))
			return i;
	return DL_NONE;
}

static size_t trend_option(const dl__question *qu, dl_trend t)
{
	for (size_t i = 0; i < qu->option_count; i++)
		if (qu->options[i].trend == t)
			return i;
	return DL_NONE;
}

/*
 * The trend between current c = a/b and previous p = c2/e: relative change (c − p) / p × 100, in
 * percent, compared with the tolerance exactly by cross-multiplying (see docs/arithmetic.md).
 */
static dl_trend trend_of(const dl__question *qu, dl__frac cur, dl__frac prev, dl__frac *change)
{
	change->num = 0;
	change->den = 1;
	if (prev.num == 0)
		return cur.num == 0 ? DL_TREND_FLAT : DL_TREND_UP;
	/* change in percent = (cur.num*prev.den − prev.num*cur.den) * 100 / (prev.num*cur.den) */
	dl__i128 diff = cur.num * prev.den - prev.num * cur.den;
	dl__i128 base = prev.num * cur.den;
	change->num = diff * 100;
	change->den = base;
	if (change->den < 0) {
		change->num = -change->num;
		change->den = -change->den;
	}
	dl__frac tol = {qu->tolerance, DL_POINTS_SCALE};
	dl__frac magnitude = {change->num < 0 ? -change->num : change->num, change->den};
	if (dl__frac_cmp(magnitude, tol) <= 0)
		return DL_TREND_FLAT;
	return change->num > 0 ? DL_TREND_UP : DL_TREND_DOWN;
}

static const char *option_label(const dl__question *qu, size_t oi, char *buf, size_t size)
{
	const dl__option *o = &qu->options[oi];
	if (o->band[0])
		snprintf(buf, size, "'%s' %s", o->id, o->band);
	else
		snprintf(buf, size, "'%s' (%s)", o->id, o->text);
	return buf;
}

/* Keep text (copied) as how question qi's option was found; false when out of memory. */
static bool set_basis(dl_result *r, size_t qi, const char *text, bool *oom)
{
	r->basis[qi] = dl__arena_strdup(&r->arena, text);
	if (!r->basis[qi])
		*oom = true;
	return r->basis[qi] != NULL;
}

/*
 * Question qi has no option and figure `missing`, needed to derive it, is not given: refused, or in
 * a provisional score noted (the question is then left unanswered, not failed).
 */
static void figure_missing(dl_result *r, size_t qi, dl__pos where, size_t missing, const figures *f,
			   dl__diag *d, bool *failed)
{
	const dl_questionnaire *q = r->q;
	if (r->partial) {
		r->missing_figure[qi] = missing;
		return;
	}
	*failed = true;
	if (f->refused[missing])
		return; /* the figure's own problem is said where it is written */
	REPORT(where, _("question '%s' cannot be derived: figure '%s' (%s) is missing"),
	       q->questions[qi].id, q->figures[missing].label, q->figures[missing].id);
}

/*
 * Decide the option that figures or a value give for question qu; DL_NONE if they give none.
 * Out of memory: *oom set, DL_NONE, and r->basis[qi] left NULL.
 */
static size_t derived_option(dl_result *r, size_t qi, const dl__answer *ans, const figures *f,
			     dl__diag *d, bool *failed, bool *oom)
{
	const dl_questionnaire *q = r->q;
	const dl__question *qu = &q->questions[qi];
	char desc[400], buf[600], v1[48], v2[48], lbl[200], lbl2[200];
	size_t missing = DL_NONE;
	size_t from_value = DL_NONE, from_figures = DL_NONE;
	dl__pos where = ans ? ans->pos : q->questions[qi].pos;

	if (ans && ans->value) {
		if (qu->input != DL_INPUT_VALUE) {
			REPORT(ans->value_pos, _("question '%s' takes no <value>: pick an option"), qu->id);
			*failed = true;
			return DL_NONE;
		}
		int64_t v = 0;
		int rc = dl__number_parse(ans->value, 4, DL__DECIMAL_MAX, &v);
		if (rc != 0) {
			REPORT(ans->value_pos, _("value of question '%s': '%s' is not a decimal within ±999999999.9999"),
			       qu->id, ans->value);
			*failed = true;
			return DL_NONE;
		}
		dl__frac fv = {v, 1};
		from_value = band_option(qu, fv);
		if (from_value == DL_NONE) {
			REPORT(ans->value_pos, _("value %s%s of question '%s' is outside every band (%s to %s)"),
			       ans->value, qu->unit, qu->id, qu->options[0].band,
			       qu->options[qu->option_count - 1].band);
			*failed = true;
			return DL_NONE;
		}
		size_t n = 0;
		concat(buf, sizeof(buf), &n, ans->value, qu->unit, " (value given)", (const char *)NULL);
		if (!set_basis(r, qi, buf, oom))
			return DL_NONE;
	}

	if (qu->input == DL_INPUT_VALUE && qu->has_ratio && ratio_any(&qu->ratio, f)) {
		if (!ratio_complete(&qu->ratio, f, &missing)) {
			if (!ans || (ans->choice_count == 0 && !ans->value))
				figure_missing(r, qi, where, missing, f, d, failed);
			return from_value;
		}
		dl__frac ratio = ratio_value(&qu->ratio, f);
		ratio_describe(q, &qu->ratio, f, desc, sizeof(desc));
		if (ratio.den == 0) {
			REPORT(where, _("question '%s' cannot be derived: %s divides by zero"), qu->id, desc);
			*failed = true;
			return DL_NONE;
		}
		dl__frac value = {ratio.num * qu->ratio.scale, ratio.den};
		dl__frac shown = {value.num, value.den * DL_POINTS_SCALE};
		dl__frac_format(shown, 2, v1, sizeof(v1));
		from_figures = band_option(qu, value);
		if (from_figures == DL_NONE) {
			REPORT(where, _("question '%s': the figures give %s%s (%s), outside the bands, which cover %s to %s"),
			       qu->id, v1, qu->unit, desc, qu->options[0].band,
			       qu->options[qu->option_count - 1].band);
			*failed = true;
			return DL_NONE;
		}
		if (from_value != DL_NONE && from_value != from_figures) {
			REPORT(ans->value_pos,
			       _("question '%s': the value %s%s is in option %s but the figures give %s%s (%s), in option %s"),
			       qu->id, ans->value, qu->unit, option_label(qu, from_value, lbl, sizeof(lbl)),
			       v1, qu->unit, desc, option_label(qu, from_figures, lbl2, sizeof(lbl2)));
			*failed = true;
			return DL_NONE;
		}
		size_t n = 0;
		concat(buf, sizeof(buf), &n, v1, qu->unit, ": ", desc, (const char *)NULL);
		return set_basis(r, qi, buf, oom) ? from_figures : DL_NONE;
	}

	if (qu->input == DL_INPUT_TREND &&
	    (ratio_any(&qu->current, f) || ratio_any(&qu->previous, f))) {
		if (!ratio_complete(&qu->current, f, &missing) ||
		    !ratio_complete(&qu->previous, f, &missing)) {
			if (!ans || ans->choice_count == 0)
				figure_missing(r, qi, where, missing, f, d, failed);
			return DL_NONE;
		}
		dl__frac cur = ratio_value(&qu->current, f), prev = ratio_value(&qu->previous, f);
		ratio_describe(q, &qu->current, f, desc, sizeof(desc));
		size_t n = strlen(desc);
		concat(desc, sizeof(desc), &n, " against ", (const char *)NULL);
		n = strlen(desc);
		ratio_describe(q, &qu->previous, f, desc + n, sizeof(desc) - n);
		if (cur.den == 0 || prev.den == 0) {
			REPORT(where, _("question '%s' cannot be derived: %s divides by zero"), qu->id, desc);
			*failed = true;
			return DL_NONE;
		}
		dl__frac change;
		dl_trend t = trend_of(qu, cur, prev, &change);
		from_figures = trend_option(qu, t);
		n = 0;
		if (prev.num == 0)
			concat(buf, sizeof(buf), &n, qu->options[from_figures].text, ": ", desc,
			       (const char *)NULL);
		else
			concat(buf, sizeof(buf), &n, qu->options[from_figures].text, " (",
			       change.num > 0 ? "+" : "", dl__frac_format(change, 2, v2, sizeof(v2)),
			       "%): ", desc, (const char *)NULL);
		return set_basis(r, qi, buf, oom) ? from_figures : DL_NONE;
	}
	return from_value;
}

/* Decide question qi's answer. Out of memory: r->basis[qi] is left NULL. */
static void resolve_answer(dl_result *r, size_t qi, const dl__answer *ans, const figures *f,
			   dl__diag *d, bool *answered)
{
	const dl_questionnaire *q = r->q;
	const dl__question *qu = &q->questions[qi];
	bool *chosen = r->chosen + r->option_offset[qi];
	size_t picked = 0, first = DL_NONE, exclusive = DL_NONE;
	bool failed = false, exclusive_reported = false;
	char lbl[200], lbl2[200];

	for (size_t k = 0; ans && k < ans->choice_count; k++) {
		const dl__choice *c = &ans->choices[k];
		size_t oi = dl_questionnaire_option_find(q, qi, c->option);
		if (oi == DL_NONE) {
			REPORT(c->pos, _("unknown option '%s' of question '%s' (options: %s…%s)"), c->option,
			       qu->id, qu->options[0].id, qu->options[qu->option_count - 1].id);
			failed = true;
			continue;
		}
		if (chosen[oi]) {
			REPORT(c->pos, _("option '%s' of question '%s' is chosen twice"), c->option, qu->id);
			failed = true;
			continue;
		}
		if (qu->type == DL_QUESTION_SINGLE && picked == 1) {
			REPORT(c->pos, _("question '%s' is single-choice but options '%s' and '%s' are both chosen"),
			       qu->id, qu->options[first].id, c->option);
			failed = true;
			continue;
		}
		if (qu->type == DL_QUESTION_MULTI && picked > 0 &&
		    (qu->options[oi].exclusive || exclusive != DL_NONE)) {
			size_t ex = qu->options[oi].exclusive ? oi : exclusive;
			size_t other = qu->options[oi].exclusive ? first : oi;
			if (!exclusive_reported)
				REPORT(c->pos, _("option '%s' (%s) of question '%s' excludes every other option, but '%s' is chosen too"),
				       qu->options[ex].id, qu->options[ex].text, qu->id, qu->options[other].id);
			exclusive_reported = failed = true;
			continue;
		}
		chosen[oi] = true;
		if (picked++ == 0)
			first = oi;
		if (qu->options[oi].exclusive)
			exclusive = oi;
	}

	bool oom = false;
	size_t derived = derived_option(r, qi, ans, f, d, &failed, &oom);
	if (oom)
		return; /* r->basis[qi] is NULL: the caller reports it */
	if (derived != DL_NONE && picked > 0 && !chosen[derived]) {
		REPORT(ans->choices[0].pos,
		       _("question '%s': option %s was picked by hand but %s gives option %s"),
		       qu->id, option_label(qu, first, lbl, sizeof(lbl)), r->basis[qi],
		       option_label(qu, derived, lbl2, sizeof(lbl2)));
		failed = true;
	}
	r->source[qi] = DL_SOURCE_HAND;
	if (derived != DL_NONE && picked > 0)
		r->source[qi] = DL_SOURCE_HAND_CHECKED;
	if (derived != DL_NONE && picked == 0) {
		chosen[derived] = true;
		picked = 1;
		r->source[qi] = ans && ans->value ? DL_SOURCE_VALUE : DL_SOURCE_FIGURES;
	}
	if (picked > 0 && !(ans && ans->value) && derived == DL_NONE)
		r->basis[qi] = "";
	if (!r->basis[qi])
		r->basis[qi] = "";
	*answered = picked > 0 || failed;
}

/* --- scenarios --------------------------------------------------------------------------------- */

static void resolve_scenarios(dl_result *r, const dl_sheet *s, dl__diag *d, bool *seen)
{
	const dl_questionnaire *q = r->q;
	for (size_t i = 0; i < s->scenario_count; i++) {
		const dl__scenario_answer *sa = &s->scenarios[i];
		size_t si = dl_questionnaire_scenario_find(q, sa->id);
		if (si == DL_NONE) {
			REPORT(sa->pos, _("unknown scenario '%s'"), sa->id);
			continue;
		}
		if (seen[si]) {
			REPORT(sa->pos, _("scenario '%s' (%s) is rated twice"), sa->id, q->scenarios[si].title);
			continue;
		}
		if (!sa->level[0])
			continue; /* blank: reported as missing below */
		seen[si] = true;
		int64_t level = 0;
		if (dl__number_parse(sa->level, 0, 999, &level) != 0 || level < 0 ||
		    level > q->max_level) {
			REPORT(sa->pos, _("level %s of scenario '%s' (%s) is outside 0–%d"), sa->level, sa->id,
			       q->scenarios[si].title, q->max_level);
			continue;
		}
		r->scenario_levels[si] = (int)level;
	}
}

/* --- hints ------------------------------------------------------------------------------------- */

/* Whether no option of question qi is chosen (unanswered, or its answer refused). */
static bool no_option(const dl_result *r, size_t qi)
{
	for (size_t oi = 0; oi < r->q->questions[qi].option_count; oi++)
		if (r->chosen[r->option_offset[qi] + oi])
			return false;
	return true;
}

/*
 * The hints of question qi that apply (docs/scoring.md, "Hints") to d's callback, as information
 * (code DL_OK, counted as no problem): an option's at the <choose> of that option, the question's at
 * its <answer> (or <answers>).
 */
static void report_hints(const dl_result *r, size_t qi, const dl__answer *ans, bool unanswered,
			 dl__pos answers_pos, const dl__diag *d)
{
	const dl__question *qu = &r->q->questions[qi];
	dl__diag info = *d; /* information: stored in no one's error, counted in no one's problems */
	info.err = NULL;
	for (size_t i = 0; i < qu->hint_count; i++) {
		const dl__hint *h = &qu->hints[i];
		if (!dl__hint_applies(r, qi, i, unanswered))
			continue;
		dl__pos where = ans ? ans->pos : answers_pos;
		for (size_t k = 0; ans && h->option != DL_NONE && k < ans->choice_count; k++)
			if (strcmp(ans->choices[k].option, qu->options[h->option].id) == 0)
				where = ans->choices[k].pos;
		if (h->option == DL_NONE)
			dl__diag_report(&info, DL_OK, where.line, where.column, _("hint: question %s: %s"),
					qu->id, h->text);
		else
			dl__diag_report(&info, DL_OK, where.line, where.column,
					_("hint: question %s, option %s: %s"), qu->id, qu->options[h->option].id,
					h->text);
	}
}

/* --- the whole sheet --------------------------------------------------------------------------- */

int dl__resolve(dl_result *r, const dl_sheet *s, dl__diag *d)
{
	const dl_questionnaire *q = r->q;
	unsigned long before = d->count;
	if (strcmp(s->questionnaire_id, q->id) != 0 || strcmp(s->questionnaire_version, q->version) != 0)
		return dl__diag_report(d, DL_EMISMATCH, s->pos.line, s->pos.column,
				       _("the sheet answers questionnaire '%s' version '%s', not '%s' version '%s'"),
				       s->questionnaire_id, s->questionnaire_version, q->id, q->version);

	figures f;
	f.value = dl__arena_array(&r->arena, q->figure_count, sizeof(int64_t));
	f.have = dl__arena_array(&r->arena, q->figure_count, sizeof(bool));
	f.refused = dl__arena_array(&r->arena, q->figure_count, sizeof(bool));
	bool *answered = dl__arena_array(&r->arena, q->question_count, sizeof(bool));
	bool *seen = dl__arena_array(&r->arena, q->scenario_count, sizeof(bool));
	const dl__answer **by_question = dl__arena_array(&r->arena, q->question_count, sizeof(void *));
	if (!f.value || !f.have || !f.refused || !answered || !seen || !by_question)
		return dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));

	check_identity(s, d);
	read_figures(s, q, &f, d);
	for (size_t i = 0; i < s->answer_count; i++) {
		const dl__answer *a = &s->answers[i];
		size_t qi = dl_questionnaire_question_find(q, a->question);
		if (qi == DL_NONE)
			REPORT(a->pos, _("unknown question '%s'"), a->question);
		else if (by_question[qi])
			REPORT(a->pos, _("question '%s' is answered twice (first at line %lu)"), a->question,
			       by_question[qi]->pos.line);
		else
			by_question[qi] = a;
	}
	for (size_t qi = 0; qi < q->question_count; qi++) {
		resolve_answer(r, qi, by_question[qi], &f, d, &answered[qi]);
		if (!r->basis[qi])
			return dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
	}
	for (size_t qi = 0; qi < q->question_count; qi++) {
		if (!answered[qi] && r->partial) {
			r->unanswered[qi] = true; /* counts as nothing: no option chosen */
			r->unanswered_count++;
		} else if (!answered[qi]) {
			dl__pos where = by_question[qi] ? by_question[qi]->pos : s->answers_pos;
			REPORT(where, _("question '%s' (%s) is not answered"), q->questions[qi].id,
			       q->questions[qi].text);
		}
		if (r->hints_to_diag) /* a question's hints when no option is decided, for whatever reason */
			report_hints(r, qi, by_question[qi], no_option(r, qi), s->answers_pos, d);
	}
	resolve_scenarios(r, s, d, seen);
	for (size_t si = 0; si < q->scenario_count; si++)
		if (!seen[si] && r->partial) {
			r->unrated[si] = true; /* level 0 */
			r->unanswered_count++;
		} else if (!seen[si]) {
			dl__pos where = s->scenarios_pos;
			for (size_t i = 0; i < s->scenario_count; i++)
				if (strcmp(s->scenarios[i].id, q->scenarios[si].id) == 0)
					where = s->scenarios[i].pos;
			REPORT(where, _("scenario '%s' (%s) has no level"), q->scenarios[si].id,
			       q->scenarios[si].title);
		}
	if (d->count > before)
		return d->first_code && d->first_code != DL_EINVALID && before == 0 ? d->first_code
										     : DL_EINVALID;
	return 0;
}
