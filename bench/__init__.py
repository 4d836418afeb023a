"""`make bench`: the performance figures of DESIGN.md's budget, printed (never asserted in tests)."""
