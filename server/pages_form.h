/*
 * pages_form.h: the handlers of the workbench's pages for filling in a sheet: starting an
 * assessment, the questionnaire form, saving a draft or a finished sheet (routes.c lists their
 * paths), and what those pages share (page_form_fields.c draws the form).
 */
#ifndef DL_SERVER_PAGES_FORM_H
#define DL_SERVER_PAGES_FORM_H

#include "form_sheet.h"
#include "html.h"
#include "server.h"

/** GET / and GET /new: choose the questionnaire edition and the phase (the workbench's home). */
int page_new(srv *s, const srv_request *rq, srv_response *rs);
/** GET /new/{phase}?q=ID&v=VERSION: a blank form (phase: self-check, diagnosis, evaluation). */
int page_new_form(srv *s, const srv_request *rq, srv_response *rs);
/** POST /sheets: save the form as a draft (action=draft) or a finished sheet (action=submit). */
int page_sheet_save(srv *s, const srv_request *rq, srv_response *rs);
/** GET /sheets/{id}/edit: the form filled from a stored sheet; saving it makes a new version. */
int page_sheet_edit(srv *s, const srv_request *rq, srv_response *rs);
/** POST /form/score: the form's provisional score and the band of each figure question, as JSON
 * (what the optional script shows while a person types). */
int page_form_score(srv *s, const srv_request *rq, srv_response *rs);

/** What the form shows. */
typedef struct form_view {
	const srv_request *rq; /**< the request the page answers (its account, in district mode) */
	const srv *s;
	const dl_questionnaire *q;
	const char *phase;     /**< "self-check", "diagnosis" or "evaluation" */
	const srv_field *fields; /**< the values to show (none: a blank form) */
	size_t n;
	const form_check *check; /**< mistakes and the provisional score; NULL: none yet */
	const dl_result *bands;  /**< the bands the figures give when check has no result, or NULL */
	int64_t replaces;      /**< the stored version this form edits, 0 for a new sheet */
	const char *notice;    /**< a line above the form ("the draft was saved"), or NULL */
	bool frozen;           /**< it edits a submitted evaluation: saving needs a reason (修改原因) */
	const char *reason_error; /**< why the reason given was refused, or NULL */
} form_view;

/** Draw the questionnaire form under p->main (page_form_fields.c). */
void page_form_draw(html_page *p, const form_view *v);

/** What the form shows beside question qi whose option follows from numbers, written into buf:
 * the option they give and how ("" when the question is not decided by numbers). */
void page_form_band(const dl_result *r, size_t qi, char *buf, size_t size);

/** The Chinese words of a phase ("自评"), for titles. */
const char *page_form_phase_title(const char *phase);

#endif
