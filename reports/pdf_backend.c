/*
 * pdf_backend.c: the PDF back end: draws a laid-out document with libharu 2.3.0 into memory.
 *
 * The only file that includes libharu. Rules it keeps (STYLE.md):
 * - no setjmp/longjmp: the error handler only records the first error; every call's status is checked
 *   and turned into a DL_E* code with a message naming what was being done;
 * - text in an embedded TrueType CJK font with UTF-8 encoding (found by font.c); what is embedded is
 *   a subset holding only the characters the document draws (font_subset.c), because libharu's cost
 *   grows with the size of the font it is given (see dl__pdf_load_subset);
 * - reproducible output: no creation or modification date is set and no encryption is used, and those
 *   are the only sources of a time-based or random /ID in libharu 2.3.0, so the same layout and font
 *   give byte-identical PDFs (tested in tests/unit/test_layout.c);
 * - render to memory (HPDF_SaveToStream); the caller decides where the bytes go;
 * - libharu allocates through the library's allocation wrapper (HPDF_NewEx with dl__hpdf_alloc and
 *   dl__hpdf_free), so a caller's allocator (dl_set_allocator) and the tests' failure injection reach
 *   every block it makes.
 * Bold is drawn as fill plus a thin stroke of the glyph outlines, since the CJK fonts have no bold face.
 */
#include <hpdf.h>
#include <hpdf_fontdef.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "font_subset.h"
#include "font_file.h"
#include "layout_pages.h"
#include "text_measure.h"
#include "i18n.h"

typedef struct dl__pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font hfont;
	HPDF_STATUS error_no;  /* first error reported by libharu, 0 if none */
	HPDF_STATUS detail_no;
	const char *font_path; /* for messages: font.path once found */
	dl__font_choice font;
	dl_error *err;
} dl__pdf;

static void dl__pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	dl__pdf *p = user_data;

	if (p->error_no == 0) {
		p->error_no = error_no;
		p->detail_no = detail_no;
	}
}

/*
 * libharu's memory. Every block libharu allocates comes from dl__hpdf_alloc, through the library's
 * wrapper (no memory pool: mem_pool_buf_size 0), and is kept on a list of this thread's render,
 * because libharu 2.3.0 does not free everything when an allocation fails: a dictionary made while
 * HPDF_SaveToStream writes a font, for one, is lost when a later allocation there fails. When the
 * render ends (HPDF_Free), dl__hpdf_release frees what libharu left, so a render never leaks.
 *
 * libharu does not always say that an allocation failed either: some of its functions swallow a
 * failed allocation and a later call fails with another error (an encoder it could not register is
 * an "invalid encoding name"). So every failure of a render in which an allocation failed is
 * DL_ENOMEM, and so is a render that seemed to succeed (dl__pdf_save).
 *
 * Per thread, because the batch renders reports on several threads and libharu's allocation
 * function has no user data to carry a render's state.
 */
typedef union dl__hpdf_block {
	struct {
		union dl__hpdf_block *prev, *next;
	} link;
	max_align_t align; /* the memory after the header is aligned for any type */
} dl__hpdf_block;

static _Thread_local dl__hpdf_block *dl__hpdf_blocks; /* this render's blocks, newest first */
static _Thread_local int dl__hpdf_alloc_failed;

static void *dl__hpdf_alloc(HPDF_UINT size)
{
	dl__hpdf_block *b = size <= (HPDF_UINT)-1 - sizeof(*b) ? dl__malloc(sizeof(*b) + size) : NULL;

	if (b == NULL) {
		dl__hpdf_alloc_failed = 1;
		return NULL;
	}
	b->link.prev = NULL;
	b->link.next = dl__hpdf_blocks;
	if (dl__hpdf_blocks != NULL)
		dl__hpdf_blocks->link.prev = b;
	dl__hpdf_blocks = b;
	return b + 1;
}

static void dl__hpdf_free(void *ptr)
{
	dl__hpdf_block *b;

	if (ptr == NULL)
		return;
	b = (dl__hpdf_block *)ptr - 1;
	if (b->link.prev != NULL)
		b->link.prev->link.next = b->link.next;
	else
		dl__hpdf_blocks = b->link.next;
	if (b->link.next != NULL)
		b->link.next->link.prev = b->link.prev;
	dl__free(b);
}

