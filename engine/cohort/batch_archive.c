/*
 * batch_archive.c: the archive of a dl_batch, one folder per enterprise (一企一档): the seed plan
 * asks the 全过程监督服务单位 to keep, for each pilot enterprise, its diagnosis, its contract, its
 * 改造方案 and its acceptance together. The folder holds every sheet of the enterprise (the bytes
 * that were scored), its documents (batch_documents.c), the comparison of its pair as JSON, the
 * materials checklist of its acceptance package, an index for people (索引) and a manifest of
 * SHA-256 sums that `sha256sum -c` verifies (include/digilevel/batch.h, docs/batch.md).
 *
 * Every sheet is noted as it is paired (dl_batch_pair), whether it stands or not: its path, or a
 * copy of its text when it came from a stream or memory, and the SHA-256 of the bytes that were
 * scored. When the folder is written, a file is read again and refused when its bytes no longer
 * have that digest, so the archive never holds a sheet other than the one the documents were made
 * from.
 *
 * The whole folder is made in memory first, then written: files the manifest of an earlier run lists
 * and this run does not write are removed, the new manifest is written, then every file, each through
 * a temporary file renamed into place (dl_output_file_save). The manifest goes first so that a run
 * cut short leaves a folder whose every file is one a manifest claims (a later run may then update
 * it) and which `sha256sum -c` shows is incomplete. A file the archive did not write (not listed in
 * the folder's manifest), a symbolic link or a directory in the folder is never touched: the folder
 * is then left as it is and the row says why.
 */
#include "alloc.h"
#include "batch_model.h"
#include "buffer.h"
#include "out.h"
#include "policy_model.h"
#include "sha256.h"

#include <digilevel/files.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST "MANIFEST.sha256"
#define INDEX "index.txt"
#define NAME_MAX_CHARS 40 /* characters of the enterprise's name in a folder's name */

/* --- noting the sheets ------------------------------------------------------------------------ */

int dl__batch_archive_note(dl__batch_entry *e, const dl_batch_sheet *s)
{
	if (e->archived_count == e->archived_cap) {
		size_t cap = e->archived_cap ? e->archived_cap * 2 : 4;
		dl__archived_sheet *grown = dl__realloc(e->archived, cap * sizeof(*grown));
		if (!grown)
			return DL_ENOMEM;
		e->archived = grown;
		e->archived_cap = cap;
	}
	dl__archived_sheet *a = &e->archived[e->archived_count];
	memset(a, 0, sizeof(*a));
	bool from_text = s->len > 0; /* a stream's or memory's sheet; a file has none */
	if (!(a->path = dl__strdup(s->path)))
		return DL_ENOMEM;
	if (from_text) {
		if (!s->source || !(a->text = dl__malloc(s->len + 1))) {
			dl__free(a->path);
			return DL_ENOMEM;
		}
		memcpy(a->text, s->source, s->len);
		a->text[s->len] = '\0';
		a->len = s->len;
	}
	a->line = s->line;
	a->index = s->index;
	a->phase = dl_sheet_phase(s->sheet);
	a->attempt = dl_sheet_retrofit_attempt(s->sheet);
	snprintf(a->date, sizeof(a->date), "%s", dl_sheet_date(s->sheet));
	snprintf(a->digest, sizeof(a->digest), "%s", dl_sheet_digest(s->sheet));
	e->archived_count++;
	return 0;
}

void dl__batch_archive_entry_free(dl__batch_entry *e)
{
	for (size_t i = 0; i < e->archived_count; i++) {
		dl__free(e->archived[i].path);
		dl__free(e->archived[i].text);
	}
	dl__free(e->archived);
	dl__free(e->archive_folder);
	dl__free(e->archive_error);
	e->archived = NULL;
	e->archived_count = e->archived_cap = 0;
}

/* --- the folder's name ------------------------------------------------------------------------ */

/* Whether name can follow the code in a folder's name on Linux and Windows alike. */
static bool safe_name(const char *name)
{
	size_t chars = 0, len = strlen(name);
	if (len == 0 || name[len - 1] == '.' || name[len - 1] == ' ')
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || strchr("<>:\"/\\|?*", *p))
			return false;
		chars += (*p & 0xc0) != 0x80; /* a character starts at every byte but a continuation */
	}
	return chars <= NAME_MAX_CHARS;
}

