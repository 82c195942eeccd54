"""knowledge.quizzes: authored quiz items per chapter (multiple choice, true/false, numeric), checked by a linter
and by tests; ``schema`` holds the format, ``bank`` loads and grades them."""
