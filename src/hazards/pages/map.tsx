// The office's map without tiles: the open hazards that carry a place, drawn as points on a plain SVG (an
// equirectangular projection of the points' own bounding box), coloured by state, overdue in red, each town's name at
// its points' centre, with a text list for screen readers and print. No map service is called.
import { Hono } from 'hono';
import { count, inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.ts';
import { hazards } from '../../db/schema.ts';
import { requireRole, type AuthEnv } from '../../auth/middleware.ts';
import { shanghaiDay } from '../../lib/time.ts';
import { DataTable } from '../../web/components.tsx';
import { categoryLabel } from '../categories.ts';
import { openHazardPoints, type MapPoint } from '../location-store.ts';
import { OPEN_STATES, stateLabel, type HazardState } from '../states.ts';
import { HazardLayout } from './views.tsx';
import { SignOutButton } from '../../auth/routes.tsx';

export const MAP_PATH = '/admin/hazards/map';

const WIDTH = 800;
const HEIGHT = 560;
const PAD = 40;

/** Each open state's colour (overdue overrides it with red); checked for contrast against white. */
const STATE_COLOURS: Partial<Record<HazardState, string>> = {
  reported: '#b45309',
  returned: '#b45309',
  reopened: '#b45309',
  assigned: '#1d4ed8',
  rectifying: '#6d28d9',
  fixed_reported: '#15803d',
};
const OVERDUE = '#dc2626';
const colourOf = (p: Pick<MapPoint, 'state' | 'overdue'>) => (p.overdue ? OVERDUE : (STATE_COLOURS[p.state as HazardState] ?? '#374151'));

export interface Projected extends MapPoint {
  x: number;
  y: number;
}

/**
 * Equirectangular projection of the points' bounding box into the drawing: longitude scaled by the cosine of the
 * middle latitude so distances east and north look alike, the box fitted and centred, north up. A single point (or a
 * row of them) is given a small box of its own so it lands in the middle.
 */
export function project<T extends { lat: number; lng: number }>(points: readonly T[], width = WIDTH, height = HEIGHT, pad = PAD): (T & { x: number; y: number })[] {
  if (points.length === 0) return [];
  let minLat = Math.min(...points.map((p) => p.lat));
  let maxLat = Math.max(...points.map((p) => p.lat));
  let minLng = Math.min(...points.map((p) => p.lng));
  let maxLng = Math.max(...points.map((p) => p.lng));
  const MIN_SPAN = 0.005;
  if (maxLat - minLat < MIN_SPAN) [minLat, maxLat] = [(minLat + maxLat) / 2 - MIN_SPAN / 2, (minLat + maxLat) / 2 + MIN_SPAN / 2];
  if (maxLng - minLng < MIN_SPAN) [minLng, maxLng] = [(minLng + maxLng) / 2 - MIN_SPAN / 2, (minLng + maxLng) / 2 + MIN_SPAN / 2];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLng - minLng) * k;
  const spanY = maxLat - minLat;
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  const round = (v: number) => Math.round(v * 10) / 10;
  return points.map((p) => ({ ...p, x: round(offX + (p.lng - minLng) * k * scale), y: round(offY + (maxLat - p.lat) * scale) }));
}

/** Each town's points' centre in the drawing, with how many points it holds. */
export function townCentres(points: readonly Projected[]): { town: string; x: number; y: number; count: number }[] {
  const by = new Map<string, Projected[]>();
  for (const p of points) if (p.town) by.set(p.town, [...(by.get(p.town) ?? []), p]);
  return [...by.entries()].map(([town, ps]) => ({
    town,
    count: ps.length,
    x: Math.round((ps.reduce((s, p) => s + p.x, 0) / ps.length) * 10) / 10,
    y: Math.round((ps.reduce((s, p) => s + p.y, 0) / ps.length) * 10) / 10,
  }));
}

