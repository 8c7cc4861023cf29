#!/usr/bin/env bash
# hack/console-assets.sh [DIR] — fetch the console's scripts and styles from
# the npm registry into DIR (default .cache/console), for
# `trellis serve --console-assets-dir DIR` on machines without a CDN.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DIR="${1:-$ROOT/.cache/console}"
command -v npm >/dev/null 2>&1 || { echo "console-assets: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent react@18.3.1 react-dom@18.3.1 graphiql@3.7.1 >/dev/null)
mkdir -p "$DIR"
tar -xzf "$tmp/react-18.3.1.tgz" -C "$tmp" package/umd/react.production.min.js
cp "$tmp/package/umd/react.production.min.js" "$DIR/"
tar -xzf "$tmp/react-dom-18.3.1.tgz" -C "$tmp" package/umd/react-dom.production.min.js
cp "$tmp/package/umd/react-dom.production.min.js" "$DIR/"
tar -xzf "$tmp/graphiql-3.7.1.tgz" -C "$tmp" package/graphiql.min.js package/graphiql.min.css
cp "$tmp/package/graphiql.min.js" "$tmp/package/graphiql.min.css" "$DIR/"
echo "$DIR"
