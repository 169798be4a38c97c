/*
 * questionnaire.c: building a questionnaire from its XML, and the public accessors.
 *
 * Loading is three steps, run by load.c as for every format: libxml2 parses and the embedded XSD
 * validates (xmldoc.c), this file copies the tree into plain structs in one arena, and
 * questionnaire_check.c checks the meaning. The XML tree is freed before returning, so a loaded
 * questionnaire is small and immutable.
 */
#include "digilevel/catalogue.h"
#include "alloc.h"
#include "catalogue_index.h"
#include "i18n.h"
#include "load.h"
#include "sha256.h"

#include <stdio.h>
#include <string.h>

/* Numbers the schema has already checked lexically; a failure here is a limit. */
static int64_t attr_decimal(dl__builder *b, const xmlNode *n, const char *name,
			    const char *fallback)
{
	return dl__build_attr_number(b, n, name, fallback, 4, DL__DECIMAL_MAX);
}

/* A level or count (the schema allows 0-9 and 0-999), read exactly or reported. */
static int attr_int(dl__builder *b, const xmlNode *n, const char *name, int fallback)
{
	if (!xmlHasProp(n, BAD_CAST name))
		return fallback;
	return (int)dl__build_attr_number(b, n, name, "0", 0, 999);
}

static size_t figure_ref(dl__builder *b, const xmlNode *n, const char *attribute, bool required)
{
	const char *id = dl__build_attr(b, n, attribute, NULL);
	if (!id) {
		if (required && !b->oom) /* out of memory is reported once, at the end */
			b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
						_("<%s> needs attribute '%s'"), (const char *)n->name,
						attribute);
		return DL_NONE;
	}
	size_t i = dl_questionnaire_figure_find(b->obj, id);
	if (i == DL_NONE)
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("<%s> refers to unknown figure '%s' (declare it in <figures>)"),
					(const char *)n->name, id);
	return i;
}

static dl__ratio read_ratio(dl__builder *b, const xmlNode *n)
{
	dl__ratio r;
	r.numerator = figure_ref(b, n, "numerator", true);
	r.denominator = figure_ref(b, n, "denominator", false);
	r.scale = attr_decimal(b, n, "scale", "1");
	return r;
}

static void ratio_text(const dl_questionnaire *q, const dl__ratio *r, char *buf, size_t size)
{
	char scale[32];
	const char *num = r->numerator != DL_NONE ? q->figures[r->numerator].id : "?";
	int n = snprintf(buf, size, "%s", num);
	if (r->denominator != DL_NONE && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " / %s", q->figures[r->denominator].id);
	if (r->scale != DL_POINTS_SCALE && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " × %s", dl__decimal_format(r->scale, scale, sizeof(scale)));
}

static void read_band(dl__builder *b, dl__option *o, const xmlNode *n)
{
	const char *band = o->band;
	size_t len = strlen(band);
	const char *comma = strchr(band, ',');
	char lower[40], upper[40];
	if (len < 5 || !comma || (size_t)(comma - band) - 1 >= sizeof(lower) ||
	    len - (size_t)(comma - band) - 2 >= sizeof(upper)) {
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("option '%s': band '%s' is not an interval like (10,20]"), o->id, band);
		return;
	}
	memcpy(lower, band + 1, (size_t)(comma - band) - 1);
	lower[comma - band - 1] = '\0';
	memcpy(upper, comma + 1, len - (size_t)(comma - band) - 2);
	upper[len - (size_t)(comma - band) - 2] = '\0';
	o->lower_closed = band[0] == '[';
	o->upper_closed = band[len - 1] == ']';
	if (dl__number_parse(lower, 4, DL__DECIMAL_MAX, &o->lower) != 0 ||
	    dl__number_parse(upper, 4, DL__DECIMAL_MAX, &o->upper) != 0)
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("option '%s': band '%s' has an edge that is not a decimal within "
					  "±999999999.9999"), o->id,
					band);
}

/* The index of qu's option with this id (len bytes), or DL_NONE. */
static size_t option_index(const dl__question *qu, const char *id, size_t len)
{
	for (size_t i = 0; qu->options && i < qu->option_count; i++)
		if (strlen(qu->options[i].id) == len && strncmp(qu->options[i].id, id, len) == 0)
			return i;
	return DL_NONE;
}

