/*
 * doc_blocks.h: how a dl__doc stores its blocks (internal to reports/). Written by doc.c, read by
 * the layout. Every pointer here points into the document's arena; every string is valid UTF-8
 * without control characters other than '\n', and never NULL.
 */
#ifndef DL_REPORTS_DOC_BLOCKS_H
#define DL_REPORTS_DOC_BLOCKS_H

#include <stddef.h>

#include "layout.h"

typedef enum dl__block_kind {
	DL__B_COVER,
	DL__B_HEADING,
	DL__B_PARAGRAPH,
	DL__B_ITEM,
	DL__B_KEY_VALUES,
	DL__B_TABLE,
	DL__B_RADAR,
	DL__B_BARS,
	DL__B_PAGE_BREAK,
	DL__B_SPACE,
	DL__B_KEEP, /* u.keep.begin 1: the blocks up to the next DL__B_KEEP (begin 0) share a page */
	DL__B_TOC   /* a table of contents of the level-1 headings that follow it */
} dl__block_kind;

/* A table row: ncols cells. */
typedef struct dl__row {
	struct dl__row *next;
	const char **cells;
} dl__row;

/* Keys and values of a key-value block or a cover (n each). */
typedef struct dl__kvs {
	const char **keys;
	const char **values;
	size_t n;
} dl__kvs;

typedef struct dl__block {
	struct dl__block *next;
	dl__block_kind kind;
	union {
		struct {
			const char *title, *subtitle, *date; /* subtitle and date "" when absent */
			dl__kvs lines;
		} cover;
		struct {
			int level; /* 1 or 2 */
			const char *text;
		} heading;
		struct {
			const char *text;
			unsigned flags;
		} para;
		struct {
			const char *label, *text;
		} item;
		struct {
			dl__kvs pairs;
			unsigned flags;
		} kv;
		struct {
			size_t ncols;
			const char **titles;
			double *weights;
			int *aligns;
			int header; /* 1: draw the header row */
			dl__row *rows, *last;
			size_t nrows;
		} table;
		struct {
			const char *caption; /* "" when absent */
			size_t naxes;
			const char **labels;
			int *marked;
			double *values[2];
			unsigned nseries, scale_max;
			const char *series[2];
			const char *marked_note; /* "" when absent */
		} radar;
		struct {
			const char *caption;
			size_t nbars;
			const char **labels;
			double *values[2];
			double *max;
			unsigned nseries;
			const char *series[2];
			const char *max_note; /* "" when absent */
			unsigned flags;       /* DL__BARS_* */
		} bars;
		struct {
			double points;
		} space;
		struct {
			int begin;
		} keep;
	} u;
} dl__block;

struct dl__doc {
	dl__arena *arena;
	dl__block *first, *last;
	size_t nblocks;
	const char *header;      /* "" when absent */
	const char *footer_note; /* "" when absent */
	dl__doc_info info;       /* every field "" when absent */
	int in_keep;             /* 1 between dl__doc_keep(doc, 1) and dl__doc_keep(doc, 0) */
	int draft;               /* 1: every page is marked 草稿 (dl__doc_set_draft) */
};

#endif
