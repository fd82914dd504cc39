#!/usr/bin/env bash
# The whole topology on one machine: local broker, topics, a replayed stream, the learner, and a
# separate recall server fed by the recall topic.
#   npm run demo:kafka [-- --data PATH] [-- --max-events N]
# Ctrl-C stops the learner, the recall server and the broker.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build

brokers=$(scripts/kafka.sh start)
prefix="demo-$(date +%s)-"
common=(--kafka-brokers "$brokers" --topic-prefix "$prefix")
cleanup() {
  trap - INT TERM EXIT
  [ -n "${learner:-}" ] && kill -INT "$learner" 2>/dev/null && wait "$learner" 2>/dev/null || true
  [ -n "${server:-}" ] && kill -INT "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  scripts/kafka.sh stop
}
trap cleanup INT TERM EXIT

node dist/src/cli/main.js topology apply "${common[@]}"
node dist/src/cli/main.js replay "${common[@]}" "$@"
node dist/src/cli/main.js serve "${common[@]}" --port 8081 > >(sed 's/^/[serve] /') 2>&1 &
server=$!
node dist/src/cli/main.js train --source kafka "${common[@]}" --kafka-group-id "${prefix}learner" --port 8080 "$@" > >(sed 's/^/[train] /') 2>&1 &
learner=$!
echo "learner API: http://127.0.0.1:8080   recall server (fed by the recall topic): http://127.0.0.1:8081"
echo "try: curl 'http://127.0.0.1:8081/v1/recall/u2i?user=u42&k=10'   (Ctrl-C to stop everything)"
wait "$learner"
