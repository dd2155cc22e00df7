"""Signing in and out of the console, and what a signed-out visitor sees."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.console.conftest import PASSWORD, Console, csrf_of, sign_in, user_of


def test_a_signed_out_visitor_is_sent_to_the_login_page_and_back_afterwards(client: TestClient) -> None:
    response = client.get("/conversations?agent=service")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/conversations%3Fagent%3Dservice"
    login = client.get(response.headers["location"])
    token = csrf_of(login.text)
    assert 'name="next" value="/conversations?agent=service"' in login.text
    signed = client.post(
        "/login",
        data={
            "username": user_of("analyst"),
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/conversations?agent=service",
        },
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/conversations?agent=service"
    assert client.get(signed.headers["location"]).status_code == 200


def test_a_wrong_password_is_refused_with_the_form_again(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": user_of("admin"), "password": "not-it-at-all", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Unknown username or wrong password." in response.text
    assert client.get("/").status_code == 303  # still signed out


def test_signing_in_without_the_form_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": user_of("admin"), "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert "reload the page" in response.text
    assert client.get("/").status_code == 303


def test_signing_in_gives_a_new_csrf_token(client: TestClient) -> None:
    before = csrf_of(client.get("/login").text)
    after = sign_in(client, "admin")
    assert after != before


def test_login_never_redirects_to_another_site(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": user_of("admin"), "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"},
    )
    assert response.headers["location"] == "/"


def test_signing_out_needs_the_token_and_ends_the_session(client: TestClient) -> None:
    token = sign_in(client, "builder")
    refused = client.post("/logout", data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert "CSRF token is missing or wrong" in refused.text
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_a_form_sent_while_signed_out_asks_to_sign_in_and_does_nothing(client: TestClient, console: Console) -> None:
    handoff_id = console.handoff()
    response = client.post(f"/inbox/{handoff_id}/claim", data={"csrf_token": "whatever"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"
    assert console.services.inbox.get(handoff_id).status == "open"
