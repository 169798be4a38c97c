/*
 * sheet_fields.c: the answer sheet's schema errors in plain words, about fields named as a person
 * knows them.
 *
 * libxml2 says what the schema says: "Element 'employees': '126人' is not a valid value of the
 * atomic type 'xs:nonNegativeInteger'". The person who filled in the sheet needs the field by its
 * name, what it holds, what was expected and, for the usual slips, the value to write:
 * "「员工人数」应为整数（如 126），填写的是「126人」；只写数字，不要带单位，请写成 126". The table
 * below names every element and attribute of questionnaires/sheet.xsd and says what its value must
 * be; the error's code says what kind of problem it is (a value, a missing or unexpected element, a
 * missing or unknown attribute), and anything rarer gets a plain sentence naming the field. No
 * regular expression, facet or type name reaches the message.
 */
#include "sheet_fields.h"

#include "diag.h"
#include "i18n.h"
#include "schema_text.h"

#include <stdio.h>
#include <string.h>

/* What a field's value must be: the expectation said to the person, and the slips to look for. */
typedef enum kind {
	K_TEXT = 0, /* any text (its length is the only limit) */
	K_GROUP,    /* holds other elements */
	K_ID,
	K_IDLIST,
	K_WHOLE,
	K_COUNT,
	K_ATTEMPT,
	K_LEVEL99,
	K_YEAR,
	K_YUAN,
	K_WAN,
	K_NUMBER,   /* a figure or a value */
	K_DATE,
	K_BOOL,
	K_SCALE,
	K_PHASE,
	K_ITEM_KIND,
	K_DEPLOYMENT,
	K_DUTY,
	K_SATISFACTION,
	K_STATUS
} kind;

static const char *expectation(kind k)
{
	switch (k) {
	case K_TEXT:
	case K_GROUP: return NULL;
	case K_ID: return _("a code of letters, digits, '.', '_' or '-' (e.g. S01)");
	case K_IDLIST: return _("codes separated by single spaces (e.g. S06 S08)");
	case K_WHOLE: return _("a whole number (e.g. 126)");
	case K_COUNT: return _("a whole number of at least 1 (e.g. 3)");
	case K_ATTEMPT: return _("a whole number from 1 to 99");
	case K_LEVEL99: return _("a whole number from 0 to 99 (e.g. 3)");
	case K_YEAR: return _("a year from 1949 to 2999 (e.g. 2024)");
	case K_YUAN: return _("an amount in yuan with at most 2 decimals (e.g. 30000 or 12500.50)");
	case K_WAN: return _("an amount in 10,000 yuan with at most 4 decimals (e.g. 12.6)");
	case K_NUMBER: return _("a number (e.g. 120 or 12.5)");
	case K_DATE: return _("a date written year-month-day (e.g. 2025-03-01)");
	case K_BOOL: return _("true or false");
	case K_SCALE: return _("规上 or 规下");
	case K_PHASE: return _("diagnosis, evaluation or self-check");
	case K_ITEM_KIND: return _("device or software");
	case K_DEPLOYMENT: return _("local or cloud");
	case K_DUTY:
		return _("one or more of lead, expert, member, compiler, reviewer, approver, "
			 "enterprise-contact and supervisor, separated by spaces");
	case K_SATISFACTION: return _("非常满意, 满意, 基本满意, 不满意 or 非常不满意");
	case K_STATUS: return _("provided, verified, missing or not-applicable");
	}
	return NULL;
}

/* A field: element (under parent, "" for any) or its attribute (NULL: the element itself). */
typedef struct field {
	const char *parent, *element, *attribute;
	const char *label; /* N_(): translated where used */
	kind kind;
} field;

