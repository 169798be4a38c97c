/*
 * fuzz_font.c: libFuzzer target for the TrueType subsetter (reports/font_subset.c), which parses
 * the font file the reports embed. The font comes from the system or from --font / $DIGILEVEL_FONT,
 * so it is not trusted to be well formed: a damaged font must be an error, never a read outside the
 * file (ASan) or a crash.
 *
 * The fuzzed bytes are the font, tried as face 0 for a fixed set of code points (ASCII, CJK, the
 * marks the reports use, one beyond the BMP; ascending, as the subsetter requires). Beyond "no
 * crash": a subset that was built must itself be a font the subsetter reads, and subsetting it
 * again for the same code points must give the same bytes (the subset maps every code point it kept
 * to the same glyph, in the same order). The glyph check (dl__font_absent) reads the same font and
 * must find the subset lacking exactly what the font lacks.
 */
#include "fuzz_common.h"

#include "font_subset.h"

static const unsigned long CODE_POINTS[] = {0x20,   0x30,   0x31,   0x41,   0x48,   0x61,   0x78,
					    0xD7,   0x221A, 0x25CB, 0x2605, 0x4E00, 0x4E2D, 0x5B57,
					    0x6570, 0x7EA7, 0x8BC4, 0xFF08, 0xFF09, 0x1F600};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = sizeof(CODE_POINTS) / sizeof(CODE_POINTS[0]);
	unsigned char *subset = NULL, *again = NULL;
	size_t len = 0, len_again = 0;
	dl_error err;
	unsigned char absent[sizeof(CODE_POINTS) / sizeof(CODE_POINTS[0])];
	unsigned char absent_again[sizeof(absent)];
	size_t nabsent = 0, nabsent_again = 0;
	int absent_rc = dl__font_absent(data, size, 0, CODE_POINTS, n, absent, &nabsent, &err);
	if (dl__font_subset(data, size, 0, CODE_POINTS, n, &subset, &len, &err) != 0)
		return 0;
	if (absent_rc != 0)
		fuzz_fail("absent", "the glyph check cannot read a font the subsetter read");
	if (dl__font_absent(subset, len, 0, CODE_POINTS, n, absent_again, &nabsent_again, &err) != 0 ||
	    nabsent_again != nabsent || memcmp(absent, absent_again, n) != 0)
		fuzz_fail("absent", "the subset lacks other characters than the font");
	if (len == 0)
		fuzz_fail("subset", "an empty font was returned");
	if (dl__font_subset(subset, len, 0, CODE_POINTS, n, &again, &len_again, &err) != 0)
		fuzz_fail("the subset cannot be read again", err.message);
	if (len_again != len || memcmp(again, subset, len) != 0)
		fuzz_fail("subset", "subsetting a subset again gives other bytes");
	dl__free(again);
	dl__free(subset);
	return 0;
}