/* Frees every block libharu still holds; call after HPDF_Free, when none is used any more. */
static void dl__hpdf_release(void)
{
	while (dl__hpdf_blocks != NULL) {
		dl__hpdf_block *next = dl__hpdf_blocks->link.next;
		dl__free(dl__hpdf_blocks);
		dl__hpdf_blocks = next;
	}
}

/* Turns a libharu failure while doing `what` into a DL_E* code and message. */
static int dl__pdf_fail(dl__pdf *p, HPDF_STATUS st, const char *what)
{
	HPDF_STATUS code = p->error_no ? p->error_no : st;

	if (dl__hpdf_alloc_failed)
		code = HPDF_FAILD_TO_ALLOC_MEM;
	switch (code) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		return dl__error_nomem(p->err, _(what));
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		return dl__error_message(p->err, DL_EIO, _("cannot read font '%s' while %s (libharu error 0x%04X)"),
				      p->font_path ? p->font_path : "?", _(what), (unsigned)code);
	case HPDF_INVALID_TTC_FILE:
	case HPDF_INVALID_TTC_INDEX:
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
		return dl__error_message(p->err, DL_EINVALID,
				      _("font '%s' cannot be embedded (libharu error 0x%04X, detail %u)"),
				      p->font_path ? p->font_path : "?", (unsigned)code, (unsigned)p->detail_no);
	default:
		return dl__error_message(p->err, DL_EIO, _("PDF writer failed while %s (libharu error 0x%04X, detail %u)"),
				      _(what), (unsigned)code, (unsigned)p->detail_no);
	}
}

/* Checks a status. */
#define DL__HCHECK(p, call, what)                                                                         \
	do {                                                                                              \
		HPDF_STATUS dl__st = (call);                                                              \
		if (dl__st != HPDF_OK || (p)->error_no != 0)                                              \
			return dl__pdf_fail((p), dl__st, (what));                                         \
	} while (0)

/* Top-down layout y to PDF's bottom-up y. */
static double dl__py(double y)
{
	return DL__PAGE_H - y;
}

/* Sets outline width, grey and dash pattern. */
static int dl__pdf_stroke_style(dl__pdf *p, const dl__paint *paint)
{
	static const HPDF_UINT16 dashed[] = {4, 2};
	static const HPDF_UINT16 dotted[] = {1, 2};

	DL__HCHECK(p, HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)paint->width), N_("drawing a line"));
	DL__HCHECK(p, HPDF_Page_SetGrayStroke(p->page, (HPDF_REAL)paint->stroke), N_("drawing a line"));
	if (paint->dash == DL__DASH_DASHED)
		DL__HCHECK(p, HPDF_Page_SetDash(p->page, dashed, 2, 0), N_("drawing a line"));
	else if (paint->dash == DL__DASH_DOTTED)
		DL__HCHECK(p, HPDF_Page_SetDash(p->page, dotted, 2, 0), N_("drawing a line"));
	else
		DL__HCHECK(p, HPDF_Page_SetDash(p->page, NULL, 0, 0), N_("drawing a line"));
	return 0;
}

/*
 * Sets the letter spacing that stretches a justified line to its width, measured with the real font.
 * Lines with more than four ems to spare are left as they are rather than spaced out conspicuously.
 */
static int dl__pdf_justify(dl__pdf *p, const dl__item *it)
{
	size_t n = 0, pos = 0, len = strlen(it->text);
	HPDF_REAL real, space = 0.0f;

	while (pos < len) {
		dl__utf8_next(it->text, len, &pos);
		n++;
	}
	real = HPDF_Page_TextWidth(p->page, it->text);
	if (p->error_no != 0)
		return dl__pdf_fail(p, HPDF_OK, N_("measuring text"));
	if (n > 1 && it->justify > real && it->justify - real <= 4.0 * it->size)
		space = (HPDF_REAL)(it->justify - real) / (HPDF_REAL)(n - 1);
	DL__HCHECK(p, HPDF_Page_SetCharSpace(p->page, space), N_("writing text"));
	return 0;
}

