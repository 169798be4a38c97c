/*
 * cmd_import.c: `digilevel import FILE.xlsx -o sheet.xml`: a filled self-assessment workbook as an
 * answer sheet in XML (docs/spreadsheets.md). The library reads the workbook and reports every
 * problem at its cell; the XML is written only when it loads as a sheet, and never over the input.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char USAGE[] = N_("digilevel import [-o FILE] WORKBOOK.xlsx");
static const char HELP[] =
	N_("usage: %s\n\nConverts a filled self-assessment workbook (made by 'digilevel template\n"
	   "--format xlsx') into an answer sheet in XML, to standard output or -o FILE.\n"
	   "Every problem is printed at its cell, as 自评表.xlsx:问卷!F12: message; nothing\n"
	   "is written then. Whether every question is answered is checked by validate.\n"
	   "Exit status: 0 written, 1 a problem in the workbook, 2 usage error, 3 I/O error.\n");

/* A dl_write_fn gathering the output in memory. */
int cmd_import(int argc, char **argv)
{
	const cli_command cmd = {USAGE, HELP, OPT_OUTPUT, NULL, NULL, NULL, 0};
	cli_args a;
	int n = cli_parse(argc, argv, &cmd, &a);
	if (n < 0)
		return a.exit;
	if (n != 1)
		return cli_usage_error(USAGE, n ? _("give exactly one workbook") : _("no workbook given"));
	const char *output = a.output ? a.output : "-";
	const cli_file files[] = {{"the output", output, true, NULL}};
	int status = cli_files_start(&a.files, USAGE, argv, 1, files, 1);
	if (status != EXIT_OK)
		return cli_end(&a, status);
	dl_load_options opts = cli_load_options();
	cli_buffer b = {NULL, 0, 0};
	int rc = dl_workbook_write_sheet(argv[0], cli_buffer_write, &b, &opts, NULL);
	if (rc == 0)
		status = cli_write_output(output, b.data, b.len);
	free(b.data);
	return cli_end(&a, rc < 0 ? cli_exit_code(rc) : status);
}
