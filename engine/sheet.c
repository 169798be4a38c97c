/*
 * sheet.c: reading an answer sheet from XML into plain structs, and the public accessors.
 *
 * Loading does only what needs no questionnaire: parse, validate against sheet.xsd, copy. Meaning
 * (ids, completeness, consistency, credit code, dates) is checked by sheet_check.c against the
 * questionnaire the sheet names, so that all problems can be reported together.
 */
#include "alloc.h"
#include "sha256.h"
#include "sheet_model.h"
#include "xmldoc.h"

#include <assert.h>
#include <string.h>

typedef struct builder {
	dl_sheet *s;
	bool oom;
} builder;

static dl__pos pos_of(const xmlNode *n)
{
	dl__pos p = {dl__xml_line(n), dl__xml_column(n)};
	return p;
}

static const char *attr(builder *b, const xmlNode *n, const char *name)
{
	const char *v = dl__xml_attr(&b->s->arena, n, name, &b->oom);
	return v ? v : "";
}

static const char *text(builder *b, const xmlNode *n)
{
	return dl__xml_text(&b->s->arena, n, &b->oom);
}

static void *array(builder *b, size_t count, size_t size)
{
	void *p = dl__arena_array(&b->s->arena, count, size);
	if (!p)
		b->oom = true;
	return p;
}

static void read_annotation(builder *b, const xmlNode *n, dl__annotation *a)
{
	a->note = dl__xml_child_text(&b->s->arena, n, "note", &b->oom);
	a->evidence_count = dl__xml_count(n, "evidence");
	a->evidence = array(b, a->evidence_count, sizeof(char *));
	size_t i = 0;
	for (xmlNodePtr e = dl__xml_child(n, "evidence"); e && a->evidence;
	     e = dl__xml_next(e, "evidence"))
		a->evidence[i++] = text(b, e);
}

static void read_enterprise(builder *b, const xmlNode *n)
{
	static const char *const elements[DL__ENTERPRISE_FIELDS] = {
		"name", "credit-code", "region", "address", "industry", "scale", "main-products"};
	dl_sheet *s = b->s;
	s->enterprise_element = pos_of(n);
	for (int i = 0; i < DL__ENTERPRISE_FIELDS; i++) {
		xmlNodePtr c = dl__xml_child(n, elements[i]);
		s->enterprise[i] = c ? text(b, c) : "";
		s->enterprise_pos[i] = c ? pos_of(c) : s->enterprise_element;
	}
	s->employees = -1;
	xmlNodePtr e = dl__xml_child(n, "employees");
	if (e) {
		const char *v = text(b, e);
		long value = 0;
		for (const char *p = v; p && *p >= '0' && *p <= '9' && value < 100000000; p++)
			value = value * 10 + (*p - '0');
		s->employees = value;
	}
	xmlNodePtr tags = dl__xml_child(n, "tags");
	if (tags) {
		s->tag_count = dl__xml_count(tags, "tag");
		s->tags = array(b, s->tag_count, sizeof(char *));
		size_t i = 0;
		for (xmlNodePtr t = dl__xml_child(tags, "tag"); t && s->tags; t = dl__xml_next(t, "tag"))
			s->tags[i++] = text(b, t);
	}
}

static void read_assessment(builder *b, const xmlNode *n)
{
	dl_sheet *s = b->s;
	const char *phase = attr(b, n, "phase");
	s->phase = strcmp(phase, "evaluation") == 0   ? DL_PHASE_EVALUATION
		   : strcmp(phase, "self-check") == 0 ? DL_PHASE_SELF_CHECK
						      : DL_PHASE_DIAGNOSIS;
	s->date = attr(b, n, "date");
	s->assessment_pos = pos_of(n);
	s->organisation = dl__xml_child_text(&s->arena, n, "organisation", &b->oom);
	s->assessor_count = dl__xml_count(n, "assessor");
	s->assessors = array(b, s->assessor_count, sizeof(dl__assessor));
	size_t i = 0;
	for (xmlNodePtr a = dl__xml_child(n, "assessor"); a && s->assessors;
	     a = dl__xml_next(a, "assessor"), i++) {
		s->assessors[i].name = attr(b, a, "name");
		s->assessors[i].role = attr(b, a, "role");
		s->assessors[i].contact = attr(b, a, "contact");
	}
}

