-- wrk script of `make bench-server` (bench/server.mjs) for GET rows; write.lua loads it too.
-- wrk's own report has percentiles but not the raw latencies, and two wrk processes (one per
-- server instance) can only be added up from those: done() prints the whole latency histogram
-- as one JSON line, after a marker the harness looks for.

function done(summary, latency, requests)
  local histogram = {}
  -- latency(i) is the i-th distinct latency (microseconds) and how many requests took it.
  for i = 1, #latency do
    local value, count = latency(i)
    histogram[i] = string.format("[%d,%d]", value, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'bench-server-result {"requests":%d,"durationUs":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"latencyUs":[%s]}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    table.concat(histogram, ",")))
end
