-- wrk script for bench/bench.py: counts responses by status, stops each thread after a number
-- of responses and prints the run as one JSON line.
-- Arguments (after --): LIMIT [THREADS FILE START]. LIMIT responses a thread at most (0: no
-- limit; wrk still runs for its whole duration). With a FILE of paths, one a line, the n-th
-- request of the run (n from START, the threads taking turns) asks for its line n (from 0,
-- round the file again at its end): each URL once, as clients walking the record do.

local threads = {}
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  limit = tonumber(args[1]) or 0
  responses = 0
  statuses = {}
  if args[3] then
    step = tonumber(args[2])
    paths = {}
    for line in io.lines(args[3]) do
      table.insert(paths, line)
    end
    index = tonumber(args[4]) + id
  else
    fixed = wrk.format()
  end
end

function request()
  if not paths then
    return fixed
  end
  local path = paths[(index % #paths) + 1]
  index = index + step
  return wrk.format(nil, path)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  responses = responses + 1
  if limit > 0 and responses >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "statuses": {%s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
