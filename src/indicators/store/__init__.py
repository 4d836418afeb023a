"""Stage 2, rows -> versions: the versioned store (immutable versions, a current pointer), its tables and
row codec, staging (validate + dry run, then commit exactly that), accounts and sign-in limits."""
