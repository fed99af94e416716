// Public forms by link and QR code: the page (GET/POST /f/:formId) and the JSON API
// (GET /api/v1/forms, POST /api/v1/forms/:formId/submissions), behind rate limit, body limit, honeypot and Turnstile.
// Both routes take ?u= for attribution and share one rate-limit count per client address and form. When
// TURNSTILE_SECRET is set the API needs a token too (CF-Turnstile-Response header), or bots would simply
// use it instead of the page. The honeypot exists only in the page; a filled one gets a thank-you and nothing is stored.
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { and, asc, eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { formTokens, units } from '../db/schema.ts';
import { readsCampaign, type FormContext } from '../forms/context.ts';
import { currentCampaign } from '../campaign/store.ts';
import { formJsonSchema } from '../forms/json-schema.ts';
import { mergeErrors, validateAnswers } from '../forms/schema.ts';
import type { FormDefinition } from '../forms/types.ts';
import { AppError, isDatabaseUnavailable, loggableError, notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { shanghaiDay } from '../lib/time.ts';
import { honeypotFilled } from './abuse/honeypot.ts';
import { turnstileEnabled, verifyTurnstile } from './abuse/turnstile.ts';
import { limitBody, MAX_ANSWERS_BYTES, MAX_MULTIPART_BYTES, MAX_PHOTO_BYTES } from '../lib/body-limit.ts';
import { newPhotoKey, PHOTO_SIZE_MESSAGE, PHOTO_UNREADABLE_MESSAGE, sniffPhotoType, stripPhotoMetadata, type PhotoStore, type PhotoType } from './photos.ts';
import { storeSubmission } from './store.ts';
import { photoRefField, readPhotoRef, signPhotoRef } from './photo-ref.ts';
import { checkFormToken, issueFormToken } from './tokens.ts';
import { FormPage, TOKEN_FIELD, TURNSTILE_FIELD } from '../web/form-page.tsx';
import { Layout } from '../web/layout.tsx';
import { formById, formsOf, heldForm, lastKnownForms } from '../forms/store.ts';
import { acceptsLocation, locationFromForm, takeLocation } from '../hazards/location.ts';
import { LocationField, locationValuesOf, type LocationValues } from '../web/location.tsx';
import { WriteTrustedCache } from '../core/request-memo.ts';

/** Set on the redirect to a new receipt, read (and cleared) by the receipt page. */
export const JUST_SENT_COOKIE = 'pingan_sent';

/** The hidden field a form page carries: the version it showed, which its post is checked against. */
const VERSION_FIELD = '_version';

/** The public forms as the office last published them. */
export const publicForms = async (deps: Pick<Deps, 'db'>) => (await formsOf(deps.db)).filter((f) => f.audience === 'public');
const publicForm = async (deps: Pick<Deps, 'db'>, id: string) => (await publicForms(deps)).find((f) => f.id === id);

export const RATE_LIMITED_MESSAGE = '提交太频繁了，请稍等一分钟再试';
export const TURNSTILE_MESSAGE = '请完成页面上的人机验证后再提交';
export const PHOTO_TYPE_MESSAGE = '只能上传 JPEG、PNG 或 WebP 格式的照片';
export const DATABASE_RETRY_MESSAGE = '系统繁忙，您的内容尚未保存。您填写的内容都还在下面，请稍后再点一次提交。';
export const PHOTO_AGAIN_MESSAGE = '请重新选择照片（页面提示修改时，之前选的照片不会保留）';
export { PHOTO_SIZE_MESSAGE };
const UNIT_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Options for context fields on public forms: a 'unit' field lists the district departments. */
async function publicContext(deps: Deps, form: FormDefinition): Promise<FormContext> {
  const today = shanghaiDay(deps.now());
  const campaign = readsCampaign(form.fields) ? (await currentCampaign(deps.db)).settings : undefined;
  if (!form.fields.some((f) => f.type === 'unit')) return { today, campaign };
  return { today, campaign, units: await departments(deps.db) };
}

/** The departments a public form may name, as this isolate last read them (a page read refreshes them). */
const departmentCache = new WriteTrustedCache<{ code: string; name: string }[]>();

/** A public post trusts the list its page was built from (WRITE_TRUSTS_CACHE_MS), so the post stays one round trip. */
function departments(db: Deps['db']): Promise<{ code: string; name: string }[]> {
  return departmentCache.get(db, 'departments', () =>
    db.select({ code: units.code, name: units.name }).from(units).where(and(eq(units.kind, 'department'), eq(units.active, true))).orderBy(asc(units.code)),
  );
}

/** The unit a ?u= code names, or null: an unknown code still shows the form and stores the answer unattributed. */
async function attributedUnit(deps: Deps, u: string | undefined): Promise<{ code: string; name: string } | null> {
  if (!u || !UNIT_CODE.test(u)) return null;
  const [row] = await deps.db.select({ code: units.code, name: units.name }).from(units).where(eq(units.code, u));
  return row ?? null;
}

interface PendingPhoto {
  key: string;
  bytes: Uint8Array;
  type: PhotoType;
}

/**
 * Checks uploaded photos by magic bytes and size; returns answers' keys (a photo kept from an earlier try is already
 * stored, named by its signed reference; a new file replaces it), the photos to store and field errors.
 */
async function takePhotos(deps: Deps, form: FormDefinition, body: Record<string, unknown>, input: Record<string, unknown>) {
  const pending: PendingPhoto[] = [];
  const errors: FieldError[] = [];
  for (const f of form.fields) {
    if (f.type !== 'photo') continue;
    const raw = body[f.name];
    const file = (Array.isArray(raw) ? raw : [raw]).find((x): x is File => x instanceof File && x.size > 0);
    // A client never chooses a photo key: whatever text came in this field is dropped.
    delete input[f.name];
    if (!file) {
      const key = await readPhotoRef(deps.config.SESSION_SECRET, form.id, f.name, body[photoRefField(f.name)], deps.now().getTime());
      if (key) input[f.name] = key;
      continue;
    }
    if (file.size > MAX_PHOTO_BYTES) {
      errors.push({ field: f.name, message: PHOTO_SIZE_MESSAGE });
      continue;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = sniffPhotoType(bytes);
    if (!type) {
      errors.push({ field: f.name, message: PHOTO_TYPE_MESSAGE });
      continue;
    }
    // Fail closed: a photo whose structure cannot be read might keep its GPS position, so it is refused.
    const stripped = stripPhotoMetadata(bytes, type);
    if (!stripped) {
      errors.push({ field: f.name, message: PHOTO_UNREADABLE_MESSAGE });
      continue;
    }
    const key = newPhotoKey(form.id, shanghaiDay(deps.now()), type);
    input[f.name] = key;
    pending.push({ key, bytes: stripped, type });
  }
  return { pending, errors };
}

function ThanksWithoutReceipt(props: { form: FormDefinition }) {
  return (
    <Layout title="提交成功">
      <div class="ok" role="status">
        <p>已收到，{props.form.thanks ?? '感谢您的参与！'}</p>
      </div>
      <p>
        <a href="/">回到首页</a>
      </p>
    </Layout>
  );
}

function RateLimitedPage() {
  return (
    <Layout title="请稍后再试">
      <div class="alert" role="alert">
        <p>{RATE_LIMITED_MESSAGE}。您填写的内容没有保存，请返回上一页稍后再提交。</p>
      </div>
      <p>
        <a href="/" data-back>返回上一页</a>
      </p>
    </Layout>
  );
}

export function publicFormRoutes(deps: Deps) {
  const app = new Hono();
  const limiter = deps.rateLimiter;
  const photos: PhotoStore = deps.photos;
  const siteKey = deps.config.TURNSTILE_SECRET ? deps.config.TURNSTILE_SITE_KEY || undefined : undefined;

  const limited = async (c: Context, formId: string) => {
    const { success, retryAfter } = await limiter.limit(`${formId}:${deps.clientAddress(c)}`);
    if (success) return undefined;
    deps.log.warn('submission rate limited', { form: formId });
    c.header('Retry-After', String(retryAfter));
    return retryAfter;
  };

  const renderForm = async (c: Context, form: FormDefinition, opts: { values?: Record<string, unknown>; errors?: FieldError[]; token?: string; status?: 200 | 422 | 503; keptPhotos?: Record<string, string>; location?: LocationValues }) => {
    const u = c.req.query('u');
    const unit = await attributedUnit(deps, u);
    const action = `/f/${form.id}${unit ? `?u=${encodeURIComponent(unit.code)}` : ''}`;
    c.header('Cache-Control', 'no-store');
    return c.html(
      <FormPage
        form={form}
        values={opts.values}
        errors={opts.errors}
        ctx={await publicContext(deps, form)}
        action={action}
        token={opts.token ?? (await issueFormToken(deps))}
        hiddenFields={{ [VERSION_FIELD]: String(form.version) }}
        keptPhotos={opts.keptPhotos}
        extra={acceptsLocation(form.id) ? <LocationField values={opts.location} error={opts.errors?.find((e) => e.field === '_location')?.message} /> : undefined}
        turnstileSiteKey={siteKey}
        notice={unit ? <p class="muted">{`所属村（社区）或单位：${unit.name}`}</p> : undefined}
      />,
      opts.status ?? 200,
    );
  };

  app.get('/f/:formId', async (c) => {
    const form = await publicForm(deps, c.req.param('formId'));
    if (!form) throw notFound('找不到这个表单，请检查链接或二维码是否完整。');
    return renderForm(c, form, {});
  });

  const smallBody = limitBody(MAX_ANSWERS_BYTES);
  const photoBody = limitBody(MAX_MULTIPART_BYTES);

  app.post(
    '/f/:formId',
    async (c, next) => {
      // Ids and audiences never change across versions: the forms this isolate holds say which exist, with no statement.
      const known = lastKnownForms(deps.db).find((f) => f.id === c.req.param('formId') && f.audience === 'public');
      if (!known) throw notFound('找不到这个表单，请检查链接或二维码是否完整。');
      if (await limited(c, known.id)) return c.html(<RateLimitedPage />, 429);
      return (known.fields.some((f) => f.type === 'photo') ? photoBody : smallBody)(c, next);
    },
    async (c) => {
      const id = c.req.param('formId');
      let body: Record<string, unknown>;
      try {
        body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError(400, 'BAD_REQUEST', '提交的内容无法读取，请刷新页面后重新填写');
      }
      // The version the page showed: answers are checked against the questions the person saw.
      const shown = typeof body[VERSION_FIELD] === 'string' && /^\d{1,9}$/.test(body[VERSION_FIELD]) ? Number(body[VERSION_FIELD]) : undefined;
      // A post without it (a script, an old page) takes the version this isolate holds, or reads the current one.
      const held = shown ?? lastKnownForms(deps.db).find((f) => f.id === id)?.version ?? 0;
      // With the database gone, the forms this isolate holds (the template at worst) still give the person's answers back.
      const current = () =>
        publicForm(deps, id).catch((err: unknown) => {
          if (!isDatabaseUnavailable(err)) throw err;
          return lastKnownForms(deps.db).find((f) => f.id === id);
        });
      const form = heldForm(deps.db, id, held) ?? (shown !== undefined ? await formById(deps.db, id, shown).catch(() => null) : null) ?? (await current())!;
      if (honeypotFilled(body)) {
        deps.log.warn('honeypot filled; nothing stored', { form: form.id });
        return c.html(<ThanksWithoutReceipt form={form} />);
      }
      const input: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) {
        if (k.startsWith('_') || k === TURNSTILE_FIELD) continue;
        input[k] = Array.isArray(v) ? v.filter((x) => typeof x === 'string') : v;
      }
      const token = await checkFormToken(deps, body[TOKEN_FIELD]);
      const { pending, errors: photoErrors } = await takePhotos(deps, form, body, input);
      const human = await verifyTurnstile(deps, body[TURNSTILE_FIELD], deps.clientAddress(c));
      const ctx = await publicContext(deps, form);
      const result = validateAnswers(form, input, ctx);
      const place = acceptsLocation(form.id) ? locationFromForm(body) : { errors: [] };
      const errors = mergeErrors(form, photoErrors, result.ok ? [] : result.errors, place.errors, human ? [] : [{ field: '_turnstile', message: TURNSTILE_MESSAGE }]);
      if (!result.ok || errors.length > 0) {
        const values = { ...input };
        for (const f of form.fields) if (f.type === 'photo') delete values[f.name];
        // A browser cannot refill a file input, so a good photo is stored now and the page carries a signed reference
        // to it: the resend attaches it, never silently without it. Unused, it is an orphan the retention job may remove.
        const keptPhotos: Record<string, string> = {};
        const now = deps.now().getTime();
        for (const p of pending) await photos.put(p.key, p.bytes, p.type);
        for (const f of form.fields) {
          if (f.type !== 'photo' || typeof input[f.name] !== 'string' || errors.some((e) => e.field === f.name)) continue;
          keptPhotos[f.name] = await signPhotoRef(deps.config.SESSION_SECRET, form.id, f.name, input[f.name] as string, now);
        }
        return renderForm(c, form, { values, errors: mergeErrors(form, errors), token, status: 422, keptPhotos, location: place.errors.length ? undefined : locationValuesOf(body) });
      }
      for (const p of pending) await photos.put(p.key, p.bytes, p.type);
      let stored: Awaited<ReturnType<typeof storeSubmission>>;
      try {
        stored = await storeSubmission(deps, {
          form,
          answers: result.answers,
          personal: result.personal,
          unitCode: c.req.query('u'),
          source: 'public',
          formToken: token,
          clientAddress: deps.clientAddress(c),
          location: place.location,
        });
      } catch (err) {
        // The database failed: delete the photos once the token shows no tip was stored. A commit can land with only its
        // answer lost, and when the database cannot tell, an orphan photo beats a tip without its photo.
        const landed = token ? await deps.db.select({ t: formTokens.token }).from(formTokens).where(eq(formTokens.token, token)).then((r) => r.length > 0, () => true) : true;
        if (!landed) for (const p of pending) await photos.delete?.(p.key);
        if (!isDatabaseUnavailable(err)) throw err;
        // Give the page back with the answers and the same token, so pressing send again stores it once; if even the
        // page cannot be built, the plain 503 page says the same.
        deps.log.error('database unavailable; answers handed back for a retry', { form: form.id, ...loggableError(err), stack: undefined });
        const values = { ...input };
        const again: FieldError[] = [{ field: '_retry', message: DATABASE_RETRY_MESSAGE }];
        for (const f of form.fields) {
          if (f.type !== 'photo') continue;
          delete values[f.name];
          if (input[f.name] !== undefined) again.push({ field: f.name, message: PHOTO_AGAIN_MESSAGE });
        }
        c.header('Retry-After', '30');
        return renderForm(c, form, { values, errors: again, token, status: 503, location: locationValuesOf(body) }).catch(() => {
          throw err;
        });
      }
      if (!stored.created) for (const p of pending) await photos.delete?.(p.key);
      deps.log.info(stored.created ? 'submission stored' : 'submission repeated', { form: form.id, id: stored.id, source: 'public' });
      // The receipt opens with the thanks only right after sending, not on every later lookup: a cookie for that
      // receipt's path alone, for two minutes, keeps the address clean (it is what people bookmark and share).
      setCookie(c, JUST_SENT_COOKIE, '1', { path: `/r/${stored.receipt}`, maxAge: 120, httpOnly: true, sameSite: 'Lax' });
      return c.redirect(`/r/${stored.receipt}`, 303);
    },
  );

  app.get('/api/v1/forms', async (c) => {
    const list = await Promise.all(
      (await formsOf(deps.db)).map(async (f) => ({
        id: f.id,
        version: f.version,
        title: f.title,
        audience: f.audience,
        schema: formJsonSchema(f, f.audience === 'public' ? await publicContext(deps, f) : {}),
      })),
    );
    return c.json(list);
  });

  app.post(
    '/api/v1/forms/:formId/submissions',
    async (c, next) => {
      const form = await publicForm(deps, c.req.param('formId'));
      if (!form) {
        const unitForm = (await formsOf(deps.db)).some((f) => f.id === c.req.param('formId'));
        throw notFound(unitForm ? '这是单位填报表单，请使用 /api/v1/unit/forms/:formId/submissions 并携带访问码' : '找不到这个表单');
      }
      const retryAfter = await limited(c, form.id);
      if (retryAfter) return c.json({ error: 'RATE_LIMITED', message: RATE_LIMITED_MESSAGE, retryAfter }, 429);
      return smallBody(c, next);
    },
    // The answers are checked against the form's own schema below, once the caller has passed the abuse checks.
    vJson(JSON_OBJECT),
    async (c) => {
      const form = (await publicForm(deps, c.req.param('formId')))!;
      const body = c.req.valid('json');
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw new AppError(400, 'BAD_IDEMPOTENCY_KEY', 'Idempotency-Key 须为 1–255 个可见 ASCII 字符');
      // The unit API stores its keys as unit:<code>:<key> in the same column: a public client must not claim (and so block or probe) them.
      if (key?.startsWith('unit:')) throw new AppError(400, 'BAD_IDEMPOTENCY_KEY', '以 unit: 开头的 Idempotency-Key 留给单位填报接口，请换一个');
      if (turnstileEnabled(deps) && !(await verifyTurnstile(deps, c.req.header('cf-turnstile-response'), deps.clientAddress(c)))) {
        throw new AppError(403, 'TURNSTILE_FAILED', '人机验证未通过：请在 CF-Turnstile-Response 请求头中附上有效的 Turnstile 令牌');
      }
      // `location` is no answer: it is checked here and stored apart (src/hazards/location-store.ts).
      const { location, errors: placeErrors, rest } = takeLocation(form, body);
      const input = { ...rest };
      const photoErrors: FieldError[] = [];
      for (const f of form.fields) {
        if (f.type !== 'photo') continue;
        if (input[f.name] !== undefined && input[f.name] !== null && input[f.name] !== '') photoErrors.push({ field: f.name, message: '照片请通过网页表单上传' });
        delete input[f.name];
      }
      const result = validateAnswers(form, input, { ...(await publicContext(deps, form)), unknown: 'reject' });
      const errors = mergeErrors(form, photoErrors, result.ok ? [] : result.errors, placeErrors);
      if (!result.ok || errors.length > 0) {
        throw validationFailed(errors);
      }
      const stored = await storeSubmission(deps, {
        form,
        answers: result.answers,
        personal: result.personal,
        unitCode: c.req.query('u'),
        source: 'api',
        clientAddress: deps.clientAddress(c),
        idempotencyKey: key,
        location,
      });
      deps.log.info(stored.created ? 'submission stored' : 'idempotent replay', { form: form.id, id: stored.id, source: 'api' });
      if (!stored.created) c.header('Idempotent-Replayed', 'true');
      return c.json({ id: stored.id, receipt: stored.receipt }, 201);
    },
  );

  return app;
}
