"""Pure functions from text (and a publication date) to normalised values. No spaCy here."""
