-- wrk script for bench/ingest.sh: POSTs Telegram updates with distinct update_ids (per thread a
-- range of its own) and the webhook secret header, spread over 1000 chats.
local counter = 0
local base = 0
local next_thread = 0

-- thread:set() writes a global of that thread's Lua state, so thread_no must not be a local here
-- (a local would shadow it, and every thread would send the same update_ids).
function setup(thread)
  thread:set("thread_no", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  base = tonumber(os.getenv("INGEST_ID_BASE") or "1000000000")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = os.getenv("INGEST_SECRET")
end

function request()
  counter = counter + 1
  local id = base + thread_no * 100000000 + counter
  local chat = 100000 + (id % 1000)
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"B"},' ..
    '"chat":{"id":%d,"type":"private"},"date":1700000000,"text":"benchmark %d"}}',
    id, counter, chat, chat, id)
  return wrk.format(nil, nil, nil, body)
end
