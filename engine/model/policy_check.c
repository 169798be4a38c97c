/*
 * policy_check.c: the checks a policy must pass beyond its schema, on its own and against a
 * questionnaire.
 *
 * A policy file decides how much public money an enterprise receives, and a typo in it would change
 * every subsidy silently. So the loader refuses a policy whose phase windows overlap (a date would
 * fall in two phases) or are not real dates, whose rates are outside 0–100%, whose caps or bonuses
 * are negative, or whose categories and phase references do not resolve, and names every problem
 * with its position. Level names are checked against the questionnaire the policy is used with.
 */
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "policy_model.h"

#include <stdio.h>
#include <string.h>

#define REPORT(pos, ...) dl__diag_report(d, DL_EINVALID, (pos).line, (pos).column, __VA_ARGS__)

static void check_categories(const dl_policy *p, dl__diag *d)
{
	for (size_t i = 0; i < p->category_count; i++) {
		const dl__category *c = &p->categories[i];
		bool duplicate = false;
		for (size_t j = 0; j < i && !duplicate; j++)
			if (strcmp(c->id, p->categories[j].id) == 0) {
				REPORT(c->pos, _("duplicate category id '%s' (first at line %lu)"), c->id,
				       p->categories[j].pos.line);
				duplicate = true;
			}
		if (!duplicate && !c->decided)
			REPORT(c->pos,
			       _("category '%s' is neither included nor excluded in <eligible>: say "
			       "which"),
			       c->id);
	}
}

static void check_eligible(const dl_policy *p, dl__diag *d)
{
	for (size_t i = 0; i < p->entry_count; i++) {
		const dl__eligible_entry *e = &p->entries[i];
		size_t ci = dl__policy_category_find(p, e->category);
		if (ci == DL_NONE) {
			REPORT(e->pos,
			       e->include ? _("<include> names category '%s', which <categories> does not "
					      "declare")
					  : _("<exclude> names category '%s', which <categories> does not "
					      "declare"),
			       e->category);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->entries[j].category, e->category) == 0) {
				REPORT(e->pos,
				       p->entries[j].include ? _("category '%s' is already included at line %lu")
							     : _("category '%s' is already excluded at line %lu"),
				       e->category, p->entries[j].pos.line);
				break;
			}
	}
}

static bool window_dates_ok(const dl__policy_phase *ph, dl__diag *d)
{
	char why[160];
	bool ok = true;
	const char *ends[2] = {ph->from, ph->to};
	const char *messages[2] = {N_("phase '%s': the window's first day '%s' is not a real date: %s"),
				   N_("phase '%s': the window's last day '%s' is not a real date: %s")};
	for (int i = 0; i < 2; i++)
		if (ends[i][0] && dl__date_parse(ends[i], NULL, NULL, NULL, why, sizeof(why)) != 0) {
			REPORT(ph->window_pos, _(messages[i]), ph->id, ends[i], why);
			ok = false;
		}
	if (ok && ph->from[0] && ph->to[0] && dl__date_compare(ph->from, ph->to) > 0) {
		REPORT(ph->window_pos, _("phase '%s': window ends on %s, before it starts on %s"), ph->id,
		       ph->to, ph->from);
		ok = false;
	}
	return ok;
}

/* Whether two inclusive windows with open ends ("") share a day. */
static bool windows_overlap(const dl__policy_phase *a, const dl__policy_phase *b)
{
	/* They are disjoint exactly when one ends before the other starts. */
	if (a->to[0] && b->from[0] && dl__date_compare(a->to, b->from) < 0)
		return false;
	if (b->to[0] && a->from[0] && dl__date_compare(b->to, a->from) < 0)
		return false;
	return true;
}

static const char *window_text(const dl__policy_phase *ph, char *buf, size_t size)
{
	if (ph->from[0] && ph->to[0])
		snprintf(buf, size, _("from %s to %s"), ph->from, ph->to);
	else if (ph->from[0])
		snprintf(buf, size, _("from %s on"), ph->from);
	else if (ph->to[0])
		snprintf(buf, size, _("up to %s"), ph->to);
	else
		snprintf(buf, size, "%s", _("without limits"));
	return buf;
}

static void check_amounts(const dl__policy_phase *ph, const dl__level_amount *a, size_t count,
			  const char *what, dl__diag *d)
{
	char money[40];
	for (size_t i = 0; i < count; i++) {
		if (a[i].fen < 0)
			REPORT(a[i].pos, _("phase '%s': %s for level %s is negative: %s yuan"), ph->id, what,
			       a[i].level, dl__money_format(a[i].fen, money, sizeof(money)));
		for (size_t j = 0; j < i; j++)
			if (strcmp(a[i].level, a[j].level) == 0) {
				REPORT(a[i].pos, _("phase '%s': %s for level %s is given twice (the first is "
						   "at line %lu)"),
				       ph->id, what, a[i].level, a[j].pos.line);
				break;
			}
	}
}

