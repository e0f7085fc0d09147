"""The rest of the Slack surface in the browser: the message shortcut from a message's menu,
external selects typing to Perkbot, sample data in App Home and the digest, the message box's
rules, and the mrkdwn renderer itself."""

from pathlib import Path

from playwright.sync_api import expect

from tests.sandbox.slack_page import SlackPage


def test_log_life_event_shortcut_from_a_messages_menu(slack: SlackPage) -> None:
    slack.act_as("Riley Brooks")
    slack.go_to("customer-stories")
    story = slack.message("their baby girl was born")
    story.get_by_role("button", name="More actions").click()
    story.get_by_role("menuitem", name="Log life event").click()
    event = slack.modal("Log a life event")
    expect(event.get_by_label("Notes", exact=True)).to_have_value(
        "Call with Ada Lovelace (Analytical Engines): she's back from leave, "
        "their baby girl was born last week :tada:"
    )
    # The permalink follows in a views.update; the modal shows where it came from.
    expect(event.get_by_role("link", name="this message")).to_be_visible()
    slack.shot("shortcut")


def test_sample_data_fills_home_and_the_digest_and_pickers_ask_perkbot(slack: SlackPage) -> None:
    slack.page.get_by_role("button", name="Add sample data").click()
    expect(slack.page.locator("#toast")).to_be_hidden(timeout=60_000)
    slack.act_as("Maya Chen")
    expect(slack.message("Perk approval needed")).to_contain_text("Ada Lovelace")
    slack.go_to("Home")
    expect(slack.page.locator(".home")).to_contain_text("Ada Lovelace")
    slack.shot("manager-home")

    slack.advance("+1 hour")  # the first digest pass posts this week's digest
    slack.go_to("perk-digest")
    digest = slack.message("weekly digest")
    expect(digest).to_contain_text("Margaret Hamilton")  # oldest pending approvals
    slack.shot("digest")

    slack.act_as("Riley Brooks")
    slack.send("/perk propose")
    propose = slack.modal("Propose a perk")
    slack.pick_external(propose, "Customer", "Grac", "Grace Hopper (Compilers Inc)")
    expect(propose.get_by_label("Life event", exact=True)).to_contain_text("New job or promotion")


def test_message_box_rules(slack: SlackPage) -> None:
    slack.act_as("Sam Okafor")
    slack.send("/perks budget")
    expect(slack.message("is not a valid command")).to_contain_text("Only visible to you")
    slack.send("hello Perkbot")
    expect(slack.page.locator("#toast")).to_contain_text("turned off")
    slack.go_to("customer-stories")
    slack.send("Ada sent us a *thank you* card")
    expect(slack.message("thank you")).to_contain_text("Sam Okafor")


def test_mrkdwn_renders_as_slack_does(slack: SlackPage) -> None:
    html = slack.page.evaluate(
        """() => mrkdwn(
          "*bold* _it_ ~gone~ `x<y` <https://example.com|a link> <@UMGR0001> <#C00000002> "
          + ":tada: &lt;b&gt; <!date^1795600000^{date_short}|fallback>\\n>quoted",
          {people: {UMGR0001: {real_name: "Maya Chen"}}, channels: {C00000002: {name: "perk-digest"}},
           tz: "UTC"})"""
    )
    for part in (
        "<b>bold</b>",
        "<i>it</i>",
        "<s>gone</s>",
        "<code>x&lt;y</code>",
        '<a href="https://example.com" target="_blank" rel="noopener noreferrer">a link</a>',
        '<span class="mention">@Maya Chen</span>',
        '<span class="mention">#perk-digest</span>',
        "🎉",
        "&lt;b&gt;",  # typed text stays text
        "Nov 25, 2026",
        "<blockquote>quoted</blockquote>",
    ):
        assert part in html, (part, html)
    script = slack.page.evaluate(
        """() => mrkdwn("<javascript:alert(1)|x> <img src=x>", {people: {}, channels: {}, tz: "UTC"})"""
    )
    assert "javascript:" not in script and "<img" not in script


def test_modal_errors_show_under_their_field(slack: SlackPage) -> None:
    slack.act_as("Priya Nair")
    slack.send("/perk event")
    event = slack.modal("Log a life event")
    event.get_by_label("Customer", exact=True).fill("x" * 201)
    event.get_by_role("button", name="Save").click()
    customer_error = event.locator('[data-block-id="customer"] .field-error')
    expect(customer_error).to_have_text("Must be at most 200 characters (now 201).")
    expect(event.locator('[data-block-id="kind"] .field-error')).to_have_text(
        "Please complete this required field."
    )
    event.get_by_label("Customer", exact=True).fill("Grace Hopper")
    event.get_by_label("Life event", exact=True).select_option(label="New job or promotion")
    expect(event.locator('[data-action-id="recurring_new_job"]')).to_be_attached()
    event.get_by_role("button", name="Save").click()
    slack.message("Logged").get_by_role("button", name="Propose a perk").click()

    propose = slack.modal("Propose a perk")
    slack.pick_external(propose, "Perk", "", "Custom perk (describe it below)")
    expect(propose.locator('[data-action-id="amount_custom"]')).to_be_attached()
    propose.get_by_label("Amount", exact=True).fill("12.345")
    propose.get_by_label("Description", exact=True).fill("Cupcakes")
    propose.get_by_role("button", name="Propose").click()
    # Perkbot's own answer (response_action: errors), shown under the Amount field.
    amount_error = propose.locator('[data-block-id="amount"] .field-error')
    expect(amount_error).to_have_text("USD amounts have at most 2 decimals.")
    slack.shot("field-error")


def test_an_uploaded_file_downloads_from_its_message(slack: SlackPage) -> None:
    slack.page.get_by_role("button", name="Add sample data").click()
    expect(slack.page.locator("#toast")).to_be_hidden(timeout=60_000)
    slack.act_as("Maya Chen")
    slack.send("/perk export")
    slack.message("sent to your DM")
    link = slack.page.locator("article.message a.file", has_text="Perks, ")
    with slack.page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("perks-")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("proposal_id,")


def test_settings_modal_shows_every_input_kind_prefilled(slack: SlackPage) -> None:
    slack.act_as("Alex Rivera")
    slack.send("/perk settings")
    settings = slack.modal("Perkbot settings")
    managers = settings.get_by_role("group", name="Managers")
    expect(managers.get_by_role("checkbox", name="Maya Chen (manager)")).to_be_checked()
    expect(managers.get_by_role("checkbox", name="Jonas Weber (manager)")).to_be_checked()
    expect(managers.get_by_role("checkbox", name="Riley Brooks (rep)")).not_to_be_checked()
    expect(settings.get_by_label("Approvals channel", exact=True)).to_have_value(
        slack.sandbox.channels.approvals  # type: ignore[union-attr]
    )
    expect(settings.get_by_label("Budget period", exact=True)).to_have_value("month")
    expect(settings.get_by_label("Digest time", exact=True)).to_have_value("09:00")
    slack.shot("settings")
    settings.get_by_label("Auto-approve up to", exact=True).fill("30.00")
    settings.get_by_role("button", name="Save").click()
    expect(slack.page.get_by_role("dialog")).to_contain_text("Settings saved")
