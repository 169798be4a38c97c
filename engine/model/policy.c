/*
 * policy.c: building a policy from its XML, and the public accessors.
 *
 * Loading follows the questionnaire loader: libxml2 parses and the embedded policy.xsd validates
 * (xmldoc.c), this file copies the tree into plain structs in one arena, and policy_check.c checks
 * the meaning, reporting every problem with its position. Money and rates are parsed into exact
 * integers here (money.c); a value the schema lets through but that is out of range is reported.
 */
#include "alloc.h"
#include "i18n.h"
#include "load.h"
#include "money.h"
#include "policy_model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* An amount in yuan, read exactly into fen; what the schema lets through out of range is reported. */
static int64_t attr_money(dl__builder *b, const xmlNode *n, const char *name)
{
	return dl__build_attr_number(b, n, name, "0", 2, DL__MONEY_MAX);
}

static void read_level_amounts(dl__builder *b, const xmlNode *phase, const char *name,
			       dl__level_amount **out, size_t *count)
{
	*count = 0;
	for (xmlNodePtr c = dl__xml_child(phase, name); c; c = dl__xml_next(c, name))
		if (xmlHasProp(c, BAD_CAST "level"))
			(*count)++;
	*out = dl__build_array(b, *count, sizeof(dl__level_amount));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(phase, name); c && *out; c = dl__xml_next(c, name)) {
		if (!xmlHasProp(c, BAD_CAST "level"))
			continue;
		(*out)[i].level = dl__build_attr(b, c, "level", "");
		(*out)[i].fen = attr_money(b, c, "yuan");
		(*out)[i].pos = dl__build_pos(c);
		i++;
	}
}

static void read_phase(dl__builder *b, dl__policy_phase *ph, const xmlNode *n)
{
	ph->id = dl__build_attr(b, n, "id", "");
	ph->title = dl__build_attr(b, n, "title", "");
	ph->pos = dl__build_pos(n);
	ph->otherwise = DL_NONE;
	ph->otherwise_id = "";
	ph->note = "";
	xmlNodePtr w = dl__xml_child(n, "window");
	if (w) {
		ph->window_pos = dl__build_pos(w);
		ph->from = dl__build_attr(b, w, "from", "");
		ph->to = dl__build_attr(b, w, "to", "");
	}
	xmlNodePtr fa = dl__xml_child(n, "first-attempt");
	if (fa) {
		ph->first_attempt = true;
		ph->first_attempt_pos = dl__build_pos(fa);
		ph->otherwise_id = dl__build_attr(b, fa, "otherwise", "");
		ph->note = dl__build_text(b, fa);
	}
	xmlNodePtr r = dl__xml_child(n, "rate");
	if (r) {
		const char *v = dl__build_attr(b, r, "percent", "0");
		ph->rate_pos = dl__build_pos(r);
		dl__build_number(b, r, _("the subsidy rate (<rate percent>)"), v, 4, DL__RATE_MAX, &ph->rate);
	}
	for (xmlNodePtr c = dl__xml_child(n, "cap"); c; c = dl__xml_next(c, "cap")) {
		if (xmlHasProp(c, BAD_CAST "level"))
			continue;
		if (ph->plain_caps++ == 1)
			ph->second_cap_pos = dl__build_pos(c);
		if (ph->has_cap)
			continue;
		ph->has_cap = true;
		ph->cap = attr_money(b, c, "yuan");
		ph->cap_pos = dl__build_pos(c);
	}
	read_level_amounts(b, n, "cap", &ph->level_caps, &ph->level_cap_count);
	read_level_amounts(b, n, "bonus", &ph->bonuses, &ph->bonus_count);
}

/*
 * The first <include> or <exclude> of a declared category decides it. Unknown and repeated entries
 * are kept and reported by policy_check.c, in document order with the rest.
 */
static void read_eligible(dl__builder *b, const xmlNode *n)
{
	dl_policy *p = b->obj;
	p->entry_count = dl__xml_count(n, "include") + dl__xml_count(n, "exclude");
	p->entries = dl__build_array(b, p->entry_count, sizeof(dl__eligible_entry));
	size_t i = 0;
	for (xmlNodePtr c = dl__xml_child(n, NULL); c && p->entries; c = dl__xml_next(c, NULL)) {
		if (strcmp((const char *)c->name, "otherwise") == 0) {
			p->other_reason = dl__build_text(b, c);
			continue;
		}
		dl__eligible_entry *e = &p->entries[i++];
		e->include = strcmp((const char *)c->name, "include") == 0;
		e->category = dl__build_attr(b, c, "category", "");
		e->pos = dl__build_pos(c);
		size_t ci = dl__policy_category_find(p, e->category);
		if (ci == DL_NONE || p->categories[ci].decided)
			continue;
		dl__category *cat = &p->categories[ci];
		cat->decided = true;
		cat->eligible = e->include;
		cat->reason = e->include ? "" : dl__build_text(b, c);
	}
}

