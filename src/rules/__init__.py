"""Treatment Returns' domain core: the canonical extract, code lists, rules, periods and measures.

It knows nothing of Qt or of files beyond its own packaged catalogue, so it can be used from a
plain Python shell::

    >>> from rules.codes import label
    >>> label("discharge_reason", "TCDF")
    'Treatment completed - drug free'
"""
