// Where people are told: channels per unit, the office and the leaders. An address can never become a way into
// the server's network: robots only at their providers' hosts over https, webhooks https to public addresses only
// (resolved on Node), NOTIFY_ALLOWED_HOSTS for relays and tests. Secrets are stored, shown masked, never logged.
import { and, asc, eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { NOTIFY_CHANNEL_KINDS, notifyChannels, units, type NotifyChannelKind } from '../db/schema.ts';
import { notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { maskPhone } from '../forms/personal.ts';

export const CHANNEL_KIND_LABELS: Record<NotifyChannelKind, string> = {
  wecom: '企业微信群机器人',
  dingtalk: '钉钉群机器人',
  webhook: 'Webhook（12345、网格平台）',
  sms: '短信',
};

/** Targets that are not unit codes. */
export const SPECIAL_TARGETS: Record<string, string> = { office: '区综治办', leaders: '领导群' };

const ROBOT_HOSTS: Record<'wecom' | 'dingtalk', { host: string; path: string; param: string }> = {
  wecom: { host: 'qyapi.weixin.qq.com', path: '/cgi-bin/webhook/send', param: 'key' },
  dingtalk: { host: 'oapi.dingtalk.com', path: '/robot/send', param: 'access_token' },
};

export interface ChannelInput {
  unit?: unknown;
  kind?: unknown;
  url?: unknown;
  secret?: unknown;
  phones?: unknown;
}

export type ChannelRow = typeof notifyChannels.$inferSelect;

/** Who sets the channel: the office may set any target and webhooks; a unit only its own robots and SMS. */
export type ChannelAuthor = { role: 'admin' } | { role: 'unit'; unitCode: string };

function ipv4Private(ip: string): boolean {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return true;
  const [a, b] = p as [number, number, number, number];
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && p[2] === 0) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

/** Loopback, private, link-local, CGNAT, multicast, unspecified and metadata addresses (IPv4 and IPv6). */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return ipv4Private(ip);
  if (!ip.includes(':')) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return ipv4Private(mapped[1]!);
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(ip)) return true;
  return ip === '::' || ip === '::1' || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip) || /^ff/.test(ip) || ip.startsWith('64:ff9b:') || ip.startsWith('100::');
}

const isIpLiteral = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$|^metadata(\.|$)/;

/** The field error for an address a channel may not use, or null. */
export async function addressProblem(deps: Pick<Deps, 'config' | 'resolveHost'>, kind: NotifyChannelKind, raw: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '地址格式不正确';
  }
  const host = url.hostname.toLowerCase();
  const allowed = deps.config.NOTIFY_ALLOWED_HOSTS.includes(host) || deps.config.NOTIFY_ALLOWED_HOSTS.includes(url.host.toLowerCase());
  if (url.username || url.password) return '地址中不能包含用户名或密码';
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) return '只能使用 https 地址';
  if (kind === 'wecom' || kind === 'dingtalk') {
    const robot = ROBOT_HOSTS[kind];
    if (host !== robot.host && !allowed) return `机器人地址应为 https://${robot.host}${robot.path}?${robot.param}=…`;
    if (url.pathname !== robot.path || !url.searchParams.get(robot.param)) return `机器人地址应为 https://${robot.host}${robot.path}?${robot.param}=…`;
    return null;
  }
  if (allowed) return null;
  if (isIpLiteral(host) ? isPrivateAddress(host) : INTERNAL_NAMES.test(host)) return '不能指向本机、内网或云元数据地址';
  if (!isIpLiteral(host) && deps.resolveHost) {
    let addresses: string[];
    try {
      addresses = await deps.resolveHost(host);
    } catch {
      return '无法解析该域名';
    }
    if (!addresses.length) return '无法解析该域名';
    if (addresses.some(isPrivateAddress)) return '不能指向本机、内网或云元数据地址';
  }
  return null;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Checks a channel field by field (one 422 naming each) and stores it. */
