import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack


def test_files_upload_v2_end_to_end(fake: FakeSlack, web: WebClient, channel: str) -> None:
    csv = "customer,perk,amount\nAda,flowers,50.00\n"
    answer = web.files_upload_v2(
        channel=channel,
        content=csv,
        filename="perks-2026-11.csv",
        title="Perks, November 2026",
        initial_comment="Here is the export",
    )
    file = fake.file(answer["file"]["id"])
    assert file is not None and file.content == csv.encode()
    assert (file.name, file.title, file.channels) == (
        "perks-2026-11.csv",
        "Perks, November 2026",
        [channel],
    )
    [message] = fake.messages(channel)
    assert (message.text, message.files) == ("Here is the export", [file.id])
    methods = [c.method for c in fake.calls()]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


def test_completing_an_upload_that_never_arrived_fails(fake: FakeSlack, web: WebClient) -> None:
    reserved = web.files_getUploadURLExternal(filename="x.csv", length=3)
    with pytest.raises(SlackApiError) as caught:
        web.files_completeUploadExternal(files=[{"id": reserved["file_id"], "title": "x"}])
    assert caught.value.response["error"] == "file_not_found"
    assert fake.file(reserved["file_id"]).completed is False
