/*
 * form_sheet.h: the questionnaire form's fields and the answer sheet XML, both ways.
 *
 * A person fills the sheet in a form (page_form*.c) whose field names say where each value goes in
 * the sheet (below). form_sheet_build writes those fields as the answer-sheet XML the CLI reads
 * (questionnaires/sheet.xsd), one element per line, and remembers which form field each line came
 * from; form_sheet_check then loads and checks that XML with the library, exactly as
 * `digilevel validate` and `score` do, and hands back every diagnostic with the field it belongs
 * to, so that a page can put each mistake next to its field. form_sheet_fields is the way back: a
 * stored sheet's XML as the fields of the form, to edit a draft or a stored sheet.
 *
 * Field names (ID: a question, option, figure or scenario id of the questionnaire; N: 1, 2, ...):
 *   questionnaire, version, phase        the edition and the phase (hidden in the form)
 *   e.name e.credit-code e.region e.address e.industry e.scale e.employees e.main-products
 *   e.tags                               one tag a line
 *   a.date a.organisation                the assessment
 *   as.N.name .role .title .organisation .contact, as.N.duty (repeated: lead, expert, ...)
 *   f.ID                                 a raw figure, as typed
 *   q.ID (repeated: the options chosen), q.ID.value, q.ID.note, q.ID.evidence (one a line)
 *   s.ID (the level, "" not rated), s.ID.note, s.ID.evidence
 *   r.attempt r.contract r.contract.number r.contract.amount r.contract.signed r.provider
 *   r.provider.satisfaction r.scope r.completed r.applied        the retrofit (an evaluation)
 *   r.inv.N.text .category .amount .id .net                      its investment items
 *   keep.profile keep.retrofit-plan keep.finance keep.public-funds keep.materials keep.onsite
 *                                        parts of a stored sheet the form does not show, kept as
 *                                        their XML so that editing a sheet loses nothing
 * Values go into the XML as typed (money and figures too: the library refuses what is not exact),
 * but for line breaks (CR LF becomes LF) and surrounding blanks of one-line values.
 */
#ifndef DL_SERVER_FORM_SHEET_H
#define DL_SERVER_FORM_SHEET_H

#include "server.h"

/** A list of form fields this module made (the way back); owns its strings. */
typedef struct form_fields {
	srv_field *v;
	size_t n, cap;
	bool failed; /**< an allocation failed */
} form_fields;

/** Append a field (name and value copied). Returns 0 or DL_ENOMEM. */
int form_fields_add(form_fields *f, const char *name, const char *value);
void form_fields_free(form_fields *f);

/** The first value of field name among fields, or NULL. */
const char *form_value(const srv_field *fields, size_t n, const char *name);
/** Whether some field called name has exactly value. */
bool form_has(const srv_field *fields, size_t n, const char *name, const char *value);

/** The sheet XML built from a form, and which field each of its lines came from. */
typedef struct form_xml {
	char *xml; /**< NUL-terminated; len without the NUL */
	size_t len;
	char **line_fields; /**< [line - 1]: the fields of that line, '\n'-separated, first the main
			     one; NULL for a line of no field */
	size_t line_count;
} form_xml;

/**
 * Write the fields as an answer sheet for q. Fields named in skip (NULL: none) are written as if
 * left empty (form_sheet_check uses it to check the rest of a sheet whose values those are cannot
 * be read). Returns 0, DL_ENOMEM, or DL_EINVALID when a keep.* field is not the XML of its part.
 */
int form_sheet_build(const dl_questionnaire *q, const srv_field *fields, size_t n,
		     const form_fields *skip, form_xml *out);
void form_xml_free(form_xml *x);
/** The field a diagnostic at line belongs to (message picks among the line's fields: the one whose
 * typed value it quotes), written into buf (size bytes); NULL when the line holds no field. */
const char *form_xml_field(const form_xml *x, const srv_field *fields, size_t n, unsigned long line,
			   const char *message, char *buf, size_t size);

/** One problem the library found, and the field it belongs to ("" when none: the whole sheet). */
typedef struct form_mistake {
	char field[96];
	char message[DL_ERROR_MESSAGE_MAX];
	bool warning; /**< information only (an unknown tag): the sheet is not refused for it */
} form_mistake;

/** What checking a form found. */
typedef struct form_check {
	form_xml xml;         /**< the sheet as built from the form (without anything skipped) */
	form_mistake *mistakes; /**< every problem, in document order, once each */
	size_t count;
	size_t refusals;      /**< mistakes that are not warnings */
	dl_sheet *sheet;      /**< the loaded sheet, NULL when it could not be read */
	dl_result *result;    /**< its score (provisional when partial), NULL when refused */
} form_check;

/**
 * Build the sheet from the fields, load it and check it against q as `digilevel validate` does,
 * collecting every problem with its field; partial scores a partly filled sheet provisionally
 * (dl_score_options.partial, a draft). When values cannot be read (a date or an amount written
 * wrongly), the rest of the sheet is checked all the same with those values left out, so that every
 * mistake is found in one go. Returns 0 (problems or not: see count and result) or DL_ENOMEM.
 * Free with form_check_free.
 */
int form_sheet_check(const dl_questionnaire *q, const srv_field *fields, size_t n, bool partial,
		     form_check *out);
void form_check_free(form_check *c);

/**
 * The bands the figures and values give, while the rest of the form may still be wrong or empty:
 * the figures, answers and scenarios alone, in a sheet whose enterprise and assessment are stand-ins,
 * scored provisionally. *out is NULL when even they cannot be read. For showing a band as it is
 * typed only: never a score of the sheet. Returns 0 or DL_ENOMEM; free *out with dl_result_free.
 */
int form_sheet_bands(const dl_questionnaire *q, const srv_field *fields, size_t n, dl_result **out);

/**
 * The way back: a sheet's XML (as stored: the library accepted it) as form fields. Returns 0,
 * DL_EINVALID (not an answer sheet) or DL_ENOMEM.
 */
int form_sheet_fields(const char *xml, size_t len, form_fields *out);

#endif
