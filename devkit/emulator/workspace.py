"""In-memory state of the emulated Slack workspace (no HTTP here).

The :class:`Workspace` owns users, conversations, messages, views, files, trigger ids and
response URLs, and implements the Slack rules that are about *state* (IM ids, modal stacks,
hashes...). It is not thread-safe on its own: :class:`~devkit.emulator.server.SlackEmulator`
serialises access with its lock.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.limits import iter_elements

# Slack shows long zone names; zoneinfo only knows abbreviations, so map the usual ones.
_TZ_LABELS = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "IST": "Irish Standard Time",
    "WET": "Western European Time",
    "WEST": "Western European Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
    "UTC": "Coordinated Universal Time",
}

MAX_MPIM_USERS = 8


class SlackError(Exception):
    """A Web API failure: becomes ``{"ok": false, "error": code, **extra}``."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.code, **self.extra}


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str = "Europe/London"
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    email: str = ""
    team_id: str = ""  # another workspace's member (Slack Connect); "" for this one's


@dataclass
class Conversation:
    """A channel, private channel, IM or MPIM."""

    id: str
    name: str
    created: int
    is_im: bool = False
    is_mpim: bool = False
    is_private: bool = False
    is_archived: bool = False
    bot_is_member: bool = True
    # None means "every active user" (the common case for a test channel).
    members: list[str] | None = None
    im_user: str | None = None


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    user: str
    blocks: list[dict] | None = None
    metadata: dict | None = None
    thread_ts: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    files: list[dict] | None = None
    reply_broadcast: bool = False
    replies: list[str] = field(default_factory=list)

    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts


@dataclass
class UploadedFile:
    """A file from files.getUploadURLExternal, filled by the upload and completion steps."""

    id: str
    filename: str
    length: int
    title: str | None = None
    content: bytes | None = None
    channel: str | None = None
    initial_comment: str | None = None
    completed: bool = False


@dataclass
class Trigger:
    id: str
    user_id: str
    view_id: str | None
    issued_at: float
    used: bool = False


@dataclass
class ResponseTarget:
    """Where a response_url posts: the conversation, the user and the original message."""

    id: str
    channel_id: str | None
    user_id: str | None
    message_ts: str | None
    issued_at: float
    uses: int = 0
    # From a click in an ephemeral message: replace_original replaces that ephemeral.
    ephemeral: bool = False


def ts_key(ts: str) -> Decimal:
    """Slack timestamps compare as decimals ("1700000000.000100"); floats lose digits."""
    return Decimal(ts)


