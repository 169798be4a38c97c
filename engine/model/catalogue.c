/*
 * catalogue.c: the solution catalogue: building it from XML, checking its meaning alone and against
 * the questionnaire it is written for, finding it next to that questionnaire, and the accessors.
 *
 * Loading follows the other formats (load.h): parse and validate against the embedded
 * catalogue.xsd, copy into one arena, then check what a schema cannot say (unique ids, low <= high,
 * references to declared providers and sources). The figures are indicative, but a typo in them
 * (a range upside down, a solution lifting a question that does not exist) would still mislead a
 * plan, so every such problem is reported with its position, all at once, and the file refused.
 */
#include "alloc.h"
#include "i18n.h"
#include "catalogue_model.h"
#include "catalogue_index.h"
#include "load.h"
#include "xmldoc.h"

#include <assert.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT(pos, ...) dl__diag_report(d, DL_EINVALID, (pos).line, (pos).column, __VA_ARGS__)

/** Largest cost in 万元 units of 10^-4 (999999.9999 万元, as the schema allows). */
#define DL__WAN_MAX INT64_C(9999999999)

/* Splits a space-separated id list into an arena array. */
static const char **split_ids(dl__builder *b, const char *list, size_t *count)
{
	size_t n = 0;
	for (const char *p = list; *p; p++)
		n += *p != ' ' && (p == list || p[-1] == ' ');
	const char **out = dl__build_array(b, n ? n : 1, sizeof(char *));
	*count = 0;
	if (!out)
		return NULL;
	const char *p = list;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if (p > start) {
			char *s = dl__arena_alloc(b->arena, (size_t)(p - start) + 1);
			if (!s) {
				b->oom = true;
				return NULL;
			}
			memcpy(s, start, (size_t)(p - start));
			s[p - start] = '\0';
			out[(*count)++] = s;
		}
	}
	return out;
}

static int64_t wan_to_fen(dl__builder *b, const xmlNode *n, const char *attr)
{
	int64_t units = 0;
	const char *what = strcmp(attr, "low") == 0 ? _("the lowest cost in 万元 (<cost low>)")
			   : strcmp(attr, "high") == 0 ? _("the highest cost in 万元 (<cost high>)")
						       : attr;
	dl__build_number(b, n, what, dl__build_attr(b, n, attr, "0"), 4, DL__WAN_MAX, &units);
	return units * 100; /* 10^-4 万元 is one yuan */
}

static void read_solution(dl__builder *b, dl__cat_solution *s, const xmlNode *n)
{
	s->pos = dl__build_pos(n);
	s->id = dl__build_attr(b, n, "id", "");
	s->category = dl__build_attr(b, n, "category", "");
	s->confidence = dl__build_attr(b, n, "confidence", "");
	s->sources = dl__build_attr(b, n, "sources", "");
	const char *subsidy = dl__build_attr(b, n, "subsidy", "");
	s->subsidy = strcmp(subsidy, "eligible") == 0   ? DL_SUBSIDY_ELIGIBLE
		     : strcmp(subsidy, "depends") == 0 ? DL_SUBSIDY_DEPENDS
						       : DL_SUBSIDY_INELIGIBLE;
	s->name = dl__build_child_text(b, n, "name");
	s->description = dl__build_child_text(b, n, "description");
	xmlNodePtr c = dl__xml_child(n, "cost");
	if (c) {
		s->cost_pos = dl__build_pos(c);
		s->cost_low = wan_to_fen(b, c, "low");
		s->cost_high = wan_to_fen(b, c, "high");
	}
	if ((c = dl__xml_child(n, "weeks"))) {
		s->weeks_pos = dl__build_pos(c);
		s->weeks_low = (int)dl__build_attr_number(b, c, "low", "1", 0, 520);
		s->weeks_high = (int)dl__build_attr_number(b, c, "high", "1", 0, 520);
	}
	s->lift_count = dl__xml_count(n, "lifts");
	s->lifts = dl__build_array(b, s->lift_count, sizeof(*s->lifts));
	size_t i = 0;
	for (c = dl__xml_child(n, "lifts"); c && s->lifts; c = dl__xml_next(c, "lifts"), i++) {
		dl__cat_lift *l = &s->lifts[i];
		l->pos = dl__build_pos(c);
		l->question = dl__build_attr(b, c, "question", "");
		l->scenario = dl__build_attr(b, c, "scenario", "");
		l->options = split_ids(b, dl__build_attr(b, c, "options", ""), &l->option_count);
		l->level = (int)dl__build_attr_number(b, c, "level", "0", 0, 9);
		if (!xmlHasProp(c, (const xmlChar *)"level"))
			l->level = -1;
	}
	s->provider_count = dl__xml_count(n, "offered-by");
	s->provider_ids = dl__build_array(b, s->provider_count, sizeof(char *));
	s->providers = dl__build_array(b, s->provider_count, sizeof(size_t));
	s->provider_pos = dl__build_array(b, s->provider_count, sizeof(dl__pos));
	i = 0;
	for (c = dl__xml_child(n, "offered-by"); c && s->provider_ids && s->providers && s->provider_pos;
	     c = dl__xml_next(c, "offered-by"), i++) {
		s->provider_ids[i] = dl__build_attr(b, c, "provider", "");
		s->provider_pos[i] = dl__build_pos(c);
		s->providers[i] = DL_NONE;
	}
}