static const field FIELDS[] = {
	{"", "answer-sheet", NULL, N_("answer sheet"), K_GROUP},
	{"", "answer-sheet", "questionnaire", N_("questionnaire the sheet answers"), K_ID},
	{"", "answer-sheet", "version", N_("questionnaire version"), K_ID},
	{"answer-sheet", "enterprise", NULL, N_("enterprise information"), K_GROUP},
	{"enterprise", "name", NULL, N_("enterprise name"), K_TEXT},
	{"enterprise", "credit-code", NULL, N_("unified social credit code"), K_TEXT},
	{"enterprise", "region", NULL, N_("region"), K_TEXT},
	{"enterprise", "address", NULL, N_("address"), K_TEXT},
	{"enterprise", "industry", NULL, N_("industry"), K_TEXT},
	{"enterprise", "scale", NULL, N_("enterprise scale"), K_SCALE},
	{"enterprise", "employees", NULL, N_("number of employees"), K_WHOLE},
	{"enterprise", "main-products", NULL, N_("main products"), K_TEXT},
	{"enterprise", "tags", NULL, N_("tags"), K_GROUP},
	{"tags", "tag", NULL, N_("tag"), K_TEXT},
	{"answer-sheet", "profile", NULL, N_("enterprise profile"), K_GROUP},
	{"profile", "operations", NULL, N_("operating figures"), K_GROUP},
	{"operations", "year", NULL, N_("operating figures of a year"), K_GROUP},
	{"operations", "year", "value", N_("year"), K_YEAR},
	{"operations", "year", "revenue", N_("revenue (10,000 yuan)"), K_WAN},
	{"operations", "year", "profit", N_("total profit (10,000 yuan)"), K_WAN},
	{"operations", "year", "assets", N_("total assets (10,000 yuan)"), K_WAN},
	{"operations", "year", "rnd", N_("R&D spending (10,000 yuan)"), K_WAN},
	{"profile", "process", NULL, N_("process flow"), K_TEXT},
	{"profile", "certifications", NULL, N_("certifications"), K_GROUP},
	{"certifications", "certification", NULL, N_("certification"), K_TEXT},
	{"profile", "inventory", NULL, N_("inventory of devices and software"), K_GROUP},
	{"inventory", "item", NULL, N_("inventory item"), K_GROUP},
	{"inventory", "item", "kind", N_("kind of inventory item"), K_ITEM_KIND},
	{"inventory", "item", "count", N_("number of the inventory item"), K_COUNT},
	{"inventory", "item", "deployment", N_("deployment"), K_DEPLOYMENT},
	{"inventory", "item", "scenarios", N_("scenarios the item serves"), K_IDLIST},
	{"item", "name", NULL, N_("name of the inventory item"), K_TEXT},
	{"item", "vendor", NULL, N_("vendor"), K_TEXT},
	{"profile", "survey", NULL, N_("survey"), K_GROUP},
	{"profile", "survey", "from", N_("first day of the survey"), K_DATE},
	{"profile", "survey", "to", N_("last day of the survey"), K_DATE},
	{"survey", "method", NULL, N_("survey method"), K_TEXT},
	{"answer-sheet", "assessment", NULL, N_("assessment"), K_GROUP},
	{"answer-sheet", "assessment", "phase", N_("kind of assessment"), K_PHASE},
	{"answer-sheet", "assessment", "date", N_("assessment date"), K_DATE},
	{"assessment", "organisation", NULL, N_("assessing organisation"), K_TEXT},
	{"assessment", "assessor", NULL, N_("assessor"), K_GROUP},
	{"assessment", "assessor", "name", N_("assessor's name"), K_TEXT},
	{"assessment", "assessor", "role", N_("assessor's role"), K_TEXT},
	{"assessment", "assessor", "contact", N_("assessor's contact"), K_TEXT},
	{"assessment", "assessor", "organisation", N_("assessor's organisation"), K_TEXT},
	{"assessment", "assessor", "title", N_("assessor's professional title"), K_TEXT},
	{"assessment", "assessor", "duty", N_("assessor's duties"), K_DUTY},
	{"answer-sheet", "figures", NULL, N_("figures"), K_GROUP},
	{"figures", "figure", NULL, N_("figure"), K_NUMBER},
	{"figures", "figure", "id", N_("figure id"), K_ID},
	{"answer-sheet", "answers", NULL, N_("answers"), K_GROUP},
	{"answers", "answer", NULL, N_("answer"), K_GROUP},
	{"answers", "answer", "question", N_("question number"), K_ID},
	{"answer", "choose", NULL, N_("chosen option"), K_GROUP},
	{"answer", "choose", "option", N_("chosen option"), K_ID},
	{"answer", "value", NULL, N_("value"), K_NUMBER},
	{"", "note", NULL, N_("note"), K_TEXT},
	{"", "evidence", NULL, N_("evidence"), K_TEXT},
	{"answer-sheet", "scenarios", NULL, N_("scenarios"), K_GROUP},
	{"scenarios", "scenario", NULL, N_("scenario"), K_GROUP},
	{"scenarios", "scenario", "id", N_("scenario id"), K_ID},
	{"scenarios", "scenario", "level", N_("scenario level"), K_WHOLE},
	{"answer-sheet", "retrofit-plan", NULL, N_("retrofit plan"), K_GROUP},
	{"answer-sheet", "retrofit-plan", "date", N_("date of the retrofit plan"), K_DATE},
	{"answer-sheet", "retrofit-plan", "number", N_("number of the retrofit plan"), K_TEXT},
	{"answer-sheet", "retrofit-plan", "target-level", N_("target level"), K_LEVEL99},
	{"retrofit-plan", "integrator", NULL, N_("integrator"), K_TEXT},
	{"retrofit-plan", "supervision-unit", NULL, N_("supervision unit"), K_TEXT},
	{"retrofit-plan", "item", NULL, N_("construction item"), K_TEXT},
	{"retrofit-plan", "item", "solution", N_("solution of the construction item"), K_ID},
	{"retrofit-plan", "item", "category", N_("investment category"), K_ID},
	{"retrofit-plan", "item", "amount", N_("amount of the construction item (yuan)"), K_YUAN},
	{"retrofit-plan", "item", "start", N_("start date"), K_DATE},
	{"retrofit-plan", "item", "finish", N_("finish date"), K_DATE},
	{"retrofit-plan", "responsibilities", NULL, N_("responsibilities"), K_GROUP},
	{"responsibilities", "enterprise", NULL, N_("the enterprise's responsibilities"), K_TEXT},
	{"responsibilities", "integrator", NULL, N_("the integrator's responsibilities"), K_TEXT},
	{"responsibilities", "supervision", NULL, N_("the supervision unit's responsibilities"), K_TEXT},
	{"answer-sheet", "retrofit", NULL, N_("retrofit project"), K_GROUP},
	{"answer-sheet", "retrofit", "attempt", N_("number of the application"), K_ATTEMPT},
	{"retrofit", "contract", NULL, N_("contract"), K_TEXT},
	{"retrofit", "contract", "number", N_("contract number"), K_TEXT},
	{"retrofit", "contract", "amount", N_("contract amount (yuan)"), K_YUAN},
	{"retrofit", "contract", "signed", N_("date the contract was signed"), K_DATE},
	{"retrofit", "provider", NULL, N_("service provider"), K_TEXT},
	{"retrofit", "provider", "satisfaction", N_("satisfaction with the provider"), K_SATISFACTION},
	{"retrofit", "scope", NULL, N_("scope of the retrofit"), K_TEXT},
	{"retrofit", "completed", NULL, N_("date the retrofit was completed"), K_DATE},
	{"retrofit", "applied", NULL, N_("date acceptance was applied for"), K_DATE},
	{"retrofit", "investment", NULL, N_("investment"), K_GROUP},
	{"investment", "item", NULL, N_("investment item"), K_TEXT},
	{"investment", "item", "category", N_("investment category"), K_ID},
	{"investment", "item", "amount", N_("amount of the investment item (yuan)"), K_YUAN},
	{"investment", "item", "id", N_("id of the investment item"), K_ID},
	{"investment", "item", "net", N_("amount without tax (yuan)"), K_YUAN},
	{"retrofit", "finance", NULL, N_("invoices and payments"), K_GROUP},
	{"finance", "invoice", NULL, N_("invoice"), K_GROUP},
	{"finance", "invoice", "item", N_("investment item of the invoice"), K_ID},
	{"finance", "invoice", "number", N_("invoice number"), K_TEXT},
	{"finance", "invoice", "date", N_("invoice date"), K_DATE},
	{"finance", "invoice", "amount", N_("invoice amount (yuan)"), K_YUAN},
	{"finance", "invoice", "net", N_("amount without tax (yuan)"), K_YUAN},
	{"finance", "payment", NULL, N_("payment"), K_GROUP},
	{"finance", "payment", "item", N_("investment item of the payment"), K_ID},
	{"finance", "payment", "reference", N_("payment reference"), K_TEXT},
	{"finance", "payment", "date", N_("payment date"), K_DATE},
	{"finance", "payment", "amount", N_("payment amount (yuan)"), K_YUAN},
	{"retrofit", "public-funds", NULL, N_("other public funds"), K_GROUP},
	{"public-funds", "fund", NULL, N_("public fund"), K_TEXT},
	{"public-funds", "fund", "source", N_("source of the fund"), K_TEXT},
	{"public-funds", "fund", "amount", N_("amount of the fund (yuan)"), K_YUAN},
	{"retrofit", "materials", NULL, N_("acceptance materials"), K_GROUP},
	{"materials", "material", NULL, N_("material"), K_TEXT},
	{"materials", "material", "id", N_("id of the material"), K_ID},
	{"materials", "material", "status", N_("status of the material"), K_STATUS},
	{"materials", "material", "reference", N_("reference of the material"), K_TEXT},
	{"materials", "material", "verified-by", N_("who verified the material"), K_TEXT},
	{"materials", "material", "verified-on", N_("date the material was verified"), K_DATE},
	{"retrofit", "onsite", NULL, N_("on-site check"), K_GROUP},
	{"onsite", "check", NULL, N_("on-site check item"), K_TEXT},
	{"onsite", "check", "item", N_("investment item checked"), K_ID},
	{"onsite", "check", "real", N_("whether it is real"), K_BOOL},
	{"onsite", "check", "running", N_("whether it runs"), K_BOOL},
	{"onsite", "check", "in-use", N_("whether it is in use"), K_BOOL},
};

