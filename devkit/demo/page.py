"""`tandem demo --html FILE`: the story as one self-contained web page, drawn the way Slack
draws it (author, time, sections, fields, context, buttons, modals as dialogs, the Home tab),
grouped by act, with a lane per person. Inline CSS and a few lines of inline script (times in
the reader's timezone, the lanes); nothing is loaded from anywhere."""

import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devkit.demo.story import ACTION, EPHEMERAL, FILE, FORM_ERRORS, MODAL, NOTE, Card, Story
from devkit.demo.transcript import Person

_ANGLE = re.compile(r"&lt;([^&<>]+?)&gt;")
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")
SLACK_DATE_TITLE = "In Slack, each reader sees this on their own clock"
# The emoji Tandem's messages use, drawn as Slack draws them (others stay as :name:).
EMOJI = {
    "white_check_mark": "✅",
    "wave": "👋",
    "calendar": "📅",
    "clock3": "🕒",
    "zzz": "💤",
    "seedling": "🌱",
    "memo": "📝",
    "handshake": "🤝",
    "fast_forward": "⏩",
    "double_vertical_bar": "⏸",
    "arrow_forward": "▶",
    "tada": "🎉",
    "star": "⭐",
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def mrkdwn(text: str, names: Mapping[str, str]) -> str:
    """Slack's mrkdwn as HTML: mentions, channels, links, *bold*, _italic_, ~strike~, `code`,
    > quotes and line breaks. Everything else is escaped."""
    escaped = _e(html.unescape(text or ""))

    def angle(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            who = names.get(target[1:], label or target[1:])
            return f'<span class="mention">@{who}</span>'
        if target.startswith("#"):
            name = label or names.get(target[1:], target[1:]).lstrip("#")
            return f'<span class="mention">#{name}</span>'
        if target.startswith("!date^"):
            # Slack draws the token on each reader's own clock; the page, read by anyone,
            # shows its fallback (the recipient's time, naming the zone).
            return f'<span class="date" title="{SLACK_DATE_TITLE}">{label or target}</span>'
        if target.startswith("!"):
            return f'<span class="mention">@{target[1:]}</span>'
        return f'<span class="link">{label or target}</span>'

    out = _ANGLE.sub(angle, escaped)
    out = _SHORTCODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), out)
    out = re.sub(r"```(.+?)```", r"<pre>\1</pre>", out, flags=re.S)
    out = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", out)
    out = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"<i>\1</i>", out)
    out = re.sub(r"(?<![\w~])~([^~\n]+)~(?![\w~])", r"<s>\1</s>", out)
    lines = [
        f"<blockquote>{line[5:]}</blockquote>" if line.startswith("&gt; ") else line
        for line in out.split("\n")
    ]
    return "<br>".join(lines).replace("</blockquote><br>", "</blockquote>")


def _text(obj: Any, names: Mapping[str, str]) -> str:
    if isinstance(obj, dict):
        if obj.get("type") == "plain_text":
            return _e(obj.get("text", ""))
        return mrkdwn(str(obj.get("text", "")), names)
    return _e(obj or "")


def _plain(obj: Any) -> str:
    return _e(obj.get("text", "")) if isinstance(obj, dict) else _e(obj or "")


