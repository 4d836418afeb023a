"""Stage 3, versions -> progress: one row per series with its distance to the target and a status."""
