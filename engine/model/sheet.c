/*
 * sheet.c: reading an answer sheet from XML into plain structs, and the public accessors.
 *
 * Loading does only what needs no questionnaire: parse, validate against sheet.xsd, copy. Meaning
 * (ids, completeness, consistency, credit code, dates) is checked by sheet_check.c against the
 * questionnaire the sheet names, so that all problems can be reported together.
 */
#include "alloc.h"
#include "decimal.h"
#include "i18n.h"
#include "load.h"
#include "money.h"
#include "sha256.h"
#include "sheet_model.h"
#include "sheet_plan.h"
#include "sheet_profile.h"
#include "sheet_fields.h"
#include "sheet_tags.h"
#include "sheet_workbook.h"
#include "workbook.h"

#include <assert.h>
#include <string.h>

static void read_annotation(dl__builder *b, const xmlNode *n, dl__annotation *a)
{
	a->note = dl__build_child_text(b, n, "note");
	a->evidence_count = dl__xml_count(n, "evidence");
	a->evidence = dl__build_array(b, a->evidence_count, sizeof(char *));
	size_t i = 0;
	for (xmlNodePtr e = dl__xml_child(n, "evidence"); e && a->evidence;
	     e = dl__xml_next(e, "evidence"))
		a->evidence[i++] = dl__build_text(b, e);
}

static void read_enterprise(dl__builder *b, const xmlNode *n)
{
	static const char *const elements[DL__ENTERPRISE_FIELDS] = {
		"name", "credit-code", "region", "address", "industry", "scale", "main-products"};
	dl_sheet *s = b->obj;
	s->enterprise_element = dl__build_pos(n);
	for (int i = 0; i < DL__ENTERPRISE_FIELDS; i++) {
		xmlNodePtr c = dl__xml_child(n, elements[i]);
		s->enterprise[i] = c ? dl__build_text(b, c) : "";
		s->enterprise_pos[i] = c ? dl__build_pos(c) : s->enterprise_element;
	}
	s->employees = -1;
	xmlNodePtr e = dl__xml_child(n, "employees");
	if (e) {
		int64_t value = 0;
		char what[200];
		if (dl__build_number(b, e, dl__sheet_field_label(e, NULL, what, sizeof(what)),
				     dl__build_text(b, e), 0, DL__EMPLOYEES_MAX, &value) == 0)
			s->employees = (long)value;
	}
	xmlNodePtr tags = dl__xml_child(n, "tags");
	if (tags) {
		s->tag_count = dl__xml_count(tags, "tag");
		s->tags = dl__build_array(b, s->tag_count, sizeof(char *));
		size_t i = 0;
		for (xmlNodePtr t = dl__xml_child(tags, "tag"); t && s->tags; t = dl__xml_next(t, "tag")) {
			const char *tag = s->tags[i++] = dl__build_text(b, t);
			if (dl__build_reported(b, t))
				continue;
			if (tag && !tag[0])
				b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(t), dl__xml_column(t),
							_("<tag> is empty: leave it out"));
			else if (tag && strchr(tag, DL__TAG_SEPARATOR))
				b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(t), dl__xml_column(t),
							_("<tag>: '%s' holds '%c', which separates tags in CSV "
							"output: give each tag its own <tag>"),
							tag, DL__TAG_SEPARATOR);
			dl__tag_check(b->d, t, tag); /* not a known title: a warning */
		}
	}
}

/* The DL_DUTY_* bits of a duty attribute, a list of names the schema has checked. */
static unsigned read_duties(const char *list)
{
	unsigned bits = 0;

	while (list != NULL && *list != '\0') {
		size_t n = strcspn(list, " \t\r\n");
		for (unsigned bit = DL_DUTY_LEAD; bit <= DL_DUTY_SUPERVISOR && n > 0; bit <<= 1)
			if (strlen(dl_duty_name(bit)) == n && strncmp(list, dl_duty_name(bit), n) == 0)
				bits |= bit;
		list += n;
		list += strspn(list, " \t\r\n");
	}
	return bits;
}

