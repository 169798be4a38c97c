/*
 * workbook_layout.h: the layout of the self-assessment workbook (自评表.xlsx), shared by its writer
 * (engine/output/write_template_xlsx.c) and its reader (engine/model/sheet_workbook.c), so that the
 * two cannot disagree about where a cell is. docs/spreadsheets.md describes it for people.
 *
 * Every visible worksheet keeps, in its hidden, locked column A, a machine-readable id for each row
 * that holds answers ("q:Q05", "o:Q01:B", "f:devices_total", "s:S03", "e:name", "a:date",
 * "r:1"); the reader goes by these ids, never by the Chinese labels or by row numbers, so a row moved
 * by another program or a label changed by hand does not change what is read. The hidden sheet
 * _digilevel names the format, the questionnaire edition, the highest scenario level and each
 * question's drop-down labels with their option ids.
 */
#ifndef DL_WORKBOOK_LAYOUT_H
#define DL_WORKBOOK_LAYOUT_H

/* The format: the hidden sheet's A1 and B1. A reader refuses another format number. */
#define DL__WB_MARK "digilevel-workbook"
#define DL__WB_FORMAT "1"

/* Worksheets, in the order the writer adds them. */
#define DL__WB_SHEET_HELP "填写说明"
#define DL__WB_SHEET_ENTERPRISE "企业信息"
#define DL__WB_SHEET_FIGURES "数据"
#define DL__WB_SHEET_QUESTIONS "问卷"
#define DL__WB_SHEET_SCENARIOS "场景"
#define DL__WB_SHEET_HIDDEN "_digilevel"

/* Columns (1-based, as the reader counts; the writer subtracts one). Column A holds the row ids. */
#define DL__WB_COL_ID 1

/* 企业信息: one field per row ("e:name", "a:date", ...): label, the value, a hint. */
#define DL__WB_ENT_LABEL 2
#define DL__WB_ENT_VALUE 3
/* ... and below, the assessors ("r:1" ... "r:DL__WB_ASSESSORS"): name, role, title, contact. */
#define DL__WB_ASSESSOR_NAME 3
#define DL__WB_ASSESSOR_ROLE 4
#define DL__WB_ASSESSOR_TITLE 5
#define DL__WB_ASSESSOR_CONTACT 6
#define DL__WB_ASSESSORS 8

/* 数据: id, label, unit, the value, a hint ("f:ID"). */
#define DL__WB_FIG_VALUE 5

/* 问卷: id, label, the question, kind, points, the option (or 是/否), a value, note, evidence. */
#define DL__WB_Q_NUMBER 2
#define DL__WB_Q_TEXT 3
#define DL__WB_Q_KIND 4
#define DL__WB_Q_POINTS 5
#define DL__WB_Q_CHOICE 6
#define DL__WB_Q_VALUE 7
#define DL__WB_Q_NOTE 8
#define DL__WB_Q_EVIDENCE 9

/* 场景: id, label, title, constraint mark, the level, then the level texts 1..max, note, evidence. */
#define DL__WB_S_LEVEL 5
#define DL__WB_S_TEXTS 6 /* level 1's text; level l in DL__WB_S_TEXTS + l - 1 */
/* note and evidence follow the texts: DL__WB_S_TEXTS + max and one more */

/* The hidden sheet: A1 mark, B1 format; A2 "questionnaire", B2 id, C2 version; A3 "max-level", B3;
 * from row DL__WB_LIST_ROW on, two rows per question that has options: "labels:Q01" then the
 * drop-down texts from column B, and "ids:Q01" then the option ids under them. */
#define DL__WB_LIST_ROW 5

/* Drop-down texts of the fields with fixed choices. */
#define DL__WB_YES "是"
#define DL__WB_NO "否"

#include <stddef.h>

/* What a field of 企业信息 holds, which decides its drop-down or check and how it is read. */
typedef enum dl__wb_kind {
	DL__WB_TEXT = 0, /* one line of text */
	DL__WB_SCALE,    /* 规上 or 规下 */
	DL__WB_COUNT,    /* a whole number (employees) */
	DL__WB_TAGS,     /* titles separated by 、 or ； */
	DL__WB_PHASE,    /* one of the phase labels below */
	DL__WB_DATE      /* a date */
} dl__wb_kind;

/* A field of 企业信息: its row id ("e:name" -> <enterprise><name>, "a:date" -> <assessment date>),
 * its label and a hint shown beside it. */
typedef struct dl__wb_field {
	const char *id;
	const char *label;
	const char *hint;
	dl__wb_kind kind;
	int required; /* the sheet needs it (shown in bold) */
} dl__wb_field;

/* The fields in the order of the worksheet (sheet_workbook.c). */
extern const dl__wb_field dl__wb_fields[];
extern const size_t dl__wb_field_count;

/* The phases' drop-down labels, in dl_phase order (diagnosis, evaluation, self-check). */
extern const char *const dl__wb_phase_labels[3];

#endif
