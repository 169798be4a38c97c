/*
 * digilevel/report.h: the two documents people hand over and sign, on A4 in Chinese:
 *
 * - the diagnostic report (数字化诊断报告) of one scored sheet: cover, enterprise profile (operating
 *   figures, products and process, certifications, devices and software, the survey), the result
 *   at a glance with charts, why this level and not the next, every question and scenario, the
 *   pain points, the 问题、需求和场景清单 with the improvement plan, the recommended retrofit
 *   (catalogue solutions, investment range, timeline, expected level and subsidy, providers),
 *   evidence notes, the assessors' signature block;
 * - the acceptance opinion (验收意见) of a before/after comparison made with a policy: the enterprise
 *   and the retrofit project, before and after side by side with charts, every scenario's change,
 *   the verdict with each reason, the eligible investment and the excluded items, the subsidy step
 *   by step, the evaluators' signature block;
 * - the retrofit plan (数字化改造方案) of one diagnosed sheet: the target level and what it takes,
 *   each construction item (the sheet's chosen solutions, or the recommended retrofit) with what it
 *   lifts and its amount, the total investment and the expected subsidy, the schedule, the level
 *   the plan reaches (scored), the providers, the parties' responsibilities, the sign-off blocks.
 *
 * A report is rendered to memory, either as PDF (an embedded CJK TrueType font, see docs/reports.md
 * for the search order) or as the layout's text dump, which shows the same pages line by line and
 * needs no font (for tests). Output depends only on the inputs: the dates printed are the sheets'
 * dates, never the current time, and the same inputs and font give byte-identical PDFs. Every page
 * but the cover carries the SHA-256 of the input sheet(s) in its footer.
 *
 * The charts of the two reports can also be drawn alone, as SVG for a web page
 * (dl_report_chart_svg, dl_report_comparison_chart_svg), from the same layout as the PDF's.
 */
#ifndef DIGILEVEL_REPORT_H
#define DIGILEVEL_REPORT_H

#include "catalogue.h"
#include "common.h"
#include "policy.h"
#include "score.h"
#include "sheet.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a report is rendered as. */
typedef enum dl_report_format {
	DL_REPORT_PDF = 0, /**< PDF bytes (A4, embedded font, no timestamps) */
	DL_REPORT_TEXT = 1 /**< the layout's text dump: UTF-8, a line per placed line, row or datum */
} dl_report_format;

/**
 * Options for rendering a report. Initialise with DL_REPORT_OPTIONS_INIT, then set what you need.
 */
typedef struct dl_report_options {
	unsigned version;        /**< DL_REPORT_OPTIONS_VERSION */
	dl_report_format format; /**< DL_REPORT_PDF (default) or DL_REPORT_TEXT */
	/**
	 * The TrueType font (.ttf, or .ttc: face 0) to embed. NULL or "": the environment variable
	 * DIGILEVEL_FONT, then the Debian paths of WenQuanYi Zen Hei and AR PL UMing. Not used for
	 * DL_REPORT_TEXT.
	 */
	const char *font_path;
	/**
	 * Diagnostic report and retrofit plan: the level the improvement plan aims at. -1
	 * (default): for the plan, the sheet's <retrofit-plan target-level> if given; otherwise the
	 * next level above the result that has a grade (none at the top). Otherwise a level with a
	 * grade.
	 */
	int target_level;
	/**
	 * Diagnostic report and retrofit plan: the policy whose rules give the retrofit's expected
	 * subsidy (dl_retrofit_recommend, dl_retrofit_from_sheet). NULL (default): no subsidy is computed and the report says
	 * so. Borrowed: must outlive the call.
	 */
	const dl_policy *policy;
	/**
	 * Diagnostic report and retrofit plan: the solution catalogue the retrofit is made from. NULL
	 * (default): the one next to the questionnaire file (dl_catalogue_find); without one the
	 * diagnostic report shows no recommendation and the retrofit plan fails (DL_ENOTFOUND). Borrowed: must outlive the call.
	 */
	const dl_catalogue *catalogue;
	/**
	 * Acceptance opinion: the SHA-256 (64 hex digits) of the evaluation, the sheet after the
	 * retrofit, that the decision was made on, as the caller read or stored it. The opinion names
	 * it ("依据：评估表 SHA-256 …"), and it must be the digest of the sheet given as after
	 * (DL_EMISMATCH otherwise), so the document cannot name another file than it was decided on.
	 * NULL (default): the opinion names no digest (the footer still carries the sheets').
	 */
	const char *after_sha256;
	/**
	 * Acceptance opinion: the version of that evaluation in the store it came from (1, 2, ...; a
	 * frozen evaluation changed with a reason is a new version), named next to the digest. 0
	 * (default): not known, not named. Used only with after_sha256.
	 */
	int64_t after_version;
} dl_report_options;