static void read_assessment(dl__builder *b, const xmlNode *n)
{
	dl_sheet *s = b->obj;
	const char *phase = dl__build_attr(b, n, "phase", "");
	s->phase = strcmp(phase, "evaluation") == 0   ? DL_PHASE_EVALUATION
		   : strcmp(phase, "self-check") == 0 ? DL_PHASE_SELF_CHECK
						      : DL_PHASE_DIAGNOSIS;
	s->date = dl__build_attr(b, n, "date", "");
	s->assessment_pos = dl__build_pos(n);
	s->organisation = dl__build_child_text(b, n, "organisation");
	s->assessor_count = dl__xml_count(n, "assessor");
	s->assessors = dl__build_array(b, s->assessor_count, sizeof(dl__assessor));
	size_t i = 0;
	for (xmlNodePtr a = dl__xml_child(n, "assessor"); a && s->assessors;
	     a = dl__xml_next(a, "assessor"), i++) {
		s->assessors[i].name = dl__build_attr(b, a, "name", "");
		s->assessors[i].role = dl__build_attr(b, a, "role", "");
		s->assessors[i].contact = dl__build_attr(b, a, "contact", "");
		s->assessors[i].organisation = dl__build_attr(b, a, "organisation", "");
		s->assessors[i].title = dl__build_attr(b, a, "title", "");
		s->assessors[i].duties = read_duties(dl__build_attr(b, a, "duty", ""));
	}
}

/*
 * The lexical checks of the values the schema leaves to the library (questionnaires/sheet.xsd:
 * decimal4, level, ref): a figure or value that is not a number, a level that is not a whole
 * number, an option in full-width letters. Each is reported as what was filled in and what was
 * expected, with the fix of a usual slip (slips.h); whether the number fits the questionnaire (its
 * bands, its top level, its options) is checked against it later.
 */
static void report_value(dl__builder *b, const xmlNode *n, const char *attribute, const char *expect,
			 const char *value, dl__slip slip, const char *fix)
{
	char label[200], msg[DL_ERROR_MESSAGE_MAX];
	if (dl__build_reported(b, n))
		return;
	dl__sheet_field_label(n, attribute, label, sizeof(label));
	dl__sheet_value_message(msg, sizeof(msg), label, expect, value, slip, fix);
	b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n), "%s", msg);
}

/*
 * text of n (a figure or a value): a number, or the slip reported. A number beyond the limit is
 * reported only with ranges, when the sheet is refused anyway (build): else the questionnaire's
 * check says it with the rest.
 */
static void check_number(dl__builder *b, const xmlNode *n, const char *text, bool ranges)
{
	int64_t v;
	int rc = text && text[0] ? dl__number_parse(text, 4, DL__DECIMAL_MAX, &v) : 0;
	if (rc == 0 || dl__build_reported(b, n) || (rc == DL__NUMBER_RANGE) != ranges)
		return;
	char fix[64];
	if (rc == DL__NUMBER_RANGE) {
		char label[200];
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("%s: '%s' is beyond the limit of %s"),
					dl__sheet_field_label(n, NULL, label, sizeof(label)), text,
					"999999999.9999");
		return;
	}
	dl__slip slip = dl__slip_number(text, DL__NUMBER_DECIMAL4, fix, sizeof(fix));
	report_value(b, n, NULL, _("a number (e.g. 120 or 12.5)"), text, slip, fix);
}

static void check_level(dl__builder *b, const xmlNode *n, const char *level)
{
	int64_t v;
	if (!level || !level[0] || dl__number_parse(level, 0, 999, &v) != DL__NUMBER_MALFORMED)
		return;
	char fix[16];
	dl__slip slip = dl__slip_level(level, fix, sizeof(fix));
	report_value(b, n, "level", _("a level written as a digit (e.g. 2)"), level, slip, fix);
}

static void check_option(dl__builder *b, const xmlNode *n, const char *option)
{
	char fix[64];
	dl__slip slip = option ? dl__slip_id(option, fix, sizeof(fix)) : DL__SLIP_NONE;
	if (slip != DL__SLIP_NONE)
		report_value(b, n, "option", _("an option's letter (e.g. C)"), option, slip, fix);
}

