/*
 * sheet_profile.c: reading a sheet's <profile> (the enterprise profile of a diagnosis: operating
 * figures, process flow, certifications, the inventory of devices and industrial software, the
 * survey) and its accessors. All of it is optional; a sheet without it reads as before.
 *
 * Money is read exactly: 万元 with at most 4 decimals, kept in fen. The survey dates must be real
 * calendar dates, the first not after the second; each problem is reported at its element.
 */
#include "i18n.h"
#include "date.h"
#include "sheet_profile.h"
#include "sheet_fields.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/** Largest amount in 万元 units of 10^-4 (99,999,999.9999 万元, as the schema allows). */
#define DL__PROFILE_WAN_MAX INT64_C(999999999999)

static void read_years(dl__builder *b, struct dl__profile *p, const xmlNode *n)
{
	static const char *const attrs[DL_OPERATION_FIELDS] = {"revenue", "profit", "assets", "rnd"};
	p->year_count = dl__xml_count(n, "year");
	p->years = dl__build_array(b, p->year_count, sizeof(*p->years));
	size_t i = 0;
	for (xmlNodePtr y = dl__xml_child(n, "year"); y && p->years; y = dl__xml_next(y, "year"), i++) {
		dl__operation_year *oy = &p->years[i];
		oy->year = (int)dl__build_attr_number(b, y, "value", "0", 0, 2999);
		for (size_t k = 0; k < i && !dl__build_reported(b, y); k++)
			if (p->years[k].year == oy->year)
				b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(y), dl__xml_column(y),
							_("<year value=\"%d\"> is given twice"), oy->year);
		for (int f = 0; f < DL_OPERATION_FIELDS; f++) {
			const char *v = dl__build_attr(b, y, attrs[f], NULL);
			char what[200];
			int64_t units = 0;
			if (!v)
				continue;
			dl__sheet_field_label(y, attrs[f], what, sizeof(what));
			if (dl__build_number(b, y, what, v, 4, DL__PROFILE_WAN_MAX, &units) == 0) {
				oy->has[f] = true;
				oy->fen[f] = units * 100; /* 10^-4 万元 is one yuan */
			}
		}
	}
}

static void read_inventory(dl__builder *b, struct dl__profile *p, const xmlNode *n)
{
	p->inventory_count = dl__xml_count(n, "item");
	p->inventory = dl__build_array(b, p->inventory_count, sizeof(*p->inventory));
	size_t i = 0;
	for (xmlNodePtr it = dl__xml_child(n, "item"); it && p->inventory;
	     it = dl__xml_next(it, "item"), i++) {
		dl__inventory_item *item = &p->inventory[i];
		const char *deployment = dl__build_attr(b, it, "deployment", "");
		item->pos = dl__build_pos(it);
		item->kind = strcmp(dl__build_attr(b, it, "kind", ""), "software") == 0 ? DL_INVENTORY_SOFTWARE
											  : DL_INVENTORY_DEVICE;
		item->deployment = strcmp(deployment, "local") == 0   ? DL_DEPLOYMENT_LOCAL
				   : strcmp(deployment, "cloud") == 0 ? DL_DEPLOYMENT_CLOUD
								      : DL_DEPLOYMENT_UNKNOWN;
		item->count = (long)dl__build_attr_number(b, it, "count", "1", 0, 99999999);
		item->scenarios = dl__build_attr(b, it, "scenarios", "");
		item->name = dl__build_child_text(b, it, "name");
		item->vendor = dl__build_child_text(b, it, "vendor");
	}
}

static void read_survey(dl__builder *b, struct dl__profile *p, const xmlNode *n)
{
	char why[160];
	p->has_survey = true;
	p->survey_method = dl__build_child_text(b, n, "method");
	p->survey_from = dl__build_attr(b, n, "from", "");
	p->survey_to = dl__build_attr(b, n, "to", "");
	const char *dates[2] = {p->survey_from, p->survey_to};
	const char *names[2] = {_("first day of the survey"), _("last day of the survey")};
	bool ok = true;
	for (int k = 0; k < 2; k++)
		if (dates[k] && !dl__build_reported(b, n) && dl__date_parse(dates[k], NULL, NULL, NULL, why, sizeof(why)) != 0) {
			b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
						_("%s: '%s' is not a real date: %s"), names[k],
						dates[k], why);
			ok = false;
		}
	if (ok && p->survey_from && p->survey_to && dl__date_compare(p->survey_from, p->survey_to) > 0)
		b->rc = dl__diag_report(b->d, DL_EINVALID, dl__xml_line(n), dl__xml_column(n),
					_("the survey's first day %s is after its last day %s"), p->survey_from, p->survey_to);
}

