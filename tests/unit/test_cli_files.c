/*
 * test_cli_files.c: what the commands do with the files around them, which golden cases cannot set
 * up (symbolic links, FIFOs, hard links, modes, signals, names with control characters):
 *
 * - directories and files are read once each, whatever names lead to them; symbolic links to
 *   directories inside a directory are followed only with --follow-symlinks (issue 9, item 5);
 * - only regular files are read: a FIFO named *.xml is reported and skipped, never waited on (6);
 * - no output replaces an input or another output, by name or by device and inode, including paths
 *   listed on standard input, fonts and the questionnaires in use (8);
 * - output files keep their mode, are written through symbolic links, may have names of 255 bytes,
 *   never block on a FIFO, and leave no temporary file behind when the process is killed (9);
 * - file names with escape sequences and line feeds are printed escaped (12);
 * - more than 16 questionnaire editions in one batch each get a real message, "path: message" (22);
 * - an empty directory is read without qsort(NULL, ...) (24).
 *
 * The CLI is $BUILD/digilevel (as tests/run.sh sets it), run from the top of the repository through
 * sh, each under `timeout` so that a hang fails the test instead of stopping the suite.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include <digilevel.h>

static char cli[1024], tmp[256];

/* How many lines of file tmp/name contain text (grep -F -c), or -1. */
static int count(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[8192];
	int n = 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

/* A fresh directory tmp/name holding the food pair of the examples. */
static void food_pair(const char *name)
{
	sh("mkdir -p %s/%s && cp examples/food-before.xml examples/food-after.xml %s/%s/", tmp, name, tmp,
	   name);
}

static void test_directories_once(void)
{
	food_pair("S");
	sh("ln -s . %s/S/a.xml && ln -s . %s/S/b.xml", tmp, tmp);
	int rc = sh("timeout 60 %s batch --csv %s/rows5.csv %s/S 2> %s/err5", cli, tmp, tmp, tmp);
	check(rc == 0, "two links to '.' named *.xml: batch ends, exit 0 (got %d)", rc);
	check(count("err5", "batch: 2 sheets, 2 scored, 0 failed") == 1,
	      "each sheet is read once: 2 sheets");
	check(count("err5", "skipped: a symbolic link to a directory (--follow-symlinks follows them)") == 2,
	      "both links are reported as not followed");
	check(count("rows5.csv", "91640303MA76L2K45X") == 1, "one row for the enterprise");

	rc = sh("timeout 60 %s batch --follow-symlinks --csv %s/rows5f.csv %s/S 2> %s/err5f", cli, tmp,
		tmp, tmp);
	check(rc == 0 && count("err5f", "batch: 2 sheets, 2 scored, 0 failed") == 1,
	      "--follow-symlinks: the links lead back to the directory, read once (got %d)", rc);
	check(count("err5f", "skipped: a directory already read") == 2,
	      "the directory met again is reported");

	sh("ln %s/S/food-before.xml %s/S/zz-copy.xml", tmp, tmp);
	rc = sh("timeout 60 %s batch --csv %s/rows5h.csv %s/S %s/S/food-after.xml %s/./S/../S/food-before.xml "
		"2> %s/err5h", cli, tmp, tmp, tmp, tmp, tmp);
	check(rc == 0 && count("err5h", "batch: 2 sheets, 2 scored, 0 failed") == 1,
	      "a hard link and the same files named again are not counted twice (got %d)", rc);
	check(count("err5h", "skipped: a file already read") == 3, "each repeat is reported");
}

static void test_fifo_input(void)
{
	food_pair("F");
	sh("mkfifo %s/F/x.xml", tmp);
	int rc = sh("timeout 20 %s batch --csv %s/rows6.csv %s/F 2> %s/err6", cli, tmp, tmp, tmp);
	check(rc == 1, "a FIFO named x.xml: batch does not wait, exit 1 (got %d)", rc);
	check(count("err6", "/F/x.xml: not read: a FIFO, not a regular file") == 1,
	      "the FIFO is reported");
	check(count("err6", "batch: 3 sheets, 2 scored, 1 failed") == 1 &&
		      count("rows6.csv", "91640303MA76L2K45X") == 1,
	      "and the batch goes on: the pair is scored");
	rc = sh("timeout 20 %s validate %s/F/x.xml %s/F/food-before.xml > %s/out6v 2> %s/err6v", cli, tmp,
		tmp, tmp, tmp);
	check(rc == 3 && count("err6v", "x.xml: not a regular file") == 1 &&
		      count("out6v", "food-before.xml: ok") == 1,
	      "validate refuses the FIFO at once and checks the rest (got %d)", rc);
	rc = sh("timeout 20 %s cohort --targets policies/hongsibu-2024-targets.xml %s/F > /dev/null "
		"2> %s/err6c", cli, tmp, tmp);
	check(rc == 1 && count("err6c", "not read: a FIFO") == 1, "cohort alike (got %d)", rc);
	sh("mkfifo %s/fifo.ttc", tmp);
	rc = sh("timeout 20 %s report diagnostic --font %s/fifo.ttc -o %s/r6.pdf %s/F/food-before.xml "
		"2> %s/err6r", cli, tmp, tmp, tmp, tmp);
	check(rc == 1 && count("err6r", "is not usable: not a regular file") == 1 &&
		      sh("test ! -e %s/r6.pdf", tmp) == 0,
	      "a FIFO given as the font is refused at once (got %d)", rc);
}

static void test_outputs_over_inputs(void)
{
	food_pair("O");
	/* paths listed on standard input */
	int rc = sh("ls %s/O/*.xml | timeout 60 %s batch --policy policies/hongsibu-2024.xml --jsonl "
		    "%s/O/food-after.xml - 2> %s/err8a", tmp, cli, tmp, tmp);
	check(rc == 2 && sh("cmp -s %s/O/food-after.xml examples/food-after.xml", tmp) == 0,
	      "--jsonl over a sheet listed on stdin: exit 2, the sheet untouched (got %d)", rc);
	check(count("err8a", "food-after.xml: this input is --jsonl") == 1 &&
		      count("err8a", "nothing is written") == 1,
	      "and why");
	rc = sh("echo %s/./O/../O/food-after.xml | timeout 60 %s batch --jsonl %s/O/food-after.xml - "
		"2> /dev/null", tmp, cli, tmp);
	check(rc == 2 && sh("cmp -s %s/O/food-after.xml examples/food-after.xml", tmp) == 0,
	      "also under another name (got %d)", rc);

	/* two outputs on one file */
	rc = sh("%s batch --csv %s/x8 --jsonl %s/x8 %s/O 2> %s/err8b", cli, tmp, tmp, tmp, tmp);
	check(rc == 2 && sh("test ! -e %s/x8", tmp) == 0 &&
		      count("err8b", "is also --jsonl") == 1,
	      "batch --csv X --jsonl X: exit 2, nothing written (got %d)", rc);
	rc = sh("%s cohort --targets policies/hongsibu-2024-targets.xml --pdf %s/x8 --rows %s/./x8 %s/O "
		"2> %s/err8c", cli, tmp, tmp, tmp, tmp);
	check(rc == 2 && sh("test ! -e %s/x8", tmp) == 0 && count("err8c", "is also --rows") == 1,
	      "cohort --pdf X --rows DIR/./X: exit 2, nothing written (got %d)", rc);

	/* the font */
	sh("printf font > %s/f.ttc", tmp);
	rc = sh("%s batch --reports %s/r8 --font %s/f.ttc --csv %s/f.ttc %s/O 2> %s/err8d", cli, tmp, tmp,
		tmp, tmp, tmp);
	check(rc == 2 && sh("test \"$(cat %s/f.ttc)\" = font", tmp) == 0 &&
		      count("err8d", "is the font") == 1,
	      "batch --font F --csv F: exit 2, the font untouched (got %d)", rc);

	/* the questionnaire in use */
	sh("cp -r questionnaires %s/qd", tmp);
	rc = sh("%s report diagnostic --questionnaires %s/qd --format text -o %s/qd/miit-2024.xml "
		"%s/O/food-before.xml 2> %s/err8e", cli, tmp, tmp, tmp, tmp);
	check(rc == 2 && sh("cmp -s %s/qd/miit-2024.xml questionnaires/miit-2024.xml", tmp) == 0 &&
		      count("err8e", "is the questionnaire") == 1,
	      "report -o over the questionnaire it uses: exit 2, untouched (got %d)", rc);
	rc = sh("%s batch --questionnaires %s/qd --csv %s/qd/miit-2024.xml %s/O 2> %s/err8f", cli, tmp,
		tmp, tmp, tmp);
	check(rc == 2 && sh("cmp -s %s/qd/miit-2024.xml questionnaires/miit-2024.xml", tmp) == 0 &&
		      count("err8f", "is the questionnaire") == 1,
	      "batch --csv over the questionnaire it uses: exit 2, untouched (got %d)", rc);
	rc = sh("%s cohort --targets policies/hongsibu-2024-targets.xml --questionnaires %s/qd --rows "
		"%s/qd/miit-2024.xml %s/O > /dev/null 2> %s/err8g", cli, tmp, tmp, tmp, tmp);
	check(rc == 2 && sh("cmp -s %s/qd/miit-2024.xml questionnaires/miit-2024.xml", tmp) == 0 &&
		      count("err8g", "is the questionnaire") == 1,
	      "cohort --rows over the questionnaire it uses: exit 2, untouched (got %d)", rc);

	/* a hard link to a sheet of an input directory */
	sh("ln %s/O/food-before.xml %s/hl.csv", tmp, tmp);
	rc = sh("%s batch --csv %s/hl.csv %s/O 2> %s/err8h", cli, tmp, tmp, tmp);
	check(rc == 2 && sh("cmp -s %s/O/food-before.xml examples/food-before.xml", tmp) == 0 &&
		      count("err8h", "this input is --csv") == 1,
	      "--csv a hard link to a sheet read from a directory: exit 2, untouched (got %d)", rc);
	rc = sh("%s report acceptance --policy policies/hongsibu-2024.xml --format text -o %s/hl.csv "
		"%s/O/food-before.xml %s/O/food-after.xml 2> /dev/null", cli, tmp, tmp, tmp);
	check(rc == 2 && sh("cmp -s %s/O/food-before.xml examples/food-before.xml", tmp) == 0,
	      "report -o a hard link to its sheet: exit 2 (got %d)", rc);

	/* the files batch --reports DIR writes: DIR/CODE-diagnostic.pdf, DIR/CODE-acceptance.pdf */
	sh("mkdir -p %s/r9 && printf font > %s/r9/91640303MA76L2K45X-diagnostic.pdf", tmp, tmp);
	rc = sh("%s batch --reports %s/r9 --font %s/r9/91640303MA76L2K45X-diagnostic.pdf %s/O 2> %s/err8i",
		cli, tmp, tmp, tmp, tmp);
	check(rc == 2 && sh("test \"$(cat %s/r9/91640303MA76L2K45X-diagnostic.pdf)\" = font", tmp) == 0 &&
		      count("err8i", "is where --reports") == 1,
	      "batch --reports D --font D/CODE-diagnostic.pdf: exit 2, the font untouched (got %d)", rc);
	rc = sh("%s batch --reports %s/r9 --csv %s/r9/X-acceptance.pdf %s/O 2> %s/err8j", cli, tmp, tmp,
		tmp, tmp);
	check(rc == 2 && count("err8j", "is where --reports") == 1,
	      "batch --reports D --csv D/X-acceptance.pdf: exit 2 (got %d)", rc);
	sh("cp %s/O/food-after.xml %s/r9/91640303MA76L2K45X-acceptance.pdf", tmp, tmp);
	rc = sh("echo %s/r9/91640303MA76L2K45X-acceptance.pdf | %s batch --reports %s/r9 "
		"--policy policies/hongsibu-2024.xml %s/O/food-before.xml - > /dev/null 2> %s/err8k",
		tmp, cli, tmp, tmp, tmp);
	check(rc != 0 && sh("cmp -s %s/r9/91640303MA76L2K45X-acceptance.pdf %s/O/food-after.xml", tmp, tmp) == 0 &&
		      count("err8k", "this input is a file written by --reports") == 1,
	      "a sheet listed on stdin where batch --reports writes: refused, untouched (got %d)", rc);
}

static void test_output_files(void)
{
	food_pair("W");
	/* stat first: the order in which check()'s arguments are evaluated is unspecified */
	struct stat st;
	bool found;
	char path[1024];

	sh(": > %s/m.csv && chmod 600 %s/m.csv", tmp, tmp);
	int rc = sh("%s batch --csv %s/m.csv %s/W 2> /dev/null", cli, tmp, tmp);
	snprintf(path, sizeof(path), "%s/m.csv", tmp);
	found = stat(path, &st) == 0 || (memset(&st, 0, sizeof(st)), false);
	check(rc == 0 && found && (st.st_mode & 0777) == 0600 && st.st_size > 100,
	      "a replaced file keeps its mode 0600 (got %o)", (unsigned)(st.st_mode & 0777));
	rc = sh("umask 027 && %s batch --jsonl %s/u.jsonl %s/W 2> /dev/null", cli, tmp, tmp);
	snprintf(path, sizeof(path), "%s/u.jsonl", tmp);
	found = stat(path, &st) == 0 || (memset(&st, 0, sizeof(st)), false);
	check(rc == 0 && found && (st.st_mode & 0777) == 0640,
	      "a new file has 0666 less the umask 027 (got %o)", (unsigned)(st.st_mode & 0777));

	sh(": > %s/real.csv && ln -s real.csv %s/link.csv && ln -s nowhere.csv %s/dangling.csv", tmp, tmp,
	   tmp);
	rc = sh("%s batch --csv %s/link.csv %s/W 2> /dev/null", cli, tmp, tmp);
	check(rc == 0 && sh("test -L %s/link.csv", tmp) == 0 && count("real.csv", "credit_code") == 1,
	      "an output that is a symbolic link is written through it; the link stays (got %d)", rc);
	rc = sh("%s batch --csv %s/dangling.csv %s/W 2> %s/err9d", cli, tmp, tmp, tmp);
	check(rc == 3 && sh("test -L %s/dangling.csv && test ! -e %s/nowhere.csv", tmp, tmp) == 0 &&
		      count("err9d", "a symbolic link to a file that does not exist") == 1,
	      "a link to nothing is refused (got %d)", rc);

	for (size_t len = 247; len <= 255; len += 4) {
		char name[256];
		memset(name, 'n', len - 4);
		memcpy(name + len - 4, ".csv", 5);
		rc = sh("%s batch --csv %s/%s %s/W 2> /dev/null", cli, tmp, name, tmp);
		snprintf(path, sizeof(path), "%s/%s", tmp, name);
		check(rc == 0 && stat(path, &st) == 0 && st.st_size > 100,
		      "an output name of %zu bytes is written (got %d)", len, rc);
		unlink(path);
	}

	sh("mkfifo %s/o.fifo", tmp);
	rc = sh("timeout 20 %s batch --csv %s/o.fifo %s/W 2> %s/err9f", cli, tmp, tmp, tmp);
	check(rc == 3 && count("err9f", "it is a FIFO that nothing reads yet") == 1,
	      "a FIFO output nothing reads: refused at once, exit 3 (got %d)", rc);
	rc = sh("cat %s/o.fifo > %s/fifo.csv & sleep 0.2; timeout 20 %s batch --csv %s/o.fifo %s/W "
		"2> /dev/null; s=$?; wait; exit $s", tmp, tmp, cli, tmp, tmp);
	check(rc == 0 && count("fifo.csv", "credit_code") == 1,
	      "a FIFO with a reader gets the rows (got %d)", rc);

	/* killed while writing: the temporary file goes too */
	sh("mkdir -p %s/K && mkfifo %s/in", tmp, tmp);
	rc = sh("{ %s batch --csv %s/K/out.csv - < %s/in & pid=$!; exec 3> %s/in; sleep 1; "
		"ls -A %s/K > %s/k-before; kill -TERM $pid; wait $pid; s=$?; exec 3>&-; exit $s; } 2> /dev/null",
		cli, tmp, tmp, tmp, tmp, tmp);
	check(count("k-before", ".out.csv.") == 1, "while batch waits for its list, a temporary file exists");
	check(rc == 128 + 15 && sh("test -z \"$(ls -A %s/K)\"", tmp) == 0,
	      "SIGTERM removes it and ends the process as the signal does (got %d)", rc);
}

static void test_escaped_names(void)
{
	char path[1024];
	sh("mkdir -p %s/E", tmp);
	snprintf(path, sizeof(path), "%s/E/good\033[31mRED\nfake.xml", tmp);
	check(sh("cp examples/food-before.xml '%s'", path) == 0, "a sheet named with ESC and a line feed");
	snprintf(path, sizeof(path), "%s/E/bad\033]0;title\a\nx.xml: ok: forged.xml", tmp);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs("<answer-sheet", f);
		fclose(f);
	}
	sh("%s validate %s/E/* > %s/out12 2> %s/err12", cli, tmp, tmp, tmp);
	sh("%s batch --csv /dev/null %s/E 2> %s/err12b", cli, tmp, tmp);
	const char *files[] = {"out12", "err12", "err12b"};
	for (size_t i = 0; i < 3; i++) {
		char p[512];
		size_t len = 0;
		snprintf(p, sizeof(p), "%s/%s", tmp, files[i]);
		char *text = read_file(p, &len);
		check(text && !memchr(text, '\033', len) && !memchr(text, '\a', len),
		      "%s: no escape character reaches the terminal", files[i]);
		check(count(files[i], "fake.xml") == count(files[i], "good\\x1B[31mRED\\nfake.xml") &&
			      count(files[i], "x.xml: ok: forged.xml") ==
				      count(files[i], "bad\\x1B]0;title\\x07\\nx.xml: ok: forged.xml"),
		      "%s: every name is printed escaped, on its own line", files[i]);
		free(text);
	}
	check(count("out12", "good\\x1B[31mRED\\nfake.xml: ok: answer sheet") == 1,
	      "validate: the good sheet's ok line names it escaped");
	check(count("err12", "bad\\x1B]0;title\\x07\\nx.xml: ok: forged.xml:1:") == 1,
	      "validate: the bad sheet's diagnostic names it escaped");
	check(count("err12b", "  ") >= 1 && count("err12b", "bad\\x1B]0;title\\x07\\nx.xml") >= 2,
	      "batch: the diagnostic and the failed list name it escaped");
}

