"""The staff and roles page's model (``cptrack.casework.staff``) without a browser: the list,
who may change it, and each change as one audited transaction under the signed-in admin; a
non-admin's save refused by the store, naming the role it needs."""

from __future__ import annotations

import pytest

from cptrack.apps import home
from cptrack.casework import staff as sm
from cptrack.cli import main
from cptrack.domain.models import RecordError
from cptrack.render.style import esc
from cptrack.storage.identity import IdentityError
from cptrack.storage.store import Store


@pytest.fixture
def demo(fresh_demo_db: str) -> Store:
    """The demo staff, a chair with the login chair1 and an admin, Ada, signing in as ada
    (set with nobody signed in, where the OS user acts as an admin)."""
    with Store.open(fresh_demo_db) as store:
        chair = store.rows("staff", role="chair")[0]
        assert 0 == main(
            ["staff", "--db", fresh_demo_db, "--set", str(chair["id"]), "--login", "chair1"]
        )
        assert 0 == main(
            [
                "staff",
                "--db",
                fresh_demo_db,
                "--add",
                "Ada Admin",
                "--role",
                "admin",
                "--login",
                "ada",
            ]
        )
        store.chair = chair["id"]
        store.ada = store.rows("staff", login="ada")[0]["id"]
        yield store


def sign_in(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", login)


def test_the_list_shows_every_person_with_role_and_login(demo):
    """Every staff member once, admins first, each with their role's words and login."""
    rows = sm.listing(demo)
    assert demo.count("staff") == len(rows)
    assert ("Ada Admin", "admin", "ada") == (rows[0].name, rows[0].role_label, rows[0].login)
    chair = next(r for r in rows if r.id == demo.chair)
    assert ("chair", "chair1") == (chair.role_label, chair.login)
    assert ["admin", "qa_lead", "manager", "chair"] == list(dict.fromkeys(r.role for r in rows))


def test_an_admin_adds_a_person_in_one_audited_transaction(demo, monkeypatch):
    """Signed in as ada: the new QA lead is stored with their login, and one audit row
    names ada and the page."""
    sign_in(monkeypatch, "ada")
    before = len(demo.audit())
    form = sm.PersonChange(name="  Grace Hopper ", role="qa_lead", login="grace.h")
    row, message = sm.save(demo, form)
    assert ("Grace Hopper", "qa_lead", "grace.h", True) == (
        row["name"],
        row["role"],
        row["login"],
        row["active"],
    )
    assert "Added Grace Hopper as a QA lead, signing in as grace.h." == message
    audit = demo.audit()[before:]
    assert [("staff", "insert", "ada", sm.NOTE)] == [
        (a["table_name"], a["action"], a["user"], a["note"]) for a in audit
    ]


def test_an_admin_changes_a_role_and_links_a_login(demo, monkeypatch):
    """A manager made a QA lead and given a login: one audit row under ada with the
    before and after of both fields."""
    sign_in(monkeypatch, "ada")
    manager = demo.rows("staff", role="manager")[0]
    form = sm.PersonChange.of(demo, manager["id"])
    form.role, form.login = "qa_lead", "m.jones"
    row, message = sm.save(demo, form)
    assert ("qa_lead", "m.jones") == (row["role"], row["login"])
    assert f"Saved {manager['name']}: now a QA lead, signing in as m.jones" in message
    assert "(changed: role, login)" in message
    last = demo.audit("staff", manager["id"])[-1]
    assert ("ada", {"role": "manager", "login": None}, {"role": "qa_lead", "login": "m.jones"}) == (
        last["user"],
        last["before"],
        last["after"],
    )


def test_a_non_admins_save_is_refused_by_the_store(demo, monkeypatch):
    """Signed in as a chair: the change is refused naming the admin role; nothing saved,
    nothing audited."""
    sign_in(monkeypatch, "chair1")
    assert not sm.viewer(demo).may_change
    manager = demo.rows("staff", role="manager")[0]
    before = (demo.get("staff", manager["id"]), len(demo.audit()))
    form = sm.PersonChange.of(demo, manager["id"])
    form.role = "admin"
    with pytest.raises(IdentityError) as refused:
        sm.save(demo, form)
    assert "changing a staff record needs the admin role" in str(refused.value)
    assert "is a chair. Nothing was saved." in str(refused.value)
    assert before == (demo.get("staff", manager["id"]), len(demo.audit()))
    with pytest.raises(IdentityError, match="needs the admin role"):
        sm.save(demo, sm.PersonChange(name="Someone New", role="chair"))


def test_bad_input_is_refused_field_by_field(demo, monkeypatch):
    """No name, no role, a login with a space, a login already held: each named by its
    field, nothing written."""
    sign_in(monkeypatch, "ada")
    before = len(demo.audit())
    with pytest.raises(RecordError) as refused:
        sm.save(demo, sm.PersonChange(name=" ", role=None, login="ruth baker"))
    assert {"name", "role", "login"} == set(refused.value.by_field())
    assert "a login has no spaces" in refused.value.by_field()["login"][0]
    with pytest.raises(RecordError) as taken:
        sm.save(demo, sm.PersonChange(name="Another", role="chair", login="chair1"))
    assert "'chair1' is already held by another staff member" in taken.value.by_field()["login"][0]
    assert before == len(demo.audit())


def test_an_admin_cannot_take_away_their_own_admin_role_or_sign_in(demo, monkeypatch):
    """So a team server always keeps an admin: another admin must make that change."""
    sign_in(monkeypatch, "ada")
    form = sm.PersonChange.of(demo, demo.ada)
    form.role = "manager"
    form.login = None
    with pytest.raises(RecordError) as refused:
        sm.save(demo, form)
    errors = refused.value.by_field()
    assert "you cannot take away your own admin role" in errors["role"][0]
    assert "you cannot remove your own sign-in" in errors["login"][0]
    assert "admin" == demo.get("staff", demo.ada)["role"]


def test_who_may_change_staff(demo, monkeypatch):
    """On one person's machine nobody is signed in and they act as an admin; signed in, only
    an admin may; a login with no staff record reads only."""
    assert sm.viewer(demo).may_change
    assert "act as an admin" in sm.viewer(demo).words
    sign_in(monkeypatch, "ada")
    assert sm.viewer(demo).may_change
    sign_in(monkeypatch, "chair1")
    assert "changing staff, logins and roles needs the admin role" in sm.viewer(demo).words
    sign_in(monkeypatch, "stranger")
    assert (False, None) == (sm.viewer(demo).may_change, sm.viewer(demo).person)


def test_the_home_page_links_the_staff_page_for_admins_only(demo, tmp_path):
    """The card is shown to an admin and not to anyone else."""
    (tmp_path / "staff.ipynb").write_text("{}")
    (tmp_path / "case_tracking.ipynb").write_text("{}")
    assert 'href="staff.ipynb"' in home.render(demo, notebooks=tmp_path, admin=True)
    page = home.render(demo, notebooks=tmp_path, admin=False)
    assert 'href="staff.ipynb"' not in page
    assert 'href="case_tracking.ipynb"' in page


def test_the_page_saves_through_its_widgets(demo, monkeypatch):
    """The ipywidgets view (no browser): pick a person, change their role, save; the list
    shows it and the banner says what changed."""
    from cptrack.apps.staff.view import StaffApp

    sign_in(monkeypatch, "ada")
    app = StaffApp(demo)
    manager = demo.rows("staff", role="manager")[0]
    app.person.value = manager["id"]
    assert manager["name"] == app.fields["name"].value
    app.fields["role"].widget.value = "qa_lead"
    app.save_button.click()
    assert "now a QA lead" in app.banner.value
    assert "qa_lead" == demo.get("staff", manager["id"])["role"]
    assert f"<tr data-staff='{manager['id']}'><td>{esc(manager['name'])}</td><td>QA lead" in (
        app.listing.value
    )
    sign_in(monkeypatch, "chair1")
    app.fields["role"].widget.value = "chair"
    app.save_button.click()
    assert "needs the admin role" in app.banner.value
    assert "qa_lead" == demo.get("staff", manager["id"])["role"]
