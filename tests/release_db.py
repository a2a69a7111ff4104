"""A database as a factory has it: the last release installed with its demo
factory and zh_CN, and orders standing in every stage of the flow.

The release's add-on is taken from this repository's history (``git
archive``), installed on a copy of the demo template, and the stages its demo
lacks are added by tests/flow_scripts.py's ``stage_orders`` running on the
release's code.  The result is cached as a template keyed by the release
commit, the PostgreSQL role and Odoo.
"""

import ast
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import odoo_harness as h
import odoo_run

# Release 18.0.1.0.0, the version in the field.
RELEASE = "eaf66c784f07b35a71f13ef1dc11977a1685906c"
RELEASE_VERSION = "18.0.1.0.0"


def _git(*args):
    return subprocess.run(
        ["git", "-C", str(h.REPO_ROOT), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def release_tree(commit=RELEASE):
    """A folder holding the release's add-on (for the addons path), extracted
    once per commit."""
    tree = h.DATA_DIR / "releases" / commit
    if (tree / h.ADDON / "__manifest__.py").is_file():
        return tree
    if _git("cat-file", "-e", f"{commit}^{{commit}}").returncode:
        shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip()
        hint = "a shallow clone: fetch the history (git fetch --unshallow)"
        raise RuntimeError(
            f"release commit {commit} is not in {h.REPO_ROOT}"
            + (f" ({hint})" if shallow == "true" else "")
        )
    tree.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tree.parent) as tmp:
        archive = Path(tmp) / "release.tar"
        proc = _git("archive", "-o", str(archive), commit, h.ADDON)
        if proc.returncode:
            raise RuntimeError(f"git archive {commit} failed: {proc.stderr}")
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "tree", filter="data")
        shutil.rmtree(tree, ignore_errors=True)
        (Path(tmp) / "tree").rename(tree)
    return tree


def release_depends(tree):
    manifest = (tree / h.ADDON / "__manifest__.py").read_text()
    return list(ast.literal_eval(manifest)["depends"])


def ensure_release_template(info, commit=RELEASE):
    """The cached release database (built when missing); its name."""
    tree = release_tree(commit)
    depends = release_depends(tree)

    def build(info, db, depends, demo):
        h.db_from_template(info, depends, True, db)
        install = ["-i", h.ADDON, "--load-language=zh_CN"]
        cmd = odoo_run.odoo_cmd(info, db, install, demo=True, root=tree)
        run = odoo_run.run_odoo(info, db, [], cmd=cmd, log_name=f"{db}-install")
        problems = run.problems()
        if run.returncode or problems:
            raise RuntimeError(
                f"installing the release failed: {run.summary()}\n"
                + "\n".join(problems[:10])
            )
        staged, _run = odoo_run.odoo_shell(info, db, "stage_orders", root=tree)
        print(f"release {commit[:12]}: staged {staged}")

    # The staging script is part of what the template holds.
    script = hashlib.sha1(
        b"".join(path.read_bytes() for path in odoo_run.SCRIPTS)
    ).hexdigest()
    name = h.template_name(info, depends, True, kind="release", key=[commit, script])
    return h.ensure_template(info, depends, True, name, build), tree