static int dl__pdf_text(dl__pdf *p, const dl__item *it)
{
	HPDF_REAL x = (HPDF_REAL)it->x;
	int rc;

	if (it->text[0] == '\0')
		return 0;
	DL__HCHECK(p, HPDF_Page_SetFontAndSize(p->page, p->hfont, (HPDF_REAL)it->size), N_("setting text"));
	DL__HCHECK(p, HPDF_Page_SetGrayFill(p->page, (HPDF_REAL)it->paint.fill), N_("setting text"));
	if (it->align != DL__ALIGN_LEFT) {
		/* Re-anchor with the font's real width; it never exceeds the layout's width. */
		HPDF_REAL real = HPDF_Page_TextWidth(p->page, it->text);
		if (p->error_no != 0)
			return dl__pdf_fail(p, HPDF_OK, N_("measuring text"));
		x = it->align == DL__ALIGN_CENTER ? (HPDF_REAL)(it->x + it->w / 2.0) - real / 2.0f
						  : (HPDF_REAL)(it->x + it->w) - real;
	}
	if (it->bold) {
		DL__HCHECK(p, HPDF_Page_SetTextRenderingMode(p->page, HPDF_FILL_THEN_STROKE), N_("setting bold text"));
		DL__HCHECK(p, HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)(it->size * 0.035)), N_("setting bold text"));
		DL__HCHECK(p, HPDF_Page_SetGrayStroke(p->page, (HPDF_REAL)it->paint.fill), N_("setting bold text"));
		DL__HCHECK(p, HPDF_Page_SetDash(p->page, NULL, 0, 0), N_("setting bold text"));
	}
	if (it->justify > 0.0 && (rc = dl__pdf_justify(p, it)) < 0)
		return rc;
	DL__HCHECK(p, HPDF_Page_BeginText(p->page), N_("writing text"));
	DL__HCHECK(p, HPDF_Page_TextOut(p->page, x, (HPDF_REAL)dl__py(it->y), it->text), N_("writing text"));
	DL__HCHECK(p, HPDF_Page_EndText(p->page), N_("writing text"));
	if (it->justify > 0.0)
		DL__HCHECK(p, HPDF_Page_SetCharSpace(p->page, 0.0f), N_("writing text"));
	if (it->bold)
		DL__HCHECK(p, HPDF_Page_SetTextRenderingMode(p->page, HPDF_FILL), N_("setting bold text"));
	return 0;
}

/* Diagonal hatching inside the rectangle (x, y bottom-up, w, h), clipped to it. */
static int dl__pdf_hatch(dl__pdf *p, HPDF_REAL x, HPDF_REAL y, HPDF_REAL w, HPDF_REAL h, double grey)
{
	HPDF_REAL d;

	DL__HCHECK(p, HPDF_Page_GSave(p->page), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_Rectangle(p->page, x, y, w, h), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_Clip(p->page), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_EndPath(p->page), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_SetLineWidth(p->page, 0.6f), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_SetGrayStroke(p->page, (HPDF_REAL)(grey < 0.0 ? 0.0 : grey)), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_SetDash(p->page, NULL, 0, 0), N_("hatching"));
	for (d = -h; d < w; d += 3.0f) {
		DL__HCHECK(p, HPDF_Page_MoveTo(p->page, x + d, y), N_("hatching"));
		DL__HCHECK(p, HPDF_Page_LineTo(p->page, x + d + h, y + h), N_("hatching"));
	}
	DL__HCHECK(p, HPDF_Page_Stroke(p->page), N_("hatching"));
	DL__HCHECK(p, HPDF_Page_GRestore(p->page), N_("hatching"));
	return 0;
}

/* Builds the item's path (rectangle, polygon or circle). */
static int dl__pdf_path(dl__pdf *p, const dl__item *it)
{
	size_t i;

	switch (it->kind) {
	case DL__ITEM_RECT:
		DL__HCHECK(p, HPDF_Page_Rectangle(p->page, (HPDF_REAL)it->x, (HPDF_REAL)dl__py(it->y + it->h),
						  (HPDF_REAL)it->w, (HPDF_REAL)it->h),
			   N_("drawing a shape"));
		return 0;
	case DL__ITEM_CIRCLE:
		DL__HCHECK(p, HPDF_Page_Circle(p->page, (HPDF_REAL)it->x, (HPDF_REAL)dl__py(it->y), (HPDF_REAL)it->w),
			   N_("drawing a shape"));
		return 0;
	default: /* DL__ITEM_POLY */
		for (i = 0; i < it->npts; i++) {
			HPDF_REAL x = (HPDF_REAL)it->pts[2 * i], y = (HPDF_REAL)dl__py(it->pts[2 * i + 1]);
			DL__HCHECK(p, i == 0 ? HPDF_Page_MoveTo(p->page, x, y) : HPDF_Page_LineTo(p->page, x, y),
				   N_("drawing a shape"));
		}
		if (it->closed)
			DL__HCHECK(p, HPDF_Page_ClosePath(p->page), N_("drawing a shape"));
		return 0;
	}
}

