/*
 * test_tags.c: the known titles (questionnaires/tags.xml, embedded; include/digilevel/sheet.h
 * dl_tag_*): the embedded list loads and holds every title a bundled targets file counts, near
 * misses name the title meant, and loading a sheet with such tags warns (code DL_OK) without
 * failing, once per tag, at the tag.
 *
 * Checks as tests/unit/test_util.h says. Run from the repository root.
 */
#define _POSIX_C_SOURCE 200809L

#include <digilevel.h>

#include <stdio.h>
#include <string.h>

#include "test_util.h"

typedef struct seen {
	int warnings, errors;
	char first[DL_ERROR_FORMAT_MAX];
} seen;

static void collect(const dl_error *e, void *userdata)
{
	seen *s = userdata;
	if (e->code == DL_OK && s->warnings++ == 0)
		dl_error_format(e, s->first, sizeof(s->first));
	else if (e->code != DL_OK)
		s->errors++;
}

static void test_list(void)
{
	static const char *const counted[] = {"专精特新中小企业", "专精特新“小巨人”企业", "高新技术企业",
					      "科技型中小企业"};
	check(dl_tag_known_count() >= 8, "the embedded list loads (%zu titles)", dl_tag_known_count());
	for (size_t i = 0; i < sizeof(counted) / sizeof(counted[0]); i++)
		check(dl_tag_known(counted[i]), "%s, counted by hongsibu-2024-targets.xml, is known", counted[i]);
	for (size_t i = 0; i < dl_tag_known_count(); i++)
		check(dl_tag_known(dl_tag_known_name(i)) && dl_tag_meant(dl_tag_known_name(i)) == NULL,
		      "title %zu '%s' is known and means itself", i, dl_tag_known_name(i));
	check(strcmp(dl_tag_known_name(dl_tag_known_count()), "") == 0, "a title out of range is \"\"");
}

static void test_meant(void)
{
	static const char *const pairs[][2] = {
	    {"专精特新", "专精特新中小企业"},
	    {"高新技术企业（国家级）", "高新技术企业"},
	    {"国家高新技术企业", "高新技术企业"},
	    {"专精特新\"小巨人\"企业", "专精特新“小巨人”企业"},
	    {"专精特新「小巨人」企业", "专精特新“小巨人”企业"},
	    {"专精特新小巨人", "专精特新“小巨人”企业"},
	    {" 科技型中小企业 ", "科技型中小企业"},
	    {"专精特新“小巨人”企业(培育对象)", "专精特新“小巨人”企业（培育对象）"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *m = dl_tag_meant(pairs[i][0]);
		check(!dl_tag_known(pairs[i][0]) && m && strcmp(m, pairs[i][1]) == 0,
		      "'%s' is not a title and means '%s' (%s)", pairs[i][0], pairs[i][1], m ? m : "NULL");
	}
	check(dl_tag_meant("明星企业") == NULL && !dl_tag_known("明星企业"),
	      "a tag like no title is unknown and means none");
	check(!dl_tag_known(NULL) && dl_tag_meant(NULL) == NULL, "NULL is no tag");
}

static void test_sheet_warns(void)
{
	seen s = {0, 0, ""};
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.diag = collect;
	opts.diag_data = &s;
	dl_sheet *sh = NULL;
	dl_error err;
	/* <tags><tag>专精特新</tag><tag>高新技术企业（国家级）</tag><tag>专精特新"小巨人"企业</tag>
	 * <tag>自治区农业产业化重点龙头企业</tag><tag>明星企业</tag></tags> on line 15 */
	int rc = dl_sheet_load(&sh, "tests/cases/tags-near-miss/sheet.xml", &opts, &err);
	check(rc == 0 && s.errors == 0, "a sheet with unknown tags loads (rc %d, %d problems)", rc, s.errors);
	check(s.warnings == 4, "one warning for each of the four tags that are not titles (%d)", s.warnings);
	check(strstr(s.first, "sheet.xml:15:11: warning: ") != NULL && strstr(s.first, "'专精特新中小企业'"),
	      "the warning is at the tag and names the title meant: %s", s.first);
	dl_sheet_free(sh);
}

int main(void)
{
	dl_set_language(DL_LANGUAGE_EN);
	test_list();
	test_meant();
	test_sheet_warns();
	return test_done();
}
