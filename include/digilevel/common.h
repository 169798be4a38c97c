/*
 * digilevel/common.h: what every part of the public API shares: the export macro, error codes, the
 * error struct, exact point values and the output callback.
 *
 * Scores are exact: a point value is an integer count of 1/10000 points (dl_points), so 0.7 and
 * 1.875 add up without rounding and a total of exactly 40 passes a threshold of 40.
 */
#ifndef DIGILEVEL_COMMON_H
#define DIGILEVEL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(DL_BUILDING_LIBRARY) && defined(__GNUC__)
#define DL_EXTERN __attribute__((visibility("default")))
#else
#define DL_EXTERN
#endif

/*
 * The library's version: these three lines are its one source. The Makefile reads them (the shared
 * library's file name and soname, the .pc file, the man page), the program prints DL_VERSION for
 * --version. MAJOR changes when the ABI breaks (the soname is libdigilevel.so.MAJOR), MINOR when the
 * API grows, PATCH for fixes.
 */
#define DL_VERSION_MAJOR 0
#define DL_VERSION_MINOR 1
#define DL_VERSION_PATCH 0

/** The version as one integer, MAJOR * 10000 + MINOR * 100 + PATCH (0.1.0 is 100), for #if. */
#define DL_VERSION_NUMBER (DL_VERSION_MAJOR * 10000 + DL_VERSION_MINOR * 100 + DL_VERSION_PATCH)

#define DL_QUOTE(x) #x
#define DL_EXPAND_AND_QUOTE(x) DL_QUOTE(x)
/** The version as a string "MAJOR.MINOR.PATCH" ("0.1.0"). */
#define DL_VERSION                                                                                 \
	DL_EXPAND_AND_QUOTE(DL_VERSION_MAJOR)                                                      \
	"." DL_EXPAND_AND_QUOTE(DL_VERSION_MINOR) "." DL_EXPAND_AND_QUOTE(DL_VERSION_PATCH)

/** Error codes. Every fallible function returns 0 or one of these (negative) values. */
enum {
	DL_OK = 0,
	DL_EINVALID = -1,  /**< the input is malformed or breaks a rule; the message says where and why */
	DL_EIO = -2,       /**< a file could not be read or written */
	DL_ENOMEM = -3,    /**< an allocation failed */
	DL_ELIMIT = -4,    /**< the input exceeds a documented limit (size, count, length) */
	DL_ENOTFOUND = -5, /**< a named thing (file, questionnaire, id) does not exist */
	DL_EMISMATCH = -6  /**< two inputs do not belong together (other enterprise, other edition) */
};

#define DL_ERROR_FILE_MAX 256
#define DL_ERROR_MESSAGE_MAX 512

/**
 * A diagnostic: what went wrong and where. Filled by value, never allocated. line and column are
 * 1-based; 0 means unknown (for example an I/O error on the whole file). Columns count characters.
 */
typedef struct dl_error {
	int code;
	char file[DL_ERROR_FILE_MAX];
	unsigned long line;
	unsigned long column;
	char message[DL_ERROR_MESSAGE_MAX];
} dl_error;

/**
 * Called once for every problem a loader or validator finds, in document order. The diagnostic is
 * borrowed: valid only during the call. The first problem is also stored in the caller's dl_error.
 */
typedef void (*dl_diag_fn)(const dl_error *diag, void *userdata);

/**
 * Output sink: write len bytes of data. Returns 0 on success, or a negative value to stop the writer,
 * which then returns DL_EIO.
 */
typedef int (*dl_write_fn)(void *userdata, const char *data, size_t len);

/** What a CSV cell holds, which decides whether it is guarded against spreadsheet formulas. */
typedef enum dl_csv_cell {
	DL_CSV_TEXT = 0, /**< text that came from input (a name, a tag, a path, a title) */
	DL_CSV_NUMBER    /**< a number the library or program wrote itself ("-3.5", "12.00") */
} dl_csv_cell;

