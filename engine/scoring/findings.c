/*
 * findings.c: the pain points of a diagnosis (主要问题), derived from the scored data and written
 * as sentences, so that the text output, the JSON and the PDF report say the same thing.
 *
 * Four kinds, in this order: the dimensions that score below the total's rate, each with its
 * questions that lose most; the scenarios below the level the target asks for, constraint
 * scenarios first, with how many the grade needs; the questions the enterprise can act on that
 * earn less than half their points, with what was chosen; the outcomes (trends, ratios) that fell
 * or sit in the lowest band, marked as measured, not done. Every sentence names its numbers, and is
 * kept in Chinese (the 数字化诊断报告 and the language of messages by default) and in English
 * (text_both.h): dl_findings_text gives the language of messages, dl__findings_text_zh the Chinese.
 * A writer that shows one language makes only that one (dl__findings_make_in): the JSON answer of
 * the workbench makes findings for every sheet it scores.
 */
#include "alloc.h"
#include "decimal.h"
#include "diag.h"
#include "digilevel/retrofit.h"
#include "i18n.h"
#include "result.h"
#include "text_both.h"
#include "texts_zh.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct finding {
	dl_finding_kind kind;
	char *subject, *text[DL__LANGUAGES];
} finding;

struct dl_findings {
	finding *items;
	size_t count, cap;
	bool oom;
	bool wanted[DL__LANGUAGES]; /* the languages written; the others' sentences are "" */
};

/* msgid in language l, formatted into buf. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void format_in(char *buf, size_t size, int l, const char *msgid, ...)
{
	va_list ap;
	va_start(ap, msgid);
	vsnprintf(buf, size, dl__tr_in(l, msgid), ap);
	va_end(ap);
}

/* A finding whose sentence is text[l] in language l. */
static void add(dl_findings *f, dl_finding_kind kind, const char *subject, char text[DL__LANGUAGES][2048])
{
	if (f->oom)
		return;
	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		finding *items = dl__realloc(f->items, cap * sizeof(*items));
		if (!items) {
			f->oom = true;
			return;
		}
		f->items = items;
		f->cap = cap;
	}
	finding *x = &f->items[f->count];
	x->kind = kind;
	x->subject = dl__strdup(subject);
	bool ok = x->subject != NULL;
	DL__EACH_LANGUAGE(l) {
		x->text[l] = dl__strdup(text[l]);
		ok = ok && x->text[l];
	}
	if (!ok) {
		dl__free(x->subject);
		DL__EACH_LANGUAGE(l)
		dl__free(x->text[l]);
		f->oom = true;
		return;
	}
	f->count++;
}

