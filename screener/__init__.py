"""screener: NLP-assisted screening prioritizer for systematic reviews."""
__version__ = "0.1.0"
