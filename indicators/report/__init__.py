"""Report: the six-monthly board pack and ward reports, as PDF and self-contained HTML."""
