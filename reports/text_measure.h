/*
 * text_measure.h: UTF-8 decoding, the layout's text metric, and Chinese line breaking.
 *
 * The metric is deterministic and needs neither libharu nor a font file: CJK and every other non-ASCII
 * character is 1 em wide, printable ASCII uses a table holding, per character, the largest advance
 * width among the supported fonts (see reports/tools/measure_widths.c). So a measured line is never
 * narrower than the rendered one, and the text dump and the PDF share every line and page break.
 */
#ifndef DL_REPORTS_TEXT_MEASURE_H
#define DL_REPORTS_TEXT_MEASURE_H

#include <stddef.h>

/* The replacement character returned for malformed UTF-8. */
#define DL__UTF8_BAD 0xFFFDul

/*
 * Decodes the code point at s[*pos] (s holds len bytes, *pos < len) and advances *pos past it. A
 * malformed sequence (truncated, overlong, surrogate, above U+10FFFF) yields DL__UTF8_BAD and advances
 * one byte, so the loop always makes progress.
 */
unsigned long dl__utf8_next(const char *s, size_t len, size_t *pos);

/*
 * Returns 1 when s[0..len) is well-formed UTF-8; otherwise 0, with *bad_at (may be NULL) set to the
 * byte offset of the first malformed sequence.
 */
int dl__utf8_valid(const char *s, size_t len, size_t *bad_at);

/* Advance width of a code point in 1/1000 em under the layout metric (control characters: 0). */
unsigned dl__char_advance(unsigned long cp);

/* Width in points of s[0..len) set at size points. */
double dl__text_width(const char *s, size_t len, double size);

/*
 * Line-breaking rules (GB/T 15834 practice and the W3C clreq 禁则):
 * - no line starts with closing punctuation (，。、；：？！）」』》】 etc., and their ASCII forms);
 * - no line ends with opening punctuation (（「『《【“‘ etc.);
 * - a break is allowed between any two CJK characters, and after spaces;
 * - a run of Latin letters and digits (a word, a number, "5G", "CAD") is not split, unless it alone is
 *   wider than the line;
 * - ——, …… are not split;
 * - "/" does not begin a line, "±" does not end one;
 * - a digit and a Han character written together ("附件2", "2024年") are not split;
 * - a note in brackets of at most 12 Han characters ("（综合集成服务商）") is not split when it fits
 *   on a line.
 */

/* 1 when a line may break between code points `before` and `after`, else 0. */
int dl__can_break(unsigned long before, unsigned long after);

/*
 * An iterator that cuts a UTF-8 text into lines, each as wide as the caller asks (so a first line can be
 * indented). '\n' forces a break. Spaces at a soft break are dropped. An empty text yields one empty
 * line. Lines are byte ranges into the text; nothing is allocated.
 */
typedef struct dl__wrap {
	const char *s;
	size_t len;
	size_t pos;  /* where the next line starts */
	int soft;    /* the previous break was soft: skip leading spaces */
	int started; /* at least one line was returned */
} dl__wrap;

/* Starts iterating over s[0..len). */
void dl__wrap_init(dl__wrap *w, const char *s, size_t len);

/*
 * Produces the next line for a line of `width` points at font `size`: sets [*start, *end) and returns 1,
 * or returns 0 when the text is exhausted. Always makes progress: a line holds at least one character
 * even if that character alone is wider than `width`.
 */
int dl__wrap_next(dl__wrap *w, double size, double width, size_t *start, size_t *end);

/*
 * Width in points at `size` of the widest piece of s[0..len) that no line may break under the rules
 * above (a word, a number with the character it is written against, a short note in brackets).
 */
double dl__widest_unit(const char *s, size_t len, double size);

/* Number of lines dl__wrap_next() produces for s[0..len) at this size and width. */
size_t dl__wrap_count(const char *s, size_t len, double size, double width);

#endif
