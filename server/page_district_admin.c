/*
 * page_district_admin.c: the bureau's page, GET /district (SRV_ASSIGN): the district's
 * enterprises with the integrator and the evaluator assigned to each (a select of the accounts
 * of that role and a save button per row: POST /district/assign), a form to register an
 * enterprise (POST /district/register), and the accounts, read-only (they are managed with
 * `digilevel user` on the server). The checks are api_enterprises.c's, so the page and the API
 * refuse the same things in the same words.
 */
#include "access.h"
#include "district.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct district_data {
	dl_store_enterprise *list;
	size_t count;
	dl_store_user *users;
	size_t user_count;
} district_data;

static void data_free(district_data *d)
{
	free(d->list);
	free(d->users);
	memset(d, 0, sizeof *d);
}

/* A select of the accounts of role (and "nobody"), current selected; a disabled account is
 * offered only when it is the one assigned now, marked. */
static void account_select(html_page *p, xmlNodePtr td, const district_data *d, const char *role,
			   const char *current, const char *form_id, const char *id, const char *label)
{
	xmlNodePtr l = html_el(p, td, "label", label);
	html_attr(p, l, "for", id);
	html_attr(p, l, "class", "visually-hidden");
	xmlNodePtr sel = html_el(p, td, "select", NULL);
	html_attr(p, sel, "id", id);
	html_attr(p, sel, "name", role);
	html_attr(p, sel, "form", form_id);
	xmlNodePtr o = html_el(p, sel, "option", _("(nobody)"));
	html_attr(p, o, "value", "");
	bool found = !*current;
	for (size_t i = 0; i < d->user_count; i++) {
		const dl_store_user *u = &d->users[i];
		bool now = strcmp(u->name, current) == 0;
		if (strcmp(u->role, role) != 0 || (u->disabled && !now))
			continue;
		if (u->disabled)
			o = html_elf(p, sel, "option", _("%s (disabled)"), u->name);
		else
			o = html_el(p, sel, "option", u->name);
		html_attr(p, o, "value", u->name);
		if (now) {
			html_attr(p, o, "selected", NULL);
			found = true;
		}
	}
	if (!found) { /* assigned, but no account of that role by that name any more */
		o = html_el(p, sel, "option", current);
		html_attr(p, o, "value", current);
		html_attr(p, o, "selected", NULL);
	}
}

static void enterprises(html_page *p, const district_data *d)
{
	html_el(p, p->main, "h2", _("Enterprises and who works for them"));
	if (d->count == 0) {
		html_el(p, p->main, "p", _("No enterprise is known yet: register one below, or it appears "
					   "when a sheet of it is stored."));
		return;
	}
	const char *heads[] = {_("credit code"), _("enterprise"), _("integrator"), _("evaluator"), "",
			       _("history")};
	xmlNodePtr t = view_table(p, p->main, _("Assign each enterprise its integrator (diagnosis) and "
						 "its evaluator (evaluation and acceptance)"),
				  heads, 6);
	html_attr(p, t, "class", "district");
	for (size_t i = 0; i < d->count; i++) {
		const dl_store_enterprise *e = &d->list[i];
		char form_id[48], id[64], href[96], label[400];
		snprintf(form_id, sizeof form_id, "assign-%zu", i);
		xmlNodePtr tr = view_row(p, t);
		snprintf(href, sizeof href, "/enterprises/%s", e->credit_code);
		html_link(p, view_cell(p, tr, NULL), href, e->credit_code);
		view_cell(p, tr, e->name[0] ? e->name : _("(no name yet)"));
		snprintf(id, sizeof id, "integrator-%zu", i);
		snprintf(label, sizeof label, _("integrator of %s"), e->name[0] ? e->name : e->credit_code);
		account_select(p, view_cell(p, tr, NULL), d, DL_ROLE_INTEGRATOR, e->integrator, form_id, id,
			       label);
		snprintf(id, sizeof id, "evaluator-%zu", i);
		snprintf(label, sizeof label, _("evaluator of %s"), e->name[0] ? e->name : e->credit_code);
		account_select(p, view_cell(p, tr, NULL), d, DL_ROLE_EVALUATOR, e->evaluator, form_id, id,
			       label);
		xmlNodePtr form = html_form(p, view_cell(p, tr, NULL), "post", "/district/assign");
		html_attr(p, form, "id", form_id);
		xmlNodePtr in = html_el(p, form, "input", NULL);
		html_attr(p, in, "type", "hidden");
		html_attr(p, in, "name", "credit_code");
		html_attr(p, in, "value", e->credit_code);
		xmlNodePtr b = html_el(p, form, "button", _("Save"));
		html_attr(p, b, "type", "submit");
		snprintf(href, sizeof href, "/enterprises/%s/history", e->credit_code);
		html_link(p, view_cell(p, tr, NULL), href, _("history"));
	}
}