char *dl_batch_archive_folder(const char *code, const char *name, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	size_t n = 0;
	for (const char *p = code; *p && n + 1 < size; p++) /* a credit code: digits and capitals */
		buf[n++] = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ? *p : '_';
	buf[n] = '\0';
	if (name && safe_name(name) && n + 1 + strlen(name) < size)
		snprintf(buf + n, size - n, "-%s", name);
	return buf;
}

/* --- the files, in memory --------------------------------------------------------------------- */

/* One file of the folder. */
typedef struct archive_file {
	char name[48];
	const unsigned char *data;
	size_t len;
	void *owned; /* freed with the folder (dl__free), or NULL */
	char sha256[DL__SHA256_HEX_SIZE];
	const dl__archived_sheet *sheet; /* a sheet's file: which */
	size_t document;		 /* a document's file: its index in the table; else SIZE_MAX */
} archive_file;

/* The folder being made: its files, and why it cannot be (the first problem). */
typedef struct folder {
	archive_file *files;
	size_t count, cap;
	int rc;
	char why[DL_ERROR_MESSAGE_MAX + DL_ERROR_FILE_MAX];
} folder;

static void fail(folder *f, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The folder cannot be written: keep the first reason. */
static void fail(folder *f, int rc, const char *fmt, ...)
{
	if (f->rc != 0)
		return;
	f->rc = rc;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
}

/* Add a file (takes ownership of owned); NULL when memory ran out (f says so, owned is freed). */
static archive_file *add_file(folder *f, const char *name, const void *data, size_t len, void *owned)
{
	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		archive_file *grown = dl__realloc(f->files, cap * sizeof(*grown));
		if (!grown) {
			dl__free(owned);
			fail(f, DL_ENOMEM, "out of memory");
			return NULL;
		}
		f->files = grown;
		f->cap = cap;
	}
	archive_file *a = &f->files[f->count++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->data = data;
	a->len = len;
	a->owned = owned;
	a->document = SIZE_MAX;
	dl__sha256_hex(data, len, a->sha256);
	return a;
}

/* Read a sheet file whole (at most the batch's limit). Returns 0, DL_EIO or DL_ENOMEM. */
static int read_sheet_file(const char *path, char **data, size_t *len, char *why, size_t size)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > DL_DEFAULT_MAX_FILE_SIZE) {
		snprintf(why, size, "cannot read the sheet '%s' again: %s", path,
			 !fp ? dl_strerror(errno) : "not a regular file of at most 16 MiB");
		if (fp)
			fclose(fp);
		return DL_EIO;
	}
	size_t want = (size_t)st.st_size;
	char *buf = dl__malloc(want + 1);
	if (!buf) {
		fclose(fp);
		snprintf(why, size, "out of memory");
		return DL_ENOMEM;
	}
	size_t got = fread(buf, 1, want + 1, fp); /* one more: a file that grew is caught below */
	bool bad = ferror(fp);
	fclose(fp);
	if (bad) {
		dl__free(buf);
		snprintf(why, size, "cannot read the sheet '%s' again", path);
		return DL_EIO;
	}
	*data = buf;
	*len = got;
	return 0;
}

/* Where a sheet comes in the folder: by date, then self-check, diagnosis, evaluation, then attempt,
 * then input order. */
static int phase_rank(dl_phase p)
{
	return p == DL_PHASE_SELF_CHECK ? 0 : p == DL_PHASE_DIAGNOSIS ? 1 : 2;
}

static int sheet_order(const void *x, const void *y)
{
	const dl__archived_sheet *a = *(const dl__archived_sheet *const *)x;
	const dl__archived_sheet *b = *(const dl__archived_sheet *const *)y;
	int c = strcmp(a->date, b->date);
	if (c == 0)
		c = phase_rank(a->phase) - phase_rank(b->phase);
	if (c == 0)
		c = (a->attempt > b->attempt) - (a->attempt < b->attempt);
	if (c == 0)
		c = (a->index > b->index) - (a->index < b->index);
	return c;
}

