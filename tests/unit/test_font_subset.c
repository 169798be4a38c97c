/*
 * test_font_subset.c: unit tests of the TrueType subsetter (reports/font_subset.c) and of its use by
 * the PDF back end.
 *
 * The subsets are read back with a small parser of this file's own (not the subsetter's), and every
 * glyph is compared with the original font's:
 * - a hand-built 7-glyph font with simple, composite and nested composite glyphs, a short loca, fewer
 *   long metrics than glyphs, and a format 4 or only a format 12 character map: exact glyph order,
 *   rewritten component ids, metrics, and the cmap for every BMP code point;
 * - the installed CJK fonts (WenQuanYi Zen Hei, AR PL UMing; skipped when absent): a set of report
 *   characters, including composite glyphs, one whose components are composite, a character beyond
 *   the BMP and characters the font lacks;
 * - every truncation and many corruptions of a font: an error or a subset, never a read outside the
 *   buffer (each input sits in a buffer of its exact size, so ASan and valgrind see any overread);
 * - every allocation failing in turn; the byte-for-byte determinism;
 * - the PDF: a subset is embedded (small /Length1), a document with more different characters than a
 *   subset holds falls back to the whole font, pdftotext finds √ × ★ and the Chinese text;
 * - a font without a glyph the document needs (the hand-built one; DejaVu Sans when installed) is
 *   refused, naming the first such character, instead of drawing empty boxes.
 * Checks as tests/unit/test_util.h says ("skip - ..." for a font or tool not installed). Run from
 * the repository root.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "font_subset.h"
#include "layout.h"
#include "font_file.h"

#include "test_util.h"

static const char *const FONTS[] = {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
				    "/usr/share/fonts/truetype/arphic/uming.ttc"};

/* ---- an independent reader for checking (the fonts here are well-formed) ---- */

static unsigned g16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t g32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void p16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void p32(unsigned char *p, uint32_t v)
{
	p16(p, (unsigned)(v >> 16));
	p16(p + 2, (unsigned)(v & 0xFFFFu));
}

typedef struct tfont {
	const unsigned char *d;
	size_t size, dir;
	const unsigned char *head, *hhea, *maxp, *hmtx, *loca, *glyf, *cmap;
} tfont;

static const unsigned char *ttable(const tfont *f, const char *tag, size_t *len)
{
	unsigned n = g16(f->d + f->dir + 4), i;

	for (i = 0; i < n; i++) {
		const unsigned char *r = f->d + f->dir + 12 + 16 * i;
		if (memcmp(r, tag, 4) == 0) {
			if (len)
				*len = g32(r + 12);
			return f->d + g32(r + 8);
		}
	}
	return NULL;
}

static int topen(tfont *f, const unsigned char *d, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->d = d;
	f->size = size;
	f->dir = memcmp(d, "ttcf", 4) == 0 ? g32(d + 12) : 0;
	f->head = ttable(f, "head", NULL);
	f->hhea = ttable(f, "hhea", NULL);
	f->maxp = ttable(f, "maxp", NULL);
	f->hmtx = ttable(f, "hmtx", NULL);
	f->loca = ttable(f, "loca", NULL);
	f->glyf = ttable(f, "glyf", NULL);
	f->cmap = ttable(f, "cmap", NULL);
	return f->head && f->hhea && f->maxp && f->hmtx && f->loca && f->glyf && f->cmap ? 0 : -1;
}

static unsigned tnglyphs(const tfont *f)
{
	return g16(f->maxp + 4);
}

/* The glyph of cp by the 3/1 format 4 subtable (or 3/10 format 12 if that is all there is). */
static unsigned tlookup(const tfont *f, unsigned long cp)
{
	unsigned n = g16(f->cmap + 2), i;

	for (i = 0; i < n; i++) {
		const unsigned char *r = f->cmap + 4 + 8 * i, *s = f->cmap + g32(r + 4);
		if (g16(r) == 3 && g16(r + 2) == 1 && g16(s) == 4 && cp <= 0xFFFF) {
			unsigned segs = g16(s + 6) / 2, k;
			for (k = 0; k < segs; k++) {
				unsigned end = g16(s + 14 + 2 * k), start = g16(s + 16 + 2 * segs + 2 * k);
				unsigned delta = g16(s + 16 + 4 * segs + 2 * k), ro = g16(s + 16 + 6 * segs + 2 * k);
				unsigned g;
				if (cp > end)
					continue;
				if (cp < start)
					return 0;
				if (ro == 0)
					return (unsigned)((cp + delta) & 0xFFFF);
				g = g16(s + 16 + 6 * segs + 2 * k + ro + 2 * (cp - start));
				return g ? (g + delta) & 0xFFFF : 0;
			}
			return 0;
		}
		if (g16(r) == 3 && g16(r + 2) == 10 && g16(s) == 12) {
			uint32_t ng = g32(s + 12), k;
			for (k = 0; k < ng; k++) {
				const unsigned char *grp = s + 16 + 12 * k;
				if (cp >= g32(grp) && cp <= g32(grp + 4))
					return (unsigned)(g32(grp + 8) + (cp - g32(grp)));
			}
			return 0;
		}
	}
	return 0;
}

