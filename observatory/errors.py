class ApplicationError(Exception):
    """A domain error with a message meant for the user; the API turns it into one JSON shape."""

    def __init__(self, message: str, *, code: str = "error", extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
