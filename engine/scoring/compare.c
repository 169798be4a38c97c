/*
 * compare.c: comparing the sheet made before a retrofit with the one made after it, and the public
 * comparison accessors.
 *
 * Both sheets are scored against the same questionnaire edition, so every node and scenario lines
 * up. Two sheets that cannot be compared (another enterprise, another edition) are refused before
 * anything is scored, with a message that names both sides. Sheets that can be compared but look
 * odd (a "before" sheet that is an evaluation, an evaluation dated before the retrofit was done) get
 * a warning and are compared anyway: the evaluator decides. With a policy, subsidy.c decides the
 * verdict and the money.
 */
#include "alloc.h"
#include "date.h"
#include "i18n.h"
#include "policy_model.h"
#include "result.h"
#include "sheet_model.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void dl__diag_warn(dl__diag *d, unsigned long line, unsigned long column, const char *fmt, ...)
{
	if (!d->opts || !d->opts->diag)
		return;
	char message[DL_ERROR_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	dl_error e;
	dl__error_set(&e, DL_OK, d->file, line, column, "warning: %s", message);
	d->opts->diag(&e, d->opts->diag_data);
}

int dl_compare_check(const dl_sheet *before, const dl_sheet *after, const dl_load_options *opts,
		     dl_error *err)
{
	dl__diag d;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(&d, opts, err, after->path);
	const char *code_before = dl_sheet_enterprise(before, DL_ENTERPRISE_CREDIT_CODE);
	const char *code_after = dl_sheet_enterprise(after, DL_ENTERPRISE_CREDIT_CODE);
	if (strcmp(code_before, code_after) != 0) {
		dl__pos pos = after->enterprise_pos[DL_ENTERPRISE_CREDIT_CODE];
		dl__diag_report(&d, DL_EMISMATCH, pos.line, pos.column,
				_("the sheets are of different enterprises: 统一社会信用代码 '%s' (%s) here, "
				"'%s' (%s) in %s; compare two sheets of one enterprise"),
				code_after, dl_sheet_enterprise(after, DL_ENTERPRISE_NAME), code_before,
				dl_sheet_enterprise(before, DL_ENTERPRISE_NAME), before->path);
	}
	if (strcmp(before->questionnaire_id, after->questionnaire_id) != 0 ||
	    strcmp(before->questionnaire_version, after->questionnaire_version) != 0)
		dl__diag_report(&d, DL_EMISMATCH, after->pos.line, after->pos.column,
				_("the sheets use different questionnaire editions: '%s' version '%s' here, "
				  "'%s' version '%s' in %s; scores of different editions do not compare"),
				after->questionnaire_id, after->questionnaire_version,
				before->questionnaire_id, before->questionnaire_version, before->path);
	return d.count ? DL_EMISMATCH : 0;
}

unsigned dl_compare_identity_differences(const dl_sheet *before, const dl_sheet *after)
{
	static const dl_enterprise_field fields[] = {DL_ENTERPRISE_NAME, DL_ENTERPRISE_INDUSTRY,
						     DL_ENTERPRISE_SCALE};
	unsigned differences = 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(dl_sheet_enterprise(before, fields[i]), dl_sheet_enterprise(after, fields[i])) != 0)
			differences |= 1u << fields[i];
	return differences;
}

