/*
 * page_form_fields.c: the questionnaire form, drawn from the questionnaire (never written per
 * question): the enterprise and the assessment, every question of the scored tree with its options
 * (radio buttons for one choice, check boxes for several, the exclusive 无 marked) and the figures
 * that decide it, every scenario with its level texts, and the retrofit block of an evaluation.
 *
 * Every input has a <label>; a mistake is a paragraph next to its field (aria-describedby,
 * aria-invalid) and a link in the summary at the top; every value comes back as it was typed. The
 * field names are form_sheet.h's, so that what a person types goes into the sheet unchanged.
 */
#include "pages_form.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
	html_page *p;
	const form_view *v;
	const dl_questionnaire *q;
	const form_check *check;
	bool *mistake_shown;   /* per mistake: drawn next to its field */
	char (*target)[112];   /* per mistake: the id of its field's input, for the summary's link */
	char (*label)[200];    /* per mistake: its field's label, for the summary */
	size_t *figure_question; /* per figure: the question whose block holds its input, or DL_NONE */
} ctx;

/* The row number of a field called PREFIX + N + "." + ..., as "as.3.name" is the third person's. */
static bool row_number(const char *name, const char *prefix, unsigned long *k)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0 || name[n] < '0' || name[n] > '9')
		return false;
	char *end;
	errno = 0;
	*k = strtoul(name + n, &end, 10);
	return errno == 0 && *end == '.';
}

static const char *val(const ctx *c, const char *name)
{
	const char *v = form_value(c->v->fields, c->v->n, name);
	return v ? v : "";
}

static void input_id(char *buf, size_t size, const char *field)
{
	snprintf(buf, size, "f-%s", field);
}

/* The mistakes at field, as paragraphs under parent; their ids are added to describedby. Records
 * the field's label and input id for the summary. Returns whether there was one. */
static bool mistakes_at(ctx *c, xmlNodePtr parent, const char *field, const char *label,
			const char *target, char *describedby, size_t dsize)
{
	bool any = false;
	for (size_t i = 0; c->check && i < c->check->count; i++) {
		const form_mistake *m = &c->check->mistakes[i];
		if (strcmp(m->field, field) != 0 || c->mistake_shown[i])
			continue;
		char id[128];
		snprintf(id, sizeof id, "e%zu", i);
		xmlNodePtr e = html_el(c->p, parent, "p", m->message);
		html_attr(c->p, e, "class", m->warning ? "warning" : "error");
		html_attr(c->p, e, "id", id);
		size_t dl = strlen(describedby);
		snprintf(describedby + dl, dsize - dl, "%s%s", dl ? " " : "", id);
		c->mistake_shown[i] = true;
		snprintf(c->target[i], sizeof c->target[i], "%s", target);
		snprintf(c->label[i], sizeof c->label[i], "%s", label);
		any = any || !m->warning;
	}
	return any;
}

typedef enum input_kind { TEXT, NUMBER, DATE, AREA } input_kind;

/* <div class="field"><label>…</label><p hint/><p error/><input/></div> */
static xmlNodePtr field(ctx *c, xmlNodePtr parent, const char *name, const char *label, input_kind k,
			const char *hint)
{
	char id[112], describedby[512] = "";
	input_id(id, sizeof id, name);
	xmlNodePtr div = html_el(c->p, parent, "div", NULL);
	html_attr(c->p, div, "class", "field");
	xmlNodePtr l = html_el(c->p, div, "label", label);
	html_attr(c->p, l, "for", id);
	if (hint && *hint) {
		char hid[120];
		snprintf(hid, sizeof hid, "h-%s", name);
		xmlNodePtr h = html_el(c->p, div, "p", hint);
		html_attr(c->p, h, "class", "hint");
		html_attr(c->p, h, "id", hid);
		snprintf(describedby, sizeof describedby, "%s", hid);
	}
	bool bad = mistakes_at(c, div, name, label, id, describedby, sizeof describedby);
	xmlNodePtr in;
	if (k == AREA) {
		in = html_el(c->p, div, "textarea", val(c, name));
		html_attr(c->p, in, "rows", "3");
	} else {
		in = html_el(c->p, div, "input", NULL);
		html_attr(c->p, in, "type", "text");
		html_attr(c->p, in, "value", val(c, name));
		if (k == NUMBER)
			html_attr(c->p, in, "inputmode", "decimal");
		if (k == DATE)
			html_attr(c->p, in, "placeholder", "2025-06-03");
		if (k == NUMBER || k == DATE) {
			html_attr(c->p, in, "autocomplete", "off");
			html_attr(c->p, in, "spellcheck", "false");
		}
	}
	html_attr(c->p, in, "id", id);
	html_attr(c->p, in, "name", name);
	if (*describedby)
		html_attr(c->p, in, "aria-describedby", describedby);
	if (bad)
		html_attr(c->p, in, "aria-invalid", "true");
	return in;
}

