"""`make bench`: CLP's pages against a bare Django view, measured in the same run.

What it does, in order (bench/README.md explains the choices):
1. makes sure PostgreSQL and Redis run on 127.0.0.1, and uses its own database (`clp_bench`) and
   Redis database (14), so it never touches the test suite's or the demo's data;
2. builds the data set (bench/generate.py) unless it is already there;
3. counts each page's SQL queries in-process (Django's test client, as a signed-in user);
4. starts CLP, the bare reference project (bench/bare/) and CLP's floor (bench/floor/: CLP with
   one view that only does what every resident's POST does) under gunicorn, each with the same
   number of sync workers, production settings (DEBUG off), Redis as cache and broker;
5. for each of ROUNDS rounds, runs wrk against the bare GET and every CLP page read, then the
   bare POST, CLP's floor POST and the residents' sends, interleaved, so a busy machine slows
   them alike, and vacuums what the sends wrote (`_measure`); ratios are per round, then the
   median;
6. times the big CSV and XLSX exports (first byte, whole file, size, the worker's peak memory);
7. prints one table and writes JSON to bench/results/.
"""

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
RESULTS = BENCH / "results"
APP_PORT, BARE_PORT, FLOOR_PORT = 8101, 8102, 8103
FLOOR = "CLP floor POST"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # one sync worker per core on the 2-core machines
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = 8
MIN_REQUESTS, MAX_SECONDS = 20, 40
DRAFTS_PER_ROUND = int(os.environ.get("BENCH_DRAFTS", "2500"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clp_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

ENV = {
    "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL, "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_HSTS_SECONDS": "0", "CACHE_KEY_PREFIX": "bench", "LOG_LEVEL": "WARNING",
    # Every request comes from one address here: lift the per-address limits, not the checks.
    "CONSULTATION_RATE_PUBLIC": "100000000/h", "CONSULTATION_RATE_SUBMIT": "100000000/h",
    "CONSULTATION_RATE_CODE": "100000000/h", "CONSULTATION_MAX_DAILY_PER_DEVICE": "100000000",
    "ACTIONS_RATE_COMMENT": "100000000/h", "OPEN_DATA_RATE": "100000000/h",
    "DJANGO_STATIC_ROOT": str(WORK / "static"), "DJANGO_MEDIA_ROOT": str(WORK / "media"),
}

# name, path template, who (None = signed out), target ratio, compared with
PAGES = [
    ("public survey start", "/s/{big_public}/", None, 0.5, "bare GET"),
    ("public survey page", "/s/{big_public}/page/1/", "draft", None, "bare GET"),
    ("survey submit (final POST)", "/s/{submit_public}/check/", "submit", 0.5, "bare POST"),
    ("public community page", "/c/{community_slug}/", None, 0.5, "bare GET"),
    ("plan home", "/plans/{plan}/", "chair", 0.3, "bare GET"),
    ("results at 200", "/plans/{plan}/surveys/{small}/results/", "chair", None, "bare GET"),
    ("results at 20,000", "/plans/{plan}/surveys/{big}/results/", "chair", 0.3, "bare GET"),
    ("cross-tab at 20,000", "/plans/{plan}/surveys/{big}/results/questions/{crosstab_question}/",
     "chair", None, "bare GET"),
    ("who we have heard", "/plans/{plan}/heard/", "chair", None, "bare GET"),
    ("coding queue", "/plans/{plan}/coding/", "chair", None, "bare GET"),
    ("issues register", "/plans/{plan}/issues/", "chair", None, "bare GET"),
    ("portfolio (300)", "/portfolio/{organisation}/", "officer", 0.2, "bare GET"),
    ("portfolio filtered (300)", "/portfolio/{organisation}/?flag=stalled&sort=days&order=desc",
     "officer", None, "bare GET"),
    ("portfolio CSV export (300)", "/portfolio/{organisation}/export.csv", "officer", None,
     "bare GET"),
    # The Deliver pages, on the demo's plan that is delivering its actions.
    ("delivery dashboard", "/plans/{delivery_plan}/delivery/", "officer", None, "bare GET"),
    ("public progress (you said, we did)", "/plans/{delivery_plan}/progress/", None, None, "bare GET"),
    ("open-data API: actions", "/api/v1/actions/", None, None, "bare GET"),
]


def _analyze() -> None:
    """Fresh planner statistics for the tables just filled. PostgreSQL's autovacuum would gather
    them within a minute or so of a real bulk load, but the benchmark starts at once: with the
    estimates of the empty tables (38 responses where there are 30,000) the coding queue planned a
    hash join over every answer of the plan (the page's query took 0.52 s) instead of walking the
    answers' index (1.7 ms), and the issues register took 0.61 s instead of 0.10 s in-process."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    _require("wrk", "apt-get install -y wrk")
    _services()
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clp.settings"
    sys.path.insert(0, str(ROOT))
    import django

    _create_database()
    django.setup()
    from django.core.management import call_command

    from bench import generate, sessions

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.monotonic()
    ids = generate.build()
    print(f"Data set ready in {time.monotonic() - started:.0f} s: {ids['communities']} communities "
          f"in the portfolio, surveys of 200 and 20,000 responses.", flush=True)
    ids.update(sessions.prepare(ids, rounds=ROUNDS, drafts=DRAFTS_PER_ROUND, work=WORK))
    _analyze()
    queries = sessions.query_counts(PAGES, ids)
    servers = _start_servers()
    try:
        rows = _measure(ids, queries)
        exports = _exports(ids, servers["app"])
    finally:
        for process in servers.values():
            process.send_signal(signal.SIGTERM)
        for process in servers.values():
            process.wait(timeout=30)
    return _report(rows, exports, ids)


def _require(command: str, hint: str) -> None:
    if shutil.which(command) is None:
        sys.exit(f"`{command}` is not installed: {hint}")


def _services() -> None:
    """Start PostgreSQL and Redis on 127.0.0.1 if they are not running (as .ci/run does)."""
    subprocess.run(["bash", "-c", (
        'pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect '
        '"$(ls /etc/postgresql | sort -V | tail -1)" main start; '
        '[ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ] || redis-server --daemonize yes '
        "--bind 127.0.0.1 --port 6379 --save '' --appendonly no; "
        'for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && '
        '[ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ] && exit 0; sleep 1; done; exit 1')],
        check=True)


def _create_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _start_servers() -> dict:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    common = ["--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "120",
              "--log-level", "warning", "--access-logfile", "/dev/null"]
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    servers = {
        "app": subprocess.Popen([gunicorn, "clp.wsgi", "--bind", f"127.0.0.1:{APP_PORT}", *common],
                                cwd=ROOT, env=env),
        "bare": subprocess.Popen([gunicorn, "bench.bare.wsgi", "--bind", f"127.0.0.1:{BARE_PORT}",
                                  *common], cwd=ROOT, env=env),
        "floor": subprocess.Popen([gunicorn, "clp.wsgi", "--bind", f"127.0.0.1:{FLOOR_PORT}", *common],
                                  cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}),
    }
    for port in (APP_PORT, BARE_PORT, FLOOR_PORT):
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn on port {port} did not start")
    return servers


def _wrk(url: str, script: str, env: dict | None = None, threads: int = 2) -> dict:
    """One wrk run of SECONDS; a page too slow to answer MIN_REQUESTS in that time is run again
    for longer (up to MAX_SECONDS), so slow pages get real percentiles instead of a zero."""
    lua = WORK / f"{script}.lua"
    lua.write_text((BENCH / f"{script}.lua").read_text() + "\n" + (BENCH / "report.lua").read_text())
    seconds = SECONDS
    while True:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "60s", "-s", str(lua),
             url], capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True).stdout
        figures = json.loads(re.search(r"^BENCH (\{.*\})$", out, re.M).group(1))
        if figures["requests"] >= MIN_REQUESTS or seconds >= MAX_SECONDS or script == "submit":
            break
        seconds = MAX_SECONDS if not figures["requests"] else min(
            MAX_SECONDS, int(seconds * MIN_REQUESTS / figures["requests"]) + 1)
    figures["rps"] = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
    return figures


def _measure(ids: dict, queries: dict) -> list[dict]:
    """Each round: the bare GET and every CLP page read, then the bare POST, CLP's floor POST and
    the residents' sends, each POST next to the bare POST it is compared with; then the tables
    those POSTs wrote are vacuumed (`_settle`), so that the clean-up of one round's writes is
    never running under the next round's pages: left to autovacuum, it started a minute or so
    after a round's sends and slowed whichever pages were being measured then, but not the bare
    view measured before them (on 7 December plan home was 0.25, 0.18 and 0.35 of the bare GET
    in the three rounds of one run)."""
    from bench import sessions

    runs: dict[str, list[dict]] = {name: [] for name, *_ in PAGES}
    bare: dict[str, list[dict]] = {"bare GET": [], "bare POST": [], FLOOR: []}
    reads = [page for page in PAGES if page[2] != "submit"]
    sends = [page for page in PAGES if page[2] == "submit"]
    for round_no in range(ROUNDS):
        bare["bare GET"].append(_wrk(f"http://127.0.0.1:{BARE_PORT}/", "get"))
        for name, path, who, _target, base in reads:
            url = f"http://127.0.0.1:{APP_PORT}{path.format(**ids)}"
            figures = _wrk(url, "get", {"BENCH_COOKIE": ids["cookies"].get(who, "")})
            figures["ratio"] = figures["rps"] / bare[base][-1]["rps"]
            runs[name].append(figures)
            print(f"round {round_no + 1}: {name}: {figures['rps']:.1f} req/s", flush=True)
        bare["bare POST"].append(_wrk(f"http://127.0.0.1:{BARE_PORT}/post/", "post"))
        # The residents' sessions of this round's drafts, read and changed as a send does.
        floor = _wrk(f"http://127.0.0.1:{FLOOR_PORT}/bench-floor/post/", "submit",
                     {"BENCH_DRAFTS": ids["drafts"][round_no], "BENCH_REUSE": "1"}, threads=1)
        floor["ratio"] = floor["rps"] / bare["bare POST"][-1]["rps"]
        floor["settle_s"] = _settle()  # its session writes: not cleaned up under the sends
        bare[FLOOR].append(floor)
        print(f"round {round_no + 1}: {FLOOR}: {floor['rps']:.1f} req/s", flush=True)
        for name, path, _who, _target, base in sends:
            url = f"http://127.0.0.1:{APP_PORT}{path.format(**ids)}"
            before = sessions.submitted(ids["submit"])
            figures = _wrk(url, "submit", {"BENCH_DRAFTS": ids["drafts"][round_no]}, threads=1)
            figures["sent"] = sessions.submitted(ids["submit"]) - before
            figures["floor_ratio"] = figures["rps"] / floor["rps"]
            figures["ratio"] = figures["rps"] / bare[base][-1]["rps"]
            figures["settle_s"] = _settle()
            runs[name].append(figures)
            print(f"round {round_no + 1}: {name}: {figures['rps']:.1f} req/s; its tables vacuumed "
                  f"in {figures['settle_s']:.1f} s", flush=True)
    rows = [_row(name, figures, None, None, "bare POST" if name == FLOOR else None)
            for name, figures in bare.items()]
    for name, _path, _who, target, base in PAGES:
        rows.append(_row(name, runs[name], queries.get(name), target, base))
    return rows


WRITTEN = ("consultation_response", "consultation_answer", "consultation_survey",
           "consultation_responsesversion", "django_session")


def _settle() -> float:
    """VACUUM (ANALYZE) the tables the round's POSTs wrote, and how long it took (seconds)."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {', '.join(WRITTEN)}")
    return time.monotonic() - started


def _row(name, figures, query_count, target, base) -> dict:
    median = lambda key: statistics.median(f[key] for f in figures)  # noqa: E731
    row = {"page": name, "rps": median("rps"), "p50_ms": median("p50_ms"), "p95_ms": median("p95_ms"),
           "queries": query_count, "target": target, "compared_with": base,
           "bad_status": sum(f["bad_status"] for f in figures), "errors": sum(f["errors"] for f in figures),
           "rounds": figures}
    row["ratio"] = median("ratio") if base else None
    if "sent" in figures[0]:
        row["sent"] = sum(f["sent"] for f in figures)
        row["requests"] = sum(f["requests"] for f in figures)
        row["floor_ratio"] = median("floor_ratio")
    row["pass"] = None if target is None else (row["ratio"] >= target and row["bad_status"] == 0)
    return row


def _exports(ids: dict, app) -> list[dict]:
    results = []
    cookie = ids["cookies"]["chair"]
    for fmt in ("csv", "xlsx"):
        url = f"http://127.0.0.1:{APP_PORT}/plans/{ids['plan']}/surveys/{ids['big']}/responses/export.{fmt}"
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        started = time.monotonic()
        first = None
        size = 0
        status = 0
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                status = response.status
                while chunk := response.read(65536):
                    first = first or time.monotonic() - started
                    size += len(chunk)
        except OSError as error:
            status = getattr(error, "code", 0) or str(error)
        results.append({"export": f"20,000-response {fmt.upper()}", "status": status,
                        "first_byte_s": first, "total_s": time.monotonic() - started, "bytes": size,
                        "worker_peak_rss_mb": _peak_rss(app.pid)})
    return results


def _peak_rss(master_pid: int) -> float | None:
    """The largest high-water mark of the app's gunicorn workers so far (MB)."""
    peaks = []
    for child in Path("/proc").glob("[0-9]*"):
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.M):
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if found:
                peaks.append(int(found.group(1)) / 1024)
    return max(peaks) if peaks else None


def _report(rows: list[dict], exports: list[dict], ids: dict) -> int:
    by_page = {r["page"]: r for r in rows}
    growth = by_page["results at 20,000"]["p50_ms"] / by_page["results at 200"]["p50_ms"]
    print()
    print(f"{'page':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'ratio':>6} "
          f"{'target':>7} {'result':>6}")
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.3f}"
        target = "" if r["target"] is None else f"≥ {r['target']}"
        verdict = {None: "", True: "pass", False: "FAIL"}[r["pass"]]
        queries = "" if r["queries"] is None else str(r["queries"])
        print(f"{r['page']:<30} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {queries:>7} "
              f"{ratio:>6} {target:>7} {verdict:>6}")
        if r["bad_status"] or r["errors"]:
            print(f"{'':<30} ! {r['bad_status']} non-2xx/3xx answers, {r['errors']} errors")
        if "sent" in r:
            # wrk counts the answers it read before it stopped; a POST still in flight then is
            # stored too, so "stored" can be one or two more than "answered".
            print(f"{'':<30}   {r['requests']} POSTs answered, {r['sent']} responses stored; "
                  f"{r['floor_ratio']:.3f} of CLP's floor POST")
    same = by_page["results at 200"]["queries"] == by_page["results at 20,000"]["queries"]
    print(f"\nresults at 20,000 vs 200 (p50): {growth:.2f}× (target ≤ 1.5×: "
          f"{'pass' if growth <= 1.5 else 'FAIL'}); query counts {'equal' if same else 'DIFFER'}")
    for e in exports:
        first = "–" if e["first_byte_s"] is None else f"{e['first_byte_s']:.2f} s"
        print(f"{e['export']}: status {e['status']}, first byte {first}, whole file {e['total_s']:.1f} s, "
              f"{e['bytes'] / 1e6:.1f} MB, worker peak RSS {e['worker_peak_rss_mb'] or 0:.0f} MB")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {"at": stamp, "workers": WORKERS, "rounds": ROUNDS, "seconds": SECONDS,
                "connections": CONNECTIONS, "load_average": load, "cores": os.cpu_count(),
                "pages": rows, "exports": exports, "results_growth": growth,
                "data": {k: ids[k] for k in ("communities", "community_count")}}
    (RESULTS / f"{stamp}.json").write_text(json.dumps(document, indent=2, default=str))
    print(f"wrote bench/results/{stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