static void build(dl__builder *b, const dl__xml *x)
{
	dl_catalogue *c = b->obj;
	const xmlNode *root = xmlDocGetRootElement(x->doc);
	c->id = dl__build_attr(b, root, "id", "");
	c->version = dl__build_attr(b, root, "version", "");
	c->title = dl__build_child_text(b, root, "title");
	c->note = dl__build_child_text(b, root, "note");
	c->questionnaire_id = c->questionnaire_version = "";
	xmlNodePtr n;
	if ((n = dl__xml_child(root, "questionnaire"))) {
		c->questionnaire_id = dl__build_attr(b, n, "id", "");
		c->questionnaire_version = dl__build_attr(b, n, "version", "");
		c->questionnaire_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(root, "sources"))) {
		c->source_count = dl__xml_count(n, "source");
		c->sources = dl__build_array(b, c->source_count, sizeof(*c->sources));
		size_t i = 0;
		for (xmlNodePtr e = dl__xml_child(n, "source"); e && c->sources;
		     e = dl__xml_next(e, "source"), i++) {
			c->sources[i].id = dl__build_attr(b, e, "id", "");
			c->sources[i].url = dl__build_attr(b, e, "url", "");
			c->sources[i].confidence = dl__build_attr(b, e, "confidence", "");
			c->sources[i].title = dl__build_text(b, e);
			c->sources[i].pos = dl__build_pos(e);
		}
	}
	if ((n = dl__xml_child(root, "providers"))) {
		c->provider_count = dl__xml_count(n, "provider");
		c->provider_list = dl__build_array(b, c->provider_count, sizeof(*c->provider_list));
		size_t i = 0;
		for (xmlNodePtr e = dl__xml_child(n, "provider"); e && c->provider_list;
		     e = dl__xml_next(e, "provider"), i++) {
			c->provider_list[i].id = dl__build_attr(b, e, "id", "");
			c->provider_list[i].kind = dl__build_attr(b, e, "kind", "");
			c->provider_list[i].name = dl__build_text(b, e);
			c->provider_list[i].pos = dl__build_pos(e);
		}
	}
	if (b->oom)
		return;
	c->solution_count = dl__xml_count(root, "solution");
	c->solutions = dl__build_array(b, c->solution_count, sizeof(*c->solutions));
	size_t i = 0;
	for (xmlNodePtr e = dl__xml_child(root, "solution"); e && c->solutions;
	     e = dl__xml_next(e, "solution"))
		read_solution(b, &c->solutions[i++], e);
}

/* --- meaning ----------------------------------------------------------------------------------- */

static size_t provider_find(const dl_catalogue *c, const char *id)
{
	for (size_t i = 0; i < c->provider_count; i++)
		if (strcmp(c->provider_list[i].id, id) == 0)
			return i;
	return DL_NONE;
}

static bool source_declared(const dl_catalogue *c, const char *id, size_t len)
{
	for (size_t i = 0; i < c->source_count; i++)
		if (strlen(c->sources[i].id) == len && strncmp(c->sources[i].id, id, len) == 0)
			return true;
	return false;
}

