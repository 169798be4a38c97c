/*
 * report_common.h: what the two documents (diagnostic.c, acceptance.c) share: a builder that
 * appends formatted blocks to a dl__doc with a sticky error, formatting of dates, points, money and
 * rates for print, the blocks both documents contain (enterprise profile, dimension bars and
 * scenario radar, notes and evidence, signatures), and the final step that renders the document
 * as PDF or text dump and maps the error to dl_error.
 *
 * The builder keeps the first failure and turns every later call into a no-op, so a document is
 * written as a straight sequence of calls with one check at the end (the pattern of the text back
 * end's buffer). A cell index beyond DL__RP_CELLS is a programming error and asserted.
 */
#ifndef DL_REPORTS_REPORT_COMMON_H
#define DL_REPORTS_REPORT_COMMON_H

#include "digilevel/report.h"
#include "layout.h"

#include <stdint.h>

#define DL__RP_CELLS 8u /* cells of one pending table row */

/* A growing string owned by the builder (dl__malloc). */
typedef struct dl__textbuf {
	char *p;
	size_t len, cap;
} dl__textbuf;

typedef struct dl__rp {
	dl__doc *doc;
	dl_error err;
	int rc;                      /* 0, or the first failure (a DL_E* code) */
	dl__textbuf text;               /* one formatted text */
	dl__textbuf cell[DL__RP_CELLS]; /* the pending row */
	dl__textbuf *key, *value;       /* the pending key-value pairs (a kv block or a cover's lines) */
	size_t npairs, cap_pairs;
} dl__rp;

/* Appending to a dl__textbuf (start it as {NULL, 0, 0}). Each returns 0, DL_ENOMEM or (a formatting
 * error) DL_EINVALID; pass the result to dl__rp_check() to make it the builder's failure. */
int dl__textbuf_add(dl__textbuf *s, const char *text);
int dl__textbuf_addf(dl__textbuf *s, const char *fmt, ...) DL__PRINTF(2, 3);
/* The text so far ("" when empty). Borrowed: valid until the next change. */
const char *dl__textbuf_get(const dl__textbuf *s);
void dl__textbuf_clear(dl__textbuf *s);
void dl__textbuf_free(dl__textbuf *s);

/* Starts a builder with an empty document. Returns 0 or DL_ENOMEM (rp->err says so). */
int dl__rp_init(dl__rp *rp);
/* Frees the builder and its document. */
void dl__rp_free(dl__rp *rp);
/* Records rc, a failed dl__textbuf_* result, as the builder's failure (0 is ignored). */
void dl__rp_check(dl__rp *rp, int rc);

/* Page header and footer note (see layout.h). */
void dl__rp_header(dl__rp *rp, const char *fmt, ...) DL__PRINTF(2, 3);
void dl__rp_footer(dl__rp *rp, const char *fmt, ...) DL__PRINTF(2, 3);

void dl__rp_heading(dl__rp *rp, int level, const char *fmt, ...) DL__PRINTF(3, 4);
void dl__rp_para(dl__rp *rp, unsigned flags, const char *fmt, ...) DL__PRINTF(3, 4);
void dl__rp_space(dl__rp *rp, double points);
void dl__rp_page_break(dl__rp *rp);

/* Starts a table; then per row: dl__rp_cell() for each cell, dl__rp_row(). */
void dl__rp_table(dl__rp *rp, const dl__column *cols, size_t ncols);
/* Sets cell i (< DL__RP_CELLS) of the pending row; cells not set are "". */
void dl__rp_cell(dl__rp *rp, size_t i, const char *fmt, ...) DL__PRINTF(3, 4);
/* Appends the pending row's first ncols cells to the table and clears them. */
void dl__rp_row(dl__rp *rp, size_t ncols);