/* A <select> of values with their words; a value typed earlier that is not among them is kept. */
static void choice(ctx *c, xmlNodePtr parent, const char *name, const char *label,
		   const char *const *values, const char *const *words, size_t count)
{
	char id[112], describedby[512] = "";
	input_id(id, sizeof id, name);
	xmlNodePtr div = html_el(c->p, parent, "div", NULL);
	html_attr(c->p, div, "class", "field");
	html_attr(c->p, html_el(c->p, div, "label", label), "for", id);
	bool bad = mistakes_at(c, div, name, label, id, describedby, sizeof describedby);
	xmlNodePtr sel = html_el(c->p, div, "select", NULL);
	html_attr(c->p, sel, "id", id);
	html_attr(c->p, sel, "name", name);
	if (*describedby)
		html_attr(c->p, sel, "aria-describedby", describedby);
	if (bad)
		html_attr(c->p, sel, "aria-invalid", "true");
	const char *now = val(c, name);
	bool found = false;
	for (size_t i = 0; i < count; i++) {
		xmlNodePtr o = html_el(c->p, sel, "option", words[i]);
		html_attr(c->p, o, "value", values[i]);
		if (strcmp(values[i], now) == 0) {
			html_attr(c->p, o, "selected", NULL);
			found = true;
		}
	}
	if (!found) {
		xmlNodePtr o = html_el(c->p, sel, "option", now);
		html_attr(c->p, o, "value", now);
		html_attr(c->p, o, "selected", NULL);
	}
}

/* A radio button or check box with its label, inside a group. */
static xmlNodePtr tick(ctx *c, xmlNodePtr parent, const char *type, const char *name,
		       const char *value, const char *label, bool on, const char *id)
{
	xmlNodePtr l = html_el(c->p, parent, "label", NULL);
	html_attr(c->p, l, "class", "choice");
	xmlNodePtr in = html_el(c->p, l, "input", NULL);
	html_attr(c->p, in, "type", type);
	html_attr(c->p, in, "name", name);
	html_attr(c->p, in, "value", value);
	html_attr(c->p, in, "id", id);
	if (on)
		html_attr(c->p, in, "checked", NULL);
	xmlNodePtr span = html_el(c->p, l, "span", label);
	(void)span;
	return in;
}

/* note and evidence of a question or scenario, folded away unless filled or wrong */
static void annotation(ctx *c, xmlNodePtr parent, const char *prefix, const char *id)
{
	char note[96], evidence[96];
	snprintf(note, sizeof note, "%s.%s.note", prefix, id);
	snprintf(evidence, sizeof evidence, "%s.%s.evidence", prefix, id);
	xmlNodePtr d = html_el(c->p, parent, "details", NULL);
	bool open = *val(c, note) || *val(c, evidence);
	for (size_t i = 0; c->check && i < c->check->count; i++)
		open = open || strcmp(c->check->mistakes[i].field, note) == 0 ||
		       strcmp(c->check->mistakes[i].field, evidence) == 0;
	if (open)
		html_attr(c->p, d, "open", NULL);
	html_el(c->p, d, "summary", _("note and evidence (optional)"));
	field(c, d, note, _("note"), AREA, NULL);
	field(c, d, evidence, _("evidence: one document a line"), AREA, NULL);
}

/* ---- the parts of the sheet ------------------------------------------------------------------ */

static void enterprise(ctx *c, xmlNodePtr form)
{
	xmlNodePtr fs = html_el(c->p, form, "fieldset", NULL);
	html_attr(c->p, fs, "class", "part");
	html_attr(c->p, fs, "id", "enterprise");
	html_el(c->p, fs, "legend", _("The enterprise"));
	xmlNodePtr in = field(c, fs, "e.name", _("enterprise name"), TEXT, NULL);
	html_attr(c->p, in, "autocomplete", "organization");
	in = field(c, fs, "e.credit-code", _("unified social credit code"), TEXT,
		   _("18 characters, as on the business licence"));
	html_attr(c->p, in, "autocapitalize", "characters");
	html_attr(c->p, in, "spellcheck", "false");
	html_attr(c->p, in, "autocomplete", "off");
	field(c, fs, "e.region", _("region"), TEXT, NULL);
	field(c, fs, "e.address", _("address"), TEXT, NULL);
	field(c, fs, "e.industry", _("industry"), TEXT, _("the industry segment, e.g. 食品加工制造"));
	static const char *const scales[] = {"", "规上", "规下"};
	const char *words[] = {_("choose"), _("above designated size (规上)"),
			       _("below designated size (规下)")};
	choice(c, fs, "e.scale", _("size"), scales, words, 3);
	in = field(c, fs, "e.employees", _("employees"), NUMBER, NULL);
	html_attr(c->p, in, "inputmode", "numeric");
	field(c, fs, "e.main-products", _("main products"), TEXT, NULL);
	char known[1024] = "";
	size_t kl = 0;
	for (size_t i = 0; i < dl_tag_known_count() && kl < sizeof known; i++)
		kl += (size_t)snprintf(known + kl, sizeof known - kl, "%s%s", i ? "、" : "",
				       dl_tag_known_name(i));
	char hint[1200];
	snprintf(hint, sizeof hint, _("one title a line; the dashboard counts these: %s"), known);
	field(c, fs, "e.tags", _("titles held"), AREA, hint);
}

