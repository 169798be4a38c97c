/*
 * history.c: an enterprise's history (history.h): its audit entries, and the answers each new
 * version of each of its sheets changed, read with the library from both versions' XML as stored.
 */
#include "history.h"

#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the answers of one sheet as text ---------------------------------------------------------- */

static void answer_text(const dl_sheet *s, size_t i, char *buf, size_t size)
{
	char options[200] = "";
	size_t n = 0;
	for (size_t k = 0; k < dl_sheet_answer_choice_count(s, i) && n < sizeof options; k++)
		n += (size_t)snprintf(options + n, sizeof options - n, "%s%s", k ? "、" : "",
				      dl_sheet_answer_choice(s, i, k));
	const char *value = dl_sheet_answer_value(s, i);
	if (*options && *value)
		snprintf(buf, size, _("%s (value %s)"), options, value);
	else if (*value)
		snprintf(buf, size, _("value %s"), value);
	else
		snprintf(buf, size, "%s", options);
}

typedef struct side {
	const dl_sheet *s;
	srv_change_kind kind;
} side;

static size_t side_count(const side *d)
{
	if (!d->s)
		return 0;
	switch (d->kind) {
	case SRV_CHANGE_QUESTION: return dl_sheet_answer_count(d->s);
	case SRV_CHANGE_SCENARIO: return dl_sheet_scenario_count(d->s);
	default: return dl_sheet_figure_count(d->s);
	}
}

static const char *side_id(const side *d, size_t i)
{
	switch (d->kind) {
	case SRV_CHANGE_QUESTION: return dl_sheet_answer_question(d->s, i);
	case SRV_CHANGE_SCENARIO: return dl_sheet_scenario_id(d->s, i);
	default: return dl_sheet_figure_id(d->s, i);
	}
}

static void side_text(const side *d, size_t i, char *buf, size_t size)
{
	switch (d->kind) {
	case SRV_CHANGE_QUESTION: answer_text(d->s, i, buf, size); break;
	case SRV_CHANGE_SCENARIO: snprintf(buf, size, "%s", dl_sheet_scenario_level_text(d->s, i)); break;
	default: snprintf(buf, size, "%s", dl_sheet_figure_text(d->s, i));
	}
}

/* The index of id in d (its first), or (size_t)-1. */
static size_t side_find(const side *d, const char *id)
{
	for (size_t i = 0; i < side_count(d); i++)
		if (strcmp(side_id(d, i), id) == 0)
			return i;
	return (size_t)-1;
}

typedef struct changes {
	srv_change *v;
	size_t n, cap;
	bool failed;
} changes;

