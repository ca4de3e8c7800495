#!/usr/bin/env bash
# The project's one test command (README "Run the tests"; .ci/run calls it).
# On a machine with only the .NET SDK it installs the Debian packages the real-server tests need,
# then runs every test project and prints one totals line.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real components the tests drive: headless Chromium + ChromeDriver for the Swagger UI tests; for the
# deployment tests (tests/AnomalyApi.Deployment.Tests): nginx, Prometheus (ships promtool), Alertmanager
# (ships amtool), node_exporter, docker-compose (its `config` parses docker/docker-compose.yml; no engine
# needed) and PyYAML, which the tests read the YAML files with; stress-ng, the CPU, memory and I/O load the
# live-telemetry end-to-end test detects; wrk, the HTTP load of the fault and reload tests.
packages=(chromium chromium-driver nginx prometheus prometheus-alertmanager prometheus-node-exporter docker-compose python3-yaml stress-ng wrk)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Tests in the "Load" category measure the machine (CPU burns, load generators): they run on their own,
# after everything else, so neither they nor the other suites disturb each other's measurements; -m:1 runs
# the projects one at a time, so one project's CPU burn is not another's "idle" recording.
dotnet test AnomalyApi.sln -c Release --filter "Category!=Load" 2>&1 | tee "$log" || status=$?
dotnet test AnomalyApi.sln -c Release --no-build -m:1 --filter "Category=Load" 2>&1 | tee -a "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per project; add them up.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
