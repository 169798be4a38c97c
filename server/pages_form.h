/*
 * pages_form.h: the handlers of the workbench's pages for filling in a sheet: starting an
 * assessment, the questionnaire form, saving a draft or a finished sheet (routes.c lists their
 * paths).
 */
#ifndef DL_SERVER_PAGES_FORM_H
#define DL_SERVER_PAGES_FORM_H

#include "server.h"

#endif