static void text_field(html_page *p, xmlNodePtr form, const char *name, const char *label,
		       const char *hint, const char *value)
{
	char id[64];
	snprintf(id, sizeof id, "new-%s", name);
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", label), "for", id);
	if (hint)
		html_attr(p, html_el(p, div, "p", hint), "class", "hint");
	xmlNodePtr in = html_el(p, div, "input", NULL);
	html_attr(p, in, "type", "text");
	html_attr(p, in, "id", id);
	html_attr(p, in, "name", name);
	html_attr(p, in, "required", NULL);
	html_attr(p, in, "autocomplete", "off");
	if (value)
		html_attr(p, in, "value", value);
}

static void register_form(html_page *p, const srv_request *rq)
{
	html_el(p, p->main, "h2", _("Register an enterprise"));
	xmlNodePtr form = html_form(p, p->main, "post", "/district/register");
	html_attr(p, form, "class", "register");
	const srv_field *code = srv_field_get(rq, "credit_code"), *name = srv_field_get(rq, "name");
	bool again = strcmp(rq->path, "/district/register") == 0; /* a refused registration: as typed */
	text_field(p, form, "credit_code", _("unified social credit code"),
		   _("18 characters, as on the business licence"), again && code ? code->value : NULL);
	text_field(p, form, "name", _("enterprise name"), NULL, again && name ? name->value : NULL);
	html_attr(p, html_el(p, form, "button", _("Register")), "type", "submit");
}

static void accounts(html_page *p, const district_data *d)
{
	html_el(p, p->main, "h2", _("Accounts"));
	html_attr(p, html_el(p, p->main, "p",
			     _("Accounts are managed on the server, not here: `digilevel user add --db "
			       "FILE --role ROLE NAME` adds one (the password is read from standard "
			       "input; an enterprise's account also takes --credit-code CODE), `digilevel "
			       "user disable` disables one.")),
		  "class", "hint");
	if (d->user_count == 0) {
		html_el(p, p->main, "p", _("There are no accounts: the workbench runs in personal mode, "
					   "for one person on this computer."));
		return;
	}
	const char *heads[] = {_("account name"), _("role"), _("credit code"), _("state"), _("created (UTC)")};
	xmlNodePtr t = view_table(p, p->main, NULL, heads, 5);
	for (size_t i = 0; i < d->user_count; i++) {
		const dl_store_user *u = &d->users[i];
		xmlNodePtr tr = view_row(p, t);
		view_cell(p, tr, u->name);
		view_cell(p, tr, district_role_title(u->role));
		view_cell(p, tr, u->credit_code);
		view_cell(p, tr, u->disabled ? _("disabled") : _("active"));
		view_cell(p, tr, u->created);
	}
}

