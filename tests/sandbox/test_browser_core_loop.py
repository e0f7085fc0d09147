"""The core loop as people play it in a real browser: a rep logs a new baby and proposes a
perk above the auto-approve limit; the manager approves (or rejects) from the DM; the rep
sees the outcome; the clock brings the note reminder, and marking it sent clears it."""

from playwright.sync_api import expect

from tests.sandbox.slack_page import SlackPage

REP, MANAGER = "Riley Brooks", "Maya Chen"


def log_new_baby_and_propose(slack: SlackPage, amount: str, *, shots: bool = False) -> None:
    slack.send("/perk event")
    event = slack.modal("Log a life event")
    event.get_by_label("Customer", exact=True).fill("Ada Lovelace")
    event.get_by_label("Company", exact=True).fill("Analytical Engines")
    event.get_by_label("Life event", exact=True).select_option(label="New baby")
    # Choosing the kind updates the modal (views.update); what was typed stays.
    expect(event.locator('[data-action-id="recurring_new_baby"]')).to_be_attached()
    expect(event.get_by_label("Customer", exact=True)).to_have_value("Ada Lovelace")
    if shots:
        slack.shot("event-modal")
    event.get_by_role("button", name="Save").click()
    confirmation = slack.message("Logged")
    confirmation.get_by_role("button", name="Propose a perk").click()

    propose = slack.modal("Propose a perk")
    expect(propose.get_by_label("Customer", exact=True)).to_have_value(
        "Ada Lovelace (Analytical Engines)"
    )
    slack.pick_external(propose, "Perk", "", "Custom perk (describe it below)")
    expect(propose.locator('[data-action-id="amount_custom"]')).to_be_attached()
    propose.get_by_label("Amount", exact=True).fill(amount)
    propose.get_by_label("Description", exact=True).fill("Flowers and a onesie")
    if shots:
        slack.shot("propose-modal")
    propose.get_by_role("button", name="Propose").click()
    expect(slack.page.get_by_role("dialog")).to_have_count(0)


def test_rep_proposes_manager_approves_and_the_note_reminder_comes_and_goes(
    slack: SlackPage,
) -> None:
    slack.act_as(REP)
    log_new_baby_and_propose(slack, "60", shots=True)
    slack.message("Waiting for approval")
    slack.send("/perk budget")
    budget = slack.message("Team budget")
    expect(budget).to_contain_text("Only visible to you")
    expect(budget).to_contain_text("$60.00 pending")
    slack.shot("rep-waiting")

    slack.act_as(MANAGER)
    request = slack.message("Perk approval needed")
    expect(request).to_contain_text("Ada Lovelace")
    slack.shot("manager-request")
    request.get_by_role("button", name="Approve").click()
    confirm = slack.page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Approve this perk?")
    confirm.get_by_role("button", name="Approve").click()
    # chat.update: the same message changes in place and loses its buttons.
    decided = slack.page.locator("article.message", has_text="Approved by").first
    expect(decided).to_contain_text("(edited)")
    expect(decided.get_by_role("button", name="Approve")).to_have_count(0)
    slack.shot("manager-approved")

    slack.act_as(REP)
    expect(slack.message("Approved by")).to_contain_text(MANAGER)
    slack.shot("rep-approved")

    # The handwritten note is due two business days later, at 10:00 the rep's time.
    for _ in range(5):
        if slack.page.locator("article.message", has_text="Mark as sent").count():
            break
        slack.advance("+1 day")
    reminder = slack.message("Mark as sent")
    slack.shot("note-reminder")
    reminder.get_by_role("button", name="Mark as sent").click()
    expect(slack.page.get_by_role("button", name="Mark as sent")).to_have_count(0)
    slack.go_to("Home")
    expect(slack.page.locator(".home")).to_contain_text("Ada Lovelace")
    slack.shot("app-home")


def test_manager_rejects_with_a_reason_and_the_rep_reads_it(slack: SlackPage) -> None:
    slack.act_as(REP)
    log_new_baby_and_propose(slack, "80")
    slack.act_as(MANAGER)
    slack.message("Perk approval needed").get_by_role("button", name="Reject").click()
    reject = slack.modal("Reject perk")
    reject.get_by_role("button", name="Reject").click()
    # Slack's client refuses an empty required field, under the field itself.
    expect(reject.locator('[data-block-id="reason"] .field-error')).to_have_text(
        "Please complete this required field."
    )
    slack.shot("reject-required")
    reject.get_by_label("Reason", exact=True).fill("Let's send a handwritten note instead")
    reject.get_by_role("button", name="Reject").click()
    expect(slack.page.get_by_role("dialog")).to_have_count(0)
    expect(slack.page.locator("article.message", has_text="Rejected by").first).to_contain_text(
        "handwritten note instead"
    )

    slack.act_as(REP)
    rejected = slack.message("Rejected by")
    expect(rejected).to_contain_text("Let's send a handwritten note instead")
    expect(rejected).to_contain_text(MANAGER)
    slack.shot("rep-rejected")
