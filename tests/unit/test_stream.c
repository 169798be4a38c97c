/*
 * test_stream.c: reading a stream of sheets (dl_sheet_stream_*) when it is broken, large or over a
 * limit: every sheet complete before a fault is delivered, wherever the fault falls relative to
 * the blocks the file is read in, and the fault then comes once, with its own message, a line and
 * a column; the load options' size limit holds for each sheet, not for the whole stream; a failed
 * allocation of the library ends the stream with DL_ENOMEM (ASan and valgrind check for leaks).
 */
#include "test_util.h"

#include "alloc.h"

#include <digilevel.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHEET "<answer-sheet questionnaire=\"q\" version=\"1\"><enterprise><name>甲</name></enterprise></answer-sheet>\n"

static char path[64];

typedef struct outcome {
	int sheets;         /* delivered */
	int rc;             /* what ended the stream: 0 or a DL_E* code */
	dl_error err;       /* when rc < 0 */
	int after;          /* what the call after the end returned */
	int diags;          /* problems given to the options' diag callback */
} outcome;

static void count_diag(const dl_error *e, void *userdata)
{
	(void)e;
	(*(int *)userdata)++;
}

/* Write text (len bytes) to the stream file and read it to the end. */
static outcome read_stream(const char *text, size_t len, size_t max_sheet)
{
	outcome o;
	memset(&o, 0, sizeof(o));
	dl_load_options opts = DL_LOAD_OPTIONS_INIT;
	opts.max_file_size = max_sheet;
	opts.diag = count_diag;
	opts.diag_data = &o.diags;
	if (write_file(path, text, len) != 0) {
		o.rc = 1;
		return o;
	}
	dl_sheet_stream *st = NULL;
	o.rc = dl_sheet_stream_open(&st, path, &opts, &o.err);
	if (o.rc != 0)
		return o;
	for (;;) {
		char *xml = NULL;
		size_t n = 0;
		unsigned long line = 0;
		int rc = dl_sheet_stream_next(st, &xml, &n, &line, &o.err);
		if (rc <= 0) {
			o.rc = rc;
			break;
		}
		if (strstr(xml, "</answer-sheet>") && line > 0)
			o.sheets++;
		free(xml);
	}
	char *xml = NULL;
	size_t n = 0;
	unsigned long line = 0;
	o.after = dl_sheet_stream_next(st, &xml, &n, &line, NULL);
	dl_sheet_stream_close(st);
	return o;
}

/* A message of one line that says where. */
static bool placed(const outcome *o)
{
	return o->err.line > 0 && o->err.column > 0 && o->err.message[0] &&
	       !strchr(o->err.message, '\n') && strcmp(o->err.message, "out of memory") != 0;
}