/* The <hint> elements of question qu (element n), after its options. */
static void read_hints(dl__builder *b, dl__question *qu, const xmlNode *n)
{
	qu->hint_count = dl__xml_count(n, "hint");
	qu->hints = dl__build_array(b, qu->hint_count, sizeof(dl__hint));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "hint"); c && qu->hints; c = dl__xml_next(c, "hint")) {
		dl__hint *h = &qu->hints[i++];
		const char *option = dl__build_attr(b, c, "option", "");
		const char *unless = dl__build_attr(b, c, "unless-chosen", "");
		h->text = dl__build_text(b, c);
		h->pos = dl__build_pos(c);
		h->option = option[0] ? option_index(qu, option, strlen(option)) : DL_NONE;
		if (option[0] && h->option == DL_NONE)
			b->rc = dl__diag_report(b->d, DL_EINVALID, h->pos.line, h->pos.column,
						_("<hint> of question '%s' is about option '%s', which it does not have"),
						qu->id, option);
		if (unless[0] && !option[0])
			b->rc = dl__diag_report(b->d, DL_EINVALID, h->pos.line, h->pos.column,
						_("<hint> of question '%s': unless-chosen needs option"), qu->id);
		h->unless = dl__build_array(b, qu->option_count, sizeof(size_t));
		for (const char *p = unless; h->unless && *p;) {
			size_t len = strcspn(p, " ");
			size_t oi = len ? option_index(qu, p, len) : DL_NONE;
			if (len && oi == DL_NONE)
				b->rc = dl__diag_report(b->d, DL_EINVALID, h->pos.line, h->pos.column,
							_("<hint> of question '%s': unless-chosen names option '%.*s', "
							  "which it does not have"),
							qu->id, (int)len, p);
			else if (len && h->unless_count < qu->option_count)
				h->unless[h->unless_count++] = oi;
			p += len + (p[len] == ' ');
		}
	}
}

static void read_question(dl__builder *b, dl__question *qu, const xmlNode *n)
{
	qu->id = dl__build_attr(b, n, "id", "");
	qu->pos = dl__build_pos(n);
	qu->type = strcmp(dl__build_attr(b, n, "type", "single"), "multi") == 0
		       ? DL_QUESTION_MULTI
		       : DL_QUESTION_SINGLE;
	qu->points = attr_decimal(b, n, "points", "0");
	qu->outcome = dl__build_attr_bool(b, n, "outcome");
	qu->text = dl__build_child_text(b, n, "text");
	qu->unit = "";
	qu->derivation = "";
	qu->ratio.numerator = qu->ratio.denominator = DL_NONE;

	qu->definition_count = dl__xml_count(n, "definition");
	qu->definitions = dl__build_array(b, qu->definition_count, sizeof(char *));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "definition"); c && qu->definitions;
	     c = dl__xml_next(c, "definition"))
		qu->definitions[i++] = dl__build_text(b, c);

	qu->field_count = dl__xml_count(n, "field");
	qu->fields = dl__build_array(b, qu->field_count, sizeof(size_t));
	i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "field"); c && qu->fields; c = dl__xml_next(c, "field"))
		qu->fields[i++] = figure_ref(b, c, "figure", true);

	char buf[512], cur[200], prev[200], tol[32];
	xmlNodePtr value = dl__xml_child(n, "value");
	xmlNodePtr trend = dl__xml_child(n, "trend");
	if (value) {
		qu->input = DL_INPUT_VALUE;
		qu->unit = dl__build_attr(b, value, "unit", "");
		qu->min = attr_decimal(b, value, "min", "0");
		qu->max = attr_decimal(b, value, "max", "0");
		xmlNodePtr r = dl__xml_child(value, "ratio");
		if (r) {
			qu->has_ratio = true;
			qu->ratio = read_ratio(b, r);
			ratio_text(b->obj, &qu->ratio, buf, sizeof(buf));
			qu->derivation = dl__arena_strdup(b->arena, buf);
		}
	} else if (trend) {
		qu->input = DL_INPUT_TREND;
		qu->tolerance = attr_decimal(b, trend, "tolerance", "0");
		xmlNodePtr c = dl__xml_child(trend, "current");
		xmlNodePtr p = dl__xml_child(trend, "previous");
		if (c && p) {
			qu->current = read_ratio(b, c);
			qu->previous = read_ratio(b, p);
			ratio_text(b->obj, &qu->current, cur, sizeof(cur));
			ratio_text(b->obj, &qu->previous, prev, sizeof(prev));
			snprintf(buf, sizeof(buf), "%s against %s, within ±%s%% counts as flat", cur,
				 prev, dl__decimal_format(qu->tolerance, tol, sizeof(tol)));
			qu->derivation = dl__arena_strdup(b->arena, buf);
		}
	} else {
		qu->input = DL_INPUT_CHOICE;
	}
	if (!qu->derivation)
		b->oom = true;

	qu->option_count = dl__xml_count(n, "option");
	qu->options = dl__build_array(b, qu->option_count, sizeof(dl__option));
	i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "option"); c && qu->options;
	     c = dl__xml_next(c, "option")) {
		dl__option *o = &qu->options[i++];
		o->id = dl__build_attr(b, c, "id", "");
		o->text = dl__build_text(b, c);
		o->pos = dl__build_pos(c);
		o->points = attr_decimal(b, c, "points", "0");
		o->exclusive = dl__build_attr_bool(b, c, "exclusive");
		o->band = dl__build_attr(b, c, "band", "");
		if (o->band[0])
			read_band(b, o, c);
		const char *t = dl__build_attr(b, c, "trend", "");
		o->trend = strcmp(t, "up") == 0     ? DL_TREND_UP
			   : strcmp(t, "flat") == 0 ? DL_TREND_FLAT
			   : strcmp(t, "down") == 0 ? DL_TREND_DOWN
						    : DL_TREND_NONE;
	}
	read_hints(b, qu, n);
}