static void assessment(ctx *c, xmlNodePtr form)
{
	xmlNodePtr fs = html_el(c->p, form, "fieldset", NULL);
	html_attr(c->p, fs, "class", "part");
	html_attr(c->p, fs, "id", "assessment");
	html_el(c->p, fs, "legend", _("The assessment"));
	field(c, fs, "a.date", _("assessment date"), DATE, _("year-month-day, e.g. 2025-06-03"));
	field(c, fs, "a.organisation", _("organisation filling in the sheet"), TEXT, NULL);
	/* the people: those given, and one empty row to add another */
	size_t rows = 0;
	for (size_t i = 0; i < c->v->n; i++) {
		unsigned long k;
		if (row_number(c->v->fields[i].name, "as.", &k) && k > rows && k < 20)
			rows = k;
	}
	rows++;
	static const char *const attrs[] = {"name", "role", "title", "organisation", "contact"};
	const char *words[] = {_("name"), _("role"), _("professional title"), _("organisation"),
			       _("contact")};
	for (size_t r = 1; r <= rows; r++) {
		xmlNodePtr p = html_el(c->p, fs, "fieldset", NULL);
		html_attr(c->p, p, "class", "row");
		html_elf(c->p, p, "legend", _("person %zu"), r);
		for (size_t k = 0; k < 5; k++) {
			char name[48], label[128];
			snprintf(name, sizeof name, "as.%zu.%s", r, attrs[k]);
			snprintf(label, sizeof label, _("person %zu: %s"), r, words[k]);
			xmlNodePtr in = field(c, p, name, label, TEXT, NULL);
			if (k == 0)
				html_attr(c->p, in, "autocomplete", "off");
		}
		char duty[48], label[128];
		snprintf(duty, sizeof duty, "as.%zu.duty", r);
		xmlNodePtr g = html_el(c->p, p, "fieldset", NULL);
		html_attr(c->p, g, "class", "choices inline");
		snprintf(label, sizeof label, _("person %zu: signs as"), r);
		html_el(c->p, g, "legend", label);
		char id[112], describedby[256] = "";
		snprintf(id, sizeof id, "f-%s-lead", duty);
		mistakes_at(c, g, duty, label, id, describedby, sizeof describedby);
		for (unsigned bit = 1; bit <= DL_DUTY_SUPERVISOR; bit <<= 1) {
			snprintf(id, sizeof id, "f-%s-%s", duty, dl_duty_name(bit));
			tick(c, g, "checkbox", duty, dl_duty_name(bit), dl_duty_title(bit),
			     form_has(c->v->fields, c->v->n, duty, dl_duty_name(bit)), id);
		}
	}
}

static void figure_input(ctx *c, xmlNodePtr parent, size_t fi)
{
	char name[96], label[300];
	snprintf(name, sizeof name, "f.%s", dl_questionnaire_figure_id(c->q, fi));
	const char *unit = dl_questionnaire_figure_unit(c->q, fi);
	if (*unit)
		snprintf(label, sizeof label, "%s（%s）", dl_questionnaire_figure_label(c->q, fi), unit);
	else
		snprintf(label, sizeof label, "%s", dl_questionnaire_figure_label(c->q, fi));
	xmlNodePtr in = field(c, parent, name, label, NUMBER, NULL);
	html_attr(c->p, in, "data-figure", dl_questionnaire_figure_id(c->q, fi));
	if (dl_questionnaire_figure_is_integer(c->q, fi))
		html_attr(c->p, in, "inputmode", "numeric");
}

void page_form_band(const dl_result *r, size_t qi, char *buf, size_t size)
{
	*buf = '\0';
	if (!r)
		return;
	const dl_questionnaire *q = dl_result_questionnaire(r);
	dl_answer_source src = dl_result_question_source(r, qi);
	const char *basis = dl_result_question_basis(r, qi);
	if (src == DL_SOURCE_HAND || !*basis)
		return;
	char chosen[64] = "";
	for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++)
		if (dl_result_option_chosen(r, qi, oi)) {
			const char *band = dl_questionnaire_option_band(q, qi, oi);
			snprintf(chosen, sizeof chosen, "%s %s", dl_questionnaire_option_id(q, qi, oi),
				 *band ? band : dl_questionnaire_option_text(q, qi, oi));
			break;
		}
	char pts[32];
	dl_points_format(dl_result_node_score(r, dl_questionnaire_question_node(q, qi)), pts, sizeof pts);
	snprintf(buf, size, _("the figures give option %s (%s points): %s"), chosen, pts, basis);
}

