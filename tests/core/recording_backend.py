"""A task backend for the scheduler tests: every enqueue lands in one list that
all threads share (the dummy backend keeps one list per thread), or fails."""

import threading

from django_tasks.backends.dummy import DummyBackend

ENQUEUED: list[str] = []
_lock = threading.Lock()


class RecordingBackend(DummyBackend):
    def enqueue(self, task, args, kwargs):
        if self.options.get("FAIL"):
            raise ConnectionError("the queue is down")
        result = super().enqueue(task, args, kwargs)
        with _lock:
            ENQUEUED.append(task.name)
        return result
