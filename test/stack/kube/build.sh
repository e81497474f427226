#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and kubectl at the version pinned in go.mod
# into ${HEADROOM_CACHE:-$HOME/.cache/headroom}/kube/<version>/bin/ and makes sure
# etcd is installed. Idempotent: returns at once when the binaries are cached.
# Progress goes to stderr; the last (only) stdout line is the bin directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(sed -nE 's/^[[:space:]]*(require[[:space:]]+)?k8s\.io\/kubernetes[[:space:]]+(v[0-9]+\.[0-9]+\.[0-9]+).*/\2/p' "$here/go.mod" | head -n1)"
if [[ -z "$version" ]]; then
  echo "build.sh: no k8s.io/kubernetes version in $here/go.mod" >&2
  exit 1
fi
cache="${HEADROOM_CACHE:-$HOME/.cache/headroom}/kube/$version"
bin="$cache/bin"
# kubectl renders and dry-runs deploy/ (kubectl kustomize) in the deploy tests.
tools=(kube-apiserver kube-controller-manager kubectl)

ensure_etcd() {
  command -v etcd >/dev/null 2>&1 && return 0
  echo "build.sh: installing etcd-server" >&2
  if [[ "$(id -u)" != 0 ]]; then
    echo "build.sh: etcd is missing and this is not root: apt-get install etcd-server" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y etcd-server >&2 || { apt-get update >&2 && apt-get install -y etcd-server >&2; }
}

missing() {
  local t
  for t in "${tools[@]}"; do [[ -x "$bin/$t" ]] || echo "$t"; done
}
built() { [[ -z "$(missing)" ]]; }

ensure_etcd

if ! built; then
  mkdir -p "$cache"
  # One build at a time per version (parallel test files may call this together).
  exec 9>"$cache/.lock"
  flock 9
  if ! built; then
    # Debian's own Go is too old; prefer the toolchain in /usr/local/go.
    go=/usr/local/go/bin/go
    [[ -x "$go" ]] || go="$(command -v go)"
    minor="${version#v*.}"; minor="${minor%%.*}"
    major="${version#v}"; major="${major%%.*}"
    ldflags="-X k8s.io/component-base/version.gitVersion=$version"
    ldflags+=" -X k8s.io/component-base/version.gitMajor=$major"
    ldflags+=" -X k8s.io/component-base/version.gitMinor=$minor"
    ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
    # Only the missing tools: binaries already cached (maybe running in another test) stay put.
    mapfile -t todo < <(missing)
    tmp="$cache/bin.tmp.$$"
    rm -rf "$tmp"; mkdir -p "$tmp"
    pkgs=()
    for t in "${todo[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$t"); done
    echo "build.sh: building ${todo[*]} $version (a cold build takes minutes)" >&2
    start=$SECONDS
    (cd "$here" && CGO_ENABLED=0 "$go" build -trimpath -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}") >&2
    echo "build.sh: built in $((SECONDS - start)) s" >&2
    mkdir -p "$bin"
    # Each binary appears whole (rename within one filesystem), never half-written.
    for t in "${todo[@]}"; do mv "$tmp/$t" "$bin/$t"; done
    rm -rf "$tmp"
  fi
  exec 9>&-
fi

echo "$bin"
