/*
 * schemas.h: the XSD files, embedded into the library at build time (build/gen/schemas.c, made by
 * the Makefile from the XSD files in questionnaires/), so validation never depends on where the library runs.
 */
#ifndef DL_SCHEMAS_H
#define DL_SCHEMAS_H

#include <stddef.h>

typedef struct dl__embedded_schema {
	const char *name;
	const unsigned char *data;
	size_t len;
} dl__embedded_schema;

/** Indexed by dl__schema_id; data files follow (DL__EMBEDDED_TAGS, engine/input/xmldoc.h). */
extern const dl__embedded_schema dl__embedded_schemas[];

#endif
