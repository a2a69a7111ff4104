"""The harness itself: when the Odoo tests skip, fail or run (no Odoo needed)."""

import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest

import odoo_harness as h
import odoo_run


def _fake_odoo(tmp_path, body):
    """An `odoo` that is a shell wrapper, as some installs have."""
    path = tmp_path / "odoo"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _info_line(major, version):
    info = {
        "version": version,
        "major": major,
        "root": "/nowhere/odoo",
        "python": "/nowhere/python3",
        "mtime": 0,
        "addons": [],
    }
    return "KEFU_ODOO_INFO " + json.dumps(info)


def test_shell_wrapper_is_asked_through_odoo_shell(tmp_path):
    wrapper = _fake_odoo(
        tmp_path,
        f"""[ "$1" = shell ] || exit 3
cat >/dev/null
echo '{_info_line(18, "18.0")}'""",
    )
    assert h.odoo_python(str(wrapper)) is None
    info = h.odoo_info(str(wrapper))
    assert info["cmd"] == [str(wrapper)]
    assert info["python"] == "/nowhere/python3"


@pytest.mark.parametrize(
    "body, reason",
    [
        (f"cat >/dev/null; echo '{_info_line(17, '17.0')}'", "is Odoo 17.0, not"),
        ("echo 'ModuleNotFoundError: odoo' >&2; exit 1", "ModuleNotFoundError"),
    ],
    ids=["wrong-major", "no-odoo-module"],
)
def test_unusable_odoo_says_why(tmp_path, body, reason):
    with pytest.raises(h.OdooUnusable, match=reason):
        h.odoo_info(str(_fake_odoo(tmp_path, body)))


def test_odoo_bin_that_is_no_file(monkeypatch):
    monkeypatch.setenv("ODOO_BIN", "/nowhere/odoo-bin")
    with pytest.raises(h.OdooUnusable, match="is not a file"):
        h.discover()


def test_no_odoo_at_all(monkeypatch, tmp_path):
    monkeypatch.delenv("ODOO_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert h.discover() is None


def test_skipped_odoo_tests_are_found(tmp_path):
    log = tmp_path / "suite.log"
    prefix = "2026-03-02 10:00:00,000 42 INFO db"
    log.write_text(
        f"{prefix} odoo.addons.{h.ADDON}.tests.test_tour: skipped "
        "test_clerk_tour (TestTour.test_clerk_tour) : Chrome executable not found\n"
        f"{prefix} odoo.addons.sale.tests.test_x: skipped other : elsewhere\n"
    )
    run = odoo_run.OdooRun(0, log, 1.0)
    assert run.skipped() == [
        "skipped test_clerk_tour (TestTour.test_clerk_tour) : "
        "Chrome executable not found"
    ]


def _pytest_without_odoo(tmp_path, **env):
    """Run one Odoo-backed test in a child pytest on a machine without Odoo."""
    drop = ("ODOO_BIN", "ODOO_PYTHON", "CI", "KEFU_REQUIRE_ODOO")
    child_env = {k: v for k, v in os.environ.items() if k not in drop}
    child_env.update(PATH=os.path.dirname(sys.executable) + ":/usr/bin:/bin", **env)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rA",
            f"{h.REPO_ROOT}/tests/test_live_rpc.py::test_grades",
        ],
        cwd=tmp_path,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.skipif(
    any(os.access(f"{d}/odoo", os.X_OK) for d in ("/usr/bin", "/bin")),
    reason="an odoo in /usr/bin: this machine cannot play one without Odoo",
)
@pytest.mark.parametrize("ci", ["", "true"], ids=["dev", "CI"])
def test_without_odoo_skip_only_outside_ci(tmp_path, ci):
    rc, out = _pytest_without_odoo(tmp_path, CI=ci)
    if ci:
        assert rc == 1, out
        assert "Odoo 18 not found" in out and "CI" in out, out
    else:
        assert rc == 0, out
        assert "1 skipped" in out and h.NOT_FOUND in out, out


def test_superuser_without_createdb_may_create_databases(monkeypatch):
    """A superuser role lacking the CREATEDB flag still creates databases."""
    probe = subprocess.run(
        ["psql", "-U", "postgres", "-d", "postgres", "-tAc", "SELECT 1"],
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        pytest.skip("no PostgreSQL superuser `postgres` to make a test role with")
    role = f"kefu_test_super_{uuid.uuid4().hex[:8]}"

    def as_postgres(sql):
        subprocess.run(
            ["psql", "-U", "postgres", "-d", "postgres", "-qc", sql],
            check=True,
            capture_output=True,
        )

    as_postgres(f"CREATE ROLE {role} LOGIN SUPERUSER NOCREATEDB")
    try:
        monkeypatch.setattr(h, "DB_USER", role)
        assert h.check_postgres() is None
        as_postgres(f"ALTER ROLE {role} NOSUPERUSER")
        assert "may not create databases" in h.check_postgres()
    finally:
        as_postgres(f"DROP ROLE {role}")


def test_templates_are_keyed_by_role():
    info = {"version": "18.0", "root": "/odoo", "mtime": 1}
    names = {
        h.template_name(info, ["sale"], True, role=role) for role in ("odoo", "ci")
    }
    assert len(names) == 2
    assert h.template_name(info, ["sale"], True) == h.template_name(
        info, ["sale"], True, role=h.DB_USER
    )
    release = h.template_name(info, ["sale"], True, kind="release", key=["abc"])
    assert release.startswith("kefu_tpl_release_")
    assert release != h.template_name(info, ["sale"], True, kind="release", key=["d"])


def _as_postgres(sql):
    subprocess.run(
        ["psql", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def test_template_of_another_role_is_rebuilt(monkeypatch, capsys):
    """A template another PostgreSQL role made (as tools/serve_demo.py run by
    someone else does) cannot be copied: it is rebuilt under this role's name,
    and the run says so.  Real databases; the build itself is an empty one."""
    probe = subprocess.run(
        ["psql", "-U", "postgres", "-d", "postgres", "-tAc", "SELECT 1"],
        capture_output=True,
    )
    if probe.returncode or h.check_postgres():
        pytest.skip("no PostgreSQL superuser `postgres` to make a second role with")
    other = f"kefu_test_other_{uuid.uuid4().hex[:8]}"
    template = f"kefu_tpl_test_{uuid.uuid4().hex[:8]}"
    copy = h.fresh_db_name("harness")
    _as_postgres(f"CREATE ROLE {other} LOGIN CREATEDB")
    built = []

    def build(info, db, depends, demo):
        built.append(db)
        h._run(["createdb", *h.pg_args(), db])

    try:
        subprocess.run(["createdb", "-U", other, template], check=True)
        h.filestore(template).mkdir(parents=True, exist_ok=True)
        with pytest.raises(h.TemplateNotCopyable):
            h.copy_db(template, copy)
        info = {"version": "18.0"}
        used = h.db_from_template(info, [], False, copy, template=template, build=build)
        assert used == f"{template}_{h._role_slug(h.DB_USER)}"
        assert built == [f"{used}_building"] and h.db_exists(copy)
        assert "belongs to another PostgreSQL role" in capsys.readouterr().out
    finally:
        for db in (copy, f"{template}_{h._role_slug(h.DB_USER)}"):
            h.drop_db(db)
        _as_postgres(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        _as_postgres(f"DROP ROLE {other}")
        shutil.rmtree(h.filestore(template), ignore_errors=True)
