/*
 * form_sheet.c: the questionnaire form's fields as an answer sheet, and back (form_sheet.h).
 *
 * The sheet is built as a libxml2 tree (every text and attribute escaped by the serialiser) and
 * written with one element per line. Each element remembers the form fields it holds; the written
 * text is parsed again and walked beside the tree, so that the line of every element, as the
 * library's diagnostics give it, is known for certain rather than counted. The library then loads
 * and checks the text exactly as it checks a file: a form cannot be judged otherwise than the same
 * sheet given to `digilevel validate`.
 */
#include "form_sheet.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

/* ---- fields ---------------------------------------------------------------------------------- */

int form_fields_add(form_fields *f, const char *name, const char *value)
{
	if (f->failed)
		return DL_ENOMEM;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		srv_field *grown = realloc(f->v, cap * sizeof *grown);
		if (!grown) {
			f->failed = true;
			return DL_ENOMEM;
		}
		f->v = grown;
		f->cap = cap;
	}
	srv_field *e = &f->v[f->n];
	memset(e, 0, sizeof *e);
	e->name = strdup(name);
	e->value = strdup(value ? value : "");
	if (!e->name || !e->value) {
		free(e->name);
		free(e->value);
		f->failed = true;
		return DL_ENOMEM;
	}
	e->len = strlen(e->value);
	f->n++;
	return 0;
}

void form_fields_free(form_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

const char *form_value(const srv_field *fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return fields[i].value;
	return NULL;
}

bool form_has(const srv_field *fields, size_t n, const char *name, const char *value)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0 && strcmp(fields[i].value, value) == 0)
			return true;
	return false;
}

/* ---- building the sheet ---------------------------------------------------------------------- */

typedef struct build {
	const srv_field *fields;
	size_t n;
	const form_fields *skip;
	xmlDocPtr doc;
	char **tags; /* the fields of each tagged element ('\n'-separated); node->_private = index + 1 */
	size_t tag_count, tag_cap;
	int rc;
	char name[96]; /* scratch for field names */
} build;

static bool skipped(const build *b, const char *name)
{
	return b->skip && form_value(b->skip->v, b->skip->n, name) != NULL;
}

/* The value of field name as the sheet gets it: "" when absent or skipped, line breaks as LF. The
 * result is owned by the caller (free). NULL: out of memory. */
