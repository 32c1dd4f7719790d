from django import template

from plans.navigation import tabs_for

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_tabs(context, plan):
    request = context.get("request")
    return tabs_for(plan, request.path if request else "")