static const field *find_field(const char *parent, const char *element, const char *attribute)
{
	for (size_t i = 0; i < sizeof(FIELDS) / sizeof(FIELDS[0]); i++) {
		const field *f = &FIELDS[i];
		if (strcmp(f->element, element) != 0 || (f->parent[0] && strcmp(f->parent, parent) != 0))
			continue;
		if (attribute ? f->attribute && strcmp(f->attribute, attribute) == 0 : !f->attribute)
			return f;
	}
	return NULL;
}

static const field *field_of(const xmlNode *element, const char *attribute)
{
	const xmlNode *parent = element->parent;
	const char *pname = parent && parent->type == XML_ELEMENT_NODE ? (const char *)parent->name : "";
	return find_field(pname, (const char *)element->name, attribute);
}

/* The id that tells this element from its siblings (a figure's, a question's, a scenario's). */
static xmlChar *distinguishing_id(const xmlNode *element)
{
	static const char *const names[] = {"id", "question", "solution"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		xmlChar *v = xmlGetProp(element, BAD_CAST names[i]);
		if (v && v[0])
			return v;
		xmlFree(v);
	}
	return NULL;
}

const char *dl__sheet_field_label(const xmlNode *element, const char *attribute, char *buf,
				  size_t size)
{
	const field *f = field_of(element, attribute);
	char base[160];
	if (f)
		snprintf(base, sizeof(base), "%s", _(f->label));
	else if (attribute)
		snprintf(base, sizeof(base), _("attribute %s of <%s>"), attribute,
			 (const char *)element->name);
	else
		snprintf(base, sizeof(base), "<%s>", (const char *)element->name);
	/* a field of an answer or a scenario names its question or scenario; a figure its id */
	const xmlNode *owner = element;
	const char *own = (const char *)element->name;
	if (element->parent && element->parent->type == XML_ELEMENT_NODE &&
	    (strcmp((const char *)element->parent->name, "answer") == 0 ||
	     strcmp((const char *)element->parent->name, "scenario") == 0) &&
	    strcmp(own, "answer") != 0)
		owner = element->parent;
	bool names_itself = owner == element && attribute &&
			    (strcmp(attribute, "id") == 0 || strcmp(attribute, "question") == 0 ||
			     strcmp(attribute, "solution") == 0);
	xmlChar *id = names_itself ? NULL : distinguishing_id(owner);
	if (id && (attribute || owner != element))
		snprintf(buf, size, _("%s of %s"), base, (const char *)id);
	else if (id)
		snprintf(buf, size, _("%s %s"), base, (const char *)id);
	else
		snprintf(buf, size, "%s", base);
	xmlFree(id);
	return buf;
}

