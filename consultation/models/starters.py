"""Plain data: the demographic dimensions' default groups, and the starter surveys a group can copy.

Questions are written the way parish questionnaires ask them, in plain English; every starter is
an ordinary draft once created, so the group edits it freely.
"""

from django.utils.translation import gettext_lazy as _

from consultation.models import DimensionKind, QuestionKind, SurveyKind

PREFER_NOT_TO_SAY = _("Prefer not to say")

DIMENSIONS: dict[str, dict] = {
    DimensionKind.AGE: {
        "question": _("How old are you?"),
        "categories": [_("Under 11"), _("11 to 15"), _("16 to 17"), _("18 to 24"), _("25 to 44"),
                       _("45 to 64"), _("65 to 74"), _("75 or over")],
    },
    DimensionKind.CONNECTION: {
        "question": _("What is your connection to the area?"),
        "help": _("Tick all that apply."),
        "categories": [_("I live here"), _("I work here"), _("I study here"),
                       _("I run a business here")],
    },
    DimensionKind.AREA: {
        "question": _("Which part of the parish do you live in?"),
        "categories": [_("The village centre"), _("North of the parish"), _("South of the parish"),
                       _("Outlying farms and hamlets")],
    },
    DimensionKind.DISABILITY: {
        "question": _("Do you have a disability or long-term health condition that affects your "
                      "day-to-day life?"),
        "categories": [_("Yes"), _("No")],
    },
    DimensionKind.HOUSEHOLD: {
        "question": _("Which best describes your household?"),
        "categories": [_("One person living alone"), _("A couple with no children at home"),
                       _("A family with children at home"), _("A single parent with children"),
                       _("Adults sharing"), _("Another kind of household")],
    },
    DimensionKind.ETHNICITY: {
        "question": _("What is your ethnic group?"),
        "categories": [_("Asian or Asian British"),
                       _("Black, Black British, Caribbean or African"),
                       _("Mixed or multiple ethnic groups"), _("White"),
                       _("Another ethnic group")],
    },
    DimensionKind.GENDER: {
        "question": _("What is your gender?"),
        "categories": [_("Woman"), _("Man"), _("Non-binary"),
                       _("I describe myself another way")],
    },
}


def _q(kind, text, *, help="", required=False, options=(), other=False, scale=None,
       dimension=None) -> dict:
    return {"kind": kind, "text": text, "help": help, "required": required,
            "options": list(options), "other": other, "scale": scale, "dimension": dimension}


def _about_you(*kinds) -> dict:
    return {"title": _("About you"),
            "intro": _("These questions are optional. They help us check that we have heard from "
                       "every part of the community."),
            "questions": [_q(QuestionKind.DEMOGRAPHIC, "", dimension=k) for k in kinds]}


RATING_GOOD = (1, 5, _("Very poor"), _("Very good"))

