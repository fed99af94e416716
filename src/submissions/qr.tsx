// QR codes of the public forms (GET /qr/:formId.svg?u=) and a printable A4 poster per unit (GET /posters/:unitCode).
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { renderSVG } from 'uqr';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { Layout } from '../web/layout.tsx';
import { publicForms } from './routes.tsx';
import { TEMPLATE_FORMS } from '../forms/store.ts';
import { pageCampaign } from '../campaign/context.ts';

const UNIT_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The link a QR code carries: PUBLIC_BASE_URL/f/:formId?u=UNIT. */
export function formUrl(deps: Deps, formId: string, unitCode?: string): string {
  return `${deps.config.PUBLIC_BASE_URL}/f/${formId}${unitCode ? `?u=${encodeURIComponent(unitCode)}` : ''}`;
}

/** A slogan for the unit: the same one every time it is printed, different across neighbouring units. */
export function posterSlogan(unitCode: string, choice?: number): string {
  const list = pageCampaign().slogans;
  if (list.length === 0) return '平安建设，人人有责';
  if (choice !== undefined && Number.isInteger(choice) && choice >= 0 && choice < list.length) return list[choice]!;
  let h = 0;
  for (const ch of unitCode) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return list[h % list.length]!;
}

const FORM_BLURBS: Record<string, string> = {
  'mass-feedback': '说说您对平安建设的满意度',
  'hazard-tip': '发现治安隐患，扫码举报',
  'deputy-suggestion': '代表委员意见建议',
};

/** Paper sizes a poster is laid out for: A4 on a notice board, A5 and A6 for doors and counters. */
export const POSTER_SIZES = ['a4', 'a5', 'a6'] as const;
export type PosterSize = (typeof POSTER_SIZES)[number];
/** CSS page sizes (A6 has no keyword in CSS, so every size is given in millimetres). */
const PAPER: Record<PosterSize, string> = { a4: '210mm 297mm', a5: '148mm 210mm', a6: '105mm 148mm' };
export const posterSize = (s: string | undefined): PosterSize => ((POSTER_SIZES as readonly string[]).includes(s ?? '') ? (s as PosterSize) : 'a4');

/**
 * One unit's poster: its name, a slogan and the QR codes of the public forms, laid out to fill the whole printed page
 * of its size (also printed many to a set).
 */
export function Poster(props: { deps: Deps; unit: { code: string; name: string }; slogan: string; forms: { id: string; title: string }[]; printButton?: boolean; size?: PosterSize }) {
  const { deps, unit, slogan } = props;
  const list = props.forms;
  const size = props.size ?? 'a4';
  return (
    <div class={`poster ${size}`}>
      {/* The page's paper: A4 is every printout's default (web/styles.ts); a smaller poster says its own. */}
      {size === 'a4' ? null : <style dangerouslySetInnerHTML={{ __html: `@page{size:${PAPER[size]};margin:12mm}.poster.${size}{page:auto}` }} />}
      <p class="muted">{pageCampaign().district} · {pageCampaign().name}</p>
      <h1>{unit.name}</h1>
      <p class="slogan">{slogan}</p>
      <div class="qrs">
        {list.map((f) => (
          <div class="qr">
            <img src={`/qr/${f.id}.svg?u=${encodeURIComponent(unit.code)}`} alt={`${f.title}二维码`} width={200} height={200} />
            <h2>{f.title}</h2>
            <p>{FORM_BLURBS[f.id] ?? ''}</p>
            <p>{formUrl(deps, f.id, unit.code)}</p>
          </div>
        ))}
      </div>
      <p class="muted">
        微信或手机相机扫码即可填写，无需注册，可匿名。{pageCampaign().office}
      </p>
      {props.printButton === false ? null : (
        <p class="noprint">
          <button type="button" class="btn" data-print>
            打印海报（{size.toUpperCase()}）
          </button>
        </p>
      )}
      {props.printButton === false ? null : (
        <nav class="noprint sizes" aria-label="纸张大小">
          {POSTER_SIZES.map((s) => (
            <a href={`/posters/${encodeURIComponent(unit.code)}${s === 'a4' ? '' : `?size=${s}`}`} aria-current={s === size ? 'page' : undefined}>
              {s === 'a4' ? 'A4 张贴' : s === 'a5' ? 'A5 小海报' : 'A6 门贴'}
            </a>
          ))}
        </nav>
      )}
    </div>
  );
}

export function qrRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/qr/:file', (c) => {
    const file = c.req.param('file');
    // Form ids and audiences never change across versions, so the template knows which codes exist without a database read.
    const form = file.endsWith('.svg') ? TEMPLATE_FORMS.find((f) => f.audience === 'public' && `${f.id}.svg` === file) : undefined;
    if (!form) throw notFound('找不到这个表单的二维码');
    const u = c.req.query('u');
    if (u !== undefined && u !== '' && !UNIT_CODE.test(u)) throw new AppError(400, 'BAD_UNIT_CODE', '单位代码只能包含小写字母、数字和连字符');
    const svg = renderSVG(formUrl(deps, form.id, u || undefined), { ecc: 'M', border: 2 });
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(svg);
  });

  app.get('/posters/:unitCode', async (c) => {
    const code = c.req.param('unitCode');
    const [unit] = UNIT_CODE.test(code) ? await deps.db.select({ code: units.code, name: units.name }).from(units).where(eq(units.code, code)) : [];
    if (!unit) throw notFound('找不到这个单位，请检查单位代码');
    const choice = c.req.query('slogan');
    const slogan = posterSlogan(unit.code, choice === undefined ? undefined : Number(choice));
    const list = await publicForms(deps);
    return c.html(
      <Layout title={`${unit.name} 平安建设海报`}>
        <Poster deps={deps} unit={unit} slogan={slogan} forms={list} size={posterSize(c.req.query('size'))} />
      </Layout>,
    );
  });

  return app;
}