static char *value(build *b, const char *name)
{
	const char *v = skipped(b, name) ? NULL : form_value(b->fields, b->n, name);
	char *out = strdup(v ? v : "");
	if (!out) {
		b->rc = DL_ENOMEM;
		return NULL;
	}
	char *w = out;
	for (const char *r = out; *r; r++) {
		if (*r == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return out;
}

static bool filled(build *b, const char *name)
{
	const char *v = skipped(b, name) ? NULL : form_value(b->fields, b->n, name);
	return v && *v;
}

/* Remember that node holds fields (a '\n'-separated list, the main one first). */
static void tag(build *b, xmlNodePtr node, const char *fields)
{
	if (!node || b->rc)
		return;
	if (b->tag_count == b->tag_cap) {
		size_t cap = b->tag_cap ? b->tag_cap * 2 : 256;
		char **grown = realloc(b->tags, cap * sizeof *grown);
		if (!grown) {
			b->rc = DL_ENOMEM;
			return;
		}
		b->tags = grown;
		b->tag_cap = cap;
	}
	if (!(b->tags[b->tag_count] = strdup(fields))) {
		b->rc = DL_ENOMEM;
		return;
	}
	node->_private = (void *)(uintptr_t)++b->tag_count;
}

/* A child element holding text (escaped when written; NULL: none). */
static xmlNodePtr child(build *b, xmlNodePtr parent, const char *name, const char *text)
{
	if (!parent || b->rc)
		return NULL;
	xmlNodePtr n = xmlNewTextChild(parent, NULL, X(name), text ? X(text) : NULL);
	if (!n)
		b->rc = DL_ENOMEM;
	return n;
}

/* A child element holding field's value, tagged with the field. */
static xmlNodePtr child_field(build *b, xmlNodePtr parent, const char *name, const char *field)
{
	char *v = value(b, field);
	if (!v)
		return NULL;
	xmlNodePtr n = child(b, parent, name, v);
	free(v);
	tag(b, n, field);
	return n;
}

static void attr(build *b, xmlNodePtr node, const char *name, const char *text)
{
	if (node && !b->rc && !xmlSetProp(node, X(name), X(text)))
		b->rc = DL_ENOMEM;
}

static void attr_field(build *b, xmlNodePtr node, const char *name, const char *field)
{
	char *v = value(b, field);
	if (v)
		attr(b, node, name, v);
	free(v);
}

/* Children with one line of field's value each (tags, evidence), blank lines left out. */
static void lines(build *b, xmlNodePtr parent, const char *name, const char *field)
{
	char *v = value(b, field);
	if (!v)
		return;
	char *save = NULL;
	for (char *line = v; line && !b->rc; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		size_t len = strlen(line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line)
			tag(b, child(b, parent, name, line), field);
	}
	free(v);
}

static const char *field_name(build *b, const char *fmt, const char *id, const char *suffix)
{
	snprintf(b->name, sizeof b->name, fmt, id, suffix);
	return b->name;
}

/* A part of a stored sheet the form does not show, put back as it was (keep.NAME). */
static void keep(build *b, xmlNodePtr parent, const char *name)
{
	char field[64];
	snprintf(field, sizeof field, "keep.%s", name);
	if (!filled(b, field) || !parent || b->rc)
		return;
	const char *text = form_value(b->fields, b->n, field);
	size_t len = strlen(text);
	xmlDocPtr part = len < INT32_MAX ? xmlReadMemory(text, (int)len, "part.xml", "UTF-8",
							 XML_PARSE_NONET | XML_PARSE_NOBLANKS |
								 XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
					  : NULL;
	xmlNodePtr root = part ? xmlDocGetRootElement(part) : NULL;
	if (!root || part->intSubset || strcmp((const char *)root->name, name) != 0) {
		xmlFreeDoc(part);
		b->rc = DL_EINVALID;
		return;
	}
	xmlNodePtr copy = xmlDocCopyNode(root, b->doc, 1);
	xmlFreeDoc(part);
	if (!copy || !xmlAddChild(parent, copy)) {
		xmlFreeNode(copy);
		b->rc = DL_ENOMEM;
		return;
	}
	/* every element of the part belongs to the keep field */
	for (xmlNodePtr n = copy; n && !b->rc;) {
		if (n->type == XML_ELEMENT_NODE)
			tag(b, n, field);
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && n != copy && !n->next)
			n = n->parent;
		n = (n && n != copy) ? n->next : NULL;
	}
}

/* The highest N of the fields "PREFIX.N.", at most limit. */
static size_t rows(const build *b, const char *prefix, size_t limit)
{
	size_t max = 0, pl = strlen(prefix);
	for (size_t i = 0; i < b->n; i++) {
		const char *name = b->fields[i].name;
		if (strncmp(name, prefix, pl) != 0)
			continue;
		char *end;
		unsigned long k = strtoul(name + pl, &end, 10);
		if (end != name + pl && *end == '.' && k > max && k <= limit)
			max = k;
	}
	return max;
}

static const char *const ASSESSOR_ATTRS[] = {"role", "title", "organisation", "contact"};
/* The duties in the schema's order (the DL_DUTY_* bits, lowest first). */
static const unsigned DUTIES[] = {DL_DUTY_LEAD,     DL_DUTY_EXPERT,   DL_DUTY_MEMBER,
				  DL_DUTY_COMPILER, DL_DUTY_REVIEWER, DL_DUTY_APPROVER,
				  DL_DUTY_ENTERPRISE_CONTACT, DL_DUTY_SUPERVISOR};

static void enterprise(build *b, xmlNodePtr root)
{
	xmlNodePtr e = child(b, root, "enterprise", NULL);
	static const struct {
		const char *element;
		bool required;
	} parts[] = {{"name", true},      {"credit-code", true}, {"region", false},
		     {"address", false},  {"industry", true},    {"scale", true},
		     {"employees", false}, {"main-products", false}};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		char field[64];
		snprintf(field, sizeof field, "e.%s", parts[i].element);
		if (parts[i].required || filled(b, field))
			child_field(b, e, parts[i].element, field);
	}
	if (filled(b, "e.tags")) {
		xmlNodePtr tags = child(b, e, "tags", NULL);
		tag(b, tags, "e.tags");
		lines(b, tags, "tag", "e.tags");
		if (tags && !tags->children) { /* only blank lines */
			xmlUnlinkNode(tags);
			xmlFreeNode(tags);
		}
	}
}

static void assessment(build *b, xmlNodePtr root)
{
	xmlNodePtr a = child(b, root, "assessment", NULL);
	attr_field(b, a, "phase", "phase");
	attr_field(b, a, "date", "a.date");
	tag(b, a, "a.date");
	child_field(b, a, "organisation", "a.organisation");
	size_t count = rows(b, "as.", 99);
	for (size_t i = 1; i <= count && !b->rc; i++) {
		char id[16], f[5][48];
		snprintf(id, sizeof id, "%zu", i);
		snprintf(f[0], sizeof f[0], "as.%s.name", id);
		bool any = filled(b, f[0]);
		for (size_t k = 0; k < 4; k++) {
			snprintf(f[k + 1], sizeof f[k + 1], "as.%s.%s", id, ASSESSOR_ATTRS[k]);
			any = any || filled(b, f[k + 1]);
		}
		if (!any)
			continue;
		xmlNodePtr as = child(b, a, "assessor", NULL);
		attr_field(b, as, "name", f[0]);
		for (size_t k = 0; k < 4; k++)
			if (filled(b, f[k + 1]))
				attr_field(b, as, ASSESSOR_ATTRS[k], f[k + 1]);
		char duty_field[48], duty[200] = "";
		size_t dl = 0;
		snprintf(duty_field, sizeof duty_field, "as.%s.duty", id);
		for (size_t d = 0; d < sizeof DUTIES / sizeof DUTIES[0]; d++)
			if (!skipped(b, duty_field) &&
			    form_has(b->fields, b->n, duty_field, dl_duty_name(DUTIES[d])))
				dl += (size_t)snprintf(duty + dl, sizeof duty - dl, "%s%s", dl ? " " : "",
						       dl_duty_name(DUTIES[d]));
		if (*duty)
			attr(b, as, "duty", duty);
		char tags[6 * 48 + 8];
		snprintf(tags, sizeof tags, "%s\n%s\n%s\n%s\n%s\n%s", f[0], f[1], f[2], f[3], f[4],
			 duty_field);
		tag(b, as, tags);
	}
}

static void figures(build *b, const dl_questionnaire *q, xmlNodePtr root)
{
	xmlNodePtr figs = NULL;
	for (size_t i = 0; i < dl_questionnaire_figure_count(q) && !b->rc; i++) {
		const char *f = field_name(b, "f.%s%s", dl_questionnaire_figure_id(q, i), "");
		if (!filled(b, f))
			continue;
		if (!figs)
			figs = child(b, root, "figures", NULL);
		char field[96];
		snprintf(field, sizeof field, "%s", f);
		xmlNodePtr n = child_field(b, figs, "figure", field);
		attr(b, n, "id", dl_questionnaire_figure_id(q, i));
	}
}

/* note and evidence of a question or scenario (PREFIX.ID.note, PREFIX.ID.evidence) */
static void annotation(build *b, xmlNodePtr parent, const char *prefix, const char *id)
{
	char field[96];
	snprintf(field, sizeof field, "%s.%s.note", prefix, id);
	if (filled(b, field))
		child_field(b, parent, "note", field);
	snprintf(field, sizeof field, "%s.%s.evidence", prefix, id);
	if (filled(b, field))
		lines(b, parent, "evidence", field);
}

static void answers(build *b, const dl_questionnaire *q, xmlNodePtr root)
{
	xmlNodePtr all = child(b, root, "answers", NULL);
	for (size_t qi = 0; qi < dl_questionnaire_question_count(q) && !b->rc; qi++) {
		const char *id = dl_questionnaire_question_id(q, qi);
		char field[96];
		snprintf(field, sizeof field, "q.%s", id);
		xmlNodePtr a = child(b, all, "answer", NULL);
		attr(b, a, "question", id);
		tag(b, a, field);
		if (!skipped(b, field)) {
			/* the options chosen, in the questionnaire's order; any other id as sent, so that
			 * the library names it */
			for (size_t oi = 0; oi < dl_questionnaire_option_count(q, qi); oi++) {
				const char *opt = dl_questionnaire_option_id(q, qi, oi);
				if (form_has(b->fields, b->n, field, opt)) {
					xmlNodePtr c = child(b, a, "choose", NULL);
					attr(b, c, "option", opt);
					tag(b, c, field);
				}
			}
			for (size_t i = 0; i < b->n; i++)
				if (strcmp(b->fields[i].name, field) == 0 && *b->fields[i].value &&
				    dl_questionnaire_option_find(q, qi, b->fields[i].value) == DL_NONE) {
					xmlNodePtr c = child(b, a, "choose", NULL);
					attr(b, c, "option", b->fields[i].value);
					tag(b, c, field);
				}
		}
		snprintf(field, sizeof field, "q.%s.value", id);
		if (filled(b, field))
			child_field(b, a, "value", field);
		annotation(b, a, "q", id);
	}
}

static void scenarios(build *b, const dl_questionnaire *q, xmlNodePtr root)
{
	if (dl_questionnaire_scenario_count(q) == 0)
		return;
	xmlNodePtr all = child(b, root, "scenarios", NULL);
	for (size_t si = 0; si < dl_questionnaire_scenario_count(q) && !b->rc; si++) {
		const char *id = dl_questionnaire_scenario_id(q, si);
		char field[96];
		snprintf(field, sizeof field, "s.%s", id);
		xmlNodePtr s = child(b, all, "scenario", NULL);
		attr(b, s, "id", id);
		attr_field(b, s, "level", field);
		tag(b, s, field);
		annotation(b, s, "s", id);
	}
}

static bool any_filled(build *b, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < b->n; i++)
		if (strncmp(b->fields[i].name, prefix, pl) == 0 && *b->fields[i].value &&
		    !skipped(b, b->fields[i].name))
			return true;
	return false;
}

