"""Celebrations in the programme channel: only with both members' consent when the charter
says "ask us each time", credit to both, nothing private, exactly once, and failures the owner
hears about and can retry."""

from datetime import date

from sqlmodel import select

from bot.goals import form_rules
from storage.models import Celebration
from storage.models.goals import ShareStatus
from tests.support.harness import CELEBRATIONS_CHANNEL, MENTEE, MENTOR, OUTSIDER

SECRET_WHY = "SECRET-WHY nobody else should read"
SECRET_BLOCKER = "SECRET-BLOCKER about my manager"


def tick_first_milestone(steps, user: str = MENTEE) -> dict:  # type: ignore[no-untyped-def]
    """Set a goal (with private words in it), post an update, then tick its first milestone."""
    message = steps.create_goal(why=SECRET_WHY, milestones=[("Write the design doc", None)])
    view = steps.open_modal(MENTEE, "update")
    values = {
        form_rules.PERCENT: "20",
        form_rules.HAPPENED: "Started",
        form_rules.BLOCKERS: SECRET_BLOCKER,
    }
    assert steps.tandem.slack.submit_view(MENTEE, view, values).body.strip() == ""
    action = next(b["accessory"]["action_id"] for b in message["blocks"] if "goal.tick:" in str(b))
    steps.click(user, message, action, "chat.update")
    return message


def settle(tandem) -> None:  # type: ignore[no-untyped-def]
    """Let the background sender finish, then run the scheduler's due work once."""
    tandem.stop_delivery()
    tandem.run_due()


def consent_message(steps, user: str = MENTEE) -> dict:  # type: ignore[no-untyped-def]
    steps.wait_for_post(user, kind="celebrate.ask")
    return steps.latest(user, "Share this in the celebrations channel?")


def both_say_yes(steps) -> dict:  # type: ignore[no-untyped-def]
    """The mentor says yes first, then the owner (the mentee); returns the owner's ask."""
    steps.click(MENTOR, consent_message(steps, MENTOR), "goal.share", "chat.update")
    ask = consent_message(steps)
    steps.click(MENTEE, ask, "goal.share", "chat.update")
    return ask


def celebration(tandem) -> Celebration:  # type: ignore[no-untyped-def]
    with tandem.session() as session:
        return session.exec(select(Celebration)).one()


def channel_posts(tandem, channel: str = CELEBRATIONS_CHANNEL) -> list[dict]:  # type: ignore[no-untyped-def]
    return tandem.emulator.messages(channel)


def test_both_are_asked_and_sharing_credits_both_with_nothing_private(tandem, with_channel) -> None:
    steps = with_channel
    tick_first_milestone(steps)
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    cheer = steps.text_of(steps.latest(steps.pair.home_channel_id, "Milestone done"))
    assert f"I've asked you both whether to share it in <#{CELEBRATIONS_CHANNEL}>" in cheer

    ask = consent_message(steps)
    shown = steps.text_of(ask)
    assert f"Share this in <#{CELEBRATIONS_CHANNEL}>?" in shown and "Congratulations" in shown
    assert "> 🎉 *Milestone reached!*" in shown and "Write the design doc" in shown
    partners = steps.text_of(consent_message(steps, MENTOR))
    assert f"<@{MENTEE}> reached" in partners and "only if you both say yes" in partners
    assert channel_posts(tandem) == []

    steps.click(MENTEE, ask, "goal.share", "chat.update")  # the owner alone: not yet
    said = steps.text_of(tandem.emulator.message(ask["channel"], ask["ts"]))
    assert f"shared once <@{MENTOR}> says yes too" in said
    assert celebration(tandem).share_status == ShareStatus.ASKED
    assert channel_posts(tandem) == []
    mentor_ask = consent_message(steps, MENTOR)
    steps.click(MENTOR, mentor_ask, "goal.share", "chat.update")
    steps.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    [post] = channel_posts(tandem)
    text = steps.text_of(post)
    assert f"<@{MENTEE}>" in text and f"<@{MENTOR}>" in text
    assert "(mentee)" in text and "(mentor)" in text and "Write the design doc" in text
    for private in (SECRET_WHY, SECRET_BLOCKER, "Help Noah grow", "Lead a project end to end"):
        assert private not in text
    answered = tandem.emulator.message(mentor_ask["channel"], mentor_ask["ts"])
    assert (
        "sharing it in" in steps.text_of(answered) and answered["blocks"][-1]["type"] != "actions"
    )

    settle(tandem)
    row = celebration(tandem)
    assert (row.share_status, row.channel_id, row.message_ts) == (
        ShareStatus.SHARED,
        CELEBRATIONS_CHANNEL,
        post["ts"],
    )