/* The library's escaping, which every diagnostic goes through (dl_error_format). */
static void test_error_format(void)
{
	dl_error e = {DL_EINVALID, "", 3, 7, ""};
	char buf[256];
	snprintf(e.file, sizeof(e.file), "a\033[2Jb\nc\td\r\x7f\xff.xml");
	snprintf(e.message, sizeof(e.message), "名称 \xc2\x85 \xe2\x80\xae evil \xe2\x80\xa8 end");
	size_t n = dl_error_format(&e, buf, sizeof(buf));
	const char *want = "a\\x1B[2Jb\\nc\\td\\r\\x7F\\xFF.xml:3:7: 名称 \\u0085 \\u202E evil \\u2028 end";
	check(strcmp(buf, want) == 0 && n == strlen(want), "dl_error_format escapes file and message: %s",
	      buf);
	char small[12];
	n = dl_error_escape("ab\ncd\033", small, 4);
	check(strcmp(small, "ab") == 0 && n == 10, "a truncated text never ends inside an escape (%s, %zu)",
	      small, n);
	n = dl_error_escape("名名", small, 5);
	check(strcmp(small, "名") == 0 && n == 6, "nor inside a character (%s)", small);
	n = dl_error_escape("plain 名称/x.xml", small, sizeof(small));
	check(n == strlen("plain 名称/x.xml"), "ordinary text is copied as it is");
}

