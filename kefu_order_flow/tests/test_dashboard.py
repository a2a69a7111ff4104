# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import re

from freezegun import freeze_time

from odoo.tests import tagged

from .common import KefuCase

# PIVOT.VALUE(id, measure, field, value, ...), PIVOT.HEADER(id, field, value, ...)
FORMULA = re.compile(r"(ODOO\.PIVOT|PIVOT\.VALUE|PIVOT\.HEADER)\(([^()]*)\)")
ARGUMENT = re.compile(r'"[^"]*"|[^,]+')


def arguments(text):
    return [arg.strip().strip('"') for arg in ARGUMENT.findall(text)]


def dimension(name):
    """``#date_order:month`` -> ``date_order``."""
    return name.lstrip("#").split(":")[0]


@tagged("post_install", "-at_install")
class TestDashboard(KefuCase):
    """客服看板 ships as JSON: it must load, and every formula must name a
    pivot, a model and fields that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("kefu_order_flow.spreadsheet_dashboard_kefu")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def test_loads_for_customer_service_only(self):
        for user in (self.assistant, self.clerk, self.supervisor, self.director):
            with self.subTest(user=user.login):
                dashboard = self.dashboard.with_user(user)
                self.assertIn(
                    dashboard,
                    self.env["spreadsheet.dashboard"].with_user(user).search([]),
                )
                snapshot = dashboard.get_readonly_dashboard()["snapshot"]
                self.assertEqual(snapshot["pivots"].keys(), self.data["pivots"].keys())
        for user in (self.technician, self.salesman):
            with self.subTest(user=user.login):
                found = self.env["spreadsheet.dashboard"].with_user(user).search([])
                self.assertNotIn(self.dashboard, found)
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("kefu_order_flow.spreadsheet_dashboard_group_kefu"),
        )

    def test_pivots_name_models_and_fields_that_exist(self):
        filters = {f["id"] for f in self.data["globalFilters"]}
        self.assertTrue(self.data["pivots"])
        for pivot_id, pivot in self.data["pivots"].items():
            with self.subTest(pivot=pivot_id):
                self.assertIn(pivot["model"], ("kefu.order.report", "sale.order"))
                Model = self.env[pivot["model"]].with_user(self.supervisor)
                fields = Model.fields_get()
                groupby = []
                for dim in pivot["rows"] + pivot["columns"]:
                    self.assertIn(dim["fieldName"], fields)
                    self.assertTrue(fields[dim["fieldName"]]["groupable"])
                    granularity = dim.get("granularity")
                    groupby.append(
                        f"{dim['fieldName']}:{granularity}"
                        if granularity
                        else dim["fieldName"]
                    )
                aggregates = []
                for measure in pivot["measures"]:
                    name = measure["fieldName"]
                    if name == "__count":
                        aggregates.append("__count")
                        continue
                    self.assertIn(name, fields)
                    self.assertIn(
                        fields[name]["type"], ("integer", "float", "monetary")
                    )
                    aggregates.append(f"{name}:{measure.get('aggregator', 'sum')}")
                for matching in pivot["fieldMatching"].values():
                    self.assertIn(matching["chain"], fields)
                self.assertLessEqual(pivot["fieldMatching"].keys(), filters)
                # the request the dashboard makes: the domain and groups are valid
                Model.read_group(pivot["domain"], aggregates, groupby, lazy=False)

    def test_every_formula_names_a_pivot_measure_and_dimension(self):
        pivots = self.data["pivots"]
        formulas = 0
        cells = {}
        for sheet in self.data["sheets"]:
            for ref, cell in sheet["cells"].items():
                cells[f"{sheet['name']}!{ref}"] = cell.get("content", "")
                for function, args in FORMULA.findall(cell.get("content", "")):
                    formulas += 1
                    args = arguments(args)
                    with self.subTest(cell=f"{sheet['name']}!{ref}"):
                        self.assertIn(args[0], pivots)
                        pivot = pivots[args[0]]
                        dims = {
                            d["fieldName"] for d in pivot["rows"] + pivot["columns"]
                        }
                        rest = args[1:]
                        if function == "PIVOT.VALUE":
                            measures = {m["id"] for m in pivot["measures"]}
                            self.assertIn(rest[0], measures)
                            rest = rest[1:]
                        for name in rest[::2]:
                            self.assertIn(dimension(name), dims)
        self.assertGreater(formulas, 50)
        # the scorecards show live cells
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                key = figure["data"].get("keyValue")
                if key:
                    self.assertRegex(cells.get(key, ""), r"^=PIVOT\.VALUE\(")
        for xmlid in self.data["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(xmlid))

    def _dashboard_figures(self, pivot_id):
        """{dimension value: figure} of each cell showing a count of pivot
        ``pivot_id`` by one dimension, as the dashboard asks the report."""
        pivot = self.data["pivots"][pivot_id]
        Report = self.env[pivot["model"]].with_user(self.supervisor)
        figures = {}
        for sheet in self.data["sheets"]:
            for cell in sheet["cells"].values():
                for function, args in FORMULA.findall(cell.get("content", "")):
                    args = arguments(args)
                    if function != "PIVOT.VALUE" or args[:2] != [pivot_id, "__count"]:
                        continue
                    field, value = dimension(args[2]), args[3]
                    figures[value] = Report.search_count(
                        pivot["domain"] + [(field, "=", value)]
                    )
        return figures

    @freeze_time("2026-03-02 02:00:00")
    def test_figures_match_the_report(self):
        """The dashboard's stage counts are the orders' own: one order in each
        of three stages, counted by the dashboard's cells as by the orders."""
        self._to_review(self._order())
        self._to_sheet_sent(self._order())
        self._to_released(self._order())
        figures = self._dashboard_figures("1")
        stages = dict(self.env["sale.order"]._fields["kefu_stage"].selection)
        self.assertEqual(set(figures), set(stages) - {"cancel"})
        Order = self.env["sale.order"].with_user(self.supervisor)
        for stage, figure in figures.items():
            with self.subTest(stage=stage):
                self.assertEqual(
                    figure, Order.search_count([("kefu_stage", "=", stage)])
                )
        self.assertGreaterEqual(figures["review"], 1)
        self.assertGreaterEqual(figures["sheet_sent"], 1)
        self.assertGreaterEqual(figures["released"], 1)
