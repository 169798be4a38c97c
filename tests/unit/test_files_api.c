/*
 * test_files_api.c: the library's file API used without the CLI, as a server would use it:
 *
 * - dl_output_file (include/digilevel/files.h): a file written whole through a temporary file, the
 *   mode of a replaced file kept and of a new one from the umask, symbolic links written through, a
 *   link to nothing, a directory and a FIFO that nothing reads refused with a reason (never
 *   waiting), /dev/null written directly, names of 255 bytes, nothing left behind by an abort or a
 *   failed allocation;
 * - dl_file_guard: an output over an input (same path, hard link), two outputs on one file not made
 *   yet, an *.xml output inside an input directory, a file inside an output directory, and inputs
 *   found later (dl_file_guard_output_at), each with its message;
 * - dl_batch_paths (include/digilevel/batch_paths.h): a directory read once whatever links lead to
 *   it, a FIFO coming back as a failed sheet, a list of paths read from a stream, a broken stream
 *   counted, and an input that is an output stopping the feed.
 */
#include <digilevel.h>
#include <digilevel/batch_paths.h>
#include <digilevel/files.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h" /* dl__alloc_fail_after */
#include "test_util.h"

static char tmp[256];

/* tmp/name, in a static buffer of its own (four in turn). */
static const char *at(const char *name)
{
	static char paths[4][1024];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, 1024, "%s/%s", tmp, name);
	return p;
}

