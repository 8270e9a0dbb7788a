#!/usr/bin/env bash
# A local stand-in for the images' base image (python:3.11-slim) where no image registry is reachable, made from
# Debian's own packages: debootstrap bookworm (Python 3.11) with python3, python3-pip and python3-venv, and a
# virtualenv in /usr/local so that `python` and `pip` are on PATH and pip installs where python:3.11-slim's does.
#
#   images/debian-base.sh [IMAGE]          default IMAGE: localhost/python:3.11-slim
#
# Needs root, debootstrap and podman (or docker: ENGINE=docker). Debian's mirror is the only thing it downloads
# from (DEBIAN_MIRROR). The rootfs is made in a temporary folder and removed afterwards.
set -euo pipefail
image=${1:-localhost/python:3.11-slim}
engine=${ENGINE:-$(command -v podman || command -v docker)}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d /var/tmp/nspcert-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates bookworm "$root" "$mirror"
# what an image does not need: package lists and caches, documentation, translations
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/usr/share/info/*
# python and pip as python:3.11-slim has them (/usr/local/bin, not Debian's externally managed interpreter)
chroot "$root" python3 -m venv /usr/local
chroot "$root" /usr/local/bin/python -c 'import sys; assert sys.prefix == "/usr/local", sys.prefix'
find "$root" -name __pycache__ -type d -prune -exec rm -rf {} +

tar -C "$root" --numeric-owner -c . | "$engine" import \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  - "$image"
echo "$image: $("$engine" image inspect --format '{{.Size}}' "$image") bytes"
