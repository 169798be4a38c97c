/*
 * batch_rows.c: turning scored sheets into one row per enterprise (or per sheet), as CSV and JSON
 * Lines, plus the summary.
 *
 * Pairing: an enterprise is known by its 统一社会信用代码. Its diagnosis (or, lacking one, its self-
 * check) is the "before"; its evaluation with the highest acceptance attempt (then the latest date)
 * is the "after". Each time an after meets a before they are compared (under the policy, if any)
 * and the enterprise's row is replaced; rows are written at the end in order of first appearance.
 */
#include "batch_rows.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct entry {
	char *code;
	batch_job *before; /* kept for evaluations that come later */
	batch_job *after;  /* an evaluation still waiting for its before */
	batch_row row;
	bool has_row;
	int row_attempt;
	char *row_date;
	unsigned long row_index;
} entry;

struct batch_rows {
	const dl_policy *policy;
	bool per_sheet;
	FILE *csv, *jsonl;
	char *csv_path, *jsonl_path, *csv_tmp, *jsonl_tmp;
	bool write_failed;
	entry **entries; /* in order of first appearance */
	size_t entry_count, entry_cap;
	entry **table;   /* open addressing by credit code */
	size_t table_cap;
	unsigned long sheets, failed, paired, compared_failed, subsidies;
	int64_t subsidy_total;
	unsigned long levels_after[10];
	char *failed_list;
	size_t failed_len;
};

static char *dup_or_empty(const char *s)
{
	char *copy = strdup(s ? s : "");
	return copy ? copy : calloc(1, 1);
}

/* --- output ------------------------------------------------------------------------------------ */

static void csv_field(batch_rows *b, const char *s, bool last)
{
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\n\r") != NULL;
	if (quote) {
		fputc('"', b->csv);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', b->csv);
			fputc(*s, b->csv);
		}
		fputc('"', b->csv);
	} else {
		fputs(s, b->csv);
	}
	fputs(last ? "\n" : ",", b->csv);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *points_text(dl_points p, char *buf)
{
	return dl_points_format(p, buf, 32);
}

static void csv_side(batch_rows *b, const batch_side *s, bool with_retrofit)
{
	char buf[32], lv[16];
	csv_field(b, s->present ? s->file : "", false);
	csv_field(b, s->present ? s->date : "", false);
	if (with_retrofit) {
		snprintf(lv, sizeof(lv), "%d", s->attempt);
		csv_field(b, s->present && s->attempt ? lv : "", false);
		csv_field(b, s->present ? s->applied : "", false);
	}
	snprintf(lv, sizeof(lv), "%d", s->level);
	csv_field(b, s->present ? lv : "", false);
	csv_field(b, s->present ? s->level_name : "", false);
	csv_field(b, s->present ? points_text(s->total, buf) : "", false);
	for (size_t i = 0; i < 3; i++)
		csv_field(b, s->present && i < s->dim_count ? points_text(s->dims[i], buf) : "", false);
}

static void json_side(FILE *f, const batch_side *s, bool with_retrofit)
{
	char buf[32];
	if (!s->present) {
		fputs("null", f);
		return;
	}
	fputs("{\"file\": ", f);
	json_string(f, s->file);
	fputs(", \"phase\": ", f);
	json_string(f, s->phase);
	fputs(", \"date\": ", f);
	json_string(f, s->date);
	if (with_retrofit) {
		fprintf(f, ", \"attempt\": %d, \"applied\": ", s->attempt);
		json_string(f, s->applied);
	}
	fprintf(f, ", \"level\": %d, \"level_name\": ", s->level);
	json_string(f, s->level_name);
	fprintf(f, ", \"total\": %s, \"dimensions\": {", points_text(s->total, buf));
	for (size_t i = 0; i < s->dim_count; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, s->dim_titles[i]);
		fprintf(f, ": %s", points_text(s->dims[i], buf));
	}
	fputs("}}", f);
}

