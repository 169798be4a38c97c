/*
 * page_upload.c: uploading answer sheets: GET /upload is the form (one file or many, XML or filled
 * .xlsx workbooks); POST /upload (multipart) checks each file as `digilevel validate` would (the
 * sheet schema, then the questionnaire it names, every problem of a file reported, each with its
 * line and column, or its cell in a workbook), stores each good one as a new sheet, and answers
 * with a table of what became of every file. A file with any problem stores nothing.
 *
 * A workbook is checked from its own bytes (so problems name its cells) and stored as the answer
 * sheet XML the library makes of it (dl_workbook_write_sheet_memory, as `digilevel import`): the
 * store keeps XML, the source of truth the command line reads.
 */
#include "access.h"
#include "api_sheet.h"
#include "auth.h"
#include "derive.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHOWN_PROBLEMS 200 /* per file; the rest are counted */

/* The form, on its own page or above the results of an upload. */
static void upload_form(html_page *p)
{
	xmlNodePtr form = html_form(p, p->main, "post", "/upload");
	html_attr(p, form, "enctype", "multipart/form-data");
	html_attr(p, form, "class", "upload");
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", _("Answer sheets (XML or filled .xlsx workbooks; several at once)")),
		  "for", "sheets");
	xmlNodePtr in = html_el(p, div, "input", NULL);
	html_attr(p, in, "type", "file");
	html_attr(p, in, "id", "sheets");
	html_attr(p, in, "name", "sheets");
	html_attr(p, in, "multiple", NULL);
	html_attr(p, in, "required", NULL);
	html_attr(p, in, "accept", ".xml,.xlsx,application/xml,text/xml,"
				   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	html_attr(p, in, "aria-describedby", "sheets-help");
	xmlNodePtr help = html_el(p, div, "p", _("Each file is checked against the questionnaire it "
						 "names. A file with a problem is not stored; every problem "
						 "is listed with its place. The others are stored as new sheets."));
	html_attr(p, help, "id", "sheets-help");
	html_attr(p, help, "class", "help");
	html_attr(p, html_el(p, form, "button", _("Check and store")), "type", "submit");
}

int page_upload_form(srv *s, const srv_request *rq, srv_response *rs)
{
	(void)s;
	(void)rq;
	html_page p;
	int rc = html_page_new(&p, rq, _("Upload answer sheets"));
	if (rc < 0)
		return rc;
	upload_form(&p);
	return html_finish(&p, rs, 200);
}

/* --- one file ------------------------------------------------------------------------------------ */

/* What became of one file. */
typedef struct upload {
	const char *name; /* the file's name, without any folder */
	size_t problems;  /* problems found (warnings are not problems) */
	srv_buf shown;    /* up to MAX_SHOWN_PROBLEMS, each "line\tcolumn\tplace\tmessage\n" */
	srv_buf warnings; /* each "message\n" */
	bool stored;
	dl_store_row row;
	char failure[DL_ERROR_MESSAGE_MAX]; /* the store refused it (not the file's fault) */
} upload;

/* A name without a folder (browsers send some with one) and never empty. */
static const char *base_name(const char *filename)
{
	const char *b = filename;
	for (const char *c = filename; *c; c++)
		if (*c == '/' || *c == '\\')
			b = c + 1;
	return *b ? b : _("(unnamed file)");
}

/* A diagnostic: a problem, or (code DL_OK) a warning. Tabs and newlines of a message are spaces. */
static void on_diag(const dl_error *d, void *userdata)
{
	upload *u = userdata;
	if (d->code == DL_OK) {
		srv_buf_printf(&u->warnings, "%s\n", d->message);
		return;
	}
	if (u->problems++ >= MAX_SHOWN_PROBLEMS)
		return;
	/* in a workbook, the place is the cell: FILE:SHEET!CELL, line and column 0 */
	const char *place = "";
	size_t n = strlen(u->name);
	if (d->line == 0 && strncmp(d->file, u->name, n) == 0 && d->file[n] == ':')
		place = d->file + n + 1;
	char msg[DL_ERROR_MESSAGE_MAX], cell[DL_ERROR_FILE_MAX];
	snprintf(msg, sizeof msg, "%s", d->message);
	snprintf(cell, sizeof cell, "%s", place);
	for (char *c = msg; *c; c++)
		if (*c == '\t' || *c == '\n')
			*c = ' ';
	for (char *c = cell; *c; c++)
		if (*c == '\t' || *c == '\n')
			*c = ' ';
	srv_buf_printf(&u->shown, "%lu\t%lu\t%s\t%s\n", d->line, d->column, cell, msg);
}

