import pytest

from tests.factories import CourseEditionFactory, TraineeFactory


@pytest.fixture
def edition(db):
    return CourseEditionFactory(capacity=2)


@pytest.fixture
def trainee(db):
    return TraineeFactory(language="it")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """`with run_on_commit():` runs the on_commit callbacks (task enqueues, hence
    emails) registered inside the block when it ends, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
