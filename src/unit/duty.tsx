// The police's own duties on the unit portal: each police station's patrols (R16) for the police branch, and the
// "三个一" of each 包村、社区干警 (R15) — who has given their lecture and organised the weekly patrols, who has not.
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { campaignFor } from '../campaign/context.ts';
import { DataTable, ProgressBar } from '../web/components.tsx';
import { portalScope } from './layout.tsx';
import { progressPercent } from './dashboard.ts';
import { officerFigures, stationFigures, type OfficerFigures, type StationFigures } from './tasks.ts';

/** A task's title as a column heading: what follows its lead-in (“三个一”：, 各公安派出所…：), in the office's own words. */
const heading = (title: string) => title.replace(/^.*：/, '');

/** The police branch's stations, each task against the station's own target. */
export function StationTable(props: { stations: StationFigures[] }) {
  if (!props.stations.length) return null;
  const tasks = props.stations[0]!.tasks;
  return (
    <>
      <h2>各派出所巡查</h2>
      <p class="muted">每个派出所对校园周边及公共场所开展重点巡查（社区每日1次，农村每周2次），由派出所在“任务进度”中填报。</p>
      <DataTable head={['派出所', ...tasks.map((t) => ({ label: heading(t.label), class: 'num' }))]} label="各派出所巡查">
        {props.stations.map((s) => (
          <tr data-station={s.unit}>
            <td>{s.name}</td>
            {s.tasks.map((t) => (
              <td class="num">
                {t.done} / {t.target} {t.unitLabel}
                <ProgressBar percent={progressPercent(t.done, t.target)} label={`${s.name}${t.label}的进度`} />
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** Each officer with their village and each "三个一" task: done against their own target, a mark when reached. */
export function OfficerTable(props: { officers: OfficerFigures[]; showStation: boolean }) {
  if (!props.officers.length) return null;
  const tasks = props.officers[0]!.tasks;
  const behind = props.officers.filter((o) => o.tasks.some((t) => t.done < t.target)).length;
  return (
    <>
      <h2>包村、社区干警“三个一”</h2>
      <p class="muted">
        共 {props.officers.length} 名包村、社区干警，{behind} 名尚未完成。由派出所在“任务进度”中填报并选择完成的干警；镇街的任务合计已包含。
      </p>
      <DataTable
        head={['干警', '包抓村（社区）', props.showStation ? '派出所' : null, ...tasks.map((t) => ({ label: `${heading(t.label)}（每人 ${t.target} ${t.unitLabel}）`, class: 'num' }))]}
        label="包村、社区干警“三个一”"
      >
        {props.officers.map((o) => (
          <tr data-officer={o.id}>
            <td>{o.name}</td>
            <td>{o.placeName}</td>
            {props.showStation ? <td>{o.stationName}</td> : null}
            {o.tasks.map((t) => (
              <td class={t.done >= t.target ? 'num' : 'num flag'}>
                {t.done} / {t.target}
                {t.done >= t.target ? ' ✓ 已完成' : ' 未完成'}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** The same figures as JSON: `GET /api/v1/unit/stations` and `GET /api/v1/unit/officers` (the office and leaders with ?unit=). */
export function unitDutyRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const anyone = requireRole(deps, ['unit', 'admin', 'leader']);

  app.get('/api/v1/unit/stations', anyone, async (c) => {
    const [{ unit }, { settings }] = await Promise.all([portalScope(deps, c), campaignFor(c, deps.db)]);
    return c.json(await stationFigures(deps.db, unit.code, settings));
  });

  app.get('/api/v1/unit/officers', anyone, async (c) => {
    const [{ unit }, { settings }] = await Promise.all([portalScope(deps, c), campaignFor(c, deps.db)]);
    return c.json(await officerFigures(deps.db, unit, settings));
  });

  return app;
}
