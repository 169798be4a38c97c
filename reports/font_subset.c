/*
 * font_subset.c: builds, in memory, a TrueType font holding only the glyphs a document uses.
 *
 * Why: libharu 2.3.0 turns a TrueType font into a PDF CID font by walking the character map for all
 * 65,536 BMP code points and growing the width array one entry (and one copy of the whole array) at a
 * time, and it embeds the font's tables besides the glyphs used. With the 40,000-glyph CJK fonts that
 * is most of a report's CPU time and 600 KB per PDF. Handed a font that holds only .notdef and the few
 * hundred glyphs of the document, the same libharu code is cheap and the PDF small (pdf_backend.c).
 *
 * Reading: the table directory (of a .ttf, or of one face of a .ttc), head, hhea, maxp, hmtx, loca
 * (short or long), glyf, cmap (platform 3 encoding 1 format 4, as libharu uses; else another Unicode
 * format 4; else format 12, BMP only), and name, OS/2, post, cvt, fpgm, prep when present. The font
 * file is trusted-ish (a system font or one the user names) but never read outside its buffer: every
 * table must lie inside the file, every field is read only after its table's length was checked, every
 * glyph inside glyf, every composite component inside its glyph and below numGlyphs.
 *
 * Writing: glyph 0 is .notdef, then the glyphs of the code points in code point order (so runs of
 * consecutive characters get consecutive ids and need one cmap segment), then the components of
 * composite glyphs, transitively, with the component ids rewritten. Tables, in tag order, 4-byte
 * aligned, with their checksums and head.checkSumAdjustment: OS/2, name, cvt, fpgm, prep copied
 * (a prep that does nothing when the font has none: see dl__noop_prep);
 * head (long loca), hhea (numberOfHMetrics = n), maxp (numGlyphs = n) copied with those fields set;
 * hmtx (n full metrics), loca, glyf, cmap (one platform 3/1 format 4 subtable), post (version 3.0)
 * built. Every byte comes from the input, so the output is deterministic.
 */
#include "font_subset.h"
#include "i18n.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Most cmap segments (besides the final 0xFFFF one) when merging runs: libharu looks a code point up
 * by scanning the segments linearly, 65,536 times per font, so few segments keep that cheap; the
 * price is glyphIdArray entries (2 bytes, mostly 0) for the code points between merged runs. Measured
 * on a 12-page report (570 glyphs), instructions of the whole command: 8 or 16 segments 142 M, 48
 * segments 145 M, 96 segments 154 M, one segment per run (about 400) 228 M; the PDF's size barely moves.
 */
#define DL__CMAP_SEGMENTS 16u
#define DL__CMAP_MAX 65535u /* a format 4 subtable's length is 16 bits */

/* Composite glyph flags (the glyf table). */
#define DL__ARG_1_AND_2_ARE_WORDS 0x0001u
#define DL__WE_HAVE_A_SCALE 0x0008u
#define DL__MORE_COMPONENTS 0x0020u
#define DL__WE_HAVE_AN_X_AND_Y_SCALE 0x0040u
#define DL__WE_HAVE_A_TWO_BY_TWO 0x0080u

/* A table of the font: where it lies in the file. */
typedef struct dl__span {
	size_t off, len;
	int found;
} dl__span;

/* The font being read: the file and the tables the subset needs, all checked to lie in the file. */
typedef struct dl__sfnt {
	const unsigned char *d;
	size_t size;
	dl__span head, hhea, maxp, hmtx, loca, glyf, cmap, name, os2, post, cvt, fpgm, prep;
	unsigned nglyphs;  /* maxp.numGlyphs */
	unsigned nmetrics; /* hhea.numberOfHMetrics, 1..nglyphs */
	int long_loca;     /* head.indexToLocFormat */
	size_t sub;        /* the character map subtable used: absolute offset */
	size_t sub_end;    /* end of the cmap table: nothing of the subtable is read past it */
	int sub_format;    /* 4 or 12 */
} dl__sfnt;

static unsigned dl__u16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t dl__u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void dl__put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void dl__put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t dl__pad4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

