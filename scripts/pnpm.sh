#!/bin/sh
# Runs the pnpm version pinned in package.json, fetching it from the npm registry
# when this machine has another version or none (a fresh clone needs only Node 20).
V=12.4.2
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$V" ]; then
  exec pnpm "$@"
fi
exec npx --yes "pnpm@$V" "$@"
