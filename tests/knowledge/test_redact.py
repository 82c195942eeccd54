import pytest

from knowledge.redact import redact

SECRETS = [
    ("KAGGLE_KEY=KGAT_a1b2c3d4e5f6a7b8c9d0e1f2", "KGAT_a1b2c3d4e5f6a7b8c9d0e1f2"),
    ("openai sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
    ("token hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
    ("aws AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "b3BlbnNzaC1rZXktdjEAAAAA"),
    ('{"username": "me", "key": "0123456789abcdef0123456789abcdef"}', "0123456789abcdef0123456789abcdef"),
    ("password = hunter2hunter2", "hunter2hunter2"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_secrets_are_redacted(text: str, secret: str) -> None:
    out, n = redact(text)
    assert secret not in out
    assert n >= 1
    assert "[REDACTED:" in out


def test_ordinary_text_is_untouched() -> None:
    text = "La VaR à 99 % vaut 2.33 sigma ; le skew-t et le token <eos> ne sont pas des secrets."
    assert redact(text) == (text, 0)
