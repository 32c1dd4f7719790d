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
