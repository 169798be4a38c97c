/*
 * targets.c: building a targets file from its XML, checking its meaning, and the public accessors.
 *
 * Loading follows the policy loader: libxml2 parses and the embedded targets.xsd validates
 * (xmldoc.c), this file copies the tree into plain structs in one arena, then checks what a schema
 * cannot say. A targets file is what a district reports its pilot against, so a typo in it (a goal
 * under the wrong deadline, periods that do not add up to the total, deadlines out of order) would
 * mislead every dashboard made from it: each such problem is reported with its position, all of
 * them at once, and the file is refused.
 */
#include "alloc.h"
#include "i18n.h"
#include "creditcode.h"
#include "date.h"
#include "load.h"
#include "money.h"
#include "targets_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define REPORT(pos, ...) dl__diag_report(d, DL_EINVALID, (pos).line, (pos).column, __VA_ARGS__)

/* A count (the schema allows 0..1000000), read exactly or reported. */
static long attr_count(dl__builder *b, const xmlNode *n, const char *name)
{
	return (long)dl__build_attr_number(b, n, name, "0", 0, 1000000);
}

static void read_count(dl__builder *b, dl__target *tg, const xmlNode *n)
{
	const char *of = dl__build_attr(b, n, "of", "retrofitted");
	tg->measurable = true;
	tg->count_pos = dl__build_pos(n);
	tg->level_pos = tg->count_pos;
	tg->of = strcmp(of, "evaluated") == 0 ? DL_TARGET_OF_EVALUATED : DL_TARGET_OF_RETROFITTED;
	tg->scale = dl__build_attr(b, n, "scale", "");
	tg->level = dl__build_attr(b, n, "level", "");
	tg->tag_count = dl__xml_count(n, "tag");
	tg->tags = dl__build_array(b, tg->tag_count, sizeof(*tg->tags));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "tag"); c && tg->tags; c = dl__xml_next(c, "tag"), i++) {
		tg->tags[i].name = dl__build_text(b, c);
		tg->tags[i].is_new = dl__build_attr_bool(b, c, "new");
		tg->tags[i].pos = dl__build_pos(c);
	}
	tg->category_count = dl__xml_count(n, "investment");
	tg->categories = dl__build_array(b, tg->category_count, sizeof(*tg->categories));
	tg->category_pos = dl__build_array(b, tg->category_count, sizeof(*tg->category_pos));
	i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "investment"); c && tg->categories && tg->category_pos;
	     c = dl__xml_next(c, "investment"), i++) {
		tg->categories[i] = dl__build_attr(b, c, "category", "");
		tg->category_pos[i] = dl__build_pos(c);
	}
}

static void read_target(dl__builder *b, dl__target *tg, const xmlNode *n)
{
	tg->pos = dl__build_pos(n);
	tg->id = dl__build_attr(b, n, "id", "");
	tg->row = dl__build_attr(b, n, "row", "");
	tg->group = dl__build_attr(b, n, "group", "");
	tg->unit = dl__build_attr(b, n, "unit", "");
	tg->title = dl__build_child_text(b, n, "title");
	tg->short_name = dl__build_attr(b, n, "short", NULL);
	if (!tg->short_name)
		tg->short_name = tg->title;
	tg->reason = "";
	tg->scale = tg->level = "";
	xmlNodePtr c;
	if ((c = dl__xml_child(n, "count")))
		read_count(b, tg, c);
	else if ((c = dl__xml_child(n, "not-measurable")))
		tg->reason = dl__build_text(b, c);
	tg->goal_count = dl__xml_count(n, "goal");
	tg->goals = dl__build_array(b, tg->goal_count, sizeof(*tg->goals));
	size_t i = 0;
	for (c = dl__xml_child(n, "goal"); c && tg->goals; c = dl__xml_next(c, "goal"), i++) {
		tg->goals[i].deadline_id = dl__build_attr(b, c, "deadline", "");
		tg->goals[i].value = attr_count(b, c, "value");
		tg->goals[i].pos = dl__build_pos(c);
	}
	if ((c = dl__xml_child(n, "total"))) {
		tg->total = attr_count(b, c, "value");
		tg->total_pos = dl__build_pos(c);
	}
}

static const char *const STAGE_IDS[DL_STAGE_COUNT] = {"diagnosis",   "contract",   "retrofit",
							 "application", "acceptance", "payment"};