/* Every sheet of e, the bytes that were scored. */
static void add_sheets(folder *f, const dl__batch_entry *e)
{
	const dl__archived_sheet **order =
	    dl__calloc(e->archived_count + 1, sizeof(const dl__archived_sheet *));
	if (!order) {
		fail(f, DL_ENOMEM, "out of memory");
		return;
	}
	for (size_t i = 0; i < e->archived_count; i++)
		order[i] = &e->archived[i];
	qsort(order, e->archived_count, sizeof(const dl__archived_sheet *), sheet_order);
	for (size_t i = 0; i < e->archived_count && f->rc == 0; i++) {
		const dl__archived_sheet *s = order[i];
		char name[48];
		snprintf(name, sizeof(name), "sheet-%02zu-%s.xml", i + 1, dl_phase_name(s->phase));
		char *data = s->text;
		size_t len = s->len;
		char *owned = NULL;
		if (!data) {
			int rc = read_sheet_file(s->path, &owned, &len, f->why, sizeof(f->why));
			if (rc != 0) {
				f->rc = rc;
				break;
			}
			data = owned;
		}
		archive_file *a = add_file(f, name, data, len, owned);
		if (a && strcmp(a->sha256, s->digest) != 0)
			fail(f, DL_EINVALID,
			     "the sheet '%s' changed after it was scored (its SHA-256 was %.12s…, is "
			     "%.12s…): run the batch again",
			     s->path, s->digest, a->sha256);
		if (a)
			a->sheet = s;
	}
	dl__free(order);
}

/* The comparison as `digilevel compare --format json` writes it. */
static void add_comparison(folder *f, const dl_comparison *c)
{
	dl__buffer out = DL__BUFFER_INIT;
	if (dl_comparison_write_json(c, dl__buffer_write, &out) != 0) {
		dl__free(out.data);
		fail(f, DL_ENOMEM, "out of memory");
		return;
	}
	add_file(f, "comparison.json", out.data, out.len, out.data);
}

/* An outcome of the acceptance package, for people. */
static const char *outcome_title(dl_outcome o)
{
	switch (o) {
	case DL_OUTCOME_OK: return "符合";
	case DL_OUTCOME_NOTE: return "提示";
	case DL_OUTCOME_RECTIFY: return "限期整改";
	case DL_OUTCOME_FAIL: return "不通过";
	}
	return "";
}

/*
 * The materials checklist of the acceptance package as CSV, UTF-8 with a byte order mark so that a
 * spreadsheet reads it as UTF-8: the policy's required items in its order, then the sheet's others.
 */
static void add_materials(folder *f, const dl_comparison *c)
{
	static const char *const header[] = {"序号", "编号", "材料", "政策要求", "状态", "状态代码",
					     "文件编号", "核验人", "核验日期", "结论", "问题"};
	static const dl_material_field fields[] = {DL_MATERIAL_ID, DL_MATERIAL_TITLE};
	static const dl_material_field tail[] = {DL_MATERIAL_REFERENCE, DL_MATERIAL_VERIFIED_BY,
						 DL_MATERIAL_VERIFIED_ON};
	dl__buffer out = DL__BUFFER_INIT;
	dl__out o;
	dl__out_init(&o, dl__buffer_write, &out);
	dl__out_str(&o, "\xEF\xBB\xBF");
	for (size_t k = 0; k < sizeof(header) / sizeof(header[0]); k++)
		dl__out_csv_cell(&o, header[k], DL_CSV_TEXT, k + 1 == sizeof(header) / sizeof(header[0]));
	for (size_t i = 0; i < dl_comparison_material_count(c); i++) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", i + 1);
		dl__out_csv_cell(&o, n, DL_CSV_NUMBER, false);
		for (size_t k = 0; k < 2; k++)
			dl__out_csv_cell(&o, dl__comparison_material_field_zh(c, i, fields[k]),
					 DL_CSV_TEXT, false);
		dl__out_csv_cell(&o, dl_comparison_material_required(c, i) ? "必需" : "", DL_CSV_TEXT,
				 false);
		dl__out_csv_cell(&o,
				 dl__comparison_material_field_zh(c, i, DL_MATERIAL_STATUS_TITLE),
				 DL_CSV_TEXT, false);
		dl__out_csv_cell(&o, dl__comparison_material_field_zh(c, i, DL_MATERIAL_STATUS),
				 DL_CSV_TEXT, false);
		for (size_t k = 0; k < 3; k++)
			dl__out_csv_cell(&o, dl__comparison_material_field_zh(c, i, tail[k]),
					 DL_CSV_TEXT, false);
		dl__out_csv_cell(&o, outcome_title(dl_comparison_material_outcome(c, i)), DL_CSV_TEXT,
				 false);
		dl__out_csv_cell(&o, dl__comparison_material_field_zh(c, i, DL_MATERIAL_FINDING),
				 DL_CSV_TEXT, true);
	}
	if (dl__out_finish(&o) != 0) {
		dl__free(out.data);
		fail(f, DL_ENOMEM, "out of memory");
		return;
	}
	add_file(f, "materials.csv", out.data, out.len, out.data);
}