class Workspace:
    """All state of one emulated workspace with one installed bot."""

    def __init__(
        self,
        *,
        team_id: str,
        team_name: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        bot_name: str = "tandem",
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.domain = re.sub(r"[^a-z0-9]+", "-", team_name.lower()).strip("-") or "workspace"
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        self.users: dict[str, User] = {}
        self.conversations: dict[str, Conversation] = {}
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.view_owner: dict[str, str] = {}
        self.closed_views: set[str] = set()
        self.modal_stacks: dict[str, list[str]] = {}
        self.homes: dict[str, str] = {}
        self.external_ids: dict[str, str] = {}
        self.files: dict[str, UploadedFile] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_targets: dict[str, ResponseTarget] = {}
        self._counter = itertools.count(1)
        self._last_ts = 0
        # Seeded so generated block_ids/action_ids are stable between runs.
        self._rng = random.Random(team_id)
        self.add_user(bot_user_id, bot_name, real_name=bot_name.title(), is_bot=True)

    # -- ids ----------------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        """A Slack-looking id (``V0000001K``); sequential so test output is readable."""
        n = next(self._counter)
        digits = ""
        while n:
            n, rem = divmod(n, 36)
            digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rem] + digits
        return prefix + digits.rjust(8, "0")

    def new_ts(self) -> str:
        """A unique, increasing message ts derived from the wall clock, like Slack's."""
        micros = max(int(time.time() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def new_hash(self) -> str:
        return f"{int(time.time())}.{self._rng.getrandbits(32):08x}"

    def short_id(self) -> str:
        """Slack fills in missing block_id/action_id with short random strings."""
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(self._rng.choice(alphabet) for _ in range(5))

    def dm_channel_id(self, user_id: str) -> str:
        digest = hashlib.sha1(f"{self.team_id}:im:{user_id}".encode()).hexdigest()
        return "D" + digest[:10].upper()

    def mpim_channel_id(self, user_ids: list[str]) -> str:
        members = ",".join(sorted(set(user_ids)))
        digest = hashlib.sha1(f"{self.team_id}:mpim:{members}".encode()).hexdigest()
        return "G" + digest[:10].upper()

    # -- users --------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "Europe/London",
        real_name: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        is_admin: bool = False,
        is_owner: bool = False,
        email: str | None = None,
        team_id: str | None = None,
    ) -> User:
        ZoneInfo(tz)  # fail fast on a typo rather than on the first users.info
        user = User(
            id=user_id,
            name=name,
            real_name=real_name if real_name is not None else name,
            tz=tz,
            is_bot=is_bot,
            deleted=deleted,
            is_admin=is_admin,
            is_owner=is_owner,
            # Every human member has an address; bots have none, as in Slack.
            email=email if email is not None else ("" if is_bot else f"{name}@{self.domain}.test"),
            team_id=team_id or "",
        )
        self.users[user_id] = user
        return user

    def user_by_email(self, email: str) -> User | None:
        """The member whose address is `email` (Slack compares addresses case-insensitively)."""
        wanted = email.strip().lower()
        for user in self.users.values():
            if user.email and user.email.lower() == wanted:
                return user
        return None

    def user_json(self, user: User) -> dict[str, Any]:
        """The ``user`` object of users.info."""
        zone = ZoneInfo(user.tz)
        now = datetime.now(UTC).astimezone(zone)
        offset = now.utcoffset()
        abbreviation = now.tzname() or ""
        profile: dict[str, Any] = {
            "real_name": user.real_name,
            "display_name": user.name,
            "real_name_normalized": user.real_name,
            "display_name_normalized": user.name,
            "team": user.team_id or self.team_id,
        }
        if user.email:
            profile["email"] = user.email
        if user.is_bot and user.id == self.bot_user_id:
            profile.update(bot_id=self.bot_id, api_app_id=self.app_id)
        return {
            "id": user.id,
            "team_id": user.team_id or self.team_id,
            "name": user.name,
            "real_name": user.real_name,
            "deleted": user.deleted,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "is_admin": user.is_admin,
            "is_owner": user.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": user.tz,
            "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "updated": int(time.time()),
        }

    def active_human(self, user_id: str) -> User:
        """Resolve a user for DMs: Slack's errors for unknown, deactivated and bot users."""
        user = self.users.get(user_id)
        if user is None:
            raise SlackError("user_not_found")
        if user.deleted:
            raise SlackError("user_disabled")
        return user

    # -- conversations ------------------------------------------------------------------

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_archived: bool = False,
        bot_is_member: bool = True,
        is_private: bool = False,
        members: list[str] | None = None,
    ) -> Conversation:
        channel = Conversation(
            id=channel_id,
            name=name,
            created=int(time.time()),
            is_private=is_private,
            is_archived=is_archived,
            bot_is_member=bot_is_member,
            members=list(members) if members is not None else None,
        )
        self.conversations[channel_id] = channel
        return channel

    def open_im(self, user_id: str) -> tuple[Conversation, bool]:
        """The bot's IM with a user, created on first use; returns (im, already_open)."""
        channel_id = self.dm_channel_id(user_id)
        existing = self.conversations.get(channel_id)
        if existing is not None:
            return existing, True
        im = Conversation(
            id=channel_id,
            name=user_id,
            created=int(time.time()),
            is_im=True,
            is_private=True,
            members=[user_id, self.bot_user_id],
            im_user=user_id,
        )
        self.conversations[channel_id] = im
        return im, False

    def open_mpim(self, user_ids: list[str]) -> tuple[Conversation, bool]:
        members = sorted(set(user_ids) | {self.bot_user_id})
        channel_id = self.mpim_channel_id(user_ids)
        existing = self.conversations.get(channel_id)
        if existing is not None:
            return existing, True
        name = "mpdm-" + "--".join(self.users[u].name for u in members) + "-1"
        mpim = Conversation(
            id=channel_id,
            name=name,
            created=int(time.time()),
            is_mpim=True,
            is_private=True,
            members=members,
        )
        self.conversations[channel_id] = mpim
        return mpim, False

    def find_conversation(self, channel: str) -> Conversation | None:
        """By id, or by name (``general``/``#general``) as chat.postMessage allows."""
        found = self.conversations.get(channel)
        if found is None and channel.startswith("D"):
            # An IM the bot has not opened yet still exists in Slack for every user.
            for user_id in self.users:
                if self.dm_channel_id(user_id) == channel:
                    return self.open_im(user_id)[0]
        if found is None:
            name = channel.lstrip("#")
            for conversation in self.conversations.values():
                if not conversation.is_im and conversation.name == name:
                    return conversation
        return found

    def visible_conversation(self, channel: str | None) -> Conversation:
        """A conversation the bot can see: private ones it is not in do not exist for it."""
        conversation = self.find_conversation(channel or "")
        if conversation is None or (conversation.is_private and not self.bot_in(conversation)):
            raise SlackError("channel_not_found")
        return conversation

    def member_ids(self, conversation: Conversation) -> list[str]:
        if conversation.members is not None:
            members = list(conversation.members)
        else:
            members = [u.id for u in self.users.values() if not u.deleted and not u.is_bot]
        if conversation.bot_is_member and self.bot_user_id not in members:
            members.append(self.bot_user_id)
        if not conversation.bot_is_member and self.bot_user_id in members:
            members.remove(self.bot_user_id)
        return members

    def bot_in(self, conversation: Conversation) -> bool:
        return conversation.is_im or conversation.is_mpim or conversation.bot_is_member

    def conversation_json(self, conversation: Conversation) -> dict[str, Any]:
        if conversation.is_im:
            user = self.users.get(conversation.im_user or "")
            return {
                "id": conversation.id,
                "created": conversation.created,
                "is_im": True,
                "is_org_shared": False,
                "user": conversation.im_user,
                "is_user_deleted": bool(user and user.deleted),
                "priority": 0,
            }
        return {
            "id": conversation.id,
            "name": conversation.name,
            "name_normalized": conversation.name,
            "created": conversation.created,
            "creator": "",
            "is_channel": not conversation.is_private and not conversation.is_mpim,
            "is_group": conversation.is_private and not conversation.is_mpim,
            "is_im": False,
            "is_mpim": conversation.is_mpim,
            "is_private": conversation.is_private,
            "is_archived": conversation.is_archived,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_member": self.bot_in(conversation),
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }

    # -- messages -----------------------------------------------------------------------

    def with_generated_ids(self, blocks: list[dict] | None) -> list[dict] | None:
        """Copy blocks, filling missing block_id/action_id as Slack does when storing."""
        if blocks is None:
            return None
        blocks = copy.deepcopy(blocks)
        for block in blocks:
            if isinstance(block, dict) and "block_id" not in block:
                block["block_id"] = self.short_id()
        for _block, element in iter_elements(blocks):
            if "action_id" not in element:
                element["action_id"] = self.short_id()
        return blocks

    def add_message(self, message: Message) -> Message:
        self.messages.setdefault(message.channel, []).append(message)
        if message.is_reply():
            parent = self.find_message(message.channel, message.thread_ts or "")
            if parent is not None:
                parent.thread_ts = parent.ts
                parent.replies.append(message.ts)
        return message

    def find_message(self, channel: str, ts: str) -> Message | None:
        for message in self.messages.get(channel, []):
            if message.ts == ts:
                return message
        return None

    def delete_message(self, message: Message) -> None:
        self.messages[message.channel].remove(message)
        if message.is_reply():
            parent = self.find_message(message.channel, message.thread_ts or "")
            if parent is not None and message.ts in parent.replies:
                parent.replies.remove(message.ts)

    def message_json(self, message: Message, *, include_metadata: bool = True) -> dict[str, Any]:
        """A message as conversations.history and chat.postMessage return it."""
        data: dict[str, Any] = {"type": "message", "user": message.user, "text": message.text}
        if message.bot_id:
            data.update(
                bot_id=message.bot_id,
                app_id=message.app_id,
                bot_profile={
                    "id": message.bot_id,
                    "app_id": message.app_id,
                    "name": self.bot_name,
                    "deleted": False,
                    "team_id": self.team_id,
                },
            )
        data.update(ts=message.ts, team=self.team_id)
        if message.blocks is not None:
            data["blocks"] = copy.deepcopy(message.blocks)
        if message.files:
            data["files"] = copy.deepcopy(message.files)
            data["upload"] = False
        if message.thread_ts is not None:
            data["thread_ts"] = message.thread_ts
        if message.replies:
            data.update(
                reply_count=len(message.replies),
                latest_reply=message.replies[-1],
                reply_users=[self.bot_user_id],
            )
        if message.is_reply() and message.reply_broadcast:
            data["subtype"] = "thread_broadcast"
        if include_metadata and message.metadata is not None:
            data["metadata"] = copy.deepcopy(message.metadata)
        return data

    def permalink(self, channel: str, message: Message) -> str:
        link = f"https://{self.domain}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        if message.is_reply():
            link += f"?thread_ts={message.thread_ts}&cid={channel}"
        return link

    # -- triggers and response urls -----------------------------------------------------

    def issue_trigger(self, user_id: str, view_id: str | None, issued_at: float) -> str:
        trigger_id = (
            f"{next(self._counter)}{self._rng.randint(100000, 999999)}"
            f".{self._rng.randint(10**8, 10**9)}.{self._rng.getrandbits(64):016x}"
        )
        self.triggers[trigger_id] = Trigger(trigger_id, user_id, view_id, issued_at)
        return trigger_id

    def exchange_trigger(self, trigger_id: Any, now: float, ttl: float) -> str | None:
        """Spend a trigger for views.open/push; returns the user it was issued for."""
        if not isinstance(trigger_id, str) or not trigger_id:
            raise SlackError("invalid_trigger_id")
        trigger = self.triggers.get(trigger_id)
        if trigger is None:
            # Issued outside the driver (e.g. a hand-written test payload): trust it.
            return None
        if now - trigger.issued_at > ttl:
            raise SlackError("expired_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        trigger.used = True
        return trigger.user_id

    def new_response_target(
        self,
        channel_id: str | None,
        user_id: str | None,
        message_ts: str | None,
        now: float,
        ephemeral: bool = False,
    ) -> ResponseTarget:
        target = ResponseTarget(
            self.new_id("R").lower(), channel_id, user_id, message_ts, now, ephemeral=ephemeral
        )
        self.response_targets[target.id] = target
        return target

    # -- views --------------------------------------------------------------------------

    def build_view(
        self,
        spec: dict[str, Any],
        *,
        view_id: str,
        root_view_id: str | None = None,
        previous_view_id: str | None = None,
        external_id: str = "",
    ) -> dict[str, Any]:
        """The stored view: the app's spec plus the fields Slack adds (id, hash, state...)."""
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": spec.get("type"),
            "blocks": self.with_generated_ids(spec.get("blocks")) or [],
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": {}},
            "hash": self.new_hash(),
            "title": copy.deepcopy(spec.get("title")),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": copy.deepcopy(spec.get("close")),
            "submit": copy.deepcopy(spec.get("submit")),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": spec.get("external_id") or external_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def store_view(self, view: dict[str, Any], owner: str) -> dict[str, Any]:
        old = self.views.get(view["id"])
        if old is not None and old.get("external_id") and old["external_id"] != view["external_id"]:
            self.external_ids.pop(old["external_id"], None)
        self.views[view["id"]] = view
        self.view_owner[view["id"]] = owner
        if view["external_id"]:
            self.external_ids[view["external_id"]] = view["id"]
        return view

    def check_external_id(self, spec: dict[str, Any], *, allow: str | None = None) -> None:
        external_id = spec.get("external_id")
        if external_id:
            current = self.external_ids.get(external_id)
            if current is not None and current != allow and current not in self.closed_views:
                raise SlackError("duplicate_external_id")

    def close_views(self, view_ids: list[str]) -> None:
        for view_id in view_ids:
            self.closed_views.add(view_id)

    def top_view(self, user_id: str) -> dict[str, Any] | None:
        stack = self.modal_stacks.get(user_id) or []
        return self.views[stack[-1]] if stack else None

    def stack_of(self, view_id: str) -> list[str] | None:
        for stack in self.modal_stacks.values():
            if view_id in stack:
                return stack
        return None
