"""Redact anything that looks like a secret before it is stored or shown."""

from __future__ import annotations

import re

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("private-key", re.compile(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----.*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\Z)", re.S)),
    ("kaggle", re.compile(r"\bKGAT_[A-Za-z0-9]{16,}")),
    ("kaggle", re.compile(r"(?<=[\"']key[\"']:)\s*[\"'][0-9a-f]{32}[\"']|(?<=[\"']key[\"']: )[\"'][0-9a-f]{32}[\"']")),
    ("openai", re.compile(r"\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_\-]{20,}")),
    ("huggingface", re.compile(r"\bhf_[A-Za-z0-9]{20,}")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("github", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("slack", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("google", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}")),
]
# key = value / "key": "value" assignments whose name says secret
_ASSIGNMENT = re.compile(
    r"""(?ix)
    (\b[\w.-]*(?:api[_-]?key|secret(?:[_-]?access)?[_-]?key|secret|token|passw(?:or)?d|pwd|kaggle[_-]?key)["']?\s*[:=]\s*)
    (["']?)([^\s"',;]{8,})(\2)
    """
)


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

    def _assign(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(3).startswith("[REDACTED"):
            return m.group(0)
        count += 1
        return f"{m.group(1)}{m.group(2)}[REDACTED:secret]{m.group(4)}"

    text = _ASSIGNMENT.sub(_assign, text)
    return text, count
