/*
 * write_table_xlsx.c: tables as a workbook (write_table.h's DL__TABLE_XLSX): a worksheet per table,
 * named by its Chinese title, its header row frozen and filtered, columns as wide as what they
 * hold, printed on A4 landscape one page wide with the header on every page. With
 * write_template_xlsx.c, one of the two users of libxlsxwriter.
 *
 * Cells are what they are: numbers are number cells, dates date cells (yyyy-mm-dd), text text
 * cells (never a formula, whatever it starts with, so the CSV's guard against formulas is not
 * needed here). Money and points are exact decimals in the library (fen, 1/10000 points) and a
 * number cell is a binary double, so the decimal the library writes ("1234.56", "38.525") is
 * turned into a double once, for the cell itself and nothing else: strtod gives the double nearest
 * to it, and the cell is written only when that double, as libxlsxwriter writes it into the file
 * (%.16G), reads back as the same decimal; otherwise (beyond 15 significant digits: ten thousand
 * billion yuan and more) the value is written as text, so no digit is ever wrong. The number format
 * shows the digits the library wrote: money 0.00, points as many decimals as the score has (38.525:
 * 0.000), rates 0.0, counts 0.
 *
 * libxlsxwriter 1.1.4 writes to a file name only (as for the template): the workbook is written in
 * constant-memory mode (rows go to temporary files as they come) to a temporary file in $TMPDIR or
 * /tmp, read back, handed to write and removed. The document's creation time is fixed, so the same
 * rows give the same bytes.
 */
#include "alloc.h"
#include "date.h"
#include "i18n.h"
#include "write_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define WIDTH_COLUMNS 512 /* columns whose width follows what they hold; the rest keep Excel's */

struct dl__table_xlsx {
	char path[4096];
	const char *tmpdir;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *header, *integer, *money, *rate, *date, *points[5];
	lxw_row_t row;
	lxw_col_t col, columns;
	bool body; /* a row of cells has begun (row 0 is the header) */
	double width[WIDTH_COLUMNS];
};

static int fail(dl__table *t, int rc, const char *why)
{
	if (t->rc == 0) {
		t->rc = rc;
		snprintf(t->error, sizeof(t->error), "%s", why);
	}
	return t->rc;
}

char *dl__xlsx_sheet_name(const char *title, char *buf, size_t size)
{
	size_t n = 0, units = 0;
	for (const unsigned char *p = (const unsigned char *)title; *p;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		size_t u =
		    len == 4 ? 2 : 1; /* Excel counts UTF-16 units: a 4-byte character takes two */
		if (units + u > 31 || n + len >= size)
			break;
		if (len == 1 && (strchr("[]:*?/\\", *p) || *p < 0x20)) {
			buf[n++] = '_';
			p++;
		} else {
			for (size_t k = 0; k < len && *p; k++)
				buf[n++] = (char)*p++;
		}
		units += u;
	}
	buf[n] = '\0';
	if (n == 0 && size > 5)
		snprintf(buf, size, "Sheet");
	if (buf[0] == '\'')
		buf[0] = '_';
	if (n > 0 && buf[n - 1] == '\'')
		buf[n - 1] = '_';
	return buf;
}

bool dl__xlsx_exact_number(const char *value, double *number)
{
	/* the decimal as %.16G would write it: no leading '+', no trailing zeros after the point */
	char want[64], got[64];
	size_t n = strlen(value);
	if (n == 0 || n >= sizeof(want))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((value[i] >= '0' && value[i] <= '9') || value[i] == '.' ||
		      (i == 0 && value[i] == '-')))
			return false;
	memcpy(want, value, n + 1);
	if (strchr(want, '.')) {
		while (n > 0 && want[n - 1] == '0')
			want[--n] = '\0';
		if (n > 0 && want[n - 1] == '.')
			want[--n] = '\0';
	}
	if (strcmp(want, "-0") == 0)
		snprintf(want, sizeof(want), "0");
	char *end = NULL;
	errno = 0;
	double d = strtod(value, &end);
	if (errno != 0 || !end || *end)
		return false;
	snprintf(got, sizeof(got), "%.16G", d);
	if (strcmp(got, "-0") == 0)
		snprintf(got, sizeof(got), "0");
	if (strcmp(want, got) != 0)
		return false;
	*number = d;
	return true;
}