static const char *const STAGE_TITLES[DL_STAGE_COUNT] = {"诊断", "签约", "改造",
							   "申请", "验收", "拨付"};

const char *dl_stage_id(dl_stage s) { return (unsigned)s < DL_STAGE_COUNT ? STAGE_IDS[s] : ""; }
const char *dl_stage_title(dl_stage s)
{
	return (unsigned)s < DL_STAGE_COUNT ? STAGE_TITLES[s] : "";
}

static dl_stage stage_of(const char *id)
{
	for (int i = 0; i < DL_STAGE_COUNT; i++)
		if (strcmp(STAGE_IDS[i], id) == 0)
			return (dl_stage)i;
	return DL_STAGE_DIAGNOSIS; /* the schema allows no other */
}

static void read_milestones(dl__builder *b, dl_targets *t, const xmlNode *n)
{
	t->milestone_base = dl__build_attr(b, n, "base", "");
	t->milestones_pos = dl__build_pos(n);
	t->milestone_count = dl__xml_count(n, "milestone");
	t->milestones = dl__build_array(b, t->milestone_count, sizeof(*t->milestones));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "milestone"); c && t->milestones;
	     c = dl__xml_next(c, "milestone"), i++) {
		dl__milestone *m = &t->milestones[i];
		m->row = dl__build_attr(b, c, "row", "");
		m->date = dl__build_attr(b, c, "date", "");
		m->title = dl__build_text(b, c);
		m->stage = stage_of(dl__build_attr(b, c, "stage", ""));
		m->percent = (long)dl__build_attr_number(b, c, "percent", "0", 0, 100);
		m->pos = dl__build_pos(c);
	}
}

static void read_payments(dl__builder *b, dl_targets *t, const xmlNode *n)
{
	t->payment_count = dl__xml_count(n, "payment");
	t->payments = dl__build_array(b, t->payment_count, sizeof(*t->payments));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "payment"); c && t->payments;
	     c = dl__xml_next(c, "payment"), i++) {
		dl__payment *p = &t->payments[i];
		p->code = dl__build_attr(b, c, "credit-code", "");
		p->date = dl__build_attr(b, c, "date", "");
		p->document = dl__build_attr(b, c, "document", "");
		p->pos = dl__build_pos(c);
		p->fen = -1; /* stays so when the amount cannot be read: reported already */
		dl__build_number(b, c, _("the amount paid (<payment amount>)"),
				 dl__build_attr(b, c, "amount", "0"), 2, DL__MONEY_MAX, &p->fen);
	}
}

