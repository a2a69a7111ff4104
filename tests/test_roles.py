"""The role table (kefu_order_flow/tools/kefu_roles.py) against everything that
repeats it: the groups, their zh_CN names, the demo users, README.md and
readme/CONFIGURE.md (the groups, and the role matrix cell by cell). No Odoo:
the table is loaded by path, the add-on's __init__ imports Odoo.

When a check fails, change the table first, then make the file agree with it.
"""

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADDON_DIR = REPO / "kefu_order_flow"
CONFIGURE = ADDON_DIR / "readme" / "CONFIGURE.md"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


roles = _load("kefu_roles", ADDON_DIR / "tools" / "kefu_roles.py")
matrix = _load("role_matrix", ADDON_DIR / "tests" / "role_matrix.py")
KEFU_ROLES = [role for role in roles.ROLES if role.is_kefu]


def _xml_records(path, model):
    from lxml import etree

    return [
        rec
        for rec in etree.parse(str(path)).iter("record")
        if rec.get("model") == model
    ]


def _field(rec, name):
    for field in rec.iter("field"):
        if field.get("name") == name:
            return field
    return None


def _refs(expression):
    """The xml ids named by ref('...') in an eval expression."""
    return set(re.findall(r"ref\('([\w.]+)'\)", expression or ""))


def _short(xmlid):
    return xmlid.removeprefix("kefu_order_flow.")


