"""`server init` from the command line."""

from __future__ import annotations

from sijoint_exam.cli import main


def test_server_init_sets_up_a_new_clinic_database(clinic_server, capsys):
    url = clinic_server.url(database=clinic_server.new_database())
    assert main(["server", "init", "--server", url]) == 0
    out = capsys.readouterr().out
    assert "applied 001_clinic_schema" in out
    assert "sijoint_exam_workstation" in out


def test_server_init_refuses_a_password_in_the_address(capsys):
    url = "postgresql://clinic_admin:secret-word@127.0.0.1:1/clinic"
    assert main(["server", "init", "--server", url]) == 1
    err = capsys.readouterr().err
    assert ".pgpass" in err
    assert "secret-word" not in err


def test_server_init_as_a_room_is_refused_in_one_line(clinic, capsys):
    assert main(["server", "init", "--server", clinic.url("room_a")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "superuser" in err or "could not be set up" in err
    assert "Traceback" not in err