static const char *const NODE_ELEMENTS[] = {"dimension", "indicator", "subindicator", "question"};

/* How many nodes the scored tree has, so the node array is allocated once. */
static size_t count_nodes(const xmlNode *root)
{
	const char *const *names = NODE_ELEMENTS;
	size_t total = 0;
	for (xmlNodePtr a = dl__xml_child(root, names[0]); a; a = dl__xml_next(a, names[0])) {
		total++;
		for (xmlNodePtr b = dl__xml_child(a, names[1]); b; b = dl__xml_next(b, names[1])) {
			total++;
			for (xmlNodePtr c = dl__xml_child(b, names[2]); c;
			     c = dl__xml_next(c, names[2])) {
				total++;
				for (xmlNodePtr e = dl__xml_child(c, names[3]); e;
				     e = dl__xml_next(e, names[3]))
					total++;
			}
		}
	}
	return total;
}

static void read_tree(dl__builder *b, const xmlNode *parent, int depth, size_t parent_index)
{
	dl_questionnaire *q = b->obj;
	const char *name = NODE_ELEMENTS[depth];
	for (xmlNodePtr n = dl__xml_child(parent, name); n; n = dl__xml_next(n, name)) {
		size_t index = q->node_count++;
		dl__node *node = &q->nodes[index];
		node->kind = (dl_node_kind)depth;
		node->parent = parent_index;
		node->pos = dl__build_pos(n);
		node->id = dl__build_attr(b, n, "id", "");
		node->points = attr_decimal(b, n, "points", "0");
		node->question = DL_NONE;
		if (depth == DL_NODE_QUESTION) {
			size_t qi = q->question_count++;
			node->question = qi;
			q->questions[qi].node = index;
			read_question(b, &q->questions[qi], n);
			node->title = q->questions[qi].text;
		} else {
			node->title = dl__build_attr(b, n, "title", "");
			read_tree(b, n, depth + 1, index);
		}
	}
}

