"""District socio-economic indicators: contract, validation, progress, charts, store and reports."""

__version__ = "0.1.0"
