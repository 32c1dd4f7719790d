"""Time the published documents: the plan with 10 and with 100 actions, and a run of 500 code
leaflets, against WeasyPrint on its own rendering the same text as one bare table.

    DJANGO_DEBUG=true DATABASE_URL=postgres://…/<a database you may write to> \
        python bench/pdf.py

(`make bench-pdf` runs it on the settings' default database: SQLite unless DATABASE_URL is set.)

It migrates that database, adds a community of its own ("PDF bench", slug bench-pdf, replaced on
every run and removed at the end), and builds each document through the real pipeline's build
step (`plans.rendering.build`: template → HTML → WeasyPrint → header scopes → checks), each in a
fresh Python process of its own so its peak memory is its own (the leaflet process gets the
bench survey's plain codes in a private temporary file, deleted after; they are never printed).
For each it prints the seconds (building the HTML, rendering, checking), pages, the process's
peak resident memory and how much of that the build added. The bare table is the 100-action
plan's extracted text, one line to a row of one <table>, rendered by WeasyPrint with no
stylesheet, no PDF/UA variant and no checks: the floor the plan's render is measured against
(target: within 1.5×, memory under 300 MB). BENCH_PDF_ROUNDS (3) rounds; medians are printed.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SLUG = "bench-pdf"
CODES = 500
ROUNDS = int(os.environ.get("BENCH_PDF_ROUNDS", "3"))
BARE = "bare table, same text as the 100-action plan"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _plan_with_actions(community, chair, count: int):
    from actions import versions
    from actions.models import PlanVersion, Section
    from plans.models import Role
    from tests.actions.factories import ActionFactory, PriorityFactory
    from tests.consultation.analysis_data import add_responses, analysis_survey
    from tests.factories import MembershipFactory, PlanFactory

    plan = PlanFactory(community=community, title=f"PDF bench plan with {count} actions",
                       vision="A village where everyone can get about safely and nobody is lonely.")
    MembershipFactory(plan=plan, user=chair, role=Role.CHAIR)
    survey, q, options, cats, ages = analysis_survey(plan, title="Village survey")
    add_responses(survey, q, options, cats, ages, [(40, {"travel": "Car", "yes": True}),
                                                  (25, {"travel": "Bus", "yes": False}),
                                                  (7, {"travel": "Walk", "yes": True})])
    survey.results_published = True
    survey.save()
    per_priority = 5
    for n in range(count // per_priority):
        priority = PriorityFactory(plan=plan, title=f"Priority {n + 1}: paths, verges and the bus shelter",
                                   theme=("Transport", "Environment", "Community")[n % 3],
                                   section=Section.COMMUNITY if n % 2 else Section.HELP,
                                   is_quick_win=n == 0)
        for m in range(per_priority):
            ActionFactory(priority=priority, lead_name=f"Volunteer {n}.{m}",
                          what=f"Action {n + 1}.{m + 1}: survey, clear and waymark the footpath "
                               "from the church to the school, with the parish council's help")
    return plan, PlanVersion.objects.create(plan=plan, number=1, data=versions.snapshot(plan),
                                            frozen_by=chair)


def build_data() -> dict:
    """The bench's own community: two plans and a survey with 500 fresh codes (plain only here)."""
    from django.db.models import Max

    from clp.models import User
    from consultation import services as consultation_services
    from consultation.models import AccessMode
    from tests.consultation.factories import make_survey
    from tests.factories import CommunityFactory, UserFactory

    remove_data()
    first_user = (User.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    UserFactory.reset_sequence(first_user)  # the factories' names never meet earlier rows
    CommunityFactory.reset_sequence(first_user)
    community = CommunityFactory(name="PDF bench", slug=SLUG)
    chair = UserFactory(email="pdf-bench-chair@example.org", full_name="Bench Chair")
    plans = {n: _plan_with_actions(community, chair, n) for n in (10, 100)}
    survey = make_survey(plans[10][0], access=AccessMode.CODES)
    codes = consultation_services.codes_generate(survey=survey, count=CODES, batch="bench", actor=chair)
    return {"plans": {n: (plan.pk, version.pk) for n, (plan, version) in plans.items()},
            "survey": (survey.plan_id, survey.pk), "codes": codes, "first_user": first_user}


def remove_data(first_user: int | None = None) -> None:
    """Remove the bench's community (its plans, surveys and codes go with it) and its people."""
    from clp.models import Community, User

    Community.objects.filter(slug=SLUG).delete()
    User.objects.filter(email="pdf-bench-chair@example.org").delete()
    if first_user is not None:
        User.objects.filter(pk__gte=first_user, is_superuser=False).delete()


def _build(kind_key: str, plan_id: int, source_id: int, secret_input=None) -> dict:
    """Build one document as the task does (without storing it), timing each stage."""
    from plans import documents, rendering, services
    from plans.models import Plan, Publication

    plan = Plan.objects.select_related("community").get(pk=plan_id)
    publication = Publication(plan=plan, kind=kind_key, source_id=source_id, secret_input=secret_input)
    kind = documents.get_kind(kind_key)
    before = _rss_mb()
    started = time.perf_counter()
    html = rendering.render_html(kind.template, services.document_context(publication), for_print=True)
    rendered = time.perf_counter()
    content = rendering.render_pdf(html)
    pdf_done = time.perf_counter()
    pages = rendering.check_pdf(content, headings=kind.headings(publication),
                                pages=kind.page_bounds(False), lang="en-GB")
    checked = time.perf_counter()
    return {"html_s": rendered - started, "render_s": pdf_done - rendered, "check_s": checked - pdf_done,
            "total_s": checked - started, "pages": pages, "bytes": len(content),
            "rss_before_mb": before, "peak_mb": _peak_mb(), "pdf": content}


def _bare(text: str) -> dict:
    """WeasyPrint alone: the same text, one line to a row of one table, nothing else."""
    from html import escape

    from pypdf import PdfReader
    from weasyprint import HTML

    rows = "".join(f"<tr><td>{escape(line)}</td></tr>" for line in text.splitlines() if line.strip())
    html = f"<!DOCTYPE html><html lang='en-GB'><body><table>{rows}</table></body></html>"
    before = _rss_mb()
    started = time.perf_counter()
    content = HTML(string=html).write_pdf()
    elapsed = time.perf_counter() - started
    import io

    return {"render_s": elapsed, "total_s": elapsed, "pages": len(PdfReader(io.BytesIO(content)).pages),
            "bytes": len(content), "rss_before_mb": before, "peak_mb": _peak_mb()}


CASES = {"build": lambda args: _build(*args), "bare": lambda args: _bare(Path(args[0]).read_text())}


def _in_child(case: str, *args) -> dict:
    """Run one case in a fresh Python process (its peak memory is its own: Django and the
    renderer loaded, nothing else) and return what it reports."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        given, out = Path(folder) / "args.json", Path(folder) / "result.json"
        given.write_text(json.dumps(args))  # in a private file, never on a command line
        subprocess.run([sys.executable, __file__, "--child", case, str(given), str(out)],
                       check=True, cwd=ROOT)
        result = json.loads(out.read_text())
    if "pdf" in result:
        result["pdf"] = bytes.fromhex(result["pdf"])
    return result


def _child(case: str, given: str, out: str) -> int:
    import logging

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clp.settings")
    django.setup()
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per layout step
    result = CASES[case](json.loads(Path(given).read_text()))
    if "pdf" in result:
        result["pdf"] = result["pdf"].hex()
    Path(out).write_text(json.dumps(result))
    return 0


def _text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def main() -> int:
    import tempfile

    if sys.argv[1:2] == ["--child"]:
        return _child(*sys.argv[2:5])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clp.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = build_data()
    rounds: list[dict] = []
    try:
        for _round in range(ROUNDS):  # every case once a round, so each round shares one load
            results = {}
            for n in (10, 100):
                plan_id, version_id = data["plans"][n]
                results[f"plan, {n} actions"] = _in_child("build", "plan", plan_id, version_id)
            plan_id, survey_id = data["survey"]
            results[f"code leaflets, {CODES} codes"] = _in_child(
                "build", "code_leaflets", plan_id, survey_id, {"codes": data["codes"], "layout": "slips"})
            with tempfile.NamedTemporaryFile("w", suffix=".txt") as text:
                text.write(_text(results["plan, 100 actions"]["pdf"]))
                text.flush()
                results[BARE] = _in_child("bare", text.name)
            rounds.append(results)
    finally:
        remove_data(data["first_user"])
    _print(_median(rounds), len(rounds))
    return 0


def _median(rounds: list[dict]) -> dict:
    """Per case, the median of each time and the largest memory figures; the plan's ratio to the
    bare table is taken within each round (the same load) and its median kept."""
    import statistics

    merged = {}
    for name in rounds[0]:
        runs = [r[name] for r in rounds]
        merged[name] = {key: (max if key.endswith("_mb") else statistics.median)(
            run.get(key, 0) for run in runs)
                        for key in ("html_s", "render_s", "check_s", "total_s", "pages", "peak_mb",
                                    "rss_before_mb")}
    merged["ratios"] = {
        "render": statistics.median(r["plan, 100 actions"]["render_s"] / r[BARE]["render_s"] for r in rounds),
        "total": statistics.median(r["plan, 100 actions"]["total_s"] / r[BARE]["render_s"] for r in rounds)}
    return merged


def _print(results: dict, rounds: int) -> None:
    ratios = results.pop("ratios")
    print(f"Median of {rounds} rounds; memory is the largest of them.")
    print(f"{'document':<46} {'seconds':>8} {'html':>6} {'render':>7} {'checks':>7} {'pages':>6} "
          f"{'peak MB':>8} {'added MB':>9}")
    for name, r in results.items():
        print(f"{name:<46} {r['total_s']:>8.2f} {r.get('html_s', 0):>6.2f} {r['render_s']:>7.2f} "
              f"{r.get('check_s', 0):>7.2f} {r['pages']:>6} {r['peak_mb']:>8.0f} "
              f"{r['peak_mb'] - r['rss_before_mb']:>9.0f}")
    plan = results["plan, 100 actions"]
    print(f"\n100-action plan render / bare table: {ratios['render']:.2f}× (target ≤ 1.5×); "
          f"the whole build (HTML, render, checks): {ratios['total']:.2f}×")
    small = results["plan, 10 actions"]
    print(f"10 → 100 actions: {plan['total_s'] / small['total_s']:.2f}× the time, "
          f"{plan['pages'] / small['pages']:.2f}× the pages")


if __name__ == "__main__":
    sys.exit(main())