static void retrofit(build *b, xmlNodePtr root)
{
	if (!any_filled(b, "r.") && !any_filled(b, "keep.finance") &&
	    !any_filled(b, "keep.public-funds") && !any_filled(b, "keep.materials") &&
	    !any_filled(b, "keep.onsite"))
		return;
	xmlNodePtr r = child(b, root, "retrofit", NULL);
	attr_field(b, r, "attempt", "r.attempt");
	tag(b, r, "r.attempt");
	xmlNodePtr c = child_field(b, r, "contract", "r.contract");
	static const char *const contract_attrs[] = {"number", "amount", "signed"};
	for (size_t i = 0; i < 3; i++) {
		char field[48];
		snprintf(field, sizeof field, "r.contract.%s", contract_attrs[i]);
		if (filled(b, field))
			attr_field(b, c, contract_attrs[i], field);
	}
	tag(b, c, "r.contract\nr.contract.amount\nr.contract.signed\nr.contract.number");
	xmlNodePtr p = child_field(b, r, "provider", "r.provider");
	if (filled(b, "r.provider.satisfaction"))
		attr_field(b, p, "satisfaction", "r.provider.satisfaction");
	tag(b, p, "r.provider\nr.provider.satisfaction");
	child_field(b, r, "scope", "r.scope");
	child_field(b, r, "completed", "r.completed");
	child_field(b, r, "applied", "r.applied");
	xmlNodePtr inv = child(b, r, "investment", NULL);
	tag(b, inv, "r.inv.1.amount");
	size_t count = rows(b, "r.inv.", 500);
	static const char *const item_attrs[] = {"category", "amount", "id", "net"};
	for (size_t i = 1; i <= count && !b->rc; i++) {
		char f[5][48], prefix[32];
		snprintf(prefix, sizeof prefix, "r.inv.%zu.", i);
		if (!any_filled(b, prefix))
			continue;
		snprintf(f[0], sizeof f[0], "r.inv.%zu.text", i);
		for (size_t k = 0; k < 4; k++)
			snprintf(f[k + 1], sizeof f[k + 1], "r.inv.%zu.%s", i, item_attrs[k]);
		xmlNodePtr item = child_field(b, inv, "item", f[0]);
		for (size_t k = 0; k < 4; k++)
			if (k < 2 || filled(b, f[k + 1]))
				attr_field(b, item, item_attrs[k], f[k + 1]);
		char tags[5 * 48 + 8];
		snprintf(tags, sizeof tags, "%s\n%s\n%s\n%s\n%s", f[2], f[1], f[3], f[4], f[0]);
		tag(b, item, tags);
	}
	keep(b, r, "finance");
	keep(b, r, "public-funds");
	keep(b, r, "materials");
	keep(b, r, "onsite");
}