/**
 * Write one CSV cell, then "," or, when last is nonzero, "\n". The cell is quoted when it holds a
 * comma, a quote or a line break (quotes doubled, RFC 4180). A DL_CSV_TEXT cell that starts with
 * '=', '+', '-', '@', a tab or a carriage return gets a leading apostrophe, so that a spreadsheet
 * shows it as text instead of running it as a formula ("=HYPERLINK(...)" is written "'=HYPERLINK(...)");
 * a DL_CSV_NUMBER cell is written as it is, so "-3.5" stays a number. s NULL is an empty cell.
 * Every CSV the library and the program write goes through this. Returns 0, or DL_EIO when write
 * failed.
 */
DL_EXTERN int dl_csv_write_cell(const char *s, dl_csv_cell kind, int last, dl_write_fn write,
				void *userdata);

/**
 * Format a diagnostic as "file:line:column: message" (parts that are unknown are left out) into buf,
 * always NUL-terminated, truncated to size. The file name and the message are escaped as by
 * dl_error_escape, so the text is always one line that a terminal shows as it is. Returns the length
 * the full text would have, which is less than DL_ERROR_FORMAT_MAX.
 */
DL_EXTERN size_t dl_error_format(const dl_error *err, char *buf, size_t size);

/**
 * A buffer of this size always holds the whole text of dl_error_format (escaping at most quadruples
 * the file name and the message).
 */
#define DL_ERROR_FORMAT_MAX (4 * (DL_ERROR_FILE_MAX + DL_ERROR_MESSAGE_MAX) + 64)

/**
 * Escape text (a file name, or anything an input controls) for printing on one line beside
 * diagnostics: line feed, carriage return and tab become \n, \r and \t, other C0 controls, DEL and
 * bytes that are not UTF-8 become \xHH, and C1 controls, line and paragraph separators and bidi
 * controls (U+061C, U+200E, U+200F, U+2028-U+202E, U+2066-U+2069) become \uHHHH. Everything else
 * is copied. buf is always NUL-terminated (when size > 0) and never ends inside an escape or a
 * character; buf may be NULL when size is 0, to learn the length. Returns the length the full text
 * would have.
 */
DL_EXTERN size_t dl_error_escape(const char *text, char *buf, size_t size);

/** An exact point value, in units of 1/DL_POINTS_SCALE points. */
typedef int64_t dl_points;
#define DL_POINTS_SCALE 10000

/**
 * Format points as a plain decimal with no trailing zeros ("57.5", "1.875", "40") into buf, always
 * NUL-terminated. buf should hold at least 32 bytes. Returns buf.
 */
DL_EXTERN char *dl_points_format(dl_points value, char *buf, size_t size);

/**
 * The language of messages: diagnostics, warnings, verdict reasons and the command line's help.
 * Documents (the PDF reports) are Chinese whatever this says. Chinese messages come from the GNU
 * gettext catalogue of the text domain DL_TEXT_DOMAIN, so a program that wants them binds that
 * domain (bindtextdomain, bind_textdomain_codeset "UTF-8") and runs with an LC_MESSAGES locale
 * other than "C" whose language is Chinese, as the digilevel program does (docs/messages.md);
 * without the catalogue every message is the English one. Set before any other call (the setting is
 * process-wide and not synchronised); the default is Chinese.
 */
typedef enum dl_language {
	DL_LANGUAGE_ZH = 0, /**< Chinese, the default */
	DL_LANGUAGE_EN = 1  /**< English */
} dl_language;

#define DL_TEXT_DOMAIN "digilevel"

DL_EXTERN void dl_set_language(dl_language language);
DL_EXTERN dl_language dl_get_language(void);

/** Why a file operation failed (errno), in the language set: strerror for a person. */
DL_EXTERN const char *dl_strerror(int errnum);

