/*
 * questionnaire.c: building a questionnaire from its XML, and the public accessors.
 *
 * Loading is three steps: libxml2 parses and the embedded XSD validates (xmldoc.c), this file copies
 * the tree into plain structs in one arena, and questionnaire_check.c checks the meaning. The XML
 * tree is freed before returning, so a loaded questionnaire is small and immutable.
 */
#include "alloc.h"
#include "model.h"
#include "xmldoc.h"

#include <stdio.h>
#include <string.h>

typedef struct builder {
	dl_questionnaire *q;
	dl__diag *d;
	bool oom;
	int rc; /* first semantic problem found while building */
} builder;

static dl__pos pos_of(const xmlNode *n)
{
	dl__pos p = {dl__xml_line(n), dl__xml_column(n)};
	return p;
}

static const char *attr(builder *b, const xmlNode *n, const char *name, const char *fallback)
{
	const char *v = dl__xml_attr(&b->q->arena, n, name, &b->oom);
	return v ? v : fallback;
}

static bool attr_bool(builder *b, const xmlNode *n, const char *name)
{
	const char *v = attr(b, n, name, "false");
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* Numbers the schema has already checked lexically; a failure here is a limit. */
static int64_t attr_decimal(builder *b, const xmlNode *n, const char *name, const char *fallback)
{
	const char *v = attr(b, n, name, fallback);
	int64_t value = 0;
	if (dl__decimal_parse(v, 4, &value) != 0) {
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					"attribute '%s' of <%s>: '%s' is not a decimal within ±%s", name,
					(const char *)n->name, v, "999999999.9999");
	}
	return value;
}

static int attr_int(builder *b, const xmlNode *n, const char *name, int fallback)
{
	const char *v = attr(b, n, name, NULL);
	if (!v)
		return fallback;
	long value = 0;
	for (const char *p = v; *p >= '0' && *p <= '9' && value < 1000000; p++)
		value = value * 10 + (*p - '0');
	return (int)value;
}

static const char *text(builder *b, const xmlNode *n)
{
	return dl__xml_text(&b->q->arena, n, &b->oom);
}

static void *array(builder *b, size_t count, size_t size)
{
	void *p = dl__arena_array(&b->q->arena, count, size);
	if (!p)
		b->oom = true;
	return p;
}

static size_t figure_ref(builder *b, const xmlNode *n, const char *attribute, bool required)
{
	const char *id = attr(b, n, attribute, NULL);
	if (!id) {
		if (required && !b->oom) /* out of memory is reported once, at the end */
			b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
						"<%s> needs attribute '%s'", (const char *)n->name,
						attribute);
		return DL_NONE;
	}
	size_t i = dl_questionnaire_figure_find(b->q, id);
	if (i == DL_NONE)
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					"<%s> refers to unknown figure '%s' (declare it in <figures>)",
					(const char *)n->name, id);
	return i;
}

static dl__ratio read_ratio(builder *b, const xmlNode *n)
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

static void read_band(builder *b, dl__option *o, const xmlNode *n)
{
	const char *band = o->band;
	size_t len = strlen(band);
	const char *comma = strchr(band, ',');
	char lower[40], upper[40];
	if (len < 5 || !comma || (size_t)(comma - band) - 1 >= sizeof(lower) ||
	    len - (size_t)(comma - band) - 2 >= sizeof(upper)) {
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					"option '%s': band '%s' is not an interval like (10,20]", o->id, band);
		return;
	}
	memcpy(lower, band + 1, (size_t)(comma - band) - 1);
	lower[comma - band - 1] = '\0';
	memcpy(upper, comma + 1, len - (size_t)(comma - band) - 2);
	upper[len - (size_t)(comma - band) - 2] = '\0';
	o->lower_closed = band[0] == '[';
	o->upper_closed = band[len - 1] == ']';
	if (dl__decimal_parse(lower, 4, &o->lower) != 0 || dl__decimal_parse(upper, 4, &o->upper) != 0)
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					"option '%s': band '%s' has an edge that is not a decimal", o->id,
					band);
}

