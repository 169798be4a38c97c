/*
 * font.c: finding, checking and reading the CJK TrueType font for the PDF back end.
 *
 * A PDF without a usable CJK font would come out with blank text, which nobody notices until the report
 * is handed over; so the font is looked for in a documented order (font_file.h, docs/reports.md) and every
 * failure is an error that says what was tried. The checks here run before libharu sees the file, so
 * the message can be precise ("not a TrueType font", "Micro Hei renders blank").
 *
 * The font is read by mapping it: a report needs a few hundred of its 40,000 glyphs (font_subset.c),
 * so only the pages holding them and the tables are touched, not the whole 16-21 MB file.
 */
#include "font_file.h"
#include "i18n.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const dl__system_fonts[] = {
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
};

/* 1 when the path names WenQuanYi Micro Hei ("microhei" ignoring case, '-', '_' and ' '). */
static int dl__is_micro_hei(const char *path)
{
	static const char needle[] = "microhei";
	size_t i, k;

	for (i = 0; path[i] != '\0'; i++) {
		const char *p = path + i;
		for (k = 0; needle[k] != '\0' && *p != '\0'; p++) {
			if (*p == '-' || *p == '_' || *p == ' ')
				continue;
			if (tolower((unsigned char)*p) != needle[k])
				break;
			k++;
		}
		if (needle[k] == '\0')
			return 1;
	}
	return 0;
}

/*
 * Probes one font file. Returns 0 with *collection set, or DL_EIO / DL_EINVALID with a short
 * reason ("No such file or directory", "not a TrueType font") in reason.
 */
static int dl__font_probe(const char *path, int *collection, char *reason, size_t size)
{
	unsigned char magic[4];
	FILE *fp;
	size_t got;
	struct stat st;
	int fd;

	if (dl__is_micro_hei(path)) {
		snprintf(reason, size, _("WenQuanYi Micro Hei, whose glyphs libharu 2.3.0 renders blank; use "
				       "WenQuanYi Zen Hei or AR PL UMing"));
		return DL_EINVALID;
	}
	if (strlen(path) >= DL__FONT_PATH_MAX) {
		snprintf(reason, size, _("path too long"));
		return DL_EINVALID;
	}
	/* never wait on a FIFO or a device put where a font was expected: only a regular file is read */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(reason, size, "%s", dl_strerror(errno));
		return DL_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(reason, size, _("not a regular file"));
		return DL_EINVALID;
	}
	fp = fdopen(fd, "rb");
	if (fp == NULL) {
		snprintf(reason, size, "%s", dl_strerror(errno));
		close(fd);
		return DL_EIO;
	}
	got = fread(magic, 1, sizeof(magic), fp);
	fclose(fp);
	if (got == sizeof(magic) && memcmp(magic, "ttcf", 4) == 0) {
		*collection = 1;
		return 0;
	}
	if (got == sizeof(magic) && (memcmp(magic, "\0\1\0\0", 4) == 0 || memcmp(magic, "true", 4) == 0)) {
		*collection = 0;
		return 0;
	}
	if (got == sizeof(magic) && memcmp(magic, "OTTO", 4) == 0)
		snprintf(reason, size, _("CFF outlines; libharu needs a TrueType font"));
	else
		snprintf(reason, size, _("not a TrueType font"));
	return DL_EINVALID;
}

int dl__font_check(const char *path, const char *source, int *collection, dl_error *err)
{
	char reason[160];
	int rc = dl__font_probe(path, collection, reason, sizeof(reason));

	if (rc == DL_EIO)
		return dl__error_message(err, rc, _("font '%s' (from %s) cannot be read: %s"), path, _(source),
					 reason);
	if (rc < 0)
		return dl__error_message(err, rc, _("font '%s' (from %s) is not usable: %s"), path, _(source),
					 reason);
	return 0;
}

/* Fills *out with a checked path. */
static int dl__font_take(const char *path, const char *source, dl__font_choice *out, dl_error *err)
{
	int collection = 0, rc;

	if ((rc = dl__font_check(path, source, &collection, err)) < 0)
		return rc;
	snprintf(out->path, sizeof(out->path), "%s", path);
	out->collection = collection;
	out->source = source;
	return 0;
}

int dl__font_find_in(const char *explicit_path, const char *env_value, const char *const *system_paths,
		     size_t nsystem, dl__font_choice *out, dl_error *err)
{
	char tried[DL_ERROR_MESSAGE_MAX], reason[160];
	size_t i, at = 0;
	int n, collection = 0;

	if (explicit_path != NULL && explicit_path[0] != '\0')
		return dl__font_take(explicit_path, N_("the font option"), out, err);
	if (env_value != NULL && env_value[0] != '\0')
		return dl__font_take(env_value, DL__FONT_ENV, out, err);
	tried[0] = '\0';
	for (i = 0; i < nsystem; i++) {
		if (dl__font_probe(system_paths[i], &collection, reason, sizeof(reason)) == 0) {
			snprintf(out->path, sizeof(out->path), "%s", system_paths[i]);
			out->collection = collection;
			out->source = "system";
			return 0;
		}
		n = snprintf(tried + at, sizeof(tried) - at, "%s%s (%s)", i ? ", " : "", system_paths[i], reason);
		if (n > 0 && (size_t)n < sizeof(tried) - at)
			at += (size_t)n;
	}
	return dl__error_message(err, DL_EIO,
			      _("no CJK TrueType font found: %s is unset, tried %s; install fonts-wqy-zenhei or "
			      "fonts-arphic-uming, or set %s to a .ttf/.ttc file"),
			      DL__FONT_ENV, nsystem ? tried : _("no system paths"), DL__FONT_ENV);
}

int dl__font_find(const char *explicit_path, dl__font_choice *out, dl_error *err)
{
	return dl__font_find_in(explicit_path, getenv(DL__FONT_ENV), dl__system_fonts,
				sizeof(dl__system_fonts) / sizeof(dl__system_fonts[0]), out, err);
}

int dl__font_map(const char *path, dl__font_file *out, dl_error *err)
{
	struct stat st;
	void *p;
	int fd, e;

	out->data = NULL;
	out->size = 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* a FIFO is refused below, not waited on */
	if (fd < 0)
		return dl__error_message(err, DL_EIO, _("cannot read font '%s': %s"), path, dl_strerror(errno));
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		return dl__error_message(err, DL_EIO, _("cannot read font '%s': %s"), path, dl_strerror(e));
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (unsigned long long)st.st_size > DL__FONT_FILE_MAX) {
		close(fd);
		return dl__error_message(err, DL_EINVALID, _("font '%s' is not usable: %s"), path,
				      !S_ISREG(st.st_mode) ? _("not a regular file")
				      : st.st_size <= 0   ? _("empty")
							  : _("larger than 256 MiB"));
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	e = errno;
	close(fd); /* the mapping stays valid */
	if (p == MAP_FAILED)
		return dl__error_message(err, DL_EIO, _("cannot read font '%s': %s"), path, dl_strerror(e));
	out->data = p;
	out->size = (size_t)st.st_size;
	return 0;
}

void dl__font_unmap(dl__font_file *f)
{
	if (f->data != NULL)
		munmap((void *)(uintptr_t)f->data, f->size);
	f->data = NULL;
	f->size = 0;
}
