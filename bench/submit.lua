-- The resident's final "Send my answers" POST. Each request uses a fresh draft (prepared by
-- run.py through the project's own models: a session that holds the draft and a CSRF cookie),
-- because a draft can be sent once only. When the drafts run out, wrk's run is over anyway.
-- With BENCH_REUSE set (CLP's floor POST, which sends nothing), the sessions are taken in turn
-- and from the start again when they run out.
local drafts = {}
local next_draft = 1
local reuse = os.getenv("BENCH_REUSE")
for line in io.lines(os.getenv("BENCH_DRAFTS")) do
  local session, csrf = line:match("^(%S+) (%S+)$")
  drafts[#drafts + 1] = {session = session, csrf = csrf}
end

request = function()
  local d = reuse and drafts[(next_draft - 1) % #drafts + 1] or drafts[next_draft] or drafts[#drafts]
  next_draft = next_draft + 1
  return wrk.format("POST", nil, {
    ["Cookie"] = "sessionid=" .. d.session .. "; csrftoken=" .. d.csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["User-Agent"] = "bench-resident-" .. next_draft,
  }, "csrfmiddlewaretoken=" .. d.csrf)
end
