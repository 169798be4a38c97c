/*
 * batch_documents.c: the documents a batch renders for each enterprise, in one table: the
 * 数字化诊断报告 of its before (or of its only sheet) and, when its pair was compared under the
 * policy, the 验收意见. dl_batch_finish renders each once and hands it to the report callback
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

static int render_diagnostic(unsigned char **pdf, size_t *len, const dl__batch_enterprise *x,
			     const dl_report_options *ro, dl_error *err)
{
	return dl_report_diagnostic(pdf, len, x->diagnosed_result, x->diagnosed, ro, err);
}

static int render_acceptance(unsigned char **pdf, size_t *len, const dl__batch_enterprise *x,
			     const dl_report_options *ro, dl_error *err)
{
	return dl_report_acceptance(pdf, len, x->comparison, x->before, x->after, ro, err);
}

const dl__batch_document dl__batch_documents[] = {
	{"diagnostic", "数字化诊断报告", always, render_diagnostic},
	{"acceptance", "验收意见", compared_under_policy, render_acceptance},
};

const size_t dl__batch_document_count = sizeof(dl__batch_documents) / sizeof(dl__batch_documents[0]);