static void problem(upload *u, const char *message)
{
	dl_error d;
	memset(&d, 0, sizeof d);
	d.code = DL_EINVALID;
	snprintf(d.message, sizeof d.message, "%s", message);
	on_diag(&d, u);
}

/* Check one file as `digilevel validate` does (api_check_sheet: every problem, the reading's and
 * the meaning's, each place once) and store it when it has none. Returns 0, or DL_ENOMEM. */
static int take_file(srv *s, const srv_request *rq, const srv_field *file, upload *u)
{
	u->name = base_name(file->filename);
	dl_sheet *sheet = NULL;
	const dl_questionnaire *q = NULL;
	dl_result *r = NULL;
	srv_buf converted = {0};
	dl_error err = {0};
	const char *xml = file->value;
	size_t xml_len = file->len;
	if (file->len == 0) {
		problem(u, _("the file is empty"));
		goto done;
	}
	int rc = api_check_sheet(s, file->value, file->len, u->name, false, on_diag, u, &sheet, &q,
				 &r, &err);
	if (sheet && !q) {
		char m[DL_ERROR_MESSAGE_MAX];
		snprintf(m, sizeof m, _("the sheet answers the questionnaire %s version %s, which this "
					"workbench does not have"),
			 dl_sheet_questionnaire_id(sheet), dl_sheet_questionnaire_version(sheet));
		problem(u, m);
		goto done;
	}
	if (rc < 0 && u->problems == 0)
		on_diag(&err, u); /* why it could not be read or scored, when no problem said it */
	if (rc < 0 || u->problems)
		goto done;
	if (dl_workbook_recognise(file->value, file->len)) {
		if (dl_workbook_write_sheet_memory(file->value, file->len, u->name, srv_buf_write,
						   &converted, NULL, NULL) < 0 || !converted.data) {
			snprintf(u->failure, sizeof u->failure, "%s",
				 _("the workbook could not be turned into an answer sheet"));
			goto done;
		}
		xml = converted.data;
		xml_len = converted.len;
	}
	dl_store_sheet put;
	memset(&put, 0, sizeof put);
	put.xml = xml;
	put.xml_len = xml_len;
	srv_actor(rq, &put.by);
	if (srv_derive_scored(sheet, q, r, false, &put.fields, &err) < 0) { /* scored above */
		snprintf(u->failure, sizeof u->failure, "%s", err.message);
	} else if (!srv_may_store(s, rq, &put.fields, 0)) {
		srv_refusal_note(s, rq, put.fields.credit_code, u->name);
		snprintf(u->failure, sizeof u->failure, "%s",
			 _("refused: your account may not store this enterprise's sheets"));
	} else if (dl_store_put(s->store, &put, &u->row, &err) < 0) {
		srv_log("POST /upload %s: %s", u->name, err.message);
		snprintf(u->failure, sizeof u->failure, "%s", _("the store could not save it"));
	} else {
		u->stored = true;
	}
done:
	srv_buf_free(&converted);
	dl_result_free(r);
	dl_sheet_free(sheet);
	return u->shown.failed || u->warnings.failed ? DL_ENOMEM : 0;
}

/* --- the results ----------------------------------------------------------------------------------- */

/* One file's problems: a table of place and message. */
static void problems_table(html_page *p, const upload *u)
{
	char caption[400];
	snprintf(caption, sizeof caption, _("%s: %zu problems"), u->name, u->problems);
	const char *heads[] = {_("line"), _("column"), _("cell"), _("problem")};
	xmlNodePtr t = view_table(p, p->main, caption, heads, 4);
	html_attr(p, t, "class", "problems");
	for (const char *line = u->shown.data; line && *line;) {
		const char *f[4];
		size_t n[4];
		for (int k = 0; k < 4; k++) {
			f[k] = line;
			n[k] = strcspn(line, k < 3 ? "\t" : "\n");
			line += n[k] + (line[n[k]] != '\0');
		}
		xmlNodePtr tr = view_row(p, t);
		for (int k = 0; k < 4; k++) {
			char cell[DL_ERROR_MESSAGE_MAX + DL_ERROR_FILE_MAX];
			snprintf(cell, sizeof cell, "%.*s", (int)n[k], f[k]);
			view_cell(p, tr, k < 2 && strcmp(cell, "0") == 0 ? "" : cell);
		}
	}
	if (u->problems > MAX_SHOWN_PROBLEMS)
		html_elf(p, p->main, "p", _("… and %zu more problems not shown."),
			 u->problems - MAX_SHOWN_PROBLEMS);
}

