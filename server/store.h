/*
 * store.h: the workbench's store of answer sheets (dl_store), a narrow interface so that handlers
 * never write SQL; store.c and store_district.c implement it once over db.h, on SQLite or
 * PostgreSQL (docs/store.md "Two engines").
 *
 * The answer sheet XML is the source of truth: it is kept byte for byte as received, with its
 * SHA-256. Everything else in a row (credit code, phase, date, name, edition, level, total) is
 * derived from the XML for listing and filtering, and is recomputed when the questionnaire it was
 * scored against changes (dl_store_stale, dl_store_set_score). Nothing is updated in place: saving
 * a sheet again makes a new version; every version stays.
 *
 * Lineage: the versions of one sheet share a lineage, the first version's id. A put with
 * replaces = 0 starts a new lineage; replaces = ID, the newest version of its lineage, adds the
 * next version to ID's lineage. A row's version is its number in its lineage, 1, 2, ... A put
 * replacing a version that is no longer the newest (someone else saved one since it was read) is
 * DL_ECONFLICT and stores nothing: never a silent lost update.
 *
 * Every function is safe to call from several threads at once on one dl_store. A put that returned
 * 0 is durable: it survives the process being killed at any moment (SQLite WAL, synchronous=FULL;
 * PostgreSQL synchronous_commit).
 * Functions return 0 or a negative DL_E* code (digilevel/common.h) and then fill err->message with
 * a sentence for the server's log (never shown to a client as it is).
 */
#ifndef DL_SERVER_STORE_H
#define DL_SERVER_STORE_H

#include <digilevel.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dl_store dl_store;

/** The fields of a stored row derived from the XML, for listing and filtering. */
typedef struct dl_store_row {
	int64_t id;       /**< this version's id, unique in the store, never reused */
	int64_t lineage;  /**< the id of the lineage's first version */
	int64_t version;  /**< 1, 2, ... within the lineage */
	char credit_code[32];         /**< 统一社会信用代码, "" if the sheet has none yet (a draft) */
	char name[256];               /**< the enterprise's name, "" if none */
	char phase[32];               /**< dl_phase_name(): "self-check", "diagnosis", "evaluation" */
	char date[16];                /**< the assessment date YYYY-MM-DD, "" if none */
	char questionnaire_id[64];    /**< the edition the sheet names */
	char questionnaire_version[32];
	char questionnaire_sha256[65]; /**< the digest of the questionnaire the score came from */
	bool draft;                   /**< saved as a draft: the score is provisional */
	int level;                    /**< 0-4, or -1 when the sheet could not be scored */
	char total[32];               /**< the total points as dl_points_format writes them, or "" */
	char sha256[65];              /**< of the XML as stored, lower-case hex */
	char received[32];            /**< when it was stored, UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	size_t xml_len;               /**< the XML's length in bytes */
	char author[64];              /**< the account that saved it; "" in personal mode */
	char reason[256];             /**< why this version replaced the last one, or "" */
} dl_store_row;

/**
 * Who does something, for the audit log. Zero-initialised (all NULL) is personal mode: no account.
 * The HTTP layer fills it from the session (auth.h, srv_actor); a command line names itself.
 */
typedef struct dl_store_actor {
	const char *user;   /**< the account's name; NULL or "": none (personal mode, a command line) */
	const char *role;   /**< its role ("bureau", ...); "cli" for a command line; NULL: personal */
	const char *remote; /**< the client's address; NULL: none (a command line) */
} dl_store_actor;

/** What a put stores: the XML and the fields derived from it (the row's id, lineage, version,
 * sha256 (of xml), received and xml_len are set by the store and ignored here). */
typedef struct dl_store_sheet {
	const char *xml;
	size_t xml_len;
	int64_t replaces; /**< 0: a new lineage; otherwise the newest version of the lineage this
			   * continues (an older one: DL_ECONFLICT) */
	dl_store_row fields; /**< author and reason are taken from by and reason below */
	dl_store_actor by;   /**< who saves it: the row's author, and the audit entry's */
	const char *reason;  /**< why it replaces a version: required (DL_EFROZEN otherwise) when the
			      * lineage's newest version is a submitted evaluation; NULL: "" */
} dl_store_sheet;

/** Which rows dl_store_list returns. Zero-initialise, then set what you need. */
typedef struct dl_store_filter {
	const char *credit_code; /**< only this enterprise's rows; NULL: every enterprise */
	const char *phase;       /**< only this phase; NULL: every phase */
	int64_t lineage;         /**< only this lineage (all its versions); 0: every lineage */
	bool history;            /**< every version; false: the newest version of each lineage only */
	bool drafts;             /**< include lineages whose newest version is a draft */
	size_t limit;            /**< at most this many rows; 0: no limit */
} dl_store_filter;

