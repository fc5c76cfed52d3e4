#!/bin/sh
# What the container runs (and CI runs against its own PostgreSQL): apply pending
# migrations, then serve the API and the web app.
set -e
cd "$(dirname "$0")/.."
node server/dist/migrate.js
exec node server/dist/main.js