/* Walk the built tree and the parsed text side by side (the same elements in the same order) and
 * note the line of every tagged element. */
static int map_lines(build *b, xmlNodePtr built, xmlNodePtr parsed, form_xml *out)
{
	while (built && parsed) {
		if (built->type != XML_ELEMENT_NODE) {
			built = built->next;
			continue;
		}
		if (parsed->type != XML_ELEMENT_NODE) {
			parsed = parsed->next;
			continue;
		}
		uintptr_t t = (uintptr_t)built->_private;
		long line = xmlGetLineNo(parsed);
		if (t && line > 0 && (size_t)line <= out->line_count && !out->line_fields[line - 1]) {
			if (!(out->line_fields[line - 1] = strdup(b->tags[t - 1])))
				return DL_ENOMEM;
		}
		int rc = map_lines(b, built->children, parsed->children, out);
		if (rc)
			return rc;
		built = built->next;
		parsed = parsed->next;
	}
	return 0;
}

int form_sheet_build(const dl_questionnaire *q, const srv_field *fields, size_t n,
		     const form_fields *skip, form_xml *out)
{
	memset(out, 0, sizeof *out);
	build b = {.fields = fields, .n = n, .skip = skip};
	xmlChar *mem = NULL;
	int size = 0;
	xmlDocPtr parsed = NULL;
	if (!(b.doc = xmlNewDoc(X("1.0")))) {
		b.rc = DL_ENOMEM;
		goto done;
	}
	xmlNodePtr root = xmlNewDocNode(b.doc, NULL, X("answer-sheet"), NULL);
	if (!root) {
		b.rc = DL_ENOMEM;
		goto done;
	}
	xmlDocSetRootElement(b.doc, root);
	attr(&b, root, "questionnaire", dl_questionnaire_id(q));
	attr(&b, root, "version", dl_questionnaire_version(q));
	enterprise(&b, root);
	keep(&b, root, "profile");
	assessment(&b, root);
	figures(&b, q, root);
	answers(&b, q, root);
	scenarios(&b, q, root);
	keep(&b, root, "retrofit-plan");
	retrofit(&b, root);
	if (b.rc)
		goto done;
	xmlDocDumpFormatMemoryEnc(b.doc, &mem, &size, "UTF-8", 1);
	if (!mem || size <= 0) {
		b.rc = DL_ENOMEM;
		goto done;
	}
	out->len = (size_t)size;
	if (!(out->xml = malloc(out->len + 1))) {
		b.rc = DL_ENOMEM;
		goto done;
	}
	memcpy(out->xml, mem, out->len);
	out->xml[out->len] = '\0';
	for (size_t i = 0; i < out->len; i++)
		out->line_count += out->xml[i] == '\n';
	out->line_count++;
	if (!(out->line_fields = calloc(out->line_count, sizeof *out->line_fields))) {
		b.rc = DL_ENOMEM;
		goto done;
	}
	/* Values were checked to be text XML can hold (form_sheet_check), so the text parses; if it
	 * does not, lines are simply not known. */
	parsed = xmlReadMemory(out->xml, size, "form.xml", "UTF-8",
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (parsed)
		b.rc = map_lines(&b, root, xmlDocGetRootElement(parsed), out);
done:
	xmlFree(mem);
	xmlFreeDoc(parsed);
	xmlFreeDoc(b.doc);
	for (size_t i = 0; i < b.tag_count; i++)
		free(b.tags[i]);
	free(b.tags);
	if (b.rc)
		form_xml_free(out);
	return b.rc;
}

void form_xml_free(form_xml *x)
{
	for (size_t i = 0; x->line_fields && i < x->line_count; i++)
		free(x->line_fields[i]);
	free(x->line_fields);
	free(x->xml);
	memset(x, 0, sizeof *x);
}

const char *form_xml_field(const form_xml *x, const srv_field *fields, size_t n, unsigned long line,
			   const char *message, char *found, size_t size)
{
	if (line == 0 || line > x->line_count || !x->line_fields[line - 1])
		return NULL;
	const char *list = x->line_fields[line - 1];
	const char *first_end = strchr(list, '\n');
	/* the field whose typed value the message quotes, if the line holds several */
	for (const char *p = first_end ? list : NULL; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len < size) {
			memcpy(found, p, len);
			found[len] = '\0';
			const char *v = form_value(fields, n, found);
			char quoted[600];
			if (v && *v && strlen(v) < 500) {
				snprintf(quoted, sizeof quoted, "「%s」", v);
				if (strstr(message, quoted))
					return found;
				snprintf(quoted, sizeof quoted, "'%s'", v);
				if (strstr(message, quoted))
					return found;
			}
		}
		p = e ? e + 1 : NULL;
	}
	size_t len = first_end ? (size_t)(first_end - list) : strlen(list);
	if (len >= size)
		return NULL;
	memcpy(found, list, len);
	found[len] = '\0';
	return found;
}