static void read_answers(dl__builder *b, const xmlNode *n)
{
	dl_sheet *s = b->obj;
	s->answer_count = dl__build_count(b, n, "answer", DL__SHEET_ANSWERS_MAX);
	s->answers = dl__build_array(b, s->answer_count, sizeof(dl__answer));
	size_t i = 0;
	for (xmlNodePtr a = dl__xml_child(n, "answer"); a && s->answers;
	     a = dl__xml_next(a, "answer"), i++) {
		dl__answer *ans = &s->answers[i];
		ans->question = dl__build_attr(b, a, "question", "");
		ans->pos = dl__build_pos(a);
		ans->choice_count = dl__build_count(b, a, "choose", DL__SHEET_CHOICES_MAX);
		ans->choices = dl__build_array(b, ans->choice_count, sizeof(dl__choice));
		size_t k = 0;
		for (xmlNodePtr c = dl__xml_child(a, "choose"); c && ans->choices;
		     c = dl__xml_next(c, "choose"), k++) {
			ans->choices[k].option = dl__build_attr(b, c, "option", "");
			ans->choices[k].pos = dl__build_pos(c);
			check_option(b, c, ans->choices[k].option);
		}
		xmlNodePtr v = dl__xml_child(a, "value");
		if (v) {
			ans->value = dl__build_text(b, v);
			ans->value_pos = dl__build_pos(v);
			if (ans->value && !ans->value[0])
				ans->value = NULL; /* <value/> left blank */
			check_number(b, v, ans->value, false);
		}
		read_annotation(b, a, &ans->notes);
	}
}

/* An optional amount in yuan, exactly in fen; -1 when the attribute is absent. */
static int64_t optional_money(dl__builder *b, const xmlNode *n, const char *name)
{
	if (!xmlHasProp(n, BAD_CAST name))
		return -1;
	return dl__build_attr_number(b, n, name, "", 2, DL__MONEY_MAX);
}

/* The contract's number, amount and signing date, and the provider's rating. */
static void read_package_head(dl__builder *b, const xmlNode *n)
{
	dl_sheet *s = b->obj;
	xmlNodePtr c = dl__xml_child(n, "contract");
	s->contract_number = c ? dl__build_attr(b, c, "number", "") : "";
	s->contract_signed = c ? dl__build_attr(b, c, "signed", "") : "";
	s->contract_fen = c ? optional_money(b, c, "amount") : -1;
	s->contract_pos = c ? dl__build_pos(c) : s->retrofit_pos;
	xmlNodePtr p = dl__xml_child(n, "provider");
	s->satisfaction = p ? dl__build_attr(b, p, "satisfaction", "") : "";
}

/* <finance>, <public-funds>, <materials> and <onsite>; what they refer to is checked in sheet_check.c. */
static void read_package(dl__builder *b, const xmlNode *n)
{
	dl_sheet *s = b->obj;
	xmlNodePtr e;
	size_t i = 0;
	if ((e = dl__xml_child(n, "finance"))) {
		s->has_finance = true;
		s->finance_count = dl__xml_count(e, NULL);
		s->finance = dl__build_array(b, s->finance_count, sizeof(dl__finance_doc));
		for (xmlNodePtr d = dl__xml_child(e, NULL); d && s->finance; d = dl__xml_next(d, NULL)) {
			dl__finance_doc *f = &s->finance[i++];
			f->invoice = strcmp((const char *)d->name, "invoice") == 0;
			f->item = dl__build_attr(b, d, "item", "");
			f->number = dl__build_attr(b, d, f->invoice ? "number" : "reference", "");
			f->date = dl__build_attr(b, d, "date", "");
			f->fen = dl__build_attr_number(b, d, "amount", "", 2, DL__MONEY_MAX);
			f->net_fen = f->invoice ? optional_money(b, d, "net") : -1;
			f->pos = dl__build_pos(d);
		}
	}
	if ((e = dl__xml_child(n, "public-funds"))) {
		s->has_funds = true;
		s->fund_count = dl__xml_count(e, "fund");
		s->funds = dl__build_array(b, s->fund_count, sizeof(dl__fund));
		i = 0;
		for (xmlNodePtr d = dl__xml_child(e, "fund"); d && s->funds; d = dl__xml_next(d, "fund")) {
			dl__fund *f = &s->funds[i++];
			f->source = dl__build_attr(b, d, "source", "");
			f->text = dl__build_text(b, d);
			f->fen = dl__build_attr_number(b, d, "amount", "", 2, DL__MONEY_MAX);
			f->pos = dl__build_pos(d);
		}
	}
	if ((e = dl__xml_child(n, "materials"))) {
		s->has_materials = true;
		s->material_count = dl__xml_count(e, "material");
		s->materials = dl__build_array(b, s->material_count, sizeof(dl__material));
		i = 0;
		for (xmlNodePtr d = dl__xml_child(e, "material"); d && s->materials;
		     d = dl__xml_next(d, "material")) {
			dl__material *m = &s->materials[i++];
			m->id = dl__build_attr(b, d, "id", "");
			m->title = dl__build_text(b, d);
			m->status = dl__build_attr(b, d, "status", "missing");
			m->reference = dl__build_attr(b, d, "reference", "");
			m->verified_by = dl__build_attr(b, d, "verified-by", "");
			m->verified_on = dl__build_attr(b, d, "verified-on", "");
			m->pos = dl__build_pos(d);
		}
	}
	if ((e = dl__xml_child(n, "onsite"))) {
		s->has_onsite = true;
		s->check_count = dl__xml_count(e, "check");
		s->checks = dl__build_array(b, s->check_count, sizeof(dl__onsite_check));
		i = 0;
		for (xmlNodePtr d = dl__xml_child(e, "check"); d && s->checks;
		     d = dl__xml_next(d, "check")) {
			dl__onsite_check *c = &s->checks[i++];
			c->item = dl__build_attr(b, d, "item", "");
			c->note = dl__build_text(b, d);
			c->real = dl__build_attr_bool(b, d, "real");
			c->running = dl__build_attr_bool(b, d, "running");
			c->in_use = dl__build_attr_bool(b, d, "in-use");
			c->pos = dl__build_pos(d);
		}
	}
}

