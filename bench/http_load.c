/*
 * http_load.c: a small HTTP/1.1 load client for the workbench's benchmark (bench/http.sh). Not a
 * test and not part of the program: it measures what `digilevel serve` answers on this machine.
 *
 *   http_load [-c CLIENTS] [-d SECONDS] [-w SECONDS] [-X METHOD] [-b FILE]... [-H HEADER]...
 *             HOST:PORT PATH...
 *
 * CLIENTS threads (1 to 256, default 1) each keep one connection open (keep-alive) and send one
 * request after the other for SECONDS (above 0, at most 120; default 5), after an unrecorded warm-up
 * of -w SECONDS (default 0). Request i of a client goes to PATH number (client + i) modulo the
 * number of paths, with body file number (client + i) modulo the number of -b files (none: no body),
 * so that several sheets or several stored reports are cycled through. A response is read by its
 * Content-Length (a chunked response is an error); when the server closes a kept-alive connection
 * before answering, the client connects again and sends the request once more.
 *
 * HOST must be a loopback address (127.0.0.0/8, ::1, or localhost): this program loads a server on
 * this machine, never one elsewhere.
 *
 * Prints one line of name=value pairs: the requests answered in the measured time, requests per
 * second, the latency (from sending a request to reading the last byte of its answer) at p50, p90,
 * p99 and the maximum in milliseconds, the answers that were not 2xx, the transport errors
 * (refused, reset, timed out, malformed), the reconnections, the mean bytes of an answer and the
 * requests answered in the warm-up (for a server's CPU time per request).
 * Exit status: 0 when every answer was 2xx and nothing failed, 1 otherwise, 2 for a usage error.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 256
#define MAX_SECONDS 120.0
#define MAX_TARGETS 4096
#define MAX_HEADERS 16
#define MAX_BODY ((size_t)64 * 1024 * 1024)
/* The head of a response must fit in this (the server's are under 1 KiB). */
#define HEAD_MAX 16384
/* A request that has no answer in this long is an error: the server hangs. */
#define TIMEOUT_SECONDS 30

/* One request's bytes, built once: the head and the body together, sent with one write. */
typedef struct request {
	char *bytes;
	size_t len;
} request;

typedef struct config {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	request *requests; /* paths × bodies, in cycle order */
	size_t request_count;
	double warm_end, end; /* CLOCK_MONOTONIC seconds */
	pthread_barrier_t start;
} config;

typedef struct client {
	config *cfg;
	size_t index;
	pthread_t thread;
	float *ms; /* the latency of each recorded request */
	size_t count, cap;
	uint64_t non2xx, errors, reconnects, bytes, warm;
	double last_end; /* when its last recorded request was answered */
	int first_bad_status;
	char first_error[160];
} client;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fputs("usage: http_load [-c CLIENTS] [-d SECONDS] [-w SECONDS] [-X METHOD] [-b FILE]...\n"
	      "                 [-H 'Name: value']... HOST:PORT PATH...\n"
	      "  CLIENTS 1 to 256 (default 1); SECONDS above 0, at most 120 (default 5; -w: 0);\n"
	      "  HOST a loopback address (127.0.0.1, [::1] or localhost).\n",
	      stderr);
}

/* HOST:PORT or [HOST]:PORT into a loopback socket address; -1 with a message otherwise. */
static int parse_address(const char *text, config *cfg)
{
	char host[128];
	const char *colon;
	size_t hl;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			goto bad;
		hl = (size_t)(close - text - 1);
		if (hl == 0 || hl >= sizeof host)
			goto bad;
		memcpy(host, text + 1, hl);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			goto bad;
		hl = (size_t)(colon - text);
		if (hl == 0 || hl >= sizeof host)
			goto bad;
		memcpy(host, text, hl);
	}
	host[hl] = '\0';
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port == 0 || port > 65535)
		goto bad;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res)
		goto bad;
	memcpy(&cfg->addr, res->ai_addr, res->ai_addrlen);
	cfg->addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	bool loopback = false;
	if (cfg->addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&cfg->addr;
		loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else if (cfg->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&cfg->addr;
		loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	if (!loopback) {
		fprintf(stderr, "http_load: %s is refused: it loads a server on this machine only "
				"(127.0.0.1, [::1] or localhost)\n",
			text);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "http_load: '%s' is not HOST:PORT with a numeric address, such as "
			"127.0.0.1:8080 or [::1]:8080\n",
		text);
	return -1;
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_BODY) {
		fprintf(stderr, "http_load: %s: cannot read it as a body (a regular file of at most "
				"64 MiB)\n",
			path);
		if (f)
			fclose(f);
		return -1;
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len + 1);
	int rc = *data && fread(*data, 1, *len, f) == *len ? 0 : -1;
	fclose(f);
	if (rc < 0) {
		fprintf(stderr, "http_load: %s: cannot read it\n", path);
		free(*data);
	}
	return rc;
}