static void read_question(builder *b, dl__question *qu, const xmlNode *n)
{
	qu->id = attr(b, n, "id", "");
	qu->pos = pos_of(n);
	qu->type = strcmp(attr(b, n, "type", "single"), "multi") == 0 ? DL_QUESTION_MULTI
								   : DL_QUESTION_SINGLE;
	qu->points = attr_decimal(b, n, "points", "0");
	qu->text = dl__xml_child_text(&b->q->arena, n, "text", &b->oom);
	qu->unit = "";
	qu->derivation = "";
	qu->ratio.numerator = qu->ratio.denominator = DL_NONE;

	qu->definition_count = dl__xml_count(n, "definition");
	qu->definitions = array(b, qu->definition_count, sizeof(char *));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "definition"); c && qu->definitions;
	     c = dl__xml_next(c, "definition"))
		qu->definitions[i++] = text(b, c);

	qu->field_count = dl__xml_count(n, "field");
	qu->fields = array(b, qu->field_count, sizeof(size_t));
	i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "field"); c && qu->fields; c = dl__xml_next(c, "field"))
		qu->fields[i++] = figure_ref(b, c, "figure", true);

	char buf[512], cur[200], prev[200], tol[32];
	xmlNodePtr value = dl__xml_child(n, "value");
	xmlNodePtr trend = dl__xml_child(n, "trend");
	if (value) {
		qu->input = DL_INPUT_VALUE;
		qu->unit = attr(b, value, "unit", "");
		qu->min = attr_decimal(b, value, "min", "0");
		qu->max = attr_decimal(b, value, "max", "0");
		xmlNodePtr r = dl__xml_child(value, "ratio");
		if (r) {
			qu->has_ratio = true;
			qu->ratio = read_ratio(b, r);
			ratio_text(b->q, &qu->ratio, buf, sizeof(buf));
			qu->derivation = dl__arena_strdup(&b->q->arena, buf);
		}
	} else if (trend) {
		qu->input = DL_INPUT_TREND;
		qu->tolerance = attr_decimal(b, trend, "tolerance", "0");
		xmlNodePtr c = dl__xml_child(trend, "current");
		xmlNodePtr p = dl__xml_child(trend, "previous");
		if (c && p) {
			qu->current = read_ratio(b, c);
			qu->previous = read_ratio(b, p);
			ratio_text(b->q, &qu->current, cur, sizeof(cur));
			ratio_text(b->q, &qu->previous, prev, sizeof(prev));
			snprintf(buf, sizeof(buf), "%s against %s, within ±%s%% counts as flat", cur,
				 prev, dl__decimal_format(qu->tolerance, tol, sizeof(tol)));
			qu->derivation = dl__arena_strdup(&b->q->arena, buf);
		}
	} else {
		qu->input = DL_INPUT_CHOICE;
	}
	if (!qu->derivation)
		b->oom = true;

	qu->option_count = dl__xml_count(n, "option");
	qu->options = array(b, qu->option_count, sizeof(dl__option));
	i = 0;
	for (xmlNodePtr c = dl__xml_child(n, "option"); c && qu->options;
	     c = dl__xml_next(c, "option")) {
		dl__option *o = &qu->options[i++];
		o->id = attr(b, c, "id", "");
		o->text = text(b, c);
		o->pos = pos_of(c);
		o->points = attr_decimal(b, c, "points", "0");
		o->exclusive = attr_bool(b, c, "exclusive");
		o->band = attr(b, c, "band", "");
		if (o->band[0])
			read_band(b, o, c);
		const char *t = attr(b, c, "trend", "");
		o->trend = strcmp(t, "up") == 0     ? DL_TREND_UP
			   : strcmp(t, "flat") == 0 ? DL_TREND_FLAT
			   : strcmp(t, "down") == 0 ? DL_TREND_DOWN
						    : DL_TREND_NONE;
	}
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

static void read_tree(builder *b, const xmlNode *parent, int depth, size_t parent_index)
{
	dl_questionnaire *q = b->q;
	const char *name = NODE_ELEMENTS[depth];
	for (xmlNodePtr n = dl__xml_child(parent, name); n; n = dl__xml_next(n, name)) {
		size_t index = q->node_count++;
		dl__node *node = &q->nodes[index];
		node->kind = (dl_node_kind)depth;
		node->parent = parent_index;
		node->pos = pos_of(n);
		node->id = attr(b, n, "id", "");
		node->points = attr_decimal(b, n, "points", "0");
		node->question = DL_NONE;
		if (depth == DL_NODE_QUESTION) {
			size_t qi = q->question_count++;
			node->question = qi;
			q->questions[qi].node = index;
			read_question(b, &q->questions[qi], n);
			node->title = q->questions[qi].text;
		} else {
			node->title = attr(b, n, "title", "");
			read_tree(b, n, depth + 1, index);
		}
	}
}

