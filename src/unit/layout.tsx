// The frame of the unit portal's pages: who is signed in, which unit is shown, and the portal's links.
import { OfflineHead } from '../web/offline.tsx';
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/codes.ts';
import { assertCanWrite, scopeUnit, type AuthEnv } from '../auth/middleware.ts';
import { notFound } from '../lib/errors.ts';
import { readAlongsideAuth, readStartedAlongsideAuth } from '../core/request-memo.ts';
import { getUnit, type UnitInfo } from './roster/roster.ts';
import { Layout } from '../web/layout.tsx';
import { SignOutButton } from '../auth/routes.tsx';

export interface PortalProps {
  title: string;
  principal: Principal;
  unitName: string;
  /** The unit shown, when the office or a leader looks at another unit (kept in links as ?unit=). */
  unitCode: string;
  current?: string;
  children?: Child;
  wide?: boolean;
}

/** ?unit= for the office and leaders looking at another unit; nothing for a unit's own pages. */
export function unitQuery(principal: Principal, unitCode: string, prefix: '?' | '&' = '?'): string {
  return principal.unitCode === unitCode ? '' : `${prefix}unit=${encodeURIComponent(unitCode)}`;
}

export function PortalLayout(props: PortalProps) {
  const q = unitQuery(props.principal, props.unitCode);
  const links: [string, string][] = [
    ['/unit', '工作台'],
    ['/unit/cadres', '干部花名册'],
    ['/unit/forms/household-visit', '入户下访'],
    ['/unit/forms/hazard-ledger', '隐患台账'],
    ['/unit/forms/patrol-team', '巡逻队'],
    ['/unit/forms/publicity', '宣传'],
    ['/unit/forms/dispute-mediation', '矛盾纠纷'],
    ['/unit/forms/task-report', '任务进度'],
    ['/unit/export', '导出'],
    ['/unit/hand-ins', '报送'],
    ['/unit/notifications', '消息通知'],
  ];
  // Hazards the unit leads are worked on in the supervision pages (src/routes/hazards-*.tsx).
  if (props.principal.role === 'unit') links.push(['/unit/hazards', '隐患督办'], ['/unit/suggestions', '代表委员建议']);
  if (props.principal.role === 'admin') links.push(['/admin/hazards', '隐患督办'], ['/admin/access', '访问码管理']);
  return (
    // A unit's own pages install as an app and keep working offline (src/web/offline.tsx); the office acting for a unit does not.
    <Layout title={props.title} heading="单位工作台" headingHref={`/unit${q}`} staff wide={props.wide ?? true} head={props.principal.role === 'unit' ? <OfflineHead /> : undefined}>
      <p class="who">
        {props.unitName}
        {props.principal.role === 'leader' ? '（只读）' : ''} ·{' '}
        {/* The office and leaders come here from the office home; the way back. */}
        {props.principal.role === 'unit' ? null : (
          <>
            <a href="/admin">综治办工作台</a> ·{' '}
          </>
        )}
        <SignOutButton />
      </p>
      <nav class="portal noprint" aria-label="单位工作台">
        {links.map(([href, label]) => (
          <a href={href.startsWith('/admin/') || href === '/unit/hazards' ? href : href + q} aria-current={props.current === href ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {props.children}
    </Layout>
  );
}

const SCOPE_KEY = 'portal-unit';

/**
 * App middleware: on a GET of a portal page naming another unit (?unit=, the office acting for it), that unit is read
 * with the session lookup; portalScope uses it once the office's sign-in has passed.
 */
export function portalUnitPrefetch(deps: Pick<Deps, 'db'>): MiddlewareHandler {
  return readAlongsideAuth(SCOPE_KEY, async (c) => {
    const code = c.req.method === 'GET' && c.req.path.startsWith('/unit') ? c.req.query('unit') : undefined;
    return code ? () => getUnit(deps.db, code).then((unit) => ({ code, unit })) : null;
  });
}

/** The principal and the unit a portal request acts for (?unit= for the office and leaders). */
export async function portalScope(deps: Deps, c: Context<AuthEnv>, opts: { write?: boolean } = {}): Promise<{ principal: Principal; unit: UnitInfo }> {
  const principal = c.get('principal');
  if (opts.write) assertCanWrite(principal);
  const code = scopeUnit(principal, c.req.query('unit'));
  // The signed-in unit was read with the session; another unit (the office looking) was read with it too, or is read now.
  const early = code === principal.unit?.code ? undefined : await readStartedAlongsideAuth<{ code: string; unit: UnitInfo | undefined }>(c, SCOPE_KEY);
  const unit = code === principal.unit?.code ? principal.unit : early?.code === code ? early.unit : await getUnit(deps.db, code);
  if (!unit) throw notFound('找不到该单位');
  return { principal, unit };
}
