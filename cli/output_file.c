/*
 * output_file.c: how every command writes a file it was asked to write (a PDF, a CSV, JSON Lines):
 * never half of it.
 *
 * A regular file (or a new one) is written as a temporary file in the same directory and renamed
 * over the target once every byte is on disk, so a failure (full disk, killed process) leaves the
 * old file or none, never a partial one. "-" is standard output.
 *
 * - A file that is replaced keeps its permission bits; a new one gets 0666 less the umask, which is
 *   read once by cli_output_init before any thread starts (umask cannot be read without setting it,
 *   so reading it on a worker thread would race with every other file being made).
 * - An output that is a symbolic link is written through: the temporary file is made beside the
 *   file the link resolves to and renamed onto it, so the link stays a link. A link to nothing is
 *   refused.
 * - The temporary file is ".NAME.XXXXXX"; when NAME is too long for that to fit in NAME_MAX, NAME
 *   is shortened in the temporary name (never in the result).
 * - A character device (/dev/null, /dev/full, a terminal) or a FIFO cannot be replaced by a rename,
 *   so it is written directly. A FIFO is opened without waiting: if nothing reads it yet, the output
 *   is refused at once instead of blocking. Anything else that is not a regular file (a socket, a
 *   block device) is refused.
 * - Every temporary file is registered while it exists; SIGINT, SIGTERM, SIGHUP and SIGQUIT remove
 *   the registered ones (unlink only: async-signal-safe) and then end the process as the signal
 *   would have.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- temporary files removed on a signal ------------------------------------------------------- */

/* At most this many outputs are being written at once: one per report thread (256) and a few more. */
#define TEMP_SLOTS 300

enum { SLOT_FREE, SLOT_FILLING, SLOT_LIVE };

static struct temp_slot {
	atomic_int state;
	char path[PATH_MAX];
} temp_slots[TEMP_SLOTS];

static mode_t process_umask = 022;
static bool initialised;
static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
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

void cli_output_init(void)
{
	if (initialised)
		return;
	initialised = true;
	process_umask = umask(0); /* single-threaded here: nothing else makes files */
	umask(process_umask);
	default_action.sa_handler = SIG_DFL;
	sigemptyset(&default_action.sa_mask);
	for (size_t i = 0; i < sizeof(caught_signals) / sizeof(caught_signals[0]); i++) {
		struct sigaction old, sa;
		if (sigaction(caught_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
			continue; /* started with the signal ignored (nohup): leave it so */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = remove_temporaries;
		sigemptyset(&sa.sa_mask);
		for (size_t k = 0; k < sizeof(caught_signals) / sizeof(caught_signals[0]); k++)
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

static int report_failure(const cli_output *o, int error)
{
	if (strcmp(o->path, "-") == 0)
		fprintf(stderr, "digilevel: cannot write to standard output: %s\n",
			strerror(error ? error : EIO));
	else
		cli_line(stderr, "digilevel: cannot write '%s': %s", o->path, strerror(error ? error : EIO));
	return EXIT_SYSTEM;
}

/*
 * "dir/.name.XXXXXX" for "dir/name", with name shortened (at a UTF-8 character boundary) when the
 * whole would not fit in NAME_MAX; NULL when path has no file name or memory ran out.
 */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (base[0] == '\0')
		return NULL;
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	size_t base_len = strlen(base);
	size_t room = NAME_MAX - (sizeof(".") - 1) - (sizeof(".XXXXXX") - 1);
	if (base_len > room) {
		base_len = room;
		while (base_len > 0 && ((unsigned char)base[base_len] & 0xC0) == 0x80)
			base_len--;
	}
	size_t size = dir_len + base_len + sizeof(".") + sizeof(".XXXXXX");
	char *tmp = malloc(size);
	if (tmp)
		snprintf(tmp, size, "%.*s.%.*s.XXXXXX", (int)dir_len, path, (int)base_len, base);
	return tmp;
}

/* Open a character device or a FIFO for writing without waiting for a reader. */
static int open_special(cli_output *o, const struct stat *st)
{
	if (!S_ISCHR(st->st_mode) && !S_ISFIFO(st->st_mode)) {
		cli_line(stderr, "digilevel: cannot write '%s': it is not a regular file, a character "
			 "device or a FIFO", o->path);
		return EXIT_SYSTEM;
	}
	int fd = open(o->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENXIO && S_ISFIFO(st->st_mode)) {
		cli_line(stderr, "digilevel: cannot write '%s': it is a FIFO that nothing reads yet",
			 o->path);
		return EXIT_SYSTEM;
	}
	int flags = fd < 0 ? -1 : fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || !(o->f = fdopen(fd, "w"))) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		return report_failure(o, saved);
	}
	return EXIT_OK;
}

int cli_output_open(cli_output *o, const char *path)
{
	struct stat st;
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->slot = -1;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return EXIT_OK;
	}
	if (!initialised)
		cli_output_init(); /* a program that forgot: still correct while it has one thread */
	const char *target = path;
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		/* write through the link: replace the file it names, keep the link */
		if (!(o->target = realpath(path, NULL))) {
			int saved = errno;
			if (saved == ENOENT)
				cli_line(stderr, "digilevel: cannot write '%s': it is a symbolic link to a "
					 "file that does not exist", path);
			else
				report_failure(o, saved);
			return EXIT_SYSTEM;
		}
		target = o->target;
	}
	bool exists = stat(target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		cli_line(stderr, "digilevel: cannot write '%s': it is a directory", path);
		cli_output_abort(o);
		return EXIT_SYSTEM;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		int rc = open_special(o, &st);
		if (rc != EXIT_OK)
			cli_output_abort(o);
		return rc;
	}
	o->tmp = temp_name(target);
	if (!o->tmp) {
		cli_line(stderr, "digilevel: cannot write '%s': not a file name", path);
		cli_output_abort(o);
		return EXIT_SYSTEM;
	}
	/* no signal between making the file and registering it, so none can leave it behind */
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(caught_signals) / sizeof(caught_signals[0]); i++)
		sigaddset(&block, caught_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int fd = mkstemp(o->tmp);
	int saved = errno;
	if (fd >= 0)
		o->slot = register_temporary(o->tmp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		cli_output_abort(o);
		return report_failure(o, saved);
	}
	/* mkstemp makes the file 0600: give it the mode of the file it replaces, or of a new file */
	mode_t mode = exists ? st.st_mode & 0777 : 0666 & ~process_umask;
	if (fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w"))) {
		saved = errno;
		close(fd);
		cli_output_abort(o);
		return report_failure(o, saved);
	}
	return EXIT_OK;
}

int cli_output_commit(cli_output *o)
{
	if (o->f == stdout) {
		o->f = NULL;
		return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : report_failure(o, errno);
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
		cli_output_abort(o);
		return report_failure(o, saved);
	}
	unregister_temporary(o->slot);
	o->slot = -1;
	free(o->tmp);
	o->tmp = NULL;
	free(o->target);
	o->target = NULL;
	return EXIT_OK;
}

void cli_output_abort(cli_output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		unregister_temporary(o->slot);
		o->slot = -1;
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->target);
	o->target = NULL;
}

int cli_write_output(const char *path, const void *data, size_t len)
{
	cli_output o;
	int rc = cli_output_open(&o, path);
	if (rc != EXIT_OK)
		return rc;
	if (len > 0 && fwrite(data, 1, len, o.f) != len) {
		int saved = errno;
		cli_output_abort(&o);
		return report_failure(&o, saved);
	}
	return cli_output_commit(&o);
}
