// An outbox event as people read it: a markdown line for the robots, a short text for SMS, JSON for webhooks.
// Built only from the event's data, which holds no personal values.
import { EVENT_LABELS, type HazardEventData, type NotifyEvent } from './events.ts';
import type { Message } from './clients.ts';

export interface OutboxEvent {
  id: number;
  event: string;
  target: string;
  data: string;
  createdAt: number;
}

const label = (e: string) => EVENT_LABELS[e as NotifyEvent] ?? e;

interface RankRow {
  name: string;
  score: number;
  rank: number;
}

/** One line of text (no link): what happened. */
export function summary(e: OutboxEvent): string {
  const d = JSON.parse(e.data) as Record<string, unknown>;
  if (typeof d.number === 'string') {
    const h = d as unknown as HazardEventData;
    const deadline = h.deadline ? `，整改期限 ${h.deadline}` : '';
    return `${label(e.event)}：${h.number}（${h.category}，${h.place}）${deadline}，当前状态：${h.state}`;
  }
  if (e.event === 'handin_due') return `${label(e.event)}：「${String(d.label)}」应于 ${String(d.date)} 报送（还有 ${String(d.days)} 天）`;
  if (e.event === 'ranking') {
    const groups = (d.groups ?? {}) as Record<string, { top: RankRow[]; bottom: RankRow[]; below: number }>;
    const parts = Object.entries(groups).map(([grp, g]) => {
      const name = grp === 'towns' ? '镇街' : '部门';
      const list = (rows: RankRow[]) => rows.map((r) => `${r.rank}. ${r.name} ${r.score.toFixed(2)}`).join('；');
      return `${name}前三：${list(g.top)}${g.bottom.length ? `；后三：${list(g.bottom)}` : ''}；低于 ${String(d.threshold)} 分 ${g.below} 个`;
    });
    return `${String(d.day)} ${label(e.event)}。${parts.join('。')}`;
  }
  return label(e.event);
}

function link(base: string, e: OutboxEvent): string {
  const d = JSON.parse(e.data) as { path?: string };
  return `${base}${d.path ?? '/'}`;
}

export function message(base: string, e: OutboxEvent): Message {
  return { title: label(e.event), text: `${summary(e)}\n\n[查看详情](${link(base, e)})` };
}

/** 企业微信 takes at most 4096 bytes of markdown; a digest stays well inside it, the title and the "more" line included. */
const DIGEST_BYTES = 3600;
const bytes = (s: string) => new TextEncoder().encode(s).length;

/** More than five for one channel: one message listing as many as fit, and how many more there are. */
export function digest(base: string, events: readonly OutboxEvent[]): Message {
  const lines: string[] = [];
  let used = 0;
  for (const e of events) {
    const line = `- ${summary(e)} [查看](${link(base, e)})`;
    if (used + bytes(line) + 1 > DIGEST_BYTES) break;
    lines.push(line);
    used += bytes(line) + 1;
  }
  const rest = events.length - lines.length;
  const more = rest > 0 ? `\n- 另有 ${rest} 条，请登录 ${base}/ 查看` : '';
  return { title: `平安建设通知 ${events.length} 条`, text: `${lines.join('\n')}${more}` };
}

/** The generic webhook's body: the event as data, for 12345 and grid platforms to consume. */
export function webhookPayload(base: string, events: readonly OutboxEvent[]): unknown {
  return {
    events: events.map((e) => ({ id: e.id, event: e.event, label: label(e.event), target: e.target, at: new Date(e.createdAt).toISOString(), text: summary(e), url: link(base, e), data: JSON.parse(e.data) })),
  };
}

/** An SMS to staff: the template's one ${content}, kept short. */
export function smsContent(events: readonly OutboxEvent[]): string {
  const text = events.length === 1 ? summary(events[0]!) : `您有 ${events.length} 条平安建设通知：${events.map((e) => label(e.event)).join('、')}`;
  return [...text].length > 120 ? `${[...text].slice(0, 119).join('')}…` : text;
}