static void tglyph(const tfont *f, unsigned g, const unsigned char **p, size_t *len)
{
	size_t a, b;

	if (g16(f->head + 50)) {
		a = g32(f->loca + 4 * g);
		b = g32(f->loca + 4 * g + 4);
	} else {
		a = 2u * g16(f->loca + 2 * g);
		b = 2u * g16(f->loca + 2 * g + 2);
	}
	*p = f->glyf + a;
	*len = b - a;
}

/* Advance width and left side bearing of glyph g. */
static void tmetric(const tfont *f, unsigned g, unsigned *adv, unsigned *lsb)
{
	unsigned nm = g16(f->hhea + 34);

	if (g < nm) {
		*adv = g16(f->hmtx + 4 * g);
		*lsb = g16(f->hmtx + 4 * g + 2);
	} else {
		*adv = g16(f->hmtx + 4 * (nm - 1));
		*lsb = g16(f->hmtx + 4 * nm + 2 * (g - nm));
	}
}

/* Offsets of the component glyph indices of a composite glyph; returns how many (max 16). */
static size_t tcomponents(const unsigned char *g, size_t len, size_t *at)
{
	size_t pos = 10, n = 0;
	unsigned flags;

	if (len < 10 || g16(g) < 0x8000u)
		return 0;
	do {
		flags = g16(g + pos);
		if (n < 16)
			at[n++] = pos + 2;
		pos += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
	} while ((flags & 0x20) && pos < len);
	return n;
}

/*
 * 1 when subset glyph gs of s is original glyph go of o: same metrics, same bytes (the subset's
 * padded with zeros to 4 bytes), except component indices, whose glyphs must match in turn.
 */
static int same_glyph(const tfont *o, unsigned go, const tfont *s, unsigned gs, int depth)
{
	const unsigned char *a, *b;
	size_t la, lb, ca[16], cb[16], na, nb, i, k;
	unsigned aa, al, ba, bl;

	if (depth > 8 || gs >= tnglyphs(s))
		return 0;
	tmetric(o, go, &aa, &al);
	tmetric(s, gs, &ba, &bl);
	if (aa != ba || al != bl)
		return 0;
	tglyph(o, go, &a, &la);
	tglyph(s, gs, &b, &lb);
	if (lb != ((la + 3) & ~(size_t)3))
		return 0;
	for (k = la; k < lb; k++)
		if (b[k] != 0)
			return 0;
	na = tcomponents(a, la, ca);
	nb = tcomponents(b, lb, cb);
	if (na != nb)
		return 0;
	for (k = 0; k < la; k++) {
		int in_index = 0;
		for (i = 0; i < na; i++)
			in_index |= k == ca[i] || k == ca[i] + 1;
		if (!in_index && a[k] != b[k])
			return 0;
	}
	for (i = 0; i < na; i++)
		if (!same_glyph(o, g16(a + ca[i]), s, g16(b + cb[i]), depth + 1))
			return 0;
	return 1;
}

/* The table directory is sorted, aligned, inside the file, with right checksums and adjustment. */
static int well_formed(const unsigned char *d, size_t size)
{
	unsigned n = g16(d + 4), i;
	uint32_t total = 0;
	size_t k;

	if (size % 4 != 0 || g32(d) != 0x00010000u || 12 + 16 * (size_t)n > size)
		return 0;
	for (i = 0; i < n; i++) {
		const unsigned char *r = d + 12 + 16 * i;
		uint32_t off = g32(r + 8), len = g32(r + 12), sum = 0;
		if (i > 0 && memcmp(r - 16, r, 4) >= 0)
			return 0;
		if (off % 4 != 0 || off > size || len > size - off || ((len + 3) & ~3u) > size - off)
			return 0;
		for (k = 0; k < len; k += 4)
			sum += g32(d + off + k);
		if (memcmp(r, "head", 4) == 0)
			sum -= g32(d + off + 8);
		if (sum != g32(r + 4))
			return 0;
	}
	for (k = 0; k < size; k += 4)
		total += g32(d + k);
	return total == 0xB1B0AFBAu;
}

/* The subset's numbers agree with each other: maxp, hhea, loca, one 3/1 format 4 subtable. */
static int consistent(const tfont *s)
{
	size_t loca_len = 0, hmtx_len = 0;
	unsigned n = tnglyphs(s);

	ttable(s, "loca", &loca_len);
	ttable(s, "hmtx", &hmtx_len);
	return g16(s->head + 50) == 1 && g16(s->hhea + 34) == n && loca_len == 4 * ((size_t)n + 1) &&
	       hmtx_len == 4 * (size_t)n && g16(s->cmap + 2) == 1 && g16(s->cmap + 4) == 3 &&
	       g16(s->cmap + 6) == 1 && g16(s->cmap + g32(s->cmap + 8)) == 4 && g32(s->loca) == 0;
}

/* ---- a hand-built font ---- */

/*
 * Seven glyphs: 0 .notdef, 1 'A', 2 'Á' = A + acute (words, a scale), 3 acute, 4 'ǖ' = Á + acute (an
 * x/y scale, a 2x2), 5 space (empty), 6 unused. Short loca, 3 long metrics. cmap: format 4 (3/1)
 * with U+0020 -> 5 and U+0041 -> 1 by idDelta, U+00C1 -> 2 by glyphIdArray, U+01D6 -> 4; or, with
 * only_f12, a single 3/10 format 12 subtable mapping the same.
 */
