# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Customer Service Order Flow (客户订单下单流程)",
    "summary": "Intake memo, signed confirmations, customer grades, deposit gate, "
    "confirmation sheet, daily slippage and payment-gated shipping",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://example.invalid/kefu_order_flow",
    "author": "Kefu Order Flow Developers",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": False,
    "installable": True,
    "depends": ["sale_management", "sale_stock"],
    "external_dependencies": {"python": ["cn2an", "zxing-cpp"], "bin": ["pdftoppm"]},
    "data": [
        "security/kefu_security.xml",
        "security/ir.model.access.csv",
        "data/kefu_customer_grade_data.xml",
        "data/ir_cron.xml",
        "data/mail_template_data.xml",
        "data/ir_actions_server.xml",
        "report/ir_actions_report.xml",
        "report/kefu_confirmation_sheet_templates.xml",
        "report/kefu_conformity_templates.xml",
        "wizards/kefu_return_wizard_views.xml",
        "views/kefu_customer_grade_views.xml",
        "views/res_partner_views.xml",
        "views/kefu_tech_confirmation_views.xml",
        "views/kefu_production_confirmation_views.xml",
        "views/kefu_completion_statement_views.xml",
        "views/kefu_monitoring_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/kefu_menus.xml",
    ],
    "demo": [
        "demo/kefu_demo_company.xml",
        "demo/kefu_demo_partner_product.xml",
        "demo/kefu_demo_sale_order.xml",
        "demo/kefu_demo_sale_order_flow.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "kefu_order_flow/static/tests/tours/*.js",
        ],
    },
}
