#!/usr/bin/env bash
# Prints a Python >= 3.12 interpreter. pyenv shims such as python3.13 exist on PATH but fail
# unless that version is selected, so each candidate is run, not just looked up.
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for p in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
  [ -n "$p" ] && command -v "$p" >/dev/null 2>&1 && ok "$p" && { command -v "$p"; exit 0; }
done
if command -v pyenv >/dev/null 2>&1; then
  root="$(pyenv root)"
  for v in $(pyenv versions --bare 2>/dev/null | sort -rV); do
    cand="$root/versions/$v/bin/python"
    [ -x "$cand" ] && ok "$cand" && { echo "$cand"; exit 0; }
  done
fi
echo "CLP needs Python 3.12 or newer (Django 6). Install it, or set PYTHON=/path/to/python3.12." >&2
exit 1