static size_t build_tiny(unsigned char *d, int only_f12)
{
	static const unsigned char simple_a[14] = {0, 1, 0, 0, 0, 0, 0, 50, 0, 60, 0, 3, 0, 0};
	static const unsigned char acute[12] = {0, 1, 0, 5, 0, 40, 0, 20, 0, 70, 0, 2};
	static const unsigned char notdef[10] = {0, 0, 0, 0, 0, 0, 0, 9, 0, 9};
	static const unsigned char unused[10] = {0, 0, 0, 1, 0, 2, 0, 3, 0, 4};
	static const unsigned char comp_aacute[26] = {
	    0xFF, 0xFF, 0, 0, 0, 0, 0, 50, 0, 70,                           /* header */
	    0x00, 0x21, 0, 1, 0, 0, 0, 0,    /* A: ARG_1_AND_2_ARE_WORDS | MORE_COMPONENTS */
	    0x00, 0x08, 0, 3, 5, 6, 0x40, 0, /* acute: byte args, WE_HAVE_A_SCALE */
	};
	static const unsigned char comp_nested[34] = {
	    0xFF, 0xFF, 0, 0, 0, 0, 0, 50, 0, 80,                  /* header */
	    0x00, 0x60, 0, 2, 1, 2, 0x40, 0, 0x40, 0,              /* Á: x/y scale, more */
	    0x00, 0x80, 0, 3, 3, 4, 0x40, 0, 0, 0, 0, 0, 0x40, 0, /* acute: 2x2 */
	};
	struct {
		const unsigned char *p;
		size_t len;
	} glyphs[7] = {{notdef, 10},  {simple_a, 14},    {comp_aacute, 26}, {acute, 12},
		       {comp_nested, 34}, {NULL, 0}, {unused, 10}};
	static const char *const tags[] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
					   "hmtx", "loca", "maxp", "name", "post", "prep"};
	unsigned char tab[13][256];
	size_t len[13], at = 12 + 16 * 13, i, k, pos;

	memset(tab, 0, sizeof(tab));
	memset(len, 0, sizeof(len));
	/* OS/2 */
	len[0] = 78;
	p16(tab[0], 1);
	p16(tab[0] + 8, 8);
	/* cmap */
	p16(tab[1] + 2, 1);
	if (!only_f12) {
		unsigned char *s = tab[1] + 12;
		static const unsigned short seg_end[] = {0x20, 0x41, 0xC1, 0x1D6, 0xFFFF};
		static const unsigned short seg_delta[] = {(unsigned short)(5 - 0x20), (unsigned short)(1 - 0x41),
							   0, (unsigned short)(4 - 0x1D6), 1};
		p16(tab[1] + 4, 3);
		p16(tab[1] + 6, 1);
		p32(tab[1] + 8, 12);
		p16(s, 4);
		p16(s + 2, 16 + 8 * 5 + 2);
		p16(s + 6, 10);
		p16(s + 8, 8);
		p16(s + 10, 2);
		p16(s + 12, 2);
		for (k = 0; k < 5; k++) {
			p16(s + 14 + 2 * k, seg_end[k]);
			p16(s + 16 + 10 + 2 * k, seg_end[k]);
			p16(s + 16 + 20 + 2 * k, seg_delta[k]);
		}
		p16(s + 16 + 30 + 2 * 2, 2 * (5 - 2)); /* segment 2 reads glyphIdArray[0] */
		p16(s + 16 + 40, 2);
		len[1] = 12 + 16 + 8 * 5 + 2;
	} else {
		unsigned char *s = tab[1] + 12;
		static const uint32_t grp[4][3] = {{0x20, 0x20, 5}, {0x41, 0x41, 1}, {0xC1, 0xC1, 2}, {0x1D6, 0x1D6, 4}};
		p16(tab[1] + 4, 3);
		p16(tab[1] + 6, 10);
		p32(tab[1] + 8, 12);
		p16(s, 12);
		p32(s + 4, 16 + 12 * 4);
		p32(s + 12, 4);
		for (k = 0; k < 4; k++) {
			p32(s + 16 + 12 * k, grp[k][0]);
			p32(s + 20 + 12 * k, grp[k][1]);
			p32(s + 24 + 12 * k, grp[k][2]);
		}
		len[1] = 12 + 16 + 12 * 4;
	}
	/* cvt, fpgm (odd length), glyf, head, hhea, hmtx, loca, maxp, name, post, prep */
	len[2] = 4;
	memcpy(tab[2], "\x00\x10\x00\x20", 4);
	len[3] = 3;
	memcpy(tab[3], "\xB0\x01\x2C", 3);
	for (i = 0, pos = 0; i < 7; i++) {
		p16(tab[8] + 2 * i, (unsigned)(pos / 2));
		if (glyphs[i].len)
			memcpy(tab[4] + pos, glyphs[i].p, glyphs[i].len);
		pos += glyphs[i].len;
	}
	p16(tab[8] + 14, (unsigned)(pos / 2));
	len[4] = pos;
	len[8] = 16;
	len[5] = 54;
	p32(tab[5], 0x00010000u);
	p32(tab[5] + 12, 0x5F0F3CF5u);
	p16(tab[5] + 18, 1000);
	len[6] = 36;
	p32(tab[6], 0x00010000u);
	p16(tab[6] + 34, 3);
	len[7] = 3 * 4 + 4 * 2;
	for (k = 0; k < 3; k++) {
		p16(tab[7] + 4 * k, (unsigned)(500 + 100 * k));
		p16(tab[7] + 4 * k + 2, (unsigned)(10 + k));
	}
	for (k = 0; k < 4; k++)
		p16(tab[7] + 12 + 2 * k, (unsigned)(20 + k));
	len[9] = 32;
	p32(tab[9], 0x00010000u);
	p16(tab[9] + 4, 7);
	len[10] = 6;
	len[11] = 32;
	p32(tab[11], 0x00020000u);
	len[12] = 5;
	memcpy(tab[12], "\xB1\x02\x03\x04\x05", 5);

	memset(d, 0, 4096);
	p32(d, 0x00010000u);
	p16(d + 4, 13);
	for (i = 0; i < 13; i++) {
		unsigned char *r = d + 12 + 16 * i;
		memcpy(r, tags[i], 4);
		p32(r + 8, (uint32_t)at);
		p32(r + 12, (uint32_t)len[i]);
		memcpy(d + at, tab[i], len[i]);
		at += (len[i] + 3) & ~(size_t)3;
	}
	return at;
}