/* Fills, hatches and outlines a rectangle, polygon or circle. */
static int dl__pdf_shape(dl__pdf *p, const dl__item *it)
{
	int rc;

	if (it->kind == DL__ITEM_POLY && it->npts < 2)
		return 0;
	if (it->paint.fill >= 0.0) {
		DL__HCHECK(p, HPDF_Page_SetGrayFill(p->page, (HPDF_REAL)it->paint.fill), N_("filling a shape"));
		if ((rc = dl__pdf_path(p, it)) < 0)
			return rc;
		DL__HCHECK(p, HPDF_Page_Fill(p->page), N_("filling a shape"));
	}
	if (it->kind == DL__ITEM_RECT && it->paint.hatch == DL__HATCH_DIAGONAL &&
	    (rc = dl__pdf_hatch(p, (HPDF_REAL)it->x, (HPDF_REAL)dl__py(it->y + it->h), (HPDF_REAL)it->w,
				(HPDF_REAL)it->h, it->paint.stroke)) < 0)
		return rc;
	if (it->paint.stroke >= 0.0) {
		if ((rc = dl__pdf_stroke_style(p, &it->paint)) < 0 || (rc = dl__pdf_path(p, it)) < 0)
			return rc;
		DL__HCHECK(p, HPDF_Page_Stroke(p->page), N_("outlining a shape"));
	}
	return 0;
}

static int dl__pdf_item(dl__pdf *p, const dl__item *it)
{
	int rc;

	switch (it->kind) {
	case DL__ITEM_TEXT:
		return dl__pdf_text(p, it);
	case DL__ITEM_LINE:
		if ((rc = dl__pdf_stroke_style(p, &it->paint)) < 0)
			return rc;
		DL__HCHECK(p, HPDF_Page_MoveTo(p->page, (HPDF_REAL)it->x, (HPDF_REAL)dl__py(it->y)), N_("drawing a line"));
		DL__HCHECK(p, HPDF_Page_LineTo(p->page, (HPDF_REAL)it->x2, (HPDF_REAL)dl__py(it->y2)), N_("drawing a line"));
		DL__HCHECK(p, HPDF_Page_Stroke(p->page), N_("drawing a line"));
		return 0;
	case DL__ITEM_RECT:
	case DL__ITEM_POLY:
	case DL__ITEM_CIRCLE:
		return dl__pdf_shape(p, it);
	case DL__ITEM_NOTE:
		return 0;
	}
	return 0;
}

/* Records libharu's pending error (set by calls that do not go through the error handler). */
static int dl__pdf_fail_pending(dl__pdf *p, const char *what)
{
	if (p->error_no == 0) {
		p->error_no = HPDF_GetError(p->doc);
		p->detail_no = HPDF_GetErrorDetail(p->doc);
	}
	return dl__pdf_fail(p, p->error_no ? HPDF_OK : HPDF_INVALID_FONTDEF_DATA, what);
}

/*
 * Collects the code points of every text the layout draws, as an ascending list (*out from
 * dl__malloc). libharu measures and draws nothing but these texts with the font (the title goes into
 * the Info dictionary as UTF-16), so the subset covers every string of the PDF. Added for libharu's
 * sake: 'H' and 'x', whose glyph heights it reads for the font descriptor's CapHeight and XHeight (so
 * they match the whole font's), and the space when a text holds a character beyond the BMP, which
 * libharu measures as a space.
 */
