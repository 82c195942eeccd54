"""Redact anything that looks like a secret before it is stored or shown.

Two layers: our own patterns (formats the maintained detector lacks or catches only partly: Kaggle
``KGAT_``, ``os.environ[...] = '…'``, passwords in URLs, ``.netrc``, quoted passwords with spaces, Bearer
tokens, provider prefixes such as ``glpat-``, ``npm_``, ``hvs.``, ``dckr_pat_``), then Yelp's
`detect-secrets <https://github.com/Yelp/detect-secrets>`_ (its format plugins and keyword detector; the
high-entropy plugins are left out: they fire on hashes and numbers in course text). Every value found is
replaced by ``[REDACTED:<kind>]``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

log = logging.getLogger(__name__)

_SECRET_NAME = r"[\w.-]*(?:api[_-]?key|access[_-]?key|secret(?:[_-]?access)?[_-]?key|secret|token|passw(?:or)?d|pwd|passphrase|kaggle[_-]?key|credentials?|auth)"  # noqa: E501

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("private-key", re.compile(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?"
        r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)", re.S)),
    ("kaggle", re.compile(r"\bKGAT_[A-Za-z0-9]{16,}")),
    ("kaggle", re.compile(r"(?<=[\"']key[\"']:)\s*[\"'][0-9a-f]{32}[\"']|(?<=[\"']key[\"']: )[\"'][0-9a-f]{32}[\"']")),
    ("stripe", re.compile(r"\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}")),
    ("openai", re.compile(r"\bsk-(?:proj-|ant-(?:api\d\d-)?|live-|test-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}")),
    ("huggingface", re.compile(r"\bhf_[A-Za-z0-9]{20,}")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")),
    ("github", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("gitlab", re.compile(r"\bgl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent)-[A-Za-z0-9_\-]{20,}")),
    ("slack", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("slack-webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,}")),
    ("discord-webhook", re.compile(r"https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]{30,}")),
    ("google", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}")),
    ("google-oauth", re.compile(r"\bGOCSPX-[A-Za-z0-9_-]{20,}|\b1//0[A-Za-z0-9_-]{40,}|\bya29\.[A-Za-z0-9_-]{30,}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}")),
    ("npm", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("pypi", re.compile(r"\bpypi-AgE[A-Za-z0-9_-]{50,}")),
    ("telegram", re.compile(r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b")),
    ("sendgrid", re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b")),
    ("twilio", re.compile(r"\bSK[0-9a-f]{32}\b")),
    ("mailgun", re.compile(r"\bkey-[0-9a-f]{32}\b")),
    ("mailchimp", re.compile(r"\b[0-9a-f]{32}-us\d{1,2}\b")),
    ("shopify", re.compile(r"\bshp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}\b")),
    ("docker", re.compile(r"\bdckr_pat_[A-Za-z0-9_-]{20,}")),
    ("digitalocean", re.compile(r"\bdo[opr]_v1_[0-9a-f]{64}\b")),
    ("square", re.compile(r"\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,}")),
    ("databricks", re.compile(r"\bdapi[0-9a-f]{32}(?:-\d)?\b")),
    ("atlassian", re.compile(r"\bATATT3[A-Za-z0-9_\-=]{30,}")),
    ("linear", re.compile(r"\blin_api_[A-Za-z0-9]{32,}")),
    ("notion", re.compile(r"\b(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,})\b")),
    ("postman", re.compile(r"\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\b")),
    ("grafana", re.compile(r"\bgl(?:sa|c)_[A-Za-z0-9_=+/-]{32,}")),
    ("vault", re.compile(r"\bhv[sbr]\.[A-Za-z0-9_-]{24,}")),
    ("terraform", re.compile(r"\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}")),
    ("newrelic", re.compile(r"\bNR(?:AK|II|JS)-[A-Za-z0-9]{27,}")),
    ("age", re.compile(r"\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b")),
    ("replicate", re.compile(r"\br8_[A-Za-z0-9]{37}\b")),
    ("groq", re.compile(r"\bgsk_[A-Za-z0-9]{48,}")),
    ("perplexity", re.compile(r"\bpplx-[A-Za-z0-9]{40,}")),
    ("sentry", re.compile(r"\bsntrys_[A-Za-z0-9+/=_-]{40,}")),
    ("azure-storage", re.compile(r"(?<=AccountKey=)[A-Za-z0-9+/]{40,}={0,2}")),
    ("azure-sas", re.compile(r"(?<=[?&]sig=)[A-Za-z0-9%+/]{30,}={0,2}")),
]
# values kept in group 2 (group 1 and 3 stay)
_CONTEXT: list[tuple[str, re.Pattern[str]]] = [
    ("url-password", re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/\s@\"'<>]*:)([^@\s/\"'<>]{3,})(@)", re.I)),
    ("environ", re.compile(
        r"""((?:environ(?:\.setdefault\(|\[)|putenv\(|setenv\()\s*["'][A-Za-z0-9_]*(?:KEY|TOKEN|SECRET|PASS|PWD|"""
        r"""AUTH|CRED)[A-Za-z0-9_]*["']\s*(?:\]\s*=|,)\s*["'])([^"'\n]{4,})(["'])""", re.I)),
    ("netrc", re.compile(r"(^[ \t]*(?:(?:machine|default)\b[^\n]*?)?\b(?:password|passwd)[ \t]+)(\S{4,})()",
                         re.I | re.M)),
    ("bearer", re.compile(r"(\b(?:Bearer|Token|Basic)[ \t]+)([A-Za-z0-9\-._~+/]{16,}=*)()")),
    ("secret", re.compile(rf"""(?ix)(\b{_SECRET_NAME}["']?\s*[:=]\s*)(["'])([^"'\n]{{4,}})(\2)""")),
]
_ASSIGNMENT = re.compile(rf"""(?ix)(\b{_SECRET_NAME}["']?\s*[:=]\s*)([^\s"',;]{{8,}})()""")
_DETECT_EXCLUDED = {"Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"}
_WINDOW = 4000


def redact(text: str) -> tuple[str, int]:
    """Replace secrets with ``[REDACTED:<kind>]``.

    Returns
    -------
    (text, count)
        The redacted text and the number of secrets replaced.

    Examples
    --------
    >>> redact("token sk-abcdefghijklmnopqrstuvwx")[0]
    'token [REDACTED:openai]'
    """
    count = 0
    for kind, pattern in _PATTERNS:
        text, n = pattern.subn(f"[REDACTED:{kind}]", text)
        count += n
    for kind, pattern in _CONTEXT:
        text, n = _sub_value(pattern, kind, text)
        count += n
    text, n = _sub_value(_ASSIGNMENT, "secret", text)
    count += n
    found = sorted({v for v in _detected(text) if len(v) >= 6 and "REDACTED" not in v}, key=len, reverse=True)
    for value in found:
        text, n = re.subn(re.escape(value), "[REDACTED:detect-secrets]", text)
        count += n
    return text, count


def _sub_value(pattern: re.Pattern[str], kind: str, text: str) -> tuple[str, int]:
    """Replace the value group (the last-but-one group) of each match, keeping the context around it."""
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        groups = m.groups()
        value = groups[-2]
        if value.startswith("[REDACTED") or value.strip() in {"", "None", "null", "***", "<redacted>"}:
            return m.group(0)
        count += 1
        return "".join(groups[:-2]) + f"[REDACTED:{kind}]" + groups[-1]

    return pattern.sub(repl, text), count


@lru_cache(maxsize=1)
def _plugins() -> list[dict[str, str]]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    classes: list[type] = list(get_mapping_from_secret_type_to_class().values())
    names = {cls.__name__ for cls in classes}
    return [{"name": name} for name in sorted(names - _DETECT_EXCLUDED)]


def _detected(text: str) -> Iterator[str]:
    """Secret values ``detect-secrets`` finds, line by line (long lines in overlapping windows)."""
    try:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import transient_settings
    except ImportError:  # pragma: no cover - a pinned dependency; our own patterns still apply
        log.warning("detect-secrets is not installed: only quant-tutor's own secret patterns apply")
        return
    with transient_settings({"plugins_used": _plugins()}):
        for line in text.splitlines():
            if len(line) < 8 or line.isspace():
                continue
            for start in range(0, max(len(line) - 200, 1), _WINDOW - 200):
                for secret in scan_line(line[start:start + _WINDOW]):
                    if secret.secret_value:
                        yield secret.secret_value
