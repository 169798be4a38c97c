/*
 * html.c: building pages as libxml2 HTML trees and serialising them (html.h). The writer escapes
 * every text and attribute; the frame (language, viewport, style sheet, navigation) is the same on
 * every page, so that a page cannot forget it.
 */
#include "html.h"

#include "auth.h"

#include <libxml/parser.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static xmlNodePtr fail(html_page *p)
{
	p->failed = true;
	return NULL;
}

xmlNodePtr html_el(html_page *p, xmlNodePtr parent, const char *tag, const char *text)
{
	if (!parent)
		return fail(p);
	xmlNodePtr n = xmlNewChild(parent, NULL, X(tag), NULL);
	if (!n)
		return fail(p);
	if (text && *text)
		html_text(p, n, text);
	return n;
}

xmlNodePtr html_elf(html_page *p, xmlNodePtr parent, const char *tag, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return html_el(p, parent, tag, buf);
}

void html_attr(html_page *p, xmlNodePtr node, const char *name, const char *value)
{
	if (!node || !xmlSetProp(node, X(name), value ? X(value) : NULL))
		p->failed = true;
}

void html_text(html_page *p, xmlNodePtr node, const char *text)
{
	xmlNodePtr t;
	if (!node || !(t = xmlNewText(X(text))) || !xmlAddChild(node, t))
		p->failed = true;
}

xmlNodePtr html_link(html_page *p, xmlNodePtr parent, const char *href, const char *text)
{
	xmlNodePtr a = html_el(p, parent, "a", text);
	html_attr(p, a, "href", href);
	return a;
}

