/*
 * digilevel/sheet.h: an enterprise's answer sheet: who was assessed, when and by whom, the raw
 * figures, the answers, the scenario levels and (after a retrofit) the retrofit project.
 *
 * Loading checks the XML against questionnaires/sheet.xsd. Checking against a questionnaire
 * (dl_sheet_check, done by dl_score as well) reports every remaining problem at once.
 */
#ifndef DIGILEVEL_SHEET_H
#define DIGILEVEL_SHEET_H

#include "common.h"
#include "questionnaire.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dl_sheet dl_sheet;

/** Why the sheet was filled in. */
typedef enum dl_phase {
	DL_PHASE_DIAGNOSIS = 0,  /**< 诊断: by the integrator, before the retrofit */
	DL_PHASE_EVALUATION = 1, /**< 评测: by a third-party evaluator, after the retrofit */
	DL_PHASE_SELF_CHECK = 2  /**< 自评: by the enterprise itself */
} dl_phase;

/** Enterprise fields; every one is "" when absent. */
typedef enum dl_enterprise_field {
	DL_ENTERPRISE_NAME = 0,
	DL_ENTERPRISE_CREDIT_CODE,  /**< 统一社会信用代码 */
	DL_ENTERPRISE_REGION,
	DL_ENTERPRISE_ADDRESS,
	DL_ENTERPRISE_INDUSTRY,     /**< 细分行业 */
	DL_ENTERPRISE_SCALE,        /**< "规上" or "规下" */
	DL_ENTERPRISE_MAIN_PRODUCTS
} dl_enterprise_field;

/**
 * Load a sheet and check it against the sheet schema. Problems go to opts->diag; the first is stored
 * in err (may be NULL). Returns 0, DL_EINVALID, DL_EIO, DL_ENOMEM or DL_ELIMIT. A filled
 * self-assessment workbook (.xlsx, recognised by its content) is read too, here and by
 * dl_sheet_load_memory, its problems reported at its cells (digilevel/xlsx.h).
 * On success, caller owns the result; free with dl_sheet_free().
 */
DL_EXTERN int dl_sheet_load(dl_sheet **out, const char *path, const dl_load_options *opts,
			    dl_error *err);

/**
 * As dl_sheet_load, for checking only: when the sheet is refused for what it says (DL_EINVALID,
 * every problem reported) but could be read, *out is set all the same, so that dl_sheet_check (or
 * dl_score_with) reports the problems of its meaning in the same run, as `digilevel validate` does.
 * A refused sheet is only for that: never score it for a result. A workbook is loaded as by
 * dl_sheet_load. The caller frees *out whenever it is set.
 */
DL_EXTERN int dl_sheet_load_to_check(dl_sheet **out, const char *path, const dl_load_options *opts,
				     dl_error *err);

/** As dl_sheet_load_to_check, from memory (a workbook too); name is used in diagnostics. */
DL_EXTERN int dl_sheet_load_memory_to_check(dl_sheet **out, const char *data, size_t len,
					    const char *name, const dl_load_options *opts,
					    dl_error *err);

/** As dl_sheet_load, from memory; name is used in diagnostics. */
DL_EXTERN int dl_sheet_load_memory(dl_sheet **out, const char *data, size_t len, const char *name,
				   const dl_load_options *opts, dl_error *err);

/** Free a sheet. Accepts NULL. */
DL_EXTERN void dl_sheet_free(dl_sheet *s);

/**
 * Check the sheet against the questionnaire it names: ids exist, every question and scenario is
 * answered, options are consistent, values fall in a band, figures agree with options picked by hand,
 * the credit code and dates are valid. Every problem goes to opts->diag; the first is stored in err.
 * Returns 0, DL_EINVALID (some problem), DL_EMISMATCH (the sheet names another questionnaire) or
 * DL_ENOMEM.
 */
DL_EXTERN int dl_sheet_check(const dl_sheet *s, const dl_questionnaire *q,
			     const dl_load_options *opts, dl_error *err);

/**
 * A stream of answer sheets: one XML file whose root <answer-sheets> holds any number of
 * <answer-sheet> elements, read one sheet at a time so memory does not grow with their number.
 * The file may be of any size; each sheet is held to the file size limit of the options.
 */
typedef struct dl_sheet_stream dl_sheet_stream;

/**
 * Open a stream file. opts (may be NULL; copied) give the limit for each sheet
 * (max_file_size, 0 = DL_DEFAULT_MAX_FILE_SIZE) and the diag callback that is given the stream's
 * fault. Returns 0, DL_ENOTFOUND, DL_EIO (not a regular file, cannot be read) or DL_ENOMEM.
 * Caller owns the result; free with dl_sheet_stream_close().
 */
