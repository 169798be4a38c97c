/*
 * write_diagnosis.c: the sections of `digilevel score` that a diagnosis adds, in text and JSON:
 * the enterprise profile (operating figures, process, certifications, devices and software, the
 * survey), the pain points in prose, and the recommended retrofit with the catalogue solutions, the
 * estimated investment, the timeline and the expected level (scored). Amounts in text are 万元 (the
 * unit the catalogue and the sheets use), in JSON exact yuan strings as everywhere else. The text
 * is in the language of messages.
 */
#include "write_diagnosis.h"

#include "catalogue_model.h"
#include "i18n.h"
#include "money.h"
#include "text_both.h"
#include "texts_zh.h"

#include <stdio.h>
#include <string.h>

static const char *const OPERATION_TITLES[DL_OPERATION_FIELDS] = {
    N_("revenue"), N_("total profit"), N_("total assets"), N_("R&D spending")};
static const char *const OPERATION_KEYS[DL_OPERATION_FIELDS] = {"revenue", "profit", "assets", "rnd"};

static const char *deployment_title(dl_deployment d)
{
	return d == DL_DEPLOYMENT_LOCAL	  ? _("deployed on site")
	       : d == DL_DEPLOYMENT_CLOUD ? _("in the cloud")
					  : "";
}

static const char *deployment_name(dl_deployment d)
{
	return d == DL_DEPLOYMENT_LOCAL ? "local" : d == DL_DEPLOYMENT_CLOUD ? "cloud" : "";
}

void dl__text_profile(dl__out *o, const dl_sheet *s)
{
	char w[32];
	if (!s || !dl_sheet_has_profile(s))
		return;
	dl__out_str(o, _("Enterprise profile:\n"));
	for (size_t i = 0; i < dl_sheet_operation_count(s); i++) {
		const char *sep = "";
		dl__out_printf(o, _("  %d (10,000 yuan): "), dl_sheet_operation_year(s, i));
		for (int f = 0; f < DL_OPERATION_FIELDS; f++)
			if (dl_sheet_operation_has(s, i, (dl_operation_field)f)) {
				dl__out_printf(o, "%s%s %s", sep, _(OPERATION_TITLES[f]),
					       dl_wan_format(dl_sheet_operation_fen(
								 s, i, (dl_operation_field)f),
							     w, sizeof(w)));
				sep = " · ";
			}
		dl__out_str(o, "\n");
	}
	if (dl_sheet_enterprise(s, DL_ENTERPRISE_MAIN_PRODUCTS)[0])
		dl__out_printf(o, _("  Main products: %s\n"),
			       dl_sheet_enterprise(s, DL_ENTERPRISE_MAIN_PRODUCTS));
	if (dl_sheet_process(s)[0])
		dl__out_printf(o, _("  Process: %s\n"), dl_sheet_process(s));
	if (dl_sheet_certification_count(s)) {
		dl__out_str(o, _("  Certifications: "));
		for (size_t i = 0; i < dl_sheet_certification_count(s); i++)
			dl__out_printf(o, "%s%s", i ? _("; ") : "", dl_sheet_certification(s, i));
		dl__out_str(o, "\n");
	}
	if (dl_sheet_inventory_count(s)) {
		dl__out_printf(o, _("  Equipment and industrial software (%zu):\n"),
			       dl_sheet_inventory_count(s));
		for (size_t i = 0; i < dl_sheet_inventory_count(s); i++) {
			dl_deployment d = dl_sheet_inventory_deployment(s, i);
			dl__out_printf(
			    o, "    %s %s × %ld",
			    dl_sheet_inventory_kind(s, i) == DL_INVENTORY_SOFTWARE ? _("software")
										   : _("equipment"),
			    dl_sheet_inventory_name(s, i), dl_sheet_inventory_number(s, i));
			if (dl_sheet_inventory_vendor(s, i)[0])
				dl__out_printf(o, " · %s", dl_sheet_inventory_vendor(s, i));
			if (d != DL_DEPLOYMENT_UNKNOWN)
				dl__out_printf(o, " · %s", deployment_title(d));
			if (dl_sheet_inventory_scenarios(s, i)[0])
				dl__out_printf(o, _(" · scenarios %s"),
					       dl_sheet_inventory_scenarios(s, i));
			dl__out_str(o, "\n");
		}
	}
	if (dl_sheet_has_survey(s))
		dl__out_printf(o, _("  Survey: %s to %s · %s\n"), dl_sheet_survey_from(s),
			       dl_sheet_survey_to(s), dl_sheet_survey_method(s));
	dl__out_str(o, "\n");
}

