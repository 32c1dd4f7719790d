"""Taking out what could identify someone before residents' words are published.

Patterns catch what patterns can (email addresses, phone numbers, postcodes, street addresses,
house numbers, titled names); what they cannot be sure of (a name without a title, say) is only
pointed out, so the volunteer who approves the text decides. Nothing here is a guarantee: the
volunteer always reads the text before it is published.
"""

import re

REMOVED = "[removed]"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# UK numbers: 07700 900123, +44 7700 900123, (01632) 960 001, 020 7946 0018, 01632-960001.
PHONE = re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\(0|\b0)\d(?:[\s\-)]{0,2}\d){8,9}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
STREET_WORDS = ("Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Court|Ct|Crescent|Gardens|"
                "Place|Terrace|Grove|Hill|Row|Mews|View|Walk|Square|Rise|Park|Green|Meadow|Meadows|"
                "Fields|Cottages|Farm|Yard")
STREET_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:[A-Z][\w'-]*\s+){{1,3}}(?:{STREET_WORDS})\b")
HOUSE_NUMBER = re.compile(r"\b(?:at\s+)?(?:number|no\.|flat|house)\s*\d{1,4}[a-zA-Z]?\b", re.IGNORECASE)
TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Rev|Revd|Cllr|Sir|Lady)\.?\s+"
                         r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}")
PATTERNS = (EMAIL, PHONE, POSTCODE, STREET_ADDRESS, HOUSE_NUMBER, TITLED_NAME)

# Two capitalised words together, not starting a sentence: often a person's name.
POSSIBLE_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z'-]+\s+[A-Z][a-z'-]+\b")
# Capitalised words that are not names: months, days, common places in a community plan.
NOT_NAMES = {"January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
             "Thursday", "Friday", "Saturday", "Sunday", "Parish", "Council", "Village", "Hall",
             "Church", "School", "Post", "Office", "Green", "Road", "Lane", "Street", "Park"}


def redact(text: str) -> str:
    """A first pass the volunteer then checks: everything the patterns catch is taken out."""
    for pattern in PATTERNS:
        text = pattern.sub(REMOVED, text)
    return text


def identifying_bits(text: str) -> list[str]:
    """The parts of `text` that may identify someone, in the order they appear."""
    found = []
    for pattern in PATTERNS:
        found += [(m.start(), m.group(0)) for m in pattern.finditer(text)]
    for match in POSSIBLE_NAME.finditer(text):
        words = match.group(0).split()
        if not any(word in NOT_NAMES for word in words):
            found.append((match.start(), match.group(0)))
    seen, bits = set(), []
    for _start, bit in sorted(found):
        if bit not in seen:
            seen.add(bit)
            bits.append(bit)
    return bits
