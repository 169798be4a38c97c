/*
 * schema_words.c: the schema errors of the documents other than the answer sheet (a policy, a
 * targets file, a questionnaire, a solution catalogue, the known tags) in plain words.
 *
 * libxml2 says what the schema says: "Element 'cap', attribute 'yuan': [facet 'pattern'] The value
 * '五十万' is not accepted by the pattern '-?[0-9]{1,12}(\.[0-9]{1,2})?'", or "'0' is not a valid
 * value of the local atomic type". The person who edits a policy knows the element and attribute
 * names (docs/policy.md uses them) but should not have to read a regular expression or a type name.
 * So the element or attribute is named as written in the file, and what its value must be is read
 * from the schema itself: the declaration of that element or attribute in the embedded XSD, its
 * base type, its bounds, its enumeration, and its pattern said in words when it is one of the
 * schemas' patterns ("a number with at most 2 decimals"). A missing or unexpected element, a missing
 * or unknown attribute, text where none belongs and a value given twice each get their sentence;
 * anything rarer gets a plain sentence naming the element and the document that explains it.
 */
#include "schema_words.h"

#include "diag.h"
#include "i18n.h"
#include "schema_text.h"
#include "schemas.h"
#include "slips.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* --- the schema's declarations ------------------------------------------------------------------ */

static pthread_mutex_t xsd_lock = PTHREAD_MUTEX_INITIALIZER;
static xmlDocPtr xsd_docs[DL__SCHEMA_COUNT]; /* parsed once, kept like the compiled schemas */

static xmlDocPtr xsd_doc(dl__schema_id id)
{
	pthread_mutex_lock(&xsd_lock);
	if (!xsd_docs[id]) {
		const dl__embedded_schema *src = &dl__embedded_schemas[id];
		xsd_docs[id] = xmlReadMemory((const char *)src->data, (int)src->len, src->name, NULL,
					     XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
						     XML_PARSE_NOWARNING);
	}
	xmlDocPtr doc = xsd_docs[id];
	pthread_mutex_unlock(&xsd_lock);
	return doc;
}

static bool is_xs(const xmlNode *n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

/* The value of attribute name of a schema node, or "" (the XSD's attributes are short). */
static const char *xs_attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
	buf[0] = '\0';
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	if (v)
		dl__copy_truncated(buf, size, (const char *)v);
	xmlFree(v);
	return buf;
}

/* Whether n is an xs:kind called name (read in place: this runs for every node of the schema). */
static bool named(const xmlNode *n, const char *kind, const char *name)
{
	if (!is_xs(n, kind))
		return false;
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "name") == 0)
			return a->children && a->children->type == XML_TEXT_NODE && !a->children->next &&
			       strcmp((const char *)a->children->content, name) == 0;
	return false;
}

/* The nearest xs:element above n, or NULL. */
static const xmlNode *enclosing_element(const xmlNode *n)
{
	for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (is_xs(n, "element"))
			return n;
	return NULL;
}

/*
 * The declaration of element name below n: the one inside the declaration of parent when there is
 * one (a <cap> of a <phase>, not of <acceptance>), else the first. *best keeps it between calls.
 */
static void find_element(const xmlNode *n, const char *name, const char *parent, const xmlNode **best,
			 bool *best_in_parent)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (named(c, "element", name)) {
			const xmlNode *up = enclosing_element(c);
			bool in_parent = up && parent && named(up, "element", parent);
			if (!*best || (in_parent && !*best_in_parent)) {
				*best = c;
				*best_in_parent = in_parent;
			}
		}
		find_element(c, name, parent, best, best_in_parent);
	}
}

/* A top-level xs:simpleType or xs:complexType called name, or NULL. */
static const xmlNode *find_type(const xmlNode *root, const char *kind, const char *name)
{
	for (const xmlNode *c = root->children; c; c = c->next)
		if (named(c, kind, name))
			return c;
	return NULL;
}