/* Runs the subsetter on a copy of font in a buffer of exactly size bytes. */
static int subset_copy(const unsigned char *font, size_t size, const unsigned long *cps, size_t n,
		       unsigned char **out, size_t *out_len, dl_error *err)
{
	unsigned char *copy = malloc(size ? size : 1);
	int rc;

	if (copy == NULL)
		return -99;
	memcpy(copy, font, size);
	rc = dl__font_subset(copy, size, 0, cps, n, out, out_len, err);
	free(copy);
	return rc;
}

static void test_tiny(void)
{
	static const unsigned long cps[] = {0x20, 0x41, 0x42, 0xC1, 0x1D6, 0xFFFF, 0x1F600};
	static const unsigned long nested[] = {0x1D6};
	static const unsigned expect_old[] = {0, 5, 1, 2, 4, 3};
	unsigned char font[4096], font12[4096];
	size_t size = build_tiny(font, 0), size12 = build_tiny(font12, 1), len = 0, k;
	unsigned char *out = NULL, *out2 = NULL;
	const unsigned char *g;
	size_t glen, at[16];
	dl_error err;
	tfont o, s;
	int rc, ok;
	unsigned long cp;

	check(topen(&o, font, size) == 0 && tlookup(&o, 0xC1) == 2 && tlookup(&o, 0x1D6) == 4,
	      "the hand-built font reads back");
	rc = subset_copy(font, size, cps, sizeof(cps) / sizeof(cps[0]), &out, &len, &err);
	check(rc == 0 && out != NULL && well_formed(out, len),
	      "hand-built font: the subset is well-formed (sorted tags, aligned, checksums, adjustment)");
	if (rc != 0) {
		printf("# %s\n", err.message);
		return;
	}
	topen(&s, out, len);
	check(consistent(&s) && tnglyphs(&s) == 6, "hand-built font: 6 glyphs, long loca, one 3/1 format 4 map");
	ok = 1;
	for (k = 0; k < 6; k++)
		ok &= same_glyph(&o, expect_old[k], &s, (unsigned)k, 0);
	check(ok, "glyphs in order .notdef, then code point order, then components; bytes and metrics kept");
	tglyph(&s, 3, &g, &glen);
	check(tcomponents(g, glen, at) == 2 && g16(g + at[0]) == 2 && g16(g + at[1]) == 5,
	      "composite Á: component ids rewritten (A 1 -> 2, acute 3 -> 5)");
	tglyph(&s, 4, &g, &glen);
	check(tcomponents(g, glen, at) == 2 && g16(g + at[0]) == 3 && g16(g + at[1]) == 5,
	      "nested composite: component ids rewritten (Á 2 -> 3, acute 3 -> 5)");
	ok = 1;
	for (cp = 0; cp <= 0xFFFF; cp++) {
		unsigned want = cp == 0x20 ? 1 : cp == 0x41 ? 2 : cp == 0xC1 ? 3 : cp == 0x1D6 ? 4 : 0;
		ok &= tlookup(&s, cp) == want;
	}
	check(ok, "the subset maps exactly the code points asked for that the font has (not B, U+FFFF, U+1F600)");
	{
		size_t l1 = 0, l2 = 0, l3 = 0;
		const unsigned char *a = ttable(&s, "fpgm", &l1), *b = ttable(&s, "prep", &l2),
				    *c = ttable(&s, "post", &l3);
		check(a && l1 == 3 && memcmp(a, "\xB0\x01\x2C", 3) == 0 && b && l2 == 5 && c && l3 == 32 &&
			  g32(c) == 0x00030000u,
		      "fpgm and prep copied (odd lengths padded), post is version 3.0");
	}
	rc = subset_copy(font, size, cps, sizeof(cps) / sizeof(cps[0]), &out2, &len, &err);
	check(rc == 0 && memcmp(out, out2, len) == 0, "the same input gives the same bytes");
	dl__free(out2);
	dl__free(out);
	out = NULL;

	rc = subset_copy(font, size, nested, 1, &out, &len, &err);
	ok = rc == 0 && topen(&s, out, len) == 0 && tnglyphs(&s) == 5 && same_glyph(&o, 4, &s, 1, 0) &&
	     tlookup(&s, 0x1D6) == 1;
	check(ok, "components are included transitively (ǖ alone: ǖ, Á, acute, A)");
	dl__free(out);
	out = NULL;

	rc = subset_copy(font12, size12, cps, sizeof(cps) / sizeof(cps[0]), &out, &len, &err);
	ok = rc == 0 && topen(&s, out, len) == 0 && consistent(&s) && tnglyphs(&s) == 6 &&
	     tlookup(&s, 0xC1) == 3 && tlookup(&s, 0x1D6) == 4 && tlookup(&s, 0x42) == 0;
	check(ok, "a font with only a format 12 map is subset alike");
	dl__free(out);
	out = NULL;

	rc = subset_copy(font, size, NULL, 0, &out, &len, &err);
	ok = rc == 0 && topen(&s, out, len) == 0 && consistent(&s) && tnglyphs(&s) == 1 && well_formed(out, len);
	check(ok, "no code points: .notdef alone");
	dl__free(out);
}