static void build(dl__builder *b, const dl__xml *x)
{
	dl_targets *t = b->obj;
	const xmlNode *root = xmlDocGetRootElement(x->doc);
	t->pos = dl__build_pos(root);
	t->id = dl__build_attr(b, root, "id", "");
	t->version = dl__build_attr(b, root, "version", "");
	t->title = dl__build_child_text(b, root, "title");
	t->issuer = dl__build_child_text(b, root, "issuer");
	t->document = dl__build_child_text(b, root, "document");
	t->source = dl__build_child_text(b, root, "source");
	t->questionnaire_id = t->questionnaire_version = t->retrofitted_level = "";
	t->share_scale = t->share_level = t->share_text = "";

	xmlNodePtr n;
	if ((n = dl__xml_child(root, "questionnaire"))) {
		t->questionnaire_id = dl__build_attr(b, n, "id", "");
		t->questionnaire_version = dl__build_attr(b, n, "version", "");
		t->questionnaire_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(root, "retrofitted"))) {
		t->retrofitted_level = dl__build_attr(b, n, "level", "");
		t->retrofitted_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(root, "deadlines"))) {
		t->deadline_count = dl__xml_count(n, "deadline");
		t->deadlines = dl__build_array(b, t->deadline_count, sizeof(*t->deadlines));
		size_t i = 0;
		for (xmlNodePtr c = dl__xml_child(n, "deadline"); c && t->deadlines;
		     c = dl__xml_next(c, "deadline"), i++) {
			t->deadlines[i].id = dl__build_attr(b, c, "id", "");
			t->deadlines[i].date = dl__build_attr(b, c, "date", "");
			t->deadlines[i].title = dl__build_text(b, c);
			t->deadlines[i].pos = dl__build_pos(c);
		}
	}
	if ((n = dl__xml_child(root, "industries"))) {
		t->industry_count = dl__xml_count(n, "industry");
		t->industries = dl__build_array(b, t->industry_count, sizeof(*t->industries));
		t->industry_pos = dl__build_array(b, t->industry_count, sizeof(*t->industry_pos));
		size_t i = 0;
		for (xmlNodePtr c = dl__xml_child(n, "industry"); c && t->industries && t->industry_pos;
		     c = dl__xml_next(c, "industry"), i++) {
			t->industries[i] = dl__build_text(b, c);
			t->industry_pos[i] = dl__build_pos(c);
		}
	}
	if ((n = dl__xml_child(root, "share"))) {
		const char *v = dl__build_attr(b, n, "percent", "0");
		t->has_share = true;
		t->share_scale = dl__build_attr(b, n, "scale", "");
		t->share_level = dl__build_attr(b, n, "level", "");
		t->share_text = dl__build_text(b, n);
		t->share_pos = dl__build_pos(n);
		dl__build_number(b, n, _("the share to reach, in percent (<share percent>)"), v, 4, DL__RATE_MAX,
				 &t->share_percent);
	}
	if (b->oom)
		return;
	t->target_count = dl__xml_count(root, "target");
	t->targets = dl__build_array(b, t->target_count, sizeof(*t->targets));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(root, "target"); c && t->targets; c = dl__xml_next(c, "target"))
		read_target(b, &t->targets[i++], c);
	t->milestone_base = "";
	t->milestone_base_index = DL_NONE;
	if ((n = dl__xml_child(root, "milestones")))
		read_milestones(b, t, n);
	t->budget_title = "";
	if ((n = dl__xml_child(root, "budget"))) {
		t->has_budget = true;
		t->budget_title = dl__build_text(b, n);
		t->budget_pos = dl__build_pos(n);
		t->budget_fen = -1; /* stays so when the amount cannot be read: reported already */
		dl__build_number(b, n, _("the budget in yuan (<budget amount>)"),
				 dl__build_attr(b, n, "amount", "0"), 2, DL__MONEY_MAX, &t->budget_fen);
	}
	if ((n = dl__xml_child(root, "disbursements")))
		read_payments(b, t, n);
}

/* --- meaning ----------------------------------------------------------------------------------- */

static size_t deadline_find(const dl_targets *t, const char *id)
{
	for (size_t i = 0; i < t->deadline_count; i++)
		if (strcmp(t->deadlines[i].id, id) == 0)
			return i;
	return DL_NONE;
}

static void check_deadlines(const dl_targets *t, dl__diag *d)
{
	char why[160];
	const dl__deadline *last_ok = NULL;
	if (t->deadline_count > DL__TARGETS_DEADLINES_MAX && t->deadlines) /* as the schema: a backstop */
		dl__diag_report(d, DL_ELIMIT, t->deadlines[DL__TARGETS_DEADLINES_MAX].pos.line,
				t->deadlines[DL__TARGETS_DEADLINES_MAX].pos.column,
				_("more than %d deadlines: a targets file has at most %d"),
				DL__TARGETS_DEADLINES_MAX, DL__TARGETS_DEADLINES_MAX);
	for (size_t i = 0; i < t->deadline_count; i++) {
		const dl__deadline *dl = &t->deadlines[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(dl->id, t->deadlines[j].id) == 0) {
				REPORT(dl->pos, _("duplicate deadline id '%s' (first at line %lu)"), dl->id,
				       t->deadlines[j].pos.line);
				break;
			}
		if (dl__date_parse(dl->date, NULL, NULL, NULL, why, sizeof(why)) != 0) {
			REPORT(dl->pos, _("deadline '%s': date '%s' is not a real date: %s"), dl->id, dl->date,
			       why);
			continue;
		}
		if (last_ok && dl__date_compare(dl->date, last_ok->date) <= 0)
			REPORT(dl->pos,
			       _("deadline '%s' (%s) is not after deadline '%s' (%s): list deadlines in date "
			       "order, each period ending after the one before"),
			       dl->id, dl->date, last_ok->id, last_ok->date);
		last_ok = dl;
	}
}

static void check_industries(const dl_targets *t, dl__diag *d)
{
	for (size_t i = 0; i < t->industry_count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->industries[i], t->industries[j]) == 0) {
				REPORT(t->industry_pos[i], _("industry '%s' is listed twice (first at line %lu)"),
				       t->industries[i], t->industry_pos[j].line);
				break;
			}
}

