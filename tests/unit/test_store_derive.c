/*
 * test_store_derive.c: what hangs off the workbench's store: a row's fields derived from a sheet
 * (server/derive.c) as the CLI scores it, re-scoring rows whose questionnaire changed, and
 * `serve --export DIR` (server/export.c), whose files `digilevel batch` reads to the same numbers
 * as the sheets themselves. Uses the examples/ sheets and the questionnaires/ folder.
 */
#include "derive.h"
#include "editions.h"
#include "export.h"

#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "test_util.h"

/* The server's log (http.c) when this program is linked without it: printed as a comment. */
__attribute__((weak)) void srv_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("# log: ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static char tmp[64];
static char cli[256];

typedef struct seen_diags {
	int count;
	char first[DL_ERROR_MESSAGE_MAX];
} seen_diags;

static void on_diag(const dl_error *d, void *userdata)
{
	seen_diags *seen = userdata;
	if (seen->count++ == 0)
		snprintf(seen->first, sizeof(seen->first), "%s", d->message);
}

/* A file of examples/ into memory (read_file's NUL-terminated copy). */
static char *example(const char *name, size_t *len)
{
	char path[128];
	snprintf(path, sizeof(path), "examples/%s", name);
	return read_file(path, len);
}

static void test_derive(const srv *s)
{
	size_t len = 0;
	char *xml = example("food-before.xml", &len);
	if (!check(xml != NULL, "read examples/food-before.xml"))
		return;
	dl_store_row f;
	dl_error err = {0};
	memset(&f, 0x55, sizeof(f));
	int rc = srv_derive(s, xml, len, "food-before.xml", false, &f, &err);
	check(rc == 0, "a finished sheet is derived (%s)", err.message);
	check(strcmp(f.credit_code, "91640303MA76L2K45X") == 0 &&
		  strcmp(f.name, "宁夏红寺堡杞润枸杞食品有限公司") == 0 &&
		  strcmp(f.phase, "diagnosis") == 0 && strcmp(f.date, "2024-12-12") == 0,
	      "its enterprise, phase and date: %s %s %s", f.credit_code, f.phase, f.date);
	check(f.level == 1 && strcmp(f.total, "38.525") == 0 && !f.draft,
	      "its level and total as `digilevel score` gives them: %d %s", f.level, f.total);
	check(strcmp(f.questionnaire_id, "miit-2024") == 0 &&
		  strcmp(f.questionnaire_version, "2024") == 0 &&
		  strcmp(f.questionnaire_sha256, dl_questionnaire_digest(s->editions[0].q)) == 0,
	      "the edition and its digest");
	check(f.id == 0 && f.lineage == 0 && f.version == 0 && f.sha256[0] == '\0' &&
		  f.received[0] == '\0' && f.xml_len == 0,
	      "what the store sets is left empty");

	/* a draft: Q01 left unanswered */
	char *q01 = strstr(xml, "<answer question=\"Q01\">");
	char *note = q01 ? strstr(q01, "<note>") : NULL;
	char *choose = q01 ? strstr(q01, "<choose") : NULL;
	if (check(choose && note && choose < note, "find Q01's options")) {
		memset(choose, ' ', (size_t)(note - choose));
		seen_diags seen = {0, ""};
		dl_load_options opts = DL_LOAD_OPTIONS_INIT;
		opts.diag = on_diag;
		opts.diag_data = &seen;
		memset(&err, 0, sizeof(err));
		rc = srv_derive_with(s, xml, len, "draft.xml", false, &opts, &f, &err);
		check(rc == DL_EINVALID && seen.count >= 1 && err.message[0],
		      "a sheet with an unanswered question is refused unless it is a draft: %s",
		      err.message);
		rc = srv_derive(s, xml, len, "draft.xml", true, &f, &err);
		check(rc == 0 && f.draft && f.level >= 0 &&
			  strcmp(f.credit_code, "91640303MA76L2K45X") == 0,
		      "as a draft it gets a provisional score: level %d, total %s", f.level,
		      f.total);
	}
	free(xml);

	xml = example("food-after.xml", &len);
	char *version = xml ? strstr(xml, "version=\"2024\"") : NULL;
	if (check(version != NULL, "find the sheet's edition")) {
		memcpy(version, "version=\"2099\"", 14);
		seen_diags seen = {0, ""};
		dl_load_options opts = DL_LOAD_OPTIONS_INIT;
		opts.diag = on_diag;
		opts.diag_data = &seen;
		memset(&err, 0, sizeof(err));
		rc = srv_derive_with(s, xml, len, "food-after.xml", false, &opts, &f, &err);
		check(rc == DL_ENOTFOUND && strstr(err.message, "2099") &&
			  strcmp(err.file, "food-after.xml") == 0 && seen.count == 1,
		      "a sheet for an edition the server does not have: DL_ENOTFOUND, to diag too: "
		      "%s",
		      err.message);
	}
	free(xml);

	static const char zip[] = "PK\x03\x04 a workbook";
	memset(&err, 0, sizeof(err));
	rc = srv_derive(s, zip, sizeof(zip) - 1, "sheet.xlsx", false, &f, &err);
	check(rc == DL_EINVALID && strstr(err.message, "XML"),
	      "a workbook is refused: the store keeps XML: %s", err.message);

	seen_diags seen = {0, ""};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = on_diag;
	opts.diag_data = &seen;
	memset(&err, 0, sizeof(err));
	rc = srv_derive_with(s, "<answer-sheet", 13, "broken.xml", false, &opts, &f, &err);
	check(rc == DL_EINVALID && err.line == 1 && strcmp(err.file, "broken.xml") == 0 &&
		  seen.count >= 1,
	      "XML that does not load: the library's error with its position: %s:%lu: %s", err.file,
	      err.line, err.message);
}

/* Put an example sheet as derived. Returns its id, or 0. */
static int64_t put_example(const srv *s, const char *name, int64_t replaces, bool draft)
{
	size_t len = 0;
	char *xml = example(name, &len);
	dl_store_sheet put;
	memset(&put, 0, sizeof(put));
	dl_store_row row;
	dl_error err = {0};
	int64_t id = 0;
	if (xml && srv_derive(s, xml, len, name, draft, &put.fields, &err) == 0) {
		put.xml = xml;
		put.xml_len = len;
		put.replaces = replaces;
		put.reason = replaces ? "edited" : NULL; /* a submitted evaluation is frozen */
		if (dl_store_put(s->store, &put, &row, &err) == 0)
			id = row.id;
	}
	if (!id)
		printf("# %s: %s\n", name, err.message);
	free(xml);
	return id;
}

static void test_rescore(srv *s)
{
	char db[128];
	snprintf(db, sizeof(db), "%s/rescore.db", tmp);
	dl_error err = {0};
	if (!check(dl_store_open(&s->store, db, &err) == 0, "open a store (%s)", err.message))
		return;
	const char *digest = dl_questionnaire_digest(s->editions[0].q);
	char stale[65];
	memset(stale, '0', 64);
	stale[64] = '\0';
	int64_t food = put_example(s, "food-before.xml", 0, false);
	int64_t fuel = put_example(s, "fuel-before.xml", 0, false);
	check(food && fuel, "two sheets saved");
	/* food: scored against an older questionnaire; fuel: scored against this one (a made-up
	 * score that must stay, since nothing changed for it) */
	check(dl_store_set_score(s->store, food, 4, "99", stale, &err) == 0 &&
		  dl_store_set_score(s->store, fuel, 3, "77", digest, &err) == 0,
	      "make food's score stale");
	dl_store_sheet put;
	memset(&put, 0, sizeof(put));
	put.xml = "<not a sheet/>";
	put.xml_len = strlen(put.xml);
	snprintf(put.fields.questionnaire_id, sizeof(put.fields.questionnaire_id), "miit-2024");
	snprintf(put.fields.questionnaire_version, sizeof(put.fields.questionnaire_version),
		 "2024");
	snprintf(put.fields.questionnaire_sha256, sizeof(put.fields.questionnaire_sha256), "%s",
		 stale);
	put.fields.level = 2;
	dl_store_row broken, other;
	check(dl_store_put(s->store, &put, &broken, &err) == 0,
	      "a stale row that no longer scores");
	snprintf(put.fields.questionnaire_id, sizeof(put.fields.questionnaire_id), "other-edition");
	check(dl_store_put(s->store, &put, &other, &err) == 0, "a row of an edition not loaded");

	int rc = srv_rescore(s, &err);
	check(rc == 0, "re-score (%s)", err.message);
	dl_store_row row;
	memset(&row, 0, sizeof(row));
	rc = dl_store_get(s->store, food, &row, NULL, NULL, &err);
	check(rc == 0 && row.level == 1 && strcmp(row.total, "38.525") == 0 &&
		  strcmp(row.questionnaire_sha256, digest) == 0,
	      "the stale row is scored again: %d %s", row.level, row.total);
	check(dl_store_get(s->store, fuel, &row, NULL, NULL, &err) == 0 && row.level == 3 &&
		  strcmp(row.total, "77") == 0,
	      "a row scored against the questionnaire as it is now is left alone");
	check(dl_store_get(s->store, broken.id, &row, NULL, NULL, &err) == 0 && row.level == -1 &&
		  row.total[0] == '\0' && strcmp(row.questionnaire_sha256, digest) == 0,
	      "a row that no longer scores gets level -1 and the new digest");
	check(dl_store_get(s->store, other.id, &row, NULL, NULL, &err) == 0 && row.level == 2 &&
		  strcmp(row.questionnaire_sha256, stale) == 0,
	      "a row of an edition not loaded is left as it is");
	dl_store_close(s->store);
	s->store = NULL;
}

/* The names in dir, sorted, one a line, into buf. */
static const char *listing(const char *dir, char *buf, size_t size)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "ls '%s' > '%s/listing' 2>&1", dir, tmp);
	buf[0] = '\0';
	if (sh("%s", cmd) != 0)
		return buf;
	snprintf(cmd, sizeof(cmd), "%s/listing", tmp);
	size_t len = 0;
	char *text = read_file(cmd, &len);
	snprintf(buf, size, "%s", text ? text : "");
	free(text);
	return buf;
}

