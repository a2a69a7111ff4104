# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What must hold after a load, checked over SQL."""

from . import h


def sql_rows(db, sql):
    out = h.psql(sql, db=db)
    return [line.split("|") for line in out.splitlines() if line]


def check_invariants(db, plans):
    """[(invariant, orders checked, broken, example)]."""
    # The other invariants are about orders the run finished; one stopped half
    # way (time limit, a bug) is reported by the first row.
    ids = [plan.order_id for plan in plans if plan.order_id and plan.done]
    if not ids:
        return [("orders finished", len(plans), len(plans), "none")], {}
    idlist = ",".join(map(str, ids))
    rows = []

    def check(name, sql, checked=None):
        broken = sql_rows(db, sql)
        example = ", ".join("/".join(cell for cell in row) for row in broken[:3])
        rows.append((name, checked or len(ids), len(broken), example or "-"))

    unfinished = [plan for plan in plans if plan.order_id and not plan.done]
    rows.append(
        (
            "every order driven to done",
            len(plans),
            len(plans) - sum(plan.done for plan in plans),
            ", ".join(f"#{p.index}:{p.steps[-1:]}" for p in unfinished[:3]) or "-",
        )
    )
    check(
        "released exactly once: state sale, stage done",
        f"SELECT name, state, kefu_stage FROM sale_order WHERE id IN ({idlist})"
        " AND (state != 'sale' OR kefu_stage != 'done')",
    )
    check(
        "exactly one outgoing picking, done",
        f"""SELECT so.name, count(p.id), string_agg(p.state, ',')
              FROM sale_order so
              LEFT JOIN stock_picking p ON p.sale_id = so.id
              LEFT JOIN stock_picking_type t ON t.id = p.picking_type_id
                    AND t.code = 'outgoing'
             WHERE so.id IN ({idlist})
          GROUP BY so.name
            HAVING count(t.id) != 1 OR bool_or(p.state != 'done')""",
    )
    check(
        "one stock move per product line (procured once)",
        # Down payments (the deposit and payment invoices, money in
        # Accounting) are lines without goods.
        f"""SELECT so.name, l.id, count(m.id) FROM sale_order so
              JOIN sale_order_line l ON l.order_id = so.id
              LEFT JOIN stock_move m ON m.sale_line_id = l.id
             WHERE so.id IN ({idlist}) AND l.display_type IS NULL
               AND NOT l.is_downpayment
          GROUP BY so.name, l.id HAVING count(m.id) != 1""",
    )
    # The release gates, at the time of the release (date_order = confirmation).
    check(
        "no order released with blockers (gates at release time, full deposit)",
        f"""SELECT so.name, concat_ws(' ',
                   CASE WHEN so.kefu_price_state NOT IN ('ok', 'confirmed')
                        THEN 'prices' END,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM kefu_tech_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order) THEN 'technical' END,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM kefu_production_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order) THEN 'production' END,
                   CASE WHEN so.kefu_sheet_sent_at IS NULL
                          OR so.kefu_sheet_sent_at > so.date_order THEN 'sheet' END,
                   CASE WHEN NOT g.release_before_return AND NOT EXISTS (
                        SELECT 1 FROM kefu_sheet_return r WHERE r.order_id = so.id
                           AND r.kind = 'sheet' AND r.accepted
                           AND r.recorded_at <= so.date_order) THEN 'return' END,
                   CASE WHEN so.kefu_deposit_required AND (
                        so.kefu_deposit_received_at IS NULL
                        OR so.kefu_deposit_received_at > so.date_order
                        OR so.kefu_deposit_received_amount
                           < so.kefu_deposit_amount - 0.005)
                        THEN 'deposit' END)
              FROM sale_order so JOIN kefu_customer_grade g ON g.id = so.kefu_grade_id
             WHERE so.id IN ({idlist}) AND so.state = 'sale'
               AND (so.kefu_price_state NOT IN ('ok', 'confirmed')
                 OR NOT EXISTS (SELECT 1 FROM kefu_tech_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order)
                 OR NOT EXISTS (SELECT 1 FROM kefu_production_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order)
                 OR so.kefu_sheet_sent_at IS NULL
                 OR so.kefu_sheet_sent_at > so.date_order
                 OR (NOT g.release_before_return AND NOT EXISTS (
                        SELECT 1 FROM kefu_sheet_return r WHERE r.order_id = so.id
                           AND r.kind = 'sheet' AND r.accepted
                           AND r.recorded_at <= so.date_order))
                 OR (so.kefu_deposit_required AND (
                        so.kefu_deposit_received_at IS NULL
                        OR so.kefu_deposit_received_at > so.date_order
                        OR so.kefu_deposit_received_amount
                           < so.kefu_deposit_amount - 0.005)))""",
    )
    check(
        "no B/C order shipped without approved full payment",
        f"""SELECT so.name, so.kefu_ship_state, so.amount_total,
                   so.kefu_ship_approved_amount, so.kefu_payment_received_amount
              FROM sale_order so
              JOIN kefu_customer_grade g ON g.id = so.kefu_grade_id
              JOIN stock_picking p ON p.sale_id = so.id AND p.state = 'done'
             WHERE so.id IN ({idlist}) AND g.ship_requires_payment
               AND (so.kefu_ship_state != 'approved'
                 OR so.kefu_ship_approved_at IS NULL
                 OR so.kefu_ship_approved_at > p.date_done
                 OR so.kefu_payment_received_at > so.kefu_ship_approved_at
                 OR so.kefu_ship_approved_amount < so.amount_total - 0.005
                 OR COALESCE(so.kefu_payment_received_amount, 0)
                    + COALESCE(so.kefu_deposit_received_amount, 0)
                    < so.amount_total - 0.005)""",
    )
    # Versions: each send keeps the PDF as sent (<order>-v<n>.pdf). Its
    # create_date has microseconds, the return's recorded_at whole seconds: a
    # return recorded in the second its version was sent compares equal.
    sheets = f"""(SELECT a.res_id AS order_id,
                         date_trunc('second', a.create_date) AS create_date,
                         substring(a.name from '-v([0-9]+)\\.pdf$')::int AS version
                    FROM ir_attachment a JOIN sale_order so ON so.id = a.res_id
                   WHERE a.res_model = 'sale.order' AND so.id IN ({idlist})
                     AND a.name = so.name || '-v'
                         || substring(a.name from '-v([0-9]+)\\.pdf$') || '.pdf')"""
    check(
        "every accepted return bound to the version current then",
        f"""SELECT so.name, r.sheet_version,
                   (SELECT max(s.version) FROM {sheets} s
                     WHERE s.order_id = r.order_id AND s.create_date <= r.recorded_at)
              FROM kefu_sheet_return r JOIN sale_order so ON so.id = r.order_id
             WHERE so.id IN ({idlist}) AND r.kind = 'sheet' AND r.accepted
               AND r.sheet_version IS DISTINCT FROM
                   (SELECT max(s.version) FROM {sheets} s
                     WHERE s.order_id = r.order_id
                       AND s.create_date <= r.recorded_at)""",
    )
    check(
        "sheet versions 1..n, one PDF each, n = the order's version",
        f"""SELECT so.name, so.kefu_sheet_version, count(s.version),
                   count(DISTINCT s.version), max(s.version)
              FROM sale_order so LEFT JOIN {sheets} s ON s.order_id = so.id
             WHERE so.id IN ({idlist})
          GROUP BY so.id, so.name, so.kefu_sheet_version
            HAVING count(s.version) != so.kefu_sheet_version
                OR count(DISTINCT s.version) != so.kefu_sheet_version
                OR max(s.version) != so.kefu_sheet_version""",
    )
    if sql_rows(db, "SELECT to_regclass('kefu_sheet_version') IS NOT NULL") == [["t"]]:
        check(
            "accepted return linked to the version record current then",
            f"""SELECT so.name, v.version FROM kefu_sheet_return r
                  JOIN sale_order so ON so.id = r.order_id
                  LEFT JOIN kefu_sheet_version v ON v.id = r.sheet_version_id
                 WHERE so.id IN ({idlist}) AND r.kind = 'sheet' AND r.accepted
                   AND (v.id IS NULL OR v.sent_at > r.recorded_at OR EXISTS (
                        SELECT 1 FROM kefu_sheet_version w
                         WHERE w.order_id = r.order_id AND w.sent_at > v.sent_at
                           AND w.sent_at <= r.recorded_at))""",
        )
    local = "(({0}) AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date"
    end = """LEAST(so.date_order, (SELECT min(r.recorded_at) FROM kefu_sheet_return r
                WHERE r.order_id = so.id AND r.kind = 'sheet' AND r.accepted))"""
    expected = (
        f"GREATEST({local.format(end)} - {local.format('so.kefu_sheet_sent_at')}, 0)"
    )
    check(
        "slip days = local days from sheet sent to return/release; "
        "planned = sheet date + slip",
        f"""SELECT so.name, so.kefu_slip_days, {expected}
              FROM sale_order so
              JOIN res_company c ON c.id = so.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
             WHERE so.id IN ({idlist})
               AND (so.kefu_slip_days IS DISTINCT FROM {expected}
                 OR so.kefu_planned_date IS DISTINCT FROM
                    so.kefu_sheet_date + so.kefu_slip_days)""",
    )
    counts = {
        int(row[0]): (int(row[1]), int(row[2]))
        for row in sql_rows(
            db,
            f"""SELECT so.id,
                  (SELECT count(*) FROM mail_message m
                    WHERE m.model = 'sale.order' AND m.res_id = so.id),
                  (SELECT count(*) FROM mail_activity a
                    WHERE a.res_model = 'sale.order' AND a.res_id = so.id)
                 FROM sale_order so WHERE so.id IN ({idlist})""",
        )
    }
    paths = {}
    for plan in plans:
        if plan.done and plan.order_id in counts:
            paths.setdefault(plan.path(), []).append(counts[plan.order_id])
    uneven = {
        path: sorted(set(values))
        for path, values in paths.items()
        if len(set(values)) > 1
    }
    rows.append(
        (
            "chatter messages and open activities equal along each path",
            len(ids),
            sum(len(paths[path]) for path in uneven),
            "; ".join(f"{p}: {v[:4]}" for p, v in list(uneven.items())[:2]) or "-",
        )
    )
    return rows, paths