/* A warning about the sheets: to the diag callback, and kept in the comparison for its writers. */
static void warn(dl_comparison *c, const dl__diag *d, dl__pos pos, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void warn(dl_comparison *c, const dl__diag *d, dl__pos pos, const char *fmt, ...)
{
	char message[DL_ERROR_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	assert(c->warning_count < DL__COMPARE_WARNINGS_MAX);
	dl_error *e = &c->warnings[c->warning_count++];
	dl__error_set(e, DL_OK, d->file, pos.line, pos.column, _("warning: %s"), message);
	if (d->opts && d->opts->diag)
		d->opts->diag(e, d->opts->diag_data);
}

static bool is_date(const char *s)
{
	return dl__date_parse(s, NULL, NULL, NULL, NULL, 0) == 0;
}

/* Warnings about sheets that can be compared but may be the wrong ones. */
static void warn_about_sheets(dl_comparison *c, const dl_load_options *opts)
{
	static const struct {
		dl_enterprise_field field;
		const char *title;
	} identity[] = {{DL_ENTERPRISE_NAME, N_("enterprise name (name)")},
			{DL_ENTERPRISE_INDUSTRY, N_("sub-industry (industry)")},
			{DL_ENTERPRISE_SCALE, N_("size (scale)")}};
	const dl_sheet *b = c->before, *a = c->after;
	dl__diag db, da;
	dl__diag_init(&db, opts, NULL, b->path);
	dl__diag_init(&da, opts, NULL, a->path);
	if (b->phase != DL_PHASE_DIAGNOSIS)
		warn(c, &db, b->assessment_pos,
		     _("the before sheet is a %s (phase '%s'), not the diagnosis made before the retrofit"),
		     _(dl__phase_msgid(b->phase)), dl_phase_name(b->phase));
	if (a->phase != DL_PHASE_EVALUATION)
		warn(c, &da, a->assessment_pos,
		     _("the after sheet is a %s (phase '%s'), not the evaluation made after the retrofit"),
		     _(dl__phase_msgid(a->phase)), dl_phase_name(a->phase));
	/* (An evaluation dated before the retrofit was completed is an error of the sheet itself.) */
	const char *date_before = dl_sheet_date(b), *date_after = dl_sheet_date(a);
	if (is_date(date_after) && is_date(date_before) && dl__date_compare(date_before, date_after) > 0)
		warn(c, &da, a->assessment_pos, _("the after sheet is dated %s, before the before sheet (%s, %s)"),
		     date_after, date_before, b->path);
	/* Sheets are paired by the credit code alone: say where they disagree about the enterprise. */
	unsigned differences = dl_compare_identity_differences(b, a);
	for (size_t i = 0; i < sizeof(identity) / sizeof(identity[0]); i++)
		if (differences & (1u << identity[i].field))
			warn(c, &da, a->enterprise_pos[identity[i].field],
			     _("the %s here is '%s' but '%s' in %s, under the same 统一社会信用代码 '%s': "
			       "sheets are paired by that code alone; check that both are of one enterprise"),
			     _(identity[i].title), dl_sheet_enterprise(a, identity[i].field),
			     dl_sheet_enterprise(b, identity[i].field), b->path,
			     dl_sheet_enterprise(a, DL_ENTERPRISE_CREDIT_CODE));
}

/* The questionnaire and policy must be the sheets' edition; a policy needs the retrofit block. */
static int check_inputs(const dl_questionnaire *q, const dl_sheet *after, const dl_policy *policy,
			const dl_load_options *opts, dl_error *err)
{
	dl__diag d;
	dl__diag_init(&d, opts, err, after->path);
	if (strcmp(q->id, after->questionnaire_id) != 0 ||
	    strcmp(q->version, after->questionnaire_version) != 0)
		return dl__diag_report(&d, DL_EMISMATCH, after->pos.line, after->pos.column,
				       _("the sheets use questionnaire '%s' version '%s', not '%s' version "
					 "'%s' (%s)"),
				       after->questionnaire_id, after->questionnaire_version, q->id,
				       q->version, q->path);
	if (!policy)
		return 0;
	int rc = dl_policy_check(policy, q, opts, err);
	if (rc < 0)
		return rc;
	if (!after->has_retrofit)
		return dl__diag_report(&d, DL_EINVALID, after->pos.line, after->pos.column,
				       _("the after sheet has no <retrofit> block, which policy '%s' needs "
					 "(the attempt, the dates and the investment items)"),
				       policy->id);
	return 0;
}

int dl_compare(dl_comparison **out, const dl_questionnaire *q, const dl_sheet *before,
	       const dl_sheet *after, const dl_policy *policy, const dl_load_options *opts,
	       dl_error *err)
{
	dl_comparison *c = NULL;
	dl_error first_before, first_after;
	int rc = dl_compare_check(before, after, opts, err);
	if (rc < 0)
		return rc;
	rc = check_inputs(q, after, policy, opts, err);
	if (rc < 0)
		return rc;
	c = dl__calloc(1, sizeof(*c));
	if (!c)
		return dl__error_set(err, DL_ENOMEM, after->path, 0, 0, _("out of memory"));
	c->q = q;
	c->before = before;
	c->after = after;
	c->policy = policy;
	c->phase = c->later_phase = DL_NONE;
	c->verdict = DL_VERDICT_FAIL;
	c->cap_level = c->bonus_level = c->deadline = "";
	c->phase_reason = c->no_subsidy_reason = c->reinspection = c->later = DL__TEXT_EMPTY;
	warn_about_sheets(c, opts);
	/* Score both, so that the problems of both sheets are reported; err gets the first. */
	int rc_before = dl_score(&c->rb, q, before, opts, &first_before);
	int rc_after = dl_score(&c->ra, q, after, opts, &first_after);
	if (rc_before < 0 || rc_after < 0) {
		rc = rc_before < 0 ? rc_before : rc_after;
		if (err)
			*err = rc_before < 0 ? first_before : first_after;
		goto done;
	}
	if (policy) {
		dl__diag d;
		dl__diag_init(&d, opts, err, after->path);
		rc = dl__subsidy_decide(c, &d);
		if (rc < 0)
			goto done;
	}
	*out = c;
	c = NULL;
done:
	dl_comparison_free(c);
	return rc;
}

void dl_comparison_free(dl_comparison *c)
{
	if (!c)
		return;
	dl_result_free(c->rb);
	dl_result_free(c->ra);
	dl__arena_free(&c->arena);
	dl__free(c);
}

/* --- accessors --------------------------------------------------------------------------------- */

/*
 * The texts of a comparison are kept in Chinese and English (text_both.h): the public accessors give
 * the language of messages, the _zh ones (policy_model.h) the Chinese of the documents.
 */
static int messages(void)
{
	return dl__messages_language();
}

const dl_result *dl_comparison_before(const dl_comparison *c) { return c->rb; }
const dl_result *dl_comparison_after(const dl_comparison *c) { return c->ra; }
const dl_policy *dl_comparison_policy(const dl_comparison *c) { return c->policy; }
bool dl_comparison_passed(const dl_comparison *c) { return c->passed; }
size_t dl_comparison_reason_count(const dl_comparison *c) { return c->reason_count; }
size_t dl_comparison_warning_count(const dl_comparison *c) { return c->warning_count; }

const dl_error *dl_comparison_warning(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->warning_count, NULL);
	return &c->warnings[i];
}

dl_reason_kind dl_comparison_reason_kind(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->reason_count, DL_REASON_MIN_LEVEL);
	return c->reasons[i].kind;
}