static bool has_file(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Whether tmp/dir holds a file whose name starts with '.' (a temporary file left behind). */
static bool leftover(const char *dir)
{
	return sh("ls -A %s/%s | grep -q '^\\.'", tmp, dir) == 0;
}

static bool content_is(const char *path, const char *want)
{
	size_t len = 0;
	char *got = read_file(path, &len);
	bool same = got && len == strlen(want) && memcmp(got, want, len) == 0;
	free(got);
	return same;
}

static void test_output_files(void)
{
	dl_error err;
	sh("mkdir -p %s/out", tmp);
	const char *fresh = at("out/new.csv");
	check(dl_output_file_save(fresh, "a,b\n", 4, &err) == 0, "a new file is written");
	struct stat st;
	memset(&st, 0, sizeof(st));
	bool made = stat(fresh, &st) == 0; /* before check() reads st_mode among its arguments */
	check(made && (st.st_mode & 0777) == 0644,
	      "a new file gets 0666 less the umask (022): 0644 (got %o)", (unsigned)(st.st_mode & 0777));
	check(content_is(fresh, "a,b\n") && !leftover("out"), "with its bytes, and no temporary file");

	chmod(fresh, 0600);
	dl_output_file *f = NULL;
	check(dl_output_file_open(&f, fresh, &err) == 0, "open a file to replace");
	check(dl_output_file_write(f, "x", 1) == 0 && dl_output_file_write(f, "y\n", 2) == 0,
	      "dl_output_file_write is a dl_write_fn");
	check(content_is(fresh, "a,b\n"), "the old file stays until the commit");
	check(dl_output_file_commit(f, &err) == 0 && content_is(fresh, "xy\n"), "the commit puts it in place");
	check(stat(fresh, &st) == 0 && (st.st_mode & 0777) == 0600, "a replaced file keeps its mode 0600");

	f = NULL;
	check(dl_output_file_open(&f, at("out/aborted.pdf"), &err) == 0, "open another");
	dl_output_file_write(f, "half", 4);
	dl_output_file_abort(f);
	check(!has_file(at("out/aborted.pdf")) && !leftover("out"), "an abort leaves no file at all");

	sh("cd %s/out && echo old > target.txt && ln -s target.txt link.txt && ln -s nowhere.txt dangling.txt",
	   tmp);
	check(dl_output_file_save(at("out/link.txt"), "new\n", 4, &err) == 0, "write through a link");
	check(content_is(at("out/target.txt"), "new\n") && lstat(at("out/link.txt"), &st) == 0 &&
	      S_ISLNK(st.st_mode), "the file it names is replaced and the link stays a link");

	int rc = dl_output_file_save(at("out/dangling.txt"), "x", 1, &err);
	check(rc == DL_EIO && strcmp(err.message, "it is a symbolic link to a file that does not exist") == 0 &&
	      strcmp(err.file, at("out/dangling.txt")) == 0, "a link to nothing is refused: %s", err.message);
	rc = dl_output_file_save(at("out"), "x", 1, &err);
	check(rc == DL_EIO && strcmp(err.message, "it is a directory") == 0, "a directory is refused");
	rc = dl_output_file_save(at("out/nodir/"), "x", 1, &err);
	check(rc == DL_EIO && strcmp(err.message, "not a file name") == 0, "a path ending in / is no file name");
	rc = dl_output_file_save(at("missing/x.csv"), "x", 1, &err);
	check(rc == DL_EIO && strcmp(err.message, strerror(ENOENT)) == 0,
	      "a missing directory: the system's reason (%s)", err.message);

	sh("mkfifo %s/out/fifo.csv", tmp);
	rc = dl_output_file_save(at("out/fifo.csv"), "x", 1, &err);
	check(rc == DL_EIO && strcmp(err.message, "it is a FIFO that nothing reads yet") == 0,
	      "a FIFO nothing reads is refused at once, not waited on");
	check(dl_output_file_save("/dev/null", "x", 1, &err) == 0, "/dev/null is written directly");

	char name[300];
	memset(name, 'n', 251);
	memcpy(name + 251, ".csv", 5);
	char path[1024];
	snprintf(path, sizeof(path), "%s/out/%s", tmp, name);
	check(dl_output_file_save(path, "long\n", 5, &err) == 0 && content_is(path, "long\n") &&
	      !leftover("out"), "a name of 255 bytes (the temporary name shortened)");

	long n = 0, used = 0;
	do { /* fail each allocation in turn, until none fails */
		dl__alloc_fail_after(n);
		rc = dl_output_file_save(at("out/nomem.csv"), "x", 1, &err);
		used = dl__alloc_fail_after(-1);
		if (rc != 0)
			check(rc == DL_ENOMEM && !has_file(at("out/nomem.csv")) && !leftover("out"),
			      "allocation %ld failing: DL_ENOMEM, no file, nothing left (rc %d)", n, rc);
	} while (rc != 0 && ++n < 10);
	check(rc == 0 && n == 2 && used == 2 && content_is(at("out/nomem.csv"), "x"),
	      "two allocations (the file, its temporary name); with both, it is written");
}

static void test_guard(void)
{
	char message[2048];
	dl_file_guard *g = NULL;
	sh("mkdir -p %s/in %s/reports && cp examples/food-before.xml %s/in/a.xml && ln %s/in/a.xml %s/hard.xml",
	   tmp, tmp, tmp, tmp, tmp);
	const char *sheet = at("in/a.xml");
	if (!check(dl_file_guard_new(&g) == 0, "a new guard"))
		return;
	check(dl_file_guard_add(g, "the input", sheet, false) == 0 &&
	      dl_file_guard_add(g, "--csv", "-", true) == 0 && dl_file_guard_add(g, "--jsonl", NULL, true) == 0 &&
	      dl_file_guard_check(g, message, sizeof(message)) == 0, "standard output and NULL are left out");
	dl_file_guard_add(g, "--csv", at("hard.xml"), true);
	char want[2048];
	snprintf(want, sizeof(want), "--csv '%s' is the input '%s': an output never replaces an input; "
		 "write it to another file", at("hard.xml"), sheet);
	check(dl_file_guard_check(g, message, sizeof(message)) == DL_EMISMATCH && strcmp(message, want) == 0,
	      "a hard link of an input is that input: %s", message);
	dl_file_guard_free(g);

	dl_file_guard_new(&g);
	dl_file_guard_add(g, "--csv", at("rows.csv"), true);
	char dotted[1024];
	snprintf(dotted, sizeof(dotted), "%s/./rows.csv", tmp);
	dl_file_guard_add(g, "--jsonl", dotted, true);
	check(dl_file_guard_check(g, message, sizeof(message)) == DL_EMISMATCH &&
	      strstr(message, "is also --jsonl") && strstr(message, "give each output its own file"),
	      "two names of one file not made yet: %s", message);
	dl_file_guard_free(g);

	dl_file_guard_new(&g);
	dl_file_guard_add(g, "the input", at("in"), false);
	dl_file_guard_add(g, "--csv", at("in/rows.xml"), true);
	check(dl_file_guard_check(g, message, sizeof(message)) == DL_EMISMATCH &&
	      strstr(message, "would be read as a sheet of the input directory"),
	      "an *.xml output in an input directory: %s", message);
	dl_file_guard_free(g);

	static const char *const suffixes[] = {"-diagnostic.pdf", NULL};
	dl_file_guard_new(&g);
	dl_file_guard_add_output_dir(g, "--reports", at("reports"), suffixes);
	dl_file_guard_add(g, "the font", at("reports/X-diagnostic.pdf"), false);
	check(dl_file_guard_check(g, message, sizeof(message)) == DL_EMISMATCH &&
	      strstr(message, "is where --reports"), "an input inside an output directory: %s", message);
	const char *role = NULL, *output = NULL;
	bool into = false;
	check(dl_file_guard_output_at(g, at("reports/91-diagnostic.pdf"), &role, &output, &into) == 1 &&
	      strcmp(role, "--reports") == 0 && strcmp(output, at("reports")) == 0 && into,
	      "a file found later inside the output directory is one of its outputs");
	check(dl_file_guard_output_at(g, at("reports/notes.txt"), &role, &output, &into) == 0 &&
	      dl_file_guard_output_at(NULL, sheet, &role, &output, &into) == 0,
	      "another name there is not; nor anything for no guard");
	check(dl_file_guard_check(g, message, 8) == DL_EMISMATCH && strlen(message) == 7,
	      "the message is cut to the buffer");
	dl_file_guard_free(g);
	dl_file_guard_free(NULL);
}

/* Run a batch over paths; the number of sheets and of failed ones, and the feed's status. */
static int run(const char *const *paths, size_t count, const dl_batch_paths_options *po,
	       dl_batch_paths **out, unsigned long *sheets, unsigned long *bad, char *errors, size_t size)
{
	dl_batch_options bo = DL_BATCH_OPTIONS_INIT;
	bo.threads = 2;
	bo.questionnaire_dir = "questionnaires";
	dl_batch *b = NULL;
	*sheets = *bad = 0;
	errors[0] = '\0';
	if (dl_batch_new(&b, &bo, NULL) != 0 || dl_batch_paths_new(out, paths, count, po) != 0 ||
	    dl_batch_start(b, dl_batch_paths_feed, *out) != 0) {
		dl_batch_free(b);
		return -100;
	}
	dl_batch_sheet *s;
	while (dl_batch_next(b, &s) > 0) {
		(*sheets)++;
		if (dl_batch_sheet_status(s) != 0) {
			(*bad)++;
			if (dl_batch_sheet_errors(s))
				snprintf(errors + strlen(errors), size - strlen(errors), "%s", dl_batch_sheet_errors(s));
		}
		dl_batch_sheet_free(s);
	}
	int rc = dl_batch_feed_status(b);
	dl_batch_free(b);
	return rc;
}

static void test_batch_paths(void)
{
	char errors[4096];
	unsigned long sheets, bad;
	dl_batch_paths *p = NULL;
	dl_batch_paths_options po = DL_BATCH_PATHS_OPTIONS_INIT;
	sh("mkdir -p %s/S && cp examples/food-before.xml examples/food-after.xml %s/S/ && "
	   "ln -s . %s/S/loop.xml && mkfifo %s/S/pipe.xml", tmp, tmp, tmp, tmp);
	char dir[1024], after[1024];
	snprintf(dir, sizeof(dir), "%s", at("S"));
	snprintf(after, sizeof(after), "%s", at("S/food-after.xml"));
	const char *paths[] = {dir, after};
	int rc = run(paths, 2, &po, &p, &sheets, &bad, errors, sizeof(errors));
	check(rc == 0 && sheets == 3 && bad == 1, "a directory: its two sheets and the FIFO (rc %d, %lu, %lu)",
	      rc, sheets, bad);
	check(strstr(errors, "pipe.xml: not read: a FIFO, not a regular file") != NULL,
	      "the FIFO comes back failed, never opened: %.*s", (int)strcspn(errors, "\n"), errors);
	const char *notes = dl_batch_paths_notes(p);
	check(notes && strstr(notes, "loop.xml: skipped: a symbolic link to a directory") &&
	      strstr(notes, "food-after.xml: skipped: a file already read"),
	      "the link to '.' and the file named twice are noted");
	check(dl_batch_paths_failure(p) == NULL && dl_batch_paths_broken_streams(p) == 0, "nothing failed");
	dl_batch_paths_free(p);

	FILE *list = tmpfile();
	fprintf(list, "%s\r\n\n%s", at("S/food-before.xml"), at("S/food-after.xml"));
	rewind(list);
	const char *dash[] = {"-"};
	po.list = list;
	rc = run(dash, 1, &po, &p, &sheets, &bad, errors, sizeof(errors));
	check(rc == 0 && sheets == 2 && bad == 0, "a list of paths from a stream (CRLF, empty lines, no last LF)");
	dl_batch_paths_free(p);
	fclose(list);

	sh("printf '<answer-sheets>\\n' > %s/broken.xml && sed -n '2,$p' examples/food-before.xml >> %s/broken.xml",
	   tmp, tmp);
	const char *broken[] = {at("broken.xml")};
	po.list = NULL;
	run(broken, 1, &po, &p, &sheets, &bad, errors, sizeof(errors));
	check(dl_batch_paths_broken_streams(p) == 1 && dl_batch_paths_stream_errors(p) &&
	      strstr(dl_batch_paths_stream_errors(p), "broken.xml"), "a broken stream is counted and said");
	dl_batch_paths_free(p);

	dl_file_guard *g = NULL;
	dl_file_guard_new(&g);
	dl_file_guard_add(g, "--csv", after, true);
	po.guard = g;
	rc = run(paths, 1, &po, &p, &sheets, &bad, errors, sizeof(errors));
	const char *why = dl_batch_paths_failure(p);
	check(rc == DL_EMISMATCH && why && strstr(why, "this input is --csv") &&
	      strstr(why, "nothing is written"), "an input that is an output stops the feed: %s", why ? why : "");
	dl_batch_paths_free(p);
	dl_file_guard_free(g);

	dl_batch_paths_options other = DL_BATCH_PATHS_OPTIONS_INIT;
	other.version = 99;
	check(dl_batch_paths_new(&p, paths, 1, &other) == DL_EINVALID, "options of another version are refused");
	dl_batch_paths_free(NULL);
}

int main(void)
{
	/* the messages checked are the English ones, whatever the library's default (docs/messages.md) */
	dl_set_language(DL_LANGUAGE_EN);
	umask(022);
	dl_output_file_setup();
	snprintf(tmp, sizeof(tmp), "/tmp/dl-files-XXXXXX");
	if (!check(mkdtemp(tmp) != NULL, "make a temporary directory"))
		return test_done();
	test_output_files();
	test_guard();
	test_batch_paths();
	sh("rm -rf %s", tmp);
	return test_done();
}
