"""What any POST of a resident's costs in CLP before it does anything of its own.

Every resident's POST (a page of answers, the final "Send my answers") passes through the whole
middleware stack with the resident's database session and the CSRF check, counts against the
residents' rate limit, reads the draft's key from the session, changes the session (the send
forgets the draft and keeps the receipt) and redirects. This view does exactly that and one
query, as the bare POST does, and nothing else: the submit's ratio can never be better than
this one's, and the submit's time above it is the send's own work.
"""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from clp.urls import urlpatterns as clp_patterns
from consultation.views.public import limit_posts


@limit_posts
@require_POST
def floor_post(request):
    ContentType.objects.filter(pk=0).exists()
    request.session.get("bench.floor.draft")
    request.session["bench.floor.receipt"] = request.session.get("bench.floor.receipt", 0) + 1
    return redirect("/")


urlpatterns = [path("bench-floor/post/", floor_post), *clp_patterns]
