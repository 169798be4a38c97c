/*
 * batch_documents.c: the documents a batch renders for each enterprise, in one table: the
 * 数字化诊断报告 of its before (or of its only sheet), the 数字化改造方案 of its diagnosis, and,
 * when its pair was compared under the policy, the 验收意见. The diagnosis and the plan give the
 * expected subsidy under the batch's policy, as `report diagnostic|plan --policy` do. dl_batch_finish renders each once and hands it to the report callback
 * (`--reports DIR` writes CODE-KIND.pdf) and to the enterprise's folder of the archive
 * (report-KIND.pdf), so that a new document (the 改造方案) is one render function and one line
 * of the table (and its "-KIND.pdf" among the names cli/cmd_batch.c guards for --reports). The
 * table's order is the order of the folder's index.
 */
#include "batch_model.h"

static bool always(const dl__batch_enterprise *x)
{
	(void)x;
	return true;
}

static bool compared_under_policy(const dl__batch_enterprise *x)
{
	return x->comparison && dl_comparison_policy(x->comparison) != NULL;
}

static bool has_diagnosis(const dl__batch_enterprise *x)
{
	return x->before != NULL;
}

static int render_diagnostic(unsigned char **pdf, size_t *len, const dl__batch_enterprise *x,
			     const dl_report_options *ro, dl_error *err)
{
	dl_report_options with_policy = *ro;
	with_policy.policy = x->policy;
	return dl_report_diagnostic(pdf, len, x->diagnosed_result, x->diagnosed, &with_policy, err);
}

/* DL_ENOTFOUND when the questionnaire has no solution catalogue beside it: the plan is then not
 * made, and the archive's index says why (batch_finish.c), which is no failure of the batch. */
static int render_plan(unsigned char **pdf, size_t *len, const dl__batch_enterprise *x,
		       const dl_report_options *ro, dl_error *err)
{
	dl_report_options with_policy = *ro;
	with_policy.policy = x->policy;
	return dl_report_plan(pdf, len, x->diagnosed_result, x->diagnosed, &with_policy, err);
}

static int render_acceptance(unsigned char **pdf, size_t *len, const dl__batch_enterprise *x,
			     const dl_report_options *ro, dl_error *err)
{
	dl_report_options with_digest = *ro; /* named as `digilevel report acceptance` names it */
	with_digest.after_sha256 = dl_sheet_digest(x->after);
	return dl_report_acceptance(pdf, len, x->comparison, x->before, x->after, &with_digest, err);
}

const dl__batch_document dl__batch_documents[] = {
	{"diagnostic", "数字化诊断报告", always, render_diagnostic},
	{"plan", "数字化改造方案", has_diagnosis, render_plan},
	{"acceptance", "验收意见", compared_under_policy, render_acceptance},
};

const size_t dl__batch_document_count = sizeof(dl__batch_documents) / sizeof(dl__batch_documents[0]);