/* ---- checking -------------------------------------------------------------------------------- */

typedef struct collect {
	form_check *c;
	const srv_field *fields;
	size_t n;
	const form_xml *x;
	const form_fields *skip;
	form_fields *unreadable; /* fields with a refusal while loading: left out on the next pass */
	int rc;
} collect;

static int add_mistake(form_check *c, const char *field, const char *message, bool warning)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->mistakes[i].field, field) == 0 &&
		    strcmp(c->mistakes[i].message, message) == 0)
			return 0;
	form_mistake *grown = realloc(c->mistakes, (c->count + 1) * sizeof *grown);
	if (!grown)
		return DL_ENOMEM;
	c->mistakes = grown;
	form_mistake *m = &c->mistakes[c->count++];
	snprintf(m->field, sizeof m->field, "%s", field);
	snprintf(m->message, sizeof m->message, "%s", message);
	m->warning = warning;
	if (!warning)
		c->refusals++;
	return 0;
}

static void on_diag(const dl_error *d, void *userdata)
{
	collect *k = userdata;
	char buf[96];
	const char *field = form_xml_field(k->x, k->fields, k->n, d->line, d->message, buf, sizeof buf);
	if (field && k->skip && form_value(k->skip->v, k->skip->n, field))
		return; /* a value left out on purpose: its mistake is already known */
	for (size_t i = 0; k->skip && i < k->skip->n; i++)
		if (strncmp(k->skip->v[i].name, "f.", 2) == 0 && strstr(d->message, k->skip->v[i].name + 2))
			return; /* what follows from a figure left out: the figure's mistake says it */
	if (!k->rc)
		k->rc = add_mistake(k->c, field ? field : "", d->message, d->code == DL_OK);
	if (!k->rc && field && d->code != DL_OK && k->unreadable)
		k->rc = form_fields_add(k->unreadable, field, "");
}

