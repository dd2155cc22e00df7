"""Read Markdown, HTML, PDF, plain text and JSONL files into source documents.

Every reader turns its format into Markdown-ish text (headings as `#` lines) so one chunker serves all.
A file that cannot be read raises `UnreadableFile` naming it; the caller skips it and carries on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import yaml

from cadre.errors import CadreError
from cadre.knowledge.models import SourceDocument

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
}


class UnreadableFile(CadreError):
    """One input file (or one line of a JSONL file) could not be read."""


def collect_files(paths: list[Path]) -> list[Path]:
    """The supported files under `paths` (folders are walked), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            raise CadreError(f"no file or folder at {str(path)!r}")
    return found


def read_documents(path: Path, *, root: Path | None = None) -> Iterator[SourceDocument | UnreadableFile]:
    """The documents in one file; problems are yielded (not raised) so a JSONL file's good lines still land."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        yield UnreadableFile(f"{path}: unsupported file type {path.suffix!r} (use {', '.join(sorted(SUFFIXES))})")
        return
    default_id = _default_id(path, root)
    try:
        if kind == "jsonl":
            yield from _jsonl(path)
            return
        if kind == "pdf":
            yield _pdf(path, default_id)
            return
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        yield UnreadableFile(f"{path}: not UTF-8 text")
        return
    except UnreadableFile as exc:
        yield exc
        return
    except OSError as exc:
        yield UnreadableFile(f"{path}: cannot be read ({exc.strerror or exc})")
        return
    if "\x00" in text:
        yield UnreadableFile(f"{path}: looks binary, not {kind}")
        return
    try:
        if kind == "markdown":
            yield _markdown(text, default_id, path)
        elif kind == "html":
            yield _html(text, default_id, path)
        else:
            yield _text(text, default_id, path)
    except UnreadableFile as exc:
        yield exc


def _default_id(path: Path, root: Path | None) -> str:
    relative = path.relative_to(root) if root is not None and path.is_relative_to(root) else Path(path.name)
    return relative.with_suffix("").as_posix()


def _require_text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UnreadableFile(f"{where}: must be a non-empty string, got {value!r}")
    return value


FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


def _markdown(text: str, default_id: str, path: Path) -> SourceDocument:
    meta: dict[str, Any] = {}
    match = FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise UnreadableFile(f"{path}: front matter is not valid YAML ({exc})") from exc
        if not isinstance(loaded, dict):
            raise UnreadableFile(f"{path}: front matter must be a mapping of fields")
        meta, text = loaded, text[match.end() :]
    heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
    title = str(meta.get("title") or (heading.group(1).strip() if heading else path.stem))
    if not text.strip():
        raise UnreadableFile(f"{path}: has no text")
    return SourceDocument(
        doc_id=str(meta.get("id") or default_id),
        title=title,
        text=text.strip(),
        url=_opt(meta.get("url")),
        language=_opt(meta.get("language")),
        updated_at=_opt(meta.get("updated_at")),
        source=str(path),
    )


def _opt(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


class _HtmlToMarkdown(HTMLParser):
    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "li",
        "tr",
        "br",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "pre",
        "blockquote",
    }
    SKIP: ClassVar[set[str]] = {"script", "style", "nav", "footer", "head", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.heading: int | None = None
        self.title: str | None = None
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skip_depth += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.heading = int(tag[1])
        elif tag in self.BLOCKS:
            self._flush()
            if tag == "li":
                self.current.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title = (self.title or "") + data.strip()
        elif not self.skip_depth:
            self.current.append(data)

    def _flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line and line != "-":
            self.lines.append(("#" * self.heading + " " + line) if self.heading else line)
        self.current, self.heading = [], None

    def markdown(self) -> str:
        self._flush()
        return "\n\n".join(self.lines)


def _html(text: str, default_id: str, path: Path) -> SourceDocument:
    parser = _HtmlToMarkdown()
    parser.feed(text)
    parser.close()
    body = parser.markdown()
    if not body:
        raise UnreadableFile(f"{path}: has no readable text")
    lang = re.search(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", text, re.IGNORECASE)
    heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
    title = parser.title or (heading.group(1) if heading else path.stem)
    return SourceDocument(
        doc_id=default_id, title=title, text=body, language=lang.group(1).lower() if lang else None, source=str(path)
    )


def _text(text: str, default_id: str, path: Path) -> SourceDocument:
    if not text.strip():
        raise UnreadableFile(f"{path}: has no text")
    first = text.strip().splitlines()[0].strip()
    return SourceDocument(doc_id=default_id, title=first[:200], text=text.strip(), source=str(path))


def _pdf(path: Path, default_id: str) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise UnreadableFile(f"{path}: not a readable PDF ({exc})") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise UnreadableFile(f"{path}: the PDF has no extractable text (scanned pages need OCR first)")
    return SourceDocument(doc_id=default_id, title=title or text.splitlines()[0][:200], text=text, source=str(path))


def _jsonl(path: Path) -> Iterator[SourceDocument | UnreadableFile]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise UnreadableFile(f"{where}: each line must be a JSON object")
                yield SourceDocument(
                    doc_id=_require_text(str(record.get("id") or ""), f"{where}: `id`"),
                    title=_require_text(record.get("title"), f"{where}: `title`"),
                    text=_require_text(record.get("text"), f"{where}: `text`"),
                    url=_opt(record.get("url")),
                    language=_opt(record.get("language")),
                    updated_at=_opt(record.get("updated_at")),
                    source=where,
                )
            except json.JSONDecodeError as exc:
                yield UnreadableFile(f"{where}: not valid JSON ({exc.msg})")
            except UnreadableFile as exc:
                yield exc