static void test_export(srv *s)
{
	static const char *const sheets[] = {"chemical-before.xml",  "chemical-after.xml",
					     "equipment-before.xml", "equipment-after.xml",
					     "food-before.xml",	     "food-after.xml",
					     "fuel-before.xml",	     "fuel-after.xml",
					     "textile-before.xml",   "textile-after.xml"};
	char db[128], dir[128], path[256], buf[4096];
	snprintf(db, sizeof(db), "%s/export.db", tmp);
	dl_error err = {0};
	if (!check(dl_store_open(&s->store, db, &err) == 0, "open a store (%s)", err.message))
		return;
	int64_t ids[10];
	int saved = 0;
	for (int i = 0; i < 10; i++)
		saved += (ids[i] = put_example(s, sheets[i], 0, false)) != 0;
	check(saved == 10, "the ten examples are saved");
	/* 11: food-before again (version 2 stands); 12: textile-after as a draft of its own;
	 * 13: fuel-after (8) edited as a draft (version 1 still stands) */
	int64_t v2 = put_example(s, "food-before.xml", ids[4], false);
	int64_t draft = put_example(s, "textile-after.xml", 0, true);
	int64_t edited = put_example(s, "fuel-after.xml", ids[7], true);
	check(v2 == 11 && draft == 12 && edited == 13, "three more versions saved");

	snprintf(dir, sizeof(dir), "%s/export", tmp);
	srv_export_counts counts = {99, 99};
	int rc = srv_export(s->store, dir, &counts, &err);
	check(rc == 0 && counts.current == 10 && counts.history == 3,
	      "export: 10 sheets stand, 3 in history (%zu, %zu): %s", counts.current,
	      counts.history, rc ? err.message : "");
	check(strcmp(listing(dir, buf, sizeof(buf)),
		     "91640303MA76L2K45X-diagnosis-2024-12-12-0000000011-v2.xml\n"
		     "91640303MA76L2K45X-evaluation-2025-06-03-0000000006-v1.xml\n"
		     "91640303MA76RT3C9U-diagnosis-2025-02-20-0000000009-v1.xml\n"
		     "91640303MA76RT3C9U-evaluation-2025-06-13-0000000010-v1.xml\n"
		     "91640303MA76Y08D81-diagnosis-2024-12-18-0000000007-v1.xml\n"
		     "91640303MA76Y08D81-evaluation-2025-06-06-0000000008-v1.xml\n"
		     "91640303MA77A1P880-diagnosis-2024-12-05-0000000003-v1.xml\n"
		     "91640303MA77A1P880-evaluation-2025-04-25-0000000004-v1.xml\n"
		     "91640303MA7CK4N152-diagnosis-2025-01-16-0000000001-v1.xml\n"
		     "91640303MA7CK4N152-evaluation-2025-06-24-0000000002-v1.xml\n"
		     "history\n") == 0,
	      "DIR holds the newest finished version of each lineage (also of one whose newest "
	      "version is a draft), named CODE-PHASE-DATE-ID-vN");
	snprintf(path, sizeof(path), "%s/history", dir);
	check(strcmp(listing(path, buf, sizeof(buf)),
		     "91640303MA76L2K45X-diagnosis-2024-12-12-0000000005-v1.xml\n"
		     "91640303MA76RT3C9U-evaluation-2025-06-13-0000000012-v1-draft.xml\n"
		     "91640303MA76Y08D81-evaluation-2025-06-06-0000000013-v2-draft.xml\n") == 0,
	      "history/ holds the older versions and the drafts");
	size_t len = 0, want_len = 0;
	snprintf(path, sizeof(path),
		 "%s/91640303MA76Y08D81-evaluation-2025-06-06-0000000008-v1.xml", dir);
	char *got = read_file(path, &len), *want = example("fuel-after.xml", &want_len);
	check(got && want && len == want_len && memcmp(got, want, len) == 0,
	      "a file holds the sheet's bytes as received");
	free(got);
	free(want);

	/* batch on DIR gives the numbers of batch on the sheets themselves */
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s/batch-export", tmp);
	snprintf(b, sizeof(b), "%s/batch-examples", tmp);
	int ra = sh("%s batch -j 1 '%s' 2>&1 | sed 's|[^,]*\\.xml|F|g' | sort > '%s'", cli, dir, a);
	int rb = sh("%s batch -j 1 examples 2>&1 | sed 's|[^,]*\\.xml|F|g' | sort > '%s'", cli, b);
	char *ta = read_file(a, &len), *tb = read_file(b, &want_len);
	check(ra == 0 && rb == 0 && ta && tb && len > 200 && strcmp(ta, tb) == 0,
	      "`digilevel batch DIR` gives the rows and totals of `digilevel batch examples` (in "
	      "another order: the enterprises' first appearance)");
	if (ta && tb && strcmp(ta, tb) != 0)
		printf("# DIR:\n%s# examples:\n%s", ta, tb);
	free(ta);
	free(tb);

	/* nothing is ever replaced */
	memset(&err, 0, sizeof(err));
	rc = srv_export(s->store, dir, &counts, &err);
	check(rc == DL_EMISMATCH && strstr(err.file, "/export/91640303") && err.message[0],
	      "exporting into a folder that holds sheets is refused, naming one: %s: %s", err.file,
	      err.message);
	char dir2[128];
	snprintf(dir2, sizeof(dir2), "%s/export2", tmp);
	snprintf(path, sizeof(path), "%s/history", dir2);
	sh("mkdir -p '%s' && echo mine > "
	   "'%s/91640303MA76Y08D81-evaluation-2025-06-06-0000000013-v2-draft.xml'",
	   path, path);
	memset(&err, 0, sizeof(err));
	rc = srv_export(s->store, dir2, &counts, &err);
	check(rc == DL_EMISMATCH && strstr(err.file, "history/91640303MA76Y08D81") &&
		  strcmp(listing(dir2, buf, sizeof(buf)), "history\n") == 0,
	      "a file in the way in history/ is refused before anything is written: %s", err.file);
	snprintf(path, sizeof(path), "%s/a-file", tmp);
	sh("touch '%s'", path);
	memset(&err, 0, sizeof(err));
	rc = srv_export(s->store, path, &counts, &err);
	check(rc == DL_EIO && strcmp(err.file, path) == 0, "DIR that is a file: DL_EIO: %s",
	      err.message);
	dl_store_close(s->store);
	s->store = NULL;
}

int main(void)
{
	char scratch[64];
	if (!test_cli_start(cli, sizeof(cli), scratch, sizeof(scratch), "test_store_derive"))
		return test_done();
	snprintf(tmp, sizeof(tmp), "%s", scratch);
	srv s;
	memset(&s, 0, sizeof(s));
	s.cfg.questionnaires_dir = "questionnaires";
	dl_error err = {0};
	if (check(srv_editions_load(&s, &err) == 0 && s.edition_count >= 1,
		  "load the questionnaires (%s)", err.message)) {
		test_derive(&s);
		test_rescore(&s);
		test_export(&s);
	}
	srv_editions_free(&s);
	sh("rm -rf '%s'", tmp);
	return test_done();
}