/**
 * Open the store at path: an SQLite file, or a PostgreSQL database named by a connection string
 * (postgresql://... or postgres://...). A file is created when missing; the schema is brought up to
 * date (a schema version table, forward-only migrations) as needed. A database that is not a
 * digilevel store, or one written by a newer digilevel, is refused (DL_EINVALID) and left
 * untouched. A PostgreSQL server that cannot be reached: DL_EUNAVAILABLE.
 */
int dl_store_open(dl_store **out, const char *path, dl_error *err);
/** dl_store_open with at most max_readers reader connections open at once (0: the default, 16),
 * besides the one writer (`serve --db-connections`). */
int dl_store_open_pool(dl_store **out, const char *path, size_t max_readers, dl_error *err);

/** Does target name a database server (a PostgreSQL URI: postgresql://... or postgres://...)
 * rather than an SQLite file? For commands that look for the file before opening it. */
bool dl_store_is_server(const char *target);
void dl_store_close(dl_store *st);

/** Store a sheet and its audit entry ("sheet.save" for a draft, "sheet.submit" otherwise, with the
 * new row's id, version and SHA-256) in one transaction. On success fills *row (if not NULL) with
 * the stored row. replaces naming no row: DL_ENOTFOUND. replaces naming a version that is not its
 * lineage's newest: DL_ECONFLICT, nothing stored, err names the newer version's id, and *row (if
 * not NULL) is that newer version (the handler tells the person who saved it meanwhile). A
 * submitted evaluation is frozen: a put replacing a lineage whose newest version is a non-draft
 * evaluation without a reason (NULL or blank) is DL_EFROZEN and stores nothing. */
int dl_store_put(dl_store *st, const dl_store_sheet *put, dl_store_row *row, dl_error *err);

/** One row by id, and its XML if xml is not NULL (malloc'ed, NUL-terminated, *xml_len without the
 * NUL; free with free()). No such id: DL_ENOTFOUND. */
int dl_store_get(dl_store *st, int64_t id, dl_store_row *row, char **xml, size_t *xml_len,
		 dl_error *err);

/** The rows the filter selects, newest first (by id). *rows is malloc'ed (free with free()), *count
 * rows; none: *rows NULL and *count 0. */
int dl_store_list(dl_store *st, const dl_store_filter *f, dl_store_row **rows, size_t *count,
		  dl_error *err);

/** Called for each row by dl_store_each with its XML (borrowed for the call). Return 0 to go on, a
 * negative value to stop (dl_store_each then returns it). */
typedef int (*dl_store_each_fn)(const dl_store_row *row, const char *xml, size_t xml_len,
				void *userdata);

/** Every row (every version, drafts too), oldest first, with its XML: for export and re-scoring. */
int dl_store_each(dl_store *st, dl_store_each_fn fn, void *userdata, dl_error *err);

/** The newest sheet's id (0: none), in *mark. Rows are only ever added, with ids that grow in the
 * order their transactions commit (one writer at a time: db.h), and a row's XML never
 * changes: so the same mark means the same sheets, and what is computed from the sheets alone (the
 * dashboard, cohort_store.c) can be kept until the mark moves. */
int dl_store_sheet_mark(dl_store *st, int64_t *mark, dl_error *err);

/** The rows ids[0..count), in that order, each given to fn with its XML (borrowed for the call):
 * as count calls of dl_store_get, in a few queries (a dashboard reads 200,000 rows). An id with no
 * row: DL_ENOTFOUND, after fn has had the ids before it. */
int dl_store_get_each(dl_store *st, const int64_t *ids, size_t count, dl_store_each_fn fn,
		      void *userdata, dl_error *err);

/** Replace the derived score of row id (level, total, the questionnaire's digest): the only update
 * the store allows, used when a questionnaire changed. The XML is never changed. */
int dl_store_set_score(dl_store *st, int64_t id, int level, const char *total,
		       const char *questionnaire_sha256, dl_error *err);

/** Check the database with the engine's own check (SQLite: PRAGMA integrity_check and
 * foreign_key_check); 0 when it is sound, DL_EINVALID otherwise with the first problem in
 * err->message. */
int dl_store_check(dl_store *st, dl_error *err);

/** The schema version the store is at, and a short description of the back end ("sqlite 3.40.1",
 * "postgresql 15.18": db_version), for GET /api/health. */