def test_declining_posts_nothing_ever(tandem, with_channel) -> None:
    steps = with_channel
    tick_first_milestone(steps)
    ask = consent_message(steps)
    steps.click(MENTEE, ask, "goal.noshare", "chat.update")
    answered = tandem.emulator.message(ask["channel"], ask["ts"])
    assert "stays between the two of you" in steps.text_of(answered)
    steps.click(MENTOR, consent_message(steps, MENTOR), "goal.share", "chat.update")  # too late
    settle(tandem)
    assert channel_posts(tandem) == []
    assert celebration(tandem).share_status == ShareStatus.DECLINED
    assert [m for m in tandem.emulator.messages(MENTOR) if "would rather keep" in m["text"]] == []


def test_the_partner_declining_posts_nothing_and_the_owner_is_told_kindly(
    tandem, with_channel
) -> None:
    steps = with_channel
    tick_first_milestone(steps)
    steps.click(MENTEE, consent_message(steps), "goal.share", "chat.update")  # the owner: yes
    mentor_ask = consent_message(steps, MENTOR)
    steps.click(MENTOR, mentor_ask, "goal.noshare", "chat.update")
    assert "stays between the two of you" in steps.text_of(
        tandem.emulator.message(mentor_ask["channel"], mentor_ask["ts"])
    )
    steps.wait_for_post(MENTEE, kind="celebrate.declined")
    told = steps.text_of(steps.latest(MENTEE, "would rather keep"))
    assert f"<@{MENTOR}> would rather keep *Write the design doc* between the two of you" in told
    assert "congratulations" in told
    settle(tandem)
    assert channel_posts(tandem) == []
    assert celebration(tandem).share_status == ShareStatus.DECLINED


def test_only_the_two_decide_and_twice_is_once(tandem, with_channel) -> None:
    steps = with_channel
    tick_first_milestone(steps, user=MENTOR)  # the mentor ticks; the mentee owns the goal
    ask = consent_message(steps)

    tandem.slack.click_button_in(ask, OUTSIDER, action_id="goal.share")
    tandem.emulator.wait_for("response_url", count=1)
    [reply] = [c.args["text"] for c in tandem.emulator.calls("response_url")]
    assert "Nothing changed" in reply or "couldn't find" in reply
    assert celebration(tandem).share_status == ShareStatus.ASKED

    steps.click(MENTOR, consent_message(steps, MENTOR), "goal.share", "chat.update")
    tandem.emulator.set_latency("chat.update", 0.3)
    updates = len(tandem.emulator.calls("chat.update"))
    for _ in range(2):  # a double click: the message still shows the buttons the second time
        tandem.slack.click_button_in(ask, MENTEE, action_id="goal.share")
    tandem.emulator.wait_for("chat.update", count=updates + 2)
    settle(tandem)
    assert len(channel_posts(tandem)) == 1
    assert celebration(tandem).share_attempts == 1


def test_charter_always_shares_without_asking(tandem, steps_sharing) -> None:
    steps = steps_sharing("always")
    steps.set_channel()
    tick_first_milestone(steps)
    steps.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    assert len(channel_posts(tandem)) == 1
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    cheer = steps.text_of(steps.latest(steps.pair.home_channel_id, "Milestone done"))
    assert "always share" in cheer
    settle(tandem)
    assert [m for m in tandem.emulator.messages(MENTEE) if "Share this" in m["text"]] == []


def test_charter_never_and_no_channel_mean_no_question(tandem, steps_sharing) -> None:
    never = steps_sharing("never")
    never.set_channel()
    tick_first_milestone(never)
    never.wait_for_post(never.pair.home_channel_id, kind="celebrate.pair")
    settle(tandem)
    assert celebration(tandem).share_status == ShareStatus.NEVER
    assert channel_posts(tandem) == []
    assert [m for m in tandem.emulator.messages(MENTEE) if "Share this" in m["text"]] == []


def test_no_celebrations_channel_means_no_question(tandem, steps) -> None:
    tick_first_milestone(steps)
    steps.wait_for_post(steps.pair.home_channel_id, kind="celebrate.pair")
    settle(tandem)
    assert celebration(tandem).share_status == ShareStatus.NO_CHANNEL
    assert [m for m in tandem.emulator.messages(MENTEE) if "Share this" in m["text"]] == []


def test_the_environment_channel_is_used_unless_the_workspace_picked_one(env_steps) -> None:
    steps = env_steps
    tandem = steps.tandem
    tick_first_milestone(steps)
    assert f"<#{CELEBRATIONS_CHANNEL}>" in steps.text_of(consent_message(steps))

    tandem.emulator.add_channel("CPROGRAMME", "programme-wins")
    steps.set_channel("CPROGRAMME")  # the workspace setting wins from now on
    steps.click(MENTEE, steps.goal_messages()[-1], "goal.complete", "views.open")
    status_view = tandem.emulator.open_view(MENTEE)
    assert tandem.slack.submit_view(MENTEE, status_view, {}).body.strip() == ""
    steps.wait_for_post(MENTEE, count=2, kind="celebrate.ask")
    ask = steps.latest(MENTEE, "Share this")
    assert "<#CPROGRAMME>" in steps.text_of(ask) and "*Goal achieved!*" in steps.text_of(ask)


