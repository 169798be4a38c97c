/*
 * retrofit_check.c: the checks of a sheet's acceptance package (the optional parts of <retrofit>:
 * contract details, invoices and payment proofs, other public funds, the materials checklist and the
 * on-site checks) that the schema cannot make.
 *
 * Everything the package refers to must exist (an invoice of item 'i9' when no item has that id
 * would be silently ignored otherwise), dates must be real, ids unique, and a tax-exclusive amount
 * cannot exceed the amount it is part of. Every problem is reported at its element.
 */
#include "date.h"
#include "i18n.h"
#include "money.h"
#include "sheet_model.h"

#include <string.h>

#define REPORT(pos, ...) dl__diag_report(d, DL_EINVALID, (pos).line, (pos).column, __VA_ARGS__)

static void check_date(const char *date, dl__pos pos, const char *what, dl__diag *d)
{
	char why[160];
	if (date[0] && dl__date_parse(date, NULL, NULL, NULL, why, sizeof(why)) != 0)
		REPORT(pos, _("%s '%s' is not a real date: %s"), what, date, why);
}

static bool item_known(const dl_sheet *s, const char *id)
{
	for (size_t i = 0; i < s->item_count; i++)
		if (s->items[i].id[0] && strcmp(s->items[i].id, id) == 0)
			return true;
	return false;
}

static void check_net(int64_t net, int64_t gross, dl__pos pos, const char *what, dl__diag *d)
{
	char a[40], b[40];
	if (net > gross)
		REPORT(pos, _("%s: the tax-exclusive amount (net) %s yuan is more than the amount %s yuan"),
		       what, dl__money_format(net, a, sizeof(a)), dl__money_format(gross, b, sizeof(b)));
}

void dl__retrofit_package_check(const dl_sheet *s, dl__diag *d)
{
	if (!s->has_retrofit)
		return;
	check_date(s->contract_signed, s->contract_pos, _("contract signing date"), d);
	for (size_t i = 0; i < s->item_count; i++) {
		const dl__item *it = &s->items[i];
		for (size_t j = 0; it->id[0] && j < i; j++)
			if (strcmp(it->id, s->items[j].id) == 0) {
				REPORT(it->pos, _("investment item id '%s' is used twice (first at line %lu)"),
				       it->id, s->items[j].pos.line);
				break;
			}
		if (it->net_fen >= 0)
			check_net(it->net_fen, it->fen, it->pos, _("investment item (<item>)"), d);
	}
	for (size_t i = 0; i < s->finance_count; i++) {
		const dl__finance_doc *f = &s->finance[i];
		const char *what = f->invoice ? _("invoice (<invoice>)") : _("payment (<payment>)");
		if (!item_known(s, f->item))
			REPORT(f->pos, _("%s refers to investment item '%s', which no <item id> names"), what,
			       f->item);
		check_date(f->date, f->pos, f->invoice ? _("invoice date") : _("payment date"), d);
		if (f->net_fen >= 0)
			check_net(f->net_fen, f->fen, f->pos, what, d);
	}
	for (size_t i = 0; i < s->material_count; i++) {
		const dl__material *m = &s->materials[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(m->id, s->materials[j].id) == 0) {
				REPORT(m->pos, _("material '%s' is listed twice (first at line %lu)"), m->id,
				       s->materials[j].pos.line);
				break;
			}
		check_date(m->verified_on, m->pos, _("date of verification (verified-on)"), d);
		if (strcmp(m->status, "verified") == 0 && (!m->verified_by[0] || !m->verified_on[0]))
			REPORT(m->pos,
			       _("material '%s' is verified but does not say by whom and on which day: give "
			       "verified-by and verified-on"),
			       m->id);
	}
	for (size_t i = 0; i < s->check_count; i++) {
		const dl__onsite_check *c = &s->checks[i];
		if (!item_known(s, c->item))
			REPORT(c->pos, _("<check> refers to investment item '%s', which no <item id> names"),
			       c->item);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->item, s->checks[j].item) == 0) {
				REPORT(c->pos, _("investment item '%s' is checked twice (first at line %lu)"),
				       c->item, s->checks[j].pos.line);
				break;
			}
	}
}