static void question(ctx *c, xmlNodePtr parent, size_t qi)
{
	const dl_questionnaire *q = c->q;
	const char *id = dl_questionnaire_question_id(q, qi);
	bool multi = dl_questionnaire_question_type(q, qi) == DL_QUESTION_MULTI;
	char name[96], pts[32], legend[1200];
	snprintf(name, sizeof name, "q.%s", id);
	xmlNodePtr fs = html_el(c->p, parent, "fieldset", NULL);
	html_attr(c->p, fs, "class", multi ? "question multi" : "question");
	char qid[112];
	snprintf(qid, sizeof qid, "q-%s", id);
	html_attr(c->p, fs, "id", qid);
	dl_points_format(dl_questionnaire_question_points(q, qi), pts, sizeof pts);
	snprintf(legend, sizeof legend, "%s %s", id, dl_questionnaire_question_text(q, qi));
	html_el(c->p, fs, "legend", legend);
	xmlNodePtr meta = html_elf(c->p, fs, "p", multi ? _("several choices, %s points") :
							   _("one choice, %s points"), pts);
	html_attr(c->p, meta, "class", "meta");
	for (size_t i = 0; i < dl_questionnaire_question_definition_count(q, qi); i++)
		html_attr(c->p, html_el(c->p, fs, "p", dl_questionnaire_question_definition(q, qi, i)),
			  "class", "hint");
	char first[128], describedby[512] = "";
	snprintf(first, sizeof first, "f-%s-%s", name, dl_questionnaire_option_id(q, qi, 0));
	/* the library's messages about a question name it: the summary gives them alone */
	bool bad = mistakes_at(c, fs, name, "", first, describedby, sizeof describedby);
	if (*describedby)
		html_attr(c->p, fs, "aria-describedby", describedby);
	if (bad)
		html_attr(c->p, fs, "class", multi ? "question multi invalid" : "question invalid");
	xmlNodePtr opts = html_el(c->p, fs, "div", NULL);
	html_attr(c->p, opts, "class", "choices");
	bool derived = dl_questionnaire_question_input(q, qi) != DL_INPUT_CHOICE;
	for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++) {
		const char *oid = dl_questionnaire_option_id(q, qi, oi);
		const char *text = dl_questionnaire_option_text(q, qi, oi);
		const char *band = dl_questionnaire_option_band(q, qi, oi);
		char label[1200], opts_id[128];
		dl_points_format(dl_questionnaire_option_points(q, qi, oi), pts, sizeof pts);
		snprintf(label, sizeof label, _("%s. %s (%s points)"), oid, *text ? text : band, pts);
		if (multi && dl_questionnaire_option_is_exclusive(q, qi, oi)) {
			size_t l = strlen(label);
			snprintf(label + l, sizeof label - l, "%s", _(" — excludes the others"));
		}
		snprintf(opts_id, sizeof opts_id, "f-%s-%s", name, oid);
		xmlNodePtr in = tick(c, opts, multi ? "checkbox" : "radio", name, oid, label,
				     form_has(c->v->fields, c->v->n, name, oid), opts_id);
		if (multi && dl_questionnaire_option_is_exclusive(q, qi, oi))
			html_attr(c->p, in, "data-exclusive", NULL);
	}
	if (!multi) {
		char none_id[128];
		snprintf(none_id, sizeof none_id, "f-%s-none", name);
		tick(c, opts, "radio", name, "",
		     derived ? _("none picked by hand: the figures below decide") : _("not answered yet"),
		     !form_value(c->v->fields, c->v->n, name) || !*val(c, name), none_id);
	}
	/* a value typed directly, for a value question that no figures derive */
	if (dl_questionnaire_question_input(q, qi) == DL_INPUT_VALUE &&
	    !*dl_questionnaire_question_derivation(q, qi)) {
		char vname[112], label[200];
		snprintf(vname, sizeof vname, "q.%s.value", id);
		const char *unit = dl_questionnaire_question_unit(q, qi);
		snprintf(label, sizeof label, _("or the value itself (%s)"), *unit ? unit : "");
		field(c, fs, vname, label, NUMBER, NULL);
	}
	/* the figures that decide it, each typed once: at the first question that needs it */
	size_t fc = dl_questionnaire_question_field_count(q, qi);
	if (fc) {
		xmlNodePtr figs = html_el(c->p, fs, "div", NULL);
		html_attr(c->p, figs, "class", "figures");
		html_el(c->p, figs, "p", _("or fill in the figures, and the option follows from them:"));
		for (size_t i = 0; i < fc; i++) {
			size_t fi = dl_questionnaire_question_field(q, qi, i);
			if (fi == DL_NONE)
				continue;
			if (c->figure_question[fi] == DL_NONE) {
				c->figure_question[fi] = qi;
				figure_input(c, figs, fi);
			} else {
				char href[128];
				snprintf(href, sizeof href, "#f-f.%s", dl_questionnaire_figure_id(q, fi));
				xmlNodePtr p = html_el(c->p, figs, "p", NULL);
				html_attr(c->p, p, "class", "hint");
				char t[400];
				snprintf(t, sizeof t, _("%s: filled in at question %s"),
					 dl_questionnaire_figure_label(q, fi),
					 dl_questionnaire_question_id(q, c->figure_question[fi]));
				html_link(c->p, p, href, t);
			}
		}
	}
	if (derived || fc) {
		char band[1024], oid[112];
		const dl_result *r = c->check && c->check->result ? c->check->result : c->v->bands;
		page_form_band(r, qi, band, sizeof band);
		xmlNodePtr out = html_el(c->p, fs, "output", band);
		snprintf(oid, sizeof oid, "band-%s", id);
		html_attr(c->p, out, "id", oid);
		html_attr(c->p, out, "class", "band");
		html_attr(c->p, out, "aria-live", "polite");
	}
	annotation(c, fs, "q", id);
}