/* The stream: prolog, a comment of pad bytes, sheets complete sheets, then tail. */
static char *build(size_t pad, int sheets, const char *tail, size_t *len)
{
	size_t cap = pad + (size_t)sheets * sizeof(SHEET) + strlen(tail) + 200;
	char *s = malloc(cap);
	if (!s)
		exit(1);
	size_t n = (size_t)snprintf(s, cap, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<answer-sheets>\n<!--");
	memset(s + n, 'x', pad);
	n += pad;
	n += (size_t)snprintf(s + n, cap - n, "-->\n");
	for (int i = 0; i < sheets; i++)
		n += (size_t)snprintf(s + n, cap - n, "%s", SHEET);
	n += (size_t)snprintf(s + n, cap - n, "%s", tail);
	*len = n;
	return s;
}

/* A fault right after the last of three sheets, at many offsets of the file. */
static void fault_after_sheets(const char *what, const char *tail, const char *message)
{
	int bad = 0;
	size_t first_bad = 0;
	outcome last;
	memset(&last, 0, sizeof(last));
	/* the blocks are 64 KiB: every offset around the first edge, and a stride across the rest */
	for (size_t pad = 0; pad < 135000; pad += pad > 64900 && pad < 65300 ? 1 : 1009) {
		size_t len;
		char *text = build(pad, 3, tail, &len);
		outcome o = read_stream(text, len, 0);
		free(text);
		bool ok = o.sheets == 3 && o.rc < 0 && o.after == 0 && placed(&o) &&
			  strstr(o.err.message, message) != NULL;
		if (!ok && bad++ == 0) {
			first_bad = pad;
			last = o;
		}
	}
	check(bad == 0, "%s: the three sheets before it are delivered, then the fault once with its "
	      "message, line and column (%d offsets wrong; first: padding %zu, %d sheets, rc %d, "
	      "%lu:%lu: %s)", what, bad, first_bad, last.sheets, last.rc, last.err.line,
	      last.err.column, last.err.message);
}

int main(void)
{
	/* the messages checked are the English ones, whatever the library's default (docs/messages.md) */
	dl_set_language(DL_LANGUAGE_EN);
	snprintf(path, sizeof(path), "/tmp/dl-stream-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);

	fault_after_sheets("a mismatched end tag", "</oops>\n", "mismatch");
	fault_after_sheets("a truncated stream", "<answer-sheet questionnaire=\"q\"><enter",
			   "");
	fault_after_sheets("a stray '&'", "& </answer-sheets>\n", "");
	fault_after_sheets("invalid UTF-8 in the next sheet",
			   "<answer-sheet><name>\xff\xfe</name></answer-sheet></answer-sheets>\n",
			   "not UTF-8");
	fault_after_sheets("a wrong element", "<sheet/></answer-sheets>\n",
			   "<sheet> inside <answer-sheets>");
	fault_after_sheets("an element with too many attributes",
			   "<answer-sheet a0='' a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9='' "
			   "a10='' a11='' a12='' a13='' a14='' a15='' a16='' a17='' a18='' a19='' "
			   "a20='' a21='' a22='' a23='' a24='' a25='' a26='' a27='' a28='' a29='' "
			   "a30='' a31='' a32='' a33='' a34='' a35='' a36='' a37='' a38='' a39='' "
			   "a40='' a41='' a42='' a43='' a44='' a45='' a46='' a47='' a48='' a49='' "
			   "a50='' a51='' a52='' a53='' a54='' a55='' a56='' a57='' a58='' a59='' "
			   "a60='' a61='' a62='' a63='' a64='' a65='' a66='' a67='' a68='' a69='' "
			   "a70='' a71='' a72='' a73='' a74='' a75='' a76='' a77='' a78='' a79='' "
			   "a80='' a81='' a82='' a83='' a84='' a85='' a86='' a87='' a88='' a89='' "
			   "a90='' a91='' a92='' a93='' a94='' a95='' a96='' a97='' a98='' a99='' "
			   "a100='' a101='' a102='' a103='' a104='' a105='' a106='' a107='' a108='' "
			   "a109='' a110='' a111='' a112='' a113='' a114='' a115='' a116='' a117='' "
			   "a118='' a119='' a120='' a121='' a122='' a123='' a124='' a125='' a126='' "
			   "a127='' a128='' a129='' a130='' a131='' a132='' a133='' a134='' a135='' "
			   "a136='' a137='' a138='' a139='' a140='' a141='' a142='' a143='' a144='' "
			   "a145='' a146='' a147='' a148='' a149='' a150='' a151='' a152='' a153='' "
			   "a154='' a155='' a156='' a157='' a158='' a159='' a160='' a161='' a162='' "
			   "a163='' a164='' a165='' a166='' a167='' a168='' a169='' a170='' a171='' "
			   "a172='' a173='' a174='' a175='' a176='' a177='' a178='' a179='' a180='' "
			   "a181='' a182='' a183='' a184='' a185='' a186='' a187='' a188='' a189='' "
			   "a190='' a191='' a192='' a193='' a194='' a195='' a196='' a197='' a198='' "
			   "a199='' a200='' a201='' a202='' a203='' a204='' a205='' a206='' a207='' "
			   "a208='' a209='' a210='' a211='' a212='' a213='' a214='' a215='' a216='' "
			   "a217='' a218='' a219='' a220='' a221='' a222='' a223='' a224='' a225='' "
			   "a226='' a227='' a228='' a229='' a230='' a231='' a232='' a233='' a234='' "
			   "a235='' a236='' a237='' a238='' a239='' a240='' a241='' a242='' a243='' "
			   "a244='' a245='' a246='' a247='' a248='' a249='' a250='' a251='' a252='' "
			   "a253='' a254='' a255='' a256=''/></answer-sheets>\n",
			   "more than 256 attributes");

	/* a complete stream at the same offsets: three sheets, no fault */
	int bad = 0;
	for (size_t pad = 64900; pad < 65300; pad += 3) {
		size_t len;
		char *text = build(pad, 3, "</answer-sheets>\n", &len);
		outcome o = read_stream(text, len, 0);
		free(text);
		bad += !(o.sheets == 3 && o.rc == 0 && o.after == 0 && o.diags == 0);
	}
	check(bad == 0, "a well-formed stream gives its three sheets and the end (%d offsets wrong)",
	      bad);

	/* the load options' file size limit holds for each sheet (a stream of 200 sheets is larger) */
	size_t len;
	char *text = build(0, 200, "<answer-sheet><name>", &len);
	char *big = malloc(len + 6000);
	if (!big)
		return 1;
	memcpy(big, text, len);
	memset(big + len, 'y', 5000);
	len += 5000;
	len += (size_t)sprintf(big + len, "</name></answer-sheet></answer-sheets>\n");
	free(text);
	outcome o = read_stream(big, len, 4096);
	check(o.sheets == 200 && o.rc == DL_ELIMIT && placed(&o) && o.diags == 1 &&
	      strstr(o.err.message, "4096 bytes"),
	      "max_file_size 4096: the 200 sheets of a %zu-byte stream are read, then the sheet of "
	      "5000 bytes is refused (%d sheets, rc %d, %d diagnostics, %lu:%lu: %s)", len,
	      o.sheets, o.rc, o.diags, o.err.line, o.err.column, o.err.message);
	o = read_stream(big, len, 0);
	check(o.sheets == 201 && o.rc == 0, "without options each sheet may have 16 MiB (%d sheets, "
	      "rc %d)", o.sheets, o.rc);
	free(big);

	/* a stream over the 16 MiB file limit: recognised by its root, and read whole */
	text = build((size_t)17 * 1024 * 1024, 2, "</answer-sheets>\n", &len);
	write_file(path, text, len);
	char root[64] = "";
	dl_error err;
	int rc = dl_document_root(path, root, sizeof(root), &err);
	check(rc == 0 && strcmp(root, "answer-sheets") == 0,
	      "a %zu-byte stream is recognised as a stream (%d, <%s>)", len, rc, root);
	/* comments are limited to 10 MB by libxml2: two of them */
	memcpy(text + 60 + 9 * 1024 * 1024, "-->\n<!--", 8);
	o = read_stream(text, len, 0);
	check(o.sheets == 2 && o.rc == 0, "its two sheets are read (%d sheets, rc %d, %s)",
	      o.sheets, o.rc, o.err.message);
	free(text);

	/* every allocation of the library fails in turn */
	text = build(100, 3, "</answer-sheets>\n", &len);
	int wrong = 0;
	long runs = 0;
	for (long n = 0;; n++) {
		dl__alloc_fail_after(n);
		o = read_stream(text, len, 0);
		long used = dl__alloc_fail_after(-1);
		if (used <= n)
			break;
		runs++;
		wrong += !(o.rc == DL_ENOMEM || (o.rc == 0 && o.sheets == 3)) || o.sheets > 3;
	}
	check(runs > 0 && wrong == 0, "%ld runs, each failing allocation ends the stream with "
	      "DL_ENOMEM or reads it whole (%d wrong)", runs, wrong);
	free(text);

	unlink(path);
	return test_done();
}
