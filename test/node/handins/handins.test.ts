// Hand-ins (issue 15 item 5): a town hands in its ledger as a frozen snapshot, late after the deadline day
// (Beijing time); the police branch reads every town's ledger hand-in; the office sees who has and has not.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { notifyEvents } from '../../../src/db/schema.ts';
import { queueScheduledEvents } from '../../../src/notifications/events.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const ledgerRow = {
  category: 'rental-housing',
  village: 'chencang-v1',
  address: '陈仓示范村一3组出租屋',
  description: '出租屋无灭火器',
  foundBy: '李四',
  foundOn: '2014-11-03',
  handling: 'deadline',
  plan: '督促房东配置灭火器',
  deadline: '2014-11-20',
};

interface Board {
  id: string;
  handedIn: { id: number; unit: string; late: boolean; rows: number }[];
  missing: { unit: string }[];
}

describe('hand-ins', () => {
  it('marks a hand-in after the deadline day late, freezes it, and lets the police branch read it', async () => {
    const t = await makeTestApp({ now: '2014-11-05T02:00:00Z' });
    const town = await signIn(t, 'chencang');
    expect((await town.api('/api/v1/unit/forms/hazard-ledger/submissions', { body: ledgerRow })).status).toBe(201);

    // 2014-11-15 23:30 in Beijing is still on time; 2014-11-16 00:30 is late.
    t.setNow('2014-11-15T15:30:00Z');
    const onTime = await (await signIn(t, 'panlong')).api('/api/v1/unit/hand-ins/hazard-ledger', { method: 'POST' });
    expect([onTime.status, ((await onTime.json()) as { late: boolean }).late]).toEqual([201, false]);
    t.setNow('2014-11-15T16:30:00Z');
    const late = await town.api('/api/v1/unit/hand-ins/hazard-ledger', { method: 'POST' });
    expect(late.status).toBe(201);
    const { id, late: isLate } = (await late.json()) as { id: number; late: boolean };
    expect(isLate).toBe(true);
    expect((await town.api('/api/v1/unit/hand-ins/hazard-ledger', { method: 'POST' })).status).toBe(409);
    // A department owes no ledger; a leader writes nothing.
    expect((await (await signIn(t, 'police')).api('/api/v1/unit/hand-ins/hazard-ledger', { method: 'POST' })).status).toBe(403);
    expect((await (await signIn(t, 'office', { leader: true })).api('/api/v1/unit/hand-ins/hazard-ledger?unit=xiashi', { method: 'POST' })).status).toBe(403);

    // Frozen: a later ledger row does not change what was handed in.
    expect((await town.api('/api/v1/unit/forms/hazard-ledger/submissions', { body: { ...ledgerRow, address: '另一处' } })).status).toBe(201);
    const police = await signIn(t, 'police');
    const read = await police.api(`/api/v1/unit/hand-ins/${id}`);
    expect(read.status).toBe(200);
    const snapshot = (await read.json()) as { unit: string; late: boolean; rows: unknown[] };
    expect([snapshot.unit, snapshot.late, snapshot.rows.length]).toEqual(['chencang', true, 1]);
    const xlsx = await police.page(`/unit/hand-ins/${id}/export.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    expect((await police.api('/api/v1/unit/hand-ins')).ok).toBe(true);
    // Another town may not read it.
    expect((await (await signIn(t, 'panlong')).api(`/api/v1/unit/hand-ins/${id}`)).status).toBe(403);

    const office = await signIn(t, 'office');
    const board = (await (await office.api('/api/v1/admin/hand-ins')).json()) as Board[];
    const ledger = board.find((b) => b.id === 'hazard-ledger')!;
    expect(ledger.handedIn.map((h) => [h.unit, h.late, h.rows])).toEqual([
      ['panlong', false, 0],
      ['chencang', true, 1],
    ]);
    expect(ledger.missing.map((m) => m.unit)).toContain('xiashi');
    expect(ledger.missing.map((m) => m.unit)).not.toContain('police');
    expect(board.find((b) => b.id === 'visit-summary')!.missing.map((m) => m.unit)).toContain('police');
    expect(board.some((b) => b.id === 'campaign-end')).toBe(false);
    const page = await (await office.page('/admin/hand-ins')).text();
    expect(page).toContain('逾期报送');
    expect(page).toContain('尚未报送');
    expect((await town.api('/api/v1/admin/hand-ins')).status).toBe(403);
    const audit = await (await office.api('/api/v1/admin/audit?kind=hand_in&from=2014-11-15&to=2014-11-16')).text();
    expect(audit).toContain('逾期报送');
  });

  it('reminds only the units that have not handed in', async () => {
    const t = await makeTestApp({ now: '2014-11-11T02:00:00Z' });
    expect((await (await signIn(t, 'chencang')).api('/api/v1/unit/hand-ins/hazard-ledger', { method: 'POST' })).status).toBe(201);
    await queueScheduledEvents(t.deps, new Date('2014-11-12T01:00:00Z'));
    const targets = (await t.db.select().from(notifyEvents).where(eq(notifyEvents.event, 'handin_due'))).map((r) => r.target);
    expect(targets).toContain('panlong');
    expect(targets).not.toContain('chencang');
  });
});