static void questions(ctx *c, xmlNodePtr form)
{
	const dl_questionnaire *q = c->q;
	xmlNodePtr dim = NULL;
	for (size_t node = 0; node < dl_questionnaire_node_count(q); node++) {
		dl_node_kind kind = dl_questionnaire_node_kind(q, node);
		if (kind == DL_NODE_DIMENSION) {
			dim = html_el(c->p, form, "section", NULL);
			html_attr(c->p, dim, "class", "part");
			char pts[32];
			dl_points_format(dl_questionnaire_node_points(q, node), pts, sizeof pts);
			html_elf(c->p, dim, "h2", _("%s %s (%s points)"), dl_questionnaire_node_id(q, node),
				 dl_questionnaire_node_title(q, node), pts);
		} else if (kind == DL_NODE_QUESTION && dim) {
			question(c, dim, dl_questionnaire_node_question(q, node));
		}
	}
	/* figures no question lists */
	xmlNodePtr other = NULL;
	for (size_t fi = 0; fi < dl_questionnaire_figure_count(q); fi++) {
		if (c->figure_question[fi] != DL_NONE)
			continue;
		if (!other) {
			other = html_el(c->p, form, "fieldset", NULL);
			html_attr(c->p, other, "class", "part");
			html_el(c->p, other, "legend", _("Other figures"));
		}
		figure_input(c, other, fi);
	}
}

static void scenarios(ctx *c, xmlNodePtr form)
{
	const dl_questionnaire *q = c->q;
	if (dl_questionnaire_scenario_count(q) == 0)
		return;
	xmlNodePtr sec = html_el(c->p, form, "section", NULL);
	html_attr(c->p, sec, "class", "part");
	html_attr(c->p, sec, "id", "scenarios");
	html_el(c->p, sec, "h2", *dl_questionnaire_scenarios_title(q) ? dl_questionnaire_scenarios_title(q)
									: _("Scenarios"));
	html_attr(c->p, html_el(c->p, sec, "p", _("For each scenario, the level it has reached; ★ marks a "
						   "scenario the level rule counts.")),
		  "class", "hint");
	size_t group = DL_NONE;
	int max = dl_questionnaire_scenario_max_level(q);
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q); si++) {
		if (dl_questionnaire_scenario_group(q, si) != group) {
			group = dl_questionnaire_scenario_group(q, si);
			if (group != DL_NONE)
				html_el(c->p, sec, "h3", dl_questionnaire_group_title(q, group));
		}
		const char *id = dl_questionnaire_scenario_id(q, si);
		char name[96], legend[400], fsid[112];
		snprintf(name, sizeof name, "s.%s", id);
		snprintf(legend, sizeof legend, "%s %s%s", id, dl_questionnaire_scenario_title(q, si),
			 dl_questionnaire_scenario_is_constraint(q, si) ? " ★" : "");
		xmlNodePtr fs = html_el(c->p, sec, "fieldset", NULL);
		html_attr(c->p, fs, "class", "question scenario");
		snprintf(fsid, sizeof fsid, "s-%s", id);
		html_attr(c->p, fs, "id", fsid);
		html_el(c->p, fs, "legend", legend);
		if (*dl_questionnaire_scenario_text(q, si))
			html_attr(c->p, html_el(c->p, fs, "p", dl_questionnaire_scenario_text(q, si)), "class",
				  "hint");
		char first[128], describedby[512] = "";
		snprintf(first, sizeof first, "f-%s-0", name);
		if (mistakes_at(c, fs, name, "", first, describedby, sizeof describedby))
			html_attr(c->p, fs, "class", "question scenario invalid");
		if (*describedby)
			html_attr(c->p, fs, "aria-describedby", describedby);
		xmlNodePtr opts = html_el(c->p, fs, "div", NULL);
		html_attr(c->p, opts, "class", "choices");
		const char *now = form_value(c->v->fields, c->v->n, name);
		for (int level = 0; level <= max; level++) {
			char value[16], label[1200], tid[128];
			snprintf(value, sizeof value, "%d", level);
			if (level == 0)
				snprintf(label, sizeof label, "%s", _("0: not started"));
			else
				snprintf(label, sizeof label, _("%d: %s"), level,
					 dl_questionnaire_scenario_level_text(q, si, level));
			snprintf(tid, sizeof tid, "f-%s-%d", name, level);
			tick(c, opts, "radio", name, value, label, now && strcmp(now, value) == 0, tid);
		}
		char tid[128];
		snprintf(tid, sizeof tid, "f-%s-none", name);
		/* a value outside the levels (typed in a file) is kept, so that it is seen and fixed */
		bool other = now && *now;
		for (int level = 0; other && level <= max; level++) {
			char value[16];
			snprintf(value, sizeof value, "%d", level);
			other = strcmp(now, value) != 0;
		}
		if (other)
			tick(c, opts, "radio", name, now, now, true, tid);
		else
			tick(c, opts, "radio", name, "", _("not rated yet"), !now || !*now, tid);
		annotation(c, fs, "s", id);
	}
}

