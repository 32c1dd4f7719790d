from django import template

from plans.navigation import tabs_for

register = template.Library()


@register.simple_tag
def plan_tabs(plan):
    return tabs_for(plan)
