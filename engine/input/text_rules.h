/*
 * text_rules.h: the characters an input's texts may hold (see text_rules.c): no control characters
 * or direction controls anywhere, and line breaks only in the schema's multi-line "text" elements.
 */
#ifndef DL_TEXT_RULES_H
#define DL_TEXT_RULES_H

#include "xmldoc.h"

/**
 * Check every attribute and text under root (a document of the given schema), reporting each field
 * that breaks the rules to d at its element, naming it. Returns 0, DL_EINVALID or DL_ENOMEM.
 */
int dl__xml_check_text(const xmlNode *root, dl__schema_id schema, dl__diag *d);

#endif
