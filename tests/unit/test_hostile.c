/*
 * test_hostile.c: hostile inputs that a golden case cannot hold or cannot observe.
 *
 * - A file over the 16 MiB limit (made sparse in /tmp at run time, so nothing big is committed or
 *   written) and a smaller max_file_size: DL_ELIMIT before anything is parsed.
 * - The root-element peek reads a file a part at a time: a root in the first bytes of a stream
 *   over the limit is found, a root start tag cut by the end of a part is read whole, and what is
 *   not XML gives the same message as when the whole file is read.
 * - External entities: libxml2's input callbacks and external entity loader are replaced by spies
 *   that record every URI libxml2 tries to open, and every loader and the root-element peek are fed
 *   XXE documents. The spies must see nothing (a control parse with NOENT|DTDLOAD proves that they
 *   would see an attempt).
 * - 100 000 nested elements, a 1 MiB text and a 1 MiB attribute: a clean DL_EINVALID.
 * - Output failures of the CLI: score, show, template and validate with standard output on
 *   /dev/full must exit 3 and say why on stderr (the golden cases cannot redirect stdout).
 *
 * The CLI is found as $BUILD/digilevel ($BUILD as tests/run.sh has it, default "build"), run from
 * the top of the repository; those checks are skipped when it is not there.
 */
#include <digilevel.h>

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

/* --- helpers ----------------------------------------------------------------------------------- */

static const char SHEET_HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
static const char SHEET_ROOT[] = "<answer-sheet questionnaire=\"miit-2024\" version=\"2024\">\n";

/* A growing string; aborts the test when memory runs out (test data only). */
typedef struct text {
	char *data;
	size_t len, cap;
} text;

static void append(text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->cap ? t->cap * 2 : 4096) + n;
		char *grown = realloc(t->data, cap);
		if (!grown) {
			check(false, "memory for the test data");
			exit(test_done());
		}
		t->data = grown;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void append_str(text *t, const char *s)
{
	append(t, s, strlen(s));
}

static void append_repeat(text *t, const char *s, size_t times)
{
	for (size_t i = 0; i < times; i++)
		append_str(t, s);
}

static int load_sheet_text(const text *t, dl_error *err)
{
	dl_sheet *s = NULL;
	int rc = dl_sheet_load_memory(&s, t->data, t->len, "hostile.xml", NULL, err);
	dl_sheet_free(s);
	return rc;
}

/* --- file size --------------------------------------------------------------------------------- */

static void test_file_size(void)
{
	char path[] = "/tmp/dl-hostile-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		check(false, "cannot make a file in /tmp");
		return;
	}
	/* a sheet header, then a hole up to 16 MiB + 1: sparse, so nothing is really written */
	bool ok = write(fd, SHEET_HEAD, strlen(SHEET_HEAD)) == (ssize_t)strlen(SHEET_HEAD) &&
		  ftruncate(fd, (off_t)DL_DEFAULT_MAX_FILE_SIZE + 1) == 0;
	close(fd);
	check(ok, "a sparse file of 16 MiB + 1 byte");
	dl_error err;
	dl_sheet *s = NULL;
	dl_questionnaire *q = NULL;
	char root[64];
	int rc = dl_sheet_load(&s, path, NULL, &err);
	check(rc == DL_ELIMIT && strstr(err.message, "larger than the limit of 16777216 bytes"),
	      "a sheet over 16 MiB: DL_ELIMIT (%d: %s)", rc, err.message);
	rc = dl_questionnaire_load(&q, path, NULL, &err);
	check(rc == DL_ELIMIT, "a questionnaire over 16 MiB: DL_ELIMIT (%d)", rc);
	rc = dl_document_root(path, root, sizeof(root), &err);
	check(rc == DL_ELIMIT, "the root of a file over 16 MiB: DL_ELIMIT (%d)", rc);
	unlink(path);

	/* a smaller limit set by the caller, from a file and from memory */
	text t = {NULL, 0, 0};
	append_str(&t, SHEET_HEAD);
	append_str(&t, SHEET_ROOT);
	append_repeat(&t, "<!-- padding -->\n", 100);
	append_str(&t, "</answer-sheet>\n");
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.max_file_size = 1000;
	rc = dl_sheet_load_memory(&s, t.data, t.len, "small-limit.xml", &opts, &err);
	check(rc == DL_ELIMIT && s == NULL, "max_file_size 1000 refuses %zu bytes in memory (%d)",
	      t.len, rc);
	free(t.data);
}

/* --- the root peek reads only the start of a file --------------------------------------------- */

