/*
 * write_questionnaire.c: a questionnaire as JSON, as text, and as a blank answer sheet.
 *
 * `digilevel show` lets an evaluator see exactly what the loaded data says (ids, points, bands,
 * constraint flags, the level rule) without reading XML; the template gives an enterprise a sheet
 * to fill in with any editor, with everything it needs to know written beside each answer.
 */
#include "out.h"
#include "model.h"
#include "digilevel/sheet.h"

#include <string.h>

static const char *const TREND_NAMES[] = {"", "up", "flat", "down"};
static const char *const INPUT_NAMES[] = {"choice", "value", "trend"};

static void json_question(dl__out *o, const dl_questionnaire *q, const dl__question *qu)
{
	dl__out_str(o, "{");
	dl__out_json_field(o, "id", qu->id, true);
	dl__out_json_field(o, "text", qu->text, true);
	dl__out_json_field(o, "type", qu->type == DL_QUESTION_MULTI ? "multi" : "single", true);
	dl__out_json_field(o, "input", INPUT_NAMES[qu->input], true);
	dl__out_json_key(o, "points");
	dl__out_points(o, qu->points);
	dl__out_str(o, ", ");
	dl__out_json_field(o, "unit", qu->unit, true);
	dl__out_json_field(o, "derivation", qu->derivation, true);
	dl__out_json_key(o, "definitions");
	dl__out_str(o, "[");
	for (size_t i = 0; i < qu->definition_count; i++) {
		if (i)
			dl__out_str(o, ", ");
		dl__out_json_string(o, qu->definitions[i]);
	}
	dl__out_str(o, "], ");
	dl__out_json_key(o, "fields");
	dl__out_str(o, "[");
	for (size_t i = 0; i < qu->field_count; i++) {
		if (i)
			dl__out_str(o, ", ");
		dl__out_json_string(o, q->figures[qu->fields[i]].id);
	}
	dl__out_str(o, "], ");
	dl__out_json_key(o, "options");
	dl__out_str(o, "[");
	for (size_t i = 0; i < qu->option_count; i++) {
		const dl__option *op = &qu->options[i];
		dl__out_str(o, i ? ",\n            {" : "\n            {");
		dl__out_json_field(o, "id", op->id, true);
		dl__out_json_field(o, "text", op->text, true);
		dl__out_json_key(o, "points");
		dl__out_points(o, op->points);
		dl__out_str(o, ", ");
		dl__out_json_key(o, "exclusive");
		dl__out_str(o, op->exclusive ? "true, " : "false, ");
		dl__out_json_field(o, "band", op->band, true);
		dl__out_json_key(o, "trend");
		dl__out_json_string(o, TREND_NAMES[op->trend]);
		dl__out_str(o, "}");
	}
	dl__out_str(o, "]}");
}

static void json_nodes(dl__out *o, const dl_questionnaire *q, size_t parent, int depth)
{
	static const char *const children[] = {"indicators", "subindicators", "questions"};
	bool first = true;
	dl__out_str(o, "[");
	for (size_t n = 0; n < q->node_count; n++) {
		const dl__node *node = &q->nodes[n];
		if (node->parent != parent || (int)node->kind != depth)
			continue;
		dl__out_str(o, first ? "\n" : ",\n");
		first = false;
		for (int i = 0; i < depth + 2; i++)
			dl__out_str(o, "  ");
		if (node->kind == DL_NODE_QUESTION) {
			json_question(o, q, &q->questions[node->question]);
			continue;
		}
		dl__out_str(o, "{");
		dl__out_json_field(o, "id", node->id, true);
		dl__out_json_field(o, "title", node->title, true);
		dl__out_json_key(o, "points");
		dl__out_points(o, node->points);
		dl__out_str(o, ", ");
		dl__out_json_key(o, children[depth]);
		json_nodes(o, q, n, depth + 1);
		dl__out_str(o, "}");
	}
	dl__out_str(o, "]");
}