bool dl_comparison_reason_met(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->reason_count, false);
	return c->reasons[i].met;
}

int dl_comparison_reason_actual(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->reason_count, 0);
	return c->reasons[i].actual;
}

int dl_comparison_reason_required(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->reason_count, 0);
	return c->reasons[i].required;
}

static const char *reason_text_in(const dl_comparison *c, size_t i, int l)
{
	DL__CHECK_INDEX(i, c->reason_count, "");
	return c->reasons[i].text.in[l];
}

const char *dl_comparison_reason_text(const dl_comparison *c, size_t i)
{
	return reason_text_in(c, i, messages());
}

const char *dl__comparison_reason_text_zh(const dl_comparison *c, size_t i)
{
	return reason_text_in(c, i, DL_LANGUAGE_ZH);
}

int64_t dl_comparison_investment(const dl_comparison *c) { return c->investment; }
int64_t dl_comparison_eligible_investment(const dl_comparison *c) { return c->eligible; }
size_t dl_comparison_excluded_count(const dl_comparison *c) { return c->excluded_count; }

size_t dl_comparison_excluded_item(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->excluded_count, DL_NONE);
	return c->excluded[i];
}

static const char *excluded_reason_in(const dl_comparison *c, size_t i, int l)
{
	DL__CHECK_INDEX(i, c->excluded_count, "");
	return c->item_reason[c->excluded[i]].in[l];
}