static void write_row(batch_rows *b, const batch_row *r)
{
	char money[32];
	if (b->csv) {
		csv_field(b, r->code, false);
		csv_field(b, r->name, false);
		csv_field(b, r->industry, false);
		csv_field(b, r->scale, false);
		csv_field(b, r->tags, false);
		csv_field(b, r->status, false);
		csv_side(b, &r->before, false);
		csv_side(b, &r->after, true);
		csv_field(b, r->has_verdict ? (r->passed ? "通过" : "不通过") : "", false);
		csv_field(b, r->phase_id, false);
		csv_field(b, r->has_verdict ? dl_money_format(r->eligible, money, sizeof(money)) : "", false);
		csv_field(b, r->has_verdict ? dl_money_format(r->subsidy, money, sizeof(money)) : "", false);
		csv_field(b, r->reason, true);
	}
	if (b->jsonl) {
		FILE *f = b->jsonl;
		fputs("{\"credit_code\": ", f);
		json_string(f, r->code);
		fputs(", \"name\": ", f);
		json_string(f, r->name);
		fputs(", \"industry\": ", f);
		json_string(f, r->industry);
		fputs(", \"scale\": ", f);
		json_string(f, r->scale);
		fputs(", \"tags\": ", f);
		json_string(f, r->tags);
		fputs(", \"status\": ", f);
		json_string(f, r->status);
		fputs(", \"before\": ", f);
		json_side(f, &r->before, false);
		fputs(", \"after\": ", f);
		json_side(f, &r->after, true);
		if (r->has_verdict) {
			fprintf(f, ", \"passed\": %s, \"phase\": ", r->passed ? "true" : "false");
			json_string(f, r->phase_id);
			fputs(", \"eligible_investment\": ", f);
			json_string(f, dl_money_format(r->eligible, money, sizeof(money)));
			fputs(", \"subsidy\": ", f);
			json_string(f, dl_money_format(r->subsidy, money, sizeof(money)));
		} else {
			fputs(", \"passed\": null, \"phase\": \"\", \"eligible_investment\": null, \"subsidy\": null", f);
		}
		fputs(", \"reason\": ", f);
		json_string(f, r->reason);
		fputs("}\n", f);
	}
}

static void write_header(batch_rows *b)
{
	if (!b->csv)
		return;
	if (b->per_sheet)
		fputs("credit_code,name,industry,scale,tags,status,file,date,level,level_name,total,d1,d2,d3,"
		      "error\n", b->csv);
	else
		fputs("credit_code,name,industry,scale,tags,status,"
		      "before_file,before_date,before_level,before_level_name,before_total,before_d1,before_d2,before_d3,"
		      "after_file,after_date,attempt,applied,after_level,after_level_name,after_total,after_d1,after_d2,after_d3,"
		      "verdict,phase,eligible_investment,subsidy,reason\n", b->csv);
}

/* --- rows -------------------------------------------------------------------------------------- */

static void side_free(batch_side *s)
{
	free(s->file);
	free(s->date);
	free(s->phase);
	free(s->level_name);
	free(s->applied);
	for (size_t i = 0; i < s->dim_count; i++)
		free(s->dim_titles[i]);
	memset(s, 0, sizeof(*s));
}

static void row_free(batch_row *r)
{
	free(r->code);
	free(r->name);
	free(r->industry);
	free(r->scale);
	free(r->tags);
	free(r->status);
	free(r->reason);
	free(r->phase_id);
	side_free(&r->before);
	side_free(&r->after);
	memset(r, 0, sizeof(*r));
}

static void fill_side(batch_side *s, const batch_job *job)
{
	const dl_questionnaire *q = job->q;
	const dl_sheet *sh = job->sheet;
	s->present = true;
	s->file = dup_or_empty(job->path);
	s->date = dup_or_empty(dl_sheet_date(sh));
	s->phase = dup_or_empty(dl_phase_name(dl_sheet_phase(sh)));
	s->level = dl_result_level(job->result);
	s->level_name = dup_or_empty(dl_questionnaire_level_name(q, s->level));
	s->total = dl_result_total(job->result);
	s->attempt = dl_sheet_retrofit_attempt(sh);
	s->applied = dup_or_empty(dl_sheet_retrofit_applied(sh));
	for (size_t n = 0; n < dl_questionnaire_node_count(q) && s->dim_count < 3; n++)
		if (dl_questionnaire_node_kind(q, n) == DL_NODE_DIMENSION) {
			s->dim_titles[s->dim_count] = dup_or_empty(dl_questionnaire_node_title(q, n));
			s->dims[s->dim_count++] = dl_result_node_score(job->result, n);
		}
}

