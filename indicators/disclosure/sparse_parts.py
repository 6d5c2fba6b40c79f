"""Two small pieces of sparse bookkeeping the disclosure modules share."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix


class Groups:
    """Indexes of an array of labels by label, sorted once, looked up by bisection (a dict of
    tens of thousands of one-element groups would cost more than all the lookups)."""

    def __init__(self, labels: np.ndarray) -> None:
        self._order = np.argsort(labels, kind="stable")
        self._sorted = labels[self._order]
        self.labels, self._starts = np.unique(self._sorted, return_index=True)

    def get(self, label: int) -> np.ndarray | None:
        """Indexes whose label is `label` (None when there are none)."""
        at = int(np.searchsorted(self.labels, label))
        if at == len(self.labels) or self.labels[at] != label:
            return None
        end = self._starts[at + 1] if at + 1 < len(self._starts) else len(self._order)
        return self._order[self._starts[at] : end]

    def __getitem__(self, label: int) -> np.ndarray:
        found = self.get(label)
        if found is None:
            raise KeyError(label)
        return found

    def items(self):
        """(label, indexes) for every label."""
        ends = [*self._starts[1:], len(self._order)]
        for label, start, end in zip(self.labels.tolist(), self._starts, ends, strict=True):
            yield label, self._order[start:end]


def entries(matrix: csr_matrix, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the stored entries of `matrix` whose column is in `keep`."""
    coo = matrix.tocoo()
    inside = keep[coo.col]
    return coo.row[inside], coo.col[inside]