static dl__consequence consequence(dl__builder *b, const xmlNode *n, const char *name)
{
	const char *v = dl__build_attr(b, n, name, "fail");
	return strcmp(v, "rectify") == 0  ? DL__LEADS_RECTIFY
	       : strcmp(v, "reduce") == 0 ? DL__LEADS_REDUCE
					  : DL__LEADS_FAIL;
}

/* The acceptance package rules of <acceptance>: pre-condition, contract window, materials,
 * financial and on-site checks, rectification. */
static void read_package_rules(dl__builder *b, const xmlNode *acc)
{
	dl_policy *p = b->obj;
	xmlNodePtr n;
	if ((n = dl__xml_child(acc, "prior-level"))) {
		p->prior_level = dl__build_attr(b, n, "level", "");
		p->prior_note = dl__build_text(b, n);
		p->prior_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(acc, "contract-signed"))) {
		p->has_contract_window = true;
		p->signed_from = dl__build_attr(b, n, "from", "");
		p->signed_to = dl__build_attr(b, n, "to", "");
		p->signed_note = dl__build_text(b, n);
		p->contract_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(acc, "materials"))) {
		p->has_materials = true;
		p->material_count = dl__xml_count(n, "material");
		p->materials = dl__build_array(b, p->material_count, sizeof(dl__required_material));
		size_t i = 0;
		for (xmlNodePtr m = dl__xml_child(n, "material"); m && p->materials;
		     m = dl__xml_next(m, "material"), i++) {
			p->materials[i].id = dl__build_attr(b, m, "id", "");
			p->materials[i].title = dl__build_text(b, m);
			p->materials[i].missing = consequence(b, m, "missing");
			p->materials[i].pos = dl__build_pos(m);
		}
	}
	if ((n = dl__xml_child(acc, "finance"))) {
		p->has_finance = true;
		p->tax_exclusive = dl__build_attr_bool(b, n, "tax-exclusive");
		p->shortfall = consequence(b, n, "shortfall");
		p->finance_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(acc, "onsite"))) {
		p->has_onsite = true;
		p->not_real = consequence(b, n, "not-real");
		p->not_running = consequence(b, n, "not-running");
		p->not_in_use = consequence(b, n, "not-in-use");
		p->onsite_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(acc, "rectification"))) { /* the schema allows 1-365 */
		p->rectify_days = (int)dl__build_attr_number(b, n, "days", "0", 0, 365);
		p->rectify_note = dl__build_text(b, n);
		p->rectify_pos = dl__build_pos(n);
	}
}

static void build(dl__builder *b, const dl__xml *x)
{
	dl_policy *p = b->obj;
	const xmlNode *root = xmlDocGetRootElement(x->doc);
	p->pos = dl__build_pos(root);
	p->id = dl__build_attr(b, root, "id", "");
	p->version = dl__build_attr(b, root, "version", "");
	p->title = dl__build_child_text(b, root, "title");
	p->issuer = dl__build_child_text(b, root, "issuer");
	p->document = dl__build_child_text(b, root, "document");
	p->issued = dl__build_child_text(b, root, "issued");
	p->source = dl__build_child_text(b, root, "source");
	p->improvement = -1;
	p->questionnaire_id = p->questionnaire_version = p->min_level = p->other_reason = "";
	p->prior_level = p->prior_note = p->signed_from = p->signed_to = p->signed_note = "";
	p->rectify_note = p->ceiling_note = "";

	xmlNodePtr n;
	if ((n = dl__xml_child(root, "questionnaire"))) {
		p->questionnaire_id = dl__build_attr(b, n, "id", "");
		p->questionnaire_version = dl__build_attr(b, n, "version", "");
		p->questionnaire_pos = dl__build_pos(n);
	}
	if ((n = dl__xml_child(root, "acceptance"))) {
		xmlNodePtr m = dl__xml_child(n, "min-level");
		if (m) {
			p->min_level = dl__build_attr(b, m, "level", "");
			p->min_level_pos = dl__build_pos(m);
		}
		xmlNodePtr i = dl__xml_child(n, "improvement");
		if (i) /* the schema allows 0-9 */
			p->improvement = (int)dl__build_attr_number(b, i, "levels", "0", 0, 9);
		read_package_rules(b, n);
	}
	if ((n = dl__xml_child(root, "categories"))) {
		p->category_count = dl__xml_count(n, "category");
		p->categories = dl__build_array(b, p->category_count, sizeof(dl__category));
		size_t i = 0;
		for (xmlNodePtr c = dl__xml_child(n, "category"); c && p->categories;
		     c = dl__xml_next(c, "category"), i++) {
			p->categories[i].id = dl__build_attr(b, c, "id", "");
			p->categories[i].title = dl__build_text(b, c);
			p->categories[i].reason = "";
			p->categories[i].pos = dl__build_pos(c);
		}
	}
	if (b->oom)
		return;
	if ((n = dl__xml_child(root, "eligible")))
		read_eligible(b, n);
	if ((n = dl__xml_child(root, "phases"))) {
		const char *by = dl__build_attr(b, n, "by", "applied");
		p->basis = strcmp(by, "completed") == 0  ? DL_DATE_COMPLETED
			   : strcmp(by, "assessed") == 0 ? DL_DATE_ASSESSED
							 : DL_DATE_APPLIED;
		p->phase_count = dl__xml_count(n, "phase");
		p->phases = dl__build_array(b, p->phase_count, sizeof(dl__policy_phase));
		size_t i = 0;
		for (xmlNodePtr c = dl__xml_child(n, "phase"); c && p->phases;
		     c = dl__xml_next(c, "phase"))
			read_phase(b, &p->phases[i++], c);
		for (i = 0; p->phases && i < p->phase_count; i++) /* forward references allowed */
			for (size_t k = 0; p->phases[i].otherwise_id[0] && k < p->phase_count; k++)
				if (strcmp(p->phases[k].id, p->phases[i].otherwise_id) == 0) {
					p->phases[i].otherwise = k;
					break;
				}
	}
	if ((n = dl__xml_child(root, "combined-ceiling"))) {
		const char *v = dl__build_attr(b, n, "percent", "0");
		p->has_ceiling = true;
		p->ceiling_note = dl__build_text(b, n);
		p->ceiling_pos = dl__build_pos(n);
		dl__build_number(b, n, _("the combined ceiling (<combined-ceiling percent>)"), v, 4, DL__RATE_MAX,
				 &p->ceiling_rate);
	}
	if ((n = dl__xml_child(root, "rounding"))) {
		const char *mode = dl__build_attr(b, n, "mode", "half-up");
		p->rounding = strcmp(mode, "down") == 0 ? DL_ROUND_DOWN
			      : strcmp(mode, "up") == 0 ? DL_ROUND_UP
							: DL_ROUND_HALF_UP;
		p->rounding_unit = attr_money(b, n, "unit");
		p->rounding_pos = dl__build_pos(n);
	}
}

