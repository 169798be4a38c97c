/*
 * test_xlsx.c: the spreadsheet route through the API: Excel's date serials in both date systems
 * (with the 29 February 1900 that never was), workbooks recognised by content, a workbook loaded
 * from memory (its digest is the workbook's), problems of the loader and of dl_sheet_check at their
 * cells, the template written through a dl_write_fn and read back, and every allocation failed in
 * turn while a filled workbook loads (a clean DL_ENOMEM, the same sheet otherwise; leaks are for
 * ASan and valgrind to find).
 */
#include "alloc.h"
#include "diag.h"
#include "sha256.h"
#include "workbook.h"

#include <digilevel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			char *grown = realloc(data, cap = cap ? cap * 2 : 65536);
			if (!grown) {
				free(data);
				fclose(f);
				return NULL;
			}
			data = grown;
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return data;
}

static void serial(long day, int date1904, const char *want)
{
	int y, m, d;
	char got[16] = "none";
	if (dl__workbook_serial_date(day, date1904, &y, &m, &d) == 0)
		snprintf(got, sizeof(got), "%04d-%02d-%02d", y, m, d);
	check(strcmp(got, want) == 0, "day %ld in the %s system is %s, got %s", day, date1904 ? "1904" : "1900",
	      want, got);
}

typedef struct sink {
	char *data;
	size_t len;
} sink;

static int collect(void *userdata, const char *data, size_t len)
{
	sink *s = userdata;
	char *grown = realloc(s->data, s->len + len);
	if (!grown)
		return -1;
	memcpy(grown + s->len, data, len);
	s->data = grown;
	s->len += len;
	return 0;
}

typedef struct seen {
	char first[DL_ERROR_FILE_MAX];
	unsigned long line, column;
	int count;
} seen;

static void on_diag(const dl_error *e, void *userdata)
{
	seen *s = userdata;
	if (s->count++ == 0) {
		snprintf(s->first, sizeof(s->first), "%s", e->file);
		s->line = e->line;
		s->column = e->column;
	}
}

