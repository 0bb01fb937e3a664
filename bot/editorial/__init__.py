"""Editorial control: which channel takes which item, when, and under whose review.

Pure rules over plain values; the outbox and the handlers apply them.
"""
