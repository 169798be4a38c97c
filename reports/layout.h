/*
 * layout.h: the report layout model (internal, not public). A report is built as a dl__doc by appending
 * blocks: a cover, headings, paragraphs, list items, key-value blocks, tables, radar and bar charts,
 * page breaks. dl__layout_run() paginates it on A4 once; the two back ends then draw that same
 * pagination: dl__pdf_render() as a PDF through libharu, dl__text_render() as a stable UTF-8 dump for
 * golden tests, dl__svg_render() as SVG (a page's content, for the web workbench's charts). No
 * libharu type appears here.
 *
 * Conventions for every function below:
 * - Returns 0, or a negative DL_E* code with *err (NULL allowed) filled: DL_EINVALID for bad input
 *   (invalid UTF-8, a control character, a missing required field, a limit exceeded), DL_EIO for a
 *   font that cannot be read or a PDF writer failure, DL_ENOMEM when an allocation fails.
 * - Text is UTF-8. Every string is copied into the document: the caller's strings may go away as soon
 *   as the call returns. NULL text counts as "" unless said otherwise. '\n' forces a line break; '\t'
 *   becomes a space; "\r\n" and "\r" become '\n'; other control characters are rejected.
 * - A failed call leaves the document as it was before the call (usable, and still to be freed).
 */
#ifndef DL_REPORTS_LAYOUT_H
#define DL_REPORTS_LAYOUT_H

#include <stddef.h>

#include "alloc.h"
#include "arena.h"
#include "diag.h"

/* Input limits: anything larger is rejected with DL_EINVALID. */
#define DL__TEXT_MAX 65536u   /* bytes in one string */
#define DL__KV_MAX 200u       /* pairs in one key-value block or on a cover */
#define DL__COLS_MAX 16u      /* columns in one table */
#define DL__ROWS_MAX 20000u   /* rows in one table */
#define DL__AXES_MAX 32u      /* axes of a radar chart (at least 3) */
#define DL__BARS_MAX 16u      /* categories of a bar chart (all fit on one page) */
#define DL__BLOCKS_MAX 100000u
#define DL__PAGES_MAX 2000u   /* a layout longer than this fails */

/* Horizontal alignment of a table column. */
enum { DL__ALIGN_LEFT = 0, DL__ALIGN_CENTER = 1, DL__ALIGN_RIGHT = 2 };

/* Paragraph flags (combine with |). */
enum {
	DL__PARA_INDENT = 1u, /* indent the first line by two characters (Chinese body text) */
	DL__PARA_SMALL = 2u,  /* smaller type, for notes and sources */
	DL__PARA_CENTER = 4u  /* centre every line */
};

/* Key-value block flags. */
enum {
	DL__KV_SIGN = 1u /* signature block: an empty value is drawn as a line to write on */
};

/* One key and its value; the value may be NULL or "" (then blank, or a signature line with DL__KV_SIGN). */
typedef struct dl__kv {
	const char *key;
	const char *value;
} dl__kv;

/* The cover page: the title in large type, the subtitle, the key-value lines, the date at the bottom. */
typedef struct dl__cover {
	const char *title;    /* required */
	const char *subtitle; /* may be NULL */
	const dl__kv *lines;  /* nlines key-value lines (e.g. 企业名称, 评测机构); may be NULL when nlines is 0 */
	size_t nlines;
	const char *date;     /* may be NULL */
} dl__cover;

/* A table column: its title in the header row (NULL: ""), relative width (> 0), alignment. */
typedef struct dl__column {
	const char *title;
	double weight;
	int align;
} dl__column;

/* Table flags. */
enum {
	DL__TABLE_NO_HEADER = 1u /* no header row (the column titles are ignored) */
};

/*
 * A radar chart axis: its label (required), whether it is marked (a constraint scenario: drawn with ★
 * and in bold), and its value in each series, 0..scale_max (values outside are clamped when drawn and
 * printed as given).
 */
typedef struct dl__radar_axis {
	const char *label;
	int marked;
	double value[2];
} dl__radar_axis;

/* A radar chart of naxes axes (3..DL__AXES_MAX), one or two series, rings at 0..scale_max. */
typedef struct dl__radar {
	const char *caption;          /* printed above the chart; may be NULL */
	const dl__radar_axis *axes;
	size_t naxes;
	unsigned nseries;             /* 1 or 2; series 0 is solid and filled, series 1 dashed */
	const char *series[2];        /* legend names; required for each series used */
	unsigned scale_max;           /* 1..10, e.g. 4 for scenario levels */
	const char *marked_note;      /* legend text for marked axes, e.g. "约束性场景"; NULL: none */
} dl__radar;

