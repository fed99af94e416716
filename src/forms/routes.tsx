// Forms over HTTP: one form's definition (GET /api/v1/forms/:id), the office publishing a version (API and
// editor page), its history and diff, and import/export as JSON or an XLSForm-style workbook.
import { Hono, type Context } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import type { Principal } from '../auth/codes.ts';
import { AppError, badRequest, notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { limitBody } from '../lib/body-limit.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { formJsonSchema } from './json-schema.ts';
import { describeChanges } from './diff.ts';
import { editProblems } from './edits.ts';
import { definitionToValues, valuesToDefinition, type EditorValues } from './editor.ts';
import { FormEditorPage, FormsListPage, FormVersionsPage } from './page.tsx';
import { answeredOptions, formById, formsOf, listFormVersions, publishForm } from './store.ts';
import { definitionToXlsx, xlsxToDefinition } from './xlsform.ts';
import type { FormDefinition } from './types.ts';
import { and, asc, eq } from 'drizzle-orm';
import { units } from '../db/schema.ts';
import { currentCampaign } from '../campaign/store.ts';
import { shanghaiDay } from '../lib/time.ts';
import { attachment } from '../web/attachment.ts';
import { readsCampaign, type FormContext } from './context.ts';

/** A definition of 200 questions with long option lists stays far below this; an XLSX of it too. */
const MAX_DEFINITION_BYTES = 512 * 1024;
const MAX_NOTE = 200;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const savedBy = (p: Principal) => `${p.unitCode}#${p.codeId}`;
const PUBLISH_FAILED = '表单有误，尚未发布';

function versionQuery(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw validationFailed([{ field: 'version', message: '版本号须为正整数' }]);
  return Number(raw);
}

function noteOf(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw validationFailed([{ field: 'note', message: '修改说明须为文字' }]);
  if (raw.length > MAX_NOTE) throw validationFailed([{ field: 'note', message: `修改说明不能超过 ${MAX_NOTE} 个字` }]);
  return raw.trim();
}

/** `If-Match: <version>` (quotes allowed): a publish based on an older version is refused with 409. */
function expectedVersion(c: Context): number | undefined {
  const raw = c.req.header('if-match')?.replace(/"/g, '');
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** An import body: JSON (a definition, or {definition, note}) or an XLSX workbook. */
async function importedDefinition(body: Uint8Array, type: string): Promise<{ definition: unknown; note?: unknown }> {
  const zip = body.length >= 4 && body[0] === 0x50 && body[1] === 0x4b;
  if (zip || type.startsWith(XLSX_TYPE)) return { definition: await xlsxToDefinition(body) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw badRequest('导入的文件既不是 JSON 也不是 Excel（.xlsx）', 'BAD_JSON');
  }
  if (parsed && typeof parsed === 'object' && 'definition' in parsed) return parsed as { definition: unknown; note?: unknown };
  return { definition: parsed };
}

/** What a public form's context fields choose from (the same lists as the form page: departments for a 'unit' field). */
async function publicContext(deps: Deps, form: FormDefinition): Promise<FormContext> {
  const campaign = readsCampaign(form.fields) ? (await currentCampaign(deps.db)).settings : undefined;
  const ctx: FormContext = { today: shanghaiDay(deps.now()), campaign };
  if (!form.fields.some((f) => f.type === 'unit')) return ctx;
  const rows = await deps.db.select({ code: units.code, name: units.name }).from(units).where(and(eq(units.kind, 'department'), eq(units.active, true))).orderBy(asc(units.code));
  return { ...ctx, units: rows };
}

export function formRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const admin = requireRole(deps, ['admin']);
  const body = limitBody(MAX_DEFINITION_BYTES, '表单定义太大');

  const known = async (id: string, version?: number) => {
    const form = await formById(deps.db, id, version);
    if (!form) throw notFound(version === undefined ? '找不到这个表单' : `表单“${id.slice(0, 40)}”没有第 ${version} 版`);
    return form;
  };

  const formJson = async (f: FormDefinition) => ({
    id: f.id,
    version: f.version,
    title: f.title,
    audience: f.audience,
    schema: formJsonSchema(f, f.audience === 'public' ? await publicContext(deps, f) : {}),
    definition: f,
  });

  app.get('/api/v1/forms/:id', async (c) => c.json(await formJson(await known(c.req.param('id'), versionQuery(c.req.query('version'))))));

  const publish = async (c: Context<AuthEnv>, id: string, definition: unknown, note: string, expected?: number) => {
    const published = await publishForm(deps.db, id, definition, { at: deps.now().getTime(), by: savedBy(c.get('principal')), note, expectedVersion: expected });
    if (!published.ok) throw validationFailed(published.errors, PUBLISH_FAILED);
    deps.log.info('form published', { form: id, version: published.form.version });
    return published.form;
  };

  app.put('/api/v1/admin/forms/:id', admin, body, vJson(JSON_OBJECT), async (c) => {
    const input = c.req.valid('json');
    await known(c.req.param('id'));
    if (input.definition === undefined) throw validationFailed([{ field: 'definition', message: '请提供表单定义 definition' }]);
    const form = await publish(c, c.req.param('id'), input.definition, noteOf(input.note), expectedVersion(c));
    return c.json({ id: form.id, version: form.version });
  });

  app.get('/api/v1/admin/forms/:id/versions', admin, async (c) => {
    await known(c.req.param('id'));
    return c.json(await listFormVersions(deps.db, c.req.param('id')));
  });

  app.post('/api/v1/admin/forms/:id/import', admin, body, async (c) => {
    await known(c.req.param('id'));
    const { definition, note } = await importedDefinition(new Uint8Array(await c.req.arrayBuffer()), c.req.header('content-type') ?? '');
    const form = await publish(c, c.req.param('id'), definition, noteOf(note) || '导入', expectedVersion(c));
    return c.json({ id: form.id, version: form.version });
  });

  app.get('/admin/forms/:id/export.json', admin, async (c) => {
    const form = await known(c.req.param('id'), versionQuery(c.req.query('version')));
    attachment(c, `${form.title}-第${form.version}版.json`, `${form.id}-v${form.version}.json`);
    return c.body(JSON.stringify(form, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/admin/forms/:id/export.xlsx', admin, async (c) => {
    const form = await known(c.req.param('id'), versionQuery(c.req.query('version')));
    attachment(c, `${form.title}-第${form.version}版.xlsx`, `${form.id}-v${form.version}.xlsx`);
    return c.body((await definitionToXlsx(form)) as unknown as ArrayBuffer, 200, { 'Content-Type': XLSX_TYPE });
  });

  // ---------------------------------------------------------------- pages

  app.get('/admin/forms', admin, async (c) => {
    const notice = c.req.query('published') ? `已发布：${c.req.query('published')}` : undefined;
    return c.html(<FormsListPage forms={await formsOf(deps.db)} notice={notice} />);
  });

  const previewCtx = async (f: FormDefinition) => (f.audience === 'public' ? publicContext(deps, f) : {});

  app.get('/admin/forms/:id', admin, async (c) => {
    const form = await known(c.req.param('id'));
    const notice = c.req.query('published') ? `已发布第 ${form.version} 版，从现在起填写的人看到的是新版本。` : undefined;
    return c.html(<FormEditorPage current={form} values={definitionToValues(form)} notice={notice} preview={form} previewCtx={await previewCtx(form)} />);
  });

  app.post('/admin/forms/:id', admin, body, async (c) => {
    const current = await known(c.req.param('id'));
    const raw = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as EditorValues;
    const note = (values.note ?? '').trim().slice(0, MAX_NOTE);
    const version = /^\d+$/.test(values.version ?? '') ? Number(values.version) : undefined;
    const rerender = async (props: { errors: FieldError[]; preview?: FormDefinition; json?: string; status: 200 | 409 | 422 }) =>
      c.html(
        <FormEditorPage
          current={current}
          values={props.json === undefined ? values : definitionToValues(current)}
          note={note}
          errors={props.errors}
          preview={props.preview}
          previewCtx={props.preview ? await previewCtx(props.preview) : undefined}
          json={props.json}
        />,
        props.status,
      );
    let definition: unknown;
    let back = (f: string) => f;
    if (values.action === 'json') {
      try {
        definition = JSON.parse(values.json ?? '');
      } catch {
        return rerender({ errors: [{ field: 'json', message: 'JSON 格式有误，请检查括号、引号和逗号' }], json: values.json, status: 422 });
      }
    } else {
      const built = valuesToDefinition(current, values);
      definition = built.definition;
      back = built.back;
    }
    if (values.action === 'preview') {
      const checked = editProblems(current, definition, await answeredOptions(deps.db, current.id));
      const errors = checked.ok ? [] : checked.errors.map((e) => ({ ...e, field: back(e.field) }));
      return rerender({ errors, preview: checked.ok ? checked.form : undefined, status: errors.length ? 422 : 200 });
    }
    try {
      await publish(c, current.id, definition, note, version);
      return c.redirect(`/admin/forms/${current.id}?published=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.code === 'STALE_EDIT') return rerender({ errors: [{ field: '', message: err.message }], status: 409 });
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
        const errors = ((err.details?.errors ?? []) as FieldError[]).map((e) => ({ ...e, field: back(e.field) }));
        return rerender({ errors, json: values.action === 'json' ? values.json : undefined, status: 422 });
      }
      throw err;
    }
  });

  app.post('/admin/forms/:id/import', admin, body, async (c) => {
    const current = await known(c.req.param('id'));
    const raw = await c.req.parseBody();
    const file = raw.file;
    if (!(file instanceof File) || file.size === 0) {
      return c.html(<FormEditorPage current={current} values={definitionToValues(current)} errors={[{ field: 'file', message: '请选择要导入的 JSON 或 Excel 文件' }]} />, 422);
    }
    try {
      const { definition, note } = await importedDefinition(new Uint8Array(await file.arrayBuffer()), file.type);
      await publish(c, current.id, definition, (typeof note === 'string' && note.trim().slice(0, MAX_NOTE)) || `导入 ${file.name.slice(0, 60)}`);
      return c.redirect(`/admin/forms/${current.id}?published=1`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 403 || err.status === 404) throw err;
      const errors = (err.details?.errors as FieldError[] | undefined) ?? [{ field: 'file', message: err.message }];
      return c.html(<FormEditorPage current={current} values={definitionToValues(current)} errors={errors} />, 422);
    }
  });

  app.get('/admin/forms/:id/versions', admin, async (c) => {
    const form = await known(c.req.param('id'));
    const versions = await listFormVersions(deps.db, form.id);
    const from = versionQuery(c.req.query('from'));
    const to = versionQuery(c.req.query('to'));
    let diff: { from: number; to: number; changes: string[] } | undefined;
    if (from !== undefined && to !== undefined) {
      diff = { from, to, changes: describeChanges(await known(form.id, from), await known(form.id, to)) };
    } else if (versions.length > 1) {
      const [b, a] = versions;
      diff = { from: a!.version, to: b!.version, changes: describeChanges(await known(form.id, a!.version), await known(form.id, b!.version)) };
    }
    return c.html(<FormVersionsPage form={form} versions={versions} diff={diff} />);
  });

  return app;
}
