// Channels over the API and the pages: field errors for addresses that would reach into the server's network,
// secrets masked after saving, a unit's own robots, and the office's page with its log and test button.
import { describe, expect, it } from 'vitest';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { createChannel, isPrivateAddress } from '../../../src/notifications/channels.ts';
import { queueTestMessage } from '../../../src/notifications/service.ts';
import { deliverNotifications } from '../../../src/notifications/deliver.ts';
import { createFakeProviders } from '../../fakes/notify/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { TEST_BASE_URL } from '../../helpers/app.ts';

async function api(t: TestContext, unitCode = 'office') {
  const { code } = await issueAccessCode(t.db, { unitCode });
  return (path: string, method = 'GET', body?: unknown) =>
    t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json', origin: TEST_BASE_URL },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

const RESOLVE: Record<string, string[]> = {
  'grid.example.cn': ['203.0.113.10'],
  'sneaky.example.cn': ['192.168.1.20'],
  'rebind.example.cn': ['198.51.100.7', '127.0.0.1'],
};

describe('notification channels', () => {
  const refused: { name: string; body: Record<string, unknown>; field: string }[] = [
    { name: 'loopback literal', body: { unit: 'office', kind: 'webhook', url: 'https://127.0.0.1/hook' }, field: 'url' },
    { name: 'loopback as a decimal number', body: { unit: 'office', kind: 'webhook', url: 'https://2130706433/hook' }, field: 'url' },
    { name: 'private network', body: { unit: 'office', kind: 'webhook', url: 'https://10.1.2.3/hook' }, field: 'url' },
    { name: 'IPv6 loopback', body: { unit: 'office', kind: 'webhook', url: 'https://[::1]/hook' }, field: 'url' },
    { name: 'IPv4-mapped IPv6', body: { unit: 'office', kind: 'webhook', url: 'https://[::ffff:10.0.0.1]/hook' }, field: 'url' },
    { name: 'cloud metadata', body: { unit: 'office', kind: 'webhook', url: 'https://169.254.169.254/latest/meta-data' }, field: 'url' },
    { name: 'localhost name', body: { unit: 'office', kind: 'webhook', url: 'https://localhost/hook' }, field: 'url' },
    { name: 'a name that resolves to a private address', body: { unit: 'office', kind: 'webhook', url: 'https://sneaky.example.cn/hook' }, field: 'url' },
    { name: 'a name with one loopback address among public ones', body: { unit: 'office', kind: 'webhook', url: 'https://rebind.example.cn/hook' }, field: 'url' },
    { name: 'plain http', body: { unit: 'office', kind: 'webhook', url: 'http://grid.example.cn/hook' }, field: 'url' },
    { name: 'a robot at another host', body: { unit: 'police', kind: 'wecom', url: 'https://grid.example.cn/cgi-bin/webhook/send?key=k' }, field: 'url' },
    { name: 'a robot without its key', body: { unit: 'police', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' }, field: 'url' },
    { name: 'a DingTalk robot over http', body: { unit: 'police', kind: 'dingtalk', url: 'http://oapi.dingtalk.com/robot/send?access_token=t' }, field: 'url' },
    { name: 'an unknown unit', body: { unit: 'nowhere', kind: 'sms', phones: ['13800000001'] }, field: 'unit' },
    { name: 'a bad phone', body: { unit: 'police', kind: 'sms', phones: ['12345'] }, field: 'phones' },
    { name: 'an unknown kind', body: { unit: 'police', kind: 'fax' }, field: 'kind' },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} with a field error`, async () => {
      const t = await makeTestApp({ deps: { resolveHost: async (h) => RESOLVE[h] ?? [] } });
      const res = await (await api(t))('/api/v1/admin/channels', 'POST', c.body);
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: string; errors: { field: string }[] };
      expect(body.error).toBe('VALIDATION_FAILED');
      expect(body.errors.map((e) => e.field)).toContain(c.field);
    });
  }

  it('NOTIFY_ALLOWED_HOSTS lets a relay on a listed host through; public names resolve and pass', async () => {
    const t = await makeTestApp({ config: { NOTIFY_ALLOWED_HOSTS: '127.0.0.1:9999' }, deps: { resolveHost: async (h) => RESOLVE[h] ?? [] } });
    const call = await api(t);
    expect((await call('/api/v1/admin/channels', 'POST', { unit: 'office', kind: 'webhook', url: 'http://127.0.0.1:9999/hook' })).status).toBe(201);
    expect((await call('/api/v1/admin/channels', 'POST', { unit: 'office', kind: 'webhook', url: 'https://grid.example.cn/hook', secret: 's3cret-value' })).status).toBe(201);
  });

  it('shows keys and secrets masked, deletes, and answers the log by status', async () => {
    const t = await makeTestApp();
    const call = await api(t);
    const res = await call('/api/v1/admin/channels', 'POST', { unit: 'leaders', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789abcdef', secret: 'SECsupersecretvalue123' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const listed = await (await call('/api/v1/admin/channels')).text();
    expect(listed).not.toContain('abcdef0123456789abcdef');
    expect(listed).not.toContain('SECsupersecretvalue123');
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id, unit: 'leaders', kind: 'dingtalk', secret: true, broken: false })]);
    expect((await call(`/api/v1/admin/channels/${id}/test`, 'POST')).status).toBe(202);
    const log = (await (await call('/api/v1/admin/notifications?status=pending')).json()) as { pending: number; deliveries: { status: string }[] };
    expect(log).toMatchObject({ pending: 1, deliveries: [{ status: 'pending' }] });
    expect((await call('/api/v1/admin/notifications?status=bogus')).status).toBe(422);
    expect((await call(`/api/v1/admin/channels/${id}`, 'DELETE')).status).toBe(204);
    expect((await call(`/api/v1/admin/channels/${id}`, 'DELETE')).status).toBe(404);
  });

  it('a unit may not set webhooks or reach the office API; it keeps its own robots on its page', async () => {
    const t = await makeTestApp();
    const police = await api(t, 'police');
    expect((await police('/api/v1/admin/channels', 'POST', { unit: 'police', kind: 'sms', phones: ['13800000001'] })).status).toBe(403);
    const { code } = await issueAccessCode(t.db, { unitCode: 'police' });
    const form = (body: Record<string, string>) =>
      t.app.request('/unit/notifications/channels', { method: 'POST', headers: { authorization: `Bearer ${code}`, origin: TEST_BASE_URL, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
    expect((await form({ kind: 'webhook', url: 'https://grid.example.cn/x' })).status).toBe(422);
    const ok = await form({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef' });
    expect(ok.status).toBe(200);
    const page = await ok.text();
    expect(page).toContain('企业微信群机器人');
    expect(page).not.toContain('0123456789abcdef');
  });

  it('the office page lists channels and the log', async () => {
    const t = await makeTestApp();
    const call = await api(t);
    await call('/api/v1/admin/channels', 'POST', { unit: 'police', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef' });
    const html = await (await call('/admin/notifications')).text();
    expect(html).toContain('消息通知');
    expect(html).toContain('发送测试消息');
    expect(html).not.toContain('0123456789abcdef');
  });

  it.each([
    ['127.0.0.1', true], ['10.0.0.1', true], ['172.20.1.1', true], ['192.168.0.1', true], ['169.254.169.254', true], ['100.64.0.1', true],
    ['0.0.0.0', true], ['fd00:ec2::254', true], ['fe80::1', true], ['::1', true], ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false], ['203.0.113.10', false], ['2400:3200::1', false],
  ])('isPrivateAddress(%s) is %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });
});

describe('a webhook whose name later resolves inside', () => {
  it('is checked again when sending and refused, not called', async () => {
    const fake = createFakeProviders();
    const answers: Record<string, string[]> = { 'grid.example.cn': ['203.0.113.10'] };
    const t = await makeTestApp({ deps: { fetch: fake.fetch, resolveHost: async (h) => answers[h] ?? [] } });
    const { id } = await createChannel(t.deps, { role: 'admin' }, { unit: 'office', kind: 'webhook', url: 'https://grid.example.cn/hook/1' });
    answers['grid.example.cn'] = ['10.0.0.8'];
    await queueTestMessage(t.deps, id);
    const r = await deliverNotifications(t.deps, t.deps.now());
    expect(r).toMatchObject({ sent: 0, failed: 1 });
    expect(fake.webhook).toHaveLength(0);
    expect(fake.refused).toHaveLength(0);
  });
});

describe('a leader on a unit’s notification page', () => {
  it('reads it and cannot change it', async () => {
    const t = await makeTestApp();
    const { code } = await issueAccessCode(t.db, { unitCode: 'office', leader: true });
    const headers = { authorization: `Bearer ${code}`, origin: TEST_BASE_URL };
    const page = await t.app.request('/unit/notifications?unit=chencang', { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('添加通知渠道');
    const write = await t.app.request('/unit/notifications/channels?unit=chencang', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'kind=sms&phones=13800000001',
    });
    expect(write.status).toBe(403);
  });
});
