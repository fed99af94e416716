// The office's map without tiles: the projection, towns at their points' centres, colours, overdue red, the fallback list.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazards } from '../../../src/db/schema.ts';
import { project, townCentres } from '../../../src/hazards/pages/map.tsx';
import { makeTestApp } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { signIn } from '../../helpers/unit-portal.ts';

describe('project', () => {
  it('fits the bounding box, north up, east right, and centres a lone point', () => {
    const pts = project([
      { lat: 34.0, lng: 107.0 },
      { lat: 34.1, lng: 107.2 },
    ]);
    // Wider than tall (0.2° × cos 34° ≈ 0.166 against 0.1): the width is filled between the paddings.
    expect(pts[0]!.x).toBe(40);
    expect(pts[1]!.x).toBe(760);
    expect(pts[0]!.y).toBeGreaterThan(pts[1]!.y);
    expect(pts[0]!.y + pts[1]!.y).toBeCloseTo(560, 0);
    expect(project([{ lat: 34, lng: 107 }])).toEqual([{ lat: 34, lng: 107, x: 400, y: 280 }]);
  });

  it('puts each town at its points centre', () => {
    const base = { number: '', category: '', state: 'reported', overdue: false, lat: 0, lng: 0 };
    const c = townCentres([
      { ...base, id: 1, town: '甲镇', x: 10, y: 10 },
      { ...base, id: 2, town: '甲镇', x: 30, y: 50 },
      { ...base, id: 3, town: null, x: 99, y: 99 },
    ]);
    expect(c).toEqual([{ town: '甲镇', x: 20, y: 30, count: 2 }]);
  });
});

describe('GET /admin/hazards/map', () => {
  it('draws the open hazards with a place, overdue in red, towns named, and lists them for screen readers', async () => {
    const t = await makeTestApp();
    const tip = (place: string, lat: number, lng: number, u: string) =>
      postJson(t, `/api/v1/forms/hazard-tip/submissions?u=${u}`, { ...VALID['hazard-tip'], place, location: { lat, lng, accuracy: 10 } });
    expect((await tip('甲处', 34.36, 107.23, 'dongfeng-road-c1')).status).toBe(201);
    expect((await tip('乙处', 34.37, 107.25, 'dongfeng-road-c1')).status).toBe(201);
    await postJson(t, '/api/v1/forms/hazard-tip/submissions', { ...VALID['hazard-tip'], place: '无位置' });
    const [late] = await t.db.select().from(hazards).where(eq(hazards.place, '乙处'));
    await t.db.update(hazards).set({ state: 'rectifying', deadline: '2014-11-01', leadUnitCode: 'police' }).where(eq(hazards.id, late!.id));

    const s = await signIn(t, 'office');
    const list = await (await s.page('/admin/hazards')).text();
    expect(list).toContain('href="/admin/hazards/map"');
    const res = await s.page('/admin/hazards/map');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<svg viewBox="0 0 800 560" role="img" aria-labelledby="map-title map-desc"');
    expect(html).toContain('<title id="map-title">未办结隐患分布图</title>');
    expect(html.match(/<circle /g)).toHaveLength(2);
    expect(html).toMatch(/<circle [^>]*fill="#dc2626"[^>]*data-overdue="1"/);
    expect(html).toContain('另有 1 条未办结隐患没有位置');
    // The reporting village's town labels the points' centre (police leads one, a department: the tip's village decides).
    const [, town] = /<text [^>]*>([^<]+)<\/text>/.exec(html)!;
    expect(town).toBeTruthy();
    expect(html).toContain(`${town} 2 处`);
    expect(html).toContain(late!.number);
    // Leaders read it too; units do not.
    expect((await (await signIn(t, 'office', { leader: true })).page('/admin/hazards/map')).status).toBe(200);
    expect((await (await signIn(t, 'chencang')).page('/admin/hazards/map')).status).toBe(403);
  });
});