int dl_store_schema_version(dl_store *st);
const char *dl_store_backend(const dl_store *st);

/* ---------------------------------------------------------------------------------------------
 * District mode (docs/workbench.md "District mode"): accounts, sessions, assignments, the
 * supervisor's reviews, documents (contracts, retrofit plans) and the audit chain. Every change
 * below writes its audit entry in the same transaction as the change itself.
 * ------------------------------------------------------------------------------------------- */

/** Store errors beyond digilevel/common.h's, for the district's rules. */
enum {
	DL_EEXISTS = -20, /**< the name is taken (an account, an enterprise) */
	DL_EFROZEN = -21, /**< a submitted evaluation may be replaced only with a reason */
	DL_EBROKEN = -22, /**< dl_store_audit_verify: the chain does not hold */
	DL_ECONFLICT = -23,   /**< a newer version was saved since the one this change replaces */
	DL_EUNAVAILABLE = -24 /**< the database cannot be reached just now (a server that went away) */
};

/** The roles (docs/workbench.md): the strings stored and shown in the API. */
#define DL_ROLE_ENTERPRISE "enterprise" /**< its own credit code: self-checks, its reports */
#define DL_ROLE_INTEGRATOR "integrator" /**< diagnoses, contracts, plans of assigned enterprises */
#define DL_ROLE_EVALUATOR "evaluator"   /**< evaluations and acceptance of assigned enterprises */
#define DL_ROLE_SUPERVISOR "supervisor" /**< 全过程监督服务单位: reads all, reviews */
#define DL_ROLE_BUREAU "bureau"         /**< reads all, assigns, dashboard, accounts */

/** An account. */
typedef struct dl_store_user {
	int64_t id;
	char name[64];        /**< unique; letters, digits, '.', '-', '_' (the CLI checks) */
	char role[16];        /**< one of DL_ROLE_* */
	char credit_code[32]; /**< the enterprise role's own code; "" for the others */
	bool disabled;        /**< a disabled account cannot log in; its sessions ended */
	char created[32];     /**< UTC, "YYYY-MM-DDTHH:MM:SSZ" */
} dl_store_user;

/** How many accounts exist, disabled ones too (0: personal mode). */
int dl_store_user_count(dl_store *st, int64_t *count, dl_error *err);
/** Add an account with its password hash (auth.h, srv_password_hash: an Argon2id encoded
 * string). Name taken: DL_EEXISTS. Audit "user.add". */
int dl_store_user_add(dl_store *st, const dl_store_user *user, const char *password_hash,
		      const dl_store_actor *by, dl_error *err);
/** An account by name, and its password hash if hash is not NULL (copied into hash, size bytes).
 * None: DL_ENOTFOUND. */
int dl_store_user_find(dl_store *st, const char *name, dl_store_user *user, char *hash,
		       size_t hash_size, dl_error *err);
/** Every account, by name. *users malloc'ed (free()). */
int dl_store_user_list(dl_store *st, dl_store_user **users, size_t *count, dl_error *err);
/** Disable (disabled = true) or enable an account; ends its sessions. Audit "user.disable" or
 * "user.enable". None: DL_ENOTFOUND. */
int dl_store_user_set_disabled(dl_store *st, const char *name, bool disabled,
			       const dl_store_actor *by, dl_error *err);
/** Replace an account's password hash; ends its sessions. Audit "user.passwd". */
int dl_store_user_set_password(dl_store *st, const char *name, const char *password_hash,
			       const dl_store_actor *by, dl_error *err);

/** A session: the SHA-256 (hex) of its token is what the store keeps, never the token. */
typedef struct dl_store_session {
	dl_store_user user; /**< whose */
	char csrf[65];      /**< the session's CSRF token (hex), sent back in forms and headers */
	char expires[32];   /**< UTC, "YYYY-MM-DDTHH:MM:SSZ" */
} dl_store_session;

/** Start a session for user_id that ends after lifetime seconds. Audit "login" (by). */
int dl_store_session_start(dl_store *st, int64_t user_id, const char token_sha256[65],
			   const char csrf[65], int64_t lifetime, const dl_store_actor *by,
			   dl_error *err);
/** The live session of token_sha256 (not ended, not expired, its account not disabled).
 * None: DL_ENOTFOUND. */
int dl_store_session_find(dl_store *st, const char token_sha256[65], dl_store_session *session,
			  dl_error *err);
/** End a session (logout). Audit "logout" (by). Unknown or ended already: 0. */
int dl_store_session_end(dl_store *st, const char token_sha256[65], const dl_store_actor *by,
			 dl_error *err);

