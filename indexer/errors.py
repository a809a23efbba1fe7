"""The error an input raises when it cannot be indexed."""


class InputRejected(Exception):
    """Raised for an input file or entry that cannot be used.

    The message names what is wrong in plain words; the pipeline adds the
    path. It must never contain personal data from the input.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