def _table_rows(text, first_cell):
    """Cells of the markdown table rows whose first cell matches first_cell."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if re.fullmatch(first_cell, cells[0]):
                rows.append(cells)
    return rows


# --- the table itself ----------------------------------------------------------


def test_table_is_consistent():
    keys = [role.key for role in roles.ROLES]
    assert len(set(keys)) == len(keys)
    assert len({role.column for role in roles.ROLES}) == len(keys)
    assert len({role.group for role in roles.ROLES}) == len(keys)
    for role in roles.ROLES:
        assert not role.implies or role.implies in roles.ROLE_BY_KEY, role.key
        assert role.is_kefu == bool(role.group_name and role.summary), role.key
    cells = list(matrix.matrix_cells(roles.ROLES))
    assert len(cells) == len(matrix.ROLE_MATRIX) * len(keys)
    assert {cell[-1] for cell in cells} <= {"Y", "A", "U"}
    assert len({cell[:3] for cell in matrix.ROLE_MATRIX}) == len(matrix.ROLE_MATRIX)


# --- security and translations -----------------------------------------------------


def test_groups_match_security():
    path = ADDON_DIR / "security" / "kefu_security.xml"
    groups = {rec.get("id"): rec for rec in _xml_records(path, "res.groups")}
    assert set(groups) == {_short(role.group) for role in KEFU_ROLES}
    for role in KEFU_ROLES:
        rec = groups[_short(role.group)]
        assert _field(rec, "name").text == role.group_name, role.key
        implied = {
            _short(ref)
            for ref in _refs(_field(rec, "implied_ids").get("eval"))
            if _short(ref).startswith("group_kefu_")
        }
        expected = set()
        if role.implies:
            expected.add(_short(roles.ROLE_BY_KEY[role.implies].group))
        assert implied == expected, role.key


def test_group_names_in_zh_cn():
    text = (ADDON_DIR / "i18n" / "zh_CN.po").read_text(encoding="utf-8")
    for role in KEFU_ROLES:
        match = re.search(
            rf"#: model:res.groups,name:{re.escape(role.group)}\n"
            r'msgid "(.*)"\nmsgstr "(.*)"',
            text,
        )
        assert match, f"{role.group}: no translation of its name"
        assert match.groups() == (role.group_name, role.name_zh), role.key


# --- demo ----------------------------------------------------------------------


def test_demo_users_match():
    path = ADDON_DIR / "demo" / "kefu_demo_company.xml"
    users = {
        _field(rec, "login").text: rec
        for rec in _xml_records(path, "res.users")
        if _field(rec, "login") is not None  # not base.user_admin
    }
    demo_roles = [role for role in roles.ROLES if role.demo_login]
    assert set(users) == {role.demo_login for role in demo_roles}
    for role in demo_roles:
        rec = users[role.demo_login]
        assert _field(rec, "name").text == role.person, role.key
        assert _field(rec, "password").text == role.demo_login, role.key
        assert _field(rec, "lang").text == "zh_CN", role.key
        groups = {_short(ref) for ref in _refs(_field(rec, "groups_id").get("eval"))}
        assert groups == {_short(role.group)}, role.key
        assert _field(rec, "action_id").get("ref") == _short(role.home), role.key


def test_demo_homes_in_own_menus():
    """Each kefu demo user opens on an action of a menu entry its group sees."""
    from lxml import etree

    menus = etree.parse(str(ADDON_DIR / "views" / "kefu_menus.xml")).iter("menuitem")
    seen_by = {
        menu.get("action"): set(menu.get("groups", "").split(","))
        for menu in menus
        if menu.get("action")
    }
    for role in KEFU_ROLES:
        groups, key = set(), role.key
        while key:  # the role's group and those it implies
            groups.add(_short(roles.ROLE_BY_KEY[key].group))
            key = roles.ROLE_BY_KEY[key].implies
        assert seen_by.get(_short(role.home), set()) & groups, role.key


# --- README.md -----------------------------------------------------------------


def _readme():
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_roles_table():
    rows = {
        cells[0]: cells[1:] for cells in _table_rows(_readme(), r"`group_kefu_\w+`")
    }
    expected = {}
    for role in KEFU_ROLES:
        summary = role.summary
        if role.implies:
            summary += f" (implies {role.implies})"
        expected[f"`{_short(role.group)}`"] = [role.name_zh, summary]
    assert rows == expected


def test_readme_demo_logins():
    text = re.sub(r"\s+", " ", _readme())
    logins = ", ".join(
        f"`{role.demo_login}`" for role in roles.ROLES if role.demo_login
    )
    assert logins in text


# --- readme/CONFIGURE.md -------------------------------------------------------


def _configure():
    return CONFIGURE.read_text(encoding="utf-8")


def test_configure_groups_table():
    names = "|".join(re.escape(role.group_name) for role in KEFU_ROLES)
    rows = {cells[0]: cells[1:] for cells in _table_rows(_configure(), names)}
    assert rows == {role.group_name: [role.name_zh, role.duties] for role in KEFU_ROLES}


def test_configure_matrix_columns():
    text = _configure()
    legend = " · ".join(
        f"**{role.column}** "
        + (f"{role.name_zh} " if role.is_kefu else "")
        + role.label
        for role in roles.ROLES
    )
    assert f"Columns: {legend}." in re.sub(r"\s+", " ", text)
    columns = [role.column for role in roles.ROLES]
    headers = _table_rows(text, r"Operation|Step")
    # One table per model of the flow, per kind of order, and the steps.
    assert len(headers) == 7 + len(ORDERS) + 1
    for cells in headers:
        assert cells[1:] == columns


def test_configure_matrix_renders_whole():
    """Each line of the matrix's tables fits pandoc's 72 columns, so that
    oca-gen-addon-readme's pandoc keeps its cells whole (no code literal split
    across lines of a wrapped cell)."""
    text = _configure()
    for line in text[text.index("## Role matrix") :].splitlines():
        if line.startswith("|"):
            wide = sum(1 for char in line if ord(char) > 0xFFFF)  # 🔒: two
            assert len(line) + wide <= 72, line


# How the matrix in readme/CONFIGURE.md names the rows of ROLE_MATRIX.
OPERATIONS = {
    "create": ["create"],
    "create (draft)": ["create"],
    "read": ["read"],
    "write": ["write"],
    "delete": ["unlink"],
    "write, delete": ["write", "unlink"],
    "write a draft": ["write"],
    "write a draft (the answer)": ["write"],
    "delete a draft": ["unlink"],
    "write a signed one": ["write"],
    "delete a signed one": ["unlink"],
    "write a workflow field": ["write_workflow"],
}
# The kinds of order, each a table of its own (``*In intake, ...*``).
ORDERS = {
    "In intake, the salesperson's own": "intake",
    "In review or later, the salesperson's own": "review",
    "In intake, another salesperson's": "intake_other",
    "The portal user's own (a follower)": "portal_order",
    "Any order": "review",
}
SYMBOLS = {"✓": "Y", "✗": "A", "🔒": "U"}


def _doc_matrix_rows():
    """(model, operations, fixture filter, codes) per row of the doc's matrix:
    the tables of the records (each after a line ``*Label* (`model`)``), of the
    orders (each after ``*Kind of order*``) and of the steps."""
    text = _configure()
    text = text[text.index("## Role matrix") :]
    model = kind = None
    steps = False
    for line in text.splitlines():
        title = re.fullmatch(r"\*([^*]+)\*(?: \(`([\w.]+)`\))?", line)
        if title:
            kind, model = title[1], title[2] or "sale.order"
            continue
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("Operation", "Step"):
            steps = cells[0] == "Step"
            continue
        first, marks = cells[0], cells[1:]
        codes = " ".join(SYMBOLS[mark.rstrip("¹²³")] for mark in marks)
        if steps:  # steps of the flow: a method of sale.order
            yield "sale.order", [re.fullmatch(r"`(action_\w+)`", first)[1]], None, codes
            continue
        fixture = None
        if model == "sale.order":
            fixture = ORDERS[kind]
        elif first.endswith(("a draft", "a draft (the answer)")):
            fixture = "_draft"
        elif first.endswith("a signed one"):
            fixture = "_signed"
        names = [first.strip("`")] if first.startswith("`") else None
        yield model, names or OPERATIONS[first], fixture, codes


def test_configure_matrix_matches_the_table():
    covered = set()
    for model, operations, fixture, codes in _doc_matrix_rows():
        matched = [
            row
            for row in matrix.ROLE_MATRIX
            if row[0] == model
            and row[1] in operations
            and (fixture is None or row[2] == fixture or row[2].endswith(fixture))
        ]
        assert matched, f"CONFIGURE.md: {model} {operations} {fixture} not in table"
        for row in matched:
            assert row[3] == codes, f"CONFIGURE.md {row[:3]}: {codes} != {row[3]}"
        covered.update(matched)
    missing = [row[:3] for row in matrix.ROLE_MATRIX if row not in covered]
    assert not missing, f"rows of ROLE_MATRIX not in CONFIGURE.md: {missing}"
