import base64

from clp import charts


def test_a_bar_chart_is_an_svg_image_with_a_text_alternative():
    chart = charts.bar("How do you get to work?", ["Car", "Bus", "Walk"], [62.5, 12.5, 25.0])
    assert chart.alt == "Bar chart, How do you get to work?: Car 63%; Bus 13%; Walk 25%."
    assert chart.svg.startswith("<svg")
    decoded = base64.b64decode(chart.data_uri.split(",", 1)[1]).decode()
    assert decoded == chart.svg
    assert "Car" in chart.svg and "63%" in chart.svg


def test_long_alternatives_point_to_the_table():
    labels = [f"Street {i}" for i in range(20)]
    chart = charts.bar("Where do you live?", labels, [5.0] * 20)
    assert chart.alt.endswith("and 8 more (see the table).")


def test_grouped_bar_names_each_series():
    chart = charts.grouped_bar("Support by age", ["Yes", "No"],
                               [("Under 25", [80.0, 20.0]), ("65 and over", [40.0, 60.0])])
    assert "Under 25: Yes 80%, No 20%" in chart.alt
    assert "65 and over: Yes 40%, No 60%" in chart.alt


def test_the_same_figures_are_drawn_once_and_other_figures_get_their_own_drawing():
    # pygal gives every drawing a fresh random id, so two equal pictures prove the second was kept.
    first = charts.bar("Kept chart?", ["Yes", "No"], [70.0, 30.0])
    again = charts.bar("Kept chart?", ["Yes", "No"], [70.0, 30.0])
    assert again.svg == first.svg
    changed = charts.bar("Kept chart?", ["Yes", "No"], [71.0, 29.0])
    assert changed.svg != first.svg and "71%" in changed.svg and "70%" not in changed.svg
    fewer = charts.bar("Kept chart?", ["Yes"], [70.0])  # a cell hidden: a different picture
    assert fewer.svg != first.svg and ">No<" not in fewer.svg


def test_a_drawing_kept_by_another_worker_is_used_and_a_lost_one_is_drawn_again(monkeypatch):
    from django.core.cache import cache

    drawn = []
    draw = charts._draw_grouped
    monkeypatch.setattr(charts, "_draw_grouped", lambda *args: drawn.append(args) or draw(*args))
    first = charts.grouped_bar("Kept by age?", ["Yes", "No"], [("Under 25", [80.0, 20.0])])
    charts.drawings._recent.clear()  # another worker: nothing in its memory, the shared cache has it
    assert charts.grouped_bar("Kept by age?", ["Yes", "No"],
                              [("Under 25", [80.0, 20.0])]).svg == first.svg
    assert len(drawn) == 1
    charts.drawings._recent.clear()
    cache.clear()  # both gone (a restarted Redis): drawn again, the same figures
    redrawn = charts.grouped_bar("Kept by age?", ["Yes", "No"], [("Under 25", [80.0, 20.0])])
    assert len(drawn) == 2 and redrawn.svg == first.svg
    assert "80%" in redrawn.svg and "Under 25" in redrawn.svg and "<script" not in redrawn.svg
