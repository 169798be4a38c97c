/*
 * html.h: pages as libxml2 HTML trees, so that escaping cannot be forgotten.
 *
 * A page is built node by node: every text and attribute value goes into the tree as data, and
 * libxml2's HTML writer escapes it when the page is serialised. Nothing a user typed is ever pasted
 * into markup. Every page has the same frame: <html lang="zh-CN">, a viewport for phones, the one
 * style sheet (/static/style.css), the optional script (/static/app.js, deferred; every task also
 * works without it), a header with the workbench's navigation, and <main>.
 */
#ifndef DL_SERVER_HTML_H
#define DL_SERVER_HTML_H

#include "server.h"

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

typedef struct html_page {
	htmlDocPtr doc;
	xmlNodePtr head;
	xmlNodePtr main; /**< where a page's content goes */
	const srv_who *who; /**< district mode: the account the page is for (its forms carry its CSRF
			     * token, the header names it); NULL in personal mode */
	bool failed;     /**< an allocation failed while building: html_finish answers 500 */
} html_page;

/** Start a page for rq titled title (the <title> and the <h1>). Returns 0 or DL_ENOMEM. */
int html_page_new(html_page *p, const srv_request *rq, const char *title);

/** A <form method=method action=action> under parent; a POST form of a district page carries the
 * session's CSRF token as a hidden field "csrf" (auth.h). Every form is made with this. */
xmlNodePtr html_form(html_page *p, xmlNodePtr parent, const char *method, const char *action);

/** A new element tag under parent, holding text (escaped; NULL: none). Returns the element, or
 * NULL when out of memory (the page is then marked failed; calls on a NULL parent do nothing). */
xmlNodePtr html_el(html_page *p, xmlNodePtr parent, const char *tag, const char *text);
/** The same with a printf-formatted text. */
xmlNodePtr html_elf(html_page *p, xmlNodePtr parent, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/** Set an attribute (value escaped by the writer; NULL value: a boolean attribute such as checked). */
void html_attr(html_page *p, xmlNodePtr node, const char *name, const char *value);
/** Append text to node. */
void html_text(html_page *p, xmlNodePtr node, const char *text);
/** A link <a href=href>text</a>. */
xmlNodePtr html_link(html_page *p, xmlNodePtr parent, const char *href, const char *text);

/** Parse svg (a document the library drew, never user input) and put its root under parent. */
int html_svg(html_page *p, xmlNodePtr parent, const char *svg, size_t len);

/** Serialise the page into rs with status and free it. Returns 0, or DL_ENOMEM (rs untouched). */
int html_finish(html_page *p, srv_response *rs, int status);
/** Free a page without answering (on an error path). */
void html_discard(html_page *p);

#endif
