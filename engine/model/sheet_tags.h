/*
 * sheet_tags.h: checking an answer sheet's tags against the titles digilevel knows
 * (questionnaires/tags.xml, embedded in the library; docs/scoring.md, "Tags").
 */
#ifndef DL_SHEET_TAGS_H
#define DL_SHEET_TAGS_H

#include "diag.h"
#include "xmldoc.h"

/**
 * Warn (to d's callback, code DL_OK, nothing counted as a problem) when tag, the text of element
 * where, is not a known title: naming the title meant when it is a near miss. NULL, empty and
 * malformed tags are left to the loader's own checks.
 */
void dl__tag_check(const dl__diag *d, const xmlNode *where, const char *tag);

#endif
