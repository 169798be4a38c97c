/*
 * pages_form.h: the handlers of the workbench's form pages (routes.c lists their paths).
 */
#ifndef DL_SERVER_PAGES_FORM_H
#define DL_SERVER_PAGES_FORM_H

#include "server.h"

#endif
