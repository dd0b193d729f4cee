"""Writers: the extracted disclosures as files (JSON; CSV and databases later)."""
