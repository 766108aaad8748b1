class EvaluationError(Exception):
    """A refusal of the evaluation services; its message is shown to the person."""


class AlreadyAnswered(EvaluationError):
    """The request was answered already: a second submission stores nothing."""
