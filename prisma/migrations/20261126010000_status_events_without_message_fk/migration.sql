-- message_status_events.message_id stops being a foreign key to messages. Every writer inserts the
-- event in the statement or transaction that just updated that message (app_record_send_outcomes,
-- dispatch_expire_leases, recordReceipt), and messages are never deleted on their own (a tenant's
-- deletion still cascades through tenant_id). The key's check ran per event row, locking the message
-- row again (FOR KEY SHARE): 0.09 ms each under load, as much as the rest of recording a batch of
-- send outcomes (pg_stat_statements, bench of 2026-11-26).
ALTER TABLE "message_status_events" DROP CONSTRAINT "message_status_events_tenant_id_message_id_fkey";