/* got / max as a percentage with at most one decimal ("42", "43.5"). */
static const char *rate(dl_points got, dl_points max, char *buf, size_t size)
{
	if (max <= 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	int64_t tenths = (int64_t)((got * 1000 + max / 2) / max);
	if (tenths % 10)
		snprintf(buf, size, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
	else
		snprintf(buf, size, "%lld", (long long)(tenths / 10));
	return buf;
}

/* The chosen options of question qi as "B「…」、C「…」", or "未选" when none, in language l. */
static void chosen_text(const dl_result *r, size_t qi, int l, char *buf, size_t size)
{
	const dl__question *qu = &r->q->questions[qi];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t oi = 0; oi < qu->option_count && len < size; oi++)
		if (r->chosen[r->option_offset[qi] + oi]) {
			int n = snprintf(buf + len, size - len, "%s%s「%s」", len ? dl__tr_in(l, N_(", ")) : "",
					 qu->options[oi].id, qu->options[oi].text);
			if (n < 0)
				break;
			len += (size_t)n;
		}
	if (!buf[0])
		snprintf(buf, size, "%s", dl__tr_in(l, N_("nothing chosen")));
}

/* Whether node n lies under node top. */
static bool under(const dl_questionnaire *q, size_t n, size_t top)
{
	for (size_t p = q->nodes[n].parent; p != DL_NONE; p = q->nodes[p].parent)
		if (p == top)
			return true;
	return false;
}

static void dimensions(dl_findings *f, const dl_result *r, bool *mentioned)
{
	const dl_questionnaire *q = r->q;
	char a[32], b[32], c[32], d[32], list[1200];
	for (size_t n = 0; n < q->node_count; n++) {
		const dl__node *dim = &q->nodes[n];
		if (dim->kind != DL_NODE_DIMENSION || dim->points <= 0)
			continue;
		/* below the whole: got / points < total / all */
		if ((dl__i128)r->node_scores[n] * q->points >= (dl__i128)r->total * dim->points)
			continue;
		/* the two questions under it that lose most points */
		size_t worst[2] = {DL_NONE, DL_NONE};
		for (size_t k = 0; k < q->node_count; k++) {
			if (q->nodes[k].kind != DL_NODE_QUESTION || !under(q, k, n))
				continue;
			dl_points lost = q->nodes[k].points - r->node_scores[k];
			if (lost <= 0)
				continue;
			for (int w = 0; w < 2; w++) {
				if (worst[w] == DL_NONE ||
				    lost > q->nodes[worst[w]].points - r->node_scores[worst[w]]) {
					if (w == 0)
						worst[1] = worst[0];
					worst[w] = k;
					break;
				}
			}
		}
		char text[DL__LANGUAGES][2048], whole[32], part[32];
		dl__decimal_format(r->node_scores[n], a, sizeof(a));
		dl__decimal_format(dim->points, b, sizeof(b));
		rate(r->node_scores[n], dim->points, part, sizeof(part));
		rate(r->total, q->points, whole, sizeof(whole));
		for (int w = 0; w < 2 && worst[w] != DL_NONE; w++)
			mentioned[worst[w]] = true;
		DL__EACH_LANGUAGE(l) {
			text[l][0] = '\0';
			if (!f->wanted[l])
				continue;
			list[0] = '\0';
			for (int w = 0; w < 2 && worst[w] != DL_NONE; w++) {
				size_t len = strlen(list);
				if (w)
					len += (size_t)snprintf(list + len, sizeof(list) - len, "%s", dl__tr_in(l, N_(", ")));
				if (len < sizeof(list))
					format_in(list + len, sizeof(list) - len, l, N_("%s %s (%s / %s points)"),
						  q->nodes[worst[w]].id, q->nodes[worst[w]].title,
						  dl__decimal_format(r->node_scores[worst[w]], c, sizeof(c)),
						  dl__decimal_format(q->nodes[worst[w]].points, d, sizeof(d)));
			}
			if (list[0])
				format_in(text[l], sizeof(text[l]), l,
					  N_("Dimension “%s” scores %s points (of %s, %s%%), below the overall rate of "
					     "%s%%; the points are lost mostly on %s."),
					  dim->title, a, b, part, whole, list);
			else
				format_in(text[l], sizeof(text[l]), l,
					  N_("Dimension “%s” scores %s points (of %s, %s%%), below the overall rate of "
					     "%s%%."),
					  dim->title, a, b, part, whole);
		}
		add(f, DL_FINDING_DIMENSION, dim->id, text);
	}
}

static void scenarios(dl_findings *f, const dl_result *r, const dl__grade *g)
{
	const dl_questionnaire *q = r->q;
	const char *name = dl_questionnaire_level_name(q, g->level);
	for (int pass = 0; pass < 2; pass++) {
		char list[3000], text[DL__LANGUAGES][2048];
		size_t count = 0;
		DL__EACH_LANGUAGE(l) {
			size_t len = 0;
			text[l][0] = '\0';
			if (!f->wanted[l])
				continue;
			count = 0;
			list[0] = '\0';
			for (size_t si = 0; si < q->scenario_count; si++) {
				const dl__scenario *s = &q->scenarios[si];
				if (s->constraint != (pass == 0) || r->scenario_levels[si] >= g->gate_level)
					continue;
				char item[600];
				format_in(item, sizeof(item), l, N_("%s %s (level %d)"), s->id, s->title,
					  r->scenario_levels[si]);
				int n = snprintf(list + len, sizeof(list) - len, "%s%s",
						 count ? dl__tr_in(l, N_(", ")) : "", item);
				if (n > 0 && (size_t)n < sizeof(list) - len)
					len += (size_t)n;
				count++;
			}
			size_t need = pass == 0 ? g->gate_constraint : g->gate_count;
			if (pass == 0)
				format_in(text[l], sizeof(text[l]), l,
					  N_("%zu constraint scenarios are below the level %s requires of them (level %d): "
					     "%s; %s needs at least %zu constraint scenarios at level %d, now %zu."),
					  count, name, g->gate_level, list, name, need, g->gate_level,
					  dl_result_scenarios_at_least(r, g->gate_level, true));
			else
				format_in(text[l], sizeof(text[l]), l,
					  N_("%zu guiding scenarios are below level %d: %s; %s needs at least %zu "
					     "scenarios at level %d, now %zu."),
					  count, g->gate_level, list, name, need, g->gate_level,
					  dl_result_scenarios_at_least(r, g->gate_level, false));
		}
		if (count)
			add(f, DL_FINDING_SCENARIOS, "", text);
	}
}

/* At most this many questions get a sentence of their own; the rest are named in one. */
#define QUESTIONS_SHOWN 4

static void questions(dl_findings *f, const dl_result *r, const bool *mentioned)
{
	const dl_questionnaire *q = r->q;
	char a[32], b[32], chosen[1500], rest[DL__LANGUAGES][1200], text[DL__LANGUAGES][2048];
	size_t order[64], n_order = 0;
	/* the questions the enterprise can act on earning less than half, most points lost first */
	for (size_t n = 0; n < q->node_count && n_order < 64; n++) {
		size_t qi = q->nodes[n].question;
		if (qi == DL_NONE || q->questions[qi].outcome || mentioned[n] ||
		    r->node_scores[n] * 2 >= q->questions[qi].points)
			continue;
		size_t k = n_order++;
		dl_points lost = q->nodes[n].points - r->node_scores[n];
		while (k > 0 && q->nodes[order[k - 1]].points - r->node_scores[order[k - 1]] < lost) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = n;
	}
	DL__EACH_LANGUAGE(l)
	rest[l][0] = '\0';
	for (size_t i = 0; i < n_order; i++) {
		size_t n = order[i], qi = q->nodes[n].question;
		const dl__question *qu = &q->questions[qi];
		dl__decimal_format(r->node_scores[n], a, sizeof(a));
		dl__decimal_format(qu->points, b, sizeof(b));
		if (i >= QUESTIONS_SHOWN) {
			DL__EACH_LANGUAGE(l) {
				size_t len = strlen(rest[l]);
				if (!f->wanted[l])
					continue;
				if (len)
					len += (size_t)snprintf(rest[l] + len, sizeof(rest[l]) - len, "%s",
								dl__tr_in(l, N_(", ")));
				if (len < sizeof(rest[l]))
					format_in(rest[l] + len, sizeof(rest[l]) - len, l, N_("%s %s (%s / %s points)"),
						  qu->id, q->nodes[n].title, a, b);
			}
			continue;
		}
		DL__EACH_LANGUAGE(l) {
			text[l][0] = '\0';
			if (!f->wanted[l])
				continue;
			chosen_text(r, qi, l, chosen, sizeof(chosen));
			format_in(text[l], sizeof(text[l]), l, N_("%s %s: now %s, %s points (of %s)."), qu->id,
				  qu->text, chosen, a, b);
		}
		add(f, DL_FINDING_QUESTION, qu->id, text);
	}
	if (n_order > QUESTIONS_SHOWN) {
		DL__EACH_LANGUAGE(l) {
			text[l][0] = '\0';
			if (f->wanted[l])
				format_in(text[l], sizeof(text[l]), l, N_("Also scoring less than half: %s."),
					  rest[l]);
		}
		add(f, DL_FINDING_QUESTION, "", text);
	}
}

/* Outcomes at 0: a trend that went the wrong way, a ratio in the lowest band. */
static void outcomes(dl_findings *f, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	char b[32], chosen[1500], text[DL__LANGUAGES][2048];
	for (size_t n = 0; n < q->node_count; n++) {
		size_t qi = q->nodes[n].question;
		if (qi == DL_NONE || !q->questions[qi].outcome || r->node_scores[n] != 0 ||
		    q->questions[qi].points <= 0)
			continue;
		const dl__question *qu = &q->questions[qi];
		dl__decimal_format(qu->points, b, sizeof(b));
		DL__EACH_LANGUAGE(l) {
			text[l][0] = '\0';
			if (!f->wanted[l])
				continue;
			chosen_text(r, qi, l, chosen, sizeof(chosen));
			if (qu->input == DL_INPUT_TREND)
				format_in(text[l], sizeof(text[l]), l,
					  N_("%s %s: %s, 0 points (of %s); an outcome, measured after the retrofit, "
					     "not something to retrofit."),
					  qu->id, qu->text, chosen, b);
			else
				format_in(text[l], sizeof(text[l]), l,
					  N_("%s %s: %s, 0 points (of %s); set by the enterprise's own investment and "
					     "revenue, not something to retrofit."),
					  qu->id, qu->text, chosen, b);
		}
		add(f, DL_FINDING_OUTCOME, qu->id, text);
	}
}

int dl_findings_make(dl_findings **out, const dl_result *r, int target, dl_error *err)
{
	return dl__findings_make_in(out, r, target, -1, err);
}

int dl__findings_make_in(dl_findings **out, const dl_result *r, int target, int language,
			 dl_error *err)
{
	const dl_questionnaire *q = r->q;
	const dl__grade *g = NULL;
	if (target < 0)
		for (size_t gi = 0; gi < q->grade_count; gi++)
			if (q->grades[gi].level > r->level &&
			    (target < 0 || q->grades[gi].level < target))
				target = q->grades[gi].level;
	if (target >= 0) {
		size_t gi = dl_questionnaire_grade_find(q, target);
		if (gi == DL_NONE)
			return dl__error_set(err, DL_EINVALID, q->path, 0, 0,
					     _("no grade of questionnaire '%s' gives level %d"), q->id, target);
		g = &q->grades[gi];
	}
	dl_findings *f = dl__calloc(1, sizeof(*f));
	if (!f)
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, _("out of memory"));
	assert(language >= -1 && language < DL__LANGUAGES);
	DL__EACH_LANGUAGE(l)
	f->wanted[l] = language < 0 || l == language;
	bool *mentioned = dl__calloc(q->node_count + 1, sizeof(bool));
	if (!mentioned) {
		dl_findings_free(f);
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, _("out of memory"));
	}
	dimensions(f, r, mentioned);
	if (g && g->has_gate)
		scenarios(f, r, g);
	questions(f, r, mentioned);
	outcomes(f, r);
	dl__free(mentioned);
	if (f->oom) {
		dl_findings_free(f);
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, _("out of memory"));
	}
	*out = f;
	return 0;
}

void dl_findings_free(dl_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->count; i++) {
		dl__free(f->items[i].subject);
		DL__EACH_LANGUAGE(l)
		dl__free(f->items[i].text[l]);
	}
	dl__free(f->items);
	dl__free(f);
}

size_t dl_findings_count(const dl_findings *f) { return f->count; }
dl_finding_kind dl_findings_kind(const dl_findings *f, size_t i) { return i < f->count ? f->items[i].kind : DL_FINDING_QUESTION; }
const char *dl_findings_subject(const dl_findings *f, size_t i) { return i < f->count ? f->items[i].subject : ""; }
const char *dl_findings_text(const dl_findings *f, size_t i)
{
	return i < f->count ? f->items[i].text[dl__messages_language()] : "";
}

const char *dl__findings_text_zh(const dl_findings *f, size_t i)
{
	return i < f->count ? f->items[i].text[DL_LANGUAGE_ZH] : "";
}
