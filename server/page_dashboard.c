/*
 * page_dashboard.c: GET /dashboard: the pilot cohort of the stored sheets (cohort_store.h) against
 * the chosen targets and under the chosen policy: every table of `digilevel cohort` (targets period
 * by period, 细分行业, levels before and after, share, subsidies, pipeline, roster, funds ...) as an
 * HTML table, with the links to the same dashboard as PDF and CSV.
 *
 * The tables are the library's own (dl_cohort_write_table, the spreadsheet flavour with Chinese
 * headers), read back cell by cell into the page: the page cannot show a figure, a rounding or a
 * status other than the command line's.
 */
#include "access.h"
#include "cohort_store.h"
#include "pages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages_district.h"

/* --- the library's CSV, back into cells ------------------------------------------------------------ */

/*
 * Read one cell of RFC 4180 CSV at *at into out (unquoted; a spreadsheet formula ="TEXT" becomes
 * TEXT). Returns 1 when the row goes on, 0 at the end of a row, -1 at the end of the text.
 */
static int next_cell(const char **at, srv_buf *out)
{
	const char *c = *at;
	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	if (!*c)
		return -1;
	if (*c == '"') {
		c++;
		while (*c) {
			if (*c == '"' && c[1] == '"') {
				srv_buf_write(out, "\"", 1);
				c += 2;
			} else if (*c == '"') {
				c++;
				break;
			} else {
				srv_buf_write(out, c++, 1);
			}
		}
	} else {
		size_t n = strcspn(c, ",\r\n");
		srv_buf_write(out, c, n);
		c += n;
	}
	if (out->len >= 3 && out->data[0] == '=' && out->data[1] == '"' && out->data[out->len - 1] == '"') {
		memmove(out->data, out->data + 2, out->len - 3);
		out->len -= 3;
		out->data[out->len] = '\0';
	}
	int more = *c == ',';
	if (*c == '\r')
		c += c[1] == '\n' ? 2 : 1;
	else if (*c == ',' || *c == '\n')
		c++;
	*at = c;
	return more;
}

/*
 * What a cell holds, for the layout: a number ("12", "13.0", "550100.00", "-3", "8.6%": right-aligned
 * and never broken), a date or a period ("2025-10-31", "2025-10": never broken, but after the year in
 * a table of many columns), a code (a credit code, a digest: never broken), or words (Chinese, or an
 * id without digits such as retrofitted-large: wrapped as the column's width needs). An empty cell is
 * none of them.
 */
enum cell_kind { CELL_EMPTY, CELL_WORDS, CELL_NUMBER, CELL_DATE, CELL_TOKEN };

/* A table of more columns than this cannot show its dates unbroken in a 1280 px window. */
#define MANY_COLUMNS 15

static enum cell_kind cell_kind(const char *s)
{
	if (!*s)
		return CELL_EMPTY;
	const char *c = s + (*s == '-' || *s == '+');
	size_t n = strspn(c, "0123456789.,");
	if (n && *c >= '0' && *c <= '9' && (!c[n] || (c[n] == '%' && !c[n + 1])))
		return CELL_NUMBER;
	if (strspn(s, "0123456789") == 4 && s[4] == '-' && strspn(s + 5, "0123456789") == 2 &&
	    (!s[7] || (s[7] == '-' && strspn(s + 8, "0123456789") == 2 && !s[10])))
		return CELL_DATE;
	bool digit = false;
	for (c = s; *c; c++) {
		if (*c >= '0' && *c <= '9')
			digit = true;
		else if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || strchr("-./:%+", *c)))
			return CELL_WORDS;
	}
	return digit ? CELL_TOKEN : CELL_WORDS;
}

/*
 * One table of the dashboard under parent; nothing when the table has no row (does not apply). A
 * column whose cells are all numbers has the class "num" on its cells and its header (right-aligned,
 * the header over its figures); a date has the class "date", a code or a number among words "token"; a
 * table of more than MANY_COLUMNS columns has the class "many" (views.css: how main.wide lays them
 * out to fit a 1280 px window).
 */
