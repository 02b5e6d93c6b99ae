"""Reading and writing files safely: capped reads, safe YAML, atomic writes, text cleaning."""
