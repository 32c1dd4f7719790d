-- The bare POST: a small urlencoded form body, as a browser sends.
wrk.method = "POST"
wrk.body = "name=Resident&answer=yes"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