static int dl__pdf_code_points(dl__pdf *p, const dl__layout *lay, unsigned long **out, size_t *n)
{
	unsigned char seen[0x10000 / 8];
	const dl__page *pg;
	const dl__item *it;
	unsigned long cp, *v;
	size_t count = 0, k = 0;

	memset(seen, 0, sizeof(seen));
	seen['H' / 8] |= (unsigned char)(1u << ('H' % 8));
	seen['x' / 8] |= (unsigned char)(1u << ('x' % 8));
	for (pg = lay->first; pg != NULL; pg = pg->next) {
		for (it = pg->first; it != NULL; it = it->next) {
			size_t pos = 0, len;
			if (it->kind != DL__ITEM_TEXT)
				continue;
			len = strlen(it->text);
			while (pos < len) {
				cp = dl__utf8_next(it->text, len, &pos);
				if (cp > 0xFFFFul)
					cp = ' ';
				seen[cp / 8] |= (unsigned char)(1u << (cp % 8));
			}
		}
	}
	for (cp = 0; cp < 0x10000ul; cp++)
		count += (seen[cp / 8] >> (cp % 8)) & 1u;
	v = dl__malloc(count * sizeof(*v));
	if (v == NULL)
		return dl__error_nomem(p->err, _("collecting the characters of the PDF"));
	for (cp = 0; cp < 0x10000ul; cp++) {
		if ((seen[cp / 8] >> (cp % 8)) & 1u)
			v[k++] = cp;
	}
	*out = v;
	*n = count;
	return 0;
}

/* cp (BMP) as UTF-8 into buf (4 bytes or more), NUL-terminated. */
static void dl__utf8_put(unsigned long cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		buf[1] = '\0';
	} else if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		buf[2] = '\0';
	} else {
		buf[0] = (char)(0xE0 | ((cp >> 12) & 0x0F));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		buf[3] = '\0';
	}
}

/*
 * Refuses a font that has no glyph for a character the document draws (a font without Chinese, say):
 * libharu would draw an empty box for it, silently. The message names the first such character in
 * reading order, and how many others there are.
 */
static int dl__pdf_check_glyphs(dl__pdf *p, const dl__layout *lay, const unsigned long *cps, size_t n)
{
	dl__font_file file = {NULL, 0};
	dl_error font_err;
	unsigned char *absent = dl__calloc(n ? n : 1, 1);
	size_t nabsent = 0;
	unsigned long first = 0;
	char utf8[8];
	int rc;

	if (absent == NULL)
		return dl__error_nomem(p->err, _("checking the font's glyphs"));
	if ((rc = dl__font_map(p->font.path, &file, p->err)) < 0) {
		dl__free(absent);
		return rc;
	}
	rc = dl__font_absent(file.data, file.size, 0, cps, n, absent, &nabsent, &font_err);
	dl__font_unmap(&file);
	if (rc < 0) {
		dl__free(absent);
		return dl__error_message(p->err, rc, _("font '%s' cannot be read: %s"), p->font.path,
				      font_err.message);
	}
	for (const dl__page *pg = lay->first; nabsent && !first && pg != NULL; pg = pg->next)
		for (const dl__item *it = pg->first; !first && it != NULL; it = it->next) {
			size_t pos = 0, len = it->kind == DL__ITEM_TEXT ? strlen(it->text) : 0;
			while (!first && pos < len) {
				unsigned long cp = dl__utf8_next(it->text, len, &pos);
				size_t lo = 0, hi = n;
				while (lo < hi) { /* cps is ascending */
					size_t mid = lo + (hi - lo) / 2;
					if (cps[mid] < cp)
						lo = mid + 1;
					else
						hi = mid;
				}
				if (lo < n && cps[lo] == cp && absent[lo])
					first = cp;
			}
		}
	for (size_t i = 0; nabsent && !first && i < n; i++) /* ('H' or 'x', which the layout may not draw) */
		if (absent[i])
			first = cps[i];
	dl__free(absent);
	if (!nabsent)
		return 0;
	dl__utf8_put(first, utf8);
	if (nabsent == 1)
		return dl__error_message(p->err, DL_EINVALID,
				      _("font '%s' has no glyph for '%s' (U+%04lX), which the report needs; use "
				      "a Chinese font such as WenQuanYi Zen Hei (fonts-wqy-zenhei) or AR PL "
				      "UMing (fonts-arphic-uming)"),
				      p->font.path, utf8, first);
	return dl__error_message(p->err, DL_EINVALID,
			      _("font '%s' has no glyph for '%s' (U+%04lX) nor for %zu other characters the "
			      "report needs; use a Chinese font such as WenQuanYi Zen Hei (fonts-wqy-zenhei) "
			      "or AR PL UMing (fonts-arphic-uming)"),
			      p->font.path, utf8, first, nabsent - 1);
}

