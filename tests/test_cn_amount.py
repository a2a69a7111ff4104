"""The Chinese upper-case amount (人民币大写) against the PBOC writing rules.

Every expected value below is written by hand from 《正确填写票据和结算凭证的
基本规定》 (the examples marked PBOC are the rule text's own), not produced by
running the code. The helper is loaded by path: the add-on's __init__ imports
Odoo, the helper must not.
"""

import ast
import importlib.util
import math
from decimal import Decimal
from pathlib import Path

import pytest

HELPER = (
    Path(__file__).resolve().parents[1] / "kefu_order_flow" / "tools" / "cn_amount.py"
)


def _load():
    spec = importlib.util.spec_from_file_location("kefu_cn_amount", HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


amount_to_cn_upper = _load().amount_to_cn_upper

TABLE = [
    # zero, cents only, jiao only
    (0, "零元整"),
    ("0.00", "零元整"),
    (0.01, "壹分"),
    (0.07, "柒分"),
    (0.5, "伍角"),
    ("0.50", "伍角"),
    (0.57, "伍角柒分"),
    # 10-19 keep 壹拾
    (1, "壹元整"),
    (10, "壹拾元整"),
    (16, "壹拾陆元整"),
    (19, "壹拾玖元整"),
    (20, "贰拾元整"),
    (110, "壹佰壹拾元整"),
    # zeros inside
    (101, "壹佰零壹元整"),
    (1001, "壹仟零壹元整"),
    (1010, "壹仟零壹拾元整"),
    (10010, "壹万零壹拾元整"),
    ("100100.01", "壹拾万零壹佰元零壹分"),
    (1010101.01, "壹佰零壹万零壹佰零壹元零壹分"),
    # the rule text's own examples (PBOC)
    (1409.50, "壹仟肆佰零玖元伍角"),
    (6007.14, "陆仟零柒元壹角肆分"),
    (1680.32, "壹仟陆佰捌拾元零叁角贰分"),
    (107000.53, "壹拾万柒仟元零伍角叁分"),
    (16409.02, "壹万陆仟肆佰零玖元零贰分"),
    (325.04, "叁佰贰拾伍元零肆分"),
    # 零 after 元 when the 元 digit (and a 角) or the 角 digit is 0
    (10005.07, "壹万零伍元零柒分"),
    (10.04, "壹拾元零肆分"),
    (10.3, "壹拾元零叁角"),
    (20000.6, "贰万元零陆角"),
    (1000.00, "壹仟元整"),
    # 10^4, 10^8 and above
    (10**4, "壹万元整"),
    (100000, "壹拾万元整"),
    (10**7, "壹仟万元整"),
    (10**8, "壹亿元整"),
    (100000001, "壹亿零壹元整"),
    (100010000, "壹亿零壹万元整"),
    (100007000, "壹亿零柒仟元整"),
    (110000000, "壹亿壹仟万元整"),
    (10**9, "壹拾亿元整"),
    (1000000001000, "壹万亿零壹仟元整"),
    (1000100000000, "壹万零壹亿元整"),
    (
        123456789012.34,
        "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分",
    ),
    (
        "9999999999999999.99",
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
    # rounding to the cent, half up
    (0.005, "壹分"),
    (0.004, "零元整"),
    (1.005, "壹元零壹分"),
    (2.675, "贰元陆角捌分"),
    ("12.345", "壹拾贰元叁角伍分"),
    (Decimal("0.015"), "贰分"),
    (99.995, "壹佰元整"),
    (0.1 + 0.2, "叁角"),
    # negatives (refunds)
    (-16, "负壹拾陆元整"),
    (-0.5, "负伍角"),
    ("-1680.32", "负壹仟陆佰捌拾元零叁角贰分"),
    (Decimal("-0.005"), "负壹分"),
    (-0.004, "零元整"),
    # Decimal, str, int inputs
    (Decimal("10005.07"), "壹万零伍元零柒分"),
    (Decimal("1409.5"), "壹仟肆佰零玖元伍角"),
    (" 16 ", "壹拾陆元整"),
    ("1E+4", "壹万元整"),
    (int("325"), "叁佰贰拾伍元整"),
]


@pytest.mark.parametrize(("amount", "expected"), TABLE, ids=[repr(a) for a, _ in TABLE])
def test_amount_to_cn_upper(amount, expected):
    assert amount_to_cn_upper(amount) == expected


@pytest.mark.parametrize(
    "amount",
    [
        None,
        "",
        "abc",
        "1,000",
        "12元",
        math.nan,
        math.inf,
        -math.inf,
        Decimal("NaN"),
        Decimal("-Infinity"),
        "nan",
        True,
        [16],
        10**16,
        "9999999999999999.995",
    ],
    ids=repr,
)
def test_invalid_amount_raises_value_error(amount):
    with pytest.raises(ValueError):
        amount_to_cn_upper(amount)


def test_helper_does_not_import_odoo():
    tree = ast.parse(HELPER.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    }
    assert not {name for name in imported if name.split(".")[0] == "odoo"}