static void read_answers(builder *b, const xmlNode *n)
{
	dl_sheet *s = b->s;
	s->answer_count = dl__xml_count(n, "answer");
	s->answers = array(b, s->answer_count, sizeof(dl__answer));
	size_t i = 0;
	for (xmlNodePtr a = dl__xml_child(n, "answer"); a && s->answers;
	     a = dl__xml_next(a, "answer"), i++) {
		dl__answer *ans = &s->answers[i];
		ans->question = attr(b, a, "question");
		ans->pos = pos_of(a);
		ans->choice_count = dl__xml_count(a, "choose");
		ans->choices = array(b, ans->choice_count, sizeof(dl__choice));
		size_t k = 0;
		for (xmlNodePtr c = dl__xml_child(a, "choose"); c && ans->choices;
		     c = dl__xml_next(c, "choose"), k++) {
			ans->choices[k].option = attr(b, c, "option");
			ans->choices[k].pos = pos_of(c);
		}
		xmlNodePtr v = dl__xml_child(a, "value");
		if (v) {
			ans->value = text(b, v);
			ans->value_pos = pos_of(v);
			if (ans->value && !ans->value[0])
				ans->value = NULL; /* <value/> left blank */
		}
		read_annotation(b, a, &ans->notes);
	}
}

static void read_retrofit(builder *b, const xmlNode *n)
{
	dl_sheet *s = b->s;
	s->has_retrofit = true;
	s->retrofit_pos = pos_of(n);
	const char *attempt = attr(b, n, "attempt");
	s->attempt = 0;
	for (const char *p = attempt; *p >= '0' && *p <= '9' && s->attempt < 1000; p++)
		s->attempt = s->attempt * 10 + (*p - '0');
	s->contract = dl__xml_child_text(&s->arena, n, "contract", &b->oom);
	s->provider = dl__xml_child_text(&s->arena, n, "provider", &b->oom);
	s->scope = dl__xml_child_text(&s->arena, n, "scope", &b->oom);
	s->completed = dl__xml_child_text(&s->arena, n, "completed", &b->oom);
	s->applied = dl__xml_child_text(&s->arena, n, "applied", &b->oom);
	xmlNodePtr c = dl__xml_child(n, "completed");
	xmlNodePtr a = dl__xml_child(n, "applied");
	s->completed_pos = c ? pos_of(c) : s->retrofit_pos;
	s->applied_pos = a ? pos_of(a) : s->retrofit_pos;
	xmlNodePtr inv = dl__xml_child(n, "investment");
	if (!inv)
		return;
	s->item_count = dl__xml_count(inv, "item");
	s->items = array(b, s->item_count, sizeof(dl__item));
	size_t i = 0;
	for (xmlNodePtr it = dl__xml_child(inv, "item"); it && s->items;
	     it = dl__xml_next(it, "item"), i++) {
		dl__item *item = &s->items[i];
		item->category = attr(b, it, "category");
		item->text = text(b, it);
		item->pos = pos_of(it);
		int64_t units = 0;
		if (dl__decimal_parse(attr(b, it, "amount"), 2, &units) == 0)
			item->fen = units / (DL_POINTS_SCALE / 100);
	}
}

