#!/usr/bin/env bash
# Installs what the integration and end-to-end suites run for real: Prometheus and promtool,
# Alertmanager and amtool (Debian packages), and etcd, kube-apiserver, kube-controller-manager
# and kubectl built from Go modules (cached outside the repo, keyed by version). Idempotent: a second run
# takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-test-deps: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Debian packages start services on install where systemd runs; the tests start their own.

bash test/stack/kube/build.sh >/dev/null
echo "install-test-deps: ready"
