#!/usr/bin/env bash
# Installs the Debian packages Parley builds and tests with, if any is missing.
# Safe to run again: it only calls apt-get when something is absent.
set -euo pipefail

packages=(
    pkg-config
    libopus-dev    # COpus: the mixer's codec
    libsrtp2-dev   # CSRTP: SRTP and SRTCP
    libssl-dev     # COpenSSL: DTLS 1.2, HMAC, certificates
    libogg-dev     # Ogg pages for recordings
    openssl        # the openssl command line: DTLS interop tests against s_client/s_server
    opus-tools     # opusinfo: recordings are checked by a decoder we did not write
    ffmpeg         # ffprobe: the same, a second independent reader
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "bootstrap: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "bootstrap: not root and no sudo; install these Debian packages first: ${missing[*]}" >&2
    exit 1
fi
