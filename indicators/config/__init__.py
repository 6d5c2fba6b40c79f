"""Definitions: config/indicators.yaml as typed objects, every line checked; who sees what."""
