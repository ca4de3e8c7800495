-- wrk script for the load benchmark (LoadCommand): POSTs bodies and prints one machine-readable result line.
-- Arguments after "--": PATH BODY_FILE [PATH BODY_FILE ...]; with more than one pair, requests go round-robin.
-- A body file ending in .pb is sent as application/x-protobuf, any other as application/json.

local requests = {}
local next_index = 1

local function read_file(path)
  local file = assert(io.open(path, "rb"))
  local content = file:read("*a")
  file:close()
  return content
end

function init(args)
  for i = 1, #args, 2 do
    local body_file = args[i + 1]
    local content_type = body_file:match("%.pb$") and "application/x-protobuf" or "application/json"
    requests[#requests + 1] = wrk.format("POST", args[i], { ["Content-Type"] = content_type }, read_file(body_file))
  end
end

function request()
  local req = requests[next_index]
  next_index = next_index % #requests + 1
  return req
end

-- summary.errors.status counts responses with a status above 399; socket errors are counted apart.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
