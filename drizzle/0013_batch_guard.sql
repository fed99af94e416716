-- A write batch asserts what it relied on: `INSERT INTO batch_guard (ok, reason) VALUES (<condition>, '<why>')`
-- does nothing when the condition holds and aborts the whole batch with GUARD_FAILED when it does not, so a
-- state-machine move that lost a race writes nothing at all (src/db/batch.ts).
CREATE VIEW `batch_guard` AS SELECT 1 AS `ok`, '' AS `reason` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `batch_guard_assert` INSTEAD OF INSERT ON `batch_guard`
WHEN NOT coalesce(NEW.`ok`, 0)
BEGIN
  SELECT RAISE(ABORT, 'GUARD_FAILED');
END;