static void read_retrofit(dl__builder *b, const xmlNode *n)
{
	dl_sheet *s = b->obj;
	s->has_retrofit = true;
	s->retrofit_pos = dl__build_pos(n);
	s->attempt = (int)dl__build_attr_number(b, n, "attempt", "0", 0, 99); /* schema: 1-99 */
	s->contract = dl__build_child_text(b, n, "contract");
	s->provider = dl__build_child_text(b, n, "provider");
	read_package_head(b, n);
	s->scope = dl__build_child_text(b, n, "scope");
	s->completed = dl__build_child_text(b, n, "completed");
	s->applied = dl__build_child_text(b, n, "applied");
	xmlNodePtr c = dl__xml_child(n, "completed");
	xmlNodePtr a = dl__xml_child(n, "applied");
	s->completed_pos = c ? dl__build_pos(c) : s->retrofit_pos;
	s->applied_pos = a ? dl__build_pos(a) : s->retrofit_pos;
	xmlNodePtr inv = dl__xml_child(n, "investment");
	if (!inv)
		return;
	s->item_count = dl__xml_count(inv, "item");
	s->items = dl__build_array(b, s->item_count, sizeof(dl__item));
	size_t i = 0;
	for (xmlNodePtr it = dl__xml_child(inv, "item"); it && s->items;
	     it = dl__xml_next(it, "item"), i++) {
		dl__item *item = &s->items[i];
		item->category = dl__build_attr(b, it, "category", "");
		item->text = dl__build_text(b, it);
		item->pos = dl__build_pos(it);
		item->fen = dl__build_attr_number(b, it, "amount", "", 2, DL__MONEY_MAX);
		item->id = dl__build_attr(b, it, "id", "");
		item->net_fen = optional_money(b, it, "net");
	}
	read_package(b, n);
}

