"""Queued jobs (import runs, linkage runs, indicator vintages): one base model, one lifecycle, one set of lock keys.

Imports no app of the observatory: the apps build on it.
"""
