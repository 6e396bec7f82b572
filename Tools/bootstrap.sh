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
    curl           # health checks of a running parley in the interop tests
    iproute2       # `ip link set lo up` in the interop tests' network namespaces
    chromium       # the browser the meeting page and interop tests run (headless)
)

# The independent WebRTC stack of the interop tests (INTEROP.md pins these versions: the tests rely
# on aioice 0.13.0's address lister).
python_packages=(aiortc==1.16.0 aioice==0.13.0 websockets numpy)
install_python_packages() {
    if python3 -c 'import aiortc, aioice, websockets, numpy, sys; sys.exit(0 if (aiortc.__version__, aioice.__version__) == ("1.16.0", "0.13.0") else 1)' 2>/dev/null; then
        return 0
    fi
    echo "bootstrap: installing ${python_packages[*]} from PyPI"
    python3 -m pip install -q --root-user-action=ignore "${python_packages[@]}" 2>/dev/null ||
        python3 -m pip install -q --break-system-packages --root-user-action=ignore "${python_packages[@]}"
}

# `Tools/run.sh` needs only what parley links against; the tests need their peers too.
if [ "${PARLEY_BOOTSTRAP_MINIMAL:-0}" = 1 ]; then
    packages=(pkg-config libopus-dev libsrtp2-dev libssl-dev libogg-dev)
    install_python_packages() { :; }
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    install_python_packages
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
install_python_packages