/* What a sheet is and whether it stands, for the index. */
static void describe_sheet(dl__out *o, const dl__batch_entry *e, const dl__archived_sheet *s)
{
	bool before = e->before && e->before->index == s->index;
	bool after = e->after && e->after->index == s->index;
	dl__out_printf(o, "  %s答卷，评估日期 %s", dl_phase_title(s->phase), s->date[0] ? s->date : "未填");
	if (s->phase == DL_PHASE_EVALUATION && s->attempt > 0)
		dl__out_printf(o, "，第 %d 次验收", s->attempt);
	dl__out_str(o, before ? "；改造前以此为准" : after ? "；改造后以此为准"
					    : "；未采用（同一阶段有更新的答卷）");
	dl__out_str(o, "\n  来源：");
	dl__out_str(o, s->path);
	if (s->text && s->line > 0)
		dl__out_printf(o, " 第 %lu 行起", s->line);
	dl__out_str(o, "\n");
}

/* The index (索引): the enterprise, its verdict, every file with its size, SHA-256 and what it is. */
static void add_index(folder *f, const dl_batch *b, const dl__batch_entry *e, const dl_comparison *c,
		      const char *const *why)
{
	static const char *const status_title[][2] = {
	    {"paired", "诊断与评测已配对"},
	    {"diagnosis only", "仅有诊断（尚无评测）"},
	    {"evaluation only", "仅有评测（无诊断）"},
	    {"not compared", "未能比对"}};
	const dl_batch_row *r = &e->row;
	dl__buffer out = DL__BUFFER_INIT;
	dl__out o;
	dl__out_init(&o, dl__buffer_write, &out);
	dl__out_str(&o, "一企一档 索引\n\n企业名称：");
	dl__out_str(&o, r->name);
	dl__out_str(&o, "\n统一社会信用代码：");
	dl__out_str(&o, r->code);
	dl__out_printf(&o, "\n细分行业：%s\n规模：%s\n", r->industry, r->scale);
	const char *status = r->status;
	for (size_t i = 0; i < sizeof(status_title) / sizeof(status_title[0]); i++)
		if (strcmp(r->status, status_title[i][0]) == 0)
			status = status_title[i][1];
	dl__out_printf(&o, "状态：%s", status);
	if (strcmp(r->status, "not compared") == 0 && r->reason[0])
		dl__out_printf(&o, "（%s）", r->reason);
	dl__out_str(&o, "\n");
	if (r->has_verdict && b->opts.policy) {
		char money[32];
		dl__out_printf(&o, "验收结论：%s（依据：%s，版本 %s）\n", dl_verdict_title(r->verdict),
			       dl_policy_title(b->opts.policy), dl_policy_version(b->opts.policy));
		dl__out_printf(&o, "补贴：%s 元", dl_money_format(r->subsidy, money, sizeof(money)));
		if (r->reason[0])
			dl__out_printf(&o, "（%s）", r->reason);
		dl__out_str(&o, "\n");
		if (c && !dl_comparison_materials_recorded(c))
			dl__out_str(&o, "验收材料：评测答卷未记录材料清单，未核查（materials.csv 无条目）\n");
	}
	dl__out_str(&o, "\n文件：\n");
	for (size_t i = 0; i < f->count; i++) {
		const archive_file *a = &f->files[i];
		dl__out_printf(&o, "\n%s\n", a->name);
		if (a->sheet)
			describe_sheet(&o, e, a->sheet);
		else if (a->document != SIZE_MAX)
			dl__out_printf(&o, "  %s\n", dl__batch_documents[a->document].title);
		else if (strcmp(a->name, "comparison.json") == 0)
			dl__out_str(&o, c && dl_comparison_policy(c)
					    ? "  改造前后比对及验收结论（与 digilevel compare --format json "
					      "--policy 的输出相同）\n"
					    : "  改造前后比对，无验收结论（与 digilevel compare --format json "
					      "的输出相同）\n");
		else if (strcmp(a->name, "materials.csv") == 0)
			dl__out_str(&o, "  验收材料清单：状态、文件编号、核验人、核验日期、政策是否要求（UTF-8 CSV）\n");
		dl__out_printf(&o, "  %zu 字节，SHA-256 %s\n", a->len, a->sha256);
	}
	bool missing = false;
	for (size_t i = 0; why && i < dl__batch_document_count; i++)
		if (why[i]) {
			if (!missing)
				dl__out_str(&o, "\n未能生成：\n");
			missing = true;
			dl__out_printf(&o, "  %s（report-%s.pdf）：%s\n", dl__batch_documents[i].title,
				       dl__batch_documents[i].kind, why[i]);
		}
	dl__out_str(&o, "\n核对：在本文件夹中运行 sha256sum -c " MANIFEST "\n");
	if (dl__out_finish(&o) != 0) {
		dl__free(out.data);
		fail(f, DL_ENOMEM, "out of memory");
		return;
	}
	add_file(f, INDEX, out.data, out.len, out.data);
}

