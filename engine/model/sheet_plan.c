/*
 * sheet_plan.c: reading a sheet's <retrofit-plan> (the solutions an integrator has chosen, as
 * construction items with amounts and schedules, and the parties' responsibilities), checking it
 * against the questionnaire and the solution catalogue, and its accessors. All of it is optional;
 * a sheet without it reads as before, and the 改造方案 then follows the recommended retrofit.
 *
 * Amounts are read exactly (yuan with at most 2 decimals, kept in fen). What the schema cannot say
 * is checked while reading, each problem at its element: dates must be real calendar dates, an
 * item cannot finish before it starts nor start before the plan is dated, a solution is chosen at
 * most once, and an item in the integrator's own words (no solution) needs its text, its amount
 * and its investment category, since no catalogue entry gives them. Whether a solution id exists
 * is a question for the catalogue: dl_retrofit_plan_check answers it.
 */
#include "i18n.h"
#include "catalogue_model.h"
#include "date.h"
#include "digilevel/retrofit.h"
#include "money.h"
#include "sheet_plan.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Reports at element n when date (attribute name of what) is not a real calendar date. */
static bool real_date(dl__builder *b, const xmlNode *n, const char *what, const char *name,
		      const char *date)
{
	char why[160];
	if (!date || !date[0] || dl__date_parse(date, NULL, NULL, NULL, why, sizeof(why)) == 0)
		return true;
	if (dl__build_reported(b, n))
		return false;
	b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
				_("%s: %s '%s' is not a real date: %s"), what, name, date, why);
	return false;
}

static void read_item(dl__builder *b, struct dl__retrofit_plan *p, size_t i, const xmlNode *it)
{
	dl__plan_item *item = &p->items[i];
	char what[120];
	item->pos = dl__build_pos(it);
	item->solution = dl__build_attr(b, it, "solution", "");
	item->category = dl__build_attr(b, it, "category", "");
	item->text = dl__build_text(b, it);
	item->start = dl__build_attr(b, it, "start", "");
	item->finish = dl__build_attr(b, it, "finish", "");
	item->fen = xmlHasProp(it, BAD_CAST "amount")
			? dl__build_attr_number(b, it, "amount", "", 2, DL__MONEY_MAX)
			: -1;
	if (!item->solution || !item->category || !item->text || !item->start || !item->finish)
		return; /* a copy failed: b->oom is set */
	if (item->solution[0])
		snprintf(what, sizeof(what), _("construction item %s of the retrofit plan"), item->solution);
	else
		snprintf(what, sizeof(what), _("construction item %zu of the retrofit plan"), i + 1);
	unsigned long line = dl__xml_line(it), column = dl__xml_column(it);
	bool ok = real_date(b, it, what, _("start date"), item->start);
	ok &= real_date(b, it, what, _("finish date"), item->finish);
	if (ok && item->start[0] && item->finish[0] && dl__date_compare(item->finish, item->start) < 0)
		b->rc = dl__diag_report(b->d, DL_EINVALID, line, column,
					_("%s: finishes on %s, before it starts on %s"), what, item->finish,
					item->start);
	if (ok && p->date && p->date[0] && item->start[0] && dl__date_compare(item->start, p->date) < 0)
		b->rc = dl__diag_report(b->d, DL_EINVALID, line, column,
					_("%s: starts on %s, before the plan is dated (%s)"), what, item->start,
					p->date);
	if (!item->solution[0]) {
		if (!item->text[0])
			b->rc = dl__diag_report(b->d, DL_EINVALID, line, column,
						_("%s names no solution and says nothing: describe the work "
						"in its text, or name a catalogue solution"),
						what);
		if (item->fen < 0)
			b->rc = dl__diag_report(b->d, DL_EINVALID, line, column,
						_("%s names no solution, so it needs its amount (amount=\"yuan\")"),
						what);
		if (!item->category[0])
			b->rc = dl__diag_report(b->d, DL_EINVALID, line, column,
						_("%s names no solution, so it needs its investment category "
						"(category=\"software\", as in the policy files)"),
						what);
	}
	for (size_t k = 0; k < i && item->solution[0]; k++)
		if (p->items[k].solution && strcmp(p->items[k].solution, item->solution) == 0)
			b->rc = dl__diag_report(b->d, DL_EINVALID, line, column,
						_("%s: the solution is already chosen at line %lu: give one "
						"item per solution, with the whole amount"),
						what, p->items[k].pos.line + b->d->line_offset);
}