static void build(builder *b, const xmlNode *root)
{
	dl_sheet *s = b->s;
	s->pos = pos_of(root);
	s->questionnaire_id = attr(b, root, "questionnaire");
	s->questionnaire_version = attr(b, root, "version");
	xmlNodePtr n;
	if ((n = dl__xml_child(root, "enterprise")))
		read_enterprise(b, n);
	if ((n = dl__xml_child(root, "assessment")))
		read_assessment(b, n);
	if ((n = dl__xml_child(root, "figures"))) {
		s->figure_count = dl__xml_count(n, "figure");
		s->figures = array(b, s->figure_count, sizeof(dl__figure_value));
		size_t i = 0;
		for (xmlNodePtr f = dl__xml_child(n, "figure"); f && s->figures;
		     f = dl__xml_next(f, "figure"), i++) {
			s->figures[i].id = attr(b, f, "id");
			s->figures[i].text = text(b, f);
			s->figures[i].pos = pos_of(f);
		}
	}
	s->answers_pos = s->scenarios_pos = s->pos;
	if ((n = dl__xml_child(root, "answers"))) {
		s->answers_pos = pos_of(n);
		read_answers(b, n);
	}
	if ((n = dl__xml_child(root, "scenarios"))) {
		s->scenarios_pos = pos_of(n);
		s->scenario_count = dl__xml_count(n, "scenario");
		s->scenarios = array(b, s->scenario_count, sizeof(dl__scenario_answer));
		size_t i = 0;
		for (xmlNodePtr c = dl__xml_child(n, "scenario"); c && s->scenarios;
		     c = dl__xml_next(c, "scenario"), i++) {
			s->scenarios[i].id = attr(b, c, "id");
			s->scenarios[i].level = attr(b, c, "level");
			s->scenarios[i].pos = pos_of(c);
			read_annotation(b, c, &s->scenarios[i].notes);
		}
	}
	if ((n = dl__xml_child(root, "retrofit")))
		read_retrofit(b, n);
}

static int load(dl_sheet **out, char *data, size_t len, const char *name, unsigned long line_offset,
		const dl_load_options *opts, dl_error *err)
{
	dl__xml x = {NULL, NULL, 0};
	dl_sheet *s = NULL;
	dl__diag d;
	char digest[65];
	int rc;

	dl__diag_init(&d, opts, err, name);
	d.line_offset = line_offset;
	dl__sha256_hex(data, len, digest);
	rc = dl__xml_load(&x, data, len, "answer-sheet", DL__SCHEMA_SHEET,
			  opts ? opts->max_file_size : 0, &d);
	if (rc < 0)
		goto done;
	s = dl__calloc(1, sizeof(*s));
	if (!s) {
		rc = dl__diag_report(&d, DL_ENOMEM, 0, 0, "out of memory");
		goto done;
	}
	memcpy(s->digest, digest, sizeof(digest));
	s->line_offset = line_offset;
	builder b = {s, false};
	s->path = dl__arena_strdup(&s->arena, name);
	if (!s->path)
		b.oom = true;
	else
		build(&b, xmlDocGetRootElement(x.doc));
	if (b.oom) {
		rc = dl__diag_report(&d, DL_ENOMEM, 0, 0, "out of memory");
		goto done;
	}
	*out = s;
	s = NULL;
done:
	dl_sheet_free(s);
	dl__xml_free(&x);
	return rc;
}

int dl_sheet_load_memory(dl_sheet **out, const char *data, size_t len, const char *name,
			 const dl_load_options *opts, dl_error *err)
{
	char *copy = dl__malloc(len + 1);
	if (!copy)
		return dl__error_set(err, DL_ENOMEM, name, 0, 0, "out of memory");
	memcpy(copy, data, len);
	copy[len] = '\0';
	return load(out, copy, len, name, 0, opts, err);
}

int dl__sheet_load_chunk(dl_sheet **out, char *data, size_t len, const char *name,
			 unsigned long line_offset, const dl_load_options *opts, dl_error *err)
{
	return load(out, data, len, name, line_offset, opts, err);
}

int dl_sheet_load(dl_sheet **out, const char *path, const dl_load_options *opts, dl_error *err)
{
	char *data = NULL;
	size_t len = 0;
	dl__diag d;
	dl__diag_init(&d, opts, err, path);
	int rc = dl__xml_read_file(path, opts ? opts->max_file_size : 0, &data, &len, &d);
	if (rc < 0)
		return rc;
	return load(out, data, len, path, 0, opts, err);
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