const char *dl_comparison_excluded_reason(const dl_comparison *c, size_t i)
{
	return excluded_reason_in(c, i, messages());
}

const char *dl__comparison_excluded_reason_zh(const dl_comparison *c, size_t i)
{
	return excluded_reason_in(c, i, DL_LANGUAGE_ZH);
}

size_t dl_comparison_phase(const dl_comparison *c) { return c->phase; }
static const char *phase_reason_in(const dl_comparison *c, int l)
{
	return c->phase_reason.in[l];
}

const char *dl_comparison_phase_reason(const dl_comparison *c)
{
	return phase_reason_in(c, messages());
}

const char *dl__comparison_phase_reason_zh(const dl_comparison *c)
{
	return phase_reason_in(c, DL_LANGUAGE_ZH);
}

bool dl_comparison_phase_matched(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->policy ? c->policy->phase_count : 0, false);
	return c->phase_matched[i];
}

static const char *phase_basis_in(const dl_comparison *c, size_t i, int l)
{
	DL__CHECK_INDEX(i, c->policy ? c->policy->phase_count : 0, "");
	return c->phase_basis[i].in[l];
}

const char *dl_comparison_phase_basis(const dl_comparison *c, size_t i)
{
	return phase_basis_in(c, i, messages());
}

const char *dl__comparison_phase_basis_zh(const dl_comparison *c, size_t i)
{
	return phase_basis_in(c, i, DL_LANGUAGE_ZH);
}

bool dl_comparison_subsidy_granted(const dl_comparison *c) { return c->granted; }
int64_t dl_comparison_subsidy(const dl_comparison *c) { return c->subsidy; }
static const char *no_subsidy_reason_in(const dl_comparison *c, int l)
{
	return c->no_subsidy_reason.in[l];
}

const char *dl_comparison_no_subsidy_reason(const dl_comparison *c)
{
	return no_subsidy_reason_in(c, messages());
}

const char *dl__comparison_no_subsidy_reason_zh(const dl_comparison *c)
{
	return no_subsidy_reason_in(c, DL_LANGUAGE_ZH);
}
size_t dl_comparison_step_count(const dl_comparison *c) { return c->step_count; }

dl_subsidy_step_kind dl_comparison_step_kind(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->step_count, DL_SUBSIDY_RATE);
	return c->steps[i].kind;
}

int64_t dl_comparison_step_amount(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->step_count, 0);
	return c->steps[i].amount;
}

static const char *step_text_in(const dl_comparison *c, size_t i, int l)
{
	DL__CHECK_INDEX(i, c->step_count, "");
	return c->steps[i].text.in[l];
}

const char *dl_comparison_step_text(const dl_comparison *c, size_t i)
{
	return step_text_in(c, i, messages());
}

const char *dl__comparison_step_text_zh(const dl_comparison *c, size_t i)
{
	return step_text_in(c, i, DL_LANGUAGE_ZH);
}

/* --- the acceptance package -------------------------------------------------------------------- */

dl_verdict dl_comparison_verdict(const dl_comparison *c) { return c->verdict; }

const char *dl_verdict_title(dl_verdict v)
{
	switch (v) {
	case DL_VERDICT_PASS: return "通过";
	case DL_VERDICT_FAIL: return "不通过";
	case DL_VERDICT_RECTIFY: return "限期整改";
	}
	return "";
}