/* A bar chart category: label (required), value per series (>= 0) and its maximum (> 0). */
typedef struct dl__bar {
	const char *label;
	double value[2];
	double max;
} dl__bar;

/*
 * A horizontal bar chart: per category an outlined track as long as the maximum, with one or two bars
 * (series 0 grey, series 1 hatched) and the values printed as "value / max".
 */
typedef struct dl__bars {
	const char *caption;   /* may be NULL */
	const dl__bar *bars;
	size_t nbars;          /* 1..DL__BARS_MAX */
	unsigned nseries;      /* 1 or 2 */
	const char *series[2]; /* legend names; required for each series used */
	const char *max_note;  /* legend text for the track, e.g. "满分"; NULL: none */
	unsigned flags;        /* DL__BARS_*; 0: values printed "value / max" */
} dl__bars;

/* Bar chart flags. */
enum {
	DL__BARS_PERCENT = 1u, /* the values are percentages: printed "11.4%", without the maximum */
	DL__BARS_COUNT = 2u    /* the values count things: the scale's ticks are whole numbers */
};

typedef struct dl__doc dl__doc;

/*
 * What the PDF's document information says (the PDF back end writes it with the language zh-CN; the
 * text dump prints it first). NULL fields are "".
 */
typedef struct dl__doc_info {
	const char *title;    /* e.g. "某某公司 数字化诊断报告" */
	const char *author;   /* the issuing organisation */
	const char *subject;  /* e.g. "中小企业数字化水平诊断" */
	const char *keywords; /* e.g. "数字化诊断, 中小企业数字化转型, ZD-…" */
} dl__doc_info;

/* Creates an empty document in *out. Caller owns the result; free with dl__doc_free(). */
int dl__doc_new(dl__doc **out, dl_error *err);

/* Frees the document and every string copied into it. Accepts NULL. */
void dl__doc_free(dl__doc *doc);

/* Sets the document information (copied). */
int dl__doc_set_info(dl__doc *doc, const dl__doc_info *info, dl_error *err);

/* Sets the page header text, shown at the top of every page but cover pages. NULL: no header. */
int dl__doc_set_header(dl__doc *doc, const char *text, dl_error *err);

/* Sets a line shown above the page number on every page but cover pages (e.g. the input's hash). */
int dl__doc_set_footer_note(dl__doc *doc, const char *text, dl_error *err);

/*
 * Marks the document a draft (a report made from a provisional score): every page, the cover
 * included, carries 草稿 in its top corner and the page number reads "草稿 · 第 X 页 共 Y 页".
 */
void dl__doc_set_draft(dl__doc *doc);

/*
 * Appends a cover page. It starts a new page (unless nothing is placed yet) and the next block starts
 * another. Cover pages carry no header, footer or number; the other pages are numbered
 * "第 X 页 共 Y 页" among themselves.
 */
int dl__doc_add_cover(dl__doc *doc, const dl__cover *cover, dl_error *err);

/* Appends a heading of level 1 or 2. A heading is kept on the page of the text that follows it. */
int dl__doc_add_heading(dl__doc *doc, int level, const char *text, dl_error *err);

/* Appends a paragraph; flags from DL__PARA_*. */
int dl__doc_add_paragraph(dl__doc *doc, const char *text, unsigned flags, dl_error *err);

/* Appends a list item: label (e.g. "1." or "（2）", may be NULL) hanging left of the wrapped text. */
int dl__doc_add_item(dl__doc *doc, const char *label, const char *text, dl_error *err);

/* Appends a key-value block of n pairs (1..DL__KV_MAX); keys are required. flags from DL__KV_*. */
int dl__doc_add_key_values(dl__doc *doc, const dl__kv *pairs, size_t n, unsigned flags, dl_error *err);

/*
 * Appends a table of ncols columns (1..DL__COLS_MAX), without rows yet; flags from DL__TABLE_*. Cells
 * wrap; a table continues across pages with the header row repeated; a row taller than a page is split
 * between pages, so no row or line is ever lost.
 */
int dl__doc_add_table(dl__doc *doc, const dl__column *cols, size_t ncols, unsigned flags,
		      dl_error *err);

/*
 * Appends a row of ncols cells (the table's column count; a NULL cell is "") to the table, which must be
 * the last block appended.
 */
int dl__doc_add_row(dl__doc *doc, const char *const *cells, dl_error *err);

/* Appends a radar chart. The spec's arrays are copied. */
int dl__doc_add_radar(dl__doc *doc, const dl__radar *spec, dl_error *err);