/* Adds a pending key-value pair: the key as given, the value formatted. */
void dl__rp_pair(dl__rp *rp, const char *key, const char *fmt, ...) DL__PRINTF(3, 4);
/* Appends the pending pairs as a key-value block (flags DL__KV_*) and clears them. */
void dl__rp_key_values(dl__rp *rp, unsigned flags);
/* Appends a cover page with the pending pairs as its lines, and clears them. */
void dl__rp_cover(dl__rp *rp, const char *title, const char *subtitle, const char *date);

/*
 * Renders the document as opts->format says into *out / *len (caller frees with dl__free()), with
 * title in the PDF's Info. Maps a failure (the builder's first, or the renderer's) to err. Returns
 * 0 or a negative DL_E* code.
 */
int dl__rp_render(dl__rp *rp, const dl_report_options *opts, const char *title, unsigned char **out,
		  size_t *len, dl_error *err);

/*
 * Checks opts (NULL: defaults) and copies it into *use. Returns 0, or DL_EINVALID for an unknown
 * version or format.
 */
int dl__rp_options(const dl_report_options *opts, dl_report_options *use, dl_error *err);

/* "2025-04-25" as "2025年4月25日" (anything else is copied as it is). Returns buf. */
char *dl__rp_date(const char *iso, char *buf, size_t size);
/* Points for print: "57.5". buf >= 32 bytes. Returns buf. */
char *dl__rp_points(dl_points v, char *buf, size_t size);
/* A signed change for print: "+2.5", "-1", "0". buf >= 32 bytes. Returns buf. */
char *dl__rp_change(dl_points v, char *buf, size_t size);
/* Fen as yuan with thousands separators: "1,041,100.00". buf >= 40 bytes. Returns buf. */
char *dl__rp_money(int64_t fen, char *buf, size_t size);
/* A rate in 1/10000 percent as "70%" or "62.5%". buf >= 32 bytes. Returns buf. */
char *dl__rp_rate(int64_t rate, char *buf, size_t size);
/* The name of a level ("二级"), or "N 级" when the questionnaire gives none. */
const char *dl__rp_level_name(const dl_questionnaire *q, int level, char *buf, size_t size);
/* The level above r's that has a grade, or -1 at the top (as the text output's "next level"). */
int dl__rp_next_level(const dl_result *r);
/* Text or "—" when it is empty. */
const char *dl__rp_or_dash(const char *text);

/*
 * Whether node n of the scored tree gets its own row in a score table: questions and dimensions
 * always; indicators and sub-indicators unless they only repeat their parent's title ("数据采集"
 * under "数据采集").
 */
int dl__rp_node_shown(const dl_questionnaire *q, size_t n);

/* Ideographic spaces that indent a node's title by its depth in the tree ("" for a dimension). */
const char *dl__rp_indent(const dl_questionnaire *q, size_t n);
/* part / whole as a percentage with one decimal, "57.5%" ("—" when whole is 0). buf >= 32 bytes. */
char *dl__rp_percent(dl_points part, dl_points whole, char *buf, size_t size);

/* Adds field `field` of sheet s as a pending pair: "企业名称：" and the name, or "—". */
void dl__rp_enterprise_pair(dl__rp *rp, const dl_sheet *s, dl_enterprise_field field);
/* Adds the enterprise profile as pending pairs (name, credit code, region, address, industry,
 * scale, employees, main products, tags). */
void dl__rp_enterprise_pairs(dl__rp *rp, const dl_sheet *s);

/*
 * Appends the notes and evidence of sheet s (questions, then scenarios) as a table: 编号 |
 * 评测项/场景 | 说明 | 佐证材料; or a paragraph saying there are none. Returns the number of rows.
 */
size_t dl__rp_evidence(dl__rp *rp, const dl_sheet *s, const dl_questionnaire *q);

/*
 * Appends the signature block, kept on one page: the organisation (org_key, e.g.
 * "诊断机构（盖章）：") with its name, a line to sign for each of the sheet's assessors ("郑海波 ·
 * 评测组长："), the date.
 */
