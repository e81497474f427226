#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kubectl and etcd (the etcd server module the
# pinned Kubernetes release depends on) at the versions pinned in go.mod into
# ${HEADROOM_CACHE:-$HOME/.cache/headroom}/kube/<version>/bin/. Idempotent: returns at once when
# the binaries are cached.
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
# etcd comes from the same module graph: the release Kubernetes was tested with (3.7 for 1.37),
# not Debian's 3.4, which lacks the progress notifications kube-apiserver needs to serve
# consistent lists from its watch cache (so every list would be read from etcd, unlike production).
tools=(kube-apiserver kube-controller-manager kubectl etcd)

missing() {
  local t
  for t in "${tools[@]}"; do [[ -x "$bin/$t" ]] || echo "$t"; done
}
built() { [[ -z "$(missing)" ]]; }

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
    for t in "${todo[@]}"; do [[ "$t" == etcd ]] || pkgs+=("k8s.io/kubernetes/cmd/$t"); done
    echo "build.sh: building ${todo[*]} $version (a cold build takes minutes)" >&2
    start=$SECONDS
    if [[ ${#pkgs[@]} -gt 0 ]]; then
      (cd "$here" && CGO_ENABLED=0 "$go" build -trimpath -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}") >&2
    fi
    if [[ " ${todo[*]} " == *" etcd "* ]]; then
      # The main package is the module root (its path ends in /v3, so name the binary).
      (cd "$here" && CGO_ENABLED=0 "$go" build -trimpath -o "$tmp/etcd" go.etcd.io/etcd/server/v3) >&2
    fi
    echo "build.sh: built in $((SECONDS - start)) s" >&2
    mkdir -p "$bin"
    # Each binary appears whole (rename within one filesystem), never half-written.
    for t in "${todo[@]}"; do mv "$tmp/$t" "$bin/$t"; done
    rm -rf "$tmp"
  fi
  exec 9>&-
fi

echo "$bin"