static void fill_identity(batch_row *r, const dl_sheet *s, const char *status)
{
	r->code = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_CREDIT_CODE));
	r->name = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_NAME));
	r->industry = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_INDUSTRY));
	r->scale = dup_or_empty(dl_sheet_enterprise(s, DL_ENTERPRISE_SCALE));
	size_t len = 0;
	for (size_t i = 0; i < dl_sheet_tag_count(s); i++)
		len += strlen(dl_sheet_tag(s, i)) + 1;
	r->tags = calloc(1, len + 1);
	for (size_t i = 0; r->tags && i < dl_sheet_tag_count(s); i++) {
		if (i)
			strncat(r->tags, ";", len);
		strncat(r->tags, dl_sheet_tag(s, i), len);
	}
	if (!r->tags)
		r->tags = dup_or_empty("");
	r->status = dup_or_empty(status);
	r->reason = dup_or_empty("");
	r->phase_id = dup_or_empty("");
}

/* Diagnostics of a comparison, kept as the row's reason. */
typedef struct reason_text {
	char text[600];
} reason_text;

static void keep_reason(const dl_error *diag, void *userdata)
{
	reason_text *rt = userdata;
	if (diag->code == DL_OK || rt->text[0])
		return; /* warnings are not reasons; keep the first problem */
	dl_error_format(diag, rt->text, sizeof(rt->text));
}

static void make_pair_row(batch_rows *b, entry *e, const batch_job *after)
{
	const batch_job *before = e->before;
	batch_row r;
	memset(&r, 0, sizeof(r));
	fill_identity(&r, after->sheet, "paired");
	fill_side(&r.before, before);
	fill_side(&r.after, after);
	if (b->policy) {
		dl_comparison *c = NULL;
		reason_text rt = {""};
		dl_load_options opts = DL_LOAD_OPTIONS_INIT;
		opts.diag = keep_reason;
		opts.diag_data = &rt;
		int rc = dl_compare(&c, after->q, before->sheet, after->sheet, b->policy, &opts, NULL);
		if (rc == 0) {
			r.has_verdict = true;
			r.passed = dl_comparison_passed(c);
			r.eligible = dl_comparison_eligible_investment(c);
			r.subsidy = dl_comparison_subsidy(c);
			size_t phase = dl_comparison_phase(c);
			free(r.phase_id);
			r.phase_id = dup_or_empty(phase == DL_NONE ? "" : dl_policy_phase_id(b->policy, phase));
			free(r.reason);
			r.reason = dup_or_empty(dl_comparison_subsidy_granted(c)
							? dl_comparison_phase_reason(c)
							: dl_comparison_no_subsidy_reason(c));
		} else {
			free(r.status);
			r.status = dup_or_empty("not compared");
			free(r.reason);
			r.reason = dup_or_empty(rt.text);
		}
		dl_comparison_free(c);
	}
	if (e->has_row)
		row_free(&e->row);
	e->row = r;
	e->has_row = true;
}

/* Whether evaluation a should replace b as the enterprise's "after": higher attempt, later date. */
static bool later_evaluation(const dl_sheet *a, const dl_sheet *b)
{
	if (dl_sheet_retrofit_attempt(a) != dl_sheet_retrofit_attempt(b))
		return dl_sheet_retrofit_attempt(a) > dl_sheet_retrofit_attempt(b);
	return strcmp(dl_sheet_date(a), dl_sheet_date(b)) >= 0;
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static entry *find_entry(batch_rows *b, const char *code)
{
	if (b->entry_count * 2 >= b->table_cap) {
		size_t cap = b->table_cap ? b->table_cap * 2 : 256;
		entry **table = calloc(cap, sizeof(*table));
		if (!table)
			return NULL;
		for (size_t i = 0; i < b->entry_count; i++) {
			size_t h = hash(b->entries[i]->code) & (cap - 1);
			while (table[h])
				h = (h + 1) & (cap - 1);
			table[h] = b->entries[i];
		}
		free(b->table);
		b->table = table;
		b->table_cap = cap;
	}
	size_t h = hash(code) & (b->table_cap - 1);
	while (b->table[h]) {
		if (strcmp(b->table[h]->code, code) == 0)
			return b->table[h];
		h = (h + 1) & (b->table_cap - 1);
	}
	if (b->entry_count == b->entry_cap) {
		size_t cap = b->entry_cap ? b->entry_cap * 2 : 64;
		entry **grown = realloc(b->entries, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		b->entries = grown;
		b->entry_cap = cap;
	}
	entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->code = strdup(code))) {
		free(e);
		return NULL;
	}
	b->entries[b->entry_count++] = e;
	b->table[h] = e;
	return e;
}

