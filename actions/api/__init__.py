"""Open data: a read-only JSON API and CSV downloads of what communities have published.

Everything leaves through `published`, which says what counts as published, and every survey
figure through `published.survey_figures`, which applies the same small-number rules as the
public results page. Nothing here depends on who is asking: the API sees no sessions.
"""
