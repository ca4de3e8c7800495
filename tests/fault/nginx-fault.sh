#!/usr/bin/env bash
# Fault test behind nginx, and, run longer, the soak test (issue 7).
#
# Two instances of the published service behind the shipped nginx config (nginx/nginx.conf and upstream.conf,
# rendered for free 127.0.0.1 ports as tests/AnomalyApi.Deployment.Tests renders them), and wrk posting one row
# to /anomaly/predict through nginx for DURATION seconds. Instance api-1 is killed (SIGKILL: a crash, not a
# graceful stop) at a third of the run and started again on the same port at two thirds. Every process's RSS
# is sampled every SAMPLE_SECONDS. Prints wrk's summary, nginx's retries and an RSS drift table, and exits
# non-zero when any request failed (a non-2xx answer or a socket error), when the restarted instance was never
# routed to again, or, with MAX_DRIFT_PCT set, when an instance's RSS drifted by that much or more.
#
#   tests/fault/nginx-fault.sh                                   # the fault test: 60 s, kill at 20 s, restart at 40 s
#   DURATION=600 MAX_DRIFT_PCT=10 tests/fault/nginx-fault.sh     # the soak test: 10 minutes (README records a run)
#
# Settings, from the environment:
#   APP_DIR         a published AnomalyApi (the folder holding AnomalyApi.dll); default: dotnet publish
#                   src/AnomalyApi into a temp folder first
#   DURATION        seconds of load (60); KILL_AT (DURATION/3) and RESTART_AT (2*DURATION/3) seconds into it
#   CONNECTIONS     wrk's open connections (8); THREADS wrk's threads (2)
#   SAMPLE_SECONDS  seconds between RSS samples (5)
#   WARMUP          seconds after an instance is ready before its RSS baseline is taken (DURATION/10, at least 10):
#                   JIT, the thread pool and the GC heaps grow at first, which is not drift
#   MAX_DRIFT_PCT   fail when |RSS drift| reaches this percentage (unset: report only)
#   KEEP_WORK=1     keep the temp folder (logs, nginx access log, RSS samples) and print where it is
# Needs: bash, dotnet, nginx, wrk, curl, python3 (Debian: tests/run-tests.sh installs nginx and wrk).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-60}
KILL_AT=${KILL_AT:-$((DURATION / 3))}
RESTART_AT=${RESTART_AT:-$((2 * DURATION / 3))}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5}
WARMUP=${WARMUP:-$((DURATION / 10 > 10 ? DURATION / 10 : 10))}
MAX_DRIFT_PCT=${MAX_DRIFT_PCT:-}

nginx_bin=$(PATH="$PATH:/usr/sbin:/sbin" command -v nginx) || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 2; }
for program in dotnet wrk curl python3; do
  command -v "$program" >/dev/null || { echo "$program is not installed" >&2; exit 2; }
done
if ((KILL_AT <= 0 || RESTART_AT <= KILL_AT || RESTART_AT >= DURATION)); then
  echo "need 0 < KILL_AT ($KILL_AT) < RESTART_AT ($RESTART_AT) < DURATION ($DURATION)" >&2
  exit 2
fi

work=$(mktemp -d /tmp/anomaly-fault-XXXXXX)
mkdir -p "$work/pids" "$work/nginx"
pids=()   # everything started here, stopped by PID on exit
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_WORK:-} == 1 ]]; then
    echo "== kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

log() { printf '%s [%4ds] %s\n' "$(date -u +%H:%M:%S)" "$((SECONDS - t0))" "$*"; }
t0=$SECONDS

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [[ -z ${APP_DIR:-} ]]; then
  APP_DIR=$work/app
  log "publishing src/AnomalyApi into $APP_DIR"
  dotnet publish "$repo/src/AnomalyApi/AnomalyApi.csproj" -c Release -o "$APP_DIR" --artifacts-path "$work/artifacts" -nologo -v quiet >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log" >&2; exit 2; }
fi
[[ -f $APP_DIR/AnomalyApi.dll ]] || { echo "APP_DIR=$APP_DIR has no AnomalyApi.dll" >&2; exit 2; }

# One row in the middle of the served model's training range, as wrk's request body.
body=$(python3 - "$APP_DIR/models/model_config.json" <<'PY'
import json, sys
normalization = json.load(open(sys.argv[1]))["normalization"]
print(json.dumps({"features": [(lo + hi) / 2 for lo, hi in zip(normalization["min"], normalization["max"])]}))
PY
)
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$body]]

-- One machine-readable line for the script (and the xunit test that runs it) besides wrk's own summary.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p99ms=%.1f\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout, latency:percentile(99) / 1000))
end
LUA

api_ports=("$(free_port)" "$(free_port)")
nginx_port=$(free_port)

# Starts instance $1 (api-1 or api-2) as the image's ENTRYPOINT does, from APP_DIR, on its loopback port, and
# waits for /health/ready. $2 names this life of the process in the RSS table.
start_instance() {
  local name=$1 label=$2 port=${api_ports[${1#api-} - 1]} pid
  (cd "$APP_DIR" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_HTTP_PORTS="$port" dotnet AnomalyApi.dll) \
    >>"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it was ready:" >&2
      tail -n 20 "$work/$name.log" >&2
      exit 1
    fi
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready") == 200 ]]; then
      echo "$pid" >"$work/pids/$label"
      echo "$SECONDS" >"$work/pids/$label.ready"
      log "$label ready: pid $pid on 127.0.0.1:$port"
      return
    fi
    sleep 0.3
  done
  echo "$name was not ready after 90 s" >&2
  exit 1
}

# nginx on the shipped files: 'listen 80;' becomes the loopback port, upstream.conf's servers the two instances
# (their max_fails/fail_timeout kept).
render_nginx() {
  local conf=$repo/nginx/nginx.conf upstream=$repo/nginx/upstream.conf
  [[ $(grep -c 'listen 80;' "$conf") == 1 ]] || { echo "nginx/nginx.conf should have exactly one 'listen 80;'" >&2; exit 2; }
  sed "s/listen 80;/listen 127.0.0.1:$nginx_port;/" "$conf" >"$work/nginx/nginx.conf"
  awk -v first="127.0.0.1:${api_ports[0]}" -v second="127.0.0.1:${api_ports[1]}" '
    BEGIN { address[0] = first; address[1] = second }
    /^[[:space:]]*server[[:space:]]/ { sub(/server[[:space:]]+[^[:space:];]+/, "server " address[n++]) }
    { print }
    END { if (n != 2) { print "nginx/upstream.conf should list 2 servers, not " n > "/dev/stderr"; exit 1 } }
  ' "$upstream" >"$work/nginx/upstream.conf"
}

# RSS of every live instance every SAMPLE_SECONDS: "seconds label rss_kb" lines.
sample_rss() {
  local file label pid rss
  while true; do
    for file in "$work"/pids/*; do
      [[ $file == *.ready ]] && continue
      label=${file##*/}
      pid=$(<"$file")
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [[ -n $rss ]] && echo "$SECONDS $label $rss" >>"$work/rss.txt"
    done
    sleep "$SAMPLE_SECONDS"
  done
}

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
log "starting api-1 and api-2 from $APP_DIR"
start_instance api-1 api-1
start_instance api-2 api-2
render_nginx
# The access log (nginx's stdout in the shipped config) keeps only what is worth reading: requests nginx sent to a
# second replica ("upstream=A, B") and answers other than 200. A soak's millions of plain 200s would fill /tmp.
"$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e stderr -g "daemon off; pid $work/nginx/nginx.pid;" \
  > >(awk '/ upstream=[^ ]*, / || !/HTTP\/1\.1" 200 / { print; fflush() }' >"$work/nginx/access.log") 2>"$work/nginx/error.log" &
pids+=("$!")
for _ in $(seq 1 100); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nginx_port/nginx-health") == 200 ]] && break
  sleep 0.3
done
first=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$nginx_port/anomaly/predict")
[[ $first == 200 ]] || { echo "POST /anomaly/predict through nginx answered $first before the load:" >&2; cat "$work/nginx/error.log" >&2; exit 1; }
log "nginx on 127.0.0.1:$nginx_port in front of both"

sample_rss &
pids+=("$!")

# Sleeps until $1 seconds after the load started (at once if that is past: a slow start must not shift the fault).
sleep_until() {
  local left=$(($1 - (SECONDS - load_start)))
  ((left > 0)) && sleep "$left"
  return 0
}

log "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION} s, POST /anomaly/predict; api-1 killed at ${KILL_AT} s, restarted at ${RESTART_AT} s"
load_start=$SECONDS
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s "$work/post.lua" \
  "http://127.0.0.1:$nginx_port/anomaly/predict" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")

sleep_until "$KILL_AT"
victim=$(<"$work/pids/api-1")
kill -KILL "$victim"
wait "$victim" 2>/dev/null || true   # reap it quietly (bash would report "Killed")
rm -f "$work/pids/api-1"
log "api-1 killed (SIGKILL, pid $victim)"

sleep_until "$RESTART_AT"
log "restarting api-1"
start_instance api-1 api-1-restarted

wait "$wrk_pid" || { echo "wrk failed:" >&2; cat "$work/wrk.txt" >&2; exit 1; }
log "load finished; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== wrk"
cat "$work/wrk.txt"

# Requests each live instance answered (the count of prometheus-net's per-endpoint duration histogram): the restarted api-1 must be
# among them, or the run never showed nginx routing back to a recovered replica.
served() {
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^http_request_duration_seconds_count\{/ && /endpoint="\/predict\/?"/ { n += $NF } END { printf "%d", n }'
}
served_api2=$(served "${api_ports[1]}")
served_restarted=$(served "${api_ports[0]}")
retried=$(awk '/"POST \/anomaly\/predict/ && / upstream=[^ ]*, / { n++ } END { printf "%d", n }' "$work/nginx/access.log")
echo
echo "== instances"
echo "api-2 answered $served_api2 POST /predict; the restarted api-1 answered $served_restarted"
echo "nginx sent $retried requests to a second replica after the first failed (proxy_next_upstream)"

# RSS per process: baseline = mean of the first three samples at least WARMUP s after it was ready,
# end = mean of the last three; drift = (end - baseline) / baseline.
echo
echo "== RSS (MiB; baseline after ${WARMUP} s of warm-up, mean of 3 samples each end)"
drift_failed=0
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
printf '%-18s %8s %9s %8s %8s %8s %8s\n' process samples first baseline end max drift%
for label in api-1 api-2 api-1-restarted; do
  ready=$(<"$work/pids/$label.ready")
  read -r count first_kb baseline_kb end_kb max_kb drift < <(awk -v label="$label" -v from=$((ready + WARMUP)) '
    $2 == label { all++; if (all == 1) first = $3; if ($3 > max) max = $3
                  if ($1 >= from) { rss[n++] = $3 } }
    END {
      if (n < 6) { printf "%d %d 0 0 %d n/a\n", n, first, max; exit }
      base = (rss[0] + rss[1] + rss[2]) / 3; end = (rss[n-1] + rss[n-2] + rss[n-3]) / 3
      printf "%d %d %d %d %d %.1f\n", n, first, base, end, max, 100 * (end - base) / base
    }' "$work/rss.txt")
  printf '%-18s %8s %9s %8s %8s %8s %8s\n' "$label" "$count" "$(mib "$first_kb")" "$(mib "$baseline_kb")" "$(mib "$end_kb")" "$(mib "$max_kb")" "$drift"
  if [[ -n $MAX_DRIFT_PCT && $drift != n/a ]] && awk -v d="$drift" -v max="$MAX_DRIFT_PCT" 'BEGIN { exit !((d < 0 ? -d : d) >= max) }'; then
    drift_failed=1
  fi
done
echo "(n/a: fewer than 6 samples after warm-up, too short a life to call a drift)"

echo
result=$(grep '^RESULT ' "$work/wrk.txt" || true)
[[ -n $result ]] || { echo "FAIL: wrk printed no RESULT line" >&2; exit 1; }
declare -A r
for pair in ${result#RESULT }; do
  r[${pair%%=*}]=${pair#*=}
done
errors=$((r[non2xx] + r[connect] + r[read] + r[write] + r[timeout]))
echo "SUMMARY requests=${r[requests]} failed=$errors non2xx=${r[non2xx]} socket_errors=$((errors - r[non2xx])) retried_by_nginx=$retried restarted_served=$served_restarted drift_limit=${MAX_DRIFT_PCT:-none}"
status=0
((r[requests] > 0)) || { echo "FAIL: no requests completed" >&2; status=1; }
((errors == 0)) || { echo "FAIL: $errors failed requests" >&2; status=1; }
((served_restarted > 0)) || { echo "FAIL: nginx never routed to the restarted api-1" >&2; status=1; }
((drift_failed == 0)) || { echo "FAIL: an instance's RSS drifted by ${MAX_DRIFT_PCT}% or more" >&2; status=1; }
((status == 0)) && echo "PASS"
exit "$status"