static int table(html_page *p, xmlNodePtr parent, const dl_cohort *c, size_t i)
{
	srv_buf csv = {0}, cell = {0};
	xmlNodePtr *heads = NULL;
	unsigned char *numeric = NULL; /* per column: 1 numbers so far, 2 something else */
	size_t columns = 0, cap = 0;
	int rc = dl_cohort_write_table(c, dl_cohort_table_id(i), DL_COHORT_CSV_EXCEL, srv_buf_write, &csv);
	if (rc < 0 || !csv.data) {
		srv_buf_free(&csv);
		return rc < 0 ? rc : 0;
	}
	const char *at = csv.data;
	if (strncmp(at, "\xEF\xBB\xBF", 3) == 0) /* the byte order mark */
		at += 3;
	const char *rows = strpbrk(at, "\n");
	if (!rows || !rows[1]) { /* a header alone: the table does not apply */
		srv_buf_free(&csv);
		return 0;
	}
	xmlNodePtr wrap = html_el(p, parent, "div", NULL);
	html_attr(p, wrap, "class", "table-wrap");
	xmlNodePtr t = html_el(p, wrap, "table", NULL);
	html_attr(p, t, "id", dl_cohort_table_id(i));
	html_el(p, t, "caption", dl_cohort_table_title(i));
	xmlNodePtr tr = html_el(p, html_el(p, t, "thead", NULL), "tr", NULL);
	int more;
	while ((more = next_cell(&at, &cell)) >= 0) {
		if (columns == cap) {
			size_t grown = cap ? 2 * cap : 32;
			xmlNodePtr *h = realloc(heads, grown * sizeof *h);
			if (h)
				heads = h;
			unsigned char *k = h ? realloc(numeric, grown) : NULL;
			if (!k) {
				rc = DL_ENOMEM;
				goto done;
			}
			numeric = k;
			cap = grown;
		}
		heads[columns] = html_el(p, tr, "th", cell.data);
		html_attr(p, heads[columns], "scope", "col");
		numeric[columns++] = 0;
		if (!more)
			break;
	}
	/* first the columns that hold numbers only, then the rows */
	size_t col = 0;
	for (const char *rest = at; (more = next_cell(&rest, &cell)) >= 0; col = more ? col + 1 : 0) {
		enum cell_kind kind = cell_kind(cell.data ? cell.data : "");
		if (col < columns && kind != CELL_EMPTY)
			numeric[col] = kind == CELL_NUMBER && numeric[col] != 2 ? 1 : 2;
	}
	for (size_t k = 0; k < columns; k++)
		if (numeric[k] == 1)
			html_attr(p, heads[k], "class", "num");
	if (columns > MANY_COLUMNS)
		html_attr(p, t, "class", "many");
	xmlNodePtr body = html_el(p, t, "tbody", NULL);
	tr = NULL;
	for (col = 0; (more = next_cell(&at, &cell)) >= 0; col = more ? col + 1 : 0) {
		if (!tr)
			tr = html_el(p, body, "tr", NULL);
		xmlNodePtr td = html_el(p, tr, "td", cell.data);
		enum cell_kind kind = cell_kind(cell.data ? cell.data : "");
		if (kind == CELL_NUMBER && col < columns && numeric[col] == 1)
			html_attr(p, td, "class", "num");
		else if (kind == CELL_NUMBER || kind == CELL_TOKEN)
			html_attr(p, td, "class", "token"); /* a number among words: unbroken, not aligned */
		else if (kind == CELL_DATE)
			html_attr(p, td, "class", "date");
		if (!more)
			tr = NULL;
	}
	rc = csv.failed || cell.failed ? DL_ENOMEM : 0;
done:
	free(heads);
	free(numeric);
	srv_buf_free(&csv);
	srv_buf_free(&cell);
	return rc;
}

