"""The knowledge layer: ingestion, hybrid multilingual retrieval with citations, and curation."""