/* dl_document_root of a new file holding t, made sparse up to size bytes when that is larger. */
static int peek_text(const text *t, off_t size, char *root, size_t root_size, dl_error *err)
{
	char path[] = "/tmp/dl-peek-XXXXXX";
	int fd = mkstemp(path);
	bool ok = fd >= 0 && write(fd, t->data, t->len) == (ssize_t)t->len &&
		  (size <= (off_t)t->len || ftruncate(fd, size) == 0);
	if (fd >= 0)
		close(fd);
	root[0] = '\0';
	int rc = ok ? dl_document_root(path, root, root_size, err) : -100;
	unlink(path);
	return rc;
}

/* SHEET_HEAD, then a comment that ends so that the next byte is at offset at. */
static void pad_to(text *t, size_t at)
{
	append_str(t, SHEET_HEAD);
	append_str(t, "<!--");
	while (t->len + 4 < at)
		append_str(t, "x");
	append_str(t, "-->\n");
}

static void test_root_peek(void)
{
	dl_error err;
	char root[64];
	text t = {NULL, 0, 0};

	/* a sheet stream over the 16 MiB limit: its root is in its first bytes */
	append_str(&t, SHEET_HEAD);
	append_str(&t, "<answer-sheets>\n");
	int rc = peek_text(&t, (off_t)DL_DEFAULT_MAX_FILE_SIZE + 1, root, sizeof(root), &err);
	check(rc == 0 && strcmp(root, "answer-sheets") == 0,
	      "the root of a stream of 16 MiB + 1 byte is found without reading it all (%d %s)", rc,
	      root);

	/* the first read (64 KiB) ends at every place in the root start tag: read on to its end */
	static const char tag[] = "<answer-sheet questionnaire=\"miit-2024\" version=\"2024\"/>";
	bool all = true;
	for (size_t k = 1; k <= strlen(tag); k++) {
		t.len = 0;
		pad_to(&t, 65536 - k);
		append_str(&t, tag);
		append_repeat(&t, "\n", 10);
		rc = peek_text(&t, 0, root, sizeof(root), &err);
		if (rc != 0 || strcmp(root, "answer-sheet") != 0) {
			printf("# tag cut after %zu bytes: %d '%s' %s\n", strlen(tag) - k, rc, root,
			       rc ? err.message : "");
			all = false;
		}
	}
	check(all, "a root start tag cut by the first read is read whole");

	/* a start tag that ends only after 100 000 bytes, past the second read */
	t.len = 0;
	append_str(&t, SHEET_HEAD);
	append_str(&t, "<answer-sheet questionnaire=\"");
	append_repeat(&t, "a", 100000);
	append_str(&t, "\" version=\"2024\">\n");
	rc = peek_text(&t, 0, root, sizeof(root), &err);
	check(rc == 0 && strcmp(root, "answer-sheet") == 0,
	      "a root start tag of 100 000 bytes is found (%d %s)", rc, root);

	/* what is not found in a part is looked for in the whole: the messages stay the same */
	t.len = 0;
	pad_to(&t, 100000);
	append_str(&t, "<!DOCTYPE answer-sheet []>\n<answer-sheet/>\n");
	rc = peek_text(&t, 0, root, sizeof(root), &err);
	check(rc == DL_EINVALID && strstr(err.message, "DOCTYPE is not allowed"),
	      "a DOCTYPE after 100 000 bytes of comment: %d %s", rc, err.message);
	t.len = 0;
	pad_to(&t, 100000);
	append_str(&t, "no markup\n");
	rc = peek_text(&t, 0, root, sizeof(root), &err);
	check(rc == DL_EINVALID && err.line == 1 && err.column == 1 &&
		  strcmp(err.message, "not an XML document") == 0,
	      "100 000 bytes of comment and no element: %d %lu:%lu %s", rc, err.line, err.column,
	      err.message);
	free(t.data);
}

/* --- external entities --------------------------------------------------------------------------- */

static int opened; /* URIs libxml2 tried to open */

static int spy_match(const char *uri)
{
	printf("# libxml2 tried to open %s\n", uri);
	opened++;
	return 0; /* not ours: libxml2 goes on to its own callbacks, which the control needs */
}

static void *spy_open(const char *uri)
{
	(void)uri;
	return NULL;
}

static xmlExternalEntityLoader default_loader;

static xmlParserInputPtr spy_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	printf("# libxml2 tried to load the entity %s\n", url ? url : id ? id : "(null)");
	opened++;
	return default_loader(url, id, ctxt);
}

