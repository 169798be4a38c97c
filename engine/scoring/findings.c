/*
 * findings.c: the pain points of a diagnosis (主要问题), derived from the scored data and written
 * as sentences, so that the text output, the JSON and the PDF report say the same thing.
 *
 * Four kinds, in this order: the dimensions that score below the total's rate, each with its
 * questions that lose most; the scenarios below the level the target asks for, constraint
 * scenarios first, with how many the grade needs; the questions the enterprise can act on that
 * earn less than half their points, with what was chosen; the outcomes (trends, ratios) that fell
 * or sit in the lowest band, marked as measured, not done. Every sentence names its numbers.
 */
#include "alloc.h"
#include "decimal.h"
#include "diag.h"
#include "digilevel/retrofit.h"
#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct finding {
	dl_finding_kind kind;
	char *subject, *text;
} finding;

struct dl_findings {
	finding *items;
	size_t count, cap;
	bool oom;
};

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void add(dl_findings *f, dl_finding_kind kind, const char *subject, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	if (f->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
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
	x->text = dl__strdup(text);
	if (!x->subject || !x->text) {
		dl__free(x->subject);
		dl__free(x->text);
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

/* The chosen options of question qi as "B「…」、C「…」", or "未选" when none. */
static void chosen_text(const dl_result *r, size_t qi, char *buf, size_t size)
{
	const dl__question *qu = &r->q->questions[qi];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t oi = 0; oi < qu->option_count && len < size; oi++)
		if (r->chosen[r->option_offset[qi] + oi]) {
			int n = snprintf(buf + len, size - len, "%s%s「%s」", len ? "、" : "",
					 qu->options[oi].id, qu->options[oi].text);
			if (n < 0)
				break;
			len += (size_t)n;
		}
	if (!buf[0])
		snprintf(buf, size, "未选");
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
		list[0] = '\0';
		for (int w = 0; w < 2 && worst[w] != DL_NONE; w++) {
			size_t len = strlen(list);
			mentioned[worst[w]] = true;
			snprintf(list + len, sizeof(list) - len, "%s%s %s（%s / %s 分）", w ? "、" : "",
				 q->nodes[worst[w]].id, q->nodes[worst[w]].title,
				 dl__decimal_format(r->node_scores[worst[w]], c, sizeof(c)),
				 dl__decimal_format(q->nodes[worst[w]].points, d, sizeof(d)));
		}
		char whole[32];
		add(f, DL_FINDING_DIMENSION, dim->id,
		    "“%s”维度得分 %s 分（满分 %s 分，得分率 %s%%），低于总体得分率 %s%%%s%s。",
		    dim->title, dl__decimal_format(r->node_scores[n], a, sizeof(a)),
		    dl__decimal_format(dim->points, b, sizeof(b)),
		    rate(r->node_scores[n], dim->points, c, sizeof(c)), rate(r->total, q->points, whole, sizeof(whole)),
		    list[0] ? "，失分主要在 " : "", list);
	}
}

static void scenarios(dl_findings *f, const dl_result *r, const dl__grade *g)
{
	const dl_questionnaire *q = r->q;
	const char *name = dl_questionnaire_level_name(q, g->level);
	for (int pass = 0; pass < 2; pass++) {
		char list[3000];
		size_t len = 0, count = 0;
		list[0] = '\0';
		for (size_t si = 0; si < q->scenario_count; si++) {
			const dl__scenario *s = &q->scenarios[si];
			if (s->constraint != (pass == 0) || r->scenario_levels[si] >= g->gate_level)
				continue;
			int n = snprintf(list + len, sizeof(list) - len, "%s%s %s（%d 级）", count ? "、" : "",
					 s->id, s->title, r->scenario_levels[si]);
			if (n > 0 && (size_t)n < sizeof(list) - len)
				len += (size_t)n;
			count++;
		}
		if (count == 0)
			continue;
		size_t have = dl_result_scenarios_at_least(r, g->gate_level, pass == 0);
		size_t need = pass == 0 ? g->gate_constraint : g->gate_count;
		if (pass == 0)
			add(f, DL_FINDING_SCENARIOS, "",
			    "约束性场景中有 %zu 个低于%s要求的 %d 级：%s；%s需至少 %zu 个约束性场景达到 %d 级，"
			    "目前 %zu 个。",
			    count, name, g->gate_level, list, name, need, g->gate_level, have);
		else
			add(f, DL_FINDING_SCENARIOS, "",
			    "指导性场景中有 %zu 个低于 %d 级：%s；%s需至少 %zu 个场景达到 %d 级，目前 %zu 个。",
			    count, g->gate_level, list, name, need, g->gate_level,
			    dl_result_scenarios_at_least(r, g->gate_level, false));
	}
}

/* At most this many questions get a sentence of their own; the rest are named in one. */
#define QUESTIONS_SHOWN 4

static void questions(dl_findings *f, const dl_result *r, const bool *mentioned)
{
	const dl_questionnaire *q = r->q;
	char a[32], b[32], chosen[1500], rest[1200];
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
	rest[0] = '\0';
	for (size_t i = 0; i < n_order; i++) {
		size_t n = order[i], qi = q->nodes[n].question;
		const dl__question *qu = &q->questions[qi];
		if (i >= QUESTIONS_SHOWN) {
			size_t len = strlen(rest);
			snprintf(rest + len, sizeof(rest) - len, "%s%s %s（%s / %s 分）", len ? "、" : "", qu->id,
				 q->nodes[n].title, dl__decimal_format(r->node_scores[n], a, sizeof(a)),
				 dl__decimal_format(qu->points, b, sizeof(b)));
			continue;
		}
		chosen_text(r, qi, chosen, sizeof(chosen));
		add(f, DL_FINDING_QUESTION, qu->id, "%s %s：现为 %s，得 %s 分（满分 %s 分）。", qu->id, qu->text,
		    chosen, dl__decimal_format(r->node_scores[n], a, sizeof(a)),
		    dl__decimal_format(qu->points, b, sizeof(b)));
	}
	if (rest[0])
		add(f, DL_FINDING_QUESTION, "", "得分也不足一半的还有：%s。", rest);
}

/* Outcomes at 0: a trend that went the wrong way, a ratio in the lowest band. */
static void outcomes(dl_findings *f, const dl_result *r)
{
	const dl_questionnaire *q = r->q;
	char b[32], chosen[1500];
	for (size_t n = 0; n < q->node_count; n++) {
		size_t qi = q->nodes[n].question;
		if (qi == DL_NONE || !q->questions[qi].outcome || r->node_scores[n] != 0 ||
		    q->questions[qi].points <= 0)
			continue;
		const dl__question *qu = &q->questions[qi];
		chosen_text(r, qi, chosen, sizeof(chosen));
		dl__decimal_format(qu->points, b, sizeof(b));
		if (qu->input == DL_INPUT_TREND)
			add(f, DL_FINDING_OUTCOME, qu->id,
			    "%s %s：%s，得 0 分（满分 %s 分）；为成效指标，改造后实测，不作为改造内容。",
			    qu->id, qu->text, chosen, b);
		else
			add(f, DL_FINDING_OUTCOME, qu->id,
			    "%s %s：%s，得 0 分（满分 %s 分）；由企业自身的投入与营收决定，不作为改造内容。",
			    qu->id, qu->text, chosen, b);
	}
}

int dl_findings_make(dl_findings **out, const dl_result *r, int target, dl_error *err)
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
					     "no grade of questionnaire '%s' gives level %d", q->id, target);
		g = &q->grades[gi];
	}
	dl_findings *f = dl__calloc(1, sizeof(*f));
	if (!f)
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, "out of memory");
	bool *mentioned = dl__calloc(q->node_count + 1, sizeof(bool));
	if (!mentioned) {
		dl_findings_free(f);
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, "out of memory");
	}
	dimensions(f, r, mentioned);
	if (g && g->has_gate)
		scenarios(f, r, g);
	questions(f, r, mentioned);
	outcomes(f, r);
	dl__free(mentioned);
	if (f->oom) {
		dl_findings_free(f);
		return dl__error_set(err, DL_ENOMEM, q->path, 0, 0, "out of memory");
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
		dl__free(f->items[i].text);
	}
	dl__free(f->items);
	dl__free(f);
}

size_t dl_findings_count(const dl_findings *f) { return f->count; }
dl_finding_kind dl_findings_kind(const dl_findings *f, size_t i) { return i < f->count ? f->items[i].kind : DL_FINDING_QUESTION; }
const char *dl_findings_subject(const dl_findings *f, size_t i) { return i < f->count ? f->items[i].subject : ""; }
const char *dl_findings_text(const dl_findings *f, size_t i) { return i < f->count ? f->items[i].text : ""; }