/* A bonus is paid on top of the capped amount; one larger than every cap of its phase is taken
 * for a typo (a zero too many) rather than paid. A phase without caps is bounded at compare time:
 * no subsidy is paid past the eligible investment (subsidy.c). */
static void check_bonus_bound(const dl__policy_phase *ph, dl__diag *d)
{
	bool capped = ph->has_cap;
	int64_t largest = ph->has_cap ? ph->cap : 0;
	for (size_t i = 0; i < ph->level_cap_count; i++) {
		if (!capped || ph->level_caps[i].fen > largest)
			largest = ph->level_caps[i].fen;
		capped = true;
	}
	if (!capped)
		return;
	char a[40], b[40];
	for (size_t i = 0; i < ph->bonus_count; i++)
		if (ph->bonuses[i].fen > largest)
			REPORT(ph->bonuses[i].pos,
			       _("phase '%s': bonus for level %s (%s yuan) is larger than the phase's largest "
			       "cap (%s yuan)"),
			       ph->id, ph->bonuses[i].level,
			       dl__money_format(ph->bonuses[i].fen, a, sizeof(a)),
			       dl__money_format(largest, b, sizeof(b)));
}

static void check_phases(const dl_policy *p, dl__diag *d)
{
	char a[40], b[40];
	bool all_ok = true;
	for (size_t i = 0; i < p->phase_count; i++) {
		const dl__policy_phase *ph = &p->phases[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(ph->id, p->phases[j].id) == 0) {
				REPORT(ph->pos, _("duplicate phase id '%s' (first at line %lu)"), ph->id,
				       p->phases[j].pos.line);
				break;
			}
		if (!window_dates_ok(ph, d))
			all_ok = false;
		if (ph->otherwise_id[0] && ph->otherwise == DL_NONE)
			REPORT(ph->first_attempt_pos,
			       _("phase '%s': otherwise refers to unknown phase '%s'"), ph->id,
			       ph->otherwise_id);
		else if (ph->otherwise == i)
			REPORT(ph->first_attempt_pos, _("phase '%s': otherwise refers to the phase itself"),
			       ph->id);
		if (ph->rate < 0 || ph->rate > DL_RATE_SCALE)
			REPORT(ph->rate_pos, _("phase '%s': rate %s%% is outside 0–100%%"), ph->id,
			       dl__rate_format(ph->rate, a, sizeof(a)));
		if (ph->plain_caps > 1)
			REPORT(ph->second_cap_pos,
			       _("phase '%s' has a second <cap> without a level (the first is at line %lu)"),
			       ph->id, ph->cap_pos.line);
		if (ph->has_cap && ph->cap < 0)
			REPORT(ph->cap_pos, _("phase '%s': cap is negative: %s yuan"), ph->id,
			       dl__money_format(ph->cap, a, sizeof(a)));
		check_amounts(ph, ph->level_caps, ph->level_cap_count, _("the cap"), d);
		check_amounts(ph, ph->bonuses, ph->bonus_count, _("the bonus"), d);
		check_bonus_bound(ph, d);
	}
	if (!all_ok)
		return; /* overlaps of windows that are not dates would only add noise */
	for (size_t i = 0; i < p->phase_count; i++)
		for (size_t j = 0; j < i; j++)
			if (windows_overlap(&p->phases[i], &p->phases[j])) {
				REPORT(p->phases[i].window_pos,
				       _("phase '%s': its window (%s) overlaps the window of phase '%s' (%s, "
				       "line %lu): a date must fall in one phase only"),
				       p->phases[i].id, window_text(&p->phases[i], a, sizeof(a)),
				       p->phases[j].id, window_text(&p->phases[j], b, sizeof(b)),
				       p->phases[j].window_pos.line);
				break;
			}
}

/* The acceptance package rules: real dates, unique material ids, a deadline wherever a finding can
 * lead to 限期整改, a ceiling within 0-100%. */