/* The slot for a table record's tag, or NULL for a table the subset does not use. */
static dl__span *dl__sfnt_slot(dl__sfnt *f, const unsigned char *tag)
{
	static const struct {
		char tag[5];
		size_t at;
	} known[] = {
		{"head", offsetof(dl__sfnt, head)}, {"hhea", offsetof(dl__sfnt, hhea)},
		{"maxp", offsetof(dl__sfnt, maxp)}, {"hmtx", offsetof(dl__sfnt, hmtx)},
		{"loca", offsetof(dl__sfnt, loca)}, {"glyf", offsetof(dl__sfnt, glyf)},
		{"cmap", offsetof(dl__sfnt, cmap)}, {"name", offsetof(dl__sfnt, name)},
		{"OS/2", offsetof(dl__sfnt, os2)},  {"post", offsetof(dl__sfnt, post)},
		{"cvt ", offsetof(dl__sfnt, cvt)},  {"fpgm", offsetof(dl__sfnt, fpgm)},
		{"prep", offsetof(dl__sfnt, prep)},
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (memcmp(tag, known[i].tag, 4) == 0)
			return (dl__span *)(void *)((char *)f + known[i].at);
	}
	return NULL;
}

/*
 * Picks the character map subtable: platform 3 encoding 1 format 4 (what libharu reads), else a
 * Unicode-platform format 4, else a format 12 (platform 3 encoding 10 or platform 0).
 */
static int dl__sfnt_pick_cmap(dl__sfnt *f, dl_error *err)
{
	const unsigned char *c = f->d + f->cmap.off;
	size_t len = f->cmap.len, i, n, best = 0;
	int rank = 0; /* of the best so far: 3 (3/1/4), 2 (0/x/4), 1 (format 12) */

	if (len < 4)
		return dl__error_message(err, DL_EINVALID, _("the cmap table is too short"));
	n = dl__u16(c + 2);
	if (n > (len - 4) / 8)
		return dl__error_message(err, DL_EINVALID, _("the cmap table's directory lies outside it"));
	for (i = 0; i < n; i++) {
		const unsigned char *r = c + 4 + 8 * i;
		unsigned platform = dl__u16(r), encoding = dl__u16(r + 2), format;
		uint32_t off = dl__u32(r + 4);
		int r_rank = 0;

		if (off > len || len - off < 4)
			continue; /* a subtable outside the table: not usable */
		format = dl__u16(c + off);
		if (format == 4 && platform == 3 && encoding == 1)
			r_rank = 3;
		else if (format == 4 && platform == 0)
			r_rank = 2;
		else if (format == 12 && ((platform == 3 && encoding == 10) || platform == 0))
			r_rank = 1;
		if (r_rank > rank) {
			rank = r_rank;
			best = off;
		}
	}
	if (rank == 0)
		return dl__error_message(err, DL_EINVALID,
				      _("no Unicode character map (format 4 or 12) in the cmap table"));
	f->sub = f->cmap.off + best;
	f->sub_end = f->cmap.off + len;
	f->sub_format = rank == 1 ? 12 : 4;
	if (f->sub_format == 4) {
		size_t segx2;
		if (f->sub_end - f->sub < 16)
			return dl__error_message(err, DL_EINVALID, _("the format 4 character map is too short"));
		segx2 = dl__u16(f->d + f->sub + 6);
		if (segx2 == 0 || segx2 % 2 != 0 || (f->sub_end - f->sub - 16) / 4 < segx2)
			return dl__error_message(err, DL_EINVALID,
					      _("the format 4 character map's segments lie outside it"));
	} else {
		if (f->sub_end - f->sub < 16 ||
		    dl__u32(f->d + f->sub + 12) > (f->sub_end - f->sub - 16) / 12)
			return dl__error_message(err, DL_EINVALID,
					      _("the format 12 character map's groups lie outside it"));
	}
	return 0;
}