int main(void)
{
	/* 1900: day 1 is 1900-01-01, 59 is 28 February, 60 the 29 February Excel counts, 61 1 March */
	serial(1, 0, "1900-01-01");
	serial(59, 0, "1900-02-28");
	serial(60, 0, "none");
	serial(61, 0, "1900-03-01");
	serial(0, 0, "none");
	serial(45638, 0, "2024-12-12");
	serial(2958465, 0, "9999-12-31");
	serial(2958466, 0, "none");
	/* 1904: day 0 is 1904-01-01, 1462 days fewer than 1900's for the same date */
	serial(0, 1, "1904-01-01");
	serial(45638 - 1462, 1, "2024-12-12");
	serial(-1, 1, "none");

	char where[DL_ERROR_FILE_MAX], cell[16];
	check(strcmp(dl__cell_name(12, 4, cell, sizeof(cell)), "D12") == 0, "D12");
	check(strcmp(dl__cell_name(1, 28, cell, sizeof(cell)), "AB1") == 0, "AB1");
	check(strcmp(dl__cell_name(7, 16384, cell, sizeof(cell)), "XFD7") == 0, "XFD7");
	check(strcmp(dl__cell_where(where, sizeof(where), "自评表.xlsx", "问卷", 12, 6), "自评表.xlsx:问卷!F12") == 0,
	      "file:sheet!cell, got %s", where);
	/* a long name is cut, the cell kept */
	char longname[600];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	dl__cell_where(where, sizeof(where), longname, "问卷", 12, 6);
	check(strlen(where) < sizeof(where) && strstr(where, ":问卷!F12") != NULL, "the cell survives a long name");

	size_t len = 0;
	char *food = slurp("tests/cases/xlsx-score-food/food-before.xlsx", &len);
	check(food != NULL, "read the filled workbook of xlsx-score-food");
	if (!food)
		return test_done();
	check(dl_workbook_recognise(food, len), "a workbook is recognised by its bytes");
	check(!dl_workbook_recognise("<?xml", 5) && !dl_workbook_recognise("PK", 2), "XML and 2 bytes are not");

	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	dl_sheet *s = NULL;
	dl_error err = {0}; /* the message is printed on success too: left untouched then */
	check(dl_sheet_load_memory(&s, food, len, "mem.xlsx", &opts, &err) == 0, "loads from memory: %s", err.message);
	dl_questionnaire *q = NULL;
	check(dl_questionnaire_load(&q, "questionnaires/miit-2024.xml", NULL, &err) == 0, "questionnaire");
	if (s && q) {
		char digest[DL__SHA256_HEX_SIZE];
		dl__sha256_hex(food, len, digest);
		check(strcmp(dl_sheet_digest(s), digest) == 0, "the sheet's digest is the workbook's");
		check(strcmp(dl_sheet_path(s), "mem.xlsx") == 0, "the sheet's path is the name");
		check(strcmp(dl_sheet_date(s), "2024-12-12") == 0, "the date cell read as 2024-12-12");
		check(dl_sheet_employees(s) == 126, "employees 126");
		dl_result *r = NULL;
		check(dl_score(&r, q, s, &opts, &err) == 0, "scores");
		char pts[32];
		if (r)
			check(strcmp(dl_points_format(dl_result_total(r), pts, sizeof(pts)), "38.525") == 0,
			      "total 38.525, got %s", pts);
		dl_result_free(r);
	}
	dl_sheet_free(s);
	s = NULL;

	/* the checks after loading report at cells: file SHEET!CELL, line and column 0 */
	size_t blen = 0;
	char *blank = slurp("tests/cases/xlsx-validate-blank/自评表.xlsx", &blen);
	seen sn = {"", 0, 0, 0};
	opts.diag = on_diag;
	opts.diag_data = &sn;
	if (blank && q && dl_sheet_load_memory(&s, blank, blen, "blank.xlsx", &opts, &err) == 0) {
		check(dl_sheet_check(s, q, &opts, &err) == DL_EINVALID, "a blank workbook is incomplete");
		check(strcmp(sn.first, "blank.xlsx:企业信息!C2") == 0 && sn.line == 0 && sn.column == 0,
		      "the first problem at 企业信息!C2, got %s:%lu:%lu", sn.first, sn.line, sn.column);
		check(strcmp(err.file, "blank.xlsx:企业信息!C2") == 0, "err names the cell too");
		check(sn.count > 30, "every problem reported (%d)", sn.count);
	} else {
		check(false, "load the blank workbook");
	}
	dl_sheet_free(s);
	s = NULL;
	opts.diag = NULL;

	/* the template through a dl_write_fn reads back as the same blank workbook */
	sink out = {NULL, 0};
	if (q) {
		check(dl_questionnaire_write_template_xlsx(q, "diagnosis", collect, &out, &err) == 0, "template");
		check(dl_questionnaire_write_template_xlsx(q, "later", collect, &out, &err) == DL_EINVALID,
		      "an unknown phase is refused");
		check(out.len == blen && blank && memcmp(out.data, blank, blen) == 0,
		      "the template is the blank workbook of xlsx-validate-blank, byte for byte");
	}
	free(out.data);

	/* every allocation failed in turn */
	int runs = 0, bad = 0;
	for (long n = 0;; n++) {
		dl__alloc_fail_after(n);
		int rc = dl_sheet_load_memory(&s, food, len, "mem.xlsx", NULL, NULL);
		long used = dl__alloc_fail_after(-1);
		if (used <= n) {
			check(rc == 0, "without a failure the workbook loads");
			dl_sheet_free(s);
			break;
		}
		runs++;
		if (rc == 0) {
			if (strcmp(dl_sheet_date(s), "2024-12-12") != 0)
				bad++;
			dl_sheet_free(s);
		} else if (rc != DL_ENOMEM) {
			bad++;
		}
		s = NULL;
	}
	check(runs > 30 && bad == 0, "%d allocation failures: DL_ENOMEM or the same sheet (%d otherwise)", runs, bad);
	dl_questionnaire_free(q);
	free(blank);
	free(food);
	return test_done();
}