/* Version 3 added after_sha256 and after_version; options of version 2 are still read. */
#define DL_REPORT_OPTIONS_VERSION 3
#define DL_REPORT_OPTIONS_INIT {DL_REPORT_OPTIONS_VERSION, DL_REPORT_PDF, NULL, -1, NULL, NULL, NULL, 0}

/**
 * Render the diagnostic report (数字化诊断报告) of sheet s, scored as r (r must come from dl_score
 * on s; its questionnaire is the one s names). opts may be NULL (defaults).
 *
 * On success sets *out and *len (bytes, without a terminator; a text dump is also NUL-terminated).
 * Caller owns the result; free with dl_report_free().
 *
 * Returns 0, or on failure leaves *out untouched and returns:
 *   DL_EINVALID   opts->version or opts->format unknown, opts->target_level has no grade, the font
 *                 is not usable (not TrueType, or WenQuanYi Micro Hei), a text the layout
 *                 rejects (a limit exceeded), or the catalogue next to the questionnaire is
 *                 broken (the message names its file, line and column);
 *   DL_EMISMATCH  s answers another questionnaire edition than r's, or opts->catalogue is
 *                 written for another edition;
 *   DL_EIO        no font found, the font cannot be read, or the PDF writer failed (the message
 *                 names every font path tried);
 *   DL_ENOMEM     an allocation failed.
 */
DL_EXTERN int dl_report_diagnostic(unsigned char **out, size_t *len, const dl_result *r,
				   const dl_sheet *s, const dl_report_options *opts, dl_error *err);

/**
 * Render the acceptance opinion (验收意见) of comparison c, which must have been made with a policy
 * from the sheets before and after (both are needed for the enterprise, the retrofit project, the
 * investment items, the evaluators, the notes and the hashes). opts->target_level is not used.
 *
 * On success sets *out and *len as dl_report_diagnostic does. Caller owns the result; free with
 * dl_report_free().
 *
 * Returns 0, or on failure leaves *out untouched and returns:
 *   DL_EINVALID   opts->version or opts->format unknown, c was made without a policy, after holds
 *                 no <retrofit>, the font is not usable, or a text the layout rejects;
 *   DL_EMISMATCH  before and after are of different enterprises or editions (as
 *                 dl_compare_check, whose message is passed on);
 *   DL_EIO, DL_ENOMEM  as for dl_report_diagnostic.
 */
DL_EXTERN int dl_report_acceptance(unsigned char **out, size_t *len, const dl_comparison *c,
				   const dl_sheet *before, const dl_sheet *after,
				   const dl_report_options *opts, dl_error *err);

/**
 * Render the retrofit plan (数字化改造方案) of sheet s, scored as r (r must come from dl_score on s).
 * The construction items are the solutions the sheet's <retrofit-plan> names
 * (dl_retrofit_from_sheet), or without one the recommended retrofit of the diagnosis
 * (dl_retrofit_recommend), which the document then says plainly. The target is
 * opts->target_level, else the plan's target-level, else the next level. The report number is
 * "FA-" + credit code + the plan's date (the sheet's without a plan), docs/reports.md.
 * opts may be NULL (defaults).
 *
 * On success sets *out and *len as dl_report_diagnostic does. Caller owns the result; free with
 * dl_report_free().
 *
 * Returns 0, or on failure leaves *out untouched and returns:
 *   DL_EINVALID   as dl_report_diagnostic; also the <retrofit-plan> names a solution the catalogue
 *                 does not hold or a target-level without a grade (the message names the sheet's
 *                 file, line and column, as dl_retrofit_plan_check);
 *   DL_ENOTFOUND  no catalogue given and none next to the questionnaire file;
 *   DL_EMISMATCH, DL_EIO, DL_ENOMEM  as for dl_report_diagnostic.
 */