/* The bytes of one request: request line, headers, an empty line, the body. */
static int build_request(request *r, const char *method, const char *path, const char *host,
			 const char *const *headers, size_t header_count, const char *body,
			 size_t body_len, bool has_body)
{
	size_t cap = strlen(method) + strlen(path) + strlen(host) + body_len + 256;
	for (size_t i = 0; i < header_count; i++)
		cap += strlen(headers[i]) + 2;
	r->bytes = malloc(cap);
	if (!r->bytes)
		return -1;
	int n = snprintf(r->bytes, cap, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: http_load\r\n",
			 method, path, host);
	size_t len = (size_t)n;
	for (size_t i = 0; i < header_count; i++)
		len += (size_t)snprintf(r->bytes + len, cap - len, "%s\r\n", headers[i]);
	if (has_body)
		len += (size_t)snprintf(r->bytes + len, cap - len, "Content-Length: %zu\r\n", body_len);
	len += (size_t)snprintf(r->bytes + len, cap - len, "\r\n");
	if (has_body) {
		memcpy(r->bytes + len, body, body_len);
		len += body_len;
	}
	r->len = len;
	return 0;
}

static int connect_to(const config *cfg)
{
	int fd = socket(cfg->addr.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct timeval tv = {TIMEOUT_SECONDS, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (const struct sockaddr *)&cfg->addr, cfg->addr_len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The value of header name in head (NUL-terminated, lines ending \r\n), or NULL. */
static const char *header_value(const char *head, const char *name)
{
	size_t nl = strlen(name);
	for (const char *line = strstr(head, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		const char *l = line + 2;
		if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
			l += nl + 1;
			while (*l == ' ' || *l == '\t')
				l++;
			return l;
		}
	}
	return NULL;
}

/* What one exchange gave. */
enum outcome { ANSWERED, CLOSED_BEFORE_ANSWER, FAILED };

/*
 * Send r on *fd and read its answer. CLOSED_BEFORE_ANSWER: the connection was closed (or reset)
 * before any byte of an answer, as a server closing an idle kept-alive connection does; the caller
 * connects again and retries. *close_after: the server said it closes the connection.
 */
static enum outcome exchange(client *c, int fd, const request *r, int *status, size_t *body_len,
			     bool *close_after)
{
	char head[HEAD_MAX + 1];
	size_t have = 0;
	char *end = NULL;
	if (send_all(fd, r->bytes, r->len) < 0)
		return errno == EPIPE || errno == ECONNRESET ? CLOSED_BEFORE_ANSWER : FAILED;
	while (!end) {
		if (have == HEAD_MAX) {
			snprintf(c->first_error, sizeof c->first_error, "the head of an answer is over %d bytes",
				 HEAD_MAX);
			return FAILED;
		}
		ssize_t n = recv(fd, head + have, HEAD_MAX - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (have == 0 && (n == 0 || errno == ECONNRESET))
				return CLOSED_BEFORE_ANSWER;
			snprintf(c->first_error, sizeof c->first_error, "%s while reading an answer",
				 n == 0 ? "the connection closed" : strerror(errno));
			return FAILED;
		}
		have += (size_t)n;
		head[have] = '\0';
		end = strstr(head, "\r\n\r\n");
	}
	size_t head_len = (size_t)(end - head) + 4;
	end[2] = '\0'; /* the head's last line keeps its \r\n for header_value */
	if (strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ' || sscanf(head + 9, "%3d", status) != 1) {
		snprintf(c->first_error, sizeof c->first_error, "an answer that is not HTTP/1.x");
		return FAILED;
	}
	const char *te = header_value(head, "Transfer-Encoding");
	if (te && strncasecmp(te, "identity", 8) != 0) {
		snprintf(c->first_error, sizeof c->first_error, "a chunked answer (not read by this client)");
		return FAILED;
	}
	const char *conn = header_value(head, "Connection");
	*close_after = (conn && strncasecmp(conn, "close", 5) == 0) || head[7] == '0';
	const char *cl = header_value(head, "Content-Length");
	unsigned long long want = 0;
	if (cl) {
		char *e;
		want = strtoull(cl, &e, 10);
		if (e == cl || (*e != '\r' && *e != ' '))
			cl = NULL;
	}
	bool no_body = *status == 204 || *status == 304 || (*status >= 100 && *status < 200);
	if (!cl && !no_body) {
		snprintf(c->first_error, sizeof c->first_error, "an answer without Content-Length");
		return FAILED;
	}
	if (no_body)
		want = 0;
	unsigned long long got = have - head_len;
	if (got > want) {
		snprintf(c->first_error, sizeof c->first_error, "more bytes than the answer's length");
		return FAILED;
	}
	char sink[65536];
	while (got < want) {
		size_t ask = want - got < sizeof sink ? (size_t)(want - got) : sizeof sink;
		ssize_t n = recv(fd, sink, ask, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(c->first_error, sizeof c->first_error, "%s in the body of an answer",
				 n == 0 ? "the connection closed" : strerror(errno));
			return FAILED;
		}
		got += (size_t)n;
	}
	*body_len = (size_t)want;
	return ANSWERED;
}

static int record(client *c, double ms)
{
	if (c->count == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 4096;
		float *grown = realloc(c->ms, cap * sizeof *grown);
		if (!grown)
			return -1;
		c->ms = grown;
		c->cap = cap;
	}
	c->ms[c->count++] = (float)ms;
	return 0;
}

static void *run_client(void *arg)
{
	client *c = arg;
	const config *cfg = c->cfg;
	int fd = -1;
	pthread_barrier_wait(&c->cfg->start);
	for (size_t i = c->index;; i++) {
		double t0 = now_s();
		if (t0 >= cfg->end)
			break;
		const request *r = &cfg->requests[i % cfg->request_count];
		int status = 0;
		size_t body_len = 0;
		bool close_after = false;
		enum outcome o = FAILED;
		/* a kept-alive connection the server closed: once more on a new one */
		for (int attempt = 0; attempt < 2; attempt++) {
			bool fresh = fd < 0;
			if (fd < 0 && (fd = connect_to(cfg)) < 0) {
				snprintf(c->first_error, sizeof c->first_error, "cannot connect: %s",
					 strerror(errno));
				o = FAILED;
				break;
			}
			o = exchange(c, fd, r, &status, &body_len, &close_after);
			if (o == ANSWERED && !close_after)
				break;
			close(fd);
			fd = -1;
			if (o != CLOSED_BEFORE_ANSWER || fresh)
				break;
			c->reconnects++;
		}
		if (o == CLOSED_BEFORE_ANSWER) {
			snprintf(c->first_error, sizeof c->first_error,
				 "the server closed a new connection without answering");
			o = FAILED;
		}
		double t1 = now_s();
		/* a failure counts in the warm-up too; a latency only after it */
		if (o == FAILED) {
			c->errors++;
			struct timespec pause = {0, 10 * 1000 * 1000}; /* no busy loop on a dead server */
			nanosleep(&pause, NULL);
			continue;
		}
		if (status < 200 || status > 299) {
			if (!c->non2xx)
				c->first_bad_status = status;
			c->non2xx++;
		}
		if (t0 < cfg->warm_end) {
			c->warm++;
			continue;
		}
		c->bytes += body_len;
		c->last_end = t1;
		if (record(c, (t1 - t0) * 1e3) < 0) {
			snprintf(c->first_error, sizeof c->first_error, "out of memory for the latencies");
			c->errors++;
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile q (0 < q <= 1) of n sorted values. */
static double percentile(const float *v, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n);
	return v[rank ? rank - 1 : 0];
}

/* A number of seconds in (0, MAX_SECONDS] ([0, ...] when zero_ok). */
static int parse_seconds(const char *text, bool zero_ok, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || *end || end == text || !(v >= 0) || (!zero_ok && v == 0) || v > MAX_SECONDS) {
		fprintf(stderr, "http_load: '%s' is not a number of seconds %s %g\n", text,
			zero_ok ? "from 0 to" : "above 0, at most", MAX_SECONDS);
		return -1;
	}
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	long clients = 1;
	double seconds = 5, warm = 0;
	const char *method = "GET";
	const char *bodies[MAX_TARGETS], *headers[MAX_HEADERS];
	size_t body_count = 0, header_count = 0;
	int ai = 1;
	for (; ai < argc && argv[ai][0] == '-' && argv[ai][1]; ai++) {
		const char *opt = argv[ai];
		if (strcmp(opt, "--") == 0) {
			ai++;
			break;
		}
		if (strlen(opt) != 2 || !strchr("cdwXbH", opt[1]) || ai + 1 == argc) {
			usage();
			return 2;
		}
		const char *val = argv[++ai];
		char *end;
		switch (opt[1]) {
		case 'c':
			errno = 0;
			clients = strtol(val, &end, 10);
			if (errno || *end || end == val || clients < 1 || clients > MAX_CLIENTS) {
				fprintf(stderr, "http_load: -c takes 1 to %d clients, not '%s'\n", MAX_CLIENTS,
					val);
				return 2;
			}
			break;
		case 'd':
			if (parse_seconds(val, false, &seconds) < 0)
				return 2;
			break;
		case 'w':
			if (parse_seconds(val, true, &warm) < 0)
				return 2;
			break;
		case 'X':
			if (!*val || strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(val)) {
				fprintf(stderr, "http_load: -X takes a method such as GET or POST\n");
				return 2;
			}
			method = val;
			break;
		case 'b':
			if (body_count == MAX_TARGETS) {
				fprintf(stderr, "http_load: at most %d bodies\n", MAX_TARGETS);
				return 2;
			}
			bodies[body_count++] = val;
			break;
		case 'H':
			if (header_count == MAX_HEADERS || !strchr(val, ':') || strpbrk(val, "\r\n")) {
				fprintf(stderr, "http_load: -H takes 'Name: value' (at most %d of them)\n",
					MAX_HEADERS);
				return 2;
			}
			headers[header_count++] = val;
			break;
		}
	}
	if (argc - ai < 2) {
		usage();
		return 2;
	}
	static config cfg;
	if (parse_address(argv[ai], &cfg) < 0)
		return 2;
	const char *host = argv[ai++];
	size_t path_count = (size_t)(argc - ai);
	if (path_count > MAX_TARGETS) {
		fprintf(stderr, "http_load: at most %d paths\n", MAX_TARGETS);
		return 2;
	}
	for (int i = ai; i < argc; i++)
		if (argv[i][0] != '/' || strpbrk(argv[i], " \r\n")) {
			fprintf(stderr, "http_load: '%s' is not a path (it starts with /, has no spaces)\n",
				argv[i]);
			return 2;
		}

	/* every path with every body, in an order that cycles through both */
	size_t nb = body_count ? body_count : 1;
	cfg.request_count = path_count > nb ? path_count : nb;
	if (path_count % nb && nb % path_count)
		cfg.request_count = path_count * nb;
	cfg.requests = calloc(cfg.request_count, sizeof *cfg.requests);
	char **body_data = calloc(nb, sizeof *body_data);
	size_t *body_len = calloc(nb, sizeof *body_len);
	client *cs = calloc((size_t)clients, sizeof *cs);
	if (!cfg.requests || !body_data || !body_len || !cs) {
		fputs("http_load: out of memory\n", stderr);
		return 1;
	}
	for (size_t i = 0; i < body_count; i++)
		if (read_file(bodies[i], &body_data[i], &body_len[i]) < 0)
			return 2;
	for (size_t i = 0; i < cfg.request_count; i++)
		if (build_request(&cfg.requests[i], method, argv[ai + (int)(i % path_count)], host, headers,
				  header_count, body_data[i % nb], body_len[i % nb], body_count > 0) < 0) {
			fputs("http_load: out of memory\n", stderr);
			return 1;
		}

	pthread_barrier_init(&cfg.start, NULL, (unsigned)clients + 1);
	long started = 0;
	for (; started < clients; started++) {
		cs[started].cfg = &cfg;
		cs[started].index = (size_t)started;
		if (pthread_create(&cs[started].thread, NULL, run_client, &cs[started]) != 0) {
			fprintf(stderr, "http_load: cannot start client %ld\n", started + 1);
			return 1; /* the others wait at the barrier: the process ends with them */
		}
	}
	double t0 = now_s();
	cfg.warm_end = t0 + warm;
	cfg.end = cfg.warm_end + seconds;
	pthread_barrier_wait(&cfg.start);

	uint64_t non2xx = 0, errors = 0, reconnects = 0, bytes = 0, warmed = 0;
	size_t total = 0;
	double last = cfg.warm_end;
	int bad_status = 0;
	const char *first_error = NULL;
	for (long i = 0; i < clients; i++) {
		pthread_join(cs[i].thread, NULL);
		total += cs[i].count;
		non2xx += cs[i].non2xx;
		errors += cs[i].errors;
		reconnects += cs[i].reconnects;
		bytes += cs[i].bytes;
		warmed += cs[i].warm;
		if (cs[i].last_end > last)
			last = cs[i].last_end;
		if (!bad_status && cs[i].non2xx)
			bad_status = cs[i].first_bad_status;
		if (!first_error && cs[i].first_error[0])
			first_error = cs[i].first_error;
	}
	float *all = malloc((total ? total : 1) * sizeof *all);
	if (!all) {
		fputs("http_load: out of memory\n", stderr);
		return 1;
	}
	size_t at = 0;
	for (long i = 0; i < clients; i++) {
		if (cs[i].count)
			memcpy(all + at, cs[i].ms, cs[i].count * sizeof *all);
		at += cs[i].count;
	}
	qsort(all, total, sizeof *all, cmp_float);
	double elapsed = last - cfg.warm_end;
	if (elapsed < seconds)
		elapsed = seconds; /* the clients stopped sending at the end, not before */
	double p50 = 0, p90 = 0, p99 = 0, max = 0;
	if (total) {
		p50 = percentile(all, total, 0.50);
		p90 = percentile(all, total, 0.90);
		p99 = percentile(all, total, 0.99);
		max = all[total - 1];
	}
	printf("clients=%ld seconds=%.2f requests=%zu rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
	       "max_ms=%.2f non2xx=%llu errors=%llu reconnects=%llu bytes=%llu warmup=%llu\n",
	       clients, elapsed, total, (double)total / elapsed, p50, p90, p99, max,
	       (unsigned long long)non2xx, (unsigned long long)errors, (unsigned long long)reconnects,
	       (unsigned long long)(total ? bytes / total : 0), (unsigned long long)warmed);
	if (bad_status)
		fprintf(stderr, "http_load: %llu answers were not 2xx (the first: %d)\n",
			(unsigned long long)non2xx, bad_status);
	if (errors)
		fprintf(stderr, "http_load: %llu requests failed (the first: %s)\n",
			(unsigned long long)errors, first_error ? first_error : "?");
	if (total == 0 && !errors)
		fputs("http_load: no request was answered in the time\n", stderr);

	for (long i = 0; i < clients; i++)
		free(cs[i].ms);
	free(cs);
	free(all);
	for (size_t i = 0; i < cfg.request_count; i++)
		free(cfg.requests[i].bytes);
	free(cfg.requests);
	for (size_t i = 0; i < nb; i++)
		free(body_data[i]);
	free(body_data);
	free(body_len);
	pthread_barrier_destroy(&cfg.start);
	return non2xx || errors || total == 0 ? 1 : 0;
}
