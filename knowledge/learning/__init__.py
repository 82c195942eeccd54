"""knowledge.learning: what the learner knows, not only what they ticked: flashcards reviewed with FSRS-6
(``reviews``), quiz attempts (``attempts``) and mastery per chapter (``mastery``), all in the progress database."""
