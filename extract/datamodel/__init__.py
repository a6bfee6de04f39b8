"""The types that cross stage boundaries: geometry, pages, tables, forms, results.

Stages import these and nothing of each other's internals, so a newcomer reads
one folder to know what flows between the layers.
"""
