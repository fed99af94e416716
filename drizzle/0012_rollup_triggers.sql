-- Rollup triggers (src/rankings/rollup-sql.ts ROLLUP_TRIGGERS; test/node/rankings/rollups.test.ts checks this file against it), then the rollups filled from the rows already stored.
CREATE TRIGGER rollup_visits_bi BEFORE INSERT ON submissions WHEN NEW.household_key IS NOT NULL BEGIN
  INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, -1 * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (SELECT id FROM submissions WHERE household_key = NEW.household_key) AND s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_visits_ai AFTER INSERT ON submissions WHEN NEW.form_id = 'household-visit' OR NEW.household_key IS NOT NULL BEGIN
  INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, 1 * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (SELECT NEW.id UNION SELECT id FROM submissions WHERE household_key = NEW.household_key) AND s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_visits_bu BEFORE UPDATE OF form_id, cadre_id, day, deleted_at, household_key, flags_cleared_at ON submissions WHEN OLD.form_id = 'household-visit' OR OLD.household_key IS NOT NULL OR NEW.form_id = 'household-visit' OR NEW.household_key IS NOT NULL BEGIN
  INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, -1 * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (SELECT OLD.id UNION SELECT id FROM submissions WHERE household_key = OLD.household_key UNION SELECT id FROM submissions WHERE household_key = NEW.household_key) AND s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_visits_au AFTER UPDATE OF form_id, cadre_id, day, deleted_at, household_key, flags_cleared_at ON submissions WHEN OLD.form_id = 'household-visit' OR OLD.household_key IS NOT NULL OR NEW.form_id = 'household-visit' OR NEW.household_key IS NOT NULL BEGIN
  INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, 1 * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (SELECT NEW.id UNION SELECT id FROM submissions WHERE household_key = OLD.household_key UNION SELECT id FROM submissions WHERE household_key = NEW.household_key) AND s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_visits_bd BEFORE DELETE ON submissions WHEN OLD.form_id = 'household-visit' OR OLD.household_key IS NOT NULL BEGIN
  INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, -1 * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (SELECT OLD.id UNION SELECT id FROM submissions WHERE household_key = OLD.household_key) AND s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_visits_ad AFTER DELETE ON submissions WHEN OLD.household_key IS NOT NULL BEGIN
  INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, 1 * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (SELECT id FROM submissions WHERE household_key = OLD.household_key) AND s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_answers_ai AFTER INSERT ON submissions WHEN NEW.form_id IN ('mass-feedback', 'household-visit') AND NEW.deleted_at IS NULL AND NEW.unranked = 0 AND coalesce(NEW.rollup_code, NEW.unit_code) IS NOT NULL BEGIN
  INSERT INTO rollup_answers (unit, day, s_num, s_den, a_num, a_den, p_num, p_den) SELECT coalesce(NEW.rollup_code, NEW.unit_code), NEW.day, coalesce(NEW.satisfaction IN ('satisfied', 'basically_satisfied'), 0), (NEW.satisfaction IS NOT NULL), coalesce(NEW.aware, 0), (NEW.aware IS NOT NULL), coalesce(NEW.participated, 0), (NEW.participated IS NOT NULL) WHERE NEW.form_id IN ('mass-feedback', 'household-visit') AND NEW.deleted_at IS NULL AND NEW.unranked = 0 AND coalesce(NEW.rollup_code, NEW.unit_code) IS NOT NULL
    ON CONFLICT (unit, day) DO UPDATE SET s_num = s_num + excluded.s_num, s_den = s_den + excluded.s_den,
      a_num = a_num + excluded.a_num, a_den = a_den + excluded.a_den, p_num = p_num + excluded.p_num, p_den = p_den + excluded.p_den;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_answers_au AFTER UPDATE OF form_id, unit_code, rollup_code, day, deleted_at, unranked, satisfaction, aware, participated ON submissions BEGIN
  INSERT INTO rollup_answers (unit, day, s_num, s_den, a_num, a_den, p_num, p_den) SELECT coalesce(OLD.rollup_code, OLD.unit_code), OLD.day, -coalesce(OLD.satisfaction IN ('satisfied', 'basically_satisfied'), 0), -(OLD.satisfaction IS NOT NULL), -coalesce(OLD.aware, 0), -(OLD.aware IS NOT NULL), -coalesce(OLD.participated, 0), -(OLD.participated IS NOT NULL) WHERE OLD.form_id IN ('mass-feedback', 'household-visit') AND OLD.deleted_at IS NULL AND OLD.unranked = 0 AND coalesce(OLD.rollup_code, OLD.unit_code) IS NOT NULL
    ON CONFLICT (unit, day) DO UPDATE SET s_num = s_num + excluded.s_num, s_den = s_den + excluded.s_den,
      a_num = a_num + excluded.a_num, a_den = a_den + excluded.a_den, p_num = p_num + excluded.p_num, p_den = p_den + excluded.p_den;
  INSERT INTO rollup_answers (unit, day, s_num, s_den, a_num, a_den, p_num, p_den) SELECT coalesce(NEW.rollup_code, NEW.unit_code), NEW.day, coalesce(NEW.satisfaction IN ('satisfied', 'basically_satisfied'), 0), (NEW.satisfaction IS NOT NULL), coalesce(NEW.aware, 0), (NEW.aware IS NOT NULL), coalesce(NEW.participated, 0), (NEW.participated IS NOT NULL) WHERE NEW.form_id IN ('mass-feedback', 'household-visit') AND NEW.deleted_at IS NULL AND NEW.unranked = 0 AND coalesce(NEW.rollup_code, NEW.unit_code) IS NOT NULL
    ON CONFLICT (unit, day) DO UPDATE SET s_num = s_num + excluded.s_num, s_den = s_den + excluded.s_den,
      a_num = a_num + excluded.a_num, a_den = a_den + excluded.a_den, p_num = p_num + excluded.p_num, p_den = p_den + excluded.p_den;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_answers_ad AFTER DELETE ON submissions WHEN OLD.form_id IN ('mass-feedback', 'household-visit') AND OLD.deleted_at IS NULL AND OLD.unranked = 0 AND coalesce(OLD.rollup_code, OLD.unit_code) IS NOT NULL BEGIN
  INSERT INTO rollup_answers (unit, day, s_num, s_den, a_num, a_den, p_num, p_den) SELECT coalesce(OLD.rollup_code, OLD.unit_code), OLD.day, -coalesce(OLD.satisfaction IN ('satisfied', 'basically_satisfied'), 0), -(OLD.satisfaction IS NOT NULL), -coalesce(OLD.aware, 0), -(OLD.aware IS NOT NULL), -coalesce(OLD.participated, 0), -(OLD.participated IS NOT NULL) WHERE OLD.form_id IN ('mass-feedback', 'household-visit') AND OLD.deleted_at IS NULL AND OLD.unranked = 0 AND coalesce(OLD.rollup_code, OLD.unit_code) IS NOT NULL
    ON CONFLICT (unit, day) DO UPDATE SET s_num = s_num + excluded.s_num, s_den = s_den + excluded.s_den,
      a_num = a_num + excluded.a_num, a_den = a_den + excluded.a_den, p_num = p_num + excluded.p_num, p_den = p_den + excluded.p_den;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_tasks_ai AFTER INSERT ON submissions WHEN NEW.form_id = 'task-report' AND NEW.task_id IS NOT NULL AND NEW.deleted_at IS NULL AND coalesce(NEW.rollup_code, NEW.unit_code) IS NOT NULL BEGIN
  INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(NEW.rollup_code, NEW.unit_code), NEW.task_id, NEW.day, 1 * coalesce(NEW.quantity, 0) WHERE NEW.form_id = 'task-report' AND NEW.task_id IS NOT NULL AND NEW.deleted_at IS NULL AND coalesce(NEW.rollup_code, NEW.unit_code) IS NOT NULL
    ON CONFLICT (unit, task_id, day) DO UPDATE SET quantity = quantity + excluded.quantity;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_tasks_au AFTER UPDATE OF form_id, unit_code, rollup_code, day, deleted_at, task_id, quantity ON submissions BEGIN
  INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(OLD.rollup_code, OLD.unit_code), OLD.task_id, OLD.day, -1 * coalesce(OLD.quantity, 0) WHERE OLD.form_id = 'task-report' AND OLD.task_id IS NOT NULL AND OLD.deleted_at IS NULL AND coalesce(OLD.rollup_code, OLD.unit_code) IS NOT NULL
    ON CONFLICT (unit, task_id, day) DO UPDATE SET quantity = quantity + excluded.quantity;
  INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(NEW.rollup_code, NEW.unit_code), NEW.task_id, NEW.day, 1 * coalesce(NEW.quantity, 0) WHERE NEW.form_id = 'task-report' AND NEW.task_id IS NOT NULL AND NEW.deleted_at IS NULL AND coalesce(NEW.rollup_code, NEW.unit_code) IS NOT NULL
    ON CONFLICT (unit, task_id, day) DO UPDATE SET quantity = quantity + excluded.quantity;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_tasks_ad AFTER DELETE ON submissions WHEN OLD.form_id = 'task-report' AND OLD.task_id IS NOT NULL AND OLD.deleted_at IS NULL AND coalesce(OLD.rollup_code, OLD.unit_code) IS NOT NULL BEGIN
  INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(OLD.rollup_code, OLD.unit_code), OLD.task_id, OLD.day, -1 * coalesce(OLD.quantity, 0) WHERE OLD.form_id = 'task-report' AND OLD.task_id IS NOT NULL AND OLD.deleted_at IS NULL AND coalesce(OLD.rollup_code, OLD.unit_code) IS NOT NULL
    ON CONFLICT (unit, task_id, day) DO UPDATE SET quantity = quantity + excluded.quantity;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_hazards_ai AFTER INSERT ON hazards WHEN NEW.lead_unit_code IS NOT NULL AND NEW.duplicate_of IS NULL AND NEW.state NOT IN ('duplicate', 'not_a_hazard') BEGIN
  INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT NEW.lead_unit_code, NEW.day, coalesce(NEW.deadline, ''), coalesce(NEW.closed_day, ''), CASE WHEN NEW.closed_day IS NULL THEN 0 ELSE coalesce(NEW.closed_on_time, NEW.deadline IS NULL OR NEW.closed_day <= NEW.deadline) END, NEW.state IN ('reported', 'returned', 'fixed_reported', 'reopened'), 1 WHERE NEW.lead_unit_code IS NOT NULL AND NEW.duplicate_of IS NULL AND NEW.state NOT IN ('duplicate', 'not_a_hazard')
    ON CONFLICT (unit, day, deadline, closed_day, on_time, waiting) DO UPDATE SET n = n + excluded.n;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_hazards_au AFTER UPDATE OF lead_unit_code, day, deadline, closed_day, closed_on_time, state, duplicate_of ON hazards BEGIN
  INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT OLD.lead_unit_code, OLD.day, coalesce(OLD.deadline, ''), coalesce(OLD.closed_day, ''), CASE WHEN OLD.closed_day IS NULL THEN 0 ELSE coalesce(OLD.closed_on_time, OLD.deadline IS NULL OR OLD.closed_day <= OLD.deadline) END, OLD.state IN ('reported', 'returned', 'fixed_reported', 'reopened'), -1 WHERE OLD.lead_unit_code IS NOT NULL AND OLD.duplicate_of IS NULL AND OLD.state NOT IN ('duplicate', 'not_a_hazard')
    ON CONFLICT (unit, day, deadline, closed_day, on_time, waiting) DO UPDATE SET n = n + excluded.n;
  INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT NEW.lead_unit_code, NEW.day, coalesce(NEW.deadline, ''), coalesce(NEW.closed_day, ''), CASE WHEN NEW.closed_day IS NULL THEN 0 ELSE coalesce(NEW.closed_on_time, NEW.deadline IS NULL OR NEW.closed_day <= NEW.deadline) END, NEW.state IN ('reported', 'returned', 'fixed_reported', 'reopened'), 1 WHERE NEW.lead_unit_code IS NOT NULL AND NEW.duplicate_of IS NULL AND NEW.state NOT IN ('duplicate', 'not_a_hazard')
    ON CONFLICT (unit, day, deadline, closed_day, on_time, waiting) DO UPDATE SET n = n + excluded.n;
  DELETE FROM rollup_hazards WHERE unit = OLD.lead_unit_code AND day = OLD.day AND n = 0;
