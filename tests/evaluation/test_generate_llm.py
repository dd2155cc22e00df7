"""Generated suites written by a model: facts checked against the passage, malformed answers retried then counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cadre.agents.actions import ActionRegistry
from cadre.agents.specs import AgentVersions
from cadre.cli import _context, app
from cadre.engines.openai_model import Endpoint, OpenAIChatModel
from cadre.errors import ConfigError
from cadre.evaluation.generate import (
    SuiteGenerationError,
    dump_suite,
    generate_suite,
    load_articles,
    model_for,
)
from cadre.evaluation.suites import load_suite
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import Database, open_database
from cadre.testing.fake_openai import FakeOpenAIServer, Reply

ARTICLE = """\
# Refunds

## How long a refund takes

Refunds reach the original card within **14 days** of the request. Bank transfers can take 5 business days more.

## Who can ask for one

Only the account Owner can request a refund, from Settings > Billing > Refunds, for invoices of the last year.
"""
SPEC = """\
name: helper
description: Answers questions about refunds.
role: You answer customers' questions about refunds.
topics:
  - name: refunds
    description: Refunds and who may ask for them.
"""


def answer(question: str, facts: list[str], paraphrase: str = "When is my money back?") -> Reply:
    return Reply(json.dumps({"question": question, "facts": facts, "paraphrase": paraphrase}))


UNKNOWN = Reply(json.dumps({"question": "Will it rain in Lisbon tomorrow?", "again": "Just the forecast, please."}))


def _ingest(db: Database, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "refunds.md").write_text(ARTICLE, encoding="utf-8")
    KnowledgeBase(db).ingest([folder], collection="tiny", language="en")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home = tmp_path_factory.mktemp("generate-llm")
    db = open_database(Settings(home=home))
    _ingest(db, home / "kb")
    yield db
    db.close()


def _model(server: FakeOpenAIServer) -> OpenAIChatModel:
    return OpenAIChatModel([Endpoint(base_url=server.base_url, model="fake-model", max_retries=0)])


def test_cases_are_written_from_passages_and_bad_answers_are_retried_dropped_and_counted(
    tiny: Database, tmp_path: Path
) -> None:
    # The short article is one passage (chunk 0): every question is written from it, in turn.
    script = [
        Reply("Sure! Here is a good question about refunds."),  # not JSON: asked again
        answer("How long until my refund arrives?", ["14 days"]),
        answer("Who can ask for a refund?", ["the account Admin"]),  # the passage says Owner: dropped
        Reply('{"question": "How long?", "facts": ["14 days"'),  # cut short: asked again
        Reply('{"question": "How long?"}'),  # still not the shape: skipped
        answer("Where do I request a refund?", ["Settings > Billing > Refunds"], "Where is the refund form?"),
        Reply('```json\n{"question": "Is it 14 days?", "facts": ["14 days"], "paraphrase": "14 days?"}\n```'),
        answer("Can anyone in my team request a refund?", ["account Owner"]),
        answer("How much longer does a bank transfer take?", ["5 business days"]),
        UNKNOWN,
    ]
    with FakeOpenAIServer(*script) as server:
        made = generate_suite(tiny, collection="tiny", agent="helper", count=6, languages=["en"], model=_model(server))
        requests = server.requests
    assert len(requests) == 10
    assert made.counts["skipped"] == {"malformed": 1, "facts_not_in_passage": 1, "facts_in_question": 1}
    assert (made.counts["method"], made.counts["model"], made.counts["model_calls"]) == ("llm", "fake-model", 10)
    assert made.counts["by_kind"] == {"section": 4, "paraphrase": 1, "not-in-kb": 1}
    first = requests[0].messages[-1]["content"]
    assert "Refunds reach the original card within **14 days**" in first and "in English" in first
    retry = requests[1].messages
    assert retry[-2]["content"] == "Sure! Here is a good question about refunds."
    assert retry[-1]["content"].startswith("That is not the JSON object asked for")

    sections = {s.ordinal: s for a in load_articles(tiny, "tiny") for s in a.sections}
    written = [c for c in made.suite.cases if "section" in c.tags]
    assert [c.turns[0].user for c in written] == [
        "How long until my refund arrives?",
        "Where do I request a refund?",
        "Can anyone in my team request a refund?",
        "How much longer does a bank transfer take?",
    ]
    for case in written:
        assert case.made_by is not None and case.made_by.startswith("llm: fake-model wrote it from article 'refunds'")
        ordinal = int(case.made_by.split("chunk ")[1].split(" ")[0])
        expect = case.turns[0].expect
        assert all(
            isinstance(f, str) and f.replace("*", "") in sections[ordinal].text.replace("*", "") for f in expect.facts
        )
        assert (expect.language, expect.cited, expect.no_actions, expect.handoff) == ("en", True, True, False)
    [unknown] = [c for c in made.suite.cases if "not-in-kb" in c.tags]
    assert [t.user for t in unknown.turns] == ["Will it rain in Lisbon tomorrow?", "Just the forecast, please."]
    assert unknown.turns[1].expect.handoff is True

    path = tmp_path / "written.yaml"
    dump_suite(made.suite, path, header=made.header)
    assert load_suite(path) == made.suite
    assert path.read_text(encoding="utf-8").startswith("# Generated by `cadre eval generate --method llm`")


def test_a_model_that_never_answers_in_json_writes_no_suite(tiny: Database) -> None:
    with FakeOpenAIServer(default=Reply("I would rather chat.")) as server:
        with pytest.raises(SuiteGenerationError, match=r"at least one usable case, got none: \{'malformed': 3"):
            generate_suite(tiny, collection="tiny", agent="helper", count=1, model=_model(server))
        assert len(server.requests) == 6  # three passages tried, each asked twice


def test_the_method_picks_the_model() -> None:
    model = OpenAIChatModel([Endpoint(base_url="http://127.0.0.1:9/v1", model="m")])
    assert model_for("auto", model) is model
    assert model_for("auto", None) is None
    assert model_for("offline", model) is None
    with pytest.raises(ConfigError, match="--method llm needs an LLM"):
        model_for("llm", None)


def test_the_command_uses_the_configured_llm_and_reports_what_it_skipped(
    cadre_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ingest(_context.database(), tmp_path / "kb")
    spec = tmp_path / "helper.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    AgentVersions(_context.database(), ActionRegistry()).deploy(spec)
    out = tmp_path / "suite.yaml"
    args = ["eval", "generate", "--collection", "tiny", "--agent", "helper", "--count", "2", "--out", str(out)]
    runner = CliRunner()

    def invoke(*extra: str) -> tuple[int, str, str]:
        _context.reset()
        result = runner.invoke(app, [*args, *extra], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    code, _, stderr = invoke("--method", "llm")
    assert code == 2
    assert "--method llm needs an LLM" in stderr
    code, stdout, _ = invoke("--json")  # auto, and no LLM: offline
    assert code == 0
    assert json.loads(stdout)["method"] == "offline"
    script = [answer("How long does a refund take?", ["14 days"]), answer("Who may ask?", ["Jane"])]
    with FakeOpenAIServer(*script, default=answer("Who can ask for a refund?", ["account Owner"])) as server:
        monkeypatch.setenv("CADRE_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("CADRE_LLM_MODEL", "fake-model")
        code, stdout, _ = invoke("--json")
        assert code == 0
        body = json.loads(stdout)
        assert (body["method"], body["model"], body["cases"], body["model_calls"]) == ("llm", "fake-model", 2, 3)
        assert body["skipped"]["facts_not_in_passage"] == 1
        code, stdout, _ = invoke()
        assert code == 0
        assert "written by fake-model" in stdout
    assert all(c.made_by and c.made_by.startswith("llm: fake-model") for c in load_suite(out).cases)