def element(el: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """An interactive element as Slack shows it (not clickable: this is a picture)."""
    kind = el.get("type")
    if kind == "button":
        style = f" {el['style']}" if el.get("style") in ("primary", "danger") else ""
        return f'<span class="button{style}">{_plain(el.get("text"))}</span>'
    if kind == "overflow":
        return '<span class="button overflow">⋯</span>'
    if kind and (kind.endswith("_select") or kind in ("radio_buttons", "checkboxes")):
        chosen = el.get("initial_option") or {}
        shown = _plain(chosen.get("text")) or _plain(el.get("placeholder")) or "Choose"
        if kind in ("radio_buttons", "checkboxes"):
            mark = "◉" if kind == "radio_buttons" else "☑"
            options = "".join(
                f'<span class="option">{mark if o == chosen else "○"} '
                f"{_plain(o.get('text'))}</span>"
                for o in el.get("options", [])
            )
            return f'<span class="choices">{options}</span>'
        return f'<span class="select">{shown}<span class="caret">▾</span></span>'
    if kind == "datepicker":
        return f'<span class="select">📅 {_e(el.get("initial_date") or "Pick a date")}</span>'
    if kind == "timepicker":
        return f'<span class="select">{_e(el.get("initial_time") or "Pick a time")}</span>'
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        value = _e(el.get("initial_value") or "")
        tall = " tall" if el.get("multiline") else ""
        placeholder = _plain(el.get("placeholder"))
        return f'<span class="input{tall}">{value or f"<i>{placeholder}</i>"}</span>'
    if kind == "image":
        return f'<span class="image" title="{_e(el.get("alt_text", ""))}">🖼</span>'
    if "text" in el:
        return _text(el, names)
    return ""


def _rich(node: Any, names: Mapping[str, str]) -> str:
    if isinstance(node, dict):
        if node.get("type") == "text":
            return _e(node.get("text", "")).replace("\n", "<br>")
        if node.get("type") == "user":
            return (
                f'<span class="mention">@{_e(names.get(node.get("user_id", ""), "someone"))}</span>'
            )
        if node.get("type") == "link":
            return f'<span class="link">{_e(node.get("text") or node.get("url", ""))}</span>'
        return "".join(_rich(child, names) for child in node.get("elements", []))
    return ""


def block(b: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One Block Kit block."""
    kind = b.get("type")
    if kind == "header":
        return f'<div class="header">{_plain(b.get("text"))}</div>'
    if kind == "divider":
        return '<hr class="divider">'
    if kind == "section":
        text = f'<div class="text">{_text(b["text"], names)}</div>' if b.get("text") else ""
        fields = "".join(
            f'<div class="field">{_text(f, names)}</div>' for f in b.get("fields") or []
        )
        fields = f'<div class="fields">{fields}</div>' if fields else ""
        accessory = b.get("accessory")
        side = f'<div class="accessory">{element(accessory, names)}</div>' if accessory else ""
        return f'<div class="section"><div class="body">{text}{fields}</div>{side}</div>'
    if kind == "context":
        parts = "".join(f"<span>{element(el, names)}</span>" for el in b.get("elements", []))
        return f'<div class="context">{parts}</div>'
    if kind == "actions":
        parts = "".join(element(el, names) for el in b.get("elements", []))
        return f'<div class="actions">{parts}</div>'
    if kind == "input":
        optional = ' <span class="optional">(optional)</span>' if b.get("optional") else ""
        hint = f'<div class="hint">{_plain(b["hint"])}</div>' if b.get("hint") else ""
        return (
            f'<div class="input-block"><label>{_plain(b.get("label"))}{optional}</label>'
            f"{element(b.get('element') or {}, names)}{hint}</div>"
        )
    if kind == "rich_text":
        return f'<div class="text">{_rich(b, names)}</div>'
    if kind == "image":
        return f'<div class="image-block">🖼 {_e(b.get("alt_text", ""))}</div>'
    return ""


def message_body(text: str, blocks: list[dict[str, Any]] | None, names: Mapping[str, str]) -> str:
    """A message's blocks, or its text when it has none."""
    if blocks:
        return "".join(block(b, names) for b in blocks)
    return f'<div class="text">{mrkdwn(text, names)}</div>'


def modal(view: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A modal as a dialog: title bar, blocks, Cancel and Submit."""
    buttons = ""
    if view.get("close"):
        buttons += f'<span class="button">{_plain(view["close"])}</span>'
    if view.get("submit"):
        buttons += f'<span class="button primary">{_plain(view["submit"])}</span>'
    blocks = "".join(block(b, names) for b in view.get("blocks", []))
    return (
        f'<div class="dialog" role="dialog"><div class="dialog-title">'
        f'<span class="app-icon">T</span>{_plain(view.get("title"))}<span class="x">✕</span></div>'
        f'<div class="dialog-body">{blocks}</div><div class="dialog-foot">{buttons}</div></div>'
    )


def _time(at: datetime) -> str:
    iso = at.isoformat()
    return f'<time datetime="{iso}" title="{at:%Y-%m-%d %H:%M} UTC">{at:%a %d %b, %H:%M} UTC</time>'


def _author(name: str, colour: str, at: datetime, badge: str = "") -> str:
    return (
        f'<div class="avatar" style="background:{colour}">{_e(name[:1])}</div>'
        f'<div class="meta"><b>{_e(name)}</b>{badge} {_time(at)}</div>'
    )


def card(c: Card, people: Mapping[str, Person], names: Mapping[str, str]) -> str:
    """One card of the story: an action, a note, a message, an ephemeral, a modal."""
    seen = " ".join(c.people)
    attrs = f'data-people="{_e(seen)}"'
    if c.kind == ACTION:
        who = people.get(c.actor or "")
        name = who.name if who else "Someone"
        role = f" ({who.role})" if who else ""
        return (
            f'<div class="card action" {attrs}><span class="who">{_e(name)}{_e(role)}</span> '
            f"{mrkdwn(c.text, names)} <span class='when'>{_time(c.at)}</span></div>"
        )
    if c.kind == NOTE:
        return f'<div class="card note" {attrs}>{_e(c.text)}</div>'
    if c.kind == FORM_ERRORS:
        errors = "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in c.errors.items())
        return f'<div class="card errors" {attrs}><b>The form says</b><ul>{errors}</ul></div>'
    if c.kind == MODAL:
        viewer = people.get(c.people[0]).name if c.people and c.people[0] in people else ""
        caption = f'<div class="caption">{_e(viewer)} sees a dialog</div>' if viewer else ""
        return f'<div class="card modal" {attrs}>{caption}{modal(c.view or {}, names)}</div>'
    bot = _author("Tandem", "#2e4a62", c.at, '<span class="badge">APP</span>')
    where = f'<div class="where">{_e(c.where)}</div>' if c.where else ""
    if c.kind == EPHEMERAL:
        viewer = people.get(c.people[0]).name if c.people and c.people[0] in people else "you"
        where = f'<div class="where">Only visible to {_e(viewer)}</div>'
    edited = ' <span class="edited">(edited)</span>' if c.edited else ""
    body = (
        '<div class="text">📎 a file</div>'
        if c.kind == FILE
        else message_body(c.text, c.blocks, names)
    )
    kind = "ephemeral" if c.kind == EPHEMERAL else "message"
    return (
        f'<div class="card {kind}" {attrs}>{where}<div class="msg">{bot}'
        f'<div class="content">{body}{edited}</div></div></div>'
    )


def home_tab(user: Person, view: Mapping[str, Any], names: Mapping[str, str]) -> str:
    blocks = "".join(block(b, names) for b in view.get("blocks", []))
    return (
        f'<div class="card home" data-people="{_e(user.user_id)}"><div class="tabs">'
        f'<span class="tab on">Home</span><span class="tab">Messages</span>'
        f'<span class="whose">Tandem, as {_e(user.name)} sees it</span></div>'
        f'<div class="home-body">{blocks}</div></div>'
    )


def render_page(story: Story, people: list[Person], names: Mapping[str, str]) -> str:
    """The whole page."""
    by_id = {p.user_id: p for p in people}
    lanes = '<button data-lane="" class="on">Everyone</button>' + "".join(
        f'<button data-lane="{_e(p.user_id)}">{_e(p.name)} ({_e(p.role)})</button>' for p in people
    )
    lane_rules = "\n".join(
        f'body[data-lane="{p.user_id}"] .card:not([data-people=""])'
        f':not([data-people~="{p.user_id}"]){{display:none}}'
        for p in people
    )
    acts = []
    for number, act in enumerate(story.acts, 1):
        cards = "".join(card(c, by_id, names) for c in act.cards)
        acts.append(
            f'<section class="act" id="act-{number}"><h2>{_e(act.title)}</h2>{cards}</section>'
        )
    homes = "".join(
        home_tab(by_id[user], view, names) for user, view in story.homes.items() if user in by_id
    )
    if homes:
        acts.append(
            f'<section class="act" id="home"><h2>The Home tab, at the end</h2>{homes}</section>'
        )
    nav = "".join(
        f'<a href="#act-{n}">{_e(a.title.split(" — ")[0])}</a>' for n, a in enumerate(story.acts, 1)
    )
    cast = ", ".join(f"{_e(p.name)} ({_e(p.role)}, {_e(p.tz)})" for p in people)
    return PAGE.format(
        css=CSS + lane_rules,
        cast=cast,
        lanes=lanes,
        nav=nav,
        acts="".join(acts),
        script=SCRIPT,
    )


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tandem demo — a mentorship in Slack</title>
<style>{css}</style></head>
<body data-lane="">
<header><h1>Tandem demo</h1>
<p>A mentorship from proposal to graduation, weeks compressed into seconds, against a local
Slack. Cast: {cast}. Times are shown in <span id="zone">UTC</span>.</p>
<nav class="lanes" aria-label="Show what one person saw">{lanes}</nav>
<nav class="acts">{nav}</nav></header>
<main>{acts}</main>
<script>{script}</script>
</body></html>
"""

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.46 -apple-system,"Segoe UI",Lato,Helvetica,Arial,sans-serif;
color:#1d1c1d;background:#f4f4f4}
header{position:sticky;top:0;z-index:2;background:#3f0e40;color:#fff;padding:12px 24px}
header h1{margin:0 0 4px;font-size:20px}header p{margin:0 0 8px;opacity:.9;font-size:13px}
nav{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.lanes button{border:1px solid #ffffff80;background:transparent;color:#fff;border-radius:14px;
padding:3px 12px;font:inherit;font-size:13px;cursor:pointer}
.lanes button.on{background:#fff;color:#3f0e40}
.acts a{color:#fff;font-size:12px;opacity:.8}
main{max-width:860px;margin:0 auto;padding:16px}
.act{background:#fff;border:1px solid #ddd;border-radius:8px;margin:18px 0;padding:8px 0 16px}
.act h2{font-size:17px;margin:6px 20px 12px;padding-bottom:8px;border-bottom:1px solid #eee}
.card{margin:6px 20px}
.action{color:#616061;font-size:13px;padding:4px 10px;border-left:3px solid #1264a3;
background:#f8f8f8}
.action .who{font-weight:700;color:#1d1c1d}.action .when{float:right;font-size:12px}
.note{color:#616061;font-style:italic;font-size:13px;padding:2px 10px}
.where{font-size:12px;color:#616061;margin:10px 0 2px;font-weight:700}
.ephemeral .where{font-weight:400;font-style:italic}
.msg{display:flex;gap:8px;padding:6px 8px;border-radius:6px}
.msg:hover{background:#f8f8f8}.ephemeral .msg{background:#f3f8fc}
.avatar{flex:none;width:36px;height:36px;border-radius:6px;color:#fff;font-weight:700;
display:flex;align-items:center;justify-content:center}
.meta{font-size:15px}.meta time{color:#616061;font-size:12px;margin-left:4px}
.badge{background:#ddd;color:#616061;font-size:10px;font-weight:700;border-radius:2px;
padding:1px 3px;margin-left:4px;vertical-align:middle}
.msg{flex-wrap:wrap}.msg .meta{flex:1 1 calc(100% - 44px)}
.content{margin-left:44px;margin-top:-22px;flex:1 1 100%;min-width:0}
.content .text{white-space:normal;overflow-wrap:anywhere}
.header{font-weight:900;font-size:18px;margin:6px 0}
.section{display:flex;gap:12px;margin:4px 0}.section .body{flex:1;min-width:0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}
.context{color:#616061;font-size:12px;margin:4px 0;display:flex;gap:8px;flex-wrap:wrap}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;
font-size:14px;font-weight:700;background:#fff;white-space:nowrap}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.button.danger{color:#e01e5a;border-color:#e01e5a}
.select{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 10px;
min-width:160px;background:#fff}.caret{float:right;margin-left:8px;color:#616061}
.choices{display:flex;flex-direction:column}.option{font-size:14px}
.divider{border:0;border-top:1px solid #ddd;margin:8px 0}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.date{border-bottom:1px dotted #1264a3;cursor:help}
.link{color:#1264a3}code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;
padding:0 3px;color:#e01e5a;font-size:13px}
blockquote{margin:2px 0;padding-left:10px;border-left:4px solid #ddd}
.edited{color:#616061;font-size:12px}
.modal .caption{font-size:12px;color:#616061;margin:10px 0 4px}
.dialog{max-width:520px;margin:0 auto 8px;border-radius:8px;background:#fff;
box-shadow:0 0 0 1px #0000001a,0 18px 48px #00000059;overflow:hidden}
.dialog-title{display:flex;align-items:center;gap:8px;font-weight:900;font-size:18px;
padding:14px 18px;border-bottom:1px solid #eee}.dialog-title .x{margin-left:auto;color:#616061}
.app-icon{width:24px;height:24px;border-radius:5px;background:#2e4a62;color:#fff;font-size:13px;
display:inline-flex;align-items:center;justify-content:center}
.dialog-body{padding:8px 18px;max-height:640px;overflow:auto}
.dialog-foot{display:flex;justify-content:flex-end;gap:8px;padding:12px 18px;
border-top:1px solid #eee}
.input-block{margin:10px 0}.input-block label{display:block;font-weight:700;margin-bottom:4px}
.optional,.hint{color:#616061;font-weight:400;font-size:13px}
.input{display:block;border:1px solid #bbb;border-radius:4px;padding:6px 8px;min-height:34px}
.input.tall{min-height:64px}.input i{color:#999}
.errors{color:#e01e5a;font-size:13px}
.home{border:1px solid #ddd;border-radius:8px;margin:12px 20px;overflow:hidden}
.tabs{display:flex;gap:16px;padding:8px 16px 0;border-bottom:1px solid #ddd;font-size:14px}
.tab{padding-bottom:6px;color:#616061}.tab.on{color:#1d1c1d;font-weight:700;
border-bottom:2px solid #1264a3}.whose{margin-left:auto;color:#616061;font-size:12px}
.home-body{padding:8px 16px}
"""

SCRIPT = """
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  document.getElementById("zone").textContent = "your timezone (" + zone + ")";
  var format = new Intl.DateTimeFormat(undefined, {weekday: "short", day: "numeric",
    month: "short", hour: "2-digit", minute: "2-digit"});
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    el.textContent = format.format(new Date(el.getAttribute("datetime")));
  });
  document.querySelectorAll(".lanes button").forEach(function (button) {
    button.addEventListener("click", function () {
      document.body.setAttribute("data-lane", button.getAttribute("data-lane"));
      document.querySelectorAll(".lanes button").forEach(function (b) {
        b.classList.toggle("on", b === button);
      });
    });
  });
})();
"""
