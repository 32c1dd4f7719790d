"""Small-number suppression for anything shown outside the steering group.

UK statistical practice hides counts below a threshold (default 10, never below 5). Hiding one
cell is not enough when a row or column total is shown: the hidden value could be worked out by
subtraction. So, wherever a line (row or column) has exactly one hidden cell, the next smallest
cell in that line is hidden too ("secondary suppression"), until no line gives a cell away.
"""

from django.conf import settings

MINIMUM_THRESHOLD = 5


def threshold() -> int:
    return max(MINIMUM_THRESHOLD, int(getattr(settings, "CONSULTATION_SUPPRESSION_THRESHOLD", 10)))


def suppress(table: list[list[int]], limit: int | None = None) -> list[list[bool]]:
    """Which cells of a table of counts to hide (True), given that row and column totals are shown."""
    limit = threshold() if limit is None else max(MINIMUM_THRESHOLD, limit)
    rows = len(table)
    cols = max((len(r) for r in table), default=0)
    hidden = [[0 < table[r][c] < limit for c in range(len(table[r]))] for r in range(rows)]
    lines = [[(r, c) for c in range(len(table[r]))] for r in range(rows)]
    if rows > 1:
        lines += [[(r, c) for r in range(rows) if c < len(table[r])] for c in range(cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            candidates = [(table[r][c], r, c) for r, c in line if not hidden[r][c] and table[r][c] > 0]
            if candidates:
                _value, r, c = min(candidates)
                hidden[r][c] = True
                changed = True
    return hidden


def suppress_row(counts: list[int], limit: int | None = None) -> list[bool]:
    """The same rule for one list of counts shown with its total (e.g. one question's answers)."""
    return suppress([counts], limit)[0]
