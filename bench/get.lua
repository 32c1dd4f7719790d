-- GET one page; the cookie (a signed-in session, if any) comes from the environment.
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