static void note_failure(batch_rows *b, const batch_job *job)
{
	b->failed++;
	if (job->errors)
		fputs(job->errors, stderr);
	else
		fprintf(stderr, "%s: cannot be scored\n", job->path);
	size_t n = strlen(job->path);
	char *grown = realloc(b->failed_list, b->failed_len + n + 4);
	if (!grown)
		return;
	b->failed_list = grown;
	snprintf(b->failed_list + b->failed_len, n + 4, "  %s\n", job->path);
	b->failed_len += n + 3;
}

static void add_per_sheet(batch_rows *b, batch_job *job)
{
	batch_row r;
	char why[600] = "";
	memset(&r, 0, sizeof(r));
	if (job->rc == 0) {
		fill_identity(&r, job->sheet, dl_phase_name(dl_sheet_phase(job->sheet)));
		fill_side(&r.after, job);
		b->levels_after[r.after.level < 10 && r.after.level >= 0 ? r.after.level : 0]++;
	} else {
		note_failure(b, job);
		if (job->errors)
			snprintf(why, sizeof(why), "%.*s", (int)strcspn(job->errors, "\n"), job->errors);
		r.status = dup_or_empty("error");
		r.after.present = true;
		r.after.file = dup_or_empty(job->path);
	}
	if (b->csv) {
		char buf[32], lv[16];
		const batch_side *s = &r.after;
		csv_field(b, r.code, false);
		csv_field(b, r.name, false);
		csv_field(b, r.industry, false);
		csv_field(b, r.scale, false);
		csv_field(b, r.tags, false);
		csv_field(b, r.status, false);
		csv_field(b, s->file, false);
		csv_field(b, s->date, false);
		snprintf(lv, sizeof(lv), "%d", s->level);
		csv_field(b, job->rc == 0 ? lv : "", false);
		csv_field(b, s->level_name, false);
		csv_field(b, job->rc == 0 ? points_text(s->total, buf) : "", false);
		for (size_t i = 0; i < 3; i++)
			csv_field(b, i < s->dim_count ? points_text(s->dims[i], buf) : "", false);
		csv_field(b, why, true);
	}
	if (b->jsonl) {
		FILE *f = b->jsonl;
		fputs("{\"credit_code\": ", f);
		json_string(f, r.code);
		fputs(", \"name\": ", f);
		json_string(f, r.name);
		fputs(", \"status\": ", f);
		json_string(f, r.status);
		fputs(", \"sheet\": ", f);
		if (job->rc == 0)
			json_side(f, &r.after, true);
		else
			json_string(f, job->path);
		fputs(", \"error\": ", f);
		json_string(f, why);
		fputs("}\n", f);
	}
	row_free(&r);
	batch_job_free(job);
}

/*
 * A kept "before" gives up its score once it is paired: about a fifth of what an enterprise holds
 * until the end (docs/performance.md). The rare later evaluation of the same enterprise (a second
 * acceptance attempt) scores it again, to the same result.
 */
static void release_result(batch_job *job)
{
	dl_result_free(job->result);
	job->result = NULL;
}

static bool ensure_result(batch_job *job)
{
	return job->result || dl_score(&job->result, job->q, job->sheet, NULL, NULL) == 0;
}