/* Whether s is UTF-8 text an XML document can hold (no C0 controls but tab and line breaks). */
static bool xml_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x80) {
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				return false;
			p++;
			continue;
		}
		size_t len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
		if (!len || (len == 2 && *p < 0xC2))
			return false;
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		p += len;
	}
	return true;
}

int form_sheet_check(const dl_questionnaire *q, const srv_field *fields, size_t n, bool partial,
		     form_check *out)
{
	memset(out, 0, sizeof *out);
	form_fields skip = {0};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!xml_text(fields[i].value)) {
			rc = add_mistake(out, fields[i].name,
					 _("this field holds characters that are not text (an invisible control "
					   "character); type it again"),
					 false);
			if (rc == 0)
				rc = form_fields_add(&skip, fields[i].name, "");
		}
	/* Pass 1 checks the sheet as typed; when values cannot be read, the next pass leaves them out
	 * and checks the rest. A value is left out once, so this ends. */
	for (int pass = 0; rc == 0 && pass < 4; pass++) {
		form_xml x;
		rc = form_sheet_build(q, fields, n, &skip, &x);
		if (rc == DL_EINVALID) { /* a keep.* part that is not XML: leave the parts out */
			static const char *const parts[] = {"keep.profile", "keep.retrofit-plan",
							    "keep.finance", "keep.public-funds",
							    "keep.materials", "keep.onsite"};
			rc = 0;
			for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++)
				if (form_value(fields, n, parts[i]) && !form_value(skip.v, skip.n, parts[i])) {
					rc = add_mistake(out, parts[i],
							 _("a part of the stored sheet was changed and cannot be read"),
							 false);
					if (rc == 0)
						rc = form_fields_add(&skip, parts[i], "");
				}
			continue;
		}
		if (rc)
			break;
		form_fields unreadable = {0};
		collect k = {out, fields, n, &x, &skip, &unreadable, 0};
		dl_load_options opts = DL_LOAD_OPTIONS_INIT;
		opts.diag = on_diag;
		opts.diag_data = &k;
		dl_sheet *sheet = NULL;
		int load = dl_sheet_load_memory(&sheet, x.xml, x.len, "form.xml", &opts, NULL);
		if (load == 0) {
			k.unreadable = NULL;
			dl_score_options so = DL_SCORE_OPTIONS_INIT;
			so.partial = partial;
			dl_result *r = NULL;
			int sc = dl_score_with(&r, q, sheet, &opts, &so, NULL);
			if (sc == DL_ENOMEM)
				k.rc = DL_ENOMEM;
			if (skip.n == 0) {
				out->sheet = sheet;
				out->result = r;
				sheet = NULL;
				r = NULL;
			}
			dl_result_free(r);
		}
		dl_sheet_free(sheet);
		rc = k.rc ? k.rc : unreadable.failed ? DL_ENOMEM : 0;
		if (load == DL_ENOMEM)
			rc = DL_ENOMEM;
		bool again = false;
		for (size_t i = 0; rc == 0 && load != 0 && i < unreadable.n; i++)
			if (!form_value(skip.v, skip.n, unreadable.v[i].name)) {
				rc = form_fields_add(&skip, unreadable.v[i].name, "");
				again = true;
			}
		form_fields_free(&unreadable);
		if (pass == 0 || !out->xml.xml) {
			form_xml_free(&out->xml);
			out->xml = x;
		} else {
			form_xml_free(&x);
		}
		if (load != 0 && !again && rc == 0 && out->count == 0)
			rc = add_mistake(out, "", _("the sheet could not be read"), false);
		if (!again)
			break;
	}
	form_fields_free(&skip);
	if (rc)
		form_check_free(out);
	return rc;
}

void form_check_free(form_check *c)
{
	form_xml_free(&c->xml);
	free(c->mistakes);
	dl_result_free(c->result);
	dl_sheet_free(c->sheet);
	memset(c, 0, sizeof *c);
}

int form_sheet_bands(const dl_questionnaire *q, const srv_field *fields, size_t n, dl_result **out)
{
	*out = NULL;
	/* stand-ins for everything but the figures, answers and scenarios (a fictitious enterprise's
	 * valid credit code, examples/textile-before.xml) */
	static const char *const stand_in[][2] = {
		{"e.name", "-"},      {"e.credit-code", "91640303MA76RT3C9U"}, {"e.industry", "-"},
		{"e.scale", "规上"}, {"a.date", "2025-01-01"},               {"a.organisation", "-"},
		{"phase", "self-check"}};
	form_fields f = {0};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof stand_in / sizeof stand_in[0]; i++)
		rc = form_fields_add(&f, stand_in[i][0], stand_in[i][1]);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *name = fields[i].name;
		size_t len = strlen(name);
		bool note = (len > 5 && strcmp(name + len - 5, ".note") == 0) ||
			    (len > 9 && strcmp(name + len - 9, ".evidence") == 0);
		if (!note && (strncmp(name, "f.", 2) == 0 || strncmp(name, "q.", 2) == 0 ||
			      strncmp(name, "s.", 2) == 0))
			rc = form_fields_add(&f, name, fields[i].value);
	}
	form_check c;
	if (rc == 0 && (rc = form_sheet_check(q, f.v, f.n, true, &c)) == 0) {
		*out = c.result;
		c.result = NULL;
		form_check_free(&c);
	}
	form_fields_free(&f);
	return rc;
}