/* --- the page ------------------------------------------------------------------------------------------ */

/* Append name=value to a query, value percent-encoded. */
static void query_arg(char *q, size_t size, const char *name, const char *value)
{
	size_t used = strlen(q);
	int w = snprintf(q + used, size - used, "%s%s=", used ? "&" : "?", name);
	if (w < 0 || (size_t)w >= size - used)
		return;
	used += (size_t)w;
	for (const unsigned char *v = (const unsigned char *)value; *v && used + 4 < size; v++) {
		if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || (*v >= '0' && *v <= '9') ||
		    *v == '-' || *v == '_' || *v == '.')
			q[used++] = (char)*v;
		else
			used += (size_t)snprintf(q + used, size - used, "%%%02X", *v);
	}
	q[used] = '\0';
}

static void option(html_page *p, xmlNodePtr select, const char *value, const char *text, bool selected)
{
	xmlNodePtr o = html_el(p, select, "option", text);
	html_attr(p, o, "value", value);
	if (selected)
		html_attr(p, o, "selected", NULL);
}

static xmlNodePtr field(html_page *p, xmlNodePtr form, const char *id, const char *label,
			const char *tag)
{
	xmlNodePtr div = html_el(p, form, "div", NULL);
	html_attr(p, div, "class", "field");
	html_attr(p, html_el(p, div, "label", label), "for", id);
	xmlNodePtr c = html_el(p, div, tag, NULL);
	html_attr(p, c, "id", id);
	html_attr(p, c, "name", id);
	return c;
}

/* The choosers: targets, policy (or none), the date the figures are as of. */
static void choosers(html_page *p, const srv *s, const dl_targets *t, const dl_policy *policy,
		     const char *as_of)
{
	xmlNodePtr form = html_form(p, p->main, "get", "/dashboard");
	html_attr(p, form, "class", "filters");
	xmlNodePtr sel = field(p, form, "targets", _("Targets"), "select");
	for (size_t i = 0; i < s->targets_count; i++) {
		const dl_targets *ti = s->targets[i].targets;
		option(p, sel, dl_targets_id(ti), *dl_targets_title(ti) ? dl_targets_title(ti) : dl_targets_id(ti),
		       ti == t);
	}
	sel = field(p, form, "policy", _("Policy"), "select");
	for (size_t i = 0; i < s->policy_count; i++) {
		const dl_policy *pi = s->policies[i].policy;
		option(p, sel, dl_policy_id(pi), *dl_policy_title(pi) ? dl_policy_title(pi) : dl_policy_id(pi),
		       pi == policy);
	}
	option(p, sel, "none", _("no policy (levels only, no subsidy)"), !policy);
	xmlNodePtr date = field(p, form, "as_of", _("As of (optional; default: the latest sheet's date)"), "input");
	html_attr(p, date, "type", "date");
	if (as_of && *as_of)
		html_attr(p, date, "value", as_of);
	html_attr(p, html_el(p, form, "button", _("Show")), "type", "submit");
}

/* What the batch said: sheets not counted, which sheet stands, payments refused. */
static void notes(html_page *p, const srv_cohort *c)
{
	const char *text = srv_cohort_notes(c);
	if (!*text)
		return;
	xmlNodePtr det = html_el(p, p->main, "details", NULL);
	html_el(p, det, "summary", _("Notes on the sheets (which stand, which are not counted)"));
	xmlNodePtr ul = html_el(p, det, "ul", NULL);
	html_attr(p, ul, "class", "notes");
	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		char buf[1200];
		snprintf(buf, sizeof buf, "%.*s", (int)n, line);
		html_el(p, ul, "li", buf);
		line += n + (line[n] == '\n');
	}
}