void batch_rows_add(batch_rows *b, batch_job *job)
{
	b->sheets++;
	if (b->per_sheet) {
		add_per_sheet(b, job);
		return;
	}
	if (job->rc != 0) {
		note_failure(b, job);
		batch_job_free(job);
		return;
	}
	entry *e = find_entry(b, dl_sheet_enterprise(job->sheet, DL_ENTERPRISE_CREDIT_CODE));
	if (!e) {
		fprintf(stderr, "digilevel: out of memory pairing %s\n", job->path);
		b->failed++;
		batch_job_free(job);
		return;
	}
	dl_phase phase = dl_sheet_phase(job->sheet);
	if (phase == DL_PHASE_EVALUATION) {
		if (e->after && !later_evaluation(job->sheet, e->after->sheet)) {
			batch_job_free(job); /* an earlier attempt: the later one stands */
			return;
		}
		if (e->before) {
			if (!e->has_row || later_evaluation(job->sheet, NULL == e->after ? job->sheet : e->after->sheet) ||
			    dl_sheet_retrofit_attempt(job->sheet) >= e->row_attempt) {
				if (!ensure_result(e->before)) {
					fprintf(stderr, "digilevel: out of memory pairing %s\n", job->path);
					b->failed++;
					batch_job_free(job);
					return;
				}
				make_pair_row(b, e, job);
				e->row_attempt = dl_sheet_retrofit_attempt(job->sheet);
				release_result(e->before);
			}
			batch_job_free(e->after);
			e->after = NULL;
			batch_job_free(job);
			return;
		}
		batch_job_free(e->after);
		e->after = job;
		return;
	}
	/* a diagnosis beats a self-check; between equals, the later one stands */
	bool better = !e->before ||
		      (phase == DL_PHASE_DIAGNOSIS && dl_sheet_phase(e->before->sheet) != DL_PHASE_DIAGNOSIS) ||
		      (phase == dl_sheet_phase(e->before->sheet) &&
		       strcmp(dl_sheet_date(job->sheet), dl_sheet_date(e->before->sheet)) >= 0);
	if (!better) {
		batch_job_free(job);
		return;
	}
	batch_job_free(e->before);
	e->before = job;
	if (e->after) {
		make_pair_row(b, e, e->after);
		e->row_attempt = dl_sheet_retrofit_attempt(e->after->sheet);
		batch_job_free(e->after);
		e->after = NULL;
		release_result(e->before);
	}
}

unsigned long batch_rows_failed(const batch_rows *b)
{
	return b->failed;
}

/* --- files ------------------------------------------------------------------------------------- */

static FILE *open_temp(const char *path, char **tmp_path)
{
	size_t size = strlen(path) + 16;
	*tmp_path = malloc(size);
	if (!*tmp_path)
		return NULL;
	snprintf(*tmp_path, size, "%s.tmpXXXXXX", path);
	int fd = mkstemp(*tmp_path);
	if (fd < 0) {
		fprintf(stderr, "digilevel: cannot write %s: %s\n", path, strerror(errno));
		free(*tmp_path);
		*tmp_path = NULL;
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(*tmp_path);
	}
	return f;
}

int batch_rows_open(batch_rows **out, const char *csv, const char *jsonl, bool per_sheet,
		    const dl_policy *policy)
{
	batch_rows *b = calloc(1, sizeof(*b));
	if (!b)
		return DL_ENOMEM;
	b->policy = policy;
	b->per_sheet = per_sheet;
	if (!csv && !jsonl) {
		b->csv = stdout;
	} else {
		/* "-" is standard output; a file is written beside its place and renamed at the end */
		if (csv && strcmp(csv, "-") == 0)
			b->csv = stdout;
		else if (csv && (!(b->csv_path = strdup(csv)) || !(b->csv = open_temp(csv, &b->csv_tmp)))) {
			batch_rows_discard(b);
			return DL_EIO;
		}
		if (jsonl && strcmp(jsonl, "-") == 0)
			b->jsonl = stdout;
		else if (jsonl && (!(b->jsonl_path = strdup(jsonl)) ||
				   !(b->jsonl = open_temp(jsonl, &b->jsonl_tmp)))) {
			batch_rows_discard(b);
			return DL_EIO;
		}
		if (b->csv == stdout && b->jsonl == stdout) {
			fprintf(stderr, "digilevel: --csv and --jsonl cannot both be standard output\n");
			b->jsonl = NULL;
			batch_rows_discard(b);
			return DL_EINVALID;
		}
	}
	write_header(b);
	*out = b;
	return 0;
}