/* The manifest: "SHA256  NAME" for every file, as sha256sum writes it. */
static void add_manifest(folder *f)
{
	dl__buffer out = DL__BUFFER_INIT;
	dl__out o;
	dl__out_init(&o, dl__buffer_write, &out);
	for (size_t i = 0; i < f->count; i++)
		dl__out_printf(&o, "%s  %s\n", f->files[i].sha256, f->files[i].name);
	if (dl__out_finish(&o) != 0) {
		dl__free(out.data);
		fail(f, DL_ENOMEM, "out of memory");
		return;
	}
	add_file(f, MANIFEST, out.data, out.len, out.data);
}

/* --- writing the folder ----------------------------------------------------------------------- */

/* Whether name is one the archive could have written: no path, nothing hidden. */
static bool plain_name(const char *name, size_t len)
{
	if (len == 0 || len >= 48 || name[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '.' || name[i] == '-' ||
		      name[i] == '_'))
			return false;
	return true;
}

/* The names an earlier manifest of the folder lists (a buffer of NUL-separated names), or none. */
static int read_manifest(const char *path, dl__buffer *names)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return errno == ENOENT ? 0 : DL_EIO;
	char line[256];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), fp)) {
		size_t len = strcspn(line, "\r\n");
		if (len < 67 || strspn(line, "0123456789abcdef") != 64 || line[64] != ' ' ||
		    (line[65] != ' ' && line[65] != '*'))
			continue;
		if (plain_name(line + 66, len - 66) &&
		    (dl__buffer_write(names, line + 66, len - 66) != 0 || dl__buffer_write(names, "", 1) != 0))
			rc = DL_ENOMEM; /* the name, then its terminator */
	}
	fclose(fp);
	return rc;
}

static bool listed(const dl__buffer *names, const char *name)
{
	for (size_t i = 0; i < names->len; i += strlen(names->data + i) + 1)
		if (strcmp(names->data + i, name) == 0)
			return true;
	return false;
}

static bool written_now(const folder *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->files[i].name, name) == 0)
			return true;
	return false;
}

/* Join dir and name into a new string; NULL when memory ran out. */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = dl__malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/*
 * Make sure every entry of the folder at path is a regular file the archive wrote (listed in names,
 * or the manifest itself); else fail f.
 */