static void add(changes *c, srv_change_kind kind, const char *id, const char *before,
		const char *after)
{
	if (c->failed)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		srv_change *v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			c->failed = true;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	srv_change *x = &c->v[c->n++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	snprintf(x->id, sizeof x->id, "%s", id);
	snprintf(x->before, sizeof x->before, "%s", before);
	snprintf(x->after, sizeof x->after, "%s", after);
}

int srv_answer_diff(const dl_sheet *before, const dl_sheet *after, srv_change **out, size_t *count)
{
	changes c = {0};
	static const srv_change_kind kinds[] = {SRV_CHANGE_QUESTION, SRV_CHANGE_SCENARIO,
						SRV_CHANGE_FIGURE};
	for (size_t k = 0; k < 3; k++) {
		side b = {before, kinds[k]}, a = {after, kinds[k]};
		char tb[256], ta[256];
		for (size_t i = 0; i < side_count(&a); i++) {
			const char *id = side_id(&a, i);
			if (side_find(&a, id) != i) /* a repeated id: its first answer counts */
				continue;
			size_t j = side_find(&b, id);
			side_text(&a, i, ta, sizeof ta);
			if (j == (size_t)-1)
				tb[0] = '\0';
			else
				side_text(&b, j, tb, sizeof tb);
			if (strcmp(ta, tb) != 0)
				add(&c, kinds[k], id, tb, ta);
		}
		for (size_t j = 0; j < side_count(&b); j++) {
			const char *id = side_id(&b, j);
			if (side_find(&b, id) != j || side_find(&a, id) != (size_t)-1)
				continue;
			side_text(&b, j, tb, sizeof tb);
			if (*tb)
				add(&c, kinds[k], id, tb, "");
		}
	}
	if (c.failed) {
		free(c.v);
		*out = NULL;
		*count = 0;
		return DL_ENOMEM;
	}
	*out = c.v;
	*count = c.n;
	return 0;
}

const char *srv_change_title(const dl_questionnaire *q, const srv_change *c)
{
	if (!q)
		return "";
	size_t i;
	switch (c->kind) {
	case SRV_CHANGE_QUESTION:
		i = dl_questionnaire_question_find(q, c->id);
		return i == DL_NONE ? "" : dl_questionnaire_question_text(q, i);
	case SRV_CHANGE_SCENARIO:
		i = dl_questionnaire_scenario_find(q, c->id);
		return i == DL_NONE ? "" : dl_questionnaire_scenario_title(q, i);
	default:
		i = dl_questionnaire_figure_find(q, c->id);
		return i == DL_NONE ? "" : dl_questionnaire_figure_label(q, i);
	}
}

const char *srv_change_kind_name(srv_change_kind kind)
{
	return kind == SRV_CHANGE_QUESTION ? "question" : kind == SRV_CHANGE_SCENARIO ? "scenario" : "figure";
}

const char *srv_change_kind_title(srv_change_kind kind)
{
	return kind == SRV_CHANGE_QUESTION ? _("question")
	       : kind == SRV_CHANGE_SCENARIO ? _("scenario")
					     : _("figure");
}

const char *srv_audit_action_title(const char *action)
{
	static const char *const names[][2] = {
		{"sheet.save", N_("draft saved")},
		{"sheet.submit", N_("sheet submitted")},
		{"assign", N_("assigned")},
		{"unassign", N_("assignment removed")},
		{"enterprise.register", N_("enterprise registered")},
		{"document.save", N_("document uploaded")},
		{"review.approve", N_("review approved")},
		{"review.return", N_("returned for changes")},
		{"refused", N_("access refused")},
		{"login", N_("logged in")},
		{"logout", N_("logged out")},
		{"user.add", N_("account added")},
		{"user.disable", N_("account disabled")},
		{"user.enable", N_("account enabled")},
		{"user.passwd", N_("password changed")},
		{"login.failed", N_("login failed")},
		{"archive", N_("一企一档 downloaded")},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(action, names[i][0]) == 0)
			return _(names[i][1]);
	return action;
}

void srv_audit_detail_words(const char *action, const char *detail, char *buf, size_t size)
{
	const char *space = strchr(detail, ' ');
	size_t head = space ? (size_t)(space - detail) : strlen(detail);
	char first[32];
	snprintf(first, sizeof first, "%.*s", (int)(head < sizeof first ? head : sizeof first - 1),
		 detail);
	const char *rest = space ? space + 1 : "";
	if (strcmp(action, "assign") == 0 || strcmp(action, "unassign") == 0) {
		/* "ROLE NAME" or "ROLE" */
		snprintf(buf, size, "%s%s%s", srv_role_title(first), *rest ? " " : "", rest);
	} else if (strcmp(action, "user.add") == 0 && *rest) {
		/* "NAME ROLE" */
		snprintf(buf, size, "%s（%s）", first, srv_role_title(rest));
	} else if (strcmp(action, "document.save") == 0) {
		/* "KIND FILENAME" */
		const char *kind = strcmp(first, "contract") == 0 ? _("Contract")
				   : strcmp(first, "plan") == 0	   ? _("Retrofit plan")
								   : first;
		snprintf(buf, size, "%s%s%s", kind, *rest ? " " : "", rest);
	} else if (strncmp(action, "review.", 7) == 0) {
		/* "sheet" or "document", then ": COMMENT" */
		const char *colon = strstr(detail, ": ");
		const char *item = strncmp(detail, "sheet", 5) == 0 ? _("diagnosis")
				   : strncmp(detail, "document", 8) == 0 ? _("document")
									 : detail;
		snprintf(buf, size, "%s%s%s", item, colon ? "：" : "", colon ? colon + 2 : "");
	} else {
		snprintf(buf, size, "%s", detail);
	}
}

/* --- an enterprise's history -------------------------------------------------------------------- */

/* Read version id's sheet (NULL when it cannot be read at all). */
static dl_sheet *load_version(srv *s, int64_t id, dl_store_row *row)
{
	char *xml = NULL;
	size_t len = 0;
	dl_error err = {0};
	if (dl_store_get(s->store, id, row, &xml, &len, &err) < 0) {
		srv_log("history: sheet %lld: %s", (long long)id, err.message);
		return NULL;
	}
	dl_sheet *sheet = NULL;
	dl_load_options lo = DL_LOAD_OPTIONS_INIT;
	(void)dl_sheet_load_memory_to_check(&sheet, xml, len, "sheet.xml", &lo, &err);
	free(xml);
	return sheet;
}

/* The id of the version before row in its lineage, or 0. */
static int64_t previous_version(srv *s, const dl_store_row *row, const dl_store_row *rows,
				size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (rows[i].lineage == row->lineage && rows[i].version == row->version - 1)
			return rows[i].id;
	/* the earlier version may name no or another credit code (a draft without one yet) */
	dl_store_filter f = {0};
	f.lineage = row->lineage;
	f.history = true;
	f.drafts = true;
	dl_store_row *all = NULL;
	size_t n = 0;
	dl_error err = {0};
	int64_t id = 0;
	if (dl_store_list(s->store, &f, &all, &n, &err) == 0)
		for (size_t i = 0; i < n; i++)
			if (all[i].version == row->version - 1)
				id = all[i].id;
	free(all);
	return id;
}

int srv_history_build(srv *s, const char *credit_code, srv_history *h, dl_error *err)
{
	memset(h, 0, sizeof *h);
	int rc = dl_store_audit_list(s->store, credit_code, &h->entries, &h->entry_count, err);
	if (rc < 0)
		return rc;
	dl_store_filter f = {0};
	f.credit_code = credit_code;
	f.history = true;
	f.drafts = true;
	dl_store_row *rows = NULL;
	size_t count = 0;
	if ((rc = dl_store_list(s->store, &f, &rows, &count, err)) < 0)
		return rc;
	if (count)
		snprintf(h->name, sizeof h->name, "%s", rows[0].name);
	size_t later = 0;
	for (size_t i = 0; i < count; i++)
		later += rows[i].version > 1;
	h->versions = later ? calloc(later, sizeof *h->versions) : NULL;
	if (later && !h->versions) {
		free(rows);
		return DL_ENOMEM;
	}
	for (size_t i = count; i-- > 0 && rc == 0;) { /* oldest first */
		if (rows[i].version <= 1)
			continue;
		srv_history_version *v = &h->versions[h->version_count++];
		v->row = rows[i];
		v->previous_id = previous_version(s, &rows[i], rows, count);
		for (size_t e = 0; e < h->entry_count; e++)
			if (h->entries[e].sheet_id == rows[i].id &&
			    strncmp(h->entries[e].action, "sheet.", 6) == 0)
				snprintf(v->role, sizeof v->role, "%s", h->entries[e].role);
		dl_store_row before_row, after_row;
		dl_sheet *before = v->previous_id ? load_version(s, v->previous_id, &before_row) : NULL;
		dl_sheet *after = load_version(s, rows[i].id, &after_row);
		v->readable = before && after;
		if (v->readable)
			rc = srv_answer_diff(before, after, &v->changes, &v->change_count);
		dl_sheet_free(before);
		dl_sheet_free(after);
	}
	free(rows);
	if (rc < 0)
		srv_history_free(h);
	return rc;
}

void srv_history_free(srv_history *h)
{
	for (size_t i = 0; i < h->version_count; i++)
		free(h->versions[i].changes);
	free(h->versions);
	free(h->entries);
	memset(h, 0, sizeof *h);
}