static void check_solution(dl_catalogue *c, size_t si, dl__diag *d)
{
	dl__cat_solution *s = &c->solutions[si];
	for (size_t j = 0; j < si; j++)
		if (strcmp(s->id, c->solutions[j].id) == 0) {
			REPORT(s->pos, _("duplicate solution id '%s' (first at line %lu)"), s->id,
			       c->solutions[j].pos.line);
			break;
		}
	if (s->cost_low > s->cost_high)
		REPORT(s->cost_pos, _("solution '%s': cost low is above high"), s->id);
	if (s->weeks_low > s->weeks_high)
		REPORT(s->weeks_pos, _("solution '%s': weeks low (%d) is above high (%d)"), s->id,
		       s->weeks_low, s->weeks_high);
	for (const char *p = s->sources; *p;) {
		size_t len = strcspn(p, " ");
		if (!source_declared(c, p, len))
			REPORT(s->pos, _("solution '%s': source '%.*s' is not declared in <sources>"), s->id,
			       (int)len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
	for (size_t k = 0; k < s->lift_count; k++) {
		const dl__cat_lift *l = &s->lifts[k];
		bool question = l->question[0] != '\0', scenario = l->scenario[0] != '\0';
		if (question == scenario)
			REPORT(l->pos, _("solution '%s': a <lifts> names either a question or a scenario"),
			       s->id);
		else if (question && l->option_count == 0)
			REPORT(l->pos, _("solution '%s': <lifts question=\"%s\"> names no options"), s->id,
			       l->question);
		else if (question && l->level >= 0)
			REPORT(l->pos, _("solution '%s': a question's <lifts> takes options, not a level"),
			       s->id);
		else if (scenario && l->level < 0)
			REPORT(l->pos, _("solution '%s': <lifts scenario=\"%s\"> names no level"), s->id,
			       l->scenario);
		else if (scenario && l->option_count > 0)
			REPORT(l->pos, _("solution '%s': a scenario's <lifts> takes a level, not options"),
			       s->id);
	}
	for (size_t k = 0; k < s->provider_count; k++) {
		s->providers[k] = provider_find(c, s->provider_ids[k]);
		if (s->providers[k] == DL_NONE)
			REPORT(s->provider_pos[k], _("solution '%s': provider '%s' is not declared in <providers>"),
			       s->id, s->provider_ids[k]);
	}
}

static int check_meaning(void *obj, dl__diag *d)
{
	dl_catalogue *c = obj;
	unsigned long before = d->count;
	for (size_t i = 0; i < c->source_count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->sources[i].id, c->sources[j].id) == 0) {
				REPORT(c->sources[i].pos, _("duplicate source id '%s' (first at line %lu)"),
				       c->sources[i].id, c->sources[j].pos.line);
				break;
			}
	for (size_t i = 0; i < c->provider_count; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->provider_list[i].id, c->provider_list[j].id) == 0) {
				REPORT(c->provider_list[i].pos, _("duplicate provider id '%s' (first at line %lu)"),
				       c->provider_list[i].id, c->provider_list[j].pos.line);
				break;
			}
	for (size_t i = 0; i < c->solution_count; i++)
		check_solution(c, i, d);
	return d->count > before ? DL_EINVALID : 0;
}

/* --- loading ----------------------------------------------------------------------------------- */

static const dl__loader LOADER = {"solution-catalogue", DL__SCHEMA_CATALOGUE,
				  DL__LOADER_LAYOUT(dl_catalogue), build, check_meaning, NULL};

int dl_catalogue_load_memory(dl_catalogue **out, const char *data, size_t len, const char *name,
			     const dl_load_options *opts, dl_error *err)
{
	void *c = NULL;
	int rc = dl__load_memory(&LOADER, &c, data, len, name, opts, err);
	if (rc == 0)
		*out = c;
	return rc;
}

int dl_catalogue_load(dl_catalogue **out, const char *path, const dl_load_options *opts,
		      dl_error *err)
{
	void *c = NULL;
	int rc = dl__load_file(&LOADER, &c, path, opts, err);
	if (rc == 0)
		*out = c;
	return rc;
}

void dl_catalogue_free(dl_catalogue *c)
{
	if (!c)
		return;
	dl__arena_free(&c->arena);
	dl__free(c);
}