END;
--> statement-breakpoint
CREATE TRIGGER rollup_hazards_ad AFTER DELETE ON hazards WHEN OLD.lead_unit_code IS NOT NULL AND OLD.duplicate_of IS NULL AND OLD.state NOT IN ('duplicate', 'not_a_hazard') BEGIN
  INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT OLD.lead_unit_code, OLD.day, coalesce(OLD.deadline, ''), coalesce(OLD.closed_day, ''), CASE WHEN OLD.closed_day IS NULL THEN 0 ELSE coalesce(OLD.closed_on_time, OLD.deadline IS NULL OR OLD.closed_day <= OLD.deadline) END, OLD.state IN ('reported', 'returned', 'fixed_reported', 'reopened'), -1 WHERE OLD.lead_unit_code IS NOT NULL AND OLD.duplicate_of IS NULL AND OLD.state NOT IN ('duplicate', 'not_a_hazard')
    ON CONFLICT (unit, day, deadline, closed_day, on_time, waiting) DO UPDATE SET n = n + excluded.n;
  DELETE FROM rollup_hazards WHERE unit = OLD.lead_unit_code AND day = OLD.day AND n = 0;
END;
--> statement-breakpoint
INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, count(*) FROM submissions s WHERE s.form_id = 'household-visit' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND (s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id)) GROUP BY s.cadre_id, s.day;
--> statement-breakpoint
INSERT INTO rollup_answers (unit, day, s_num, s_den, a_num, a_den, p_num, p_den)
    SELECT coalesce(s.rollup_code, s.unit_code), s.day, sum(coalesce(s.satisfaction IN ('satisfied', 'basically_satisfied'), 0)), count(s.satisfaction),
      sum(coalesce(s.aware, 0)), count(s.aware), sum(coalesce(s.participated, 0)), count(s.participated)
    FROM submissions s WHERE s.form_id IN ('mass-feedback', 'household-visit') AND s.deleted_at IS NULL AND s.unranked = 0 AND coalesce(s.rollup_code, s.unit_code) IS NOT NULL GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(s.rollup_code, s.unit_code), s.task_id, s.day, sum(coalesce(s.quantity, 0)) FROM submissions s WHERE s.form_id = 'task-report' AND s.task_id IS NOT NULL AND s.deleted_at IS NULL AND coalesce(s.rollup_code, s.unit_code) IS NOT NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT h.lead_unit_code, h.day, coalesce(h.deadline, ''), coalesce(h.closed_day, ''), CASE WHEN h.closed_day IS NULL THEN 0 ELSE coalesce(h.closed_on_time, h.deadline IS NULL OR h.closed_day <= h.deadline) END, h.state IN ('reported', 'returned', 'fixed_reported', 'reopened'), count(*) FROM hazards h WHERE h.lead_unit_code IS NOT NULL AND h.duplicate_of IS NULL AND h.state NOT IN ('duplicate', 'not_a_hazard') GROUP BY 1, 2, 3, 4, 5, 6;
