"""Topic routing by multilingual embeddings: a message goes to the topic whose description or examples it is
closest to, with a confidence the runtime can act on (ask, answer, or hand off)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from cadre.agents.models import AgentSpec, Topic
from cadre.agents.slots import without_values
from cadre.knowledge.embeddings import Embedder, Vectors

# multilingual-e5 puts every pair of texts between ~0.7 (unrelated) and ~0.95 (paraphrases), so similarity is
# mapped onto 0..1 across that band; a message as close to a topic as its closest paraphrase scores 1.
FLOOR = 0.80
CEILING = 0.90
# A clear winner is worth as much as a high score: the margin over the runner-up tops the confidence up.
MARGIN_FULL = 0.04


@dataclass(frozen=True)
class Route:
    topic: Topic
    score: float  # best cosine similarity to the topic's texts
    confidence: float  # 0..1
    runner_up: Topic | None


class TopicRouter:
    """Routes messages to one agent version's topics; build once per version (topic texts are embedded once)."""

    def __init__(self, spec: AgentSpec, embedder: Embedder) -> None:
        self.spec = spec
        self._embedder = embedder

    @cached_property
    def _index(self) -> tuple[Vectors, list[int]]:
        texts: list[str] = []
        owners: list[int] = []
        for number, topic in enumerate(self.spec.topics):
            for text in [topic.description, *topic.examples]:
                texts.append(without_values(text, name_ids=True))
                owners.append(number)
        # Topic texts are embedded as queries: they are short questions, like the messages they are compared with.
        vectors = np.vstack([self._embedder.embed_query(text) for text in texts])
        return vectors, owners

    def route(self, message: str, *, query_vector: Vectors | None = None) -> Route:
        """The topic `message` is about. Addresses and ids are compared by what they are, not their characters, on
        both sides: "Is invoice INV-1 paid? (ana@example.com)" read as an account question while they counted."""
        vectors, owners = self._index
        about = without_values(message, name_ids=True)
        query = query_vector if query_vector is not None else self._embedder.embed_query(about)
        similarities = vectors @ query
        best = np.full(len(self.spec.topics), -1.0)
        for similarity, owner in zip(similarities.tolist(), owners, strict=True):
            best[owner] = max(best[owner], similarity)
        order = np.argsort(-best)
        top = int(order[0])
        second = int(order[1]) if len(order) > 1 else None
        score = float(best[top])
        level = float(np.clip((score - FLOOR) / (CEILING - FLOOR), 0.0, 1.0))
        margin = score - float(best[second]) if second is not None else MARGIN_FULL
        confidence = min(1.0, level * 0.7 + min(margin / MARGIN_FULL, 1.0) * 0.3)
        return Route(
            topic=self.spec.topics[top],
            score=score,
            confidence=round(confidence, 3),
            runner_up=self.spec.topics[second] if second is not None else None,
        )
