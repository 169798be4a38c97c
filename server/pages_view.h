/*
 * pages_view.h: the handlers of the workbench's pages that show what is stored: a sheet's result,
 * the list of sheets, uploads, an enterprise's comparison and the dashboard (routes.c lists their
 * paths).
 */
#ifndef DL_SERVER_PAGES_VIEW_H
#define DL_SERVER_PAGES_VIEW_H

#include "server.h"

#endif
