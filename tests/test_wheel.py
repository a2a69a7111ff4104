"""The add-on as a Python wheel, the way OCA add-ons install from a package index.

``pip wheel`` builds ``odoo-addon-kefu_order_flow`` with the ``whool`` backend of
``kefu_order_flow/pyproject.toml``; the wheel goes into a throw-away virtualenv
that sees Odoo's own packages, and Odoo, run from that virtualenv with only its
own addons folders on ``--addons-path``, installs the add-on from the wheel's
``odoo/addons/kefu_order_flow``.
"""

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

import odoo_harness as h
import odoo_run

DIST = "odoo_addon_kefu_order_flow"

_SITE_DIRS = """
import json, site, sysconfig
paths = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
paths.update(site.getsitepackages())
print(json.dumps(sorted(paths)))
"""


def _run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    if proc.returncode:
        pytest.fail(
            f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}{proc.stderr}",
            pytrace=False,
        )
    return proc.stdout


@pytest.fixture(scope="module")
def venv(odoo, tmp_path_factory):
    """A virtualenv on Odoo's Python that sees Odoo's packages (and its pip)
    through a .pth file, and the folder of the ``odoo`` package of a source
    install; what is installed into it stays in it."""
    root = tmp_path_factory.mktemp("wheel")
    env = root / "venv"
    _run([odoo["python"], "-m", "venv", "--without-pip", str(env)])
    python = env / "bin" / "python"
    own = json.loads(_run([str(python), "-c", _SITE_DIRS]))
    odoo_sites = json.loads(_run([odoo["python"], "-c", _SITE_DIRS]))
    source = str(Path(odoo["root"]).parent)
    pth = [p for p in [*odoo_sites, source] if p not in own]
    site_dir = Path(
        _run(
            [
                str(python),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ]
        ).strip()
    )
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / "odoo-environment.pth").write_text("\n".join(pth) + "\n")
    return python, site_dir, root


def test_wheel_installs_the_addon(odoo, fresh_db, venv):
    python, site_dir, root = venv
    dist = root / "dist"
    _run(
        [str(python), "-m", "pip", "wheel", "--no-deps", "-w", str(dist), "."],
        cwd=h.ADDON_DIR,
    )
    wheels = sorted(dist.glob(f"{DIST}-18.0.*.whl"))
    assert len(wheels) == 1, sorted(p.name for p in dist.iterdir())
    with zipfile.ZipFile(wheels[0]) as whl:
        names = whl.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [
            line.split(":", 1)[1].strip()
            for line in whl.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:")
        ]
    assert f"odoo/addons/{h.ADDON}/__manifest__.py" in names
    assert not [n for n in names if n.startswith(f"odoo/addons/{h.ADDON}/tests/.")]
    # The manifest's Python dependencies, and Odoo itself (which comes from
    # Odoo's installation here, not from the index).
    python_deps = h.read_manifest()["external_dependencies"]["python"]
    assert sorted(requires) == sorted([*python_deps, "odoo==18.0.*"]), requires

    _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", wheels[0]])
    installed = site_dir / "odoo" / "addons" / h.ADDON
    assert (installed / "__manifest__.py").is_file()
    _run([str(python), "-c", "import cn2an"])

    db = fresh_db("wheel")
    # `python -m odoo` of the virtualenv, only Odoo's own addons folders: the
    # add-on can only come from the wheel.
    cmd = odoo_run.odoo_cmd(
        {**odoo, "cmd": [str(python), "-m", "odoo"]}, db, [], root=None
    )
    run = odoo_run.run_odoo(
        odoo, db, [], log_name="wheel", cmd=[*cmd, "-i", h.ADDON], cwd=root
    )
    print(run.summary())
    problems = run.problems()
    assert not problems, "\n\n".join(problems[:10])
    assert run.returncode == 0, run.summary()
    paths = next(
        (r["msg"] for r in run.records if r["msg"].startswith("addons paths:")), ""
    )
    assert str(installed.parent) in paths, paths
    assert str(h.REPO_ROOT) not in paths, paths
    state = h.psql(
        f"SELECT state FROM ir_module_module WHERE name = '{h.ADDON}'", db=db
    )
    assert state == "installed", run.summary()
