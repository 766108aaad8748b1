import pytest

from tests.enrolment.helpers import TraineeFactory
from tests.factories import CourseEditionFactory


@pytest.fixture
def edition(db):
    return CourseEditionFactory(capacity=2)


@pytest.fixture
def trainee(db):
    return TraineeFactory(language="it")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (task enqueues, hence emails) as they are registered."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks
