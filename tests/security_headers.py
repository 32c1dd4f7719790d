"""What every response promises (clp/settings.py: SecurityMiddleware, XFrameOptionsMiddleware and
Django's ContentSecurityPolicyMiddleware with SECURE_CSP), checked on a test client's response.

Every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
`X-Frame-Options: DENY`, `Cross-Origin-Opener-Policy: same-origin` and the strict policy below.
HTML pages also: every <script> carries the response's nonce, and nothing the policy would block
sits in the page (inline event handlers, style attributes, javascript: links), because a browser
would silently drop it and the page would quietly stop working.
"""

import re

import lxml.html

# The policy's promises: directive -> sources it must have, and sources it must never have.
REQUIRED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
NEVER = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}
NONCE = re.compile(r"'nonce-([^']+)'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def problems(response, *, nonce_on_every_script: bool = True) -> list[str]:
    """Every way a response breaks the promises above, in words. The project's own templates put
    the nonce on every <script>; third-party pages (the admin) may instead load same-origin files,
    which 'self' allows, but an inline script always needs the nonce."""
    found = [f"{name}: {response.get(name)!r}, expected {value!r}"
             for name, value in HEADERS.items() if response.get(name) != value]
    header = response.get("Content-Security-Policy")
    if not header:
        return [*found, "no Content-Security-Policy header"]
    csp = policy(header)
    for directive, sources in REQUIRED.items():
        missing = sources - set(csp.get(directive, []))
        if missing:
            found.append(f"CSP {directive} lacks {sorted(missing)}")
    for directive, sources in csp.items():
        allowed = {"img-src": {"data:"}}.get(directive, set())
        if bad := (set(sources) & NEVER) - allowed:
            found.append(f"CSP {directive} allows {sorted(bad)}")
    if "html" in response.get("Content-Type", "") and not response.streaming and response.content:
        found += _page_problems(response.content.decode(), NONCE.findall(" ".join(
            csp.get("script-src", []))), nonce_on_every_script)
    return found


def _same_origin(src: str | None) -> bool:
    return bool(src) and src.startswith("/") and not src.startswith("//")


def _page_problems(html: str, nonces: list[str], nonce_on_every_script: bool) -> list[str]:
    found = []
    doc = lxml.html.fromstring(html)
    for script in doc.iter("script"):
        executable = (script.get("type") or "text/javascript").lower() in (
            "text/javascript", "module", "application/javascript")
        if not executable or (not nonce_on_every_script and _same_origin(script.get("src"))):
            continue
        if not nonces:
            found.append("a <script> but no nonce in the CSP")
        elif script.get("nonce") not in nonces:
            found.append(f"<script src={script.get('src')!r}> without the response's nonce")
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if attribute.lower().startswith("on"):
                found.append(f"<{element.tag} {attribute}=...>: inline handlers are blocked by CSP")
            elif attribute.lower() == "style":
                found.append(f"<{element.tag} style={value!r}>: style attributes are blocked by CSP")
            elif attribute.lower() in ("href", "src", "action", "formaction") and \
                    value.strip().lower().startswith("javascript:"):
                found.append(f"<{element.tag} {attribute}={value!r}>: javascript: URLs are blocked")
    return found


def assert_secure(response, what: str = "") -> None:
    found = problems(response)
    assert not found, f"{what}: " + "; ".join(dict.fromkeys(found))