static void build(dl__builder *b, const dl__xml *x)
{
	dl_sheet *s = b->obj;
	const xmlNode *root = xmlDocGetRootElement(x->doc);
	dl__sha256_hex(x->data, x->len, s->digest);
	s->line_offset = b->d->line_offset;
	s->pos = dl__build_pos(root);
	s->questionnaire_id = dl__build_attr(b, root, "questionnaire", "");
	s->questionnaire_version = dl__build_attr(b, root, "version", "");
	xmlNodePtr n;
	if ((n = dl__xml_child(root, "enterprise")))
		read_enterprise(b, n);
	if ((n = dl__xml_child(root, "profile")))
		dl__sheet_read_profile(b, n);
	if ((n = dl__xml_child(root, "assessment")))
		read_assessment(b, n);
	if ((n = dl__xml_child(root, "figures"))) {
		s->figure_count = dl__build_count(b, n, "figure", DL__SHEET_FIGURES_MAX);
		s->figures = dl__build_array(b, s->figure_count, sizeof(dl__figure_value));
		size_t i = 0;
		for (xmlNodePtr f = dl__xml_child(n, "figure"); f && s->figures;
		     f = dl__xml_next(f, "figure"), i++) {
			s->figures[i].id = dl__build_attr(b, f, "id", "");
			s->figures[i].text = dl__build_text(b, f);
			s->figures[i].pos = dl__build_pos(f);
			if (!b->keep && b->x->invalid < 0) /* refused already: said here (below) */
				check_number(b, f, s->figures[i].text, false);
		}
	}
	s->answers_pos = s->scenarios_pos = s->pos;
	if ((n = dl__xml_child(root, "answers"))) {
		s->answers_pos = dl__build_pos(n);
		read_answers(b, n);
	}
	if ((n = dl__xml_child(root, "scenarios"))) {
		s->scenarios_pos = dl__build_pos(n);
		s->scenario_count = dl__build_count(b, n, "scenario", DL__SHEET_SCENARIOS_MAX);
		s->scenarios = dl__build_array(b, s->scenario_count, sizeof(dl__scenario_answer));
		size_t i = 0;
		for (xmlNodePtr c = dl__xml_child(n, "scenario"); c && s->scenarios;
		     c = dl__xml_next(c, "scenario"), i++) {
			s->scenarios[i].id = dl__build_attr(b, c, "id", "");
			s->scenarios[i].level = dl__build_attr(b, c, "level", "");
			s->scenarios[i].pos = dl__build_pos(c);
			check_level(b, c, s->scenarios[i].level);
			read_annotation(b, c, &s->scenarios[i].notes);
		}
	}
	if ((n = dl__xml_child(root, "retrofit-plan")))
		dl__sheet_read_plan(b, n);
	if ((n = dl__xml_child(root, "retrofit")))
		read_retrofit(b, n);
	/*
	 * A figure's text is checked against the questionnaire (resolve.c), which names the figure by
	 * its label ("数据项「生产设备数量」（devices_total）"), whenever that check follows: the sheet
	 * loads, or is kept to be checked though refused. A sheet refused and not kept is not checked
	 * further, so its figures are checked here, named by their ids (in document order when the
	 * schema refused it, else after what refused it), numbers beyond the limit too.
	 */
	n = dl__xml_child(root, "figures");
	if (n && !b->keep && (b->rc < 0 || b->x->invalid < 0))
		for (int ranges = b->x->invalid < 0; ranges < 2; ranges++) {
			size_t i = 0;
			for (xmlNodePtr f = dl__xml_child(n, "figure"); f && s->figures && i < s->figure_count;
			     f = dl__xml_next(f, "figure"), i++)
				check_number(b, f, s->figures[i].text, ranges);
		}
}

/*
 * A sheet refused for what it says, kept for dl_sheet_load_to_check: the elements the schema did
 * not find left their fields NULL, which the meaning checks read as text; they become "".
 */
static void refused(void *obj)
{
	dl_sheet *s = obj;
	const char **fields[] = {&s->questionnaire_id, &s->questionnaire_version, &s->date,
				 &s->organisation, &s->contract, &s->provider, &s->scope, &s->completed,
				 &s->applied, &s->contract_number, &s->contract_signed, &s->satisfaction};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!*fields[i])
			*fields[i] = "";
	for (int i = 0; i < DL__ENTERPRISE_FIELDS; i++)
		if (!s->enterprise[i])
			s->enterprise[i] = "";
}

static const dl__loader LOADER = {"answer-sheet", DL__SCHEMA_SHEET, DL__LOADER_LAYOUT(dl_sheet),
				  build, NULL, refused};

int dl_sheet_load_memory(dl_sheet **out, const char *data, size_t len, const char *name,
			 const dl_load_options *opts, dl_error *err)
{
	if (data && dl__workbook_magic(data, len)) /* an .xlsx workbook (sheet_workbook.c) */
		return dl__sheet_load_workbook(out, data, len, name, opts, err);
	void *s = NULL;
	int rc = dl__load_memory(&LOADER, &s, data, len, name, opts, err);
	if (rc == 0)
		*out = s;
	return rc;
}

int dl_sheet_load_memory_to_check(dl_sheet **out, const char *data, size_t len, const char *name,
				  const dl_load_options *opts, dl_error *err)
{
	if (data && dl__workbook_magic(data, len))
		return dl__sheet_load_workbook(out, data, len, name, opts, err);
	return dl__sheet_load_memory_keeping(out, data, len, name, opts, err);
}

int dl__sheet_load_memory_keeping(dl_sheet **out, const char *data, size_t len, const char *name,
				  const dl_load_options *opts, dl_error *err)
{
	char *copy = dl__malloc(len + 1);
	if (!copy)
		return dl__error_nomem(err, "reading a sheet");
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	void *s = NULL;
	int rc = dl__load_owned_keeping(&LOADER, &s, copy, len, name, opts, err);
	if (rc == 0 || s)
		*out = s;
	return rc;
}