static void check_folder(folder *f, const char *path, const char *shown, const dl__buffer *names)
{
	DIR *d = opendir(path);
	if (!d) {
		fail(f, DL_EIO, "cannot read the folder '%s': %s", shown, dl_strerror(errno));
		return;
	}
	struct dirent *de;
	while (f->rc == 0 && (de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		char *full = join(path, name);
		struct stat st;
		if (!full) {
			fail(f, DL_ENOMEM, "out of memory");
		} else if (strcmp(name, MANIFEST) != 0 && !listed(names, name)) {
			fail(f, DL_EMISMATCH,
			     "the folder '%s' holds '%s', which the archive did not write: move it "
			     "away, or archive into another directory",
			     shown, name);
		} else if (lstat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
			fail(f, DL_EMISMATCH,
			     "the folder '%s' holds '%s', which is not a regular file: move it away, "
			     "or archive into another directory",
			     shown, name);
		}
		dl__free(full);
	}
	closedir(d);
}

/* Put the files of f into the folder (made if missing) at path. */
static void write_folder(folder *f, const char *dir, const char *path, const char *shown)
{
	dl__buffer names = DL__BUFFER_INIT;
	struct stat st;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fail(f, DL_EIO, "cannot make the archive directory '%s': %s", dir, dl_strerror(errno));
		return;
	}
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT || mkdir(path, 0777) != 0)
			fail(f, DL_EIO, "cannot make the folder '%s': %s", shown, dl_strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		fail(f, DL_EMISMATCH, "'%s' is in the way of the enterprise's folder: it is not a "
				      "directory (a symbolic link is not followed)", shown);
	} else {
		char *manifest = join(path, MANIFEST);
		int rc = manifest ? read_manifest(manifest, &names) : DL_ENOMEM;
		dl__free(manifest);
		if (rc != 0)
			fail(f, rc, rc == DL_ENOMEM ? "out of memory"
						    : "cannot read the folder's " MANIFEST);
		else
			check_folder(f, path, shown, &names);
		/* what an earlier run wrote and this one does not: removed */
		for (size_t i = 0; f->rc == 0 && i < names.len; i += strlen(names.data + i) + 1) {
			const char *name = names.data + i;
			char *full = written_now(f, name) ? NULL : join(path, name);
			if (full && unlink(full) != 0 && errno != ENOENT)
				fail(f, DL_EIO, "cannot remove '%s' from the folder '%s': %s", name,
				     shown, dl_strerror(errno));
			dl__free(full);
		}
	}
	dl__free(names.data);
	/* the manifest first (see the top of the file), then the rest */
	for (size_t k = 0; f->rc == 0 && k < f->count; k++) {
		const archive_file *a = &f->files[k == 0 ? f->count - 1 : k - 1];
		char *full = join(path, a->name);
		dl_error err;
		if (!full)
			fail(f, DL_ENOMEM, "out of memory");
		else if (dl_output_file_save(full, a->data, a->len, &err) != 0)
			fail(f, err.code == DL_ENOMEM ? DL_ENOMEM : DL_EIO, "cannot write '%s/%s': %s",
			     shown, a->name, err.message);
		dl__free(full);
	}
}

void dl__batch_archive_write(const dl_batch *b, dl__batch_entry *e, const dl_comparison *c,
			     unsigned char *const *pdfs, const size_t *lens, const char *const *why,
			     int render_rc)
{
	char name[256];
	folder f;
	memset(&f, 0, sizeof(f));
	dl_batch_archive_folder(e->code, e->row.name, name, sizeof(name));
	e->archive_folder = dl__strdup(name);
	e->row.archive_folder = e->archive_folder ? e->archive_folder : "";
	if (render_rc != 0)
		fail(&f, render_rc, "its documents could not be rendered%s%s",
		     e->row.report_error ? ": " : "", e->row.report_error ? e->row.report_error : "");
	if (f.rc == 0)
		add_sheets(&f, e);
	for (size_t i = 0; f.rc == 0 && pdfs && i < dl__batch_document_count; i++) {
		if (!pdfs[i])
			continue;
		char file[48];
		snprintf(file, sizeof(file), "report-%s.pdf", dl__batch_documents[i].kind);
		archive_file *a = add_file(&f, file, pdfs[i], lens[i], NULL);
		if (a)
			a->document = i;
	}
	if (f.rc == 0 && c)
		add_comparison(&f, c);
	if (f.rc == 0 && c && dl_comparison_policy(c))
		add_materials(&f, c);
	if (f.rc == 0)
		add_index(&f, b, e, c, why);
	if (f.rc == 0)
		add_manifest(&f);
	char shown[sizeof(name) + DL_ERROR_FILE_MAX];
	snprintf(shown, sizeof(shown), "%s/%s", b->opts.archive_dir, name);
	char *path = f.rc == 0 ? join(b->opts.archive_dir, name) : NULL;
	if (f.rc == 0 && !path)
		fail(&f, DL_ENOMEM, "out of memory");
	if (f.rc == 0)
		write_folder(&f, b->opts.archive_dir, path, shown);
	dl__free(path);
	if (f.rc == 0) {
		e->row.archive_files = (unsigned)f.count;
	} else {
		e->row.archive_rc = f.rc;
		e->archive_error = dl__strdup(f.why);
		e->row.archive_error = e->archive_error ? e->archive_error : "out of memory";
	}
	for (size_t i = 0; i < f.count; i++)
		dl__free(f.files[i].owned);
	dl__free(f.files);
}
