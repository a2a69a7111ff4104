"""Checks of the add-on's files that need no Odoo: manifest, XML, CSV, .po."""

import ast
import csv
import re
from pathlib import Path

import pytest

ADDON = "kefu_order_flow"
ADDON_DIR = Path(__file__).resolve().parent.parent / ADDON
MANIFEST = ADDON_DIR / "__manifest__.py"

# Models of the dependencies the access rules may refer to (model_id:id).
DEPENDENCY_MODELS = {
    "model_account_move",
    "model_account_payment_term",
    "model_mail_activity",
    "model_product_pricelist",
    "model_product_product",
    "model_product_template",
    "model_res_company",
    "model_res_partner",
    "model_res_users",
    "model_sale_order",
    "model_sale_order_line",
    "model_sale_order_option",
    "model_stock_move",
    "model_stock_picking",
}
DEPENDENCY_GROUP_PREFIXES = ("base.", "sales_team.", "stock.", "account.", "sale.")
ACCESS_HEADER = (
    "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink"
)


def _rel(path):
    return str(path.relative_to(ADDON_DIR))


def _files(pattern):
    return sorted(ADDON_DIR.rglob(pattern)) if ADDON_DIR.is_dir() else []


def _manifest():
    assert MANIFEST.is_file(), f"{MANIFEST} is missing"
    return ast.literal_eval(MANIFEST.read_text(encoding="utf-8"))


# --- manifest ----------------------------------------------------------------


def test_manifest_keys():
    manifest = _manifest()
    required = [
        "name",
        "version",
        "license",
        "author",
        "category",
        "summary",
        "depends",
        "data",
        "development_status",
        "installable",
    ]
    missing = [k for k in required if k not in manifest]
    assert not missing, f"manifest lacks {missing}"
    assert re.match(r"^18\.0\.\d+\.\d+\.\d+$", manifest["version"]), manifest["version"]
    assert manifest["license"] == "LGPL-3"
    assert {"sale_management", "sale_stock"} <= set(manifest["depends"])
    assert manifest["installable"] is True
    # No public home yet: no placeholder address, no invented maintainers.
    assert "website" not in manifest and "maintainers" not in manifest


def _manifest_files():
    if not MANIFEST.is_file():
        return []
    manifest = ast.literal_eval(MANIFEST.read_text(encoding="utf-8"))
    files = [(key, f) for key in ("data", "demo") for f in manifest.get(key, [])]
    for bundle, entries in manifest.get("assets", {}).items():
        for entry in entries:
            # ("include", bundle), ("remove", path), ("after", target, path) ...
            path = entry if isinstance(entry, str) else entry[-1]
            if path.startswith(f"{ADDON}/"):
                files.append((f"assets {bundle}", path[len(ADDON) + 1 :]))
    return files


@pytest.mark.parametrize(("key", "path"), _manifest_files())
def test_manifest_file_exists(key, path):
    if any(c in path for c in "*?["):
        assert list(ADDON_DIR.glob(path)), f"{key}: {path} matches no file"
    else:
        assert (ADDON_DIR / path).is_file(), f"{key}: {path} does not exist"


# --- XML ---------------------------------------------------------------------


def _parse_xml(path):
    try:
        from lxml import etree
    except ImportError:
        import xml.etree.ElementTree as etree
    return etree.parse(str(path))


@pytest.mark.parametrize("path", _files("*.xml"), ids=_rel)
def test_xml_parses(path):
    _parse_xml(path)


# --- access rules --------------------------------------------------------------


def _addon_models():
    names = set()
    for py in _files("*.py"):
        text = py.read_text(encoding="utf-8")
        # models defined here, and models extended here (so they exist)
        pattern = r"""^\s*_(?:name|inherit)\s*=\s*["']([\w.]+)["']"""
        for name in re.findall(pattern, text, re.M):
            names.add("model_" + name.replace(".", "_"))
    return names


def _addon_groups():
    groups = set()
    for path in _files("*.xml"):
        for rec in _parse_xml(path).iter("record"):
            if rec.get("model") == "res.groups" and rec.get("id"):
                groups.add(rec.get("id").removeprefix(f"{ADDON}."))
    return groups


def _access_rows():
    path = ADDON_DIR / "security" / "ir.model.access.csv"
    assert path.is_file(), f"{path} is missing"
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].strip() if text else ""
    assert header == ACCESS_HEADER, f"header is {header!r}"
    return list(csv.DictReader(text.splitlines()))


