"""Work notices as DingTalk action cards 「卡片消息」: the item's essentials and a button.

A notice about an item reaches a person as an action card (`msgtype: action_card`): a title
(DingTalk shows at most 64 characters in the conversation list), a short markdown body —
the notification's title as a heading, then its body, which names the item, whom it concerns
and its due moment in the organization's time zone — and one button that names the act and
opens the item through its deep link. A notice about nothing in particular stays plain text
(there is nothing to open); so does every group-robot message (one text for the whole group).

The act is read from `ACTS` by the type of the item the recipient acts on (the message's
`act`, else its subject type): a subject type is a plain string every domain already hands
to `notify`, so the table needs no import of the domains that own them. Unlisted types read
"Open".
"""

from __future__ import annotations

from typing import Any

from hrcore.core.i18n import N_, translate

TITLE_LIMIT = 64
"""DingTalk shows at most 64 characters of a card's title."""
BODY_LIMIT = 500
"""A short body: a card is a pointer to the item, not the item (DingTalk advises < 1,000)."""

OPEN = N_("Open")
ACTS: dict[str, str] = {
    "review_assignment": N_("Answer the review"),
    "contract_amendment": N_("Confirm the amendment"),
    "approval": N_("Decide"),
}
"""The act a card's button names, per type of the item acted on (the API's subject types)."""


def act_label(item_type: str | None, locale: str | None) -> str:
    """The button's title for an item of `item_type`, in `locale`."""
    return translate(ACTS.get(item_type or "", OPEN), locale)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def action_card(title: str, body: str, act: str, link: str) -> dict[str, Any]:
    """The `msg` of an action card with one button opening `link`."""
    lines = "  \n".join(body.splitlines())  # markdown's hard break keeps a digest's lines
    markdown = f"### {title}\n\n{lines}" if lines else f"### {title}"
    return {
        "msgtype": "action_card",
        "action_card": {
            "title": _cut(title, TITLE_LIMIT),
            "markdown": _cut(markdown, BODY_LIMIT),
            "btn_orientation": "0",
            "btn_json_list": [{"title": act, "action_url": link}],
        },
    }