/* Every truncation and many one-byte corruptions: 0 or DL_EINVALID, never a bad read. */
static int hostile(const unsigned char *font, size_t size, const unsigned long *cps, size_t n, size_t step)
{
	unsigned char *copy = malloc(size), *out = NULL;
	static const unsigned char values[] = {0x00, 0xFF, 0x80, 0x7F, 0x01};
	size_t len, i, v;
	dl_error err;
	int rc, ok = 1;
	uint32_t seed = 12345;

	if (copy == NULL)
		return 0;
	for (i = 0; i < size && ok; i += i < 1024 ? 1 : step) {
		rc = subset_copy(font, i, cps, n, &out, &len, &err);
		if (rc == 0)
			dl__free(out);
		else if (rc != DL_EINVALID)
			ok = 0;
	}
	for (i = 0; i < size && ok; i += i < 1024 ? 1 : step) {
		for (v = 0; v < sizeof(values) && ok; v++) {
			memcpy(copy, font, size);
			copy[i] = values[v];
			rc = dl__font_subset(copy, size, 0, cps, n, &out, &len, &err);
			if (rc == 0)
				dl__free(out);
			else if (rc != DL_EINVALID)
				ok = 0;
		}
	}
	for (i = 0; i < (step == 1 ? 2000u : 500u) && ok; i++) { /* a few bytes at random */
		size_t k;
		memcpy(copy, font, size);
		for (k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % size] = (unsigned char)(seed >> 24);
		}
		rc = dl__font_subset(copy, size, 0, cps, n, &out, &len, &err);
		if (rc == 0)
			dl__free(out);
		else if (rc != DL_EINVALID)
			ok = 0;
	}
	free(copy);
	return ok;
}

static void test_hostile_tiny(void)
{
	static const unsigned long cps[] = {0x20, 0x41, 0xC1, 0x1D6};
	unsigned char font[4096];
	size_t size = build_tiny(font, 0), len = 0;
	unsigned char *out = NULL;
	dl_error err;
	int rc;

	check(hostile(font, size, cps, 4, 1), "hand-built font: every truncation and corruption is refused or "
					      "subset, without reading outside the buffer");
	build_tiny(font, 1);
	check(hostile(font, size, cps, 4, 1), "the same with a format 12 map");
	build_tiny(font, 0);
	/* Á (at 24 in glyf): its second component's index (after the header, the first component and
	   the flags) -> glyph 7, of 7 */
	p16(font + g32(font + 12 + 16 * 4 + 8) + 24 + 10 + 8 + 2, 7);
	rc = subset_copy(font, size, cps, 4, &out, &len, &err);
	check(rc == DL_EINVALID && strstr(err.message, "beyond") != NULL,
	      "a component beyond numGlyphs is an error");
	dl__free(out); /* only if the check failed */
	out = NULL;
	build_tiny(font, 0);
	/* loca[3] 25 -> 24 (in words): Á ends 2 bytes early, inside its second component record */
	p16(font + g32(font + 12 + 16 * 8 + 8) + 6, 24);
	rc = subset_copy(font, size, cps, 4, &out, &len, &err);
	check(rc == DL_EINVALID && strstr(err.message, "truncated") != NULL,
	      "a component record running past its glyph's end is an error");
	dl__free(out); /* only if the check failed */
	out = NULL;
	build_tiny(font, 0);
	rc = subset_copy(font, size - 40, cps, 4, &out, &len, &err);
	check(rc == DL_EINVALID && strstr(err.message, "outside the file") != NULL && out == NULL,
	      "a truncated font is an error naming what is missing");
	dl__free(out); /* only if the check failed */
	out = NULL;
	rc = subset_copy((const unsigned char *)"OTTO\0\0\0\0\0\0\0\0", 12, cps, 4, &out, &len, &err);
	check(rc == DL_EINVALID && out == NULL, "a CFF font is refused");
	dl__free(out); /* only if the check failed */
	out = NULL;
}

