"""A large, realistic dataset written straight into PostgreSQL with COPY.

The shape, for ``channels = C`` and ``managers_per_channel = M``:

- accounts: the bench logins (see ``PERSONAS``) plus ``accounts`` generic ones; about half
  verified, nine in ten with a phone number. Every account shares one password hash.
- channels: ``C``, one in ten business. Channel ``i`` has ``M`` managers, the first the
  master; generic accounts are dealt out round-robin.
- the bench logins give the benchmarks a "light" and a "heavy" case of every page: the light
  manager has 10 channels, 10 conversations and 10 notices; the heavy one ``HEAVY_CHANNELS``
  channels, a channel with ``heavy_conversations`` conversations and thousands of notices.
- conversations, one end user each, ``messages_per_conversation`` messages each.
- restrictions of every type and state; their audit entries (a valid hash chain, computed
  with ``core.audit.entry_digest``); one notification per event and recipient, one delivery of it per channel,
  all sent (KakaoTalk skipped without a phone), and the notices those deliveries left.
- the moderation queue: ``queue_items`` items, about a quarter open and a twentieth claimed,
  the rest resolved or dismissed, skewed towards a few channels (the heavy login's first
  channel has some of every state). User-report items are about a channel or an outbound
  message and have their ``Report`` rows behind them; automatic flags are about an outbound
  message or a channel profile whose text the generator makes fraudulent, with the excerpt,
  score and evidence the scanner (``staff.fraud.scan_text``) gives for that text under
  the active fraud rules (the defaults are created if a flush removed them).

Identifiers are assigned here, so rows reference each other without reading anything back;
sequences are moved past them at the end. Foreign keys are not re-checked row by row when
the database lets us switch that off (``session_replication_role``): the generator builds
them consistent.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

BENCH_PASSWORD = "bench-pass-2023"
HEAVY_CHANNELS = 60  # more than one page of any list
LIGHT_ROWS = 10

# (email, staff_role) of the logins the benchmarks use; ids 1..5 in this order.
PERSONAS = [
    ("bench-senior@bench.example", "senior_moderator"),
    ("bench-moderator@bench.example", "moderator"),
    ("bench-viewer@bench.example", "viewer"),
    ("bench-heavy@bench.example", ""),
    ("bench-light@bench.example", ""),
    ("bench-senior2@bench.example", "senior_moderator"),  # confirms permanent restrictions (four eyes)
]
SENIOR_ID, MODERATOR_ID, VIEWER_ID, HEAVY_ID, LIGHT_ID, SECOND_SENIOR_ID = 1, 2, 3, 4, 5, 6

SCALES = {
    "full": dict(channels=100_000, managers_per_channel=3, accounts=300_000, conversations=200_000,
                 messages_per_conversation=10, restrictions=50_000, heavy_conversations=5_000, queue_items=20_000),
    "small": dict(channels=2_000, managers_per_channel=3, accounts=6_000, conversations=4_000,
                  messages_per_conversation=5, restrictions=1_000, heavy_conversations=500, queue_items=1_000),
    "tiny": dict(channels=200, managers_per_channel=2, accounts=400, conversations=300,
                 messages_per_conversation=3, restrictions=100, heavy_conversations=60, queue_items=100),
}

_WORDS = ["Seoul", "Busan", "Hanoi", "Saigon", "Jeju", "Incheon", "Daegu", "Gwangju", "Da Nang", "Hue",
          "Bakery", "Cafe", "Books", "Clinic", "Fitness", "Florist", "Kitchen", "Studio", "Travel", "Market",
          "Garden", "Pet", "Tech", "Beauty", "Music", "Noodle", "Tailor", "Optics", "Dental", "Academy"]
_TEXTS = ["안녕하세요, 영업시간이 어떻게 되나요?", "Is the coupon still valid?", "Cho tôi hỏi giá bao nhiêu?",
          "감사합니다!", "Can I book for Saturday at 3pm?", "Đơn hàng của tôi đã được gửi chưa?",
          "주차 가능한가요?", "Thanks, see you tomorrow.", "Bao giờ cửa hàng mở cửa?", "배송은 언제 되나요?"]
_SCOPES = ["broadcast", "chat", "paid_services", "posts", "profile"]
_REASONS = ["terms", "operation_policy", "guide_obligations", "impersonation_fraud", "healthy_environment"]
# What flagged content says (every one a hit for the default fraud rules), and what reporters write.
_FRAUD_TEXTS = ["ABC hỗ trợ miễn phí mở khoá trò chuyện 1:1 cho khách hàng. Liên hệ zalo: 0900 000 000",
                "We unlock your 1:1 chat for free! Telegram @fixer",
                "Skip identity verification in 5 minutes, only 20 USD. WhatsApp +84 900 000 000",
                "1:1 채팅 잠금 해제 해드립니다. 무료! 오픈채팅으로 연락주세요",
                "본인인증 없이 바로 채팅 가능합니다. 카톡 아이디 fixer",
                "Bỏ qua xác minh danh tính, chỉ 200k. Liên hệ telegram",
                "I am Kakao staff. Please send me your verification code.",
                "카카오 공식 파트너입니다. 인증번호를 알려주세요",
                "Mo khoa tro chuyen 1:1 mien phi, lien he Zalo 0900000000"]
_REPORT_TEXTS = ["1:1 채팅을 풀어준다며 돈을 요구했어요.", "They asked me to pay to unlock the chat.",
                 "Kênh này đòi tiền để mở khoá trò chuyện.", "광고 메시지를 매일 보내요.", "Spam every single day.",
                 "Họ bảo tôi nhắn tin qua Zalo.", "다른 채널을 사칭하고 있어요.", "Pretends to be the official store.",
                 "", "", ""]
# (reason, weight) of user reports.
_REPORT_REASONS = [("fraud", 30), ("spam", 25), ("off_platform", 15), ("inappropriate", 15), ("impersonation", 8),
                   ("other", 7)]
_DECISION_NOTES = {"resolved": ["Restricted after review.", "Content taken down.", ""],
                   "dismissed": ["No violation found.", "Duplicate of an earlier decision.", ""]}


@dataclass
class LoadSpec:
    channels: int = 2_000
    managers_per_channel: int = 3
    accounts: int | None = None  # generic accounts; default channels x managers_per_channel
    conversations: int | None = None  # default 2 per channel
    messages_per_conversation: int = 10
    restrictions: int = 1_000
    heavy_conversations: int = 500
    queue_items: int = 400
    verified_share: float = 0.5
    business_share: float = 0.1
    seed: int = 1

    def __post_init__(self):
        if self.accounts is None:
            self.accounts = self.channels * self.managers_per_channel
        if self.conversations is None:
            self.conversations = self.channels * 2

    def validate(self) -> None:
        problems = []
        if self.channels < HEAVY_CHANNELS + LIGHT_ROWS + 10:
            problems.append(f"--channels must be at least {HEAVY_CHANNELS + LIGHT_ROWS + 10}")
        if self.managers_per_channel < 1:
            problems.append("--managers-per-channel must be at least 1")
        if self.accounts < 1:
            problems.append("--accounts must be at least 1")
        if self.conversations < self.heavy_conversations + LIGHT_ROWS:
            problems.append("--conversations must be at least --heavy-conversations + 10")
        if self.messages_per_conversation < 0 or self.restrictions < 0 or self.queue_items < 0:
            problems.append("counts cannot be negative")
        if not 0 <= self.verified_share <= 1 or not 0 <= self.business_share <= 1:
            problems.append("shares are between 0 and 1")
        if problems:
            raise ValueError("; ".join(problems))


# ----------------------------------------------------------------------------------------------
# COPY plumbing
# ----------------------------------------------------------------------------------------------
class _Copier:
    """COPY rows into a model's table by field name. Columns a row does not give are filled
    with the field's default, so a field added later with a default needs no change here."""

    def __init__(self, cursor, progress: Callable[[str], None]):
        self.cursor = cursor
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def copy(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple], *, label: str) -> int:
        opts = model._meta
        columns = [opts.get_field(name).column for name in fields]
        extra_columns, extra_values = [], []
        for f in opts.concrete_fields:
            if f.column in columns or f.null or f.primary_key:
                continue
            if not f.has_default() and not isinstance(f, (models.CharField, models.TextField)):
                continue
            extra_columns.append(f.column)
            value = f.get_default()
            if isinstance(f, models.JSONField):
                value = json.dumps(value)
            extra_values.append(value)
        extra = tuple(extra_values)
        column_list = ", ".join(f'"{c}"' for c in columns + extra_columns)
        sql = f'COPY "{opts.db_table}" ({column_list}) FROM STDIN'
        started = time.monotonic()
        n = 0
        with self.cursor.copy(sql) as cp:
            for row in rows:
                cp.write_row(row + extra if extra else row)
                n += 1
                if n % 200_000 == 0:
                    self.progress(f"  {label}: {n:,} rows ({time.monotonic() - started:.1f} s)")
        elapsed = time.monotonic() - started
        self.counts[label] = self.counts.get(label, 0) + n
        self.seconds[label] = self.seconds.get(label, 0.0) + elapsed
        self.progress(f"{label}: {n:,} rows in {elapsed:.1f} s")
        return n


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def project_tables() -> list[str]:
    """Every table of the project's own apps and of the auth/session tables they rely on."""
    tables = []
    for app_label in ("channels_admin", "restrictions", "notifications", "sessions", "axes", "admin"):
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