static void read_scenarios(builder *b, const xmlNode *n)
{
	dl_questionnaire *q = b->q;
	q->scenarios_title = attr(b, n, "title", "");
	q->max_level = attr_int(b, n, "max-level", 0);
	q->group_count = dl__xml_count(n, "group");
	q->groups = array(b, q->group_count, sizeof(dl__group));
	for (xmlNodePtr g = dl__xml_child(n, "group"); g; g = dl__xml_next(g, "group"))
		q->scenario_count += dl__xml_count(g, "scenario");
	q->scenarios = array(b, q->scenario_count, sizeof(dl__scenario));
	if (!q->groups || !q->scenarios)
		return;
	size_t gi = 0, si = 0;
	for (xmlNodePtr g = dl__xml_child(n, "group"); g; g = dl__xml_next(g, "group"), gi++) {
		q->groups[gi].id = attr(b, g, "id", "");
		q->groups[gi].title = attr(b, g, "title", "");
		q->groups[gi].pos = pos_of(g);
		for (xmlNodePtr s = dl__xml_child(g, "scenario"); s; s = dl__xml_next(s, "scenario")) {
			dl__scenario *sc = &q->scenarios[si++];
			sc->id = attr(b, s, "id", "");
			sc->title = attr(b, s, "title", "");
			sc->text = dl__xml_child_text(&q->arena, s, "text", &b->oom);
			sc->group = gi;
			sc->constraint = attr_bool(b, s, "constraint");
			sc->pos = pos_of(s);
			if (sc->constraint)
				q->constraint_count++;
			sc->level_texts = array(b, (size_t)q->max_level + 1, sizeof(char *));
			if (!sc->level_texts)
				return;
			for (int l = 0; l <= q->max_level; l++)
				sc->level_texts[l] = "";
			for (xmlNodePtr l = dl__xml_child(s, "level"); l; l = dl__xml_next(l, "level")) {
				int value = attr_int(b, l, "value", 0);
				if (value < 1 || value > q->max_level) {
					b->rc = dl__diag_report(
						b->d, DL_EINVALID, dl__xml_line(l), dl__xml_column(l),
						"scenario '%s': level %d is outside 1–%d (max-level)",
						sc->id, value, q->max_level);
				} else if (sc->level_texts[value] && sc->level_texts[value][0]) {
					b->rc = dl__diag_report(
						b->d, DL_EINVALID, dl__xml_line(l), dl__xml_column(l),
						"scenario '%s': level %d is described twice", sc->id,
						value);
				} else {
					sc->level_texts[value] = text(b, l);
				}
			}
		}
	}
}