static void results(html_page *p, srv *s, const upload *ups, size_t n)
{
	const char *heads[] = {_("file"), _("result"), _("enterprise"), _("phase"), _("level"), _("total")};
	xmlNodePtr t = view_table(p, p->main, _("What became of each file"), heads, 6);
	for (size_t i = 0; i < n; i++) {
		const upload *u = &ups[i];
		xmlNodePtr tr = view_row(p, t);
		html_attr(p, tr, "class", u->stored ? "stored" : "refused");
		view_cell(p, tr, u->name);
		xmlNodePtr td = view_cell(p, tr, NULL);
		if (u->stored) {
			char href[64], label[96];
			snprintf(href, sizeof href, "/sheets/%lld", (long long)u->row.id);
			snprintf(label, sizeof label, _("stored as No. %lld"), (long long)u->row.id);
			html_link(p, td, href, label);
			view_cell(p, tr, u->row.name);
			view_cell(p, tr, view_phase_title(u->row.phase));
			view_cell(p, tr, view_level_name(s, &u->row));
			view_cell(p, tr, u->row.total);
		} else {
			char m[600];
			if (u->failure[0])
				snprintf(m, sizeof m, _("not stored: %s"), u->failure);
			else
				snprintf(m, sizeof m, _("not stored: %zu problems (below)"), u->problems);
			html_text(p, td, m);
			for (int k = 0; k < 4; k++)
				view_cell(p, tr, "");
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (ups[i].problems)
			problems_table(p, &ups[i]);
		if (ups[i].warnings.data) {
			xmlNodePtr ul = html_el(p, p->main, "ul", NULL);
			html_attr(p, ul, "class", "notes");
			html_attr(p, ul, "aria-label", ups[i].name);
			for (const char *line = ups[i].warnings.data; *line;) {
				size_t k = strcspn(line, "\n");
				char buf[DL_ERROR_MESSAGE_MAX + 300];
				snprintf(buf, sizeof buf, "%s: %.*s", ups[i].name, (int)k, line);
				html_el(p, ul, "li", buf);
				line += k + (line[k] == '\n');
			}
		}
	}
}

int page_upload(srv *s, const srv_request *rq, srv_response *rs)
{
	size_t files = 0;
	for (size_t i = 0; i < rq->field_count; i++)
		files += rq->fields[i].filename != NULL;
	html_page p;
	int rc;
	if (files == 0) {
		if ((rc = html_page_new(&p, rq, _("Upload answer sheets"))) < 0)
			return rc;
		xmlNodePtr m = html_el(&p, p.main, "p", _("No file was sent: choose one or more files."));
		html_attr(&p, m, "class", "error");
		html_attr(&p, m, "role", "alert");
		upload_form(&p);
		return html_finish(&p, rs, 400);
	}
	upload *ups = calloc(files, sizeof *ups);
	if (!ups)
		return DL_ENOMEM;
	size_t n = 0, refused = 0;
	rc = 0;
	for (size_t i = 0; i < rq->field_count && rc == 0; i++)
		if (rq->fields[i].filename) {
			rc = take_file(s, rq, &rq->fields[i], &ups[n]);
			refused += !ups[n].stored;
			n++;
		}
	if (rc == 0 && (rc = html_page_new(&p, rq, _("Upload answer sheets"))) == 0) {
		xmlNodePtr sum = html_elf(&p, p.main, "p", _("%zu files: %zu stored, %zu not stored."), n,
					  n - refused, refused);
		html_attr(&p, sum, "role", "status");
		results(&p, s, ups, n);
		html_el(&p, p.main, "h2", _("Upload more"));
		upload_form(&p);
		rc = html_finish(&p, rs, refused ? 422 : 200);
	}
	for (size_t i = 0; i < n; i++) {
		srv_buf_free(&ups[i].shown);
		srv_buf_free(&ups[i].warnings);
	}
	free(ups);
	return rc;
}
