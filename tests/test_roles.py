"""Identity and roles in the store: the signed-in person is the audit user of every write,
a login maps to a staff record, and each role may change only its own work."""

from __future__ import annotations

import pytest

from cptrack.cli import main
from cptrack.domain.models import RecordError, today
from cptrack.storage.identity import IdentityError
from cptrack.storage.store import Store

NOTE = "Core group held on time; the plan is progressing."


@pytest.fixture
def demo(fresh_demo_db: str) -> Store:
    """The demo database with a login for one person of each role (set with nobody signed
    in, on one person's machine, where the OS user acts as an admin)."""
    with Store.open(fresh_demo_db) as store:
        staff = store.rows("staff")
        chairs = [s for s in staff if s["role"] == "chair"]
        first = {r: next(s for s in staff if s["role"] == r) for r in ("qa_lead", "manager")}
        logins = {
            "chair1": chairs[0],
            "chair2": chairs[1],
            "qa": first["qa_lead"],
            "boss": first["manager"],
        }
        for login, person in logins.items():
            assert 0 == main(
                ["staff", "--db", fresh_demo_db, "--set", str(person["id"]), "--login", login]
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
        store.logins = {k: v["id"] for k, v in logins.items()}
        yield store


def sign_in(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", login)


def a_check(store: Store, chair_id: int) -> dict:
    """A case-tracking record on one of this chair's children."""
    return next(r for r in store.rows("case_tracking") if r["chair_id"] == chair_id)


def test_the_signed_in_person_is_the_audit_user(demo, monkeypatch):
    """On the hub, JUPYTERHUB_USER, not the server's CPTRACK_USER, is recorded."""
    sign_in(monkeypatch, "chair1")
    row = a_check(demo, demo.logins["chair1"])
    demo.update("case_tracking", row["id"], {"observations": NOTE}, row["version"])
    assert "chair1" == demo.audit("case_tracking", row["id"])[-1]["user"]


def test_a_proxy_header_names_the_audit_user(demo, monkeypatch):
    """Behind a signing-in proxy, the header serve --user-header names is the user."""
    monkeypatch.setenv("CPTRACK_USER_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("HTTP_X_FORWARDED_USER", "chair2")
    row = a_check(demo, demo.logins["chair2"])
    demo.update("case_tracking", row["id"], {"observations": NOTE}, row["version"])
    assert "chair2" == demo.audit("case_tracking", row["id"])[-1]["user"]


def test_a_team_server_refuses_a_write_with_nobody_signed_in(demo, monkeypatch):
    """CPTRACK_TEAM_SERVER=1 and no identity: refused, nothing saved, nothing audited."""
    monkeypatch.setenv("CPTRACK_TEAM_SERVER", "1")
    row = a_check(demo, demo.logins["chair1"])
    audited = len(demo.audit())
    with pytest.raises(IdentityError, match="nobody is signed in"):
        demo.update("case_tracking", row["id"], {"observations": NOTE}, row["version"])
    assert (row, audited) == (demo.get("case_tracking", row["id"]), len(demo.audit()))


def test_one_persons_machine_keeps_working_as_before(demo):
    """Nobody signed in, not a team server: the OS (or CPTRACK_USER) user may write anything."""
    boss = demo.get("staff", demo.logins["boss"])
    demo.update("staff", boss["id"], {"email": "boss@example.gov.uk"}, boss["version"])
    assert "test-user" == demo.audit("staff", boss["id"])[-1]["user"]


def test_a_manager_reads_but_cannot_write(demo, monkeypatch):
    """A manager's save is refused, saying which role it needs; nothing is saved."""
    sign_in(monkeypatch, "boss")
    row = a_check(demo, demo.logins["chair1"])
    with pytest.raises(IdentityError) as refused:
        demo.update("case_tracking", row["id"], {"observations": NOTE}, row["version"])
    assert "needs the chair role (or admin)" in str(refused.value)
    assert "is a manager" in str(refused.value)
    assert row == demo.get("case_tracking", row["id"])
    assert demo.rows("case_tracking")  # reading is allowed


def test_a_qa_lead_writes_observations_not_case_tracking(demo, monkeypatch):
    """A QA lead may change an observation, but not a chair's case-tracking check."""
    sign_in(monkeypatch, "qa")
    obs = demo.rows("observations")[0]
    demo.update("observations", obs["id"], {"strengths": "Clear plan."}, obs["version"])
    assert "qa" == demo.audit("observations", obs["id"])[-1]["user"]
    row = a_check(demo, demo.logins["chair1"])
    with pytest.raises(IdentityError, match="needs the chair role"):
        demo.update("case_tracking", row["id"], {"observations": NOTE}, row["version"])


def test_a_chair_acknowledges_their_own_observation_only(demo, monkeypatch):
    """A chair reflects on their own observation; another chair's, or the QA lead's
    ratings in their own, are refused."""
    sign_in(monkeypatch, "chair1")
    mine = next(o for o in demo.rows("observations") if o["chair_id"] == demo.logins["chair1"])
    theirs = next(o for o in demo.rows("observations") if o["chair_id"] == demo.logins["chair2"])
    reflection = {
        "chair_reflection": "I will invite the child's advocate.",
        "chair_acknowledged": today(),
    }
    demo.update("observations", mine["id"], reflection, mine["version"])
    assert "chair1" == demo.audit("observations", mine["id"])[-1]["user"]
    with pytest.raises(IdentityError, match="this one is of another chair"):
        demo.update("observations", theirs["id"], reflection, theirs["version"])
    mine = demo.get("observations", mine["id"])
    with pytest.raises(IdentityError, match="only their reflection and acknowledgement"):
        demo.update("observations", mine["id"], {"strengths": "Mine."}, mine["version"])


def test_a_login_without_a_staff_record_may_not_write(demo, monkeypatch):
    """Signed in as someone with no staff record: refused, naming what to do."""
    sign_in(monkeypatch, "stranger")
    row = a_check(demo, demo.logins["chair1"])
    with pytest.raises(IdentityError, match="stranger has no staff record"):
        demo.update("case_tracking", row["id"], {"observations": NOTE}, row["version"])


def test_only_an_admin_changes_staff_and_roles(demo, monkeypatch, capsys):
    """`cptrack staff` as a chair is refused; as an admin it sets a role, audited."""
    db = str(demo.engine.url.database)
    sign_in(monkeypatch, "chair1")
    assert 2 == main(["staff", "--db", db, "--set", "chair2", "--role", "admin"])
    assert "needs the admin role" in capsys.readouterr().err
    sign_in(monkeypatch, "ada")
    boss = demo.logins["boss"]
    assert 0 == main(["staff", "--db", db, "--set", str(boss), "--role", "qa_lead"])
    assert "qa_lead" == demo.get("staff", boss)["role"]
    last = demo.audit("staff", boss)[-1]
    assert ("ada", {"role": "manager"}, {"role": "qa_lead"}) == (
        last["user"],
        last["before"],
        last["after"],
    )


def test_a_login_is_unique(demo):
    """Two people cannot sign in with the same name."""
    chair2 = demo.get("staff", demo.logins["chair2"])
    with pytest.raises(RecordError) as refused:
        demo.update("staff", chair2["id"], {"login": "chair1"}, chair2["version"])
    chair1 = demo.get("staff", demo.logins["chair1"])
    assert {
        "login": [
            f"'chair1' is already held by another staff member, {chair1['name']} "
            f"({chair1['id']}); each needs its own"
        ]
    } == refused.value.by_field()


def test_an_import_needs_an_admin(demo, monkeypatch):
    """Any write of many kinds at once (an import, a bulk load) is an admin's."""
    sign_in(monkeypatch, "chair1")
    with demo.transaction() as tx, pytest.raises(IdentityError, match="needs the admin role"):
        tx.require_admin("an import")
    sign_in(monkeypatch, "ada")
    with demo.transaction() as tx:
        tx.require_admin("an import")


def test_a_chair_completes_their_observation_through_the_form(demo, monkeypatch):
    """The observation form's "reflect", saved by the chair observed, completes it; by
    another chair it is refused."""
    from cptrack.casework.qa.observation import ObservationForm

    obs = next(o for o in demo.rows("observations") if o["chair_id"] == demo.logins["chair1"])
    demo.update(
        "observations",
        obs["id"],
        {"status": "awaiting_reflection", "chair_reflection": None, "chair_acknowledged": None},
        obs["version"],
    )
    owner, other = "chair1", "chair2"
    form = ObservationForm.load(demo, obs["id"])
    form.chair_reflection = "A fair account; I will bring the child's words in."
    form.chair_acknowledged = today()
    sign_in(monkeypatch, other)
    with pytest.raises(IdentityError, match="of another chair"):
        form.save(demo, "reflect")
    sign_in(monkeypatch, owner)
    form.save(demo, "reflect")
    stored = demo.get("observations", obs["id"])
    assert ("complete", owner) == (
        stored["status"],
        demo.audit("observations", obs["id"])[-1]["user"],
    )


def test_a_qa_lead_records_feedback_and_marks_its_conference_only_as_sought(demo, monkeypatch):
    """Recording feedback marks the conference as sought, in the same transaction: the QA
    lead may make that change to a conference and no other."""
    from cptrack.casework.qa.feedback import FeedbackForm

    conf = next(
        c
        for c in demo.rows("conferences")
        if c["held_date"] is not None and c["feedback_sought"] is not True
    )
    sign_in(monkeypatch, "qa")
    form = FeedbackForm(
        conference_id=conf["id"],
        respondent="parent",
        date=conf["held_date"],
        answers={"prepared": 4},
    )
    row = form.save(demo)
    assert (True, "qa") == (
        demo.get("conferences", conf["id"])["feedback_sought"],
        demo.audit("conferences", conf["id"])[-1]["user"],
    )
    assert "qa" == demo.audit("feedback", row["id"])[-1]["user"]
    conf = demo.get("conferences", conf["id"])
    with pytest.raises(IdentityError, match="only whether feedback was sought"):
        demo.update("conferences", conf["id"], {"quorate": not conf["quorate"]}, conf["version"])


def test_a_chair_records_the_child_and_familys_feedback_after_their_own_conference(
    demo, monkeypatch
):
    """000: "The chairperson will complete child and family feedback with the child and family
    members where possible post conference": a chair records it for a conference they chaired,
    not for another chair's, not a professional's, and deletes none."""
    from cptrack.casework.qa.feedback import FeedbackForm
    from cptrack.quality.questionnaires import QUESTIONNAIRES

    chair = demo.logins["chair1"]
    held = [c for c in demo.rows("conferences") if c["held_date"] is not None]
    own = next(c for c in held if c["chair_id"] == chair)
    other = next(c for c in held if c["chair_id"] not in (chair, None))
    sign_in(monkeypatch, "chair1")

    def form(conf, respondent):
        return FeedbackForm(
            conference_id=conf["id"],
            respondent=respondent,
            date=conf["held_date"],
            answers={QUESTIONNAIRES[respondent].questions[0].id: 4},
            agency="police" if respondent == "professional" else None,
        )

    row = form(own, "parent").save(demo)
    assert "chair1" == demo.audit("feedback", row["id"])[-1]["user"]
    assert "child" == form(own, "child").save(demo)["respondent"]
    before = len(demo.rows("feedback"))
    with pytest.raises(IdentityError, match="only after a conference they chaired"):
        form(other, "parent").save(demo)
    with pytest.raises(IdentityError, match="a professional's feedback needs the QA lead"):
        form(own, "professional").save(demo)
    stored = demo.get("feedback", row["id"])
    with pytest.raises(IdentityError, match="deleting feedback needs the QA lead"):
        demo.delete("feedback", row["id"], stored["version"])
    assert before == len(demo.rows("feedback"))
    sign_in(monkeypatch, "boss")
    with pytest.raises(IdentityError, match="needs the QA lead role"):
        form(own, "parent").save(demo)