static void check_package_rules(const dl_policy *p, dl__diag *d)
{
	char why[160], a[40];
	const char *ends[2] = {p->signed_from, p->signed_to};
	bool dates_ok = true;
	for (int i = 0; p->has_contract_window && i < 2; i++)
		if (ends[i][0] && dl__date_parse(ends[i], NULL, NULL, NULL, why, sizeof(why)) != 0) {
			REPORT(p->contract_pos,
			       i ? _("<contract-signed>: the last day '%s' is not a real date: %s")
				 : _("<contract-signed>: the first day '%s' is not a real date: %s"),
			       ends[i], why);
			dates_ok = false;
		}
	if (p->has_contract_window && dates_ok && p->signed_from[0] && p->signed_to[0] &&
	    dl__date_compare(p->signed_from, p->signed_to) > 0)
		REPORT(p->contract_pos, _("<contract-signed> ends on %s, before it starts on %s"),
		       p->signed_to, p->signed_from);
	bool rectify = (p->has_finance && p->shortfall == DL__LEADS_RECTIFY) ||
		       (p->has_onsite && (p->not_real == DL__LEADS_RECTIFY ||
					  p->not_running == DL__LEADS_RECTIFY ||
					  p->not_in_use == DL__LEADS_RECTIFY));
	dl__pos where = p->has_onsite ? p->onsite_pos : p->finance_pos;
	for (size_t i = 0; i < p->material_count; i++) {
		const dl__required_material *m = &p->materials[i];
		if (m->missing == DL__LEADS_RECTIFY && !rectify) {
			rectify = true;
			where = m->pos;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(m->id, p->materials[j].id) == 0) {
				REPORT(m->pos, _("material '%s' is listed twice (first at line %lu)"), m->id,
				       p->materials[j].pos.line);
				break;
			}
	}
	if (rectify && p->rectify_days == 0)
		REPORT(where,
		       _("a finding here leads to 限期整改 (rectify), but the policy has no "
		       "<rectification days=\"…\"> to set the deadline"));
	if (p->has_ceiling && (p->ceiling_rate < 0 || p->ceiling_rate > DL_RATE_SCALE))
		REPORT(p->ceiling_pos, _("combined ceiling %s%% is outside 0–100%%"),
		       dl__rate_format(p->ceiling_rate, a, sizeof(a)));
}

int dl__policy_check_meaning(const dl_policy *p, dl__diag *d)
{
	unsigned long before = d->count;
	check_package_rules(p, d);
	check_categories(p, d);
	check_eligible(p, d);
	check_phases(p, d);
	if (p->rounding_unit <= 0) {
		char a[40];
		REPORT(p->rounding_pos, _("rounding unit must be more than 0, not %s yuan"),
		       dl__money_format(p->rounding_unit, a, sizeof(a)));
	}
	return d->count > before ? DL_EINVALID : 0;
}

int dl__level_value(const dl_questionnaire *q, const char *name)
{
	for (size_t i = 0; i < q->level_count; i++)
		if (strcmp(q->levels[i].name, name) == 0)
			return q->levels[i].value;
	return -1;
}

static void check_level(const dl_policy *p, const dl_questionnaire *q, const char *name,
			dl__pos pos, dl__diag *d)
{
	if (dl__level_value(q, name) >= 0)
		return;
	char names[400] = "";
	size_t n = 0;
	for (size_t i = 0; i < q->level_count && n < sizeof(names); i++) {
		int w = snprintf(names + n, sizeof(names) - n, "%s%s", i ? _(", ") : "", q->levels[i].name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
	REPORT(pos, _("policy '%s' names level '%s', which questionnaire '%s' %s does not have (it has %s)"),
	       p->id, name, q->id, q->version, names);
}

int dl_policy_check(const dl_policy *p, const dl_questionnaire *q, const dl_load_options *opts,
		    dl_error *err)
{
	dl__diag diag;
	dl__diag *d = &diag;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(d, opts, err, p->path);
	if (strcmp(p->questionnaire_id, q->id) != 0 ||
	    strcmp(p->questionnaire_version, q->version) != 0)
		return dl__diag_report(d, DL_EMISMATCH, p->questionnaire_pos.line,
				       p->questionnaire_pos.column,
				       _("policy '%s' requires questionnaire '%s' version '%s', not "
				       "'%s' version '%s'"),
				       p->id, p->questionnaire_id, p->questionnaire_version, q->id,
				       q->version);
	check_level(p, q, p->min_level, p->min_level_pos, d);
	if (p->prior_level[0])
		check_level(p, q, p->prior_level, p->prior_pos, d);
	for (size_t i = 0; i < p->phase_count; i++) {
		const dl__policy_phase *ph = &p->phases[i];
		for (size_t k = 0; k < ph->level_cap_count; k++)
			check_level(p, q, ph->level_caps[k].level, ph->level_caps[k].pos, d);
		for (size_t k = 0; k < ph->bonus_count; k++)
			check_level(p, q, ph->bonuses[k].level, ph->bonuses[k].pos, d);
	}
	return d->count ? DL_EINVALID : 0;
}
