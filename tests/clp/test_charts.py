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


def _fill_colours(pdf_bytes: bytes) -> set[tuple]:
    """Every fill colour (`rg`) the PDF's first page paints with, its drawn images included."""
    import io

    import pikepdf

    colours = set()

    def walk(stream, resources) -> None:
        for operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) == "rg":
                colours.add(tuple(round(float(value), 3) for value in operands))
        for inner in resources.get("/XObject", {}).values():
            walk(inner, inner.get("/Resources", {}))

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        walk(page, page.Resources)
    return colours


def test_a_chart_in_a_document_is_painted_in_its_colours_on_white():
    # Published documents show charts through the same <img> as pages. WeasyPrint applies a rule
    # with no selector (pygal leaves `{…}` where its chart id would go) to every element: with
    # pygal's stylesheet whole, each chart came out as a black box.
    from weasyprint import HTML

    chart = charts.grouped_bar("Support by age, in a document", ["Yes", "No"],
                               [("Under 25", [80.0, 20.0]), ("65 and over", [40.0, 60.0])])
    pdf = HTML(string=f'<img style="width:15cm" src="{chart.data_uri}" alt="{chart.alt}">').write_pdf()
    fills = _fill_colours(pdf)
    assert (1.0, 1.0, 1.0) in fills                       # the white background
    assert (0.0, 0.447, 0.698) in fills                   # the first series, Okabe–Ito blue
    assert (0.902, 0.624, 0.0) in fills                   # the second, orange


def test_a_chart_keeps_only_the_styles_its_elements_can_use():
    chart = charts.bar("Which styles stay?", ["Yes", "No"], [70.0, 30.0])
    style = chart.svg.split("<style", 1)[1].split("</style>", 1)[0]
    for unseen in (":hover", "tooltip", "transition", ".dot", ".gauge", ".map-element", "no_data"):
        assert unseen not in style
    assert "}{" not in style and ">{" not in style        # no rule without a selector
    assert ".color-0" in style and ".color-1" not in style  # one series: one colour
    assert ".axis .guide.line{stroke-dasharray:4,4" in style
    assert 'class="plot tooltip-overlay"' not in chart.svg
    assert len(chart.svg) < 4000