/* The page, with a notice (status 200) or what was refused (422). */
static int district_page(srv *s, const srv_request *rq, srv_response *rs, int status,
			 const char *message)
{
	if (!srv_may(s, rq, SRV_ASSIGN, NULL))
		return srv_refuse(s, rq, rs, NULL);
	district_data d = {0};
	dl_error err = {0};
	int rc = dl_store_enterprise_list(s->store, &d.list, &d.count, &err);
	if (rc == 0 && srv_may(s, rq, SRV_ACCOUNTS, NULL))
		rc = dl_store_user_list(s->store, &d.users, &d.user_count, &err);
	if (rc < 0) {
		srv_log("GET /district: %s", err.message);
		data_free(&d);
		return view_error_page(rq, rs, 500, _("The district"), _("The store could not be read."));
	}
	html_page p;
	if ((rc = html_page_new(&p, rq, _("The district"))) < 0) {
		data_free(&d);
		return rc;
	}
	if (message) {
		xmlNodePtr m = html_el(&p, p.main, "p", message);
		html_attr(&p, m, "class", status == 200 ? "notice" : "error");
		html_attr(&p, m, "role", status == 200 ? "status" : "alert");
	}
	enterprises(&p, &d);
	register_form(&p, rq);
	accounts(&p, &d);
	data_free(&d);
	return html_finish(&p, rs, status);
}

int page_district(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *saved = srv_query(rq, "saved"), *registered = srv_query(rq, "registered");
	char notice[200];
	const char *message = NULL;
	if (saved && *saved && strlen(saved) < 40) {
		snprintf(notice, sizeof notice, _("The assignment of %s was saved."), saved);
		message = notice;
	} else if (registered && *registered && strlen(registered) < 40) {
		snprintf(notice, sizeof notice, _("The enterprise %s was registered."), registered);
		message = notice;
	}
	return district_page(s, rq, rs, 200, message);
}

static const char *field(const srv_request *rq, const char *name)
{
	const srv_field *f = srv_field_get(rq, name);
	return f && !f->filename ? f->value : NULL;
}

int page_district_assign(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = field(rq, "credit_code");
	if (!srv_may(s, rq, SRV_ASSIGN, code))
		return srv_refuse(s, rq, rs, code);
	const char *integrator = field(rq, DL_ROLE_INTEGRATOR), *evaluator = field(rq, DL_ROLE_EVALUATOR);
	char msg[600];
	int rc = district_check_code(code, msg, sizeof msg);
	if (rc == 0)
		rc = district_check_account(s, DL_ROLE_INTEGRATOR, integrator, msg, sizeof msg);
	if (rc == 0)
		rc = district_check_account(s, DL_ROLE_EVALUATOR, evaluator, msg, sizeof msg);
	if (rc == 0 && integrator)
		rc = district_assign(s, rq, code, DL_ROLE_INTEGRATOR, integrator, msg, sizeof msg);
	if (rc == 0 && evaluator)
		rc = district_assign(s, rq, code, DL_ROLE_EVALUATOR, evaluator, msg, sizeof msg);
	if (rc == DL_EINVALID || rc > 0)
		return district_page(s, rq, rs, 422, msg);
	if (rc < 0)
		return rc;
	char where[96];
	snprintf(where, sizeof where, "%s?saved=%.32s", SRV_DISTRICT_PATH, code);
	return srv_respond_redirect(rs, where);
}

int page_district_register(srv *s, const srv_request *rq, srv_response *rs)
{
	const char *code = field(rq, "credit_code"), *name = field(rq, "name");
	if (!srv_may(s, rq, SRV_ASSIGN, code))
		return srv_refuse(s, rq, rs, code);
	char msg[600];
	int rc = district_register(s, rq, code, name, msg, sizeof msg);
	if (rc > 0)
		return district_page(s, rq, rs, rc, msg);
	if (rc < 0)
		return rc;
	char where[96];
	snprintf(where, sizeof where, "%s?registered=%.32s", SRV_DISTRICT_PATH, code);
	return srv_respond_redirect(rs, where);
}
