"""A KakaoTalk backend that takes 100 ms per message, as a provider across the internet does: a
fan-out through it lasts long enough for a fault to hit it midway, however fast the rest is."""

import time

from notifications.kakaotalk import FileBackend

SECONDS_PER_MESSAGE = 0.1


class SlowBackend(FileBackend):
    def send(self, message):
        time.sleep(SECONDS_PER_MESSAGE)
        return super().send(message)
