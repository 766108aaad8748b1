class NoticeError(Exception):
    """A request about notices refused (the message says why)."""
