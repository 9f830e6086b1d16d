#!/usr/bin/env bash
# kube-controller-manager from the same k8s.io/kubernetes module as kube-apiserver: it reuses
# engines/kube-apiserver/go.mod (one Kubernetes release, one set of staging replaces).
set -euo pipefail
exec bash "$(cd "$(dirname "$0")" && pwd)/../kube-apiserver/build.sh" kube-controller-manager
