/*
 * store_open.h: the workbench's database as the commands that keep it (`digilevel user`,
 * `digilevel audit`) open it from --db FILE (store_open.c).
 */
#ifndef DL_CLI_STORE_OPEN_H
#define DL_CLI_STORE_OPEN_H

#include "store.h"

#include <stdbool.h>

/**
 * Open the store in db (--db FILE) for `digilevel COMMAND` (command: "user", "audit"; it begins
 * every message). Unless create, a db that does not exist is refused, so that a mistyped name
 * never leaves an empty store behind. Returns EXIT_OK with *st (close with dl_store_close()), or
 * an exit code after saying on stderr why not.
 */
int cli_store_open(dl_store **st, const char *db, const char *command, bool create);

#endif
