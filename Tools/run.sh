#!/usr/bin/env bash
# Runs Parley on its embedded default from a fresh clone: installs the Debian packages it links
# against (if missing), builds the `parley` server in release mode and starts it with no
# configuration (signaling and the meeting page on http://127.0.0.1:7880, media on loopback UDP,
# a generated development secret and a ready-to-use token printed, recordings in ./recordings).
#
#   Tools/run.sh                 the embedded default
#   Tools/run.sh --help          every option (flags, PARLEY_* variables, a JSON configuration file)
#   Tools/run.sh token --help    minting tokens for a configured secret
set -euo pipefail
cd "$(dirname "$0")/.."
PARLEY_BOOTSTRAP_MINIMAL=1 Tools/bootstrap.sh
swift build -c release --product parley
exec "$(swift build -c release --show-bin-path)/parley" "$@"