/* The declaration of attribute name in n's subtree, not in the declarations of nested elements. */
static const xmlNode *find_attribute(const xmlNode *root, const xmlNode *n, const char *name, int depth)
{
	if (depth > 8)
		return NULL;
	char type[96];
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || is_xs(c, "element"))
			continue;
		if (named(c, "attribute", name))
			return c;
		const xmlNode *found = find_attribute(root, c, name, depth + 1);
		if (found)
			return found;
		/* an extension or restriction of a named complex type has its base's attributes */
		if ((is_xs(c, "extension") || is_xs(c, "restriction")) &&
		    xs_attr(c, "base", type, sizeof(type))[0]) {
			const xmlNode *base = find_type(root, "complexType", type);
			if (base && (found = find_attribute(root, base, name, depth + 1)))
				return found;
		}
	}
	if (is_xs(n, "element") && xs_attr(n, "type", type, sizeof(type))[0]) {
		const xmlNode *t = find_type(root, "complexType", type);
		if (t)
			return find_attribute(root, t, name, depth + 1);
	}
	return NULL;
}

/* What the schema says a value must be. */
typedef struct expected {
	char base[32];     /* the built-in type it derives from, without "xs:" ("" when unknown) */
	char values[400];  /* the enumeration, joined */
	size_t value_count;
	char pattern[200];
	char min[32], max[32];
	bool min_exclusive, max_exclusive;
} expected;

static void add_facets(const xmlNode *root, const xmlNode *type, expected *e, int depth);

/* The simple type called name (a built-in one "xs:..." or one of the schema's) into e. */
static void add_type_name(const xmlNode *root, const char *name, expected *e, int depth)
{
	if (strncmp(name, "xs:", 3) == 0) {
		if (!e->base[0])
			snprintf(e->base, sizeof(e->base), "%s", name + 3);
		return;
	}
	const xmlNode *t = find_type(root, "simpleType", name);
	if (!t)
		t = find_type(root, "complexType", name);
	if (t)
		add_facets(root, t, e, depth + 1);
}

/* The facets of a simple type (or a complex type with simple content) n into e; the first wins. */
static void add_facets(const xmlNode *root, const xmlNode *n, expected *e, int depth)
{
	if (depth > 8)
		return;
	char buf[200];
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || is_xs(c, "attribute") || is_xs(c, "element") ||
		    is_xs(c, "annotation"))
			continue;
		if (is_xs(c, "restriction") || is_xs(c, "extension")) {
			add_facets(root, c, e, depth + 1); /* a restriction's own facets before its base's */
			if (xs_attr(c, "base", buf, sizeof(buf))[0])
				add_type_name(root, buf, e, depth);
		} else if (is_xs(c, "simpleType") || is_xs(c, "simpleContent") ||
			   is_xs(c, "complexType")) {
			add_facets(root, c, e, depth + 1);
		} else if (is_xs(c, "enumeration")) {
			xs_attr(c, "value", buf, sizeof(buf));
			size_t used = strlen(e->values);
			snprintf(e->values + used, sizeof(e->values) - used, "%s%s",
				 e->value_count ? _(", ") : "", buf);
			e->value_count++;
		} else if (is_xs(c, "pattern") && !e->pattern[0]) {
			xs_attr(c, "value", e->pattern, sizeof(e->pattern));
		} else if ((is_xs(c, "minInclusive") || is_xs(c, "minExclusive")) && !e->min[0]) {
			xs_attr(c, "value", e->min, sizeof(e->min));
			e->min_exclusive = is_xs(c, "minExclusive");
		} else if ((is_xs(c, "maxInclusive") || is_xs(c, "maxExclusive")) && !e->max[0]) {
			xs_attr(c, "value", e->max, sizeof(e->max));
			e->max_exclusive = is_xs(c, "maxExclusive");
		}
	}
}

/* What the value of element (attribute NULL: its text) must be, from schema's declaration. */
static bool expected_of(dl__schema_id schema, const xmlNode *element, const char *attribute, expected *e)
{
	memset(e, 0, sizeof(*e));
	xmlDocPtr doc = xsd_doc(schema);
	const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root)
		return false;
	const xmlNode *parent = element->parent;
	const char *pname = parent && parent->type == XML_ELEMENT_NODE ? (const char *)parent->name : NULL;
	const xmlNode *decl = NULL;
	bool in_parent = false;
	find_element(root, (const char *)element->name, pname, &decl, &in_parent);
	if (!decl)
		return false;
	if (attribute) {
		decl = find_attribute(root, decl, attribute, 0);
		if (!decl)
			return false;
	}
	char type[96];
	if (xs_attr(decl, "type", type, sizeof(type))[0])
		add_type_name(root, type, e, 0);
	else
		add_facets(root, decl, e, 0);
	return e->base[0] || e->value_count || e->pattern[0];
}