/* ---- the way back ---------------------------------------------------------------------------- */

typedef struct back {
	xmlDocPtr doc;
	form_fields *out;
	int rc;
} back;

static void put(back *k, const char *name, const char *v)
{
	if (!k->rc)
		k->rc = form_fields_add(k->out, name, v);
}

static void put_text(back *k, const char *name, xmlNodePtr node)
{
	xmlChar *t = xmlNodeGetContent(node);
	if (!t && !k->rc) {
		k->rc = DL_ENOMEM;
		return;
	}
	put(k, name, (const char *)t);
	xmlFree(t);
}

static void put_attr(back *k, const char *name, xmlNodePtr node, const char *attr_name)
{
	xmlChar *v = xmlGetProp(node, X(attr_name));
	if (v)
		put(k, name, (const char *)v);
	xmlFree(v);
}

static bool is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* A part the form does not show, as its XML text. */
static void put_kept(back *k, xmlNodePtr node)
{
	xmlBufferPtr buf = xmlBufferCreate();
	if (!buf || xmlNodeDump(buf, k->doc, node, 0, 0) < 0) {
		xmlBufferFree(buf);
		if (!k->rc)
			k->rc = DL_ENOMEM;
		return;
	}
	char name[64];
	snprintf(name, sizeof name, "keep.%s", (const char *)node->name);
	put(k, name, (const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
}

/* Lines of the texts of node's children called name, as one value. */
static void put_lines(back *k, const char *field, xmlNodePtr node, const char *name)
{
	size_t len = 0;
	char *joined = NULL;
	for (xmlNodePtr c = node->children; c && !k->rc; c = c->next) {
		if (!is(c, name))
			continue;
		xmlChar *t = xmlNodeGetContent(c);
		size_t tl = t ? strlen((const char *)t) : 0;
		char *grown = t ? realloc(joined, len + tl + 2) : NULL;
		if (!grown) {
			xmlFree(t);
			k->rc = DL_ENOMEM;
			break;
		}
		joined = grown;
		if (len)
			joined[len++] = '\n';
		memcpy(joined + len, t, tl);
		len += tl;
		joined[len] = '\0';
		xmlFree(t);
	}
	if (joined)
		put(k, field, joined);
	free(joined);
}

static void back_annotated(back *k, const char *prefix, const char *id, xmlNodePtr node)
{
	char field[96];
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (is(c, "note")) {
			snprintf(field, sizeof field, "%s.%s.note", prefix, id);
			put_text(k, field, c);
		}
	snprintf(field, sizeof field, "%s.%s.evidence", prefix, id);
	put_lines(k, field, node, "evidence");
}

static void back_assessment(back *k, xmlNodePtr a)
{
	put_attr(k, "phase", a, "phase");
	put_attr(k, "a.date", a, "date");
	size_t i = 0;
	for (xmlNodePtr c = a->children; c && !k->rc; c = c->next) {
		if (is(c, "organisation"))
			put_text(k, "a.organisation", c);
		if (!is(c, "assessor"))
			continue;
		char field[48];
		i++;
		static const char *const attrs[] = {"name", "role", "title", "organisation", "contact"};
		for (size_t j = 0; j < 5; j++) {
			snprintf(field, sizeof field, "as.%zu.%s", i, attrs[j]);
			put_attr(k, field, c, attrs[j]);
		}
		xmlChar *duty = xmlGetProp(c, X("duty"));
		snprintf(field, sizeof field, "as.%zu.duty", i);
		for (const char *p = (const char *)duty; p && *p;) {
			size_t wl = strcspn(p, " \t\n");
			if (wl) {
				char word[32];
				snprintf(word, sizeof word, "%.*s", (int)(wl < 31 ? wl : 31), p);
				put(k, field, word);
			}
			p += wl;
			p += strspn(p, " \t\n");
		}
		xmlFree(duty);
	}
}

static void back_retrofit(back *k, xmlNodePtr r)
{
	put_attr(k, "r.attempt", r, "attempt");
	for (xmlNodePtr c = r->children; c && !k->rc; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, "contract")) {
			put_text(k, "r.contract", c);
			put_attr(k, "r.contract.number", c, "number");
			put_attr(k, "r.contract.amount", c, "amount");
			put_attr(k, "r.contract.signed", c, "signed");
		} else if (is(c, "provider")) {
			put_text(k, "r.provider", c);
			put_attr(k, "r.provider.satisfaction", c, "satisfaction");
		} else if (is(c, "scope") || is(c, "completed") || is(c, "applied")) {
			char field[32];
			snprintf(field, sizeof field, "r.%s", (const char *)c->name);
			put_text(k, field, c);
		} else if (is(c, "investment")) {
			size_t i = 0;
			for (xmlNodePtr item = c->children; item && !k->rc; item = item->next) {
				if (!is(item, "item"))
					continue;
				char field[48];
				i++;
				snprintf(field, sizeof field, "r.inv.%zu.text", i);
				put_text(k, field, item);
				static const char *const attrs[] = {"category", "amount", "id", "net"};
				for (size_t j = 0; j < 4; j++) {
					snprintf(field, sizeof field, "r.inv.%zu.%s", i, attrs[j]);
					put_attr(k, field, item, attrs[j]);
				}
			}
		} else {
			put_kept(k, c); /* finance, public-funds, materials, onsite */
		}
	}
}

