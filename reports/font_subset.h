/*
 * font_subset.h: a TrueType font holding only the glyphs a document uses, built in memory.
 *
 * The PDF back end embeds such a subset instead of the whole CJK font (40,000 glyphs), because
 * libharu 2.3.0's work on a font grows with the font's size (docs/reports.md, "Fonts: the subset").
 * The subset is an ordinary TrueType font: .notdef as glyph 0, then the glyphs of the code points
 * asked for, in code point order, then the glyphs their composite glyphs are built from; the glyph ids
 * are renumbered 0..n-1 and every table that refers to them is rewritten. Outlines, advance widths
 * and side bearings are copied unchanged, so text set in the subset measures and looks exactly as in
 * the whole font.
 */
#ifndef DL_REPORTS_FONT_SUBSET_H
#define DL_REPORTS_FONT_SUBSET_H

#include <stddef.h>

#include "alloc.h"
#include "arena.h"
#include "diag.h"

/*
 * Most code points one subset maps. Its character map (one format 4 subtable, which libharu requires)
 * must stay under 64 KiB; with at most this many code points it does even in the worst case (one
 * segment of 8 bytes per code point).
 */
#define DL__FONT_SUBSET_MAX 8000u

/*
 * Builds the subset of the font in font[0..size) (a .ttf, or a .ttc of which face `face` is used;
 * face must be 0 for a .ttf) for the code points cps[0..ncps), which must be strictly ascending and
 * at most DL__FONT_SUBSET_MAX. Code points above U+FFFE and code points the font does not map are
 * left out of the subset's character map, so they show .notdef, as they would with the whole font.
 *
 * The font's character map is read from the platform 3 encoding 1 format 4 subtable (the one libharu
 * uses), else another Unicode format 4 subtable, else a format 12 one. Every offset and length in the
 * font is checked before it is read: a damaged or unsupported font is an error, never a read outside
 * font[0..size). The result is deterministic: the same font and code points give the same bytes.
 *
 * Returns 0 with *out and *out_len set (Caller owns the result; free with dl__free()), or
 * DL_EINVALID when the font cannot be read (the message says what is wrong, without the file
 * name) or there are too many code points, or DL_ENOMEM. *out is set only on success.
 */
int dl__font_subset(const unsigned char *font, size_t size, unsigned face, const unsigned long *cps,
		    size_t ncps, unsigned char **out, size_t *out_len, dl_error *err);

/*
 * Which of the code points cps[0..ncps) (strictly ascending) the font in font[0..size) (face `face`)
 * maps to no glyph: absent[i] is set to 1 for each such cps[i], 0 for the others, and the number of
 * them is stored in *nabsent. Code points below U+0020 (controls, never drawn) count as mapped; code
 * points beyond the BMP count as absent (libharu draws only the BMP). The font is read as for
 * dl__font_subset. Returns 0, or DL_EINVALID when the font cannot be read (the message says what
 * is wrong, without the file name).
 */
int dl__font_absent(const unsigned char *font, size_t size, unsigned face, const unsigned long *cps,
		    size_t ncps, unsigned char *absent, size_t *nabsent, dl_error *err);

#endif
