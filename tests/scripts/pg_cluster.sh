#!/bin/sh
# pg_cluster.sh: a THROWAWAY PostgreSQL cluster for the tests (docs/store.md "PostgreSQL"), never
# another one.
#
#   sh tests/scripts/pg_cluster.sh start DIR      make a new cluster for DIR and start it; prints its URL
#   sh tests/scripts/pg_cluster.sh url DIR        prints the URL of DIR's cluster (the database postgres)
#   sh tests/scripts/pg_cluster.sh createdb DIR [NAME]  a new database (NAME: a unique one); prints its URL
#   sh tests/scripts/pg_cluster.sh restart DIR    restart it at once (pg_ctl restart -m immediate: as if
#                                                 the server had crashed)
#   sh tests/scripts/pg_cluster.sh halt DIR       stop its server at once, keeping the cluster (a server
#   sh tests/scripts/pg_cluster.sh resume DIR     that went away), and start it again
#   sh tests/scripts/pg_cluster.sh stop DIR       stop it and remove it
#   sh tests/scripts/pg_cluster.sh                test this script (tests/run.sh runs it so)
#
# DIR (tests/run.sh uses BUILD/pg) holds a link, DIR/cluster, to the cluster: a fresh directory from
# mktemp under TMPDIR (short, so that the Unix socket's path fits in its 107 bytes, and reachable by
# the unprivileged user). The cluster is initdb's with a superuser "digilevel" trusted on its socket,
# UTF8 and the C locale; it listens on no TCP address, only on a socket in that directory (mode
# 0700). Run as root (CI), the cluster belongs to the user nobody, and its programs run as nobody
# (setpriv), since PostgreSQL refuses to run as root. A cluster this script did not make (no file
# .digilevel-throwaway beside its data) is never touched. `start` first stops and removes the
# cluster a killed run left behind for DIR. Works from any directory.
set -u

marker=.digilevel-throwaway
me="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"

die() {
	echo "pg_cluster: $*" >&2
	exit 2
}

# the PostgreSQL server's programs: beside pg_config's, in Debian's /usr/lib/postgresql/N/bin (the
# newest), or on PATH
find_bin() {
	# shellcheck disable=SC2012 # the directories' names are Debian's: /usr/lib/postgresql/15/bin
	for d in "$(pg_config --bindir 2> /dev/null)" $(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -t/ -k5 -n -r) \
		"$(dirname "$(command -v initdb 2> /dev/null || echo /nonexistent/x)")"; do
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			bin=$d
			return 0
		fi
	done
	die "PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed; make check needs them: run sh scripts/install-deps.sh --test"
}

# as_owner BASE COMMAND...: run COMMAND as the cluster's owner (nobody when we are root), in BASE
as_owner() {
	base=$1
	shift
	if [ "$(id -u)" -eq 0 ]; then
		(cd "$base" && setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups -- "$@")
	else
		(cd "$base" && "$@")
	fi
}

# the cluster of DIR, when it is one of ours: its directory on stdout
cluster_of() {
	[ -L "$1/cluster" ] || return 1
	c=$(readlink "$1/cluster")
	[ -f "$c/$marker" ] && [ -d "$c/data" ] || return 1
	echo "$c"
}

url_of() { # url_of CLUSTER [DATABASE]
	echo "postgresql:///${2:-postgres}?host=$1&user=digilevel"
}

# stop and remove DIR's cluster, if it has one of ours
remove() {
	if c=$(cluster_of "$1"); then
		if [ -f "$c/data/postmaster.pid" ]; then
			as_owner "$c" "$bin/pg_ctl" -D "$c/data" -m immediate -w -t 30 stop > /dev/null 2>&1 ||
				echo "pg_cluster: could not stop the cluster in $c (see $c/log)" >&2
		fi
		rm -rf "$c"
	fi
	rm -f "$1/cluster"
}

start() {
	dir=$1
	mkdir -p "$dir" || die "cannot make $dir"
	dir=$(cd "$dir" && pwd)
	remove "$dir" # a cluster a killed run left behind
	c=$(mktemp -d "${TMPDIR:-/tmp}/dlpg.XXXXXX") || die "cannot make a temporary directory"
	: > "$c/$marker"
	[ "$(id -u)" -ne 0 ] || chown -R nobody "$c" || die "cannot give $c to the user nobody"
	ln -s "$c" "$dir/cluster"
	if ! as_owner "$c" "$bin/initdb" -D "$c/data" -U digilevel -A trust -E UTF8 --locale=C \
		--no-sync > "$c/initdb.log" 2>&1; then
		cat "$c/initdb.log" >&2
		remove "$dir"
		die "initdb failed"
	fi
	# only a socket in the cluster's directory, for its owner; fsync off (with --no-sync above): a
	# throwaway cluster need not survive a power cut, and the tests run faster (the store's own
	# durability is tested on SQLite, and its settings on every connection: synchronous_commit)
	cat >> "$c/data/postgresql.conf" <<-EOF
		listen_addresses = ''
		unix_socket_directories = '$c'
		unix_socket_permissions = 0700
		fsync = off
		full_page_writes = off
		shared_buffers = 32MB
		max_connections = 120
	EOF
	if ! as_owner "$c" "$bin/pg_ctl" -D "$c/data" -l "$c/log" -w -t 60 start > /dev/null 2>&1; then
		cat "$c/log" >&2
		remove "$dir"
		die "the cluster did not start"
	fi
	url_of "$c"
}