void dl__sheet_value_message(char *msg, size_t size, const char *label, const char *expect,
			     const char *value, dl__slip slip, const char *fix)
{
	char quoted[96];
	snprintf(msg, size, _("%s should be %s; it says '%s'"), label, expect,
		 dl__schema_shortened(value, quoted, sizeof(quoted)));
	dl__slip_advise(msg, size, slip, fix);
}

/* The slip in value for a field of kind k, and its fix. */
static dl__slip slip_of(kind k, const char *value, char *fix, size_t size)
{
	fix[0] = '\0';
	switch (k) {
	case K_WHOLE:
	case K_COUNT:
	case K_ATTEMPT:
	case K_LEVEL99:
	case K_YEAR: return dl__slip_number(value, DL__NUMBER_WHOLE, fix, size);
	case K_YUAN: return dl__slip_number(value, DL__NUMBER_YUAN, fix, size);
	case K_WAN: return dl__slip_number(value, DL__NUMBER_WAN, fix, size);
	case K_NUMBER: return dl__slip_number(value, DL__NUMBER_DECIMAL4, fix, size);
	case K_DATE: return dl__slip_date(value, fix, size);
	case K_ID:
	case K_IDLIST: return dl__slip_id(value, fix, size);
	default: return DL__SLIP_NONE;
	}
}