int dl_questionnaire_write_json(const dl_questionnaire *q, dl_write_fn write, void *userdata)
{
	dl__out o;
	dl__out_init(&o, write, userdata);
	dl__out_str(&o, "{\n  ");
	dl__out_json_field(&o, "id", q->id, true);
	dl__out_json_field(&o, "version", q->version, true);
	dl__out_json_field(&o, "title", q->title, true);
	dl__out_json_field(&o, "issuer", q->issuer, true);
	dl__out_json_field(&o, "document", q->document, true);
	dl__out_json_field(&o, "issued", q->issued, true);
	dl__out_json_key(&o, "points");
	dl__out_points(&o, q->points);
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "notes");
	dl__out_str(&o, "[");
	for (size_t i = 0; i < q->note_count; i++) {
		dl__out_str(&o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(&o, "id", q->notes[i].id, true);
		dl__out_json_field(&o, "title", q->notes[i].title, true);
		dl__out_json_key(&o, "text");
		dl__out_json_string(&o, q->notes[i].text);
		dl__out_str(&o, "}");
	}
	dl__out_str(&o, "],\n  ");
	dl__out_json_key(&o, "figures");
	dl__out_str(&o, "[");
	for (size_t i = 0; i < q->figure_count; i++) {
		dl__out_str(&o, i ? ",\n    {" : "\n    {");
		dl__out_json_field(&o, "id", q->figures[i].id, true);
		dl__out_json_field(&o, "label", q->figures[i].label, true);
		dl__out_json_field(&o, "unit", q->figures[i].unit, true);
		dl__out_json_key(&o, "integer");
		dl__out_str(&o, q->figures[i].integer ? "true}" : "false}");
	}
	dl__out_str(&o, "],\n  ");
	dl__out_json_key(&o, "dimensions");
	json_nodes(&o, q, DL_NONE, 0);
	dl__out_str(&o, ",\n  ");
	dl__out_json_key(&o, "scenarios");
	dl__out_str(&o, "{");
	dl__out_json_field(&o, "title", q->scenarios_title, true);
	dl__out_json_key(&o, "max_level");
	dl__out_printf(&o, "%d, ", q->max_level);
	dl__out_json_key(&o, "groups");
	dl__out_str(&o, "[");
	for (size_t g = 0; g < q->group_count; g++) {
		dl__out_str(&o, g ? ",\n    {" : "\n    {");
		dl__out_json_field(&o, "id", q->groups[g].id, true);
		dl__out_json_field(&o, "title", q->groups[g].title, true);
		dl__out_json_key(&o, "scenarios");
		dl__out_str(&o, "[");
		bool first = true;
		for (size_t si = 0; si < q->scenario_count; si++) {
			const dl__scenario *s = &q->scenarios[si];
			if (s->group != g)
				continue;
			dl__out_str(&o, first ? "\n      {" : ",\n      {");
			first = false;
			dl__out_json_field(&o, "id", s->id, true);
			dl__out_json_field(&o, "title", s->title, true);
			dl__out_json_field(&o, "text", s->text, true);
			dl__out_json_key(&o, "constraint");
			dl__out_str(&o, s->constraint ? "true, " : "false, ");
			dl__out_json_key(&o, "levels");
			dl__out_str(&o, "[");
			for (int l = 1; l <= q->max_level; l++) {
				dl__out_printf(&o, "%s{\"level\": %d, \"text\": ", l > 1 ? ", " : "", l);
				dl__out_json_string(&o, s->level_texts[l]);
				dl__out_str(&o, "}");
			}
			dl__out_str(&o, "]}");
		}
		dl__out_str(&o, "]}");
	}
	dl__out_str(&o, "]},\n  ");
	dl__out_json_key(&o, "levels");
	dl__out_str(&o, "[");
	for (size_t i = 0; i < q->level_count; i++) {
		dl__out_printf(&o, "%s{\"value\": %d, ", i ? ", " : "", q->levels[i].value);
		dl__out_json_field(&o, "name", q->levels[i].name, true);
		dl__out_json_key(&o, "description");
		dl__out_json_string(&o, q->levels[i].description);
		dl__out_str(&o, "}");
	}
	dl__out_str(&o, "],\n  ");
	dl__out_json_key(&o, "rule");
	dl__out_printf(&o, "{\"fallback\": %d, \"grades\": [", q->fallback);
	for (size_t i = 0; i < q->grade_count; i++) {
		const dl__grade *g = &q->grades[i];
		dl__out_printf(&o, "%s\n    {\"level\": %d, \"min_score\": ", i ? "," : "", g->level);
		dl__out_points(&o, g->min_score);
		if (g->has_gate)
			dl__out_printf(&o, ", \"scenarios\": {\"min_level\": %d, \"count\": %zu, \"constraint\": %zu}}",
				       g->gate_level, g->gate_count, g->gate_constraint);
		else
			dl__out_str(&o, ", \"scenarios\": null}");
	}
	dl__out_str(&o, "]}\n}\n");
	return dl__out_finish(&o);
}