/* Appends a bar chart. The spec's arrays are copied. */
int dl__doc_add_bars(dl__doc *doc, const dl__bars *spec, dl_error *err);

/* Appends a page break (ignored at the top of a page). */
int dl__doc_add_page_break(dl__doc *doc, dl_error *err);

/* Appends vertical space of `points` (0..400) points, dropped at the top of a page. */
int dl__doc_add_space(dl__doc *doc, double points, dl_error *err);

/*
 * Keep-together: dl__doc_keep(doc, 1) starts a group, dl__doc_keep(doc, 0) ends it. The blocks of a
 * group that fits on a page are placed on one page: when the group does not fit in what is left of
 * the current page, the group (only the group) starts the next page. A group taller than a page is
 * laid out as if there were no group. Groups do not nest (DL_EINVALID).
 */
int dl__doc_keep(dl__doc *doc, int begin, dl_error *err);

/*
 * Appends a table of contents: one line per level-1 heading appended after it, with a dotted leader
 * and the printed page number ("第 X 页" numbering) of the heading. The layout runs twice to know the
 * numbers; the contents take the same lines both times, so the pages do not move.
 */
int dl__doc_add_toc(dl__doc *doc, dl_error *err);

/* A paginated document: pages of placed text, lines, shapes and dump notes. */
typedef struct dl__layout dl__layout;

/*
 * Paginates doc on A4 (595 x 842 pt) into *out. The result does not refer to doc. Caller owns the
 * result; free with dl__layout_free(). Fails with DL_EINVALID beyond DL__PAGES_MAX pages.
 */
int dl__layout_run(dl__layout **out, const dl__doc *doc, dl_error *err);

/* Frees a layout. Accepts NULL. */
void dl__layout_free(dl__layout *lay);

/* Number of pages, cover pages included. */
size_t dl__layout_page_count(const dl__layout *lay);

/*
 * Text back end: writes the layout as UTF-8 text, one line per placed text line, table row, chart datum,
 * with page markers; stable across runs and platforms, for golden tests. Sets *out to a NUL-terminated
 * buffer and *len to its length without the NUL. Caller owns the result; free with dl__free().
 */
int dl__text_render(const dl__layout *lay, char **out, size_t *len, dl_error *err);

/* Options of the PDF back end. Zero-initialise, then set what you need. */
typedef struct dl__pdf_options {
	const char *font_path; /* explicit TrueType font (.ttf or .ttc, face 0); NULL: search (see font_file.h) */
	const char *title;     /* document title in the PDF's Info (UTF-8); NULL: the document's info title */
} dl__pdf_options;

/*
 * PDF back end: renders the layout with libharu into memory. The output has no timestamp and no random
 * ID, so the same layout and font give byte-identical bytes. opts may be NULL. Sets *out and *len.
 * Caller owns the result; free with dl__free(). Nothing is written to disk.
 */
int dl__pdf_render(const dl__layout *lay, const dl__pdf_options *opts, unsigned char **out, size_t *len,
		   dl_error *err);

/* Options of the SVG back end. Zero-initialise, then set what you need. */
typedef struct dl__svg_options {
	const char *title;   /* the <title> (e.g. a chart's caption); NULL: "" */
	const char *summary; /* what the picture says in words: the <desc>, and after the title the
				aria-label; NULL: none */
	const char *id;      /* prefix of the ids the document defines (its hatch patterns), so that
				several pictures can share an HTML page; NULL or "": "dl" */
} dl__svg_options;

/*
 * SVG back end: writes the content of the layout's first page (what its blocks placed; not the
 * header, footer or page number) as a standalone SVG 1.1 document: role="img" with an aria-label,
 * a viewBox around what is drawn and no width or height, text in the Chinese fonts browsers have,
 * every text escaped, each shape a chart tagged with class and data-value (layout_pages.h). The same
 * layout gives the same bytes. opts may be NULL. Sets *out to a NUL-terminated buffer and *len to its
 * length without the NUL. Caller owns the result; free with dl__free().
 */
int dl__svg_render(const dl__layout *lay, const dl__svg_options *opts, char **out, size_t *len,
		   dl_error *err);

/* dl__layout_run() then dl__text_render(). Caller owns the result; free with dl__free(). */
int dl__doc_render_text(const dl__doc *doc, char **out, size_t *len, dl_error *err);

/* dl__layout_run() then dl__pdf_render(). Caller owns the result; free with dl__free(). */
int dl__doc_render_pdf(const dl__doc *doc, const dl__pdf_options *opts, unsigned char **out, size_t *len,
		       dl_error *err);

#endif
