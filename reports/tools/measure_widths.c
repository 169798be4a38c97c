/*
 * measure_widths.c: prints the advance widths of printable ASCII in the supported CJK fonts, and the
 * per-character maximum, as the C table used by reports/textmetrics.c.
 *
 * Why: the layout measures text without libharu and without the font, so that the text dump and the
 * PDF agree on every line and page break whichever supported font is used. The table is the maximum of
 * the fonts' real widths, so measured text is never narrower than rendered text. Rerun this when a font
 * is added to the supported list; it is a developer tool, not part of the library or its tests.
 *
 *   gcc -std=c11 -Wall reports/tools/measure_widths.c -lhpdf -o /tmp/measure_widths && /tmp/measure_widths
 */
#include <hpdf.h>
#include <stdio.h>

static const char *const fonts[] = {
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	(void)user_data;
	fprintf(stderr, "libharu error 0x%04X (detail %u)\n", (unsigned)error_no, (unsigned)detail_no);
}

int main(void)
{
	unsigned max[128] = {0};
	size_t i;
	int c;

	for (i = 0; i < sizeof(fonts) / sizeof(fonts[0]); i++) {
		HPDF_Doc pdf = HPDF_New(on_error, NULL);
		const char *name;
		HPDF_Font font;

		if (pdf == NULL)
			return 1;
		HPDF_UseUTFEncodings(pdf);
		name = HPDF_LoadTTFontFromFile2(pdf, fonts[i], 0, HPDF_TRUE);
		font = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
		if (font == NULL) {
			fprintf(stderr, "cannot load %s\n", fonts[i]);
			HPDF_Free(pdf);
			return 1;
		}
		printf("/* %s (%s) */\n", fonts[i], name);
		for (c = 32; c < 127; c++) {
			HPDF_BYTE s[1] = {(HPDF_BYTE)c};
			HPDF_TextWidth w = HPDF_Font_TextWidth(font, s, 1);
			if (w.width > max[c])
				max[c] = w.width;
		}
		HPDF_Free(pdf);
	}
	printf("static const unsigned short dl__ascii_advance[95] = {\n");
	for (c = 32; c < 127; c++)
		printf("%s%u,%s", (c - 32) % 12 == 0 ? "\t" : " ", max[c], (c - 32) % 12 == 11 || c == 126 ? "\n" : "");
	printf("};\n");
	return 0;
}
