/*
 * test_batch_archive.c: the archive of a batch, one folder per enterprise (一企一档;
 * include/digilevel/batch.h, docs/batch.md), through the API as a program other than the CLI would
 * use it, and `digilevel batch --archive` run from another directory.
 *
 * Checked: the folder's name (the code, and the name when it is safe on Linux and Windows); every
 * enterprise of the bundled examples gets its folder with both sheets as they were read, both
 * documents, comparison.json and materials.csv, an index and a manifest that `sha256sum -c`
 * verifies; a bad sheet in the middle does not keep the others out; 1 and 4 threads and a second
 * run give byte-identical trees; without a policy there is no 验收意见 and no materials.csv but the
 * comparison is kept; a folder holding a file the archive did not write, or a symbolic link, is left
 * as it is and the row says why; files an earlier run wrote and this one does not are removed; a
 * sheet whose bytes changed after it was scored is refused; memory running out while a folder is
 * written; the guard refuses an input inside the archive; older options and --per-sheet. Needs a CJK font (the documents are PDFs): without one
 * the checks that need the folders are skipped.
 */
#include "alloc.h"

#include <digilevel.h>
#include <digilevel/files.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_i18n.h"
#include "test_util.h"

static char cli[1024], tmp[256];
/* dl_batch_finish under failure injection: -1 none; -2 count its allocations into finish_used; else
 * fail from the allocation after that many */
static long fail_at = -1, finish_used;

static const char *const examples[] = {
    "examples/chemical-after.xml",  "examples/chemical-before.xml", "examples/equipment-after.xml",
    "examples/equipment-before.xml", "examples/food-after.xml",	    "examples/food-before.xml",
    "examples/fuel-after.xml",	     "examples/fuel-before.xml",    "examples/textile-after.xml",
    "examples/textile-before.xml"};
#define EXAMPLES (sizeof(examples) / sizeof(examples[0]))

#define EQUIPMENT_FOLDER "91640303MA77A1P880-宁夏红寺堡恒锐精工机械制造有限公司"
#define FOOD_FOLDER "91640303MA76L2K45X-宁夏红寺堡杞润枸杞食品有限公司"

/* What the feed adds: the examples (or extra files instead), a bad sheet from memory in the middle. */
typedef struct feed_list {
	const char *const *files;
	size_t count;
	bool bad_sheet;
} feed_list;

static int feed(dl_batch *b, void *userdata)
{
	const feed_list *l = userdata;
	for (size_t i = 0; i < l->count; i++) {
		dl_batch_add_file(b, l->files[i]);
		if (l->bad_sheet && i == l->count / 2)
			dl_batch_add_memory(b, "<answer-sheet", 13, "broken.xml", 1);
	}
	return 0;
}

/*
 * Run a batch of list into archive with threads and policy (may be NULL); between taking the sheets
 * and finishing, run before_finish (a shell command, or NULL); *failures counts the failed sheets.
 * Returns the batch (finished), or NULL.
 */
static dl_batch *run(const feed_list *list, const char *archive, int threads, const dl_policy *policy,
		     const char *before_finish, unsigned long *failures)
{
	dl_batch_options o = DL_BATCH_OPTIONS_INIT;
	o.threads = threads;
	o.policy = policy;
	o.archive_dir = archive;
	dl_batch *b = NULL;
	if (dl_batch_new(&b, &o, NULL) != 0 || dl_batch_start(b, feed, (void *)list) != 0) {
		dl_batch_free(b);
		return NULL;
	}
	dl_batch_sheet *s;
	*failures = 0;
	while (dl_batch_next(b, &s) > 0) {
		if (dl_batch_sheet_status(s) != 0)
			(*failures)++;
		if (dl_batch_pair(b, s) != 0)
			dl_batch_sheet_free(s);
	}
	if (before_finish)
		sh("%s", before_finish);
	if (fail_at != -1)
		dl__alloc_fail_after(fail_at == -2 ? -1 : fail_at);
	dl_batch_finish(b);
	if (fail_at != -1)
		finish_used = dl__alloc_fail_after(-1);
	return b;
}

static const dl_batch_row *row_of(const dl_batch *b, const char *code)
{
	for (size_t i = 0; i < dl_batch_row_count(b); i++)
		if (strcmp(dl_batch_row_at(b, i)->code, code) == 0)
			return dl_batch_row_at(b, i);
	return NULL;
}

