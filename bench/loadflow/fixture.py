# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a load runs on: customers, products, users, and the plans of its
orders (created by the admin over RPC)."""

from dataclasses import dataclass, field

from . import X

ROLES = {
    # role: (group xml ids, lang)
    "clerk": ([f"{X}group_kefu_clerk"], "zh_CN"),
    "clerk2": ([f"{X}group_kefu_clerk"], "zh_CN"),  # the colliding second clerk
    "supervisor": ([f"{X}group_kefu_supervisor"], "zh_CN"),
    "technician": ([f"{X}group_kefu_technical"], "zh_CN"),
    "production": ([f"{X}group_kefu_production"], "zh_CN"),
    "finance": ([f"{X}group_kefu_finance"], "zh_CN"),
    "shipping": ([f"{X}group_kefu_shipping"], "zh_CN"),
}
CORE_ROLES = {
    "sales": (["sales_team.group_sale_salesman_all_leads"], "en_US"),
    "stock": (["stock.group_stock_user"], "en_US"),
}


def xmlids(admin, names):
    """{"module.name": res_id} for the given xml ids."""
    out = {}
    for name in names:
        module, _, short = name.partition(".")
        rows = admin.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", short)],
            fields=["res_id"],
        )
        if not rows:
            raise RuntimeError(f"xml id {name} not found")
        out[name] = rows[0]["res_id"]
    return out


def create_users(admin, roles, clients, tag, company_id=None):
    """K users per role, password = login; returns {role: [login, ...]}."""
    groups = xmlids(admin, {g for gids, _lang in roles.values() for g in gids})
    vals, logins = [], {}
    for role, (gids, lang) in roles.items():
        for index in range(clients):
            login = f"load_{tag}_{role}_{index}"
            logins.setdefault(role, []).append(login)
            user = {
                "name": f"{role} {index} ({tag})",
                "login": login,
                "password": login,
                "email": f"{login}@load.example.com",
                "lang": lang,
                "tz": "Asia/Shanghai",
                "groups_id": [(6, 0, [groups[g] for g in gids])],
            }
            if company_id:
                user.update(company_id=company_id, company_ids=[(6, 0, [company_id])])
            vals.append(user)
    # A few at a time: hashing the passwords of a hundred users in one request
    # takes longer than a worker is allowed to (limit_time_real).
    for start in range(0, len(vals), 8):
        admin.call(
            "res.users",
            "create",
            vals[start : start + 8],
            context={"no_reset_password": True},
        )
    return logins


@dataclass
class Plan:
    index: int
    customer: str  # key in Fixture.customers
    grade: str
    deposit: bool
    mismatch: bool  # a line below the price plan: escalated, then confirmed
    reject_first: bool  # first return rejected, second version sent
    early: bool  # grade A released before the signed return, back-filled
    collide: str = ""  # "clerks" (release) or "finance" (deposit vs change)
    outcome: str = ""
    rejected: bool = False  # the first version came back rejected
    order_id: int = 0
    done: bool = False
    steps: list = field(default_factory=list)

    def path(self):
        bits = [self.grade]
        for flag in ("deposit", "mismatch", "reject_first", "early"):
            if getattr(self, flag):
                bits.append(flag)
        if self.collide:
            bits.append(f"{self.collide}:{self.outcome or '?'}")
        return "+".join(bits)


CUSTOMERS = [
    # key, grade, deposit percent
    ("a1", "A", 0),
    ("b1", "B", 30),
    ("c1", "C", 0),
    ("a2", "A", 0),
    ("b2", "B", 0),
    ("c2", "C", 0),
]


def make_plans(count, collide_every):
    plans = []
    for index in range(count):
        key, grade, deposit = CUSTOMERS[index % len(CUSTOMERS)]
        turn = index // len(CUSTOMERS)
        plan = Plan(
            index=index,
            customer=key,
            grade=grade,
            deposit=bool(deposit),
            mismatch=index % 10 == 3,
            reject_first=index % 7 == 2,
            early=grade == "A" and turn % 2 == 0,
        )
        if plan.deposit and turn % 2 == 1:
            plan.collide = "finance"
        elif not plan.early and collide_every and index % collide_every == 5:
            plan.collide = "clerks"
        plans.append(plan)
    return plans


class Fixture:
    """Customers, products, users of the add-on's run (created by the admin)."""

    def __init__(self, admin, clients, tag):
        refs = xmlids(
            admin,
            [
                f"{X}demo_company",
                f"{X}demo_team_kefu",
                f"{X}grade_a",
                f"{X}grade_b",
                f"{X}grade_c",
                f"{X}demo_pricelist_a",
                f"{X}demo_pricelist_b",
                f"{X}demo_pricelist_c",
                f"{X}demo_product_bopp",
                f"{X}demo_product_bopp_matte",
                f"{X}demo_product_pet",
                f"{X}demo_product_cpp",
                "account.account_payment_term_30days",
            ],
        )
        self.company = refs[f"{X}demo_company"]
        # The flow's scope in the demo: the customer-service team's orders.
        self.team = refs[f"{X}demo_team_kefu"]
        self.payment_term = refs["account.account_payment_term_30days"]
        self.products = [
            refs[f"{X}demo_product_bopp"],
            refs[f"{X}demo_product_pet"],
            refs[f"{X}demo_product_bopp_matte"],
        ]
        # Only mismatch orders use this one, below the plan: the last price
        # of the others stays the plan's price.
        self.mismatch_product = refs[f"{X}demo_product_cpp"]
        self.customers = {}
        for key, grade, deposit in CUSTOMERS:
            letter = grade.lower()
            self.customers[key] = admin.call(
                "res.partner",
                "create",
                {
                    "name": f"压测客户 {key.upper()} ({tag})",
                    "is_company": True,
                    "lang": "zh_CN",
                    "tz": "Asia/Shanghai",
                    "email": f"{key}-{tag}@customer.example.com",
                    "kefu_grade_id": refs[f"{X}grade_{letter}"],
                    "kefu_deposit_percent": deposit,
                    "property_product_pricelist": refs[f"{X}demo_pricelist_{letter}"],
                },
            )
        self.logins = create_users(admin, ROLES, clients, tag, self.company)
        # The flow as the add-on declares it: each step's method and groups.
        self.flow = admin.call("sale.order", "get_kefu_flow")
        # The ``signer`` of an accepted return, where the add-on has it:
        # a contact of the customer (many2one) or a name.
        returned = admin.call(
            "kefu.sheet.return", "fields_get", attributes=["type", "relation"]
        )
        signer = returned.get("signer_id") or returned.get("signer") or {}
        self.signers = {}
        if signer.get("type") == "many2one":
            for key, partner in self.customers.items():
                self.signers[key] = admin.call(
                    "res.partner",
                    "create",
                    {"name": "采购部 李经理", "parent_id": partner, "type": "contact"},
                )
        elif signer:
            self.signers = {key: "采购部 李经理" for key in self.customers}

    def role_of(self, groups):
        """The first role of ROLES whose users are in one of ``groups``."""
        return next(
            role for role, (own, _lang) in ROLES.items() if set(own) & set(groups)
        )

    def step_of(self, action):
        return next(
            name for name, step in self.flow.items() if step["action"] == action
        )