/*
 * Loads the font subset for the code points cps[0..n) into the document; sets *name to libharu's
 * name for it.
 *
 * libharu 2.3.0 has no public call that loads a TrueType font from memory. HPDF_LoadTTFontFromFile is,
 * inside, HPDF_TTFontDef_Load on a file stream, registration in the document and the subset tag
 * ("HPDFAA+"); this function does the same on a memory stream, with the functions and structures
 * libharu installs for that (hpdf_fontdef.h, hpdf_doc.h, hpdf_streams.h). Why not the public call on
 * a temporary file (mkstemp, load, unlink): nothing touches the disk, so rendering needs no writable
 * TMPDIR, holds no descriptor until HPDF_Free and leaves no file behind when the process is killed
 * between creating and unlinking it; and it lets us mark every glyph of the subset as used, which
 * libharu's own marking gets wrong for composite glyphs whose components are composite (it follows one
 * level, so their inner components were not embedded). The price is relying on non-API structures
 * (HPDF_Doc_Rec's mmgr and ttfont_tag, HPDF_TTFontDefAttr's glyph flags); Debian pins them: the
 * library's soname is libhpdf-2.3.0.so, so a build against these headers only ever runs with 2.3.0.
 */
static int dl__pdf_load_subset(dl__pdf *p, const unsigned long *cps, size_t n, const char **name)
{
	dl__font_file file = {NULL, 0};
	dl_error sub_err;
	unsigned char *sub = NULL;
	size_t sub_len = 0;
	HPDF_Stream stream;
	HPDF_FontDef def;
	HPDF_TTFontDefAttr attr;
	int rc, i;

	if ((rc = dl__font_map(p->font.path, &file, p->err)) < 0)
		return rc;
	rc = dl__font_subset(file.data, file.size, 0, cps, n, &sub, &sub_len, &sub_err);
	dl__font_unmap(&file);
	if (rc == DL_ENOMEM)
		return dl__error_nomem(p->err, _("building the font subset"));
	if (rc < 0)
		return dl__error_message(p->err, rc, _("font '%s' cannot be embedded: %s"), p->font.path,
				      sub_err.message);
	/* one buffer larger than the data: libharu's memory stream then seeks anywhere in it */
	stream = HPDF_MemStream_New(p->doc->mmgr, (HPDF_UINT)sub_len + 1);
	if (stream == NULL || HPDF_Stream_Write(stream, sub, (HPDF_UINT)sub_len) != HPDF_OK) {
		if (stream != NULL)
			HPDF_Stream_Free(stream);
		dl__free(sub);
		return dl__pdf_fail_pending(p, N_("loading the font"));
	}
	dl__free(sub);
	def = HPDF_TTFontDef_Load(p->doc->mmgr, stream, HPDF_TRUE); /* frees the stream on failure */
	if (def == NULL)
		return dl__pdf_fail_pending(p, N_("loading the font"));
	if (HPDF_Doc_RegisterFontDef(p->doc, def) != HPDF_OK) /* frees def on failure */
		return dl__pdf_fail_pending(p, N_("loading the font"));
	/* the subset tag, as HPDF_LoadTTFontFromFile sets it */
	if (p->doc->ttfont_tag[0] == 0) {
		memcpy(p->doc->ttfont_tag, "HPDFAA", 6);
	} else {
		for (i = 5; i >= 0; i--) {
			if (++p->doc->ttfont_tag[i] <= 'Z')
				break;
			p->doc->ttfont_tag[i] = 'A';
		}
	}
	HPDF_TTFontDef_SetTagName(def, (char *)p->doc->ttfont_tag);
	/* every glyph of the subset is needed: embed them all */
	attr = (HPDF_TTFontDefAttr)def->attr;
	memset(attr->glyph_tbl.flgs, 1, attr->num_glyphs);
	*name = def->base_font;
	return 0;
}

/*
 * The Info dictionary: the title (opts->title, else the layout's), author (the issuing
 * organisation), subject and keywords, as UTF-16 through the UTF-8 encoder; and the catalog's /Lang
 * (zh-CN), which libharu 2.3.0 has no call for, so it is added to the catalog dictionary directly.
 */
