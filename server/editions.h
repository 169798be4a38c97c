/*
 * editions.h: loading the questionnaires, policies and targets the server shares (editions.c).
 */
#ifndef DL_SERVER_EDITIONS_H
#define DL_SERVER_EDITIONS_H

#include "server.h"

/** Load every questionnaire of s->cfg.questionnaires_dir (at least one) and every policy and
 * targets file of s->cfg.policies_dir (if set). A broken file fails the start with its message. */
int srv_editions_load(srv *s, dl_error *err);
void srv_editions_free(srv *s);

#endif