/* --- saying it ---------------------------------------------------------------------------------- */

static bool is_whole(const char *base)
{
	return strstr(base, "nteger") || strcmp(base, "int") == 0 || strcmp(base, "long") == 0 ||
	       strcmp(base, "short") == 0 || strncmp(base, "unsigned", 8) == 0;
}

/*
 * "-?[0-9]{1,12}(\.[0-9]{1,2})?": a number, negative or not, of at most *digits digits before the
 * point and at most *decimals after it.
 */
static bool number_pattern(const char *p, bool *negative, int *digits, int *decimals)
{
	*negative = strncmp(p, "-?", 2) == 0;
	if (*negative)
		p += 2;
	if (strncmp(p, "[0-9]{1,", 8) != 0)
		return false;
	p += 8;
	*digits = 0;
	while (*p >= '0' && *p <= '9')
		*digits = *digits * 10 + (*p++ - '0');
	if (*p++ != '}')
		return false;
	*decimals = 0;
	if (!*p)
		return true;
	if (strncmp(p, "(\\.[0-9]{1,", 11) != 0 || p[11] < '1' || p[11] > '9' || strcmp(p + 12, "})?") != 0)
		return false;
	*decimals = p[11] - '0';
	return true;
}

/*
 * The expectation of e in words, into buf, and the kind of slip to look for in the value
 * (*number: a number of that kind; *date, *id). NULL when the schema's words are not known.
 */
static const char *say_expected(const expected *e, char *buf, size_t size, int *number, bool *date,
				bool *id)
{
	*number = -1;
	*date = *id = false;
	bool negative;
	int digits, decimals;
	const char *p = e->pattern;
	if (e->value_count) {
		snprintf(buf, size, e->value_count == 1 ? _("'%s'") : _("one of %s"), e->values);
		return buf;
	}
	if (p[0]) {
		if (strstr(p, "[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
			*date = true;
			return _("a date written year-month-day (e.g. 2025-03-01)");
		}
		if (strstr(p, "[A-Za-z0-9") == p || strstr(p, "([A-Za-z0-9") == p) {
			*id = true;
			return strchr(p, ' ') ? _("codes separated by single spaces (e.g. S06 S08)")
					      : _("a code of letters, digits, '.', '_' or '-' (e.g. S01)");
		}
		if (number_pattern(p, &negative, &digits, &decimals)) {
			/* an amount of money (12 digits, fen): "50万" there is 500000 yuan */
			*number = decimals == 0 ? DL__NUMBER_WHOLE
				  : decimals == 2 && digits >= 12 ? DL__NUMBER_YUAN
								  : DL__NUMBER_DECIMAL4;
			if (decimals == 0)
				return _("a whole number (e.g. 126)");
			snprintf(buf, size,
				 negative ? _("a number with at most %d decimals (e.g. 12 or 12.5)")
					  : _("a number of 0 or more with at most %d decimals (e.g. 12 or 12.5)"),
				 decimals);
			return buf;
		}
		if (strncmp(p, "[0-9A-HJ-NP-RTUW-Y]{18}", 23) == 0)
			return _("an 18-character unified social credit code (digits and capital letters, "
				 "e.g. 91640303MA0T00001G)");
		if (strncmp(p, "[\\[(]", 5) == 0)
			return _("a range such as [10,20] or (20,40]");
		if (strncmp(p, "https?://", 9) == 0)
			return _("a web address beginning with http:// or https://");
		if (strncmp(p, "[^\\s;", 5) == 0)
			return _("one name, without spaces at either end and without ';', '、' or commas");
		return NULL;
	}
	const char *b = e->base;
	if (strcmp(b, "date") == 0) {
		*date = true;
		return _("a date written year-month-day (e.g. 2025-03-01)");
	}
	if (strcmp(b, "boolean") == 0)
		return _("true or false");
	bool whole = is_whole(b);
	if (!whole && strcmp(b, "decimal") != 0 && strcmp(b, "double") != 0 && strcmp(b, "float") != 0)
		return NULL;
	*number = whole ? DL__NUMBER_WHOLE : DL__NUMBER_DECIMAL4;
	char min[40] = "", max[40] = "";
	if (e->min[0])
		snprintf(min, sizeof(min), "%s", e->min);
	else if (strcmp(b, "positiveInteger") == 0)
		snprintf(min, sizeof(min), "1");
	else if (strncmp(b, "nonNegative", 11) == 0 || strncmp(b, "unsigned", 8) == 0)
		snprintf(min, sizeof(min), "0");
	if (e->max[0])
		snprintf(max, sizeof(max), "%s", e->max);
	bool exclusive = e->min_exclusive || e->max_exclusive;
	if (min[0] && max[0] && !exclusive)
		snprintf(buf, size, whole ? _("a whole number from %s to %s") : _("a number from %s to %s"), min, max);
	else if (min[0] && !e->min_exclusive)
		snprintf(buf, size, whole ? _("a whole number of at least %s") : _("a number of at least %s"), min);
	else if (min[0])
		snprintf(buf, size, _("a number above %s"), min);
	else if (max[0] && !e->max_exclusive)
		snprintf(buf, size, whole ? _("a whole number of at most %s") : _("a number of at most %s"), max);
	else if (max[0])
		snprintf(buf, size, _("a number below %s"), max);
	else
		return whole ? _("a whole number (e.g. 126)") : _("a number (e.g. 120 or 12.5)");
	return buf;
}

/* Where the document's elements are explained. */
static const char *guide(dl__schema_id schema)
{
	switch (schema) {
	case DL__SCHEMA_POLICY: return "docs/policy.md";
	case DL__SCHEMA_TARGETS: return "docs/cohort.md";
	case DL__SCHEMA_CATALOGUE: return "docs/catalogue.md";
	case DL__SCHEMA_TAGS: return "docs/scoring.md";
	default: return "questionnaires/README.md";
	}
}

/* The element or attribute as written in the file: "<cap>", "attribute yuan of <cap>". */
static const char *label_of(const xmlNode *element, const char *attribute, char *buf, size_t size)
{
	if (attribute && attribute[0])
		snprintf(buf, size, _("attribute %s of <%s>"), attribute, (const char *)element->name);
	else
		snprintf(buf, size, "<%s>", (const char *)element->name);
	return buf;
}

/* The elements libxml2 lists after "Expected is ( " or "Expected is one of ( ", as "<a>, <b>". */
static size_t expected_elements(const char *message, char *buf, size_t size)
{
	const char *p = message ? strstr(message, "Expected is") : NULL;
	p = p ? strchr(p, '(') : NULL;
	buf[0] = '\0';
	if (!p)
		return 0;
	size_t count = 0, used = 0;
	for (p++; *p && *p != ')';) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, " ,)");
		if (n == 0)
			break;
		int w = snprintf(buf + used, size - used, "%s<%.*s>", count ? _(", ") : "", (int)n, p);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
		count++;
		p += n;
	}
	return count;
}

