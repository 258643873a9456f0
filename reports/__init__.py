"""The Comparison of records and its renderers (terminal, markdown, csv, json, html, pdf)."""