static int check(void *p, dl__diag *d)
{
	return dl__policy_check_meaning(p, d);
}

static const dl__loader LOADER = {"policy", DL__SCHEMA_POLICY, DL__LOADER_LAYOUT(dl_policy), build,
				  check, NULL};

int dl_policy_load_memory(dl_policy **out, const char *data, size_t len, const char *name,
			  const dl_load_options *opts, dl_error *err)
{
	void *p = NULL;
	int rc = dl__load_memory(&LOADER, &p, data, len, name, opts, err);
	if (rc == 0)
		*out = p;
	return rc;
}

int dl_policy_load(dl_policy **out, const char *path, const dl_load_options *opts, dl_error *err)
{
	void *p = NULL;
	int rc = dl__load_file(&LOADER, &p, path, opts, err);
	if (rc == 0)
		*out = p;
	return rc;
}

void dl_policy_free(dl_policy *p)
{
	if (!p)
		return;
	dl__arena_free(&p->arena);
	dl__free(p);
}

size_t dl__policy_category_find(const dl_policy *p, const char *id)
{
	for (size_t i = 0; i < p->category_count; i++)
		if (strcmp(p->categories[i].id, id) == 0)
			return i;
	return DL_NONE;
}

/* --- accessors --------------------------------------------------------------------------------- */

const char *dl_policy_path(const dl_policy *p) { return p->path; }
const char *dl_policy_id(const dl_policy *p) { return p->id; }
const char *dl_policy_version(const dl_policy *p) { return p->version; }
const char *dl_policy_title(const dl_policy *p) { return p->title; }
const char *dl_policy_issuer(const dl_policy *p) { return p->issuer; }
const char *dl_policy_document(const dl_policy *p) { return p->document; }
const char *dl_policy_questionnaire_id(const dl_policy *p) { return p->questionnaire_id; }
const char *dl_policy_questionnaire_version(const dl_policy *p) { return p->questionnaire_version; }
const char *dl_policy_min_level(const dl_policy *p) { return p->min_level; }
int dl_policy_min_improvement(const dl_policy *p) { return p->improvement; }
dl_date_basis dl_policy_date_basis(const dl_policy *p) { return p->basis; }
int64_t dl_policy_rounding_unit(const dl_policy *p) { return p->rounding_unit; }
dl_rounding dl_policy_rounding_mode(const dl_policy *p) { return p->rounding; }
size_t dl_policy_category_count(const dl_policy *p) { return p->category_count; }

const char *dl_policy_category_id(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->category_count, "");
	return p->categories[i].id;
}

const char *dl_policy_category_title(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->category_count, "");
	return p->categories[i].title;
}

bool dl_policy_category_eligible(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->category_count, false);
	return p->categories[i].eligible;
}

const char *dl_policy_category_reason(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->category_count, "");
	return p->categories[i].reason;
}

size_t dl_policy_phase_count(const dl_policy *p) { return p->phase_count; }

const char *dl_policy_phase_id(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->phase_count, "");
	return p->phases[i].id;
}

const char *dl_policy_phase_title(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->phase_count, "");
	return p->phases[i].title;
}

int64_t dl_policy_phase_rate(const dl_policy *p, size_t i)
{
	DL__CHECK_INDEX(i, p->phase_count, 0);
	return p->phases[i].rate;
}
