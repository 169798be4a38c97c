/*
 * load.h: what the four XML loaders (questionnaire, sheet, policy, targets) share.
 *
 * Each format is loaded the same way: read the file (or copy the caller's memory), parse and
 * validate it against its embedded schema (xmldoc.c), copy the tree into a zeroed object whose
 * strings and arrays all live in the object's arena, then check the meaning. A format supplies only
 * a dl__loader: its root element, its schema, and the build and check steps. The builder helpers
 * below are what every build step uses to copy attributes, texts and arrays into the arena.
 */
#ifndef DL_LOAD_H
#define DL_LOAD_H

#include "model.h"
#include "xmldoc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The state of one build: the object, its arena, and what went wrong so far. */
typedef struct dl__builder {
	void *obj;        /* the object being built */
	dl__arena *arena; /* its arena: every string and array is copied here */
	dl__diag *d;      /* where problems found while building are reported */
	bool oom;         /* an allocation failed: reported once, after the build */
	int rc;           /* code of the first problem reported while building, 0 if none */
	const dl__xml *x; /* the document: an answer sheet may be built though the schema refused it */
	bool keep;        /* kept even when refused (dl__load_owned_keeping): its meaning is checked next */
} dl__builder;

/**
 * Whether a problem of element n is already reported (an answer sheet the schema refused is built
 * too, dl__xml_load): a builder's check then says nothing more of it.
 */
bool dl__build_reported(const dl__builder *b, const xmlNode *n);

/** One XML format: what dl__load_* needs to know of it. */
typedef struct dl__loader {
	const char *root;     /* the root element's name */
	dl__schema_id schema; /* the embedded schema it is validated against */
	size_t size;          /* sizeof the object, allocated zeroed with dl__calloc */
	size_t arena_at;      /* offsetof its dl__arena, freed with the object */
	size_t path_at;       /* offsetof its const char *path, set to the name before the build */
	/** Copy the document x into b->obj: problems in b->rc, no memory in b->oom. x is valid, or
	 * (an answer sheet) refused by the schema with x->invalid set: then nothing may be assumed
	 * of it but its root, and no problem of an element dl__build_reported names is reported. */
	void (*build)(dl__builder *b, const dl__xml *x);
	/** Check the object's meaning, each problem to d (NULL: none). Returns 0 or DL_E*. */
	int (*check)(void *obj, dl__diag *d);
	/** Make an object its build refused safe to check: every field a missing element left NULL
	 * set to its empty value (NULL: the format has no check after a refusal). */
	void (*refused)(void *obj);
} dl__loader;

/** The size, arena_at and path_at of a dl__loader, for a type with members arena and path. */
#define DL__LOADER_LAYOUT(type) sizeof(type), offsetof(type, arena), offsetof(type, path)

/**
 * Load the file at path. On success *out is the new object: the caller owns it and frees it with
 * the format's dl_*_free(). Every problem goes to opts->diag and the first to err.
 * Returns 0, DL_ENOTFOUND, DL_EIO, DL_ELIMIT, DL_EINVALID or DL_ENOMEM (or the check's code).
 */
int dl__load_file(const dl__loader *l, void **out, const char *path, const dl_load_options *opts,
		  dl_error *err);

/** As dl__load_file, from len bytes of data (copied; NULL allowed when len is 0) named name. */
int dl__load_memory(const dl__loader *l, void **out, const char *data, size_t len, const char *name,
		    const dl_load_options *opts, dl_error *err);

/**
 * As dl__load_memory, but takes ownership of data (from dl__malloc, NUL-terminated at len; freed
 * on failure too), whose first line is line line_offset + 1 of the named file.
 */
int dl__load_owned(const dl__loader *l, void **out, char *data, size_t len, const char *name,
		   unsigned long line_offset, const dl_load_options *opts, dl_error *err);

/**
 * As dl__load_owned, but a document refused for what it says (DL_EINVALID, its problems reported)
 * is set in *out all the same, after the loader's refused() made it safe to check (every field a
 * missing element left NULL is made ""), for a check of its meaning in the same run
 * (dl_sheet_load_to_check). Only for a loader that has refused().
 */
int dl__load_owned_keeping(const dl__loader *l, void **out, char *data, size_t len, const char *name,
			   const dl_load_options *opts, dl_error *err);

/**
 * As dl__load_owned, for a text made from a workbook's cells: every problem is reported at the cell
 * its line came from (cells, diag.h), never at a position of the text.
 */
int dl__load_owned_cells(const dl__loader *l, void **out, char *data, size_t len, const char *name,
			 const dl__cell_map *cells, const dl_load_options *opts, dl_error *err);

/* --- builder helpers: every copy goes to b->arena; a failed allocation sets b->oom ---------- */

/** Where element n starts. */
dl__pos dl__build_pos(const xmlNode *n);
/** The value of attribute name of n (white space trimmed), or fallback when it is absent. */
const char *dl__build_attr(dl__builder *b, const xmlNode *n, const char *name,
			   const char *fallback);
/** Whether attribute name of n is "true" or "1" (absent: false). */
bool dl__build_attr_bool(dl__builder *b, const xmlNode *n, const char *name);
/** The text of n (white space trimmed). */
const char *dl__build_text(dl__builder *b, const xmlNode *n);
/** The text of n's first child element named name, or "" when there is none. */
const char *dl__build_child_text(dl__builder *b, const xmlNode *n, const char *name);
/**
 * The number text (of element n, named by what: "<employees>", "attribute 'amount' of <item>") read
 * exactly with dl__number_parse(text, frac, max) into *out. A number that is malformed or beyond
 * max is reported at n's position, naming what and the limit, and sets b->rc; *out is then left
 * unchanged. A NULL text (its copy failed, b->oom is set) returns DL_ENOMEM unreported.
 * Returns 0, DL_EINVALID or DL_ENOMEM.
 */
int dl__build_number(dl__builder *b, const xmlNode *n, const char *what, const char *text, int frac,
		     int64_t max, int64_t *out);
/** Attribute name of n (fallback when absent) read with dl__build_number; 0 when it fails. */
int64_t dl__build_attr_number(dl__builder *b, const xmlNode *n, const char *name,
			      const char *fallback, int frac, int64_t max);
/**
 * The number of n's child elements named name. More than max is reported at the first one too
 * many and sets b->rc: the schema leaves such counts unbounded (a bounded maxOccurs makes libxml2
 * count with a slower automaton, docs/performance.md) and the builder enforces them.
 */
size_t dl__build_count(dl__builder *b, const xmlNode *parent, const char *name, size_t max);
/** A zeroed array of count elements of size bytes. */
void *dl__build_array(dl__builder *b, size_t count, size_t size);

#endif