static void retrofit(ctx *c, xmlNodePtr form)
{
	bool any = strcmp(c->v->phase, "evaluation") == 0;
	for (size_t i = 0; !any && i < c->v->n; i++)
		any = strncmp(c->v->fields[i].name, "r.", 2) == 0 && *c->v->fields[i].value;
	if (!any)
		return;
	xmlNodePtr fs = html_el(c->p, form, "fieldset", NULL);
	html_attr(c->p, fs, "class", "part");
	html_attr(c->p, fs, "id", "retrofit");
	html_el(c->p, fs, "legend", _("The retrofit project"));
	html_attr(c->p, html_el(c->p, fs, "p", _("Leave this block empty when the sheet records no "
						  "retrofit. Amounts in yuan, as on the contract.")),
		  "class", "hint");
	xmlNodePtr in = field(c, fs, "r.attempt", _("acceptance attempt (1 for the first)"), NUMBER, NULL);
	html_attr(c->p, in, "inputmode", "numeric");
	field(c, fs, "r.contract", _("contract"), TEXT, NULL);
	field(c, fs, "r.contract.number", _("contract number"), TEXT, NULL);
	field(c, fs, "r.contract.amount", _("contract amount (yuan)"), NUMBER, NULL);
	field(c, fs, "r.contract.signed", _("contract signed on"), DATE, NULL);
	field(c, fs, "r.provider", _("service provider"), TEXT, NULL);
	static const char *const sat[] = {"", "非常满意", "满意", "基本满意", "不满意", "非常不满意"};
	const char *sat_words[] = {_("not given"), "非常满意", "满意", "基本满意", "不满意", "非常不满意"};
	choice(c, fs, "r.provider.satisfaction", _("the enterprise's satisfaction with the provider"), sat,
	       sat_words, 6);
	field(c, fs, "r.scope", _("scope of the retrofit"), AREA, NULL);
	field(c, fs, "r.completed", _("completed on"), DATE, NULL);
	field(c, fs, "r.applied", _("acceptance applied for on"), DATE, NULL);
	size_t rows = 0;
	for (size_t i = 0; i < c->v->n; i++) {
		unsigned long k;
		if (row_number(c->v->fields[i].name, "r.inv.", &k) && k > rows && k < 500)
			rows = k;
	}
	rows += 2;
	const dl_policy *pol = srv_policy_find(c->v->s, NULL);
	size_t cats = pol ? dl_policy_category_count(pol) : 0;
	const char **values = calloc(cats + 1, sizeof *values), **words = calloc(cats + 1, sizeof *words);
	if (!values || !words)
		c->p->failed = true;
	for (size_t r = 1; r <= rows && values && words; r++) {
		xmlNodePtr item = html_el(c->p, fs, "fieldset", NULL);
		html_attr(c->p, item, "class", "row");
		html_elf(c->p, item, "legend", _("investment item %zu"), r);
		char name[48], label[128];
		snprintf(name, sizeof name, "r.inv.%zu.text", r);
		snprintf(label, sizeof label, _("item %zu: what was bought"), r);
		field(c, item, name, label, TEXT, NULL);
		snprintf(name, sizeof name, "r.inv.%zu.category", r);
		snprintf(label, sizeof label, _("item %zu: category"), r);
		if (cats) {
			values[0] = "";
			words[0] = _("choose");
			for (size_t k = 0; k < cats; k++) {
				values[k + 1] = dl_policy_category_id(pol, k);
				words[k + 1] = dl_policy_category_title(pol, k);
			}
			choice(c, item, name, label, values, words, cats + 1);
		} else {
			field(c, item, name, label, TEXT, NULL);
		}
		snprintf(name, sizeof name, "r.inv.%zu.amount", r);
		snprintf(label, sizeof label, _("item %zu: amount (yuan)"), r);
		field(c, item, name, label, NUMBER, NULL);
		snprintf(name, sizeof name, "r.inv.%zu.net", r);
		snprintf(label, sizeof label, _("item %zu: amount without tax (yuan, optional)"), r);
		field(c, item, name, label, NUMBER, NULL);
		snprintf(name, sizeof name, "r.inv.%zu.id", r);
		snprintf(label, sizeof label, _("item %zu: id for invoices and checks (optional)"), r);
		field(c, item, name, label, TEXT, NULL);
	}
	free(values);
	free(words);
}

