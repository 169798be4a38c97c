/*
 * history.h: an enterprise's history (docs/workbench.md "History"): its audit entries and, for
 * each new version of each of its sheets, the answers that changed from the version before, with
 * who saved it, when and why. The answers are compared as the sheets write them
 * (dl_sheet_answer_*, dl_sheet_scenario_*, dl_sheet_figure_*: the library's reading of both
 * versions' XML), never as scored, so a change of a figure that leaves the option the same still
 * shows. The page, the CSV and the JSON are made from one srv_history, so they cannot disagree.
 */
#ifndef DL_SERVER_HISTORY_H
#define DL_SERVER_HISTORY_H

#include "server.h"

/** What a change is of. */
typedef enum srv_change_kind {
	SRV_CHANGE_QUESTION = 0, /**< a question's options or value */
	SRV_CHANGE_SCENARIO = 1, /**< a scenario's level */
	SRV_CHANGE_FIGURE = 2    /**< a raw figure */
} srv_change_kind;

/** One answer changed between two versions of a sheet. */
typedef struct srv_change {
	srv_change_kind kind;
	char id[64];      /**< the question's, scenario's or figure's id */
	char before[256]; /**< the answer as the earlier version writes it, "" when none */
	char after[256];  /**< and as the later one does */
} srv_change;

/**
 * The answers that differ between two versions of one sheet (before NULL: everything after
 * answers, as new), questions first, then scenarios, then figures, each in the later version's
 * order followed by what only the earlier one answers. An answer reads "A、C" (the options
 * chosen), with its value ("A（值 35.2）"), or the value alone; a scenario its level, a figure its
 * value. *changes malloc'ed (free()); none: NULL and 0. Returns 0 or DL_ENOMEM.
 */
int srv_answer_diff(const dl_sheet *before, const dl_sheet *after, srv_change **changes,
		    size_t *count);

/** The title of a change's question, scenario or figure in q ("" when q is NULL or lacks it). */
const char *srv_change_title(const dl_questionnaire *q, const srv_change *c);
/** "question", "scenario" or "figure", and the words for people (translated). */
const char *srv_change_kind_name(srv_change_kind kind);
const char *srv_change_kind_title(srv_change_kind kind);

/** A version of a sheet that replaced another, and what it changed. */
typedef struct srv_history_version {
	dl_store_row row;      /**< the new version (author, reason, received, sha256) */
	int64_t previous_id;   /**< the version it replaced */
	char role[16];         /**< the author's role, from the audit entry of the save ("" none) */
	bool readable;         /**< both versions could be read: changes is the whole difference */
	srv_change *changes;
	size_t change_count;
} srv_history_version;

/** An enterprise's history. */
typedef struct srv_history {
	dl_store_audit *entries; /**< the audit entries about it, oldest first */
	size_t entry_count;
	srv_history_version *versions; /**< every version with a previous one, oldest first */
	size_t version_count;
	char name[256]; /**< the enterprise's name ("" unknown) */
} srv_history;

/** Build credit_code's history from the store. Returns 0, or a DL_E* code of the store (err). */
int srv_history_build(srv *s, const char *credit_code, srv_history *h, dl_error *err);
void srv_history_free(srv_history *h);

/** An audit action for people ("sheet.submit" → 提交), or the action itself when unknown. */
const char *srv_audit_action_title(const char *action);
/** An audit entry's detail in words for the page (roles and document kinds named in the language
 * of messages: "integrator jicheng" → "服务商 jicheng"); an unknown form as it is stored. */
void srv_audit_detail_words(const char *action, const char *detail, char *buf, size_t size);

#endif
