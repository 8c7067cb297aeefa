"""Structured loaders: registers and disclosures, each turned into an Extraction whose
evidence points at the file and the record it came from."""
