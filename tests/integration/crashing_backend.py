"""A KakaoTalk backend that kills its worker process for one phone number: a poison delivery."""

import os

from notifications.kakaotalk import FileBackend

POISON_NUMBER = "+821099999999"


class CrashingBackend(FileBackend):
    def send(self, message):
        if message.recipient_no == POISON_NUMBER:
            os._exit(13)  # the worker process dies on the spot, as on a segfault or the OOM killer
        return super().send(message)
