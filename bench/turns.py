"""Turn latency: the offline engine on the sample company, and the runtime's overhead around an LLM.

    .venv/bin/python -m bench.turns [--languages en,es,de,ja] [--per-language 15] [--out bench/results/turns.json]

The sample service agent (`cadre/sample/agents/service.yaml`) runs on the small sample company over its help
centre (the chosen languages, ingested once and scanned for instructions aimed at a model, as `cadre demo` and
the ingest job do). Questions are the articles' own titles in each language, each asked in a fresh conversation,
warm, in-process; turns are persisted to SQLite as in production.

Overhead: the same turns on the `openai` engine against a local OpenAI-compatible server that answers at once
(`cadre.testing.fake_openai`). Every model call is timed from the engine's side, so the runtime's own cost is
the turn minus retrieval minus the model; the embedding inference the runtime does itself (topic routing, the
injection scans of the message and the passages, grounding) is reported beside it, and the rest is orchestration:
language detection, PII masking, the engine's loop, the store.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results" / "turns.json"
OVERHEAD_TARGET_MS = 5.0


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _questions(help_centre: Path, languages: Sequence[str], per_language: int) -> list[str]:
    from cadre.knowledge.readers import read_documents

    questions: list[str] = []
    for language in languages:
        titles = sorted(
            doc.title
            for path in sorted((help_centre / language).glob("*.md"))
            for doc in read_documents(path)
            if not isinstance(doc, Exception)
        )
        step = max(1, len(titles) // per_language)
        questions += titles[::step][:per_language]
    return questions


class _TimedModel:
    """A chat model wrapper that adds up the time spent inside model calls."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.name = model.name
        self.seconds = 0.0

    def complete(self, messages: Any, *, tools: Any = (), on_text: Any = None, temperature: Any = None) -> Any:
        started = time.perf_counter()
        try:
            return self.model.complete(messages, tools=tools, on_text=on_text, temperature=temperature)
        finally:
            self.seconds += time.perf_counter() - started


