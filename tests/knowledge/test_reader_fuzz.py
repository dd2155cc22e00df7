"""Whatever bytes a knowledge file holds, reading it gives documents or says, per file or line, why it can't: a
broken file never stops an ingestion or crashes it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.knowledge.models import SourceDocument
from cadre.knowledge.readers import SUFFIXES, UnreadableFile, read_documents

# Fragments that steer generated files into each format's interesting corners.
FRAGMENTS = st.sampled_from(
    [
        b"---\n",
        b"title: x\nid: a\nlanguage: fr\n",
        b"title: [unclosed\n",
        b"# Heading\n",
        b"<html><body><h1>T</h1><p>text</p>",
        b"<script>alert(1)</script>",
        b'{"id": "a", "title": "t", "text": "body"}\n',
        b'{"id": 1}\n',
        b"[1, 2]\n",
        b"%PDF-1.4\n",
        b"\x00\xff\xfe",
        "é日本語".encode(),
        b"\n\n",
    ]
)
CONTENT = st.lists(st.one_of(FRAGMENTS, st.binary(max_size=40)), max_size=8).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(SUFFIXES)), CONTENT)
def test_any_file_is_read_or_refused_with_a_reason(suffix: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(content)
        for item in read_documents(path, root=Path(folder)):
            if isinstance(item, UnreadableFile):
                assert str(path) in str(item) or "line" in str(item), item
            else:
                assert isinstance(item, SourceDocument)
                assert item.text.strip() and item.doc_id