static void test_limits_and_memory(void)
{
	static const unsigned long cps[] = {0x20, 0x41, 0xC1, 0x1D6};
	unsigned long *many = malloc((DL__FONT_SUBSET_MAX + 1) * sizeof(*many));
	unsigned char font[4096], *out = NULL;
	size_t size = build_tiny(font, 0), len = 0, k;
	dl_error err;
	long n;
	int rc, clean = 1;

	if (many != NULL) {
		for (k = 0; k <= DL__FONT_SUBSET_MAX; k++)
			many[k] = 0x4E00 + k;
		rc = subset_copy(font, size, many, DL__FONT_SUBSET_MAX + 1, &out, &len, &err);
		check(rc == DL_EINVALID && out == NULL, "more code points than a subset holds is refused");
		rc = subset_copy(font, size, many, DL__FONT_SUBSET_MAX, &out, &len, &err);
		check(rc == 0, "DL__FONT_SUBSET_MAX code points are accepted");
		dl__free(out);
		out = NULL;
		free(many);
	}
	for (n = 0; n < 100; n++) {
		dl__alloc_fail_after(n);
		rc = dl__font_subset(font, size, 0, cps, 4, &out, &len, &err);
		dl__alloc_fail_after(-1);
		if (rc == 0) {
			dl__free(out);
			break;
		}
		if (rc != DL_ENOMEM || out != NULL)
			clean = 0;
	}
	check(clean && n > 0 && n < 100, "every allocation failure gives DL_ENOMEM and no output");
	{
		dl__font_file ff;
		char path[] = "/tmp/dl_test_subset_XXXXXX";
		int fd = mkstemp(path);
		rc = dl__font_map("/nonexistent/font.ttc", &ff, &err);
		check(rc == DL_EIO && ff.data == NULL && strstr(err.message, "/nonexistent/font.ttc") != NULL,
		      "mapping a missing font is an I/O error naming it");
		if (fd >= 0) {
			rc = dl__font_map(path, &ff, &err);
			check(rc == DL_EINVALID && strstr(err.message, "empty") != NULL, "an empty font file is refused");
			close(fd);
			unlink(path);
		}
	}
}

/* ---- the installed fonts ---- */