void dl__sheet_read_plan(dl__builder *b, const xmlNode *n)
{
	static const char *const parties[DL_PLAN_PARTIES] = {"enterprise", "integrator", "supervision"};
	dl_sheet *s = b->obj;
	struct dl__retrofit_plan *p = dl__build_array(b, 1, sizeof(*p));
	if (!p)
		return;
	s->plan = p;
	p->pos = dl__build_pos(n);
	p->date = dl__build_attr(b, n, "date", "");
	p->number = dl__build_attr(b, n, "number", "");
	p->target = xmlHasProp(n, BAD_CAST "target-level")
			? (int)dl__build_attr_number(b, n, "target-level", "", 0, 99)
			: -1;
	p->integrator = dl__build_child_text(b, n, "integrator");
	p->supervision = dl__build_child_text(b, n, "supervision-unit");
	real_date(b, n, "<retrofit-plan>", "plan", p->date);
	p->item_count = dl__xml_count(n, "item");
	p->items = dl__build_array(b, p->item_count, sizeof(*p->items));
	size_t i = 0;
	for (xmlNodePtr it = dl__xml_child(n, "item"); it && p->items; it = dl__xml_next(it, "item"), i++)
		read_item(b, p, i, it);
	xmlNodePtr r = dl__xml_child(n, "responsibilities");
	for (int k = 0; k < DL_PLAN_PARTIES; k++)
		p->duty[k] = r ? dl__build_child_text(b, r, parties[k]) : "";
}

/* --- checking against the questionnaire and the catalogue -------------------------------------- */

int dl_retrofit_plan_check(const dl_sheet *s, const dl_questionnaire *q, const dl_catalogue *cat,
			   const dl_load_options *opts, dl_error *err)
{
	assert(s && q && cat);
	const struct dl__retrofit_plan *p = s->plan;
	dl__diag dd, *d = &dd;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(d, opts, err, s->path);
	d->line_offset = s->line_offset;
	if (!p)
		return dl__diag_report(d, DL_EINVALID, s->pos.line, s->pos.column,
				       _("the sheet has no <retrofit-plan>: it names no chosen solutions"));
	if (strcmp(cat->questionnaire_id, dl_questionnaire_id(q)) != 0 ||
	    strcmp(cat->questionnaire_version, dl_questionnaire_version(q)) != 0)
		return dl__error_set(err, DL_EMISMATCH, cat->path, cat->questionnaire_pos.line,
				     cat->questionnaire_pos.column,
				     _("the catalogue is written for questionnaire %s %s, not %s %s"),
				     cat->questionnaire_id, cat->questionnaire_version,
				     dl_questionnaire_id(q), dl_questionnaire_version(q));
	if (p->target >= 0 && dl_questionnaire_grade_find(q, p->target) == DL_NONE)
		dl__diag_report(d, DL_EINVALID, p->pos.line, p->pos.column,
				_("<retrofit-plan>: target-level %d is not a level with a grade in "
				"questionnaire %s %s"),
				p->target, dl_questionnaire_id(q), dl_questionnaire_version(q));
	for (size_t i = 0; i < p->item_count; i++) {
		const dl__plan_item *item = &p->items[i];
		if (item->solution[0] && dl_catalogue_solution_find(cat, item->solution) == DL_NONE)
			dl__diag_report(d, DL_EINVALID, item->pos.line, item->pos.column,
					_("<item solution=\"%s\"> of <retrofit-plan>: no such solution in catalogue "
					"'%s' version '%s'"),
					item->solution, cat->id, cat->version);
	}
	return d->first_code;
}

/* --- accessors --------------------------------------------------------------------------------- */

#define OR(x) ((x) ? (x) : "")

static const dl__plan_item *item_at(const dl_sheet *s, size_t i)
{
	static const dl__plan_item none = {"", "", "", "", "", -1, {0, 0}};
	assert(i < dl_sheet_plan_item_count(s));
	return i < dl_sheet_plan_item_count(s) ? &s->plan->items[i] : &none;
}

bool dl_sheet_has_retrofit_plan(const dl_sheet *s) { return s->plan != NULL; }
const char *dl_sheet_plan_date(const dl_sheet *s) { return s->plan ? OR(s->plan->date) : ""; }
const char *dl_sheet_plan_number(const dl_sheet *s) { return s->plan ? OR(s->plan->number) : ""; }
int dl_sheet_plan_target(const dl_sheet *s) { return s->plan ? s->plan->target : -1; }
const char *dl_sheet_plan_integrator(const dl_sheet *s) { return s->plan ? OR(s->plan->integrator) : ""; }
const char *dl_sheet_plan_supervision(const dl_sheet *s) { return s->plan ? OR(s->plan->supervision) : ""; }
size_t dl_sheet_plan_item_count(const dl_sheet *s) { return s->plan ? s->plan->item_count : 0; }
const char *dl_sheet_plan_item_solution(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->solution); }
const char *dl_sheet_plan_item_category(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->category); }
const char *dl_sheet_plan_item_text(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->text); }
int64_t dl_sheet_plan_item_fen(const dl_sheet *s, size_t i) { return item_at(s, i)->fen; }
const char *dl_sheet_plan_item_start(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->start); }
const char *dl_sheet_plan_item_finish(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->finish); }

const char *dl_sheet_plan_responsibility(const dl_sheet *s, dl_plan_party party)
{
	assert((int)party >= 0 && party < DL_PLAN_PARTIES);
	if (!s->plan || (int)party < 0 || party >= DL_PLAN_PARTIES)
		return "";
	return OR(s->plan->duty[party]);
}