/* Reads the table directory of face `face` and checks the tables the subset needs. */
static int dl__sfnt_open(dl__sfnt *f, const unsigned char *d, size_t size, unsigned face, dl_error *err)
{
	static const char *const required[] = {"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"};
	size_t base = 0, n, i;
	const unsigned char *h;

	memset(f, 0, sizeof(*f));
	f->d = d;
	f->size = size;
	if (size < 12)
		return dl__error_message(err, DL_EINVALID, _("the file is too short for a TrueType font"));
	if (memcmp(d, "ttcf", 4) == 0) {
		uint32_t nfonts = dl__u32(d + 8);
		if (face >= nfonts || face >= (size - 12) / 4)
			return dl__error_message(err, DL_EINVALID, _("the collection has no face %u"), face);
		base = dl__u32(d + 12 + 4 * (size_t)face);
		if (base > size - 12)
			return dl__error_message(err, DL_EINVALID, _("face %u lies outside the file"), face);
	} else if (face != 0) {
		return dl__error_message(err, DL_EINVALID, _("face %u of a font that is not a collection"), face);
	}
	if (dl__u32(d + base) != 0x00010000u && memcmp(d + base, "true", 4) != 0)
		return dl__error_message(err, DL_EINVALID, _("not a TrueType font (no glyf outlines)"));
	n = dl__u16(d + base + 4);
	if (n > (size - base - 12) / 16)
		return dl__error_message(err, DL_EINVALID, _("the table directory lies outside the file"));
	for (i = 0; i < n; i++) {
		const unsigned char *r = d + base + 12 + 16 * i;
		uint32_t off = dl__u32(r + 8), len = dl__u32(r + 12);
		dl__span *t = dl__sfnt_slot(f, r);

		if (t == NULL || t->found)
			continue;
		if (off > size || len > size - off)
			return dl__error_message(err, DL_EINVALID, _("table '%.4s' lies outside the file"),
					      (const char *)r);
		t->off = off;
		t->len = len;
		t->found = 1;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!dl__sfnt_slot(f, (const unsigned char *)required[i])->found)
			return dl__error_message(err, DL_EINVALID, _("no '%s' table"), required[i]);
	}
	if (f->head.len < 54 || f->hhea.len < 36 || f->maxp.len < 6)
		return dl__error_message(err, DL_EINVALID, _("table '%s' is too short"),
				      f->head.len < 54 ? "head" : f->hhea.len < 36 ? "hhea" : "maxp");
	h = d + f->head.off;
	if (dl__u16(h + 18) < 16 || dl__u16(h + 18) > 16384)
		return dl__error_message(err, DL_EINVALID, _("head.unitsPerEm %u is out of range"), dl__u16(h + 18));
	if (dl__u16(h + 50) > 1)
		return dl__error_message(err, DL_EINVALID, _("head.indexToLocFormat %u is neither 0 nor 1"),
				      dl__u16(h + 50));
	f->long_loca = dl__u16(h + 50) == 1;
	f->nglyphs = dl__u16(d + f->maxp.off + 4);
	f->nmetrics = dl__u16(d + f->hhea.off + 34);
	if (f->nglyphs == 0)
		return dl__error_message(err, DL_EINVALID, _("the font has no glyphs"));
	if (f->nmetrics == 0 || f->nmetrics > f->nglyphs)
		return dl__error_message(err, DL_EINVALID, _("hhea.numberOfHMetrics %u is out of range (1..%u)"),
				      f->nmetrics, f->nglyphs);
	if (f->hmtx.len / 2 < 2 * (size_t)f->nmetrics + (f->nglyphs - f->nmetrics))
		return dl__error_message(err, DL_EINVALID, _("the hmtx table is too short"));
	if (f->loca.len / (f->long_loca ? 4 : 2) < (size_t)f->nglyphs + 1)
		return dl__error_message(err, DL_EINVALID, _("the loca table is too short"));
	return dl__sfnt_pick_cmap(f, err);
}

/* The glyph mapped to code point cp (BMP), 0 when none. Reads only inside the checked subtable. */
static unsigned dl__sfnt_lookup(const dl__sfnt *f, unsigned long cp)
{
	const unsigned char *s = f->d + f->sub;
	size_t avail = f->sub_end - f->sub;
	unsigned long g = 0;

	if (f->sub_format == 4) {
		size_t segs = dl__u16(s + 6) / 2, lo = 0, hi = segs, i, at;
		unsigned start, ro;

		while (lo < hi) { /* first segment whose endCode >= cp */
			size_t mid = lo + (hi - lo) / 2;
			if (dl__u16(s + 14 + 2 * mid) < cp)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == segs)
			return 0;
		i = lo;
		start = dl__u16(s + 16 + 2 * segs + 2 * i);
		if (cp < start)
			return 0;
		ro = dl__u16(s + 16 + 6 * segs + 2 * i);
		if (ro == 0) {
			g = (cp + dl__u16(s + 16 + 4 * segs + 2 * i)) & 0xFFFFu;
		} else {
			at = 16 + 6 * segs + 2 * i + ro + 2 * (cp - start);
			if (at > avail - 2)
				return 0;
			g = dl__u16(s + at);
			if (g != 0)
				g = (g + dl__u16(s + 16 + 4 * segs + 2 * i)) & 0xFFFFu;
		}
	} else {
		size_t lo = 0, hi = dl__u32(s + 12);

		while (lo < hi) { /* the group whose range holds cp, by binary search on startCharCode */
			size_t mid = lo + (hi - lo) / 2;
			const unsigned char *grp = s + 16 + 12 * mid;
			if (dl__u32(grp + 4) < cp) {
				lo = mid + 1;
			} else if (dl__u32(grp) > cp) {
				hi = mid;
			} else {
				g = dl__u32(grp + 8) + (cp - dl__u32(grp));
				break;
			}
		}
	}
	return g < f->nglyphs ? (unsigned)g : 0;
}

