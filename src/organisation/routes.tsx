// The organisation's routes: the tree (page and API), the template, the import with its preview, one unit's edit.
import { Hono, type Context } from 'hono';
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { auditEvents, units } from '../db/schema.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { limitBody } from '../lib/body-limit.ts';
import { notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { cleanText } from '../lib/text.ts';
import { runOrganisationBatch } from '../core/changes.ts';
import { importOrganisation } from './import.ts';
import { organisationTemplate, organisationTree, flatten } from './tree.ts';
import { OrganisationPage, UnitEditPage } from './page.tsx';
import { KIND_LABELS } from './sheet.ts';
import { attachment } from '../web/attachment.ts';
import { bulkRoutes } from './bulk.tsx';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const UNIT_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const actorOf = (c: Context<AuthEnv>) => `${c.get('principal').unitCode}#${c.get('principal').codeId}`;

const toBase64 = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
};
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

export function organisationRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const admin = requireRole(deps, ['admin']);
  const body = limitBody(MAX_FILE_BYTES * 2, '文件太大：一次最多 2 MB');
  app.use('/admin/organisation', admin);
  app.use('/admin/organisation/*', admin);
  app.use('/api/v1/admin/organisation', admin);
  app.use('/api/v1/admin/organisation/*', admin);
  app.route('/', bulkRoutes(deps));

  app.get('/api/v1/admin/organisation', async (c) => c.json(await organisationTree(deps.db)));

  app.post('/api/v1/admin/organisation/import', body, async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw validationFailed([{ field: 'file', message: '请上传 xlsx 或 CSV 文件' }]);
    const dryRun = ['1', 'true'].includes(c.req.query('dryRun') ?? '');
    const out = await importOrganisation(deps, bytes, { dryRun, actor: actorOf(c) });
    if (!out.ok) throw validationFailed(out.errors, `文件有 ${out.errors.length} 处错误，未导入任何内容`);
    return c.json({ ...out.summary, dryRun, plan: out.plan });
  });

  app.get('/admin/organisation/template.xlsx', async (c) => {
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    attachment(c, '组织架构模板.xlsx', 'organisation.xlsx');
    return c.body((await organisationTemplate(deps.db)) as Uint8Array<ArrayBuffer>);
  });

  app.get('/admin/organisation', async (c) => {
    const notice = c.req.query('imported') ? '组织架构已导入。' : c.req.query('saved') ? '单位已保存。' : undefined;
    return c.html(<OrganisationPage tree={await organisationTree(deps.db)} notice={notice} />);
  });

  app.post('/admin/organisation/import', body, async (c) => {
    const form = await c.req.parseBody();
    let bytes: Uint8Array | null = null;
    let name = typeof form.name === 'string' ? form.name.slice(0, 100) : '';
    if (form.file instanceof File && form.file.size > 0) {
      bytes = new Uint8Array(await form.file.arrayBuffer());
      name = form.file.name.slice(0, 100);
    } else if (typeof form.data === 'string' && form.data) {
      try {
        bytes = fromBase64(form.data);
      } catch {
        bytes = null;
      }
    }
    const tree = () => organisationTree(deps.db);
    if (!bytes || bytes.length > MAX_FILE_BYTES) {
      const message = bytes ? '文件太大：一次最多 2 MB' : '请选择要导入的 xlsx 或 CSV 文件';
      return c.html(<OrganisationPage tree={await tree()} errors={[{ row: 0, column: '', field: 'file', message }]} />, 422);
    }
    const apply = form.action === 'apply';
    const out = await importOrganisation(deps, bytes, { dryRun: !apply, actor: actorOf(c) });
    if (!out.ok) return c.html(<OrganisationPage tree={await tree()} errors={out.errors} />, 422);
    if (apply) return c.redirect('/admin/organisation?imported=1', 303);
    return c.html(<OrganisationPage tree={await tree()} plan={out.plan} data={toBase64(bytes)} name={name} />);
  });

  const findUnit = async (code: string) => {
    const all = flatten(await organisationTree(deps.db)).map((r) => r.unit);
    const unit = UNIT_CODE.test(code) ? all.find((u) => u.code === code) : undefined;
    if (!unit) throw notFound('找不到这个单位');
    const parentKinds = unit.kind === 'village' || unit.kind === 'community' ? ['town', 'subdistrict'] : ['office'];
    const parents = all.filter((u) => u.active && parentKinds.includes(u.kind) && u.code !== unit.code).map((u) => ({ code: u.code, name: `${u.name}（${KIND_LABELS[u.kind]}）` }));
    return { unit, parents };
  };

  app.get('/admin/organisation/units/:code', async (c) => {
    const { unit, parents } = await findUnit(c.req.param('code'));
    return c.html(<UnitEditPage unit={unit} parents={parents} />);
  });

  app.post('/admin/organisation/units/:code', limitBody(16 * 1024), async (c) => {
    const { unit, parents } = await findUnit(c.req.param('code'));
    const form = await c.req.parseBody();
    const errors: FieldError[] = [];
    const name = cleanText(form.name) ?? '';
    if (!name) errors.push({ field: 'name', message: '请填写名称' });
    else if ([...name].length > 40) errors.push({ field: 'name', message: '名称不能超过 40 个字' });
    const parent = unit.kind === 'office' ? null : typeof form.parent === 'string' ? form.parent : '';
    if (parent !== null && !parents.some((p) => p.code === parent)) errors.push({ field: 'parent', message: '请选择有效的上级单位' });
    const popText = (cleanText(form.population) ?? '').replace(/[,，\s]/g, '');
    if (popText && !/^\d{1,9}$/.test(popText)) errors.push({ field: 'population', message: '人口须为整数' });
    if (errors.length) return c.html(<UnitEditPage unit={{ ...unit, name: name || unit.name }} parents={parents} errors={errors} />, 422);
    const active = unit.kind === 'office' || form.active === '1';
    const at = deps.now().getTime();
    const { db } = deps;
    // One batch: the edit, its audit line and the sheet's refresh stand or fall together.
    await runOrganisationBatch(
      db,
      deps,
      [
        db.update(units).set({ name, parentCode: parent, population: popText ? Number(popText) : null, active }).where(eq(units.code, unit.code)),
        db.insert(auditEvents).values({ at, actor: actorOf(c), kind: 'organisation_edit', unitCode: unit.code, subject: unit.code, detail: JSON.stringify({ parent, active }) }),
      ],
      at,
    );
    return c.redirect('/admin/organisation?saved=1', 303);
  });

  return app;
}