int dl__text_findings(dl__out *o, const dl_result *r, int target)
{
	dl_findings *f = NULL;
	dl_error err;
	int rc = dl__findings_make_in(&f, r, target, dl__messages_language(), &err);
	if (rc < 0)
		return rc == DL_ENOMEM ? rc : 0;
	if (dl_findings_count(f)) {
		dl__out_str(o, _("\nMain problems:\n"));
		for (size_t i = 0; i < dl_findings_count(f); i++)
			dl__out_printf(o, "  %2zu. %s\n", i + 1, dl_findings_text(f, i));
	}
	dl_findings_free(f);
	return 0;
}

/* The catalogue beside q and the recommendation along p; *why says why there is none (""). */
static int recommend(const dl_result *r, const dl_sheet *s, const dl_plan *p, const dl_catalogue **cat,
		     dl_retrofit **rt, char *why, size_t size)
{
	dl_error err;
	why[0] = '\0';
	*cat = NULL;
	*rt = NULL;
	int rc = dl__catalogue_beside(cat, r->q, &err);
	if (rc == DL_ENOTFOUND)
		return 0;
	if (rc == 0)
		rc = dl_retrofit_recommend(rt, r, s, p, *cat, NULL, &err);
	if (rc == DL_ENOMEM) {
		*cat = NULL;
		return rc;
	}
	if (rc < 0)
		dl_error_format(&err, why, size);
	return 0;
}

static void step_list(dl__out *o, const dl_retrofit *rt, size_t k)
{
	for (size_t j = 0; j < dl_retrofit_solution_step_count(rt, k); j++)
		dl__out_printf(o, "%s%zu", j ? _(", ") : "",
			       dl_retrofit_solution_step(rt, k, j) + 1);
}

int dl__text_retrofit(dl__out *o, const dl_result *r, const dl_sheet *s, const dl_plan *p)
{
	const dl_catalogue *cat = NULL;
	dl_retrofit *rt = NULL;
	char why[DL_ERROR_FORMAT_MAX], a[32], b[32];
	if (!s || !p || dl_plan_step_count(p) == 0)
		return 0;
	int rc = recommend(r, s, p, &cat, &rt, why, sizeof(why));
	if (rc < 0)
		return rc;
	if (why[0])
		dl__out_printf(o, _("\nRecommended retrofit: none can be given (%s)\n"), why);
	if (!rt) {
		return 0;
	}
	dl__out_printf(o,
		       _("\nRecommended retrofit (%s; costs and durations are reference ranges, "
			 "estimates):\n"),
		       dl_catalogue_title(cat));
	for (size_t k = 0; k < dl_retrofit_solution_count(rt); k++) {
		size_t si = dl_retrofit_solution(rt, k);
		dl__out_printf(
		    o, _("  %2zu. %s: %s–%s ten thousand yuan · %d–%d weeks · improvement steps "),
		    k + 1, dl_catalogue_solution_name(cat, si),
		    dl_wan_format(dl_catalogue_solution_cost_low(cat, si), a, sizeof(a)),
		    dl_wan_format(dl_catalogue_solution_cost_high(cat, si), b, sizeof(b)),
		    dl_catalogue_solution_weeks_low(cat, si),
		    dl_catalogue_solution_weeks_high(cat, si));
		step_list(o, rt, k);
		dl__out_str(o, "\n");
	}
	if (dl_retrofit_uncovered_count(rt)) {
		dl__out_str(o, _("  Steps no single solution of the catalogue covers, for an "
				 "integrator to carry out: "));
		for (size_t i = 0; i < dl_retrofit_uncovered_count(rt); i++)
			dl__out_printf(o, "%s%zu", i ? _(", ") : "",
				       dl_retrofit_uncovered_step(rt, i) + 1);
		dl__out_str(o, "\n");
	}
	dl__out_printf(o, _("  Estimated investment: %s–%s ten thousand yuan"),
		       dl_wan_format(dl_retrofit_cost_low(rt), a, sizeof(a)),
		       dl_wan_format(dl_retrofit_cost_high(rt), b, sizeof(b)));
	if (dl_retrofit_revenue_share(rt) >= 0)
		dl__out_printf(
		    o, _(" (the upper end is about %lld.%02lld%% of last year's revenue%s)"),
		    (long long)(dl_retrofit_revenue_share(rt) / 100),
		    (long long)(dl_retrofit_revenue_share(rt) % 100),
		    dl_retrofit_revenue_share(rt) > 1000 ? _(", over 10%: say how it is financed")
							 : "");
	dl__out_str(o, "\n");
	dl__out_printf(o, _("  Duration: %d–%d weeks with the solutions carried out in parallel"),
		       dl_retrofit_weeks_low(rt), dl_retrofit_weeks_high(rt));
	if (dl_retrofit_completion(rt)[0])
		dl__out_printf(o, _(", in use by about %s at the latest"),
			       dl_retrofit_completion(rt));
	dl__out_str(o, "\n");
	dl__out_printf(o,
		       _("  Expected level: %s (the sheet scored again with every improvement step "
			 "done: total %s points)\n"),
		       dl_questionnaire_level_name(r->q, dl_retrofit_expected_level(rt)),
		       dl__decimal_format(dl_retrofit_expected_total(rt), a, sizeof(a)));
	if (dl_retrofit_provider_count(rt)) {
		dl__out_str(o, _("  Providers to contact: "));
		for (size_t i = 0; i < dl_retrofit_provider_count(rt); i++)
			dl__out_printf(
			    o, "%s%s", i ? _("; ") : "",
			    dl_catalogue_provider_name(cat, dl_retrofit_provider(rt, i)));
		dl__out_str(o, "\n");
	}
	dl_retrofit_free(rt);
	return 0;
}

