#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft, no ZooKeeper) for development and CI.
#   scripts/kafka.sh start    fetch the pinned jars from Maven Central (cached), format storage, start, wait until it answers
#   scripts/kafka.sh stop     stop it cleanly (SIGTERM, then SIGKILL after 20 s) and remove its data
#   scripts/kafka.sh halt     stop the process but keep data and ports: the next `start` brings the same broker back
#   scripts/kafka.sh status   print the bootstrap address and exit 0 if it is running
#   scripts/kafka.sh env      print MICSTREAM_KAFKA_BROKERS=host:port for `eval`
# State lives in $MICSTREAM_KAFKA_HOME (default ~/.cache/micstream/kafka-run); jars in ~/.cache/micstream/kafka-VERSION.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")
cache="${XDG_CACHE_HOME:-$HOME/.cache}/micstream"
jars="$cache/kafka-$version"
run="${MICSTREAM_KAFKA_HOME:-$cache/kafka-run}"

log() { echo "kafka.sh: $*" >&2; }
jopts=(-Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration="file:$run/log4j.properties")

fetch_jars() {
  if [ -f "$jars/.complete" ]; then return; fi
  command -v mvn >/dev/null || { log "maven (mvn) is required"; exit 1; }
  command -v java >/dev/null || { log "java is required"; exit 1; }
  log "fetching Apache Kafka $version from Maven Central into $jars"
  rm -rf "$jars" && mkdir -p "$jars"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$jars" >&2
  touch "$jars/.complete"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
  [ -f "$run/pid" ] && kill -0 "$(cat "$run/pid")" 2>/dev/null
}

answers() {
  # A TCP connect to the broker port, then an ApiVersions round trip via the bundled admin tool.
  local port=$1
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
  java -cp "$jars/*" -Dlog4j.configuration="file:$run/log4j.properties" kafka.admin.BrokerApiVersionsCommand \
    --bootstrap-server "127.0.0.1:$port" >/dev/null 2>&1
}

start() {
  if is_running; then
    log "already running at $(cat "$run/brokers")"
    cat "$run/brokers"
    return
  fi
  fetch_jars
  if [ -f "$run/server.properties" ] && [ -f "$run/brokers" ]; then
    # A halted broker: start the same one again (same ports, same data).
    launch "$(cut -d: -f2 < "$run/brokers")"
    return
  fi
  rm -rf "$run" && mkdir -p "$run/data"
  local port ctrl
  port=$(free_port)
  ctrl=$(free_port)
  while [ "$ctrl" = "$port" ]; do ctrl=$(free_port); done
  cat > "$run/log4j.properties" <<LOG
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$run/broker.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
LOG
  cat > "$run/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctrl
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$ctrl
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$run/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
message.max.bytes=2097152
log.retention.check.interval.ms=30000
PROPS
  java -cp "$jars/*" "${jopts[@]}" kafka.tools.StorageTool format -t "$(java -cp "$jars/*" "${jopts[@]}" kafka.tools.StorageTool random-uuid)" \
    -c "$run/server.properties" >/dev/null
  echo "127.0.0.1:$port" > "$run/brokers"
  launch "$port"
}

launch() {
  local port=$1
  nohup java -cp "$jars/*" "${jopts[@]}" kafka.Kafka "$run/server.properties" >>"$run/stdout.log" 2>&1 &
  echo $! > "$run/pid"
  for _ in $(seq 1 120); do
    if ! is_running; then
      log "broker exited during start; last lines of its log:"
      tail -20 "$run/broker.log" "$run/stdout.log" >&2 || true
      exit 1
    fi
    if answers "$port"; then
      log "Apache Kafka $version (KRaft) is up at 127.0.0.1:$port (pid $(cat "$run/pid"), data in $run/data)"
      cat "$run/brokers"
      return
    fi
    sleep 0.5
  done
  log "broker did not answer within 60 s"
  stop
  exit 1
}

# SIGTERM (clean shutdown), then SIGKILL after 20 s.
terminate() {
  local pid
  pid=$(cat "$run/pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
}

halt() {
  is_running || return 0
  terminate
  rm -f "$run/pid"
  log "halted (data kept; start brings it back on $(cat "$run/brokers"))"
}

stop() {
  if is_running; then
    terminate
    log "stopped"
  fi
  rm -rf "$run"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  halt) halt ;;
  status)
    if is_running; then cat "$run/brokers"; else log "not running"; exit 1; fi ;;
  env)
    is_running || { log "not running"; exit 1; }
    echo "MICSTREAM_KAFKA_BROKERS=$(cat "$run/brokers")" ;;
  fetch) fetch_jars ;;
  *) echo "usage: $0 start|stop|halt|status|env|fetch" >&2; exit 2 ;;
esac