static void test_folder_names(void)
{
	char buf[256];
	check(strcmp(dl_batch_archive_folder("91640303MA76L2K45X", "宁夏红寺堡杞润枸杞食品有限公司",
					     buf, sizeof(buf)),
		     FOOD_FOLDER) == 0,
	      "the folder is CODE-NAME (got %s)", buf);
	static const char *const unsafe[] = {"A/B 公司", "A:B", "公司.", "公司 ", "a\\b", "x?y", "", "q\"r",
					     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"};
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		check(strcmp(dl_batch_archive_folder("91640303MA76L2K45X", unsafe[i], buf, sizeof(buf)),
			     "91640303MA76L2K45X") == 0,
		      "a name not safe on Windows or Linux, or over 40 characters, leaves the code alone "
		      "('%s' gave %s)",
		      unsafe[i], buf);
	check(strcmp(dl_batch_archive_folder("91640303MA76L2K45X",
					     "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
					     buf, sizeof(buf)),
		     "91640303MA76L2K45X-一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十") == 0,
	      "40 characters are kept (got %s)", buf);
	check(strcmp(dl_batch_archive_folder("91640303MA76L2K45X", "宁夏", buf, 10), "91640303M") == 0,
	      "cut to the buffer (got %s)", buf);
	check(strcmp(dl_batch_archive_folder("9164/303", NULL, buf, sizeof(buf)), "9164_303") == 0,
	      "a code is never a path (got %s)", buf);
}

static void test_options(void)
{
	dl_batch_options o = DL_BATCH_OPTIONS_INIT;
	dl_batch *b = NULL;
	dl_error err;
	o.per_sheet = true;
	o.archive_dir = tmp;
	check(dl_batch_new(&b, &o, &err) == DL_EINVALID && strstr(err.message, "pairing"),
	      "an archive with per_sheet is refused");
	o.version = 1; /* a program built before the archive: archive_dir is not its */
	check(dl_batch_new(&b, &o, &err) == 0, "version 1 options are accepted");
	dl_batch_free(b);
	o.version = 3;
	check(dl_batch_new(&b, &o, &err) == DL_EINVALID, "a later version is refused");
}

static void test_guard(void)
{
	char dir[512], inside[600];
	snprintf(dir, sizeof(dir), "%s/guarded", tmp);
	snprintf(inside, sizeof(inside), "%s/guarded/sub/x.xml", tmp);
	sh("mkdir -p %s/guarded/sub && : > %s", tmp, inside);
	dl_file_guard *g = NULL;
	char message[1024];
	const char *role, *output;
	bool into;
	dl_file_guard_new(&g);
	dl_file_guard_add(g, "the input", "examples/food-before.xml", false);
	dl_file_guard_add_output_tree(g, "--archive", dir);
	check(dl_file_guard_check(g, message, sizeof(message)) == 0, "an archive away from its inputs");
	check(dl_file_guard_output_at(g, inside, &role, &output, &into) == 1 && into &&
		  strcmp(role, "--archive") == 0,
	      "an input found later two levels inside the archive is one of its files");
	check(dl_file_guard_output_at(g, "examples/food-after.xml", &role, &output, &into) == 0,
	      "an input elsewhere is not");
	dl_file_guard_add(g, "the input", inside, false);
	check(dl_file_guard_check(g, message, sizeof(message)) == DL_EMISMATCH &&
		  strstr(message, "is inside --archive"),
	      "an input inside the archive is refused (%s)", message);
	dl_file_guard_free(g);
}

static void test_archive(const dl_policy *policy)
{
	char dir[512], cmd[2048];
	unsigned long failures = 0;
	feed_list all = {examples, EXAMPLES, true};
	snprintf(dir, sizeof(dir), "%s/j4", tmp);
	dl_batch *b = run(&all, dir, 4, policy, NULL, &failures);
	check(b != NULL && failures == 1 && dl_batch_row_count(b) == 5,
	      "the bad sheet fails alone; five enterprises");
	const dl_batch_row *r = b ? row_of(b, "91640303MA77A1P880") : NULL;
	if (r && r->report_rc == DL_EIO && r->report_error &&
	    strstr(r->report_error, "no CJK TrueType font found")) {
		skip("the archive's folders: %s", r->report_error);
		dl_batch_free(b);
		return;
	}
	check(r && r->archive_rc == 0 && r->archive_files == 9 &&
		  strcmp(r->archive_folder, EQUIPMENT_FOLDER) == 0,
	      "the equipment maker's folder: 9 files (%u, rc %d: %s)", r ? r->archive_files : 0,
	      r ? r->archive_rc : 0, r && r->archive_error ? r->archive_error : "");
	for (size_t i = 0; b && i < dl_batch_row_count(b); i++) {
		const dl_batch_row *row = dl_batch_row_at(b, i);
		check(row->archive_rc == 0 &&
			  sh("cd '%s/%s' && sha256sum -c --quiet --strict MANIFEST.sha256 && test "
			     "$(ls | wc -l) -eq 9 && test -z \"$(ls -A | grep '^\\.')\"",
			     dir, row->archive_folder) == 0,
		      "%s: its manifest verifies with sha256sum -c; 9 files, no temporary file",
		      row->archive_folder);
	}
	snprintf(cmd, sizeof(cmd), "%s/" EQUIPMENT_FOLDER, dir);
	check(sh("cmp -s examples/equipment-before.xml '%s/sheet-01-diagnosis.xml' && cmp -s "
		 "examples/equipment-after.xml '%s/sheet-02-evaluation.xml'",
		 cmd, cmd) == 0,
	      "the sheets are the input bytes, the diagnosis first");
	check(sh("%s compare --format json --policy policies/hongsibu-2024.xml "
		 "examples/equipment-before.xml examples/equipment-after.xml 2>/dev/null | cmp -s - "
		 "'%s/comparison.json'",
		 cli, cmd) == 0,
	      "comparison.json is what `digilevel compare --format json` writes");
	check(sh("%s report acceptance --policy policies/hongsibu-2024.xml examples/equipment-before.xml "
		 "examples/equipment-after.xml -o %s/acc.pdf && cmp -s %s/acc.pdf "
		 "'%s/report-acceptance.pdf' && %s report diagnostic --policy policies/hongsibu-2024.xml "
		 "examples/equipment-before.xml -o %s/diag.pdf && cmp -s %s/diag.pdf "
		 "'%s/report-diagnostic.pdf' && %s report plan --policy policies/hongsibu-2024.xml "
		 "examples/equipment-before.xml -o %s/plan.pdf && cmp -s %s/plan.pdf '%s/report-plan.pdf'",
		 cli, tmp, tmp, cmd, cli, tmp, tmp, cmd, cli, tmp, tmp, cmd) == 0,
	      "the documents are those `digilevel report` writes");
	check(sh("head -c 3 '%s/materials.csv' | od -An -tx1 | grep -q 'ef bb bf' && grep -q "
		 "'^1,application,验收申请,必需,已核验,verified,' '%s/materials.csv'",
		 cmd, cmd) == 0,
	      "materials.csv: a byte order mark, then the policy's required items with their status");
	check(sh("grep -q '^验收结论：通过' '%s/index.txt' && grep -q '改造前以此为准' '%s/index.txt' && "
		 "grep -q 'SHA-256 ' '%s/index.txt'",
		 cmd, cmd, cmd) == 0,
	      "the index names the verdict, which sheet stands, and every file's SHA-256");

	char again[512];
	snprintf(again, sizeof(again), "%s/j1", tmp);
	dl_batch *b1 = run(&all, again, 1, policy, NULL, &failures);
	check(b1 && sh("diff -r %s %s > /dev/null", dir, again) == 0, "1 and 4 threads: the same tree");
	dl_batch_free(b1);
	b1 = run(&all, dir, 2, policy, NULL, &failures);
	check(b1 && row_of(b1, "91640303MA77A1P880")->archive_rc == 0 &&
		  sh("diff -r %s %s > /dev/null", dir, again) == 0,
	      "a second run into the same directory: the same tree");
	dl_batch_free(b1);
	dl_batch_free(b);

	/* a file the archive did not write, then a symbolic link: the folder is left as it is */
	sh("echo mine > '%s/notes.txt' && cp -r '%s' %s/before", cmd, cmd, tmp);
	b1 = run(&all, dir, 2, NULL, NULL, &failures);
	r = b1 ? row_of(b1, "91640303MA77A1P880") : NULL;
	check(r && r->archive_rc == DL_EMISMATCH && strstr(r->archive_error, "'notes.txt'") &&
		  sh("diff -r '%s' %s/before > /dev/null", cmd, tmp) == 0,
	      "a foreign file: DL_EMISMATCH naming it, and nothing in the folder changes (%s)",
	      r && r->archive_error ? r->archive_error : "");
	check(b1 && row_of(b1, "91640303MA76L2K45X")->archive_rc == 0, "the other folders are written");
	dl_batch_free(b1);
	sh("rm '%s/notes.txt' && ln -s /etc/passwd '%s/comparison.json.bak'", cmd, cmd);
	b1 = run(&all, dir, 2, NULL, NULL, &failures);
	r = b1 ? row_of(b1, "91640303MA77A1P880") : NULL;
	check(r && r->archive_rc == DL_EMISMATCH, "a symbolic link in the folder: refused");
	dl_batch_free(b1);
	sh("rm '%s/comparison.json.bak'", cmd);

	/* without a policy: no acceptance opinion, no materials; an earlier run's files removed */
	b1 = run(&all, dir, 2, NULL, NULL, &failures);
	r = b1 ? row_of(b1, "91640303MA77A1P880") : NULL;
	check(r && r->archive_rc == 0 && r->archive_files == 7 &&
		  sh("cd '%s' && test ! -e report-acceptance.pdf && test ! -e materials.csv && test -s "
		     "comparison.json && sha256sum -c --quiet MANIFEST.sha256 && test $(ls | wc -l) -eq 7",
		     cmd) == 0,
	      "no policy: the two files only a policy gives are removed, the comparison kept");
	dl_batch_free(b1);
	sh("echo extra > '%s/sheet-09-evaluation.xml' && echo '%064d  sheet-09-evaluation.xml' >> "
	   "'%s/MANIFEST.sha256'",
	   cmd, 0, cmd);
	b1 = run(&all, dir, 2, NULL, NULL, &failures);
	check(b1 && row_of(b1, "91640303MA77A1P880")->archive_rc == 0 &&
		  sh("test ! -e '%s/sheet-09-evaluation.xml'", cmd) == 0,
	      "a file an earlier manifest lists and this run does not write is removed");
	dl_batch_free(b1);

	/* a sheet that changes after it was scored */
	char changed[512], sheet[600];
	snprintf(changed, sizeof(changed), "%s/changed", tmp);
	snprintf(sheet, sizeof(sheet), "%s/food.xml", tmp);
	sh("cp examples/food-before.xml %s", sheet);
	const char *one[] = {sheet};
	feed_list food = {one, 1, false};
	snprintf(cmd, sizeof(cmd), "echo '<!-- edited -->' >> %s", sheet);
	b1 = run(&food, changed, 1, NULL, cmd, &failures);
	r = b1 ? row_of(b1, "91640303MA76L2K45X") : NULL;
	check(r && r->archive_rc == DL_EINVALID && strstr(r->archive_error, "changed after it was scored") &&
		  sh("test ! -e %s/" FOOD_FOLDER, changed) == 0,
	      "a sheet changed after it was scored: DL_EINVALID, nothing archived (%s)",
	      r && r->archive_error ? r->archive_error : "");
	dl_batch_free(b1);
}

/*
 * Memory running out while the folder is written: each of the last 60 allocations of dl_batch_finish
 * (the archive's own, some 36 for a pair, and the end of the rendering before them) fails in turn;
 * the row says DL_ENOMEM, no temporary file is left, nothing leaks (ASan's build sees that).
 */
static void test_out_of_memory(const dl_policy *policy)
{
	static const char *const pair[] = {"examples/equipment-before.xml", "examples/equipment-after.xml"};
	feed_list list = {pair, 2, false};
	char dir[512];
	unsigned long failures;
	snprintf(dir, sizeof(dir), "%s/oom", tmp);
	fail_at = -2;
	dl_batch *b = run(&list, dir, 1, policy, NULL, &failures);
	long total = finish_used;
	const dl_batch_row *r = b ? dl_batch_row_at(b, 0) : NULL;
	bool written = r && r->archive_rc == 0;
	dl_batch_free(b);
	if (!written) {
		skip("the archive under failing allocations: no folder without failure (no font?)");
		fail_at = -1;
		return;
	}
	int bad = 0, failed_rows = 0;
	for (long n = total > 60 ? total - 60 : 0; n < total; n++) {
		fail_at = n;
		b = run(&list, dir, 1, policy, NULL, &failures);
		r = b ? dl_batch_row_at(b, 0) : NULL;
		if (!r || (r->archive_rc != 0 && r->archive_rc != DL_ENOMEM && r->report_rc == 0))
			bad++;
		failed_rows += r && r->archive_rc != 0;
		dl_batch_free(b);
	}
	fail_at = -1;
	check(bad == 0, "the last 60 allocations of %ld failed one after another: every row says "
			"DL_ENOMEM or is whole (%d not)", total, bad);
	check(failed_rows > 0, "and some of them failed the folder (%d)", failed_rows);
	check(sh("test -z \"$(ls -A %s/* | grep '^\\.')\"", dir) == 0, "no temporary file is left");
	b = run(&list, dir, 1, policy, NULL, &failures);
	r = b ? dl_batch_row_at(b, 0) : NULL;
	check(r && r->archive_rc == 0 &&
		  sh("cd %s/" EQUIPMENT_FOLDER " && sha256sum -c --quiet MANIFEST.sha256", dir) == 0,
	      "a run with memory enough makes the folder whole again");
	dl_batch_free(b);
}

/* The CLI from another directory, as a user runs it (English messages: --lang en). */
static void test_cli(void)
{
	char top[1024];
	if (!getcwd(top, sizeof(top)))
		return;
	char program[2048];
	snprintf(program, sizeof(program), "%s%s%s", cli[0] == '/' ? "" : top, cli[0] == '/' ? "" : "/",
		 cli);
	int rc = sh("cd %s && %s --lang en batch --policy %s/policies/hongsibu-2024.xml --archive cli "
		    "%s/examples/ > rows.csv 2> err",
		    tmp, program, top, top);
	check(rc == 0 && sh("grep -q '^archive: 5 enterprise folders written into cli$' %s/err", tmp) == 0,
	      "batch --archive from another directory: exit 0 and the summary line (rc %d)", rc);
	check(sh("cd '%s/cli/" FOOD_FOLDER "' && sha256sum -c --quiet MANIFEST.sha256", tmp) == 0,
	      "its folders verify");
	rc = sh("cd %s && %s --lang en batch --archive bad "
		"%s/tests/cases/batch-bad-sheet-in-the-middle/sheets > /dev/null 2> err-bad",
		tmp, program, top);
	check(rc == 1 && sh("cd %s && test $(ls bad | wc -l) -eq 3 && grep -q '^archive: 3 enterprise "
			    "folders written into bad$' err-bad && grep -q '^  .*textile-after.xml$' err-bad",
			    tmp) == 0,
	      "a bad sheet: exit 1, listed as failed, and the three other enterprises archived (rc %d)",
	      rc);
	sh(": > %s/a-file", tmp);
	rc = sh("cd %s && %s --lang en batch --archive a-file %s/examples/food-before.xml > /dev/null 2> err-file",
		tmp, program, top);
	check(rc == 3 && sh("grep -q \"cannot make the archive directory 'a-file': it is not a "
			    "directory\" %s/err-file", tmp) == 0,
	      "an archive directory that is a file: exit 3 and why (rc %d)", rc);
	rc = sh("cd %s && %s batch --archive . %s/examples/food-before.xml > /dev/null 2> /dev/null", top,
		program, top);
	check(rc == 2 && sh("test ! -e '%s/" FOOD_FOLDER "'", top) == 0,
	      "an archive directory holding an input is refused, nothing is written");
}

int main(void)
{
	dl_output_file_setup();
	/* the archive's documents are compared with the program's, which are Chinese */
	if (!test_bind_catalogue())
		skip("the Chinese catalogue is not built: the documents' sentences are the English msgids");
	/* ... and the messages checked are the English ones */
	dl_set_language(DL_LANGUAGE_EN);
	if (!test_cli_start(cli, sizeof(cli), tmp, sizeof(tmp), "dl-batch-archive"))
		return test_done();
	dl_policy *policy = NULL;
	check(dl_policy_load(&policy, "policies/hongsibu-2024.xml", NULL, NULL) == 0, "load the policy");
	test_folder_names();
	test_options();
	test_guard();
	dl_set_language(DL_LANGUAGE_ZH); /* the archive is compared with the program's, in Chinese */
	test_archive(policy);
	dl_set_language(DL_LANGUAGE_EN);
	test_out_of_memory(policy);
	test_cli();
	dl_policy_free(policy);
	sh("rm -rf %s", tmp);
	return test_done();
}