static void test_external_entities(void)
{
	/* a local file with a marker, so that a read would show in a message */
	char secret[] = "/tmp/dl-secret-XXXXXX";
	int fd = mkstemp(secret);
	const char marker[] = "SECRET-MARKER-7f3a";
	bool made = fd >= 0 && write(fd, marker, strlen(marker)) == (ssize_t)strlen(marker);
	if (fd >= 0)
		close(fd);
	check(made, "a secret file in /tmp");
	if (!made)
		return;

	xmlRegisterInputCallbacks(spy_match, spy_open, NULL, NULL);
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(spy_loader);

	char docs[6][1024];
	snprintf(docs[0], sizeof(docs[0]),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE answer-sheet [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
		 "%s<enterprise><name>&xxe;</name></enterprise></answer-sheet>\n",
		 secret, SHEET_ROOT);
	snprintf(docs[1], sizeof(docs[1]),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE answer-sheet [<!ENTITY %% xxe SYSTEM \"file://%s\"> "
		 "%%xxe;]>\n%s</answer-sheet>\n",
		 secret, SHEET_ROOT);
	snprintf(docs[2], sizeof(docs[2]),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE answer-sheet SYSTEM \"file://%s\">\n%s</answer-sheet>\n",
		 secret, SHEET_ROOT);
	snprintf(docs[3], sizeof(docs[3]),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE answer-sheet SYSTEM \"http://127.0.0.1:9/x.dtd\">\n"
		 "%s</answer-sheet>\n",
		 SHEET_ROOT);
	/* XInclude is not processed either: the element is just an unknown element */
	snprintf(docs[4], sizeof(docs[4]),
		 "<?xml version=\"1.0\"?>\n<answer-sheet questionnaire=\"miit-2024\" version=\"2024\" "
		 "xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file://%s\" "
		 "parse=\"text\"/></answer-sheet>\n",
		 secret);
	snprintf(docs[5], sizeof(docs[5]),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE questionnaire [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
		 "<questionnaire id=\"x\" version=\"1\" points=\"1\"><title>&xxe;</title></questionnaire>\n",
		 secret);

	for (int i = 0; i < 6; i++) {
		dl_error err;
		dl_sheet *s = NULL;
		dl_questionnaire *q = NULL;
		size_t len = strlen(docs[i]);
		int rc = i == 5 ? dl_questionnaire_load_memory(&q, docs[i], len, "xxe.xml", NULL, &err)
				: dl_sheet_load_memory(&s, docs[i], len, "xxe.xml", NULL, &err);
		bool doctype = strstr(err.message, "DOCTYPE is not allowed") != NULL;
		check(rc == DL_EINVALID && (doctype || i == 4) && !strstr(err.message, marker),
		      "XXE %d refused by the loader: %s", i, err.message);
		dl_sheet_free(s);
		dl_questionnaire_free(q);

		/* the root peek that `digilevel validate` does first, from a file */
		char path[] = "/tmp/dl-xxe-XXXXXX";
		int f = mkstemp(path);
		bool wrote = f >= 0 && write(f, docs[i], len) == (ssize_t)len;
		if (f >= 0)
			close(f);
		char root[64] = "";
		rc = wrote ? dl_document_root(path, root, sizeof(root), &err) : -100;
		check(i == 4 ? rc == 0 && strcmp(root, "answer-sheet") == 0
			     : rc == DL_EINVALID && strstr(err.message, "DOCTYPE is not allowed"),
		      "XXE %d: the root peek %s (%d)", i,
		      i == 4 ? "finds the root and nothing else" : "stops at the DOCTYPE", rc);
		unlink(path);
	}
	check(opened == 0, "libxml2 opened nothing while digilevel read the XXE documents (%d)",
	      opened);

	/* control: the same document with entity substitution and DTD loading does open the file */
	xmlDocPtr doc = xmlReadMemory(docs[0], (int)strlen(docs[0]), NULL, NULL,
				      XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_NOERROR |
					      XML_PARSE_NOWARNING);
	check(opened > 0, "control: the spies see libxml2 load an entity when told to (%d)", opened);
	xmlFreeDoc(doc);
	xmlSetExternalEntityLoader(default_loader);
	xmlPopInputCallbacks();
	unlink(secret);
}

/* --- size and depth ---------------------------------------------------------------------------- */

static void test_depth_and_size(void)
{
	dl_error err;
	text t = {NULL, 0, 0};
	append_str(&t, SHEET_HEAD);
	append_str(&t, SHEET_ROOT);
	append_repeat(&t, "<a>", 100000);
	append_repeat(&t, "</a>", 100000);
	append_str(&t, "</answer-sheet>\n");
	int rc = load_sheet_text(&t, &err);
	check(rc == DL_EINVALID && strstr(err.message, "Excessive depth"),
	      "100 000 nested elements: refused at libxml2's depth limit (%s)", err.message);

	char path[] = "/tmp/dl-deep-XXXXXX";
	int f = mkstemp(path);
	bool wrote = f >= 0 && write(f, t.data, t.len) == (ssize_t)t.len;
	if (f >= 0)
		close(f);
	char root[64] = "";
	rc = wrote ? dl_document_root(path, root, sizeof(root), &err) : -100;
	check(rc == 0 && strcmp(root, "answer-sheet") == 0,
	      "100 000 nested elements: the root peek reads only the root (%d)", rc);
	unlink(path);
	t.len = 0;

	append_str(&t, SHEET_HEAD);
	append_str(&t, SHEET_ROOT);
	append_str(&t, "<enterprise><name>");
	append_repeat(&t, "长", (1 << 20) / 3);
	append_str(&t, "</name></enterprise></answer-sheet>\n");
	rc = load_sheet_text(&t, &err);
	check(rc == DL_EINVALID && strstr(err.message, "maxLength"),
	      "a 1 MiB text: refused by the schema (%s)", err.message);
	t.len = 0;

	append_str(&t, SHEET_HEAD);
	append_str(&t, "<answer-sheet questionnaire=\"");
	append_repeat(&t, "a", 1 << 20);
	append_str(&t, "\" version=\"2024\"/>\n");
	rc = load_sheet_text(&t, &err);
	check(rc == DL_EINVALID && strstr(err.message, "aaaa…"),
	      "a 1 MiB attribute: refused, its value shortened in the message (%s)", err.message);
	free(t.data);
}

/* --- the CLI writing to a full disk ------------------------------------------------------------- */

/* Run the CLI with stdout on /dev/full; returns its exit status and its stderr in errbuf. */
static int run_to_full(const char *cli, const char *const *args, char *errbuf, size_t size)
{
	char errpath[] = "/tmp/dl-stderr-XXXXXX";
	int errfd = mkstemp(errpath);
	if (errfd < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int full = open("/dev/full", O_WRONLY);
		if (full < 0 || dup2(full, 1) < 0 || dup2(errfd, 2) < 0)
			_exit(127);
		char *argv[8];
		size_t n = 0;
		argv[n++] = (char *)cli;
		for (; args[n - 1] && n < 7; n++)
			argv[n] = (char *)args[n - 1];
		argv[n] = NULL;
		execv(cli, argv);
		_exit(127);
	}
	int status = -1;
	if (pid > 0)
		waitpid(pid, &status, 0);
	lseek(errfd, 0, SEEK_SET);
	ssize_t got = read(errfd, errbuf, size - 1);
	errbuf[got > 0 ? got : 0] = '\0';
	close(errfd);
	unlink(errpath);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_output_failures(void)
{
	const char *build = getenv("BUILD");
	char cli[4096];
	snprintf(cli, sizeof(cli), "%s/digilevel", build && build[0] ? build : "build");
	struct stat st;
	if (stat(cli, &st) != 0 || stat("/dev/full", &st) != 0) {
		skip("no %s or no /dev/full: output failures of the CLI", cli);
		return;
	}
	static const char *const score[] = {"score", "examples/food-before.xml", NULL};
	static const char *const json[] = {"score", "--format", "json", "examples/food-before.xml", NULL};
	static const char *const show[] = {"show", "questionnaires/miit-2024.xml", NULL};
	static const char *const tmpl[] = {"template", "questionnaires/miit-2024.xml", NULL};
	static const char *const validate[] = {"validate", "questionnaires/miit-2024.xml", NULL};
	static const char *const *const runs[] = {score, json, show, tmpl, validate};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char err[2048];
		int code = run_to_full(cli, runs[i], err, sizeof(err));
		check(code == 3 && strstr(err, "cannot write to standard output: No space left on device"),
		      "digilevel %s %s > /dev/full: exit 3 and why (exit %d, stderr: %s)", runs[i][0],
		      runs[i][1], code, err);
	}
}

int main(void)
{
	/* the messages checked below are the English ones (--lang en, docs/messages.md) */
	setenv("LANGUAGE", "en", 1);
	test_file_size();
	test_root_peek();
	test_external_entities();
	test_depth_and_size();
	test_output_failures();
	xmlCleanupParser();
	return test_done();
}