DL_EXTERN int dl_sheet_stream_open(dl_sheet_stream **out, const char *path,
				   const dl_load_options *opts, dl_error *err);

/**
 * Read the next sheet's XML text. Returns 1 with *xml (caller owns it; free with free()), its
 * length and the line it starts on; 0 at the end; or, once, a negative code when the stream itself
 * is broken: DL_EINVALID (not well formed, wrong root or child, DOCTYPE), DL_ELIMIT (a sheet over
 * the size limit, a start tag over the limits of docs/security.md), DL_EIO or DL_ENOMEM, with err
 * saying what and where (line and column); the stream is then over and later calls return 0.
 * Every sheet that is complete before the fault is returned before it, whatever the fault.
 */
DL_EXTERN int dl_sheet_stream_next(dl_sheet_stream *st, char **xml, size_t *len,
				   unsigned long *line, dl_error *err);

/** Close a stream. Accepts NULL. */
DL_EXTERN void dl_sheet_stream_close(dl_sheet_stream *st);

/**
 * Load a sheet from text a stream returned (takes ownership of xml, which must come from
 * dl_sheet_stream_next), reporting positions in the stream file: name is the stream's path and
 * line the line the sheet starts on. Otherwise as dl_sheet_load.
 */
DL_EXTERN int dl_sheet_load_from_stream(dl_sheet **out, char *xml, size_t len, const char *name,
					unsigned long line, const dl_load_options *opts,
					dl_error *err);