need_cluster() {
	c=$(cluster_of "$1") || die "$1 has no cluster this script started (run: pg_cluster.sh start $1)"
}

selftest() {
	tmp=$(mktemp -d) || exit 1
	trap 'remove "$tmp/d"; rm -rf "$tmp"' EXIT
	bad=0
	no() {
		echo "not ok - $*"
		bad=1
	}
	url=$(cd / && sh "$me" start "$tmp/d") || no "a cluster starts (from another directory)"
	first=$(readlink "$tmp/d/cluster")
	"$bin/psql" -X -q -t -A -c "SELECT 40 + 2" "$url" 2> "$tmp/err" | grep -qx 42 ||
		no "psql answers on $url ($(cat "$tmp/err"))"
	[ "$(sh "$me" url "$tmp/d")" = "$url" ] || no "url prints the URL start printed"
	db=$(sh "$me" createdb "$tmp/d") || no "createdb makes a database"
	db2=$(sh "$me" createdb "$tmp/d") || no "createdb makes a second database"
	[ "$db" != "$db2" ] || no "two databases have two names"
	"$bin/psql" -X -q -t -A -c "SELECT current_database()" "$db" 2> /dev/null | grep -q '^t_' ||
		no "the new database answers"
	"$bin/psql" -X -q -t -A -c "SHOW listen_addresses" "$url" 2> /dev/null | grep -qx '' ||
		no "the cluster listens on no TCP address"
	# a leftover: start again without stop (a killed run): the old cluster is gone
	pid=$(head -n 1 "$first/data/postmaster.pid" 2> /dev/null)
	url2=$(sh "$me" start "$tmp/d") || no "a cluster starts over a leftover one"
	[ ! -d "$first" ] || no "the leftover cluster's directory is removed"
	# (a stopped server may stay a zombie a while where nothing reaps orphans: not running is enough)
	if [ -z "$pid" ] || { kill -0 "$pid" 2> /dev/null && ! grep -q '^[^ ]* ([^)]*) Z' "/proc/$pid/stat" 2> /dev/null; } ||
		"$bin/psql" -X -q -c "SELECT 1" "$url" > /dev/null 2>&1; then
		no "the leftover cluster's server is stopped"
	fi
	"$bin/psql" -X -q -t -A -c "SELECT 1" "$url2" > /dev/null 2>&1 || no "the new cluster answers"
	sh "$me" restart "$tmp/d" || no "restart"
	"$bin/psql" -X -q -t -A -c "SELECT 1" "$url2" > /dev/null 2>&1 || no "the cluster answers after restart"
	sh "$me" halt "$tmp/d" || no "halt"
	! "$bin/psql" -X -q -t -A -c "SELECT 1" "$url2" > /dev/null 2>&1 || no "a halted cluster does not answer"
	sh "$me" resume "$tmp/d" || no "resume"
	"$bin/psql" -X -q -t -A -c "SELECT 1" "$url2" > /dev/null 2>&1 || no "the cluster answers after resume"
	second=$(readlink "$tmp/d/cluster")
	sh "$me" stop "$tmp/d" || no "stop"
	if [ -e "$second" ] || [ -e "$tmp/d/cluster" ]; then
		no "stop removes the cluster"
	fi
	# a directory this script did not make is refused
	mkdir -p "$tmp/other/data"
	mkdir -p "$tmp/f" && ln -s "$tmp/other" "$tmp/f/cluster"
	sh "$me" stop "$tmp/f" 2> /dev/null
	[ -d "$tmp/other/data" ] || no "stop leaves alone a cluster it did not make"
	[ "$bad" -eq 0 ] && echo "ok - pg_cluster.sh"
	return $bad
}

find_bin
case "${1:-}" in
start)
	[ $# -eq 2 ] || die "usage: pg_cluster.sh start DIR"
	start "$2"
	;;
url)
	[ $# -eq 2 ] || die "usage: pg_cluster.sh url DIR"
	need_cluster "$2"
	url_of "$c"
	;;
createdb)
	[ $# -ge 2 ] || die "usage: pg_cluster.sh createdb DIR [NAME]"
	need_cluster "$2"
	name=${3:-t_$$_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')}
	"$bin/createdb" -h "$c" -U digilevel "$name" || die "createdb $name failed"
	url_of "$c" "$name"
	;;
restart)
	[ $# -eq 2 ] || die "usage: pg_cluster.sh restart DIR"
	need_cluster "$2"
	as_owner "$c" "$bin/pg_ctl" -D "$c/data" -l "$c/log" -m immediate -w -t 60 restart > /dev/null 2>&1 ||
		die "the cluster did not restart (see $c/log)"
	;;
halt)
	[ $# -eq 2 ] || die "usage: pg_cluster.sh halt DIR"
	need_cluster "$2"
	as_owner "$c" "$bin/pg_ctl" -D "$c/data" -m immediate -w -t 60 stop > /dev/null 2>&1 ||
		die "the cluster's server did not stop (see $c/log)"
	;;
resume)
	[ $# -eq 2 ] || die "usage: pg_cluster.sh resume DIR"
	need_cluster "$2"
	as_owner "$c" "$bin/pg_ctl" -D "$c/data" -l "$c/log" -w -t 60 start > /dev/null 2>&1 ||
		die "the cluster's server did not start again (see $c/log)"
	;;
stop)
	[ $# -eq 2 ] || die "usage: pg_cluster.sh stop DIR"
	remove "$2"
	;;
"")
	selftest
	;;
*)
	die "unknown command '$1' (start, url, createdb, restart, halt, resume, stop)"
	;;
esac
