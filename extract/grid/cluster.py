"""Positions that are one line: the clustering the grid and the stitcher share."""

from __future__ import annotations


def cluster_positions(values: list[float], tol: float) -> list[float]:
    """Positions within `tol` of their neighbour are one: their mean, in order."""
    values = sorted(values)
    clusters: list[list[float]] = []
    for v in values:
        if clusters and v - clusters[-1][-1] <= tol:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    return [sum(c) / len(c) for c in clusters]
