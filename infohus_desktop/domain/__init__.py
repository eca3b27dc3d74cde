"""Domain vocabulary: dataclasses, enums and rules. Imports nothing else of the project."""
