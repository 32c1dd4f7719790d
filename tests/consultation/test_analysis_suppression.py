from consultation.analysis.suppression import suppress, suppress_row


def test_cells_below_the_threshold_are_hidden_with_their_complement():
    # 3 of 40: hiding the 3 alone would let anyone subtract it from the total.
    assert suppress_row([3, 37], limit=10) == [True, True]


def test_a_row_with_two_small_cells_needs_no_more_hiding():
    assert suppress_row([3, 4, 50], limit=10) == [True, True, False]


def test_zero_is_not_a_disclosure_and_large_cells_stay():
    assert suppress_row([0, 25, 30], limit=10) == [False, False, False]


def test_secondary_suppression_works_across_rows_and_columns():
    table = [
        [3, 20, 30],
        [15, 25, 12],
    ]
    hidden = suppress(table, limit=10)
    # The 3 is hidden; its row then needs a second cell (20) and its column a second (15);
    # those in turn force a partner in their own column and row.
    assert hidden[0][0]
    for r, row in enumerate(hidden):
        assert sum(row) != 1, f"row {r} gives away its hidden cell"
    for c in range(3):
        assert sum(hidden[r][c] for r in range(2)) != 1, f"column {c} gives away its hidden cell"


def test_the_threshold_is_never_below_five():
    assert suppress_row([4, 40], limit=2) == [True, True]
