class ApplicationError(Exception):
    """A domain error with a message meant for the user; the API turns it into one JSON shape."""

    def __init__(self, message: str, *, code: str = "error", extra: dict | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
        # The HTTP status that answers it: 400 for what the user can correct, 5xx for what the server must (a full
        # disk: 507).
        self.status = status