static int dl__pdf_info(dl__pdf *p, const dl__pdf_options *opts, const dl__layout *lay)
{
	const char *title = opts != NULL && opts->title != NULL && opts->title[0] != '\0'
				? opts->title
				: lay->info.title;
	HPDF_String lang;

	if (title[0] != '\0')
		DL__HCHECK(p, HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title), N_("setting the title"));
	if (lay->info.author[0] != '\0')
		DL__HCHECK(p, HPDF_SetInfoAttr(p->doc, HPDF_INFO_AUTHOR, lay->info.author),
			   N_("setting the author"));
	if (lay->info.subject[0] != '\0')
		DL__HCHECK(p, HPDF_SetInfoAttr(p->doc, HPDF_INFO_SUBJECT, lay->info.subject),
			   N_("setting the subject"));
	if (lay->info.keywords[0] != '\0')
		DL__HCHECK(p, HPDF_SetInfoAttr(p->doc, HPDF_INFO_KEYWORDS, lay->info.keywords),
			   N_("setting the keywords"));
	lang = HPDF_String_New(p->doc->mmgr, "zh-CN", NULL);
	if (lang == NULL || p->error_no != 0)
		return dl__pdf_fail(p, HPDF_OK, N_("setting the language"));
	DL__HCHECK(p, HPDF_Dict_Add(p->doc->catalog, "Lang", lang), N_("setting the language"));
	return 0;
}

/*
 * Creates the libharu document with its UTF-8 font: the subset of the characters the layout draws,
 * or, for a document with more different characters than a subset holds, the whole font.
 */
static int dl__pdf_open(dl__pdf *p, const dl__pdf_options *opts, const dl__layout *lay)
{
	const char *name = NULL;
	unsigned long *cps = NULL;
	size_t ncps = 0;
	int rc;

	if ((rc = dl__font_find(opts ? opts->font_path : NULL, &p->font, p->err)) < 0)
		return rc;
	if ((rc = dl__pdf_code_points(p, lay, &cps, &ncps)) < 0)
		return rc;
	if ((rc = dl__pdf_check_glyphs(p, lay, cps, ncps)) < 0) {
		dl__free(cps);
		return rc;
	}
	dl__hpdf_alloc_failed = 0;
	p->doc = HPDF_NewEx(dl__pdf_on_error, dl__hpdf_alloc, dl__hpdf_free, 0, p);
	if (p->doc == NULL) {
		dl__free(cps);
		return dl__error_nomem(p->err, _("creating the PDF"));
	}
	p->font_path = p->font.path;
	if (HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL) != HPDF_OK ||
	    HPDF_UseUTFEncodings(p->doc) != HPDF_OK || HPDF_SetCurrentEncoder(p->doc, "UTF-8") != HPDF_OK) {
		dl__free(cps);
		return dl__pdf_fail(p, HPDF_OK, N_("creating the PDF"));
	}
	if (ncps <= DL__FONT_SUBSET_MAX) {
		rc = dl__pdf_load_subset(p, cps, ncps, &name);
		dl__free(cps);
		if (rc < 0)
			return rc;
	} else {
		dl__free(cps);
		name = p->font.collection ? HPDF_LoadTTFontFromFile2(p->doc, p->font.path, 0, HPDF_TRUE)
					  : HPDF_LoadTTFontFromFile(p->doc, p->font.path, HPDF_TRUE);
		if (name == NULL || p->error_no != 0)
			return dl__pdf_fail(p, HPDF_OK, N_("loading the font"));
	}
	p->hfont = HPDF_GetFont(p->doc, name, "UTF-8");
	if (p->hfont == NULL || p->error_no != 0)
		return dl__pdf_fail(p, HPDF_OK, N_("loading the font"));
	return dl__pdf_info(p, opts, lay);
}


/* One bookmark per heading, pointing at its page and height; level 2 under the level 1 before it. */
static int dl__pdf_outline(dl__pdf *p, const dl__layout *lay, HPDF_Page *pages)
{
	HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
	HPDF_Outline parent = NULL, o;
	HPDF_Destination dst;
	const dl__mark *m;

	if (lay->marks == NULL)
		return 0;
	if (enc == NULL || p->error_no != 0)
		return dl__pdf_fail(p, HPDF_OK, N_("making the bookmarks"));
	for (m = lay->marks; m != NULL; m = m->next) {
		o = HPDF_CreateOutline(p->doc, m->level == 1 ? NULL : parent, m->text, enc);
		if (o == NULL || p->error_no != 0)
			return dl__pdf_fail(p, HPDF_OK, N_("making the bookmarks"));
		if (m->level == 1)
			parent = o;
		dst = HPDF_Page_CreateDestination(pages[m->page->index - 1]);
		if (dst == NULL || p->error_no != 0)
			return dl__pdf_fail(p, HPDF_OK, N_("making the bookmarks"));
		DL__HCHECK(p, HPDF_Destination_SetFitH(dst, (HPDF_REAL)(DL__PAGE_H - m->y + 6.0)),
			   N_("making the bookmarks"));
		DL__HCHECK(p, HPDF_Outline_SetDestination(o, dst), N_("making the bookmarks"));
	}
	return 0;
}

