-- wrk script of bench/load.py: every request is a random line of the paths file given as the first
-- argument; an optional second argument is a Cookie header (the staff session of the queue page).
local paths = {}
local counter = 0
local cookie = nil

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  if args[2] ~= nil and args[2] ~= "" then cookie = args[2] end
  math.randomseed(os.time() * 1000 + (id or 0) * 7919)
end

function request()
  local headers = {}
  if cookie then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
