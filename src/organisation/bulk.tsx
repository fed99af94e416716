// Everything for every unit at once: access codes as a printable sheet of slips (shown once), and posters as one page set.
import { Hono, type Context } from 'hono';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import * as v from 'valibot';
import type { Deps } from '../deps.ts';
import { auditEvents, units } from '../db/schema.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { vJson } from '../lib/validation.ts';
import { limitBody } from '../lib/body-limit.ts';
import { AppError } from '../lib/errors.ts';
import { Layout } from '../web/layout.tsx';
import { SubmitButton } from '../web/components.tsx';
import { SignOutButton } from '../auth/routes.tsx';
import { Poster, posterSlogan } from '../submissions/qr.tsx';
import { publicForms } from '../submissions/routes.tsx';
import { issueBulkCodes, selectUnits, type BulkCode, type BulkSelection } from './bulk-codes.ts';
import { KIND_LABELS } from './sheet.ts';

const BulkBody = v.object(
  {
    units: v.union([v.literal('all'), v.literal('missing'), v.pipe(v.array(v.pipe(v.string('应为单位代码'), v.maxLength(64, '单位代码过长'))), v.maxLength(1000, '一次最多 1000 个单位'))], '应为 "all"、"missing" 或单位代码列表'),
    leader: v.optional(v.literal(false, '领导只读访问码请在区综治办下逐个发放'), false),
  },
  '必填',
);

const actorLabel = (c: Context<AuthEnv>) => `批量发放 #${c.get('principal').codeId}`;

function SlipsPage(props: { codes: BulkCode[]; signin: string }) {
  return (
    <Layout title="访问码单" heading="区综治办" headingHref="/admin/access" wide staff>
      <p class="who noprint">
        <a href="/admin">工作台</a> · <a href="/admin/access">访问码管理</a> · <SignOutButton />
      </p>
      <h1 class="noprint">已发放 {props.codes.length} 个访问码</h1>
      <div class="alert noprint" role="status">
        访问码只显示这一次，系统只保存其摘要。请现在打印，沿虚线剪开分发给各单位联络员；遗失后只能停用并重新发放。
        <button type="button" class="btn" data-print>
          打印访问码单
        </button>
      </div>
      {props.codes.length === 0 ? <p class="muted">所有单位都已有可用的访问码，没有发放新的。</p> : null}
      <div class="slips">
        {props.codes.map((s) => (
          <div class="slip" style="border:1px dashed #59636e;padding:10px;margin:6px 0;break-inside:avoid">
            <p>
              <strong>{s.name}</strong>（{s.unit}）
            </p>
            <p class="code" data-unit={s.unit}>
              {s.code}
            </p>
            <p class="muted">登录地址：{props.signin}　输入上面的访问码登录，请妥善保管，勿转给他人。</p>
          </div>
        ))}
      </div>
    </Layout>
  );
}

function PostersPage(props: { deps: Deps; shown: boolean; towns: { code: string; name: string; kind: string }[]; chosen: string; list: { code: string; name: string }[]; forms: { id: string; title: string }[] }) {
  return (
    <Layout title="批量打印海报" heading="区综治办" headingHref="/admin/organisation" wide staff>
      <div class="noprint">
        <p class="who">
          <a href="/admin">工作台</a> · <a href="/admin/organisation">组织架构</a> · <SignOutButton />
        </p>
        <h1>批量打印海报</h1>
        <form method="get" action="/admin/organisation/posters">
          <label for="town">打印范围</label>
          <select id="town" name="town">
            <option value="all" selected={props.chosen === 'all'}>
              全部在用单位
            </option>
            {props.towns.map((t) => (
              <option value={t.code} selected={props.chosen === t.code}>
                {t.name}所辖全部{t.kind === 'subdistrict' ? '社区' : '村、社区'}
              </option>
            ))}
          </select>
          <p>
            <SubmitButton secondary>显示</SubmitButton>
          </p>
        </form>
        {props.shown ? (
          <p>
            共 {props.list.length} 张海报，每张一页 A4。{' '}
            <button type="button" class="btn" data-print>
              全部打印
            </button>
          </p>
        ) : (
          <p class="muted">选择范围后点“显示”，再一次打印全部海报。</p>
        )}
      </div>
      {props.list.map((u, i) => (
        <div style={i > 0 ? 'break-before:page' : undefined}>
          <Poster deps={props.deps} unit={u} slogan={posterSlogan(u.code)} forms={props.forms} printButton={false} />
        </div>
      ))}
    </Layout>
  );
}

export function bulkRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const admin = requireRole(deps, ['admin']);
  const signin = `${deps.config.PUBLIC_BASE_URL}/signin`;

  app.post('/api/v1/admin/access-codes/bulk', admin, vJson(BulkBody, '请说明为哪些单位发放：all、missing 或单位代码列表'), async (c) => {
    const body = c.req.valid('json');
    const list = await selectUnits(deps.db, body.units as BulkSelection);
    const codes = await issueBulkCodes(deps.db, list, { label: actorLabel(c), now: deps.now() });
    return c.json(
      codes.map(({ unit, code }) => ({ unit, code })),
      201,
    );
  });

  app.post('/admin/access/bulk', admin, limitBody(4 * 1024), async (c) => {
    const form = await c.req.parseBody();
    const which = form.units === 'all' ? 'all' : form.units === 'missing' ? 'missing' : null;
    if (!which) throw new AppError(422, 'VALIDATION_FAILED', '请选择为全部单位还是为尚无访问码的单位发放', { errors: [{ field: 'units', message: '请选择发放范围' }] });
    const codes = await issueBulkCodes(deps.db, await selectUnits(deps.db, which), { label: actorLabel(c), now: deps.now() });
    return c.html(<SlipsPage codes={codes} signin={signin} />, 201);
  });

  app.get('/admin/organisation/posters', admin, async (c) => {
    const towns = await deps.db
      .select({ code: units.code, name: units.name, kind: units.kind })
      .from(units)
      .where(and(eq(units.active, true), inArray(units.kind, ['town', 'subdistrict'])))
      .orderBy(asc(units.kind), asc(units.code));
    // Nothing is shown until a range is chosen: "all units" is hundreds of QR codes to load.
    const asked = c.req.query('town');
    const town = towns.find((t) => t.code === asked);
    const chosen = town ? town.code : 'all';
    const list = asked === undefined ? [] : await deps.db
      .select({ code: units.code, name: units.name })
      .from(units)
      .where(town ? and(eq(units.active, true), eq(units.parentCode, town.code)) : and(eq(units.active, true), ne(units.kind, 'office')))
      .orderBy(asc(units.kind), asc(units.code));
    const forms = await publicForms(deps);
    // The first-run checklist ticks "posters printed" from this: the office opened the printable set.
    if (list.length) {
      await deps.db.insert(auditEvents).values({ at: deps.now().getTime(), actor: `${c.get('principal').unitCode}#${c.get('principal').codeId}`, kind: 'posters_printed', subject: chosen, detail: JSON.stringify({ posters: list.length }) });
    }
    return c.html(<PostersPage deps={deps} shown={asked !== undefined} towns={towns.map((t) => ({ ...t, name: `${t.name}（${KIND_LABELS[t.kind]}）` }))} chosen={chosen} list={list} forms={forms} />);
  });

  return app;
}