void dl__json_profile(dl__out *o, const dl_sheet *s)
{
	char y[32];
	if (!s || !dl_sheet_has_profile(s))
		return;
	dl__out_json_key(o, "profile");
	dl__out_str(o, "{");
	dl__out_json_key(o, "operations");
	dl__out_str(o, "[");
	for (size_t i = 0; i < dl_sheet_operation_count(s); i++) {
		dl__out_printf(o, "%s{\"year\": %d", i ? ", " : "", dl_sheet_operation_year(s, i));
		for (int f = 0; f < DL_OPERATION_FIELDS; f++) {
			dl__out_str(o, ", ");
			dl__out_json_key(o, OPERATION_KEYS[f]);
			if (dl_sheet_operation_has(s, i, (dl_operation_field)f))
				dl__out_json_string(o, dl_money_format(dl_sheet_operation_fen(s, i, (dl_operation_field)f),
								       y, sizeof(y)));
			else
				dl__out_str(o, "null");
		}
		dl__out_str(o, "}");
	}
	dl__out_str(o, "], ");
	dl__out_json_field(o, "process", dl_sheet_process(s), true);
	dl__out_json_key(o, "certifications");
	dl__out_str(o, "[");
	for (size_t i = 0; i < dl_sheet_certification_count(s); i++) {
		if (i)
			dl__out_str(o, ", ");
		dl__out_json_string(o, dl_sheet_certification(s, i));
	}
	dl__out_str(o, "], ");
	dl__out_json_key(o, "inventory");
	dl__out_str(o, "[");
	for (size_t i = 0; i < dl_sheet_inventory_count(s); i++) {
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "kind", dl_sheet_inventory_kind(s, i) == DL_INVENTORY_SOFTWARE ? "software" : "device",
				   true);
		dl__out_json_field(o, "name", dl_sheet_inventory_name(s, i), true);
		dl__out_json_field(o, "vendor", dl_sheet_inventory_vendor(s, i), true);
		dl__out_printf(o, "\"count\": %ld, ", dl_sheet_inventory_number(s, i));
		dl__out_json_field(o, "deployment", deployment_name(dl_sheet_inventory_deployment(s, i)), true);
		dl__out_json_field(o, "scenarios", dl_sheet_inventory_scenarios(s, i), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, dl_sheet_inventory_count(s) ? "\n  ], " : "], ");
	dl__out_json_key(o, "survey");
	if (dl_sheet_has_survey(s)) {
		dl__out_str(o, "{");
		dl__out_json_field(o, "from", dl_sheet_survey_from(s), true);
		dl__out_json_field(o, "to", dl_sheet_survey_to(s), true);
		dl__out_json_field(o, "method", dl_sheet_survey_method(s), false);
		dl__out_str(o, "}");
	} else {
		dl__out_str(o, "null");
	}
	dl__out_str(o, "},\n  ");
}

int dl__json_findings(dl__out *o, const dl_result *r, int target)
{
	static const char *const kinds[] = {"dimension", "scenarios", "question", "outcome"};
	dl_findings *f = NULL;
	dl_error err;
	int rc = dl__findings_make_in(&f, r, target, dl__messages_language(), &err);
	if (rc == DL_ENOMEM)
		return rc;
	dl__out_json_key(o, "findings");
	dl__out_str(o, "[");
	for (size_t i = 0; f && i < dl_findings_count(f); i++) {
		dl__out_str(o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "kind", kinds[dl_findings_kind(f, i)], true);
		dl__out_json_field(o, "subject", dl_findings_subject(f, i), true);
		dl__out_json_field(o, "text", dl_findings_text(f, i), false);
		dl__out_str(o, "}");
	}
	dl__out_str(o, f && dl_findings_count(f) ? "\n  ],\n  " : "],\n  ");
	dl_findings_free(f);
	return 0;
}