int dl_catalogue_check(const dl_catalogue *c, const dl_questionnaire *q, const dl_load_options *opts,
		       dl_error *err)
{
	assert(c && q);
	dl__diag dd, *d = &dd;
	int rc = dl__load_options_check(opts, err);
	if (rc < 0)
		return rc;
	dl__diag_init(d, opts, err, c->path);
	if (strcmp(c->questionnaire_id, dl_questionnaire_id(q)) != 0 ||
	    strcmp(c->questionnaire_version, dl_questionnaire_version(q)) != 0)
		return dl__diag_report(d, DL_EMISMATCH, c->questionnaire_pos.line,
				       c->questionnaire_pos.column,
				       _("the catalogue is written for questionnaire %s %s, not %s %s"),
				       c->questionnaire_id, c->questionnaire_version,
				       dl_questionnaire_id(q), dl_questionnaire_version(q));
	int max = dl_questionnaire_scenario_max_level(q);
	for (size_t i = 0; i < c->solution_count; i++) {
		const dl__cat_solution *s = &c->solutions[i];
		for (size_t k = 0; k < s->lift_count; k++) {
			const dl__cat_lift *l = &s->lifts[k];
			if (l->scenario[0]) {
				if (dl_questionnaire_scenario_find(q, l->scenario) == DL_NONE)
					REPORT(l->pos, _("solution '%s': scenario '%s' is not in questionnaire %s %s"),
					       s->id, l->scenario, dl_questionnaire_id(q),
					       dl_questionnaire_version(q));
				else if (l->level < 1 || l->level > max)
					REPORT(l->pos, _("solution '%s': scenario '%s' has levels 1 to %d, not %d"),
					       s->id, l->scenario, max, l->level);
				continue;
			}
			size_t qi = dl_questionnaire_question_find(q, l->question);
			if (qi == DL_NONE) {
				REPORT(l->pos, _("solution '%s': question '%s' is not in questionnaire %s %s"),
				       s->id, l->question, dl_questionnaire_id(q), dl_questionnaire_version(q));
				continue;
			}
			if (dl_questionnaire_question_is_outcome(q, qi))
				REPORT(l->pos,
				       _("solution '%s': question '%s' is an outcome, measured and not delivered: "
				       "no solution lifts it"),
				       s->id, l->question);
			for (size_t o = 0; o < l->option_count; o++)
				if (dl_questionnaire_option_find(q, qi, l->options[o]) == DL_NONE)
					REPORT(l->pos, _("solution '%s': question '%s' has no option '%s'"), s->id,
					       l->question, l->options[o]);
		}
	}
	return d->count ? DL_EINVALID : 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dl_catalogue_find(dl_catalogue **out, const dl_questionnaire *q, const dl_load_options *opts,
		      dl_error *err)
{
	const char *qpath = dl_questionnaire_path(q);
	const char *slash = strrchr(qpath, '/');
	char dir[1024];
	if (dl__load_options_check(opts, err) < 0)
		return DL_EINVALID;
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - qpath), qpath);
	else
		snprintf(dir, sizeof(dir), ".");
	if (!dir[0])
		snprintf(dir, sizeof(dir), "/");
	DIR *dp = opendir(dir);
	if (!dp)
		return dl__error_set(err, DL_ENOTFOUND, dir, 0, 0, _("no solution catalogue: cannot read the directory"));
	char *names[256] = {NULL};
	size_t count = 0;
	bool nomem = false; /* a file skipped for want of memory: not finding one is then no answer */
	struct dirent *e;
	while ((e = readdir(dp)) && count < 256) {
		size_t len = strlen(e->d_name);
		if (len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if ((names[count] = dl__strdup(e->d_name)))
			count++;
		else
			nomem = true;
	}
	closedir(dp);
	qsort(names, count, sizeof(char *), compare_names);
	int rc = DL_ENOTFOUND;
	for (size_t i = 0; i < count && rc == DL_ENOTFOUND; i++) {
		char path[1300], *root = NULL, *id = NULL, *version = NULL;
		size_t len = 0;
		int status = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		dl__diag quiet;
		dl__diag_init(&quiet, NULL, NULL, path);
		int read = dl__xml_peek_file(path, opts ? opts->max_file_size : 0, &root, &id, &version,
					     &status, &len, &quiet);
		if (read == DL_ENOMEM || status == DL__PEEK_NOMEM)
			nomem = true;
		if (root && strcmp(root, "solution-catalogue") == 0) {
			dl_catalogue *c = NULL;
			rc = dl_catalogue_load(&c, path, opts, err);
			if (rc == 0 && (strcmp(c->questionnaire_id, dl_questionnaire_id(q)) != 0 ||
					strcmp(c->questionnaire_version, dl_questionnaire_version(q)) != 0)) {
				dl_catalogue_free(c); /* for another edition: look on */
				rc = DL_ENOTFOUND;
			} else if (rc == 0 && (rc = dl_catalogue_check(c, q, opts, err)) < 0) {
				dl_catalogue_free(c);
			} else if (rc == 0) {
				*out = c;
			}
		}
		dl__free(root);
		dl__free(id);
		dl__free(version);
	}
	for (size_t i = 0; i < count; i++)
		dl__free(names[i]);
	if (rc == DL_ENOTFOUND && nomem)
		return dl__error_set(err, DL_ENOMEM, dir, 0, 0, "%s", _("out of memory"));
	if (rc == DL_ENOTFOUND)
		return dl__error_set(err, DL_ENOTFOUND, dir, 0, 0,
				     _("no solution catalogue for questionnaire '%s' version '%s' here"),
				     dl_questionnaire_id(q), dl_questionnaire_version(q));
	return rc;
}