static void check_share(const dl_targets *t, dl__diag *d)
{
	if (t->has_share && (t->share_percent <= 0 || t->share_percent > DL_SHARE_SCALE)) {
		char buf[32];
		REPORT(t->share_pos, _("<share>: percent %s is not above 0 and at most 100"),
		       dl__rate_format(t->share_percent, buf, sizeof(buf)));
	}
}

static void check_count(const dl__target *tg, dl__diag *d)
{
	for (size_t k = 0; k < tg->tag_count; k++) {
		if (!tg->tags[k].name[0])
			REPORT(tg->tags[k].pos, _("target '%s': an empty <tag>"), tg->id);
		for (size_t j = 0; j < k; j++)
			if (strcmp(tg->tags[k].name, tg->tags[j].name) == 0) {
				REPORT(tg->tags[k].pos, _("target '%s': tag '%s' is listed twice"), tg->id,
				       tg->tags[k].name);
				break;
			}
	}
	for (size_t k = 0; k < tg->category_count; k++)
		for (size_t j = 0; j < k; j++)
			if (strcmp(tg->categories[k], tg->categories[j]) == 0) {
				REPORT(tg->category_pos[k], _("target '%s': investment category '%s' is listed twice"),
				       tg->id, tg->categories[k]);
				break;
			}
}

/* Deadlines the target gives no goal for, reported at the target. Returns whether none is missing. */
static bool check_missing_goals(const dl_targets *t, const dl__target *tg, dl__diag *d)
{
	bool complete = true;
	for (size_t di = 0; di < t->deadline_count; di++) {
		bool found = false;
		for (size_t g = 0; g < tg->goal_count && !found; g++)
			found = strcmp(tg->goals[g].deadline_id, t->deadlines[di].id) == 0;
		if (!found) {
			REPORT(tg->pos, _("target '%s' has no goal for deadline '%s' (write value=\"0\" if none)"),
			       tg->id, t->deadlines[di].id);
			complete = false;
		}
	}
	return complete;
}

/* Resolve goals to deadlines (by_deadline has a slot per deadline) and check them. */
static void check_goals(const dl_targets *t, dl__target *tg, bool complete, dl__diag *d)
{
	long sum = 0;
	for (size_t g = 0; g < tg->goal_count; g++) {
		const dl__target_goal *goal = &tg->goals[g];
		size_t di = deadline_find(t, goal->deadline_id);
		if (di == DL_NONE) {
			REPORT(goal->pos, _("target '%s': goal for unknown deadline '%s' (declare it in <deadlines>)"),
			       tg->id, goal->deadline_id);
			complete = false;
			continue;
		}
		bool again = false;
		for (size_t h = 0; h < g && !again; h++)
			if (strcmp(tg->goals[h].deadline_id, goal->deadline_id) == 0) {
				REPORT(goal->pos, _("target '%s': a second goal for deadline '%s' (the first is at line %lu)"),
				       tg->id, goal->deadline_id, tg->goals[h].pos.line);
				again = true;
			}
		if (again) {
			complete = false;
			continue;
		}
		tg->by_deadline[di] = goal->value;
		sum += goal->value;
	}
	if (complete && sum != tg->total)
		REPORT(tg->total_pos,
		       _("target '%s': the goals per deadline add up to %ld, but the total is %ld"), tg->id,
		       sum, tg->total);
}

static void check_milestones(dl_targets *t, dl__diag *d)
{
	if (!t->milestones)
		return;
	for (size_t i = 0; i < t->target_count; i++)
		if (strcmp(t->targets[i].id, t->milestone_base) == 0)
			t->milestone_base_index = i;
	if (t->milestone_base_index == DL_NONE)
		REPORT(t->milestones_pos, _("<milestones>: base '%s' is not a target of this file"),
		       t->milestone_base);
	for (size_t i = 0; i < t->milestone_count; i++)
		if (dl__date_parse(t->milestones[i].date, NULL, NULL, NULL, NULL, 0) != 0)
			REPORT(t->milestones[i].pos, _("milestone (row %s): '%s' is not a real date"),
			       t->milestones[i].row, t->milestones[i].date);
}

/* A payment is refused when it cannot be one: no amount, a credit code whose check character is
 * wrong, a date that is not a day, or a payment document already recorded (a payment entered
 * twice). Payments to enterprises the cohort does not know and payments over the approved subsidy
 * are the cohort's to find (dl_cohort_check_payments). */
