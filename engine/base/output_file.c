/*
 * output_file.c: writing an output file whole or not at all (include/digilevel/files.h): through a
 * temporary file renamed into place, through symbolic links, directly to devices and FIFOs, with the
 * mode kept, and no temporary file left behind by a signal.
 *
 * Every temporary file is registered in a fixed table while it exists, so that the signal handler
 * can remove it with unlink alone (async-signal-safe): no allocation, no lock. A slot goes FREE ->
 * FILLING (taken by one thread with a compare-and-swap) -> LIVE (its path complete) -> FREE, and
 * the handler reads LIVE slots only.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "alloc.h"
#include "i18n.h"
#include "diag.h"
#include "digilevel/files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dl_output_file {
	FILE *f;
	char *path;   /* as given (for messages) */
	char *target; /* the file a symbolic link path names (PATH_MAX bytes), or NULL: path itself */
	char *tmp;    /* the temporary file, or NULL (standard output, a device, a FIFO) */
	int slot;     /* where tmp is registered for removal on a signal, or -1 */
};

/* --- temporary files removed on a signal ------------------------------------------------------- */

/* At most this many outputs are being written at once: one per report thread (256) and a few more. */
#define TEMP_SLOTS 300

enum { SLOT_FREE, SLOT_FILLING, SLOT_LIVE };

static struct temp_slot {
	atomic_int state;
	char path[PATH_MAX];
} temp_slots[TEMP_SLOTS];

static mode_t process_umask = 022;
static bool umask_known, signals_caught;
static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define CAUGHT (sizeof(caught_signals) / sizeof(caught_signals[0]))
static struct sigaction default_action; /* SIG_DFL, made before the handler can run */

static void remove_temporaries(int sig)
{
	int saved = errno;
	for (size_t i = 0; i < TEMP_SLOTS; i++)
		if (atomic_load(&temp_slots[i].state) == SLOT_LIVE)
			unlink(temp_slots[i].path);
	sigaction(sig, &default_action, NULL);
	errno = saved;
	raise(sig); /* delivered with the default action once this handler returns */
}

static void read_umask(void)
{
	if (umask_known)
		return;
	umask_known = true;
	process_umask = umask(0);
	umask(process_umask);
}

void dl_output_file_setup(void)
{
	read_umask(); /* single-threaded here: nothing else makes files */
	if (signals_caught)
		return;
	signals_caught = true;
	default_action.sa_handler = SIG_DFL;
	sigemptyset(&default_action.sa_mask);
	for (size_t i = 0; i < CAUGHT; i++) {
		struct sigaction old, sa;
		if (sigaction(caught_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
			continue; /* started with the signal ignored (nohup): leave it so */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = remove_temporaries;
		sigemptyset(&sa.sa_mask);
		for (size_t k = 0; k < CAUGHT; k++)
			sigaddset(&sa.sa_mask, caught_signals[k]);
		sigaction(caught_signals[i], &sa, NULL);
	}
}

/* Remember path for the signal handler; returns the slot, or -1 when all are taken (not protected). */
static int register_temporary(const char *path)
{
	if (strlen(path) >= PATH_MAX)
		return -1;
	for (int i = 0; i < TEMP_SLOTS; i++) {
		int expected = SLOT_FREE;
		if (atomic_compare_exchange_strong(&temp_slots[i].state, &expected, SLOT_FILLING)) {
			memcpy(temp_slots[i].path, path, strlen(path) + 1);
			atomic_store(&temp_slots[i].state, SLOT_LIVE);
			return i;
		}
	}
	return -1;
}

static void unregister_temporary(int slot)
{
	if (slot >= 0)
		atomic_store(&temp_slots[slot].state, SLOT_FREE);
}

/* --- writing ----------------------------------------------------------------------------------- */

/* Fill err: the path, and why (a text, or dl_strerror(error)); returns DL_EIO. */
static int failure(dl_error *err, const char *path, int error, const char *why)
{
	return dl__error_set(err, DL_EIO, path, 0, 0, "%s", why ? why : dl_strerror(error ? error : EIO));
}

static void release(dl_output_file *o)
{
	dl__free(o->tmp);
	dl__free(o->target);
	dl__free(o);
}

/*
 * "dir/.name.XXXXXX" for "dir/name", with name shortened (at a UTF-8 character boundary) when the
 * whole would not fit in NAME_MAX; NULL when memory ran out. path has a file name.
 */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	size_t base_len = strlen(base);
	size_t room = NAME_MAX - (sizeof(".") - 1) - (sizeof(".XXXXXX") - 1);
	if (base_len > room) {
		base_len = room;
		while (base_len > 0 && ((unsigned char)base[base_len] & 0xC0) == 0x80)
			base_len--;
	}
	size_t size = dir_len + base_len + sizeof(".") + sizeof(".XXXXXX");
	char *tmp = dl__malloc(size);
	if (tmp)
		snprintf(tmp, size, "%.*s.%.*s.XXXXXX", (int)dir_len, path, (int)base_len, base);
	return tmp;
}

/* Open a character device or a FIFO for writing without waiting for a reader. */
static int open_special(dl_output_file *o, const struct stat *st, dl_error *err)
{
	if (!S_ISCHR(st->st_mode) && !S_ISFIFO(st->st_mode))
		return failure(err, o->path, 0,
			       _("it is not a regular file, a character device or a FIFO"));
	int fd = open(o->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENXIO && S_ISFIFO(st->st_mode))
		return failure(err, o->path, 0, _("it is a FIFO that nothing reads yet"));
	int flags = fd < 0 ? -1 : fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || !(o->f = fdopen(fd, "w"))) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		return failure(err, o->path, saved, NULL);
	}
	return 0;
}

