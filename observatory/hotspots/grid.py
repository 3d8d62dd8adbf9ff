"""The regular grid of a hotspot analysis: square cells in a metric projection, kept where their centre lies in the
study area (with their zero counts: Gi* compares each cell with all of them), and queen contiguity between them."""

from dataclasses import dataclass

import numpy as np
import shapely
from django.utils.translation import gettext as _

from observatory.errors import ApplicationError

# A cell's eight neighbours (queen contiguity), as (row, column) steps.
_QUEEN_STEPS = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]


def utm_srid(*, longitude: float, latitude: float) -> int:
    """The EPSG code of the WGS 84 UTM zone holding a point: 326zz north of the equator, 327zz south."""
    zone = min(int((longitude + 180) // 6) + 1, 60)
    return (32600 if latitude >= 0 else 32700) + zone


@dataclass(frozen=True)
class Grid:
    """The cells kept, by row and column of the full rectangle that starts at (x0, y0)."""

    x0: float
    y0: float
    metres: float
    n_rows: int
    n_cols: int
    rows: np.ndarray
    cols: np.ndarray

    @property
    def size(self) -> int:
        return len(self.rows)

    def _index_lattice(self) -> np.ndarray:
        """The full rectangle of rows x columns holding each kept cell's index, -1 elsewhere."""
        lattice = np.full((self.n_rows, self.n_cols), -1, dtype=np.int64)
        lattice[self.rows, self.cols] = np.arange(self.size)
        return lattice

    def cells_of(self, *, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The index of the kept cell each point falls in; -1 outside the grid or in a cell not kept."""
        col = np.floor((np.asarray(x) - self.x0) / self.metres).astype(np.int64)
        row = np.floor((np.asarray(y) - self.y0) / self.metres).astype(np.int64)
        inside = (row >= 0) & (row < self.n_rows) & (col >= 0) & (col < self.n_cols)
        cells = np.full(len(col), -1, dtype=np.int64)
        cells[inside] = self._index_lattice()[row[inside], col[inside]]
        return cells

    def counts(self, cells: np.ndarray) -> np.ndarray:
        """Incidents per kept cell, from the cell index of each incident (-1 ignored)."""
        return np.bincount(cells[cells >= 0], minlength=self.size)

    def lattice(self, values: np.ndarray) -> np.ndarray:
        """The kept cells' values on the full rectangle, zero in the cells not kept."""
        full = np.zeros((self.n_rows, self.n_cols))
        full[self.rows, self.cols] = values
        return full

    def codes(self) -> list[str]:
        return [f"{row}-{col}" for row, col in zip(self.rows.tolist(), self.cols.tolist(), strict=True)]

    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        """The lower-left corner of each kept cell, in the grid's projection."""
        return self.x0 + self.cols * self.metres, self.y0 + self.rows * self.metres

    def queen_weights(self):
        """libpysal weights: each kept cell's kept neighbours among its eight."""
        from libpysal.weights import WSP  # heavy: the web process must not load it at start-up
        from scipy import sparse

        lattice, focal, neighbour = self._index_lattice(), [], []
        for row_step, col_step in _QUEEN_STEPS:
            rows, cols = self.rows + row_step, self.cols + col_step
            inside = (rows >= 0) & (rows < self.n_rows) & (cols >= 0) & (cols < self.n_cols)
            found = np.full(self.size, -1, dtype=np.int64)
            found[inside] = lattice[rows[inside], cols[inside]]
            focal.append(np.flatnonzero(found >= 0))
            neighbour.append(found[found >= 0])
        focal, neighbour = np.concatenate(focal), np.concatenate(neighbour)
        matrix = sparse.csr_matrix((np.ones(len(focal)), (focal, neighbour)), shape=(self.size, self.size))
        return WSP(matrix).to_W(silence_warnings=True)


def grid_build(*, area: shapely.Geometry, metres: float, max_cells: int) -> Grid:
    """The cells of `metres` (in the area's metric projection) whose centre lies in `area`."""
    min_x, min_y, max_x, max_y = area.bounds
    x0, y0 = np.floor(min_x / metres) * metres, np.floor(min_y / metres) * metres
    n_cols, n_rows = int(np.ceil((max_x - x0) / metres)) or 1, int(np.ceil((max_y - y0) / metres)) or 1
    if n_rows * n_cols > 4 * max_cells:
        raise ApplicationError(
            _("The study area would need %(cells)d cells of %(metres)d m, more than the %(limit)d allowed.")
            % {"cells": n_rows * n_cols, "metres": metres, "limit": max_cells},
            code="too_many_cells",
        )
    rows, cols = np.divmod(np.arange(n_rows * n_cols), n_cols)
    centre_x, centre_y = x0 + (cols + 0.5) * metres, y0 + (rows + 0.5) * metres
    shapely.prepare(area)
    kept = shapely.contains_xy(area, centre_x, centre_y)
    if kept.sum() > max_cells:
        raise ApplicationError(
            _("The study area holds %(cells)d cells of %(metres)d m, more than the %(limit)d allowed.")
            % {"cells": int(kept.sum()), "metres": metres, "limit": max_cells},
            code="too_many_cells",
        )
    return Grid(x0=x0, y0=y0, metres=metres, n_rows=n_rows, n_cols=n_cols, rows=rows[kept], cols=cols[kept])
