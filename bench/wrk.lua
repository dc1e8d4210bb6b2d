-- wrk script for bench/bench.py: counts responses by status, stops each thread after a number
-- of responses and prints the run as one JSON line.
-- Arguments (after --): LIMIT [THREADS PREFIX FIRST COUNT START STRIDE]. LIMIT responses a
-- thread at most (0: no limit; wrk still runs for its whole duration). With a PREFIX, the n-th
-- request of the run (n from START, the threads taking turns) is PREFIX followed by page
-- FIRST + (n * STRIDE) % COUNT: with STRIDE prime to COUNT, no page comes twice in COUNT
-- requests, and any run of them spreads over the whole range.

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
  prefix = args[3]
  if prefix then
    step = tonumber(args[2])
    first, count = tonumber(args[4]), tonumber(args[5])
    index, stride = tonumber(args[6]) + id, tonumber(args[7])
  else
    fixed = wrk.format()
  end
end

function request()
  if not prefix then
    return fixed
  end
  local page = first + (index * stride) % count
  index = index + step
  return wrk.format(nil, prefix .. page)
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