int form_sheet_fields(const char *xml, size_t len, form_fields *out)
{
	memset(out, 0, sizeof *out);
	if (len > INT32_MAX)
		return DL_ELIMIT;
	back k = {NULL, out, 0};
	k.doc = xmlReadMemory(xml, (int)len, "sheet.xml", "UTF-8",
			      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNodePtr root = k.doc ? xmlDocGetRootElement(k.doc) : NULL;
	if (!root || k.doc->intSubset || !is(root, "answer-sheet")) {
		xmlFreeDoc(k.doc);
		return DL_EINVALID;
	}
	put_attr(&k, "questionnaire", root, "questionnaire");
	put_attr(&k, "version", root, "version");
	for (xmlNodePtr part = root->children; part && !k.rc; part = part->next) {
		if (part->type != XML_ELEMENT_NODE)
			continue;
		if (is(part, "enterprise")) {
			for (xmlNodePtr c = part->children; c && !k.rc; c = c->next) {
				char field[64];
				if (is(c, "tags")) {
					put_lines(&k, "e.tags", c, "tag");
				} else if (c->type == XML_ELEMENT_NODE) {
					snprintf(field, sizeof field, "e.%s", (const char *)c->name);
					put_text(&k, field, c);
				}
			}
		} else if (is(part, "assessment")) {
			back_assessment(&k, part);
		} else if (is(part, "figures")) {
			for (xmlNodePtr c = part->children; c && !k.rc; c = c->next) {
				xmlChar *id = is(c, "figure") ? xmlGetProp(c, X("id")) : NULL;
				if (id) {
					char field[96];
					snprintf(field, sizeof field, "f.%s", (const char *)id);
					xmlChar *t = xmlNodeGetContent(c);
					/* as written, without the blanks around it (the library trims them) */
					const char *s = t ? (const char *)t : "";
					while (*s == ' ' || *s == '\t' || *s == '\n')
						s++;
					size_t sl = strlen(s);
					while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t' || s[sl - 1] == '\n'))
						sl--;
					char *v = strndup(s, sl);
					if (v)
						put(&k, field, v);
					else
						k.rc = DL_ENOMEM;
					free(v);
					xmlFree(t);
				}
				xmlFree(id);
			}
		} else if (is(part, "answers")) {
			for (xmlNodePtr a = part->children; a && !k.rc; a = a->next) {
				xmlChar *id = is(a, "answer") ? xmlGetProp(a, X("question")) : NULL;
				if (!id)
					continue;
				char field[96];
				for (xmlNodePtr c = a->children; c && !k.rc; c = c->next) {
					if (is(c, "choose")) {
						snprintf(field, sizeof field, "q.%s", (const char *)id);
						put_attr(&k, field, c, "option");
					} else if (is(c, "value")) {
						snprintf(field, sizeof field, "q.%s.value", (const char *)id);
						put_text(&k, field, c);
					}
				}
				back_annotated(&k, "q", (const char *)id, a);
				xmlFree(id);
			}
		} else if (is(part, "scenarios")) {
			for (xmlNodePtr s = part->children; s && !k.rc; s = s->next) {
				xmlChar *id = is(s, "scenario") ? xmlGetProp(s, X("id")) : NULL;
				if (!id)
					continue;
				char field[96];
				snprintf(field, sizeof field, "s.%s", (const char *)id);
				put_attr(&k, field, s, "level");
				back_annotated(&k, "s", (const char *)id, s);
				xmlFree(id);
			}
		} else if (is(part, "retrofit")) {
			back_retrofit(&k, part);
		} else {
			put_kept(&k, part); /* profile, retrofit-plan */
		}
	}
	xmlFreeDoc(k.doc);
	if (k.rc)
		form_fields_free(out);
	return k.rc;
}