/* UTF-8 text to the ascending list of its code points. */
static size_t code_points(const char *s, unsigned long *out, size_t max)
{
	static unsigned char seen[0x110000 / 8];
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	unsigned long cp;

	memset(seen, 0, sizeof(seen));
	while (*p) {
		if (*p < 0x80) {
			cp = *p++;
		} else if (*p < 0xE0) {
			cp = (unsigned long)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if (*p < 0xF0) {
			cp = (unsigned long)(p[0] & 0x0F) << 12 | (unsigned long)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		} else {
			cp = (unsigned long)(p[0] & 0x07) << 18 | (unsigned long)(p[1] & 0x3F) << 12 |
			     (unsigned long)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			p += 4;
		}
		seen[cp / 8] |= (unsigned char)(1u << (cp % 8));
	}
	for (cp = 0; cp < 0x110000 && n < max; cp++)
		if (seen[cp / 8] & (1u << (cp % 8)))
			out[n++] = cp;
	return n;
}

/* Number of glyphs the subset should hold: .notdef, the mapped glyphs and their components. */
static unsigned expected_glyphs(const tfont *o, const unsigned long *cps, size_t n)
{
	unsigned ng = tnglyphs(o), count = 1, *list = malloc(ng * sizeof(*list)), k;
	unsigned char *in = calloc(ng, 1);
	size_t i, c, at[16];

	if (list == NULL || in == NULL) {
		free(list);
		free(in);
		return 0;
	}
	list[0] = 0;
	in[0] = 1;
	for (i = 0; i < n; i++) {
		unsigned g = cps[i] < 0xFFFF ? tlookup(o, cps[i]) : 0;
		if (g != 0 && !in[g]) {
			in[g] = 1;
			list[count++] = g;
		}
	}
	for (k = 0; k < count; k++) {
		const unsigned char *g;
		size_t len;
		tglyph(o, list[k], &g, &len);
		c = tcomponents(g, len, at);
		for (i = 0; i < c; i++) {
			unsigned cg = g16(g + at[i]);
			if (!in[cg]) {
				in[cg] = 1;
				list[count++] = cg;
			}
		}
	}
	free(list);
	free(in);
	return count;
}

static void test_installed(const char *path)
{
	/* report characters, composites of both fonts (ǖ and ∷ have composite components), a character
	   beyond the BMP, and some the fonts lack */
	static const char text[] = "数字化诊断报告 企业名称：宁夏红寺堡某某食品加工有限公司（综合集成服务商）"
				   "第 1 页 共 12 页 0123456789 ABCXYZ abcxyz 85.5% √ × ★ → — “” …… ·"
				   "À Á ǖ ∷ ≯ ‖ ‐ ① 𠮷 \xEE\x80\x80 \xEF\xBF\xBE";
	unsigned long cps[256];
	size_t n = code_points(text, cps, 256), len = 0, k;
	dl__font_file ff;
	dl_error err;
	unsigned char *out = NULL, *out2 = NULL, *sub_copy;
	tfont o, s;
	char name[256];
	const char *base = strrchr(path, '/') + 1;
	int rc, ok, composites = 0, nested = 0;
	unsigned long cp;

	if (access(path, R_OK) != 0) {
		skip("%s not installed", base);
		return;
	}
	if (dl__font_map(path, &ff, &err) < 0) {
		check(0, "%s", err.message);
		return;
	}
	topen(&o, ff.data, ff.size);
	rc = dl__font_subset(ff.data, ff.size, 0, cps, n, &out, &len, &err);
	snprintf(name, sizeof(name), "%s: the subset is well-formed (%zu bytes)", base, len);
	check(rc == 0 && well_formed(out, len), "%s", name);
	if (rc != 0) {
		printf("# %s\n", err.message);
		dl__font_unmap(&ff);
		return;
	}
	topen(&s, out, len);
	snprintf(name, sizeof(name), "%s: numGlyphs %u = .notdef + the characters' glyphs + components", base,
		 tnglyphs(&s));
	check(consistent(&s) && tnglyphs(&s) == expected_glyphs(&o, cps, n), "%s", name);
	ok = 1;
	for (k = 0; k < n; k++) {
		unsigned go = cps[k] < 0xFFFF ? tlookup(&o, cps[k]) : 0, gs = tlookup(&s, cps[k]);
		const unsigned char *g;
		size_t glen, at[16], c, i;
		if ((go == 0) != (gs == 0) || !same_glyph(&o, go, &s, gs, 0)) {
			printf("# U+%04lX: glyph %u -> %u differs\n", cps[k], go, gs);
			ok = 0;
		}
		tglyph(&o, go, &g, &glen);
		if ((c = tcomponents(g, glen, at)) > 0) {
			composites++;
			for (i = 0; i < c; i++) {
				const unsigned char *cg;
				size_t cl, cat[16];
				tglyph(&o, g16(g + at[i]), &cg, &cl);
				nested += tcomponents(cg, cl, cat) > 0;
			}
		}
	}
	snprintf(name, sizeof(name),
		 "%s: every character maps to a glyph with the original's outline and metrics "
		 "(%d composites, %d nested components)",
		 base, composites, nested);
	check(ok && composites > 0 && nested > 0, "%s", name);
	ok = 1;
	for (cp = 0; cp <= 0xFFFF; cp++) {
		int asked = 0;
		for (k = 0; k < n && !asked; k++)
			asked = cps[k] == cp;
		if (!asked && tlookup(&s, cp) != 0)
			ok = 0;
	}
	snprintf(name, sizeof(name), "%s: no other code point is mapped (nor U+FFFE, U+20BB7)", base);
	check(ok && tlookup(&s, 0xFFFE) == 0 && tlookup(&s, 0x20BB7) == 0, "%s", name);
	{
		size_t lo = 0, ls = 0;
		const unsigned char *po = ttable(&o, "prep", &lo), *ps = ttable(&s, "prep", &ls);
		snprintf(name, sizeof(name), "%s: prep %s (libharu cannot save an empty last table)", base,
			 po && lo ? "copied" : "that does nothing");
		check(ps && (po && lo ? ls == lo && memcmp(ps, po, lo) == 0
				      : ls == 3 && memcmp(ps, "\xB0\x00\x21", 3) == 0),
		      "%s", name);
	}
	rc = dl__font_subset(ff.data, ff.size, 0, cps, n, &out2, &len, &err);
	snprintf(name, sizeof(name), "%s: the same characters give the same bytes", base);
	check(rc == 0 && memcmp(out, out2, len) == 0, "%s", name);
	dl__free(out2);
	/* the subset is a real font with composites: a good base to mutate */
	sub_copy = malloc(len);
	if (sub_copy != NULL) {
		memcpy(sub_copy, out, len);
		snprintf(name, sizeof(name), "%s subset: truncations and corruptions are refused or subset safely", base);
		check(hostile(sub_copy, len, cps, n, 61), "%s", name);
		free(sub_copy);
	}
	dl__free(out);
	dl__font_unmap(&ff);
}

/* ---- the PDF ---- */

static const char *find_length1(const unsigned char *pdf, size_t len, long *value)
{
	size_t i;

	for (i = 0; i + 9 < len; i++) {
		if (memcmp(pdf + i, "/Length1 ", 9) == 0) {
			*value = strtol((const char *)pdf + i + 9, NULL, 10);
			return (const char *)pdf + i;
		}
	}
	return NULL;
}

static int render(const char *font, const char *text, unsigned char **pdf, size_t *len, dl_error *err)
{
	dl__doc *doc = NULL;
	dl__pdf_options opts = {font, "字体子集"};
	int rc = dl__doc_new(&doc, err);

	if (rc == 0)
		rc = dl__doc_set_header(doc, "页眉：企业 · 报告", err);
	if (rc == 0)
		rc = dl__doc_add_heading(doc, 1, "一、标记 √ × ★", err);
	if (rc == 0)
		rc = dl__doc_add_paragraph(doc, text, DL__PARA_INDENT, err);
	if (rc == 0)
		rc = dl__doc_render_pdf(doc, &opts, pdf, len, err);
	dl__doc_free(doc);
	return rc;
}

static void test_pdf(void)
{
	const char *font = access(FONTS[0], R_OK) == 0 ? FONTS[0] : access(FONTS[1], R_OK) == 0 ? FONTS[1] : NULL;
	unsigned char *pdf = NULL;
	size_t len = 0, k, at = 0;
	long length1 = 0;
	dl_error err;
	char *big;
	int rc;

	if (font == NULL) {
		skip("no CJK font installed: PDF checks");
		return;
	}
	rc = render(font, "企业数字化水平评定为二级，得分 51.95 分。满足 √，不满足 ×。", &pdf, &len, &err);
	check(rc == 0 && find_length1(pdf, len, &length1) && length1 > 0 && length1 < 60000,
	      "the PDF embeds a subset of the font (/Length1 under 60 KB)");
	if (rc == 0) {
		char path[] = "/tmp/dl_test_subset_XXXXXX";
		int fd = mkstemp(path);
		if (fd >= 0 && write(fd, pdf, len) == (ssize_t)len &&
		    system("command -v pdftotext >/dev/null 2>&1") == 0) {
			char cmd[256], buf[4096];
			size_t got;
			FILE *fp;
			snprintf(cmd, sizeof(cmd), "pdftotext '%s' - 2>/dev/null", path);
			fp = popen(cmd, "r");
			got = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
			buf[got] = '\0';
			if (fp)
				pclose(fp);
			check(strstr(buf, "√") && strstr(buf, "×") && strstr(buf, "★") && strstr(buf, "评定为二级") &&
				  strstr(buf, "页眉：企业"),
			      "pdftotext finds √ × ★, the body text and the header");
		} else {
			skip("pdftotext not installed: the PDF's text");
		}
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
	}
	dl__free(pdf);
	pdf = NULL;
	/* more different characters than a subset holds: the whole font is embedded */
	big = malloc(3 * (DL__FONT_SUBSET_MAX + 200) + 1);
	if (big != NULL) {
		for (k = 0; k < DL__FONT_SUBSET_MAX + 200; k++) {
			unsigned long cp = 0x4E00 + k;
			big[at++] = (char)(0xE0 | (cp >> 12));
			big[at++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			big[at++] = (char)(0x80 | (cp & 0x3F));
		}
		big[at] = '\0';
		rc = render(font, big, &pdf, &len, &err);
		check(rc == 0 && find_length1(pdf, len, &length1) && length1 > 200000,
		      "a document with more characters than a subset holds embeds the whole font");
		if (rc != 0)
			printf("# %s\n", err.message);
		dl__free(pdf);
		free(big);
	}
}

/* Which code points a font lacks (dl__font_absent), and the PDF refusing such a font. */
static void test_absent_glyphs(void)
{
	static const unsigned long cps[] = {0x0A, 0x20, 0x41, 0x42, 0xC1, 0x8BCA};
	static const unsigned char want[] = {0, 0, 0, 1, 0, 1};
	static const char *const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
	unsigned char font[4096], absent[6];
	size_t size, nabsent = 0;
	unsigned char *pdf = NULL;
	size_t len = 0;
	dl_error err;
	int rc, only_f12;

	for (only_f12 = 0; only_f12 < 2; only_f12++) {
		size = build_tiny(font, only_f12);
		rc = dl__font_absent(font, size, 0, cps, 6, absent, &nabsent, &err);
		check(rc == 0 && nabsent == 2 && memcmp(absent, want, 6) == 0,
		      "the hand-built font (format %s cmap) lacks 'B' and '诊' and nothing else asked",
		      only_f12 ? "12" : "4");
	}
	/* the PDF: the hand-built font has 'A' and 'Á' but no Chinese */
	char path[] = "/tmp/dl_test_noglyph_XXXXXX";
	int fd = mkstemp(path);
	size = build_tiny(font, 0);
	if (fd >= 0 && write(fd, font, size) == (ssize_t)size) {
		rc = render(path, "AÁ 诊断", &pdf, &len, &err);
		check(rc == DL_EINVALID && strstr(err.message, "has no glyph for '页' (U+9875) nor for") &&
			  strstr(err.message, "use a Chinese font"),
		      "a font without Chinese is refused, naming the first character in reading order (%s)",
		      rc ? err.message : "rendered");
		dl__free(pdf);
		pdf = NULL;
	} else {
		check(0, "write the hand-built font to %s", path);
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	if (access(dejavu, R_OK) != 0) {
		skip("%s is not installed (fonts-dejavu-core): the refusal of a real font", dejavu);
		return;
	}
	rc = render(dejavu, "企业数字化水平评定为二级", &pdf, &len, &err);
	check(rc == DL_EINVALID && strstr(err.message, "DejaVuSans.ttf' has no glyph for '页' (U+9875)"),
	      "DejaVu Sans is refused: %s", rc ? err.message : "rendered");
	dl__free(pdf);
}

int main(void)
{
	size_t i;

	test_tiny();
	test_hostile_tiny();
	test_limits_and_memory();
	for (i = 0; i < sizeof(FONTS) / sizeof(FONTS[0]); i++)
		test_installed(FONTS[i]);
	test_pdf();
	test_absent_glyphs();
	return test_done();
}
