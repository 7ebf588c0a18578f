#!/usr/bin/env bash
# Makes sure the end-to-end tests' SMTP server can run: a virtualenv with aiosmtpd (from PyPI)
# under ~/.cache, created once. Prints the interpreter to use (the tests read it from
# FORUM_SMTP_PYTHON). Diagnostics go to stderr; exits non-zero when it cannot be set up.
set -euo pipefail
venv=${FORUM_SMTP_VENV:-$HOME/.cache/forum-smtp-venv}
python=$venv/bin/python
if ! "$python" -c "import aiosmtpd" >/dev/null 2>&1; then
    echo "setting up the test SMTP server (aiosmtpd) in $venv" >&2
    if ! python3 -m venv "$venv" >&2; then
        echo "error: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
    "$python" -m pip install --quiet --disable-pip-version-check "aiosmtpd==1.4.6" >&2
fi
echo "$python"