function HazardMap(props: { points: Projected[]; without: number }) {
  const { points } = props;
  const towns = townCentres(points);
  const overdue = points.filter((p) => p.overdue).length;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="map-title map-desc" class="hazard-map" style="width:100%;height:auto;background:#f8fafc;border:1px solid #d0d7de;border-radius:8px">
      <title id="map-title">未办结隐患分布图</title>
      <desc id="map-desc">
        {`共 ${points.length} 处带位置的未办结隐患，其中逾期 ${overdue} 处（红色）。${towns.map((t) => `${t.town} ${t.count} 处`).join('，')}。详细列表见图下。`}
      </desc>
      {points.map((p) => (
        <a href={`/admin/hazards/${p.id}`}>
          <circle cx={p.x} cy={p.y} r={p.overdue ? 8 : 6} fill={colourOf(p)} fill-opacity="0.85" stroke="#fff" stroke-width="1.5" data-state={p.state} data-overdue={p.overdue ? '1' : undefined}>
            <title>{`${p.number} ${categoryLabel(p.category)} · ${stateLabel(p.state)}${p.overdue ? ' · 已逾期' : ''}`}</title>
          </circle>
        </a>
      ))}
      {towns.map((t) => (
        <text x={t.x} y={t.y - 12} text-anchor="middle" font-size="16" font-weight="600" fill="#111827" stroke="#fff" stroke-width="4" paint-order="stroke" aria-hidden="true">
          {t.town}
        </text>
      ))}
    </svg>
  );
}

function Legend() {
  const shown = new Map<string, string>();
  for (const s of OPEN_STATES) shown.set(STATE_COLOURS[s] ?? '#374151', [shown.get(STATE_COLOURS[s] ?? '#374151'), stateLabel(s)].filter(Boolean).join('、'));
  return (
    <ul class="legend" style="list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px 16px">
      <li>
        <span aria-hidden="true" style={`display:inline-block;width:12px;height:12px;border-radius:6px;background:${OVERDUE}`} /> 已逾期
      </li>
      {[...shown.entries()].map(([colour, label]) => (
        <li>
          <span aria-hidden="true" style={`display:inline-block;width:12px;height:12px;border-radius:6px;background:${colour}`} /> {label}
        </li>
      ))}
    </ul>
  );
}

export function hazardMapPages(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['admin', 'leader']);

  app.get(MAP_PATH, readers, async (c) => {
    const today = shanghaiDay(deps.now());
    const [raw, [open]] = await Promise.all([openHazardPoints(deps.db, today), deps.db.select({ n: count() }).from(hazards).where(inArray(hazards.state, OPEN_STATES))]);
    const points = project(raw);
    const without = Math.max(0, (open?.n ?? 0) - points.length);
    // Overdue first, then by town, in the text list that stands in for the drawing.
    const listed = [...points].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.town ?? '').localeCompare(b.town ?? '') || a.id - b.id);
    return c.html(
      <HazardLayout
        title="未办结隐患分布图"
        heading="隐患督办"
        home="/admin/hazards"
        who={
          <>
            区综治办{c.get('principal').role === 'leader' ? '（领导只读）' : ''} · <a href="/admin">工作台</a> · <SignOutButton />
          </>
        }
      >
        <p>
          <a href="/admin/hazards">← 返回隐患列表</a>
        </p>
        <h1>未办结隐患分布图</h1>
        <p class="muted">
          按群众和单位提交时给出的位置画出（不调用任何地图服务）；{without > 0 ? `另有 ${without} 条未办结隐患没有位置，不在图上。` : '所有未办结隐患都带有位置。'}
        </p>
        {points.length ? (
          <>
            <Legend />
            <HazardMap points={points} without={without} />
            <h2>图中隐患（{points.length} 处）</h2>
            <DataTable head={['编号', '类别', '镇（街道）', '状态']} label="图中隐患">
              {listed.map((p) => (
                <tr>
                  <td>
                    <a href={`/admin/hazards/${p.id}`}>{p.number}</a>
                  </td>
                  <td>{categoryLabel(p.category)}</td>
                  <td>{p.town ?? '—'}</td>
                  <td>
                    {stateLabel(p.state)}
                    {p.overdue ? <strong style={`color:${OVERDUE}`}> · 已逾期</strong> : null}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        ) : (
          <p>目前没有带位置的未办结隐患。</p>
        )}
      </HazardLayout>,
    );
  });

  return app;
}
