#!/bin/bash
# Serve database $KEFU_DB (default kefu). The first time, create it with
# kefu_order_flow and its demo data; afterwards just start the server.
set -euo pipefail

export PGHOST="${PGHOST:-db}" PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo}" PGPASSWORD="${PGPASSWORD:-odoo}"
KEFU_DB="${KEFU_DB:-kefu}"
DB_ARGS=(--db_host "$PGHOST" --db_port "$PGPORT" --db_user "$PGUSER"
         --db_password "$PGPASSWORD" -d "$KEFU_DB")

for _ in $(seq 60); do
    pg_isready -q -d postgres && break
    sleep 1
done

state=$(psql -d "$KEFU_DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'kefu_order_flow'" \
    2>/dev/null || true)
if [ "$state" != "installed" ]; then
    echo "odoo-start: installing kefu_order_flow with demo data in '$KEFU_DB'"
    odoo "${DB_ARGS[@]}" -i kefu_order_flow --load-language=zh_CN \
        --stop-after-init
fi

exec odoo "${DB_ARGS[@]}" --db-filter="^${KEFU_DB}\$" "$@"
