/*
 * font_file.h: finding the CJK TrueType font the PDF embeds, and reading it.
 *
 * Search order: the explicit path (an option) -> the environment variable DIGILEVEL_FONT -> the known
 * Debian paths, in order:
 *   /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc        (fonts-wqy-zenhei, sans)
 *   /usr/share/fonts/truetype/arphic/uming.ttc          (fonts-arphic-uming, serif)
 * An explicit path or DIGILEVEL_FONT that is set but unusable is an error (no silent fallback). A font
 * whose path names WenQuanYi Micro Hei is rejected: libharu 2.3.0 renders its glyphs blank. OpenType
 * fonts with CFF outlines (.otf) are rejected: libharu embeds TrueType outlines only.
 */
#ifndef DL_REPORTS_FONT_FILE_H
#define DL_REPORTS_FONT_FILE_H

#include <stddef.h>

#include "alloc.h"
#include "arena.h"
#include "diag.h"

#define DL__FONT_ENV "DIGILEVEL_FONT"
#define DL__FONT_PATH_MAX 4096

/* The font found. */
typedef struct dl__font_choice {
	char path[DL__FONT_PATH_MAX];
	int collection;     /* 1: a TrueType collection (.ttc): face 0 is used */
	const char *source; /* "option", "DIGILEVEL_FONT" or "system" (static) */
} dl__font_choice;

/*
 * Finds the font by the search order above. Returns 0 with *out filled, or DL_EIO when nothing
 * usable was found (the message names every place tried and why it failed) or DL_EINVALID for a
 * rejected font (Micro Hei, not TrueType).
 */
int dl__font_find(const char *explicit_path, dl__font_choice *out, dl_error *err);

/*
 * The same search with its inputs given: env_value stands for DIGILEVEL_FONT (NULL: unset) and
 * system_paths for the known paths. For tests.
 */
int dl__font_find_in(const char *explicit_path, const char *env_value, const char *const *system_paths,
		     size_t nsystem, dl__font_choice *out, dl_error *err);

/*
 * Checks one font file: readable, TrueType or a TrueType collection, not Micro Hei. Sets *collection.
 * `source` names where the path came from, for the message.
 */
int dl__font_check(const char *path, const char *source, int *collection, dl_error *err);

/* A font file's bytes, mapped read-only. */
typedef struct dl__font_file {
	const unsigned char *data;
	size_t size;
} dl__font_file;

/* Largest font file read (the CJK fonts are 16-21 MB). */
#define DL__FONT_FILE_MAX (256ul << 20)

/*
 * Maps the font file at path into memory. Returns 0 with *out filled (release with
 * dl__font_unmap()), DL_EIO when it cannot be opened or mapped, DL_EINVALID when it is empty
 * or larger than DL__FONT_FILE_MAX; the message names the path.
 */
int dl__font_map(const char *path, dl__font_file *out, dl_error *err);

/* Releases what dl__font_map() mapped and clears *f. Accepts a cleared or zeroed *f. */
void dl__font_unmap(dl__font_file *f);

#endif
