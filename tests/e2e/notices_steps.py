"""A step two journeys share: on My notices, switch the day-before session
reminder off and see it saved."""

from playwright.sync_api import expect

from notices.models import NoticeKind
from tests.e2e.conftest import italian


def session_reminder_switched_off(page):
    """Untick the day-before reminder, save, see the message; the checkbox."""
    reminder = page.get_by_label(italian(NoticeKind.SESSION_REMINDER.label))
    expect(reminder).to_be_checked()
    # Bootstrap Italia draws the box on the label, over the input: click it.
    page.locator(f"label[for={reminder.get_attribute('id')}]").click()
    page.get_by_role("button", name=italian("Save")).click()
    expect(page.locator(".site-messages")).to_contain_text(
        italian("Your choices are saved.")
    )
    expect(reminder).not_to_be_checked()
    return reminder