static void check_payments(const dl_targets *t, dl__diag *d)
{
	for (size_t i = 0; i < t->payment_count; i++) {
		const dl__payment *p = &t->payments[i];
		char why[160];
		if (p->fen == 0)
			REPORT(p->pos, _("payment '%s': the amount must be above 0 yuan"), p->document);
		if (dl__credit_code_check(p->code, why, sizeof(why)) != 0)
			REPORT(p->pos, _("payment '%s': credit code %s: %s"), p->document, p->code, why);
		if (dl__date_parse(p->date, NULL, NULL, NULL, NULL, 0) != 0)
			REPORT(p->pos, _("payment '%s': '%s' is not a real date"), p->document, p->date);
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->document, t->payments[j].document) == 0) {
				REPORT(p->pos,
				       _("payment '%s' is recorded twice (first at line %lu): a payment "
				       "document is paid once"),
				       p->document, t->payments[j].pos.line);
				break;
			}
	}
}

static int check_meaning(void *obj, dl__diag *d)
{
	dl_targets *t = obj;
	unsigned long before = d->count;
	check_deadlines(t, d);
	check_industries(t, d);
	check_share(t, d);
	for (size_t i = 0; i < t->target_count; i++) {
		dl__target *tg = &t->targets[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(tg->id, t->targets[j].id) == 0) {
				REPORT(tg->pos, _("duplicate target id '%s' (first at line %lu)"), tg->id,
				       t->targets[j].pos.line);
				break;
			}
		tg->by_deadline = dl__arena_array(&t->arena, t->deadline_count ? t->deadline_count : 1,
						  sizeof(*tg->by_deadline));
		if (!tg->by_deadline)
			return dl__diag_report(d, DL_ENOMEM, 0, 0, "%s", _("out of memory"));
		/* in document order: the target, its <count>, its goals */
		bool complete = check_missing_goals(t, tg, d);
		if (tg->measurable)
			check_count(tg, d);
		check_goals(t, tg, complete, d);
	}
	check_milestones(t, d);
	if (t->has_budget && t->budget_fen == 0)
		REPORT(t->budget_pos, _("<budget>: the amount must be above 0 yuan"));
	check_payments(t, d);
	return d->count > before ? DL_EINVALID : 0;
}

/* --- loading ----------------------------------------------------------------------------------- */

static const dl__loader LOADER = {"targets", DL__SCHEMA_TARGETS, DL__LOADER_LAYOUT(dl_targets),
				  build, check_meaning, NULL};

int dl_targets_load_memory(dl_targets **out, const char *data, size_t len, const char *name,
			   const dl_load_options *opts, dl_error *err)
{
	void *t = NULL;
	int rc = dl__load_memory(&LOADER, &t, data, len, name, opts, err);
	if (rc == 0)
		*out = t;
	return rc;
}

int dl_targets_load(dl_targets **out, const char *path, const dl_load_options *opts, dl_error *err)
{
	void *t = NULL;
	int rc = dl__load_file(&LOADER, &t, path, opts, err);
	if (rc == 0)
		*out = t;
	return rc;
}

void dl_targets_free(dl_targets *t)
{
	if (!t)
		return;
	dl__arena_free(&t->arena);
	dl__free(t);
}

int dl__targets_level_value(const dl_questionnaire *q, const char *name)
{
	for (size_t i = 0; i < dl_questionnaire_level_count(q); i++)
		if (strcmp(dl_questionnaire_level_name_at(q, i), name) == 0)
			return dl_questionnaire_level_value(q, i);
	return -1;
}

static void check_level(const dl_questionnaire *q, const char *name, dl__pos pos, const char *what,
			dl__diag *d)
{
	if (name[0] && dl__targets_level_value(q, name) < 0)
		REPORT(pos, _("%s: level '%s' is not a level of questionnaire %s %s"), what, name,
		       dl_questionnaire_id(q), dl_questionnaire_version(q));
}