def database_is_empty() -> bool:
    Account = _model("channels_admin.Account")
    Channel = _model("channels_admin.Channel")
    return not Account.objects.exists() and not Channel.objects.exists()


def flush_project_tables() -> None:
    tables = project_tables()
    # The audit trail refuses TRUNCATE; wiping a benchmark database is done as a replica does,
    # with triggers off for this one transaction (a superuser's right).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    models_ = [_model(label) for label in ("channels_admin.Account", "channels_admin.Channel", "channels_admin.ChannelManager",
                                            "channels_admin.EndUser", "channels_admin.Conversation", "channels_admin.Message",
                                            "restrictions.Restriction", "core.AuditEntry", "notifications.Notification", "notifications.Delivery",
                                            "notifications.Notice", "staff.QueueItem", "staff.Report")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_):
            cursor.execute(sql)


# ----------------------------------------------------------------------------------------------
# The generator
# ----------------------------------------------------------------------------------------------
@dataclass
class LoadResult:
    spec: dict
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    foreign_key_checks: str = "deferred"
    personas: dict[str, str] = field(default_factory=dict)
    password: str = BENCH_PASSWORD


def generate(spec: LoadSpec, *, progress: Callable[[str], None] | None = None) -> LoadResult:
    """Fill the (empty) database. Raises ValueError for a bad spec."""
    spec.validate()
    if connection.vendor != "postgresql":
        raise ValueError("generate_load_data writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
    say = progress or (lambda message: print(message, file=sys.stderr))
    started = time.monotonic()
    gen = _Generator(spec)
    result = LoadResult(spec=asdict(spec), personas={email: role or "manager" for email, role in PERSONAS})
    with transaction.atomic():
        raw = connection.cursor().cursor  # the psycopg cursor under Django's wrapper
        try:
            with transaction.atomic():
                raw.execute("SET LOCAL session_replication_role = replica")
            result.foreign_key_checks = "skipped (rows are generated consistent)"
        except Exception:  # noqa: BLE001  (not a superuser: keep the deferred checks)
            pass
        copier = _Copier(raw, say)
        gen.write(copier)
    _reset_sequences()
    with connection.cursor() as cursor:
        # What autovacuum leaves in steady state: planner statistics, and visibility maps so that
        # counts over an index (the unread badge, queue counts) need not visit every heap page.
        # VACUUM cannot run inside a transaction (the tests load inside one): ANALYZE alone there.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        say(f"{statement} ...")
        cursor.execute(statement)
    result.rows = copier.counts
    result.seconds = {k: round(v, 2) for k, v in copier.seconds.items()}
    result.total_seconds = round(time.monotonic() - started, 1)
    say(f"done in {result.total_seconds:.1f} s")
    return result


class _Generator:
    def __init__(self, spec: LoadSpec):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.now = datetime.now(dt_timezone.utc).replace(microsecond=0)
        self.n_generic = spec.accounts
        self.first_generic = len(PERSONAS) + 1
        rng = self.rng
        # Account facts the later tables need: verified and has-phone, indexed by account id.
        total_accounts = len(PERSONAS) + self.n_generic
        self.verified = bytearray(total_accounts + 1)
        self.has_phone = bytearray(total_accounts + 1)
        for account_id in range(1, total_accounts + 1):
            self.verified[account_id] = rng.random() < spec.verified_share
            self.has_phone[account_id] = account_id <= len(PERSONAS) or rng.random() < 0.9
        for persona_id in (HEAVY_ID, LIGHT_ID):
            self.verified[persona_id] = 1
        self.business = bytearray(spec.channels + 1)
        for channel_id in range(HEAVY_CHANNELS + LIGHT_ROWS + 1, spec.channels + 1):
            self.business[channel_id] = rng.random() < spec.business_share
        self.light_first = HEAVY_CHANNELS + 1
        self.generic_first_channel = HEAVY_CHANNELS + LIGHT_ROWS + 1

    # -- helpers ---------------------------------------------------------------------------
    def managers_of(self, channel_id: int) -> list[int]:
        m = self.spec.managers_per_channel
        ids = []
        for j in range(m):
            if j == 0 and channel_id <= HEAVY_CHANNELS:
                ids.append(HEAVY_ID)
            elif j == 0 and channel_id < self.generic_first_channel:
                ids.append(LIGHT_ID)
            else:
                ids.append(self.first_generic + ((channel_id - 1) * m + j) % self.n_generic)
        # Round-robin can hand one account two seats on a small channel; keep the first.
        return list(dict.fromkeys(ids))

    def handle(self, channel_id: int) -> str:
        if channel_id <= HEAVY_CHANNELS:
            return f"heavy-{channel_id:03d}"
        if channel_id < self.generic_first_channel:
            return f"light-{channel_id - HEAVY_CHANNELS:02d}"
        return f"ch-{channel_id:06d}"

    def write(self, c: _Copier) -> None:
        self.plan_queue()  # before channels and messages: flagged content says what it was flagged for
        self.accounts(c)
        self.channels(c)
        self.memberships(c)
        self.chat(c)
        self.restrictions_audit_deliveries(c)
        self.queue(c)

    # -- accounts, channels, managers --------------------------------------------------------
    def accounts(self, c: _Copier) -> None:
        password = make_password(BENCH_PASSWORD)
        now, rng = self.now, self.rng
        langs = ["ko", "ko", "ko", "en", "vi"]

        def rows() -> Iterator[tuple]:
            for i, (email, role) in enumerate(PERSONAS, start=1):
                yield (i, email, f"Bench {email.split('@')[0]}", f"+8210{90000000 + i:08d}", "en", True, bool(role),
                       role, now - timedelta(days=400), now - timedelta(days=500), password, False)
            for account_id in range(self.first_generic, self.first_generic + self.n_generic):
                yield (account_id, f"user{account_id}@load.example", f"Manager {account_id}",
                       f"+8210{account_id:08d}" if self.has_phone[account_id] else "",
                       langs[account_id % 5], True, False, "",
                       now - timedelta(days=rng.randrange(1, 700)) if self.verified[account_id] else None,
                       now - timedelta(days=700), password, False)

        c.copy(_model("channels_admin.Account"),
               ["id", "email", "full_name", "phone_number", "preferred_language", "is_active", "is_staff", "staff_role",
                "identity_verified_at", "date_joined", "password", "is_superuser"], rows(), label="accounts")

    def channels(self, c: _Copier) -> None:
        now, rng = self.now, self.rng
        profile_texts = self.profile_texts

        def rows() -> Iterator[tuple]:
            for channel_id in range(1, self.spec.channels + 1):
                business = bool(self.business[channel_id])
                name = self._channel_name(channel_id)
                yield (channel_id, self.handle(channel_id), name, profile_texts.get(channel_id) or f"Welcome to {name}.", "",
                       "business" if business else "general", now - timedelta(days=300) if business else None,
                       "active", None, now - timedelta(days=rng.randrange(30, 900)))

        c.copy(_model("channels_admin.Channel"),
               ["id", "handle", "name", "description", "picture_url", "kind", "business_verified_at", "status",
                "profile_taken_down_at", "created_at"], rows(), label="channels")

    def memberships(self, c: _Copier) -> None:
        now = self.now

        def rows() -> Iterator[tuple]:
            membership_id = 0
            for channel_id in range(1, self.spec.channels + 1):
                for j, account_id in enumerate(self.managers_of(channel_id)):
                    membership_id += 1
                    yield (membership_id, channel_id, account_id, "master" if j == 0 else "manager",
                           now - timedelta(days=200 - j))

        c.copy(_model("channels_admin.ChannelManager"), ["id", "channel", "account", "role", "created_at"], rows(),
               label="channel_managers")

    # -- chat ---------------------------------------------------------------------------------
    def conversation_channel(self, k: int) -> int:
        heavy = self.spec.heavy_conversations
        if k < heavy:
            return 1
        if k < heavy + LIGHT_ROWS:
            return self.light_first
        spread = self.spec.channels - self.generic_first_channel + 1
        return self.generic_first_channel + (k - heavy - LIGHT_ROWS) % spread

    def chat(self, c: _Copier) -> None:
        spec, now, rng = self.spec, self.now, self.rng
        n = spec.conversations
        mpc = spec.messages_per_conversation
        c.copy(_model("channels_admin.EndUser"), ["id", "external_id", "display_name"],
               ((k + 1, f"U{k + 1:09d}", f"User {k + 1}") for k in range(n)), label="end_users")
        # Each conversation's messages are spaced a minute apart, ending at its last_message_at.
        last_at = [now - timedelta(seconds=rng.randrange(60, 90 * 86400)) for _ in range(n)]
        self.last_at = last_at  # the queue's times follow the messages'

        def conversations() -> Iterator[tuple]:
            for k in range(n):
                yield (k + 1, self.conversation_channel(k), k + 1, last_at[k], k % 4, last_at[k] - timedelta(minutes=mpc + 1))

        c.copy(_model("channels_admin.Conversation"),
               ["id", "channel", "end_user", "last_message_at", "unread_count", "created_at"], conversations(),
               label="conversations")
        texts = _TEXTS
        n_texts = len(texts)
        flagged = self.flag_texts

        def messages() -> Iterator[tuple]:
            message_id = 0
            first_generic = self.first_generic
            for k in range(n):
                channel_id = self.conversation_channel(k)
                master = self.managers_of(channel_id)[0] if channel_id < self.generic_first_channel else (
                    first_generic + ((channel_id - 1) * spec.managers_per_channel) % self.n_generic)
                end = last_at[k]
                for j in range(mpc):
                    message_id += 1
                    inbound = j % 2 == 0
                    yield (message_id, k + 1, "in" if inbound else "out", None if inbound else master,
                           texts[(k + j) % n_texts] if inbound else flagged.get(message_id, texts[(k + j) % n_texts]),
                           f"in-{message_id}" if inbound else "",
                           end - timedelta(minutes=mpc - 1 - j), None)

        c.copy(_model("channels_admin.Message"),
               ["id", "conversation", "direction", "sender", "text", "external_id", "created_at", "taken_down_at"],
               messages(), label="messages")

    # -- restrictions, audit, deliveries, notices -----------------------------------------------
    def restrictions_audit_deliveries(self, c: _Copier) -> None:
        from core.audit import _jsonable, entry_digest

        AuditEntry = _model("core.AuditEntry")
        spec, now, rng = self.spec, self.now, self.rng
        restrictions = []  # tuples in COPY order
        events = []  # (at, event_type, actor, channel, account, restriction_id, data, notify_event)
        unverified_pool = (a for a in range(self.first_generic, self.first_generic + self.n_generic) if not self.verified[a])
        persona_channels = list(range(1, self.generic_first_channel))
        for r in range(spec.restrictions):
            rid = r + 1
            channel_id = account_id = None
            confirmed_by = ended_by = ended_at = None
            lift_reason = ""
            on_persona = r < LIGHT_ROWS // 2 or r % 20 == 0
            if not on_persona and r % 4 == 3:
                account_id = next(unverified_pool, None)
            if account_id is not None:
                rtype, scope, reason, state = "verification_pending", "chat", "identity_unverified", "active"
                created = now - timedelta(days=rng.randrange(1, 360), seconds=rng.randrange(86400))
                starts, ends = created, None
            else:
                if r < LIGHT_ROWS // 2:
                    channel_id = self.light_first + r  # five lifted restrictions: ten notices
                elif on_persona:
                    channel_id = persona_channels[r % HEAVY_CHANNELS]
                else:
                    channel_id = rng.randrange(self.generic_first_channel, spec.channels + 1)
                roll = rng.random()
                rtype = ("warning" if roll < 0.27 else "temporary" if roll < 0.67 else "activity" if roll < 0.94 else "permanent")
                if rtype == "permanent":
                    scope = "all"
                else:
                    scope = ",".join(sorted(rng.sample(_SCOPES, rng.randrange(1, 4))))
                reason = _REASONS[r % len(_REASONS)]
                created = now - timedelta(days=rng.randrange(8, 360), seconds=rng.randrange(86400))
                starts, ends = created, None
                state_roll = rng.random()
                if rtype == "temporary":
                    ends = starts + timedelta(days=7)
                    if state_roll < 0.5 and not on_persona:
                        created = starts = now - timedelta(days=rng.randrange(0, 6), seconds=rng.randrange(86400))
                        ends = starts + timedelta(days=7)
                        state = "active"
                    elif state_roll < 0.9:
                        state, ended_at = "expired", ends
                    else:
                        state, ended_at = "lifted", starts + timedelta(days=2)
                elif rtype == "warning":
                    state = "lifted" if on_persona else "active"
                    if on_persona:
                        ended_at = starts + timedelta(days=3)
                elif rtype == "activity":
                    state = "lifted" if on_persona or state_roll < 0.4 else "active"
                    if state == "lifted":
                        ended_at = starts + timedelta(days=5)
                else:
                    confirmed_by = SECOND_SENIOR_ID
                    state = "lifted" if on_persona or state_roll < 0.2 else "active"
                    if state == "lifted":
                        ended_at = starts + timedelta(days=10)
                if r < LIGHT_ROWS // 2:
                    rtype, scope, state, ends, ended_at = "activity", "posts", "lifted", None, starts + timedelta(days=5)
                if state == "lifted":
                    ended_by, lift_reason = MODERATOR_ID, "Resolved after review."
            created_by = None if rtype == "verification_pending" else (MODERATOR_ID if r % 3 else SENIOR_ID)
            if rtype == "permanent":
                created_by = SENIOR_ID  # only a senior moderator restricts permanently
            if confirmed_by is not None and created_by == confirmed_by:
                created_by = MODERATOR_ID  # the database refuses a permanent restriction confirmed by its own author
            restrictions.append((rid, channel_id, account_id, rtype, scope, reason, "", "", state, starts, ends, created_by,
                                 created, rtype == "permanent", confirmed_by, ended_at, ended_by, lift_reason))
            applied = {"after": {"type": rtype, "scope": scope, "state": "active", "reason": reason}}
            notify = "verification_required" if rtype == "verification_pending" else "restriction_applied"
            events.append((created, "restriction_applied", created_by, channel_id, account_id, rid, applied, notify))
            if state in ("lifted", "expired"):
                event = "restriction_lifted" if state == "lifted" else "restriction_expired"
                data = {"before": {"state": "active"}, "after": {"state": state}}
                events.append((ended_at, event, ended_by, channel_id, account_id, rid, data, event))

        c.copy(_model("restrictions.Restriction"),
               ["id", "channel", "account", "type", "scope", "reason", "staff_note", "manager_message", "state", "starts_at",
                "ends_at", "created_by", "created_at", "needs_confirmation", "confirmed_by", "ended_at", "ended_by",
                "lift_reason"],
               iter(restrictions), label="restrictions")
        del restrictions

        events.sort(key=lambda e: (e[0], e[5]))

        def audit_rows() -> Iterator[tuple]:
            prev = ""
            for audit_id, (at, event_type, actor, channel_id, account_id, rid, data, _) in enumerate(events, start=1):
                entry = AuditEntry(created_at=at, actor_id=actor, event_type=event_type, channel_id=channel_id,
                                   account_id=account_id, restriction_id=rid, reason="", data=_jsonable(data), prev_hash=prev)
                entry.entry_hash = entry_digest(entry)
                yield (audit_id, at, actor, event_type, channel_id, account_id, rid, "",
                       json.dumps(entry.data, ensure_ascii=False), prev, entry.entry_hash)
                prev = entry.entry_hash

        c.copy(AuditEntry, ["id", "created_at", "actor", "event_type", "channel", "account", "restriction", "reason", "data",
                            "prev_hash", "entry_hash"], audit_rows(), label="audit_entries")

        notices = []  # (delivery_id, recipient, event, at, restriction_id)
        deliveries = []  # (delivery_id, notification_id, channel, skipped, at)

        def notification_rows() -> Iterator[tuple]:
            notification_id = delivery_id = 0
            for at, _, _, channel_id, account_id, rid, _, notify in events:
                recipients = self.managers_of(channel_id) if channel_id else [account_id]
                kind = notify.split("_", 1)[1] if notify.startswith("restriction_") else "verification"
                context = json.dumps({"restriction": rid})
                for recipient in recipients:
                    notification_id += 1
                    yield (notification_id, notify, recipient, rid, channel_id, context, f"restriction:{rid}:{kind}:{recipient}", at)
                    for channel in ("email", "notice", "kakaotalk"):
                        delivery_id += 1
                        deliveries.append((delivery_id, notification_id, channel, channel == "kakaotalk" and not self.has_phone[recipient], at))
                        if channel == "notice":
                            notices.append((delivery_id, recipient, notify, at, rid))

        def delivery_rows() -> Iterator[tuple]:
            for delivery_id, notification_id, channel, skipped, at in deliveries:
                sent_at = None if skipped else at + timedelta(seconds=2)
                yield (delivery_id, notification_id, channel, "skipped" if skipped else "sent", 0 if skipped else 1,
                       "no phone number" if skipped else "", at, None, "", sent_at)

        c.copy(_model("notifications.Notification"),
               ["id", "event", "recipient", "restriction", "subject_channel", "context", "key", "created_at"],
               notification_rows(), label="notifications")
        c.copy(_model("notifications.Delivery"),
               ["id", "notification", "channel", "state", "attempts", "last_error", "next_attempt_at", "claimed_until",
                "provider_message_id", "sent_at"],
               delivery_rows(), label="deliveries")
        titles = {"restriction_applied": "A restriction was applied", "restriction_lifted": "A restriction was lifted",
                  "restriction_expired": "A restriction ended", "verification_required": "Verify your identity to use 1:1 chat"}

        def notice_rows() -> Iterator[tuple]:
            for notice_id, (delivery_id, recipient, notify, at, rid) in enumerate(notices, start=1):
                yield (notice_id, recipient, delivery_id, notify, titles[notify], f"About restriction #{rid}.", "",
                       at + timedelta(seconds=2), at + timedelta(days=1) if notice_id % 3 else None)

        c.copy(_model("notifications.Notice"),
               ["id", "recipient", "delivery", "event", "title", "body", "link", "created_at", "read_at"], notice_rows(),
               label="notices")

    # -- the moderation queue ------------------------------------------------------------------
    def conversations_of(self, channel_id: int) -> range:
        """The conversation indexes ``k`` of a channel (the inverse of ``conversation_channel``)."""
        heavy, n = self.spec.heavy_conversations, self.spec.conversations
        if channel_id == 1:
            return range(heavy)
        if channel_id == self.light_first:
            return range(heavy, heavy + LIGHT_ROWS)
        if channel_id < self.generic_first_channel:
            return range(0)
        spread = self.spec.channels - self.generic_first_channel + 1
        return range(heavy + LIGHT_ROWS + channel_id - self.generic_first_channel, n, spread)

    def plan_queue(self) -> None:
        """What the queue is about: per item its source, channel, target, reason and state.
        Decided before the content is written, so that flagged messages and profiles carry the
        text they were flagged for. A random stream of its own leaves the other tables as the
        same seed always made them."""
        spec = self.spec
        rng = random.Random(f"queue-{spec.seed}")
        self.queue_rng = rng
        self.flag_texts: dict[int, str] = {}  # outbound message id -> its (fraudulent) text
        self.profile_texts: dict[int, str] = {}  # channel id -> its (fraudulent) description
        self.queue_plan: list[tuple] = []  # (source, channel, kind, target id, reason, state, (k, j) or None)
        self.fraud_rules = _fraud_rules() if spec.queue_items else []
        hit_texts = [text for text in _FRAUD_TEXTS if _scan(text, self.fraud_rules).is_hit]
        mpc = spec.messages_per_conversation
        spread = spec.channels - self.generic_first_channel + 1
        reasons, weights = zip(*_REPORT_REASONS, strict=True)
        flagged_targets: set[tuple[str, int]] = set()  # one flag per target: no flag to dismiss and raise again
        open_keys: set[tuple] = set()  # the partial unique index: one open item per source, target and reason
        for i in range(spec.queue_items):
            if i % 50 == 0:
                channel_id = 1  # the heavy login's first channel: the case page lists its items
            elif i % 1000 == 500:
                channel_id = self.light_first
            else:
                channel_id = self.generic_first_channel + int(spread * rng.random() ** 3)  # a few channels draw most
            roll = rng.random()
            state = "open" if roll < 0.25 or i == 0 else "claimed" if roll < 0.3 else "resolved" if roll < 0.7 else "dismissed"
            convs = self.conversations_of(channel_id) if mpc >= 2 else range(0)
            source = "flag" if hit_texts and rng.random() < 0.35 else "report"
            for attempt in range(10):
                if attempt == 5 and source == "flag":
                    source = "report"  # every target drawn is flagged already: a report about the channel instead
                at = None
                if convs and rng.random() < 0.75:
                    k, j = rng.choice(convs), rng.randrange(mpc // 2) * 2 + 1  # an outbound message
                    kind, target_id, at = "message", k * mpc + j + 1, (k, j)
                else:
                    kind, target_id = ("profile" if source == "flag" else "channel"), channel_id
                reason = "fraud" if source == "flag" else rng.choices(reasons, weights)[0]
                if source == "flag" and (kind, target_id) in flagged_targets:
                    continue
                if state in ("open", "claimed") and (source, kind, target_id, reason) in open_keys:
                    continue
                break
            else:
                state = "dismissed"  # closed items may repeat an open one's target
            if source == "flag":
                flagged_targets.add((kind, target_id))
                text = hit_texts[i % len(hit_texts)]
                if kind == "message":
                    self.flag_texts[target_id] = text
                else:
                    self.profile_texts[target_id] = text
            if state in ("open", "claimed"):
                open_keys.add((source, kind, target_id, reason))
            self.queue_plan.append((source, channel_id, kind, target_id, reason, state, at))

    def queue(self, c: _Copier) -> None:
        spec, now, rng = self.spec, self.now, self.queue_rng
        mpc, n = spec.messages_per_conversation, spec.conversations
        items, reports = [], []
        scans: dict[str, object] = {}
        for item_id, (source, channel_id, kind, target_id, reason, state, at) in enumerate(self.queue_plan, start=1):
            if at is not None:
                k, j = at
                content_at = self.last_at[k] - timedelta(minutes=mpc - 1 - j)
            else:
                k, content_at = None, None
            if source == "flag":
                # Scanned when saved: the flag opens a second after the content.
                if kind == "message":
                    text = self.flag_texts[target_id]
                else:
                    text = f"{self._channel_name(channel_id)}\n{self.profile_texts[target_id]}"
                    content_at = now - timedelta(days=rng.randrange(0, 30 if state in ("open", "claimed") else 360),
                                                 seconds=rng.randrange(86400))
                result = scans.get(text) or scans.setdefault(text, _scan(text, self.fraud_rules))
                created = min(content_at + timedelta(seconds=1), now)
            elif content_at is not None:
                created = content_at + (now - content_at) * rng.random()
            else:
                days = 30 if state in ("open", "claimed") else 360
                created = now - timedelta(days=rng.randrange(0, days), seconds=rng.randrange(86400))
            created = created.replace(microsecond=0)
            claimed_by = claimed_at = decided_by = decided_at = None
            note = ""
            if state == "claimed":
                claimed_by = MODERATOR_ID if item_id % 3 else SENIOR_ID
                claimed_at = created + (now - created) * rng.random()
                closes = now
            elif state in ("resolved", "dismissed"):
                decided_by = claimed_by = MODERATOR_ID if item_id % 3 else SENIOR_ID
                decided_at = created + (now - created) * rng.random()
                claimed_at = created + (decided_at - created) * rng.random()
                note = rng.choice(_DECISION_NOTES[state])
                closes = decided_at
            else:
                closes = now
            updated = created
            if source == "report":
                count = 1 + min(int(rng.expovariate(0.7)), 40)
                for r in range(count):
                    at_r = created if r == 0 else created + (closes - created) * rng.random()
                    updated = max(updated, at_r)
                    reporter = k + 1 if (r == 0 and k is not None) else rng.randrange(1, n + 1)
                    reports.append([item_id, channel_id, f"U{reporter:09d}", kind, target_id, reason,
                                    rng.choice(_REPORT_TEXTS), state, at_r])
                items.append((item_id, source, channel_id, kind, target_id, reason, state, count, "", "[]", 0, created,
                              updated, claimed_by, claimed_at, decided_by, decided_at, note))
            else:
                items.append((item_id, source, channel_id, kind, target_id, reason, state, 0, result.text,
                              json.dumps(result.evidence, ensure_ascii=False), result.score, created, updated,
                              claimed_by, claimed_at, decided_by, decided_at, note))

        c.copy(_model("staff.QueueItem"),
               ["id", "source", "channel", "target_kind", "target_id", "reason", "state", "report_count", "excerpt", "evidence",
                "score", "created_at", "updated_at", "claimed_by", "claimed_at", "decided_by", "decided_at", "decision_note"],
               iter(items), label="queue_items")
        del items
        reports.sort(key=lambda row: (row[8], row[0]))  # ids in the order the reports came in

        def report_rows() -> Iterator[tuple]:
            for report_id, row in enumerate(reports, start=1):
                # Every other report came through the webhook, which gives it a message id.
                yield (report_id, *row, f"wh-{report_id}" if report_id % 2 else "")

        c.copy(_model("staff.Report"),
               ["id", "item", "channel", "reporter_external_id", "target_kind", "target_id", "reason", "text", "state",
                "created_at", "external_id"], report_rows(), label="reports")

    def _channel_name(self, channel_id: int) -> str:
        return f"{_WORDS[channel_id % 10]} {_WORDS[10 + (channel_id // 10) % 20]} {channel_id}"


def _fraud_rules() -> list:
    """The active fraud rules, compiled, as the scanner uses them; the defaults first if a flush
    removed them (they come with a data migration)."""
    from staff.fraud import CompiledRule
    from staff.services.moderation import ensure_default_rules

    ensure_default_rules()
    rules = []
    for rule in _model("staff.FraudRule").objects.filter(is_active=True).order_by("id"):
        try:
            rules.append(CompiledRule(rule.id, rule.name, rule.category, rule.weight, rule.compiled()))
        except re.error:
            continue
    return rules


def _scan(text: str, rules: list):
    from staff.fraud import scan_text

    return scan_text(text, rules)