/* A value error: what the value is and what it should be. */
static void value_message(dl__schema_id schema, const xmlError *error, const xmlNode *node,
			  const char *attribute, char *msg, size_t size)
{
	const char *text = error->message ? error->message : "";
	char label[160], value[512], quoted[96], words[400], fix[64] = "", most[16];
	label_of(node, attribute, label, sizeof(label));
	if (attribute[0]) {
		xmlChar *v = xmlGetProp(node, BAD_CAST attribute);
		dl__copy_truncated(value, sizeof(value), v ? (const char *)v : "");
		xmlFree(v);
	} else {
		dl__schema_element_text(node, value, sizeof(value));
	}
	if (error->code == XML_SCHEMAV_CVC_MAXLENGTH_VALID ||
	    error->code == XML_SCHEMAV_CVC_LENGTH_VALID) {
		if (dl__schema_quoted_after(text, "maximum length of '", most, sizeof(most)))
			snprintf(msg, size, _("%s is too long: at most %s characters (see %s)"), label, most,
				 guide(schema));
		else
			snprintf(msg, size, _("%s is too long (see %s)"), label, guide(schema));
		return;
	}
	if (error->code == XML_SCHEMAV_CVC_MINLENGTH_VALID) {
		snprintf(msg, size, value[0] ? _("%s is too short (see %s)") : _("%s is empty: write it (see %s)"),
			 label, guide(schema));
		return;
	}
	expected e;
	int number;
	bool date, id;
	const char *expect = expected_of(schema, node, attribute[0] ? attribute : NULL, &e)
				     ? say_expected(&e, words, sizeof(words), &number, &date, &id)
				     : NULL;
	if (!expect) {
		snprintf(msg, size, _("%s cannot hold '%s' (see %s)"), label,
			 dl__schema_shortened(value, quoted, sizeof(quoted)), guide(schema));
		return;
	}
	snprintf(msg, size, _("%s should be %s, not '%s'"), label, expect,
		 dl__schema_shortened(value, quoted, sizeof(quoted)));
	dl__slip slip = DL__SLIP_NONE;
	if (number >= 0)
		slip = dl__slip_number(value, (dl__number_kind)number, fix, sizeof(fix));
	else if (date)
		slip = dl__slip_date(value, fix, sizeof(fix));
	else if (id)
		slip = dl__slip_id(value, fix, sizeof(fix));
	dl__slip_advise(msg, size, slip, fix);
}