int page_dashboard(srv *s, const srv_request *rq, srv_response *rs)
{
	if (!srv_may(s, rq, SRV_DASHBOARD, NULL))
		return srv_refuse(s, rq, rs, NULL);
	const char *targets_id = view_param(rq, "targets"), *policy_id = view_param(rq, "policy");
	const char *as_of = view_param(rq, "as_of");
	const dl_targets *t = srv_targets_find(s, targets_id);
	bool no_policy = policy_id && strcmp(policy_id, "none") == 0;
	const dl_policy *policy = no_policy ? NULL : srv_policy_find(s, policy_id);
	if (t && !no_policy && !(policy_id && *policy_id))
		policy = view_default_policy(s, t);
	if (!t)
		return view_error_page(rq, rs, targets_id && *targets_id ? 404 : 503, _("Dashboard"),
				       targets_id && *targets_id
					   ? _("There are no targets with this id.")
					   : _("No targets file is loaded: start the workbench with --policies "
					       "naming the folder of the targets."));
	if (!no_policy && policy_id && *policy_id && !policy)
		return view_error_page(rq, rs, 404, _("Dashboard"), _("There is no policy with this id."));
	srv_cohort *c = NULL;
	dl_error err;
	int built = srv_cohort_build(s, t, policy, as_of && *as_of ? as_of : NULL, &c, &err);
	if (built == DL_ENOMEM || built == DL_EUNAVAILABLE) /* 503, with Retry-After (http.c) */
		return built;
	html_page p;
	int rc = html_page_new(&p, rq, _("Dashboard"));
	if (rc < 0) {
		srv_cohort_free(c);
		return rc;
	}
	html_attr(&p, p.main, "class", "wide"); /* the tables need the window's width (views.css) */
	html_el(&p, p.main, "p", dl_targets_title(t));
	choosers(&p, s, t, policy, as_of);
	char q[512] = "";
	query_arg(q, sizeof q, "targets", dl_targets_id(t));
	query_arg(q, sizeof q, "policy", policy ? dl_policy_id(policy) : "none");
	if (as_of && *as_of)
		query_arg(q, sizeof q, "as_of", as_of);
	xmlNodePtr ul = html_el(&p, p.main, "ul", NULL);
	html_attr(&p, ul, "class", "downloads");
	const char *kinds[][2] = {{"/api/cohort.pdf", N_("The dashboard as a report (PDF)")},
				  {"/api/cohort.csv", N_("The dashboard's tables (CSV)")},
				  {"/api/cohort", N_("The dashboard's figures (JSON)")}};
	for (size_t i = 0; i < 3; i++) {
		char href[600];
		snprintf(href, sizeof href, "%s%s", kinds[i][0], q);
		html_link(&p, html_el(&p, ul, "li", NULL), href, _(kinds[i][1]));
	}
	if (!c) {
		bool inputs = built == DL_ENOTFOUND || built == DL_EINVALID || built == DL_EMISMATCH;
		if (!inputs)
			srv_log("GET /dashboard: %s", err.message);
		xmlNodePtr m = html_elf(&p, p.main, "p", _("The dashboard cannot be made: %s"),
					inputs ? err.message : _("the store could not be read"));
		html_attr(&p, m, "class", "error");
		html_attr(&p, m, "role", "alert");
		return html_finish(&p, rs, built == DL_ENOTFOUND ? 404 : inputs ? 422 : 500);
	}
	html_elf(&p, p.main, "p", _("%zu stored sheets counted, %zu of them could not be scored."),
		 srv_cohort_sheet_count(c), srv_cohort_failed_count(c));
	notes(&p, c);
	for (size_t i = 0; rc == 0 && i < dl_cohort_table_count(); i++)
		rc = table(&p, p.main, srv_cohort_get(c), i);
	if (rc < 0) {
		srv_cohort_free(c);
		html_discard(&p);
		return rc;
	}
	/* the pipeline's verdicts are today's: the cohort's serve only when it is not as of a date */
	page_dashboard_pipeline(&p, s, rq, as_of && *as_of ? NULL : c);
	srv_cohort_free(c);
	return html_finish(&p, rs, 200);
}
