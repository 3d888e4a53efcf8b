"""Lock-out bypass and account enumeration (issue 12, attack 2): the failure count and the lock are decided inside
write transactions, unknown names take the same path and message, and a per-client throttle sits on top."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from buurtkaart.errors import PermissionDenied
from buurtkaart.members import _login, accounts, audit
from buurtkaart.texts import t

PW = "het-juiste-wachtwoord"


@pytest.fixture
def ws(tmp_workspace):
    accounts.create_user(tmp_workspace, "piet", PW, role="police")
    return tmp_workspace


class _CountingHasher:
    """The real hasher, counting which passwords were checked against a real (not the dummy) hash."""

    def __init__(self, real):
        self.real = real
        self.checked: list[str] = []
        self.guard = threading.Lock()

    def verify(self, stored, password):
        if stored != _login._dummy_hash():
            with self.guard:
                self.checked.append(password)
        return self.real.verify(stored, password)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_thirty_attempts_at_once_never_log_in_and_check_at_most_five_wrong_passwords(ws, monkeypatch):
    hasher = _CountingHasher(_login.HASHER)
    monkeypatch.setattr(_login, "HASHER", hasher)
    passwords = [f"fout-{i:02d}-wachtwoord" for i in range(29)] + [PW]
    start = threading.Barrier(len(passwords))
    outcomes: list[object] = []

    def attempt(password: str) -> None:
        start.wait()
        try:
            outcomes.append(accounts.authenticate(ws, "piet", password))
        except PermissionDenied as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 30
    assert not [o for o in outcomes if not isinstance(o, PermissionDenied)], "the burst logged in"
    wrong = [p for p in hasher.checked if p != PW]
    assert len(wrong) <= accounts.MAX_FAILED_ATTEMPTS
    with pytest.raises(PermissionDenied, match="geblokkeerd"):
        accounts.authenticate(ws, "piet", PW)
    assert "geblokkeerd" in set(audit.read_log(ws, audit.CLI_ACTOR)["action"])


def test_unknown_names_are_counted_locked_and_audited_like_accounts(ws):
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    said = {}
    for name in ("piet", "bestaat-niet"):
        messages = []
        for _ in range(accounts.MAX_FAILED_ATTEMPTS + 1):
            with pytest.raises(PermissionDenied) as err:
                accounts.authenticate(ws, name, "fout-fout-fout", now=now)
            messages.append(str(err.value))
        said[name] = messages
    assert said["piet"] == said["bestaat-niet"]
    assert said["piet"][0] == t("members.login_failed") and "geblokkeerd" in said["piet"][-1]
    log = audit.read_log(ws, audit.CLI_ACTOR)
    failed = log[log["action"] == "aanmelding_mislukt"]
    assert len(failed) == 2 * (accounts.MAX_FAILED_ATTEMPTS + 1)
    assert (log["action"] == "geblokkeerd").sum() == 2
    assert not log["subject_ids"].str.contains("bestaat-niet").any(), "a typed name is no record id"
    later = now + dt.timedelta(minutes=accounts.LOCKOUT_MINUTES + 1)
    assert accounts.authenticate(ws, "piet", PW, now=later).username == "piet"


def test_one_client_guessing_many_names_must_wait(ws):
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    for i in range(_login.CLIENT_MAX_FAILURES):
        with pytest.raises(PermissionDenied):
            accounts.authenticate(ws, f"naam{i}", "fout-fout-fout", now=now, client="192.0.2.7")
    with pytest.raises(PermissionDenied, match="toestel"):
        accounts.authenticate(ws, "piet", PW, now=now, client="192.0.2.7")
    assert accounts.authenticate(ws, "piet", PW, now=now, client="198.51.100.1").username == "piet"
    later = now + dt.timedelta(minutes=_login.CLIENT_WINDOW_MINUTES + 1)
    assert accounts.authenticate(ws, "piet", PW, now=later, client="192.0.2.7").username == "piet"
