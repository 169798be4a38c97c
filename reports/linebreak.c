/*
 * linebreak.c: where a line of Chinese (and mixed Latin) text may break, and a greedy line filler.
 *
 * Why its own file: the 禁则 rules are the part of the layout most likely to need a fix, and they are
 * tested directly (tests/unit/test_layout.c) without any page or PDF around them. The filler uses the
 * deterministic metric of textmetrics.c, so both back ends see the same lines.
 *
 * Method: greedy filling. Characters are added while they fit; at the first one that does not, the line
 * is cut at the last break opportunity before it (pushing a forbidden line-start or line-end character
 * to the next line together with its neighbour). Without any opportunity, the line is cut before the
 * overflowing character (a forced break, only for a word wider than the line).
 */
#include "text_measure.h"

#include <math.h>

/* Characters that must not begin a line: closing punctuation, stops, connectors, units. */
static int dl__no_line_start(unsigned long cp)
{
	switch (cp) {
	case '!': case ')': case ',': case '.': case ':': case ';': case '?': case ']': case '}': case '%':
	case '/': /* "a / b": the divisor's slash stays at the end of the line */
	case 0x00B0: /* ° */
	case 0x00B7: /* · */
	case 0x2013: /* – */
	case 0x2019: /* ’ */
	case 0x201D: /* ” */
	case 0x2030: /* ‰ */
	case 0x2103: /* ℃ */
	case 0x3001: /* 、 */
	case 0x3002: /* 。 */
	case 0x3009: /* 〉 */
	case 0x300B: /* 》 */
	case 0x300D: /* 」 */
	case 0x300F: /* 』 */
	case 0x3011: /* 】 */
	case 0x3015: /* 〕 */
	case 0x3017: /* 〗 */
	case 0x3019: /* 〙 */
	case 0x301B: /* 〛 */
	case 0x301C: /* 〜 */
	case 0x301E: /* 〞 */
	case 0x301F: /* 〟 */
	case 0x30FB: /* ・ */
	case 0xFE30: /* ︰ */
	case 0xFF01: /* ！ */
	case 0xFF05: /* ％ */
	case 0xFF09: /* ） */
	case 0xFF0C: /* ， */
	case 0xFF0D: /* － */
	case 0xFF0E: /* ． */
	case 0xFF1A: /* ： */
	case 0xFF1B: /* ； */
	case 0xFF1F: /* ？ */
	case 0xFF3D: /* ］ */
	case 0xFF5D: /* ｝ */
	case 0xFF5E: /* ～ */
	case 0xFF60: /* ｠ */
	case 0xFF61: /* ｡ */
	case 0xFF63: /* ｣ */
	case 0xFF64: /* ､ */
		return 1;
	default:
		return 0;
	}
}

/* Characters that must not end a line: opening punctuation. */
static int dl__no_line_end(unsigned long cp)
{
	switch (cp) {
	case '(': case '[': case '{':
	case 0x00B1: /* ± stays with the number after it */
	case 0x2018: /* ‘ */
	case 0x201C: /* “ */
	case 0x3008: /* 〈 */
	case 0x300A: /* 《 */
	case 0x300C: /* 「 */
	case 0x300E: /* 『 */
	case 0x3010: /* 【 */
	case 0x3014: /* 〔 */
	case 0x3016: /* 〖 */
	case 0x3018: /* 〘 */
	case 0x301A: /* 〚 */
	case 0x301D: /* 〝 */
	case 0xFF08: /* （ */
	case 0xFF3B: /* ［ */
	case 0xFF5B: /* ｛ */
	case 0xFF5F: /* ｟ */
	case 0xFF62: /* ｢ */
		return 1;
	default:
		return 0;
	}
}

/* Characters of alphabetic words and numbers, which break only at spaces: ASCII, Latin, Greek, Cyrillic. */
static int dl__word_char(unsigned long cp)
{
	return (cp > 0x20 && cp < 0x7F) || cp == 0xA0 || (cp >= 0xC0 && cp <= 0x24F) ||
	       (cp >= 0x370 && cp <= 0x52F);
}

/* A 括注 (parenthesised note) of at most this many characters between the brackets is not broken. */
#define DL__GROUP_MAX 12u

/*
 * When s[i] opens a parenthesis （ or ( whose closing bracket follows within DL__GROUP_MAX characters,
 * all of them Han characters, and the whole group is at most `limit` (1/1000 em) wide, returns
 * the offset just past the closing bracket; else i (a group wider than the line breaks as usual).
 * Organisation names end in such notes ("（综合集成服务商）", "（第三方评测机构）"), and a note cut in
 * two reads as two words.
 */
