/*
 * rerror.c: filling the report layer's error struct.
 *
 * Kept apart so that the formatting rule (bounded, truncating, never allocating) lives in one place and
 * the mapping to the public dl_error can later be done here too.
 */
#include "rbase.h"

#include <stdarg.h>
#include <stdio.h>

int dl__rerror_set(dl__rerror *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	if (vsnprintf(err->message, sizeof(err->message), fmt, ap) < 0)
		err->message[0] = '\0';
	va_end(ap);
	return code;
}

int dl__rerror_nomem(dl__rerror *err, const char *what)
{
	return dl__rerror_set(err, DL__R_ENOMEM, "out of memory while %s", what);
}