export async function createChannel(deps: Pick<Deps, 'db' | 'config' | 'now' | 'resolveHost'>, author: ChannelAuthor, raw: ChannelInput): Promise<{ id: number }> {
  const errors: FieldError[] = [];
  const target = author.role === 'unit' ? author.unitCode : text(raw.unit);
  const kind = text(raw.kind) as NotifyChannelKind | undefined;
  if (!target) errors.push({ field: 'unit', message: '请选择单位（或 office、leaders）' });
  else if (!(target in SPECIAL_TARGETS)) {
    const [u] = await deps.db.select({ code: units.code }).from(units).where(eq(units.code, target));
    if (!u) errors.push({ field: 'unit', message: '单位不存在' });
  }
  if (!kind || !(NOTIFY_CHANNEL_KINDS as readonly string[]).includes(kind)) {
    errors.push({ field: 'kind', message: '渠道类型只能是 wecom、dingtalk、webhook 或 sms' });
  } else if (kind === 'webhook' && author.role !== 'admin') {
    errors.push({ field: 'kind', message: 'Webhook 只能由区综治办设置' });
  }
  const url = text(raw.url);
  const secret = text(raw.secret);
  let phones: string[] = [];
  if (kind && kind !== 'sms') {
    if (!url) errors.push({ field: 'url', message: '请填写地址' });
    else if (url.length > 1000) errors.push({ field: 'url', message: '地址过长' });
    else {
      const problem = await addressProblem(deps, kind, url);
      if (problem) errors.push({ field: 'url', message: problem });
    }
    if (secret && secret.length > 200) errors.push({ field: 'secret', message: '密钥过长' });
  }
  if (kind === 'sms') {
    const list = Array.isArray(raw.phones) ? raw.phones : typeof raw.phones === 'string' ? raw.phones.split(/[,，\s]+/) : [];
    phones = [...new Set(list.filter((p): p is string => typeof p === 'string').map((p) => p.trim()).filter(Boolean))];
    if (!phones.length) errors.push({ field: 'phones', message: '请填写手机号' });
    else if (phones.length > 20) errors.push({ field: 'phones', message: '一个短信渠道最多 20 个手机号' });
    else if (phones.some((p) => !/^1\d{10}$/.test(p))) errors.push({ field: 'phones', message: '手机号应为 11 位数字' });
  }
  if (errors.length) throw validationFailed(errors);
  const [row] = await deps.db
    .insert(notifyChannels)
    .values({
      target: target!,
      kind: kind!,
      url: kind === 'sms' ? null : url!,
      secret: kind === 'sms' ? null : (secret ?? null),
      phones: kind === 'sms' ? JSON.stringify(phones) : null,
      createdAt: deps.now().getTime(),
      createdBy: author.role === 'admin' ? 'admin' : `unit:${author.unitCode}`,
    })
    .returning({ id: notifyChannels.id });
  return { id: row!.id };
}

export async function deleteChannel(deps: Pick<Deps, 'db'>, id: number, unitCode?: string): Promise<void> {
  const where = unitCode ? and(eq(notifyChannels.id, id), eq(notifyChannels.target, unitCode)) : eq(notifyChannels.id, id);
  const gone = await deps.db.delete(notifyChannels).where(where).returning({ id: notifyChannels.id });
  if (!gone.length) throw notFound('找不到该通知渠道');
}

/** A broken channel: failing for a day without a success since. */
export const BROKEN_AFTER_MS = 24 * 3600_000;

export interface ChannelView {
  id: number;
  unit: string;
  kind: NotifyChannelKind;
  /** The address with its key or token masked. */
  url: string | null;
  secret: boolean;
  phones: string[];
  lastOkAt: number | null;
  failingSince: number | null;
  lastError: string | null;
  broken: boolean;
}

/** 6c3a…e19f: enough to tell two robots apart, not enough to post to them. */
export function maskSecret(s: string): string {
  return s.length <= 8 ? '****' : `${s.slice(0, 4)}****${s.slice(-4)}`;
}

export function maskedUrl(raw: string): string {
  try {
    const url = new URL(raw);
    for (const [k, v] of [...url.searchParams]) url.searchParams.set(k, maskSecret(v));
    if (url.pathname.length > 12) url.pathname = `${url.pathname.slice(0, 12)}****`;
    return url.toString().replace(/%2A/g, '*');
  } catch {
    return '****';
  }
}

export function channelView(row: ChannelRow, now: number): ChannelView {
  return {
    id: row.id,
    unit: row.target,
    kind: row.kind,
    url: row.url ? maskedUrl(row.url) : null,
    secret: !!row.secret,
    phones: row.phones ? (JSON.parse(row.phones) as string[]).map(maskPhone) : [],
    lastOkAt: row.lastOkAt,
    failingSince: row.failingSince,
    lastError: row.lastError,
    broken: row.failingSince !== null && now - row.failingSince >= BROKEN_AFTER_MS,
  };
}

export async function listChannels(deps: Pick<Deps, 'db' | 'now'>, target?: string): Promise<ChannelView[]> {
  const rows = await deps.db
    .select()
    .from(notifyChannels)
    .where(target ? eq(notifyChannels.target, target) : undefined)
    .orderBy(asc(notifyChannels.target), asc(notifyChannels.id));
  const now = deps.now().getTime();
  return rows.map((r) => channelView(r, now));
}
