import pytest

from knowledge.errors import IngestError
from knowledge.textio import decode_bytes

ORIGINAL = "# 🚀 Roadmap : Mathématiques → Modèles\n- [ ] Théorème de Bayes ✅ «ok» ‘quote’ — fin 📅\n"


@pytest.mark.parametrize("codec", ["mac_roman", "cp1252"])
def test_mojibake_is_repaired_with_emoji_and_arrows(codec: str) -> None:
    if codec == "cp1252":
        broken = ORIGINAL.encode("utf-8").decode("cp1252", errors="replace")
        broken = ORIGINAL.encode("utf-8").decode("latin-1").encode("latin-1").decode("cp1252", errors="ignore")
        broken = "".join(
            bytes([b]).decode("cp1252", errors="strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
            for b in ORIGINAL.encode("utf-8")
        )
    else:
        broken = ORIGINAL.encode("utf-8").decode(codec)
    assert broken != ORIGINAL
    assert decode_bytes(broken.encode("utf-8")) == ORIGINAL


def test_clean_utf8_is_unchanged() -> None:
    assert decode_bytes(ORIGINAL.encode("utf-8")) == ORIGINAL


def test_binary_is_rejected() -> None:
    with pytest.raises(IngestError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")


def test_seed_files_are_repaired(seeds_dir) -> None:
    from knowledge.textio import read_text

    texts = {p.name[:3]: read_text(p) for p in seeds_dir.glob("*.txt")}
    assert "Mathématiques" in texts["003"] and "√©" not in texts["003"]
    assert "🚀 Roadmap: De Zéro à Expert LLM" in texts["003"]
    assert "← Ce fichier" in texts["003"] and "→" in texts["003"]
    assert "📅" in texts["001"] and "Math√" not in texts["001"]
    assert "Mathématiques pour le Machine Learning" in texts["000"]