static size_t dl__group_end(const char *s, size_t len, size_t i, unsigned long limit)
{
	size_t at = i, n = 0;
	unsigned long open = dl__utf8_next(s, len, &at), close, cp, width = dl__char_advance(open);

	if (open != 0xFF08 && open != '(')
		return i;
	close = open == '(' ? ')' : 0xFF09;
	while (at < len && n <= DL__GROUP_MAX) {
		cp = dl__utf8_next(s, len, &at);
		width += dl__char_advance(cp);
		if (cp == close)
			return width <= limit ? at : i;
		if (cp < 0x3400 || cp > 0x9FFF)
			return i; /* only a note of Han characters: "（总分 56.875 分）" breaks as usual */
		n++;
	}
	return i;
}

int dl__can_break(unsigned long before, unsigned long after)
{
	if (after == ' ')
		return 0; /* break after a run of spaces, never inside it */
	if (dl__no_line_start(after) || dl__no_line_end(before))
		return 0;
	if (before == after && (before == 0x2014 || before == 0x2026))
		return 0; /* —— and …… stay together */
	if (before == ' ')
		return 1;
	if (dl__word_char(before) && dl__word_char(after))
		return 0;
	if ((before >= '0' && before <= '9' && after >= 0x4E00 && after <= 0x9FFF) ||
	    (after >= '0' && after <= '9' && before >= 0x4E00 && before <= 0x9FFF))
		return 0; /* "附件2", "2024年": a number stays with the character it is written against */
	return 1;
}

void dl__wrap_init(dl__wrap *w, const char *s, size_t len)
{
	w->s = s;
	w->len = len;
	w->pos = 0;
	w->soft = 0;
	w->started = 0;
}

/* End of a line that would end at `end`, without its trailing spaces. */
static size_t dl__trim_end(const char *s, size_t start, size_t end)
{
	while (end > start && s[end - 1] == ' ')
		end--;
	return end;
}

int dl__wrap_next(dl__wrap *w, double size, double width, size_t *start, size_t *end)
{
	size_t line_start, i, next, brk = 0, group = 0;
	unsigned long cp, prev = 0, acc = 0, limit;
	unsigned adv;
	double units;

	if (w->pos >= w->len) {
		if (w->started)
			return 0;
		w->started = 1; /* an empty text is one empty line */
		*start = *end = w->len;
		return 1;
	}
	line_start = w->pos;
	if (w->soft) {
		while (line_start < w->len && w->s[line_start] == ' ')
			line_start++;
		if (line_start >= w->len) {
			w->pos = line_start;
			return 0;
		}
	}
	/* The line width in 1/1000 em, rounded down: integer comparisons keep the result exact. */
	units = size > 0.0 ? floor(width * 1000.0 / size + 1e-6) : 0.0;
	limit = units > 0.0 ? (units < 4.0e9 ? (unsigned long)units : 4000000000ul) : 0;
	w->started = 1;
	for (i = line_start; i < w->len; i = next) {
		next = i;
		cp = dl__utf8_next(w->s, w->len, &next);
		if (cp == '\n') {
			*start = line_start;
			*end = dl__trim_end(w->s, line_start, i);
			w->pos = next;
			w->soft = 0;
			return 1;
		}
		if (i > line_start && i >= group && dl__can_break(prev, cp))
			brk = i;
		if (i >= group)
			group = dl__group_end(w->s, w->len, i, limit);
		adv = dl__char_advance(cp);
		if (cp != ' ' && i > line_start && acc + adv > limit) {
			size_t cut = brk > line_start ? brk : i;
			*start = line_start;
			*end = dl__trim_end(w->s, line_start, cut);
			w->pos = cut;
			w->soft = 1;
			return 1;
		}
		acc += adv;
		prev = cp;
	}
	*start = line_start;
	*end = dl__trim_end(w->s, line_start, w->len);
	w->pos = w->len;
	return 1;
}

size_t dl__wrap_count(const char *s, size_t len, double size, double width)
{
	dl__wrap w;
	size_t a, b, n = 0;

	dl__wrap_init(&w, s, len);
	while (dl__wrap_next(&w, size, width, &a, &b))
		n++;
	return n;
}

double dl__widest_unit(const char *s, size_t len, double size)
{
	size_t i, next, group = 0;
	unsigned long cp, prev = 0, acc = 0, most = 0;

	for (i = 0; i < len; i = next) {
		next = i;
		cp = dl__utf8_next(s, len, &next);
		if (cp == '\n' || cp == ' ' ||
		    (i > 0 && i >= group && prev != ' ' && prev != '\n' && dl__can_break(prev, cp))) {
			if (acc > most)
				most = acc;
			acc = 0;
		}
		if (i >= group)
			group = dl__group_end(s, len, i, ~0ul);
		if (cp != '\n' && cp != ' ')
			acc += dl__char_advance(cp);
		prev = cp;
	}
	if (acc > most)
		most = acc;
	return (double)most * size / 1000.0;
}