static void text_question(dl__out *o, const dl_questionnaire *q, const dl__question *qu)
{
	char pts[32];
	dl__out_printf(o, "      %s %s  [%s，%s 分]\n", qu->id, qu->text,
		       qu->type == DL_QUESTION_MULTI ? "多选" : "单选",
		       dl__decimal_format(qu->points, pts, sizeof(pts)));
	for (size_t i = 0; i < qu->definition_count; i++)
		dl__out_printf(o, "        说明: %s\n", qu->definitions[i]);
	if (qu->derivation[0])
		dl__out_printf(o, "        由数据得出: %s\n", qu->derivation);
	for (size_t i = 0; i < qu->field_count; i++) {
		const dl__figure *f = &q->figures[qu->fields[i]];
		dl__out_printf(o, "        填报: %s %s%s%s%s\n", f->id, f->label, f->unit[0] ? "（" : "",
			       f->unit, f->unit[0] ? "）" : "");
	}
	for (size_t i = 0; i < qu->option_count; i++) {
		const dl__option *op = &qu->options[i];
		dl__out_printf(o, "        %-3s ", op->id);
		dl__out_right(o, dl__decimal_format(op->points, pts, sizeof(pts)), 6);
		dl__out_printf(o, " 分  %s", op->text);
		if (op->band[0] && strcmp(op->band, op->text) != 0)
			dl__out_printf(o, "  区间 %s", op->band);
		if (op->trend != DL_TREND_NONE)
			dl__out_printf(o, "  (%s)", TREND_NAMES[op->trend]);
		if (op->exclusive)
			dl__out_str(o, "  [互斥]");
		dl__out_str(o, "\n");
	}
}

int dl_questionnaire_write_text(const dl_questionnaire *q, dl_write_fn write, void *userdata)
{
	char pts[32];
	dl__out o;
	dl__out_init(&o, write, userdata);
	dl__out_printf(&o, "%s\n%s %s · %s %s %s · 满分 %s\n", q->title, q->id, q->version, q->issuer,
		       q->document, q->issued, dl__decimal_format(q->points, pts, sizeof(pts)));
	for (size_t i = 0; i < q->note_count; i++)
		dl__out_printf(&o, "\n注 %s（%s）: %s\n", q->notes[i].id, q->notes[i].title, q->notes[i].text);
	dl__out_str(&o, "\n");
	for (size_t n = 0; n < q->node_count; n++) {
		const dl__node *node = &q->nodes[n];
		if (node->kind == DL_NODE_QUESTION) {
			text_question(&o, q, &q->questions[node->question]);
			continue;
		}
		for (int i = 0; i < (int)node->kind; i++)
			dl__out_str(&o, "  ");
		dl__out_printf(&o, "%s %s（%s 分）\n", node->id, node->title,
			       dl__decimal_format(node->points, pts, sizeof(pts)));
	}
	if (q->scenario_count) {
		dl__out_printf(&o, "\n%s: %zu 个场景，其中约束性 %zu 个（★），等级 0–%d\n",
			       q->scenarios_title, q->scenario_count, q->constraint_count, q->max_level);
		for (size_t g = 0; g < q->group_count; g++) {
			dl__out_printf(&o, "  %s %s\n", q->groups[g].id, q->groups[g].title);
			for (size_t si = 0; si < q->scenario_count; si++) {
				const dl__scenario *s = &q->scenarios[si];
				if (s->group != g)
					continue;
				dl__out_printf(&o, "    %s %s%s\n", s->id, s->title, s->constraint ? " ★" : "");
				for (int l = 1; l <= q->max_level; l++)
					dl__out_printf(&o, "      %d 级: %s\n", l, s->level_texts[l]);
			}
		}
	}
	dl__out_str(&o, "\n等级\n");
	for (size_t i = q->level_count; i-- > 0;)
		dl__out_printf(&o, "  %d %s: %s\n", q->levels[i].value, q->levels[i].name,
			       q->levels[i].description);
	dl__out_str(&o, "\n等级规则（自高而低，取条件全部满足的最高等级；否则为 ");
	dl__out_printf(&o, "%s）\n", dl_questionnaire_level_name(q, q->fallback));
	for (size_t i = 0; i < q->grade_count; i++) {
		const dl__grade *g = &q->grades[i];
		dl__out_printf(&o, "  %s: 得分 ≥ %s", dl_questionnaire_level_name(q, g->level),
			       dl__decimal_format(g->min_score, pts, sizeof(pts)));
		if (g->has_gate)
			dl__out_printf(&o, "；达到 %d 级的场景 ≥ %zu 个，其中约束性 ≥ %zu 个",
				       g->gate_level, g->gate_count, g->gate_constraint);
		dl__out_str(&o, "\n");
	}
	return dl__out_finish(&o);
}