int dl__json_retrofit(dl__out *o, const dl_result *r, const dl_sheet *s, const dl_plan *p)
{
	const dl_catalogue *cat = NULL;
	dl_retrofit *rt = NULL;
	char why[DL_ERROR_FORMAT_MAX], a[32];
	if (!s || !p)
		return 0;
	int rc = recommend(r, s, p, &cat, &rt, why, sizeof(why));
	if (rc < 0)
		return rc;
	dl__out_json_key(o, "recommendation");
	if (!rt) {
		if (why[0]) {
			dl__out_str(o, "{");
			dl__out_json_field(o, "error", why, false);
			dl__out_str(o, "},\n  ");
		} else {
			dl__out_str(o, "null,\n  ");
		}
		return 0;
	}
	dl__out_str(o, "{");
	dl__out_json_field(o, "catalogue", dl_catalogue_path(cat), true);
	dl__out_json_int(o, "target", dl_plan_target(p), true);
	dl__out_json_key(o, "solutions");
	dl__out_str(o, "[");
	for (size_t k = 0; k < dl_retrofit_solution_count(rt); k++) {
		size_t si = dl_retrofit_solution(rt, k);
		dl__out_str(o, k ? ",\n    {" : "\n    {");
		dl__out_json_field(o, "id", dl_catalogue_solution_id(cat, si), true);
		dl__out_json_field(o, "name", dl_catalogue_solution_name(cat, si), true);
		dl__out_json_field(o, "cost_low", dl_money_format(dl_catalogue_solution_cost_low(cat, si), a, sizeof(a)), true);
		dl__out_json_field(o, "cost_high", dl_money_format(dl_catalogue_solution_cost_high(cat, si), a, sizeof(a)), true);
		dl__out_json_int(o, "weeks_low", dl_catalogue_solution_weeks_low(cat, si), true);
		dl__out_json_int(o, "weeks_high", dl_catalogue_solution_weeks_high(cat, si), true);
		dl__out_str(o, "\"steps\": [");
		for (size_t j = 0; j < dl_retrofit_solution_step_count(rt, k); j++) {
			dl__out_str(o, j ? ", " : "");
			dl__out_int(o, (long long)dl_retrofit_solution_step(rt, k, j) + 1);
		}
		dl__out_str(o, "]}");
	}
	dl__out_str(o, dl_retrofit_solution_count(rt) ? "\n  ], " : "], ");
	dl__out_str(o, "\"uncovered_steps\": [");
	for (size_t i = 0; i < dl_retrofit_uncovered_count(rt); i++) {
		dl__out_str(o, i ? ", " : "");
		dl__out_int(o, (long long)dl_retrofit_uncovered_step(rt, i) + 1);
	}
	dl__out_str(o, "], ");
	dl__out_json_field(o, "cost_low", dl_money_format(dl_retrofit_cost_low(rt), a, sizeof(a)), true);
	dl__out_json_field(o, "cost_high", dl_money_format(dl_retrofit_cost_high(rt), a, sizeof(a)), true);
	dl__out_json_key(o, "revenue_share_percent");
	if (dl_retrofit_revenue_share(rt) >= 0)
		dl__out_printf(o, "\"%lld.%02lld\", ", (long long)(dl_retrofit_revenue_share(rt) / 100),
			       (long long)(dl_retrofit_revenue_share(rt) % 100));
	else
		dl__out_str(o, "null, ");
	dl__out_json_int(o, "weeks_low", dl_retrofit_weeks_low(rt), true);
	dl__out_json_int(o, "weeks_high", dl_retrofit_weeks_high(rt), true);
	dl__out_json_field(o, "completion", dl_retrofit_completion(rt), true);
	dl__out_json_int(o, "expected_level", dl_retrofit_expected_level(rt), true);
	dl__out_json_key(o, "expected_total");
	dl__out_points(o, dl_retrofit_expected_total(rt));
	dl__out_str(o, ", \"providers\": [");
	for (size_t i = 0; i < dl_retrofit_provider_count(rt); i++) {
		if (i)
			dl__out_str(o, ", ");
		dl__out_json_string(o, dl_catalogue_provider_id(cat, dl_retrofit_provider(rt, i)));
	}
	dl__out_str(o, "]},\n  ");
	dl_retrofit_free(rt);
	return 0;
}
