/*
 * store_open.c: opening the workbench's database named by --db for the commands that keep it
 * (store_open.h), with one message for a database that is not there and one for a store that
 * cannot be opened, whichever command asks.
 */
#include "store_open.h"

#include "cli.h"

#include <sys/stat.h>

int cli_store_open(dl_store **st, const char *db, const char *command, bool create)
{
	struct stat sb;
	if (!create && !dl_store_is_server(db) && stat(db, &sb) != 0) {
		cli_line(stderr, _("digilevel %s: there is no database %s (give --db FILE: the "
				   "workbench's database)"),
			 command, db);
		return EXIT_INVALID;
	}
	dl_error err = {0};
	int rc = dl_store_open(st, db, &err);
	if (rc < 0) {
		cli_line(stderr, "digilevel %s: %s: %s", command, db, err.message);
		return cli_exit_code(rc);
	}
	return EXIT_OK;
}