/** An enterprise of the district: known once the bureau registers or assigns it, or a sheet or
 * an account names it. */
typedef struct dl_store_enterprise {
	char credit_code[32];
	char name[256];        /**< as registered, else the newest sheet's, else "" */
	char integrator[64];   /**< the assigned integrator's account, or "" */
	char evaluator[64];    /**< the assigned evaluator's account, or "" */
} dl_store_enterprise;

/** Every enterprise, by credit code. *list malloc'ed (free()). */
int dl_store_enterprise_list(dl_store *st, dl_store_enterprise **list, size_t *count,
			     dl_error *err);
/** One enterprise; unknown: DL_ENOTFOUND. */
int dl_store_enterprise_get(dl_store *st, const char *credit_code, dl_store_enterprise *e,
			    dl_error *err);
/** Register an enterprise (or rename it). Audit "enterprise.register". */
int dl_store_enterprise_register(dl_store *st, const char *credit_code, const char *name,
				 const dl_store_actor *by, dl_error *err);
/** Assign the integrator or evaluator account user (by its role) to credit_code, replacing the
 * one assigned before; user NULL or "": unassign role ("integrator" or "evaluator"). Registers
 * the enterprise if needed. Audit "assign" / "unassign". No such account, or one of another
 * role: DL_EINVALID. */
int dl_store_assign(dl_store *st, const char *credit_code, const char *role, const char *user,
		    const dl_store_actor *by, dl_error *err);

/** A document about an enterprise that is not an answer sheet: a contract or a retrofit plan,
 * kept byte for byte as uploaded. Versions as sheets: replaces continues a lineage. */
typedef struct dl_store_document {
	int64_t id, lineage, version;
	char credit_code[32];
	char kind[16];          /**< "contract" (合同) or "plan" (改造方案) */
	char filename[256];     /**< as uploaded */
	char content_type[128]; /**< as the upload says it (Office Open XML types run to 73 bytes) */
	char sha256[65];
	char author[64];
	char received[32];
	size_t len;
} dl_store_document;

/** Store a document (fields of doc: credit_code, kind, filename, content_type; the rest set by
 * the store). Audit "document.save". replaces: 0, or the newest version of a lineage of the same
 * enterprise and kind; an older version is DL_ECONFLICT, nothing stored, err names the newer
 * version's id and *stored (if not NULL) is that newer version. */
int dl_store_document_put(dl_store *st, const dl_store_document *doc, int64_t replaces,
			  const void *bytes, size_t len, const dl_store_actor *by,
			  dl_store_document *stored, dl_error *err);
/** One document and its bytes (malloc'ed, free()) if bytes is not NULL. None: DL_ENOTFOUND. */
int dl_store_document_get(dl_store *st, int64_t id, dl_store_document *doc, void **bytes,
			  dl_error *err);
/** An enterprise's documents (credit_code NULL: all), every version, newest first. */
int dl_store_document_list(dl_store *st, const char *credit_code, dl_store_document **docs,
			   size_t *count, dl_error *err);

/** The supervisor's decision on a diagnosis (a sheet) or a contract or plan (a document). */
typedef struct dl_store_review {
	int64_t id;
	char credit_code[32];
	char item_kind[16];  /**< "sheet" or "document" */
	int64_t item_id;     /**< the sheet's or document's id (one version) */
	char decision[16];   /**< "approved" or "returned" */
	char comment[1024];  /**< required when returned */
	char reviewer[64];
	char at[32];
} dl_store_review;

/** Record a review (fields of r but id, reviewer and at). Audit "review.approve" or
 * "review.return". The item must exist and belong to r->credit_code: DL_ENOTFOUND otherwise. */
int dl_store_review_add(dl_store *st, const dl_store_review *r, const dl_store_actor *by,
			dl_store_review *stored, dl_error *err);
/** The reviews of an enterprise (credit_code NULL: all), newest first. */
int dl_store_review_list(dl_store *st, const char *credit_code, dl_store_review **reviews,
			 size_t *count, dl_error *err);

/** One entry of the audit log. hash = SHA-256 over prev and every other field (docs/store.md
 * gives the exact bytes), so that changing, removing or reordering an entry breaks the chain. */
