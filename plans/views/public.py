from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from clp.access import get_object_for_user
from clp.models import Community, Organisation
from plans import community as community_panels
from plans.models import Meeting, Plan, PlanStatus


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
    """What anyone may see: the community, where its plan has got to, and its public events."""
    community = get_object_or_404(Community, slug=slug)
    plans = list(community.plans.exclude(status=PlanStatus.ABANDONED).order_by("-start_date"))
    has_running = any(plan.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED) for plan in plans)
    events = Meeting.objects.filter(plan__community=community, is_public=True).order_by("-date")
    today = timezone.localdate()
    can_see_plans = Plan.objects.visible_to(request.user).filter(community=community).exists()
    return render(request, "plans/community_public.html", {
        "community": community, "plans": plans,
        "upcoming": [e for e in events if e.date >= today][::-1],
        "past": [e for e in events if e.date < today][:10],
        "can_see_plans": can_see_plans, "has_running": has_running,
        "panels": community_panels.panels_for(community),
    })


@login_required
def portfolio(request, pk):
    organisation = get_object_for_user(request, Organisation.objects, "clp.view_organisation", pk=pk)
    communities = list(organisation.communities.prefetch_related(
        Prefetch("plans", queryset=Plan.objects.order_by("-start_date"))
    ))
    for community in communities:
        community.can_start = not any(p.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED)
                                      for p in community.plans.all())
    return render(request, "plans/portfolio.html", {
        "organisation": organisation, "communities": communities,
        "officers": organisation.officers.all(),
    })