const char *dl_verdict_name(dl_verdict v)
{
	switch (v) {
	case DL_VERDICT_PASS: return "pass";
	case DL_VERDICT_FAIL: return "fail";
	case DL_VERDICT_RECTIFY: return "rectify";
	}
	return "";
}

const char *dl_outcome_name(dl_outcome o)
{
	switch (o) {
	case DL_OUTCOME_OK: return "ok";
	case DL_OUTCOME_NOTE: return "note";
	case DL_OUTCOME_RECTIFY: return "rectify";
	case DL_OUTCOME_FAIL: return "fail";
	}
	return "";
}

dl_outcome dl_comparison_reason_outcome(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->reason_count, DL_OUTCOME_OK);
	return c->reasons[i].met ? DL_OUTCOME_OK : c->reasons[i].leads;
}

bool dl_comparison_materials_recorded(const dl_comparison *c) { return c->materials_recorded; }
bool dl_comparison_finance_recorded(const dl_comparison *c) { return c->finance_recorded; }
bool dl_comparison_onsite_recorded(const dl_comparison *c) { return c->onsite_recorded; }
size_t dl_comparison_material_count(const dl_comparison *c) { return c->material_count; }

static const char *material_field_in(const dl_comparison *c, size_t i, dl_material_field field, int l)
{
	DL__CHECK_INDEX(i, c->material_count, "");
	const dl__material_row *r = &c->materials[i];
	switch (field) {
	case DL_MATERIAL_ID: return r->id;
	case DL_MATERIAL_TITLE: return r->title;
	case DL_MATERIAL_STATUS: return r->status;
	case DL_MATERIAL_STATUS_TITLE:
		if (!r->status[0])
			return dl__tr_in(l, N_("not on the list"));
		return dl__tr_in(l, strcmp(r->status, "verified") == 0	     ? N_("verified")
				    : strcmp(r->status, "provided") == 0	     ? N_("provided")
				    : strcmp(r->status, "not-applicable") == 0 ? N_("not applicable")
										 : N_("missing"));
	case DL_MATERIAL_REFERENCE: return r->reference;
	case DL_MATERIAL_VERIFIED_BY: return r->verified_by;
	case DL_MATERIAL_VERIFIED_ON: return r->verified_on;
	case DL_MATERIAL_FINDING: return r->finding.in[l];
	}
	return "";
}

const char *dl_comparison_material_field(const dl_comparison *c, size_t i, dl_material_field field)
{
	return material_field_in(c, i, field, messages());
}

const char *dl__comparison_material_field_zh(const dl_comparison *c, size_t i, dl_material_field field)
{
	return material_field_in(c, i, field, DL_LANGUAGE_ZH);
}

bool dl_comparison_material_required(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->material_count, false);
	return c->materials[i].required;
}

dl_outcome dl_comparison_material_outcome(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->material_count, DL_OUTCOME_OK);
	return c->materials[i].outcome;
}

static size_t item_count(const dl_comparison *c)
{
	return c->policy && c->finance ? c->after->item_count : 0;
}

int64_t dl_comparison_finance_amount(const dl_comparison *c, size_t item, dl_finance_amount which)
{
	DL__CHECK_INDEX(item, item_count(c), -1);
	const dl__finance_row *r = &c->finance[item];
	switch (which) {
	case DL_FINANCE_DECLARED: return r->declared;
	case DL_FINANCE_NET: return r->net;
	case DL_FINANCE_INVOICED: return r->invoiced;
	case DL_FINANCE_PAID: return r->paid;
	case DL_FINANCE_COUNTED: return r->counted;
	}
	return -1;
}

dl_outcome dl_comparison_finance_outcome(const dl_comparison *c, size_t item)
{
	DL__CHECK_INDEX(item, item_count(c), DL_OUTCOME_OK);
	return c->finance[item].outcome;
}