/* Saves the document into a new buffer. */
static int dl__pdf_save(dl__pdf *p, unsigned char **out, size_t *len)
{
	unsigned char *buf = NULL;
	HPDF_UINT32 size, got = 0, n;
	HPDF_STATUS st;
	int rc;

	DL__HCHECK(p, HPDF_SaveToStream(p->doc), N_("writing the PDF"));
	size = HPDF_GetStreamSize(p->doc);
	if (size == 0 || p->error_no != 0)
		return dl__pdf_fail(p, HPDF_OK, N_("writing the PDF"));
	DL__HCHECK(p, HPDF_ResetStream(p->doc), N_("writing the PDF"));
	buf = dl__malloc(size);
	if (buf == NULL)
		return dl__error_nomem(p->err, _("writing the PDF"));
	while (got < size) {
		n = size - got;
		st = HPDF_ReadFromStream(p->doc, buf + got, &n);
		got += n;
		if (st == HPDF_STREAM_EOF && got == size) {
			/* Reading the last byte may report end of stream: not an error. */
			HPDF_ResetError(p->doc);
			p->error_no = 0;
			break;
		}
		if (st != HPDF_OK || n == 0) {
			rc = dl__pdf_fail(p, st != HPDF_OK ? st : HPDF_STREAM_EOF, N_("reading the PDF back"));
			dl__free(buf);
			return rc;
		}
	}
	if (dl__hpdf_alloc_failed) {
		dl__free(buf);
		return dl__error_nomem(p->err, _("writing the PDF"));
	}
	*out = buf;
	*len = size;
	return 0;
}

int dl__pdf_render(const dl__layout *lay, const dl__pdf_options *opts, unsigned char **out, size_t *len,
		   dl_error *err)
{
	dl__pdf p;
	const dl__page *pg;
	const dl__item *it;
	HPDF_Page *pages = NULL;
	int rc;

	memset(&p, 0, sizeof(p));
	p.err = err;
	pages = dl__calloc(lay->npages ? lay->npages : 1, sizeof(HPDF_Page));
	if (pages == NULL)
		return dl__error_nomem(err, _("creating the PDF"));
	if ((rc = dl__pdf_open(&p, opts, lay)) < 0)
		goto done;
	for (pg = lay->first; pg != NULL; pg = pg->next) {
		p.page = HPDF_AddPage(p.doc);
		pages[pg->index - 1] = p.page;
		if (p.page == NULL || p.error_no != 0) {
			rc = dl__pdf_fail(&p, HPDF_OK, N_("adding a page"));
			goto done;
		}
		if (HPDF_Page_SetWidth(p.page, (HPDF_REAL)DL__PAGE_W) != HPDF_OK ||
		    HPDF_Page_SetHeight(p.page, (HPDF_REAL)DL__PAGE_H) != HPDF_OK ||
		    HPDF_Page_SetLineJoin(p.page, HPDF_ROUND_JOIN) != HPDF_OK) {
			rc = dl__pdf_fail(&p, HPDF_OK, N_("adding a page"));
			goto done;
		}
		for (it = pg->first; it != NULL; it = it->next) {
			if ((rc = dl__pdf_item(&p, it)) < 0)
				goto done;
		}
	}
	if ((rc = dl__pdf_outline(&p, lay, pages)) < 0)
		goto done;
	rc = dl__pdf_save(&p, out, len);
done:
	dl__free(pages);
	if (p.doc != NULL)
		HPDF_Free(p.doc);
	dl__hpdf_release();
	return rc;
}

int dl__doc_render_pdf(const dl__doc *doc, const dl__pdf_options *opts, unsigned char **out, size_t *len,
		       dl_error *err)
{
	dl__layout *lay = NULL;
	int rc;

	if ((rc = dl__layout_run(&lay, doc, err)) < 0)
		goto done;
	rc = dl__pdf_render(lay, opts, out, len, err);
done:
	dl__layout_free(lay);
	return rc;
}