/* ---- the whole form -------------------------------------------------------------------------- */

static void hidden(ctx *c, xmlNodePtr form, const char *name, const char *value)
{
	xmlNodePtr in = html_el(c->p, form, "input", NULL);
	html_attr(c->p, in, "type", "hidden");
	html_attr(c->p, in, "name", name);
	html_attr(c->p, in, "value", value);
}

static void score_line(ctx *c, xmlNodePtr parent)
{
	xmlNodePtr p = html_el(c->p, parent, "p", NULL);
	html_attr(c->p, p, "id", "score");
	html_attr(c->p, p, "class", "score");
	html_attr(c->p, p, "aria-live", "polite");
	const dl_result *r = c->check ? c->check->result : NULL;
	if (!r) {
		html_text(c->p, p, c->check ? _("No provisional score yet: the sheet has mistakes.")
					    : _("No score yet: fill in the sheet; saving a draft shows the "
						"provisional score."));
		return;
	}
	char total[32];
	dl_points_format(dl_result_total(r), total, sizeof total);
	const char *level = dl_questionnaire_level_name(c->q, dl_result_level(r));
	char t[400];
	if (dl_result_provisional(r))
		snprintf(t, sizeof t, _("Provisional score: %s points, %s (%zu questions and scenarios not "
					"answered yet count as nothing)"),
			 total, level, dl_result_unanswered_count(r));
	else
		snprintf(t, sizeof t, _("Score: %s points, %s"), total, level);
	html_text(c->p, p, t);
}

/* A submitted evaluation is frozen: a new version says why it was changed (修改原因), a required
 * field above the buttons, with its mistake when it was left empty. */
static void change_reason(ctx *c, xmlNodePtr form)
{
	xmlNodePtr fs = html_el(c->p, form, "fieldset", NULL);
	html_attr(c->p, fs, "class", "part");
	html_attr(c->p, fs, "id", "reason");
	html_el(c->p, fs, "legend", _("Reason for the change"));
	xmlNodePtr in = field(c, fs, "reason", _("reason for the change (修改原因)"), TEXT,
			      _("This evaluation was submitted and is frozen: saving makes a new "
				"version, which keeps the submitted one and records why it was changed."));
	html_attr(c->p, in, "required", NULL);
	html_attr(c->p, in, "maxlength", "255");
	html_attr(c->p, in, "autocomplete", "off");
	if (c->v->reason_error && in) {
		xmlNodePtr e = html_el(c->p, fs, "p", c->v->reason_error);
		if (e) /* next to its field, above the input as every mistake */
			xmlAddPrevSibling(in, e);
		html_attr(c->p, e, "class", "error");
		html_attr(c->p, e, "id", "e-reason");
		html_attr(c->p, e, "role", "alert");
		html_attr(c->p, in, "aria-invalid", "true");
		html_attr(c->p, in, "aria-describedby", "h-reason e-reason");
	}
}

const char *page_form_phase_title(const char *phase)
{
	if (strcmp(phase, "diagnosis") == 0)
		return _("diagnosis");
	if (strcmp(phase, "evaluation") == 0)
		return _("evaluation");
	return _("self-check");
}