static int finish_file(FILE *f, const char *tmp, const char *path)
{
	if (!f || f == stdout)
		return f == stdout && fflush(stdout) != 0 ? -1 : 0;
	bool ok = !ferror(f) && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (ok && rename(tmp, path) == 0)
		return 0;
	fprintf(stderr, "digilevel: cannot write %s: %s\n", path, strerror(errno));
	unlink(tmp);
	return -1;
}

static void free_entries(batch_rows *b)
{
	for (size_t i = 0; i < b->entry_count; i++) {
		entry *e = b->entries[i];
		batch_job_free(e->before);
		batch_job_free(e->after);
		if (e->has_row)
			row_free(&e->row);
		free(e->code);
		free(e);
	}
	free(b->entries);
	free(b->table);
	free(b->failed_list);
}

int batch_rows_close(batch_rows *b, unsigned long broken_streams, batch_row_fn visit,
		     void *userdata)
{
	unsigned long only_before = 0, only_after = 0;
	for (size_t i = 0; !b->per_sheet && i < b->entry_count; i++) {
		entry *e = b->entries[i];
		if (!e->has_row) {
			const batch_job *job = e->after ? e->after : e->before;
			batch_row r;
			memset(&r, 0, sizeof(r));
			fill_identity(&r, job->sheet, e->after ? "evaluation only" : "diagnosis only");
			fill_side(e->after ? &r.after : &r.before, job);
			e->row = r;
			e->has_row = true;
			if (e->after)
				only_after++;
			else
				only_before++;
		} else {
			b->paired++;
			if (e->row.has_verdict && e->row.passed)
				b->compared_failed += 0;
			if (e->row.has_verdict && e->row.subsidy > 0) {
				b->subsidies++;
				b->subsidy_total += e->row.subsidy;
			}
		}
		const batch_side *last = e->row.after.present ? &e->row.after : &e->row.before;
		if (last->level >= 0 && last->level < 10)
			b->levels_after[last->level]++;
		write_row(b, &e->row);
		if (visit)
			visit(&e->row, userdata);
	}
	int rc = 0;
	if (finish_file(b->csv, b->csv_tmp, b->csv_path) != 0 ||
	    finish_file(b->jsonl, b->jsonl_tmp, b->jsonl_path) != 0)
		rc = EXIT_SYSTEM;
	b->csv = b->jsonl = NULL;

	char money[32];
	fprintf(stderr, "batch: %lu sheets, %lu scored, %lu failed", b->sheets, b->sheets - b->failed,
		b->failed);
	if (broken_streams)
		fprintf(stderr, ", %lu broken stream%s", broken_streams, broken_streams > 1 ? "s" : "");
	if (!b->per_sheet)
		fprintf(stderr, "; %zu enterprises: %lu paired, %lu diagnosis only, %lu evaluation only",
			b->entry_count, b->paired, only_before, only_after);
	fputs("\nlevels (latest sheet):", stderr);
	for (int level = 9; level >= 0; level--)
		if (b->levels_after[level])
			fprintf(stderr, " %d: %lu", level, b->levels_after[level]);
	fputc('\n', stderr);
	if (b->policy)
		fprintf(stderr, "subsidy: %lu enterprises, %s yuan in all\n", b->subsidies,
			dl_money_format(b->subsidy_total, money, sizeof(money)));
	if (b->failed_list)
		fprintf(stderr, "failed:\n%s", b->failed_list);
	if (rc == 0 && (b->failed || broken_streams))
		rc = EXIT_INVALID;
	free_entries(b);
	free(b->csv_path);
	free(b->jsonl_path);
	free(b->csv_tmp);
	free(b->jsonl_tmp);
	free(b);
	return rc;
}

void batch_rows_discard(batch_rows *b)
{
	if (!b)
		return;
	if (b->csv && b->csv != stdout) {
		fclose(b->csv);
		unlink(b->csv_tmp);
	}
	if (b->jsonl && b->jsonl != stdout) {
		fclose(b->jsonl);
		unlink(b->jsonl_tmp);
	}
	free_entries(b);
	free(b->csv_path);
	free(b->jsonl_path);
	free(b->csv_tmp);
	free(b->jsonl_tmp);
	free(b);
}
