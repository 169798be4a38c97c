/*
 * buffer.c: a growing text in memory (buffer.h). One copy of what the report back ends, the batch
 * archive and the workbook reader each wrote for themselves.
 */
#include "buffer.h"

#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Room for n more bytes and the terminating NUL; false (and failed) when it cannot be had. */
static bool reserve(dl__buffer *b, size_t n)
{
	if (b->failed)
		return false;
	if (n < b->cap - b->len)
		return true;
	if (n > (size_t)-1 / 2 - b->len) {
		b->failed = true;
		return false;
	}
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len <= n)
		cap *= 2;
	char *grown = dl__realloc(b->data, cap);
	if (!grown) {
		b->failed = true;
		return false;
	}
	b->data = grown;
	b->cap = cap;
	return true;
}

void dl__buffer_add(dl__buffer *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void dl__buffer_str(dl__buffer *b, const char *s)
{
	dl__buffer_add(b, s, strlen(s));
}

void dl__buffer_printf(dl__buffer *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		dl__buffer_add(b, small, (size_t)n);
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int dl__buffer_write(void *userdata, const char *data, size_t len)
{
	dl__buffer *b = userdata;
	dl__buffer_add(b, data, len);
	return b->failed ? -1 : 0;
}

void dl__buffer_free(dl__buffer *b)
{
	dl__free(b->data);
	*b = (dl__buffer)DL__BUFFER_INIT;
}