/* --- accessors --------------------------------------------------------------------------------- */

#define AT(arr, count, i, field, fallback) \
	(assert((i) < (count)), (i) < (count) ? (arr)[i].field : (fallback))

const char *dl_catalogue_path(const dl_catalogue *c) { return c->path; }
const char *dl_catalogue_id(const dl_catalogue *c) { return c->id; }
const char *dl_catalogue_version(const dl_catalogue *c) { return c->version; }
const char *dl_catalogue_title(const dl_catalogue *c) { return c->title; }
const char *dl_catalogue_note(const dl_catalogue *c) { return c->note ? c->note : ""; }
const char *dl_catalogue_questionnaire_id(const dl_catalogue *c) { return c->questionnaire_id; }
const char *dl_catalogue_questionnaire_version(const dl_catalogue *c) { return c->questionnaire_version; }

size_t dl_catalogue_source_count(const dl_catalogue *c) { return c->source_count; }
const char *dl_catalogue_source_id(const dl_catalogue *c, size_t i) { return AT(c->sources, c->source_count, i, id, ""); }
const char *dl_catalogue_source_title(const dl_catalogue *c, size_t i) { return AT(c->sources, c->source_count, i, title, ""); }
const char *dl_catalogue_source_url(const dl_catalogue *c, size_t i) { return AT(c->sources, c->source_count, i, url, ""); }
const char *dl_catalogue_source_confidence(const dl_catalogue *c, size_t i) { return AT(c->sources, c->source_count, i, confidence, ""); }

size_t dl_catalogue_provider_count(const dl_catalogue *c) { return c->provider_count; }
const char *dl_catalogue_provider_id(const dl_catalogue *c, size_t i) { return AT(c->provider_list, c->provider_count, i, id, ""); }
const char *dl_catalogue_provider_name(const dl_catalogue *c, size_t i) { return AT(c->provider_list, c->provider_count, i, name, ""); }
const char *dl_catalogue_provider_kind(const dl_catalogue *c, size_t i) { return AT(c->provider_list, c->provider_count, i, kind, ""); }

size_t dl_catalogue_solution_count(const dl_catalogue *c) { return c->solution_count; }

size_t dl_catalogue_solution_find(const dl_catalogue *c, const char *id)
{
	for (size_t i = 0; i < c->solution_count; i++)
		if (strcmp(c->solutions[i].id, id) == 0)
			return i;
	return DL_NONE;
}

#define SOL(i, field, fallback) AT(c->solutions, c->solution_count, i, field, fallback)
const char *dl_catalogue_solution_id(const dl_catalogue *c, size_t i) { return SOL(i, id, ""); }
const char *dl_catalogue_solution_name(const dl_catalogue *c, size_t i) { return SOL(i, name, ""); }
const char *dl_catalogue_solution_description(const dl_catalogue *c, size_t i) { return SOL(i, description, ""); }
const char *dl_catalogue_solution_category(const dl_catalogue *c, size_t i) { return SOL(i, category, ""); }
dl_subsidy_eligibility dl_catalogue_solution_subsidy(const dl_catalogue *c, size_t i) { return SOL(i, subsidy, DL_SUBSIDY_INELIGIBLE); }
const char *dl_catalogue_solution_confidence(const dl_catalogue *c, size_t i) { return SOL(i, confidence, ""); }
const char *dl_catalogue_solution_sources(const dl_catalogue *c, size_t i) { return SOL(i, sources, ""); }
int64_t dl_catalogue_solution_cost_low(const dl_catalogue *c, size_t i) { return SOL(i, cost_low, 0); }
int64_t dl_catalogue_solution_cost_high(const dl_catalogue *c, size_t i) { return SOL(i, cost_high, 0); }
int dl_catalogue_solution_weeks_low(const dl_catalogue *c, size_t i) { return SOL(i, weeks_low, 0); }
int dl_catalogue_solution_weeks_high(const dl_catalogue *c, size_t i) { return SOL(i, weeks_high, 0); }
size_t dl_catalogue_solution_provider_count(const dl_catalogue *c, size_t i) { return SOL(i, provider_count, 0); }