int dl_targets_check(const dl_targets *t, const dl_questionnaire *q, const dl_load_options *opts,
		     dl_error *err)
{
	assert(t && q);
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, t->path);
	if (strcmp(t->questionnaire_id, dl_questionnaire_id(q)) != 0 ||
	    strcmp(t->questionnaire_version, dl_questionnaire_version(q)) != 0)
		return dl__diag_report(&d, DL_EMISMATCH, t->questionnaire_pos.line,
				       t->questionnaire_pos.column,
				       _("the targets are counted in questionnaire %s %s, not %s %s"),
				       t->questionnaire_id, t->questionnaire_version,
				       dl_questionnaire_id(q), dl_questionnaire_version(q));
	check_level(q, t->retrofitted_level, t->retrofitted_pos,
		    _("the level that counts as retrofitted (<retrofitted>)"), &d);
	if (t->has_share)
		check_level(q, t->share_level, t->share_pos, _("the share to reach (<share>)"), &d);
	char what[96];
	for (size_t i = 0; i < t->target_count; i++) {
		snprintf(what, sizeof(what), _("target '%s'"), t->targets[i].id);
		check_level(q, t->targets[i].level, t->targets[i].level_pos, what, &d);
	}
	return d.count ? DL_EINVALID : 0;
}

/* --- accessors --------------------------------------------------------------------------------- */

const char *dl_targets_path(const dl_targets *t) { return t->path; }
const char *dl_targets_id(const dl_targets *t) { return t->id; }
const char *dl_targets_version(const dl_targets *t) { return t->version; }
const char *dl_targets_title(const dl_targets *t) { return t->title; }
const char *dl_targets_issuer(const dl_targets *t) { return t->issuer; }
const char *dl_targets_document(const dl_targets *t) { return t->document; }
const char *dl_targets_source(const dl_targets *t) { return t->source; }
const char *dl_targets_questionnaire_id(const dl_targets *t) { return t->questionnaire_id; }
const char *dl_targets_questionnaire_version(const dl_targets *t) { return t->questionnaire_version; }
const char *dl_targets_retrofitted_level(const dl_targets *t) { return t->retrofitted_level; }

size_t dl_targets_deadline_count(const dl_targets *t) { return t->deadline_count; }

const char *dl_targets_deadline_id(const dl_targets *t, size_t d)
{
	DL__CHECK_INDEX(d, t->deadline_count, "");
	return t->deadlines[d].id;
}

const char *dl_targets_deadline_title(const dl_targets *t, size_t d)
{
	DL__CHECK_INDEX(d, t->deadline_count, "");
	return t->deadlines[d].title;
}

const char *dl_targets_deadline_date(const dl_targets *t, size_t d)
{
	DL__CHECK_INDEX(d, t->deadline_count, "");
	return t->deadlines[d].date;
}

size_t dl_targets_industry_count(const dl_targets *t) { return t->industry_count; }

const char *dl_targets_industry(const dl_targets *t, size_t i)
{
	DL__CHECK_INDEX(i, t->industry_count, "");
	return t->industries[i];
}

bool dl_targets_has_share(const dl_targets *t) { return t->has_share; }
const char *dl_targets_share_scale(const dl_targets *t) { return t->share_scale; }
const char *dl_targets_share_level(const dl_targets *t) { return t->share_level; }
const char *dl_targets_share_text(const dl_targets *t) { return t->share_text; }
int64_t dl_targets_share_percent(const dl_targets *t) { return t->has_share ? t->share_percent : 0; }

size_t dl_targets_count(const dl_targets *t) { return t->target_count; }

size_t dl_targets_find(const dl_targets *t, const char *id)
{
	for (size_t i = 0; i < t->target_count; i++)
		if (strcmp(t->targets[i].id, id) == 0)
			return i;
	return DL_NONE;
}

#define TARGET_STRING(name, field)                                 \
	const char *dl_targets_target_##name(const dl_targets *t, size_t i) \
	{                                                          \
		DL__CHECK_INDEX(i, t->target_count, "");           \
		return t->targets[i].field;                        \
	}

TARGET_STRING(id, id)
TARGET_STRING(row, row)
TARGET_STRING(group, group)
TARGET_STRING(title, title)
TARGET_STRING(short, short_name)
TARGET_STRING(unit, unit)
TARGET_STRING(reason, reason)
TARGET_STRING(scale, scale)
TARGET_STRING(level, level)

long dl_targets_target_goal(const dl_targets *t, size_t i, size_t d)
{
	DL__CHECK_INDEX(i, t->target_count, 0);
	DL__CHECK_INDEX(d, t->deadline_count, 0);
	return t->targets[i].by_deadline[d];
}