/* Where glyph g's data lie in the file: *at and *len (0 for an empty glyph). */
static int dl__sfnt_glyph(const dl__sfnt *f, unsigned g, size_t *at, size_t *len, dl_error *err)
{
	const unsigned char *l = f->d + f->loca.off;
	size_t a, b;

	if (f->long_loca) {
		a = dl__u32(l + 4 * (size_t)g);
		b = dl__u32(l + 4 * (size_t)g + 4);
	} else {
		a = 2 * (size_t)dl__u16(l + 2 * (size_t)g);
		b = 2 * (size_t)dl__u16(l + 2 * (size_t)g + 2);
	}
	if (a > b || b > f->glyf.len)
		return dl__error_message(err, DL_EINVALID, _("glyph %u lies outside the glyf table"), g);
	if (b > a && b - a < 10)
		return dl__error_message(err, DL_EINVALID, _("glyph %u is too short"), g);
	*at = f->glyf.off + a;
	*len = b - a;
	return 0;
}

/* Walks the components of a composite glyph g[0..len) (len >= 10). */
typedef struct dl__components {
	const unsigned char *g;
	size_t len, pos;
	int done;
} dl__components;

static void dl__components_init(dl__components *it, const unsigned char *g, size_t len)
{
	it->g = g;
	it->len = len;
	it->pos = 10; /* after numberOfContours and the bounding box */
	it->done = dl__u16(g) < 0x8000u; /* numberOfContours >= 0: a simple glyph, no components */
}

/*
 * Sets *index_at to the offset (in the glyph) of the next component's glyph index. Returns 1, 0 when
 * there are no more components, -1 when the component record runs past the glyph's end.
 */