def test_access_csv():
    rows = _access_rows()
    models = _addon_models() | DEPENDENCY_MODELS
    groups = _addon_groups()
    errors = []
    seen = set()
    for n, row in enumerate(rows, start=2):
        if row["id"] in seen:
            errors.append(f"line {n}: duplicate id {row['id']}")
        seen.add(row["id"])
        model = row["model_id:id"].split(".")[-1]
        if model not in models:
            errors.append(f"line {n}: unknown model {row['model_id:id']}")
        group = row["group_id:id"]
        local = group.removeprefix(f"{ADDON}.")
        if group and not group.startswith(DEPENDENCY_GROUP_PREFIXES):
            if local not in groups:
                errors.append(f"line {n}: unknown group {group}")
        for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            if row[perm] not in ("0", "1"):
                errors.append(f"line {n}: {perm} is {row[perm]!r}")
    assert rows, "no access rule"
    assert not errors, "\n".join(errors)


# --- translations ----------------------------------------------------------------


def _po_entries(path):
    """[(msgid, msgstr, flags, occurrences)] and the header metadata."""
    try:
        import polib
    except ImportError:
        polib = None
    if polib:
        po = polib.pofile(str(path))
        entries = [
            (e.msgid, e.msgstr, e.flags, [o[0] for o in e.occurrences])
            for e in po
            if not e.obsolete
        ]
        if po.metadata_is_fuzzy:
            entries.append(("", "", ["fuzzy"], []))
        return entries, po.metadata
    return _parse_po(path.read_text(encoding="utf-8"))


def _unquote(s):
    return ast.literal_eval(s) if s.startswith('"') else s


def _parse_po(text):
    """A small .po parser for when polib is not installed."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        flags, occ, fields, key = [], [], {}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                flags += [f.strip() for f in line[2:].split(",")]
            elif line.startswith("#:"):
                occ += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += _unquote(line)
            else:
                key, _, rest = line.partition(" ")
                fields[key] = _unquote(rest.strip())
        if "msgid" not in fields:
            raise ValueError(f"entry without msgid: {block[:80]!r}")
        entries.append((fields["msgid"], fields.get("msgstr", ""), flags, occ))
    header = next((e for e in entries if e[0] == ""), None)
    meta = {}
    if header:
        for line in header[1].splitlines():
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip()
    return entries, meta


def test_zh_cn_translation_exists():
    assert (ADDON_DIR / "i18n" / "zh_CN.po").is_file()


_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdfr]")


@pytest.mark.parametrize("path", _files("i18n/*.po") + _files("i18n/*.pot"), ids=_rel)
def test_po_file(path):
    entries, meta = _po_entries(path)
    assert entries, "no entry"
    errors = []
    for msgid, msgstr, flags, occ in entries:
        if not msgid or not msgstr:
            continue
        code = "python-format" in flags or any(o.startswith("code:") for o in occ)
        ph_id = sorted(_PLACEHOLDER.findall(msgid))
        if code and ph_id != sorted(_PLACEHOLDER.findall(msgstr)):
            errors.append(f"placeholders differ: {msgid!r} -> {msgstr!r}")
    if path.name == "zh_CN.po":
        assert meta.get("Language") == "zh_CN", (
            f"Language header is {meta.get('Language')!r}"
        )
        fuzzy = [e[0] or "(header)" for e in entries if "fuzzy" in e[2]]
        errors += [f"fuzzy: {m!r}" for m in fuzzy]
    assert not errors, "\n".join(errors)


# --- the flow declared once ---------------------------------------------------

REPO = ADDON_DIR.parent
FLOW = ADDON_DIR / "models" / "kefu_flow.py"


def _step_names():
    """The keys of KEFU_FLOW, read from its source."""
    for node in ast.walk(ast.parse(FLOW.read_text(encoding="utf-8"))):
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", None) == "KEFU_FLOW" for t in targets):
                return {key.value for key in node.value.keys}
    raise AssertionError("KEFU_FLOW is not a dict literal in kefu_flow.py")


def _runtime_sources():
    """The add-on's code (its tests aside) and the benchmarks."""
    for path in sorted([*ADDON_DIR.rglob("*.py"), *(REPO / "bench").rglob("*.py")]):
        if "tests" not in path.relative_to(REPO).parts:
            yield path


