"""/docs and /redoc work offline: every script, style sheet and icon comes from this server."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient

ASSET = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|url: ["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_only_their_own_assets(client: AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "://" not in html, "no absolute URL: nothing from another host"
    assert '"validatorUrl": null' in html or page == "/redoc"
    references = [first or second for first, second in ASSET.findall(html)]
    assert any(reference.endswith(".js") for reference in references), references
    for reference in references:
        assert reference.startswith("/"), f"{page} loads {reference} from elsewhere"
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        assert asset.content, reference