static lxw_format *number_format(lxw_workbook *wb, const char *num_format)
{
	lxw_format *f = workbook_add_format(wb);
	if (f)
		format_set_num_format(f, num_format);
	return f;
}

int dl__xlsx_open(dl__table *t)
{
	dl__table_xlsx *x = dl__calloc(1, sizeof(*x));
	if (!x)
		return fail(t, DL_ENOMEM, _("out of memory"));
	t->xlsx = x;
	x->tmpdir = getenv("TMPDIR");
	if (!x->tmpdir || !x->tmpdir[0])
		x->tmpdir = "/tmp";
	if (snprintf(x->path, sizeof(x->path), "%s/digilevel-xlsx-XXXXXX", x->tmpdir) >=
	    (int)sizeof(x->path)) {
		x->path[0] = '\0';
		return fail(t, DL_EIO, _("the temporary directory's name is too long"));
	}
	int fd = mkstemp(x->path);
	if (fd < 0) {
		char why[200];
		snprintf(why, sizeof(why), _("cannot make a temporary file in %.100s: %s"),
			 x->tmpdir, dl_strerror(errno));
		x->path[0] = '\0';
		return fail(t, DL_EIO, why);
	}
	close(fd);
	lxw_workbook_options options = {LXW_TRUE, (char *)x->tmpdir, LXW_FALSE};
	x->wb = workbook_new_opt(x->path, &options);
	if (!x->wb)
		return fail(t, DL_ENOMEM, _("out of memory"));
	lxw_doc_properties props;
	memset(&props, 0, sizeof(props));
	props.author = (char *)"digilevel";
	props.created = 1704067200; /* 2024-01-01: fixed, so the same rows give the same bytes */
	workbook_set_properties(x->wb, &props);
	x->header = workbook_add_format(x->wb);
	if (x->header) {
		format_set_bold(x->header);
		format_set_bg_color(x->header, 0xD9E1F2);
		format_set_border(x->header, LXW_BORDER_THIN);
		format_set_align(x->header, LXW_ALIGN_CENTER);
		format_set_align(x->header, LXW_ALIGN_VERTICAL_CENTER);
	}
	x->integer = number_format(x->wb, "0");
	x->money = number_format(x->wb, "0.00");
	x->rate = number_format(x->wb, "0.0");
	x->date = number_format(x->wb, "yyyy-mm-dd");
	static const char *const decimals[5] = {"0", "0.0", "0.00", "0.000", "0.0000"};
	bool ok = x->header && x->integer && x->money && x->rate && x->date;
	for (int k = 0; k < 5; k++)
		ok = (x->points[k] = number_format(x->wb, decimals[k])) != NULL && ok;
	return ok ? 0 : fail(t, DL_ENOMEM, _("out of memory"));
}

void dl__xlsx_begin(dl__table *t, const char *title)
{
	dl__table_xlsx *x = t->xlsx;
	char name[128];
	x->ws = workbook_add_worksheet(x->wb, dl__xlsx_sheet_name(title, name, sizeof(name)));
	x->row = 0;
	x->col = x->columns = 0;
	x->body = false;
	memset(x->width, 0, sizeof(x->width));
	if (!x->ws) {
		fail(t, DL_ENOMEM, _("out of memory"));
		t->skip = true;
	}
}

static void measure(dl__table_xlsx *x, const char *s, size_t extra)
{
	if (x->col >= WIDTH_COLUMNS)
		return;
	double w = (double)(dl__display_width(s) + extra);
	if (w > x->width[x->col])
		x->width[x->col] = w;
}

void dl__xlsx_column(dl__table *t, const char *title)
{
	dl__table_xlsx *x = t->xlsx;
	if (worksheet_write_string(x->ws, 0, x->col, title, x->header) != LXW_NO_ERROR)
		fail(t, DL_EIO, _("cannot write a cell of the workbook"));
	measure(x, title, 2); /* room for the filter's button */
	x->col++;
	x->columns = x->col;
}

/* A whole number as the library writes one, of at most 15 digits. */
static bool integer(const char *s, double *n)
{
	const char *p = s + (s[0] == '-');
	size_t len = strlen(p);
	if (len == 0 || len > 15 || strspn(p, "0123456789") != len)
		return false;
	*n = strtod(s, NULL);
	return true;
}

/* The number of decimals of a decimal ("38.525": 3), at most 4. */
static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t n = dot ? strlen(dot + 1) : 0;
	return n > 4 ? 4 : (int)n;
}