void dl__rp_signatures(dl__rp *rp, const dl_sheet *s, const char *org_key, const char *date);

/*
 * The charts of one result (r1 NULL) or of two side by side (r0 before, r1 after), each series
 * named in the legend (series1 is ignored without r1). Both results must be of the same
 * questionnaire, r0's.
 *
 * dl__rp_dimension_bars: a bar chart of the dimensions' scores against their full marks ("满分"),
 * the first DL__BARS_MAX dimensions; nothing when the questionnaire has none.
 * dl__rp_scenario_radar: a radar of the scenarios' levels, constraint scenarios marked; nothing
 * unless there are 3..DL__AXES_MAX scenarios and 1..10 levels.
 */
void dl__rp_dimension_bars(dl__rp *rp, const char *caption, const dl_result *r0,
			   const char *series0, const dl_result *r1, const char *series1);
void dl__rp_scenario_radar(dl__rp *rp, const char *caption, const dl_result *r0,
			   const char *series0, const dl_result *r1, const char *series1);

/*
 * The formal apparatus every document shares (issue 11, section 4).
 *
 * dl__rp_report_number: the document's number, "<prefix>-<code>-<YYYYMMDD>" or, with attempt > 0,
 * "<prefix>-<code>-<YYYYMMDD>-<NN>" (docs/reports.md, "Report numbers"). Returns buf.
 * dl__rp_info: the PDF's document information (author: the issuing organisation).
 * dl__rp_keep: starts (1) or ends (0) a keep-together group (layout.h, dl__doc_keep).
 * dl__rp_statement: the statement page: "声明" with the numbered clauses, the table of contents,
 * and a page break.
 *
 * The sign-off blocks, each a keep-together group (whole on one page) under a level-2 heading:
 * dl__rp_team_block: the organisation's own people (duty lead, expert, member or none): name, duty
 * (the role as written), 职称, organisation, a cell to sign; then the organisation with its seal
 * (org_key, e.g. "诊断机构（盖章）：") and the date. The enterprise's contact and the bureau's
 * supervisor are not in it.
 * dl__rp_expert_block: the expert group (lead and experts: name, organisation, 职称, signature);
 * nothing when the sheet names no expert.
 * dl__rp_approval_block: 编制 / 审核 / 批准 with the names the sheet gives (blank rows to fill in by
 * hand otherwise); s may be NULL.
 * dl__rp_enterprise_block: the enterprise's confirmation: the statement, the enterprise with its
 * seal, its representative and contact(s) to sign, the date, room for the seal.
 * dl__rp_bureau_block: the district bureau's review: room for the opinion, the bureau (bureau, or
 * the supervisor's organisation) with its seal, the supervisor(s) and the head to sign, the date,
 * room for the seal; s may be NULL.
 * dl__rp_review_block: the same for any reviewing unit: unit (NULL or "": the first supervisor's
 * organisation), with unit_only only that unit's supervisors sign, then head ("负责人（签字）：").
 */
char *dl__rp_report_number(const char *prefix, const char *code, const char *iso_date, int attempt,
			   char *buf, size_t size);
void dl__rp_info(dl__rp *rp, const char *title, const char *author, const char *subject,
		 const char *keywords);
void dl__rp_keep(dl__rp *rp, int begin);
void dl__rp_statement(dl__rp *rp, const char *const *clauses, size_t n);
void dl__rp_team_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *org_key,
		       const char *org, const char *date);
void dl__rp_expert_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *org);
void dl__rp_approval_block(dl__rp *rp, const dl_sheet *s, const char *heading);
void dl__rp_enterprise_block(dl__rp *rp, const dl_sheet *s, const char *heading,
			     const char *statement);
void dl__rp_bureau_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *bureau);
void dl__rp_review_block(dl__rp *rp, const dl_sheet *s, const char *heading, const char *unit,
			 bool unit_only, const char *head);

#endif
