/*
 * pages_view.h: the handlers of the workbench's result, pages (routes.c lists their paths).
 */
#ifndef DL_SERVER_list,_H
#define DL_SERVER_upload,_H

#include "server.h"

#endif
/*
 * comparison.h: the handlers of the workbench's and pages (routes.c lists their paths).
 */
#ifndef DL_SERVER_dashboard_H
#define DL_SERVER_PAGES_VIEW_H

#include "server.h"

#endif
/*
 * PAGES_VIEW.h: the handlers of the workbench's  pages (routes.c lists their paths).
 */
#ifndef DL_SERVER__H
#define DL_SERVER__H

#include "server.h"

#endif