void dl__xlsx_cell(dl__table *t, dl__table_kind kind, const char *value, bool last)
{
	dl__table_xlsx *x = t->xlsx;
	if (!x->body) {
		x->body = true;
		x->row = 1;
		x->col = 0;
	}
	lxw_error e = LXW_NO_ERROR;
	double number = 0;
	int y, m, d;
	char why[8];
	if (!value[0]) {
		/* an empty cell is no cell */
	} else if (kind == DL__TC_INT && integer(value, &number)) {
		e = worksheet_write_number(x->ws, x->row, x->col, number, x->integer);
	} else if ((kind == DL__TC_MONEY || kind == DL__TC_RATE || kind == DL__TC_POINTS) &&
		   dl__xlsx_exact_number(value, &number)) {
		lxw_format *f = kind == DL__TC_MONEY  ? x->money
				: kind == DL__TC_RATE ? x->rate
						      : x->points[decimals(value)];
		e = worksheet_write_number(x->ws, x->row, x->col, number, f);
	} else if (kind == DL__TC_DATE && strlen(value) == 10 &&
		   dl__date_parse(value, &y, &m, &d, why, sizeof(why)) == 0) {
		lxw_datetime dt = {y, m, d, 0, 0, 0};
		e = worksheet_write_datetime(x->ws, x->row, x->col, &dt, x->date);
	} else {
		e = worksheet_write_string(x->ws, x->row, x->col, value, NULL);
	}
	if (e != LXW_NO_ERROR)
		fail(t, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? DL_ENOMEM : DL_EIO,
		     e == LXW_ERROR_MEMORY_MALLOC_FAILED
			 ? _("out of memory")
			 : _("cannot write a cell of the workbook"));
	measure(x, value, kind == DL__TC_DATE ? 1 : 0);
	x->col++;
	if (last) {
		x->row++;
		x->col = 0;
	}
}

void dl__xlsx_end(dl__table *t)
{
	dl__table_xlsx *x = t->xlsx;
	if (!x->ws || x->columns == 0)
		return;
	lxw_row_t last = x->body ? x->row - 1 : 0;
	worksheet_freeze_panes(x->ws, 1, 0);
	/* printed: A4 landscape, one page wide, the header on every page */
	worksheet_set_paper(x->ws, 9);
	worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_repeat_rows(x->ws, 0, 0);
	worksheet_autofilter(x->ws, 0, 0, last > 0 ? last : 0, (lxw_col_t)(x->columns - 1));
	for (lxw_col_t c = 0; c < x->columns && c < WIDTH_COLUMNS; c++) {
		double w = x->width[c] + 1;
		worksheet_set_column(x->ws, c, c, w < 8 ? 8 : w > 60 ? 60 : w, NULL);
	}
	x->ws = NULL;
}

void dl__xlsx_abort(dl__table *t)
{
	dl__table_xlsx *x = t->xlsx;
	if (!x)
		return;
	if (x->wb)
		workbook_close(x->wb); /* frees it; the file is removed below */
	if (x->path[0])
		unlink(x->path);
	dl__free(x);
	t->xlsx = NULL;
}

int dl__xlsx_close(dl__table *t, dl_write_fn write, void *userdata)
{
	dl__table_xlsx *x = t->xlsx;
	if (!x)
		return t->rc;
	if (t->rc == 0 && t->tables == 0)
		fail(t, DL_EINVALID, _("no table to write"));
	if (t->rc != 0) {
		dl__xlsx_abort(t);
		return t->rc;
	}
	lxw_error e = workbook_close(x->wb);
	x->wb = NULL;
	if (e != LXW_NO_ERROR) {
		char why[200];
		snprintf(why, sizeof(why),
			 _("cannot write the workbook in %.100s (is there room?)"), x->tmpdir);
		fail(t, DL_EIO, why);
		dl__xlsx_abort(t);
		return t->rc;
	}
	FILE *f = fopen(x->path, "rb");
	if (!f) {
		fail(t, DL_EIO, _("cannot read the workbook back"));
	} else {
		char block[65536];
		size_t n;
		while ((n = fread(block, 1, sizeof(block), f)) > 0)
			if (write(userdata, block, n) < 0) {
				fail(t, DL_EIO, _("write failed"));
				break;
			}
		if (ferror(f))
			fail(t, DL_EIO, _("cannot read the workbook back"));
		fclose(f);
	}
	dl__xlsx_abort(t);
	return t->rc;
}