size_t dl_catalogue_solution_provider(const dl_catalogue *c, size_t i, size_t k)
{
	assert(i < c->solution_count && k < c->solutions[i].provider_count);
	if (i >= c->solution_count || k >= c->solutions[i].provider_count)
		return DL_NONE;
	return c->solutions[i].providers[k];
}

bool dl_catalogue_solution_lifts_option(const dl_catalogue *c, size_t i, const char *question_id,
					const char *option_id)
{
	assert(i < c->solution_count);
	if (i >= c->solution_count)
		return false;
	const dl__cat_solution *s = &c->solutions[i];
	for (size_t k = 0; k < s->lift_count; k++)
		if (strcmp(s->lifts[k].question, question_id) == 0)
			for (size_t o = 0; o < s->lifts[k].option_count; o++)
				if (strcmp(s->lifts[k].options[o], option_id) == 0)
					return true;
	return false;
}

int dl_catalogue_solution_lifts_scenario(const dl_catalogue *c, size_t i, const char *scenario_id)
{
	assert(i < c->solution_count);
	int best = -1;
	if (i >= c->solution_count)
		return best;
	const dl__cat_solution *s = &c->solutions[i];
	for (size_t k = 0; k < s->lift_count; k++)
		if (s->lifts[k].scenario[0] && strcmp(s->lifts[k].scenario, scenario_id) == 0 &&
		    s->lifts[k].level > best)
			best = s->lifts[k].level;
	return best;
}

char *dl_wan_format(int64_t fen, char *buf, size_t size)
{
	uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	char frac[8];
	snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(v % 1000000));
	for (int i = 5; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	snprintf(buf, size, "%s%llu%s%s", fen < 0 ? "-" : "", (unsigned long long)(v / 1000000),
		 frac[0] ? "." : "", frac);
	return buf;
}

/* One lock for every questionnaire's kept catalogue: it is taken briefly, and only the first use
 * of a questionnaire waits for the catalogue to be read. */
static pthread_mutex_t beside_lock = PTHREAD_MUTEX_INITIALIZER;

int dl__catalogue_beside(const dl_catalogue **out, const dl_questionnaire *q, dl_error *err)
{
	dl_questionnaire *kept = (dl_questionnaire *)q; /* the cache only: q's meaning is unchanged */
	pthread_mutex_lock(&beside_lock);
	if (!kept->catalogue_tried) {
		dl_catalogue *cat = NULL;
		dl_error e;
		memset(&e, 0, sizeof(e));
		int rc = dl_catalogue_find(&cat, q, NULL, &e);
		if (rc != DL_ENOMEM) { /* out of memory is not an answer: tried again next time */
			/* without memory for the index it stays NULL: its users make their own then
			 * (dl__cat_index_for) */
			if (cat)
				(void)dl__cat_index_make(&kept->catalogue_index, cat, q);
			kept->catalogue = cat;
			kept->catalogue_rc = rc;
			kept->catalogue_err = e;
			kept->catalogue_tried = true;
		} else {
			kept->catalogue_rc = rc;
			kept->catalogue_err = e;
		}
	}
	int rc = kept->catalogue_rc;
	*out = rc == 0 ? kept->catalogue : NULL;
	if (rc < 0 && err)
		*err = kept->catalogue_err;
	pthread_mutex_unlock(&beside_lock);
	return rc;
}

/* Here, not in catalogue_index.c: the index kept with q is guarded by beside_lock. */
const dl__cat_index *dl__cat_index_for(const dl_catalogue *cat, const dl_questionnaire *q,
				       dl__cat_index **made)
{
	*made = NULL;
	dl_questionnaire *kept_by = (dl_questionnaire *)q; /* the cache only, as above */
	pthread_mutex_lock(&beside_lock);
	if (q->catalogue == cat && !q->catalogue_index) /* memory ran out when it was found: again */
		(void)dl__cat_index_make(&kept_by->catalogue_index, cat, q);
	const dl__cat_index *kept = q->catalogue == cat ? q->catalogue_index : NULL;
	pthread_mutex_unlock(&beside_lock);
	if (kept)
		return kept;
	return dl__cat_index_make(made, cat, q) == 0 ? *made : NULL;
}
