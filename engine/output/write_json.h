/*
 * write_json.h: the pieces of the result's JSON (write_json.c) that the comparison's JSON
 * (write_compare_json.c) writes the same way, so that both documents name and shape them alike.
 */
#ifndef DL_WRITE_JSON_H
#define DL_WRITE_JSON_H

#include "out.h"
#include "result.h"

/** The key of each kind's list of nodes, by dl_node_kind: "dimensions" ... "questions". */
extern const char *const dl__json_node_lists[4];

/**
 * In the list of the nodes of kind, open the object of node n: a line break (after ", " unless
 * *first, which is then cleared), "{", its id and title and, below a dimension, its parent's id,
 * each followed by ", ". The caller writes the rest and the "}". Returns false, having written
 * nothing, when node n is of another kind.
 */
bool dl__json_node_start(dl__out *o, const dl_questionnaire *q, size_t n, dl_node_kind kind,
			 bool *first);

/**
 * Start scenario si's object in a JSON list: the separator, then its id, title, group and whether
 * it is a constraint scenario, each followed by ", ".
 */
void dl__json_scenario_start(dl__out *o, const dl_questionnaire *q, size_t si);

/** The ids of the options of question qi that r chose, as a JSON array. */
void dl__json_chosen(dl__out *o, const dl_result *r, size_t qi);

#endif