/* The elements the schema requires, by parent ("parent/child"). */
static const char *const REQUIRED[] = {
	"answer-sheet/enterprise", "answer-sheet/assessment", "answer-sheet/answers",
	"enterprise/name", "enterprise/credit-code", "enterprise/industry", "enterprise/scale",
	"tags/tag", "operations/year", "certifications/certification", "inventory/item", "item/name",
	"survey/method", "assessment/organisation", "retrofit-plan/item", "retrofit/contract",
	"retrofit/provider", "retrofit/scope", "retrofit/completed", "retrofit/applied",
	"retrofit/investment", "investment/item", "public-funds/fund", "materials/material",
	"onsite/check"};

static bool required(const char *parent, const char *child)
{
	size_t n = strlen(parent);
	for (size_t i = 0; i < sizeof(REQUIRED) / sizeof(REQUIRED[0]); i++)
		if (strncmp(REQUIRED[i], parent, n) == 0 && REQUIRED[i][n] == '/' &&
		    strcmp(REQUIRED[i] + n + 1, child) == 0)
			return true;
	return false;
}

static bool has_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return true;
	return false;
}

/*
 * The elements libxml2 lists after "Expected is ( " or "Expected is one of ( " (children of
 * parent): those the schema requires and parent lacks when there are any (libxml2 lists the
 * optional ones that may come first too), else all; each as 「label」 (<name>), joined, into buf.
 * Returns how many, and the first one's name in first.
 */
static size_t expected_list(const char *message, const xmlNode *parent, char *buf, size_t size,
			    char *first, size_t first_size, bool *all_needed)
{
	*all_needed = false;
	const char *p = message ? strstr(message, "Expected is") : NULL;
	p = p ? strchr(p, '(') : NULL;
	buf[0] = first[0] = '\0';
	if (!p)
		return 0;
	char names[16][64];
	size_t count = 0, wanted = 0;
	bool want[16];
	for (p++; *p && *p != ')' && count < 16;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, " ,)");
		if (n == 0)
			break;
		if (n < sizeof(names[0])) {
			memcpy(names[count], p, n);
			names[count][n] = '\0';
			want[count] = required((const char *)parent->name, names[count]) &&
				      !has_child(parent, names[count]);
			wanted += want[count];
			count++;
		}
		p += n;
	}
	size_t listed = 0, used = 0;
	*all_needed = wanted > 0;
	for (size_t i = 0; i < count; i++) {
		if (wanted && !want[i])
			continue;
		const field *f = find_field((const char *)parent->name, names[i], NULL);
		if (listed == 0)
			snprintf(first, first_size, "%s", names[i]);
		int w = snprintf(buf + used, size - used, _("%s%s (<%s>)"), listed ? _(", ") : "",
				 f ? _(f->label) : names[i], names[i]);
		listed++;
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
	return listed;
}

