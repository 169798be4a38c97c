/*
 * test_limits.c: the limits checked on the raw bytes before libxml2 parses a document
 * (dl__raw_scan_feed in engine/input/xmldoc.c). libxml2 2.9.14 compares each attribute of a start tag
 * with every earlier one and stops growing its name dictionary at a few thousand buckets, so an
 * element with 100,000 attributes took 131 s and a 16 MiB file of distinct element names more
 * than four minutes. Each worst case below must be refused at once, with its position; the whole
 * program runs in well under a second (it asserts no time: the suite's timeout would show it).
 */
#include "test_util.h"

#include <digilevel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<answer-sheet questionnaire=\"miit-2024\" version=\"2024\">\n  "

/* A sheet whose second line holds count copies of unit(i) inside <open ...>; len in *len. */
static char *sheet_with(size_t count, const char *open, const char *fmt, const char *close,
			size_t *len)
{
	size_t cap = count * 48 + 256;
	char *s = malloc(cap);
	if (!s)
		exit(1);
	size_t n = (size_t)snprintf(s, cap, HEAD "%s", open);
	for (size_t i = 0; i < count; i++)
		n += (size_t)snprintf(s + n, cap - n, fmt, i, i);
	n += (size_t)snprintf(s + n, cap - n, "%s\n</answer-sheet>\n", close);
	*len = n;
	return s;
}

static void expect(const char *what, const char *text, size_t len, int want, const char *message,
		   unsigned long line, unsigned long column)
{
	dl_sheet *s = NULL;
	dl_error err;
	memset(&err, 0, sizeof(err));
	int rc = dl_sheet_load_memory(&s, text, len, "t.xml", NULL, &err);
	check(rc == want && strstr(err.message, message) && err.line == line && err.column == column,
	      "%s (%zu bytes): %d %lu:%lu: %s", what, len, rc, err.line, err.column, err.message);
	dl_sheet_free(s);
}

int main(void)
{
	size_t len;
	char *text = sheet_with(100000, "<enterprise", " a%zu=\"%zu\"", "/>", &len);
	expect("an element with 100,000 attributes", text, len, DL_ELIMIT,
	       "<enterprise> has more than 256 attributes", 3, 3);
	free(text);

	text = sheet_with(256, "<enterprise", " a%zu=\"%zu\"", "/>", &len);
	expect("256 attributes are parsed (and refused by the schema)", text, len, DL_EINVALID,
	       "has no attribute a0", 3, 3);
	free(text);

	/* quotes, comments and CDATA hold no attributes */
	text = sheet_with(300, "<enterprise note='a=\"1\" b=\"2\"'><!-- ", " c%zu=\"%zu\"",
			  " --><![CDATA[ d=\"1\" e=\"2\" ]]><?pi f=\"1\"?></enterprise>", &len);
	expect("attributes inside a value, a comment, CDATA and a PI are not counted", text, len,
	       DL_EINVALID, "", 3, 3);
	free(text);

	text = sheet_with(65, "<enterprise", " xmlns:p%zu=\"urn:%zu\"", "/>", &len);
	expect("65 namespace declarations", text, len, DL_ELIMIT, "more than 64 namespace", 3, 3);
	free(text);

	text = sheet_with(400000, "<enterprise>", "<e%zx%zx/>", "</enterprise>", &len);
	expect("a file of distinct element names", text, len, DL_ELIMIT,
	       "more than 1024 different names", 3, 9661);
	free(text);

	text = sheet_with(400000, "<enterprise>", "<?p%zx%zx?>", "</enterprise>", &len);
	expect("a file of distinct processing instructions", text, len, DL_ELIMIT,
	       "more than 1024 different names", 3, 10680);
	free(text);

	/* blank texts are never interned (on_characters in xmldoc.c), between elements nor inside them */
	for (int leaf = 0; leaf < 2; leaf++) {
		text = malloc((size_t)400000 * 28 + 256);
		if (!text)
			return 1;
		len = (size_t)sprintf(text, HEAD "<enterprise>");
		for (size_t i = 0; i < 400000; i++) { /* 20 blanks made distinct by i's bits */
			len += (size_t)sprintf(text + len, leaf ? "<a>" : "<a/>");
			for (int b = 0; b < 20; b++)
				text[len++] = (char)(((i >> b) & 1) ? ' ' : '\t');
			if (leaf)
				len += (size_t)sprintf(text + len, "</a>");
		}
		len += (size_t)sprintf(text + len, "</enterprise>\n</answer-sheet>\n");
		expect(leaf ? "a file of elements holding distinct blank runs"
			    : "a file of distinct blank runs between elements",
		       text, len, DL_EINVALID, "not expected", 3, 15);
		free(text);
	}

	return test_done();
}
