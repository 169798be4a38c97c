/*
 * respond.c: filling a response (server.h): a growable buffer the library's writers write into,
 * JSON strings, errors as {"error": ...}, redirects. Every handler answers through these, so that
 * an error's shape and escaping are the same everywhere.
 */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(srv_buf *b, size_t more)
{
	if (b->failed)
		return DL_ENOMEM;
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return DL_ENOMEM;
		}
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return DL_ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int srv_buf_write(void *buf, const char *data, size_t len)
{
	srv_buf *b = buf;
	if (reserve(b, len) < 0)
		return -1;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int srv_buf_puts(srv_buf *b, const char *s)
{
	return srv_buf_write(b, s, strlen(s)) < 0 ? DL_ENOMEM : 0;
}

int srv_buf_printf(srv_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n) < 0)
		return DL_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void srv_buf_free(srv_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

int srv_json_string(srv_buf *b, const char *s)
{
	int rc = srv_buf_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++) {
		if (*p == '"' || *p == '\\')
			rc = srv_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			rc = srv_buf_printf(b, "\\u%04x", *p);
		else
			rc = srv_buf_write(b, (const char *)p, 1) < 0 ? DL_ENOMEM : 0;
	}
	return rc == 0 ? srv_buf_puts(b, "\"") : rc;
}

static void set_body(srv_response *rs, int status, const char *type, unsigned char *body, size_t len)
{
	free(rs->body);
	rs->status = status;
	rs->content_type = type;
	rs->body = body;
	rs->len = len;
}

int srv_respond_buf(srv_response *rs, int status, const char *content_type, srv_buf *b)
{
	if (b->failed) {
		srv_buf_free(b);
		return DL_ENOMEM;
	}
	if (!b->data && srv_buf_puts(b, "") < 0)
		return DL_ENOMEM;
	set_body(rs, status, content_type, (unsigned char *)b->data, b->len);
	memset(b, 0, sizeof *b);
	return 0;
}

int srv_respond_bytes(srv_response *rs, int status, const char *content_type, const void *data,
		      size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy)
		return DL_ENOMEM;
	if (len)
		memcpy(copy, data, len);
	set_body(rs, status, content_type, copy, len);
	return 0;
}

int srv_respond_error(srv_response *rs, int status, const char *message)
{
	srv_buf b = {0};
	srv_buf_puts(&b, "{\"error\": ");
	srv_json_string(&b, message);
	srv_buf_puts(&b, "}\n");
	return srv_respond_buf(rs, status, "application/json; charset=utf-8", &b);
}

int srv_respond_redirect(srv_response *rs, const char *location)
{
	size_t n = strlen(location);
	if (n >= sizeof rs->location)
		return DL_ELIMIT;
	memcpy(rs->location, location, n + 1);
	return srv_respond_bytes(rs, 303, "text/plain; charset=utf-8", "", 0);
}