def test_every_step_name_is_defined_once():
    """No second list of steps: KEFU_FLOW is the only collection (list, tuple,
    set, dict) that names two steps or more; every other list of steps
    (the buttons' flags, the steps that lead, the load benchmark's clients) is
    read off it."""
    names = _step_names()
    assert len(names) > 20
    found = []
    for path in _runtime_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                items = node.keys
            elif isinstance(node, ast.List | ast.Tuple | ast.Set):
                items = node.elts
            else:
                continue
            named = {
                item.value
                for item in items
                if isinstance(item, ast.Constant) and item.value in names
            }
            if len(named) >= 2 and not (path == FLOW and named == names):
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {sorted(named)}")
    assert not found, "steps listed outside KEFU_FLOW:\n" + "\n".join(found)


def test_every_step_that_hands_off_says_when_it_is_done():
    """A row's hand-offs (``done``) and whom it tells (``tells``) are applied
    only where the step's code says it was taken: ``_kefu_step_done(name)``.
    A step with either that never says so would lose them silently."""
    handing = set()
    for node in ast.walk(ast.parse(FLOW.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict) and node.keys and len(node.keys) > 20:
            for key, row in zip(node.keys, node.values, strict=True):
                if {kw.arg for kw in row.keywords} & {"done", "tells"}:
                    handing.add(key.value)
    assert len(handing) >= 10
    code = "".join(
        path.read_text(encoding="utf-8") for path in (ADDON_DIR / "models").glob("*.py")
    )
    called = set(re.findall(r'_kefu_step_done\(\s*"(\w+)"', code))
    assert handing <= called, f"never said done: {sorted(handing - called)}"
    assert called <= handing, f"done with nothing to do: {sorted(called - handing)}"


WALK_CALL = re.compile(r"`(models/\w+\.py)` · `(\w+)\(\)`|`(\w+)\(\)`")


def _walks():
    """{walk title: [(file, function)]} from docs/ARCHITECTURE.md: each
    numbered line names its file, then the functions it calls there."""
    walks, title, current = {}, None, None
    for line in (REPO / "docs" / "ARCHITECTURE.md").read_text("utf-8").splitlines():
        if line.startswith("#"):
            title = line[4:] if line.startswith("### ") else None
            walks[title] = []
            continue
        if title is None:
            continue
        if re.match(r"\d+\. ", line):
            current = None
        for match in WALK_CALL.finditer(line):
            if match[1]:
                current = match[1]
                walks[title].append((current, match[2]))
            elif current:
                walks[title].append((current, match[3]))
    return walks


def test_the_walks_through_the_code_are_true():
    """docs/ARCHITECTURE.md walks through a release and a return: each
    function it names is defined in the file it names, and each walk stays
    within three files (the concern's, the flow's, the record it answers to)."""
    walks = {title: calls for title, calls in _walks().items() if title}
    assert len(walks) == 2
    for title, calls in walks.items():
        assert len(calls) >= 8, title
        for path, function in calls:
            if function.startswith("_") or function.startswith("action_"):
                code = (ADDON_DIR / path).read_text(encoding="utf-8")
                assert f"def {function}(" in code, f"{title}: {path} {function}"
        assert len({path for path, _function in calls}) <= 3, title


def test_no_python_file_over_500_lines():
    too_long = [
        f"{path.relative_to(REPO)}: {count}"
        for path in sorted(REPO.glob("[!.]*/**/*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert not too_long, too_long


def test_no_field_declared_twice_in_a_class():
    """A second ``name = fields.X(...)`` in one class silently replaces the
    first: its label and help never show."""
    twice = []
    for path in sorted(ADDON_DIR.glob("**/*.py")):
        for cls in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(cls, ast.ClassDef):
                continue
            names = [
                target.id
                for node in cls.body
                if isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and isinstance(node.value.func.value, ast.Name)
                and node.value.func.value.id == "fields"
                for target in node.targets
                if isinstance(target, ast.Name)
            ]
            twice += [
                f"{path.relative_to(REPO)}: {cls.name}.{name}"
                for name in sorted({n for n in names if names.count(n) > 1})
            ]
    assert not twice, twice


def test_readme_gives_the_walks_cost_from_the_usage_table():
    usage = (ADDON_DIR / "readme" / "USAGE.md").read_text(encoding="utf-8")
    total = re.search(r"^\|.*\| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \|$", usage, re.M)
    readme = re.sub(r"\s+", " ", (REPO / "README.md").read_text(encoding="utf-8"))
    assert f"in {total[1]} clicks and {total[2]} typed fields" in readme
