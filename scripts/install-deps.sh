#!/bin/sh
# install-deps.sh: install the Debian 12 packages digilevel needs to build, test and render reports,
# skipping those already installed. Uses sudo when not run as root. Safe to run again.
set -eu
packages="build-essential pkg-config libxml2-dev libxml2-utils libpcre2-dev libhpdf-dev
fonts-wqy-zenhei fonts-arphic-uming poppler-utils valgrind"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing$missing"
$sudo apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