bool dl__sheet_schema_message(const xmlError *error, char *msg, size_t size,
			      const xmlNode **element, const xmlNode **last, char *last_attribute)
{
	const xmlNode *node = error->node;
	char attribute[64] = "", label[200], name[64], other[200], value[512], fix[64];
	*element = NULL;
	if (node && node->type == XML_ATTRIBUTE_NODE) {
		snprintf(attribute, sizeof(attribute), "%s", (const char *)node->name);
		node = node->parent;
	}
	if (!node || node->type != XML_ELEMENT_NODE) {
		snprintf(msg, size, "%s", _("the answer sheet is not written as it should be (see docs/answer-sheet.md)"));
		return true;
	}
	*element = node;
	const char *text = error->message ? error->message : "";
	int code = error->code;
	if (!attribute[0] && strncmp(text, "Element '", 9) == 0 && strstr(text, "', attribute '"))
		dl__schema_quoted_after(text, "', attribute '", attribute, sizeof(attribute));

	if (dl__schema_value_error(code)) {
		if (*last == node && strcmp(last_attribute, attribute) == 0)
			return false; /* the same value, said once */
		*last = node;
		snprintf(last_attribute, 64, "%s", attribute);
		const field *f = field_of(node, attribute[0] ? attribute : NULL);
		dl__sheet_field_label(node, attribute[0] ? attribute : NULL, label, sizeof(label));
		if (attribute[0]) {
			xmlChar *v = xmlGetProp(node, BAD_CAST attribute);
			dl__copy_truncated(value, sizeof(value), v ? (const char *)v : "");
			xmlFree(v);
		} else {
			dl__schema_element_text(node, value, sizeof(value));
		}
		const char *expect = f ? expectation(f->kind) : NULL;
		if (code == XML_SCHEMAV_CVC_MAXLENGTH_VALID && (!f || !expect || f->kind == K_NUMBER || f->kind == K_ID)) {
			char have[16] = "", most[16] = "";
			dl__schema_quoted_after(text, "has a length of '", have, sizeof(have));
			dl__schema_quoted_after(text, "maximum length of '", most, sizeof(most));
			if (most[0])
				snprintf(msg, size, _("%s is too long: at most %s characters"), label, most);
			else
				snprintf(msg, size, _("%s is too long"), label);
			return true;
		}
		if (!expect) {
			snprintf(msg, size, _("%s: '%s' is not a value this field can hold (see docs/answer-sheet.md)"),
				 label, dl__schema_shortened(value, other, sizeof(other)));
			return true;
		}
		dl__slip slip = slip_of(f->kind, value, fix, sizeof(fix));
		dl__sheet_value_message(msg, size, label, expect, value, slip, fix);
		return true;
	}
	switch (code) {
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4:
	case XML_SCHEMAV_ELEMENT_CONTENT: {
		bool missing = strstr(text, "Missing child") != NULL;
		if (!missing && !strstr(text, "not expected"))
			break;
		/* missing: node is the parent; not expected: node is the element, its parent the parent */
		const xmlNode *parent = missing ? node : node->parent;
		if (!parent || parent->type != XML_ELEMENT_NODE)
			break;
		bool all_needed;
		size_t count = expected_list(text, parent, other, sizeof(other), name, sizeof(name),
					     &all_needed);
		char where[200];
		dl__sheet_field_label(parent, NULL, where, sizeof(where));
		if (missing && count > 0) {
			snprintf(msg, size, count == 1 || all_needed ? _("%s lacks %s") : _("%s lacks one of %s"),
				 where, other);
			return true;
		}
		if (missing)
			break;
		const field *f = field_of(node, NULL);
		if (f)
			snprintf(label, sizeof(label), _("%s (<%s>)"), _(f->label), (const char *)node->name);
		else
			snprintf(label, sizeof(label), "<%s>", (const char *)node->name);
		if (count > 0)
			snprintf(msg, size, _("%s is not expected here (a misspelt name, a field given twice or in the wrong place?): here comes %s"),
				 label, other);
		else
			snprintf(msg, size, _("%s is not expected here (a misspelt name, or a field given twice?)"), label);
		return true;
	}
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
		if (!dl__schema_quoted_after(text, "The attribute '", name, sizeof(name)))
			break;
		dl__sheet_field_label(node, name, label, sizeof(label));
		snprintf(msg, size, _("%s is missing (attribute %s of <%s>)"), label, name,
			 (const char *)node->name);
		return true;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
		if (!attribute[0] && !dl__schema_quoted_after(text, "The attribute '", attribute, sizeof(attribute)))
			break;
		dl__sheet_field_label(node, NULL, label, sizeof(label));
		snprintf(msg, size, _("%s (<%s>) has no attribute %s (is it misspelt?)"), label,
			 (const char *)node->name, attribute);
		return true;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
		dl__sheet_field_label(node, NULL, label, sizeof(label));
		snprintf(msg, size, _("%s (<%s>) holds text of its own: write the text in the fields inside it"),
			 label, (const char *)node->name);
		return true;
	default:
		break;
	}
	dl__sheet_field_label(node, attribute[0] ? attribute : NULL, label, sizeof(label));
	snprintf(msg, size, _("%s is not written as the answer sheet expects (see docs/answer-sheet.md)"), label);
	return true;
}
