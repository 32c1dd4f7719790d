"""The support officer's portfolio: the table, its export, saved filters and bulk messages."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actions.portfolio import rows as portfolio
from actions.portfolio import services
from actions.portfolio.forms import BulkMessageForm, FilterForm, SavedFilterForm
from actions.portfolio.models import SavedFilter
from clp import charts, freshness
from clp.access import organisation_for
from clp.audit import AuditKind, audit_download
from clp.permissions import MANAGE_PORTFOLIO
from consultation.analysis.tables import download
from plans.models import Plan

FILTER_PARAMS = ("q", "district", "flag", "step", "sort", "order")


def _form(params, organisation) -> FilterForm:
    districts = sorted(set(organisation.communities.exclude(district="")
                           .values_list("district", flat=True)))
    return FilterForm(params, districts=districts)


def _load(params, organisation):
    """The filter form, every row in scope (district and name), and the rows the table shows."""
    form = _form(params, organisation)
    filters = form.filters()
    scope = portfolio.remembered_rows(
        organisation, portfolio.Filters(district=filters.district, q=filters.q))
    return form, filters, scope, portfolio.narrow(scope, filters)


def _query(params) -> str:
    return urlencode([(k, v) for k in FILTER_PARAMS for v in params.getlist(k) if v])


@login_required
def overview(request, pk):
    """The portfolio. Besides the figures kept for every officer (`_figures`), the whole page is
    kept for the officer themself while nothing changes (`freshness.kept_for_viewer`), so going
    back to it from a community, or paging back, reads the permission check and the cache."""
    organisation = organisation_for(request, pk)
    return freshness.kept_for_viewer(request, ("portfolio", organisation.pk),
                                     lambda: _overview_page(request, organisation, request.GET),
                                     scopes=portfolio.answers_scope(organisation))


def _figures(organisation, filters, page_number) -> dict:
    """What the page shows from the rows (counts, tiles, the step chart's figures and the drawn
    table of one page), kept under the planning data's generation and the answers' token
    (clp.freshness, `answers_scope`), like the rows
    themselves: a kept page reads neither the rows nor the plans, and draws nothing but the
    filters and the chrome around it. Nothing in it depends on which officer is looking."""
    key = freshness.key("portfolio-page", organisation.pk, filters, page_number, get_language(),
                        scopes=portfolio.answers_scope(organisation))
    found = cache.get(key) if key else None
    if found is None:
        scope = portfolio.remembered_rows(
            organisation, portfolio.Filters(district=filters.district, q=filters.q))
        shown = portfolio.narrow(scope, filters)
        page = Paginator(shown, settings.PORTFOLIO_PAGE_SIZE).get_page(page_number)
        found = {
            "in_portfolio": len(scope), "shown": len(shown), "number": page.number,
            "at_step": portfolio.step_counts(scope), "flag_counts": portfolio.flag_counts(scope),
            "running": sum(1 for r in scope if r.plan is not None and r.plan.status in portfolio.RUNNING),
            "flagged": sum(1 for r in scope if r.flags),
            "table": render_to_string("portfolio/_rows.html", {"page": page}),
        }
        if key:
            cache.set(key, found, freshness.TIMEOUT)
    # The pager needs only how many rows there are and which page this is.
    return {**found, "page": Paginator(range(found["shown"]), settings.PORTFOLIO_PAGE_SIZE)
            .get_page(found["number"])}


def _overview_page(request, organisation, params, save_form=None):
    """The portfolio for these filters; after a refused save, with that form and its errors (the
    page's links all name the portfolio's address, as it is then drawn at the save's address)."""
    form = _form(params, organisation)
    filters = form.filters()
    figures = _figures(organisation, filters, params.get("page"))
    at_step = figures["at_step"]
    chart = _step_chart(_("Plans at each of the nine steps"), tuple(label for _s, label, _n in at_step),
                        tuple(n for _s, _label, n in at_step), get_language())
    query = _query(params)
    return render(request, "portfolio/overview.html", {
        **figures, "organisation": organisation, "form": form, "filters": filters, "chart": chart,
        "query": query, "sorts": _sort_links(params, filters, organisation.get_absolute_url()),
        "page_base": organisation.get_absolute_url(),
        "saved_filters": SavedFilter.objects.filter(organisation=organisation, officer=request.user),
        "save_form": save_form or SavedFilterForm(initial={"query": query}),
        "officers": organisation.officers.all(),
    })


@functools.lru_cache(maxsize=64)
def _step_chart(title: str, labels: tuple, values: tuple, language: str) -> charts.Chart:
    """Drawing the chart costs more than the rest of the page's figures and the counts change
    seldom, so each worker keeps the last few drawings (the arguments are the whole input)."""
    return charts.bar(title, list(labels), list(values), unit="", max_value=max([*values, 1]))


def _sort_links(params, filters, path) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (again: the other way) and its state."""
    links = {}
    base = {k: params.get(k, "") for k in FILTER_PARAMS if params.get(k)}
    for key in portfolio.SORTS:
        active = filters.sort == key
        order = "asc" if active and filters.descending else ("desc" if active else "asc")
        links[key] = {"url": path + "?" + urlencode({**base, "sort": key, "order": order}),
                      "aria": ("descending" if filters.descending else "ascending") if active else ""}
    return links


EXPORT_HEADER = [
    "Community", "District", "Households", "Plan", "Status", "Step", "Stage", "Days in step",
    "Last activity", "Survey responses", "Response rate (%)", "Actions", "Actions done (%)",
    "Overdue actions", "Stalled actions", "Endorsements awaited", "Next review due", "Flags",
    "Why",
]


def _export_rows(rows):
    yield EXPORT_HEADER
    for row in rows:
        plan, community = row.plan, row.community
        base = [community.name, community.district, community.households]
        if plan is None:
            yield base + ["No plan yet"] + [""] * (len(EXPORT_HEADER) - 4)
            continue
        yield base + [
            plan.title, str(plan.get_status_display()),
            f"{plan.step_number}. {plan.get_step_display()}", str(plan.stage_label), plan.days_in_step,
            timezone.localdate(plan.last_activity).isoformat() if plan.last_activity else "",
            plan.responses, _rounded(row.response_rate), plan.actions_total,
            _rounded(row.done_share), plan.actions_overdue, plan.actions_stalled,
            plan.endorsements_pending, row.review_due.isoformat() if row.review_due else "",
            "; ".join(str(f.label) for f in row.flags), " ".join(f.why for f in row.flags),
        ]


def _rounded(value):
    return round(value) if value is not None else ""


@login_required
def export(request, pk, fmt):
    """The filtered table (every page of it) as CSV or XLSX."""
    organisation = organisation_for(request, pk)
    _form, _filters, _scope, shown = _load(request.GET, organisation)
    stamp = timezone.localdate().isoformat()
    response = download(_export_rows(shown), fmt=fmt, filename=f"portfolio-{organisation.pk}-{stamp}",
                        sheet="Portfolio")
    audit_download(actor=request.user, target=organisation, what="Portfolio", fmt=fmt,
                   kind=AuditKind.PORTFOLIO_EXPORT)
    return response


@require_POST
@login_required
def saved_filter_create(request, pk):
    organisation = organisation_for(request, pk, MANAGE_PORTFOLIO)
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        saved = services.saved_filter_save(organisation=organisation, actor=request.user,
                                           name=form.cleaned_data["name"],
                                           query=form.cleaned_data["query"])
        messages.success(request, _("Filters saved as “%(name)s”.") % {"name": saved.name})
        return redirect(_with_query(organisation, saved.query))
    return _overview_page(request, organisation, QueryDict(form.data.get("query", "")), save_form=form)


def _with_query(organisation, query: str) -> str:
    return organisation.get_absolute_url() + (f"?{query}" if query else "")


@require_POST
@login_required
def saved_filter_delete(request, pk, fid):
    organisation = organisation_for(request, pk, MANAGE_PORTFOLIO)
    saved = get_object_or_404(SavedFilter, pk=fid, organisation=organisation, officer=request.user)
    services.saved_filter_delete(saved=saved, actor=request.user)
    messages.success(request, _("Saved filters “%(name)s” removed.") % {"name": saved.name})
    return redirect(organisation)


@require_http_methods(["GET", "POST"])
@login_required
def bulk_message(request, pk):
    """Write to the chairs of the plans ticked on the portfolio; emailed after commit."""
    organisation = organisation_for(request, pk, MANAGE_PORTFOLIO)
    plans = Plan.objects.filter(community__organisations=organisation).select_related("community")
    if request.method == "POST":
        form = BulkMessageForm(request.POST, plans=plans)
        if form.is_valid():
            message = services.bulk_message_send(
                organisation=organisation, plans=list(form.cleaned_data["plans"]),
                subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                actor=request.user)
            n = message.recipients.count()
            messages.success(request, ngettext("Your message is on its way to %(n)s chair.",
                                               "Your message is on its way to %(n)s chairs.", n)
                             % {"n": n})
            return redirect(organisation)
    else:
        ticked = [v for v in request.GET.getlist("plans") if v.isdigit()]
        if not ticked:
            messages.error(request, _("Tick at least one plan in the table, then choose "
                                      "“Write to the chairs of the ticked plans”."))
            return redirect(organisation)
        form = BulkMessageForm(initial={"plans": ticked}, plans=plans)
    chosen = plans.filter(pk__in=[v for v in form["plans"].value() or [] if str(v).isdigit()])
    chairs = services.chairs_of(chosen).select_related("user", "plan__community")
    return render(request, "portfolio/bulk_message.html", {
        "organisation": organisation, "form": form, "chosen": chosen, "chairs": chairs,
        "no_chair": [p for p in chosen if not any(c.plan_id == p.pk for c in chairs)],
    })