static const char *finance_finding_in(const dl_comparison *c, size_t item, int l)
{
	DL__CHECK_INDEX(item, item_count(c), "");
	return c->finance[item].finding.in[l];
}

const char *dl_comparison_finance_finding(const dl_comparison *c, size_t item)
{
	return finance_finding_in(c, item, messages());
}

const char *dl__comparison_finance_finding_zh(const dl_comparison *c, size_t item)
{
	return finance_finding_in(c, item, DL_LANGUAGE_ZH);
}

size_t dl_comparison_reconciliation_count(const dl_comparison *c) { return c->reconciliation_count; }

static const char *reconciliation_in(const dl_comparison *c, size_t i, int l)
{
	DL__CHECK_INDEX(i, c->reconciliation_count, "");
	return c->reconciliation[i].in[l];
}

const char *dl_comparison_reconciliation(const dl_comparison *c, size_t i)
{
	return reconciliation_in(c, i, messages());
}

const char *dl__comparison_reconciliation_zh(const dl_comparison *c, size_t i)
{
	return reconciliation_in(c, i, DL_LANGUAGE_ZH);
}

size_t dl_comparison_onsite_check(const dl_comparison *c, size_t item)
{
	DL__CHECK_INDEX(item, item_count(c), DL_NONE);
	return c->onsite[item].check;
}

dl_outcome dl_comparison_onsite_outcome(const dl_comparison *c, size_t item)
{
	DL__CHECK_INDEX(item, item_count(c), DL_OUTCOME_OK);
	return c->onsite[item].outcome;
}

static const char *onsite_finding_in(const dl_comparison *c, size_t item, int l)
{
	DL__CHECK_INDEX(item, item_count(c), "");
	return c->onsite[item].finding.in[l];
}

const char *dl_comparison_onsite_finding(const dl_comparison *c, size_t item)
{
	return onsite_finding_in(c, item, messages());
}

const char *dl__comparison_onsite_finding_zh(const dl_comparison *c, size_t item)
{
	return onsite_finding_in(c, item, DL_LANGUAGE_ZH);
}

size_t dl_comparison_finding_count(const dl_comparison *c) { return c->finding_count; }

dl_reason_kind dl_comparison_finding_kind(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->finding_count, DL_REASON_MIN_LEVEL);
	return c->findings[i].kind;
}

dl_outcome dl_comparison_finding_outcome(const dl_comparison *c, size_t i)
{
	DL__CHECK_INDEX(i, c->finding_count, DL_OUTCOME_OK);
	return c->findings[i].outcome;
}

static const char *finding_text_in(const dl_comparison *c, size_t i, int l)
{
	DL__CHECK_INDEX(i, c->finding_count, "");
	return c->findings[i].text.in[l];
}

const char *dl_comparison_finding_text(const dl_comparison *c, size_t i)
{
	return finding_text_in(c, i, messages());
}

const char *dl__comparison_finding_text_zh(const dl_comparison *c, size_t i)
{
	return finding_text_in(c, i, DL_LANGUAGE_ZH);
}

const char *dl_comparison_deadline(const dl_comparison *c) { return c->deadline; }
static const char *reinspection_in(const dl_comparison *c, int l)
{
	return c->reinspection.in[l];
}

const char *dl_comparison_reinspection(const dl_comparison *c)
{
	return reinspection_in(c, messages());
}

const char *dl__comparison_reinspection_zh(const dl_comparison *c)
{
	return reinspection_in(c, DL_LANGUAGE_ZH);
}
static const char *later_pass_in(const dl_comparison *c, int l)
{
	return c->later.in[l];
}

const char *dl_comparison_later_pass(const dl_comparison *c)
{
	return later_pass_in(c, messages());
}

const char *dl__comparison_later_pass_zh(const dl_comparison *c)
{
	return later_pass_in(c, DL_LANGUAGE_ZH);
}
size_t dl_comparison_later_phase(const dl_comparison *c) { return c->later_phase; }
