"""Deliver an end user's message to a channel, as the messenger relay's webhook would."""

import json

from django.core.management.base import BaseCommand, CommandError

from channels_admin.models import Channel
from channels_admin.services.chat import ChatError, receive_inbound_message


class Command(BaseCommand):
    help = "Store a message from an end user to a channel's 1:1 chat (as if it came through the inbound webhook)."

    def add_arguments(self, parser):
        parser.add_argument("--channel", required=True, help="the channel's public id, e.g. @demo-bakery")
        parser.add_argument("--user", required=True, help="the end user's messenger id, e.g. U1001")
        parser.add_argument("--text", required=True, help="the message")
        parser.add_argument("--name", default="", help="the end user's display name (first message only)")
        parser.add_argument("--id", dest="external_id", default="", help="an id making the delivery idempotent")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        channel = Channel.objects.filter(handle=Channel.normalize_handle(options["channel"])).first()
        if channel is None:
            raise CommandError(f"No channel {options['channel']}")
        try:
            message = receive_inbound_message(
                channel=channel,
                user_id=options["user"],
                text=options["text"],
                display_name=options["name"],
                external_id=options["external_id"][:100],
            )
        except ChatError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"message_id": message.pk, "conversation_id": message.conversation_id}))
        else:
            self.stdout.write(f"Message {message.pk} stored in conversation {message.conversation_id} of {channel.public_id}.")