/* Borrowed strings below: valid until dl_sheet_free(). */
DL_EXTERN const char *dl_sheet_path(const dl_sheet *s);
/** Lower-case hex SHA-256 of the sheet's bytes as read (64 characters). */
DL_EXTERN const char *dl_sheet_digest(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_questionnaire_id(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_questionnaire_version(const dl_sheet *s);

DL_EXTERN const char *dl_sheet_enterprise(const dl_sheet *s, dl_enterprise_field field);
/** Number of employees, or -1 when not given. */
DL_EXTERN long dl_sheet_employees(const dl_sheet *s);
DL_EXTERN size_t dl_sheet_tag_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_tag(const dl_sheet *s, size_t i);
DL_EXTERN bool dl_sheet_has_tag(const dl_sheet *s, const char *tag);

/*
 * The titles (称号) a tag is expected to hold: questionnaires/tags.xml, embedded in the library
 * (docs/scoring.md, "Tags"). Loading a sheet warns (diag code DL_OK, "warning: ...") about every tag
 * that is not one of them, since the cohort dashboard counts a tag only when it is a title exactly.
 * Thread-safe; the list is read on first use.
 */
/** Whether tag is a known title, exactly. */
DL_EXTERN bool dl_tag_known(const char *tag);
/**
 * The known title tag most likely means when it is not one ("专精特新" → "专精特新中小企业",
 * "高新技术企业（国家级）" → "高新技术企业"), or NULL. Static string.
 */
DL_EXTERN const char *dl_tag_meant(const char *tag);
/** How many titles are known, and title i ("" out of range). Static strings. */
DL_EXTERN size_t dl_tag_known_count(void);
DL_EXTERN const char *dl_tag_known_name(size_t i);

DL_EXTERN dl_phase dl_sheet_phase(const dl_sheet *s);
/** "diagnosis", "evaluation" or "self-check". */
DL_EXTERN const char *dl_phase_name(dl_phase phase);
/** 诊断 (改造前), 评测 (改造后) or 自评. */
DL_EXTERN const char *dl_phase_title(dl_phase phase);
/** Assessment date as YYYY-MM-DD ("" when the sheet is blank). */
DL_EXTERN const char *dl_sheet_date(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_organisation(const dl_sheet *s);
DL_EXTERN size_t dl_sheet_assessor_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_assessor_name(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_assessor_role(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_assessor_contact(const dl_sheet *s, size_t i);
/** The assessor's organisation as written ("" when absent: the assessment's organisation). */
DL_EXTERN const char *dl_sheet_assessor_organisation(const dl_sheet *s, size_t i);
/** The assessor's professional title (职称, e.g. 正高级工程师), "" when absent. */
DL_EXTERN const char *dl_sheet_assessor_title(const dl_sheet *s, size_t i);

/** Who signs what: the duties an assessor may hold (bits; the attribute duty="lead compiler"). */
enum {
	DL_DUTY_LEAD = 1u << 0,               /**< lead: 组长 of the organisation's team */
	DL_DUTY_EXPERT = 1u << 1,             /**< expert: 专家 of the expert group */
	DL_DUTY_MEMBER = 1u << 2,             /**< member: 组员 */
	DL_DUTY_COMPILER = 1u << 3,           /**< compiler: 编制 */
	DL_DUTY_REVIEWER = 1u << 4,           /**< reviewer: 审核 */
	DL_DUTY_APPROVER = 1u << 5,           /**< approver: 批准 */
	DL_DUTY_ENTERPRISE_CONTACT = 1u << 6, /**< enterprise-contact: signs for the enterprise */
	DL_DUTY_SUPERVISOR = 1u << 7          /**< supervisor: the district bureau's 监督 */
};
/** The DL_DUTY_* bits of assessor i (0 when the sheet gives no duty: a member). */
DL_EXTERN unsigned dl_sheet_assessor_duties(const dl_sheet *s, size_t i);
/** The attribute's name of one DL_DUTY_* bit ("lead"), "" for anything else. Static string. */
DL_EXTERN const char *dl_duty_name(unsigned duty);
/** The Chinese title of one DL_DUTY_* bit ("组长"), "" for anything else. Static string. */
DL_EXTERN const char *dl_duty_title(unsigned duty);

/** Raw figures as written in the sheet (only those with a value). */
DL_EXTERN size_t dl_sheet_figure_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_figure_id(const dl_sheet *s, size_t i);
/** The figure's value as written, trimmed ("42.5"). */
DL_EXTERN const char *dl_sheet_figure_text(const dl_sheet *s, size_t i);

/** The note and evidence given with the answer to a question (by question id); "" / 0 when none. */
DL_EXTERN const char *dl_sheet_answer_note(const dl_sheet *s, const char *question_id);
DL_EXTERN size_t dl_sheet_answer_evidence_count(const dl_sheet *s, const char *question_id);
DL_EXTERN const char *dl_sheet_answer_evidence(const dl_sheet *s, const char *question_id, size_t i);
/** The same for a scenario (by scenario id). */
DL_EXTERN const char *dl_sheet_scenario_note(const dl_sheet *s, const char *scenario_id);
DL_EXTERN size_t dl_sheet_scenario_evidence_count(const dl_sheet *s, const char *scenario_id);
DL_EXTERN const char *dl_sheet_scenario_evidence(const dl_sheet *s, const char *scenario_id,
						 size_t i);

/*
 * The answers as the sheet writes them, in the sheet's order, before any scoring: for comparing
 * two versions of one sheet (who changed which answer) without a questionnaire. A question's
 * answer is its chosen options (<choose option>) and its <value>; a scenario's, its level as
 * written. Borrowed strings, valid until dl_sheet_free().
 */
/** How many <answer> elements the sheet holds. */
DL_EXTERN size_t dl_sheet_answer_count(const dl_sheet *s);
/** The question id answer i is for. */
DL_EXTERN const char *dl_sheet_answer_question(const dl_sheet *s, size_t i);
/** The options answer i chooses, in the sheet's order ("A", "C"). */
DL_EXTERN size_t dl_sheet_answer_choice_count(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_answer_choice(const dl_sheet *s, size_t i, size_t k);
/** The <value> of answer i as written, trimmed; "" when none. */
DL_EXTERN const char *dl_sheet_answer_value(const dl_sheet *s, size_t i);
/** How many <scenario> elements the sheet holds; of each, its id and its level as written ("" when
 * left blank). */
DL_EXTERN size_t dl_sheet_scenario_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_scenario_id(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_scenario_level_text(const dl_sheet *s, size_t i);

/**
 * Check a 统一社会信用代码 as a sheet's is checked (GB 32100-2015: 18 characters, the shape of each
 * position and the check character), for a credit code typed anywhere else (registering an
 * enterprise). Returns 0 when code is valid; otherwise DL_EINVALID with a short reason in the
 * language of messages ("check digit is 'X', expected '3'") in why (why_size bytes, always
 * NUL-terminated; why may be NULL when why_size is 0), or DL_ENOMEM. Thread-safe.
 */
DL_EXTERN int dl_credit_code_check(const char *code, char *why, size_t why_size);

/* The retrofit project, recorded on the after-retrofit sheet. */
DL_EXTERN bool dl_sheet_has_retrofit(const dl_sheet *s);
/** Which acceptance attempt this is: 1 for the first. 0 without a retrofit. */
DL_EXTERN int dl_sheet_retrofit_attempt(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_retrofit_contract(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_retrofit_provider(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_retrofit_scope(const dl_sheet *s);
/** Completion date and the date the acceptance application was submitted, YYYY-MM-DD. */
DL_EXTERN const char *dl_sheet_retrofit_completed(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_retrofit_applied(const dl_sheet *s);
DL_EXTERN size_t dl_sheet_investment_count(const dl_sheet *s);
/** Category id of an investment item ("software", "cloud", "office-pc", ...). */
DL_EXTERN const char *dl_sheet_investment_category(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_investment_text(const dl_sheet *s, size_t i);
/** Amount of an investment item in fen (1/100 yuan), exact. */
DL_EXTERN int64_t dl_sheet_investment_fen(const dl_sheet *s, size_t i);
/** The item's id ("" when none) and its tax-exclusive amount in fen (-1 when not given). */
DL_EXTERN const char *dl_sheet_investment_id(const dl_sheet *s, size_t i);
DL_EXTERN int64_t dl_sheet_investment_net_fen(const dl_sheet *s, size_t i);

/* The acceptance package of the retrofit (optional; "" or -1 when not given). */
DL_EXTERN const char *dl_sheet_retrofit_contract_number(const dl_sheet *s);
/** The contract's signing date, YYYY-MM-DD. */
DL_EXTERN const char *dl_sheet_retrofit_contract_signed(const dl_sheet *s);
/** The contract's amount in fen, or -1. */
DL_EXTERN int64_t dl_sheet_retrofit_contract_fen(const dl_sheet *s);
/** The enterprise's rating of the provider (满意度): 非常满意 … 非常不满意. */
DL_EXTERN const char *dl_sheet_retrofit_satisfaction(const dl_sheet *s);
/** Other public money granted for the project: source (中央, 省级 …), document, amount in fen. */
DL_EXTERN size_t dl_sheet_fund_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_fund_source(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_fund_text(const dl_sheet *s, size_t i);
DL_EXTERN int64_t dl_sheet_fund_fen(const dl_sheet *s, size_t i);
/** On-site checks: the item id checked, whether it is real, running and in use, the note. */
DL_EXTERN size_t dl_sheet_onsite_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_onsite_item(const dl_sheet *s, size_t i);
DL_EXTERN bool dl_sheet_onsite_real(const dl_sheet *s, size_t i);
DL_EXTERN bool dl_sheet_onsite_running(const dl_sheet *s, size_t i);
DL_EXTERN bool dl_sheet_onsite_in_use(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_onsite_note(const dl_sheet *s, size_t i);


/* --- The enterprise profile (<profile>, optional): shown by the diagnosis ------------------------ */

/** Operating figures of one year, each optional, in fen (given in 万元 with at most 4 decimals). */
typedef enum dl_operation_field {
	DL_OPERATION_REVENUE = 0, /**< 营业收入 */
	DL_OPERATION_PROFIT,      /**< 利润总额 (may be negative) */
	DL_OPERATION_ASSETS,      /**< 资产总额 */
	DL_OPERATION_RND,         /**< 研发投入 */
	DL_OPERATION_FIELDS
} dl_operation_field;

/** What an inventory item is. */
typedef enum dl_inventory_kind {
	DL_INVENTORY_DEVICE = 0,  /**< a production or data-collection device */
	DL_INVENTORY_SOFTWARE = 1 /**< an industrial software or information system */
} dl_inventory_kind;

/** Where an inventory item runs. */
typedef enum dl_deployment {
	DL_DEPLOYMENT_UNKNOWN = 0, /**< not said */
	DL_DEPLOYMENT_LOCAL = 1,   /**< on the premises (本地部署) */
	DL_DEPLOYMENT_CLOUD = 2    /**< in the cloud (云部署, SaaS) */
} dl_deployment;

/** Whether the sheet holds a <profile>. */
DL_EXTERN bool dl_sheet_has_profile(const dl_sheet *s);
/** Years with operating figures, in sheet order (0 without a profile). */
DL_EXTERN size_t dl_sheet_operation_count(const dl_sheet *s);
DL_EXTERN int dl_sheet_operation_year(const dl_sheet *s, size_t i);
/** Whether year i gives field, and its amount in fen (0 when not given). */
DL_EXTERN bool dl_sheet_operation_has(const dl_sheet *s, size_t i, dl_operation_field field);
DL_EXTERN int64_t dl_sheet_operation_fen(const dl_sheet *s, size_t i, dl_operation_field field);
/** The process flow (工艺流程), "" when not given. Borrowed: valid until dl_sheet_free(). */
DL_EXTERN const char *dl_sheet_process(const dl_sheet *s);
/** Certifications held (ISO 9001, 两化融合管理体系, ...). Borrowed: valid until dl_sheet_free(). */
DL_EXTERN size_t dl_sheet_certification_count(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_certification(const dl_sheet *s, size_t i);
/** The inventory of devices and industrial software, in sheet order. Borrowed strings. */
DL_EXTERN size_t dl_sheet_inventory_count(const dl_sheet *s);
DL_EXTERN dl_inventory_kind dl_sheet_inventory_kind(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_inventory_name(const dl_sheet *s, size_t i);
/** The vendor, "" when not given. */
DL_EXTERN const char *dl_sheet_inventory_vendor(const dl_sheet *s, size_t i);
/** How many (1 when not given). */
DL_EXTERN long dl_sheet_inventory_number(const dl_sheet *s, size_t i);
DL_EXTERN dl_deployment dl_sheet_inventory_deployment(const dl_sheet *s, size_t i);
/** The scenario ids it serves, separated by single spaces ("S06 S08"); "" when not given. */
DL_EXTERN const char *dl_sheet_inventory_scenarios(const dl_sheet *s, size_t i);
/** Whether the sheet says how the survey was made; its method and dates (YYYY-MM-DD, real dates). */
DL_EXTERN bool dl_sheet_has_survey(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_survey_method(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_survey_from(const dl_sheet *s);
DL_EXTERN const char *dl_sheet_survey_to(const dl_sheet *s);

/* --- The retrofit plan (<retrofit-plan>, optional): the solutions the integrator has chosen ----- */

/** Who answers for what in a retrofit plan (各方职责). */
typedef enum dl_plan_party {
	DL_PLAN_ENTERPRISE = 0,  /**< the enterprise (企业) */
	DL_PLAN_INTEGRATOR = 1,  /**< the integrator that writes the plan (服务商) */
	DL_PLAN_SUPERVISION = 2, /**< the supervision unit (全过程监督服务单位) */
	DL_PLAN_PARTIES
} dl_plan_party;

/**
 * Whether the sheet holds a <retrofit-plan> (docs/answer-sheet.md). Its solution ids are checked
 * against a catalogue by dl_retrofit_plan_check (digilevel/retrofit.h); everything else (real
 * dates, an item finishing before it starts, a solution chosen twice, an item of the integrator's
 * own without text, amount or category) when the sheet is loaded.
 */
DL_EXTERN bool dl_sheet_has_retrofit_plan(const dl_sheet *s);
/** The plan's date (YYYY-MM-DD, a real date), "" without a plan. Borrowed, as all strings here. */
DL_EXTERN const char *dl_sheet_plan_date(const dl_sheet *s);
/** The integrator's own number for the plan, "" when not given. */
DL_EXTERN const char *dl_sheet_plan_number(const dl_sheet *s);
/** The level the plan aims at, -1 when not given (or without a plan). */
DL_EXTERN int dl_sheet_plan_target(const dl_sheet *s);
/** The integrator writing the plan, "" when not given (the sheet's organisation then). */
DL_EXTERN const char *dl_sheet_plan_integrator(const dl_sheet *s);
/** The supervision unit (全过程监督服务单位) that reviews it, "" when not given. */
DL_EXTERN const char *dl_sheet_plan_supervision(const dl_sheet *s);
/** The construction items (建设内容), in sheet order (0 without a plan). */
DL_EXTERN size_t dl_sheet_plan_item_count(const dl_sheet *s);
/** The catalogue solution id of item i, "" for an item in the integrator's own words. */
DL_EXTERN const char *dl_sheet_plan_item_solution(const dl_sheet *s, size_t i);
/** The investment category (the policy files' ids), "" when not given (the catalogue's then). */
DL_EXTERN const char *dl_sheet_plan_item_category(const dl_sheet *s, size_t i);
/** The integrator's description of the work, "" when none. */
DL_EXTERN const char *dl_sheet_plan_item_text(const dl_sheet *s, size_t i);
/** The amount in fen, exact; -1 when not given (the catalogue's range is the estimate then). */
DL_EXTERN int64_t dl_sheet_plan_item_fen(const dl_sheet *s, size_t i);
/** The schedule: start and finish (YYYY-MM-DD, real dates, finish not before start), "" unknown. */
DL_EXTERN const char *dl_sheet_plan_item_start(const dl_sheet *s, size_t i);
DL_EXTERN const char *dl_sheet_plan_item_finish(const dl_sheet *s, size_t i);
/** What party answers for, in the sheet's words; "" when not given (the report's default then). */
DL_EXTERN const char *dl_sheet_plan_responsibility(const dl_sheet *s, dl_plan_party party);

#ifdef __cplusplus
}
#endif

#endif