def fail_then_fix(tandem, steps, channel: str, hint: str) -> dict:  # type: ignore[no-untyped-def]
    """Share into a broken channel; the owner is told `hint` and gets a Retry button."""
    steps.set_channel(channel)
    tick_first_milestone(steps)
    steps.click(MENTOR, consent_message(steps, MENTOR), "goal.share", "chat.update")
    ask = consent_message(steps)
    tandem.stop_delivery()  # from here the test decides when the outbox is sent
    steps.click(MENTEE, ask, "goal.share", "chat.update")
    tandem.run_due()  # Slack refuses the post: a permanent failure on the outbox row
    refused = [c for c in tandem.emulator.calls("chat.postMessage") if c.args["channel"] == channel]
    assert refused and not refused[-1].response["ok"]
    tandem.run_due()  # the scheduler notices and tells the owner
    failed = steps.latest(MENTEE, "I couldn't share")
    assert hint in steps.text_of(failed)
    assert "Retry" in str(failed["blocks"])
    assert celebration(tandem).share_status == ShareStatus.FAILED
    tandem.run_due()
    assert len([m for m in tandem.emulator.messages(MENTEE) if "couldn't share" in m["text"]]) == 1
    return failed


def test_bot_not_in_channel_is_explained_and_retry_posts_it(tandem, with_channel) -> None:
    steps = with_channel
    tandem.emulator.add_channel("CNOTIN", "wins", bot_is_member=False)
    failed = fail_then_fix(tandem, steps, "CNOTIN", "/invite @Tandem")
    tandem.emulator.add_channel("CNOTIN", "wins", bot_is_member=True)  # someone invited us
    steps.click(MENTEE, failed, "goal.share_retry", "chat.update")
    tandem.run_due()
    [post] = channel_posts(tandem, "CNOTIN")
    assert f"<@{MENTOR}>" in steps.text_of(post)
    tandem.run_due()
    assert celebration(tandem).share_status == ShareStatus.SHARED
    assert celebration(tandem).share_attempts == 2


def test_archived_channel_asks_for_another_and_retry_uses_it(tandem, with_channel) -> None:
    steps = with_channel
    tandem.emulator.add_channel("COLD", "old-wins", is_archived=True)
    failed = fail_then_fix(tandem, steps, "COLD", "archived")
    steps.set_channel(CELEBRATIONS_CHANNEL)  # an admin picks another channel
    steps.click(MENTEE, failed, "goal.share_retry", "chat.update")
    tandem.run_due()
    assert len(channel_posts(tandem)) == 1 and channel_posts(tandem, "COLD") == []


def test_missing_channel_is_explained(tandem, with_channel) -> None:
    fail_then_fix(tandem, with_channel, "CGONE404", "no longer exists")


def test_a_completed_goal_is_offered_for_sharing_too(tandem, with_channel) -> None:
    steps = with_channel
    message = steps.create_goal(why=SECRET_WHY, target=date(2026, 5, 1))
    steps.click(MENTEE, message, "goal.complete", "views.open")
    view = tandem.emulator.open_view(MENTEE)
    assert tandem.slack.submit_view(MENTEE, view, {form_rules.REASON: "SECRET-NOTE"}).ok
    both_say_yes(steps)
    steps.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    text = steps.text_of(channel_posts(tandem)[0])
    assert "*Goal achieved!*" in text and "Lead the Q3 launch" in text
    assert SECRET_WHY not in text and "SECRET-NOTE" not in text


def test_a_question_asked_of_the_owner_alone_before_the_change_is_still_theirs_alone(
    tandem, with_channel
) -> None:
    steps = with_channel
    tick_first_milestone(steps)
    ask = consent_message(steps)
    with tandem.session() as session:  # as a row asked before both members were asked
        row = session.exec(select(Celebration)).one()
        row.consented_by = None
        session.add(row)
    tandem.slack.click_button_in(consent_message(steps, MENTOR), MENTOR, action_id="goal.share")
    tandem.emulator.wait_for("response_url", count=1)
    assert f"It's <@{MENTEE}>'s win" in tandem.emulator.calls("response_url")[0].args["text"]
    steps.click(MENTEE, ask, "goal.share", "chat.update")
    steps.wait_for_post(CELEBRATIONS_CHANNEL, kind="celebrate.announce")
    assert len(channel_posts(tandem)) == 1