int dl__sheet_load_chunk(dl_sheet **out, char *data, size_t len, const char *name,
			 unsigned long line_offset, const dl_load_options *opts, dl_error *err)
{
	void *s = NULL;
	int rc = dl__load_owned(&LOADER, &s, data, len, name, line_offset, opts, err);
	if (rc == 0)
		*out = s;
	return rc;
}

int dl__sheet_load_cells(dl_sheet **out, char *xml, size_t len, const char *name,
			 const dl__cell_map *cells, const dl_load_options *opts, dl_error *err)
{
	void *s = NULL;
	int rc = dl__load_owned_cells(&LOADER, &s, xml, len, name, cells, opts, err);
	if (rc == 0)
		*out = s;
	return rc;
}

/* The file is read once: its first bytes say whether it is an .xlsx workbook (sheet_workbook.c). */
static int load_file(dl_sheet **out, const char *path, bool keep, const dl_load_options *opts,
		     dl_error *err)
{
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag d;
	dl__diag_init(&d, opts, err, path);
	char *data = NULL;
	size_t len = 0;
	rc = dl__xml_read_file(path, opts ? opts->max_file_size : 0, &data, &len, &d);
	if (rc < 0)
		return rc;
	if (dl__workbook_magic(data, len)) {
		rc = dl__sheet_load_workbook(out, data, len, path, opts, err);
		dl__free(data);
		return rc;
	}
	void *s = NULL;
	rc = keep ? dl__load_owned_keeping(&LOADER, &s, data, len, path, opts, err)
		  : dl__load_owned(&LOADER, &s, data, len, path, 0, opts, err);
	if (rc == 0 || s) /* s with DL_EINVALID: refused, kept for dl_sheet_load_to_check */
		*out = s;
	return rc;
}

int dl_sheet_load(dl_sheet **out, const char *path, const dl_load_options *opts, dl_error *err)
{
	return load_file(out, path, false, opts, err);
}

int dl_sheet_load_to_check(dl_sheet **out, const char *path, const dl_load_options *opts,
			   dl_error *err)
{
	return load_file(out, path, true, opts, err);
}

void dl_sheet_free(dl_sheet *s)
{
	if (!s)
		return;
	dl__arena_free(&s->arena);
	dl__free(s);
}

/* --- accessors --------------------------------------------------------------------------------- */

const char *dl_sheet_path(const dl_sheet *s) { return s->path; }
const char *dl_sheet_digest(const dl_sheet *s) { return s->digest; }
const char *dl_sheet_questionnaire_id(const dl_sheet *s) { return s->questionnaire_id; }
const char *dl_sheet_questionnaire_version(const dl_sheet *s) { return s->questionnaire_version; }

const char *dl_sheet_enterprise(const dl_sheet *s, dl_enterprise_field field)
{
	assert((int)field >= 0 && (int)field < DL__ENTERPRISE_FIELDS);
	if ((int)field < 0 || (int)field >= DL__ENTERPRISE_FIELDS)
		return "";
	return s->enterprise[field] ? s->enterprise[field] : "";
}

long dl_sheet_employees(const dl_sheet *s) { return s->employees; }
size_t dl_sheet_tag_count(const dl_sheet *s) { return s->tag_count; }

const char *dl_sheet_tag(const dl_sheet *s, size_t i)
{
	assert(i < s->tag_count);
	return i < s->tag_count ? s->tags[i] : "";
}

bool dl_sheet_has_tag(const dl_sheet *s, const char *tag)
{
	for (size_t i = 0; i < s->tag_count; i++)
		if (strcmp(s->tags[i], tag) == 0)
			return true;
	return false;
}

dl_phase dl_sheet_phase(const dl_sheet *s) { return s->phase; }

const char *dl_phase_name(dl_phase phase)
{
	switch (phase) {
	case DL_PHASE_DIAGNOSIS: return "diagnosis";
	case DL_PHASE_EVALUATION: return "evaluation";
	case DL_PHASE_SELF_CHECK: return "self-check";
	}
	return "";
}

const char *dl_phase_title(dl_phase phase)
{
	switch (phase) {
	case DL_PHASE_DIAGNOSIS: return "诊断（改造前）";
	case DL_PHASE_EVALUATION: return "评测（改造后）";
	case DL_PHASE_SELF_CHECK: return "自评";
	}
	return "";
}

