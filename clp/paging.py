"""Pages of a long list that never count the whole list.

Django's Paginator counts every row to say "page 3 of 2,547"; on a list of tens of thousands of
answers that COUNT(*) is most of the page's cost, and it grows with the data. `Window` fetches
one row more than a page instead: enough to know whether there is a next page. It has the parts
of a Page that templates use, and "includes/pagination_open.html" shows it ("Page 3", with
Previous and Next). The list must be ordered by something an index gives (its primary key).
"""


class Window:
    def __init__(self, object_list, per_page: int, number):
        try:
            self.number = max(1, int(number))
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * per_page
        rows = list(object_list[start:start + per_page + 1])
        if not rows and self.number > 1:  # past the end: show the first page rather than nothing
            self.number, start = 1, 0
            rows = list(object_list[:per_page + 1])
        self.object_list = rows[:per_page]
        self._more = len(rows) > per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def capped_count(queryset, cap: int) -> tuple[int, bool]:
    """How many rows, counting no further than `cap`: (count, whether there are more)."""
    n = queryset.order_by()[:cap + 1].count()
    return min(n, cap), n > cap