long dl_targets_target_total(const dl_targets *t, size_t i)
{
	DL__CHECK_INDEX(i, t->target_count, 0);
	return t->targets[i].total;
}

bool dl_targets_target_measurable(const dl_targets *t, size_t i)
{
	DL__CHECK_INDEX(i, t->target_count, false);
	return t->targets[i].measurable;
}

dl_target_of dl_targets_target_of(const dl_targets *t, size_t i)
{
	DL__CHECK_INDEX(i, t->target_count, DL_TARGET_OF_RETROFITTED);
	return t->targets[i].of;
}

size_t dl_targets_target_tag_count(const dl_targets *t, size_t i)
{
	DL__CHECK_INDEX(i, t->target_count, 0);
	return t->targets[i].tag_count;
}

const char *dl_targets_target_tag(const dl_targets *t, size_t i, size_t k)
{
	DL__CHECK_INDEX(i, t->target_count, "");
	DL__CHECK_INDEX(k, t->targets[i].tag_count, "");
	return t->targets[i].tags[k].name;
}

bool dl_targets_target_tag_is_new(const dl_targets *t, size_t i, size_t k)
{
	DL__CHECK_INDEX(i, t->target_count, false);
	DL__CHECK_INDEX(k, t->targets[i].tag_count, false);
	return t->targets[i].tags[k].is_new;
}

size_t dl_targets_target_category_count(const dl_targets *t, size_t i)
{
	DL__CHECK_INDEX(i, t->target_count, 0);
	return t->targets[i].category_count;
}

const char *dl_targets_target_category(const dl_targets *t, size_t i, size_t k)
{
	DL__CHECK_INDEX(i, t->target_count, "");
	DL__CHECK_INDEX(k, t->targets[i].category_count, "");
	return t->targets[i].categories[k];
}

size_t dl_targets_milestone_count(const dl_targets *t) { return t->milestone_count; }
size_t dl_targets_milestone_base(const dl_targets *t) { return t->milestone_base_index; }

const char *dl_targets_milestone_row(const dl_targets *t, size_t m)
{
	assert(m < t->milestone_count);
	return t->milestones[m].row;
}

const char *dl_targets_milestone_title(const dl_targets *t, size_t m)
{
	assert(m < t->milestone_count);
	return t->milestones[m].title;
}

dl_stage dl_targets_milestone_stage(const dl_targets *t, size_t m)
{
	assert(m < t->milestone_count);
	return t->milestones[m].stage;
}

const char *dl_targets_milestone_date(const dl_targets *t, size_t m)
{
	assert(m < t->milestone_count);
	return t->milestones[m].date;
}

long dl_targets_milestone_percent(const dl_targets *t, size_t m)
{
	assert(m < t->milestone_count);
	return t->milestones[m].percent;
}

long dl_targets_milestone_expected(const dl_targets *t, size_t m)
{
	assert(m < t->milestone_count && t->milestone_base_index != DL_NONE);
	long total = t->targets[t->milestone_base_index].total; /* at most 1000000 */
	return (t->milestones[m].percent * total + 99) / 100;
}

bool dl_targets_has_budget(const dl_targets *t) { return t->has_budget; }
int64_t dl_targets_budget_fen(const dl_targets *t) { return t->has_budget ? t->budget_fen : 0; }
const char *dl_targets_budget_title(const dl_targets *t) { return t->budget_title; }

size_t dl_targets_payment_count(const dl_targets *t) { return t->payment_count; }

const char *dl_targets_payment_code(const dl_targets *t, size_t p)
{
	assert(p < t->payment_count);
	return t->payments[p].code;
}

const char *dl_targets_payment_date(const dl_targets *t, size_t p)
{
	assert(p < t->payment_count);
	return t->payments[p].date;
}

const char *dl_targets_payment_document(const dl_targets *t, size_t p)
{
	assert(p < t->payment_count);
	return t->payments[p].document;
}

int64_t dl_targets_payment_fen(const dl_targets *t, size_t p)
{
	assert(p < t->payment_count);
	return t->payments[p].fen;
}

unsigned long dl_targets_payment_line(const dl_targets *t, size_t p)
{
	assert(p < t->payment_count);
	return t->payments[p].pos.line;
}

unsigned long dl_targets_payment_column(const dl_targets *t, size_t p)
{
	assert(p < t->payment_count);
	return t->payments[p].pos.column;
}