const char *dl_sheet_date(const dl_sheet *s) { return s->date ? s->date : ""; }
const char *dl_sheet_organisation(const dl_sheet *s) { return s->organisation ? s->organisation : ""; }
size_t dl_sheet_assessor_count(const dl_sheet *s) { return s->assessor_count; }

const char *dl_sheet_assessor_name(const dl_sheet *s, size_t i)
{
	assert(i < s->assessor_count);
	return i < s->assessor_count ? s->assessors[i].name : "";
}

const char *dl_sheet_assessor_role(const dl_sheet *s, size_t i)
{
	assert(i < s->assessor_count);
	return i < s->assessor_count ? s->assessors[i].role : "";
}

const char *dl_sheet_assessor_organisation(const dl_sheet *s, size_t i)
{
	assert(i < s->assessor_count);
	return i < s->assessor_count ? s->assessors[i].organisation : "";
}

const char *dl_sheet_assessor_title(const dl_sheet *s, size_t i)
{
	assert(i < s->assessor_count);
	return i < s->assessor_count ? s->assessors[i].title : "";
}

unsigned dl_sheet_assessor_duties(const dl_sheet *s, size_t i)
{
	assert(i < s->assessor_count);
	return i < s->assessor_count ? s->assessors[i].duties : 0u;
}

const char *dl_duty_name(unsigned duty)
{
	switch (duty) {
	case DL_DUTY_LEAD: return "lead";
	case DL_DUTY_EXPERT: return "expert";
	case DL_DUTY_MEMBER: return "member";
	case DL_DUTY_COMPILER: return "compiler";
	case DL_DUTY_REVIEWER: return "reviewer";
	case DL_DUTY_APPROVER: return "approver";
	case DL_DUTY_ENTERPRISE_CONTACT: return "enterprise-contact";
	case DL_DUTY_SUPERVISOR: return "supervisor";
	}
	return "";
}

const char *dl_duty_title(unsigned duty)
{
	switch (duty) {
	case DL_DUTY_LEAD: return "组长";
	case DL_DUTY_EXPERT: return "专家";
	case DL_DUTY_MEMBER: return "组员";
	case DL_DUTY_COMPILER: return "编制";
	case DL_DUTY_REVIEWER: return "审核";
	case DL_DUTY_APPROVER: return "批准";
	case DL_DUTY_ENTERPRISE_CONTACT: return "企业联络人";
	case DL_DUTY_SUPERVISOR: return "监督";
	}
	return "";
}

const char *dl_sheet_assessor_contact(const dl_sheet *s, size_t i)
{
	assert(i < s->assessor_count);
	return i < s->assessor_count ? s->assessors[i].contact : "";
}

size_t dl_sheet_figure_count(const dl_sheet *s) { return s->figure_count; }

const char *dl_sheet_figure_id(const dl_sheet *s, size_t i)
{
	assert(i < s->figure_count);
	return i < s->figure_count ? s->figures[i].id : "";
}

const char *dl_sheet_figure_text(const dl_sheet *s, size_t i)
{
	assert(i < s->figure_count);
	return i < s->figure_count ? s->figures[i].text : "";
}

static const dl__annotation *answer_notes(const dl_sheet *s, const char *question_id)
{
	for (size_t i = 0; i < s->answer_count; i++)
		if (strcmp(s->answers[i].question, question_id) == 0)
			return &s->answers[i].notes;
	return NULL;
}

static const dl__annotation *scenario_notes(const dl_sheet *s, const char *scenario_id)
{
	for (size_t i = 0; i < s->scenario_count; i++)
		if (strcmp(s->scenarios[i].id, scenario_id) == 0)
			return &s->scenarios[i].notes;
	return NULL;
}

const char *dl_sheet_answer_note(const dl_sheet *s, const char *question_id)
{
	const dl__annotation *a = answer_notes(s, question_id);
	return a && a->note ? a->note : "";
}

size_t dl_sheet_answer_evidence_count(const dl_sheet *s, const char *question_id)
{
	const dl__annotation *a = answer_notes(s, question_id);
	return a ? a->evidence_count : 0;
}

const char *dl_sheet_answer_evidence(const dl_sheet *s, const char *question_id, size_t i)
{
	const dl__annotation *a = answer_notes(s, question_id);
	return a && i < a->evidence_count ? a->evidence[i] : "";
}

const char *dl_sheet_scenario_note(const dl_sheet *s, const char *scenario_id)
{
	const dl__annotation *a = scenario_notes(s, scenario_id);
	return a && a->note ? a->note : "";
}