DL_EXTERN int dl_report_plan(unsigned char **out, size_t *len, const dl_result *r,
			     const dl_sheet *s, const dl_report_options *opts, dl_error *err);

/** Free a report rendered by dl_report_diagnostic(), dl_report_acceptance() or dl_report_plan().
 * Accepts NULL. */
DL_EXTERN void dl_report_free(unsigned char *data);

/** A chart of the reports, drawn alone as SVG for a web page (dl_report_chart_svg). */
typedef enum dl_report_chart {
	/** bars: each dimension's score against its full marks (图1 of both reports; the first 16
	 *  dimensions) */
	DL_REPORT_CHART_DIMENSIONS = 0,
	/** radar: every scenario's level, the constraint scenarios marked (图2 of both reports) */
	DL_REPORT_CHART_SCENARIOS = 1
} dl_report_chart;

/**
 * Draw chart `which` of result r as SVG: the chart the diagnostic report shows, laid out by the
 * same code as the PDF's, so every bar, point and label is where the PDF puts it. Only the caption
 * ("图1 …") is left to the page; the SVG's <title> holds it without the number.
 *
 * The document (docs/reports.md, "SVG charts") is SVG 1.1 in UTF-8 without an XML declaration, so
 * that it can be parsed or embedded in HTML as it is: role="img" with an aria-label that gives the
 * chart's title and every number in Chinese (also in <title> and <desc>), a viewBox in points and no
 * width or height (it scales to its container), text in the Chinese fonts browsers have, every text
 * escaped. Each bar is a <rect class="bar s0"> with its score as data-value (a score of 0 draws no
 * bar), its full marks a <rect class="track">; each radar point has class "point s0" and the
 * level as data-value. A provisional result (dl_result_provisional) is drawn as it is scored; the
 * page says it is provisional. The same result gives the same bytes.
 *
 * On success sets *out to the NUL-terminated document and *len to its length without the NUL.
 * Caller owns the result; free with dl_report_svg_free().
 *
 * Returns 0, or on failure leaves *out untouched and returns:
 *   DL_EINVALID   `which` is not a dl_report_chart;
 *   DL_ENOTFOUND  the questionnaire gives the chart nothing to draw (no dimensions; for the radar,
 *                 fewer than 3 or more than 32 scenarios, or more than 10 levels);
 *   DL_ENOMEM     an allocation failed.
 * Any number of threads may draw charts of one result at once.
 */
DL_EXTERN int dl_report_chart_svg(char **out, size_t *len, const dl_result *r, dl_report_chart which,
				  dl_error *err);

/**
 * Draw chart `which` of comparison c as SVG: the before/after chart of the acceptance opinion (图1
 * or 图2 of the 验收意见), laid out by the same code as the PDF's. Series s0 is 改造前 (grey bars,
 * solid radar line with squares), s1 改造后 (hatched bars, dashed line with circles); each bar and
 * point carries its class ("bar s1", "point s0") and value as dl_report_chart_svg describes. The
 * hatching is a <pattern> whose id starts "dl-compare-". c need not have been made with a policy.
 *
 * On success sets *out and *len as dl_report_chart_svg does. Caller owns the result; free with
 * dl_report_svg_free().
 *
 * Returns 0, or on failure leaves *out untouched and returns DL_EINVALID, DL_ENOTFOUND or
 * DL_ENOMEM as dl_report_chart_svg does.
 */
DL_EXTERN int dl_report_comparison_chart_svg(char **out, size_t *len, const dl_comparison *c,
					     dl_report_chart which, dl_error *err);

/** Free a chart drawn by dl_report_chart_svg() or dl_report_comparison_chart_svg(). Accepts NULL. */
DL_EXTERN void dl_report_svg_free(char *svg);

#ifdef __cplusplus
}
#endif

#endif