static void read_levels_and_rule(builder *b, const xmlNode *root)
{
	dl_questionnaire *q = b->q;
	xmlNodePtr levels = dl__xml_child(root, "levels");
	xmlNodePtr rule = dl__xml_child(root, "rule");
	if (!levels || !rule)
		return;
	q->level_count = dl__xml_count(levels, "level");
	q->levels = array(b, q->level_count, sizeof(dl__level));
	size_t i = 0;
	for (xmlNodePtr l = dl__xml_child(levels, "level"); l && q->levels;
	     l = dl__xml_next(l, "level")) {
		dl__level lv = {attr_int(b, l, "value", 0), attr(b, l, "name", ""), text(b, l), pos_of(l)};
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
	q->grades = array(b, q->grade_count, sizeof(dl__grade));
	i = 0;
	for (xmlNodePtr g = dl__xml_child(rule, "grade"); g && q->grades;
	     g = dl__xml_next(g, "grade")) {
		dl__grade *gr = &q->grades[i++];
		gr->level = attr_int(b, g, "level", 0);
		gr->min_score = attr_decimal(b, g, "min-score", "0");
		gr->pos = pos_of(g);
		xmlNodePtr gate = dl__xml_child(g, "scenarios");
		if (gate) {
			gr->has_gate = true;
			gr->gate_level = attr_int(b, gate, "min-level", 0);
			gr->gate_count = (size_t)attr_int(b, gate, "count", 0);
			gr->gate_constraint = (size_t)attr_int(b, gate, "constraint", 0);
		}
	}
}

static void build(builder *b, const xmlNode *root)
{
	dl_questionnaire *q = b->q;
	q->pos = pos_of(root);
	q->id = attr(b, root, "id", "");
	q->version = attr(b, root, "version", "");
	q->points = attr_decimal(b, root, "points", "0");
	q->title = dl__xml_child_text(&q->arena, root, "title", &b->oom);
	q->issuer = dl__xml_child_text(&q->arena, root, "issuer", &b->oom);
	q->document = dl__xml_child_text(&q->arena, root, "document", &b->oom);
	q->issued = dl__xml_child_text(&q->arena, root, "issued", &b->oom);
	q->scenarios_title = "";

	xmlNodePtr notes = dl__xml_child(root, "notes");
	if (notes) {
		q->note_count = dl__xml_count(notes, "note");
		q->notes = array(b, q->note_count, sizeof(dl__note));
		size_t i = 0;
		for (xmlNodePtr n = dl__xml_child(notes, "note"); n && q->notes;
		     n = dl__xml_next(n, "note"), i++) {
			q->notes[i].id = attr(b, n, "id", "");
			q->notes[i].title = attr(b, n, "title", "");
			q->notes[i].text = text(b, n);
			q->notes[i].pos = pos_of(n);
		}
	}
	xmlNodePtr figures = dl__xml_child(root, "figures");
	if (figures) {
		q->figure_count = dl__xml_count(figures, "figure");
		q->figures = array(b, q->figure_count, sizeof(dl__figure));
		size_t i = 0;
		for (xmlNodePtr n = dl__xml_child(figures, "figure"); n && q->figures;
		     n = dl__xml_next(n, "figure"), i++) {
			q->figures[i].id = attr(b, n, "id", "");
			q->figures[i].label = text(b, n);
			q->figures[i].unit = attr(b, n, "unit", "");
			q->figures[i].integer = attr_bool(b, n, "integer");
			q->figures[i].pos = pos_of(n);
		}
	}
	size_t nodes = count_nodes(root);
	size_t questions = 0;
	for (xmlNodePtr a = dl__xml_child(root, "dimension"); a; a = dl__xml_next(a, "dimension"))
		for (xmlNodePtr c = dl__xml_child(a, "indicator"); c; c = dl__xml_next(c, "indicator"))
			for (xmlNodePtr e = dl__xml_child(c, "subindicator"); e;
			     e = dl__xml_next(e, "subindicator"))
				questions += dl__xml_count(e, "question");
	q->nodes = array(b, nodes, sizeof(dl__node));
	q->questions = array(b, questions, sizeof(dl__question));
	if (b->oom)
		return;
	read_tree(b, root, 0, DL_NONE);
	xmlNodePtr scenarios = dl__xml_child(root, "scenarios");
	if (scenarios)
		read_scenarios(b, scenarios);
	read_levels_and_rule(b, root);
}

static int load(dl_questionnaire **out, char *data, size_t len, const char *name,
		const dl_load_options *opts, dl_error *err)
{
	dl__xml x = {NULL, NULL, 0};
	dl_questionnaire *q = NULL;
	dl__diag d;
	int rc;

	dl__diag_init(&d, opts, err, name);
	rc = dl__xml_load(&x, data, len, "questionnaire", DL__SCHEMA_QUESTIONNAIRE,
			  opts ? opts->max_file_size : 0, &d);
	if (rc < 0)
		goto done;
	q = dl__calloc(1, sizeof(*q));
	if (!q) {
		rc = dl__diag_report(&d, DL_ENOMEM, 0, 0, "out of memory");
		goto done;
	}
	builder b = {q, &d, false, 0};
	q->path = dl__arena_strdup(&q->arena, name);
	if (!q->path)
		b.oom = true;
	else
		build(&b, xmlDocGetRootElement(x.doc));
	if (b.oom) {
		rc = dl__diag_report(&d, DL_ENOMEM, 0, 0, "out of memory");
		goto done;
	}
	rc = dl__questionnaire_check(q, &d);
	if (b.rc < 0 && rc == 0)
		rc = b.rc;
	if (rc < 0)
		goto done;
	*out = q;
	q = NULL;
done:
	dl_questionnaire_free(q);
	dl__xml_free(&x);
	return rc;
}

int dl_questionnaire_load_memory(dl_questionnaire **out, const char *data, size_t len,
				 const char *name, const dl_load_options *opts, dl_error *err)
{
	char *copy = dl__malloc(len + 1);
	if (!copy)
		return dl__error_set(err, DL_ENOMEM, name, 0, 0, "out of memory");
	memcpy(copy, data, len);
	copy[len] = '\0';
	return load(out, copy, len, name, opts, err);
}

int dl_questionnaire_load(dl_questionnaire **out, const char *path, const dl_load_options *opts,
			  dl_error *err)
{
	char *data = NULL;
	size_t len = 0;
	dl__diag d;
	dl__diag_init(&d, opts, err, path);
	int rc = dl__xml_read_file(path, opts ? opts->max_file_size : 0, &data, &len, &d);
	if (rc < 0)
		return rc;
	return load(out, data, len, path, opts, err);
}

void dl_questionnaire_free(dl_questionnaire *q)
{
	if (!q)
		return;
	dl__arena_free(&q->arena);
	dl__free(q);
}