/* Text inside an XML comment: "--" is not allowed there. */
static void comment_text(dl__out *o, const char *s)
{
	for (; *s; s++) {
		dl__out_bytes(o, s, 1);
		if (s[0] == '-' && s[1] == '-')
			dl__out_str(o, " ");
	}
}

int dl_questionnaire_write_template(const dl_questionnaire *q, const char *phase,
				    dl_write_fn write, void *userdata)
{
	if (strcmp(phase, "diagnosis") != 0 && strcmp(phase, "evaluation") != 0 &&
	    strcmp(phase, "self-check") != 0)
		return DL_EINVALID;
	char pts[32];
	dl__out o;
	dl__out_init(&o, write, userdata);
	dl__out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- 答题表: ");
	comment_text(&o, q->title);
	/* ids and units may hold "--" too: everything inside a comment goes through comment_text */
	dl__out_str(&o, " (");
	comment_text(&o, q->id);
	dl__out_str(&o, " ");
	comment_text(&o, q->version);
	dl__out_str(&o, ")\n     Fill in every empty field, then check it with: digilevel validate FILE\n"
			"     `digilevel validate` on this blank sheet lists everything still unanswered. -->\n");
	dl__out_printf(&o, "<answer-sheet questionnaire=\"%s\" version=\"%s\">\n", q->id, q->version);
	dl__out_str(&o,
		    "  <enterprise>\n"
		    "    <name></name>\n"
		    "    <credit-code></credit-code> <!-- 统一社会信用代码: 18 characters, GB 32100-2015 -->\n"
		    "    <region></region>\n"
		    "    <address></address>\n"
		    "    <industry></industry> <!-- 细分行业, e.g. 食品加工制造 -->\n"
		    "    <scale></scale> <!-- 规上 or 规下 -->\n"
		    "    <!-- <employees>120</employees> -->\n"
		    "    <main-products></main-products>\n"
		    "    <!-- <tags><tag>专精特新中小企业</tag><tag>高新技术企业</tag></tags>\n"
		    "         a tag counts in the cohort dashboard only when it is one of these titles exactly:");
	/* the known titles (questionnaires/tags.xml), three to a line */
	for (size_t i = 0; i < dl_tag_known_count(); i++) {
		dl__out_str(&o, i % 3 ? ", " : i ? ",\n         " : "\n         ");
		comment_text(&o, dl_tag_known_name(i));
	}
	dl__out_str(&o, " -->\n"
			"  </enterprise>\n");
	dl__out_printf(&o,
		       "  <assessment phase=\"%s\" date=\"\"> <!-- date: YYYY-MM-DD -->\n"
		       "    <organisation></organisation>\n"
		       "    <!-- <assessor name=\"\" role=\"\" contact=\"\"/> one line per person -->\n"
		       "  </assessment>\n",
		       phase);
	if (q->figure_count) {
		dl__out_str(&o, "  <!-- Raw figures: fill in what you have; questions that use them are then\n"
				"       decided from the numbers (and checked against any option picked by hand). -->\n"
				"  <figures>\n");
		for (size_t i = 0; i < q->figure_count; i++) {
			const dl__figure *f = &q->figures[i];
			dl__out_printf(&o, "    <figure id=\"%s\"></figure> <!-- ", f->id);
			comment_text(&o, f->label);
			if (f->unit[0]) {
				dl__out_str(&o, "（");
				comment_text(&o, f->unit);
				dl__out_str(&o, "）");
			}
			dl__out_str(&o, f->integer ? ", whole number -->\n" : " -->\n");
		}
		dl__out_str(&o, "  </figures>\n");
	}
	dl__out_str(&o, "  <answers>\n");
	for (size_t qi = 0; qi < q->question_count; qi++) {
		const dl__question *qu = &q->questions[qi];
		dl__out_str(&o, "    <!-- ");
		comment_text(&o, qu->id);
		dl__out_str(&o, " ");
		comment_text(&o, qu->text);
		dl__out_printf(&o, "\n         %s, %s 分. ", qu->type == DL_QUESTION_MULTI ? "多选 multi-choice" : "单选 single-choice",
			       dl__decimal_format(qu->points, pts, sizeof(pts)));
		if (qu->type == DL_QUESTION_MULTI)
			dl__out_str(&o, "One <choose option=\"X\"/> per option.");
		else
			dl__out_str(&o, "One <choose option=\"X\"/>.");
		if (qu->input == DL_INPUT_VALUE) {
			dl__out_str(&o, " Or <value>35</value> in ");
			comment_text(&o, qu->unit);
			dl__out_str(&o, qu->derivation[0] ? ", or the figures." : ".");
		}
		if (qu->input == DL_INPUT_TREND)
			dl__out_str(&o, " Or fill in the figures below it.");
		dl__out_str(&o, "\n");
		for (size_t i = 0; i < qu->definition_count; i++) {
			dl__out_str(&o, "         说明: ");
			comment_text(&o, qu->definitions[i]);
			dl__out_str(&o, "\n");
		}
		if (qu->derivation[0]) {
			dl__out_str(&o, "         From figures: ");
			comment_text(&o, qu->derivation);
			dl__out_str(&o, "\n");
		}
		for (size_t i = 0; i < qu->option_count; i++) {
			const dl__option *op = &qu->options[i];
			dl__out_str(&o, "         ");
			comment_text(&o, op->id);
			dl__out_printf(&o, "%s (%s 分) ", op->id[1] ? "" : " ",
				       dl__decimal_format(op->points, pts, sizeof(pts)));
			comment_text(&o, op->text);
			if (op->exclusive)
				dl__out_str(&o, " [excludes all others]");
			dl__out_str(&o, "\n");
		}
		dl__out_str(&o, "    -->\n");
		dl__out_printf(&o, "    <answer question=\"%s\">\n", qu->id);
		dl__out_str(&o, "      <!-- <note></note> <evidence></evidence> -->\n    </answer>\n");
	}
	dl__out_str(&o, "  </answers>\n");
	if (q->scenario_count) {
		dl__out_printf(&o, "  <!-- ");
		comment_text(&o, q->scenarios_title);
		dl__out_printf(&o, ": rate every scenario 0–%d (0 = 未开展 not done); ★ = 约束性 constraint -->\n"
				   "  <scenarios>\n", q->max_level);
		for (size_t si = 0; si < q->scenario_count; si++) {
			const dl__scenario *s = &q->scenarios[si];
			dl__out_str(&o, "    <!-- ");
			comment_text(&o, s->id);
			dl__out_str(&o, " ");
			comment_text(&o, s->title);
			dl__out_str(&o, s->constraint ? " ★\n" : "\n");
			for (int l = 1; l <= q->max_level; l++) {
				dl__out_printf(&o, "         %d: ", l);
				comment_text(&o, s->level_texts[l]);
				dl__out_str(&o, "\n");
			}
			dl__out_printf(&o, "    -->\n    <scenario id=\"%s\" level=\"\"/>\n", s->id);
		}
		dl__out_str(&o, "  </scenarios>\n");
	}
	if (strcmp(phase, "evaluation") == 0)
		dl__out_str(&o,
			    "  <!-- After a retrofit: the project, for acceptance and subsidy (docs/policy.md).\n"
			    "       attempt: 1 for the first acceptance attempt. Amounts in yuan, at most 2 decimals.\n"
			    "       Investment categories (the policy file decides which are eligible): software,\n"
			    "       cloud, data-hardware (gateways, routers, storage, factory network, terminals),\n"
			    "       office-pc, removable-storage, cabling, it-operations, embedded-software.\n"
			    "  <retrofit attempt=\"1\">\n"
			    "    <contract></contract>\n"
			    "    <provider></provider>\n"
			    "    <scope></scope>\n"
			    "    <completed></completed>\n"
			    "    <applied></applied>\n"
			    "    <investment>\n"
			    "      <item category=\"software\" amount=\"0.00\"></item>\n"
			    "    </investment>\n"
			    "  </retrofit>\n"
			    "  -->\n");
	dl__out_str(&o, "</answer-sheet>\n");
	return dl__out_finish(&o);
}