/* Make the temporary file beside target, registered for removal, with the mode the result gets. */
static int open_temporary(dl_output_file *o, const char *target, bool exists, mode_t old_mode,
			  dl_error *err)
{
	const char *slash = strrchr(target, '/');
	if ((slash ? slash[1] : target[0]) == '\0')
		return failure(err, o->path, 0, _("not a file name"));
	if (!(o->tmp = temp_name(target)))
		return dl__error_message(err, DL_ENOMEM, "%s", _("out of memory"));
	/* no signal between making the file and registering it, so none can leave it behind */
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < CAUGHT; i++)
		sigaddset(&block, caught_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int fd = mkstemp(o->tmp);
	int saved = errno;
	if (fd >= 0)
		o->slot = register_temporary(o->tmp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		dl__free(o->tmp);
		o->tmp = NULL;
		return failure(err, o->path, saved, NULL);
	}
	/* mkstemp makes the file 0600: give it the mode of the file it replaces, or of a new file */
	mode_t mode = exists ? old_mode & 0777 : 0666 & ~process_umask;
	if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
		saved = errno;
		close(fd);
		return failure(err, o->path, saved, NULL);
	}
	return 0;
}

int dl_output_file_open(dl_output_file **out, const char *path, dl_error *err)
{
	size_t len = strlen(path);
	dl_output_file *o = dl__calloc(1, sizeof(*o) + len + 1);
	if (!o)
		return dl__error_message(err, DL_ENOMEM, "%s", _("out of memory"));
	o->path = (char *)(o + 1);
	memcpy(o->path, path, len + 1);
	o->slot = -1;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		*out = o;
		return 0;
	}
	read_umask(); /* a program that did not call dl_output_file_setup: correct while it has one thread */
	const char *target = path;
	struct stat st, lst;
	int rc = 0;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		/* write through the link: replace the file it names, keep the link */
		if (!(o->target = dl__malloc(PATH_MAX))) {
			dl__free(o);
			return dl__error_message(err, DL_ENOMEM, "%s", _("out of memory"));
		}
		if (!realpath(path, o->target)) {
			int saved = errno;
			rc = failure(err, path, saved,
				     saved == ENOENT ? _("it is a symbolic link to a file that does not exist")
						     : NULL);
			goto done;
		}
		target = o->target;
	}
	bool exists = stat(target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		rc = failure(err, path, 0, _("it is a directory"));
	else if (exists && !S_ISREG(st.st_mode))
		rc = open_special(o, &st, err);
	else
		rc = open_temporary(o, target, exists, exists ? st.st_mode : 0, err);
done:
	if (rc < 0) {
		dl_output_file_abort(o);
		return rc;
	}
	*out = o;
	return 0;
}

int dl_output_file_write(void *file, const char *data, size_t len)
{
	dl_output_file *o = file;
	return fwrite(data, 1, len, o->f) == len ? 0 : -1;
}

int dl_output_file_commit(dl_output_file *o, dl_error *err)
{
	if (o->f == stdout) {
		bool ok = fflush(stdout) == 0 && !ferror(stdout);
		int rc = ok ? 0 : failure(err, o->path, errno, NULL);
		release(o);
		return rc;
	}
	errno = 0;
	bool ok = !ferror(o->f) && fflush(o->f) == 0;
	if (ok && o->tmp)
		ok = fsync(fileno(o->f)) == 0;
	int saved = errno;
	ok = fclose(o->f) == 0 && ok;
	o->f = NULL;
	if (!saved)
		saved = errno;
	if (ok && o->tmp && rename(o->tmp, o->target ? o->target : o->path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		int rc = failure(err, o->path, saved, NULL);
		dl_output_file_abort(o);
		return rc;
	}
	unregister_temporary(o->slot);
	release(o);
	return 0;
}

void dl_output_file_abort(dl_output_file *o)
{
	if (!o)
		return;
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp) {
		unlink(o->tmp);
		unregister_temporary(o->slot);
	}
	release(o);
}

int dl_output_file_save(const char *path, const void *data, size_t len, dl_error *err)
{
	dl_output_file *o = NULL;
	int rc = dl_output_file_open(&o, path, err);
	if (rc < 0)
		return rc;
	if (len > 0 && fwrite(data, 1, len, o->f) != len) {
		int saved = errno;
		dl_output_file_abort(o);
		return failure(err, path, saved, NULL);
	}
	return dl_output_file_commit(o, err);
}