STARTERS: dict[str, dict] = {
    "love_hate": {
        "label": _("Love it / hate it: an open first round"),
        "title": _("What do you love and hate about where you live?"),
        "kind": SurveyKind.OPEN_ROUND,
        "sections": [
            {"title": _("Your views"), "intro": "", "questions": [
                _q(QuestionKind.LOVE_HATE, _("What do you love about living here, and what do you "
                                             "hate?"), required=True),
                _q(QuestionKind.LONG_TEXT, _("If you could change one thing, what would it be?")),
                _q(QuestionKind.LONG_TEXT, _("Is there anything else you want to tell us?")),
            ]},
            _about_you(DimensionKind.AGE, DimensionKind.CONNECTION, DimensionKind.AREA),
        ],
    },
    "household": {
        "label": _("Household questionnaire"),
        "title": _("Household questionnaire"),
        "kind": SurveyKind.OPEN_ROUND,
        "sections": [
            {"title": _("Living here"), "intro": "", "questions": [
                _q(QuestionKind.SINGLE, _("How long have you lived in the parish?"), required=True,
                   options=[_("Less than 2 years"), _("2 to 10 years"), _("11 to 25 years"),
                            _("More than 25 years")]),
                _q(QuestionKind.RATING, _("How would you rate the parish as a place to live?"),
                   required=True, scale=RATING_GOOD),
                _q(QuestionKind.MULTIPLE, _("Which local services do you use?"),
                   help=_("Tick all that apply."), other=True,
                   options=[_("Shop"), _("Post office"), _("Pub"), _("Village hall"),
                            _("Doctors' surgery"), _("Bus service"), _("Library van")]),
            ]},
            {"title": _("Housing and getting about"), "intro": "", "questions": [
                _q(QuestionKind.YES_NO, _("Would you support a small development of affordable "
                                          "homes for local people?")),
                _q(QuestionKind.RATING, _("How would you rate the bus service?"), scale=RATING_GOOD),
                _q(QuestionKind.MULTIPLE, _("What worries you about traffic?"),
                   help=_("Tick all that apply."), other=True,
                   options=[_("Speeding"), _("Parking"), _("Lorries"), _("No pavements"),
                            _("Nothing")]),
            ]},
            {"title": _("Your views"), "intro": "", "questions": [
                _q(QuestionKind.LOVE_HATE, _("What do you love about living here, and what do you "
                                             "hate?")),
                _q(QuestionKind.LONG_TEXT, _("What one thing would make the biggest difference?")),
            ]},
            _about_you(DimensionKind.HOUSEHOLD, DimensionKind.AGE, DimensionKind.AREA,
                       DimensionKind.DISABILITY, DimensionKind.ETHNICITY, DimensionKind.GENDER),
        ],
    },
    "youth": {
        "label": _("Youth survey"),
        "title": _("Young people's survey"),
        "kind": SurveyKind.OPEN_ROUND,
        "sections": [
            {"title": _("Your village"), "intro": "", "questions": [
                _q(QuestionKind.MULTIPLE, _("What do you do in your free time in the village?"),
                   help=_("Tick all that apply."), other=True,
                   options=[_("Sport"), _("Youth club"), _("Meet friends outside"),
                            _("Nothing, there is nothing to do")]),
                _q(QuestionKind.RATING, _("How safe do you feel out and about in the village?"),
                   scale=(1, 5, _("Not safe at all"), _("Very safe"))),
                _q(QuestionKind.YES_NO, _("Would you use a youth shelter or meeting space?")),
                _q(QuestionKind.LOVE_HATE, _("What do you love about the village, and what do you "
                                             "hate?")),
                _q(QuestionKind.SHORT_TEXT, _("One thing that would make the village better for "
                                              "young people")),
            ]},
            _about_you(DimensionKind.AGE, DimensionKind.GENDER),
        ],
    },
    "business": {
        "label": _("Business survey"),
        "title": _("Local business survey"),
        "kind": SurveyKind.OTHER,
        "sections": [
            {"title": _("Your business"), "intro": "", "questions": [
                _q(QuestionKind.SINGLE, _("What kind of business do you run?"), other=True,
                   options=[_("Farming"), _("Shop or retail"), _("Pub, café or hospitality"),
                            _("Trades and building"), _("Working from home")]),
                _q(QuestionKind.SINGLE, _("How many people work in the business?"),
                   options=[_("Just me"), _("2 to 5"), _("6 to 20"), _("More than 20")]),
                _q(QuestionKind.MULTIPLE, _("What holds your business back here?"),
                   help=_("Tick all that apply."), other=True,
                   options=[_("Slow broadband"), _("Parking"), _("No suitable premises"),
                            _("Too few customers"), _("Hard to find staff")]),
                _q(QuestionKind.RATING, _("How good is your broadband?"), scale=RATING_GOOD),
                _q(QuestionKind.YES_NO, _("Would you join a local business network?")),
                _q(QuestionKind.LONG_TEXT, _("What would help your business most?")),
            ]},
            _about_you(DimensionKind.CONNECTION, DimensionKind.AREA),
        ],
    },
    "priorities": {
        "label": _("Priorities round: rank the issues found in the first round"),
        "title": _("What matters most? Our priorities"),
        "kind": SurveyKind.PRIORITIES,
        "sections": [
            {"title": _("Your priorities"), "intro": "", "questions": [
                _q(QuestionKind.RANKING, _("Put these issues in order of importance to you"),
                   help=_("1 is the most important. Rank as many as you like."), required=True,
                   options=[_("Traffic and speeding"), _("Affordable homes"),
                            _("Things for young people"), _("Bus service"), _("Broadband")]),
                _q(QuestionKind.RATING, _("How important is it to keep the village shop open?"),
                   scale=(1, 5, _("Not important"), _("Very important"))),
                _q(QuestionKind.LONG_TEXT, _("Is there an issue missing from the list?")),
            ]},
            _about_you(DimensionKind.AGE, DimensionKind.AREA),
        ],
    },
}


def starter_choices() -> list[tuple[str, str]]:
    return [("", _("Start with a blank survey"))] + [(k, v["label"]) for k, v in STARTERS.items()]
