"""The `<id:...>` path converter: every URL of ours that names a row by its id.

Primary keys are BigAutoField (1..2**63-1). Django's `int` converter matches any
run of digits, so `/me/editions/9223372036854775808/enrol/` reached the view and
a raw statement bound an integer out of bigint's range (a 500). This one only
matches ids a row can have, so anything else is a 404 before a view runs.
"""

from django.urls import register_converter

ID_MAX = 2**63 - 1


class IdConverter:
    # No sign, no leading zero, at most 19 digits; to_python refuses the rest.
    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("id out of range")  # the pattern does not match
        return number

    def to_url(self, value: int | str) -> str:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError("id out of range")
        return str(number)


def register() -> None:
    """Called once by CoreConfig.ready(), before any URLconf is imported."""
    register_converter(IdConverter, "id")