static int dl__components_next(dl__components *it, size_t *index_at)
{
	unsigned flags;
	size_t need;

	if (it->done)
		return 0;
	if (it->len - it->pos < 4)
		return -1;
	flags = dl__u16(it->g + it->pos);
	need = 4 + ((flags & DL__ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
	if (flags & DL__WE_HAVE_A_SCALE)
		need += 2;
	else if (flags & DL__WE_HAVE_AN_X_AND_Y_SCALE)
		need += 4;
	else if (flags & DL__WE_HAVE_A_TWO_BY_TWO)
		need += 8;
	if (it->len - it->pos < need)
		return -1;
	*index_at = it->pos + 2;
	it->pos += need;
	if (!(flags & DL__MORE_COMPONENTS))
		it->done = 1;
	return 1;
}

/* The subset being built. */
typedef struct dl__subset {
	const dl__sfnt *f;
	uint16_t *newid;      /* per original glyph: its id in the subset (0: not in it, or .notdef) */
	uint16_t *old;        /* per subset glyph: its original id */
	size_t n;             /* glyphs in the subset */
	unsigned long *cps;   /* the code points mapped, ascending ... */
	uint16_t *gids;       /* ... and their subset glyphs */
	size_t nmap;
	size_t glyf_len;      /* the new glyf table: every glyph padded to 4 bytes */
	unsigned char *cmap;  /* the new cmap table */
	size_t cmap_len;
} dl__subset;

/* Adds original glyph g to the subset unless it is in it already. */
static unsigned dl__subset_add(dl__subset *s, unsigned g)
{
	if (g != 0 && s->newid[g] == 0) {
		assert(s->n < s->f->nglyphs);
		s->newid[g] = (uint16_t)s->n;
		s->old[s->n++] = (uint16_t)g;
	}
	return s->newid[g];
}

/* Chooses the glyphs: .notdef, those of the code points, then the components, transitively. */
static int dl__subset_glyphs(dl__subset *s, const unsigned long *cps, size_t ncps, dl_error *err)
{
	size_t i, k, at, len, index_at;
	int rc;

	s->old[0] = 0;
	s->n = 1;
	for (i = 0; i < ncps; i++) {
		unsigned g;
		if (cps[i] >= 0xFFFFu) /* beyond the BMP (and U+FFFF, which ends every format 4 map) */
			break;
		g = dl__sfnt_lookup(s->f, cps[i]);
		if (g == 0)
			continue;
		s->cps[s->nmap] = cps[i];
		s->gids[s->nmap++] = (uint16_t)dl__subset_add(s, g);
	}
	for (k = 0; k < s->n; k++) { /* s->n grows as components are added */
		dl__components it;
		if ((rc = dl__sfnt_glyph(s->f, s->old[k], &at, &len, err)) < 0)
			return rc;
		s->glyf_len += dl__pad4(len);
		if (len == 0)
			continue;
		dl__components_init(&it, s->f->d + at, len);
		while ((rc = dl__components_next(&it, &index_at)) > 0) {
			unsigned c = dl__u16(s->f->d + at + index_at);
			if (c >= s->f->nglyphs)
				return dl__error_message(err, DL_EINVALID,
						      _("glyph %u uses glyph %u, beyond the font's %u glyphs"),
						      (unsigned)s->old[k], c, s->f->nglyphs);
			dl__subset_add(s, c);
		}
		if (rc < 0)
			return dl__error_message(err, DL_EINVALID, _("composite glyph %u is truncated"),
					      (unsigned)s->old[k]);
	}
	return 0;
}

/* A cmap segment: mappings [first, last] of the subset, drawn with idDelta or from glyphIdArray. */
typedef struct dl__seg {
	size_t first, last;
	int delta; /* 1: consecutive code points to consecutive glyphs, idDelta alone maps them */
} dl__seg;

/* A place where the code points of consecutive mappings are not consecutive. */
typedef struct dl__gap {
	unsigned long size; /* code points between the two mappings, plus one */
	size_t at;          /* the mapping before the gap */
} dl__gap;

/* Largest gap first, then by position: a total order, so the plan is deterministic. */
static int dl__gap_cmp(const void *a, const void *b)
{
	const dl__gap *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Marks each segment that idDelta alone can map; returns the subtable's length for the plan. */
static size_t dl__segs_finish(const dl__subset *s, dl__seg *seg, size_t nseg)
{
	size_t i, k, len = 16 + 8 * (nseg + 1); /* + the final 0xFFFF segment */

	for (i = 0; i < nseg; i++) {
		seg[i].delta = 1;
		for (k = seg[i].first; k < seg[i].last; k++) {
			if (s->cps[k + 1] != s->cps[k] + 1 || s->gids[k + 1] != s->gids[k] + 1) {
				seg[i].delta = 0;
				break;
			}
		}
		if (!seg[i].delta)
			len += 2 * (s->cps[seg[i].last] - s->cps[seg[i].first] + 1);
	}
	return len;
}

/*
 * Plans the segments: cut the mappings at the DL__CMAP_SEGMENTS - 1 largest gaps between code points
 * (few segments, little padding), unless the subtable would then exceed 64 KiB; then one segment per
 * run of consecutive code points and glyphs (at most one per mapping: fits, see DL__FONT_SUBSET_MAX).
 * seg, gaps and cut have room for nmap entries. Returns the number of segments; *len is the length
 * of the subtable.
 */
static size_t dl__cmap_plan(const dl__subset *s, dl__seg *seg, dl__gap *gaps, unsigned char *cut,
			    size_t *len)
{
	size_t i, ngap = 0, nseg = 0, start = 0, want;

	for (i = 0; i + 1 < s->nmap; i++) {
		if (s->cps[i + 1] != s->cps[i] + 1) {
			gaps[ngap].size = s->cps[i + 1] - s->cps[i];
			gaps[ngap++].at = i;
		}
	}
	want = ngap < DL__CMAP_SEGMENTS - 1 ? ngap : DL__CMAP_SEGMENTS - 1;
	qsort(gaps, ngap, sizeof(*gaps), dl__gap_cmp);
	memset(cut, 0, s->nmap);
	for (i = 0; i < want; i++)
		cut[gaps[i].at] = 1;
	for (i = 0; i < s->nmap; i++) {
		if (i + 1 == s->nmap || cut[i]) {
			seg[nseg].first = start;
			seg[nseg++].last = i;
			start = i + 1;
		}
	}
	*len = dl__segs_finish(s, seg, nseg);
	if (*len <= DL__CMAP_MAX)
		return nseg;
	nseg = 0;
	start = 0;
	for (i = 0; i < s->nmap; i++) {
		if (i + 1 == s->nmap || s->cps[i + 1] != s->cps[i] + 1 || s->gids[i + 1] != s->gids[i] + 1) {
			seg[nseg].first = start;
			seg[nseg++].last = i;
			start = i + 1;
		}
	}
	*len = dl__segs_finish(s, seg, nseg);
	assert(*len <= DL__CMAP_MAX);
	return nseg;
}

/* Builds the cmap table: one platform 3 encoding 1 format 4 subtable of the mappings. */
static int dl__subset_cmap(dl__subset *s, dl_error *err)
{
	dl__seg *seg = NULL;
	dl__gap *gaps = NULL;
	unsigned char *cut = NULL;
	size_t nseg, len = 0, i, k, arr = 0, segs, pow2 = 1, log2 = 0;
	unsigned char *c, *sub;
	int rc = 0;

	seg = dl__calloc(s->nmap + 1, sizeof(*seg));
	gaps = dl__calloc(s->nmap + 1, sizeof(*gaps));
	cut = dl__calloc(s->nmap + 1, 1);
	if (seg == NULL || gaps == NULL || cut == NULL) {
		rc = dl__error_nomem(err, _("building the font subset"));
		goto done;
	}
	nseg = dl__cmap_plan(s, seg, gaps, cut, &len);
	s->cmap_len = 12 + len;
	s->cmap = c = dl__calloc(1, s->cmap_len);
	if (c == NULL) {
		rc = dl__error_nomem(err, _("building the font subset"));
		goto done;
	}
	dl__put16(c + 2, 1);      /* version 0, one subtable: */
	dl__put16(c + 4, 3);      /* platform 3 (Windows) */
	dl__put16(c + 6, 1);      /* encoding 1 (Unicode BMP) */
	dl__put32(c + 8, 12);     /* at offset 12 */
	sub = c + 12;
	segs = nseg + 1;
	while (pow2 * 2 <= segs) {
		pow2 *= 2;
		log2++;
	}
	dl__put16(sub, 4);
	dl__put16(sub + 2, (unsigned)len);
	dl__put16(sub + 6, (unsigned)(2 * segs));
	dl__put16(sub + 8, (unsigned)(2 * pow2));
	dl__put16(sub + 10, (unsigned)log2);
	dl__put16(sub + 12, (unsigned)(2 * segs - 2 * pow2));
	for (i = 0; i < segs; i++) {
		unsigned char *end = sub + 14 + 2 * i, *start = sub + 16 + 2 * segs + 2 * i;
		unsigned char *delta = sub + 16 + 4 * segs + 2 * i, *ro = sub + 16 + 6 * segs + 2 * i;
		unsigned long first, last;

		if (i == nseg) { /* the final segment: 0xFFFF to glyph 0 */
			dl__put16(end, 0xFFFFu);
			dl__put16(start, 0xFFFFu);
			dl__put16(delta, 1);
			continue;
		}
		first = s->cps[seg[i].first];
		last = s->cps[seg[i].last];
		dl__put16(end, (unsigned)last);
		dl__put16(start, (unsigned)first);
		if (seg[i].delta) {
			dl__put16(delta, (unsigned)((s->gids[seg[i].first] - first) & 0xFFFFu));
			continue;
		}
		/* idRangeOffset: from this field to glyphIdArray[arr] */
		dl__put16(ro, (unsigned)(2 * (segs - i) + 2 * arr));
		for (k = seg[i].first; k <= seg[i].last; k++)
			dl__put16(sub + 16 + 8 * segs + 2 * (arr + (s->cps[k] - first)), s->gids[k]);
		arr += last - first + 1;
	}
	assert(16 + 8 * segs + 2 * arr == len);
done:
	dl__free(cut);
	dl__free(gaps);
	dl__free(seg);
	return rc;
}

/* The tables of the subset, in tag order (the table directory must be sorted). */
enum {
	DL__T_OS2,
	DL__T_CMAP,
	DL__T_CVT,
	DL__T_FPGM,
	DL__T_GLYF,
	DL__T_HEAD,
	DL__T_HHEA,
	DL__T_HMTX,
	DL__T_LOCA,
	DL__T_MAXP,
	DL__T_NAME,
	DL__T_POST,
	DL__T_PREP,
	DL__T_COUNT
};
static const char dl__tags[DL__T_COUNT][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
					      "hmtx", "loca", "maxp", "name", "post", "prep"};

/*
 * The prep table written when the font has none: PUSHB[0] 0, POP, a program that changes nothing.
 * Why not leave it out: libharu 2.3.0 writes the embedded font in its own order, prep last, into a
 * memory stream of 4096-byte blocks, then seeks to every table to sum it; seeking to an empty prep
 * at the very end fails (HPDF_INVALID_OBJECT) when the font's size is a multiple of 4096, one
 * document in about 4,000 (it happened in a 1,000-enterprise cohort). WenQuanYi Zen Hei and AR PL
 * UMing have no prep; the whole-font path has the same chance of failing.
 */
static const unsigned char dl__noop_prep[3] = {0xB0, 0x00, 0x21};

/* Sum of the table's big-endian 32-bit words (the table is zero-padded to 4 bytes). */
static uint32_t dl__checksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i += 4)
		sum += dl__u32(p + i);
	return sum;
}

/* Writes the glyphs, with component ids rewritten, and loca. */
static void dl__write_glyf(const dl__subset *s, unsigned char *glyf, unsigned char *loca)
{
	size_t k, pos = 0, at, len, index_at;

	for (k = 0; k < s->n; k++) {
		dl__components it;
		dl__put32(loca + 4 * k, (uint32_t)pos);
		/* checked when the glyphs were chosen: cannot fail now */
		if (dl__sfnt_glyph(s->f, s->old[k], &at, &len, NULL) < 0)
			at = len = 0;
		memcpy(glyf + pos, s->f->d + at, len);
		if (len > 0) {
			dl__components_init(&it, glyf + pos, len);
			while (dl__components_next(&it, &index_at) > 0)
				dl__put16(glyf + pos + index_at, s->newid[dl__u16(glyf + pos + index_at)]);
		}
		pos += dl__pad4(len);
	}
	dl__put32(loca + 4 * s->n, (uint32_t)pos);
}

/* Writes the subset font into a new buffer. */
static int dl__subset_write(const dl__subset *s, unsigned char **out, size_t *out_len, dl_error *err)
{
	const dl__sfnt *f = s->f;
	const unsigned char *d = f->d;
	size_t len[DL__T_COUNT], off[DL__T_COUNT], total, i, k, ntab = 0, pow2 = 1, log2 = 0;
	unsigned char *o, *p;
	const unsigned char *hm = d + f->hmtx.off;

	memset(len, 0, sizeof(len));
	len[DL__T_OS2] = f->os2.found ? f->os2.len : 0;
	len[DL__T_CMAP] = s->cmap_len;
	len[DL__T_CVT] = f->cvt.found ? f->cvt.len : 0;
	len[DL__T_FPGM] = f->fpgm.found ? f->fpgm.len : 0;
	len[DL__T_GLYF] = s->glyf_len;
	len[DL__T_HEAD] = 54;
	len[DL__T_HHEA] = 36;
	len[DL__T_HMTX] = 4 * s->n;
	len[DL__T_LOCA] = 4 * (s->n + 1);
	len[DL__T_MAXP] = f->maxp.len < 32 ? f->maxp.len : 32;
	len[DL__T_NAME] = f->name.found ? f->name.len : 0;
	len[DL__T_POST] = 32;
	len[DL__T_PREP] = f->prep.len > 0 ? f->prep.len : sizeof(dl__noop_prep);
	for (i = 0; i < DL__T_COUNT; i++)
		ntab += len[i] > 0 || i == DL__T_GLYF;
	total = 12 + 16 * ntab;
	for (i = 0; i < DL__T_COUNT; i++) {
		off[i] = total;
		if (len[i] > 0 && len[i] > SIZE_MAX - total - 3)
			return dl__error_message(err, DL_EINVALID, _("the font subset would be too large"));
		total += dl__pad4(len[i]);
	}
	if (total > 0xFFFFFFFFu)
		return dl__error_message(err, DL_EINVALID, _("the font subset would be too large"));
	o = dl__calloc(1, total);
	if (o == NULL)
		return dl__error_nomem(err, _("building the font subset"));

	memcpy(o + off[DL__T_OS2], d + f->os2.off, len[DL__T_OS2]);
	memcpy(o + off[DL__T_CMAP], s->cmap, s->cmap_len);
	memcpy(o + off[DL__T_CVT], d + f->cvt.off, len[DL__T_CVT]);
	memcpy(o + off[DL__T_FPGM], d + f->fpgm.off, len[DL__T_FPGM]);
	dl__write_glyf(s, o + off[DL__T_GLYF], o + off[DL__T_LOCA]);
	p = o + off[DL__T_HEAD];
	memcpy(p, d + f->head.off, 54);
	dl__put32(p + 8, 0); /* checkSumAdjustment: set below */
	dl__put16(p + 50, 1); /* long loca */
	p = o + off[DL__T_HHEA];
	memcpy(p, d + f->hhea.off, 36);
	dl__put16(p + 34, (unsigned)s->n);
	p = o + off[DL__T_HMTX];
	for (k = 0; k < s->n; k++) {
		unsigned g = s->old[k], last = f->nmetrics - 1;
		if (g < f->nmetrics) {
			memcpy(p + 4 * k, hm + 4 * (size_t)g, 4);
		} else { /* the last advance repeats; the side bearing is in the array that follows */
			memcpy(p + 4 * k, hm + 4 * (size_t)last, 2);
			memcpy(p + 4 * k + 2, hm + 4 * (size_t)f->nmetrics + 2 * (size_t)(g - f->nmetrics), 2);
		}
	}
	p = o + off[DL__T_MAXP];
	memcpy(p, d + f->maxp.off, len[DL__T_MAXP]);
	dl__put16(p + 4, (unsigned)s->n);
	memcpy(o + off[DL__T_NAME], d + f->name.off, len[DL__T_NAME]);
	p = o + off[DL__T_POST]; /* version 3.0: the header alone, no glyph names */
	if (f->post.found)
		memcpy(p, d + f->post.off, f->post.len < 32 ? f->post.len : 32);
	dl__put32(p, 0x00030000u);
	if (f->prep.len > 0)
		memcpy(o + off[DL__T_PREP], d + f->prep.off, len[DL__T_PREP]);
	else
		memcpy(o + off[DL__T_PREP], dl__noop_prep, sizeof(dl__noop_prep));

	/* the offset table and the table directory */
	while (pow2 * 2 <= ntab) {
		pow2 *= 2;
		log2++;
	}
	dl__put32(o, 0x00010000u);
	dl__put16(o + 4, (unsigned)ntab);
	dl__put16(o + 6, (unsigned)(16 * pow2));
	dl__put16(o + 8, (unsigned)log2);
	dl__put16(o + 10, (unsigned)(16 * ntab - 16 * pow2));
	for (i = 0, k = 0; i < DL__T_COUNT; i++) {
		unsigned char *r = o + 12 + 16 * k;
		if (len[i] == 0 && i != DL__T_GLYF)
			continue;
		memcpy(r, dl__tags[i], 4);
		dl__put32(r + 4, dl__checksum(o + off[i], dl__pad4(len[i])));
		dl__put32(r + 8, (uint32_t)off[i]);
		dl__put32(r + 12, (uint32_t)len[i]);
		k++;
	}
	dl__put32(o + off[DL__T_HEAD] + 8, 0xB1B0AFBAu - dl__checksum(o, total));
	*out = o;
	*out_len = total;
	return 0;
}

int dl__font_absent(const unsigned char *font, size_t size, unsigned face, const unsigned long *cps,
		    size_t ncps, unsigned char *absent, size_t *nabsent, dl_error *err)
{
	dl__sfnt f;
	size_t i;
	int rc;

	assert(font != NULL && nabsent != NULL && (ncps == 0 || (cps != NULL && absent != NULL)));
	*nabsent = 0;
	if ((rc = dl__sfnt_open(&f, font, size, face, err)) < 0)
		return rc;
	for (i = 0; i < ncps; i++) {
		absent[i] = cps[i] >= 0x20u && (cps[i] >= 0xFFFFu || dl__sfnt_lookup(&f, cps[i]) == 0);
		*nabsent += absent[i];
	}
	return 0;
}

int dl__font_subset(const unsigned char *font, size_t size, unsigned face, const unsigned long *cps,
		    size_t ncps, unsigned char **out, size_t *out_len, dl_error *err)
{
	dl__sfnt f;
	dl__subset s;
	size_t i;
	int rc;

	assert(font != NULL && out != NULL && out_len != NULL && (cps != NULL || ncps == 0));
	for (i = 1; i < ncps; i++)
		assert(cps[i - 1] < cps[i]);
	memset(&s, 0, sizeof(s));
	if (ncps > DL__FONT_SUBSET_MAX)
		return dl__error_message(err, DL_EINVALID, _("%zu different characters, more than the %u a font "
				      "subset holds"), ncps, DL__FONT_SUBSET_MAX);
	if ((rc = dl__sfnt_open(&f, font, size, face, err)) < 0)
		return rc;
	s.f = &f;
	s.newid = dl__calloc(f.nglyphs, sizeof(*s.newid));
	s.old = dl__calloc(f.nglyphs, sizeof(*s.old));
	s.cps = dl__calloc(ncps + 1, sizeof(*s.cps));
	s.gids = dl__calloc(ncps + 1, sizeof(*s.gids));
	if (s.newid == NULL || s.old == NULL || s.cps == NULL || s.gids == NULL) {
		rc = dl__error_nomem(err, _("building the font subset"));
		goto done;
	}
	if ((rc = dl__subset_glyphs(&s, cps, ncps, err)) < 0 || (rc = dl__subset_cmap(&s, err)) < 0)
		goto done;
	rc = dl__subset_write(&s, out, out_len, err);
done:
	dl__free(s.cmap);
	dl__free(s.gids);
	dl__free(s.cps);
	dl__free(s.old);
	dl__free(s.newid);
	return rc;
}