bool dl__schema_plain_message(dl__schema_id schema, const xmlError *error, char *msg, size_t size,
			      const xmlNode **element, const xmlNode **last, char *last_attribute)
{
	const xmlNode *node = error->node;
	char attribute[64] = "", name[64], list[400];
	const char *text = error->message ? error->message : "";
	*element = NULL;
	if (node && node->type == XML_ATTRIBUTE_NODE) {
		snprintf(attribute, sizeof(attribute), "%s", (const char *)node->name);
		node = node->parent;
	}
	if (!node || node->type != XML_ELEMENT_NODE) {
		snprintf(msg, size, _("the file is not written as its kind of document should be (see %s)"),
			 guide(schema));
		return true;
	}
	*element = node;
	if (!attribute[0] && strncmp(text, "Element '", 9) == 0)
		dl__schema_quoted_after(text, "', attribute '", attribute, sizeof(attribute));
	int code = error->code;
	if (dl__schema_value_error(code)) {
		if (*last == node && strcmp(last_attribute, attribute) == 0)
			return false; /* the same value, said once */
		*last = node;
		snprintf(last_attribute, 64, "%s", attribute);
		value_message(schema, error, node, attribute, msg, size);
		return true;
	}
	const char *el = (const char *)node->name;
	switch (code) {
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4:
	case XML_SCHEMAV_ELEMENT_CONTENT: {
		bool missing = strstr(text, "Missing child") != NULL;
		if (!missing && !strstr(text, "not expected"))
			break;
		size_t count = expected_elements(text, list, sizeof(list));
		if (missing && count > 0)
			snprintf(msg, size, count == 1 ? _("<%s> lacks %s") : _("<%s> lacks one of %s"), el,
				 list);
		else if (missing)
			snprintf(msg, size, _("<%s> lacks an element it needs (see %s)"), el, guide(schema));
		else if (count > 0)
			snprintf(msg, size,
				 count == 1 ? _("<%s> is not expected here (a misspelt name, an element given "
						"twice or in the wrong place?): here comes %s")
					    : _("<%s> is not expected here (a misspelt name, an element given "
						"twice or in the wrong place?): here comes one of %s"),
				 el, list);
		else
			snprintf(msg, size, _("<%s> is not expected here (a misspelt name, or an element "
					      "given twice?)"), el);
		return true;
	}
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
		if (!dl__schema_quoted_after(text, "The attribute '", name, sizeof(name)))
			break;
		snprintf(msg, size, _("<%s> lacks its attribute %s"), el, name);
		return true;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
		if (!attribute[0] && !dl__schema_quoted_after(text, "The attribute '", attribute, sizeof(attribute)))
			break;
		snprintf(msg, size, _("<%s> has no attribute %s (is it misspelt?)"), el, attribute);
		return true;
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
		if (strstr(text, "content type is empty")) {
			snprintf(msg, size, _("<%s> holds no text: its values are written in its attributes "
					      "(see %s)"), el, guide(schema));
			return true;
		}
		snprintf(msg, size, _("<%s> holds text of its own: write the text in the elements inside it"),
			 el);
		return true;
	case XML_SCHEMAV_CVC_IDC:
		if (dl__schema_quoted_after(text, "Duplicate key-sequence ['", name, sizeof(name))) {
			snprintf(msg, size, _("<%s> '%s' is given twice"), el, name);
			return true;
		}
		break;
	default:
		break;
	}
	snprintf(msg, size, _("%s is not written as it should be (see %s)"),
		 label_of(node, attribute, list, sizeof(list)), guide(schema));
	return true;
}