typedef struct dl_store_audit {
	int64_t seq;           /**< 1, 2, ... */
	char at[32];           /**< UTC, "YYYY-MM-DDTHH:MM:SSZ" */
	char user[64];         /**< "" in personal mode */
	char role[16];
	char remote[64];
	char action[32];       /**< "sheet.save", "login", "refused", ... (docs/store.md lists them) */
	char credit_code[32];  /**< the enterprise concerned, or "" */
	int64_t sheet_id;      /**< the sheet or document concerned, or 0 */
	int64_t sheet_version;
	char sha256[65];       /**< its digest, or "" */
	char detail[512];      /**< what else: the path refused, the reason, the comment, ... */
	char prev[65];         /**< the previous entry's hash ("" for the first) */
	char hash[65];
} dl_store_audit;

/** Append an entry that records no other change (a refused access, a failed login): fields of e
 * but seq, at, user, role, remote, prev and hash, which come from by and the chain. */
int dl_store_audit_add(dl_store *st, const dl_store_audit *e, const dl_store_actor *by,
		       dl_error *err);
/** The entries about credit_code (NULL: all), oldest first. */
int dl_store_audit_list(dl_store *st, const char *credit_code, dl_store_audit **entries,
			size_t *count, dl_error *err);
/** Recompute the chain: 0 with *checked entries when it holds; DL_EBROKEN with *broken the seq of
 * the first entry that does not (changed, missing or out of order) and err saying how. */
int dl_store_audit_verify(dl_store *st, int64_t *checked, int64_t *broken, dl_error *err);

/** Copy the whole store into a new file path (SQLite's online backup: the server may go on
 * writing meanwhile). path existing: DL_EIO, nothing written. The copy is complete or absent. A
 * PostgreSQL store is refused (DL_EINVALID): pg_dump and base backups are its means. */
int dl_store_backup(dl_store *st, const char *path, dl_error *err);

/* ---------------------------------------------------------------------------------------------
 * Failed logins (store_logins.c): the limiter's count is read from the audit log ("login.failed"
 * and "login" entries), so that every server process on one database shares it and a restart
 * keeps it (docs/security.md "The workbench").
 * ------------------------------------------------------------------------------------------- */

/** How many failed logins are taken within how long. */
typedef struct dl_store_login_limit {
	int64_t account; /**< failures of one account name since its last login */
	int64_t address; /**< failures from one client address, whatever the names */
	int64_t window;  /**< seconds */
} dl_store_login_limit;

/** Record a failed login of name (as typed) from by (its remote counts for the address): audit
 * "login.failed", detail the name (at most 200 bytes, control characters as '?'). */
int dl_store_login_failed(dl_store *st, const char *name, const dl_store_actor *by, dl_error *err);

/** May name be tried from remote now? *wait 0: yes; otherwise the seconds until it may, when the
 * oldest of the failures that reach a limit is window seconds old. Writes nothing. */
int dl_store_login_wait(dl_store *st, const char *name, const char *remote,
			const dl_store_login_limit *limit, int64_t *wait, dl_error *err);

/* ---------------------------------------------------------------------------------------------
 * Moving a district to PostgreSQL (docs/store.md "Moving a district to PostgreSQL";
 * store_migrate.c).
 * ------------------------------------------------------------------------------------------- */

/** What dl_store_migrate copied: rows of each table, and the audit chain's end. */
typedef struct dl_store_migrated {
	int64_t sheets;      /**< lineages (a sheet and its versions count one) */
	int64_t versions;    /**< sheet rows: every version, drafts too */
	int64_t users;       /**< accounts, disabled ones too */
	int64_t sessions;
	int64_t enterprises;
	int64_t assignments; /**< assignment events */
	int64_t documents;   /**< lineages */
	int64_t document_versions;
	int64_t reviews;
	int64_t audit;       /**< entries; the chain verified on the copy with as many */
	char last_hash[65];  /**< the chain's last hash, the same in both ("" with no entry) */
	char target[512];    /**< the target as logs show it: a password in it replaced by *** */
} dl_store_migrated;

/**
 * Copy the store in the SQLite file from_file into the PostgreSQL database to_target, every row of
 * every table as it is (ids, lineages, versions, bytes, times, audit entries), in one transaction
 * of the target, then check the copy (rows compared with the source's, every sheet's and
 * document's bytes against its SHA-256, the audit chain verified on the target with the same
 * entries and last hash). from_file is only read, never written: it must be a digilevel store at
 * this program's schema version (an older one is refused: the workbench brings it up to date when
 * started on it once). to_target must be empty or a store with no row in any table: anything else
 * is refused (DL_EINVALID) and left as it is; a failure leaves it as it was. Fills *done (if not
 * NULL). A missing from_file: DL_ENOTFOUND.
 */
int dl_store_migrate(const char *from_file, const char *to_target, dl_store_migrated *done,
		     dl_error *err);

#endif
