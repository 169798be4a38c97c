/*
 * test_batch_reports.c: `digilevel batch --reports DIR` on the bundled examples: every enterprise
 * gets its 数字化诊断报告 and, when its pair is compared under the policy, its 验收意见; the files
 * are the same with 1 and 4 workers (-j; `make tsan` runs this) and the same as `digilevel report`
 * writes one by one; nothing half-written is left; a missing font, an unusable directory and
 * --per-sheet are clear errors.
 *
 * The CLI is $BUILD/digilevel ($BUILD as tests/run.sh has it, default "build"), run from the top of
 * the repository through sh. Needs a CJK font, like the PDF tests in test_reports.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static char cli[1024], tmp[256];

/* The first line of a file, or "" (static buffer). */
static const char *first_line(const char *path)
{
	static char line[4096];
	line[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* The credit codes of the bundled examples; EQUIPMENT is the one whose subsidy meets the cap. */
#define EQUIPMENT "91640303MA77A1P880"
static const char *const codes[] = {"91640303MA76L2K45X", "91640303MA76RT3C9U", EQUIPMENT,
				    "91640303MA76Y08D81", "91640303MA7CK4N152"};

static void test_reports_for_every_enterprise(void)
{
	char path[512];
	int rc = sh("%s batch -j 4 --policy policies/hongsibu-2024.xml --reports %s/j4 "
		    "--csv %s/rows.csv examples 2> %s/err",
		    cli, tmp, tmp, tmp);
	check(rc == 0, "batch --reports on the examples: exit 0 (got %d)", rc);
	sh("ls %s/j4 > %s/list", tmp, tmp);
	check(sh("test $(wc -l < %s/list) -eq 15", tmp) == 0,
	      "15 files: a diagnostic report, a retrofit plan and an acceptance opinion for each of 5 "
	      "enterprises");
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		check(sh("head -c 5 %s/j4/%s-diagnostic.pdf | grep -q '%%PDF-' && tail -c 6 "
			 "%s/j4/%s-diagnostic.pdf | grep -q '%%%%EOF'",
			 tmp, codes[i], tmp, codes[i]) == 0,
		      "%s-diagnostic.pdf is a whole PDF", codes[i]);
		check(sh("head -c 5 %s/j4/%s-acceptance.pdf | grep -q '%%PDF-'", tmp, codes[i]) == 0,
		      "%s-acceptance.pdf is a PDF", codes[i]);
		check(sh("head -c 5 %s/j4/%s-plan.pdf | grep -q '%%PDF-'", tmp, codes[i]) == 0,
		      "%s-plan.pdf is a PDF", codes[i]);
	}
	check(sh("ls -a %s/j4 | grep -q '^\\.[^.]'", tmp) != 0, "no temporary file left behind");
	snprintf(path, sizeof(path), "%s/err", tmp);
	check(sh("grep -q '^reports: 15 PDFs written into %s/j4$' %s/err", tmp, tmp) == 0,
	      "the summary counts the PDFs (stderr begins: %s)", first_line(path));

	rc = sh("%s batch -j 1 --policy policies/hongsibu-2024.xml --reports %s/j1 --csv %s/rows1.csv "
		"examples 2> /dev/null && diff -r %s/j1 %s/j4 > /dev/null && cmp -s %s/rows.csv "
		"%s/rows1.csv",
		cli, tmp, tmp, tmp, tmp, tmp, tmp);
	check(rc == 0, "-j 1 and -j 4 write byte-identical PDFs and rows");

	rc = sh("%s report acceptance --policy policies/hongsibu-2024.xml examples/equipment-before.xml "
		"examples/equipment-after.xml -o %s/one.pdf && cmp -s %s/one.pdf "
		"%s/j4/" EQUIPMENT "-acceptance.pdf",
		cli, tmp, tmp, tmp);
	check(rc == 0, "the batch's acceptance opinion is the one `digilevel report` writes");
	if (sh("command -v pdftotext > /dev/null") == 0) {
		rc = sh("pdftotext %s/j4/" EQUIPMENT "-acceptance.pdf - | tr -d ' \\n' | "
			"grep -q '500,000.00'",
			tmp);
		check(rc == 0, "the equipment maker's opinion shows its capped subsidy");
	}
}

static void test_errors(void)
{
	int rc = sh("%s batch --reports %s/r --font %s/no-such-font.ttf --csv %s/rows-nofont.csv examples "
		    "2> %s/err-font",
		    cli, tmp, tmp, tmp, tmp);
	check(rc == 3, "a missing font: exit 3 (got %d)", rc);
	check(sh("test $(grep -c 'report not written' %s/err-font) -eq 1", tmp) == 0,
	      "the missing font is reported once, not once per enterprise");
	check(sh("test -z \"$(ls -A %s/r)\"", tmp) == 0, "and no PDF is left");
	check(sh("test -s %s/rows-nofont.csv", tmp) == 0, "the rows are still written");

	sh(": > %s/a-file", tmp);
	rc = sh("%s batch --reports %s/a-file/sub --csv %s/rows-baddir.csv examples 2> %s/err-dir", cli,
		tmp, tmp, tmp);
	check(rc == 3 && sh("grep -q 'cannot make the reports directory' %s/err-dir", tmp) == 0,
	      "a reports directory that cannot be made: exit 3 and why (got %d)", rc);
	check(sh("test ! -e %s/rows-baddir.csv", tmp) == 0, "and nothing is written");

	rc = sh("%s batch --per-sheet --reports %s/r examples 2> /dev/null > /dev/null", cli, tmp);
	check(rc == 2, "--reports with --per-sheet is a usage error (got %d)", rc);
	rc = sh("%s batch --csv /dev/null examples 2> /dev/null", cli);
	check(rc == 0 && sh("test -c /dev/null") == 0, "--csv /dev/null writes to the device, not over it");
	rc = sh("%s batch --csv /dev/full examples 2> %s/err-full", cli, tmp);
	check(rc == 3 && sh("grep -q 'No space left on device' %s/err-full", tmp) == 0,
	      "--csv /dev/full: exit 3 and why (got %d)", rc);
}

int main(void)
{
	/* the messages checked below are the English ones (--lang en, docs/messages.md) */
	setenv("LANGUAGE", "en", 1);
	if (!test_cli_start(cli, sizeof(cli), tmp, sizeof(tmp), "dl-batch-reports"))
		return test_done();
	test_reports_for_every_enterprise();
	test_errors();
	sh("rm -rf %s", tmp);
	return test_done();
}