static void test_many_editions(void)
{
	sh("mkdir -p %s/Q", tmp);
	for (int v = 1; v <= 20; v++)
		sh("sed 's/version=\"2024\"/version=\"%d\"/' examples/food-before.xml > %s/Q/v%02d.xml",
		   3000 + v, tmp, v);
	int rc = sh("%s batch --csv /dev/null %s/Q 2> %s/err22", cli, tmp, tmp);
	check(rc == 1, "20 sheets of 20 unknown editions: exit 1 (got %d)", rc);
	check(count("err22", "the questionnaire it answers is not available: ") == 20,
	      "every one of them, past the 16th, says why (%d)",
	      count("err22", "the questionnaire it answers is not available: "));
	check(count("err22", ".xml: the questionnaire it answers is not available: ") == 20,
	      "the path and the message are joined with ': '");
	check(count("err22", "cannot be scored") == 0, "no sheet fails without a message");
}

static void test_empty_directory(void)
{
	sh("mkdir -p %s/empty", tmp);
	int rc = sh("%s batch --csv %s/empty.csv %s/empty 2> %s/err24", cli, tmp, tmp, tmp);
	check(rc == 0 && count("err24", "batch: 0 sheets, 0 scored, 0 failed") == 1,
	      "an empty directory: 0 sheets, exit 0 (got %d)", rc);
}

int main(void)
{
	setenv("LANGUAGE", "en", 1); /* the checks read the program's English messages */
	if (!test_cli_start(cli, sizeof(cli), tmp, sizeof(tmp), "dl-cli-files"))
		return test_done();
	test_error_format();
	test_directories_once();
	test_fifo_input();
	test_outputs_over_inputs();
	test_output_files();
	test_escaped_names();
	test_many_editions();
	test_empty_directory();
	sh("rm -rf %s", tmp);
	return test_done();
}
