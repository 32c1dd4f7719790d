from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from clp import freshness
from clp.models import Community
from plans import community as community_panels
from plans.models import CouncillorLink, Meeting, Plan, PlanStatus


def community_list(request):
    """Every community on the site, so residents can find their own."""
    query = request.GET.get("q", "").strip()
    communities = Community.objects.order_by("name")
    if query:
        communities = communities.filter(name__icontains=query)
    page = Paginator(communities, 50).get_page(request.GET.get("page"))
    return render(request, "plans/community_list.html", {
        "page": page, "q": query, "query": urlencode({"q": query}) if query else ""})


def community_public(request, slug):
    """What anyone may see: the community, where its plan has got to, and its public events.

    For visitors who are not signed in (almost everyone who reads it) the page's content is the
    same for all, so it is kept drawn under the planning data's generation (clp.freshness: any
    change to a plan, event, survey, publication or action starts a new one, and the date is
    part of the key, so "coming up" and "recent" move at midnight). A visitor who brings no
    session at all is given the whole page kept (`freshness.kept_page`), with no query."""
    return freshness.kept_page(request, ("community", slug), lambda: _community_page(request, slug))


def _community_page(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if request.user.is_authenticated:
        return render(request, "plans/community_public.html", _community_context(request, community))
    kept = freshness.kept(("community-page", community.pk, get_language()), lambda: render_to_string(
        "plans/_community.html", _community_context(request, community), request=request))
    return render(request, "plans/community_public.html", {"community": community, "kept": kept})


def _community_context(request, community) -> dict:
    plans = list(community.plans.exclude(status=PlanStatus.ABANDONED).order_by("-start_date"))
    has_running = any(plan.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED) for plan in plans)
    events = Meeting.objects.filter(plan__community=community, is_public=True).order_by("-date")
    today = timezone.localdate()
    can_see_plans = (request.user.is_authenticated and
                     Plan.objects.visible_to(request.user).filter(community=community).exists())
    return {
        "community": community, "plans": plans,
        "upcoming": [e for e in events if e.date >= today][::-1],
        "past": [e for e in events if e.date < today][:10],
        "can_see_plans": can_see_plans, "has_running": has_running,
        "panels": community_panels.panels_for(community),
    }


@login_required
def councillor_plans(request):
    """Every plan a councillor follows, a page at a time (the home page shows the first few)."""
    links = (CouncillorLink.objects.filter(councillor__user=request.user)
             .select_related("plan__community").order_by("plan__community__name", "plan__title"))
    page = Paginator(links, 50).get_page(request.GET.get("page"))
    return render(request, "plans/councillor_plans.html", {"page": page})