void page_form_draw(html_page *p, const form_view *v)
{
	size_t mc = v->check ? v->check->count : 0;
	ctx c = {p, v, v->q, v->check, NULL, NULL, NULL, NULL};
	c.mistake_shown = calloc(mc + 1, sizeof *c.mistake_shown);
	c.target = calloc(mc + 1, sizeof *c.target);
	c.label = calloc(mc + 1, sizeof *c.label);
	size_t fc = dl_questionnaire_figure_count(v->q);
	c.figure_question = malloc((fc + 1) * sizeof *c.figure_question);
	if (!c.mistake_shown || !c.target || !c.label || !c.figure_question) {
		p->failed = true;
		goto done;
	}
	for (size_t i = 0; i < fc; i++)
		c.figure_question[i] = DL_NONE;

	if (v->notice)
		html_attr(p, html_el(p, p->main, "p", v->notice), "class", "notice");
	if (v->reason_error) { /* the reason is at the bottom: say so where the page opens */
		xmlNodePtr e = html_el(p, p->main, "p", NULL);
		html_attr(p, e, "class", "error");
		html_attr(p, e, "role", "alert");
		html_link(p, e, "#f-reason", v->reason_error);
	}
	xmlNodePtr intro = html_elf(p, p->main, "p", _("%s, questionnaire %s (%s)."),
				    page_form_phase_title(v->phase), dl_questionnaire_title(v->q),
				    dl_questionnaire_version(v->q));
	html_attr(p, intro, "class", "meta");
	xmlNodePtr summary = NULL;
	if (v->check && v->check->count) {
		summary = html_el(p, p->main, "section", NULL);
		html_attr(p, summary, "id", "mistakes");
		html_attr(p, summary, "class", "mistakes");
		html_attr(p, summary, "tabindex", "-1");
		html_attr(p, summary, "role", v->check->refusals ? "alert" : "status");
	}
	xmlNodePtr form = html_form(p, p->main, "post", "/sheets");
	html_attr(p, form, "id", "sheet");
	html_attr(p, form, "class", "sheet");
	html_attr(p, form, "novalidate", NULL);
	hidden(&c, form, "questionnaire", dl_questionnaire_id(v->q));
	hidden(&c, form, "version", dl_questionnaire_version(v->q));
	hidden(&c, form, "phase", v->phase);
	if (v->replaces > 0) {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)v->replaces);
		hidden(&c, form, "replaces", id);
	}
	/* the parts of a stored sheet this form does not show travel with it, unchanged */
	bool kept = false;
	for (size_t i = 0; i < v->n; i++)
		if (strncmp(v->fields[i].name, "keep.", 5) == 0) {
			hidden(&c, form, v->fields[i].name, v->fields[i].value);
			kept = true;
		}
	if (kept)
		html_attr(p, html_el(p, form, "p", _("This sheet also holds parts this form does not show "
						      "(the profile, the retrofit plan, invoices, materials "
						      "or on-site checks); they are kept as they are.")),
			  "class", "hint");
	score_line(&c, form);
	enterprise(&c, form);
	assessment(&c, form);
	questions(&c, form);
	scenarios(&c, form);
	retrofit(&c, form);
	if (v->frozen)
		change_reason(&c, form);
	xmlNodePtr actions = html_el(p, form, "div", NULL);
	html_attr(p, actions, "class", "actions");
	xmlNodePtr b = html_el(p, actions, "button", _("Save draft"));
	html_attr(p, b, "type", "submit");
	html_attr(p, b, "name", "action");
	html_attr(p, b, "value", "draft");
	b = html_el(p, actions, "button", _("Submit"));
	html_attr(p, b, "type", "submit");
	html_attr(p, b, "name", "action");
	html_attr(p, b, "value", "submit");
	html_attr(p, b, "class", "primary");
	html_attr(p, html_el(p, form, "p", _("A draft is kept however far it is filled in. Submitting "
						 "stores the sheet only when it is complete and correct.")),
		  "class", "hint");

	if (summary) {
		size_t refusals = v->check->refusals;
		html_elf(p, summary, "h2",
			 refusals ? _("%zu things to fix: each is marked next to its field")
				  : _("%zu remarks"),
			 refusals ? refusals : v->check->count);
		xmlNodePtr ul = html_el(p, summary, "ul", NULL);
		for (size_t i = 0; i < v->check->count; i++) {
			const form_mistake *m = &v->check->mistakes[i];
			xmlNodePtr li = html_el(p, ul, "li", NULL);
			char t[DL_ERROR_MESSAGE_MAX + 220];
			if (c.mistake_shown[i]) {
				char href[120];
				snprintf(href, sizeof href, "#%s", c.target[i]);
				if (*c.label[i])
					snprintf(t, sizeof t, _("%s: %s"), c.label[i], m->message);
				else
					snprintf(t, sizeof t, "%s", m->message);
				html_link(p, li, href, t);
			} else {
				html_text(p, li, m->message);
			}
		}
	}
done:
	free(c.mistake_shown);
	free(c.target);
	free(c.label);
	free(c.figure_question);
}