int html_svg(html_page *p, xmlNodePtr parent, const char *svg, size_t len)
{
	if (len > INT32_MAX || !parent)
		return DL_EINVALID;
	xmlDocPtr d = xmlReadMemory(svg, (int)len, "chart.svg", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (!d)
		return DL_EINVALID;
	xmlNodePtr copy = xmlDocCopyNode(xmlDocGetRootElement(d), p->doc, 1);
	xmlFreeDoc(d);
	if (!copy || !xmlAddChild(parent, copy)) {
		xmlFreeNode(copy);
		p->failed = true;
		return DL_ENOMEM;
	}
	return 0;
}

/* The account's links: what its role works on (access.c decides what it may open). */
static void account_nav(html_page *p, xmlNodePtr nav, const srv_who *who)
{
	const char *role = who->user.role;
	bool enterprise = strcmp(role, DL_ROLE_ENTERPRISE) == 0;
	bool writes = enterprise || strcmp(role, DL_ROLE_INTEGRATOR) == 0 ||
		      strcmp(role, DL_ROLE_EVALUATOR) == 0;
	if (enterprise && who->user.credit_code[0]) {
		char href[96];
		snprintf(href, sizeof href, "/enterprises/%s", who->user.credit_code);
		html_link(p, nav, href, _("my enterprise"));
	}
	if (writes)
		html_link(p, nav, "/new", _("new assessment"));
	html_link(p, nav, "/sheets", _("sheets"));
	if (writes)
		html_link(p, nav, "/upload", _("upload"));
	if (!writes)
		html_link(p, nav, "/dashboard", _("dashboard"));
	if (strcmp(role, DL_ROLE_SUPERVISOR) == 0)
		html_link(p, nav, "/review", _("Review queue"));
	if (strcmp(role, DL_ROLE_BUREAU) == 0)
		html_link(p, nav, "/district", _("The district"));
}

/* The navigation every page shows: the workbench's main places; in district mode the account, its
 * role and a logout button. */
static void header(html_page *p, xmlNodePtr body)
{
	xmlNodePtr h = html_el(p, body, "header", NULL);
	xmlNodePtr brand = html_link(p, h, "/", _("digilevel workbench"));
	html_attr(p, brand, "class", "brand");
	xmlNodePtr nav = html_el(p, h, "nav", NULL);
	html_attr(p, nav, "aria-label", _("main"));
	if (p->who) {
		account_nav(p, nav, p->who);
		xmlNodePtr account = html_el(p, h, "div", NULL);
		html_attr(p, account, "class", "account");
		html_elf(p, account, "span", "%s（%s）", p->who->user.name, srv_role_title(p->who->user.role));
		xmlNodePtr out = html_form(p, account, "post", "/logout");
		html_attr(p, html_el(p, out, "button", _("Log out")), "type", "submit");
		return;
	}
	html_link(p, nav, "/new", _("new assessment"));
	html_link(p, nav, "/sheets", _("sheets"));
	html_link(p, nav, "/upload", _("upload"));
	html_link(p, nav, "/dashboard", _("dashboard"));
}

xmlNodePtr html_form(html_page *p, xmlNodePtr parent, const char *method, const char *action)
{
	xmlNodePtr form = html_el(p, parent, "form", NULL);
	html_attr(p, form, "method", method);
	html_attr(p, form, "action", action);
	if (p->who && strcmp(method, "post") == 0) {
		xmlNodePtr csrf = html_el(p, form, "input", NULL);
		html_attr(p, csrf, "type", "hidden");
		html_attr(p, csrf, "name", "csrf");
		html_attr(p, csrf, "value", p->who->csrf);
	}
	return form;
}

int html_page_new(html_page *p, const srv_request *rq, const char *title)
{
	memset(p, 0, sizeof *p);
	p->who = rq ? rq->who : NULL;
	if (!(p->doc = htmlNewDocNoDtD(NULL, NULL)))
		return DL_ENOMEM;
	xmlNodePtr html = xmlNewDocNode(p->doc, NULL, X("html"), NULL);
	if (!html) {
		html_discard(p);
		return DL_ENOMEM;
	}
	xmlDocSetRootElement(p->doc, html);
	html_attr(p, html, "lang", "zh-CN");
	p->head = html_el(p, html, "head", NULL);
	html_attr(p, html_el(p, p->head, "meta", NULL), "charset", "utf-8");
	xmlNodePtr vp = html_el(p, p->head, "meta", NULL);
	html_attr(p, vp, "name", "viewport");
	html_attr(p, vp, "content", "width=device-width, initial-scale=1");
	html_el(p, p->head, "title", title);
	if (p->who) { /* the optional script's requests carry it (static/app.js) */
		xmlNodePtr csrf = html_el(p, p->head, "meta", NULL);
		html_attr(p, csrf, "name", "csrf-token");
		html_attr(p, csrf, "content", p->who->csrf);
	}
	xmlNodePtr css = html_el(p, p->head, "link", NULL);
	html_attr(p, css, "rel", "stylesheet");
	html_attr(p, css, "href", "/static/style.css");
	xmlNodePtr js = html_el(p, p->head, "script", NULL);
	html_attr(p, js, "src", "/static/app.js");
	html_attr(p, js, "defer", NULL);
	xmlNodePtr body = html_el(p, html, "body", NULL);
	header(p, body);
	p->main = html_el(p, body, "main", NULL);
	html_el(p, p->main, "h1", title);
	if (p->failed) {
		html_discard(p);
		return DL_ENOMEM;
	}
	return 0;
}

int html_finish(html_page *p, srv_response *rs, int status)
{
	if (p->failed) {
		html_discard(p);
		return DL_ENOMEM;
	}
	xmlBufferPtr buf = xmlBufferCreate();
	xmlOutputBufferPtr out = buf ? xmlOutputBufferCreateBuffer(buf, NULL) : NULL;
	if (!out) {
		xmlBufferFree(buf);
		html_discard(p);
		return DL_ENOMEM;
	}
	xmlOutputBufferWriteString(out, "<!DOCTYPE html>\n");
	htmlNodeDumpFormatOutput(out, p->doc, xmlDocGetRootElement(p->doc), "UTF-8", 0);
	xmlOutputBufferWriteString(out, "\n");
	int rc = xmlOutputBufferClose(out) < 0 ? DL_ENOMEM : 0;
	if (rc == 0)
		rc = srv_respond_bytes(rs, status, "text/html; charset=utf-8", xmlBufferContent(buf),
				       (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	html_discard(p);
	return rc;
}

void html_discard(html_page *p)
{
	if (p->doc)
		xmlFreeDoc(p->doc);
	p->doc = NULL;
}
