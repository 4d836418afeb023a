"""Stage 1, file -> rows: read what an analyst sends (CSV, XLSX), convert cells, check the contract's rules,
and report every problem with its cell. One module per input format joins here."""