static void read_scenarios(dl__builder *b, const xmlNode *n)
{
	dl_questionnaire *q = b->obj;
	q->scenarios_title = dl__build_attr(b, n, "title", "");
	q->max_level = attr_int(b, n, "max-level", 0);
	q->group_count = dl__xml_count(n, "group");
	q->groups = dl__build_array(b, q->group_count, sizeof(dl__group));
	for (xmlNodePtr g = dl__xml_child(n, "group"); g; g = dl__xml_next(g, "group"))
		q->scenario_count += dl__xml_count(g, "scenario");
	q->scenarios = dl__build_array(b, q->scenario_count, sizeof(dl__scenario));
	if (!q->groups || !q->scenarios)
		return;
	size_t gi = 0, si = 0;
	for (xmlNodePtr g = dl__xml_child(n, "group"); g; g = dl__xml_next(g, "group"), gi++) {
		q->groups[gi].id = dl__build_attr(b, g, "id", "");
		q->groups[gi].title = dl__build_attr(b, g, "title", "");
		q->groups[gi].pos = dl__build_pos(g);
		for (xmlNodePtr s = dl__xml_child(g, "scenario"); s; s = dl__xml_next(s, "scenario")) {
			dl__scenario *sc = &q->scenarios[si++];
			sc->id = dl__build_attr(b, s, "id", "");
			sc->title = dl__build_attr(b, s, "title", "");
			sc->text = dl__build_child_text(b, s, "text");
			sc->group = gi;
			sc->constraint = dl__build_attr_bool(b, s, "constraint");
			sc->pos = dl__build_pos(s);
			if (sc->constraint)
				q->constraint_count++;
			sc->level_texts =
			    dl__build_array(b, (size_t)q->max_level + 1, sizeof(char *));
			if (!sc->level_texts)
				return;
			for (int l = 0; l <= q->max_level; l++)
				sc->level_texts[l] = "";
			for (xmlNodePtr l = dl__xml_child(s, "level"); l; l = dl__xml_next(l, "level")) {
				int value = attr_int(b, l, "value", 0);
				if (value < 1 || value > q->max_level) {
					b->rc = dl__diag_report(
						b->d, DL_EINVALID, dl__xml_line(l), dl__xml_column(l),
						_("scenario '%s': level %d is outside 1–%d (max-level)"),
						sc->id, value, q->max_level);
				} else if (sc->level_texts[value] && sc->level_texts[value][0]) {
					b->rc = dl__diag_report(
						b->d, DL_EINVALID, dl__xml_line(l), dl__xml_column(l),
						_("scenario '%s': level %d is described twice"), sc->id,
						value);
				} else {
					sc->level_texts[value] = dl__build_text(b, l);
				}
			}
		}
	}
}

static void read_levels_and_rule(dl__builder *b, const xmlNode *root)
{
	dl_questionnaire *q = b->obj;
	xmlNodePtr levels = dl__xml_child(root, "levels");
	xmlNodePtr rule = dl__xml_child(root, "rule");
	if (!levels || !rule)
		return;
	q->level_count = dl__xml_count(levels, "level");
	q->levels = dl__build_array(b, q->level_count, sizeof(dl__level));
	size_t i = 0;
	for (xmlNodePtr l = dl__xml_child(levels, "level"); l && q->levels;
	     l = dl__xml_next(l, "level")) {
		dl__level lv = {attr_int(b, l, "value", 0), dl__build_attr(b, l, "name", ""),
				dl__build_text(b, l), dl__build_pos(l)};
		/* keep sorted by value (insertion sort: at most 10 levels) */
		size_t j = i++;
		while (j > 0 && q->levels[j - 1].value > lv.value) {
			q->levels[j] = q->levels[j - 1];
			j--;
		}
		q->levels[j] = lv;
	}
	q->fallback = attr_int(b, rule, "fallback", 0);
	q->grade_count = dl__xml_count(rule, "grade");
	q->grades = dl__build_array(b, q->grade_count, sizeof(dl__grade));
	i = 0;
	for (xmlNodePtr g = dl__xml_child(rule, "grade"); g && q->grades;
	     g = dl__xml_next(g, "grade")) {
		dl__grade *gr = &q->grades[i++];
		gr->level = attr_int(b, g, "level", 0);
		gr->min_score = attr_decimal(b, g, "min-score", "0");
		gr->pos = dl__build_pos(g);
		xmlNodePtr gate = dl__xml_child(g, "scenarios");
		if (gate) {
			gr->has_gate = true;
			gr->gate_level = attr_int(b, gate, "min-level", 0);
			gr->gate_count = (size_t)attr_int(b, gate, "count", 0);
			gr->gate_constraint = (size_t)attr_int(b, gate, "constraint", 0);
		}
	}
}