void dl__sheet_read_profile(dl__builder *b, const xmlNode *n)
{
	dl_sheet *s = b->obj;
	struct dl__profile *p = dl__build_array(b, 1, sizeof(*p));
	if (!p)
		return;
	s->profile = p;
	xmlNodePtr c;
	if ((c = dl__xml_child(n, "operations")))
		read_years(b, p, c);
	c = dl__xml_child(n, "process");
	p->process = c ? dl__build_text(b, c) : "";
	if ((c = dl__xml_child(n, "certifications"))) {
		p->certification_count = dl__xml_count(c, "certification");
		p->certifications = dl__build_array(b, p->certification_count, sizeof(char *));
		size_t i = 0;
		for (xmlNodePtr e = dl__xml_child(c, "certification"); e && p->certifications;
		     e = dl__xml_next(e, "certification"))
			p->certifications[i++] = dl__build_text(b, e);
	}
	if ((c = dl__xml_child(n, "inventory")))
		read_inventory(b, p, c);
	if ((c = dl__xml_child(n, "survey")))
		read_survey(b, p, c);
}

/* --- accessors --------------------------------------------------------------------------------- */

#define OR(x, fallback) ((x) ? (x) : (fallback))

bool dl_sheet_has_profile(const dl_sheet *s) { return s->profile != NULL; }
size_t dl_sheet_operation_count(const dl_sheet *s) { return s->profile ? s->profile->year_count : 0; }

int dl_sheet_operation_year(const dl_sheet *s, size_t i)
{
	assert(i < dl_sheet_operation_count(s));
	return i < dl_sheet_operation_count(s) ? s->profile->years[i].year : 0;
}

bool dl_sheet_operation_has(const dl_sheet *s, size_t i, dl_operation_field field)
{
	assert(i < dl_sheet_operation_count(s) && (int)field >= 0 && field < DL_OPERATION_FIELDS);
	if (i >= dl_sheet_operation_count(s) || (int)field < 0 || field >= DL_OPERATION_FIELDS)
		return false;
	return s->profile->years[i].has[field];
}

int64_t dl_sheet_operation_fen(const dl_sheet *s, size_t i, dl_operation_field field)
{
	return dl_sheet_operation_has(s, i, field) ? s->profile->years[i].fen[field] : 0;
}

const char *dl_sheet_process(const dl_sheet *s) { return s->profile ? OR(s->profile->process, "") : ""; }
size_t dl_sheet_certification_count(const dl_sheet *s) { return s->profile ? s->profile->certification_count : 0; }

const char *dl_sheet_certification(const dl_sheet *s, size_t i)
{
	assert(i < dl_sheet_certification_count(s));
	return i < dl_sheet_certification_count(s) ? OR(s->profile->certifications[i], "") : "";
}

size_t dl_sheet_inventory_count(const dl_sheet *s) { return s->profile ? s->profile->inventory_count : 0; }

static const dl__inventory_item *item_at(const dl_sheet *s, size_t i)
{
	static const dl__inventory_item none = {DL_INVENTORY_DEVICE, "", "", "", 0, DL_DEPLOYMENT_UNKNOWN, {0, 0}};
	assert(i < dl_sheet_inventory_count(s));
	return i < dl_sheet_inventory_count(s) ? &s->profile->inventory[i] : &none;
}

dl_inventory_kind dl_sheet_inventory_kind(const dl_sheet *s, size_t i) { return item_at(s, i)->kind; }
const char *dl_sheet_inventory_name(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->name, ""); }
const char *dl_sheet_inventory_vendor(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->vendor, ""); }
long dl_sheet_inventory_number(const dl_sheet *s, size_t i) { return item_at(s, i)->count; }
dl_deployment dl_sheet_inventory_deployment(const dl_sheet *s, size_t i) { return item_at(s, i)->deployment; }
const char *dl_sheet_inventory_scenarios(const dl_sheet *s, size_t i) { return OR(item_at(s, i)->scenarios, ""); }
bool dl_sheet_has_survey(const dl_sheet *s) { return s->profile && s->profile->has_survey; }
const char *dl_sheet_survey_method(const dl_sheet *s) { return dl_sheet_has_survey(s) ? OR(s->profile->survey_method, "") : ""; }
const char *dl_sheet_survey_from(const dl_sheet *s) { return dl_sheet_has_survey(s) ? OR(s->profile->survey_from, "") : ""; }
const char *dl_sheet_survey_to(const dl_sheet *s) { return dl_sheet_has_survey(s) ? OR(s->profile->survey_to, "") : ""; }
