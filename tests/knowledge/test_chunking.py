from knowledge.chunking import chunk_markdown, split_front_matter


def test_front_matter_is_parsed_and_removed() -> None:
    meta, body = split_front_matter('---\nphase: "7"\nchapter: "37"\nprerequisites: ["08", "11"]\n---\n# T\ntext')
    assert meta == {"phase": "7", "chapter": "37", "prerequisites": "08,11"}
    assert body == "# T\ntext"


def test_chunks_follow_heading_paths() -> None:
    text = "# Ch\n\nintro text here\n\n## A\n\nalpha text\n\n### A1\n\ndeep text\n\n## B\n\nbeta text\n"
    chunks = chunk_markdown(text, size=500)
    assert [(c.heading, c.text) for c in chunks] == [
        ("Ch", "intro text here"),
        ("Ch > A", "alpha text"),
        ("Ch > A > A1", "deep text"),
        ("Ch > B", "beta text"),
    ]


def test_code_fence_is_never_cut_even_when_larger_than_size() -> None:
    code = "```python\n" + "\n".join(f"x{i} = {i}" for i in range(80)) + "\n\n# comment, not a heading\n```"
    text = f"# T\n\nbefore\n\n{code}\n\nafter"
    chunks = chunk_markdown(text, size=200, overlap=0)
    fenced = [c for c in chunks if "```python" in c.text]
    assert len(fenced) == 1
    assert fenced[0].text.count("```") == 2 and "x79 = 79" in fenced[0].text
    assert all(c.heading == "T" for c in chunks)  # the '#' inside the fence is not a heading


def test_unclosed_fence_at_end_of_file_stays_whole() -> None:
    text = "# T\n\nintro\n\n```python\nprint(1)\n\n\nprint(2)\n# still code"
    chunks = chunk_markdown(text, size=20, overlap=0)
    assert [c.text for c in chunks] == ["intro", "```python\nprint(1)\n\n\nprint(2)\n# still code"]
    merged = chunk_markdown(text, size=1000)
    assert len(merged) == 1 and merged[0].text.endswith("print(2)\n# still code")


def test_long_sections_split_at_paragraphs() -> None:
    paras = [f"paragraph {i}" + " word" * 40 for i in range(10)]
    chunks = chunk_markdown("# T\n\n" + "\n\n".join(paras), size=600, overlap=0)
    assert len(chunks) > 1
    assert all(len(c.text) <= 600 for c in chunks)
    assert "\n\n".join(c.text for c in chunks) == "\n\n".join(paras)
