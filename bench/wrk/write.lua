-- wrk script of `make bench-server` (bench/server.mjs) for POST rows:
--   wrk … -s bench/wrk/write.lua URL -- BODY_FILE KEY_PREFIX
-- Every request sends BODY_FILE's JSON with each "@KEY@" replaced by a key no other request of
-- the run has (KEY_PREFIX, the wrk thread, a counter): Kiosque stores a comment once per
-- idempotency key, so a repeated key would measure a lookup instead of a write.

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "read.lua")

-- In wrk's main Lua state, once per thread, before the thread's own state runs init().
local threads_started = 0
function setup(thread)
  threads_started = threads_started + 1
  thread:set("thread_number", threads_started)
end

local template, prefix
local sent = 0

function init(args)
  local file = assert(io.open(args[1], "r"), "write.lua: cannot read the body file " .. tostring(args[1]))
  template = file:read("*a")
  file:close()
  prefix = args[2] or "bench"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  sent = sent + 1
  local key = string.format("%s-%d-%d", prefix, thread_number, sent)
  return wrk.format(nil, nil, nil, (template:gsub("@KEY@", key)))
end