size_t dl_sheet_scenario_evidence_count(const dl_sheet *s, const char *scenario_id)
{
	const dl__annotation *a = scenario_notes(s, scenario_id);
	return a ? a->evidence_count : 0;
}

const char *dl_sheet_scenario_evidence(const dl_sheet *s, const char *scenario_id, size_t i)
{
	const dl__annotation *a = scenario_notes(s, scenario_id);
	return a && i < a->evidence_count ? a->evidence[i] : "";
}

bool dl_sheet_has_retrofit(const dl_sheet *s) { return s->has_retrofit; }
int dl_sheet_retrofit_attempt(const dl_sheet *s) { return s->attempt; }
const char *dl_sheet_retrofit_contract(const dl_sheet *s) { return s->contract ? s->contract : ""; }
const char *dl_sheet_retrofit_provider(const dl_sheet *s) { return s->provider ? s->provider : ""; }
const char *dl_sheet_retrofit_scope(const dl_sheet *s) { return s->scope ? s->scope : ""; }
const char *dl_sheet_retrofit_completed(const dl_sheet *s) { return s->completed ? s->completed : ""; }
const char *dl_sheet_retrofit_applied(const dl_sheet *s) { return s->applied ? s->applied : ""; }
size_t dl_sheet_investment_count(const dl_sheet *s) { return s->item_count; }

const char *dl_sheet_investment_category(const dl_sheet *s, size_t i)
{
	assert(i < s->item_count);
	return i < s->item_count ? s->items[i].category : "";
}

const char *dl_sheet_investment_text(const dl_sheet *s, size_t i)
{
	assert(i < s->item_count);
	return i < s->item_count ? s->items[i].text : "";
}

int64_t dl_sheet_investment_fen(const dl_sheet *s, size_t i)
{
	assert(i < s->item_count);
	return i < s->item_count ? s->items[i].fen : 0;
}

const char *dl_sheet_investment_id(const dl_sheet *s, size_t i)
{
	assert(i < s->item_count);
	return i < s->item_count ? s->items[i].id : "";
}

int64_t dl_sheet_investment_net_fen(const dl_sheet *s, size_t i)
{
	assert(i < s->item_count);
	return i < s->item_count ? s->items[i].net_fen : -1;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

const char *dl_sheet_retrofit_contract_number(const dl_sheet *s) { return or_empty(s->contract_number); }
const char *dl_sheet_retrofit_contract_signed(const dl_sheet *s) { return or_empty(s->contract_signed); }
int64_t dl_sheet_retrofit_contract_fen(const dl_sheet *s) { return s->has_retrofit ? s->contract_fen : -1; }
const char *dl_sheet_retrofit_satisfaction(const dl_sheet *s) { return or_empty(s->satisfaction); }
size_t dl_sheet_fund_count(const dl_sheet *s) { return s->fund_count; }

const char *dl_sheet_fund_source(const dl_sheet *s, size_t i)
{
	assert(i < s->fund_count);
	return i < s->fund_count ? s->funds[i].source : "";
}

const char *dl_sheet_fund_text(const dl_sheet *s, size_t i)
{
	assert(i < s->fund_count);
	return i < s->fund_count ? s->funds[i].text : "";
}

int64_t dl_sheet_fund_fen(const dl_sheet *s, size_t i)
{
	assert(i < s->fund_count);
	return i < s->fund_count ? s->funds[i].fen : 0;
}

size_t dl_sheet_onsite_count(const dl_sheet *s) { return s->check_count; }

const char *dl_sheet_onsite_item(const dl_sheet *s, size_t i)
{
	assert(i < s->check_count);
	return i < s->check_count ? s->checks[i].item : "";
}

bool dl_sheet_onsite_real(const dl_sheet *s, size_t i)
{
	assert(i < s->check_count);
	return i < s->check_count && s->checks[i].real;
}

bool dl_sheet_onsite_running(const dl_sheet *s, size_t i)
{
	assert(i < s->check_count);
	return i < s->check_count && s->checks[i].running;
}

bool dl_sheet_onsite_in_use(const dl_sheet *s, size_t i)
{
	assert(i < s->check_count);
	return i < s->check_count && s->checks[i].in_use;
}

const char *dl_sheet_onsite_note(const dl_sheet *s, size_t i)
{
	assert(i < s->check_count);
	return i < s->check_count ? s->checks[i].note : "";
}