def run(languages: Sequence[str] = ("en", "es", "de", "ja"), per_language: int = 15) -> dict[str, Any]:
    from cadre.agents.registry import load_actions
    from cadre.agents.runtime import TurnRequest
    from cadre.agents.setup import build_runtime
    from cadre.agents.specs import AgentVersions
    from cadre.data.service import DataService
    from cadre.engines.llm import LLMEngine
    from cadre.engines.openai_model import Endpoint, OpenAIChatModel
    from cadre.knowledge.service import KnowledgeBase
    from cadre.sample.install import install_sample
    from cadre.settings import Settings
    from cadre.store import open_database
    from cadre.testing.fake_openai import FakeOpenAIServer, Reply

    with tempfile.TemporaryDirectory() as tmp, as_file(files("cadre.sample")) as sample:
        home = Path(tmp)
        settings = Settings(home=home)
        db = open_database(settings)
        kb = KnowledgeBase(db)
        # The sample company itself, so a question that reaches an action (an invoice, a subscription) runs it.
        data = DataService(settings, db)
        install_sample(data, size="small", seed=7)
        started = time.perf_counter()
        kb.ingest([Path(sample) / "kb" / "help" / language for language in languages], collection="help")
        ingest_s = time.perf_counter() - started
        kb.scan("help")  # as `cadre demo` and the ingest job do: turns read the passages' stored injection scores
        actions = load_actions()
        spec_text = (Path(sample) / "agents" / "service.yaml").read_text(encoding="utf-8")
        offline_spec = home / "service.yaml"
        offline_spec.write_text(spec_text, encoding="utf-8")
        AgentVersions(db, actions).deploy(offline_spec)
        questions = _questions(Path(sample) / "kb" / "help", languages, per_language)

        runtime = build_runtime(settings, db, kb, data=data, actions=actions)
        # Warm: models loaded, classifiers ready. The warm-up texts differ from the measured ones, so no
        # measured turn finds its message's embedding already remembered.
        warm_up = [f"{question} ?" for question in questions[:5]]
        for question in warm_up:
            runtime.run_turn(TurnRequest(agent="service", message=question))
        offline = [runtime.run_turn(TurnRequest(agent="service", message=q)) for q in questions]

        llm_spec = home / "service-llm.yaml"
        llm_spec.write_text(spec_text.replace("engine: offline", "engine: openai"), encoding="utf-8")
        with FakeOpenAIServer(default=Reply("Here is how to do it [1].", input_tokens=900, output_tokens=40)) as server:
            timed = _TimedModel(OpenAIChatModel([Endpoint(base_url=server.base_url, model="gpt-4o-mini")]))
            fresh = KnowledgeBase(db)  # its own query memory: the offline run's must not serve these turns
            llm_runtime = build_runtime(
                settings, db, fresh, data=data, actions=actions, engines={"openai": LLMEngine(timed)}
            )
            AgentVersions(db, actions).deploy(llm_spec)
            for question in warm_up:
                llm_runtime.run_turn(TurnRequest(agent="service", message=question))
            overheads: list[dict[str, float]] = []
            llm_stages: list[dict[str, float]] = []
            for question in questions:
                before = timed.seconds
                result = llm_runtime.run_turn(TurnRequest(agent="service", message=question))
                model_ms = (timed.seconds - before) * 1000
                stages = result.timings_ms
                llm_stages.append(stages)
                beyond_retrieval_and_model = result.latency_ms - stages.get("retrieval", 0.0) - model_ms
                # Guardrail and routing stages whose cost is the embedding model (or the injection classifier on it).
                embedding = sum(stages.get(k, 0.0) for k in ("routing", "injection", "document_injection", "grounding"))
                overheads.append(
                    {
                        "turn_ms": result.latency_ms,
                        "model_ms": model_ms,
                        "retrieval_ms": stages.get("retrieval", 0.0),
                        "overhead_ms": beyond_retrieval_and_model,
                        "embedding_ms": embedding,
                        "orchestration_ms": beyond_retrieval_and_model - embedding,
                    }
                )
        data.close()
        db.close()

    latencies = [r.latency_ms for r in offline]
    stage_names = sorted({k for r in offline for k in r.timings_ms})
    outcomes: dict[str, int] = {}
    for r in offline:
        key = "handed_off" if r.handoff else r.outcome
        outcomes[key] = outcomes.get(key, 0) + 1

    def column(name: str) -> list[float]:
        return [o[name] for o in overheads]

    return {
        "setup": {
            "agent": "sample service agent (offline engine)",
            "languages": list(languages),
            "questions": len(questions),
            "question_source": "help-centre article titles, one fresh conversation each",
            "ingest_seconds": round(ingest_s, 1),
        },
        "offline": {
            "p50_ms": _percentile(latencies, 0.5),
            "p95_ms": _percentile(latencies, 0.95),
            "stages_p50_ms": {s: _percentile([r.timings_ms.get(s, 0.0) for r in offline], 0.5) for s in stage_names},
            "outcomes": outcomes,
            "cited_share": round(sum(1 for r in offline if r.citations) / len(offline), 3),
            "not_cited": [
                {"question": q, "outcome": r.outcome, "topic": r.topic, "actions": [a["name"] for a in r.actions]}
                for q, r in zip(questions, offline, strict=True)
                if not r.citations
            ],
        },
        "llm_overhead": {
            "method": "openai engine against a local OpenAI-compatible server that answers at once",
            "turn_p50_ms": _percentile(column("turn_ms"), 0.5),
            "model_p50_ms": _percentile(column("model_ms"), 0.5),
            "retrieval_p50_ms": _percentile(column("retrieval_ms"), 0.5),
            "overhead_p50_ms": _percentile(column("overhead_ms"), 0.5),
            "overhead_p95_ms": _percentile(column("overhead_ms"), 0.95),
            "of_which_embedding_p50_ms": _percentile(column("embedding_ms"), 0.5),
            "orchestration_p50_ms": _percentile(column("orchestration_ms"), 0.5),
            "stages_p50_ms": {
                s: _percentile([t.get(s, 0.0) for t in llm_stages], 0.5)
                for s in sorted({k for t in llm_stages for k in t})
            },
            "target": {"overhead_p50_ms": OVERHEAD_TARGET_MS},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languages", default="en,es,de,ja")
    parser.add_argument("--per-language", type=int, default=15)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    result = run(tuple(args.languages.split(",")), args.per_language)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