static void build(dl__builder *b, const dl__xml *x)
{
	dl_questionnaire *q = b->obj;
	const xmlNode *root = xmlDocGetRootElement(x->doc);
	dl__sha256_hex(x->data, x->len, q->digest);
	q->pos = dl__build_pos(root);
	q->id = dl__build_attr(b, root, "id", "");
	q->version = dl__build_attr(b, root, "version", "");
	q->points = attr_decimal(b, root, "points", "0");
	q->title = dl__build_child_text(b, root, "title");
	q->issuer = dl__build_child_text(b, root, "issuer");
	q->document = dl__build_child_text(b, root, "document");
	q->issued = dl__build_child_text(b, root, "issued");
	q->scenarios_title = "";

	xmlNodePtr notes = dl__xml_child(root, "notes");
	if (notes) {
		q->note_count = dl__xml_count(notes, "note");
		q->notes = dl__build_array(b, q->note_count, sizeof(dl__note));
		size_t i = 0;
		for (xmlNodePtr n = dl__xml_child(notes, "note"); n && q->notes;
		     n = dl__xml_next(n, "note"), i++) {
			q->notes[i].id = dl__build_attr(b, n, "id", "");
			q->notes[i].title = dl__build_attr(b, n, "title", "");
			q->notes[i].text = dl__build_text(b, n);
			q->notes[i].pos = dl__build_pos(n);
		}
	}
	xmlNodePtr figures = dl__xml_child(root, "figures");
	if (figures) {
		q->figure_count = dl__xml_count(figures, "figure");
		q->figures = dl__build_array(b, q->figure_count, sizeof(dl__figure));
		size_t i = 0;
		for (xmlNodePtr n = dl__xml_child(figures, "figure"); n && q->figures;
		     n = dl__xml_next(n, "figure"), i++) {
			q->figures[i].id = dl__build_attr(b, n, "id", "");
			q->figures[i].label = dl__build_text(b, n);
			q->figures[i].unit = dl__build_attr(b, n, "unit", "");
			q->figures[i].integer = dl__build_attr_bool(b, n, "integer");
			q->figures[i].pos = dl__build_pos(n);
		}
	}
	size_t nodes = count_nodes(root);
	size_t questions = 0;
	for (xmlNodePtr a = dl__xml_child(root, "dimension"); a; a = dl__xml_next(a, "dimension"))
		for (xmlNodePtr c = dl__xml_child(a, "indicator"); c; c = dl__xml_next(c, "indicator"))
			for (xmlNodePtr e = dl__xml_child(c, "subindicator"); e;
			     e = dl__xml_next(e, "subindicator"))
				questions += dl__xml_count(e, "question");
	q->nodes = dl__build_array(b, nodes, sizeof(dl__node));
	q->questions = dl__build_array(b, questions, sizeof(dl__question));
	if (b->oom)
		return;
	read_tree(b, root, 0, DL_NONE);
	xmlNodePtr scenarios = dl__xml_child(root, "scenarios");
	if (scenarios)
		read_scenarios(b, scenarios);
	read_levels_and_rule(b, root);
}

static int check(void *q, dl__diag *d)
{
	return dl__questionnaire_check(q, d);
}

static const dl__loader LOADER = {"questionnaire", DL__SCHEMA_QUESTIONNAIRE,
				  DL__LOADER_LAYOUT(dl_questionnaire), build, check, NULL};

int dl_questionnaire_load_memory(dl_questionnaire **out, const char *data, size_t len,
				 const char *name, const dl_load_options *opts, dl_error *err)
{
	void *q = NULL;
	int rc = dl__load_memory(&LOADER, &q, data, len, name, opts, err);
	if (rc == 0)
		*out = q;
	return rc;
}

int dl_questionnaire_load(dl_questionnaire **out, const char *path, const dl_load_options *opts,
			  dl_error *err)
{
	void *q = NULL;
	int rc = dl__load_file(&LOADER, &q, path, opts, err);
	if (rc == 0)
		*out = q;
	return rc;
}

void dl_questionnaire_free(dl_questionnaire *q)
{
	if (!q)
		return;
	dl__cat_index_free(q->catalogue_index);
	dl_catalogue_free(q->catalogue);
	dl__arena_free(&q->arena);
	dl__free(q);
}
