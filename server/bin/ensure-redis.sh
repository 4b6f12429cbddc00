#!/usr/bin/env bash
# Makes sure a Redis answers at REDIS_URL (default redis://127.0.0.1:6379): starts a local one if none does, and on a
# Debian machine installs it first. Redis holds only recomputable queue work, so this one keeps nothing on disk.
set -euo pipefail
url="${REDIS_URL:-redis://127.0.0.1:6379}"
answers() { node -e '
  const u = new URL(process.argv[1]); const s = require("net").connect(Number(u.port || 6379), u.hostname);
  s.setTimeout(1000, () => process.exit(1)); s.on("error", () => process.exit(1));
  s.on("connect", () => s.write("PING\r\n")); s.on("data", (d) => process.exit(String(d).includes("PONG") || String(d).includes("NOAUTH") ? 0 : 1));
' "$url"; }
answers && exit 0
case "$url" in redis://127.0.0.1*|redis://localhost*) ;; *) echo "Redis at $url does not answer: start it, or unset REDIS_URL" >&2; exit 1 ;; esac
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Redis (Debian package redis-server)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "Redis is not installed: install redis-server (e.g. sudo apt-get install redis-server) and try again" >&2; exit 1
  fi
fi
port=$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$url")
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no >/dev/null
for _ in $(seq 50); do answers && exit 0; sleep 0.1; done
echo "Started redis-server but it does not answer on port $port" >&2; exit 1