/** A message in the language set: msgid (the English text) translated, or msgid itself. */
DL_EXTERN const char *dl_translate(const char *msgid)
#if defined(__GNUC__)
	__attribute__((format_arg(1)))
#endif
	;

/**
 * The version of the library the program runs with: DL_VERSION as the library was built. A program
 * built against one version and run with another (a newer shared library) can compare it with the
 * DL_VERSION it was compiled with.
 */
DL_EXTERN const char *dl_version(void);

/** The same as a number: DL_VERSION_NUMBER as the library was built. */
DL_EXTERN int dl_version_number(void);

/**
 * Make the library allocate with malloc_fn, realloc_fn and free_fn instead of the C library's
 * malloc, realloc and free, as jansson's json_set_alloc_funcs does. Every block the library
 * allocates comes from them, its own and those of libharu (the PDF writer) and PCRE2; memory a
 * function hands to the caller (a report's bytes, a text) is freed by the matching dl_*_free
 * function, which calls free_fn. The three behave as the C library's: malloc_fn and realloc_fn
 * return NULL when out of memory (the library then returns DL_ENOMEM), realloc_fn(NULL, n) is
 * malloc_fn(n), free_fn(NULL) does nothing; the library never asks for 0 bytes. All three NULL
 * restores the C library's.
 *
 * libxml2 is not covered: its allocator is global to the process (xmlMemSetup) and other code in
 * the program may use libxml2 too, so the library leaves it alone. A program that wants libxml2 on
 * the same allocator calls xmlMemSetup itself, before it first uses libxml2.
 *
 * Threading: not thread-safe. Call it once, before any other function of the library, and never
 * again while anything the library allocated is alive (a block is freed by the free_fn of the
 * allocator that made it). Returns 0, or DL_EINVALID when some but not all three are NULL.
 */
DL_EXTERN int dl_set_allocator(void *(*malloc_fn)(size_t size),
			       void *(*realloc_fn)(void *ptr, size_t size),
			       void (*free_fn)(void *ptr));

/**
 * The root element name of an XML file ("questionnaire", "answer-sheet", ...), so a tool can tell
 * what a file is before loading it. Reads only as much of the file as holds the root start tag, so
 * a stream of sheets larger than DL_DEFAULT_MAX_FILE_SIZE is recognised too. Writes at most size
 * bytes into root. Returns 0, DL_EIO, DL_ENOTFOUND, DL_ENOMEM, DL_ELIMIT (no root start tag in the
 * first DL_DEFAULT_MAX_FILE_SIZE bytes of a larger file) or DL_EINVALID (not XML, or a DOCTYPE).
 */
DL_EXTERN int dl_document_root(const char *path, char *root, size_t size, dl_error *err);

/**
 * Options for every loader. Initialise with DL_LOAD_OPTIONS_INIT, then set what you need.
 * max_file_size 0 means the default limit (DL_DEFAULT_MAX_FILE_SIZE). Every function that takes
 * these options (loaders, checkers, dl_score, dl_compare, streams) returns DL_EINVALID before doing
 * anything when version is not DL_LOAD_OPTIONS_VERSION ("load options version 7 is not supported
 * (expected 1)"), as the report options do: a program built against other options is refused, not
 * misread. NULL options are the defaults.
 */
typedef struct dl_load_options {
	unsigned version;   /**< DL_LOAD_OPTIONS_VERSION */
	dl_diag_fn diag;    /**< called for every problem found; may be NULL */
	void *diag_data;    /**< passed to diag */
	size_t max_file_size;
} dl_load_options;

#define DL_LOAD_OPTIONS_VERSION 1
#define DL_LOAD_OPTIONS_INIT {DL_LOAD_OPTIONS_VERSION, NULL, NULL, 0}
#define DL_DEFAULT_MAX_FILE_SIZE ((size_t)16 * 1024 * 1024)

#ifdef __cplusplus
}
#endif

#endif
